// The engine seam: the flat result layout decoded in JavaScript (the same fixture
// as tests/flat.rs), and the three engines (in the page, in a module Worker, over
// a port) in headless Chromium: identical matches, the Worker really matching off
// the main thread, late answers dropped, dead Workers and closed ports rejecting.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeMatches } from '../../www/lib/flat.js';
import { setup, blankPage, newPage, ROOT } from './helpers.mjs';

const FIXTURE = JSON.parse(readFileSync(path.join(ROOT, 'tests/fixtures/flat-layout.json'), 'utf8'));

test('the flat layout fixture decodes to its matches in JavaScript (tests/flat.rs reads the same file)', () => {
  assert.deepEqual(decodeMatches(FIXTURE.flat, FIXTURE.text, FIXTURE.gazetteer.entities), FIXTURE.matches);
  assert.throws(() => decodeMatches([4, 15, 0, 0, 2, 0], FIXTURE.text, FIXTURE.gazetteer.entities),
    /engine answer: candidates truncated at word 0/);
  assert.throws(() => decodeMatches([4, 15, 99, 0, 0], FIXTURE.text, FIXTURE.gazetteer.entities),
    /engine answer: entity 99 out of range/);
  // Matches of one form share the list the answer sends once.
  const [jakarta, again] = decodeMatches(FIXTURE.flat, FIXTURE.text, FIXTURE.gazetteer.entities).slice(-2);
  assert.equal(again.candidates, jakarta.candidates);
  assert.throws(() => decodeMatches([4, 15, 0, 0x200, 1], FIXTURE.text, FIXTURE.gazetteer.entities),
    /engine answer: word 4 points 1 matches back, not to an earlier match/);
});

test('a form that 2,000 entities share: a page naming it 12,000 times (a large text, found in slices, decoded in parts) gets every match with its candidates, in the page and in a Worker', async () => {
  const page = await blankPage(env.browser, env.url, '<article></article>');
  const result = await page.evaluate(async () => {
    const sorot = await import('/lib/sorot.js');
    const { loadEngine } = await import('/lib/engine.js');
    const gazetteer = {
      entities: [{ id: 'ri', name: 'Indonesia', type: 'LOC' },
        ...Array.from({ length: 2000 }, (_, i) => ({ id: `jakarta-${i}`, name: 'Jakarta', type: 'LOC', priority: i === 7 ? 1 : 0 }))],
    };
    const text = 'Indonesia: Jakarta, kota. '.repeat(12_000);
    const article = document.querySelector('article');
    article.textContent = 'Jakarta di Indonesia. '.repeat(500);
    const out = { length: text.length, words: (await (await loadEngine({ gazetteer })).find(text)).length };
    for (const worker of [false, true]) {
      const hl = await sorot.createHighlighter({ gazetteer, worker });
      const found = await hl.find(text);
      const jakarta = found.filter((m) => m.text === 'Jakarta');
      const h = await hl.highlight(article);
      const entities = h.entities();
      out[worker ? 'worker' : 'page'] = {
        matches: found.length,
        jakarta: jakarta.length,
        chosen: [...new Set(jakarta.map((m) => `${m.id} ${m.reason}`))],
        lists: jakarta.every((m) => m.candidates.length === 2000 && m.candidates[0] === 'jakarta-7'
          && new Set(m.candidates).size === 2000),
        drawn: h.matches.length,
        summary: entities.map((e) => `${e.id} ${e.mentions} ${e.ambiguous} ${e.candidates.length}`),
        card: hl.cardInfo(h.matches[0]).note,
      };
      h.remove();
      hl.free();
    }
    return out;
  });
  assert.ok(result.length > 300_000, `a text of ${result.length} UTF-16 units (over the engine's 100,000 of one call)`);
  // The list of 2,000 candidates is sent once per part of the answer (a few), not
  // 12,000 times (24 million words): 6 words per "Indonesia", 5 per "Jakarta".
  assert.ok(result.words <= 12_000 * (6 + 5) + 10 * 2000, `the answer is ${result.words} words`);
  for (const got of [result.page, result.worker]) {
    assert.equal(got.matches, 24_000);
    assert.equal(got.jakarta, 12_000);
    assert.deepEqual(got.chosen, ['jakarta-7 priority']);
    assert.equal(got.lists, true);
    assert.equal(got.drawn, 1000);
    assert.deepEqual(got.summary, ['jakarta-7 500 true 1999', 'ri 500 false 0']);
    assert.match(got.card, /(and|dan) 1[,.]?99\d (more|lainnya)/);
  }
  await page.close();
});

