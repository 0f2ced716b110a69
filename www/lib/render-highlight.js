// The `highlight-api` renderer: the CSS Custom Highlight API. Each match becomes
// Ranges in one Highlight per entity type, registered in `CSS.highlights` and
// painted with `::highlight()`. The page's DOM is not changed at all, so neither
// its layout nor its scripts can notice; the style sheet is a constructed sheet
// adopted by the document (and by each shadow root that holds highlighted text).
//
// There are no elements to hover or focus: the item under the pointer is found by
// hit-testing the ranges of the text nodes under it, and the keyboard moves a
// "current" highlight from match to match.

import { checkedTypes, isTypeKey, scopeOf, SharedSheet } from './styles.js';

/** @typedef {import('./renderer.js').Renderer} Renderer */

let renderers = 0;

/** A live Range over one piece of a Text node. */
function liveRange(doc, seg) {
  const range = doc.createRange();
  range.setStart(seg.node, seg.start);
  range.setEnd(seg.node, seg.end);
  return range;
}

/**
 * Draws matches with the CSS Custom Highlight API.
 * @implements {Renderer}
 */
export class HighlightApiRenderer {
  /** The renderer's name, as given to `highlight({renderer})`. */
  static kind = 'highlight-api';

  /**
   * Whether the document's browser has the CSS Custom Highlight API.
   * @param {Document} doc
   * @returns {boolean}
   */
  static supported(doc) {
    const view = doc?.defaultView;
    return Boolean(view && view.CSS && view.CSS.highlights && typeof view.Highlight === 'function');
  }

  /** @type {Map<import('./renderer.js').RenderItem, {item: object, range: AbstractRange, highlight: Highlight, parent: Node|null, slot: Node|null}[]>} what is painted per item */
  #ranges = new Map();
  /** @type {Map<import('./renderer.js').RenderItem, Range[]>} live Ranges, made when asked for */
  #live = new Map();
  /** @type {Map<Document, Range>} one Range per document for measuring */
  #scratch = new Map();
  /** @type {Document|null} where live Ranges taken away go (out of the page's document) */
  #graveyard = null;
  /** @type {Map<Node, Set<{item: import('./renderer.js').RenderItem, range: Range}>>} ranges by the element around their text */
  #byElement = new Map();
  /** @type {Map<Document, Map<string, Highlight>>} */
  #highlights = new Map();
  #hidden = new Set();
  #current = null;
  #sheet;

  /**
   * @param {object} options
   * @param {string} options.owner the highlighter's owner token
   * @param {Record<string, {color: string}>} options.types the entity types
   * @param {boolean} [options.staticRanges] paint StaticRanges (with `observe`, whose
   *   updates redraw a changed block before the next paint)
   */
  constructor({ owner, types, staticRanges = false }) {
    this.owner = owner;
    this.staticRanges = staticRanges;
    /**
     * Prefix of this renderer's highlight names: `NAME-t-TYPE` for a type,
     * `NAME-n-TYPE` for matches inside other matches, `NAME-focus` for the current one.
     */
    this.name = `${owner}-${++renderers}`;
    const rules = [];
    for (const { key, color, text } of checkedTypes(types)) {
      // The page may set the colours with custom properties, on the root or the document.
      const paint = `background-color: var(--sorot-color-${key}, ${color}); color: var(--sorot-text-${key}, ${text});`;
      rules.push(`::highlight(${this.name}-t-${key}) { ${paint} }`);
      rules.push(`::highlight(${this.name}-n-${key}) { ${paint}
        text-decoration: underline 0.12em rgba(0, 0, 0, 0.55); }`);
    }
    rules.push(`::highlight(${this.name}-focus) { background-color: #1a73e8; color: #fff;
      text-decoration: underline 0.12em #0b3d91; }`);
    this.#sheet = new SharedSheet(rules.join('\n'));
  }

