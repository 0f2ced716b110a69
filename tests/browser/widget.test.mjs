// The embeddable widget (dist/widget/, served at /widget/) in headless Chromium,
// as sites embed it: one tag on a plain page, two tags, the custom element,
// attach() on an iframe's document, a page with a strict Content-Security-Policy
// and Trusted Types, stega characters, bad input, a browser without the Highlight
// API, and the live-preview page of the demo site. No request leaves localhost.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setup, dominantColor, ROOT } from './helpers.mjs';

let env;
let broken; // a copy of the widget's folder without its wasm
const files = new Map(); // path → {body, type, headers}

before(async () => {
  broken = mkdtempSync(path.join(tmpdir(), 'sorot-widget-'));
  for (const f of readdirSync(path.join(ROOT, 'dist/widget'))) {
    if (f !== 'sorot_engine_bg.wasm') cpSync(path.join(ROOT, 'dist/widget', f), path.join(broken, f));
  }
  env = await setup({
    mounts: [{ prefix: '/broken-widget/', root: broken }],
    handle: (req, res) => {
      const file = files.get(new URL(req.url, 'http://localhost').pathname);
      if (!file) return false;
      res.writeHead(200, { 'content-type': file.type ?? 'text/html; charset=utf-8', ...file.headers }).end(file.body);
      return true;
    },
  });
});
after(async () => {
  await env?.close();
  if (broken) rmSync(broken, { recursive: true, force: true });
});

/** Serves a page at `/w/NAME` and returns its URL. */
function page(name, body, { head = '', headers = {}, lang = 'id' } = {}) {
  files.set(`/w/${name}`, {
    body: `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${name}</title><link rel="icon" href="data:,">${head}</head><body>${body}</body></html>`,
    headers,
  });
  return `${env.url}w/${name}`;
}

/** A small gazetteer served at /w/mini.json. */
files.set('/w/mini.json', {
  type: 'application/json',
  body: JSON.stringify({
    lang: 'en',
    types: { LOC: { label: 'Place', color: '#81d4fa' }, ORG: { label: 'Organisation', color: '#c5e1a5' } },
    entities: [
      { id: 'gotham', name: 'Gotham', type: 'LOC', url: 'https://example.org/gotham' },
      { id: 'wayne', name: 'Wayne Enterprises', type: 'ORG' },
    ],
  }),
});

/**
 * A page that records console errors (page.errors), requests that would leave
 * localhost (page.foreign, blocked), Workers that close (page.closedWorkers), and
 * the sorot-update events seen on the document (window.__updates).
 */
