// The benchmark's module, run inside each corpus page (served at /__bench/, the
// only script besides sorot and the peers' libraries that the page's
// Content-Security-Policy lets run). On a page that nothing has touched yet,
// prepare() sets one system up (timed) and execute() highlights `document.body`
// once with it (timed), returning the number of highlights; run() does both.
// The two halves are separate calls so that bench/highlight.mjs can profile the
// highlighting alone. Timings use performance.now().
import { surfaceForms, buildRegExp } from './regex.mjs';
import { wrapTextNodes } from './wrap.mjs';

// Absolute URLs: a page's <base href> must not move them elsewhere.
const DEFAULT_GAZETTEER_URL = new URL('/__sorot/pkg/default-gazetteer.json', import.meta.url).href;
const libraryUrl = (file) => new URL(`./lib/${file}`, import.meta.url).href;
const absolute = (url) => new URL(url, import.meta.url).href;
/** Terms per mark(array) call (see below). */
const ARRAY_CHUNK = 500;
/** What sorot never reads as text (www/lib/collect.js), given to mark.js and advanced-mark.js as `exclude`. */
const PEER_EXCLUDE = 'noscript, textarea, select, option, button, svg *, math *, [contenteditable], [contenteditable] *';
/** Short strings each peer's matcher runs on during set-up (Latin-1 and two-byte text). */
const WARM_UP = ['Warm-up: Jakarta', 'Warm-up: “Jakarta”'];

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

/** The peer's library, loaded untouched from its npm package (not timed: loading code is in no set-up). */
async function loadLibrary(system, acVariant) {
  if (system === 'mark.js' || system === 'mark.js-array') {
    await loadClassicScript(libraryUrl('mark.js/mark.es6.min.js')); // UMD: sets window.Mark
    return window.Mark;
  }
  if (system === 'advanced-mark.js') return (await import(libraryUrl('advanced-mark.js/mark.es6.min.js'))).default;
  if (system === 'modern-ahocorasick') return (await import(libraryUrl(`modern-ahocorasick/${acVariant}.js`))).default;
  return null; // the RegExp peer is a plain page script
}

async function fetchJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

/**
 * The peers' forms, fetched as part of their set-up (sorot fetches its gazetteer in
 * its own): the default gazetteer's names, aliases and short forms, or a size's list.
 * @returns {Promise<{text: string, exact: boolean}[]>}
 */
async function loadForms(formsUrl) {
  if (!formsUrl) return surfaceForms(await fetchJson(DEFAULT_GAZETTEER_URL));
  return (await fetchJson(absolute(formsUrl))).map((text) => ({ text, exact: false }));
}

const SYNTAX = /[.*+?^${}()|[\]\\/]/g;

/**
 * The RegExp peer of issue 11: the escaped forms sorted longest first in
 * `(?<![\p{L}\p{N}])(?:…)(?![\p{L}\p{N}])`, flags `giu`.
 * @param {string[]} forms
 */
