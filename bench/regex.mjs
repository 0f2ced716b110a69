// The peers' regular expression: every name, alias and short form of a gazetteer
// in ONE case-insensitive RegExp (`giu`), whole words only (Unicode lookbehind and
// lookahead on letters and digits), longest form first. Used inside the benchmark
// pages (served at /__bench/) and by Node for the self-check.
//
// Two spellings of the same expression:
// - `flat`: the forms escaped and joined with `|`, longest first. Correct, but V8
//   tries every alternative at every position of the text: with a few thousand
//   forms it takes seconds per page (see bench/README.md).
// - `trie` (default): the same forms merged on common prefixes
//   (`Kim(?:\s+Jong(?:\s+Un|-un))?`), longer continuations tried before ending,
//   so each match is the same as with `flat` (the longest form that matches at the
//   leftmost position), and V8 tries one branch per character.
// In both, a space in a form matches any run of whitespace (`\s+`), as sorot's
// normalisation does; nothing else of sorot's rules (diacritics, dashes, quotes,
// short forms, case rules) is added.

const SYNTAX = /[.*+?^${}()|[\]\\/]/;

/** Escapes one character for a `u`-mode pattern (only syntax characters may be escaped there). */
function escapeChar(ch) {
  return SYNTAX.test(ch) ? `\\${ch}` : ch;
}

/** The tokens of a form: its characters (code points), each run of spaces as one ' '. */
function tokens(form) {
  return form.trim().split(/(\s+)/u).flatMap((part) => (/^\s+$/u.test(part) ? [' '] : [...part]));
}

const emitToken = (t) => (t === ' ' ? '\\s+' : escapeChar(t));

/**
 * Every distinct surface form of a gazetteer (JSON format): names, aliases, short forms.
 * @param {{entities: object[]}} gazetteer
 * @returns {{text: string, exact: boolean}[]} `exact`: sorot matches it only as written
 *   (`case: "exact"` on the form or entity, or capitals only with at most four letters)
 */
export function surfaceForms(gazetteer) {
  const out = new Map();
  const text = (f) => (typeof f === 'string' ? f : f.text);
  for (const e of gazetteer.entities) {
    for (const f of [e.name, ...(e.aliases ?? []), ...(e.short ?? [])]) {
      const t = text(f).trim();
      if (!t || out.has(t)) continue;
      const mode = (typeof f === 'object' && f.case) || e.case || gazetteer.case;
      const letters = t.replace(/[^\p{L}]/gu, '');
      const exact = mode === 'exact'
        || (mode !== 'fold' && letters.length > 0 && letters.length <= 4 && !/\p{Ll}/u.test(letters) && /\p{Lu}/u.test(letters));
      out.set(t, { text: t, exact });
    }
  }
  return [...out.values()];
}

/** The flat alternation of `forms`, longest first. */
export function flatPattern(forms) {
  return [...forms]
    .sort((a, b) => tokens(b).length - tokens(a).length || (a < b ? -1 : a > b ? 1 : 0))
    .map((f) => tokens(f).map(emitToken).join(''))
    .join('|');
}

/**
 * The same alternation merged on common prefixes: case-insensitively, as the `i`
 * flag compares, unless `caseSensitive` (for a `(?-i:...)` group).
 */
export function triePattern(forms, { caseSensitive = false } = {}) {
  const root = { kids: new Map(), end: false };
  for (const f of forms) {
    let node = root;
    for (const t of tokens(f)) {
      const lower = t.toLowerCase();
      const key = !caseSensitive && [...lower].length === 1 ? lower : t;
      let next = node.kids.get(key);
      if (!next) node.kids.set(key, (next = { token: t, kids: new Map(), end: false }));
      node = next;
    }
    node.end = true;
  }
  const emit = (node) => {
    const alts = [...node.kids.values()].map((k) => emitToken(k.token) + emit(k));
    if (alts.length === 0) return '';
    const inner = alts.join('|');
    if (!node.end) return alts.length === 1 ? inner : `(?:${inner})`;
    // Greedy: the longer forms first, then ending here.
    return [...inner].length === 1 ? `${inner}?` : `(?:${inner})?`;
  };
  return emit(root);
}

/**
 * The peers' RegExp (flags `giu`).
 * @param {{text: string, exact: boolean}[]} forms from {@link surfaceForms}
 * @param {object} [options]
 * @param {'trie'|'flat'} [options.shape] default `trie`
 * @param {boolean} [options.caseAware] keep the forms sorot matches only as written
 *   ("AS", "UN", `case: "exact"`) case-sensitive, with a `(?-i:...)` group (regexp
 *   modifiers: Chrome 125+). Default false: every form case-insensitive.
 * @returns {{source: string, regexp: RegExp}}
 */
export function buildRegExp(forms, { shape = 'trie', caseAware = false } = {}) {
  const pattern = shape === 'flat' ? flatPattern : triePattern;
  let body;
  if (caseAware) {
    const fold = forms.filter((f) => !f.exact).map((f) => f.text);
    const exact = forms.filter((f) => f.exact).map((f) => f.text);
    if (shape === 'flat') {
      // One alternation, longest first; the as-written forms each in their own group.
      const exactSet = new Set(exact);
      const all = [...fold, ...exact].sort((a, b) => tokens(b).length - tokens(a).length || (a < b ? -1 : a > b ? 1 : 0));
      body = all.map((t) => {
        const p = tokens(t).map(emitToken).join('');
        return exactSet.has(t) ? `(?-i:${p})` : p;
      }).join('|');
    } else {
      // Two tries: the case-insensitive forms first (a longer one wins over an
      // as-written prefix of it, "AS Roma" over "AS"), then the as-written ones.
      body = `${triePattern(fold)}|(?-i:${triePattern(exact, { caseSensitive: true })})`;
    }
  } else {
    body = pattern(forms.map((f) => f.text));
  }
  const source = `(?<![\\p{L}\\p{N}])(?:${body})(?![\\p{L}\\p{N}])`;
  return { source, regexp: new RegExp(source, 'giu') };
}
