// The browser extension, built (dist/extension-chromium/) and loaded in headless
// Chromium: news sites served from this machine (extension-helpers.mjs), pages
// whose Content-Security-Policy runs no script at all, the popup and the options
// page opened as tabs, the service worker stopped while a page is open.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_SITES, sitePattern } from '../../www/extension/sites.js';
import { BUILDS, ROOT, expectedSpans, getSettings, leaked, pageState, setSettings, start, tabId, until } from './extension-helpers.mjs';

const STRICT = "default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; object-src 'none'";
const ARTICLE = '<article><h1>Lavrov dan Kim di Moskow</h1><p>Menlu Rusia Sergey Lavrov bertemu Kim Jong Un di Moskow.</p>'
  + '<p>Setelah itu <a href="/x">Kim</a> Jong <b>Un</b> kembali ke Pyongyang, lalu ke Jakarta.</p></article>';
const page = (body, lang = 'id') => `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>test</title></head><body>${body}</body></html>`;
const BROKEN_TSV = 'id\ttype\tname\nx\tPER\t\n';
const TSV = 'id\ttype\tname\taliases\tshort\tdescription\turl\n'
  + 'zorblax-quentin\tPER\tZorblax Quentin\t\tZorblax\tTokoh rekaan untuk uji\thttps://example.org/zq\n';

const LATIN1_TSV = Buffer.from('id\ttype\tname\nzq\tPER\tZorbl\xe1x Quentin\n', 'latin1');
/** Types named after Object.prototype's members (undeclared: listed with their keys as labels). */
const PROTO_TSV = 'id\ttype\tname\n__proto__\tconstructor\tBob Builder\nconstructor\tconstructor\tWendy Worker\ntoString\ttoString\tGotham\n';
const MANY_JSON = JSON.stringify({ entities: Array.from({ length: 1000 }, (_, i) => ({ id: `e${i}`, name: '', type: 'LOC' })) });

const routes = new Map([
  ['/strict', () => page(ARTICLE)],
  ['/spa', () => page(`<div id="app">${ARTICLE}</div>`)],
  ['/plain', () => page('<p>Prabowo Subianto berbicara di Jakarta tentang Rusia.</p>')],
  ['/zorblax', () => page('<p>Zorblax Quentin tiba di Jakarta. Kata Zorblax, semua baik.</p>')],
  ['/people.tsv', () => TSV],
  ['/latin1.tsv', () => LATIN1_TSV],
  ['/proto', () => page('<p>Bob Builder bertemu Wendy Worker di Gotham. Bob Builder pulang.</p>')],
  ['/scoped', () => page('<header><p>Prabowo Subianto</p></header><main><article><p>Joko Widodo di Surabaya.</p></article></main><footer>Jakarta</footer>')],
  ['/framed', () => page('<p>Prabowo Subianto di Jakarta.</p><iframe src="/frame" width="400" height="100"></iframe>')],
  ['/frame', () => page('<p>Vladimir Putin di Moskow.</p>')],
]);

let env;
before(async () => {
  env = await start({
    hosts: ['www.kompas.com', 'www.bbc.com', 'news.example.org'],
    handle: (req, res, url) => {
      const route = routes.get(url.pathname);
      if (!route) return false;
      const tsv = url.pathname.endsWith('.tsv');
      res.writeHead(200, {
        'content-type': tsv ? 'text/tab-separated-values; charset=utf-8' : 'text/html; charset=utf-8',
        ...(tsv ? {} : { 'content-security-policy': `${STRICT}; frame-src 'self'` }),
        'cache-control': 'no-store',
      }).end(route());
      return true;
    },
  });
});
after(async () => { await env?.close(); });

async function open(url) {
  const p = await env.context.newPage();
  p.errors = [];
  p.on('pageerror', (e) => p.errors.push(e.message));
  await p.goto(url);
  return p;
}

/** Waits until the page is painted exactly as find() on its text says, and returns that state. */
async function paintedAsFound(p, what, gazetteer) {
  let last = null;
  return until(async () => {
    const state = await pageState(p);
    if (state.painted.length === 0) return null;
    const want = await expectedSpans(env, state, gazetteer);
    last = { painted: state.painted, want: want.spans };
    return JSON.stringify(state.painted) === JSON.stringify(want.spans) ? { ...state, matches: want.matches } : null;
  }, () => `${what}: highlights equal to find() (${JSON.stringify(last)?.slice(0, 300)})`);
}

async function reset() {
  await setSettings(env, null);
}

test('the manifest asks for exactly the permissions the README lists', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Permissions'), readme.indexOf('\n### ', readme.indexOf('### Permissions') + 5));
  assert.ok(section.length > 20, 'README has a "### Permissions" section');
  const documented = [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);
  for (const build of Object.values(BUILDS)) {
    const m = JSON.parse(readFileSync(path.join(build, 'manifest.json'), 'utf8'));
    assert.deepEqual([...m.permissions, ...m.optional_host_permissions].sort(), [...documented].filter((p) => p !== 'host_permissions').sort(), build);
    assert.deepEqual(m.host_permissions, DEFAULT_SITES.map(sitePattern), `${build}: host_permissions are the default sites`);
    // Each default site is named in the README.
    for (const site of DEFAULT_SITES) assert.ok(readme.includes(site.slice(2)), `README names ${site}`);
    assert.ok(!('content_scripts' in m), 'the content script is registered at run time for the site list only');
  }
});

