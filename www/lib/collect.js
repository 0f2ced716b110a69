// Collecting the text under a DOM root: one string for the whole document, with a
// paragraph separator (U+2029) at every block boundary, and the Text nodes it came
// from, so that matches (UTF-16 offsets into the string) map back to the nodes.
//
// Block boundaries follow layout: a tag-based fast path for elements whose role
// CSS cannot change (`br`, replaced elements, elements never rendered), and the
// computed `display` for every other element, so `<span style="display:block">`
// starts a block and `<div style="display:inline">` does not. Elements that are
// not rendered (`display: none`) are left out, as a reader never sees them.
//
// This module only reads the DOM.

/** The separator written between blocks; a match never crosses it. */
export const BLOCK_SEPARATOR = '\u2029';

/** The attribute every element made by any sorot highlighter carries. */
export const OWNER_ATTRIBUTE = 'data-sorot-owner';

/** Never rendered as text: skipped, and no boundary. */
const SKIPPED = new Set([
  'script', 'style', 'noscript', 'template', 'head', 'title', 'meta', 'link', 'base',
  'datalist', 'option', 'optgroup', 'param', 'source', 'track', 'area', 'map', 'rp',
]);

/** Replaced elements and form fields: a box that is not text. Skipped, and a boundary. */
const REPLACED = new Set([
  'img', 'svg', 'math', 'video', 'audio', 'canvas', 'iframe', 'frame', 'frameset',
  'object', 'embed', 'input', 'textarea', 'select', 'button', 'meter', 'progress', 'hr',
]);

/** Blocks by tag, used only where there is no computed style (a document without a window). */
const BLOCK_TAGS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'center', 'dd',
  'details', 'dialog', 'dir', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure',
  'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'html',
  'legend', 'li', 'listing', 'main', 'menu', 'nav', 'ol', 'p', 'plaintext', 'pre',
  'section', 'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul', 'xmp',
  'col', 'colgroup', 'search', 'rt',
]);

/** Computed `display` values of boxes that flow inside the surrounding line. */
const INLINE_DISPLAYS = new Set(['inline', 'contents', 'ruby', 'ruby-base', 'ruby-base-container']);

// How an element takes part in the text.
const SKIP = 0; // not text, no boundary (script, display: none, other highlighters' marks)
const BOUNDARY = 1; // a boundary, its content left out (img, form fields, excluded blocks)
const INLINE = 2; // text flows through it
const BLOCK = 3; // a block: a boundary before and after its content
const FRAME = 4; // a same-origin iframe, walked as a block when `frames` is on

/** A token in the walk's output: a block boundary. */
const BREAK = null;

/**
 * @typedef {object} Collected
 * @property {string} text the document's text, blocks separated by U+2029
 * @property {Text[]} nodes the Text nodes, in the order a reader meets them
 * @property {string[]} data each node's data when collected (the text it gave)
 * @property {number[]} starts where each node's data starts in `text`
 * @property {Node[]} owners for each node, the innermost block element around it (or the root)
 * @property {Set<ShadowRoot|Document>} scopes the open shadow roots and frame documents
 *   walked into (not counting those reused from the cache)
 */

/**
 * Collects the text under one root. With `cache` on, it remembers what each block
 * gave, so that after {@link TextCollector#invalidate} only the changed blocks are
 * walked again.
 */
export class TextCollector {
  #cache = null;

  /**
   * @param {Node} root an Element, Document, DocumentFragment or ShadowRoot
   * @param {object} [options]
   * @param {string} [options.exclude] a CSS selector list of elements to leave alone
   * @param {boolean} [options.frames] also walk into same-origin iframes
   * @param {boolean} [options.cache] remember each block's text nodes between calls
   */
  constructor(root, { exclude = '', frames = false, cache = false } = {}) {
    this.root = root;
    this.exclude = exclude;
    this.frames = frames;
    if (cache) this.#cache = new WeakMap();
  }

