// sorot: the public JavaScript API.
//
//   import { createHighlighter } from './sorot.js';
//   const hl = await createHighlighter({ gazetteer });
//   await hl.find(text);                 // [{start, end, text, id, type, name, ...}]
//   const h = await hl.highlight(root);  // highlights every entity under root
//   h.remove();                          // puts root back exactly as it was
//   hl.free();
//
// This module ties the others together: collect.js reads the text, the wasm core
// finds the entities, a renderer (render-highlight.js or render-mark.js) draws
// them, interact.js shows the card, observe.js follows changes.

import init, { DocumentCache, Engine } from './pkg/sorot.js';
import { BLOCK_SEPARATOR, TextCollector, locate, OWNER_ATTRIBUTE } from './collect.js';
import { MarkRenderer } from './render-mark.js';
import { HighlightApiRenderer } from './render-highlight.js';
import { Interaction } from './interact.js';
import { Watcher } from './observe.js';

/** URL of the default gazetteer (people, places and organisations in Indonesian and English news). */
export const DEFAULT_GAZETTEER_URL = new URL('./pkg/default-gazetteer.json', import.meta.url).href;

const REASONS = ['only', 'mentioned', 'priority', 'order'];

let wasmReady = null;
function loadWasm() {
  wasmReady ??= init({ module_or_path: new URL('./pkg/sorot_bg.wasm', import.meta.url) });
  return wasmReady;
}

/**
 * A gazetteer as accepted by {@link createHighlighter}: an object in the JSON format,
 * JSON or TSV text, `{url}` to fetch one, or an array of these, merged in order.
 * @typedef {object|string|{url: string}|Array<object|string|{url: string}>} GazetteerInput
 */

/**
 * One entity mention.
 * @typedef {object} Match
 * @property {number} start UTF-16 code unit offset (inclusive) in the text
 * @property {number} end UTF-16 code unit offset (exclusive)
 * @property {string} text the text as it stands in the document
 * @property {string} id entity id
 * @property {string} type entity type key (`PER`, `LOC`, `ORG`, ...)
 * @property {string} name the entity's canonical name
 * @property {'only'|'mentioned'|'priority'|'order'} reason why this entity was chosen
 * @property {boolean} short whether the mention is a short form ("Lavrov")
 * @property {string[]} candidates ids of every entity this form could name, the chosen first
 */

/**
 * Options of {@link Highlighter#highlight}.
 * @typedef {object} HighlightOptions
 * @property {'auto'|'highlight-api'|'mark'} [renderer] how highlights are drawn:
 *   `highlight-api` (the CSS Custom Highlight API: the page's DOM is not changed),
 *   `mark` (`<mark>` elements), or `auto` (default: the Highlight API where the
 *   browser has it, marks otherwise)
 * @property {boolean} [cards] show the entity card on hover (default true)
 * @property {boolean} [keyboard] keyboard access (default false: the page's Tab
 *   order and keys are left alone). When on, Alt+ArrowDown / Alt+ArrowUp move to
 *   the next / previous entity and show its card, Escape hides it; marks are also
 *   focusable with Tab
 * @property {'longest'|'all'} [overlap] `all` also highlights nested and
 *   overlapping matches (default `longest`)
 * @property {string|string[]} [exclude] CSS selectors of elements never to highlight,
 *   on top of scripts, styles, form fields and editable regions
 * @property {boolean} [observe] keep highlighting what the page adds or changes
 *   under the root (default false); {@link Highlight#remove} stops it
 * @property {boolean} [frames] also highlight inside same-origin iframes (default false)
 * @property {(highlight: Highlight) => void} [onUpdate] with `observe`, called after
 *   each batch of changes has been highlighted
 */

const RENDERERS = { 'highlight-api': HighlightApiRenderer, mark: MarkRenderer };
const DEFAULTS = { renderer: 'auto', cards: true, keyboard: false, overlap: 'longest', exclude: '', observe: false, frames: false };
const OPTION_KEYS = new Set([...Object.keys(DEFAULTS), 'onUpdate']);

/**
 * Loads the WebAssembly module and compiles the gazetteer.
 * @param {object} [options]
 * @param {GazetteerInput} [options.gazetteer] default: the default gazetteer
 * @param {string} [options.prefix] class and data-attribute prefix (default `sorot`);
 *   give each highlighter on a page its own
 * @param {boolean} [options.cards] default for {@link HighlightOptions}.cards
 * @param {boolean} [options.keyboard] default for {@link HighlightOptions}.keyboard
 * @param {'auto'|'highlight-api'|'mark'} [options.renderer] default for {@link HighlightOptions}.renderer
 * @returns {Promise<Highlighter>} rejects with an Error that says what is wrong with
 *   the gazetteer and where
 */
