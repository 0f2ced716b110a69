// The demo page in headless Chromium, as a visitor uses it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setup, newPage, dominantColor, ROOT } from './helpers.mjs';

/** Gazetteers the demo's URL field loads, served at /g/NAME (a name not here: 404). */
const SERVED = new Map([
  ['people.tsv', Buffer.from('id\ttype\tname\nzq\tPER\tZorblax Quentin\n')],
  ['latin1.tsv', Buffer.from('id\ttype\tname\nzq\tPER\tZorbl\xe1x\n', 'latin1')],
  ['many.json', Buffer.from(JSON.stringify({ entities: Array.from({ length: 1000 }, (_, i) => ({ id: `e${i}`, name: '', type: 'LOC' })) }))],
  // Served 1.5 s late (a slow network).
  ['slow-jakarta.tsv', Buffer.from('id\ttype\tname\tdescription\njr\tLOC\tJakarta\tIbu kota, dari URL\n')],
]);

let env;
before(async () => {
  env = await setup({
    handle: (req, res) => {
      const m = /^\/g\/([^/?]+)$/.exec(req.url);
      if (!m || !SERVED.has(m[1])) return false;
      const send = () => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(SERVED.get(m[1]));
      if (m[1].startsWith('slow-')) setTimeout(send, 1500);
      else send();
      return true;
    },
  });
});

