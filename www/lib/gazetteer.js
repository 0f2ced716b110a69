// Gazetteer inputs: what `createHighlighter({gazetteer})` accepts, turned into
// sources an engine can load wherever it runs (the page, a Worker, a service
// worker). No DOM here.
//
// Accepted: an object in the JSON format; JSON, JSON Lines, TSV or CSV text;
// `{text, name}` (a file's text and name); `{url}` to fetch one; or an array of
// these, merged in order (a later entity with an id already seen replaces the
// earlier one).

/**
 * A name, alias or short form: its text, or the text with how it matches.
 * @typedef {string | {text: string, lang?: string, case?: 'exact'|'fold'}} Form
 */

/**
 * Text in the gazetteer's language, or per language (`{"id": "…", "en": "…"}`).
 * @typedef {string | Record<string, string>} LocalText
 */

/**
 * An entity in the JSON format (unknown fields are kept).
 * @typedef {{id: string, name: Form, type: string, aliases?: Form[], short?: Form[],
 *   description?: LocalText, url?: LocalText, case?: 'exact'|'fold', priority?: number,
 *   diacritics?: 'exact'|'fold'} & Record<string, unknown>} EntityJson
 */

/**
 * A gazetteer in the JSON format (see the README, "Gazetteer format").
 * @typedef {{entities: EntityJson[], version?: number, name?: string, lang?: string,
 *   types?: Record<string, {label?: LocalText, color?: string}>, case?: 'exact'|'fold',
 *   diacritics?: 'exact'|'fold'} & Record<string, unknown>} GazetteerJson
 */

/**
 * One gazetteer: an object in the JSON format; JSON, JSON Lines, TSV or CSV text;
 * `{text, name}` (text with a file name, which tells its format by its extension
 * and names it in errors); a compiled gazetteer's bytes (`sorot compile`,
 * `compileGazetteer()`); or `{url}` of any of these.
 * @typedef {GazetteerJson | string | {text: string, name?: string} | Uint8Array | ArrayBuffer | {url: string|URL}} GazetteerItem
 */

/**
 * A gazetteer as accepted by `createHighlighter`: one, or a list merged in order.
 * @typedef {GazetteerItem | GazetteerItem[]} GazetteerInput
 */

/**
 * A gazetteer ready to send to an engine: its text, its bytes (a compiled
 * gazetteer, or text), or an absolute URL to fetch.
 * @typedef {{text: string, origin: string} | {bytes: Uint8Array, origin: string} | {url: string, origin: string}} GazetteerSource
 */

/**
 * Checks a gazetteer input and turns it into sources (objects written as JSON text,
 * relative URLs made absolute against `base`). Nothing is fetched yet.
 * @param {GazetteerInput|undefined} input `undefined` means the default gazetteer
 * @param {string} defaultUrl the default gazetteer's URL
 * @param {string|URL} [base] what relative URLs are relative to (default: the document's or worker's URL)
 * @returns {GazetteerSource[]}
 * @throws {Error} naming the bad item
 */
export function gazetteerSources(input, defaultUrl, base = globalThis.document?.baseURI ?? globalThis.location?.href) {
  const list = input === undefined ? [{ url: defaultUrl }] : Array.isArray(input) ? input : [input];
  if (list.length === 0) throw new Error('gazetteer: the list is empty');
  return list.map((g, i) => {
    const origin = list.length > 1 ? `gazetteer ${i + 1}` : 'gazetteer';
    if (typeof g === 'string') return { text: g, origin };
    if (g instanceof Uint8Array) return { bytes: g, origin };
    if (g instanceof ArrayBuffer) return { bytes: new Uint8Array(g), origin };
    if (g && typeof g === 'object' && typeof g.text === 'string' && !('entities' in g)) {
      if (g.name !== undefined && (typeof g.name !== 'string' || g.name === '')) throw new Error(`${origin}: name must be a non-empty string`);
      return { text: g.text, origin: g.name ?? origin };
    }
    if (g && typeof g === 'object' && (typeof g.url === 'string' || g.url instanceof URL) && !('entities' in g)) {
      let url;
      try {
        url = new URL(g.url, base).href;
      } catch {
        throw new Error(`${origin}: ${JSON.stringify(String(g.url))} is not a URL`);
      }
      return { url, origin: url };
    }
    if (g && typeof g === 'object') {
      let text;
      try {
        text = JSON.stringify(g);
      } catch (err) {
        throw new Error(`${origin}: cannot be written as JSON: ${err.message}`);
      }
      const bad = illFormedAt(g, '');
      if (bad !== null) throw new Error(`${origin}: ${bad} has a lone surrogate (half of a UTF-16 pair): it is not valid Unicode text`);
      return { text, origin };
    }
    throw new Error(`${origin}: expected a gazetteer object, JSON, JSON Lines, TSV or CSV text, {text, name}, compiled bytes or {url}, not ${g === null ? 'null' : typeof g}`);
  });
}