async function open(url, { viewport, init } = {}) {
  const context = await env.browser.newContext({ viewport: viewport ?? { width: 1100, height: 800 } });
  const p = await context.newPage();
  p.errors = [];
  p.warnings = [];
  p.foreign = [];
  p.closedWorkers = 0;
  p.workers = 0;
  p.on('console', (msg) => {
    if (msg.type() === 'error') p.errors.push(msg.text());
    if (msg.type() === 'warning') p.warnings.push(msg.text());
  });
  p.on('pageerror', (err) => p.errors.push(`exception: ${err.message}`));
  p.on('worker', (w) => { p.workers += 1; w.on('close', () => { p.closedWorkers += 1; }); });
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(env.url)) return route.continue();
    p.foreign.push(u);
    return route.abort('blockedbyclient');
  });
  await p.addInitScript(() => {
    window.__updates = [];
    document.addEventListener('sorot-update', (e) => {
      window.__updates.push({ root: e.target.id || e.target.localName, counts: e.detail.counts, matches: e.detail.matches.length, composed: e.composed });
    });
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  if (init) await p.addInitScript(init);
  p.closeAll = () => context.close();
  await p.goto(url);
  return p;
}

/** Runs `fn(lib, arg)` in the page, `lib` being /__test/widget-inspect.mjs (no eval in the page: CSP pages forbid it). */
async function inspect(p, fn, arg) {
  await p.evaluate(async () => { window.__lib ??= await import('/__test/widget-inspect.mjs'); });
  return p.evaluate(`(${fn})(window.__lib, ${JSON.stringify(arg ?? null)})`);
}

/**
 * Waits until `fn(lib, arg)` is true in the page (polled; `fn` must not be async:
 * waitForFunction takes a promise as a true value).
 */
async function waitIn(p, fn, arg) {
  await p.evaluate(async () => { window.__lib ??= await import('/__test/widget-inspect.mjs'); });
  await p.waitForFunction(`(${fn})(window.__lib, ${JSON.stringify(arg ?? null)})`, null, { timeout: 20_000 });
}

/** Waits (up to 10 s) until `check()` is true in Node. */
async function until(check, what) {
  for (let t = Date.now(); !check(); await new Promise((r) => setTimeout(r, 50))) {
    if (Date.now() - t > 10_000) assert.fail(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
  }
}

/** Waits until `root` (a selector) has been updated at least `n` times. */
const updated = (p, root, n = 1) => p.waitForFunction(([root, n]) => window.__updates.filter((u) => u.root === root).length >= n, [root, n], { timeout: 20_000 });

const ARTICLE = `<article id="a"><h1>Lavrov dan Kim</h1>
<p>Menteri Luar Negeri Rusia Sergey Lavrov bertemu Kim Jong Un di Pyongyang.</p></article>
<article id="b"><p>Lavrov kembali ke Moskow.</p></article>
<p id="outside">Sergey Lavrov di luar.</p>`;

test('one tag on a plain page: each data-root its own document, sorot-update on each, the panel lists what was found', async () => {
  const url = page('one.html', ARTICLE, { head: '<script type="module" src="/widget/sorot-widget.js" data-root="article" data-panel data-lang="en"></script>' });
  const p = await open(url);
  await updated(p, 'a');
  await updated(p, 'b');
  const state = await inspect(p, (lib) => ({
    a: lib.paintedTexts(document.getElementById('a')),
    b: lib.paintedTexts(document.getElementById('b')),
    outside: lib.paintedTexts(document.getElementById('outside')),
    updates: window.__updates,
  }));
  // "Lavrov" alone is a short form: it counts in #a (the full name is there), not in #b.
  assert.deepEqual(state.a, ['Lavrov', 'Kim', 'Rusia', 'Sergey Lavrov', 'Kim Jong Un', 'Pyongyang']);
  assert.deepEqual(state.b, ['Moskow']);
  assert.deepEqual(state.outside, []);
  assert.deepEqual(state.updates.find((u) => u.root === 'a'), { root: 'a', counts: { PER: 4, LOC: 2 }, matches: 6, composed: true });
  await waitIn(p, (lib) => lib.panelState()?.total === '7');
  const panel = await inspect(p, (lib) => lib.panelState());
  assert.deepEqual(panel, {
    collapsed: false,
    total: '7',
    counts: ['Person 4', 'Place 3'],
    entities: ['Sergey Lavrov Person 2×', 'Kim Jong Un Person 2×', 'Russia Place 1×', 'Pyongyang Place 1×', 'Moscow Place 1×'],
    messages: [],
  });
  // A click on an entity scrolls to its first mention and shows its card.
  await p.locator('[data-sorot-owner="widget-panel"] .list button', { hasText: 'Kim Jong Un' }).click();
  const card = p.locator('[data-sorot-owner]:not([data-sorot-owner="widget-panel"]) .card');
  await card.waitFor({ state: 'visible' });
  assert.match(await card.textContent(), /^Kim Jong UnPerson/);
  // The keyboard reaches everything: the toggle collapses and opens the panel, Enter on an entity reveals it.
  await p.locator('[data-sorot-owner="widget-panel"] .toggle').focus();
  await p.keyboard.press('Enter');
  assert.equal((await inspect(p, (lib) => lib.panelState())).collapsed, true);
  await p.keyboard.press('Enter');
  await p.keyboard.press('Tab'); // past the counts to the first entity
  assert.equal(await p.evaluate(() => document.querySelector('[data-sorot-owner="widget-panel"]').shadowRoot.activeElement?.textContent), 'Sergey LavrovPerson2×');
  await p.keyboard.press('Enter');
  await p.waitForFunction(() => /^Sergey Lavrov/.test(document.querySelector('[data-sorot-owner]:not([data-sorot-owner="widget-panel"])')?.shadowRoot?.textContent ?? ''));
  // Copy list and copy JSON put text on the clipboard.
  await p.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(env.url).origin });
  await p.locator('[data-sorot-owner="widget-panel"] button', { hasText: 'Copy list' }).click();
  await p.waitForFunction(() => document.querySelector('[data-sorot-owner="widget-panel"]').shadowRoot.querySelector('.status').textContent === 'Copied.');
  assert.equal((await p.evaluate(() => navigator.clipboard.readText())).split('\n')[0], 'Sergey Lavrov\tPerson\thttps://en.wikipedia.org/wiki/Sergey_Lavrov');
  await p.locator('[data-sorot-owner="widget-panel"] button', { hasText: 'Copy JSON' }).click();
  await p.waitForFunction(() => document.querySelector('[data-sorot-owner="widget-panel"]').shadowRoot.querySelector('.status').textContent === 'Copied.');
  const json = JSON.parse(await p.evaluate(() => navigator.clipboard.readText()));
  assert.deepEqual(json.map((e) => [e.id, e.type, e.mentions]), [['sergey-lavrov', 'PER', 2], ['kim-jong-un', 'PER', 2], ['russia', 'LOC', 1], ['pyongyang', 'LOC', 1], ['moskow', 'LOC', 1]]);
  assert.deepEqual({ errors: p.errors, foreign: p.foreign, workers: p.workers }, { errors: [], foreign: [], workers: 1 });
  await p.closeAll();
});

