// sorot: the public JavaScript API.
//
//   import { createHighlighter } from './sorot.js';
//   const hl = await createHighlighter({ gazetteer });
//   await hl.find(text);                 // [{start, end, text, id, type, name, ...}]
//   const h = await hl.highlight(root);  // marks every entity under root
//   h.remove();                          // puts root back exactly as it was
//   hl.free();

import init, { Engine } from './pkg/sorot.js';
import { collectText, locate, OWNER_ATTRIBUTE } from './collect.js';
import { MarkRenderer } from './render-mark.js';
import { Card } from './card.js';

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
 * @property {'mark'} [renderer] how highlights are drawn (default `mark`)
 * @property {boolean} [cards] show the entity card on hover and focus (default true)
 * @property {boolean} [keyboard] make highlights focusable (default false: the page's
 *   Tab order and shortcuts are left alone)
 * @property {'longest'|'all'} [overlap] `all` also marks nested and overlapping matches
 * @property {string} [exclude] CSS selectors of elements never to highlight
 */

/**
 * Loads the WebAssembly module and compiles the gazetteer.
 * @param {object} [options]
 * @param {GazetteerInput} [options.gazetteer] default: the default gazetteer
 * @param {string} [options.prefix] class and data-attribute prefix (default `sorot`);
 *   give each highlighter on a page its own
 * @param {boolean} [options.cards] default for {@link HighlightOptions}.cards
 * @param {boolean} [options.keyboard] default for {@link HighlightOptions}.keyboard
 * @returns {Promise<Highlighter>} rejects with an Error that says what is wrong with
 *   the gazetteer and where
 */
