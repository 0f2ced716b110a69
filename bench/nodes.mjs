// The main thread on a page of many text nodes (issue 15: "a page with 100,000 text
// nodes completes, with the main thread never blocked more than 50 ms at a time"):
// highlight(), remove() and highlight() again with each renderer, and the peers of
// bench/highlight.mjs on the same page, in headless Chromium, the page's frames watched with
// PerformanceObserver ('long-animation-frame': a frame that took over 50 ms, its
// style and layout included; 'longtask': a task over 50 ms).
// Usage (after ./build.sh): node bench/nodes.mjs [options] (--help lists them), or
// ./build.sh bench nodes [options]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { setup, ROOT } from '../tests/browser/helpers.mjs';

const { values: opt } = parseArgs({
  options: {
    nodes: { type: 'string', default: '100000' },
    systems: { type: 'string', default: 'highlight-api,mark,mark.js,advanced-mark.js,regexp,sheets' },
    runs: { type: 'string', default: '1' },
    profile: { type: 'boolean' },
    gc: { type: 'boolean' },
    heap: { type: 'boolean' },
    timeout: { type: 'string', default: '300' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (opt.help) {
  console.log(`usage: node bench/nodes.mjs [--nodes N] [--systems LIST] [--runs N] [--profile]
A page of N text nodes (default 100,000) made from the demo's sample article, its
sentences split across <a>, <b> and <i> as news pages do; highlight() then remove()
with each of sorot's renderers (highlight-api, mark), then highlight() again
with the same highlighter ('again'), and the peers of
bench/highlight.mjs (mark.js, advanced-mark.js, regexp: the default gazetteer's
forms, bench/page.mjs) highlighting the same page, and 'sheets' (the browser's
own cost of adopting style sheets on the page); each in a fresh tab; prints the
frames and tasks over 50 ms. --profile adds a CPU profile and the longest frames;
--timeout S stops a system after S seconds (default 300) and says so; --gc records
a trace and prints the page's garbage collections in each phase, and how much of
each long frame or task they took; --heap samples the page's allocations (CDP's
HeapProfiler, those collected since included) and prints where the most bytes were
allocated, for the whole run.`);
  process.exit(0);
}
const NODES = Number(opt.nodes);
if (!Number.isInteger(NODES) || NODES < 1) throw new Error(`--nodes: a whole number, not '${opt.nodes}'`);
const SAMPLE = readFileSync(path.join(ROOT, 'www/demo/sample/lavrov-kim-id.txt'), 'utf8');

// Runs in the page: builds the document, then times highlight() and remove().
async function inPage({ text, nodes, system }) {
  const words = text.split(/\s+/).filter(Boolean);
  const article = document.createElement('article');
  let made = 0;
  let w = 0;
  while (made < nodes) {
    const p = document.createElement('p');
    // A paragraph of 5 text nodes: plain, a link, plain, bold, plain (italic every third).
    for (let k = 0; k < 5 && made < nodes; k++) {
      const n = 3 + ((w + k) % 5);
      const piece = `${words.slice(w % words.length, (w % words.length) + n).join(' ')} `;
      w += n;
      const tag = k === 1 ? 'a' : k === 3 ? (made % 3 === 0 ? 'i' : 'b') : null;
      if (tag) {
        const el = document.createElement(tag);
        if (tag === 'a') el.href = '#';
        el.textContent = piece;
        p.append(el);
      } else {
        p.append(piece);
      }
      made++;
    }
    article.append(p);
  }
  document.body.replaceChildren(article);
  document.documentElement.getBoundingClientRect();
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  if (system === 'sheets') {
    // The browser's own cost, for reference: the frame after adopting a style sheet
    // on this page (nothing highlighted), and after taking it away.
    const sheets = {
      'one ::highlight() rule': '::highlight(x) { background-color: yellow; }',
      '9 ::highlight() rules': Array.from({ length: 9 }, (_, i) => `::highlight(x${i}) { background-color: yellow; }`).join('\n'),
      ':root::highlight()': ':root::highlight(x) { background-color: yellow; }',
      'one ::selection rule': '::selection { background-color: yellow; }',
      'one ordinary rule': '.none { background-color: yellow; }',
    };
    const out = [];
    for (const [label, css] of Object.entries(sheets)) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      await frame();
      let t = performance.now();
      document.adoptedStyleSheets = [sheet];
      await frame();
      const adopt = performance.now() - t;
      await frame();
      t = performance.now();
      document.adoptedStyleSheets = [];
      await frame();
      out.push({ label, adopt, drop: performance.now() - t });
    }
    return { sheets: out };
  }
  const peer = !['highlight-api', 'mark'].includes(system);
  const bench = peer ? await import('/__bench/page.mjs') : null;
  const hl = peer ? null : await (await import('/__sorot/sorot.js')).createHighlighter();
  if (peer) await bench.prepare({ system });
  await frame();
  await frame();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let textNodes = 0;
  while (walker.nextNode()) textNodes++;

  const entries = [];
  const types = ['long-animation-frame', 'longtask'].filter((t) => PerformanceObserver.supportedEntryTypes.includes(t));
  const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
  for (const type of types) observer.observe({ type });
  // The page's own turns: a 10 ms timer, to see how long the page went without one.
  let lastTick = performance.now();
  let worstGap = 0;
  let ticking = true;
  const tick = () => {
    const now = performance.now();
    worstGap = Math.max(worstGap, now - lastTick);
    lastTick = now;
    if (ticking) setTimeout(tick, 10);
  };
  setTimeout(tick, 10);
  const settle = async () => {
    await frame();
    await frame();
    await new Promise((resolve) => setTimeout(resolve, 300));
  };
  const phase = async (name, work) => {
    // The bench's own work (the count of text nodes, the observers: 40 to 60 ms on
    // this page) ends in a task before the call: a long task or frame that ended
    // before it is not counted.
    await frame();
    entries.push(...observer.takeRecords());
    entries.length = 0;
    worstGap = 0;
    lastTick = performance.now();
    const t0 = performance.now();
    performance.mark(`sorot-bench:${name}`); // for --gc: the trace's clock against the page's
    const result = await work();
    const ms = performance.now() - t0;
    await settle();
    entries.push(...observer.takeRecords());
    // What ended after the call began (both observers report only entries over 50 ms).
    const seen = entries.filter((e) => e.startTime + e.duration >= t0);
    const detail = seen.filter((e) => e.entryType === 'long-animation-frame').map((e) => ({
      ms: Math.round(e.duration),
      scripts: Math.round((e.scripts ?? []).reduce((n, x) => n + x.duration, 0)),
      style: Math.round(e.styleAndLayoutStart ? e.startTime + e.duration - e.styleAndLayoutStart : 0),
      top: [...(e.scripts ?? [])].sort((a, b) => b.duration - a.duration).slice(0, 2).map((x) => `${x.invoker || x.invokerType} ${Math.round(x.duration)} ms (${String(x.sourceFunctionName || '')}@${String(x.sourceURL || '').split('/').pop()})`).join('; '),
    }));
    const pick = (type) => seen.filter((e) => e.entryType === type).map((e) => Math.round(e.duration));
    const longs = seen.map((e) => ({ type: e.entryType, start: e.startTime, ms: e.duration }));
    return { t0, end: performance.now(), ms, detail, longs, frames: pick('long-animation-frame'), tasks: pick('longtask'), worstGap, ...result };
  };
  let h;
  const before = document.body.innerHTML;
  const highlight = await phase('highlight', async () => {
    if (peer) return { matches: (await bench.execute()).highlights };
    h = await hl.highlight(document.body, { renderer: system });
    return { matches: h.matches.length };
  });
  const remove = peer ? null : await phase('remove', async () => { h.remove(); return {}; });
  const restored = peer ? null : document.body.innerHTML === before;
  // The same highlighter again (the Highlight API takes over the sheet remove() left).
  const again = peer ? null : await phase('again', async () => {
    h = await hl.highlight(document.body, { renderer: system });
    return { matches: h.matches.length };
  });
  ticking = false;
  observer.disconnect();
  return { textNodes, types, highlight, remove, again, restored };
}

/**
 * The page's garbage collections (V8's MinorGC and MajorGC on its main thread) in
 * a trace, on the page's clock (performance.now()), from the bench's marks.
 */
function collections(trace) {
  const events = trace.traceEvents ?? trace;
  const mark = events.find((e) => e.name?.startsWith('sorot-bench:') && e.args?.data?.startTime !== undefined);
  if (!mark) return [];
  const offset = mark.ts / 1000 - mark.args.data.startTime;
  return events.filter((e) => e.ph === 'X' && e.pid === mark.pid && e.tid === mark.tid && (e.name === 'MinorGC' || e.name === 'MajorGC'))
    .map((e) => ({ name: e.name, start: e.ts / 1000 - offset, ms: e.dur / 1000 }));
}

/** The functions that took the most time of a CDP CPU profile (self time), top 15. */
function printProfile(profile) {
  const self = new Map();
  const dt = new Map();
  profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (dt.get(node.id) ?? 0));
  }
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`    ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`);
}

