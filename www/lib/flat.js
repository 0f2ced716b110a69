// The flat result layout: how matches cross from the engine (wasm, a Worker, a
// service worker) to the DOM layer. Defined here for JavaScript and in
// `src/flat.rs` for Rust; `tests/fixtures/flat-layout.json` is decoded by both.
//
// One Uint32Array; per match, in document order:
//   start, end   UTF-16 code units of the document's text (end exclusive)
//   entity       index into the gazetteer's `entities`
//   flags        the reason in the low byte (0 only, 1 mentioned, 2 priority,
//                3 order); bit 8 set for a short form
//   n            how many candidates follow
//   n indexes    every entity the form could name, the chosen one first
// When bit 9 of flags is set, no candidates follow: the match has the candidates
// of the match n matches before it in the same answer (a form thousands of
// entities share, named a thousand times, is sent once; answers joined end to end
// stay valid). Matches decoded from it share one candidates array: read-only. (The
// decoder also gives the matches of one part that have a single candidate, the same
// entity, one array.)
//
// This module has no dependencies: the DOM layer decodes what any engine sends.

/** Words per match before its candidates. */
export const HEADER_WORDS = 5;

/** `reason` by the low byte of `flags`. */
export const REASONS = Object.freeze(['only', 'mentioned', 'priority', 'order']);

/** Bit of `flags` set for a short form. */
export const SHORT_FLAG = 0x100;

/** Bit of `flags` set when `n` is the distance back to a match with the same candidates. */
export const SAME_AS_FLAG = 0x200;

/**
 * Words of the match at word `i`: its header, and its candidates unless it points
 * back to another's.
 * @param {ArrayLike<number>} raw
 * @param {number} i
 */
export function matchWords(raw, i) {
  return HEADER_WORDS + ((raw[i + 3] & SAME_AS_FLAG) !== 0 ? 0 : raw[i + 4]);
}

/**
 * The display name of an entity in the JSON format (`name` is a string or a form
 * object `{text, lang, case}`).
 * @param {{name: string|{text: string}}} entity
 * @returns {string}
 */
export function entityName(entity) {
  return typeof entity.name === 'string' ? entity.name : entity.name.text;
}

/**
 * The entity indexes a flat array refers to (each match's entity and candidates).
 * @param {ArrayLike<number>} raw
 * @returns {Set<number>}
 */
export function entityIndexes(raw) {
  const out = new Set();
  for (let i = 0; i + HEADER_WORDS <= raw.length;) {
    const words = matchWords(raw, i);
    out.add(raw[i + 2]);
    for (let k = HEADER_WORDS; k < words && i + k < raw.length; k++) out.add(raw[i + k]);
    i += words;
  }
  return out;
}

/**
 * Decodes the flat array into matches.
 * @param {ArrayLike<number>} raw the engine's answer
 * @param {string} text the document's text the offsets point into
 * @param {ReadonlyArray<{id: string, type: string, name: string|{text: string}}>} entities
 *   the gazetteer's entities, in its order
 * @param {ReadonlyArray<{candidates: string[]}>} [before] the matches decoded from the
 *   part of the same answer before `raw` (a later match may point back to them)
 * @returns {import('./highlighter.js').Match[]} sorted by position
 * @throws {Error} when the array does not follow the layout (a mismatched engine)
 */
export function decodeMatches(raw, text, entities, before = []) {
  const matches = [];
  // A single candidate's array by entity index: 87,626 matches of a page of 100,000
  // text nodes had an array each (184 bytes: an array pushed to grows to 17 slots),
  // 16 MB kept while the page is highlighted.
  const single = new Map();
  const bad = (what) => new Error(`engine answer: ${what} (the engine and the page use different gazetteers or versions)`);
  for (let i = 0; i < raw.length;) {
    if (i + HEADER_WORDS > raw.length) throw bad(`truncated at word ${i}`);
    const start = raw[i];
    const end = raw[i + 1];
    const entity = entities[raw[i + 2]];
    const flags = raw[i + 3];
    const n = raw[i + 4];
    if (!entity) throw bad(`entity ${raw[i + 2]} out of range`);
    if (end < start || end > text.length) throw bad(`span ${start}..${end} outside a text of ${text.length}`);
    let candidates;
    if ((flags & SAME_AS_FLAG) !== 0) {
      const at = before.length + matches.length - n;
      const earlier = n > 0 && at >= 0 ? (at < before.length ? before[at] : matches[at - before.length]) : undefined;
      if (!earlier) throw bad(`word ${i + 4} points ${n} matches back, not to an earlier match`);
      candidates = earlier.candidates;
    } else {
      if (i + HEADER_WORDS + n > raw.length) throw bad(`candidates truncated at word ${i}`);
      const first = raw[i + HEADER_WORDS];
      candidates = n === 1 ? single.get(first) : undefined;
      if (!candidates) {
        candidates = new Array(n);
        for (let k = 0; k < n; k++) {
          const c = entities[raw[i + HEADER_WORDS + k]];
          if (!c) throw bad(`candidate ${raw[i + HEADER_WORDS + k]} out of range`);
          candidates[k] = c.id;
        }
        if (n === 1) single.set(first, candidates);
      }
    }
    matches.push({
      start,
      end,
      text: text.slice(start, end),
      id: entity.id,
      type: entity.type,
      name: entityName(entity),
      reason: REASONS[flags & 0xff] ?? 'only',
      short: (flags & SHORT_FLAG) !== 0,
      candidates,
    });
    i += matchWords(raw, i);
  }
  return matches;
}