test('a page with script-src \'none\' on a default site is highlighted, as find() says, with a card and a badge', async () => {
  await reset();
  const p = await open('https://www.kompas.com/strict');
  const state = await paintedAsFound(p, 'strict page');
  assert.deepEqual(state.pieces.map((x) => x.text),
    ['Lavrov', 'Kim', 'Moskow', 'Rusia', 'Sergey Lavrov', 'Kim Jong Un', 'Moskow', 'Kim', ' Jong ', 'Un', 'Pyongyang', 'Jakarta']);
  // The page's policy really is in force: an inline script does not run.
  assert.equal(await p.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.ran = true';
    document.head.append(s);
    return window.ran === true;
  }), false);
  // Hovering a highlight shows its card.
  const box = await p.evaluate(() => {
    const text = document.querySelector('p').firstChild;
    const r = document.createRange();
    r.setStart(text, text.data.indexOf('Sergey'));
    r.setEnd(text, text.data.indexOf('Sergey') + 6);
    const b = r.getBoundingClientRect();
    return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  });
  await p.mouse.move(box.x, box.y);
  const card = await until(() => p.evaluate(() => {
    const host = [...document.documentElement.children].find((e) => e.hasAttribute('data-sorot-owner') && e.shadowRoot);
    return host?.shadowRoot.querySelector('.card')?.textContent ?? null;
  }), 'the card');
  assert.match(card, /Sergey Lavrov/);
  assert.match(card, /Menteri Luar Negeri Rusia/);
  const tab = await tabId(env, p.url());
  const control = await env.control();
  assert.equal(await until(() => control.evaluate((t) => chrome.action.getBadgeText({ tabId: t }), tab), 'the badge'), '6');
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('a default site over plain http is highlighted too', async () => {
  await reset();
  const p = await open('http://www.kompas.com/plain');
  if (new URL(p.url()).protocol === 'https:') {
    await p.close();
    return; // this browser upgraded the site to https (HSTS): covered by the test above
  }
  const state = await paintedAsFound(p, 'http page');
  assert.deepEqual(state.pieces.map((x) => x.text), ['Prabowo Subianto', 'Jakarta', 'Rusia']);
  await p.close();
});

test('a page on a site that is not enabled is left untouched', async () => {
  await reset();
  const p = await open('https://news.example.org/strict');
  const before = await p.evaluate(() => document.documentElement.outerHTML);
  // Give a content script every chance to run; then nothing may have changed.
  const control = await env.control();
  const tab = await tabId(env, p.url());
  await p.waitForTimeout(1500);
  assert.equal(await p.evaluate(() => CSS.highlights.size), 0);
  assert.equal(await p.evaluate(() => document.documentElement.outerHTML), before);
  assert.equal(tab, null, 'the extension cannot even see the tab\'s URL (no permission for the site)');
  assert.deepEqual(await control.evaluate(async () => (await chrome.scripting.getRegisteredContentScripts())[0].matches.includes('*://news.example.org/*')), false);
  await p.close();
});

test('each frame is highlighted once, by its own content script; the badge and the popup count both', async () => {
  await reset();
  const p = await open('https://www.kompas.com/framed');
  await paintedAsFound(p, 'the top frame');
  const frame = p.frames().find((f) => f.url().endsWith('/frame'));
  assert.ok(frame, 'the frame loaded');
  const inFrame = await until(async () => {
    const state = await frame.evaluate(pageState.expression);
    return state.pieces.length > 0 ? state : null;
  }, 'the frame highlighted');
  assert.deepEqual(inFrame.pieces.map((x) => x.text), ['Vladimir Putin', 'Moskow']);
  // The top frame's highlighter does not reach into the frame: one highlight per name.
  assert.deepEqual((await pageState(p)).pieces.map((x) => x.text), ['Prabowo Subianto', 'Jakarta']);
  const tab = await tabId(env, p.url());
  const control = await env.control();
  assert.equal(await until(async () => {
    const text = await control.evaluate((t) => chrome.action.getBadgeText({ tabId: t }), tab);
    return text === '4' ? text : null;
  }, 'the badge counting both frames'), '4');
  const popup = await open(env.page(`popup.html?tab=${tab}`));
  const names = await until(async () => {
    const r = await popup.$$eval('#entities .entity .name', (els) => els.map((e) => e.textContent));
    return r.length === 4 ? r : null;
  }, 'the popup listing both frames');
  assert.deepEqual(names, ['Prabowo Subianto', 'Jakarta', 'Vladimir Putin', 'Moskow']);
  await Promise.all([popup.close(), p.close()]);
});

test('"only the article" reads the page\'s <article>', async () => {
  await setSettings(env, { scope: 'article' });
  const p = await open('https://www.kompas.com/scoped');
  const state = await until(async () => {
    const s = await pageState(p);
    return s.pieces.length > 0 ? s : null;
  }, 'the article highlighted');
  await p.waitForTimeout(300);
  assert.deepEqual((await pageState(p)).pieces.map((x) => x.text), ['Joko Widodo', 'Surabaya']);
  assert.ok(state);
  await p.close();
});

test('a single-page app that replaces its article and appends paragraphs stays highlighted', async () => {
  await reset();
  const p = await open('https://www.kompas.com/spa');
  await paintedAsFound(p, 'the first article');
  await p.evaluate(() => {
    document.getElementById('app').innerHTML = '<article><h1>Jokowi ke Surabaya</h1><p>Presiden Joko Widodo tiba di Surabaya.</p></article>';
    history.pushState({}, '', '/spa/2');
  });
  const second = await paintedAsFound(p, 'the replaced article');
  assert.ok(second.pieces.some((x) => x.text === 'Surabaya'));
  assert.ok(!second.pieces.some((x) => x.text === 'Pyongyang'));
  for (let i = 0; i < 3; i++) {
    await p.evaluate((n) => {
      const para = document.createElement('p');
      para.textContent = n === 2 ? 'Vladimir Putin di Moskow.' : `Berita ${n}: Prabowo Subianto di Bandung.`;
      document.querySelector('article').append(para);
    }, i);
  }
  const third = await paintedAsFound(p, 'appended paragraphs');
  assert.ok(third.pieces.some((x) => x.text === 'Vladimir Putin'));
  assert.equal(third.pieces.filter((x) => x.text === 'Bandung').length, 2);
  // The badge follows: Joko Widodo, Surabaya, Prabowo Subianto, Bandung, Vladimir Putin, Moskow;
  // a navigation within the page (pushState) alone does not clear it.
  const tab = await tabId(env, p.url());
  const control = await env.control();
  const badge = () => control.evaluate((t) => chrome.action.getBadgeText({ tabId: t }), tab);
  await until(async () => (await badge()) === '6', 'the badge of the changed page');
  await p.evaluate(() => history.pushState({}, '', '/spa/3'));
  await p.waitForTimeout(500);
  assert.equal(await badge(), '6');
  await p.close();
});