test('two tags on one page: each its own roots and options, a root highlighted once, a replaced root picked up, a removed one released', async () => {
  const url = page('two.html', `<div id="one"><p>Sergey Lavrov di Moskow, Wayne Enterprises di Gotham.</p></div>
<div id="two"><p>Wayne Enterprises di Gotham, Sergey Lavrov di Moskow.</p></div>`, {
    head: `<script type="module" src="/widget/sorot-widget.js" data-root="#one" data-types="PER"></script>
<script type="module" src="/widget/sorot-widget.js" data-root="#two, #one" data-gazetteer="mini.json"></script>`,
  });
  const p = await open(url);
  await updated(p, 'one');
  await updated(p, 'two');
  const texts = () => inspect(p, (lib) => ({ one: lib.paintedTexts(document.getElementById('one')), two: lib.paintedTexts(document.getElementById('two')) }));
  // #one: the first tag's (default gazetteer, people only); the second tag leaves it alone.
  assert.deepEqual(await texts(), { one: ['Sergey Lavrov'], two: ['Wayne Enterprises', 'Gotham'] });
  assert.equal(p.workers, 2, 'one engine per gazetteer');
  // The page replaces #two with a new element (as a framework would): it is highlighted, the old one released.
  await p.evaluate(() => {
    const next = document.createElement('div');
    next.id = 'two';
    next.innerHTML = '<p>Gotham lagi.</p>';
    document.getElementById('two').replaceWith(next);
  });
  await updated(p, 'two', 2);
  assert.deepEqual((await texts()).two, ['Gotham']);
  assert.equal(await inspect(p, (lib) => lib.allConnected()), true, 'no range into removed text');
  // #one leaves the page: its highlights and its engine (the Worker) go.
  await p.evaluate(() => document.getElementById('one').remove());
  await p.waitForFunction(() => [...CSS.highlights.values()].every((h) => [...h].every((r) => r.startContainer.isConnected)));
  await until(() => p.closedWorkers === 1, 'the engine of #one to end');
  assert.equal(p.workers, 2, 'the replaced root kept its engine');
  assert.deepEqual({ errors: p.errors, foreign: p.foreign }, { errors: [], foreign: [] });
  await p.closeAll();
});

test('<sorot-highlight>: attributes and properties mirror each other, a change highlights again, the event comes from the element, removal releases all', async () => {
  const url = page('element.html', `<sorot-highlight id="el" lang="en" types="PER LOC"><p>Sergey Lavrov bertemu Kim Jong Un di Pyongyang, kata Kementerian Luar Negeri Rusia.</p></sorot-highlight>`, {
    head: '<script type="module" src="/widget/sorot-widget.js"></script>',
  });
  const p = await open(url);
  await updated(p, 'el');
  const state = await inspect(p, (lib) => {
    const el = document.getElementById('el');
    return { texts: lib.paintedTexts(el), types: el.types, panel: el.panel, defined: customElements.get('sorot-highlight') === el.constructor, matches: el.highlight.matches.length };
  });
  assert.deepEqual(state, { texts: ['Sergey Lavrov', 'Kim Jong Un', 'Pyongyang'], types: 'PER LOC', panel: false, defined: true, matches: 4 });
  // Properties write the attributes; the content is highlighted again with them.
  await p.evaluate(() => { const el = document.getElementById('el'); el.types = 'ORG'; el.panel = true; });
  await updated(p, 'el', 2);
  assert.deepEqual(await inspect(p, (lib) => {
    const el = document.getElementById('el');
    return { attr: el.getAttribute('types'), panel: el.hasAttribute('panel'), texts: lib.paintedTexts(el) };
  }), { attr: 'ORG', panel: true, texts: ['Kementerian Luar Negeri Rusia'] });
  await waitIn(p, (lib) => lib.panelState()?.entities.length === 1 && lib.panelState().entities[0].startsWith('Ministry'));
  assert.deepEqual((await inspect(p, (lib) => lib.panelState())).entities, ['Ministry of Foreign Affairs of Russia Organisation 1×']);
  // Typing into it: followed.
  await p.evaluate(() => { document.querySelector('#el p').append(' Lalu PBB bersidang.'); });
  await updated(p, 'el', 3);
  assert.deepEqual(await inspect(p, (lib) => lib.paintedTexts(document.getElementById('el'))), ['Kementerian Luar Negeri Rusia', 'PBB']);
  // Removed: no highlight, no panel, no engine left.
  await p.evaluate(() => document.getElementById('el').remove());
  await p.waitForFunction(() => CSS.highlights.size === 0 && !document.querySelector('[data-sorot-owner]'));
  await until(() => p.closedWorkers === 1 && p.workers === 1, () => `the engine to end (${p.workers} started, ${p.closedWorkers} ended; ${p.errors.join('; ')})`);
  assert.deepEqual({ errors: p.errors, foreign: p.foreign }, { errors: [], foreign: [] });
  await p.closeAll();
});

