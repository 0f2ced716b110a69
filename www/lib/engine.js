// The engine alone: the WebAssembly core and its gazetteer, with no DOM. It runs
// in a page, a module Worker (worker.js), or an extension's service worker, and
// is what `sorot/engine` exports.
//
//   import { loadEngine, serveEngine } from 'sorot/engine';
//   const engine = await loadEngine({ gazetteer });      // in this context
//   serveEngine(port, { engine });                       // answer a DOM layer elsewhere

import initEngine, {
  __wbg_reset_state as resetEngine, compiledFormatVersion, DocumentCache, Engine as WasmEngine, isCompiled, sorotVersion,
} from './pkg/sorot_engine.js';
import { cacheKey, cachedCompiled, clearCompiled, forgetCompiled, storeCompiled } from './cache.js';
import { fetchSources, gazetteerSources, gazetteerText } from './gazetteer.js';
import { SLICE_MS, yieldToPage } from './slices.js';
import { VERSION, isProtocolMessage, wrapPort } from './protocol.js';

export { decodeMatches } from './flat.js';
export { gazetteerText } from './gazetteer.js';

/** On a page's main thread a long scan would block input: it is cut into slices. */
const ON_MAIN_THREAD = typeof document !== 'undefined';
/**
 * Texts from this many UTF-16 units on are searched in slices (Engine.newSearch):
 * the wasm memory one call takes is a slice's and the candidates', and on a page's
 * main thread the page responds between slices.
 */
const LARGE_TEXT = 100_000;
/** About this much text per slice (SLICE_MS of slices before yielding). */
const SLICE_TEXT = 16_000;
/** About this many candidates resolved per step of a search. */
const RESOLVE_STEP = 5_000;
/** Candidates looked at per step of finishing a search (a few ms). */
const FINISH_STEP = 20_000;

// The library's assets, next to it. Written out in full (`new URL('./pkg/…',
// import.meta.url)`) so that bundlers find and emit them.
const PACKAGED = {
  engine: new URL('./pkg/sorot_engine_bg.wasm', import.meta.url).href,
  compiler: new URL('./pkg/sorot_compiler_bg.wasm', import.meta.url).href,
  gazetteer: new URL('./pkg/default.sorot', import.meta.url).href,
};

/** The asset names the `assets` option's folder must hold. */
export const ASSET_FILES = Object.freeze({
  engine: 'sorot_engine_bg.wasm', compiler: 'sorot_compiler_bg.wasm', gazetteer: 'default.sorot',
});

/**
 * URL of the default gazetteer (people, places and organisations in Indonesian and
 * English news), compiled (`sorot compile`): it loads without parsing or building.
 */
export const DEFAULT_GAZETTEER_URL = PACKAGED.gazetteer;

/**
 * Where the WebAssembly modules and the default gazetteer are, given the `assets`
 * option (a folder URL, for a CDN or another path) or the library's own folder.
 * @param {string|URL} [assets]
 * @returns {{engine: string, compiler: string, gazetteer: string}}
 */
export function assetUrls(assets) {
  if (assets === undefined) return { ...PACKAGED };
  let base;
  try {
    base = new URL(String(assets), globalThis.document?.baseURI ?? globalThis.location?.href);
  } catch {
    throw new Error(`assets: ${JSON.stringify(String(assets))} is not a URL`);
  }
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  return {
    engine: new URL(ASSET_FILES.engine, base).href,
    compiler: new URL(ASSET_FILES.compiler, base).href,
    gazetteer: new URL(ASSET_FILES.gazetteer, base).href,
  };
}

let compilerGlue = null;
/**
 * The compiler module's glue, imported only when a text gazetteer is given (a page
 * with compiled gazetteers never loads it).
 */
function compilerModule() {
  compilerGlue ??= import('./pkg/sorot_compiler.js').catch((err) => {
    compilerGlue = null;
    throw new Error(`cannot load the gazetteer compiler (${err.message}); where import() is not allowed (a service worker), bundle sorot/engine or give compiled gazetteers`);
  });
  return compilerGlue;
}

const MODULES = {
  engine: { init: initEngine, reset: resetEngine },
  compiler: {
    init: async (options) => {
      const glue = await compilerModule();
      MODULES.compiler.reset = glue.__wbg_reset_state;
      return glue.default(options);
    },
    reset: () => {},
  },
};
const moduleLoads = new Map();

