// The highlighting benchmark: sorot side by side with mark.js and advanced-mark.js
// on the real pages of the shared corpus (../shared/corpus/pages, read in place),
// in headless Chromium. See bench/README.md for what is measured and how the
// peers are used. Usage (after ./build.sh):
//
//   node bench/highlight.mjs [--runs N] [--pages REGEX] [--limit N] [--systems LIST]
//                            [--shape trie|flat] [--case-aware] [--verbose]
//                            [--no-extras] [--extra-limit S] [--small PAGE]
//
// Each page is loaded afresh for every system and every run, with the network and
// the page's own scripts blocked (as the real-pages test suite does), and
// document.body is highlighted once.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { siteMounts } from '../scripts/site.mjs';
import { parseArgs } from 'node:util';
import { setup, ROOT } from '../tests/browser/helpers.mjs';
import { CORPUS, listPages, pagesHandler } from '../scripts/corpus-pages.mjs';

const SAMPLE = path.join(ROOT, 'www/demo/sample/lavrov-kim-id.txt');
const SYNTHETIC = '__synthetic.html';
const SYSTEMS = ['sorot', 'sorot-mark', 'mark.js', 'advanced-mark.js'];

const HELP = `usage: node bench/highlight.mjs [options]   (./build.sh bench [options])
  --runs N          loads per page and system; the median is kept (default 3)
  --pages REGEX     only the corpus pages whose path matches
  --limit N         at most N pages, evenly spread over the sorted list (default 20; 0: all)
  --systems LIST    comma-separated, from: ${SYSTEMS.join(', ')} (default all)
  --shape S         the peers' RegExp: trie (default) or flat (see bench/README.md)
  --case-aware      keep the forms sorot matches only as written ("AS", "UN") case-sensitive
                    in the peers' RegExp (default: the whole RegExp is case-insensitive)
  --no-extras       skip the slow variants run once on one small page
  --extra-limit S   time limit of each of those, in seconds (default 60)
  --small PAGE      the page for them (default: the smallest page with 10+ sorot highlights)
  --timeout S       time limit of one highlighting in the main table (default 120)
  --synthetic       the synthetic page (used when the corpus is absent) instead of the corpus
  --verbose         one line per page`;

const { values: opt } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    pages: { type: 'string' },
    limit: { type: 'string', default: '20' },
    systems: { type: 'string', default: SYSTEMS.join(',') },
    shape: { type: 'string', default: 'trie' },
    'case-aware': { type: 'boolean', default: false },
    'no-extras': { type: 'boolean', default: false },
    'extra-limit': { type: 'string', default: '60' },
    small: { type: 'string' },
    timeout: { type: 'string', default: '120' },
    synthetic: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  console.log(HELP);
  process.exit(0);
}
const fail = (message) => {
  console.error(`bench/highlight.mjs: ${message}\n${HELP}`);
  process.exit(2);
};
const positive = (name, value) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) fail(`--${name} must be a number, not ${JSON.stringify(value)}`);
  return n;
};
const runs = Math.max(1, Math.floor(positive('runs', opt.runs)));
const limit = Math.floor(positive('limit', opt.limit));
const timeoutMs = positive('timeout', opt.timeout) * 1000;
const extraLimitMs = positive('extra-limit', opt['extra-limit']) * 1000;
const systems = opt.systems.split(',').map((s) => s.trim()).filter(Boolean);
for (const s of systems) if (!SYSTEMS.includes(s)) fail(`unknown system ${JSON.stringify(s)}`);
if (!['trie', 'flat'].includes(opt.shape)) fail(`--shape must be trie or flat, not ${JSON.stringify(opt.shape)}`);
const regexOptions = { shape: opt.shape, caseAware: opt['case-aware'] };
for (const f of ['dist/pkg/sorot_bg.wasm', 'dist/pkg/default-gazetteer.json', 'node_modules/mark.js/dist/mark.es6.min.js', 'node_modules/advanced-mark.js/dist/mark.es6.min.js']) {
  if (!existsSync(path.join(ROOT, f))) fail(`${f} is missing: run ./build.sh first`);
}