test('attach() on an iframe\'s document: highlights in the frame, follows its changes, detach() and the frame\'s removal release everything', async () => {
  const url = page('frame.html', `<iframe id="f" srcdoc="<!doctype html><html lang=en><body><article><p>Sergey Lavrov bertemu Kim Jong Un.</p></article></body></html>"></iframe>
<script type="module">
import { attach, detach } from '/widget/sorot-widget.js';
const frame = document.getElementById('f');
await new Promise((r) => (frame.contentDocument?.readyState === 'complete' && frame.contentDocument.URL === 'about:srcdoc' ? r() : frame.addEventListener('load', r, { once: true })));
const body = frame.contentDocument.body;
body.addEventListener('sorot-update', () => { window.frameUpdates = (window.frameUpdates ?? 0) + 1; });
const h = await attach(body, { panel: true });
window.attached = { matches: h.matches.map((m) => m.text), renderer: h.renderer };
window.reattach = () => attach(frame.contentDocument.body, { panel: true }).then((h) => h.matches.length);
window.detachFrame = () => detach(frame.contentDocument.body);
</script>`);
  const p = await open(url);
  await p.waitForFunction(() => window.attached);
  assert.deepEqual(await p.evaluate(() => window.attached), { matches: ['Sergey Lavrov', 'Kim Jong Un'], renderer: 'highlight-api' });
  const inFrame = () => inspect(p, (lib) => {
    const doc = document.getElementById('f').contentDocument;
    return { frame: lib.paintedTexts(doc.body), top: CSS.highlights.size, panel: lib.panelState(doc)?.entities ?? null };
  });
  await waitIn(p, (lib) => lib.panelState(document.getElementById('f').contentDocument)?.entities.length === 2);
  assert.deepEqual(await inFrame(), { frame: ['Sergey Lavrov', 'Kim Jong Un'], top: 0, panel: ['Sergey Lavrov Person 1×', 'Kim Jong Un Person 1×'] });
  await p.evaluate(() => { document.getElementById('f').contentDocument.querySelector('article').innerHTML = '<p>Lavrov di Moskow.</p><p>Sergey Lavrov.</p>'; });
  await p.waitForFunction(() => window.frameUpdates >= 2);
  assert.deepEqual((await inFrame()).frame, ['Lavrov', 'Moskow', 'Sergey Lavrov']);
  assert.equal(await p.evaluate(() => window.detachFrame()), true);
  assert.deepEqual(await inFrame(), { frame: [], top: 0, panel: null });
  await until(() => p.closedWorkers === 1, 'the engine to end');
  // Attached again, then the iframe is removed: released too.
  assert.equal(await p.evaluate(() => window.reattach()), 3);
  await p.evaluate(() => document.getElementById('f').remove());
  await until(() => p.closedWorkers === 2, 'the engine to end after the frame left');
  assert.deepEqual({ errors: p.errors, foreign: p.foreign }, { errors: [], foreign: [] });
  await p.closeAll();
});

test('a page with script-src \'self\' \'wasm-unsafe-eval\' and require-trusted-types-for \'script\': the widget, its panel and its Worker run with no CSP violation', async () => {
  const csp = "default-src 'self'; img-src data:; script-src 'self' 'wasm-unsafe-eval'; require-trusted-types-for 'script'";
  const url = page('csp.html', `${ARTICLE}<sorot-highlight id="el" panel><p>Wayne Enterprises di Gotham, kata Sergey Lavrov.</p></sorot-highlight>`, {
    head: '<script type="module" src="/widget/sorot-widget.js" data-root="#a" data-panel></script>',
    headers: { 'content-security-policy': csp },
  });
  const p = await open(url);
  await updated(p, 'a');
  await updated(p, 'el');
  const state = await inspect(p, (lib) => ({
    a: lib.paintedTexts(document.getElementById('a')),
    el: lib.paintedTexts(document.getElementById('el')),
    panel: lib.panelState().total,
    violations: window.__violations,
    trustedTypes: typeof trustedTypes !== 'undefined',
  }));
  assert.deepEqual(state, {
    a: ['Lavrov', 'Kim', 'Rusia', 'Sergey Lavrov', 'Kim Jong Un', 'Pyongyang'], el: ['Sergey Lavrov'], panel: '7', violations: [], trustedTypes: true,
  });
  assert.equal(p.workers, 1, 'the engine runs in a Worker, started through the library\'s Trusted Types policy');
  // The policy is enforced: a plain string where a script URL goes is refused.
  assert.match(await p.evaluate(() => { try { document.createElement('script').src = '/x.js'; return 'allowed'; } catch (err) { return err.message; } }), /TrustedScriptURL/);
  assert.equal(await p.evaluate(() => window.__violations.length), 1, 'that refusal was reported, so reports are seen');
  assert.deepEqual({ errors: p.errors.filter((e) => !/TrustedScriptURL/.test(e)), foreign: p.foreign }, { errors: [], foreign: [] });
  await p.closeAll();
});

