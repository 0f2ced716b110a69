// The entity card shown on hover or keyboard focus. It lives in a shadow root, so
// the page's CSS cannot restyle it, and is built with createElement/textContent
// only: nothing from the page or the gazetteer is ever parsed as HTML. Its host
// element is in the page only while the card is shown, after <body>, so that the
// page's own content is never touched.

import { OWNER_ATTRIBUTE } from './collect.js';
import { messages } from './lang.js';
import { isHexColor, SharedSheet } from './styles.js';

const CARD_CSS = `
:host {
  all: initial !important; display: block !important; position: fixed !important;
  z-index: 2147483647 !important; pointer-events: auto !important;
  top: var(--sorot-card-top, 0px) !important; left: var(--sorot-card-left, 0px) !important;
}
.card {
  box-sizing: border-box; max-width: min(22rem, calc(100vw - 16px)); padding: 10px 12px;
  max-height: min(28rem, calc(100vh - 16px)); overflow-y: auto;
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
.desc[tabindex] { max-height: 12em; overflow-y: auto; }
button { all: unset; cursor: pointer; font-size: 13px; }
.note { margin-top: 4px; font-size: 12px; opacity: 0.75; }
a, button { color: var(--sorot-card-link, #0b57d0); text-decoration: underline; word-break: break-all; }
b { font-weight: 600; }
.link { margin-top: 6px; font-size: 13px; }
:focus-visible { outline: 2px solid var(--sorot-card-link, #0b57d0); }
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

/**
 * Characters that would make a link's text mislead (bidirectional controls, which
 * reorder what is shown) or that no link has (C0 and C1 controls).
 */
const UNSAFE_IN_LINK = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** How much of a description a card shows before its "More" control. */
export const DESCRIPTION_PREVIEW = 280;
/** How much of a description a card shows at all (the rest is cut, with "…"). */
export const DESCRIPTION_MAX = 20_000;
/** How much of a link's path a card shows. */
const PATH_SHOWN = 60;

/**
 * A link as a card shows it, or null when it is not shown: only an absolute
 * http: or https: URL with a host, no user name or password
 * (`https://bank.example@evil.example/` goes to evil.example) and no
 * bidirectional control or control character.
 * @param {unknown} url
 * @returns {{href: string, host: string, path: string} | null} `host` as the
 *   browser reads it (punycode for an international name), `path` what follows it
 *   (shortened; '' for `/`)
 */
export function cardLink(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (UNSAFE_IN_LINK.test(url) || !/^https?:$/.test(u.protocol) || !u.hostname || u.username || u.password) return null;
  let path = u.href.slice(u.origin.length);
  try {
    // Readable (`/wiki/São_Paulo`), unless decoding brings back what the URL escaped.
    const decoded = decodeURI(path);
    if (!UNSAFE_IN_LINK.test(decoded) && !/\s/.test(decoded)) path = decoded;
  } catch {
    // not valid percent-encoding: shown as it is
  }
  if (path === '/') path = '';
  return { href: u.href, host: u.host, path: path.length > PATH_SHOWN ? `${path.slice(0, PATH_SHOWN - 1)}…` : path };
}

/** Whether `url` is a link a card shows (see {@link cardLink}). */
export function isWebLink(url) {
  return cardLink(url) !== null;
}

/**
 * The start of a long text, cut after a word near `max` characters.
 * @param {string} text
 * @param {number} max
 */
function cutText(text, max) {
  const space = text.lastIndexOf(' ', max);
  return `${text.slice(0, space > max * 0.7 ? space : max)}…`;
}

/** The card, in a shadow root of its own. */
export class Card {
  #sheet = new SharedSheet(CARD_CSS);
  /** @type {DOMRect|null} the anchor of the card shown */
  #rect = null;

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
   * Shows the card next to `rect` (a DOMRect in viewport coordinates). A long
   * description shows its start and a "More" button (which shows the whole, up to
   * {@link DESCRIPTION_MAX} characters, scrolling inside the card); the link shows
   * its real host.
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
    const say = messages(info.lang ?? '');
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
    const text = typeof info.description === 'string' ? info.description : '';
    if (text) {
      const desc = el('div', 'desc', text.length > DESCRIPTION_PREVIEW * 1.25 ? cutText(text, DESCRIPTION_PREVIEW) : text);
      parts.push(desc);
      if (text !== desc.textContent) {
        // "More" shows the whole (up to DESCRIPTION_MAX), which scrolls; the focus goes there.
        const more = el('button', '', say.more);
        more.onclick = () => {
          desc.textContent = text.length > DESCRIPTION_MAX ? cutText(text, DESCRIPTION_MAX) : text;
          desc.tabIndex = 0;
          desc.focus({ preventScroll: true });
          more.remove();
          this.#place();
        };
        parts.push(more);
      }
    }
    if (info.note) parts.push(el('div', 'note', info.note));
    const link = cardLink(info.url);
    if (link) {
      const a = el('a');
      a.append(el('b', '', link.host), link.path);
      Object.assign(a, { href: link.href, title: link.href, target: '_blank', rel: 'noopener noreferrer' });
      const line = el('div', 'link');
      line.append(a);
      parts.push(line);
    }
    this.box.replaceChildren(...parts);
    this.box.scrollTop = 0;
    if (info.lang) this.box.lang = info.lang;
    else this.box.removeAttribute('lang');
    this.#rect = rect;
    this.#place();
  }

  /** Places the card below its anchor, or above it when there is no room; kept inside the viewport. */
  #place() {
    const rect = this.#rect;
    if (!rect || !this.host.isConnected) return;
    const s = this.host.style;
    s.setProperty('--sorot-card-top', '0px', 'important');
    s.setProperty('--sorot-card-left', '0px', 'important');
    const view = this.doc.documentElement;
    const width = this.host.offsetWidth;
    const height = this.host.offsetHeight;
    let top = rect.bottom + 6;
    if (top + height > view.clientHeight && rect.top - height - 6 >= 0) top = rect.top - height - 6;
    const left = Math.max(8, Math.min(rect.left, view.clientWidth - width - 8));
    s.setProperty('--sorot-card-top', `${Math.round(top)}px`, 'important');
    s.setProperty('--sorot-card-left', `${Math.round(left)}px`, 'important');
  }

  /** The card's controls a keyboard reaches, in order (its description once open, its "More", its link). */
  controls() {
    return [...this.box.querySelectorAll('[tabindex], button, a')];
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
