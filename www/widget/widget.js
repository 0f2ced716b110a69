// The widget's core: attach(root, options) highlights one root with `observe` on
// (the library's Highlight handle), shares one engine per gazetteer between the
// roots that use it, dispatches `sorot-update` after each update, docks the
// editor's panel, and releases everything when the root is detached or leaves its
// document (its iframe removed, the framework replacing it). The panel (panel.js)
// is a chunk of its own, loaded for the roots that ask for it.
//
// Renderers: the Highlight API. A root that a framework renders (React, Vue, ...)
// never gets marks: the framework keeps writing to the Text nodes that marks
// replace, and the preview would show stale text.

import { createHighlighter } from 'sorot';
import { WIDGET_ASSETS } from './assets.js';

/**
 * Options of {@link attach}: the attributes of the script tag (`data-…`) and of
 * `<sorot-highlight>`, as properties.
 * @typedef {object} WidgetOptions
 * @property {string|URL|object} [gazetteer] a URL (relative to the root's page), or
 *   anything `createHighlighter({gazetteer})` takes; default: the default gazetteer
 *   next to the widget
 * @property {'auto'|'highlight-api'|'mark'} [renderer] default `auto` (the
 *   Highlight API; marks where the browser has none). `mark` on a root a framework
 *   renders gives the Highlight API, with a warning
 * @property {'longest'|'all'} [overlap] default `longest`
 * @property {string|string[]} [types] the entity types shown (keys, separated by
 *   commas or spaces); default: all
 * @property {boolean} [panel] the editor's panel (default false)
 * @property {string} [lang] the reader's language for cards and panel (default:
 *   the nearest `lang` attribute, else the gazetteer's)
 * @property {boolean} [cards] the card on hover (default true)
 */

const OPTION_KEYS = new Set(['gazetteer', 'renderer', 'overlap', 'types', 'panel', 'lang', 'cards']);
const RENDERERS = ['auto', 'highlight-api', 'mark'];
const OVERLAPS = ['longest', 'all'];

let assetBase = new URL('./', import.meta.url).href;

/**
 * Where the widget finds its wasm, Worker and default gazetteer (default: the
 * folder of sorot-widget.js). Engines already loaded keep theirs.
 * @param {string|URL} url a folder URL, relative to the page
 */
export function setAssetPath(url) {
  const base = new URL(String(url), globalThis.document?.baseURI);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  assetBase = base.href;
}

/** The folder the widget loads its assets from. */
export function assetPath() {
  return assetBase;
}

/** Roots highlighted by any copy of the widget in this realm → their session. */
const sessions = (() => {
  const key = Symbol.for('sorot.widget.sessions');
  return /** @type {WeakMap<Node, Session>} */ (globalThis[key] ??= new WeakMap());
})();

/**
 * Highlights `root` (an element, a document or a shadow root; an iframe's
 * document, for example) and keeps it highlighted as it changes.
 * @param {Element|Document|ShadowRoot} root
 * @param {WidgetOptions} [options]
 * @returns {Promise<import('sorot').Highlight>} rejects with an Error that says
 *   what is wrong (an option, the gazetteer, an asset, the browser); with the
 *   panel on, the panel says it too
 */
export async function attach(root, options = {}) {
  if (!root || typeof root.nodeType !== 'number' || ![1, 9, 11].includes(root.nodeType)) {
    throw new Error('attach() takes an Element, a Document or a ShadowRoot');
  }
  const settings = checkOptions(options);
  if (sessions.has(root)) throw new Error('attach(): this root is already highlighted (detach it first)');
  if (overlapsRoot(root)) throw new Error('attach(): this root is inside or around a root the widget already highlights');
  const session = new Session(root, settings);
  sessions.set(root, session);
  active.add(session);
  return session.start();
}

/** Roots whose options are being changed → the latest change (an older one gives way). */
const changing = new WeakMap();

/**
 * Highlights `root` again with new options. A root that is highlighted keeps its
 * highlights (and its gazetteer) until the new gazetteer is in: when that fails,
 * it stays as it was, its panel says why, and the promise rejects.
 * @param {Element|Document|ShadowRoot} root
 * @param {WidgetOptions} [options]
 * @returns {Promise<import('sorot').Highlight>} rejects as {@link attach} does, or
 *   with an `AbortError` when a later change or a detach came first
 */
