// The entity card shown on hover or keyboard focus. It lives in a shadow root, so
// the page's CSS cannot restyle it, and is built with createElement/textContent
// only: nothing from the page or the gazetteer is ever parsed as HTML. Its host
// element is in the page only while the card is shown, after <body>, so that the
// page's own content is never touched.

import { OWNER_ATTRIBUTE } from './collect.js';
import { isHexColor, SharedSheet } from './styles.js';

const CARD_CSS = `
:host {
  all: initial !important; display: block !important; position: fixed !important;
  z-index: 2147483647 !important; pointer-events: auto !important;
  top: var(--sorot-card-top, 0px) !important; left: var(--sorot-card-left, 0px) !important;
}
.card {
  box-sizing: border-box; max-width: min(22rem, calc(100vw - 16px)); padding: 10px 12px;
  background: var(--sorot-card-bg, #fff); color: var(--sorot-card-fg, #1b1b1b);
  border: 1px solid var(--sorot-card-border, #c8c8c8); border-radius: 8px;
  box-shadow: 0 6px 24px rgba(0, 0, 0, 0.18); font: 14px/1.45 var(--sorot-font, system-ui, sans-serif);
  text-align: left; white-space: normal; overflow-wrap: anywhere;
}
.head { display: flex; align-items: baseline; gap: 8px; flex-wrap: wrap; }
.name { font-weight: 600; font-size: 15px; }
.type { display: inline-flex; align-items: center; gap: 4px; font-size: 12px; opacity: 0.8; }
.swatch { width: 10px; height: 10px; border-radius: 2px; border: 1px solid rgba(0,0,0,0.25); }
.desc { margin-top: 4px; }
.note { margin-top: 4px; font-size: 12px; opacity: 0.75; }
a { color: var(--sorot-card-link, #0b57d0); text-decoration: underline; word-break: break-all; }
.link { margin-top: 6px; font-size: 13px; }
`;

/**
 * @typedef {object} CardInfo
 * @property {string} name
 * @property {string} typeLabel
 * @property {string} color the type's colour (used only when it is `#rrggbb[aa]`)
 * @property {string} [description]
 * @property {string} [url] shown only when it is an http: or https: link
 * @property {string} [note] a line of explanation (why this entity)
 * @property {string} [lang] the language the card is written in
 */

/** The custom properties a page may set (on the highlighted root or the document) to style the card. */
export const CARD_PROPERTIES = Object.freeze(['--sorot-card-bg', '--sorot-card-fg', '--sorot-card-border', '--sorot-card-link', '--sorot-font']);

/** Whether `url` is an absolute http: or https: link. */
export function isWebLink(url) {
  if (typeof url !== 'string') return false;
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** The card, in a shadow root of its own. */
export class Card {
  #sheet = new SharedSheet(CARD_CSS);

  /**
   * @param {Document} doc
   * @param {string} owner the highlighter's owner token
   */
  constructor(doc, owner) {
    this.doc = doc;
    this.host = doc.createElement('div');
    this.host.setAttribute(OWNER_ATTRIBUTE, owner);
    // The page's CSS cannot reach into the shadow root, and loses to the
    // `:host { ... !important }` rules there. The position comes from two custom
    // properties set on the host (`all` does not reset custom properties).
    const shadow = this.host.attachShadow({ mode: 'open' });
    this.#sheet.attach(shadow);
    this.box = doc.createElement('div');
    this.box.className = 'card';
    this.box.setAttribute('role', 'tooltip');
    shadow.append(this.box);
  }

  /**
   * Shows the card next to `rect` (a DOMRect in viewport coordinates).
   * @param {DOMRect} rect
   * @param {CardInfo} info
   * @param {Element|null} [from] the element the card is about: the card takes the
   *   `--sorot-card-*` custom properties it inherits (set on the root or the document)
   */
  show(rect, info, from = null) {
    const doc = this.doc;
    if (!this.host.isConnected) doc.documentElement.append(this.host);
    const style = from?.isConnected ? doc.defaultView?.getComputedStyle(from) : null;
    for (const name of CARD_PROPERTIES) {
      const value = style?.getPropertyValue(name).trim();
      if (value) this.host.style.setProperty(name, value);
      else this.host.style.removeProperty(name);
    }
    const el = (tag, cls, text) => {
      const e = doc.createElement(tag);
      if (cls) e.className = cls;
      if (text !== undefined) e.textContent = text;
      return e;
    };
    const head = el('div', 'head');
    const type = el('span', 'type');
    const swatch = el('span', 'swatch');
    if (isHexColor(info.color)) swatch.style.backgroundColor = info.color;
    type.append(swatch, doc.createTextNode(info.typeLabel));
    head.append(el('span', 'name', info.name), type);
    const parts = [head];
    if (info.description) parts.push(el('div', 'desc', info.description));
    if (info.note) parts.push(el('div', 'note', info.note));
    if (isWebLink(info.url)) {
      const a = el('a', '', info.url.replace(/^https?:\/\//, ''));
      a.href = info.url;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      const line = el('div', 'link');
      line.append(a);
      parts.push(line);
    }
    this.box.replaceChildren(...parts);
    if (info.lang) this.box.lang = info.lang;
    else this.box.removeAttribute('lang');
    const s = this.host.style;
    s.setProperty('--sorot-card-top', '0px', 'important');
    s.setProperty('--sorot-card-left', '0px', 'important');
    // Below the anchor, or above it when there is no room; kept inside the viewport.
    const view = doc.documentElement;
    const width = this.host.offsetWidth;
    const height = this.host.offsetHeight;
    let top = rect.bottom + 6;
    if (top + height > view.clientHeight && rect.top - height - 6 >= 0) top = rect.top - height - 6;
    const left = Math.max(8, Math.min(rect.left, view.clientWidth - width - 8));
    s.setProperty('--sorot-card-top', `${Math.round(top)}px`, 'important');
    s.setProperty('--sorot-card-left', `${Math.round(left)}px`, 'important');
  }

  /** Hides the card (its host leaves the page). */
  hide() {
    this.host.remove();
  }

  /** Whether the card is shown. */
  get visible() {
    return this.host.isConnected;
  }

  /** Whether the node is inside the card. */
  contains(node) {
    return node === this.host || this.host.contains(node);
  }

  /** Removes the card for good. */
  destroy() {
    this.host.remove();
    this.#sheet.detach();
  }
}
