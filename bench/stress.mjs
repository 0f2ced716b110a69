// The benchmark's large-document measures, run inside a page built from real
// corpus text (bench/highlight.mjs writes the paragraphs to dist/bench/): removing
// many marks, switching the renderer, and the long tasks of highlighting. Each
// call is made in a fresh tab. Timings use performance.now().

const absolute = (url) => new URL(url, import.meta.url).href;

function layout() {
  return document.documentElement.getBoundingClientRect().height;
}

const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

/**
 * Fills the body with the paragraphs of `url` (a JSON array of `{h, text}`: a
 * heading or a paragraph of real text), in order, until their text is `bytes`
 * long in UTF-8; the list is gone through again from the start only when it is
 * shorter. Elements are made with createElement and textContent.
 * @returns {Promise<{bytes: number, blocks: number, rounds: number}>}
 */
export async function buildDocument(url, bytes) {
  const response = await fetch(absolute(url));
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const paragraphs = await response.json();
  if (paragraphs.length === 0) throw new Error(`${url}: no paragraphs`);
  const encoder = new TextEncoder();
  const article = document.createElement('article');
  let size = 0;
  let blocks = 0;
  let rounds = 0;
  while (size < bytes) {
    rounds += 1;
    for (const p of paragraphs) {
      const el = document.createElement(p.h ? 'h2' : 'p');
      el.textContent = p.text;
      article.append(el);
      size += encoder.encode(p.text).length + 1;
      blocks += 1;
      if (size >= bytes) break;
    }
  }
  document.body.replaceChildren(article);
  layout();
  return { bytes: size, blocks, rounds };
}

/**
 * A highlighter of the library at `library` (a URL path: the profiled runs use
 * a copy whose wasm keeps its function names).
 */
async function highlighter(gazetteer, worker = false, library = '/__sorot/sorot.js') {
  const { createHighlighter } = await import(library);
  return createHighlighter({ ...(gazetteer ? { gazetteer: { url: absolute(gazetteer) } } : {}), ...(worker ? { worker } : {}) });
}

/** The highlight markAll() made, for removeNow(). */
let marked = null;

/**
 * Highlights the body with the mark renderer (timed) and keeps the handle for
 * removeNow(); the body's HTML is kept to check the removal.
 * @param {{gazetteer?: string, library?: string}} o a gazetteer URL path (default:
 *   the default gazetteer); the library's entry (see highlighter())
 * @returns {Promise<{marks: number, matches: number, highlightMs: number}>}
 */
export async function markAll({ gazetteer, library } = {}) {
  marked?.h.remove();
  const hl = await highlighter(gazetteer, false, library);
  const before = document.body.innerHTML;
  const t0 = performance.now();
  const h = await hl.highlight(document.body, { renderer: 'mark' });
  layout();
  const highlightMs = performance.now() - t0;
  marked = { h, before };
  await frame();
  return { marks: document.body.querySelectorAll('mark').length, matches: h.matches.length, highlightMs };
}

/** The body's HTML before markAll(), for restored(). */
let original = null;

/**
 * Times `remove()` of what markAll() made, and apart from it the re-layout after it.
 * @returns {{ms: number, layoutMs: number}}
 */
export function removeNow() {
  if (!marked) throw new Error('removeNow() before markAll()');
  const { h, before } = marked;
  marked = null;
  original = before;
  const t0 = performance.now();
  h.remove();
  const t1 = performance.now();
  layout();
  const t2 = performance.now();
  return { ms: t1 - t0, layoutMs: t2 - t1 };
}

/** Whether the body's HTML after removeNow() is what it was before markAll(). */
export function restored() {
  return original !== null && document.body.innerHTML === original;
}

/**
 * Switches the renderer as the demo does (remove(), then highlight() with the
 * other renderer), both ways, each timed up to the re-layout after it.
 * @returns {Promise<{matches: number, firstMs: number, toMarkMs: number, toHighlightApiMs: number}>}
 */
export async function switchRenderer({ gazetteer } = {}) {
  const hl = await highlighter(gazetteer);
  const t0 = performance.now();
  let h = await hl.highlight(document.body, { renderer: 'highlight-api' });
  layout();
  const firstMs = performance.now() - t0;
  const matches = h.matches.length;
  await frame();
  const t1 = performance.now();
  h.remove();
  h = await hl.highlight(document.body, { renderer: 'mark' });
  layout();
  const toMarkMs = performance.now() - t1;
  await frame();
  const t2 = performance.now();
  h.remove();
  h = await hl.highlight(document.body, { renderer: 'highlight-api' });
  layout();
  const toHighlightApiMs = performance.now() - t2;
  return { matches, firstMs, toMarkMs, toHighlightApiMs };
}

/** The highlighter ready() made, for longTasks(). */
let prepared = null;

/**
 * Makes the highlighter longTasks() uses, and lets the page settle.
 * @param {{gazetteer?: string, worker?: boolean, library?: string}} o
 */
export async function ready({ gazetteer, worker = false, library } = {}) {
  prepared = await highlighter(gazetteer, worker, library);
  await frame();
  await frame();
}

/**
 * The main thread's long tasks (PerformanceObserver, type `longtask`: over 50 ms)
 * from the highlight() call until the page is drawn, with the highlighter ready()
 * made (its engine in the page or in a Worker).
 * @returns {Promise<{matches: number, ms: number, tasks: number[], supported: boolean}>}
 */
export async function longTasks() {
  if (!prepared) throw new Error('longTasks() before ready()');
  const supported = PerformanceObserver.supportedEntryTypes.includes('longtask');
  const hl = prepared;
  prepared = null;
  const entries = [];
  const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
  observer.observe({ type: 'longtask' });
  const t0 = performance.now();
  const h = await hl.highlight(document.body);
  layout();
  const t1 = performance.now();
  await frame();
  await new Promise((resolve) => setTimeout(resolve, 100)); // long task entries come after the task
  entries.push(...observer.takeRecords());
  observer.disconnect();
  const tasks = entries.filter((e) => e.startTime + e.duration >= t0 && e.startTime <= t1 + 1).map((e) => e.duration);
  return { matches: h.matches.length, ms: t1 - t0, tasks, supported };
}
