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

/**
 * A renderer's highlight names and their `::highlight()` style sheet, kept for the
 * highlighter's next renderer (see {@link keptSheets}).
 * @typedef {object} SheetSlot
 * @property {string} name the prefix of the highlight names
 * @property {string} types the types the rules were written for (JSON of checkedTypes)
 * @property {SharedSheet} sheet
 * @property {boolean} busy whether a renderer uses it
 */

/**
 * The names and style sheets of each highlighter's renderers, by owner token, kept
 * from one highlight() to the next. Chromium restyles every element of the page
 * when a sheet with `::highlight()` rules is adopted or dropped, whatever the rules
 * name: 200 to 400 ms on a page of 100,000 text nodes (a sheet of ordinary rules, 20
 * to 40 ms). So remove() leaves its sheet adopted, inert (no Highlight of its names
 * stays registered), and the highlighter's next renderer of the same types takes
 * over its names and sheet; {@link releaseSheets} (the highlighter's free()) takes
 * away the sheets no renderer uses, and those in use when their renderer is removed.
 * @type {Map<string, {slots: SheetSlot[], freed: boolean}>}
 */
const keptSheets = new Map();

/**
 * The highlighter is freed: takes away its kept style sheets (those still in use
 * go when their renderer is removed).
 * @param {string} owner the highlighter's owner token
 */
export function releaseSheets(owner) {
  const kept = keptSheets.get(owner);
  if (!kept) return;
  kept.freed = true;
  for (const slot of kept.slots.filter((s) => !s.busy)) dropSlot(owner, slot);
}

/** Takes a kept sheet away from the page and forgets it. */
function dropSlot(owner, slot) {
  const kept = keptSheets.get(owner);
  slot.sheet.detach();
  if (!kept) return;
  kept.slots = kept.slots.filter((s) => s !== slot);
  if (kept.slots.length === 0) keptSheets.delete(owner);
}

/** The rules that paint the highlights named `name-…`. */
function highlightCss(name, checked) {
  const rules = [];
  for (const { key, color, text } of checked) {
    // The page may set the colours with custom properties, on the root or the document.
    const paint = `background-color: var(--sorot-color-${key}, ${color}); color: var(--sorot-text-${key}, ${text});`;
    rules.push(`::highlight(${name}-t-${key}) { ${paint} }`);
    rules.push(`::highlight(${name}-n-${key}) { ${paint}
      text-decoration: underline 0.12em rgba(0, 0, 0, 0.55); }`);
  }
  rules.push(`::highlight(${name}-focus) { background-color: #1a73e8; color: #fff;
    text-decoration: underline 0.12em #0b3d91; }`);
  return rules.join('\n');
}

/**
 * The pieces under one key (a Text node, an element) of a map that holds one piece
 * or, for two and more, a Set of them: most keys have a single piece, and a Set
 * for each of 87,000 text nodes and their elements (on a page of 100,000 text
 * nodes) was 18 MB of the young generation, all of it kept, and so copied by each
 * minor garbage collection.
 * @typedef {Map<Node, Piece|Set<Piece>>} PieceMap
 */

/** @param {PieceMap} map @param {Node} key @param {Piece} piece */
function addPiece(map, key, piece) {
  const had = map.get(key);
  if (had === undefined) map.set(key, piece);
  else if (had instanceof Set) had.add(piece);
  else if (had !== piece) map.set(key, new Set([had, piece]));
}

/** @param {PieceMap} map @param {Node} key @param {Piece} piece */
function deletePiece(map, key, piece) {
  const had = map.get(key);
  if (had === piece) {
    map.delete(key);
  } else if (had instanceof Set) {
    had.delete(piece);
    if (had.size === 0) map.delete(key);
  }
}

/**
 * The pieces under a key, to read (the map's own Set when there are several: a
 * hit test on every pointer move does not copy the thousands of one long `<pre>`).
 * @param {PieceMap} map @param {Node} key
 * @returns {Iterable<Piece>}
 */
function piecesAt(map, key) {
  const had = map.get(key);
  return had === undefined ? [] : had instanceof Set ? had : [had];
}

/**
 * One painted piece of a Text node. Its range is made when first needed (when it
 * is painted, measured or hit-tested): with more than WINDOW_FROM pieces only those
 * near the viewport are painted, and 87,000 StaticRanges made at once for a page of
 * 100,000 text nodes cost garbage collections of 30 to 40 ms in the drawing slices.
 */
