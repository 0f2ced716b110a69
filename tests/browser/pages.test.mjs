// The real-pages suite: every page of the shared corpus (../shared/corpus/pages,
// read in place) loaded in headless Chromium and highlighted with the default
// gazetteer by each renderer, one after the other on the same load.
//
// Every network request except this test's own server is blocked, and the pages'
// own scripts do not run: the pages are served with a Content-Security-Policy
// that lets only sorot and the suite's module (tests/browser/page/probe.mjs) run.
// A page's own <meta http-equiv="Content-Security-Policy"> is switched off (it
// could forbid WebAssembly, which is not what is tested here). The checks are in
// probe.mjs; timings are printed, never asserted. The renderers take turns going
// first (the first one on a fresh page also pays for compiling the code).
//
// SOROT_PAGES=REGEX runs only the pages whose path matches.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { siteMounts } from '../../scripts/site.mjs';
import { CORPUS, listPages, pagesHandler } from '../../scripts/corpus-pages.mjs';
import { setup, ROOT } from './helpers.mjs';

/**
 * Console errors that cannot come from sorot: the browser fetching a page's icons
 * (after `load`) and being refused by the suite's policy. sorot loads no images.
 */
const PAGE_ICON_REFUSED = /^Loading the image '[^']+' violates the following Content Security Policy directive/;
/** Elements left alone on every page (checked: nothing inside them is painted). */
const EXCLUDE = 'nav, footer, aside';

const only = process.env.SOROT_PAGES ? new RegExp(process.env.SOROT_PAGES) : null;
const pages = listPages().filter((p) => !only || only.test(p));

if (pages.length === 0) {
  const why = `no pages at ${CORPUS} (the shared test corpus, read in place from ../shared/corpus relative to the repository; it is not part of the repository)`;
  console.log(`real-pages suite skipped: ${why}`);
  test('real pages', { skip: why }, () => {});
} else {
  let env;
  let context;
  const rows = [];
  let blocked = 0;
  let pagesWithErrors = 0;

  before(async () => {
    env = await setup({
      handle: pagesHandler(['/__sorot/', '/__test/']),
      mounts: [...siteMounts('/__sorot/')],
    });
    context = await env.browser.newContext({ serviceWorkers: 'block' });
    await context.route('**/*', (route) => {
      if (route.request().url().startsWith(env.url)) return route.continue();
      blocked += 1;
      return route.abort('blockedbyclient');
    });
  });

  after(async () => {
    await env?.close();
    if (rows.length > 0) printSummary(rows, blocked, pagesWithErrors);
  });

  pages.forEach((name, n) => {
    test(`page ${name}`, async () => {
      const page = await context.newPage();
      const errors = [];
      let recording = false;
      page.on('console', (msg) => {
        if (msg.text() === 'sorot-suite:start') recording = true;
        else if (recording && msg.type() === 'error' && !PAGE_ICON_REFUSED.test(msg.text())) errors.push(`console: ${msg.text()}`);
      });
      page.on('pageerror', (err) => { if (recording) errors.push(`exception: ${err.message}`); });
      try {
        await page.goto(`${env.url}__pages/${name.split(path.sep).map(encodeURIComponent).join('/')}`, { waitUntil: 'load' });
        await page.evaluate(() => console.info('sorot-suite:start'));
        const renderers = n % 2 === 0 ? ['highlight-api', 'mark'] : ['mark', 'highlight-api'];
        const result = await page.evaluate(async ({ url, ...options }) => (await import(url)).run(options),
          { url: `${env.url}__test/probe.mjs`, exclude: EXCLUDE, renderers });
        await page.evaluate(() => console.info('sorot-suite:end'));
        const failures = [];
        for (const [renderer, r] of Object.entries(result.renderers)) {
          rows.push({ page: name, renderer, ...r, failures: r.failures.length });
          failures.push(...r.failures.map((f) => `${renderer}: ${f}`));
        }
        if (errors.length > 0) pagesWithErrors += 1;
        failures.push(...errors);
        assert.deepEqual(failures, [], `${name}:\n  ${failures.join('\n  ')}`);
      } finally {
        await page.close();
      }
    });
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function printSummary(rows, blocked, pagesWithErrors) {
  const table = [['renderer', 'pages', 'matches', 'failures', 'median ms', 'worst ms', 'worst page', 'pages with moved boxes']];
  for (const renderer of [...new Set(rows.map((r) => r.renderer))]) {
    const mine = rows.filter((r) => r.renderer === renderer);
    const worst = mine.reduce((a, b) => (b.ms > a.ms ? b : a));
    table.push([
      renderer,
      String(mine.length),
      String(mine.reduce((n, r) => n + r.matches, 0)),
      String(mine.reduce((n, r) => n + r.failures, 0)),
      median(mine.map((r) => r.ms)).toFixed(1),
      worst.ms.toFixed(1),
      worst.page,
      String(mine.filter((r) => r.movedBoxes !== 0).length),
    ]);
  }
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  const line = (row) => row.map((cell, i) => (i === 0 || i === 6 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  const out = ['real-pages suite: time to highlight (collect, match, draw) per page', ...table.map(line),
    `pages with a console error or exception while sorot ran: ${pagesWithErrors}; network requests blocked: ${blocked}`,
    '"moved boxes": pages where an element moved (Highlight API: any amount, a failure; marks: more than 0.1 px, counted only)'];
  const movedByMarks = rows.filter((r) => r.renderer === 'mark' && r.movedBoxes !== 0);
  if (movedByMarks.length > 0) out.push(`  with marks: ${movedByMarks.map((r) => `${r.page} (${r.movedBoxes})`).join(', ')}`);
  console.log(out.join('\n'));
}
