// Engines that live elsewhere, seen from the DOM layer: over a port (an extension's
// runtime port, a MessagePort), or in a module Worker started by the library. They
// speak protocol.js and answer like the engine in the page, with promises. A call
// on a closed port or a dead Worker rejects with an Error; none waits forever.

import { VERSION, isProtocolMessage, wrapPort } from './protocol.js';

/** @typedef {import('./engine.js').EngineLike} EngineLike */

let documents = 0;

/**
 * A new document id for {@link import('./engine.js').EngineLike}.findBlocks: unique
 * across the pages that share one engine (an extension's service worker).
 * @returns {string}
 */
export function newDocumentId() {
  const random = globalThis.crypto?.randomUUID?.() ?? Math.random().toString(36).slice(2);
  return `${random}-${++documents}`;
}

/**
 * An engine answering over a port (see protocol.js).
 * @implements {EngineLike}
 */
export class RemoteEngine {
  #channel = null;
  #connect;
  #pending = new Map();
  #nextId = 0;
  #closedBecause = null;
  #freed = false;
  #setup;
  #timeout;
  #heard = 0; // when the other side last spoke (or the first call was sent)
  #watchdog = 0;

  /**
   * @param {import('./protocol.js').EnginePort | (() => import('./protocol.js').EnginePort)} port
   *   the port, or a function that opens one: then a port that closes (an
   *   extension's service worker stopped when idle) is opened again on the next
   *   call, and the calls it cut short are sent again
   * @param {object} [options]
   * @param {(engine: RemoteEngine) => Promise<void>} [options.setup] run on each new port
   *   before any other request (the Worker engine sends its `load` here)
   * @param {number} [options.timeout] ms of silence, with calls waiting and a ping
   *   sent, after which the other side counts as gone (a MessagePort tells nobody
   *   that its other end closed); default 15000
   */
  constructor(port, { setup, timeout = 15_000 } = {}) {
    this.#connect = typeof port === 'function' ? port : null;
    this.#setup = setup;
    this.#timeout = timeout;
    this.#open(typeof port === 'function' ? port() : port);
  }