test('the popup lists the page\'s entities, shows one on click, hides a type; its switch turns the site off and on', async () => {
  await reset();
  const p = await open('https://www.kompas.com/strict');
  await paintedAsFound(p, 'strict page');
  const tab = await tabId(env, p.url());
  const popup = await open(env.page(`popup.html?tab=${tab}`));
  await popup.waitForSelector('body[data-ready]');
  const rows = await until(async () => {
    const r = await popup.$$eval('#entities .entity', (els) => els.map((e) => [e.querySelector('.name').textContent, e.querySelector('.type').textContent, e.querySelector('.mentions').textContent]));
    return r.length > 0 ? r : null;
  }, 'the entity list');
  assert.deepEqual(rows, [
    ['Sergey Lavrov', 'Orang', '×2'], ['Kim Jong Un', 'Orang', '×3'], ['Moskow', 'Tempat', '×2'], ['Rusia', 'Tempat', '×1'],
    ['Pyongyang', 'Tempat', '×1'], ['Jakarta', 'Tempat', '×1'],
  ]);
  assert.match(await popup.textContent('#total'), /^6 entities, 10 mentions$/);
  // A click on "Jakarta" shows its card in the page.
  await popup.click('#entities .entity[data-id="jakarta"]');
  const card = await until(() => p.evaluate(() => {
    const host = [...document.documentElement.children].find((e) => e.hasAttribute('data-sorot-owner') && e.shadowRoot);
    return host?.shadowRoot.querySelector('.card .name')?.textContent ?? null;
  }), () => 'the card of Jakarta');
  assert.equal(card, 'Jakarta');
  // Turning places off leaves only the people painted.
  await popup.uncheck('#types input[data-type="LOC"]');
  await until(async () => (await pageState(p)).pieces.every((x) => x.type === 'PER'), 'places hidden');
  await popup.check('#types input[data-type="LOC"]');
  await until(async () => (await pageState(p)).pieces.some((x) => x.type === 'LOC'), 'places shown again');
  // The site switch: off removes the highlights (and the site from the settings), on brings them back.
  assert.equal(await popup.isChecked('#site'), true);
  await popup.uncheck('#site');
  await until(async () => (await pageState(p)).painted.length === 0, 'the highlights gone');
  const off = await getSettings(env);
  assert.ok(!off.sites.includes('*.kompas.com'));
  // The popup says why (it may first show the page's report that nothing is drawn).
  assert.equal(await until(async () => {
    const text = await popup.evaluate(() => document.getElementById('empty').textContent);
    return text === 'sorot is off on this site.' ? text : null;
  }, 'the popup saying the site is off'), 'sorot is off on this site.');
  await popup.check('#site');
  await paintedAsFound(p, 'the site on again');
  assert.ok((await getSettings(env)).sites.includes('www.kompas.com'));
  // Off for the site: a new page there is not highlighted.
  await popup.uncheck('#site');
  await until(async () => (await pageState(p)).painted.length === 0, 'the highlights gone again');
  const again = await open('https://www.kompas.com/plain');
  await again.waitForTimeout(1000);
  assert.equal(await again.evaluate(() => CSS.highlights.size), 0);
  await Promise.all([again.close(), popup.close(), p.close()]);
});

test('on a site that is off, the popup\'s "Highlight this page" highlights that page only; the shortcut\'s toggle takes the highlights away and back', async () => {
  await setSettings(env, { sites: ['*.bbc.com'] }); // kompas.com off (its permission stays: a default site)
  const p = await open('https://www.kompas.com/strict');
  await p.waitForTimeout(800);
  assert.equal(await p.evaluate(() => CSS.highlights.size), 0);
  const tab = await tabId(env, p.url());
  const popup = await open(env.page(`popup.html?tab=${tab}`));
  await popup.waitForSelector('body[data-ready]');
  assert.equal(await popup.isChecked('#site'), false);
  assert.equal(await popup.textContent('#empty'), 'sorot is off on this site.');
  await popup.click('#highlight');
  await paintedAsFound(p, 'the page asked for');
  await until(() => popup.evaluate(() => document.querySelectorAll('#entities .entity').length === 6), 'the popup\'s list');
  assert.equal(await popup.isHidden('#highlight'), true);
  // What Alt+Shift+S sends to the page: off, then on again.
  const control = await env.control();
  const toggle = () => control.evaluate((t) => chrome.tabs.sendMessage(t, { sorotExtension: 1, kind: 'toggle' }), tab);
  assert.deepEqual(await toggle(), { ok: true, value: false });
  await until(async () => (await pageState(p)).painted.length === 0, 'the highlights removed');
  assert.deepEqual(await toggle(), { ok: true, value: true });
  await paintedAsFound(p, 'the highlights back');
  // The site itself stays off.
  const other = await open('https://www.kompas.com/plain');
  await other.waitForTimeout(800);
  assert.equal(await other.evaluate(() => CSS.highlights.size), 0);
  assert.deepEqual((await getSettings(env)).sites, ['*.bbc.com']);
  await Promise.all([other.close(), popup.close(), p.close()]);
});