test('stega characters of visual-editing modes inside and after names stop no match, and the highlights cover exactly the names', async () => {
  const stega = '\u200b\u200c\u200d\ufeff\u200b\u2060\u200c';
  const tags = '\udb40\udc01\udb40\udc41\udb40\udc7f'; // U+E0001 U+E0041 U+E007F
  const url = page('stega.html', `<article id="a"><h1 id="t"></h1><p id="p"></p></article>
<script type="module">
document.getElementById('t').textContent = 'Sergey Lavrov${stega}';
document.getElementById('p').textContent = 'Kim${tags} Jong Un bertemu Ser${stega}gey Lav${tags}rov di Pyong${stega}yang.${stega}';
await import('/widget/sorot-widget.js');
</script>`, { head: '<script type="module" src="/widget/sorot-widget.js" data-root="#a"></script>' });
  const p = await open(url);
  await updated(p, 'a');
  const state = await inspect(p, (lib) => {
    const a = document.getElementById('a');
    const drawn = lib.painted().map((x) => ({ node: x.range.startContainer.parentNode.id, start: x.range.startOffset, end: x.range.endOffset }));
    return { texts: lib.paintedTexts(a), drawn, raw: lib.painted().map((x) => x.text.length) };
  });
  assert.deepEqual(state.texts, ['Sergey Lavrov', 'Kim Jong Un', 'Sergey Lavrov', 'Pyongyang']);
  // Offsets are UTF-16 positions in the page's text: each highlight starts at the
  // name's first letter (never inside a surrogate pair of a tag character).
  const p1 = `Kim${tags} Jong Un bertemu Ser${stega}gey Lav${tags}rov di Pyong${stega}yang.${stega}`;
  assert.deepEqual(state.drawn, [
    { node: 't', start: 0, end: 'Sergey Lavrov'.length + stega.length },
    { node: 'p', start: 0, end: p1.indexOf(' bertemu') },
    { node: 'p', start: p1.indexOf('Ser'), end: p1.indexOf(' di') },
    { node: 'p', start: p1.indexOf('Pyong'), end: p1.indexOf('.') },
  ]);
  assert.deepEqual(p.errors, []);
  await p.closeAll();
});

test('a bad data-gazetteer and a missing wasm are reported in the console and the panel; the page keeps working', async () => {
  files.set('/w/bad.json', { type: 'application/json', body: JSON.stringify({ entities: [{ id: 'x', name: '', type: 'LOC' }] }) });
  const url = page('bad.html', `<div id="one"><p>Gotham.</p></div><div id="two"><p>Sergey Lavrov.</p></div><div id="three"><p>Kim Jong Un.</p></div>
<p id="alive"></p>`, {
    head: `<script type="module" src="/widget/sorot-widget.js" data-root="#one" data-gazetteer="bad.json" data-panel data-lang="en"></script>
<script type="module" src="/broken-widget/sorot-widget.js" data-root="#two" data-panel></script>
<script type="module" src="/widget/sorot-widget.js" data-root="#three" data-gazetteer="nowhere.json"></script>
<script type="module">document.getElementById('alive').textContent = 'still working';</script>`,
  });
  const p = await open(url);
  await p.waitForFunction(() => document.getElementById('alive').textContent === 'still working');
  // Two copies of the widget (from two folders), two panels.
  await waitIn(p, (lib) => lib.panelState(document, 0)?.messages.length === 1 && lib.panelState(document, 1)?.messages.length === 1);
  const base = env.url;
  const messages = await inspect(p, (lib) => [0, 1].flatMap((i) => lib.panelState(document, i).messages));
  assert.deepEqual(messages.sort(), [
    `${base}broken-widget/sorot_engine_bg.wasm: cannot load the WebAssembly module: HTTP 404`,
    `${base}w/bad.json: entities[0] ("x"): "name" is empty`,
  ].sort());
  await until(() => p.errors.length >= 3, () => `three console errors (${p.errors.join('; ')})`);
  const errors = p.errors.filter((e) => !/Failed to load resource/.test(e)).sort();
  assert.deepEqual(errors, [
    `sorot widget: ${base}broken-widget/sorot_engine_bg.wasm: cannot load the WebAssembly module: HTTP 404`,
    `sorot widget: ${base}w/bad.json: entities[0] ("x"): "name" is empty`,
    `sorot widget: ${base}w/nowhere.json: cannot load the gazetteer: HTTP 404`,
  ].sort());
  assert.equal(await p.evaluate(() => CSS.highlights.size), 0);
  await p.closeAll();
});

