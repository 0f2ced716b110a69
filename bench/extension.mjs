// The extension's benchmark: from navigation to highlights drawn, with the built
// Chromium extension (dist/extension-chromium/) on the corpus pages served as a
// default news site (https://www.kompas.com/__pages/..., no script of the page
// runs, nothing leaves the machine: tests/browser/extension-helpers.mjs), with the
// service worker warm (running, engine loaded) and cold (stopped before the
// navigation: it starts, instantiates the wasm and loads the gazetteer again),
// beside the page's own highlight cost (the library's `highlight()` in the page,
// its engine already loaded). Usage (after ./build.sh extension):
//
//   node bench/extension.mjs [--limit N] [--runs N] [--pages REGEX] [--verbose]
//   ./build.sh bench extension [...]
//
// Figures from a busy machine are noisy; nothing here is a test.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CORPUS, listPages } from '../scripts/corpus-pages.mjs';
import { siteMounts } from '../scripts/site.mjs';
import { start, tabId, until } from '../tests/browser/extension-helpers.mjs';

const { values: opt } = parseArgs({
  options: {
    limit: { type: 'string', default: '20' },
    runs: { type: 'string', default: '3' },
    pages: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  console.log(`usage: node bench/extension.mjs [options]   (./build.sh bench extension [options])
  --limit N       at most N pages, evenly spread over the sorted list (default 20; 0: all)
  --runs N        warm loads per page (the median is kept; default 3); one cold load per page
  --pages REGEX   only the corpus pages whose path matches
  --verbose       one line per page`);
  process.exit(0);
}

const only = opt.pages ? new RegExp(opt.pages) : null;
const all = listPages().filter((p) => !only || only.test(p));
const limit = Number(opt.limit);
const pages = limit > 0 && all.length > limit ? Array.from({ length: limit }, (_, i) => all[Math.floor((i * all.length) / limit)]) : all;
if (pages.length === 0) {
  console.log(`extension benchmark: no pages at ${CORPUS} (the shared corpus, read in place); nothing to measure`);
  process.exit(0);
}

const ON = 'www.kompas.com'; // a default site: the extension runs there
const OFF = 'news.example.org'; // not in the list: the page's own highlight
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };
const env = await start({
  hosts: [ON, OFF],
  handle: (req, res, url) => {
    if (url.hostname === OFF && url.pathname.startsWith('/lib/')) {
      // The library, for the page's own highlight (siteMounts: www/lib/, dist/pkg/ under pkg/).
      const mount = siteMounts().find((m) => url.pathname.startsWith(m.prefix));
      const file = path.join(mount.root, url.pathname.slice(mount.prefix.length));
      if (!file.startsWith(mount.root + path.sep) || !existsSync(file)) return false;
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
      return true;
    }
    if (!url.pathname.startsWith('/__pages/')) return false;
    const file = path.resolve(CORPUS, decodeURIComponent(url.pathname.slice('/__pages/'.length)));
    if (!file.startsWith(CORPUS + path.sep)) return false;
    const html = readFileSync(file, 'utf8').replace(/http-equiv\s*=\s*(["']?)content-security-policy\1/gi, 'data-disabled-csp');
    const csp = url.hostname === ON ? "default-src 'none'; style-src 'unsafe-inline'"
      : "default-src 'none'; style-src 'unsafe-inline'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'";
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp }).end(html);
    return true;
  },
});

const control = await env.control();
const cdpPage = await env.context.newPage();
const cdp = await env.context.newCDPSession(cdpPage);
const workerStates = [];
cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
  for (const v of versions) if (v.scriptURL.startsWith(`chrome-extension://${env.id}/`)) workerStates.push(v.runningStatus);
});
await cdp.send('ServiceWorker.enable');

async function stopWorker() {
  workerStates.length = 0;
  await cdp.send('ServiceWorker.stopAllWorkers');
  await until(() => workerStates.includes('stopped'), 'the service worker stopped', 10_000).catch(() => {});
}