class Piece {
  /**
   * @param {import('./renderer.js').RenderItem} item
   * @param {Text} node
   * @param {number} start UTF-16 offset in the node's data
   * @param {number} end
   * @param {Highlight} highlight the Highlight it is in
   */
  constructor(item, node, start, end, highlight) {
    this.item = item;
    this.node = node;
    this.start = start;
    this.end = end;
    this.highlight = highlight;
    /** @type {Node|null} the element around its text (for hit tests) */
    this.parent = node.parentNode;
    /** @type {Node|null} the slot its text is assigned to */
    this.slot = node.assignedSlot;
    /** @type {AbstractRange|null} its range, once made */
    this.made = null;
    /** an edit of its text took it out of the painting */
    this.gone = false;
  }

  /** @type {AbstractRange} what is painted (a StaticRange, replaced when the text is edited) */
  get range() {
    return (this.made ??= paintedRange(this.node, this.start, this.end));
  }
}
/**
 * Past this many painted pieces, only those within a screen of the viewport are in
 * the registered Highlights (see {@link HighlightApiRenderer#render}): Chromium
 * redoes its work for every range of every registered Highlight whenever one of
 * them changes, ~15 µs a range, so on a page of 100,000 text nodes adding one range
 * to 87,000 painted ones cost a 1.5 s frame, and highlighting it in slices 62 s
 * with frames up to 7 s. A few screens hold a few hundred pieces. Below it (a
 * change costs at most ~30 ms) everything is painted: nothing waits for the page
 * to see a scroll (the browser's own scrolling, far), and text the page hides and
 * shows is painted at once. The largest
 * page of the shared corpus has 1,164 pieces.
 */
export const WINDOW_FROM = 2_000;
/** Pieces judged together by #updateWindow. */
const WINDOW_RUN = 256;
/** The reader's input that may scroll (see HighlightApiRenderer's #follow). */
const INPUT_EVENTS = ['wheel', 'touchmove', 'keydown'];
/** The keys that scroll. */
const SCROLL_KEYS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'PageUp', 'PageDown', 'Home', 'End', ' ']);
/** When after such input the painting is looked at again (ms): a smooth scroll takes a few frames. */
const SETTLE_MS = [120, 400];

/** A live Range over one piece of a Text node. */
function liveRange(doc, seg) {
  const range = doc.createRange();
  range.setStart(seg.node, seg.start);
  range.setEnd(seg.node, seg.end);
  return range;
}

/** What is painted for one piece of a Text node: a StaticRange where the browser has them. */
function paintedRange(node, start, end) {
  const view = node.ownerDocument.defaultView;
  if (typeof view?.StaticRange !== 'function') return liveRange(node.ownerDocument, { node, start, end });
  return new view.StaticRange({ startContainer: node, startOffset: start, endContainer: node, endOffset: end });
}

/**
 * The edit that turned `before` into `after`, as one replaced stretch (what the
 * DOM's replaceData would have done): its offset, how many code units went, how
 * many came.
 */