/**
 * Each module's instance in this context: how many times it was instantiated
 * afresh, and why it may not be used (a trap, which leaves an instance's memory
 * and stack in an unknown state).
 * @type {Record<'engine'|'compiler', {generation: number, broken: string|null, trap: string}>}
 */
const instances = { engine: { generation: 0, broken: null, trap: '' }, compiler: { generation: 0, broken: null, trap: '' } };

/**
 * Whether `err` is a trap of the WebAssembly code (a Rust panic, which aborts, an
 * out-of-bounds access, a failed allocation, a stack overflow) rather than an
 * Error it returned: after one, its instance must not be used again.
 * @param {unknown} err
 */
function isTrap(err) {
  return err instanceof WebAssembly.RuntimeError || (err instanceof RangeError && /call stack/i.test(err.message));
}

/**
 * Marks a module's instance unusable after a trap (the next load instantiates it
 * afresh) and says so.
 * @param {'engine'|'compiler'} which
 * @param {Error} err the trap
 * @returns {Error}
 */
function trapped(which, err) {
  const what = which === 'engine' ? 'engine' : 'gazetteer compiler';
  const message = `${what}: the WebAssembly ${what} stopped (${err.name}: ${err.message}) and cannot be used any more: `
    + 'create a new highlighter (a bug in sorot: please report it)';
  instances[which].broken = message;
  instances[which].trap = message;
  return new Error(message);
}

/** Calls `fn`, turning a trap of `which`'s instance into a clear Error (see trapped()). */
function guarded(which, fn) {
  try {
    return fn();
  } catch (err) {
    throw isTrap(err) ? trapped(which, err) : asError(err);
  }
}

/** The smallest valid module: a page that cannot compile it does not allow WebAssembly. */
const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

/** Whether this context's Content-Security-Policy forbids compiling WebAssembly. */
function wasmForbidden() {
  try {
    new WebAssembly.Module(EMPTY_MODULE); // eslint-disable-line no-new
    return false;
  } catch {
    return true;
  }
}

/** The error when a page's Content-Security-Policy forbids WebAssembly. */
const CSP_MESSAGE = "this page's Content-Security-Policy does not allow WebAssembly, which sorot runs on: "
  + "add 'wasm-unsafe-eval' to its script-src (for example: script-src 'self' 'wasm-unsafe-eval')";

/**
 * Instantiates one of the two WebAssembly modules, once per context: the engine
 * (always) or the compiler (only when a text gazetteer is given). A load that
 * failed (the network) is tried again by the next call; an instance a trap left
 * unusable is instantiated afresh.
 * @param {'engine'|'compiler'} which
 * @param {string} url
 */
async function loadModule(which, url) {
  const key = `${which} ${url}`;
  if (!moduleLoads.has(key)) {
    const load = (async () => {
      let response;
      try {
        response = await fetch(url);
      } catch (err) {
        throw new Error(`${url}: cannot load the WebAssembly module: ${err.message}`);
      }
      if (!response.ok) throw new Error(`${url}: cannot load the WebAssembly module: HTTP ${response.status}`);
      try {
        await MODULES[which].init({ module_or_path: response });
      } catch (err) {
        if (err instanceof WebAssembly.CompileError && wasmForbidden()) throw new Error(`${CSP_MESSAGE} (${err.message})`);
        throw new Error(`${url}: cannot start the WebAssembly module: ${err.message}`);
      }
    })();
    moduleLoads.set(key, load);
    load.catch(() => moduleLoads.delete(key));
  }
  await moduleLoads.get(key);
  // After a trap: a new instance of the compiled module (synchronous, so that two
  // loads waiting here make one), which every engine of the old one sees.
  const instance = instances[which];
  if (instance.broken) {
    instance.broken = null;
    instance.generation += 1;
    try {
      MODULES[which].reset();
    } catch (err) {
      instance.broken = `${url}: cannot start the WebAssembly module again: ${err.message}`;
      throw new Error(instance.broken);
    }
  }
}

function asError(err) {
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * Options of {@link loadEngine}.
 * @typedef {object} EngineOptions
 * @property {import('./gazetteer.js').GazetteerInput} [gazetteer] default: the default gazetteer
 * @property {string|URL} [assets] the folder holding `sorot_engine_bg.wasm`,
 *   `sorot_compiler_bg.wasm` and `default.sorot`, when they are not next to the
 *   library (a CDN)
 * @property {boolean} [cache] keep the compiled form of text gazetteers in this
 *   origin's IndexedDB (keyed by their content and sorot's versions), so that a
 *   later visit loads it without compiling (default false)
 */

