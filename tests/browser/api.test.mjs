// The public JS API (www/sorot.js) in headless Chromium: the wasm binding, the DOM
// layer and the card, through what a page author calls.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setup, blankPage, ROOT } from './helpers.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

const GAZETTEER = {
  types: { PER: { label: 'Orang', color: '#ffd54f' }, LOC: { label: 'Tempat', color: '#81d4fa' } },
  entities: [
    { id: 'kim-jong-un', name: 'Kim Jong Un', type: 'PER', short: ['Kim'], description: 'Pemimpin Korea Utara', url: 'https://en.wikipedia.org/wiki/Kim_Jong_Un' },
    { id: 'moskow', name: 'Moskow', type: 'LOC', aliases: ['Moscow'] },
    { id: 'as', name: 'Amerika Serikat', type: 'LOC', aliases: ['AS'] },
  ],
};

/** Runs `fn(hl, args)` in a page whose body is `html`, with a highlighter on GAZETTEER. */
async function inPage(html, fn, args = {}) {
  const page = await blankPage(env.browser, env.url, html);
  const result = await page.evaluate(async ({ source, gazetteer, args }) => {
    const sorot = await import('/sorot.js');
    const hl = await sorot.createHighlighter({ gazetteer });
    window.hl = hl;
    // eslint-disable-next-line no-new-func
    return new Function('hl', 'sorot', 'args', `return (${source})(hl, sorot, args);`)(hl, sorot, args);
  }, { source: fn.toString(), gazetteer: GAZETTEER, args });
  return { page, result };
}

test('find() gives UTF-16 offsets, the same as the CLI', async () => {
  const text = '😀 e\u0301 北京 “Kim Jong Un” in Moscow 👍🏽, as AS said. Kim left.';
  const { page, result } = await inPage('', async (hl, sorot, { text }) => hl.find(text), { text });
  const dir = mkdtempSync(path.join(tmpdir(), 'sorot-test-'));
  writeFileSync(`${dir}/g.json`, JSON.stringify(GAZETTEER));
  writeFileSync(`${dir}/t.txt`, text);
  const out = execFileSync(path.join(ROOT, 'target/debug/sorot'), ['find', '--gazetteer', `${dir}/g.json`, `${dir}/t.txt`], { encoding: 'utf8' });
  const fromCli = out.trim().split('\n').map((l) => JSON.parse(l)).map(({ start, end, text, id, type, name }) => ({ start, end, text, id, type, name }));
  const fromJs = result.map(({ start, end, text, id, type, name }) => ({ start, end, text, id, type, name }));
  assert.deepEqual(fromJs, fromCli);
  assert.deepEqual(fromJs.map((m) => [m.text, text.slice(m.start, m.end)]), [
    ['Kim Jong Un', 'Kim Jong Un'], ['Moscow', 'Moscow'], ['AS', 'AS'], ['Kim', 'Kim'],
  ]);
  assert.equal(result[0].start, text.indexOf('Kim Jong Un'));
  assert.equal(result[3].short, true);
  await page.close();
});

test('a name split across inline elements is one match; a block boundary stops a match', async () => {
  const html = '<p id="a"><a href="#">Kim</a> Jong <b>Un</b> tiba.</p>'
    + '<p id="b">Kim Jong</p><p>Un</p><div id="c">Kim Jong<br>Un</div><div id="d">Kim <span>Jong</span>\n  Un</div>';
  const { page, result } = await inPage(html, async (hl) => {
    const h = await hl.highlight(document.body);
    return h.matches.map((m) => ({
      text: m.text,
      marks: m.elements.map((e) => e.textContent),
      ids: [...new Set(m.elements.map((e) => e.getAttribute('data-sorot-match')))],
      inside: m.elements[0].closest('p, div').id,
      range: m.ranges.map((r) => r.toString()).join(''),
    }));
  });
  assert.deepEqual(result, [
    { text: 'Kim Jong Un', marks: ['Kim', ' Jong ', 'Un'], ids: ['0'], inside: 'a', range: 'Kim Jong Un' },
    // Across a paragraph or a <br>, only the short form "Kim" remains.
    { text: 'Kim', marks: ['Kim'], ids: ['1'], inside: 'b', range: 'Kim' },
    { text: 'Kim', marks: ['Kim'], ids: ['2'], inside: 'c', range: 'Kim' },
    { text: 'Kim Jong\n  Un', marks: ['Kim ', 'Jong', '\n  Un'], ids: ['3'], inside: 'd', range: 'Kim Jong\n  Un' },
  ]);
  // The marks sit inside the link and the bold element, not around them.
  assert.equal(await page.$eval('#a a', (a) => a.innerHTML.startsWith('<mark')), true);
  await page.close();
});

test('remove() restores the page byte for byte, with the same Text nodes', async () => {
  const html = '<article><h1>Kim Jong Un di <i>Moskow</i></h1>\n<p>Lavrov &amp; Kim — “AS”&nbsp;dan <a href="/x">Amerika <b>Serikat</b></a>.</p>'
    + '<!-- a comment --><p>Moscow<br>Kim</p></article>';
  const { page, result } = await inPage(html, async (hl) => {
    const before = document.body.innerHTML;
    const texts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) texts.push(walker.currentNode);
    const h = await hl.highlight(document.body);
    const during = document.body.innerHTML;
    const marks = document.querySelectorAll('mark').length;
    h.remove();
    const after = [];
    const w2 = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (w2.nextNode()) after.push(w2.currentNode);
    return {
      restored: document.body.innerHTML === before,
      changed: during !== before,
      marks,
      sameNodes: after.length === texts.length && after.every((n, i) => n === texts[i]),
      styles: document.querySelectorAll('style').length,
    };
  });
  assert.deepEqual(result, { restored: true, changed: true, marks: 8, sameNodes: true, styles: 0 });
  await page.close();
});