  #open(port) {
    const channel = wrapPort(port);
    const ready = { promise: null };
    this.#channel = { channel, ready };
    channel.listen((message) => {
      if (!isProtocolMessage(message)) return;
      this.#heard = Date.now();
      const call = this.#pending.get(message.id);
      if (!call || call.channel !== channel) return;
      this.#pending.delete(message.id);
      if (message.ok) call.resolve(message.value);
      else call.reject(new Error(message.error));
    });
    channel.onClose((reason) => {
      const cut = [...this.#pending.values()].filter((c) => c.channel === channel);
      if (this.#channel?.channel === channel) this.#channel = null;
      if (!this.#connect || this.#freed) this.#closedBecause ??= reason;
      for (const call of cut) {
        this.#pending.delete(call.id);
        if (this.#connect && !this.#freed && !call.retried) {
          call.retried = true;
          this.#send(call).catch(call.reject);
        } else {
          call.reject(new Error(`engine: ${reason}`));
        }
      }
    });
    if (this.#setup) ready.promise = this.#setup(this);
  }

  #live() {
    if (this.#freed) throw new Error('engine: this engine was freed');
    if (this.#closedBecause && !this.#connect) throw new Error(`engine: ${this.#closedBecause}`);
    if (!this.#channel) this.#open(this.#connect());
    return this.#channel;
  }

  /** Sends one request; `call` carries its resolve/reject across a reconnection. */
  async #send(call, { skipSetup = false } = {}) {
    const current = this.#live();
    if (!skipSetup && current.ready.promise) await current.ready.promise;
    const channel = this.#live().channel;
    call.id = ++this.#nextId;
    call.channel = channel;
    if (this.#pending.size === 0) this.#heard = Date.now();
    this.#pending.set(call.id, call);
    try {
      channel.send({ sorot: VERSION, id: call.id, ...call.request });
    } catch (err) {
      this.#pending.delete(call.id);
      throw new Error(`engine: ${err.message}`);
    }
    this.#watch();
  }

  /**
   * While calls wait: pings the other side when it has been quiet, and gives up
   * on it (every waiting call rejects) when it stays quiet for the timeout.
   */
  #watch() {
    if (this.#watchdog) return;
    const period = Math.max(50, Math.min(2000, this.#timeout / 4));
    this.#watchdog = setInterval(() => {
      if (this.#pending.size === 0 || this.#freed) {
        clearInterval(this.#watchdog);
        this.#watchdog = 0;
        return;
      }
      const quiet = Date.now() - this.#heard;
      const open = this.#channel;
      if (quiet >= this.#timeout) {
        clearInterval(this.#watchdog);
        this.#watchdog = 0;
        const seconds = (this.#timeout / 1000).toFixed(1).replace(/\.0$/, '');
        const reason = `no answer for ${seconds} s (the engine's end of the port is closed or stuck)`;
        const cut = [...this.#pending.values()];
        this.#pending.clear();
        if (!this.#connect) this.#closedBecause ??= reason;
        for (const call of cut) call.reject(new Error(`engine: ${reason}`));
        if (open) {
          this.#channel = null;
          open.channel.close();
        }
      } else if (quiet >= period && open) {
        try {
          open.channel.send({ sorot: VERSION, id: `ping-${++this.#nextId}`, kind: 'ping' });
        } catch {
          // the close handler rejects the calls
        }
      }
    }, period);
  }

  /**
   * Sends a request and waits for its answer.
   * @param {object} request `{kind, ...arguments}`
   * @param {{skipSetup?: boolean}} [options]
   * @returns {Promise<any>}
   */
  request(request, options) {
    return new Promise((resolve, reject) => {
      const call = { request, resolve, reject };
      this.#send(call, options).catch(reject);
    });
  }

  /** @returns {Promise<{head: string, count: number}>} */
  info() {
    return this.request({ kind: 'info' });
  }

  /**
   * @param {number[]} indexes
   * @returns {Promise<string[]>}
   */
  entities(indexes) {
    return this.request({ kind: 'entities', indexes });
  }

  /**
   * @param {string} text
   * @param {{overlap?: 'longest'|'all'}} [options]
   * @returns {Promise<Uint32Array>}
   */
  async find(text, options = {}) {
    if (typeof text !== 'string') throw new Error(`find() takes a string, not ${typeof text}`);
    return Uint32Array.from(await this.request({ kind: 'find', text, overlap: options.overlap ?? 'longest' }));
  }

  /**
   * @param {string} doc
   * @param {string[]} blocks
   * @param {{overlap?: 'longest'|'all'}} [options]
   * @returns {Promise<{flat: Uint32Array, blocks: number, scanned: number}>}
   */
  async findBlocks(doc, blocks, options = {}) {
    const answer = await this.request({ kind: 'findBlocks', doc, blocks, overlap: options.overlap ?? 'longest' });
    return { ...answer, flat: Uint32Array.from(answer.flat) };
  }

  /** @param {string} doc */
  async closeDocument(doc) {
    if (this.#freed || !this.#channel) return;
    await this.request({ kind: 'closeDocument', doc }).catch(() => {});
  }

  /** Closes the port (or ends the Worker); later calls reject. */
  free() {
    if (this.#freed) return;
    this.#freed = true;
    clearInterval(this.#watchdog);
    this.#watchdog = 0;
    const open = this.#channel;
    this.#channel = null;
    open?.channel.close();
    for (const call of this.#pending.values()) call.reject(new Error('engine: this engine was freed'));
    this.#pending.clear();
  }
}

/**
 * The engine in a module Worker: the WebAssembly module is instantiated there
 * only, and matching never blocks the page.
 * @param {{gazetteer: import('./gazetteer.js').GazetteerSource[], assets?: string, cache?: boolean}} load
 *   what the Worker loads
 * @param {Worker} worker a module Worker running worker.js
 * @returns {Promise<RemoteEngine>} once the Worker has loaded the gazetteer
 */
export async function startWorkerEngine(load, worker) {
  const engine = new RemoteEngine(worker, {
    setup: (e) => e.request({ kind: 'load', ...load }, { skipSetup: true }),
  });
  try {
    await engine.request({ kind: 'info' });
  } catch (err) {
    engine.free();
    throw err;
  }
  return engine;
}

/**
 * A module Worker for a script of another origin (a library on a CDN): a Worker
 * script must have the page's origin, so a same-origin bootstrap imports it.
 * @param {string} url
 * @param {boolean} [trusted] start it through the library's Trusted Types policy
 * @returns {Worker}
 */
export function bootstrapWorker(url, trusted = false) {
  const bootstrap = new Blob([`import ${JSON.stringify(url)};\n`], { type: 'text/javascript' });
  const blobUrl = URL.createObjectURL(bootstrap);
  try {
    return new Worker(trusted ? workerScriptUrl(blobUrl) : blobUrl, { type: 'module' });
  } finally {
    setTimeout(() => URL.revokeObjectURL(blobUrl), 60_000);
  }
}

/** @type {{createScriptURL: (url: string) => unknown} | null} */
let policy = null;
const allowedScripts = new Set();

/**
 * The script URL of a Worker the library starts, as a page that enforces Trusted
 * Types (`require-trusted-types-for 'script'`) requires it: made by the library's
 * own policy, named `sorot`, which passes only the URLs the library gives it.
 * @param {string} url
 * @returns {any} a TrustedScriptURL where the browser has Trusted Types, else `url`
 * @throws {Error} when the page's `trusted-types` directive does not allow a policy named `sorot`
 */
export function workerScriptUrl(url) {
  const tt = globalThis.trustedTypes;
  if (!tt || typeof tt.createPolicy !== 'function') return url;
  if (!policy) {
    try {
      policy = tt.createPolicy('sorot', {
        createScriptURL: (u) => {
          if (!allowedScripts.has(u)) throw new Error(`sorot: ${u} is not a script of the library`);
          return u;
        },
      });
    } catch (err) {
      throw new Error(`worker: the page's Content-Security-Policy does not allow the Trusted Types policy "sorot" (add it to trusted-types): ${err.message}`);
    }
  }
  allowedScripts.add(url);
  try {
    return policy.createScriptURL(url);
  } finally {
    allowedScripts.delete(url);
  }
}
