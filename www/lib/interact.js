// Hover, tap and keyboard access to the entity card, for any renderer: the
// renderer says which item is under the pointer (hitTest), where an item is
// (rectsOf), and how to make an item the current one (focus); this module shows
// the card.
//
// Touch screens: a tap on a highlight opens its card (and does not follow a page
// link the highlight is in); a second tap on the same highlight acts as the page
// meant (its link is followed); a tap elsewhere closes the card. The entity's own
// link is followed only from the card. Hover is for mice and pens only.
//
// Keys (only with `keyboard: true`): Alt+ArrowDown and Alt+ArrowUp move to the
// next and previous entity, Escape hides the card. A card shown by the keyboard
// that has controls (its "More", its link) takes the next Tab: Tab and Shift+Tab
// move through them, Tab after the last (Shift+Tab before the first) goes back to
// the entity, and the Tab after that goes on through the page; Escape there hides
// the card and goes back to the entity too. Keys typed in form fields and
// editable regions are left alone.

import { Card } from './card.js';

const HIDE_DELAY_MS = 200;

/** Shows the card for the item under the pointer, or the one moved to by key. */
export class Interaction {
  /** @type {Map<Document, Card>} */
  #cards = new Map();
  /** @type {Set<Document>} */
  #docs = new Set();
  #listeners = [];
  #shown = null; // {item, card, byPointer}
  #current = null;
  #hideTimer = 0;
  #frame = null; // {view, id} of the pending hit test
  #lastMove = null;
  #pointerType = 'mouse'; // of the last pointerdown
  #visited = null; // the item whose card the keyboard has been through (its next Tab goes on)
  #returnTo = null; // what had the focus before it went into the card

  /**
   * @param {object} options
   * @param {object} options.renderer a renderer (see render-mark.js, render-highlight.js)
   * @param {string} options.owner the highlighter's owner token
   * @param {() => import('./renderer.js').RenderItem[]} options.items the drawn items, in document order
   * @param {(item: import('./renderer.js').RenderItem) => import('./card.js').CardInfo} options.info
   * @param {boolean} options.cards show the card on hover
   * @param {boolean} options.keyboard bind the keys
   */
  constructor({ renderer, owner, items, info, cards, keyboard }) {
    this.renderer = renderer;
    this.owner = owner;
    this.items = items;
    this.info = info;
    this.cards = cards;
    this.keyboard = keyboard;
  }