/**
 * An engine: finds entities for the DOM layer. Every method answers with a
 * promise, wherever the engine runs; offsets are UTF-16 code units.
 * @typedef {object} EngineLike
 * @property {() => Promise<{head: string, count: number}>} info the gazetteer without
 *   its entities (name, lang, types: JSON text) and how many entities it has
 * @property {(indexes: number[]) => Promise<string[]>} entities the entities at these
 *   indexes (a match's `entity` and candidates), each as JSON text: a page reads only
 *   the entities it shows
 * @property {(text: string, options?: {overlap?: 'longest'|'all'}) => Promise<Uint32Array>} find
 *   one document's matches in the flat layout (flat.js)
 * @property {(doc: string, blocks: string[], options?: {overlap?: 'longest'|'all'}) =>
 *   Promise<{flat: Uint32Array, blocks: number, scanned: number}>} findBlocks
 *   a changing document given as its blocks; only blocks the engine has not seen
 *   for `doc` are scanned again
 * @property {(doc: string) => Promise<void>} closeDocument forgets a document's blocks
 * @property {() => void} free releases the engine (a Worker ends, a port closes)
 */

/**
 * The engine in this context (a page, a Worker, a service worker).
 * @implements {EngineLike}
 */
export class LocalEngine {
  #wasm;
  #json; // the UTF-8 bytes of the gazetteer's JSON text
  #index; // where each entity is in them (see src/compiled.rs, JIDX)
  #docs = new Map();
  #decoder = new TextDecoder();
  #generation = instances.engine.generation; // of the instance it lives in
  #broken = null; // why it cannot be used (a trap)

  /**
   * @hideconstructor
   * @param {object} wasm the wasm-bindgen Engine
   * @param {Uint8Array} json the UTF-8 bytes of the gazetteer's JSON text
   * @param {Uint32Array} index [headEnd, start0, end0, ...] in `json`
   */
  constructor(wasm, json, index) {
    this.#wasm = wasm;
    this.#json = json;
    this.#index = index;
    /** The number of entities. */
    this.entityCount = (index.length - 1) / 2;
  }