  /**
   * Draws the items (adds to what is drawn). The browser updates every live Range
   * of a document on every change of its DOM, so thousands of them slow the page
   * down. With `observe` (`staticRanges`) what is painted are StaticRanges: an
   * update redraws a changed block before the next paint. Without it they are live
   * Ranges, which follow the page's changes, moved out of the page's document when
   * they are taken away. Live Ranges for `drawing(item).ranges` are made only when
   * read.
   * @param {import('./renderer.js').RenderItem[]} items
   */
  render(items) {
    const scopes = new Map(); // parent node → its style scope, for this call
    for (const item of items) {
      const type = item.match.type;
      if (!isTypeKey(type)) continue;
      const name = item.depth > 0 ? `n-${type}` : `t-${type}`;
      const pieces = [];
      for (const seg of item.segments) {
        const doc = seg.node.ownerDocument;
        const view = doc.defaultView;
        const range = this.staticRanges && typeof view.StaticRange === 'function'
          ? new view.StaticRange({ startContainer: seg.node, startOffset: seg.start, endContainer: seg.node, endOffset: seg.end })
          : liveRange(doc, seg);
        const highlight = this.#highlight(doc, name, item.depth > 0 ? 1 : 0);
        highlight.add(range);
        // One entry per piece: in the sets of the elements around it (for hit tests).
        const piece = { item, range, highlight, parent: seg.node.parentNode, slot: seg.node.assignedSlot };
        for (const key of [piece.parent, piece.slot]) {
          if (!key) continue;
          let set = this.#byElement.get(key);
          if (!set) this.#byElement.set(key, (set = new Set()));
          set.add(piece);
        }
        pieces.push(piece);
        const parent = piece.parent;
        if (!scopes.has(parent)) {
          const scope = scopeOf(seg.node);
          scopes.set(parent, scope);
          if (scope) this.#sheet.attach(scope);
        }
      }
      this.#ranges.set(item, pieces);
    }
  }