test('the options page adds a TSV gazetteer (its entities appear on the next page load); a bad one shows its error and changes nothing', async () => {
  await reset();
  const options = await open(env.page('options.html'));
  await options.waitForSelector('body[data-ready]');
  // A bad file: the engine's message (the CLI's) next to the control, nothing stored.
  const before = await getSettings(env);
  await options.setInputFiles('#add-file', { name: 'broken.tsv', mimeType: 'text/tab-separated-values', buffer: Buffer.from(BROKEN_TSV) });
  const error = await until(() => options.evaluate(() => { const e = document.getElementById('add-file-error'); return e.hidden ? null : e.textContent; }), 'the error');
  assert.match(error, /^broken\.tsv: line 2/);
  // The message `sorot check` gives for the same file.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sorot-ext-cli-'));
  writeFileSync(path.join(dir, 'broken.tsv'), BROKEN_TSV);
  const cli = spawnSync(path.join(ROOT, 'target/debug/sorot'), ['check', 'broken.tsv'], { cwd: dir, encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  assert.equal(cli.status, 2);
  assert.equal(error, cli.stderr.split('\n')[0]);
  assert.deepEqual(await getSettings(env), before);
  assert.equal(await options.evaluate(() => document.querySelectorAll('#gazetteers li').length), 1);
  // A good one.
  await options.setInputFiles('#add-file', { name: 'people.tsv', mimeType: 'text/tab-separated-values', buffer: Buffer.from(TSV) });
  await until(() => options.evaluate(() => document.querySelectorAll('#gazetteers li').length === 2), 'the new gazetteer listed');
  assert.equal(await options.evaluate(() => document.getElementById('add-file-error').hidden), true);
  const stored = await getSettings(env);
  assert.deepEqual(stored.gazetteers.map((g) => [g.source, g.name ?? g.id, g.entities ?? null]), [['default', 'default', null], ['file', 'people.tsv', 1]]);
  const p = await open('https://www.kompas.com/zorblax');
  const state = await paintedAsFound(p, 'the added gazetteer', ['default', { text: TSV, name: 'people.tsv' }]);
  assert.deepEqual(state.pieces.map((x) => x.text), ['Zorblax Quentin', 'Jakarta', 'Zorblax']);
  // A colour per type: the open page is drawn again in it.
  const sheetColors = () => p.evaluate(() => document.adoptedStyleSheets.flatMap((sheet) => [...sheet.cssRules].map((r) => r.cssText))
    .filter((t) => /-t-PER\)/.test(t)).join(' '));
  assert.doesNotMatch(await sheetColors(), /rgb\(255, 0, 0\)|#ff0000/);
  await options.$eval('#color-PER', (input) => { input.value = '#ff0000'; input.dispatchEvent(new Event('change')); });
  await until(async () => /rgb\(255, 0, 0\)|#ff0000/.test(await sheetColors()), "people drawn in the new colour");
  assert.deepEqual((await getSettings(env)).colors, { PER: '#ff0000' });
  // The default gazetteer off: only the added one is used.
  await options.uncheck('#gazetteers li[data-id="default"] input[type="checkbox"]');
  await until(async () => {
    const s = await pageState(p);
    return s.pieces.map((x) => x.text).join('|') === 'Zorblax Quentin|Zorblax';
  }, 'only the added gazetteer');
  await Promise.all([p.close(), options.close()]);
});

test('a gazetteer from a URL is fetched after its site is allowed, and refreshed', async () => {
  await reset();
  const options = await open(env.page('options.html'));
  await options.waitForSelector('body[data-ready]');
  await options.fill('#add-url', 'https://www.kompas.com/missing.tsv');
  await options.click('#add-url-button');
  const error = await until(() => options.evaluate(() => { const e = document.getElementById('add-url-error'); return e.hidden ? null : e.textContent; }), 'the error');
  assert.equal(error, 'https://www.kompas.com/missing.tsv: cannot load the gazetteer: HTTP 404');
  await options.fill('#add-url', 'https://www.kompas.com/people.tsv');
  await options.click('#add-url-button');
  await until(() => options.evaluate(() => document.querySelectorAll('#gazetteers li').length === 2), 'the URL gazetteer listed');
  const g = (await getSettings(env)).gazetteers[1];
  assert.equal(g.url, 'https://www.kompas.com/people.tsv');
  assert.equal(g.entities, 1);
  const fetched = env.served.filter((u) => u.endsWith('/people.tsv')).length;
  await options.click(`#gazetteers li[data-id="${g.id}"] button:text("Refresh")`);
  await until(() => env.served.filter((u) => u.endsWith('/people.tsv')).length === fetched + 1, 'the refresh');
  // Removed: gone from the settings, and its text from the store.
  const storedTexts = () => options.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('sorot');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const count = open.result.transaction('gazetteers').objectStore('gazetteers').count();
      count.onsuccess = () => { resolve(count.result); open.result.close(); };
    };
  }));
  assert.equal(await storedTexts(), 1);
  await options.click(`#gazetteers li[data-id="${g.id}"] button:text("Remove")`);
  await until(async () => (await getSettings(env)).gazetteers.length === 1, 'the gazetteer removed');
  await until(async () => (await storedTexts()) === 0, 'its text deleted');
  await options.close();
});