test('a data-gazetteer with no entities (an empty JSON Lines file) is said to be so in the console and the panel', async () => {
  files.set('/w/empty.jsonl', { type: 'application/jsonl', body: '' });
  const url = page('empty.html', '<div id="one"><p>Gotham.</p></div>', {
    head: '<script type="module" src="/widget/sorot-widget.js" data-root="#one" data-gazetteer="empty.jsonl" data-panel data-lang="en"></script>',
  });
  const p = await open(url);
  await waitIn(p, (lib) => lib.panelState()?.messages.length === 1);
  const expected = `${env.url}w/empty.jsonl: the gazetteer has no entities (nothing to highlight)`;
  assert.deepEqual(await inspect(p, (lib) => lib.panelState().messages), [expected]);
  assert.deepEqual(p.warnings, [`sorot widget: ${expected}`]);
  assert.deepEqual(p.errors, []);
  await p.closeAll();
});

test('a browser without the Highlight API gets marks on a static page; on a framework-rendered root the widget says so and does not highlight', async () => {
  const noHighlightApi = () => {
    Object.defineProperty(CSS, 'highlights', { value: undefined });
    Object.defineProperty(window, 'Highlight', { value: undefined });
  };
  const url = page('nohl.html', `<article id="a"><p>Sergey Lavrov bertemu Kim Jong Un.</p></article><div id="app"><p>Sergey Lavrov.</p></div>
<script type="module">
// What a framework leaves on the elements it renders (React's fiber key).
const app = document.getElementById('app');
app.__reactContainer$test = {};
app.firstElementChild.__reactFiber$test = {};
await import('/widget/sorot-widget.js');
</script>`, { head: '<script type="module" src="/widget/sorot-widget.js" data-root="#a, #app" data-panel data-lang="en"></script>' });
  const p = await open(url, { init: noHighlightApi });
  await updated(p, 'a');
  await waitIn(p, (lib) => lib.panelState()?.messages.length === 1);
  assert.deepEqual(await inspect(p, (lib) => ({ a: lib.paintedTexts(document.getElementById('a')), app: document.querySelectorAll('#app mark').length, messages: lib.panelState().messages })), {
    a: ['Sergey Lavrov', 'Kim Jong Un'],
    app: 0,
    messages: ['this browser has no CSS Custom Highlight API, and marks cannot be used on a root that React renders (it would show stale text): not highlighted'],
  });
  assert.equal(await p.evaluate(() => document.querySelectorAll('#a mark[data-sorot-owner]').length), 2);
  await p.closeAll();
});

test('the demo site\'s live-preview page on a 390 px phone: typing is highlighted as the preview is rebuilt; the panel starts as a button and covers at most the bottom third', async () => {
  const p = await open(`${env.url}live-preview.html`, { viewport: { width: 390, height: 844 } });
  await updated(p, 'preview');
  const panel = () => inspect(p, (lib) => lib.panelState());
  assert.equal((await panel()).collapsed, true);
  const box = async () => p.evaluate(() => {
    const r = document.querySelector('[data-sorot-owner="widget-panel"]').shadowRoot.querySelector('.panel').getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width };
  });
  const small = await box();
  assert.ok(small.width < 200 && small.bottom <= 844, `collapsed: ${JSON.stringify(small)}`);
  // Type a sentence at the end, key by key: the preview is rebuilt on every input.
  await p.locator('#source').click();
  await p.keyboard.press('Control+End');
  const n = await p.evaluate(() => window.__updates.length);
  await p.keyboard.type('\n\nVladimir Putin menelepon Prabowo Subianto dari Moskow.', { delay: 15 });
  await waitIn(p, (lib) => lib.paintedTexts(document.getElementById('preview')).includes('Prabowo Subianto'));
  await p.waitForFunction((n) => window.__updates.length > n + 5, n);
  const texts = await inspect(p, (lib) => ({ painted: lib.paintedTexts(document.getElementById('preview')), connected: lib.allConnected() }));
  assert.deepEqual(texts.painted.slice(-3), ['Vladimir Putin', 'Prabowo Subianto', 'Moskow']);
  assert.equal(texts.connected, true);
  await p.locator('[data-sorot-owner="widget-panel"] .toggle').click();
  await waitIn(p, (lib) => lib.panelState().entities.some((e) => e.startsWith('Prabowo Subianto')));
  const open_ = await box();
  assert.equal((await panel()).collapsed, false);
  assert.ok(open_.top >= 844 * (2 / 3) - 1 && open_.bottom <= 844 && open_.left >= 0 && open_.right <= 390, `opened: ${JSON.stringify(open_)}`);
  assert.equal(await p.evaluate(() => document.documentElement.scrollWidth), 390, 'nothing wider than the screen');
  if (process.env.SOROT_SHOTS) {
    // SOROT_SHOTS=DIR: a screenshot of the preview with the panel open, to look at.
    await p.evaluate(() => document.getElementById('preview-title').scrollIntoView());
    await p.screenshot({ path: path.join(process.env.SOROT_SHOTS, 'live-preview-390.png') });
  }
  assert.deepEqual({ errors: p.errors, foreign: p.foreign }, { errors: [], foreign: [] });
  await p.closeAll();
});