/** What `sorot check` says first of one of SERVED's files (its name, then the message). */
function cliFirstLine(name) {
  const dir = mkdtempSync(path.join(tmpdir(), 'sorot-demo-cli-'));
  writeFileSync(path.join(dir, name), SERVED.get(name));
  const cli = spawnSync(path.join(ROOT, 'target/debug/sorot'), ['check', name], { cwd: dir, encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  return cli.stderr.split('\n')[0].replace(/^sorot: /, '');
}
after(async () => { await env?.close(); });

/** The reviewed entities of the sample article: [surface, type, id] in order. */
const EXPECTED = readFileSync(path.join(ROOT, 'tests/fixtures/lavrov-kim-id.expected.tsv'), 'utf8')
  .split('\n').filter((l) => l && !l.startsWith('#')).slice(1)
  .map((l) => l.split('\t').slice(1));

const COLORS = { PER: '#ffd54f', LOC: '#81d4fa', ORG: '#c5e1a5' };

async function openDemo() {
  const page = await newPage(env.browser);
  await page.goto(env.url);
  await page.waitForFunction(() => document.documentElement.dataset.demo);
  return page;
}

/** What is highlighted in the article, whatever draws it: [text, type] per painted piece. */
function painted(page) {
  return page.evaluate(async () => {
    const { painted } = await import('/__test/inspect.mjs');
    const owner = document.querySelector('#article mark')?.dataset.sorotOwner
      ?? [...CSS.highlights.keys()].map((k) => /^(.*)-\d+-[tn]-/.exec(k)?.[1]).find(Boolean);
    return owner ? painted(owner, document).map((p) => [p.text, p.type]) : [];
  });
}

/** The viewport rectangle of the first painted piece with this text, scrolled into view. */
function rectOf(page, text) {
  return page.evaluate(async (text) => {
    const { painted } = await import('/__test/inspect.mjs');
    const owner = [...CSS.highlights.keys()].map((k) => /^(.*)-\d+-[tn]-/.exec(k)?.[1]).find(Boolean)
      ?? document.querySelector('#article mark').dataset.sorotOwner;
    const { range } = painted(owner, document).find((p) => p.text === text);
    range.startContainer.parentElement.scrollIntoView({ block: 'center' });
    const r = range.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  }, text);
}

const inside = (r) => ({ x: Math.round(r.x + 2), y: Math.round(r.y + 2), width: Math.round(r.width - 4), height: Math.round(r.height - 4) });

async function switchTo(page, id, value) {
  await page.evaluate(() => { document.documentElement.dataset.demo = ''; });
  await page.selectOption(`#${id}`, value);
  await page.waitForFunction(() => document.documentElement.dataset.demo === 'ready');
}

test('the demo loads without errors and highlights every entity of the sample article with the Highlight API', async () => {
  const page = await openDemo();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.demo), 'ready');
  assert.deepEqual(await painted(page), EXPECTED.map(([text, type]) => [text, type]));
  assert.match(await page.textContent('#status'),
    new RegExp(`^${EXPECTED.length} highlights in \\d+(\\.\\d)? ms, drawn with the CSS Custom Highlight API$`));
  assert.equal(await page.$$eval('#article mark', (els) => els.length), 0);
  // The legend counts each type.
  const counts = await page.$$eval('#legend .count', (els) => Object.fromEntries(els.map((e) => [e.dataset.type, Number(e.textContent)])));
  const want = {};
  for (const [, type] of EXPECTED) want[type] = (want[type] ?? 0) + 1;
  assert.deepEqual(counts, want);
  // Each type is painted in its colour.
  for (const type of ['PER', 'LOC', 'ORG']) {
    const [text] = EXPECTED.find(([, t]) => t === type);
    assert.equal(await dominantColor(page, inside(await rectOf(page, text))), COLORS[type], type);
  }
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the renderer switch draws the same entities with <mark> elements and back', async () => {
  const page = await openDemo();
  await switchTo(page, 'renderer', 'mark');
  assert.match(await page.textContent('#status'), /, drawn with <mark> elements$/);
  const marks = await page.evaluate(() => {
    const byMatch = new Map();
    for (const m of document.querySelectorAll('#article mark[data-sorot-match]')) {
      const k = m.getAttribute('data-sorot-match');
      const entry = byMatch.get(k) ?? { text: '', type: m.getAttribute('data-sorot-type'), id: m.getAttribute('data-sorot-id') };
      entry.text += m.textContent;
      byMatch.set(k, entry);
    }
    return [...byMatch.values()].map((e) => [e.text, e.type, e.id]);
  });
  assert.deepEqual(marks, EXPECTED);
  assert.equal(await page.evaluate(() => CSS.highlights.size), 0);
  const colors = await page.$$eval('#article mark', (els) => [...new Set(els.map((e) => `${e.dataset.sorotType}=${getComputedStyle(e).backgroundColor}`))].sort());
  assert.deepEqual(colors, ['LOC=rgb(129, 212, 250)', 'ORG=rgb(197, 225, 165)', 'PER=rgb(255, 213, 79)']);
  await switchTo(page, 'renderer', 'highlight-api');
  assert.equal(await page.$$eval('#article mark', (els) => els.length), 0);
  assert.deepEqual(await painted(page), EXPECTED.map(([text, type]) => [text, type]));
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the overlap switch adds the names nested in longer ones', async () => {
  const page = await openDemo();
  await switchTo(page, 'overlap', 'all');
  const all = await painted(page);
  const count = Number((await page.textContent('#status')).split(' ')[0]);
  assert.equal(count, all.length);
  assert.ok(count > EXPECTED.length);
  // "Kementerian Luar Negeri Rusia" keeps its own highlight and "Rusia" inside it gets one too.
  const i = all.findIndex(([text]) => text === 'Kementerian Luar Negeri Rusia');
  assert.deepEqual(all[i], ['Kementerian Luar Negeri Rusia', 'ORG']);
  const inner = all.slice(i + 1).filter(([text]) => 'Kementerian Luar Negeri Rusia'.includes(text));
  assert.deepEqual(inner.find(([text]) => text === 'Rusia'), ['Rusia', 'LOC']);
  await switchTo(page, 'overlap', 'longest');
  assert.deepEqual(await painted(page), EXPECTED.map(([text, type]) => [text, type]));
  await page.close();
});