function editOf(before, after) {
  const most = Math.min(before.length, after.length);
  let head = 0;
  while (head < most && before.charCodeAt(head) === after.charCodeAt(head)) head++;
  let tail = 0;
  while (tail < most - head && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  return { offset: head, removed: before.length - head - tail, added: after.length - head - tail };
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

  /** @type {Map<import('./renderer.js').RenderItem, Piece[]>} what is painted per item */
  #ranges = new Map();
  /** @type {PieceMap} what is painted per Text node (to follow edits of its text) */
  #byNode = new Map();
  /** @type {Map<Node, MutationObserver>} without `observe`: the roots watched for edits of painted text */
  #editWatchers = new Map();
  /** @type {Map<import('./renderer.js').RenderItem, Range[]>} live Ranges, made when asked for */
  #live = new Map();
  /** @type {Map<Document, Range>} one Range per document for measuring */
  #scratch = new Map();
  /** @type {Document|null} where live Ranges taken away go (out of the page's document) */
  #graveyard = null;
  /** @type {PieceMap} the pieces by the element around their text (and the slot it is assigned to) */
  #byElement = new Map();
  /** @type {Map<Document, Map<string, Highlight>>} */
  #highlights = new Map();
  #hidden = new Set();
  #current = null;
  /** @type {SheetSlot} its names and style sheet */
  #slot;
  /** Pieces painted (not gone): past WINDOW_FROM, painting follows the viewport. */
  #count = 0;
  /**
   * The shadow roots painted text is shown through: its own, and those of the slots
   * and hosts above it. A scroll event does not leave its shadow root, so when
   * windowed the renderer listens to each (see #noteRoots); each maps to how to stop
   * listening (null when not windowed). Roots whose host left the page are let go
   * (#pruneRoots).
   * @type {Map<ShadowRoot, (() => void)|null>}
   */
  #roots = new Map();
  /**
   * When windowed: the pieces in the order drawn, those painted, and how to stop
   * following the scrolling.
   * @type {{order: Piece[], near: Set<Piece>, stops: (() => void)[], pending: boolean, judged: number, all: boolean}|null}
   */
  #window = null;

  /**
   * @param {object} options
   * @param {string} options.owner the highlighter's owner token
   * @param {Record<string, {color: string}>} options.types the entity types
   * @param {boolean} [options.staticRanges] whether the caller follows the page's
   *   changes (`observe`: its updates redraw a changed block before the next paint);
   *   without it the renderer itself moves what it paints along with edits of the text
   */
  constructor({ owner, types, staticRanges = false }) {
    this.owner = owner;
    this.staticRanges = staticRanges;
    /**
     * Prefix of this renderer's highlight names: `NAME-t-TYPE` for a type,
     * `NAME-n-TYPE` for matches inside other matches, `NAME-focus` for the current one.
     */
    const checked = checkedTypes(types);
    const key = JSON.stringify(checked);
    let kept = keptSheets.get(owner);
    if (!kept) keptSheets.set(owner, (kept = { slots: [], freed: false }));
    let slot = kept.slots.find((s) => !s.busy && s.types === key);
    if (!slot) {
      const name = `${owner}-${++renderers}`;
      slot = { name, types: key, sheet: new SharedSheet(highlightCss(name, checked)), busy: false };
      kept.slots.push(slot);
    }
    slot.busy = true;
    this.#slot = slot;
    this.name = slot.name;
  }

  /**
   * Draws the items (adds to what is drawn). What is painted are StaticRanges: the
   * browser updates every live Range of a document on every change of its DOM, so
   * thousands of them slow down the page's own DOM work (2,000 insertions and
   * removals took 12 s instead of 0.2 s with 16,000 live Ranges painted). With
   * `observe` an update redraws a changed block before the next paint; without it
   * the renderer follows edits of a painted Text node's data itself (a piece after
   * the edit moves with its text, a piece the edit touches is no longer painted),
   * and a piece of a Text node taken out of the page is not painted. Live Ranges
   * for `drawing(item).ranges` are made only when read, and moved out of the page's
   * document when the item goes.
   * @param {import('./renderer.js').RenderItem[]} items
   */
  render(items) {
    const parents = new Set(); // the nodes around the pieces of this call
    const attached = new Set(); // the scopes given the sheet in this call
    const walked = new Set(); // nodes #noteRoots went up from, in this call
    for (const item of items) {
      const type = item.match.type;
      if (!isTypeKey(type)) continue;
      const name = item.depth > 0 ? `n-${type}` : `t-${type}`;
      const pieces = new Array(item.segments.length); // not pushed to: 17 slots each
      for (let k = 0; k < item.segments.length; k++) {
        const seg = item.segments[k];
        const doc = seg.node.ownerDocument;
        const highlight = this.#highlight(doc, name, item.depth > 0 ? 1 : 0);
        // One entry per piece: in the sets of the elements around it (for hit tests).
        const piece = new Piece(item, seg.node, seg.start, seg.end, highlight);
        this.#count += 1;
        this.#window?.order.push(piece);
        if (this.#shown(piece)) highlight.add(piece.range);
        addPiece(this.#byNode, seg.node, piece);
        if (!this.staticRanges) this.#watchEdits(seg.node);
        if (piece.parent) addPiece(this.#byElement, piece.parent, piece);
        if (piece.slot) addPiece(this.#byElement, piece.slot, piece);
        pieces[k] = piece;
        const parent = piece.parent;
        if (!parents.has(parent)) {
          parents.add(parent);
          const scope = scopeOf(seg.node);
          if (scope && !attached.has(scope)) {
            attached.add(scope);
            this.#slot.sheet.attach(scope);
          }
          this.#noteRoots(seg.node, walked);
        }
      }
      this.#ranges.set(item, pieces);
    }
    // New pieces are judged now, not at the next frame: a block that `observe`
    // redraws is not left unpainted for a frame.
    if (this.#window && !this.#window.all) this.#updateWindow();
    else if (!this.#window && this.#count > WINDOW_FROM) this.#startWindow();
  }

  /**
   * Whether a piece is in its registered Highlight: always, until more than
   * WINDOW_FROM pieces are painted; then while it is within a screen of the
   * viewport (see #updateWindow).
   */
  #shown(piece) {
    return !this.#window || this.#window.near.has(piece);
  }

  /** From now on, only what is near the viewport is in the registered Highlights. */
  #startWindow() {
    const order = [];
    for (const pieces of this.#ranges.values()) for (const p of pieces) if (!p.gone) order.push(p);
    // What is painted stays painted until the first update.
    this.#window = { order, near: new Set(order), stops: [], pending: false, judged: 0, all: true };
    for (const doc of new Set(order.map((p) => p.node.ownerDocument))) this.#window.stops.push(this.#follow(doc));
    for (const root of this.#roots.keys()) this.#roots.set(root, this.#follow(root));
    this.#scheduleWindow(true);
  }

  /**
   * When windowed, updates what is painted when `target` (a document or a shadow
   * root) or any box in it scrolls; for a document also on resizes and once a
   * second, since the page's layout may move text without a scroll (content loaded,
   * a section opened).
   * @param {Document|ShadowRoot} target
   * @returns {() => void} how to stop
   */
  #follow(target) {
    const schedule = () => this.#scheduleWindow(true);
    // Capture: the scrolling of any scrolled box in it, not only its own.
    target.addEventListener('scroll', schedule, { capture: true, passive: true });
    const view = target.nodeType === Node.DOCUMENT_NODE ? /** @type {Document} */ (target).defaultView : null;
    view?.addEventListener('resize', schedule, { passive: true });
    const timer = view?.setInterval(schedule, 1000);
    // The reader's own scrolling reaches the document as input (wheel, touch and key
    // events leave shadow roots), also where the scroll event does not: in a closed
    // shadow root. Looked at again at the next frame and once the scroll has moved
    // (a wheel's scroll is applied after its event).
    let settle = [];
    const input = (event) => {
      if (event.type === 'keydown' && !SCROLL_KEYS.has(event.key)) return;
      schedule();
      for (const t of settle) view?.clearTimeout(t);
      settle = SETTLE_MS.map((ms) => view?.setTimeout(schedule, ms) ?? 0);
    };
    const inputs = view ? INPUT_EVENTS : [];
    for (const type of inputs) target.addEventListener(type, input, { capture: true, passive: true });
    return () => {
      target.removeEventListener('scroll', schedule, { capture: true });
      view?.removeEventListener('resize', schedule);
      if (timer !== undefined) view?.clearInterval(timer);
      for (const type of inputs) target.removeEventListener(type, input, { capture: true });
      for (const t of settle) view?.clearTimeout(t);
    };
  }

  /**
   * Notes the shadow roots `node` is shown through, walking up the flat tree (a
   * slotted node to its slot, a shadow root to its host) to a node `walked` holds,
   * so that one call of render() walks each node once. (A closed shadow root's
   * slots are not seen: text slotted into one is followed by the reader's input
   * and the timer, see #follow.)
   * @param {Node} node
   * @param {Set<Node>} walked
   */
  #noteRoots(node, walked) {
    /** @type {Node|null} */
    let n = node;
    while (n && !walked.has(n)) {
      walked.add(n);
      const host = /** @type {ShadowRoot} */ (n).host;
      if (n.nodeType === Node.DOCUMENT_FRAGMENT_NODE && host) {
        const root = /** @type {ShadowRoot} */ (n);
        if (!this.#roots.has(root)) this.#roots.set(root, this.#window ? this.#follow(root) : null);
        n = host;
      } else {
        n = /** @type {Element|Text} */ (n).assignedSlot ?? n.parentNode;
      }
    }
  }

  /** Lets go of the shadow roots whose host has left the page (a component taken away). */
  #pruneRoots() {
    for (const [root, stop] of this.#roots) {
      if (root.host.isConnected) continue;
      stop?.();
      this.#roots.delete(root);
    }
  }

  /**
   * An update of what is painted, at the next frame: of every piece after a scroll
   * (`all`), else of the pieces drawn since the last one.
   */
  #scheduleWindow(all = false) {
    const w = this.#window;
    if (!w) return;
    w.all ||= all;
    if (w.pending) return;
    const view = w.order[0]?.node.ownerDocument.defaultView ?? globalThis;
    w.pending = true;
    view.requestAnimationFrame(() => {
      w.pending = false;
      if (this.#window === w) this.#updateWindow();
    });
  }

  /**
   * Paints the pieces within a screen of the viewport (above and below) and takes
   * the others out of the registered Highlights. The pieces are looked at in runs
   * of WINDOW_RUN in the order they were drawn (the document's, a block at a time):
   * a run is near when the stretch from its first piece on screen to its last is;
   * so a run's pieces are measured only two at a time (a few ms for 100,000 pieces).
   * A run whose text is laid out out of order (a float, a fixed bar, columns) is
   * judged by its first and last piece.
   */
  #updateWindow() {
    const w = /** @type {NonNullable<typeof this.#window>} */ (this.#window);
    if (w.all && w.order.length > 2 * this.#count + WINDOW_RUN) w.order = w.order.filter((p) => !p.gone);
    if (w.all && this.#roots.size > 0) this.#pruneRoots();
    // A shadow root attached since the text was drawn (a custom element upgraded)
    // is found from each run's first piece: a few hundred short walks.
    const walked = w.all ? new Set() : null;
    const from = w.all ? 0 : w.judged - (w.judged % WINDOW_RUN);
    w.all = false;
    w.judged = w.order.length;
    for (let i = from; i < w.order.length; i += WINDOW_RUN) {
      const run = w.order.slice(i, i + WINDOW_RUN);
      if (walked && !run[0].gone) this.#noteRoots(run[0].node, walked);
      const near = this.#runIsNear(run);
      for (const p of run) {
        if (p.gone || near === w.near.has(p)) continue;
        if (near) {
          w.near.add(p);
          p.highlight.add(p.range);
        } else {
          w.near.delete(p);
          p.highlight.delete(p.range);
        }
      }
    }
  }

  /** Whether the stretch of text from a run's first piece to its last is within a screen of the viewport. */
  #runIsNear(run) {
    let first = null;
    let last = null;
    for (let i = 0; i < run.length && !first; i++) if (!run[i].gone) first = this.#box(run[i].range);
    for (let i = run.length - 1; i >= 0 && !last; i--) if (!run[i].gone) last = this.#box(run[i].range);
    if (!first || !last) return false;
    const view = run[0].node.ownerDocument.defaultView;
    const screen = view?.innerHeight ?? 0;
    const top = Math.min(first.top, last.top);
    const bottom = Math.max(first.bottom, last.bottom);
    return bottom >= -screen && top <= 2 * screen;
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
      for (const range of this.#live.get(item) ?? []) this.#retire(range);
      this.#live.delete(item);
      for (const piece of pieces) {
        if (!piece.gone) this.#unpaint(piece);
        deletePiece(this.#byNode, piece.node, piece);
      }
      if (this.#current === item) this.blur();
    }
    if (this.#roots.size > 0) this.#pruneRoots();
  }

  /** Takes one piece out of the painting and of the hit tests. */
  #unpaint(piece) {
    const { made: range, highlight } = piece;
    if (range) {
      highlight.delete(range);
      this.#focusHighlight(range)?.delete(range);
      this.#retire(range);
    }
    if (piece.parent) deletePiece(this.#byElement, piece.parent, piece);
    if (piece.slot) deletePiece(this.#byElement, piece.slot, piece);
    this.#window?.near.delete(piece);
    piece.gone = true;
    this.#count -= 1;
  }

  /** Without `observe`: watches the root a painted Text node is in for edits of text. */
  #watchEdits(node) {
    const root = node.getRootNode();
    if (this.#editWatchers.has(root)) return;
    const view = node.ownerDocument.defaultView;
    if (typeof view?.MutationObserver !== 'function') return;
    const observer = new view.MutationObserver((records) => this.#followEdits(records));
    observer.observe(root, { characterData: true, characterDataOldValue: true, subtree: true });
    this.#editWatchers.set(root, observer);
  }

  /**
   * Moves the pieces of edited Text nodes with their text: a piece before the edit
   * stays, one after it moves by what the edit added or took, one the edit touches
   * is no longer painted (its text is not what was matched).
   * @param {MutationRecord[]} records
   */
  #followEdits(records) {
    // The text after each edit: the next edit's old value, or the node's data now.
    const afterEdit = new Array(records.length);
    const later = new Map();
    for (let i = records.length - 1; i >= 0; i--) {
      const { target, oldValue } = records[i];
      afterEdit[i] = later.has(target) ? later.get(target) : /** @type {Text} */ (target).data;
      later.set(target, oldValue);
    }
    for (let i = 0; i < records.length; i++) {
      const { target, oldValue } = records[i];
      if (!this.#byNode.has(target) || oldValue === null || afterEdit[i] === null) continue;
      const { offset, removed, added } = editOf(oldValue, afterEdit[i]);
      if (removed === 0 && added === 0) continue;
      for (const piece of [...piecesAt(this.#byNode, target)]) { // a copy: pieces are taken out
        const { start, end, made } = piece;
        if (end <= offset) continue; // before the edit
        if (start >= offset + removed) {
          // After it: moves with its text (a range not made yet is made where it moved to).
          piece.start = start + added - removed;
          piece.end = end + added - removed;
          piece.made = null;
          if (!made) continue;
          const moved = piece.range;
          piece.highlight.delete(made);
          if (this.#shown(piece)) piece.highlight.add(moved);
          const focus = this.#focusHighlight(made);
          if (focus?.has(made)) {
            focus.delete(made);
            focus.add(moved);
          }
          this.#retire(made);
          continue;
        }
        this.#unpaint(piece);
        deletePiece(this.#byNode, target, piece);
      }
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
        if (!ranges) {
          ranges = pieces.filter((p) => !p.gone).map(({ node, range }) => liveRange(node.ownerDocument, { node, start: range.startOffset, end: range.endOffset }));
          live.set(item, ranges);
        }
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
    const entries = target ? piecesAt(this.#byElement, target) : [];
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
    return (this.#ranges.get(item) ?? []).filter((p) => !p.gone).flatMap((p) => this.#rects(p.range));
  }

  /** The client rectangles of a painted range. */
  #rects(range) {
    const scratch = this.#over(range);
    return scratch ? [...scratch.getClientRects()] : [];
  }

  /** The bounding box of a painted range, or null when it has none (not rendered, or its text changed). */
  #box(range) {
    const box = this.#over(range)?.getBoundingClientRect();
    return !box || (box.width === 0 && box.height === 0) ? null : box;
  }

  /**
   * The document's one scratch Range (for measuring), set over a painted range;
   * null when the text changed under it (an update is on its way).
   */
  #over(range) {
    const doc = range.startContainer.ownerDocument;
    let scratch = this.#scratch.get(doc);
    if (!scratch) this.#scratch.set(doc, (scratch = doc.createRange()));
    try {
      scratch.setStart(range.startContainer, range.startOffset);
      scratch.setEnd(range.endContainer, range.endOffset);
    } catch {
      return null;
    }
    return scratch;
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
    const pieces = this.#ranges.get(item)?.filter((p) => !p.gone);
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

  /**
   * Removes every highlight. The style sheet stays adopted for the highlighter's
   * next renderer (see {@link keptSheets}), unless the highlighter was freed.
   */
  remove() {
    for (const [doc, named] of this.#highlights) {
      for (const key of named.keys()) doc.defaultView?.CSS.highlights.delete(`${this.name}-${key}`);
    }
    for (const observer of this.#editWatchers.values()) observer.disconnect();
    this.#editWatchers.clear();
    for (const stop of this.#window?.stops ?? []) stop();
    this.#window = null;
    this.#count = 0;
    for (const stop of this.#roots.values()) stop?.();
    this.#roots.clear();
    for (const pieces of this.#ranges.values()) for (const p of pieces) if (p.made) this.#retire(p.made);
    for (const ranges of this.#live.values()) for (const range of ranges) this.#retire(range);
    for (const scratch of this.#scratch.values()) this.#retire(scratch);
    this.#highlights.clear();
    this.#ranges.clear();
    this.#byNode.clear();
    this.#live.clear();
    this.#byElement.clear();
    this.#scratch.clear();
    this.#current = null;
    if (this.#slot.busy) {
      this.#slot.busy = false;
      // Kept for the next renderer, unless the highlighter was freed.
      if (keptSheets.get(this.owner)?.freed ?? true) dropSlot(this.owner, this.#slot);
    }
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