test('scripts, styles, form fields and editable regions are left alone', async () => {
  const html = '<p>Moskow</p><script>var s = "Moskow";</script><style>/* Moskow */</style>'
    + '<textarea>Moskow</textarea><input value="Moskow"><select><option>Moskow</option></select>'
    + '<div contenteditable="true">Moskow <b>Moskow</b></div><noscript>Moskow</noscript>'
    + '<p class="skip">Moskow</p><template>Moskow</template>';
  const { page, result } = await inPage(html, async (hl) => {
    const h = await hl.highlight(document.body, { exclude: '.skip' });
    return h.matches.map((m) => m.elements[0].parentElement.localName);
  });
  assert.deepEqual(result, ['p']);
  await page.close();
});

test('highlighting again replaces; two highlighters never touch each other', async () => {
  const { page, result } = await inPage('<p id="p">Kim Jong Un di Moskow</p>', async (hl, sorot) => {
    const p = document.getElementById('p');
    const original = p.innerHTML;
    await hl.highlight(p);
    const h2 = await hl.highlight(p);
    const once = p.querySelectorAll('mark').length;
    const nested = p.querySelectorAll('mark mark').length;
    const other = await sorot.createHighlighter({
      prefix: 'widget',
      gazetteer: { entities: [{ id: 'jong', name: 'Jong Un', type: 'PER' }, { id: 'mos', name: 'Moskow', type: 'LOC' }] },
    });
    const h3 = await other.highlight(p);
    const otherMarks = h3.matches.length;
    const classes = [...p.querySelectorAll('mark')].map((m) => m.className);
    h2.remove();
    const afterFirstRemoved = p.innerHTML === original;
    h3.remove();
    return { once, nested, otherMarks, classes, afterFirstRemoved, restored: p.innerHTML === original };
  });
  assert.deepEqual(result, {
    once: 2,
    nested: 0,
    otherMarks: 0, // the second highlighter skips the first one's highlights
    classes: ['sorot sorot-PER', 'sorot sorot-LOC'],
    afterFirstRemoved: true,
    restored: true,
  });
  await page.close();
});

test('keyboard is off by default: nothing focusable, no keys bound', async () => {
  const { page, result } = await inPage('<p>Kim Jong Un</p>', async (hl) => {
    const h = await hl.highlight(document.body);
    const off = h.matches[0].elements.map((e) => e.tabIndex);
    h.remove();
    const h2 = await hl.highlight(document.body, { keyboard: true });
    return { off, on: h2.matches[0].elements.map((e) => e.tabIndex) };
  });
  assert.deepEqual(result, { off: [-1], on: [0] });
  await page.close();
});

test('bad input rejects with an Error that says what and where', async () => {
  const page = await blankPage(env.browser, env.url);
  const errors = await page.evaluate(async () => {
    const { createHighlighter } = await import('/sorot.js');
    const attempt = async (options) => {
      try {
        await createHighlighter(options);
        return 'accepted';
      } catch (err) {
        return `${err instanceof Error ? 'Error' : typeof err}: ${err.message}`;
      }
    };
    const hl = await createHighlighter({ gazetteer: { entities: [] } });
    let findError;
    try { await hl.find(42); } catch (err) { findError = `${err instanceof Error ? 'Error' : typeof err}: ${err.message}`; }
    return [
      await attempt({ gazetteer: '{"entities": [{"id": 1}]}' }),
      await attempt({ gazetteer: { entities: [{ id: 'x', name: 'X', type: 'LOC', url: 'javascript:alert(1)' }] } }),
      await attempt({ gazetteer: { url: '/no-such-gazetteer.json' } }),
      await attempt({ gazetteer: [{ entities: [] }, 42] }),
      await attempt({ prefix: 'Bad Prefix' }),
      findError,
    ];
  });
  assert.deepEqual(errors, [
    'Error: gazetteer: 3 problems:\n  entities[0]: "id" must be a string\n  entities[0]: missing "type"\n  entities[0]: missing "name"',
    'Error: gazetteer: entities[0] ("x"): url "javascript:alert(1)" is not an http: or https: link',
    'Error: /no-such-gazetteer.json: cannot load the gazetteer: HTTP 404',
    'Error: gazetteer 2: expected a gazetteer object, JSON or TSV text, or {url}, not number',
    'Error: prefix "Bad Prefix" must be lower-case letters, digits and "-", starting with a letter',
    'Error: find() takes a string, not number',
  ]);
  await page.close();
});

test('the default gazetteer loads when none is given, and TSV text is accepted', async () => {
  const page = await blankPage(env.browser, env.url);
  const result = await page.evaluate(async () => {
    const { createHighlighter } = await import('/sorot.js');
    const hl = await createHighlighter();
    const tsv = await createHighlighter({ gazetteer: 'id\ttype\tname\taliases\njkt\tLOC\tJakarta\tDKI\n' });
    return {
      types: Object.values(hl.types).map((t) => t.label),
      found: (await hl.find('Menlu Rusia Sergey Lavrov di Pyongyang')).map((m) => m.id),
      tsv: (await tsv.find('DKI Jakarta')).map((m) => m.text),
    };
  });
  assert.deepEqual(result, {
    types: ['Orang', 'Tempat', 'Organisasi'],
    found: ['russia', 'sergey-lavrov', 'pyongyang'],
    tsv: ['DKI', 'Jakarta'],
  });
  await page.close();
});