test('hovering a highlight shows its card; Alt+ArrowDown moves to the next entity', async () => {
  const page = await openDemo();
  const lavrov = await rectOf(page, 'Sergey Lavrov');
  await page.mouse.move(lavrov.x + lavrov.width / 2, lavrov.y + lavrov.height / 2);
  const card = page.locator('[data-sorot-owner] >> .card');
  await card.waitFor({ state: 'visible' });
  assert.match(await card.textContent(), /^Sergey Lavrov.*Orang.*Menteri Luar Negeri Rusia sejak 2004.*id\.wikipedia\.org\/wiki\/Sergey_Lavrov/);
  assert.equal(await card.locator('a').getAttribute('href'), 'https://id.wikipedia.org/wiki/Sergey_Lavrov');
  // Moving away hides it.
  await page.mouse.move(1, 1);
  await card.waitFor({ state: 'hidden' });
  // From the keyboard: the first entity, then the next.
  await page.keyboard.press('Alt+ArrowDown');
  await card.waitFor({ state: 'visible' });
  assert.equal(await card.locator('.name').textContent(), 'Sergey Lavrov'); // "Lavrov", the first mention
  await page.keyboard.press('Alt+ArrowDown');
  await page.waitForFunction(() => document.querySelector('[data-sorot-owner]')?.shadowRoot.querySelector('.name')?.textContent === 'Rusia');
  await page.keyboard.press('Escape');
  await card.waitFor({ state: 'hidden' });
  // With marks, Tab reaches the highlights too.
  await switchTo(page, 'renderer', 'mark');
  await page.focus('#legend input[data-type="ORG"]');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), EXPECTED[0][0]);
  await card.waitFor({ state: 'visible' });
  assert.match(await card.textContent(), /^Sergey Lavrov/);
  await page.keyboard.press('Escape');
  await card.waitFor({ state: 'hidden' });
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a legend toggle hides and shows one type', async () => {
  const page = await openDemo();
  const per = inside(await rectOf(page, 'Sergey Lavrov'));
  const loc = inside(await rectOf(page, 'Pyongyang'));
  assert.equal(await dominantColor(page, per), COLORS.PER);
  await page.uncheck('#legend input[data-type="PER"]');
  assert.equal(await dominantColor(page, per), '#ffffff');
  assert.equal(await dominantColor(page, loc), COLORS.LOC);
  await page.check('#legend input[data-type="PER"]');
  assert.equal(await dominantColor(page, per), COLORS.PER);
  // A hidden type stays hidden when the renderer changes.
  await page.uncheck('#legend input[data-type="PER"]');
  await switchTo(page, 'renderer', 'mark');
  assert.equal(await page.$eval('#article mark[data-sorot-type="PER"]', (e) => getComputedStyle(e).backgroundColor), 'rgba(0, 0, 0, 0)');
  assert.equal(await page.$eval('#article mark[data-sorot-type="LOC"]', (e) => getComputedStyle(e).backgroundColor), 'rgb(129, 212, 250)');
  await page.close();
});

test('pasted text is highlighted, one paragraph per line, as find() sees it', async () => {
  const page = await openDemo();
  const lines = ['Presiden bertemu Vladimir Putin di Moskow.', 'Putin lalu ke Pyongyang.'];
  await page.fill('#text-input', lines.join('\n'));
  await page.click('#highlight-text');
  await page.waitForFunction(() => document.querySelectorAll('#article p').length === 2);
  // The same text given to find() as plain text, the lines as paragraphs.
  const expected = await page.evaluate(async (text) => {
    const { createHighlighter } = await import('/__test/sorot.mjs');
    return (await (await createHighlighter()).find(text)).map((m) => m.text);
  }, lines.join('\u2029'));
  assert.deepEqual(expected, ['Vladimir Putin', 'Moskow', 'Putin', 'Pyongyang']);
  assert.deepEqual((await painted(page)).map(([text]) => text), expected);
  assert.match(await page.textContent('#status'), /^4 highlights in /);
  await page.close();
});