test('settings export and import; a bad import changes nothing and says why', async () => {
  await reset();
  const options = await open(env.page('options.html'));
  await options.waitForSelector('body[data-ready]');
  await options.setInputFiles('#add-file', { name: 'people.tsv', mimeType: 'text/tab-separated-values', buffer: Buffer.from(TSV) });
  await until(() => options.evaluate(() => document.querySelectorAll('#gazetteers li').length === 2), 'the new gazetteer listed');
  await options.selectOption('#renderer', 'mark');
  await until(async () => (await getSettings(env)).renderer === 'mark', 'the renderer saved');
  const [download] = await Promise.all([options.waitForEvent('download'), options.click('#export')]);
  const exported = readFileSync(await download.path(), 'utf8');
  const file = JSON.parse(exported);
  assert.equal(file.sorot, 'settings');
  assert.equal(file.renderer, 'mark');
  assert.equal(Object.values(file.gazetteerTexts)[0], TSV);
  const saved = await getSettings(env);
  // A newer version, a bad site: refused, nothing changed.
  for (const [name, text, why] of [
    ['newer.json', JSON.stringify({ ...file, version: 99 }), /settings\.version: 99 was written by a newer sorot/],
    ['site.json', JSON.stringify({ ...file, sites: ['https://bad/'] }), /settings\.sites\[0\]: "https:\/\/bad\/" is not a host name/],
    ['other.json', '{"a": 1}', /not a settings file/],
  ]) {
    await options.setInputFiles('#import', { name, mimeType: 'application/json', buffer: Buffer.from(text) });
    const error = await until(() => options.evaluate(() => { const e = document.getElementById('import-error'); return e.hidden ? null : e.textContent; }), `the error for ${name}`);
    assert.match(error, why);
    assert.ok(error.startsWith(`${name}: `) && error.endsWith('Nothing was changed.'));
    assert.deepEqual(await getSettings(env), saved);
  }
  // Back to the defaults, then the exported file restores everything, the gazetteer's text with it.
  await setSettings(env, null);
  await options.evaluate(() => indexedDB.deleteDatabase('sorot'));
  await options.reload();
  await options.waitForSelector('body[data-ready]');
  await options.setInputFiles('#import', { name: 'sorot-settings.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
  await until(async () => (await getSettings(env))?.renderer === 'mark', 'the import');
  assert.deepEqual(await getSettings(env), saved);
  const p = await open('https://www.kompas.com/zorblax');
  await until(async () => (await p.evaluate(() => document.querySelectorAll('mark[data-sorot-owner]').length)) === 3, 'marks from the imported settings');
  await Promise.all([p.close(), options.close()]);
});

test('after the service worker is stopped, an open page keeps following changes and a new page is highlighted', async () => {
  await reset();
  const p = await open('https://www.kompas.com/spa');
  await paintedAsFound(p, 'before the stop');
  const cdp = await env.context.newCDPSession(p);
  const states = [];
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const v of versions) if (v.scriptURL.startsWith(`chrome-extension://${env.id}/`)) states.push(v.runningStatus);
  });
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await until(() => states.includes('stopped'), 'the service worker stopped');
  // What the popup and the badge know of the page outlives the service worker.
  const tab = await tabId(env, p.url());
  const control = await env.control();
  const frames = await control.evaluate(async (t) => (await chrome.runtime.sendMessage({ sorotExtension: 1, kind: 'tabState', tabId: t })).value.frames.length, tab);
  assert.equal(frames, 1);
  assert.equal(await control.evaluate((t) => chrome.action.getBadgeText({ tabId: t }), tab), '6');
  await p.evaluate(() => {
    const para = document.createElement('p');
    para.textContent = 'Sesudahnya Presiden Joko Widodo terbang ke Surabaya.';
    document.querySelector('article').append(para);
  });
  const after = await paintedAsFound(p, 'the change after the stop');
  assert.ok(after.pieces.some((x) => x.text === 'Surabaya'));
  assert.ok(states.lastIndexOf('running') > states.indexOf('stopped'), `the service worker ran again: ${states.join(', ')}`);
  await cdp.send('ServiceWorker.stopAllWorkers');
  const fresh = await open('https://www.bbc.com/plain');
  const state = await paintedAsFound(fresh, 'a new page after the stop');
  assert.deepEqual(state.pieces.map((x) => x.text), ['Prabowo Subianto', 'Jakarta', 'Rusia']);
  await Promise.all([fresh.close(), p.close()]);
});

