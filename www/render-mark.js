// The `mark` renderer: wraps every matched piece of text in a <mark> element.
//
// A highlighted Text node is replaced by new nodes (text pieces and marks); the
// original node is kept aside, untouched, and put back by remove(), so the page
// gets back the very same Text objects with their original data.

import { OWNER_ATTRIBUTE } from './collect.js';

/**
 * @typedef {object} Segment
 * @property {Text} node
 * @property {number} start UTF-16 offset in node.data
 * @property {number} end UTF-16 offset in node.data (exclusive)
 */

/**
 * @typedef {object} RenderItem
 * @property {{start: number, end: number, id: string, type: string}} match
 * @property {number} index the match's number, shared by all its marks
 * @property {Segment[]} segments
 */

/** Style elements per document and owner, with the number of renderers using each. */
const styles = new WeakMap();

/** Black or white, whichever reads better on `hex` (#rrggbb[aa]). */
export function textColorOn(hex) {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.2 ? '#000' : '#fff';
}

/**
 * The CSS for one highlighter's marks. Type keys and colours were validated by the
 * core (identifiers, `#rrggbb[aa]`) and are checked again here before use.
 */
function markCss(owner, prefix, types) {
  const self = `mark[data-sorot-owner="${owner}"]`;
  const rules = [
    // Reset whatever the page gives <mark>: no box, no layout change.
    `${self} { all: unset; display: inline !important; margin: 0 !important; padding: 0 !important;
      border: 0 !important; border-radius: 2px; color: inherit; background: transparent;
      -webkit-box-decoration-break: clone; box-decoration-break: clone; cursor: help; }`,
    `${self} ${self} { box-shadow: inset 0 -0.18em rgba(0, 0, 0, 0.45); }`,
    `${self}:focus-visible { outline: 2px solid #1a73e8; outline-offset: 1px; }`,
  ];
  for (const [key, type] of Object.entries(types)) {
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(key) || !/^#[0-9a-f]{6}([0-9a-f]{2})?$/.test(type.color)) continue;
    rules.push(`${self}.${prefix}-${key} { background-color: ${type.color}; color: ${textColorOn(type.color)}; }`);
  }
  rules.push(`${self}.${prefix}-off { background: transparent !important; color: inherit !important; box-shadow: none !important; cursor: inherit; }`);
  return rules.join('\n');
}

export class MarkRenderer {
  /**
   * @param {object} options
   * @param {string} options.owner this highlighter's owner token
   * @param {string} options.prefix class and attribute prefix
   * @param {boolean} options.keyboard make marks focusable
   */
  constructor({ owner, prefix, keyboard }) {
    this.owner = owner;
    this.prefix = prefix;
    this.keyboard = keyboard;
    /** @type {{original: Text, replacements: Node[]}[]} */
    this.records = [];
    /** @type {HTMLElement[]} */
    this.elements = [];
  }

  /**
   * Adds this highlighter's mark styles to the document (once per document; the
   * last renderer to be removed takes them away).
   * @param {Document} doc
   * @param {Record<string, {label: string, color: string}>} types
   */
  installStyles(doc, types) {
    let perOwner = styles.get(doc);
    if (!perOwner) styles.set(doc, (perOwner = new Map()));
    let entry = perOwner.get(this.owner);
    if (!entry) {
      const style = doc.createElement('style');
      style.setAttribute(OWNER_ATTRIBUTE, this.owner);
      style.textContent = markCss(this.owner, this.prefix, types);
      (doc.head ?? doc.documentElement).append(style);
      perOwner.set(this.owner, (entry = { style, users: 0 }));
    }
    entry.users += 1;
    this.styleOf = { perOwner, entry };
  }

  /**
   * Wraps the segments of every item in marks.
   * @param {RenderItem[]} items
   * @returns {{elements: HTMLElement[], ranges: Range[]}[]} per item, its marks and a
   *   Range over each of them
   */
  render(items) {
    const byNode = new Map();
    for (const item of items) {
      for (const seg of item.segments) {
        let list = byNode.get(seg.node);
        if (!list) byNode.set(seg.node, (list = []));
        list.push({ start: seg.start, end: seg.end, item });
      }
    }
    const out = new Map(items.map((item) => [item, { elements: [], ranges: [] }]));
    for (const [node, segs] of byNode) this.#wrapNode(node, segs, out);
    return items.map((item) => {
      const result = out.get(item);
      result.ranges = result.elements.map((el) => {
        const range = el.ownerDocument.createRange();
        range.selectNodeContents(el);
        return range;
      });
      return result;
    });
  }

  #wrapNode(node, segs, out) {
    const parent = node.parentNode;
    if (!parent) return;
    const doc = node.ownerDocument;
    const data = node.data;
    const cuts = new Set([0, data.length]);
    for (const s of segs) {
      cuts.add(s.start);
      cuts.add(s.end);
    }
    const points = [...cuts].sort((a, b) => a - b);
    const fragment = doc.createDocumentFragment();
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i];
      const b = points[i + 1];
      const piece = doc.createTextNode(data.slice(a, b));
      // Matches covering this piece, the longest outermost.
      const covering = segs
        .filter((s) => s.start <= a && s.end >= b)
        .sort((x, y) => (y.item.match.end - y.item.match.start) - (x.item.match.end - x.item.match.start)
          || x.item.match.start - y.item.match.start);
      let inner = piece;
      for (let k = covering.length - 1; k >= 0; k--) {
        const mark = this.#mark(doc, covering[k].item);
        mark.append(inner);
        out.get(covering[k].item).elements.push(mark);
        inner = mark;
      }
      fragment.append(inner);
    }
    this.records.push({ original: node, replacements: [...fragment.childNodes] });
    parent.replaceChild(fragment, node);
  }

  #mark(doc, item) {
    const { prefix } = this;
    const mark = doc.createElement('mark');
    mark.setAttribute(OWNER_ATTRIBUTE, this.owner);
    mark.className = `${prefix} ${prefix}-${item.match.type}`;
    mark.setAttribute(`data-${prefix}-id`, item.match.id);
    mark.setAttribute(`data-${prefix}-type`, item.match.type);
    mark.setAttribute(`data-${prefix}-match`, String(item.index));
    if (this.keyboard) mark.tabIndex = 0;
    this.elements.push(mark);
    return mark;
  }

  /**
   * Shows or hides the marks of one entity type (hidden marks stay in the page but
   * are painted as plain text).
   * @param {string} type
   * @param {boolean} visible
   */
  setTypeVisible(type, visible) {
    const attr = `data-${this.prefix}-type`;
    for (const el of this.elements) {
      if (el.getAttribute(attr) === type) el.classList.toggle(`${this.prefix}-off`, !visible);
    }
  }

  /** Puts back the original Text nodes where the marks are. */
  remove() {
    for (let i = this.records.length - 1; i >= 0; i--) {
      const { original, replacements } = this.records[i];
      const anchor = replacements.find((n) => n.parentNode);
      if (anchor) anchor.parentNode.insertBefore(original, anchor);
      for (const n of replacements) n.parentNode?.removeChild(n);
    }
    this.records = [];
    this.elements = [];
    if (this.styleOf) {
      const { perOwner, entry } = this.styleOf;
      entry.users -= 1;
      if (entry.users === 0) {
        entry.style.remove();
        perOwner.delete(this.owner);
      }
      this.styleOf = null;
    }
  }
}