test('gazetteer errors are shown on the page', async () => {
  const page = await openDemo();
  await page.fill('#gazetteer-input', '{"entities": [{"id": "x", "name": "", "type": "LOC"}]}');
  await page.click('#use-gazetteer');
  await page.locator('#error-use').waitFor({ state: 'visible' });
  assert.equal(await page.textContent('#error-use'), 'Gazetteer not loaded: gazetteer 2: entities[0] ("x"): "name" is empty');
  // The page keeps working with the gazetteer it had.
  assert.equal((await painted(page)).length, EXPECTED.length);
  await page.fill('#gazetteer-input', '{"entities": [');
  await page.click('#use-gazetteer');
  await page.waitForFunction(() => document.getElementById('error-use').textContent.includes('invalid JSON'));
  assert.equal(await page.textContent('#error-use'), 'Gazetteer not loaded: gazetteer 2: invalid JSON at line 1, column 14: EOF while parsing a list');
  await page.close();
});

test('gazetteer data is shown as text, never run as HTML; javascript: links are refused', async () => {
  const page = await openDemo();
  const evil = '<img src=x onerror="window.pwned=1">';
  const gazetteer = {
    types: { EVIL: { label: evil, color: '#ff0000' } },
    entities: [{ id: 'evil', name: `Jakarta ${evil}`, type: 'EVIL', aliases: ['Jakarta'], description: evil, url: 'https://example.org/<script>' }],
  };
  await page.uncheck('#merge-default');
  await page.fill('#gazetteer-input', JSON.stringify(gazetteer));
  await page.click('#use-gazetteer');
  await page.fill('#text-input', 'Banjir di Jakarta.');
  await page.click('#highlight-text');
  await page.waitForFunction(() => /^1 highlight /.test(document.getElementById('status').textContent));
  const jakarta = await rectOf(page, 'Jakarta');
  await page.mouse.move(jakarta.x + jakarta.width / 2, jakarta.y + jakarta.height / 2);
  const card = page.locator('[data-sorot-owner] >> .card');
  await card.waitFor({ state: 'visible' });
  assert.equal(await card.locator('.name').textContent(), `Jakarta ${evil}`);
  assert.equal(await card.locator('.desc').textContent(), evil);
  assert.equal(await page.locator('[data-sorot-owner] >> img').count(), 0);
  assert.equal(await page.textContent('#legend'), `${evil} (EVIL)1`);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  // A javascript: link is rejected with a message on the page.
  gazetteer.entities[0].url = 'javascript:alert(1)';
  await page.fill('#gazetteer-input', JSON.stringify(gazetteer));
  await page.click('#use-gazetteer');
  await page.locator('#error-use').waitFor({ state: 'visible' });
  assert.equal(await page.textContent('#error-use'),
    'Gazetteer not loaded: gazetteer: entities[0] ("evil"): url "javascript:alert(1)" is not an http: or https: link');
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.deepEqual(page.errors.filter((e) => !e.includes('example.org')), []);
  await page.close();
});

