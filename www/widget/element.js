// <sorot-highlight>: highlights its content (with `observe`), as one document.
// The class only: sorot-widget.js defines the element. Attributes and
// properties mirror each other: gazetteer, renderer, overlap, types, panel (a
// boolean attribute), and the global `lang`. After each update the element
// dispatches `sorot-update` (bubbling, composed; detail: matches, counts).

import { detach, highlightOf, reattach } from './widget.js';

const Base = /** @type {typeof HTMLElement} */ (globalThis.HTMLElement ?? class {});
const STRINGS = ['gazetteer', 'renderer', 'overlap', 'types'];

/** The `<sorot-highlight>` element. */
export class SorotHighlightElement extends Base {
  static observedAttributes = [...STRINGS, 'panel', 'lang'];

  #queued = false;

  /** The Highlight handle of the content (null until it is drawn). */
  get highlight() {
    return highlightOf(this);
  }

  /** Whether the editor's panel shows (the `panel` attribute). */
  get panel() {
    return this.hasAttribute('panel');
  }

  set panel(on) {
    this.toggleAttribute('panel', Boolean(on));
  }

  connectedCallback() {
    this.#restart();
  }

  disconnectedCallback() {
    detach(this);
  }

  attributeChangedCallback() {
    if (this.isConnected) this.#restart();
  }

  /**
   * Highlights the content again with the current attributes (once per task, however
   * many changed). The highlights stay until the new gazetteer is in: a gazetteer
   * that cannot be loaded leaves them, and the panel says why.
   */
  #restart() {
    if (this.#queued) return;
    this.#queued = true;
    queueMicrotask(() => {
      this.#queued = false;
      if (!this.isConnected) {
        detach(this);
        return;
      }
      const options = { panel: this.panel };
      for (const name of STRINGS) {
        const value = this.getAttribute(name);
        if (value) options[name] = value;
      }
      if (this.lang) options.lang = this.lang;
      reattach(this, options).catch((err) => {
        if (err.name !== 'AbortError') console.error(`sorot widget: <sorot-highlight>: ${err.message}`);
      });
    });
  }
}

for (const name of STRINGS) {
  Object.defineProperty(SorotHighlightElement.prototype, name, {
    get() { return this.getAttribute(name) ?? ''; },
    set(value) {
      if (value === null || value === undefined || value === '') this.removeAttribute(name);
      else this.setAttribute(name, String(value));
    },
    configurable: true,
    enumerable: true,
  });
}
