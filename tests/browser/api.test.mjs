// The public JS API (www/lib/sorot.js) in headless Chromium: the wasm binding, the DOM
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
    const sorot = await import('/__test/sorot.mjs');
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

test('[mark] highlighting again replaces; two highlighters never touch each other', async () => {
  const { page, result } = await inPage('<p id="p">Kim Jong Un di Moskow</p>', async (hl, sorot) => {
    const p = document.getElementById('p');
    const original = p.innerHTML;
    await hl.highlight(p, { renderer: 'mark' });
    const h2 = await hl.highlight(p, { renderer: 'mark' });
    const once = p.querySelectorAll('mark').length;
    const nested = p.querySelectorAll('mark mark').length;
    const other = await sorot.createHighlighter({
      prefix: 'widget',
      gazetteer: { entities: [{ id: 'jong', name: 'Jong Un', type: 'PER' }, { id: 'mos', name: 'Moskow', type: 'LOC' }] },
    });
    const h3 = await other.highlight(p, { renderer: 'mark' });
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

test('[highlight-api] two highlighters paint side by side; removing one leaves the other', async () => {
  const { page, result } = await inPage('<p id="p">Kim Jong Un di Moskow</p>', async (hl, sorot) => {
    const { painted } = await import('/__test/inspect.mjs');
    const p = document.getElementById('p');
    const other = await sorot.createHighlighter({
      prefix: 'widget',
      gazetteer: { entities: [{ id: 'jong', name: 'Jong Un', type: 'PER' }, { id: 'mos', name: 'Moskow', type: 'LOC' }] },
    });
    await hl.highlight(p);
    const h = await hl.highlight(p); // replaces the first one
    const h2 = await other.highlight(p);
    const both = [painted(hl.owner).map((x) => x.text), painted(other.owner).map((x) => x.text)];
    h.remove();
    return { renderers: [h.renderer, h2.renderer], both, after: [painted(hl.owner).length, painted(other.owner).map((x) => x.text)] };
  });
  assert.deepEqual(result, {
    renderers: ['highlight-api', 'highlight-api'],
    both: [['Kim Jong Un', 'Moskow'], ['Jong Un', 'Moskow']],
    after: [0, ['Jong Un', 'Moskow']],
  });
  await page.close();
});

for (const renderer of ['highlight-api', 'mark']) {
  test(`[${renderer}] entities() lists what the page names; reveal() scrolls to a mention and shows its card`, async () => {
    const filler = '<p style="height: 3000px">Awal.</p>';
    const gazetteer = {
      ...GAZETTEER,
      entities: [...GAZETTEER.entities,
        { id: 'georgia', name: 'Georgia', type: 'LOC', priority: 2 },
        { id: 'georgia-us', name: 'Georgia (U.S. state)', type: 'LOC', aliases: ['Georgia'] }],
    };
    const page = await blankPage(env.browser, env.url, `<p>Kim Jong Un di Moskow.</p>${filler}<p id="far">Kim kembali dari Georgia dan Moscow.</p>`);
    const result = await page.evaluate(async ({ gazetteer, renderer }) => {
      const { createHighlighter } = await import('/__test/sorot.mjs');
      const hl = await createHighlighter({ gazetteer });
      const h = await hl.highlight(document.body, { renderer });
      const entities = h.entities().map(({ first, ...e }) => ({ ...e, first: first.text }));
      const before = window.scrollY;
      const georgia = h.entities().find((e) => e.id === 'georgia');
      const revealed = h.reveal(georgia);
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const rect = georgia.first.ranges[0].getBoundingClientRect();
      const host = document.querySelector('[data-sorot-owner]:not(mark)');
      const card = host?.shadowRoot.querySelector('.card');
      return {
        entities, revealed, scrolled: window.scrollY > before,
        inView: rect.top >= 0 && rect.bottom <= innerHeight,
        card: card ? [card.querySelector('.name').textContent, card.querySelector('.note').textContent] : null,
        stale: h.reveal({ start: 0, end: 3, id: 'nobody' }),
      };
    }, { gazetteer, renderer });
    assert.deepEqual(result.entities, [
      { id: 'kim-jong-un', name: 'Kim Jong Un', label: 'Kim Jong Un', type: 'PER', typeLabel: 'Orang', mentions: 2, ambiguous: false, candidates: [], first: 'Kim Jong Un' },
      { id: 'moskow', name: 'Moskow', label: 'Moskow', type: 'LOC', typeLabel: 'Tempat', mentions: 2, ambiguous: false, candidates: [], first: 'Moskow' },
      { id: 'georgia', name: 'Georgia', label: 'Georgia', type: 'LOC', typeLabel: 'Tempat', mentions: 1, ambiguous: true, candidates: ['georgia-us'], first: 'Georgia' },
    ]);
    assert.equal(result.revealed, true);
    assert.equal(result.scrolled, true);
    assert.equal(result.inView, true);
    assert.deepEqual(result.card, ['Georgia', 'Could also be: Georgia (U.S. state); chosen because it has the higher priority.']);
    assert.equal(result.stale, false);
    await page.close();
  });
}

test('bad input rejects with an Error that says what and where', async () => {
  const page = await blankPage(env.browser, env.url);
  const errors = await page.evaluate(async () => {
    const { createHighlighter } = await import('/__test/sorot.mjs');
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
      await attempt({ gazetteer: { entities: [] }, renderer: 'canvas' }),
      findError,
      ...await Promise.all([
        [document.body, { renderer: 'canvas' }],
        [document.body, { overlap: 'some' }],
        [document.body, { exclude: 'p[' }],
        [document.body, { observe: 'yes' }],
        [document.body, { colour: 'red' }],
        [document.body, null],
        ['body', {}],
      ].map(async ([root, options]) => {
        try {
          await hl.highlight(root, options);
          return 'accepted';
        } catch (err) {
          return `${err instanceof Error ? 'Error' : typeof err}: ${err.message}`;
        }
      })),
    ];
  });
  assert.deepEqual(errors, [
    'Error: gazetteer: 3 problems:\n  entities[0]: "id" must be a string\n  entities[0]: missing "type"\n  entities[0]: missing "name"',
    'Error: gazetteer: entities[0] ("x"): url "javascript:alert(1)" is not an http: or https: link',
    `Error: ${env.url}no-such-gazetteer.json: cannot load the gazetteer: HTTP 404`,
    'Error: gazetteer 2: expected a gazetteer object, JSON, JSON Lines, TSV or CSV text, {text, name} or {url}, not number',
    'Error: prefix "Bad Prefix" must be lower-case letters, digits and "-", starting with a letter',
    'Error: renderer: "canvas" is not one of "auto", "highlight-api", "mark"',
    'Error: find() takes a string, not number',
    'Error: renderer: "canvas" is not one of "auto", "highlight-api", "mark"',
    'Error: overlap: "some" is not one of "longest", "all"',
    'Error: exclude: "p[" is not a valid CSS selector list',
    'Error: observe: must be true or false, not "yes"',
    'Error: highlight(): unknown option "colour"',
    'Error: highlight(): options must be an object',
    'Error: highlight() takes an Element, Document, DocumentFragment or ShadowRoot',
  ]);
  await page.close();
});

test('the default gazetteer loads when none is given; TSV, CSV and JSON Lines text is accepted', async () => {
  const page = await blankPage(env.browser, env.url);
  const result = await page.evaluate(async () => {
    const { createHighlighter } = await import('/__test/sorot.mjs');
    const hl = await createHighlighter();
    const found = async (gazetteer, text) => (await (await createHighlighter({ gazetteer })).find(text)).map((m) => `${m.text}=${m.id}`);
    let csvError;
    try {
      await createHighlighter({ gazetteer: 'id,type,name\njkt,LOC,"Jakarta\n' });
    } catch (err) {
      csvError = err.message;
    }
    return {
      types: Object.keys(hl.types).map((k) => hl.typeLabel(k, 'id')),
      typesEn: Object.keys(hl.types).map((k) => hl.typeLabel(k, 'en')),
      found: (await hl.find('Menlu Rusia Sergey Lavrov di Pyongyang')).map((m) => m.id),
      tsv: await found('id\ttype\tname\taliases\njkt\tLOC\tJakarta\tDKI\n', 'DKI Jakarta'),
      csv: await found('id,type,name,aliases,description\njkt,LOC,Jakarta,"DKI|Batavia","Ibu kota, dulu"\n', 'Batavia'),
      jsonl: await found('{"id": "jkt", "name": "Jakarta", "type": "LOC"}\n{"id": "bdg", "name": "Bandung", "type": "LOC"}\n', 'Bandung, Jakarta'),
      csvError,
    };
  });
  assert.deepEqual(result, {
    types: ['Orang', 'Tempat', 'Organisasi'],
    typesEn: ['Person', 'Place', 'Organisation'],
    found: ['russia', 'sergey-lavrov', 'pyongyang'],
    tsv: ['DKI=jkt', 'Jakarta=jkt'],
    csv: ['Batavia=jkt'],
    jsonl: ['Bandung=bdg', 'Jakarta=jkt'],
    csvError: 'gazetteer: line 2: a quoted field is not closed',
  });
  await page.close();
});
