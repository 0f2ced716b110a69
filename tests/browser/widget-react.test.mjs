// The widget in a React-rendered preview (tests/react-preview/, built here with
// vite build): React renders the article again from a textarea on every input
// event. After each of the widget's updates, what is highlighted must equal
// find() on the article's new text, and no highlight may point into text React
// removed. Asked for marks, the widget says it cannot use them there and uses the
// Highlight API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setup, ROOT } from './helpers.mjs';

let env;
let built;

before(async () => {
  built = mkdtempSync(path.join(tmpdir(), 'sorot-react-preview-'));
  execFileSync(path.join(ROOT, 'node_modules/.bin/vite'), ['build', 'tests/react-preview', '--outDir', built, '--emptyOutDir', '--base', '/react/', '--logLevel', 'warn'],
    { cwd: ROOT, stdio: 'pipe' });
  env = await setup({ mounts: [{ prefix: '/react/', root: built }] });
});
after(async () => {
  await env?.close();
  if (built) rmSync(built, { recursive: true, force: true });
});

async function open(query = '') {
  const context = await env.browser.newContext({ viewport: { width: 1000, height: 800 } });
  const page = await context.newPage();
  page.errors = [];
  page.warnings = [];
  page.foreign = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') page.errors.push(msg.text());
    if (msg.type() === 'warning') page.warnings.push(msg.text());
  });
  page.on('pageerror', (err) => page.errors.push(`exception: ${err.message}`));
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(env.url)) return route.continue();
    page.foreign.push(url);
    return route.abort('blockedbyclient');
  });
  // After each update: what is painted (node, offsets, type), captured at once, against
  // find() on the text the reader sees then, located in the same nodes.
  await page.addInitScript(() => {
    window.__checks = [];
    document.addEventListener('sorot-update', (event) => {
      const check = { n: window.__checks.length, failures: [] };
      window.__checks.push(check);
      if (!window.__capture) return; // an update before the helpers loaded: not checked
      window.__capture(event.target, check);
      check.pending = window.__verify(check);
    });
  });
  await page.goto(`${env.url}react/${query}`);
  await page.evaluate(async () => {
    const [{ readerText }, { painted }, sorot] = await Promise.all([
      import('/__test/inspect.mjs'), import('/__test/widget-inspect.mjs'), import('/lib/sorot.js')]);
    const finder = sorot.createHighlighter();
    window.__capture = (root, check) => {
      const reader = readerText(root);
      check.reader = { ...reader, lengths: reader.nodes.map((n) => n.data.length) };
      const pieces = painted(root.ownerDocument);
      check.disconnected = pieces.filter((p) => !p.range.startContainer.isConnected || !p.range.endContainer.isConnected).length;
      check.drawn = pieces.filter((p) => root.contains(p.range.startContainer))
        .map((p) => ({ node: reader.nodes.indexOf(p.range.startContainer), start: p.range.startOffset, end: p.range.endOffset, type: p.type }));
    };
    window.__verify = async (check) => {
      const { text, nodes, starts } = check.reader;
      const matches = await (await finder).find(text);
      const expected = [];
      for (const m of matches) {
        for (let i = 0; i < nodes.length; i++) {
          const from = Math.max(m.start, starts[i]);
          const to = Math.min(m.end, starts[i] + check.reader.lengths[i]);
          if (to > from) expected.push({ node: i, start: from - starts[i], end: to - starts[i], type: m.type });
        }
      }
      const key = (x) => `${x.node}:${x.start}-${x.end}:${x.type}`;
      const got = check.drawn.map(key).sort();
      const want = expected.map(key).sort();
      if (JSON.stringify(got) !== JSON.stringify(want)) check.failures.push(`painted ${got.join(' ')} but find() gives ${want.join(' ')} for ${JSON.stringify(text)}`);
      if (check.disconnected > 0) check.failures.push(`${check.disconnected} highlights point into removed text`);
      check.matches = matches.length;
    };
  });
  page.closeAll = () => context.close();
  return page;
}