for (const renderer of ['highlight-api', 'mark']) {
  test(`[${renderer}] --sorot-* custom properties on the root or the document colour the highlights, the card and the panel`, async () => {
    const url = page(`props-${renderer}.html`, `<style>
  :root { --sorot-color-LOC: #ff00ff; --sorot-panel-bg: #202020; --sorot-panel-fg: #fafafa; }
  #a { --sorot-color-PER: #00ff00; --sorot-card-bg: #ffeeaa; font-size: 40px; }
</style><article id="a"><p>Kim Jong Un di Moskow</p></article>`, {
      head: `<script type="module" src="/widget/sorot-widget.js" data-root="#a" data-renderer="${renderer}" data-panel></script>`,
    });
    const p = await open(url);
    await updated(p, 'a');
    const rect = (text) => inspect(p, (lib, text) => {
      const r = lib.painted().find((x) => x.text === text).range.getBoundingClientRect();
      return { x: Math.round(r.x + 3), y: Math.round(r.y + 3), width: Math.round(r.width - 6), height: Math.round(r.height - 6) };
    }, text);
    assert.equal(await dominantColor(p, await rect('Kim Jong Un')), '#00ff00', 'PER from the root');
    assert.equal(await dominantColor(p, await rect('Moskow')), '#ff00ff', 'LOC from the document');
    assert.equal(await p.evaluate(() => getComputedStyle(document.querySelector('[data-sorot-owner="widget-panel"]').shadowRoot.querySelector('.panel')).backgroundColor), 'rgb(32, 32, 32)');
    // The card, shown for a mention in the root, takes the root's --sorot-card-bg.
    await p.locator('[data-sorot-owner="widget-panel"] .list button', { hasText: 'Kim Jong Un' }).click();
    await p.locator('[data-sorot-owner]:not([data-sorot-owner="widget-panel"]) .card').waitFor({ state: 'visible' });
    assert.equal(await p.evaluate(() => {
      const host = [...document.querySelectorAll('[data-sorot-owner]')].find((h) => h.shadowRoot?.querySelector('.card'));
      return getComputedStyle(host.shadowRoot.querySelector('.card')).backgroundColor;
    }), 'rgb(255, 238, 170)');
    assert.deepEqual(p.errors, []);
    await p.closeAll();
  });
}