  /**
   * Stops drawing the items.
   * @param {import('./renderer.js').RenderItem[]} items
   */
  unrender(items) {
    for (const item of items) {
      const pieces = this.#ranges.get(item);
      if (!pieces) continue;
      this.#ranges.delete(item);
      this.#live.delete(item);
      for (const piece of pieces) {
        const { range, highlight } = piece;
        highlight.delete(range);
        this.#focusHighlight(range)?.delete(range);
        for (const key of [piece.parent, piece.slot]) {
          const set = key && this.#byElement.get(key);
          if (!set) continue;
          set.delete(piece);
          if (set.size === 0) this.#byElement.delete(key);
        }
        this.#retire(range);
      }
      if (this.#current === item) this.blur();
    }
  }

  /**
   * What is drawn for an item.
   * @param {import('./renderer.js').RenderItem} item
   * @returns {{elements: HTMLElement[], ranges: Range[]}} no elements; a live Range
   *   per Text node, made when first read
   */
  drawing(item) {
    const live = this.#live;
    const pieces = this.#ranges.get(item);
    return {
      elements: [],
      get ranges() {
        if (!pieces) return [];
        let ranges = live.get(item);
        if (!ranges) live.set(item, (ranges = item.segments.map((seg) => liveRange(seg.node.ownerDocument, seg))));
        return ranges;
      },
    };
  }

  /** This renderer makes no nodes. */
  itemsOf() {
    return [];
  }

  /** This renderer makes no elements. */
  itemOfElement() {
    return null;
  }

  /**
   * The item under the pointer of a mouse event (the innermost when matches nest),
   * found among the ranges in the text of the element under the pointer.
   * @param {MouseEvent} event
   * @returns {{item: import('./renderer.js').RenderItem, rect: DOMRect}|null}
   */
  hitTest(event) {
    const target = event.composedPath?.()[0] ?? event.target;
    const entries = target && this.#byElement.get(target);
    if (!entries) return null;
    const { clientX: x, clientY: y } = event;
    let best = null;
    for (const { item, range } of entries) {
      if (this.#hidden.has(item.match.type)) continue;
      if (best && item.match.end - item.match.start >= best.item.match.end - best.item.match.start) continue;
      for (const rect of this.#rects(range)) {
        if (x >= rect.left && x <= rect.right && y >= rect.top && y <= rect.bottom) {
          best = { item, rect };
          break;
        }
      }
    }
    return best;
  }

  /**
   * Where an item is on screen.
   * @param {import('./renderer.js').RenderItem} item
   * @returns {DOMRect[]}
   */
  rectsOf(item) {
    return (this.#ranges.get(item) ?? []).flatMap((p) => this.#rects(p.range));
  }

  /** The client rectangles of a painted range, measured with one scratch Range per document. */
  #rects(range) {
    const doc = range.startContainer.ownerDocument;
    let scratch = this.#scratch.get(doc);
    if (!scratch) this.#scratch.set(doc, (scratch = doc.createRange()));
    try {
      scratch.setStart(range.startContainer, range.startOffset);
      scratch.setEnd(range.endContainer, range.endOffset);
    } catch {
      return []; // the text changed under it (an update is on its way)
    }
    return [...scratch.getClientRects()];
  }

  /** Moves a live Range out of the page's document: the page stops paying for it. */
  #retire(range) {
    if (range.constructor?.name !== 'Range' || !range.startContainer) return;
    const doc = range.startContainer.ownerDocument ?? range.startContainer;
    this.#graveyard ??= doc.implementation.createHTMLDocument('');
    try {
      range.setStart(this.#graveyard, 0);
      range.collapse(true);
    } catch {
      // a Range of a document that is gone
    }
  }

  #focusHighlight(range) {
    return this.#highlights.get(range.startContainer.ownerDocument)?.get('focus');
  }

  /**
   * Makes the item the current one (drawn in the focus colour) and scrolls it into view.
   * @param {import('./renderer.js').RenderItem} item
   */
  focus(item) {
    const pieces = this.#ranges.get(item);
    if (!pieces || pieces.length === 0) return;
    this.blur();
    this.#current = item;
    const first = pieces[0].range;
    const doc = first.startContainer.ownerDocument;
    const current = this.#highlight(doc, 'focus', 2);
    for (const p of pieces) current.add(p.range);
    const view = doc.defaultView;
    const box = () => this.#rects(first)[0];
    const outside = (rect) => !rect || rect.bottom < 0 || rect.top > view.innerHeight || rect.right < 0 || rect.left > view.innerWidth;
    if (outside(box())) {
      first.startContainer.parentElement?.scrollIntoView({ block: 'center', inline: 'nearest' });
      const rect = box();
      if (rect && outside(rect)) view.scrollBy(0, rect.top - view.innerHeight / 2);
    }
  }

  /** No item is current any more. */
  blur() {
    this.#current = null;
    for (const named of this.#highlights.values()) named.get('focus')?.clear();
  }

  /**
   * Shows or hides the highlights of one entity type.
   * @param {string} type
   * @param {boolean} visible
   */
  setTypeVisible(type, visible) {
    if (visible) this.#hidden.delete(type);
    else this.#hidden.add(type);
    for (const [doc, named] of this.#highlights) {
      for (const key of [`t-${type}`, `n-${type}`]) {
        const h = named.get(key);
        if (!h) continue;
        const name = `${this.name}-${key}`;
        if (visible) doc.defaultView.CSS.highlights.set(name, h);
        else doc.defaultView.CSS.highlights.delete(name);
      }
    }
  }

  /** Removes every highlight and the style sheet. */
  remove() {
    for (const [doc, named] of this.#highlights) {
      for (const key of named.keys()) doc.defaultView?.CSS.highlights.delete(`${this.name}-${key}`);
    }
    for (const pieces of this.#ranges.values()) for (const p of pieces) this.#retire(p.range);
    for (const scratch of this.#scratch.values()) this.#retire(scratch);
    this.#highlights.clear();
    this.#ranges.clear();
    this.#live.clear();
    this.#byElement.clear();
    this.#scratch.clear();
    this.#current = null;
    this.#sheet.detach();
  }

  /** The Highlight for `key` (`t-TYPE`, `n-TYPE` for nested matches, or `focus`) in `doc`. */
  #highlight(doc, key, priority) {
    let named = this.#highlights.get(doc);
    if (!named) this.#highlights.set(doc, (named = new Map()));
    let h = named.get(key);
    if (!h) {
      const view = doc.defaultView;
      h = new view.Highlight();
      h.priority = priority;
      named.set(key, h);
      if (key === 'focus' || !this.#hidden.has(key.slice(2))) view.CSS.highlights.set(`${this.name}-${key}`, h);
    }
    return h;
  }
}