  /**
   * Walks the root (reusing cached blocks) and returns its text.
   * @param {() => (boolean|Promise<boolean>)} [pause] called every few hundred
   *   nodes: it may let the page respond (a promise) and says whether to go on
   * @returns {Promise<Collected|null>} null when `pause` said to stop
   */
  async collect(pause) {
    const tokens = [];
    const owners = [];
    const scopes = new Set();
    if (!this.#rootIsEditable() && !(await this.#walk(tokens, owners, scopes, pause))) return null;
    const parts = [];
    const nodes = [];
    const data = [];
    const starts = [];
    const nodeOwners = [];
    let length = 0;
    let pendingBreak = false;
    for (let i = 0; i < tokens.length; i++) {
      // Reading 100,000 nodes' data takes tens of ms: the page may respond meanwhile.
      if (pause && (i & 4095) === 4095) {
        const go = pause();
        if (!(go === true || (await go))) return null;
      }
      const token = tokens[i];
      if (token === BREAK) {
        if (length > 0) pendingBreak = true;
        continue;
      }
      const own = token.data;
      if (own.length === 0) continue;
      if (pendingBreak) {
        parts.push(BLOCK_SEPARATOR);
        length += 1;
        pendingBreak = false;
      }
      nodes.push(token);
      data.push(own);
      starts.push(length);
      nodeOwners.push(owners[i]);
      parts.push(own);
      length += own.length;
    }
    return { text: parts.join(''), nodes, data, starts, owners: nodeOwners, scopes };
  }

  /**
   * Forgets what the blocks around the changed nodes gave.
   * @param {Iterable<Node>} changed nodes whose content changed (mutation targets,
   *   added nodes)
   * @returns {Set<Node>} every node from the changed ones up to the root (in the
   *   flat tree): the blocks whose text must be collected again
   */
  invalidate(changed) {
    const chain = new Set();
    const climb = (start) => {
      for (let n = start; n && !chain.has(n); n = flatParent(n)) {
        chain.add(n);
        this.#cache?.delete(n);
        if (n === this.root) break;
      }
    };
    for (const node of changed) {
      climb(node);
      // Light-DOM children of a shadow host show up through its slots.
      const shadow = node.shadowRoot;
      if (shadow) for (const slot of shadow.querySelectorAll('slot')) climb(slot);
    }
    chain.add(this.root);
    this.#cache?.delete(this.root);
    return chain;
  }

  #rootIsEditable() {
    const root = this.root;
    const doc = root.ownerDocument ?? root;
    if (doc.designMode === 'on') return true;
    return root.nodeType === Node.ELEMENT_NODE && root.isContentEditable;
  }

  async #walk(tokens, owners, scopes, pause) {
    const root = this.root;
    const cache = this.#cache;
    const blocks = [root]; // the open blocks, innermost last
    // Iterative depth-first walk: pages can nest deeper than the call stack allows.
    // A {closes, start} entry (not a node) marks the end of a block element.
    const stack = [];
    pushChildren(stack, root, scopes);
    let visited = 0;
    while (stack.length > 0) {
      if (pause && (++visited & 255) === 0) {
        const go = pause();
        if (!(go === true || (await go))) return false;
      }
      const node = stack.pop();
      if (node.nodeType === undefined) {
        tokens.push(BREAK);
        owners.push(undefined);
        blocks.pop();
        if (cache) cache.set(node.closes, { tokens: tokens.slice(node.start), owners: owners.slice(node.start) });
        continue;
      }
      if (node.nodeType === Node.TEXT_NODE) {
        tokens.push(node);
        owners.push(blocks[blocks.length - 1]);
        continue;
      }
      if (node.nodeType !== Node.ELEMENT_NODE) continue; // comments, processing instructions
      const role = this.#role(node);
      if (role === SKIP) continue;
      if (role === BOUNDARY) {
        tokens.push(BREAK);
        owners.push(undefined);
        continue;
      }
      if (role === INLINE) {
        pushChildren(stack, node, scopes);
        continue;
      }
      const cached = cache?.get(node);
      if (cached) {
        for (let i = 0; i < cached.tokens.length; i++) {
          tokens.push(cached.tokens[i]);
          owners.push(cached.owners[i]);
        }
        continue;
      }
      const start = tokens.length;
      tokens.push(BREAK);
      owners.push(undefined);
      stack.push({ closes: node, start });
      blocks.push(node);
      if (role === FRAME) {
        const doc = frameDocument(node);
        if (doc) {
          scopes.add(doc);
          stack.push(doc.documentElement);
        }
      } else {
        pushChildren(stack, node, scopes);
      }
    }
    return true;
  }

  #role(el) {
    const tag = el.localName;
    if (SKIPPED.has(tag)) return SKIP;
    if (tag === 'br') return BOUNDARY;
    if (REPLACED.has(tag)) return this.frames && (tag === 'iframe' || tag === 'frame') && frameDocument(el) ? FRAME : BOUNDARY;
    if (el.hasAttribute(OWNER_ATTRIBUTE)) return SKIP;
    const block = isBlock(el);
    if (block === null) return SKIP;
    if ((this.exclude !== '' && el.matches(this.exclude))
      || (el.hasAttribute('contenteditable') && el.isContentEditable)) {
      return block ? BOUNDARY : SKIP;
    }
    return block ? BLOCK : INLINE;
  }
}