test('what the reader does runs in order: text highlighted while a gazetteer is still loading is highlighted with that gazetteer', async () => {
  const page = await openDemo();
  await page.uncheck('#merge-default');
  await page.fill('#gazetteer-url', '/g/slow-jakarta.tsv');
  await page.click('#load-gazetteer-url');
  // Before the gazetteer has come: the default one is still in use.
  await page.fill('#text-input', 'Banjir di Jakarta.');
  await page.click('#highlight-text');
  await page.waitForFunction(() => /^1 highlight /.test(document.getElementById('status').textContent));
  assert.match(await page.textContent('#gazetteer-info'), /^In use: .*slow-jakarta\.tsv \(1 entity\)\.$/);
  const jakarta = await rectOf(page, 'Jakarta');
  await page.mouse.move(jakarta.x + jakarta.width / 2, jakarta.y + jakarta.height / 2);
  const card = page.locator('[data-sorot-owner] >> .card');
  await card.waitFor({ state: 'visible' });
  assert.equal(await card.locator('.desc').textContent(), 'Ibu kota, dari URL');
  assert.equal(await page.textContent('#article'), 'Banjir di Jakarta.');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a gazetteer URL that does not answer in time is given up, with the error next to the field; what the reader asks next runs, and the late gazetteer is not used', async () => {
  const page = await openDemo();
  const inUse = await page.textContent('#gazetteer-info');
  // The demo waits 30 s; this page 0.3 s (the gazetteer comes after 1.5 s).
  await page.evaluate(() => { document.getElementById('gazetteer-url').dataset.timeoutMs = '300'; });
  await page.uncheck('#merge-default');
  await page.fill('#gazetteer-url', '/g/slow-jakarta.tsv');
  await page.click('#load-gazetteer-url');
  await page.fill('#text-input', 'Banjir di Jakarta.');
  await page.click('#highlight-text');
  await page.waitForFunction(() => !document.getElementById('error-url').hidden);
  assert.equal(await page.textContent('#error-url'), "Gazetteer not loaded: no answer in 0.3 s (the gazetteer's server, or the network)");
  await page.waitForFunction(() => /^1 highlight /.test(document.getElementById('status').textContent));
  // After the gazetteer has come: still the one in use before.
  await page.waitForTimeout(2000);
  assert.equal(await page.textContent('#gazetteer-info'), inUse);
  assert.deepEqual(await painted(page), [['Jakarta', 'LOC']]);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('type keys named constructor and toString: the legend counts them, the cards show their labels', async () => {
  const page = await openDemo();
  await page.uncheck('#merge-default');
  await page.fill('#gazetteer-input', JSON.stringify({
    types: { constructor: { label: 'Builder', color: '#ffd54f' }, toString: { label: 'Stringy', color: '#81d4fa' }, valueOf: { label: 'Valued', color: '#c5e1a5' } },
    entities: [
      { id: '__proto__', name: 'Bob Builder', type: 'constructor' },
      { id: 'constructor', name: 'Wendy Worker', type: 'constructor' },
      { id: 'toString', name: 'Gotham', type: 'toString' },
    ],
  }));
  await page.evaluate(() => { document.documentElement.dataset.demo = ''; });
  await page.click('#use-gazetteer');
  await page.waitForFunction(() => document.documentElement.dataset.demo === 'ready');
  await page.fill('#text-input', 'Bob Builder met Wendy Worker in Gotham.\nBob Builder left Gotham.');
  await page.click('#highlight-text');
  await page.waitForFunction(() => /^5 highlights /.test(document.getElementById('status').textContent));
  const legend = await page.$$eval('#legend label', (els) => els.map((l) => l.textContent));
  assert.deepEqual(legend, ['Builder (constructor)3', 'Stringy (toString)2', 'Valued (valueOf)0']);
  const gotham = await rectOf(page, 'Gotham');
  await page.mouse.move(gotham.x + gotham.width / 2, gotham.y + gotham.height / 2);
  const card = page.locator('[data-sorot-owner] >> .card');
  await card.waitFor({ state: 'visible' });
  assert.equal(await card.locator('.type').textContent(), 'Stringy');
  // The toggle of a type named constructor hides its highlights only.
  await page.uncheck('#legend input[data-type="constructor"]');
  assert.deepEqual(await painted(page), [['Gotham', 'toString'], ['Gotham', 'toString']]);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a gazetteer from a URL: loaded, or its error (404, not UTF-8, 1,000 problems) next to the URL field, bounded; the gazetteer in use stays', async () => {
  const page = await openDemo();
  const inUse = await page.textContent('#gazetteer-info');
  const load = async (name) => {
    await page.evaluate(() => { document.getElementById('error-url').hidden = true; });
    await page.fill('#gazetteer-url', name.includes(':') ? name : `/g/${name}`);
    await page.click('#load-gazetteer-url');
    await page.waitForFunction(() => !document.getElementById('error-url').hidden);
    return page.textContent('#error-url');
  };
  const url = (name) => `${env.url}g/${name}`;
  assert.equal(await load('missing.tsv'), `Gazetteer not loaded: ${url('missing.tsv')}: cannot load the gazetteer: HTTP 404`);
  assert.match(await load('latin1.tsv'), new RegExp(`^Gazetteer not loaded: ${url('latin1.tsv').replace(/[.]/g, '\\.')}: .*UTF-8`));
  assert.equal(await load('ftp://example.org/x.tsv'), 'Gazetteer not loaded: "ftp://example.org/x.tsv" is not an http: or https: URL.');
  // 1,000 problems: headed with their true count (as the CLI says), the list scrolls in a bounded box.
  const many = await load('many.json');
  assert.equal(many.split('\n')[0], `Gazetteer not loaded: ${url('many.json')}: ${cliFirstLine('many.json').replace(/^many\.json: /, '')}`);
  const box = await page.$eval('#error-url', (e) => ({
    height: e.getBoundingClientRect().height, scrolls: e.scrollHeight > e.clientHeight, focusable: e.tabIndex === 0,
    wide: document.documentElement.scrollWidth > innerWidth,
  }));
  assert.ok(box.height <= 300, `the error box is ${box.height} px high`);
  assert.deepEqual({ ...box, height: 0 }, { height: 0, scrolls: true, focusable: true, wide: false });
  for (const id of ['error-use', 'error-file', 'error-text']) assert.equal(await page.isVisible(`#${id}`), false);
  // The page keeps the gazetteer it had.
  assert.equal(await page.textContent('#gazetteer-info'), inUse);
  assert.equal((await painted(page)).length, EXPECTED.length);
  // A good one is merged with the default gazetteer.
  await page.fill('#gazetteer-url', '/g/people.tsv');
  await page.evaluate(() => { document.documentElement.dataset.demo = ''; });
  await page.click('#load-gazetteer-url');
  await page.waitForFunction(() => document.documentElement.dataset.demo === 'ready');
  assert.match(await page.textContent('#gazetteer-info'), new RegExp(`^In use: default \\+ ${url('people.tsv').replace(/[.]/g, '\\.')} \\(\\d+ entities\\)\\.$`));
  assert.equal(await page.isVisible('#error-url'), false);
  assert.deepEqual(page.errors.filter((e) => !/Failed to load resource/.test(e)), []);
  await page.close();
});

test('a gazetteer file that is not UTF-8 is refused with where, as the CLI says; the gazetteer in use stays', async () => {
  const page = await openDemo();
  const inUse = await page.textContent('#gazetteer-info');
  await page.setInputFiles('#gazetteer-file', { name: 'latin1.tsv', mimeType: 'text/tab-separated-values', buffer: SERVED.get('latin1.tsv') });
  await page.locator('#error-file').waitFor({ state: 'visible' });
  assert.equal(await page.textContent('#error-file'), `Gazetteer not loaded: ${cliFirstLine('latin1.tsv')}`);
  assert.equal(await page.inputValue('#gazetteer-input'), '', 'no text with replacement characters');
  assert.equal(await page.textContent('#gazetteer-info'), inUse);
  assert.equal((await painted(page)).length, EXPECTED.length);
  await page.close();
});

test('a gazetteer file that does not load leaves the pasted text in the paste box; one that loads is shown there', async () => {
  const page = await openDemo();
  const inUse = await page.textContent('#gazetteer-info');
  const pasted = 'id\ttype\tname\njkt\tLOC\tJakarta\n';
  await page.fill('#gazetteer-input', pasted);
  await page.setInputFiles('#gazetteer-file', { name: 'cut.json', mimeType: 'application/json', buffer: Buffer.from('{"entities": [') });
  await page.locator('#error-file').waitFor({ state: 'visible' });
  assert.match(await page.textContent('#error-file'), /^Gazetteer not loaded: .*cut\.json/);
  assert.equal(await page.inputValue('#gazetteer-input'), pasted, 'what the reader pasted is still there');
  assert.equal(await page.textContent('#gazetteer-info'), inUse);
  assert.equal((await painted(page)).length, EXPECTED.length);
  const good = JSON.stringify({ entities: [{ id: 'kim', name: 'Kim Jong Un', type: 'PER' }] });
  await page.uncheck('#merge-default');
  await page.evaluate(() => { document.documentElement.dataset.demo = ''; });
  await page.setInputFiles('#gazetteer-file', { name: 'kim.json', mimeType: 'application/json', buffer: Buffer.from(good) });
  await page.waitForFunction(() => document.documentElement.dataset.demo === 'ready');
  assert.equal(await page.inputValue('#gazetteer-input'), good);
  assert.equal(await page.textContent('#gazetteer-info'), 'In use: kim.json (1 entity).');
  assert.equal(await page.isVisible('#error-file'), false);
  await page.close();
});

test('a renderer the browser lacks is said next to the switches, and the article is then drawn with the other one', async () => {
  const page = await newPage(env.browser);
  // A browser without the CSS Custom Highlight API.
  await page.addInitScript(() => { delete window.Highlight; });
  await page.goto(env.url);
  await page.waitForFunction(() => document.documentElement.dataset.demo === 'ready');
  assert.match(await page.textContent('#status'), /drawn with <mark> elements$/);
  await page.evaluate(() => { document.documentElement.dataset.demo = ''; });
  await page.selectOption('#renderer', 'highlight-api');
  await page.waitForFunction(() => document.documentElement.dataset.demo === 'error');
  assert.equal(await page.textContent('#error-load'), 'Not highlighted: renderer "highlight-api": this browser has no CSS Custom Highlight API (use "auto" or "mark")');
  assert.equal(await page.textContent('#status'), 'Not highlighted.');
  assert.equal(await page.locator('#article mark').count(), 0);
  assert.equal(await page.locator('#legend li').count(), 0, 'no legend for highlights that are not there');
  await page.evaluate(() => { document.documentElement.dataset.demo = ''; });
  await page.selectOption('#renderer', 'mark');
  await page.waitForFunction(() => document.documentElement.dataset.demo === 'ready');
  assert.equal(await page.isVisible('#error-load'), false);
  assert.equal((await painted(page)).length, EXPECTED.length);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('when the default gazetteer did not load, "Highlight this text" says why next to its button', async () => {
  const page = await newPage(env.browser);
  await page.route('**/default.sorot', (route) => route.abort('internetdisconnected'));
  await page.goto(env.url);
  await page.waitForFunction(() => document.documentElement.dataset.demo === 'error');
  assert.match(await page.textContent('#error-load'), /default\.sorot/);
  await page.fill('#text-input', 'Presiden Joko Widodo di Jakarta.');
  await page.click('#highlight-text');
  await page.locator('#error-text').waitFor({ state: 'visible' });
  assert.match(await page.textContent('#error-text'), /^Not highlighted: no gazetteer is loaded/);
  assert.equal(await page.isVisible('#error-load'), true, 'why it did not load stays in view');
  assert.equal(await page.textContent('#article'), 'Presiden Joko Widodo di Jakarta.');
  assert.deepEqual(page.errors.filter((e) => !/Failed to load resource/.test(e)), []);
  await page.close();
});

test('a gazetteer over a limit (a name of 1,001 characters) is refused next to the paste box with the limit it passes; the gazetteer in use stays', async () => {
  const page = await openDemo();
  const inUse = await page.textContent('#gazetteer-info');
  const gazetteer = JSON.stringify({ entities: [{ id: 'x', name: 'a'.repeat(1001), type: 'LOC' }] });
  SERVED.set('long.json', Buffer.from(gazetteer));
  await page.uncheck('#merge-default');
  await page.fill('#gazetteer-input', gazetteer);
  await page.click('#use-gazetteer');
  await page.locator('#error-use').waitFor({ state: 'visible' });
  assert.equal(await page.textContent('#error-use'), `Gazetteer not loaded: gazetteer: ${cliFirstLine('long.json').replace(/^long\.json: /, '')}`);
  assert.match(await page.textContent('#error-use'), /limit/);
  assert.equal(await page.textContent('#gazetteer-info'), inUse);
  assert.equal((await painted(page)).length, EXPECTED.length);
  await page.close();
});