export async function reattach(root, options = {}) {
  const old = sessions.get(root);
  const token = {};
  changing.set(root, token);
  const superseded = () => changing.get(root) !== token || sessions.get(root) !== old;
  let entry;
  let key;
  if (old?.h) {
    try {
      const g = gazetteerOf(checkOptions(options), root);
      key = g.key;
      entry = acquire(key, g.input);
      await entry.promise;
    } catch (err) {
      if (entry) release(entry, key);
      if (superseded()) throw detachedError();
      old.failed(err);
      throw err;
    }
    if (superseded()) {
      release(entry, key);
      throw detachedError();
    }
  }
  detach(root);
  try {
    return await attach(root, options);
  } finally {
    if (entry) release(entry, key);
  }
}

/**
 * Stops highlighting `root` and releases what it used (its observer, listeners,
 * panel entry, and the engine when no other root uses it).
 * @param {Node} root
 * @returns {boolean} whether it was highlighted
 */
export function detach(root) {
  const session = sessions.get(root);
  if (!session) return false;
  session.stop();
  return true;
}

/**
 * The Highlight of a root attached by the widget, or null (not yet drawn, or not attached).
 * @param {Node} root
 * @returns {import('sorot').Highlight|null}
 */
export function highlightOf(root) {
  return sessions.get(root)?.h ?? null;
}

/** The sessions not yet stopped (of this copy of the widget). */
const active = new Set();

/** Whether `root` is attached, or inside or around a root that is. */
export function overlapsRoot(root) {
  for (let n = root; n; n = n.parentNode ?? n.host ?? null) if (sessions.has(n)) return true;
  for (const s of active) if (root.contains(s.root)) return true;
  return false;
}

function checkOptions(options) {
  if (options === null || typeof options !== 'object') throw new Error('attach(): options must be an object');
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) throw new Error(`attach(): unknown option ${JSON.stringify(key)}`);
  }
  const out = { ...options };
  out.renderer = out.renderer || 'auto';
  if (!RENDERERS.includes(out.renderer)) throw new Error(`renderer: ${JSON.stringify(out.renderer)} is not one of "auto", "highlight-api", "mark"`);
  out.overlap = out.overlap || 'longest';
  if (!OVERLAPS.includes(out.overlap)) throw new Error(`overlap: ${JSON.stringify(out.overlap)} is not one of "longest", "all"`);
  if (typeof out.types === 'string') out.types = out.types.split(/[\s,]+/).filter(Boolean);
  if (out.types !== undefined && (!Array.isArray(out.types) || out.types.some((t) => typeof t !== 'string'))) {
    throw new Error('types: must be a list of type keys, such as "PER, LOC"');
  }
  if (out.types?.length === 0) out.types = undefined;
  out.panel = Boolean(out.panel);
  out.cards = out.cards ?? true;
  if (out.lang === '') out.lang = undefined;
  return out;
}

// One engine per gazetteer, shared by the roots that use it, freed a moment after
// the last one leaves (a preview that is rebuilt, a root a framework replaces,
// finds it still there).
const engines = new Map(); // key → {promise, refs, timer}
const ENGINE_GRACE_MS = 2000;

function gazetteerOf(settings, root) {
  const g = settings.gazetteer;
  if (g === undefined || g === null || g === '') {
    const url = new URL(WIDGET_ASSETS.gazetteer, assetBase).href;
    return { key: url, input: { url } };
  }
  if (typeof g === 'string' || g instanceof URL) {
    const doc = root.ownerDocument ?? root;
    let url;
    try {
      url = new URL(String(g), doc.baseURI).href;
    } catch {
      throw new Error(`gazetteer: ${JSON.stringify(String(g))} is not a URL`);
    }
    return { key: url, input: { url } };
  }
  return { key: g, input: g };
}

async function loadHighlighter(input) {
  // A text gazetteer is compiled once and kept in the page's IndexedDB.
  const options = { gazetteer: input, assets: assetBase, cache: true };
  try {
    // The Worker script is the bundled worker.js next to the widget; where the
    // browser has Trusted Types it is started through the library's policy.
    return await createHighlighter({ ...options, worker: true, trustedTypes: typeof globalThis.trustedTypes?.createPolicy === 'function' });
  } catch (err) {
    // No Worker here (none in this browser, a CSP or Trusted Types rule): the engine in the page.
    if (/^(worker|engine): /.test(err?.message ?? '')) return createHighlighter(options);
    throw err;
  }
}

