// The `mark` renderer: wraps every matched piece of text in a <mark> element.
//
// A highlighted Text node is replaced by new nodes (text pieces and marks); the
// original node is kept aside, untouched, and put back by unrender() and remove(),
// so the page gets back the very same Text objects. If the page has changed the
// pieces meanwhile, the marks are unwrapped instead and the page's text is kept.

import { OWNER_ATTRIBUTE } from './collect.js';
import { checkedTypes, isTypeKey, scopeOf, SharedSheet } from './styles.js';

/** @typedef {import('./renderer.js').Renderer} Renderer */

/** Documents (one per page document) that live Ranges given out are moved into when their marks go. */
const graveyards = new WeakMap();

/**
 * Moves live Ranges out of the page's document (collapsed in an empty document of
 * their own): the browser updates every live Range of a document on every change of
 * its DOM, even Ranges nobody holds any more until they are collected, so Ranges
 * left over marks that are gone would make every later change (ours and the
 * page's) slower, without bound over a long session.
 * @param {Range[]|undefined} ranges
 */
function retire(ranges) {
  if (!ranges) return;
  for (const range of ranges) {
    const doc = range.startContainer.ownerDocument ?? range.startContainer;
    let grave = graveyards.get(doc);
    if (!grave) graveyards.set(doc, (grave = doc.implementation.createHTMLDocument('')));
    try {
      range.setStart(grave, 0);
      range.collapse(true);
    } catch {
      // a Range of a document that is gone
    }
  }
}

/** @typedef {import('./renderer.js').RenderItem} RenderItem */

// `:not(#_)` adds an id's weight to a selector, so that the reset beats page
// rules such as `#content mark { ... !important }`.
const BOOST = ':not(#_):not(#_):not(#_)';

/** The CSS for one highlighter's marks: a full reset (no box, no layout change), then colours. */
function markCss(owner, prefix, types) {
  const self = `mark[${OWNER_ATTRIBUTE}="${owner}"]${BOOST}`;
  const rules = [
    `${self} { all: unset !important; display: inline !important; margin: 0 !important;
      padding: 0 !important; border: 0 none !important; unicode-bidi: normal !important;
      direction: inherit !important; border-radius: 2px !important; cursor: help !important;
      -webkit-box-decoration-break: clone !important; box-decoration-break: clone !important; }`,
    `${self}::before, ${self}::after { content: none !important; display: none !important; }`,
    `${self} ${self} { box-shadow: inset 0 -0.18em rgba(0, 0, 0, 0.45) !important; }`,
    `${self}:focus-visible { outline: 2px solid #1a73e8 !important; outline-offset: 1px !important; }`,
  ];
  for (const { key, color, text } of checkedTypes(types)) {
    rules.push(`${self}.${prefix}-${key} { background-color: var(--sorot-color-${key}, ${color}) !important;
      color: var(--sorot-text-${key}, ${text}) !important; }`);
  }
  rules.push(`${self}.${prefix}-off, ${self} ${self}.${prefix}-off { background: transparent !important;
    color: inherit !important; box-shadow: none !important; cursor: inherit !important; }`);
  return rules.join('\n');
}

/**
 * Draws matches as <mark> elements.
 * @implements {Renderer}
 */
export class MarkRenderer {
  /** The renderer's name, as given to `highlight({renderer})`. */
  static kind = 'mark';

  /** @type {Map<Text, {original: Text, parent: Node, data: string, replacements: Node[], marks: HTMLElement[], items: Set<RenderItem>}>} */
  #records = new Map();
  /** @type {Map<RenderItem, Map<Text, HTMLElement[]>>} the marks of each item, per original node */
  #marks = new Map();
  /** @type {Map<RenderItem, Range[]>} */
  #ranges = new Map();
  /** @type {WeakMap<Node, RenderItem|Set<RenderItem>>} marks to their item, pieces to their node's items */
  #ours = new WeakMap();
  #hidden = new Set();
  #sheet;

  /**
   * @param {object} options
   * @param {string} options.owner the highlighter's owner token
   * @param {string} options.prefix class and attribute prefix
   * @param {boolean} options.keyboard make marks focusable
   * @param {Record<string, {color: string}>} options.types the entity types
   */
  constructor({ owner, prefix, keyboard, types }) {
    this.owner = owner;
    this.prefix = prefix;
    this.keyboard = keyboard;
    this.#sheet = new SharedSheet(markCss(owner, prefix, types));
  }