/** One load through the extension: ms from navigation to the content script's start and to drawn. */
async function throughExtension(rel) {
  const url = `https://${ON}/__pages/${rel.split(path.sep).map(encodeURIComponent).join('/')}`;
  const page = await env.context.newPage();
  try {
    await page.goto(url, { waitUntil: 'load' });
    const tab = await tabId(env, url);
    const frame = await until(() => control.evaluate(async (t) => {
      const a = await chrome.runtime.sendMessage({ sorotExtension: 1, kind: 'tabState', tabId: t });
      return a.value.frames.find((f) => f.frameId === 0 && f.timing?.drawn != null) ?? null;
    }, tab), `${rel}: the report`, 60_000);
    const matches = Object.values(frame.counts).reduce((a, b) => a + b, 0);
    return { start: frame.timing.start, ready: frame.timing.ready, drawn: frame.timing.drawn, matches };
  } finally {
    await page.close();
  }
}

/** The page's own highlight: the library in the page, engine loaded, then highlight(document.body) timed. */
async function inPage(rel) {
  const page = await env.context.newPage();
  try {
    await page.goto(`https://${OFF}/__pages/${rel.split(path.sep).map(encodeURIComponent).join('/')}`, { waitUntil: 'load' });
    return await page.evaluate(async () => {
      const { createHighlighter } = await import('/lib/sorot.js');
      const hl = await createHighlighter();
      const t0 = performance.now();
      const h = await hl.highlight(document.body);
      const ms = performance.now() - t0;
      return { ms, matches: h.matches.length };
    });
  } finally {
    await page.close();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const runs = Math.max(1, Number(opt.runs));
const rows = [];
await throughExtension(pages[0]); // the engine loaded once, the browser warmed up
for (const rel of pages) {
  await stopWorker();
  const cold = await throughExtension(rel);
  const warm = [];
  for (let i = 0; i < runs; i++) warm.push(await throughExtension(rel));
  const own = [];
  for (let i = 0; i < runs; i++) own.push(await inPage(rel));
  const row = {
    page: rel,
    matches: warm[0].matches,
    load: median(warm.map((w) => w.start)),
    warm: median(warm.map((w) => w.drawn - w.start)),
    warmReady: median(warm.map((w) => w.ready - w.start)),
    coldReady: cold.ready - cold.start,
    cold: cold.drawn - cold.start,
    own: median(own.map((o) => o.ms)),
  };
  rows.push(row);
  if (opt.verbose) console.log(`${rel}: ${row.matches} matches; navigation→script ${row.load} ms; script→gazetteer warm ${row.warmReady} ms, cold ${row.coldReady} ms; script→drawn warm ${row.warm} ms, cold ${row.cold} ms; own highlight ${row.own.toFixed(1)} ms`);
}
await env.close();

const col = (key) => rows.map((r) => r[key]);
const beyond = (key) => rows.map((r) => r[key] - r.own);
const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))];
const fmt = (x) => x.toFixed(1);
const table = [
  ['', 'median ms', 'p90', 'worst'],
  ['navigation → content script starts (document_idle; the browser)', fmt(median(col('load'))), fmt(p90(col('load'))), fmt(Math.max(...col('load')))],
  ['the page\'s own highlight() (engine in the page, loaded)', fmt(median(col('own'))), fmt(p90(col('own'))), fmt(Math.max(...col('own')))],
  ['content script → gazetteer received, warm', fmt(median(col('warmReady'))), fmt(p90(col('warmReady'))), fmt(Math.max(...col('warmReady')))],
  ['content script → gazetteer received, cold', fmt(median(col('coldReady'))), fmt(p90(col('coldReady'))), fmt(Math.max(...col('coldReady')))],
  ['content script → drawn, warm service worker', fmt(median(col('warm'))), fmt(p90(col('warm'))), fmt(Math.max(...col('warm')))],
  ['content script → drawn, cold service worker', fmt(median(col('cold'))), fmt(p90(col('cold'))), fmt(Math.max(...col('cold')))],
  ['  warm, beyond the page\'s own highlight (target ≤ 50)', fmt(median(beyond('warm'))), fmt(p90(beyond('warm'))), fmt(Math.max(...beyond('warm')))],
  ['  cold, beyond the page\'s own highlight (target ≤ 150)', fmt(median(beyond('cold'))), fmt(p90(beyond('cold'))), fmt(Math.max(...beyond('cold')))],
];
const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
console.log(`extension benchmark: ${rows.length} corpus pages, ${rows.reduce((n, r) => n + r.matches, 0)} highlights; `
  + `${runs} warm load(s) and 1 cold load per page (Chromium, dist/extension-chromium/; numbers from a shared machine are noisy)`);
for (const r of table) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
