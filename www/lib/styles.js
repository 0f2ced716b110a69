// Style sheets for the renderers and the card: checked type colours, and sheets
// adopted by a document or shadow root (constructed style sheets: no <style>
// element in the page, and not blocked by a page's Content-Security-Policy).

/** A type key that may be used in a class name or highlight name. */
const TYPE_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** The only colour form that reaches CSS. */
const HEX_COLOR = /^#[0-9a-f]{6}([0-9a-f]{2})?$/;

/**
 * The entity types whose key and colour are safe to write into CSS. The core
 * validated them (identifiers, `#rrggbb[aa]`); they are checked again here.
 * @param {Record<string, {color?: string}>} types
 * @returns {{key: string, color: string, text: string}[]} `text` is the colour of
 *   text drawn on `color`
 */
export function checkedTypes(types) {
  const out = [];
  for (const [key, type] of Object.entries(types ?? {})) {
    if (!TYPE_KEY.test(key)) continue;
    const color = isHexColor(type?.color) ? type.color : '#dddddd';
    out.push({ key, color, text: textColorOn(color) });
  }
  return out;
}

/**
 * Whether `color` is a colour that may be written into CSS (`#rrggbb` or `#rrggbbaa`).
 * @param {unknown} color
 * @returns {boolean}
 */
export function isHexColor(color) {
  return typeof color === 'string' && HEX_COLOR.test(color);
}

/**
 * Whether `key` may be written into a class or highlight name.
 * @param {unknown} key
 * @returns {boolean}
 */
export function isTypeKey(key) {
  return typeof key === 'string' && TYPE_KEY.test(key);
}

/**
 * Black or white, whichever reads better on `hex` (#rrggbb[aa]).
 * @param {string} hex
 * @returns {'#000'|'#fff'}
 */
export function textColorOn(hex) {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.2 ? '#000' : '#fff';
}

/**
 * One style sheet, adopted by every document and shadow root that needs it, and
 * taken away from all of them by {@link SharedSheet#detach}.
 */
export class SharedSheet {
  #css;
  /** @type {Map<Document, CSSStyleSheet|null>} */
  #sheets = new Map();
  /** @type {Map<Document|ShadowRoot, CSSStyleSheet|HTMLStyleElement>} */
  #adopted = new Map();

  /** @param {string} css */
  constructor(css) {
    this.#css = css;
  }

  /**
   * Makes the sheet apply in `scope` (the document or shadow root a node is in).
   * @param {Document|ShadowRoot} scope
   */
  attach(scope) {
    const had = this.#adopted.get(scope);
    // Still there, unless the page took it away (a framework that sets the list).
    if (had && (had.nodeType === Node.ELEMENT_NODE ? had.isConnected : scope.adoptedStyleSheets.includes(had))) return;
    const doc = scope.ownerDocument ?? scope;
    const view = doc.defaultView;
    if (!view) return;
    if (!had) this.#prune();
    if ('adoptedStyleSheets' in scope && typeof view.CSSStyleSheet === 'function') {
      let sheet = this.#sheets.get(doc);
      if (!sheet) {
        sheet = new view.CSSStyleSheet();
        sheet.replaceSync(this.#css);
        this.#sheets.set(doc, sheet);
      }
      if (!scope.adoptedStyleSheets.includes(sheet)) scope.adoptedStyleSheets = [...scope.adoptedStyleSheets, sheet];
      this.#adopted.set(scope, sheet);
    } else {
      // Browsers without constructed style sheets: a <style> element.
      const style = doc.createElement('style');
      style.textContent = this.#css;
      (scope.head ?? scope.documentElement ?? scope).append(style);
      this.#adopted.set(scope, style);
    }
  }

  /**
   * Forgets the shadow roots whose host left the page and the documents whose
   * window is gone (a sheet kept from one highlight() to the next meets many).
   * A host put back later gets the sheet again from attach(), not twice.
   */
  #prune() {
    for (const scope of this.#adopted.keys()) {
      const host = /** @type {ShadowRoot} */ (scope).host;
      if ((host && !host.isConnected) || !(scope.ownerDocument ?? scope).defaultView) this.#adopted.delete(scope);
    }
    for (const doc of this.#sheets.keys()) if (!doc.defaultView) this.#sheets.delete(doc);
  }

  /** Takes the sheet away from every scope it was attached to. */
  detach() {
    for (const [scope, sheet] of this.#adopted) {
      if (sheet.nodeType === Node.ELEMENT_NODE) {
        sheet.remove();
      } else {
        scope.adoptedStyleSheets = scope.adoptedStyleSheets.filter((s) => s !== sheet);
      }
    }
    this.#adopted.clear();
    this.#sheets.clear();
  }
}

/** The document or shadow root `node` is in (its style scope). */
export function scopeOf(node) {
  const root = node.getRootNode();
  return root.nodeType === Node.DOCUMENT_NODE || root.host ? root : null;
}