function acquire(key, input) {
  let entry = engines.get(key);
  if (!entry) {
    entry = { refs: 0, promise: loadHighlighter(input) };
    const own = entry;
    engines.set(key, entry);
    entry.promise.catch(() => { if (engines.get(key) === own) engines.delete(key); });
  }
  entry.refs += 1;
  clearTimeout(entry.timer);
  return entry;
}

function release(entry, key) {
  entry.refs -= 1;
  if (entry.refs > 0) return;
  entry.timer = setTimeout(() => {
    if (entry.refs > 0) return;
    if (engines.get(key) === entry) engines.delete(key);
    entry.promise.then((hl) => hl.free(), () => {});
  }, ENGINE_GRACE_MS);
}

/** What renders the root, if a framework does: its name, or null. */
export function frameworkOf(root) {
  const MARKERS = [
    [/^(__reactFiber\$|__reactContainer\$|__reactProps\$|_reactRootContainer$)/, 'React'],
    [/^(__vue_app__|__vnode|__vueParentComponent|__vue__)$/, 'Vue'],
    [/^(__k|__P)$/, 'Preact'],
    [/^__ngContext__$/, 'Angular'],
    [/^_\$litPart\$$/, 'Lit'],
    [/^__svelte_meta$/, 'Svelte'],
  ];
  const of = (node) => {
    for (const key of Object.keys(node)) for (const [re, name] of MARKERS) if (re.test(key)) return name;
    return null;
  };
  for (let n = root; n; n = n.parentNode ?? n.host ?? null) {
    const found = of(n);
    if (found) return found;
  }
  const doc = root.ownerDocument ?? root;
  const walker = doc.createTreeWalker(root, 1);
  for (let i = 0; i < 500 && walker.nextNode(); i++) {
    const found = of(walker.currentNode);
    if (found) return found;
  }
  return null;
}

/** Whether `node` is still in a document that is shown (its frames still in theirs). */
function present(node) {
  for (let n = node; n;) {
    const doc = n.nodeType === 9 ? n : n.ownerDocument;
    if (n.nodeType !== 9 && !n.isConnected) return false;
    const view = doc?.defaultView;
    if (!view) return false;
    let frame = null;
    try {
      frame = view.frameElement;
    } catch {
      return true; // a cross-origin parent: as far as we can see
    }
    if (!frame) return true;
    n = frame;
  }
  return false;
}

// Each document a root is in (and those of its frames up to the top) is watched
// for removals; a session whose root is no longer present stops.
const watched = new Map(); // Document → {observer, sessions}

function watchPresence(session) {
  const docs = [];
  for (let n = session.root; n;) {
    const doc = n.nodeType === 9 ? n : n.ownerDocument;
    if (!doc?.defaultView) break;
    docs.push(doc);
    let frame = null;
    try {
      frame = doc.defaultView.frameElement;
    } catch {
      frame = null;
    }
    n = frame;
  }
  for (const doc of docs) {
    let w = watched.get(doc);
    if (!w) {
      const observer = new doc.defaultView.MutationObserver((records) => {
        if (!records.some((r) => r.removedNodes.length > 0)) return;
        for (const s of [...w.sessions]) if (!present(s.root)) s.stop();
      });
      observer.observe(doc, { childList: true, subtree: true });
      w = { observer, sessions: new Set() };
      watched.set(doc, w);
    }
    w.sessions.add(session);
  }
  return () => {
    for (const doc of docs) {
      const w = watched.get(doc);
      if (!w) continue;
      w.sessions.delete(session);
      if (w.sessions.size === 0) {
        w.observer.disconnect();
        watched.delete(doc);
      }
    }
  };
}

/** The rejection of an attach() whose root was detached before it was drawn (named `AbortError`). */
function detachedError() {
  const err = new Error('attach(): the root was detached before it was highlighted');
  err.name = 'AbortError';
  return err;
}

/** panel.js, once a root asks for the panel. */
let panelModule = null;

/** One attached root. */
class Session {
  /** @type {import('sorot').Highlight|null} */
  h = null;
  /** @type {import('sorot').Highlighter|null} */
  hl = null;
  stopped = false;
  /** @type {string[]} what went wrong, for the panel */
  errors = [];
  /** @type {string[]} notes for the panel (a renderer that could not be used) */
  notes = [];
  #engine = null;
  #key = null;
  #unwatch = null;
  #panel = null;
  #pagehide = null;