let env;
/** The paths the server was asked for (to see which wasm modules a page loaded, in a Worker too). */
const requested = [];
before(async () => {
  env = await setup({ handle: (req) => { requested.push(new URL(req.url, 'http://x').pathname); return false; } });
});
after(async () => { await env?.close(); });

const ARTICLE = '<article><h1>Lavrov dan Kim</h1><p>Menlu Rusia Sergey Lavrov bertemu Kim Jong Un di Moskow.</p>'
  + '<p>Setelah itu <a href="#">Kim</a> Jong <b>Un</b> kembali ke Pyongyang; Paris Hilton di Georgia. Paris juga.</p></article>';

const GAZETTEER = {
  ...FIXTURE.gazetteer,
  entities: [...FIXTURE.gazetteer.entities,
    { id: 'sergey-lavrov', name: 'Sergey Lavrov', type: 'PER', short: ['Lavrov'] },
    { id: 'moskow', name: 'Moskow', type: 'LOC' },
    { id: 'pyongyang', name: 'Pyongyang', type: 'LOC' }],
};

test('the engine in the page, in a Worker and over a MessageChannel give the same matches', async () => {
  const page = await blankPage(env.browser, env.url, ARTICLE);
  const result = await page.evaluate(async ({ gazetteer, text }) => {
    const sorot = await import('/lib/sorot.js');
    const { loadEngine, serveEngine } = await import('/lib/engine.js');
    const dom = await import('/lib/dom.js');
    const { port1, port2 } = new MessageChannel();
    serveEngine(port2, { engine: await loadEngine({ gazetteer }) });
    const highlighters = {
      page: await sorot.createHighlighter({ gazetteer }),
      worker: await sorot.createHighlighter({ gazetteer, worker: true }),
      port: await dom.createHighlighter({ port: port1 }),
    };
    const out = {};
    for (const [name, hl] of Object.entries(highlighters)) {
      const found = await hl.find(text);
      const h = await hl.highlight(document.querySelector('article'), { renderer: 'highlight-api', observe: true });
      out[name] = { found, drawn: h.matches.map(({ start, end, id, text: t }) => ({ start, end, id, text: t })) };
      h.remove();
      hl.free();
    }
    return out;
  }, { gazetteer: GAZETTEER, text: FIXTURE.text });
  assert.deepEqual(result.page.found, FIXTURE.matches);
  assert.deepEqual(result.worker, result.page);
  assert.deepEqual(result.port, result.page);
  assert.deepEqual(result.page.drawn.map((m) => m.text),
    ['Lavrov', 'Kim', 'Sergey Lavrov', 'Kim Jong Un', 'Moskow', 'Kim Jong Un', 'Pyongyang', 'Paris Hilton', 'Georgia', 'Paris']);
  await page.close();
});