/**
 * Whether the element is laid out as a block: true, false, or null when it is not
 * rendered at all (`display: none`).
 * @param {Element} el
 * @returns {boolean|null}
 */
function isBlock(el) {
  const view = el.ownerDocument.defaultView;
  if (view && el.isConnected) {
    const display = view.getComputedStyle(el).display;
    if (display === 'none') return null;
    if (display !== '') return !INLINE_DISPLAYS.has(display);
  }
  return BLOCK_TAGS.has(el.localName);
}

/** Pushes the children a reader sees (the shadow tree, a slot's assigned nodes) in reverse. */
function pushChildren(stack, node, scopes) {
  let children = node.childNodes;
  if (node.nodeType === Node.ELEMENT_NODE) {
    if (node.shadowRoot) {
      scopes.add(node.shadowRoot);
      children = node.shadowRoot.childNodes;
    } else if (node.localName === 'slot' && typeof node.assignedNodes === 'function') {
      const assigned = node.assignedNodes();
      if (assigned.length > 0) children = assigned;
    }
  }
  for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
}

/** The document of a same-origin iframe, or null. */
function frameDocument(frame) {
  try {
    const doc = frame.contentDocument;
    return doc && doc.documentElement ? doc : null;
  } catch {
    return null;
  }
}

/** The parent in the flat tree: the assigned slot, the shadow host, the frame element. */
function flatParent(node) {
  if (node.assignedSlot) return node.assignedSlot;
  if (node.nodeType === Node.DOCUMENT_FRAGMENT_NODE && node.host) return node.host;
  const parent = node.parentNode;
  if (parent) return parent.nodeType === Node.DOCUMENT_FRAGMENT_NODE && parent.host ? parent.host : parent;
  if (node.nodeType === Node.DOCUMENT_NODE) return node.defaultView?.frameElement ?? null;
  return null;
}

/**
 * A piece of one Text node: what renderers draw.
 * @typedef {object} Segment
 * @property {Text} node
 * @property {number} start UTF-16 offset in `node.data` (inclusive)
 * @property {number} end UTF-16 offset in `node.data` (exclusive)
 * @property {number} index the node's position in {@link Collected}.nodes
 */

/**
 * Where matches are in the Text nodes: a function that gives the pieces of one
 * match at a time. Given the matches in order of start (as the engine gives them),
 * it goes over the nodes once for all of them.
 * @param {Collected} collected
 * @returns {(match: {start: number, end: number}) => Segment[]}
 */
export function locator(collected) {
  const { nodes, starts, data } = collected;
  let j = 0;
  let last = -1;
  return ({ start, end }) => {
    // The last node that starts at or before `start`.
    if (start < last) j = 0;
    last = start;
    while (j + 1 < nodes.length && starts[j + 1] <= start) j++;
    // The nodes it covers: that one unless the match starts after its text (in a
    // block separator), and each later node that starts before its end (every
    // collected node has some text). Known before the array is made: an array pushed
    // to grows to 17 slots, and a match's segments are kept while it is drawn
    // (87,626 of them on a page of 100,000 text nodes).
    const first = j < nodes.length && starts[j] + data[j].length <= start ? j + 1 : j;
    let past = first;
    while (past < nodes.length && starts[past] < end) past++;
    const segments = new Array(past - first);
    for (let i = first; i < past; i++) {
      const from = Math.max(start, starts[i]) - starts[i];
      const to = Math.min(end, starts[i] + data[i].length) - starts[i];
      segments[i - first] = { node: nodes[i], start: from, end: to, index: i };
    }
    return segments;
  };
}
