// In-page helpers for the browser tests (served at /__test/): what a highlighter
// has painted, the page's text as a reader sees it, the boxes of its elements, and
// how the page kept responding during some work, and how a call settled.
// Nothing here imports sorot: the tests compare sorot against these.

/**
 * A live Range over what a painted range covers (the Highlight API takes live
 * Ranges and StaticRanges; only the former can be measured and compared).
 * @param {AbstractRange} r
 * @param {Document} doc
 * @returns {Range}
 */
export function asRange(r, doc = document) {
  if (typeof r.getBoundingClientRect === 'function') return r;
  const range = (r.startContainer.ownerDocument ?? doc).createRange();
  range.setStart(r.startContainer, r.startOffset);
  range.setEnd(r.endContainer, r.endOffset);
  return range;
}

/** Every open shadow root under `root`, and `root` itself. */
function scopes(root) {
  const out = [root];
  for (let i = 0; i < out.length; i++) {
    for (const el of out[i].querySelectorAll('*')) if (el.shadowRoot) out.push(el.shadowRoot);
  }
  return out;
}

/**
 * What the highlighter `owner` has painted under `root`, in document order: one
 * entry per piece of text (a mark, or a Range in `CSS.highlights`).
 * @param {string} owner the highlighter's owner token
 * @param {Node} [root]
 * @returns {{text: string, type: string, node: Node, range: Range, nested: boolean}[]}
 */
export function painted(owner, root = document) {
  const out = [];
  const doc = root.ownerDocument ?? root;
  for (const [name, highlight] of doc.defaultView.CSS.highlights) {
    const m = name.startsWith(`${owner}-`) && /-(t|n)-([A-Za-z_][A-Za-z0-9_-]*)$/.exec(name);
    if (!m) continue;
    for (const painted of highlight) {
      if (painted.collapsed) continue;
      const range = asRange(painted, doc);
      out.push({ text: range.toString(), type: m[2], node: range.startContainer, range, nested: m[1] === 'n' });
    }
  }
  for (const scope of scopes(root)) {
    for (const mark of scope.querySelectorAll(`mark[data-sorot-owner="${owner}"]`)) {
      const range = doc.createRange();
      range.selectNodeContents(mark);
      const nested = mark.parentElement?.closest(`mark[data-sorot-owner="${owner}"]`) !== null;
      // A mark that holds another mark: its own text is what is outside the inner one.
      out.push({ text: mark.textContent, type: mark.getAttribute('data-sorot-type'), node: mark, range, nested });
    }
  }
  return out.sort((a, b) => {
    const sameRoot = a.range.startContainer.getRootNode() === b.range.startContainer.getRootNode();
    if (!sameRoot) return 0;
    return a.range.compareBoundaryPoints(Range.START_TO_START, b.range) || b.text.length - a.text.length;
  });
}

const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'head', 'title', 'meta', 'link', 'base',
  'datalist', 'option', 'optgroup', 'param', 'source', 'track', 'area', 'map', 'rp']);
const REPLACED = new Set(['img', 'svg', 'math', 'video', 'audio', 'canvas', 'iframe', 'frame', 'frameset',
  'object', 'embed', 'input', 'textarea', 'select', 'button', 'meter', 'progress', 'hr']);
const INLINE = new Set(['inline', 'contents', 'ruby', 'ruby-base', 'ruby-base-container']);

/**
 * The text under `root` as a reader sees it, written plainly (recursively, with
 * the computed style of every element): blocks separated by U+2029; scripts,
 * styles, form fields, replaced elements, editable regions, elements that are not
 * rendered and `exclude` left out; open shadow roots read instead of the light
 * DOM. Elements carrying `data-sorot-owner` count as inline text.
 * @param {Node} root
 * @param {string} [exclude]
 * @returns {{text: string, nodes: Text[], starts: number[]}}
 */
export function readerText(root, exclude = '') {
  let text = '';
  const nodes = [];
  const starts = [];
  let pending = false;
  const boundary = () => { if (text.length > 0) pending = true; };
  const visit = (node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      if (node.data === '') return;
      if (pending) { text += '\u2029'; pending = false; }
      nodes.push(node);
      starts.push(text.length);
      text += node.data;
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const tag = node.localName;
    if (SKIPPED.has(tag)) return;
    if (tag === 'br' || REPLACED.has(tag)) { boundary(); return; }
    const display = getComputedStyle(node).display;
    if (display === 'none') return;
    const block = !INLINE.has(display);
    if ((exclude && node.matches(exclude)) || node.isContentEditable) { if (block) boundary(); return; }
    if (block) boundary();
    let children = node.shadowRoot ? node.shadowRoot.childNodes : node.childNodes;
    if (tag === 'slot' && node.assignedNodes().length > 0) children = node.assignedNodes();
    for (const child of children) visit(child);
    if (block) boundary();
  };
  for (const child of (root.shadowRoot ?? root).childNodes) visit(child);
  return { text, nodes, starts };
}

/**
 * The boxes of every element under `root` (open shadow roots included), in order;
 * a highlighter's own elements are left out.
 * @param {Node} root
 * @returns {{tag: string, x: number, y: number, width: number, height: number}[]}
 */
export function boxes(root) {
  const out = [];
  for (const scope of scopes(root)) {
    for (const el of scope.querySelectorAll('*')) {
      if (el.hasAttribute('data-sorot-owner')) continue;
      const { x, y, width, height } = el.getBoundingClientRect();
      out.push({ tag: el.localName, x, y, width, height });
    }
  }
  return out;
}

/**
 * How many boxes moved or changed size by more than `tolerance` pixels.
 * @param {ReturnType<typeof boxes>} before
 * @param {ReturnType<typeof boxes>} after the same elements, later
 * @param {number} [tolerance]
 * @returns {number} -1 when the elements are not the same
 */
export function moved(before, after, tolerance = 0) {
  if (before.length !== after.length || before.some((b, i) => b.tag !== after[i].tag)) return -1;
  return before.filter((b, i) => ['x', 'y', 'width', 'height'].some((k) => Math.abs(b[k] - after[i][k]) > tolerance)).length;
}

/**
 * Runs `work` while counting the frames the page draws, the turns of a 10 ms timer
 * of its own and its long tasks (with 50 ms after the work for the last report).
 * @template T
 * @param {() => Promise<T>} work
 * @returns {Promise<{result: T, ms: number, frames: number, timers: number, longest: number}>}
 *   `longest`: the longest task's duration in ms, 0 when none was long
 */
export async function whileResponsive(work) {
  const tasks = [];
  const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) tasks.push(e.duration); });
  observer.observe({ type: 'longtask' });
  let frames = 0;
  let ticking = true;
  const tick = () => { if (ticking) { frames += 1; requestAnimationFrame(tick); } };
  requestAnimationFrame(tick);
  // The page's own timers run too (with scheduler.yield between slices, none did).
  let timers = 0;
  const timer = () => { if (ticking) { timers += 1; setTimeout(timer, 10); } };
  setTimeout(timer, 10);
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  ticking = false;
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  return { result, ms, frames, timers, longest: Math.max(0, ...tasks) };
}

/**
 * How a promise settled, as text to compare: `resolved`, or the rejection's
 * constructor and message (`Error: engine: …`).
 * @param {Promise<unknown>} promise
 * @returns {Promise<string>}
 */
export function said(promise) {
  return promise.then(() => 'resolved', (err) => `${err.constructor.name}: ${err.message}`);
}