/** Where a CDP sampling heap profile allocated the most bytes (self size), top 20. */
function printHeap(profile) {
  const self = new Map();
  let total = 0;
  const visit = (node, caller) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber + 1}`;
    const key = url ? name : `${name} (in ${caller})`;
    self.set(key, (self.get(key) ?? 0) + node.selfSize);
    total += node.selfSize;
    for (const child of node.children) visit(child, url ? name : caller);
  };
  visit(profile.head, '');
  console.log(`    allocated (sampled) ${(total / 1e6).toFixed(1)} MB in all; by function:`);
  for (const [key, bytes] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`    ${(bytes / 1e6).toFixed(1).padStart(7)} MB  ${key}`);
}

const env = await setup({
  mounts: [
    { prefix: '/__sorot/pkg/', root: path.join(ROOT, 'dist/pkg') },
    { prefix: '/__sorot/', root: path.join(ROOT, 'www/lib') },
    { prefix: '/__bench/lib/mark.js/', root: path.join(ROOT, 'node_modules/mark.js/dist') },
    { prefix: '/__bench/lib/advanced-mark.js/', root: path.join(ROOT, 'node_modules/advanced-mark.js/dist') },
    { prefix: '/__bench/lib/modern-ahocorasick/', root: path.join(ROOT, 'node_modules/modern-ahocorasick/dist') },
    { prefix: '/__bench/', root: path.join(ROOT, 'bench') },
  ],
});
try {
  const fmt = (n) => Math.round(n).toLocaleString('en-US');
  const list = (xs) => (xs.length ? `${xs.length} (longest ${fmt(Math.max(...xs))} ms${xs.length > 1 ? `; ${xs.slice(0, 8).map(fmt).join(', ')}${xs.length > 8 ? ', …' : ''}` : ''})` : 'none');
  console.log(`A page of ${fmt(NODES)} text nodes, each system in a fresh tab of headless Chromium (frames and tasks over 50 ms: PerformanceObserver)`);
  for (const system of opt.systems.split(',')) {
    for (let run = 0; run < Number(opt.runs); run++) {
      const page = await env.browser.newPage();
      await page.goto(`${env.url}__blank.html`);
      const cdp = opt.profile || opt.heap ? await page.context().newCDPSession(page) : null;
      if (opt.gc) await env.browser.startTracing(page, { categories: ['v8', 'disabled-by-default-v8.gc', 'blink.user_timing'] });
      if (opt.heap) {
        await cdp.send('HeapProfiler.enable');
        await cdp.send('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
      }
      if (opt.profile) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
        await cdp.send('Profiler.start');
      }
      const limit = Number(opt.timeout) * 1000;
      let timer;
      const began = Date.now();
      const r = await Promise.race([
        page.evaluate(inPage, { text: SAMPLE, nodes: NODES, system }),
        new Promise((resolve) => { timer = setTimeout(() => resolve(null), limit); }),
      ]).finally(() => clearTimeout(timer));
      if (!r) {
        console.log(`\n${system}: stopped after ${fmt((Date.now() - began) / 1000)} s (--timeout), the page still busy`);
        await page.close().catch(() => {});
        break;
      }
      if (opt.profile) printProfile((await cdp.send('Profiler.stop')).profile);
      if (opt.heap) printHeap((await cdp.send('HeapProfiler.stopSampling')).profile);
      const gcs = opt.gc ? collections(JSON.parse((await env.browser.stopTracing()).toString())) : null;
      await page.close();
      if (r.sheets) {
        if (run === 0) console.log(`\nthe browser alone (sheets): the time to the next frame after a style sheet is adopted on this page, nothing highlighted, then taken away`);
        for (const x of r.sheets) console.log(`  ${x.label.padEnd(24)} adopted ${fmt(x.adopt).padStart(5)} ms, taken away ${fmt(x.drop).padStart(5)} ms`);
        continue;
      }
      const label = ['highlight-api', 'mark'].includes(system) ? `sorot (${system})` : system;
      if (run === 0) console.log(`\n${label}: ${fmt(r.textNodes)} text nodes, ${fmt(r.highlight.matches)} matches (observed: ${r.types.join(', ') || 'nothing'})${r.restored === null ? '' : `; HTML restored after remove(): ${r.restored ? 'yes' : 'NO'}`}`);
      for (const name of ['highlight', 'remove', 'again']) {
        const p = r[name];
        if (!p) continue;
        if (opt.profile) for (const d of p.detail.sort((a, b) => b.ms - a.ms).slice(0, 8)) console.log(`      frame ${d.ms} ms: scripts ${d.scripts} ms, style and layout ${d.style} ms; ${d.top}`);
        console.log(`  ${name.padEnd(9)} ${fmt(p.ms).padStart(7)} ms; frames over 50 ms: ${list(p.frames)}; tasks over 50 ms: ${list(p.tasks)}; longest wait of a 10 ms timer ${fmt(p.worstGap)} ms`);
        if (gcs) {
          const inside = (from, to) => gcs.filter((g) => g.start < to && g.start + g.ms > from);
          const all = inside(p.t0, p.end);
          const sum = (xs) => xs.reduce((n, g) => n + g.ms, 0);
          const minor = all.filter((g) => g.name === 'MinorGC');
          const major = all.filter((g) => g.name === 'MajorGC');
          const longest = (xs) => (xs.length ? `, longest ${fmt(Math.max(...xs.map((g) => g.ms)))} ms` : '');
          console.log(`            garbage collections: ${minor.length} minor, ${fmt(sum(minor))} ms${longest(minor)}; ${major.length} major, ${fmt(sum(major))} ms${longest(major)}`);
          for (const l of p.longs) {
            const own = inside(l.start, l.start + l.ms);
            if (own.length > 0) console.log(`            the ${fmt(l.ms)} ms ${l.type === 'longtask' ? 'task' : 'frame'}: ${own.map((g) => `${g.name} ${fmt(g.ms)} ms`).join(', ')}`);
          }
        }
      }
    }
  }
} finally {
  await env.close();
}
