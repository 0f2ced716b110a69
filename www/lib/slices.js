// Long work on a page's main thread is done in slices, the page responding in
// between (the engine's scan of a large text, the DOM layer's walk and drawing):
// no task of sorot's runs much longer than SLICE_MS.

import { decodeMatches, matchWords } from './flat.js';

/** The longest stretch of work (ms) before the page is let respond. */
export const SLICE_MS = 8;

/**
 * The longest a slice may be made when the page's own work between slices is long
 * (see highlight.js): the page never waits on sorot longer than this.
 */
export const MAX_SLICE_MS = 25;

/**
 * Lets the page handle its input, run its timers and paint, then goes on (a new
 * task, queued behind the page's own). Not scheduler.yield(): its continuation
 * goes before the page's tasks, so a long run of slices starved the page's timers
 * (none ran) and drew a frame only every ~100 ms (14 frames in 1.5 s, against 83
 * with a message task).
 * @returns {Promise<void>}
 */
export function yieldToPage() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => { channel.port1.close(); resolve(); };
    channel.port2.postMessage(null);
  });
}

/** About this many words of an engine's flat answer are decoded per step. */
const DECODE_WORDS = 10_000;

/**
 * The matches of an engine's flat answer (flat.js), decoded a part at a time with
 * the page responding in between when it is large (350,000 matches take a few
 * hundred ms to decode), the entities each part names read as it comes.
 * @param {Uint32Array} raw the engine's answer
 * @param {string} text the document's text
 * @param {(part: ArrayLike<number>) => Promise<ReadonlyArray<any>>} entitiesOf the
 *   entities (by index) that a part of the answer names
 * @param {() => (boolean|Promise<boolean>)} [pause] called between the parts: it may
 *   let the page respond and says whether to go on (default: always yields, goes on)
 * @returns {Promise<import('./highlighter.js').Match[]|null>} null when `pause` said to stop
 */
export async function decodeInSlices(raw, text, entitiesOf, pause = () => yieldToPage().then(() => true)) {
  const matches = [];
  for (let i = 0, end = 0; i < raw.length; i = end) {
    while (end < raw.length && end - i < DECODE_WORDS) end += matchWords(raw, end);
    // A malformed answer: decodeMatches says what is wrong with the rest.
    if (!(end <= raw.length)) end = raw.length;
    const part = raw.subarray(i, end);
    const decoded = decodeMatches(part, text, await entitiesOf(part), matches);
    for (const m of decoded) matches.push(m);
    if (end < raw.length && !(await pause())) return null;
  }
  return matches;
}