test('<sorot-highlight>: a gazetteer that cannot be loaded (invalid, 404, not UTF-8, 1,000 problems) keeps the highlights it had; the panel says why, bounded; a good one replaces them', async () => {
  files.set('/w/invalid.json', { type: 'application/json', body: JSON.stringify({ entities: [{ id: 'x', name: '', type: 'LOC' }] }) });
  files.set('/w/latin1.tsv', { type: 'text/tab-separated-values', body: Buffer.from('id\ttype\tname\ng\tLOC\tGoth\xe1m\n', 'latin1') });
  files.set('/w/many.json', { type: 'application/json', body: JSON.stringify({ entities: Array.from({ length: 1000 }, (_, i) => ({ id: `e${i}`, name: '', type: 'LOC' })) }) });
  files.set('/w/other.tsv', { type: 'text/tab-separated-values', body: 'id\ttype\tname\nwayne\tORG\tWayne Enterprises\n' });
  const url = page('keep.html', '<sorot-highlight id="el" gazetteer="mini.json" panel lang="en"><p>Gotham dan Wayne Enterprises.</p></sorot-highlight>', {
    head: '<script type="module" src="/widget/sorot-widget.js"></script>',
  });
  const p = await open(url);
  await updated(p, 'el');
  const texts = () => inspect(p, (lib) => lib.paintedTexts(document.getElementById('el')));
  assert.deepEqual(await texts(), ['Gotham', 'Wayne Enterprises']);
  const base = env.url;
  const tryGazetteer = async (name, n) => {
    await p.evaluate((name) => { document.getElementById('el').gazetteer = name; }, name);
    await waitIn(p, (lib, n) => lib.panelState()?.messages.length === n, n);
    return inspect(p, (lib) => lib.panelState().messages.at(-1));
  };
  assert.equal(await tryGazetteer('invalid.json', 1), `${base}w/invalid.json: entities[0] ("x"): "name" is empty`);
  assert.deepEqual(await texts(), ['Gotham', 'Wayne Enterprises']);
  assert.equal(await tryGazetteer('nowhere.json', 2), `${base}w/nowhere.json: cannot load the gazetteer: HTTP 404`);
  assert.match(await tryGazetteer('latin1.tsv', 3), new RegExp(`^${base}w/latin1\\.tsv: .*UTF-8`));
  const many = await tryGazetteer('many.json', 4);
  assert.match(many.split('\n')[0], /: 1,000 problems/);
  // The report scrolls inside the panel, which stays in the window.
  const layout = await inspect(p, (lib) => {
    const root = lib.panelOf();
    const msg = [...root.querySelectorAll('.msg')].at(-1);
    const panel = root.querySelector('.panel').getBoundingClientRect();
    return { msg: msg.getBoundingClientRect().height, scrolls: msg.scrollHeight > msg.clientHeight, top: panel.top, list: root.querySelector('.list').getBoundingClientRect().height };
  });
  assert.ok(layout.msg <= 8 * 13 * 1.4 + 2, `the message is ${layout.msg} px high`);
  assert.equal(layout.scrolls, true);
  assert.ok(layout.top >= 0, 'the panel stays in the window');
  assert.deepEqual(await texts(), ['Gotham', 'Wayne Enterprises']);
  assert.deepEqual((await inspect(p, (lib) => lib.panelState())).entities, ['Gotham Place 1×', 'Wayne Enterprises Organisation 1×']);
  // A good gazetteer: the new highlights, and the old messages gone with the old root's session.
  await p.evaluate(() => { document.getElementById('el').gazetteer = 'other.tsv'; });
  await updated(p, 'el', 2);
  assert.deepEqual(await texts(), ['Wayne Enterprises']);
  await waitIn(p, (lib) => lib.panelState()?.messages.length === 0);
  assert.deepEqual(p.errors.filter((e) => !/Failed to load resource/.test(e)).length, 4);
  await p.closeAll();
});

test('the panel counts types named constructor and toString', async () => {
  files.set('/w/proto.json', {
    type: 'application/json',
    body: JSON.stringify({
      lang: 'en',
      types: { constructor: { label: 'Builder', color: '#ffd54f' }, toString: { label: 'Stringy', color: '#81d4fa' }, valueOf: { label: 'Valued', color: '#c5e1a5' } },
      entities: [{ id: '__proto__', name: 'Bob Builder', type: 'constructor' }, { id: 'constructor', name: 'Gotham', type: 'toString' }],
    }),
  });
  const url = page('proto.html', '<div id="r"><p>Bob Builder di Gotham. Bob Builder lagi.</p></div>', {
    head: '<script type="module" src="/widget/sorot-widget.js" data-root="#r" data-gazetteer="proto.json" data-panel data-lang="en"></script>',
  });
  const p = await open(url);
  await updated(p, 'r');
  await waitIn(p, (lib) => lib.panelState()?.entities.length === 2);
  const state = await inspect(p, (lib) => lib.panelState());
  assert.deepEqual({ total: state.total, counts: state.counts, entities: state.entities }, {
    total: '3', counts: ['Builder 2', 'Stringy 1'], entities: ['Bob Builder Builder 2×', 'Gotham Stringy 1×'],
  });
  assert.deepEqual(await p.evaluate(() => window.__updates.at(-1).counts), { constructor: 2, toString: 1 });
  assert.deepEqual(p.errors, []);
  await p.closeAll();
});

test('a name 43 places share: the panel names the first few others and how many more, and the card alike', async () => {
  files.set('/w/cities.json', {
    type: 'application/json',
    body: JSON.stringify({
      lang: 'en',
      entities: Array.from({ length: 43 }, (_, i) => ({ id: `sj-${i}`, name: `San José ${i + 1}`, type: 'LOC', aliases: ['San José'] })),
    }),
  });
  const url = page('cities.html', '<div id="r"><p>San José, lalu San José lagi.</p></div>', {
    head: '<script type="module" src="/widget/sorot-widget.js" data-root="#r" data-gazetteer="cities.json" data-panel data-lang="en"></script>',
  });
  const p = await open(url);
  await updated(p, 'r');
  await waitIn(p, (lib) => lib.panelState()?.entities.length === 1);
  const also = await p.evaluate(() => [...document.querySelector('[data-sorot-owner="widget-panel"]').shadowRoot.querySelectorAll('.amb')].map((e) => e.textContent));
  assert.deepEqual(also, ['Could also be: San José 2, San José 3, San José 4, San José 5, San José 6, and 37 more']);
  assert.deepEqual(p.errors, []);
  await p.closeAll();
});