/**
 * A gazetteer file's bytes as UTF-8 text (for a page that reads a file the user chose
 * and passes its text on), or an Error that says where they are not, or an Error that says where they are not, as the CLI
 * says of such a file (line, column in characters, byte offset): a gazetteer in
 * another encoding is refused, not read with replacement characters.
 * @param {ArrayBuffer|Uint8Array} buffer
 * @param {string} name
 * @returns {string}
 */
export function gazetteerText(buffer, name) {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = invalidUtf8At(bytes);
    const lines = new TextDecoder().decode(bytes.subarray(0, at)).split('\n');
    const hex = bytes[at].toString(16).toUpperCase().padStart(2, '0');
    throw new Error(`${name}: not UTF-8 text: byte 0x${hex} at line ${lines.length}, column ${[...lines.at(-1)].length + 1} (byte offset ${at}) does not start a UTF-8 character`);
  }
}

/** Where the first invalid UTF-8 sequence starts (the length when there is none). */
function invalidUtf8At(b) {
  for (let i = 0; i < b.length;) {
    const c = b[i];
    if (c < 0x80) {
      i += 1;
      continue;
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (n === 0 || i + n >= b.length) return i;
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    if (b[i + 1] < lo || b[i + 1] > hi) return i;
    for (let k = 2; k <= n; k++) if (b[i + k] < 0x80 || b[i + k] > 0xbf) return i;
    i += n + 1;
  }
  return b.length;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Where a gazetteer object (already known to be acyclic: JSON.stringify took it)
 * holds a string, key or value, that is not well-formed UTF-16, as a path such as
 * `entities[0].name`; null when there is none.
 * @param {unknown} value
 * @param {string} path
 * @returns {string | null}
 */
function illFormedAt(value, path) {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path || 'the gazetteer' : null;
  if (value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = illFormedAt(value[i], `${path}[${i}]`);
      if (bad !== null) return bad;
    }
    return null;
  }
  for (const [key, v] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (LONE_SURROGATE.test(key)) return `the key ${JSON.stringify(key)} in ${path || 'the gazetteer'}`;
    const bad = illFormedAt(v, at);
    if (bad !== null) return bad;
  }
  return null;
}

/**
 * Fetches the sources that are URLs (as bytes: a compiled gazetteer or text).
 * @param {GazetteerSource[]} sources
 * @returns {Promise<Array<{text: string, origin: string} | {bytes: Uint8Array, origin: string}>>}
 * @throws {Error} `URL: cannot load the gazetteer: ...`
 */
export async function fetchSources(sources) {
  return Promise.all(sources.map(async (s) => {
    if (!('url' in s)) return s;
    let response;
    try {
      response = await fetch(s.url);
    } catch (err) {
      throw new Error(`${s.url}: cannot load the gazetteer: ${err.message}`);
    }
    if (!response.ok) throw new Error(`${s.url}: cannot load the gazetteer: HTTP ${response.status}`);
    return { bytes: new Uint8Array(await response.arrayBuffer()), origin: s.origin };
  }));
}
