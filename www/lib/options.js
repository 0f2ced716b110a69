// Options of `highlight()` and their defaults, checked: a wrong one throws an Error
// that names it.

/**
 * Options of `Highlighter#highlight`.
 * @typedef {object} HighlightOptions
 * @property {'auto'|'highlight-api'|'mark'} [renderer] how highlights are drawn:
 *   `highlight-api` (the CSS Custom Highlight API: the page's DOM is not changed),
 *   `mark` (`<mark>` elements), or `auto` (default: the Highlight API where the
 *   browser has it, marks otherwise)
 * @property {boolean} [cards] show the entity card on hover or tap (default true)
 * @property {boolean} [keyboard] keyboard access (default false: the page's Tab
 *   order and keys are left alone). When on, Alt+ArrowDown / Alt+ArrowUp move to
 *   the next / previous entity and show its card, Escape hides it; marks are also
 *   focusable with Tab
 * @property {'longest'|'all'} [overlap] `all` also highlights nested and
 *   overlapping matches (default `longest`)
 * @property {string|string[]} [exclude] CSS selectors of elements never to highlight,
 *   on top of scripts, styles, form fields and editable regions
 * @property {boolean} [observe] keep highlighting what the page adds or changes
 *   under the root (default false); `Highlight#remove` stops it
 * @property {boolean} [frames] also highlight inside same-origin iframes (default false)
 * @property {(highlight: import('./highlight.js').Highlight) => void} [onUpdate] with
 *   `observe`, called after each batch of changes has been highlighted
 * @property {(error: Error) => void} [onError] with `observe`, called when an update
 *   fails (the engine went away); default: reported on the console
 * @property {string} [lang] the reader's language (a BCP 47 tag such as `en` or
 *   `id`) for the cards: which name, description, link and type label they show,
 *   and the language of their own sentences. Default: the nearest `lang` attribute
 *   around the root, else `<html lang>`, else the gazetteer's language
 */

/** The renderer names `highlight({renderer})` takes. */
export const RENDERER_NAMES = Object.freeze(['auto', 'highlight-api', 'mark']);

/** Defaults of {@link HighlightOptions}. */
export const DEFAULTS = Object.freeze({
  renderer: 'auto', cards: true, keyboard: false, overlap: 'longest', exclude: '', observe: false, frames: false,
});

const OPTION_KEYS = new Set([...Object.keys(DEFAULTS), 'onUpdate', 'onError', 'lang']);

/** A BCP 47 language tag, loosely: a 2-3 letter language, then subtags. */
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;

/**
 * The options without those set to `undefined`.
 * @param {object} options
 * @returns {object}
 */
export function definedOnly(options) {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}

/**
 * `defaults` with `given` applied, each checked.
 * @param {object} defaults
 * @param {object} given
 * @param {string} where the call, for the message (`highlight()`)
 * @returns {Required<Omit<HighlightOptions, 'onUpdate'|'onError'|'exclude'|'lang'>> & {exclude: string,
 *   onUpdate?: HighlightOptions['onUpdate'], onError?: HighlightOptions['onError'], lang?: string}}
 * @throws {Error} naming the bad option
 */
export function checkOptions(defaults, given, where) {
  for (const key of Object.keys(given)) {
    if (!OPTION_KEYS.has(key)) throw new Error(`${where}: unknown option ${JSON.stringify(key)}`);
  }
  const out = { ...defaults, ...given };
  const oneOf = (key, allowed) => {
    if (!allowed.includes(out[key])) {
      throw new Error(`${key}: ${JSON.stringify(out[key])} is not one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
    }
  };
  oneOf('renderer', RENDERER_NAMES);
  oneOf('overlap', ['longest', 'all']);
  for (const key of ['cards', 'keyboard', 'observe', 'frames']) {
    if (typeof out[key] !== 'boolean') throw new Error(`${key}: must be true or false, not ${JSON.stringify(out[key])}`);
  }
  if (Array.isArray(out.exclude)) out.exclude = out.exclude.join(', ');
  if (typeof out.exclude !== 'string') throw new Error('exclude: must be a CSS selector string or an array of them');
  checkLang(out.lang);
  for (const key of ['onUpdate', 'onError']) {
    if (out[key] !== undefined && typeof out[key] !== 'function') throw new Error(`${key}: must be a function`);
  }
  return out;
}

/**
 * Checks a `lang` option (undefined is fine: the page decides).
 * @param {unknown} lang
 * @returns {string|undefined}
 * @throws {Error} when it is not a language tag
 */
export function checkLang(lang) {
  if (lang !== undefined && (typeof lang !== 'string' || !LANGUAGE_TAG.test(lang))) {
    throw new Error(`lang: ${JSON.stringify(lang)} is not a language tag such as "en" or "id"`);
  }
  return lang;
}

/**
 * Checks a class and attribute prefix.
 * @param {unknown} prefix
 * @returns {string}
 */
export function checkPrefix(prefix) {
  if (typeof prefix !== 'string' || !/^[a-z][a-z0-9-]{0,31}$/.test(prefix)) {
    throw new Error(`prefix ${JSON.stringify(prefix)} must be lower-case letters, digits and "-", starting with a letter`);
  }
  return prefix;
}
