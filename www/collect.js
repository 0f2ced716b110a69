// Collecting the text under a DOM root: one string for the whole document, with a
// paragraph separator (U+2029) at every block boundary, and the Text nodes it came
// from, so that matches (UTF-16 offsets into the string) map back to the nodes.

/** The separator written between blocks; a match never crosses it. */
export const BLOCK_SEPARATOR = '\u2029';

/** Elements whose text is never highlighted. */
const SKIPPED = new Set([
  'script', 'style', 'noscript', 'template', 'textarea', 'input', 'select', 'option',
  'optgroup', 'datalist', 'button', 'iframe', 'object', 'embed', 'canvas', 'video',
  'audio', 'svg', 'math', 'head', 'title', 'meta', 'link',
]);

/** Elements that start and end a block: a match does not run across them. */
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'center', 'dd',
  'details', 'dialog', 'dir', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure',
  'footer', 'form', 'frameset', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup',
  'hr', 'html', 'legend', 'li', 'listing', 'main', 'menu', 'nav', 'ol', 'p', 'plaintext',
  'pre', 'section', 'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul',
  'xmp', 'br', 'img', 'picture', 'col', 'colgroup',
]);

/** The attribute every element made by any sorot highlighter carries. */
export const OWNER_ATTRIBUTE = 'data-sorot-owner';

/**
 * @typedef {object} Collected
 * @property {string} text the document's text, blocks separated by U+2029
 * @property {Text[]} nodes the Text nodes, in document order
 * @property {number[]} starts where each node's data starts in `text`
 */

/**
 * Collects the text under `root` in one pass over the tree.
 * Skips scripts, styles, form fields, editable regions, highlighter elements and
 * whatever matches `exclude`.
 * @param {Node} root
 * @param {object} [options]
 * @param {string} [options.exclude] a CSS selector list of elements to leave alone
 * @returns {Collected}
 */
export function collectText(root, { exclude = '' } = {}) {
  const parts = [];
  const nodes = [];
  const starts = [];
  let length = 0;
  let pendingBreak = false;

  const skip = (el) =>
    SKIPPED.has(el.localName) ||
    el.hasAttribute(OWNER_ATTRIBUTE) ||
    el.isContentEditable ||
    (exclude !== '' && el.matches(exclude));

  // Iterative depth-first walk: pages can nest deeper than the call stack allows.
  // A `null` entry on the stack marks the end of a block element.
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null) {
      if (length > 0) pendingBreak = true;
      continue;
    }
    if (node.nodeType === Node.TEXT_NODE) {
      const data = node.data;
      if (data.length === 0) continue;
      if (pendingBreak) {
        parts.push(BLOCK_SEPARATOR);
        length += 1;
        pendingBreak = false;
      }
      nodes.push(node);
      starts.push(length);
      parts.push(data);
      length += data.length;
      continue;
    }
    const isElement = node.nodeType === Node.ELEMENT_NODE;
    if (!isElement && node.nodeType !== Node.DOCUMENT_NODE && node.nodeType !== Node.DOCUMENT_FRAGMENT_NODE) {
      continue; // comments, processing instructions
    }
    const block = isElement && BLOCKS.has(node.localName);
    if (block && length > 0) pendingBreak = true;
    if (isElement && skip(node)) continue;
    if (block) stack.push(null);
    const children = node.childNodes;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return { text: parts.join(''), nodes, starts };
}

/**
 * The pieces of Text nodes that make up `start..end` of the collected text.
 * @param {Collected} collected
 * @param {number} start UTF-16 offset, inclusive
 * @param {number} end UTF-16 offset, exclusive
 * @returns {{node: Text, start: number, end: number}[]} offsets within each node
 */
export function locate(collected, start, end) {
  const { nodes, starts } = collected;
  // The last node that starts at or before `start`.
  let lo = 0;
  let hi = nodes.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= start) lo = mid;
    else hi = mid - 1;
  }
  const segments = [];
  for (let i = lo; i < nodes.length && starts[i] < end; i++) {
    const from = Math.max(start, starts[i]) - starts[i];
    const to = Math.min(end, starts[i] + nodes[i].data.length) - starts[i];
    if (to > from) segments.push({ node: nodes[i], start: from, end: to });
  }
  return segments;
}