export async function createHighlighter(options = {}) {
  const prefix = options.prefix ?? 'sorot';
  if (typeof prefix !== 'string' || !/^[a-z][a-z0-9-]{0,31}$/.test(prefix)) {
    throw new Error(`prefix ${JSON.stringify(prefix)} must be lower-case letters, digits and "-", starting with a letter`);
  }
  const defaults = checkOptions(DEFAULTS,
    definedOnly({ cards: options.cards, keyboard: options.keyboard, renderer: options.renderer }), 'createHighlighter()');
  const [sources] = await Promise.all([gazetteerSources(options.gazetteer), loadWasm()]);
  let engine;
  try {
    engine = new Engine(sources.map((s) => s.text), sources.map((s) => s.origin));
  } catch (err) {
    throw asError(err);
  }
  // The browser compiles each wasm function on its first call: pay that here, in
  // set-up, rather than on the first page highlighted.
  engine.find('Warm up, “Kim Jong Un” di Jakarta-nya.\u2029São Paulo', false);
  return new Highlighter(engine, prefix, defaults);
}

function asError(err) {
  return err instanceof Error ? err : new Error(String(err));
}

async function gazetteerSources(input) {
  const list = input === undefined ? [{ url: DEFAULT_GAZETTEER_URL }] : Array.isArray(input) ? input : [input];
  if (list.length === 0) throw new Error('gazetteer: the list is empty');
  return Promise.all(list.map(async (g, i) => {
    const origin = list.length > 1 ? `gazetteer ${i + 1}` : 'gazetteer';
    if (typeof g === 'string') return { text: g, origin };
    if (g && typeof g === 'object' && typeof g.url === 'string' && !('entities' in g)) {
      let response;
      try {
        response = await fetch(g.url);
      } catch (err) {
        throw new Error(`${g.url}: cannot load the gazetteer: ${err.message}`);
      }
      if (!response.ok) throw new Error(`${g.url}: cannot load the gazetteer: HTTP ${response.status}`);
      return { text: await response.text(), origin: g.url };
    }
    if (g && typeof g === 'object') {
      try {
        return { text: JSON.stringify(g), origin };
      } catch (err) {
        throw new Error(`${origin}: cannot be written as JSON: ${err.message}`);
      }
    }
    throw new Error(`${origin}: expected a gazetteer object, JSON or TSV text, or {url}, not ${g === null ? 'null' : typeof g}`);
  }));
}

let instances = 0;

/** A compiled gazetteer; finds and highlights its entities. */
export class Highlighter {
  #engine;
  #defaults;
  #byId;
  #active = new Set();

  /** @hideconstructor */
  constructor(engine, prefix, defaults) {
    this.#engine = engine;
    const gazetteer = JSON.parse(engine.gazetteerJson());
    /** The entities, in gazetteer order, in the JSON format. */
    this.entities = gazetteer.entities;
    /** The entity types: key → {label, color}. */
    this.types = gazetteer.types;
    /** The gazetteer's name. */
    this.name = gazetteer.name ?? '';
    this.prefix = prefix;
    this.owner = `${prefix}-${++instances}-${Math.random().toString(36).slice(2, 8)}`;
    this.#defaults = defaults;
    this.#byId = new Map(this.entities.map((e) => [e.id, e]));
  }

  #engineOrThrow() {
    if (!this.#engine) throw new Error('this highlighter was freed');
    return this.#engine;
  }

  /** Whether {@link Highlighter#free} was called. */
  get freed() {
    return this.#engine === null;
  }