  /**
   * Listens in this document too (the root's, and each frame walked into).
   * @param {Document} doc
   */
  watch(doc) {
    if (this.#docs.has(doc) || (!this.cards && !this.keyboard)) return;
    this.#docs.add(doc);
    const on = (target, type, fn, options) => {
      target.addEventListener(type, fn, options);
      this.#listeners.push([target, type, fn, options]);
    };
    if (this.cards) {
      on(doc, 'pointerdown', (e) => { this.#pointerType = e.pointerType || 'mouse'; }, { capture: true, passive: true });
      on(doc, 'pointermove', (e) => { if (e.pointerType === 'mouse' || e.pointerType === 'pen') this.#onMove(e); }, { passive: true });
      on(doc, 'mouseout', (e) => { if (!e.relatedTarget && this.#pointerType !== 'touch') this.#hideSoon(); }, { passive: true });
      on(doc, 'click', (e) => this.#onClick(e), { capture: true });
      on(doc, 'scroll', () => { if (this.#shown && this.#shown.byPointer !== false) this.hide(); }, { capture: true, passive: true });
    }
    if (this.keyboard) {
      on(doc, 'focusin', (e) => this.#onFocus(e));
      on(doc, 'focusout', (e) => this.#onBlur(e));
      on(doc, 'keydown', (e) => this.#onKey(e));
    }
  }

  /**
   * Forgets items that are no longer drawn.
   * @param {Set<import('./renderer.js').RenderItem>} gone
   */
  forget(gone) {
    if (this.#shown && gone.has(this.#shown.item)) this.hide();
    if (this.#current && gone.has(this.#current)) this.#current = null;
  }

  /**
   * Hides the card if it shows an item of this type.
   * @param {string} type
   */
  hideType(type) {
    if (this.#shown?.item.match.type === type) this.hide();
  }

  /**
   * Scrolls an item into view, makes it the current one and shows its card.
   * @param {import('./renderer.js').RenderItem} item
   */
  reveal(item) {
    const node = item.segments[0]?.node;
    const doc = node?.ownerDocument;
    if (!doc) return;
    const view = doc.defaultView;
    const first = () => this.renderer.rectsOf(item)[0];
    const outside = (r) => !r || r.bottom < 0 || r.top > view.innerHeight || r.right < 0 || r.left > view.innerWidth;
    if (outside(first())) {
      (this.renderer.drawing(item).elements[0] ?? node.parentElement)?.scrollIntoView({ block: 'center', inline: 'nearest' });
      const r = first();
      if (r && outside(r)) view.scrollBy(0, r.top - view.innerHeight / 2);
    }
    this.#current = item;
    this.renderer.focus(item);
    const rect = first();
    if (rect) this.#show(item, rect, doc, false);
  }

  /** Hides the card. */
  hide() {
    clearTimeout(this.#hideTimer);
    this.#shown?.card.hide();
    this.#shown = null;
  }

  /** Removes every listener and card. */
  destroy() {
    this.hide();
    if (this.#frame) this.#frame.view.cancelAnimationFrame(this.#frame.id);
    this.#frame = null;
    for (const [target, type, fn, options] of this.#listeners) target.removeEventListener(type, fn, options);
    this.#listeners = [];
    for (const card of this.#cards.values()) card.destroy();
    this.#cards.clear();
    this.#docs.clear();
  }

  #show(item, rect, doc, byPointer) {
    if (!this.cards) return;
    clearTimeout(this.#hideTimer);
    let card = this.#cards.get(doc);
    if (!card) {
      card = new Card(doc, this.owner);
      const keep = () => clearTimeout(this.#hideTimer);
      const leave = () => this.#hideSoon();
      card.host.addEventListener('mouseenter', keep);
      card.host.addEventListener('mouseleave', leave);
      // Focus leaving a card the keyboard opened (not for the entity it is about: that shows it again).
      card.host.addEventListener('focusout', (e) => { if (this.#shown?.byPointer === false && !card.contains(e.relatedTarget)) this.#hideSoon(); });
      this.#cards.set(doc, card);
    }
    if (this.#shown && this.#shown.card !== card) this.#shown.card.hide();
    if (this.#shown?.item !== item) this.#visited = null;
    this.#shown = { item, card, byPointer };
    card.show(rect, this.info(item), this.renderer.drawing(item).elements[0] ?? item.segments[0]?.node.parentElement ?? null);
  }

  /** A tap (touch): opens the card of the highlight under it, or closes the card. */
  #onClick(event) {
    if (this.#pointerType !== 'touch') return;
    const path = event.composedPath?.() ?? [];
    if (this.#shown && path.includes(this.#shown.card.host)) return; // inside the card: its link works
    const hit = this.renderer.hitTest(event);
    if (!hit) {
      if (this.#shown) this.hide();
      return;
    }
    if (this.#shown?.item === hit.item) return; // the second tap: what the page meant
    event.preventDefault(); // the first tap shows the card instead of following a link
    const doc = event.target.ownerDocument ?? event.target;
    this.#show(hit.item, hit.rect, doc, 'tap');
  }

  #hideSoon() {
    clearTimeout(this.#hideTimer);
    if (!this.#shown) return;
    this.#hideTimer = setTimeout(() => {
      // Not while the pointer is on the card (its "More" resized it under the pointer).
      if (this.#shown?.byPointer && this.#shown.card.host.matches(':hover')) return;
      this.hide();
    }, HIDE_DELAY_MS);
  }

  #onMove(event) {
    // One hit test per frame, with the latest position.
    this.#lastMove = event;
    if (this.#frame) return;
    const view = event.view ?? event.target?.ownerDocument?.defaultView ?? window;
    this.#frame = { view, id: 0 };
    this.#frame.id = view.requestAnimationFrame(() => {
      this.#frame = null;
      const e = this.#lastMove;
      this.#lastMove = null;
      if (e) this.#hover(e);
    });
  }

  #hover(event) {
    const path = event.composedPath?.() ?? [];
    if (this.#shown && path.includes(this.#shown.card.host)) {
      clearTimeout(this.#hideTimer);
      return;
    }
    const hit = this.renderer.hitTest(event);
    if (!hit) {
      if (this.#shown?.byPointer) this.#hideSoon();
      return;
    }
    if (this.#shown?.item === hit.item) {
      clearTimeout(this.#hideTimer);
      return;
    }
    const doc = (event.target.ownerDocument ?? event.target);
    this.#show(hit.item, hit.rect, doc, true);
  }

  #onFocus(event) {
    const item = this.renderer.itemOfElement(event.target);
    if (!item) return;
    this.#current = item;
    const rect = this.renderer.rectsOf(item)[0];
    if (rect) this.#show(item, rect, event.target.ownerDocument, false);
  }

  #onBlur(event) {
    if (!this.renderer.itemOfElement(event.target)) return;
    if (this.#shown && event.relatedTarget && this.#shown.card.contains(event.relatedTarget)) return;
    this.#hideSoon();
  }

  #onKey(event) {
    if (event.defaultPrevented) return;
    const shown = this.#shown;
    const path = event.composedPath();
    const inCard = shown && path.includes(shown.card.host);
    if (!inCard && isTyping(event)) return;
    if (inCard && event.key === 'Escape') {
      this.#leaveCard(shown);
      this.hide();
      return;
    }
    // Tab into a card the keyboard opened (once per entity), and through its controls.
    if (shown && event.key === 'Tab' && !event.altKey && !event.ctrlKey && !event.metaKey
      && (inCard || (shown.byPointer === false && shown.item !== this.#visited && !event.shiftKey))) {
      const controls = shown.card.controls();
      const next = controls[inCard ? controls.indexOf(path[0]) + (event.shiftKey ? -1 : 1) : 0];
      if (!inCard && !next) return;
      event.preventDefault();
      if (!inCard) this.#returnTo = shown.card.doc.activeElement;
      if (next) next.focus();
      else this.#leaveCard(shown);
      return;
    }
    if (inCard) return;
    if (event.key === 'Escape' && (this.#shown || this.#current)) {
      this.hide();
      this.renderer.blur();
      return;
    }
    if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    if (step === 0) return;
    const item = this.#next(step);
    if (!item) return;
    event.preventDefault();
    this.#current = item;
    this.renderer.focus(item);
    const rect = this.renderer.rectsOf(item)[0];
    const doc = item.segments[0]?.node.ownerDocument;
    if (rect && doc) this.#show(item, rect, doc, false);
  }

  /** The focus back from the card to the entity (the next Tab goes on through the page). */
  #leaveCard(shown) {
    this.#visited = shown.item;
    const to = this.#returnTo;
    this.#returnTo = null;
    if (to?.isConnected && to !== to.ownerDocument.body) to.focus({ preventScroll: true });
    else shown.card.doc.activeElement?.blur();
  }

  /** The next (step 1) or previous (step -1) item: from the current one, else from the viewport. */
  #next(step) {
    const items = this.items();
    if (items.length === 0) return null;
    const at = this.#current ? items.indexOf(this.#current) : -1;
    if (at >= 0) return items[Math.min(items.length - 1, Math.max(0, at + step))];
    // Nothing current yet: the first item below the top of the window, or the
    // last one above its bottom.
    const order = step > 0 ? items : [...items].reverse();
    for (const item of order) {
      const rect = this.renderer.rectsOf(item)[0];
      if (!rect) continue;
      const view = item.segments[0].node.ownerDocument.defaultView;
      if (step > 0 ? rect.bottom > 0 : rect.top < view.innerHeight) return item;
    }
    return order[0];
  }
}

/** Whether a key event is typing into a form field or an editable region. */
function isTyping(event) {
  const target = event.composedPath?.()[0] ?? event.target;
  if (!target || target.nodeType !== Node.ELEMENT_NODE) return false;
  return target.isContentEditable || ['input', 'textarea', 'select'].includes(target.localName);
}