  #live() {
    // (When another engine's call trapped, this one's instance is gone with it.)
    if (this.broken) throw new Error(this.#broken);
    if (!this.#wasm) throw new Error('this engine was freed');
    return this.#wasm;
  }

  /**
   * Why this engine cannot be used any more (a trap in its WebAssembly instance:
   * every call rejects with this), or null. A host that keeps an engine for long
   * (an extension's service worker) loads a new one when it is set.
   * @returns {string|null}
   */
  get broken() {
    if (!this.#broken && (instances.engine.broken || instances.engine.generation !== this.#generation)) this.#broken = instances.engine.trap;
    return this.#broken;
  }

  /** Calls the wasm engine; a trap leaves this engine (and its instance) unusable, with a clear Error. */
  #call(fn) {
    const wasm = this.#live();
    try {
      return fn(wasm);
    } catch (err) {
      if (!isTrap(err)) throw asError(err);
      this.#broken = trapped('engine', err).message;
      throw new Error(this.#broken);
    }
  }

  /** @returns {Promise<{head: string, count: number}>} */
  async info() {
    this.#live();
    return { head: `${this.#decoder.decode(this.#json.subarray(0, this.#index[0]))}]}`, count: this.entityCount };
  }

  /**
   * @param {number[]} indexes
   * @returns {Promise<string[]>}
   */
  async entities(indexes) {
    this.#live();
    return indexes.map((i) => {
      if (!Number.isInteger(i) || i < 0 || i >= this.entityCount) throw new Error(`entity ${i} out of range (the gazetteer has ${this.entityCount})`);
      return this.#decoder.decode(this.#json.subarray(this.#index[1 + 2 * i], this.#index[2 + 2 * i]));
    });
  }

  /**
   * The whole gazetteer in its JSON format (for tools: the DOM layer reads only
   * the entities it shows).
   * @returns {Promise<string>}
   */
  async gazetteer() {
    this.#live();
    return this.#decoder.decode(this.#json);
  }

  /**
   * @param {string} text
   * @param {{overlap?: 'longest'|'all'}} [options]
   * @returns {Promise<Uint32Array>}
   */
  async find(text, options = {}) {
    if (typeof text !== 'string') throw new Error(`find() takes a string, not ${typeof text}`);
    if (text.length < LARGE_TEXT) return this.findNow(text, options);
    // A large text: given to the engine a slice at a time, its matches taken a few
    // pieces at a time (the same matches as one call), with the page responding in
    // between on a main thread.
    const all = options.overlap === 'all';
    const search = this.#call((wasm) => wasm.newSearch());
    let deadline = performance.now() + SLICE_MS;
    const pause = async () => {
      if (!ON_MAIN_THREAD || performance.now() < deadline) return;
      await yieldToPage();
      deadline = performance.now() + SLICE_MS;
    };
    try {
      let at = 0;
      let size = SLICE_TEXT;
      while (at < text.length) {
        let end = Math.min(text.length, at + size);
        // Not between the two halves of a surrogate pair.
        if (end < text.length && (text.charCodeAt(end - 1) & 0xfc00) === 0xd800) end -= 1;
        const last = end === text.length;
        const slice = text.slice(at, end);
        const used = this.#call((wasm) => wasm.searchPush(search, slice, last));
        if (used === 0) {
          size *= 2; // no place to cut in it: a longer slice
        } else {
          at += used;
          size = SLICE_TEXT;
        }
        await pause();
      }
      // The document-wide facts and each piece's spans, a part at a time.
      while (!this.#call((wasm) => wasm.searchFinish(search, FINISH_STEP))) await pause();
      const parts = [];
      let length = 0;
      for (;;) {
        const part = this.#call((wasm) => wasm.searchNext(search, all, RESOLVE_STEP));
        if (!part) break;
        parts.push(part);
        length += part.length;
        await pause();
      }
      const flat = new Uint32Array(length);
      let offset = 0;
      for (const part of parts) {
        flat.set(part, offset);
        offset += part.length;
      }
      return flat;
    } finally {
      if (this.#usable()) search.free();
    }
  }

  /** Scans the blocks a cache does not know in slices, yielding between them. */
  async #scanAhead(cache, blocks) {
    let start = 0;
    let deadline = performance.now() + SLICE_MS;
    while (start < blocks.length) {
      let end = start;
      let size = 0;
      while (end < blocks.length && size < SLICE_TEXT) size += blocks[end++].length;
      const slice = blocks.slice(start, end);
      this.#call((wasm) => wasm.primeBlocks(cache, slice));
      start = end;
      if (start < blocks.length && performance.now() >= deadline) {
        await yieldToPage();
        deadline = performance.now() + SLICE_MS;
      }
    }
  }

  /**
   * {@link LocalEngine#find} without the promise (for callers in the same context).
   * @param {string} text
   * @param {{overlap?: 'longest'|'all'}} [options]
   * @returns {Uint32Array}
   */
  findNow(text, options = {}) {
    if (typeof text !== 'string') throw new Error(`find() takes a string, not ${typeof text}`);
    return this.#call((wasm) => wasm.find(text, options.overlap === 'all'));
  }

  /**
   * @param {string} doc
   * @param {string[]} blocks
   * @param {{overlap?: 'longest'|'all'}} [options]
   * @returns {Promise<{flat: Uint32Array, blocks: number, scanned: number}>}
   */
  async findBlocks(doc, blocks, options = {}) {
    this.#live();
    let cache = this.#docs.get(doc);
    if (!cache) this.#docs.set(doc, (cache = this.#call(() => new DocumentCache())));
    if (ON_MAIN_THREAD && blocks.length > 1) {
      let size = 0;
      for (const b of blocks) size += b.length;
      if (size >= LARGE_TEXT) await this.#scanAhead(cache, blocks);
    }
    return this.#call((wasm) => {
      const flat = wasm.findBlocks(cache, blocks, options.overlap === 'all');
      return { flat, blocks: cache.size, scanned: cache.scanned };
    });
  }

  /** @param {string} doc */
  async closeDocument(doc) {
    if (this.#usable()) this.#docs.get(doc)?.free();
    this.#docs.delete(doc);
  }

  /** Whether its instance is still the one it was made in, and sound. */
  #usable() {
    return !this.broken;
  }

  /** Releases the WebAssembly memory of this engine. */
  free() {
    // After a trap the old instance is dropped whole: nothing to free in it (and
    // its pointers mean nothing in the new one).
    if (this.#usable()) {
      for (const cache of this.#docs.values()) cache.free();
      this.#wasm?.free();
    }
    this.#docs.clear();
    this.#wasm = null;
  }
}

/**
 * Loads the WebAssembly module (once per context) and compiles the gazetteer.
 * @param {EngineOptions} [options]
 * @returns {Promise<LocalEngine>} rejects with an Error that says what is wrong and where
 */
export async function loadEngine(options = {}) {
  const urls = assetUrls(options.assets);
  const sources = gazetteerSources(options.gazetteer, urls.gazetteer);
  if (options.cache !== undefined && typeof options.cache !== 'boolean') {
    throw new Error(`cache: must be true or false, not ${JSON.stringify(options.cache)}`);
  }
  return loadEngineFrom(sources, urls, options.cache ?? false);
}

/**
 * The gazetteers as one compiled gazetteer: a single compiled one as it is; text
 * ones (and any mix, merged in order) through the compiler module.
 * @param {import('./gazetteer.js').GazetteerSource[]} sources
 * @param {{engine: string, compiler: string}} urls
 * @returns {Promise<{bytes: Uint8Array, origin: string}>}
 */
async function compiledFrom(sources, urls, cache = /** @type {boolean|'store'} */ (false)) {
  const [parts] = await Promise.all([fetchSources(sources), loadModule('engine', urls.engine)]);
  const items = parts.map((p) => {
    if (!('bytes' in p)) return p;
    if (isCompiled(p.bytes.subarray(0, 16))) return { compiled: p.bytes, origin: p.origin };
    // Not compiled: text, refused with the CLI's words (the byte, line, column) if not UTF-8.
    return { text: gazetteerText(p.bytes, p.origin), origin: p.origin };
  });
  if (items.length === 1 && items[0].compiled) return { bytes: items[0].compiled, origin: items[0].origin };
  const origin = items.length === 1 ? items[0].origin : 'gazetteer';
  const key = cache ? await cacheKey(items, `sorot ${sorotVersion()} format ${compiledFormatVersion()}`).catch(() => null) : null;
  if (key && cache !== 'store') {
    const bytes = await cachedCompiled(key);
    if (bytes) return { bytes, origin, cached: key };
  }
  await loadModule('compiler', urls.compiler);
  const { compileGazetteers } = await compilerModule();
  const bytes = guarded('compiler',
    () => compileGazetteers(items.map((i) => i.compiled ?? i.text), items.map((i) => i.origin)));
  if (key) await storeCompiled(key, bytes);
  return { bytes, origin };
}

/**
 * {@link loadEngine} for sources already checked (see gazetteer.js).
 * @param {import('./gazetteer.js').GazetteerSource[]} sources
 * @param {{engine: string, compiler: string}} urls
 * @returns {Promise<LocalEngine>}
 */
async function loadEngineFrom(sources, urls, cache = /** @type {boolean|'store'} */ (false)) {
  const { bytes, origin, cached } = await compiledFrom(sources, urls, cache);
  let wasm;
  try {
    wasm = guarded('engine', () => WasmEngine.load(bytes, origin));
  } catch (err) {
    // A stored compiled form that does not load (damaged): forget it, compile again
    // (and store that, without looking in the cache again).
    if (cached && !instances.engine.broken) {
      await forgetCompiled(cached);
      return loadEngineFrom(sources, urls, 'store');
    }
    throw err;
  }
  return guarded('engine', () => {
    // The entity data stays in our copy of the file (no copy out of wasm, and nothing
    // parsed until a page shows an entity).
    const [start, end] = wasm.gazetteerJsonRange();
    const json = end > start ? bytes.slice(start, end) : new TextEncoder().encode(wasm.gazetteerJson());
    const index = wasm.entityIndex();
    // The browser compiles each wasm function on its first call: pay that here, in
    // set-up, rather than on the first page highlighted.
    wasm.find('Warm up, “Kim Jong Un” di Jakarta-nya.\u2029São Paulo', false);
    return new LocalEngine(wasm, json, index);
  });
}

/**
 * Forgets the compiled gazetteers that `cache: true` keeps in this origin's
 * IndexedDB (for example after the gazetteer they came from was removed).
 * @returns {Promise<void>}
 */
export function clearGazetteerCache() {
  return clearCompiled();
}

/**
 * Compiles gazetteers (any input `loadEngine` takes) into one compiled gazetteer,
 * for a cache (an extension's or widget's IndexedDB): `loadEngine({gazetteer:
 * bytes})` loads it without the compiler. Key the cache by the source and `version`.
 * @param {import('./gazetteer.js').GazetteerInput} gazetteer
 * @param {{assets?: string|URL}} [options]
 * @returns {Promise<{bytes: Uint8Array, version: number}>}
 */
export async function compileGazetteer(gazetteer, options = {}) {
  const urls = assetUrls(options.assets);
  const { bytes } = await compiledFrom(gazetteerSources(gazetteer, urls.gazetteer), urls);
  return { bytes, version: compiledFormatVersion() };
}

/**
 * Answers the protocol's requests (protocol.js) arriving on a port with an engine
 * of this context: in a Worker (`serveEngine(self)`), or in an extension's service
 * worker for each content script's port.
 * @param {import('./protocol.js').EnginePort} port
 * @param {object} [options]
 * @param {EngineLike|Promise<EngineLike>|(() => EngineLike|Promise<EngineLike>)} [options.engine]
 *   the engine to answer with (or a function giving it, called on the first
 *   request); without it, the client's `load` request loads one
 * @param {boolean} [options.freeOnClose] free the engine when the port closes
 *   (default: when this function loaded it)
 * @returns {{close: () => void}}
 */
export function serveEngine(port, options = {}) {
  const channel = wrapPort(port);
  let engine = null; // a promise of the engine
  let owned = false;
  const docs = new Set();
  const given = options.engine;
  const current = () => {
    if (!engine && given !== undefined) engine = Promise.resolve(typeof given === 'function' ? given() : given);
    if (!engine) throw new Error('the engine is not loaded (send a load request first)');
    return engine;
  };
  const handle = async (request) => {
    if (request.sorot !== VERSION) {
      throw new Error(`the page speaks engine protocol version ${request.sorot}, this engine version ${VERSION}`);
    }
    switch (request.kind) {
      case 'ping':
        return 'pong';
      case 'load': {
        if (given !== undefined) return undefined; // the host chose the engine
        if (engine) throw new Error('the engine is already loaded');
        owned = true;
        const urls = assetUrls(request.assets);
        engine = loadEngineFrom(request.gazetteer ?? gazetteerSources(undefined, urls.gazetteer), urls, request.cache === true);
        engine.catch(() => { engine = null; });
        await engine;
        return undefined;
      }
      case 'info':
        return (await current()).info();
      case 'entities':
        return (await current()).entities(request.indexes);
      case 'find':
        return (await current()).find(request.text, { overlap: request.overlap });
      case 'findBlocks':
        docs.add(request.doc);
        return (await current()).findBlocks(request.doc, request.blocks, { overlap: request.overlap });
      case 'closeDocument':
        docs.delete(request.doc);
        return (await current()).closeDocument(request.doc);
      default:
        throw new Error(`unknown engine request ${JSON.stringify(request.kind)}`);
    }
  };
  const plain = (value) => {
    // Extension ports carry JSON: typed arrays go as plain arrays there.
    if (channel.structured || !value || typeof value !== 'object') return value;
    if (ArrayBuffer.isView(value)) return Array.from(value);
    if (ArrayBuffer.isView(value.flat)) return { ...value, flat: Array.from(value.flat) };
    return value;
  };
  channel.listen(async (request) => {
    if (!isProtocolMessage(request)) return;
    let answer;
    try {
      const value = await handle(request);
      answer = { sorot: VERSION, id: request.id, ok: true, value: plain(value) };
    } catch (err) {
      answer = { sorot: VERSION, id: request.id, ok: false, error: asError(err).message };
    }
    const transfer = [];
    const flat = answer.value?.flat ?? answer.value;
    if (channel.structured && ArrayBuffer.isView(flat)) transfer.push(flat.buffer);
    try {
      channel.send(answer, transfer);
    } catch {
      // The client went away: nothing to answer.
    }
  });
  const release = async () => {
    if (!engine) return;
    const e = await engine.catch(() => null);
    if (!e) return;
    if (options.freeOnClose ?? owned) e.free();
    else for (const doc of docs) e.closeDocument(doc);
    docs.clear();
  };
  channel.onClose(() => { release(); });
  return {
    close: () => {
      release();
      channel.close();
    },
  };
}
