// `sorot/dom`: the DOM layer given an engine that lives elsewhere: an extension's
// content script (the engine in its service worker or background script, over a
// runtime port) or any page that brings its own engine. Nothing here loads the
// WebAssembly module.
//
//   import { createHighlighter } from 'sorot/dom';
//   const hl = await createHighlighter({ port: () => chrome.runtime.connect({ name: 'sorot' }) });
//   const h = await hl.highlight(document.body, { observe: true });

import { highlighterFor } from './highlighter.js';
import { RemoteEngine } from './remote.js';

export { Highlighter } from './highlighter.js';
export { Highlight } from './highlight.js';
export { RemoteEngine } from './remote.js';
export { decodeMatches } from './flat.js';

/**
 * Options of the DOM layer's {@link createHighlighter}.
 * @typedef {import('./highlighter.js').HighlighterOptions & {
 *   engine?: import('./engine.js').EngineLike,
 *   port?: import('./protocol.js').EnginePort | (() => import('./protocol.js').EnginePort),
 * }} DomHighlighterOptions
 */

const KEYS = new Set(['engine', 'port', 'prefix', 'cards', 'keyboard', 'renderer', 'lang']);

/**
 * A highlighter over an engine given as an object, or over a port to one (see
 * protocol.js). With a function for `port`, a port that closes (a service worker
 * stopped when idle) is opened again on the next call.
 * @param {DomHighlighterOptions} options
 * @returns {Promise<import('./highlighter.js').Highlighter>}
 */
export async function createHighlighter(options) {
  if (!options || typeof options !== 'object') throw new Error('createHighlighter(): give {engine} or {port}');
  for (const key of Object.keys(options)) {
    if (!KEYS.has(key)) throw new Error(`createHighlighter(): unknown option ${JSON.stringify(key)}`);
  }
  const { engine, port, ...rest } = options;
  if ((engine === undefined) === (port === undefined)) throw new Error('createHighlighter(): give either {engine} or {port}');
  return highlighterFor(engine ?? new RemoteEngine(port), rest);
}