test('with worker: true the WebAssembly module is instantiated only in the Worker', async () => {
  const page = await newPage(env.browser);
  // Count every way the main thread could compile or instantiate WebAssembly.
  await page.addInitScript(() => {
    window.wasmCalls = [];
    for (const name of ['instantiate', 'instantiateStreaming', 'compile', 'compileStreaming']) {
      const original = WebAssembly[name];
      WebAssembly[name] = function counted(...args) {
        window.wasmCalls.push(name);
        return original.apply(this, args);
      };
    }
    const Module = WebAssembly.Module;
    WebAssembly.Module = function counted(...args) { window.wasmCalls.push('Module'); return new Module(...args); };
  });
  await page.goto(`${env.url}__blank.html`);
  const result = await page.evaluate(async ({ gazetteer, html }) => {
    document.body.innerHTML = html;
    const { createHighlighter } = await import('/lib/sorot.js');
    const hl = await createHighlighter({ gazetteer, worker: true });
    const h = await hl.highlight(document.body);
    const wasmFetched = performance.getEntriesByType('resource').some((r) => r.name.endsWith('.wasm'));
    const inWorker = { matches: h.matches.length, calls: [...window.wasmCalls], wasmFetched };
    // The same page with the engine in the page does instantiate here: the count works.
    const local = await createHighlighter({ gazetteer });
    await local.find('Kim Jong Un');
    return { inWorker, inPage: { calls: [...window.wasmCalls] } };
  }, { gazetteer: GAZETTEER, html: ARTICLE });
  assert.equal(result.inWorker.matches, 10);
  assert.deepEqual(result.inWorker.calls, []);
  assert.equal(result.inWorker.wasmFetched, false);
  assert.ok(result.inPage.calls.length > 0, 'the in-page engine instantiates on the main thread');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('an update whose answer arrives after a newer change is dropped, never drawn', async () => {
  const page = await blankPage(env.browser, env.url, '<p id="p">Sergey Lavrov di Moskow.</p>');
  const result = await page.evaluate(async ({ gazetteer }) => {
    const { loadEngine } = await import('/lib/engine.js');
    const { createHighlighter } = await import('/lib/dom.js');
    const { painted } = await import('/__test/inspect.mjs');
    const inner = await loadEngine({ gazetteer });
    // An engine whose answers wait until the test lets them go, one at a time.
    const held = [];
    let hold = false;
    const slow = {
      info: () => inner.info(),
      entities: (i) => inner.entities(i),
      find: (text, o) => inner.find(text, o),
      closeDocument: (doc) => inner.closeDocument(doc),
      free: () => inner.free(),
      findBlocks: (doc, blocks, o) => {
        const answer = inner.findBlocks(doc, blocks, o);
        if (!hold) return answer;
        return new Promise((resolve) => held.push({ blocks, release: () => resolve(answer) }));
      },
    };
    const hl = await createHighlighter({ engine: slow });
    const updates = [];
    const h = await hl.highlight(document.body, { renderer: 'highlight-api', observe: true, onUpdate: (x) => updates.push(x.matches.map((m) => m.text)) });
    const frames = (n) => new Promise((r) => { const f = (k) => (k ? requestAnimationFrame(() => f(k - 1)) : r()); f(n); });
    const p = document.getElementById('p');
    const log = { first: painted(hl.owner).map((x) => x.text) };
    hold = true;
    p.textContent = 'Kim Jong Un di Pyongyang.';
    await frames(2);
    log.asked = held.map((x) => x.blocks);
    // A newer change while the first answer is on its way.
    p.textContent = 'Paris Hilton di Georgia.';
    await frames(2);
    hold = false;
    held.shift().release();
    await frames(3);
    log.afterStale = { painted: painted(hl.owner).map((x) => x.text), updates: [...updates], matches: h.matches.map((m) => m.text) };
    await h.idle();
    log.final = { painted: painted(hl.owner).map((x) => x.text), updates: [...updates] };
    return log;
  }, { gazetteer: GAZETTEER });
  assert.deepEqual(result.first, ['Sergey Lavrov', 'Moskow']);
  assert.deepEqual(result.asked, [['Kim Jong Un di Pyongyang.']]);
  // The answer for "Kim Jong Un di Pyongyang." came after the text changed again:
  // nothing of it was drawn, and no update was reported for it.
  assert.ok(!result.afterStale.painted.includes('Kim Jong Un') && !result.afterStale.painted.includes('Pyongyang'));
  assert.ok(!result.afterStale.matches.includes('Kim Jong Un'));
  assert.deepEqual(result.final.painted, ['Paris Hilton', 'Georgia']);
  assert.deepEqual(result.final.updates, [['Paris Hilton', 'Georgia']]);
  await page.close();
});

test('free() and remove() release the Worker, the port and the document; later calls reject with an Error', async () => {
  const page = await blankPage(env.browser, env.url, ARTICLE);
  const result = await page.evaluate(async ({ gazetteer }) => {
    const sorot = await import('/lib/sorot.js');
    const { loadEngine, serveEngine } = await import('/lib/engine.js');
    const dom = await import('/lib/dom.js');
    const out = {};
    const message = async (promise) => {
      const timeout = new Promise((resolve) => setTimeout(() => resolve('hung'), 5000));
      return Promise.race([promise.then(() => 'resolved', (e) => (e instanceof Error ? `Error: ${e.message}` : 'not an Error')), timeout]);
    };
    // A Worker engine, freed.
    const worker = await sorot.createHighlighter({ gazetteer, worker: true });
    worker.free();
    out.freedWorker = await message(worker.find('Kim Jong Un'));
    out.freedHighlight = await message(worker.highlight(document.body));
    // A port engine whose other end closes: the client hears nothing (a MessagePort
    // has no close event) and gives up after its timeout instead of hanging.
    const { port1, port2 } = new MessageChannel();
    const inner = await loadEngine({ gazetteer });
    const closed = [];
    const engine = { ...inner, closeDocument: (doc) => { closed.push(doc); return inner.closeDocument(doc); } };
    serveEngine(port2, { engine: { info: () => inner.info(), entities: (i) => inner.entities(i), find: (t, o) => inner.find(t, o), findBlocks: (d, b, o) => inner.findBlocks(d, b, o), closeDocument: engine.closeDocument, free: () => inner.free() } });
    // Not much shorter: the engine answers on this page's own thread, which a loaded
    // machine may keep busy for a while.
    const remote = new dom.RemoteEngine(port1, { timeout: 2000 });
    const viaPort = await dom.createHighlighter({ engine: remote });
    const h = await viaPort.highlight(document.body, { observe: true });
    out.matchesViaPort = h.matches.length;
    h.remove();
    await new Promise((r) => setTimeout(r, 100));
    out.closedDocuments = closed.length;
    port2.close();
    out.closedPort = await message(viaPort.find('Kim Jong Un'));
    out.afterClosed = await message(viaPort.find('Kim Jong Un'));
    // A Worker that dies: its script fails to load.
    const broken = new dom.RemoteEngine(new Worker('/no-such-worker.js', { type: 'module' }));
    out.deadWorker = await message(broken.find('Kim Jong Un'));
    return out;
  }, { gazetteer: GAZETTEER });
  assert.equal(result.freedWorker, 'Error: this highlighter was freed');
  assert.equal(result.freedHighlight, 'Error: this highlighter was freed');
  assert.equal(result.matchesViaPort, 10);
  assert.equal(result.closedDocuments, 1, 'remove() closes the document on the engine');
  assert.equal(result.closedPort, "Error: engine: no answer for 2 s (the engine's end of the port is closed or stuck)");
  assert.match(result.afterClosed, /^Error: engine: no answer for 2 s/);
  assert.match(result.deadWorker, /^Error: engine: the Worker failed/);
  await page.close();
});

for (const renderer of ['highlight-api', 'mark']) {
  test(`[${renderer}] a large page is read, matched and drawn in slices: a click is handled while it is highlighted, and the result is the same`, async () => {
    const page = await blankPage(env.browser, env.url);
    await page.evaluate(async ({ gazetteer, renderer }) => {
      const { createHighlighter } = await import('/__test/sorot.mjs');
      // About 1.2 MB of distinct paragraphs.
      const names = ['Sergey Lavrov', 'Kim Jong Un', 'Moskow', 'Pyongyang', 'Paris Hilton', 'Georgia'];
      const root = document.createElement('div');
      for (let i = 0; i < 12000; i++) {
        const p = document.createElement('p');
        p.textContent = `Paragraf ${i}: ${names[i % names.length]} bertemu ${names[(i * 7 + 3) % names.length]} di kota nomor ${i * 13}, kata laporan ke-${i}.`;
        root.append(p);
      }
      document.body.prepend(root);
      const hl = await createHighlighter({ gazetteer });
      window.expected = (await hl.find([...root.children].map((p) => p.textContent).join('\u2029'))).map((m) => m.id).join();
      window.state = { done: false, clickedWhile: null };
      document.addEventListener('pointerdown', () => { window.state.clickedWhile ??= !window.state.done; });
      window.highlighting = hl.highlight(root, { renderer }).then((h) => { window.state.done = true; return h; });
    }, { gazetteer: GAZETTEER, renderer });
    // The click goes in while the page is being highlighted.
    await page.mouse.click(3, 3);
    const result = await page.evaluate(async () => {
      const h = await window.highlighting;
      return { ...window.state, count: h.matches.length, same: h.matches.map((m) => m.id).join() === window.expected };
    });
    assert.ok(result.count > 20_000, `${result.count} matches`);
    assert.equal(result.same, true, 'the matches equal find() on the text');
    assert.equal(result.clickedWhile, true, 'the click was handled before the highlights were all drawn');
    await page.close();
  });
}

test('cache: true compiles a text gazetteer once; later pages load its compiled form without the compiler module', async () => {
  const TSV = 'id\ttype\tname\nzorblax\tPER\tZorblax Quentin\n';
  const CHANGED = 'id\ttype\tname\nzorblax\tPER\tZorblax Quentin\nbandung\tLOC\tBandung\n';
  for (const worker of [false, true]) {
    // A context of its own: an IndexedDB of its own.
    const context = await env.browser.newContext();
    /** Highlights with `gazetteer` in a new page; what it found and whether it fetched the compiler. */
    const visit = async (gazetteer, cache = true, damage = false, clear = false) => {
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${env.url}__blank.html`);
      if (damage) {
        // Every stored compiled form loses its last bytes.
        await page.evaluate(() => new Promise((resolve, reject) => {
          const open = indexedDB.open('sorot-compiled-gazetteers');
          open.onsuccess = () => {
            const tx = open.result.transaction('compiled', 'readwrite');
            const store = tx.objectStore('compiled');
            const all = store.getAll();
            all.onsuccess = () => { for (const e of all.result) store.put({ ...e, bytes: e.bytes.subarray(0, e.bytes.length - 10) }); };
            tx.oncomplete = () => { open.result.close(); resolve(); };
            tx.onerror = () => reject(tx.error);
          };
          open.onerror = () => reject(open.error);
        }));
      }
      requested.length = 0;
      const found = await page.evaluate(async (args) => {
        const { createHighlighter, clearGazetteerCache } = await import('/lib/sorot.js');
        if (args.clear) await clearGazetteerCache();
        const hl = await createHighlighter({ gazetteer: args.gazetteer, cache: args.cache, worker: args.worker });
        const matches = await hl.find('Zorblax Quentin tiba di Bandung.');
        hl.free();
        return matches.map((m) => m.text);
      }, { gazetteer, cache, worker, clear });
      await page.close();
      assert.deepEqual(errors, []);
      return { found, compiler: requested.some((p) => p.endsWith('/sorot_compiler_bg.wasm')) };
    };
    const where = worker ? 'in a Worker' : 'in the page';
    assert.deepEqual(await visit(TSV), { found: ['Zorblax Quentin'], compiler: true }, `first visit ${where}`);
    assert.deepEqual(await visit(TSV), { found: ['Zorblax Quentin'], compiler: false }, `second visit ${where}: from the cache`);
    assert.deepEqual(await visit(CHANGED), { found: ['Zorblax Quentin', 'Bandung'], compiler: true }, `changed text ${where}: compiled again`);
    assert.deepEqual(await visit(TSV, false), { found: ['Zorblax Quentin'], compiler: true }, `cache: false ${where} compiles`);
    assert.deepEqual(await visit(TSV, true, true), { found: ['Zorblax Quentin'], compiler: true }, `a damaged stored form ${where} is compiled again`);
    assert.deepEqual(await visit(TSV), { found: ['Zorblax Quentin'], compiler: false }, `then stored again ${where}`);
    assert.deepEqual(await visit(TSV, true, false, true), { found: ['Zorblax Quentin'], compiler: true }, `after clearGazetteerCache() ${where}`);
    await context.close();
  }
});