test('the options page refuses a gazetteer that is not UTF-8 (file or URL) and shows 1,000 problems in a bounded box; types named constructor and toString are counted in the popup and coloured in the options', async () => {
  await reset();
  const options = await open(env.page('options.html'));
  await options.waitForSelector('body[data-ready]');
  const before = await getSettings(env);
  const errorOf = (id) => until(() => options.evaluate((id) => { const e = document.getElementById(id); return e.hidden ? null : e.textContent; }, id), `the error in #${id}`);
  // Not UTF-8, from a file: what `sorot check` says of it.
  await options.setInputFiles('#add-file', { name: 'latin1.tsv', mimeType: 'text/tab-separated-values', buffer: LATIN1_TSV });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sorot-ext-cli-'));
  writeFileSync(path.join(dir, 'latin1.tsv'), LATIN1_TSV);
  writeFileSync(path.join(dir, 'many.json'), MANY_JSON);
  const cli = (name) => spawnSync(path.join(ROOT, 'target/debug/sorot'), ['check', name], { cwd: dir, encoding: 'utf8' }).stderr.split('\n')[0].replace(/^sorot: /, '');
  assert.equal(await errorOf('add-file-error'), cli('latin1.tsv'));
  // Not UTF-8, from a URL.
  await options.fill('#add-url', 'https://www.kompas.com/latin1.tsv');
  await options.click('#add-url-button');
  assert.equal(await errorOf('add-url-error'), `https://www.kompas.com/latin1.tsv: ${cli('latin1.tsv').replace(/^latin1\.tsv: /, '')}`);
  // 1,000 problems: the CLI's heading (the true count), in a box that scrolls.
  await options.setInputFiles('#add-file', { name: 'many.json', mimeType: 'application/json', buffer: Buffer.from(MANY_JSON) });
  await until(() => options.evaluate(() => document.getElementById('add-file-error').textContent.startsWith('many.json')), 'the report of many.json');
  const report = await errorOf('add-file-error');
  assert.equal(report.split('\n')[0], cli('many.json'));
  rmSync(dir, { recursive: true, force: true });
  const box = await options.$eval('#add-file-error', (e) => ({ height: e.getBoundingClientRect().height, scrolls: e.scrollHeight > e.clientHeight }));
  assert.ok(box.height <= 12 * 14 * 1.4 + 2, `the report is ${box.height} px high`);
  assert.equal(box.scrolls, true);
  // No entities (an empty JSON Lines file, a header alone): refused, not added.
  for (const [name, text] of [['empty.jsonl', ''], ['header.tsv', 'id\ttype\tname\n']]) {
    await options.setInputFiles('#add-file', { name, mimeType: 'text/plain', buffer: Buffer.from(text) });
    await until(() => options.evaluate((name) => document.getElementById('add-file-error').textContent.startsWith(name), name), `the error for ${name}`);
    assert.equal(await errorOf('add-file-error'), `${name}: the gazetteer has no entities (nothing to highlight)`);
  }
  assert.deepEqual(await getSettings(env), before);
  // Types named constructor and toString: their colours are the gazetteer's, their counts right.
  await options.setInputFiles('#add-file', { name: 'proto.tsv', mimeType: 'text/tab-separated-values', buffer: Buffer.from(PROTO_TSV) });
  await until(() => options.evaluate(() => document.querySelectorAll('#gazetteers li').length === 2), 'the new gazetteer listed');
  const colors = await until(() => options.evaluate(() => {
    const get = (t) => document.getElementById(`color-${t}`);
    return get('constructor') && get('toString') ? ['constructor', 'toString'].map((t) => [get(t).value, get(t).parentElement.querySelector('button').disabled]) : null;
  }), 'the colours of the new types');
  for (const [value, resetDisabled] of colors) {
    assert.notEqual(value, '#000000', 'a colour of its own, not Object.prototype.constructor');
    assert.equal(resetDisabled, true);
  }
  const p = await open('https://www.kompas.com/proto');
  await until(async () => (await pageState(p)).pieces.length === 4, 'the page highlighted');
  const tab = await tabId(env, p.url());
  const popup = await open(env.page(`popup.html?tab=${tab}`));
  await popup.waitForSelector('body[data-ready]');
  const types = await until(async () => {
    const t = await popup.$$eval('#types label', (els) => els.map((l) => [l.querySelector('input').dataset.type, l.querySelector('.count').textContent]));
    return t.length > 0 ? t : null;
  }, 'the popup\'s types');
  assert.deepEqual(types, [['constructor', '3'], ['toString', '1']]);
  assert.match(await popup.textContent('#total'), /^3 entities, 4 mentions$/);
  await Promise.all([popup.close(), p.close(), options.close()]);
});

/** A TSV of `n` entities of `n` types of their own (TYPE0…): two of 600 are over the 1,000 types a merged set may have. */
const manyTypes = (prefix, n) => ['id\ttype\tname', ...Array.from({ length: n }, (_, i) => `${prefix}${i}\t${prefix.toUpperCase()}${i}\t${prefix} nama ${i}`)].join('\n');

/** Adds a TSV gazetteer in the options page, and waits until the list has `count` items. */
async function addTsv(options, name, text, count) {
  await options.setInputFiles('#add-file', { name, mimeType: 'text/tab-separated-values', buffer: Buffer.from(text) });
  await until(() => options.evaluate((n) => document.querySelectorAll('#gazetteers li').length === n, count), `${name} listed`);
}

/** The text of the error box `selector` of the options page, once shown. */
const shownError = (options, selector, what) => until(() => options.evaluate((s) => {
  const e = document.querySelector(s);
  return e && !e.closest('[hidden]') ? e.textContent : null;
}, selector), what);

test('the options page saves a change of the gazetteer list only when the gazetteers it turns on load together; the error stays by the gazetteer; an import alike', async () => {
  await reset();
  const options = await open(env.page('options.html'));
  await options.waitForSelector('body[data-ready]');
  await addTsv(options, 'a.tsv', manyTypes('ta', 600), 2);
  const [, a] = (await getSettings(env)).gazetteers;
  const toggle = options.locator(`#gazetteers li[data-id="${a.id}"] input[type="checkbox"]`);
  await toggle.uncheck();
  await until(async () => (await getSettings(env)).gazetteers[1].enabled === false, 'a.tsv turned off');
  await addTsv(options, 'b.tsv', manyTypes('tb', 600), 3);
  const saved = await getSettings(env);
  // On again, it would make 1,200 types with b.tsv: refused, by its checkbox.
  await toggle.check();
  const error = await shownError(options, `#gazetteer-error-${a.id}`, 'the error by a.tsv');
  assert.match(error, /more than 1,000 types together, the limit\. Nothing was changed\.$/);
  assert.equal(await toggle.isChecked(), false, 'the checkbox shows what is saved');
  assert.deepEqual(await getSettings(env), saved);
  // The list is drawn again when the settings change elsewhere (the popup): the error stays.
  await setSettings(env, { ...saved, sites: ['*.bbc.com'] });
  await until(() => options.evaluate(() => document.getElementById('sites').value === '*.bbc.com'), 'the options page following the change');
  assert.equal(await shownError(options, `#gazetteer-error-${a.id}`, 'the error still shown'), error);
  // Moving it before b.tsv changes nothing that is on: saved, and its error is gone.
  await options.click(`#gazetteers li[data-id="${a.id}"] button[title^="Later"]`);
  await until(async () => (await getSettings(env)).gazetteers[2].id === a.id, 'a.tsv moved');
  assert.equal(await options.isVisible(`#gazetteer-error-${a.id}`), false);
  // The colours list what is on.
  assert.equal(await options.isVisible('#colors-error'), false);
  assert.ok(await options.evaluate(() => document.querySelectorAll('#colors li').length) >= 600);
  // A settings file with both on: refused before anything is stored.
  const now = await getSettings(env);
  const file = JSON.stringify({ sorot: 'settings', ...now, gazetteers: now.gazetteers.map((g) => ({ ...g, enabled: true })) });
  await options.setInputFiles('#import', { name: 'both.json', mimeType: 'application/json', buffer: Buffer.from(file) });
  assert.match(await shownError(options, '#import-error', 'the import error'), /^both\.json: merged gazetteer: more than 1,000 types together, the limit\. Nothing was changed\.$/);
  assert.deepEqual(await getSettings(env), now);
  await options.close();
});