  #decode(text, raw) {
    const matches = [];
    for (let i = 0; i < raw.length;) {
      const [start, end, entity, flags, n] = raw.subarray(i, i + 5);
      const e = this.entities[entity];
      const candidates = [];
      for (let k = 0; k < n; k++) candidates.push(this.entities[raw[i + 5 + k]].id);
      matches.push({
        start, end, text: text.slice(start, end), id: e.id, type: e.type,
        name: typeof e.name === 'string' ? e.name : e.name.text,
        reason: REASONS[flags & 0xff], short: (flags & 0x100) !== 0, candidates,
      });
      i += 5 + n;
    }
    return matches;
  }

  /**
   * Finds the entities in `text`, one document.
   * @param {string} text
   * @param {{overlap?: 'longest'|'all'}} [options]
   * @returns {Promise<Match[]>} sorted by position
   */
  async find(text, options = {}) {
    if (typeof text !== 'string') throw new Error(`find() takes a string, not ${typeof text}`);
    const engine = this.#engineOrThrow();
    return this.#decode(text, engine.find(text, options.overlap === 'all'));
  }

  /**
   * Highlights every entity in the text under `root` (one document). Highlighting
   * the same root again replaces this highlighter's earlier highlights there.
   * @param {Element|Document|DocumentFragment|ShadowRoot} root
   * @param {HighlightOptions} [options]
   * @returns {Promise<Highlight>} rejects with an Error on a bad root or option
   */
  async highlight(root, options = {}) {
    this.#engineOrThrow();
    if (!root || typeof root.nodeType !== 'number'
      || ![Node.ELEMENT_NODE, Node.DOCUMENT_NODE, Node.DOCUMENT_FRAGMENT_NODE].includes(root.nodeType)) {
      throw new Error('highlight() takes an Element, Document, DocumentFragment or ShadowRoot');
    }
    if (options === null || typeof options !== 'object') throw new Error('highlight(): options must be an object');
    const settings = checkOptions(this.#defaults, definedOnly(options), 'highlight()');
    const doc = root.ownerDocument ?? root;
    if (settings.renderer === 'auto') {
      settings.renderer = HighlightApiRenderer.supported(doc) ? 'highlight-api' : 'mark';
    } else if (settings.renderer === 'highlight-api' && !HighlightApiRenderer.supported(doc)) {
      throw new Error('renderer "highlight-api": this browser has no CSS Custom Highlight API (use "auto" or "mark")');
    }
    if (settings.observe && !doc.defaultView) throw new Error('observe: the root is in a document without a window');
    if (settings.exclude !== '') {
      try {
        doc.createDocumentFragment().querySelector(settings.exclude);
      } catch {
        throw new Error(`exclude: ${JSON.stringify(settings.exclude)} is not a valid CSS selector list`);
      }
    }
    for (const h of [...this.#active]) {
      if (h.root === root || h.root.contains(root) || root.contains(h.root)) h.remove();
    }
    const all = settings.overlap === 'all';
    // A page that changes is matched block by block: the engine scans again only the
    // blocks whose text it has not seen (document-wide rules still apply to all).
    const cache = settings.observe ? new DocumentCache() : null;
    const find = cache
      ? (text) => this.#decode(text, this.#engineOrThrow().findBlocks(cache, text.split(BLOCK_SEPARATOR), all))
      : (text) => this.#decode(text, this.#engineOrThrow().find(text, all));
    const handle = new Highlight(this, root, settings, find, () => {
      this.#active.delete(handle);
      cache?.free();
    }, cache);
    this.#active.add(handle);
    return handle;
  }

  /**
   * The card text for a match: name, type, description, link, and why.
   * @param {Match} match
   * @returns {import('./card.js').CardInfo}
   */
  cardInfo(match) {
    const e = this.#byId.get(match.id);
    const type = this.types[match.type] ?? { label: match.type, color: '#dddddd' };
    const notes = [];
    if (match.short) notes.push('Short form: the full name appears in this document.');
    if (match.candidates.length > 1) {
      const others = match.candidates.slice(1).map((id) => {
        const o = this.#byId.get(id);
        return o ? (typeof o.name === 'string' ? o.name : o.name.text) : id;
      });
      const why = {
        mentioned: 'it is named unambiguously elsewhere in the document',
        priority: 'it has the higher priority',
        order: 'it comes first in the gazetteer',
      }[match.reason] ?? '';
      notes.push(`Could also be: ${others.join(', ')}${why ? `; chosen because ${why}` : ''}.`);
    }
    return {
      name: match.name,
      typeLabel: type.label,
      color: type.color,
      description: e?.description,
      url: e?.url,
      note: notes.join(' '),
    };
  }

  /** Releases the WebAssembly memory. Highlights already made stay until removed (and stop following changes). */
  free() {
    this.#engine?.free();
    this.#engine = null;
  }
}

function definedOnly(options) {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}

/** `defaults` with `given` applied, each checked; throws an Error naming the bad option. */
function checkOptions(defaults, given, where) {
  for (const key of Object.keys(given)) {
    if (!OPTION_KEYS.has(key)) throw new Error(`${where}: unknown option ${JSON.stringify(key)}`);
  }
  const out = { ...defaults, ...given };
  const oneOf = (key, allowed) => {
    if (!allowed.includes(out[key])) {
      throw new Error(`${key}: ${JSON.stringify(out[key])} is not one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
    }
  };
  oneOf('renderer', ['auto', ...Object.keys(RENDERERS)]);
  oneOf('overlap', ['longest', 'all']);
  for (const key of ['cards', 'keyboard', 'observe', 'frames']) {
    if (typeof out[key] !== 'boolean') throw new Error(`${key}: must be true or false, not ${JSON.stringify(out[key])}`);
  }
  if (Array.isArray(out.exclude)) out.exclude = out.exclude.join(', ');
  if (typeof out.exclude !== 'string') throw new Error('exclude: must be a CSS selector string or an array of them');
  if (out.onUpdate !== undefined && typeof out.onUpdate !== 'function') throw new Error('onUpdate: must be a function');
  return out;
}

/** A number per Text node, for the keys of drawn items. */
const nodeIds = new WeakMap();
let nextNodeId = 0;
function nodeId(node) {
  let id = nodeIds.get(node);
  if (id === undefined) nodeIds.set(node, (id = nextNodeId++));
  return id;
}

/** For each match, how many other matches contain it (only `overlap: 'all'` nests). */
function nestingDepths(matches) {
  const depths = new Array(matches.length).fill(0);
  const order = matches.map((_, i) => i)
    .sort((a, b) => matches[a].start - matches[b].start || matches[b].end - matches[a].end || a - b);
  const open = [];
  for (const i of order) {
    const m = matches[i];
    while (open.length > 0 && matches[open[open.length - 1]].end <= m.start) open.pop();
    depths[i] = open.filter((j) => matches[j].end >= m.end).length;
    open.push(i);
    open.sort((a, b) => matches[b].end - matches[a].end);
  }
  return depths;
}

/** Times a page may undo the highlights of one block, each right after they were drawn, before that block is left alone. */
const MAX_FIGHTS = 3;
const FIGHT_WINDOW_MS = 500;

/** The highlights made by one {@link Highlighter#highlight} call. */
export class Highlight {
  #settings;
  #find;
  #highlighter;
  #cache;
  #collector;
  #renderer;
  #interaction;
  #watcher = null;
  #onRemove;
  #items = [];
  #serial = 0;
  #fights = new WeakMap(); // block → {count, at}
  #removed = false;

  /** @hideconstructor */
  constructor(highlighter, root, settings, find, onRemove, cache = null) {
    /** The highlighted root. */
    this.root = root;
    /** The renderer in use: `highlight-api` or `mark`. */
    this.renderer = settings.renderer;
    /**
     * The matches in document order, each with its `ranges` (live Ranges over its
     * text) and `elements` (its marks; none with the Highlight API). With
     * `observe`, a new array after each change.
     * @type {Match[]}
     */
    this.matches = [];
    /**
     * With `observe`: after each update, `{blocks, scanned}`: the document's distinct
     * blocks, and how many of them had to be matched again (the others were known).
     * @type {{blocks: number, scanned: number} | undefined}
     */
    this.lastUpdate = undefined;
    this.#settings = settings;
    this.#find = find;
    this.#highlighter = highlighter;
    this.#cache = cache;
    this.#onRemove = onRemove;
    this.#collector = new TextCollector(root, { exclude: settings.exclude, frames: settings.frames, cache: settings.observe });
    this.#renderer = new RENDERERS[settings.renderer]({
      owner: highlighter.owner, prefix: highlighter.prefix, keyboard: settings.keyboard, types: highlighter.types,
    });
    this.#interaction = new Interaction({
      renderer: this.#renderer,
      owner: highlighter.owner,
      items: () => this.#items,
      info: (item) => highlighter.cardInfo(item.match),
      cards: settings.cards,
      keyboard: settings.keyboard,
    });
    const doc = root.ownerDocument ?? root;
    this.#interaction.watch(doc);
    const collected = this.#update(null);
    if (settings.observe) {
      this.#watcher = new Watcher(doc.defaultView, (records) => this.#onMutations(records), ownCardChange);
      this.#watcher.observe(root);
    }
    this.#follow(collected.scopes);
  }

  /** Number of matches per entity type. */
  get counts() {
    const counts = {};
    for (const m of this.matches) counts[m.type] = (counts[m.type] ?? 0) + 1;
    return counts;
  }

  /**
   * Shows or hides the highlights of one entity type.
   * @param {string} type
   * @param {boolean} visible
   */
  setTypeVisible(type, visible) {
    if (typeof type !== 'string') throw new Error(`setTypeVisible() takes a type key, not ${typeof type}`);
    this.#renderer.setTypeVisible(type, Boolean(visible));
    if (!visible) this.#interaction.hideType(type);
  }

  /**
   * The match drawn by this element (a mark), or null.
   * @param {Element} element
   * @returns {Match|null}
   */
  matchOf(element) {
    return this.#renderer.itemOfElement(element)?.match ?? null;
  }

  /** Removes the highlights, stops observing, and puts the page back exactly as it was. */
  remove() {
    if (this.#removed) return;
    this.#removed = true;
    this.#watcher?.disconnect();
    this.#interaction.destroy();
    this.#renderer.remove();
    this.#onRemove();
  }

  /** Observes and listens in the shadow roots and frames found by a walk. */
  #follow(scopes) {
    for (const scope of scopes) {
      this.#watcher?.observe(scope);
      if (scope.nodeType === Node.DOCUMENT_NODE) this.#interaction.watch(scope);
    }
  }

  /**
   * Collects the text again (only the blocks in `chain` are walked; the others
   * come from the collector's cache), finds the entities in the whole document
   * and draws what changed.
   */
  #update(chain) {
    const renderer = this.#renderer;
    let released = [];
    if (chain) {
      // The renderer's own nodes go before the changed blocks are walked again.
      released = this.#items.filter((item) => chain.has(item.owner));
      renderer.unrender(released);
      this.#watcher?.discard();
    }
    const releasedSet = new Set(released);
    const collected = this.#collector.collect();
    const matches = this.#find(collected.text);
    const depths = nestingDepths(matches);
    const old = new Map();
    for (const item of this.#items) if (!releasedSet.has(item)) old.set(item.key, item);
    const next = [];
    const added = [];
    matches.forEach((match, i) => {
      const segments = locate(collected, match.start, match.end);
      if (segments.length === 0) return;
      const owner = collected.owners[segments[0].index];
      const key = `${segments.map((s) => `${nodeId(s.node)}:${s.start}:${s.end}`).join(',')}|${match.id}|${depths[i]}`;
      let item = old.get(key);
      if (item) {
        old.delete(key);
        Object.assign(item.match, match);
        item.segments = segments;
        item.owner = owner;
      } else {
        item = { match, serial: this.#serial++, segments, owner, depth: depths[i], key };
        added.push(item);
      }
      next.push(item);
    });
    const gone = [...old.values()];
    renderer.unrender(gone);
    renderer.render(added.filter((item) => (this.#fights.get(item.owner)?.count ?? 0) < MAX_FIGHTS));
    this.#watcher?.discard();
    this.#items = next;
    for (const item of next) {
      const drawn = renderer.drawing(item);
      item.match.elements = drawn.elements;
      item.match.ranges = drawn.ranges;
    }
    this.matches = next.map((item) => item.match);
    if (this.#cache) this.lastUpdate = { blocks: this.#cache.size, scanned: this.#cache.scanned };
    if (gone.length > 0 || released.length > 0) this.#interaction.forget(new Set([...gone, ...released]));
    return collected;
  }

  #onMutations(records) {
    if (this.#removed) return;
    if (this.#highlighter.freed) {
      this.#watcher.disconnect(); // the highlights stay as they are
      return;
    }
    const changed = [];
    const fought = new Set();
    for (const r of records) {
      changed.push(r.target);
      for (const n of r.addedNodes) changed.push(n);
      // The page changed the renderer's own nodes (a mark, a piece of text).
      for (const n of [r.target, ...r.removedNodes]) {
        for (const item of this.#renderer.itemsOf(n)) fought.add(item.owner);
      }
    }
    const now = performance.now();
    for (const block of fought) {
      const last = this.#fights.get(block);
      const count = last && now - last.at < FIGHT_WINDOW_MS ? last.count + 1 : 1;
      this.#fights.set(block, { count, at: now });
    }
    const collected = this.#update(this.#collector.invalidate(changed));
    this.#follow(collected.scopes);
    this.#settings.onUpdate?.(this);
  }
}

/** Whether a mutation only added or removed a highlighter's card (never a change to the page). */
function ownCardChange(record) {
  if (record.type !== 'childList') return false;
  const nodes = [...record.addedNodes, ...record.removedNodes];
  return nodes.length > 0 && nodes.every((n) => n.nodeType === Node.ELEMENT_NODE
    && n.hasAttribute(OWNER_ATTRIBUTE) && n.localName !== 'mark');
}
