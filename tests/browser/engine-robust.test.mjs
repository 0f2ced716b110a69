// The engine when things go wrong, in headless Chromium: a wasm module that failed
// to load (the network) is fetched again by the next createHighlighter(); a trap
// inside the wasm (a Rust panic aborts, as a failed allocation does) leaves that
// engine rejecting every call with a clear Error, and a new highlighter works on a
// fresh instance, with the engine in the page and in a Worker. A trap in the
// gazetteer compiler refuses that gazetteer alike, and leaves the engine working.
//
// The trap is a real one, on the real path: the test grows the instance's memory
// to the 4 GiB a wasm32 memory can have (address space only: nothing is touched),
// so the engine's next allocation fails and Rust aborts (`unreachable`), as it
// would on a text too large for the memory left. No export is wrapped or faked.
//
// And a 5 MB find() (dense names, no paragraph break) takes a bounded wasm memory
// and lets the page draw frames throughout, in the page; in a Worker it completes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, blankPage } from './helpers.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

const ARTICLE = '<article><p>Presiden Joko Widodo bertemu Sergey Lavrov di Jakarta.</p></article>';

test('a wasm module that failed to load once (network error) is loaded again by the next createHighlighter()', async () => {
  const page = await blankPage(env.browser, env.url, ARTICLE);
  let failed = 0;
  await page.route('**/lib/pkg/sorot_engine_bg.wasm', (route) => {
    if (failed++ === 0) return route.abort('internetdisconnected');
    return route.continue();
  });
  const result = await page.evaluate(async () => {
    const sorot = await import('/lib/sorot.js');
    const first = await sorot.createHighlighter().then(() => 'loaded', (err) => `${err.constructor.name}: ${err.message}`);
    const hl = await sorot.createHighlighter();
    const h = await hl.highlight(document.querySelector('article'));
    return { first, texts: h.matches.map((m) => m.text) };
  });
  assert.match(result.first, /^Error: http:\/\/localhost:\d+\/lib\/pkg\/sorot_engine_bg\.wasm: cannot load the WebAssembly module: /);
  assert.deepEqual(result.texts, ['Joko Widodo', 'Sergey Lavrov', 'Jakarta']);
  assert.equal(failed, 2, 'the module was fetched again');
  await page.close();
});

/** In the page or a worker: grows a wasm memory to its limit; returns its size in MiB. */
const EXHAUST = `function exhaust(memory) {
  for (let step = 16384; step >= 1; step = Math.floor(step / 2)) {
    for (;;) { try { memory.grow(step); } catch { break; } }
  }
  return memory.buffer.byteLength / 2 ** 20;
}`;

/** The Error a trap of `what`'s instance ends in (engine.js trapped()). */
const trapError = (what) => new RegExp(`^Error: ${what}: the WebAssembly ${what} stopped \\(RuntimeError: unreachable\\) and cannot be used any more: create a new highlighter`);
const TRAP = trapError('engine');

