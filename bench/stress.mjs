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

async function highlighter(gazetteer, worker = false) {
  const { createHighlighter } = await import('/__sorot/sorot.js');
  return createHighlighter({ ...(gazetteer ? { gazetteer: { url: absolute(gazetteer) } } : {}), ...(worker ? { worker } : {}) });
}

/**
 * Highlights the body with the mark renderer, then times `remove()`, and apart
 * from it the re-layout after it. Checks that the page's HTML came back.
 * @param {{gazetteer?: string}} o a gazetteer URL path (default: the default gazetteer)
 * @returns {Promise<{marks: number, matches: number, highlightMs: number, ms: number, layoutMs: number, restored: boolean}>}
 */
export async function removeMarks({ gazetteer } = {}) {
  const hl = await highlighter(gazetteer);
  const before = document.body.innerHTML;
  const t0 = performance.now();
  const h = await hl.highlight(document.body, { renderer: 'mark' });
  layout();
  const t1 = performance.now();
  const marks = document.body.querySelectorAll('mark').length;
  await frame();
  const t2 = performance.now();
  h.remove();
  const t3 = performance.now();
  layout();
  const t4 = performance.now();
  return { marks, matches: h.matches.length, highlightMs: t1 - t0, ms: t3 - t2, layoutMs: t4 - t3, restored: document.body.innerHTML === before };
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

/**
 * The main thread's long tasks (PerformanceObserver, type `longtask`: over 50 ms)
 * from the highlight() call until the page is drawn, with the engine in the page
 * or in a Worker.
 * @returns {Promise<{matches: number, ms: number, tasks: number[], supported: boolean}>}
 */
export async function longTasks({ gazetteer, worker = false } = {}) {
  const supported = PerformanceObserver.supportedEntryTypes.includes('longtask');
  const hl = await highlighter(gazetteer, worker);
  await frame();
  await frame();
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
