// sorot: the public JavaScript API (the package's main entry).
//
//   import { createHighlighter } from 'sorot';
//   const hl = await createHighlighter();                // the default gazetteer
//   await hl.find(text);                                 // [{start, end, text, id, type, name, ...}]
//   const h = await hl.highlight(document.body);         // highlights every entity under it
//   h.remove();                                          // puts it back exactly as it was
//   hl.free();
//
// The engine runs in the page by default, or in a module Worker (`worker: true`).
// The modules: engine.js (WebAssembly, no DOM), gazetteer.js (inputs), remote.js
// (engines elsewhere, protocol.js), highlighter.js and highlight.js (the DOM
// layer), collect.js (text from the DOM), renderer.js (the renderer contract) with
// render-highlight.js and render-mark.js, interact.js and card.js (the card),
// observe.js (changes).

import { assetUrls, DEFAULT_GAZETTEER_URL, loadEngine } from './engine.js';
import { gazetteerSources } from './gazetteer.js';
import { highlighterFor } from './highlighter.js';
import { bootstrapWorker, RemoteEngine, startWorkerEngine, workerScriptUrl } from './remote.js';

export { DEFAULT_GAZETTEER_URL, clearGazetteerCache, compileGazetteer } from './engine.js';
export { gazetteerText } from './gazetteer.js';
export { Highlighter } from './highlighter.js';
export { Highlight } from './highlight.js';
export { RemoteEngine } from './remote.js';

/**
 * Options of {@link createHighlighter}.
 * @typedef {import('./highlighter.js').HighlighterOptions & {
 *   gazetteer?: import('./gazetteer.js').GazetteerInput,
 *   assets?: string | URL,
 *   cache?: boolean,
 *   worker?: boolean,
 *   trustedTypes?: boolean,
 *   engine?: import('./engine.js').EngineLike,
 *   port?: import('./protocol.js').EnginePort | (() => import('./protocol.js').EnginePort),
 * }} CreateOptions
 */

const KEYS = new Set(['gazetteer', 'assets', 'cache', 'worker', 'trustedTypes', 'engine', 'port', 'prefix', 'cards', 'keyboard', 'renderer', 'lang']);

/**
 * Loads the engine and compiles the gazetteer.
 * @param {CreateOptions} [options]
 *   - `gazetteer`: an object in the JSON format; JSON, JSON Lines, TSV or CSV text;
 *     `{url}`; or an array of these, merged in order (default: the default gazetteer)
 *   - `assets`: the folder of `sorot_engine_bg.wasm`, `sorot_compiler_bg.wasm` and `default.sorot` when they
 *     are not next to this module (a CDN)
 *   - `cache`: keep the compiled form of text gazetteers in this origin's IndexedDB
 *     (keyed by their content and sorot's versions; the last 8), so that a later
 *     visit loads it without the compiler module (default false)
 *   - `worker`: run the engine in a module Worker (matching never blocks the page)
 *   - `trustedTypes`: with `worker`, start the Worker through the library's Trusted
 *     Types policy (named `sorot`), for a page that enforces Trusted Types
 *     (`require-trusted-types-for 'script'`). Bundlers do not see such a Worker: use
 *     it where the library's files are served as they are (or bundled with its
 *     worker.js next to it)
 *   - `engine` or `port`: use an engine that lives elsewhere (see `sorot/dom`)
 *   - `prefix`, `cards`, `keyboard`, `renderer`, `lang`: defaults of every `highlight()`
 * @returns {Promise<import('./highlighter.js').Highlighter>} rejects with an Error that
 *   says what is wrong (with the gazetteer, and where; or which asset could not load)
 */
export async function createHighlighter(options = {}) {
  if (options === null || typeof options !== 'object') throw new Error('createHighlighter(): options must be an object');
  for (const key of Object.keys(options)) {
    if (!KEYS.has(key)) throw new Error(`createHighlighter(): unknown option ${JSON.stringify(key)}`);
  }
  const { gazetteer, assets, cache = false, worker = false, trustedTypes = false, engine, port, ...defaults } = options;
  if (typeof cache !== 'boolean') throw new Error(`cache: must be true or false, not ${JSON.stringify(cache)}`);
  if (typeof worker !== 'boolean') throw new Error(`worker: must be true or false, not ${JSON.stringify(worker)}`);
  if (typeof trustedTypes !== 'boolean') throw new Error(`trustedTypes: must be true or false, not ${JSON.stringify(trustedTypes)}`);
  if (engine !== undefined || port !== undefined) {
    if (engine !== undefined && port !== undefined) throw new Error('createHighlighter(): give {engine} or {port}, not both');
    if (gazetteer !== undefined || assets !== undefined || worker || cache) {
      throw new Error('createHighlighter(): gazetteer, assets, cache and worker belong to the engine; with {engine} or {port} it is already chosen');
    }
    return highlighterFor(engine ?? new RemoteEngine(port), defaults);
  }
  if (!worker) return highlighterFor(await loadEngine({ gazetteer, assets, cache }), defaults);
  const urls = assetUrls(assets);
  const sources = gazetteerSources(gazetteer, urls.gazetteer);
  const remote = await startWorkerEngine({ gazetteer: sources, assets: assets === undefined ? undefined : urls.engine.replace(/[^/]*$/, ''), cache }, libraryWorker(trustedTypes));
  return highlighterFor(remote, defaults);
}

/**
 * The module Worker running worker.js (a bootstrap when this module comes from
 * another origin); with `trusted`, its script URL comes from the library's Trusted
 * Types policy. (The plain `new Worker(new URL('./worker.js', import.meta.url))` is
 * the form bundlers find and bundle.)
 */
function libraryWorker(trusted) {
  if (typeof Worker !== 'function') throw new Error('worker: this browser has no module Worker');
  const here = globalThis.location?.origin;
  if (here && new URL(import.meta.url).origin !== here) return bootstrapWorker(new URL('./worker.js', import.meta.url).href, trusted);
  if (trusted) return new Worker(workerScriptUrl(new URL('./worker.js', import.meta.url).href), { type: 'module' });
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
}