test('in the page: after a trap the engine rejects every call with a clear Error; other highlighters of that instance too; a new one works', async () => {
  const page = await blankPage(env.browser, env.url, ARTICLE);
  const result = await page.evaluate(async (exhaustSource) => {
    const exhaust = new Function(`return ${exhaustSource}`)(); // eslint-disable-line no-new-func
    const sorot = await import('/lib/sorot.js');
    const glue = await import('/lib/pkg/sorot_engine.js');
    const { said } = await import('/__test/inspect.mjs');
    const hl = await sorot.createHighlighter();
    const other = await sorot.createHighlighter();
    const { loadEngine } = await import('/lib/engine.js');
    const bare = await loadEngine();
    const article = document.querySelector('article');
    const brokenBefore = bare.broken;
    const memory = exhaust((await glue.default()).memory);
    const out = { memory, brokenBefore };
    // 2 MB to copy in: more than the allocator has left.
    out.trap = await said(hl.find('Jakarta '.repeat(250_000)));
    out.after = await said(hl.find('Jakarta'));
    out.highlight = await said(hl.highlight(article));
    out.other = await said(other.find('Jakarta'));
    out.painted = article.querySelectorAll('mark').length + [...CSS.highlights.keys()].length;
    out.broken = bare.broken;
    hl.free();
    other.free();
    const fresh = await sorot.createHighlighter();
    const h = await fresh.highlight(article, { renderer: 'mark' });
    out.fresh = h.matches.map((m) => m.text);
    out.freshMemory = (await glue.default()).memory.buffer.byteLength / 2 ** 20;
    out.big = (await fresh.find('Jakarta '.repeat(250_000))).length;
    return out;
  }, EXHAUST);
  assert.equal(result.memory, 4096);
  assert.match(result.trap, TRAP);
  for (const later of [result.after, result.highlight, result.other]) assert.match(later, TRAP);
  assert.equal(result.brokenBefore, null);
  assert.match(`Error: ${result.broken}`, TRAP, 'an engine tells that it is broken');
  assert.equal(result.painted, 0, 'nothing was painted by the broken engine');
  assert.deepEqual(result.fresh, ['Joko Widodo', 'Sergey Lavrov', 'Jakarta']);
  assert.ok(result.freshMemory < 64, `the new instance has its own memory (${result.freshMemory} MiB)`);
  assert.equal(result.big, 250_000);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('in a Worker: after a trap the engine rejects every call with a clear Error, and a new Worker engine works', async () => {
  const page = await blankPage(env.browser, env.url, ARTICLE);
  // The library's worker.js, with a hook that exhausts its engine's memory on request.
  await page.route('**/lib/worker.js', (route) => route.fulfill({
    contentType: 'text/javascript',
    body: `import { serveEngine } from './engine.js';
import init from './pkg/sorot_engine.js';
${EXHAUST}
self.addEventListener('message', async (event) => {
  if (event.data === 'exhaust') self.postMessage({ exhausted: exhaust((await init()).memory) });
});
serveEngine(self);
`,
  }));
  await page.addInitScript(() => {
    const Original = Worker;
    window.workers = [];
    window.Worker = class extends Original {
      constructor(...args) {
        super(...args);
        window.workers.push(this);
      }
    };
  });
  await page.reload();
  await page.evaluate((markup) => { document.body.innerHTML = markup; }, ARTICLE);
  const result = await page.evaluate(async () => {
    const sorot = await import('/lib/sorot.js');
    const { said } = await import('/__test/inspect.mjs');
    const hl = await sorot.createHighlighter({ worker: true });
    const worker = window.workers[0];
    const memory = await new Promise((resolve) => {
      worker.addEventListener('message', (e) => { if (e.data?.exhausted) resolve(e.data.exhausted); });
      worker.postMessage('exhaust');
    });
    const out = { memory, workers: 0 };
    out.trap = await said(hl.find('Jakarta '.repeat(250_000)));
    out.after = await said(hl.find('Jakarta'));
    out.highlight = await said(hl.highlight(document.querySelector('article')));
    hl.free();
    const fresh = await sorot.createHighlighter({ worker: true });
    out.workers = window.workers.length;
    out.fresh = (await fresh.highlight(document.querySelector('article'))).matches.map((m) => m.text);
    return out;
  });
  assert.equal(result.memory, 4096);
  assert.match(result.trap, TRAP);
  assert.match(result.after, TRAP);
  assert.match(result.highlight, TRAP);
  assert.equal(result.workers, 2);
  assert.deepEqual(result.fresh, ['Joko Widodo', 'Sergey Lavrov', 'Jakarta']);
  await page.close();
});

test('in the page: after a trap in the gazetteer compiler, that gazetteer is refused with a clear Error, the engine keeps working, and the next text gazetteer compiles on a fresh instance', async () => {
  const page = await blankPage(env.browser, env.url, ARTICLE);
  const result = await page.evaluate(async (exhaustSource) => {
    const exhaust = new Function(`return ${exhaustSource}`)(); // eslint-disable-line no-new-func
    const sorot = await import('/lib/sorot.js');
    const { said } = await import('/__test/inspect.mjs');
    const small = { entities: [{ id: 'jkt', name: 'Jakarta', type: 'LOC' }] };
    // A text gazetteer loads the compiler module; the compiled default gazetteer does not need it.
    const first = await sorot.createHighlighter({ gazetteer: small });
    const glue = await import('/lib/pkg/sorot_compiler.js');
    const memory = exhaust((await glue.default()).memory);
    const out = { memory };
    // 20,000 entities as JSON (about 1.3 MB): more than the compiler's allocator has left.
    const big = { entities: Array.from({ length: 20_000 }, (_, i) => ({ id: `e${i}`, name: `Kota Nomor ${i}`, type: 'LOC', description: 'x'.repeat(20) })) };
    out.trap = await said(sorot.createHighlighter({ gazetteer: big }));
    // The engine is another module and instance: highlighters already made keep working.
    out.first = (await first.find('Di Jakarta.')).map((m) => m.text);
    out.defaults = (await (await sorot.createHighlighter()).highlight(document.querySelector('article'), { renderer: 'mark' })).matches.map((m) => m.text);
    // The next text gazetteer is compiled by a new instance of the compiler.
    const again = await sorot.createHighlighter({ gazetteer: big });
    out.again = (await again.find('Kota Nomor 19999 dan Kota Nomor 7.')).map((m) => m.id);
    out.freshMemory = (await glue.default()).memory.buffer.byteLength / 2 ** 20;
    return out;
  }, EXHAUST);
  assert.equal(result.memory, 4096);
  assert.match(result.trap, trapError('gazetteer compiler'));
  assert.deepEqual(result.first, ['Jakarta']);
  assert.deepEqual(result.defaults, ['Joko Widodo', 'Sergey Lavrov', 'Jakarta']);
  assert.deepEqual(result.again, ['e19999', 'e7']);
  assert.ok(result.freshMemory < 1024, `the new compiler instance has its own memory (${result.freshMemory} MiB)`);
  assert.deepEqual(page.errors, []);
  await page.close();
});

/**
 * In the page: 5 MB of dense names (the default gazetteer's, comma-separated, no
 * paragraph break), found with find() while the page's frames are counted and
 * long tasks observed; the wasm memory before and after.
 */
async function findFiveMegabytes(page, worker) {
  return page.evaluate(async (inWorker) => {
    const sorot = await import('/lib/sorot.js');
    const { whileResponsive } = await import('/__test/inspect.mjs');
    const glue = await import('/lib/pkg/sorot_engine.js');
    const gazetteer = await (await fetch('/lib/pkg/default-gazetteer.json')).json();
    const names = gazetteer.entities.map((e) => (typeof e.name === 'string' ? e.name : e.name.text));
    const parts = [];
    for (let n = 0, i = 0; n < 5_000_000; i++) {
      parts.push(names[i % names.length]);
      n += parts.at(-1).length + 2;
    }
    const text = parts.join(', ');
    const hl = await sorot.createHighlighter(inWorker ? { worker: true } : {});
    const memory = async () => (await glue.default()).memory.buffer.byteLength / 2 ** 20;
    const before = inWorker ? 0 : await memory();
    const { result: matches, ...timing } = await whileResponsive(() => hl.find(text));
    const out = { before, after: inWorker ? 0 : await memory(), ...timing, count: matches.length };
    out.sample = matches.slice(0, 3).map((m) => m.text);
    hl.free();
    return out;
  }, worker);
}

test('in the page: find() of 5 MB of dense names takes a bounded wasm memory and lets the page respond throughout', async () => {
  const page = await blankPage(env.browser, env.url, '');
  const got = await findFiveMegabytes(page, false);
  console.log(`5 MB find() in the page: wasm memory ${got.before.toFixed(1)} -> ${got.after.toFixed(1)} MiB, ${got.count} matches in ${got.ms.toFixed(0)} ms, `
    + `${got.frames} frames drawn, ${got.timers} turns of a 10 ms timer, longest task ${got.longest.toFixed(0)} ms`);
  assert.ok(got.count > 300_000, `${got.count} matches`);
  // Before slicing: 4.6 -> 98.6 MiB here (179 MB in the probe), kept for the
  // page's life. Now: the candidates (about 500,000 of 28 bytes) and one slice's work.
  assert.ok(got.after < 64, `the wasm memory grew to ${got.after.toFixed(1)} MiB`);
  // Each step is a few ms on a quiet machine (then no long task at all); on a
  // shared one a step is stretched (tasks up to 850 ms seen at a load of 20 on 2
  // cores), so the bound is relative to the whole: before slicing, one task held
  // the whole find (5.7 s of 5.7 s, no frame drawn).
  assert.ok(got.frames >= 10, `the page drew ${got.frames} frames during the find`);
  assert.ok(got.timers >= 5, `the page's 10 ms timer ran ${got.timers} times during the find`);
  assert.ok(got.longest < Math.max(50, got.ms * 0.25), `a task of ${got.longest.toFixed(0)} ms in a find of ${got.ms.toFixed(0)} ms`);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('in the page: find() of 1.5 million characters of Russian and Chinese names (no paragraph break, no space in the Chinese) is cut into slices as well', async () => {
  const page = await blankPage(env.browser, env.url, '');
  const got = await page.evaluate(async () => {
    const sorot = await import('/lib/sorot.js');
    const { whileResponsive } = await import('/__test/inspect.mjs');
    const gazetteer = { entities: [
      { id: 'msk', name: 'Москва', type: 'LOC' },
      { id: 'vvp', name: 'Владимир Путин', type: 'PER' },
      { id: 'spb', name: 'Санкт-Петербург', type: 'LOC' },
      { id: 'bj', name: '北京', type: 'LOC' },
      { id: 'tk', name: '東京都', type: 'LOC' },
      { id: 'sh', name: '上海', type: 'LOC' },
    ] };
    const russian = 'Владимир Путин приехал в Москва, потом Санкт-Петербург. '.repeat(18_000);
    const chinese = '北京と東京都と上海の人。'.repeat(40_000);
    const text = `${russian}\n${chinese}`;
    const hl = await sorot.createHighlighter({ gazetteer });
    const { result: matches, ms, frames, longest } = await whileResponsive(() => hl.find(text));
    const counts = {};
    for (const m of matches) counts[m.id] = (counts[m.id] ?? 0) + 1;
    hl.free();
    return { length: text.length, ms, frames, longest, counts };
  });
  console.log(`Russian and Chinese: ${got.length} UTF-16 units in ${got.ms.toFixed(0)} ms, ${got.frames} frames drawn, longest task ${got.longest.toFixed(0)} ms`);
  assert.deepEqual(got.counts, { vvp: 18_000, msk: 18_000, spb: 18_000, bj: 40_000, tk: 40_000, sh: 40_000 });
  // As for the 5 MB above: before, such text had no place to cut and was one task.
  assert.ok(got.frames >= 10, `the page drew ${got.frames} frames during the find`);
  assert.ok(got.longest < Math.max(50, got.ms * 0.25), `a task of ${got.longest.toFixed(0)} ms in a find of ${got.ms.toFixed(0)} ms`);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('in a Worker: find() of 5 MB of dense names completes with the same matches', async () => {
  const page = await blankPage(env.browser, env.url, '');
  const inWorker = await findFiveMegabytes(page, true);
  const inPage = await findFiveMegabytes(page, false);
  console.log(`5 MB find() in a Worker: ${inWorker.count} matches in ${inWorker.ms.toFixed(0)} ms, longest task on the page ${inWorker.longest.toFixed(0)} ms`);
  assert.equal(inWorker.count, inPage.count);
  assert.deepEqual(inWorker.sample, inPage.sample);
  await page.close();
});