export async function createHighlighter(options = {}) {
  const prefix = options.prefix ?? 'sorot';
  if (typeof prefix !== 'string' || !/^[a-z][a-z0-9-]{0,31}$/.test(prefix)) {
    throw new Error(`prefix ${JSON.stringify(prefix)} must be lower-case letters, digits and "-", starting with a letter`);
  }
  const [sources] = await Promise.all([gazetteerSources(options.gazetteer), loadWasm()]);
  let engine;
  try {
    engine = new Engine(sources.map((s) => s.text), sources.map((s) => s.origin));
  } catch (err) {
    throw asError(err);
  }
  return new Highlighter(engine, prefix, options);
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
  #active = new Set();

  /** @hideconstructor */
  constructor(engine, prefix, options) {
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
    this.#defaults = { cards: options.cards ?? true, keyboard: options.keyboard ?? false };
  }

  #engineOrThrow() {
    if (!this.#engine) throw new Error('this highlighter was freed');
    return this.#engine;
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
   * @param {Element|Document|DocumentFragment} root
   * @param {HighlightOptions} [options]
   * @returns {Promise<Highlight>}
   */
  async highlight(root, options = {}) {
    const engine = this.#engineOrThrow();
    if (!root || typeof root.nodeType !== 'number') throw new Error('highlight() takes a DOM node');
    const renderer = options.renderer ?? 'mark';
    if (renderer !== 'mark') throw new Error(`unknown renderer ${JSON.stringify(renderer)} (use "mark")`);
    if (options.exclude) {
      try {
        document.createDocumentFragment().querySelector(options.exclude);
      } catch {
        throw new Error(`exclude: ${JSON.stringify(options.exclude)} is not a valid CSS selector`);
      }
    }
    for (const h of [...this.#active]) {
      if (h.root === root || h.root.contains(root) || root.contains(h.root)) h.remove();
    }
    const collected = collectText(root, { exclude: options.exclude ?? '' });
    const matches = this.#decode(collected.text, engine.find(collected.text, options.overlap === 'all'));
    const items = matches.map((match, index) => ({ match, index, segments: locate(collected, match.start, match.end) }));
    const doc = root.ownerDocument ?? root;
    const settings = { ...this.#defaults, ...definedOnly(options) };
    const markRenderer = new MarkRenderer({ owner: this.owner, prefix: this.prefix, keyboard: settings.keyboard });
    markRenderer.installStyles(doc, this.types);
    const drawn = markRenderer.render(items);
    matches.forEach((m, i) => {
      m.index = i;
      m.elements = drawn[i].elements;
      m.ranges = drawn[i].ranges;
    });
    const handle = new Highlight(this, root, matches, markRenderer, settings, () => this.#active.delete(handle));
    this.#active.add(handle);
    return handle;
  }

  /** The card text for a match: name, type, description, link, and why. */
  cardInfo(match) {
    const e = this.entities.find((x) => x.id === match.id);
    const type = this.types[match.type] ?? { label: match.type, color: '#dddddd' };
    const notes = [];
    if (match.short) notes.push('Short form: the full name appears in this document.');
    if (match.candidates.length > 1) {
      const others = match.candidates.slice(1).map((id) => {
        const o = this.entities.find((x) => x.id === id);
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

  /** Releases the WebAssembly memory. Highlights already made stay until removed. */
  free() {
    this.#engine?.free();
    this.#engine = null;
  }
}

function definedOnly(options) {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}

/** The highlights made by one {@link Highlighter#highlight} call. */
export class Highlight {
  #renderer;
  #unbind;
  #onRemove;

  /** @hideconstructor */
  constructor(highlighter, root, matches, renderer, settings, onRemove) {
    /** The highlighted root. */
    this.root = root;
    /** The matches in document order, each with its `elements` (marks) and `ranges`. */
    this.matches = matches;
    this.#renderer = renderer;
    this.#onRemove = onRemove;
    this.#unbind = settings.cards ? bindCard(highlighter, this, settings.keyboard) : () => {};
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
    this.#renderer.setTypeVisible(type, visible);
  }

  /** The match drawn by this element (a mark), or null. */
  matchOf(element) {
    const i = element?.getAttribute?.(`data-${this.#renderer.prefix}-match`);
    return element?.getAttribute?.(OWNER_ATTRIBUTE) === this.#renderer.owner && i !== null ? this.matches[Number(i)] : null;
  }

  /** Removes the highlights and puts the page back exactly as it was. */
  remove() {
    this.#unbind();
    this.#renderer.remove();
    this.#onRemove();
  }
}

/** Shows the entity card on hover (and keyboard focus) over the highlight's marks. */
function bindCard(highlighter, highlight, keyboard) {
  const root = highlight.root;
  const doc = root.ownerDocument ?? root;
  const card = new Card(doc, highlighter.owner);
  let hideTimer = 0;
  let shownFor = null;
  const selector = `mark[${OWNER_ATTRIBUTE}="${highlighter.owner}"]`;
  const markOf = (target) => (target instanceof Element ? target.closest(selector) : null);
  const show = (mark, x, y) => {
    clearTimeout(hideTimer);
    const match = highlight.matchOf(mark);
    if (!match) return;
    const rects = [...mark.getClientRects()];
    const rect = rects.find((r) => x >= r.left && x <= r.right && y >= r.top && y <= r.bottom) ?? rects[0] ?? mark.getBoundingClientRect();
    shownFor = mark;
    card.show(rect, highlighter.cardInfo(match));
  };
  const hideSoon = () => {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(() => { card.hide(); shownFor = null; }, 200);
  };
  const listeners = [
    [root, 'mouseover', (e) => { const m = markOf(e.target); if (m && m !== shownFor) show(m, e.clientX, e.clientY); else if (m) clearTimeout(hideTimer); }],
    [root, 'mouseout', (e) => { if (markOf(e.target) && !card.contains(e.relatedTarget) && markOf(e.relatedTarget) !== shownFor) hideSoon(); }],
    [card.host, 'mouseenter', () => clearTimeout(hideTimer)],
    [card.host, 'mouseleave', hideSoon],
  ];
  if (keyboard) {
    listeners.push(
      [root, 'focusin', (e) => { const m = markOf(e.target); if (m) { const r = m.getBoundingClientRect(); show(m, r.left, r.top); } }],
      [root, 'focusout', (e) => { if (markOf(e.target) && !card.contains(e.relatedTarget)) hideSoon(); }],
      [doc, 'keydown', (e) => { if (e.key === 'Escape' && card.visible) { card.hide(); shownFor = null; } }],
    );
  }
  for (const [target, type, fn] of listeners) target.addEventListener(type, fn);
  return () => {
    clearTimeout(hideTimer);
    for (const [target, type, fn] of listeners) target.removeEventListener(type, fn);
    card.destroy();
  };
}