  /**
   * Draws the items (adds to what is drawn).
   * @param {RenderItem[]} items
   */
  render(items) {
    const byNode = new Map();
    for (const item of items) {
      if (!isTypeKey(item.match.type)) continue;
      for (const seg of item.segments) {
        let set = byNode.get(seg.node);
        if (!set) byNode.set(seg.node, (set = new Set()));
        set.add(item);
      }
    }
    for (const [node, added] of byNode) {
      const record = this.#records.get(node);
      let all = added;
      if (record) {
        // Its items get new marks: Ranges over the old ones go before the DOM changes.
        for (const item of record.items) this.#dropRanges(item);
        all = new Set([...record.items, ...added]);
        if (!this.#restore(record)) all = added;
      }
      this.#wrap(node, all);
    }
  }

  /**
   * Stops drawing the items; other items on the same Text nodes stay drawn.
   * @param {RenderItem[]} items
   */
  unrender(items) {
    const byNode = new Map();
    for (const item of items) {
      this.#marks.delete(item);
      this.#dropRanges(item);
      for (const seg of item.segments) {
        let set = byNode.get(seg.node);
        if (!set) byNode.set(seg.node, (set = new Set()));
        set.add(item);
      }
    }
    for (const [node, removed] of byNode) {
      const record = this.#records.get(node);
      if (!record) continue;
      const remaining = new Set([...record.items].filter((i) => !removed.has(i)));
      for (const item of remaining) this.#dropRanges(item);
      if (this.#restore(record) && remaining.size > 0) this.#wrap(node, remaining);
    }
  }

  /**
   * What is drawn for an item. Its Ranges are made only when asked for, and moved
   * out of the page's document when its marks go (unrender, remove, or new marks
   * for its Text node): every live Range of a document is updated on every change
   * of the DOM, so thousands of them would make putting the page back quadratic.
   * @param {RenderItem} item
   * @returns {{elements: HTMLElement[], ranges: Range[]}} its marks and a Range over each
   */
  drawing(item) {
    const perNode = this.#marks.get(item);
    const elements = [];
    if (perNode) for (const seg of item.segments) elements.push(...(perNode.get(seg.node) ?? []));
    const cache = this.#ranges;
    return {
      elements,
      get ranges() {
        let ranges = cache.get(item);
        if (!ranges) {
          ranges = elements.map((el) => {
            const range = el.ownerDocument.createRange();
            range.selectNodeContents(el);
            return range;
          });
          cache.set(item, ranges);
        }
        return ranges;
      },
    };
  }

  /**
   * The items drawn with this node (a mark or a text piece made by this renderer).
   * @param {Node} node
   * @returns {RenderItem[]}
   */
  itemsOf(node) {
    const found = this.#ours.get(node);
    return found === undefined ? [] : found instanceof Set ? [...found] : [found];
  }

  /**
   * The item under the pointer of a mouse event, and the rectangle it is in.
   * @param {MouseEvent} event
   * @returns {{item: RenderItem, rect: DOMRect}|null}
   */
  hitTest(event) {
    const target = event.composedPath?.()[0] ?? event.target;
    let el = target?.nodeType === Node.ELEMENT_NODE ? target : target?.parentElement;
    const selector = `mark[${OWNER_ATTRIBUTE}="${this.owner}"]`;
    while ((el = el?.closest?.(selector))) {
      const item = this.#ours.get(el);
      if (item && !(item instanceof Set)) {
        if (this.#hidden.has(item.match.type)) return null;
        const rects = [...el.getClientRects()];
        const { clientX: x, clientY: y } = event;
        const rect = rects.find((r) => x >= r.left && x <= r.right && y >= r.top && y <= r.bottom) ?? rects[0];
        return rect ? { item, rect } : null;
      }
      el = el.parentElement;
    }
    return null;
  }

  /**
   * The item of an element (a mark of this renderer), or null.
   * @param {Element} el
   * @returns {RenderItem|null}
   */
  itemOfElement(el) {
    const item = this.#ours.get(el);
    return item && !(item instanceof Set) ? item : null;
  }

  /**
   * Where an item is on screen.
   * @param {RenderItem} item
   * @returns {DOMRect[]}
   */
  rectsOf(item) {
    return this.drawing(item).elements.flatMap((el) => [...el.getClientRects()]);
  }

  /**
   * Moves keyboard focus to the item (its first mark).
   * @param {RenderItem} item
   */
  focus(item) {
    this.drawing(item).elements[0]?.focus();
  }

  /** Keyboard focus stays where it is; nothing else is drawn for the current item. */
  blur() {}

  /**
   * Shows or hides the marks of one entity type (hidden marks stay in the page but
   * are painted as plain text and are not focusable).
   * @param {string} type
   * @param {boolean} visible
   */
  setTypeVisible(type, visible) {
    if (visible) this.#hidden.delete(type);
    else this.#hidden.add(type);
    for (const record of this.#records.values()) {
      for (const mark of record.marks) {
        if (this.#ours.get(mark)?.match.type === type) this.#style(mark, type);
      }
    }
  }

  /** Puts back the original Text nodes everywhere and removes the styles. */
  remove() {
    for (const ranges of this.#ranges.values()) retire(ranges);
    this.#ranges.clear();
    for (const record of [...this.#records.values()]) this.#restore(record);
    this.#marks.clear();
    this.#sheet.detach();
  }

  #wrap(node, items) {
    const parent = node.parentNode;
    if (!parent || items.size === 0) return;
    const doc = node.ownerDocument;
    const data = node.data;
    const segs = [];
    const cuts = new Set([0, data.length]);
    for (const item of items) {
      this.#dropRanges(item);
      let perNode = this.#marks.get(item);
      if (!perNode) this.#marks.set(item, (perNode = new Map()));
      perNode.set(node, []);
      for (const s of item.segments) {
        if (s.node !== node) continue;
        segs.push({ start: s.start, end: s.end, item });
        cuts.add(s.start);
        cuts.add(s.end);
      }
    }
    const points = [...cuts].sort((a, b) => a - b);
    const fragment = doc.createDocumentFragment();
    const marks = [];
    const nodeItems = new Set(items);
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i];
      const b = points[i + 1];
      const piece = doc.createTextNode(data.slice(a, b));
      this.#ours.set(piece, nodeItems);
      // Matches covering this piece, the longest outermost.
      const covering = segs
        .filter((s) => s.start <= a && s.end >= b)
        .sort((x, y) => (y.item.match.end - y.item.match.start) - (x.item.match.end - x.item.match.start)
          || x.item.match.start - y.item.match.start);
      let inner = piece;
      for (let k = covering.length - 1; k >= 0; k--) {
        const mark = this.#mark(doc, covering[k].item);
        mark.append(inner);
        marks.push(mark);
        this.#marks.get(covering[k].item).get(node).push(mark);
        inner = mark;
      }
      fragment.append(inner);
    }
    const record = { original: node, parent, data, replacements: [...fragment.childNodes], marks, items: nodeItems };
    this.#records.set(node, record);
    const scope = scopeOf(parent);
    if (scope) this.#sheet.attach(scope);
    parent.replaceChild(fragment, node);
  }

  /** Retires the live Ranges made for an item's marks (new ones are made when next read). */
  #dropRanges(item) {
    const ranges = this.#ranges.get(item);
    if (!ranges) return;
    this.#ranges.delete(item);
    retire(ranges);
  }

  /** Puts the original node back. Returns false when the page changed the pieces (the marks are unwrapped instead). */
  #restore(record) {
    const { original, parent, data, replacements, marks } = record;
    this.#records.delete(original);
    let intact = replacements.every((n, i) => n.parentNode === parent && (i === 0 || replacements[i - 1].nextSibling === n));
    if (intact) intact = replacements.map((n) => n.textContent).join('') === data;
    if (intact) {
      parent.insertBefore(original, replacements[0]);
      for (const n of replacements) parent.removeChild(n);
    } else {
      for (const mark of marks) if (mark.parentNode) mark.replaceWith(...mark.childNodes);
    }
    return intact;
  }

  #mark(doc, item) {
    const { prefix } = this;
    const type = item.match.type;
    const mark = doc.createElement('mark');
    mark.setAttribute(OWNER_ATTRIBUTE, this.owner);
    mark.setAttribute(`data-${prefix}-id`, item.match.id);
    mark.setAttribute(`data-${prefix}-type`, type);
    mark.setAttribute(`data-${prefix}-match`, String(item.serial));
    this.#style(mark, type);
    this.#ours.set(mark, item);
    return mark;
  }

  #style(mark, type) {
    const hidden = this.#hidden.has(type);
    mark.className = `${this.prefix} ${this.prefix}-${type}${hidden ? ` ${this.prefix}-off` : ''}`;
    if (this.keyboard && !hidden) mark.tabIndex = 0;
    else mark.removeAttribute('tabindex');
  }
}