  constructor(root, settings) {
    this.root = root;
    this.settings = settings;
    this.doc = root.ownerDocument ?? root;
  }

  /** The types shown (all when the option is not given). */
  shown(type) {
    return !this.settings.types || this.settings.types.includes(type);
  }

  async start() {
    const { settings, root } = this;
    if (settings.panel) {
      // The panel's code is loaded only for a page that shows it (alongside the engine).
      // One promise for all: the roots join the panel in the order they were attached.
      panelModule ??= import('./panel.js');
      panelModule.then(({ Panel }) => {
        if (this.stopped) return;
        this.#panel = Panel.for(this.doc);
        this.#panel.add(this);
      }, (err) => console.error(`sorot widget: the panel cannot be loaded: ${err.message}`));
    }
    this.#unwatch = watchPresence(this);
    const view = this.doc.defaultView;
    this.#pagehide = () => this.stop();
    view?.addEventListener('pagehide', this.#pagehide);
    try {
      const renderer = this.#renderer(settings.renderer);
      const { key, input } = gazetteerOf(settings, root);
      this.#key = key;
      this.#engine = acquire(key, input);
      const hl = await this.#engine.promise;
      if (this.stopped) throw detachedError();
      this.hl = hl;
      if (hl.entityCount === 0) this.#note(`${typeof key === 'string' ? `${key}: ` : ''}the gazetteer has no entities (nothing to highlight)`);
      const h = await hl.highlight(root, {
        observe: true, renderer, overlap: settings.overlap, lang: settings.lang, cards: settings.cards,
        onUpdate: () => this.#updated(),
      });
      if (this.stopped) {
        h.remove();
        throw detachedError();
      }
      this.h = h;
      for (const type of Object.keys(hl.types)) if (!this.shown(type)) h.setTypeVisible(type, false);
      this.#updated();
      return h;
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      if (!this.stopped) {
        // The root stays attached (and its panel shows why) until it is detached or leaves.
        this.errors.push(error.message);
        this.#panel?.update();
        this.#releaseEngine();
      }
      throw error;
    }
  }

  /** The renderer to ask for: never marks on a root a framework renders. */
  #renderer(requested) {
    const view = this.doc.defaultView;
    const highlightApi = Boolean(view?.CSS?.highlights && typeof view.Highlight === 'function');
    const framework = requested === 'highlight-api' && highlightApi ? null : frameworkOf(this.root);
    if (framework) {
      if (!highlightApi) {
        throw new Error(`this browser has no CSS Custom Highlight API, and marks cannot be used on a root that ${framework} renders (it would show stale text): not highlighted`);
      }
      if (requested === 'mark') this.#note(`renderer "mark": marks cannot be used on a root that ${framework} renders (it keeps writing to the text that marks replace); the Highlight API is used instead`);
      return 'highlight-api';
    }
    if (!highlightApi) return 'mark';
    return requested;
  }

  /** A change of options whose gazetteer did not load: this root stays as it was, and its panel says why. */
  failed(error) {
    this.errors.push(error.message);
    this.#panel?.update();
  }

  #note(message) {
    console.warn(`sorot widget: ${message}`);
    this.notes.push(message);
    this.#panel?.update();
  }

  #updated() {
    const h = this.h;
    if (!h || this.stopped) return;
    if (h.renderer === 'mark' && frameworkOf(this.root)) {
      // A framework took over the root after it was attached: start again with the Highlight API.
      const { root, settings } = this;
      this.stop();
      attach(root, { ...settings, renderer: 'mark' }).catch((err) => console.error(`sorot widget: ${err.message}`));
      return;
    }
    const view = this.doc.defaultView;
    if (view) {
      const detail = { matches: h.matches, counts: h.counts };
      this.root.dispatchEvent(new view.CustomEvent('sorot-update', { bubbles: true, composed: true, detail }));
    }
    this.#panel?.update();
  }

  stop() {
    if (this.stopped) return;
    this.stopped = true;
    this.h?.remove();
    this.#releaseEngine();
    this.#unwatch?.();
    this.#unwatch = null;
    this.doc.defaultView?.removeEventListener('pagehide', this.#pagehide);
    this.#panel?.remove(this);
    this.#panel = null;
    active.delete(this);
    if (sessions.get(this.root) === this) sessions.delete(this.root);
  }

  #releaseEngine() {
    if (this.#engine) release(this.#engine, this.#key);
    this.#engine = null;
  }
}