const version = (pkg) => JSON.parse(readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
const LABELS = {
  sorot: 'sorot (highlight-api)',
  'sorot-mark': 'sorot (mark)',
  'mark.js': `mark.js ${version('mark.js')}`,
  'advanced-mark.js': `advanced-mark.js ${version('advanced-mark.js')}`,
  'mark.js-array': `mark.js ${version('mark.js')} mark(array)`,
};

/** `n` items evenly spread over `list` (all of it when n is 0 or too large). */
function spread(list, n) {
  if (n === 0 || n >= list.length) return list;
  return Array.from({ length: n }, (_, i) => list[Math.floor((i * list.length) / n)]);
}

/** The fallback page: the demo's sample article, 20 times, one paragraph per line. */
function syntheticPage() {
  const text = readFileSync(SAMPLE, 'utf8');
  const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const paragraphs = text.split(/\n+/).filter((l) => l.trim()).map((l) => `<p>${escape(l)}</p>`).join('\n');
  const articles = Array.from({ length: 20 }, (_, i) => `<article><h2>Copy ${i + 1}</h2>\n${paragraphs}\n</article>`).join('\n');
  return `<!doctype html><html lang="id"><head><meta charset="utf-8"><title>synthetic</title></head><body>\n${articles}\n</body></html>`;
}

const corpusPages = opt.synthetic ? [] : listPages();
const only = opt.pages ? new RegExp(opt.pages) : null;
const synthetic = corpusPages.length === 0;
const pages = synthetic ? [SYNTHETIC] : spread(corpusPages.filter((p) => !only || only.test(p)), limit);
if (pages.length === 0) fail(`no corpus page matches --pages ${opt.pages}`);
const pageBytes = (name) => (name === SYNTHETIC ? Buffer.byteLength(syntheticPage()) : statSync(path.join(CORPUS, name)).size);

const env = await setup({
  handle: pagesHandler(['/__sorot/', '/__bench/'], (rel) => (rel === SYNTHETIC ? syntheticPage() : null)),
  mounts: [
    ...siteMounts('/__sorot/'),
    { prefix: '/__bench/lib/mark.js/', root: path.join(ROOT, 'node_modules/mark.js/dist') },
    { prefix: '/__bench/lib/advanced-mark.js/', root: path.join(ROOT, 'node_modules/advanced-mark.js/dist') },
    { prefix: '/__bench/', root: path.join(ROOT, 'bench') },
  ],
});

let context;
let blocked = 0;
async function newContext() {
  await context?.close().catch(() => {});
  context = await env.browser.newContext({ serviceWorkers: 'block' });
  await context.route('**/*', (route) => {
    if (route.request().url().startsWith(env.url)) return route.continue();
    blocked += 1;
    return route.abort('blockedbyclient');
  });
}

const shorten = (message) => {
  const line = String(message).split('\n')[0];
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
};

/**
 * Loads `name` in a new page (a new renderer: nothing compiled or cached in it
 * yet) and highlights its body once with `system`.
 * @returns {Promise<{setupMs: number, ms: number, highlights: number, marks: number} | {stopped: true, afterMs: number} | {error: string}>}
 */
async function measure(name, system, limitMs, extra = {}) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  let timer;
  try {
    await page.goto(`${env.url}__pages/${name.split(path.sep).map(encodeURIComponent).join('/')}`, { waitUntil: 'load', timeout: 60_000 });
    const started = Date.now();
    const work = page.evaluate(async (args) => (await import(args.url)).run(args),
      { url: `${env.url}__bench/page.mjs`, system, ...regexOptions, ...extra });
    const stop = new Promise((resolve) => { timer = setTimeout(() => resolve({ stopped: true, afterMs: Date.now() - started }), limitMs); });
    const result = await Promise.race([work, stop]);
    if (result.stopped) {
      work.catch(() => {});
      await newContext(); // the page's main thread is still busy: a new context for what follows
    }
    return result;
  } catch (err) {
    return { error: `${shorten(err.message)}${errors.length ? ` (${shorten(errors[0])})` : ''}` };
  } finally {
    clearTimeout(timer);
    if (!page.isClosed()) await page.close().catch(() => {});
  }
}

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
/** Nearest-rank percentile. */
const percentile = (values, p) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
const ms = (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));