test('turning off, removing or moving a gazetteer whose entities replace those of another is refused too when the rest would pass a limit; moving one that replaces nothing is saved', async () => {
  await reset();
  let options = await open(env.page('options.html'));
  await options.waitForSelector('body[data-ready]');
  // b.tsv gives a.tsv's 600 entities (and so their 600 types) one type: with it, a.tsv and c.tsv load together.
  await addTsv(options, 'a.tsv', manyTypes('ta', 600), 2);
  await addTsv(options, 'b.tsv', ['id\ttype\tname', ...Array.from({ length: 600 }, (_, i) => `ta${i}\tLOC\tGanti ${i}`)].join('\n'), 3);
  await addTsv(options, 'c.tsv', manyTypes('tc', 600), 4);
  const saved = await getSettings(env);
  const b = saved.gazetteers[2];
  const item = `#gazetteers li[data-id="${b.id}"]`;
  await options.locator(`${item} input[type="checkbox"]`).uncheck();
  const error = await shownError(options, `#gazetteer-error-${b.id}`, 'the error by b.tsv');
  assert.match(error, /more than 1,000 types together, the limit\. Nothing was changed\.$/);
  assert.equal(await options.locator(`${item} input[type="checkbox"]`).isChecked(), true);
  await options.click(`${item} button[title^="Remove"]`);
  await until(() => options.evaluate((s) => document.querySelector(s)?.textContent.includes('Nothing was changed') === true, `#gazetteer-error-${b.id}`), 'the remove refused');
  assert.deepEqual(await getSettings(env), saved);
  // Moving b.tsv (on) before a.tsv: a.tsv's entities would replace b.tsv's, with
  // their 600 types: refused, the order kept.
  // (A new options page: no error shown yet.)
  await options.close();
  options = await open(env.page('options.html'));
  await options.waitForSelector('body[data-ready]');
  assert.equal(await options.isVisible(`#gazetteer-error-${b.id}`), false);
  await options.click(`${item} button[title^="Earlier"]`);
  assert.match(await shownError(options, `#gazetteer-error-${b.id}`, 'the error by b.tsv'), /more than 1,000 types together, the limit\. Nothing was changed\.$/);
  assert.deepEqual(await getSettings(env), saved);
  assert.deepEqual(await options.evaluate(() => [...document.querySelectorAll('#gazetteers li')].map((li) => li.dataset.id)),
    saved.gazetteers.map((g) => g.id), 'the list shows the order saved');
  // Moving c.tsv (on) before b.tsv changes no entity that wins: saved.
  const c = saved.gazetteers[3];
  await options.click(`#gazetteers li[data-id="${c.id}"] button[title^="Earlier"]`);
  await until(async () => (await getSettings(env)).gazetteers[2].id === c.id, 'c.tsv moved');
  assert.deepEqual((await getSettings(env)).gazetteers.map((g) => g.id), [saved.gazetteers[0], saved.gazetteers[1], c, b].map((g) => g.id));
  await options.close();
});