export function plainRegExp(forms) {
  const body = [...forms].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0))
    .map((f) => f.replace(SYNTAX, '\\$&')).join('|');
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${body})(?![\\p{L}\\p{N}])`, 'giu');
}

/** Set-up done by prepare(), waiting for execute(). */
let pending = null;

/**
 * Sets one system up on this page (timed: everything from nothing to ready to
 * highlight, except loading the library's code).
 * @param {object} o
 * @param {string} o.system `sorot`, `sorot-mark`, `regexp`, `modern-ahocorasick`,
 *   `mark.js`, `advanced-mark.js`, or `mark.js-array` (mark.js's `mark(array)`)
 * @param {{sorot: string, forms: string} | null} [o.gazetteer] a size's files
 *   (URL paths); null: the default gazetteer
 * @param {'trie'|'flat'} [o.shape] mark.js's and advanced-mark.js's RegExp (bench/regex.mjs)
 * @param {boolean} [o.caseAware] see buildRegExp
 * @param {string} [o.acVariant] modern-ahocorasick's entry: `unicode` or `unicode-fast`
 * @param {boolean} [o.worker] sorot: the engine in a module Worker
 * @param {string} [o.library] sorot: the URL path of its entry module (default
 *   `/__sorot/sorot.js`; the profiles use a copy whose wasm keeps its function names)
 * @returns {Promise<{setupMs: number}>}
 */
export async function prepare({ system, gazetteer = null, shape = 'trie', caseAware = false, acVariant = 'unicode', worker = false, library = '/__sorot/sorot.js' }) {
  for (const animation of document.getAnimations()) animation.pause();
  if (system === 'sorot' || system === 'sorot-mark') {
    const { createHighlighter } = await import(library);
    layout();
    const t0 = performance.now();
    // Fetches and compiles the wasm and the gazetteer.
    const hl = await createHighlighter({ ...(gazetteer ? { gazetteer: { url: absolute(gazetteer.sorot) } } : {}), ...(worker ? { worker } : {}) });
    const setupMs = performance.now() - t0;
    pending = async () => {
      const h = await hl.highlight(document.body, { renderer: system === 'sorot' ? 'auto' : 'mark' });
      return { highlights: h.matches.length, marks: h.matches.reduce((n, m) => n + m.ranges.length, 0), renderer: h.renderer };
    };
    return { setupMs };
  }

  const Library = await loadLibrary(system, acVariant);
  layout();
  const t0 = performance.now();
  const forms = await loadForms(gazetteer?.forms);
  if (system === 'regexp') {
    const regexp = plainRegExp(forms.map((f) => f.text));
    // V8 compiles a RegExp on its first runs (bytecode, then native code, once for
    // Latin-1 and once for two-byte text): run twice on short strings.
    for (const text of WARM_UP) for (let i = 0; i < 2; i++) { regexp.lastIndex = 0; regexp.test(text); }
    const setupMs = performance.now() - t0;
    pending = async () => {
      const n = wrapTextNodes(document.body, (text) => {
        const out = [];
        regexp.lastIndex = 0;
        for (let m = regexp.exec(text); m; m = regexp.exec(text)) out.push(m.index, m.index + m[0].length);
        return out;
      });
      return { highlights: n, marks: n };
    };
    return { setupMs };
  }
  if (system === 'modern-ahocorasick') {
    // Case-insensitive as the RegExp's `i` (the `unicode` entries fold case), whole
    // words by its own `boundary: 'unicode'` rule (no letter, digit, mark or `_`
    // next to a match, checked before the leftmost-longest choice).
    const matcher = new Library(forms.map((f) => f.text), { boundary: 'unicode' });
    for (const text of WARM_UP) for (let i = 0; i < 2; i++) matcher.search(text, { strategy: 'leftmost-longest' });
    const setupMs = performance.now() - t0;
    pending = async () => {
      const n = wrapTextNodes(document.body, (text) => {
        const out = [];
        for (const m of matcher.search(text, { strategy: 'leftmost-longest' })) out.push(m.start, m.end);
        return out;
      });
      return { highlights: n, marks: n };
    };
    return { setupMs };
  }

  // mark.js and advanced-mark.js: ONE RegExp (bench/regex.mjs) given to markRegExp.
  let regexp = null;
  if (system !== 'mark.js-array') {
    regexp = buildRegExp(forms, { shape, caseAware }).regexp;
    for (const text of WARM_UP) for (let i = 0; i < 3; i++) regexp.test(text);
    regexp.lastIndex = 0;
  }
  const setupMs = performance.now() - t0;
  const Mark = Library;
  pending = () => new Promise((resolve) => {
    let matches = 0;
    let marks = 0;
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
      instance.markRegExp(regexp, { ...common, done: (n) => resolve({ highlights: matches, marks: n }) });
    } else if (system === 'advanced-mark.js') {
      // blockElementsBoundary: no match across a block boundary, as sorot.
      instance.markRegExp(regexp, {
        ...common,
        blockElementsBoundary: true,
        done: (totalMarks, totalMatches) => resolve({ highlights: totalMatches, marks: totalMarks }),
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
          resolve({ highlights: marks, marks }); // mark.js counts elements here, not matches
          return;
        }
        instance.mark(terms.slice(from, from + ARRAY_CHUNK), {
          ...common,
          separateWordSearch: false,
          accuracy: { value: 'exactly', limiters: [...',.;:!?()[]{}"\'“”‘’«»/—–-'] },
          done: (n) => { marks += n; queueMicrotask(() => next(from + ARRAY_CHUNK)); },
        });
      };
      next(0);
    }
  });
  return { setupMs };
}

/**
 * Highlights `document.body` once with the system prepare() set up, until the
 * page has been laid out again.
 * @returns {Promise<{ms: number, highlights: number, marks: number, renderer?: string}>}
 */
export async function execute() {
  if (!pending) throw new Error('execute() before prepare()');
  const work = pending;
  pending = null;
  const t1 = performance.now();
  const result = await work();
  layout();
  return { ms: performance.now() - t1, ...result };
}

/**
 * prepare(), then execute().
 * @param {object} o see {@link prepare}
 * @returns {Promise<{setupMs: number, ms: number, highlights: number, marks: number}>}
 */
export async function run(o) {
  const { setupMs } = await prepare(o);
  return { setupMs, ...(await execute()) };
}