const TYPED = '\n\nPresiden Vladimir Putin menyambut **Kim Jong Un** di Moskow, lalu Lavrov ke Beijing.';

test('a React preview re-rendered on every keystroke: after each update the highlights equal find() on the new text, none in removed text', async () => {
  const page = await open();
  await page.waitForFunction(() => window.__checks.length >= 1 && window.__capture);
  await page.locator('#source').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(TYPED, { delay: 20 });
  // Then edit in the middle (React changes Text nodes in place) and delete a paragraph.
  await page.keyboard.press('Control+Home');
  for (let i = 0; i < '# Lavrov di '.length; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.type('Jakarta dan ', { delay: 20 });
  await page.waitForFunction(() => document.querySelector('#preview h1').textContent === 'Lavrov di Jakarta dan Moskow');
  // Delete the end of the last paragraph, key by key, into the bold name.
  await page.keyboard.press('Control+End');
  for (let i = 0; i < ', lalu Lavrov ke Beijing.'.length + ' di Moskow'.length + 4; i++) await page.keyboard.press('Backspace');
  await page.waitForFunction(() => document.querySelector('#preview p:last-child').textContent === 'Presiden Vladimir Putin menyambut **Kim Jong ');
  await page.evaluate(() => new Promise((r) => setTimeout(r, 500)));
  const result = await page.evaluate(async () => {
    await Promise.all(window.__checks.map((c) => c.pending));
    const checked = window.__checks.filter((c) => c.reader);
    return {
      updates: window.__checks.length,
      checked: checked.length,
      failures: checked.flatMap((c) => c.failures.map((f) => `update ${c.n}: ${f}`)),
      last: checked.at(-1)?.matches,
      renderer: window.previewRenderer,
    };
  });
  assert.deepEqual(result.failures, []);
  assert.ok(result.checked >= 40, `${result.checked} of ${result.updates} updates checked`);
  console.log(`React preview: ${result.checked} of ${result.updates} updates checked against find()`);
  assert.equal(result.renderer, 'highlight-api');
  const final = await page.evaluate(async () => (await import('/__test/widget-inspect.mjs')).paintedTexts(document.getElementById('preview')));
  // ("Kim" is a short form of Kim Jong Un, named in full in the first paragraph.)
  assert.deepEqual(final, ['Lavrov', 'Jakarta', 'Moskow', 'Rusia', 'Sergey Lavrov', 'Kim Jong Un', 'Vladimir Putin', 'Kim']);
  assert.deepEqual({ errors: page.errors, warnings: page.warnings, foreign: page.foreign }, { errors: [], warnings: [], foreign: [] });
  await page.closeAll();
});

test('asked for marks on a root React renders, the widget says so in the console and the panel and uses the Highlight API', async () => {
  const page = await open('?renderer=mark');
  await page.waitForFunction(() => window.previewRenderer);
  assert.equal(await page.evaluate(() => window.previewRenderer), 'highlight-api');
  assert.equal(await page.evaluate(() => document.querySelectorAll('#preview mark').length), 0);
  const expected = 'renderer "mark": marks cannot be used on a root that React renders (it keeps writing to the text that marks replace); the Highlight API is used instead';
  assert.deepEqual(page.warnings, [`sorot widget: ${expected}`]);
  await page.evaluate(async () => { window.__lib = await import('/__test/widget-inspect.mjs'); });
  await page.waitForFunction(() => window.__lib.panelState()?.messages.length === 1);
  assert.deepEqual((await page.evaluate(async () => (await import('/__test/widget-inspect.mjs')).panelState())).messages, [expected]);
  // And it follows typing like the other.
  await page.locator('#source').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' Lalu ke Pyongyang.', { delay: 20 });
  await page.waitForFunction(() => window.__lib.paintedTexts(document.getElementById('preview')).includes('Pyongyang'));
  assert.deepEqual(page.errors, []);
  await page.closeAll();
});