function table(rows, rightFrom = 1) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => r.map((c, i) => (i < rightFrom ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ').trimEnd()).join('\n');
}

const started = Date.now();
await newContext();
const cpu = (await import('node:os')).cpus();
console.log(`sorot highlighting benchmark: ${synthetic
  ? `one synthetic page (${SAMPLE.slice(ROOT.length + 1)} 20 times${opt.synthetic ? '' : `: no corpus at ${CORPUS}`})`
  : `${pages.length} page(s) of ${CORPUS}`}; ${runs} load(s) per page and system, median kept; ` +
  `Chromium ${env.browser.version()}, ${cpu.length} x ${cpu[0]?.model ?? 'CPU'}; peers' RegExp: ${opt.shape}` +
  `${opt['case-aware'] ? ', case-aware' : ''}`);

// results[system][page] = {ms: [...], setupMs: [...], highlights, marks, failed}
const results = Object.fromEntries(systems.map((s) => [s, {}]));
const problems = [];
for (const [i, name] of pages.entries()) {
  for (let r = 0; r < runs; r++) {
    const k = (i + r) % systems.length; // each system goes first in turn
    for (const system of [...systems.slice(k), ...systems.slice(0, k)]) {
      const slot = (results[system][name] ??= { ms: [], setupMs: [], highlights: null, marks: null, failed: null });
      if (slot.failed) continue;
      const res = await measure(name, system, timeoutMs);
      if (res.error || res.stopped) {
        slot.failed = res.error ?? `stopped after ${(res.afterMs / 1000).toFixed(0)} s`;
        problems.push({ system, page: name, message: slot.failed });
        continue;
      }
      slot.ms.push(res.ms);
      slot.setupMs.push(res.setupMs);
      if (slot.highlights !== null && slot.highlights !== res.highlights) {
        problems.push({ system, page: name, message: `the number of highlights changed between runs (${slot.highlights}, then ${res.highlights})` });
      }
      slot.highlights = res.highlights;
      slot.marks = res.marks;
    }
  }
  process.stderr.write(`\r${i + 1}/${pages.length} pages, ${((Date.now() - started) / 1000).toFixed(0)} s `);
}
process.stderr.write('\n');

const summary = [['system', 'pages', 'highlights', 'median ms', 'p90 ms', 'worst ms', 'total ms', 'set-up ms', 'worst page']];
for (const system of systems) {
  const done = Object.entries(results[system]).filter(([, s]) => !s.failed && s.ms.length > 0);
  if (done.length === 0) {
    summary.push([LABELS[system], '0', '-', '-', '-', '-', '-', '-', '']);
    continue;
  }
  const per = done.map(([page, s]) => ({ page, ms: median(s.ms) }));
  const worst = per.reduce((a, b) => (b.ms > a.ms ? b : a));
  summary.push([
    LABELS[system],
    String(done.length),
    String(done.reduce((n, [, s]) => n + s.highlights, 0)),
    ms(median(per.map((p) => p.ms))),
    ms(percentile(per.map((p) => p.ms), 90)),
    ms(worst.ms),
    ms(per.reduce((n, p) => n + p.ms, 0)),
    ms(median(done.flatMap(([, s]) => s.setupMs))),
    worst.page,
  ]);
}
console.log(`\nTime to highlight document.body (call to forced re-layout), per page the median of ${runs} load(s):`);
console.log(table(summary));
console.log(`set-up: sorot = createHighlighter() (fetch and compile the wasm and the default gazetteer); ` +
  `peers = fetch the gazetteer, build the RegExp and let V8 compile it. Median over all loads.`);

if (opt.verbose) {
  const head = ['page', 'KB', ...systems.map((s) => `${LABELS[s]}: n / ms`)];
  const lines = pages.map((name) => [name, (pageBytes(name) / 1024).toFixed(0), ...systems.map((s) => {
    const slot = results[s][name];
    if (!slot) return '-';
    if (slot.failed) return slot.failed.startsWith('stopped') ? slot.failed : 'error (below)';
    return `${slot.highlights} / ${ms(median(slot.ms))}`;
  })]);
  console.log(`\n${table([head, ...lines], 1)}`);
}

// The slow variants, once, on one small page.
if (!opt['no-extras']) {
  let small = opt.small;
  if (!small) {
    const counts = results.sorot ?? results['sorot-mark'] ?? {};
    const candidates = pages.filter((p) => (counts[p]?.highlights ?? 10) >= 10);
    small = (candidates.length ? candidates : pages).reduce((a, b) => (pageBytes(b) < pageBytes(a) ? b : a));
  }
  console.log(`\nSlow variants, once each on ${small} (${(pageBytes(small) / 1024).toFixed(0)} KB), stopped after ${extraLimitMs / 1000} s:`);
  const rows = [['variant', 'highlights', 'marks', 'ms', 'set-up ms']];
  const variants = [
    ['mark.js', { shape: 'trie' }, `${LABELS['mark.js']} markRegExp, trie RegExp`],
    ['mark.js', { shape: 'flat' }, `${LABELS['mark.js']} markRegExp, flat RegExp`],
    ['advanced-mark.js', { shape: 'flat' }, `${LABELS['advanced-mark.js']} markRegExp, flat RegExp`],
    ['mark.js-array', {}, `${LABELS['mark.js-array']}, one term per form`],
  ];
  for (const [system, extra, label] of variants) {
    const res = await measure(small, system, extraLimitMs, extra);
    if (res.error) rows.push([label, '-', '-', `error: ${res.error}`, '']);
    else if (res.stopped) rows.push([label, '-', '-', `stopped after ${(res.afterMs / 1000).toFixed(0)} s`, '']);
    else rows.push([label, String(res.highlights), String(res.marks), ms(res.ms), ms(res.setupMs)]);
  }
  console.log(table(rows));
}

if (problems.length > 0) {
  // The same message on many pages once, with the pages.
  const byMessage = new Map();
  for (const { system, page, message } of problems) {
    const key = `${LABELS[system]}: ${message}`;
    byMessage.set(key, [...(byMessage.get(key) ?? []), page]);
  }
  const lines = [...byMessage].map(([key, list]) => `${key} (${list.length > 3 ? `${list.length} pages, e.g. ${list.slice(0, 3).join(', ')}` : list.join(', ')})`);
  console.log(`\nproblems:\n  ${lines.join('\n  ')}`);
}
console.log(`\nnetwork requests blocked: ${blocked}; wall time ${((Date.now() - started) / 1000).toFixed(0)} s`);
await context.close().catch(() => {});
await env.close();
