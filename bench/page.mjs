// The benchmark's module, run inside each corpus page (served at /__bench/, the
// only script besides sorot and the peers' libraries that the page's
// Content-Security-Policy lets run). One call highlights `document.body` once with
// one system, on a page that nothing has touched yet, and returns the set-up time,
// the highlighting time and the number of highlights. Timings use performance.now().
import { surfaceForms, buildRegExp } from './regex.mjs';

// Absolute URLs: a page's <base href> must not move them elsewhere.
const GAZETTEER_URL = new URL('/__sorot/pkg/default-gazetteer.json', import.meta.url).href;
const libraryUrl = (file) => new URL(`./lib/${file}`, import.meta.url).href;
/** Terms per mark(array) call (see below). */
const ARRAY_CHUNK = 500;
/** What sorot never reads as text (www/collect.js), given to the peers as `exclude`. */
const PEER_EXCLUDE = 'noscript, textarea, select, option, button, svg *, math *, [contenteditable], [contenteditable] *';

/** Forces style and layout, so that the time measured includes what the DOM change costs. */
function layout() {
  return document.documentElement.getBoundingClientRect().height;
}

function loadClassicScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = resolve;
    s.onerror = () => reject(new Error(`cannot load ${src}`));
    document.head.append(s);
  });
}

/** The peer's `Mark` constructor (both are loaded untouched from their npm packages). */
async function loadPeer(lib) {
  if (lib === 'mark.js') {
    await loadClassicScript(libraryUrl('mark.js/mark.es6.min.js')); // UMD: sets window.Mark
    return window.Mark;
  }
  return (await import(libraryUrl('advanced-mark.js/mark.es6.min.js'))).default; // an ES module
}

async function loadForms() {
  const response = await fetch(GAZETTEER_URL);
  if (!response.ok) throw new Error(`${GAZETTEER_URL}: HTTP ${response.status}`);
  return surfaceForms(await response.json());
}

/**
 * @param {object} o
 * @param {string} o.system `sorot`, `sorot-mark`, `mark.js`, `advanced-mark.js`,
 *   or `mark.js-array` (mark.js's `mark(array)`)
 * @param {'trie'|'flat'} [o.shape] the peers' RegExp (bench/regex.mjs)
 * @param {boolean} [o.caseAware] see buildRegExp
 * @returns {Promise<{setupMs: number, ms: number, highlights: number, marks: number}>}
 */
export async function run({ system, shape = 'trie', caseAware = false }) {
  for (const animation of document.getAnimations()) animation.pause();
  if (system === 'sorot' || system === 'sorot-mark') {
    const { createHighlighter } = await import('/__sorot/sorot.js');
    layout();
    const t0 = performance.now();
    const hl = await createHighlighter(); // fetches and compiles the wasm and the default gazetteer
    const t1 = performance.now();
    const h = await hl.highlight(document.body, { renderer: system === 'sorot' ? 'auto' : 'mark' });
    layout();
    const t2 = performance.now();
    return { setupMs: t1 - t0, ms: t2 - t1, highlights: h.matches.length, marks: h.matches.reduce((n, m) => n + m.ranges.length, 0), renderer: h.renderer };
  }

  const Mark = await loadPeer(system === 'mark.js-array' ? 'mark.js' : system);
  layout();
  const t0 = performance.now();
  const forms = await loadForms();
  let regexp = null;
  if (system !== 'mark.js-array') {
    regexp = buildRegExp(forms, { shape, caseAware }).regexp;
    // V8 compiles a RegExp on its first runs (bytecode, then native code, once for
    // Latin-1 and once for two-byte text): that belongs to building it, not to the
    // first page it is used on.
    for (const text of ['Warm-up: Jakarta', 'Warm-up: “Jakarta”']) {
      for (let i = 0; i < 3; i++) regexp.test(text);
    }
    regexp.lastIndex = 0;
  }
  const t1 = performance.now();
  let matches = 0;
  let marks = 0;
  await new Promise((resolve) => {
    const instance = new Mark(document.body);
    const common = { acrossElements: true, exclude: [PEER_EXCLUDE] };
    if (system === 'mark.js') {
      // mark.js's done() counts elements, not matches: count the matches the
      // RegExp finds (each one is wrapped; no filter is given).
      const exec = RegExp.prototype.exec;
      regexp.exec = function countingExec(text) {
        const m = exec.call(this, text);
        if (m) matches += 1;
        return m;
      };
      instance.markRegExp(regexp, { ...common, done: (n) => { marks = n; resolve(); } });
    } else if (system === 'advanced-mark.js') {
      // blockElementsBoundary: no match across a block boundary, as sorot.
      instance.markRegExp(regexp, {
        ...common,
        blockElementsBoundary: true,
        done: (totalMarks, totalMatches) => { marks = totalMarks; matches = totalMatches; resolve(); },
      });
    } else {
      // mark(array): one RegExp and one DOM walk per term, with mark.js's own word
      // boundaries ('exactly': whitespace, plus punctuation as limiters). mark.js
      // goes on to the next term from inside the previous one's callback, so a few
      // thousand terms in one call overflow the stack: the forms go in calls of
      // ARRAY_CHUNK terms, one after the other.
      const terms = forms.map((f) => f.text);
      const next = (from) => {
        if (from >= terms.length) {
          resolve();
          return;
        }
        instance.mark(terms.slice(from, from + ARRAY_CHUNK), {
          ...common,
          separateWordSearch: false,
          accuracy: { value: 'exactly', limiters: [...',.;:!?()[]{}"\'“”‘’«»/—–-'] },
          done: (n) => { marks += n; queueMicrotask(() => next(from + ARRAY_CHUNK)); },
        });
      };
      matches = null; // mark.js counts elements here, not matches
      next(0);
    }
  });
  layout();
  const t2 = performance.now();
  return { setupMs: t1 - t0, ms: t2 - t1, highlights: matches ?? marks, marks };
}