test('a change of the settings is read and written in one step across the extension\'s pages: one made meanwhile (the popup) is kept', async () => {
  await reset();
  const options = await open(env.page('options.html'));
  await options.waitForSelector('body[data-ready]');
  const big = ['id\ttype\tname', ...Array.from({ length: 30_000 }, (_, i) => `kota${i}\tLOC\tKota Nomor ${i}`)].join('\n');
  await addTsv(options, 'big.tsv', big, 2);
  const [, g] = (await getSettings(env)).gazetteers;
  const box = `#gazetteers li[data-id="${g.id}"] input[type="checkbox"]`;
  await options.locator(box).uncheck();
  await until(async () => (await getSettings(env)).gazetteers[1].enabled === false, 'big.tsv turned off');
  await until(() => options.evaluate((b) => document.querySelector(b)?.checked === false, box), 'the list drawn');
  const p = await open('https://www.kompas.com/plain');
  const popup = await open(env.page(`popup.html?tab=${await tabId(env, p.url())}`));
  await popup.waitForSelector('body[data-ready]');
  assert.equal(await popup.isChecked('#site'), true);
  await options.evaluate(() => {
    window.__stored = [];
    chrome.storage.onChanged.addListener((c) => {
      const s = c.settings?.newValue;
      if (s) window.__stored.push(`kompas ${s.sites.includes('*.kompas.com') ? 'on' : 'off'}, big.tsv ${s.gazetteers[1]?.enabled ? 'on' : 'off'}`);
    });
  });
  // Another page (the control page, as the popup does) holds the settings' lock:
  // the options page turns big.tsv on, checks it, and waits for the lock.
  const control = await env.control();
  await control.evaluate(() => new Promise((held) => {
    navigator.locks.request('sorot-settings', () => { held(); return new Promise((release) => { window.__release = release; }); });
  }));
  const waiting = () => until(() => control.evaluate(async () => (await navigator.locks.query()).pending.length > 0), 'a change waiting for the lock');
  await options.evaluate((b) => document.querySelector(b).click(), box);
  await waiting();
  // Meanwhile that page turns kompas.com off, then lets go.
  await control.evaluate(async () => {
    const { settings } = await chrome.storage.local.get('settings');
    await chrome.storage.local.set({ settings: { ...settings, sites: settings.sites.filter((x) => x !== '*.kompas.com') } });
    window.__release();
  });
  await until(() => options.evaluate(() => window.__stored.length === 2), 'both changes written');
  assert.deepEqual(await options.evaluate(() => window.__stored), ['kompas off, big.tsv off', 'kompas off, big.tsv on']);
  await until(() => options.evaluate(() => !document.getElementById('sites').value.includes('*.kompas.com')), 'the options page showing both');
  assert.equal(await options.locator(box).isChecked(), true);
  // The popup's switch waits alike: kompas.com on again while the lock is held,
  // big.tsv off in the meantime, and both are kept.
  await control.evaluate(() => new Promise((held) => {
    navigator.locks.request('sorot-settings', () => { held(); return new Promise((release) => { window.__release = release; }); });
  }));
  await popup.reload();
  await popup.waitForSelector('body[data-ready]');
  assert.equal(await popup.isChecked('#site'), false);
  await popup.evaluate(() => document.getElementById('site').click());
  await waiting();
  await control.evaluate(async () => {
    const { settings } = await chrome.storage.local.get('settings');
    await chrome.storage.local.set({ settings: { ...settings, gazetteers: settings.gazetteers.map((x, i) => (i === 1 ? { ...x, enabled: false } : x)) } });
    window.__release();
  });
  await until(async () => (await getSettings(env)).sites.some((x) => x.includes('kompas.com')), 'kompas.com on again');
  assert.equal((await getSettings(env)).gazetteers[1].enabled, false, 'the other change kept');
  await Promise.all([options.close(), popup.close(), p.close()]);
});

test('the popup names the first few other entities an ambiguous name could be, and how many more', async () => {
  await reset();
  const options = await open(env.page('options.html'));
  await options.waitForSelector('body[data-ready]');
  // Eight places named Jakarta besides the default gazetteer's: nine candidates.
  const tsv = ['id\ttype\tname\taliases', ...Array.from({ length: 8 }, (_, i) => `jkt-${i}\tLOC\tJakarta ${i + 1}\tJakarta`)].join('\n');
  await addTsv(options, 'jakartas.tsv', tsv, 2);
  await options.close();
  const p = await open('https://www.kompas.com/plain');
  await until(async () => (await pageState(p)).pieces.some((x) => x.text === 'Jakarta'), 'Jakarta painted');
  const popup = await open(env.page(`popup.html?tab=${await tabId(env, p.url())}`));
  await popup.waitForSelector('body[data-ready]');
  const title = await until(() => popup.evaluate(() => document.querySelector('#entities .entity .ambiguous')?.title ?? null), 'the ambiguous entity');
  // In the popup's language (English), on an Indonesian page too.
  assert.equal(title, 'Could also be: Jakarta 1, Jakarta 2, Jakarta 3, Jakarta 4, Jakarta 5, and 3 more');
  await Promise.all([popup.close(), p.close()]);
});

test('stored settings this version cannot use are said at the top of the options page, and kept aside when something is saved over them', async () => {
  const newer = { version: 99, sites: ['*.kompas.com'], gazetteers: [], futureField: true };
  await setSettings(env, newer);
  const options = await open(env.page('options.html'));
  await options.waitForSelector('body[data-ready]');
  const problem = await shownError(options, '#settings-problem-text', 'the problem at the top');
  assert.match(problem, /^The stored settings cannot be used \(settings\.version: 99 was written by a newer sorot \(this one reads up to version 1\)\), so the defaults are shown\./);
  assert.equal(await options.isVisible('#settings-problem-forget'), false);
  const [download] = await Promise.all([options.waitForEvent('download'), options.click('#settings-problem-download')]);
  assert.deepEqual(JSON.parse(readFileSync(await download.path(), 'utf8')), newer);
  // A change saves the defaults with it, and keeps what was stored.
  await options.selectOption('#renderer', 'mark');
  await until(async () => (await getSettings(env))?.renderer === 'mark', 'the change saved');
  const control = await env.control();
  const kept = await control.evaluate(async () => (await chrome.storage.local.get('settingsUnusable')).settingsUnusable);
  assert.deepEqual(kept.settings, newer);
  assert.match(kept.problem, /settings\.version: 99/);
  assert.match(await shownError(options, '#settings-problem-text', 'the kept copy said'), /^Settings that could not be used \(settings\.version: 99 .*\) were kept aside on \d{4}-\d\d-\d\d/);
  const [again] = await Promise.all([options.waitForEvent('download'), options.click('#settings-problem-download')]);
  assert.deepEqual(JSON.parse(readFileSync(await again.path(), 'utf8')), newer);
  await options.click('#settings-problem-forget');
  await until(() => options.evaluate(() => document.getElementById('settings-problem').hidden), 'the notice gone');
  assert.equal(await control.evaluate(async () => (await chrome.storage.local.get('settingsUnusable')).settingsUnusable ?? null), null);
  await options.close();
  await reset();
});

test('no request left this machine during the suite', () => {
  assert.deepEqual(leaked(env), [], 'requests refused by the test proxy (anything but the test\'s own sites)');
  assert.ok(env.served.length > 10, 'the test sites were reached through the proxy');
  if (env.refused.length > 0) console.log(`the browser's own requests, refused: ${env.refused.length} (${[...new Set(env.refused.map((r) => r.split('?')[0]))].join('; ')})`);
});
