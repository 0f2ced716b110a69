// The reader's language: which of a gazetteer's names, descriptions, links and
// type labels a card shows, and the language of the card's own sentences. The
// rules are the Rust core's (src/lang.rs); tests/fixtures/multilingual.json is
// checked against both.

/**
 * Whether two language tags are the same (ASCII case ignored).
 * @param {string} a
 * @param {string} b
 */
function sameTag(a, b) {
  return a.toLowerCase() === b.toLowerCase();
}

/** The primary subtag (`en` of `en-GB`), lower case. */
function primary(tag) {
  return tag.split('-')[0].toLowerCase();
}

/**
 * The text of a value that is a string or an object by language tag, for a reader
 * of `lang`: exactly `lang`, else the first with `lang`'s primary subtag, else the
 * gazetteer's own language `own`, else the text in no stated language (key `""`),
 * else the first.
 * @param {string|Record<string, string>|undefined|null} value
 * @param {string} lang the reader's language ('' when unknown)
 * @param {string} [own] the gazetteer's language
 * @returns {string|undefined}
 */
export function resolveText(value, lang, own = '') {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  const entries = Object.entries(value);
  if (entries.length === 0) return undefined;
  const find = (pred) => entries.find(([tag]) => pred(tag))?.[1];
  let text;
  if (lang) text = find((tag) => sameTag(tag, lang)) ?? find((tag) => tag !== '' && primary(tag) === primary(lang));
  if (text === undefined && own) text = find((tag) => tag !== '' && sameTag(tag, own));
  return text ?? find((tag) => tag === '') ?? entries[0][1];
}

/**
 * An entity's title for a reader of `lang`: its name when the name has that
 * language; else the first of its name and aliases (not short forms) with that
 * language; else with the same primary subtag; else its name.
 * @param {{name: string|{text: string, lang?: string}, aliases?: Array<string|{text: string, lang?: string}>}} entity
 * @param {string} lang
 * @returns {string}
 */
export function entityTitle(entity, lang) {
  const forms = [entity.name, ...(entity.aliases ?? [])].map((f) => (typeof f === 'string' ? { text: f } : f));
  const name = forms[0].text;
  if (!lang) return name;
  const tagged = (pred) => forms.find((f) => typeof f.lang === 'string' && pred(f.lang))?.text;
  return tagged((tag) => sameTag(tag, lang)) ?? tagged((tag) => primary(tag) === primary(lang)) ?? name;
}

/**
 * The reader's language for a root: the `lang` option, else the nearest `lang`
 * attribute around the root, else `<html lang>`, else the gazetteer's language.
 * An empty `lang=""` means unknown and is passed over.
 * @param {Node} root
 * @param {string|undefined} option
 * @param {string} [own] the gazetteer's language
 * @returns {string} '' when nothing says
 */
export function readerLanguage(root, option, own = '') {
  if (option) return option;
  /** @type {any} */
  let node = root.nodeType === 9 ? /** @type {Document} */ (root).documentElement : root;
  while (node && node.nodeType !== 9) {
    if (node.nodeType === 1) {
      const lang = node.getAttribute('lang');
      if (lang) return lang;
    }
    node = node.parentNode ?? node.host ?? null; // up through shadow roots to their hosts
  }
  const doc = root.nodeType === 9 ? /** @type {Document} */ (root) : root.ownerDocument;
  return doc?.documentElement?.getAttribute('lang') || own || '';
}

/** The sentences of the library's own UI, by language. */
const MESSAGES = {
  en: {
    short: 'Short form: the full name appears in this document.',
    alsoCould: (names) => `Could also be: ${names}`,
    because: {
      mentioned: 'it is named unambiguously elsewhere in the document',
      priority: 'it has the higher priority',
      order: 'it comes first in the gazetteer',
    },
    chosen: (why) => `; chosen because ${why}`,
    open: 'Open',
    more: 'More',
    andMore: (n) => `and ${n.toLocaleString('en')} more`,
  },
  id: {
    short: 'Bentuk pendek: nama lengkapnya ada di dokumen ini.',
    alsoCould: (names) => `Bisa juga: ${names}`,
    because: {
      mentioned: 'entitas ini disebut tanpa keraguan di bagian lain dokumen',
      priority: 'prioritasnya lebih tinggi',
      order: 'entitas ini lebih dulu dalam gazetir',
    },
    chosen: (why) => `; dipilih karena ${why}`,
    open: 'Buka',
    more: 'Selengkapnya',
    andMore: (n) => `dan ${n.toLocaleString('id')} lainnya`,
  },
};

/**
 * The library's own sentences for a reader of `lang`: Indonesian for `id` (and
 * `ms`, which reads it), English otherwise.
 * @param {string} lang
 */
export function messages(lang) {
  const p = lang ? primary(lang) : '';
  return p === 'id' || p === 'ms' ? MESSAGES.id : MESSAGES.en;
}
