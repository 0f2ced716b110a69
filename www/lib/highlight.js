// The Highlight handle: what one `highlight(root)` call made, kept up to date with
// `observe`, and taken away by remove().
//
// An update reads the text under the root (collect.js), asks the engine (which
// may answer later: a Worker, a service worker), and draws what changed. An
// answer that arrives after the page changed again is dropped, never drawn: its
// offsets may point into text that is gone, and a newer update is on its way.

import { TextCollector, locator, OWNER_ATTRIBUTE } from './collect.js';
import { Interaction } from './interact.js';
import { Watcher } from './observe.js';
import { RENDERERS } from './renderer.js';
import { MAX_SLICE_MS, SLICE_MS, yieldToPage } from './slices.js';
import { readerLanguage } from './lang.js';

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

/** On a drawn match: the renderer and the item it was drawn as (see {@link defineDrawn}). */
const RENDERER = Symbol('sorot.renderer');
const ITEM = Symbol('sorot.item');
/** The getters of `match.ranges` and `match.elements`, the same functions for every match. */
const RANGES = {
  get() { return this[RENDERER].drawing(this[ITEM]).ranges; },
  enumerable: true,
  configurable: true,
};
const ELEMENTS = {
  get() { return this[RENDERER].drawing(this[ITEM]).elements; },
  enumerable: true,
  configurable: true,
};

/**
 * `match.ranges` and `match.elements`, made from the renderer when first read.
 * The match holds its item and renderer itself: a module-wide WeakMap from matches
 * to items would keep a table as large as the most matches made between two
 * garbage collections (768 KB after 1,000 highlight()/remove() cycles of the
 * sample article). The getters are shared: a getter made for each match puts each
 * match in V8's dictionary mode (1 KB a match, 87,000 matches on a page of 100,000
 * text nodes: minor garbage collections of 30 to 50 ms while drawing).
 */
function defineDrawn(match, item, renderer) {
  Object.defineProperty(match, RENDERER, { value: renderer, configurable: true });
  Object.defineProperty(match, ITEM, { value: item, configurable: true });
  Object.defineProperty(match, 'ranges', RANGES);
  Object.defineProperty(match, 'elements', ELEMENTS);
}

/**
 * Times a page may take out the highlights of one block without changing its
 * text, each right after they were drawn, before that block is left alone. A
 * block whose text changed is an edit (a framework re-rendering it on every
 * keystroke), never a fight: it is always matched and drawn again.
 */
const MAX_FIGHTS = 3;
const FIGHT_WINDOW_MS = 500;

/** The text of one block (its own Text nodes, not those of blocks inside it) in a collected read. */
function blockText(collected, block) {
  let text = '';
  for (let i = 0; i < collected.owners.length; i++) if (collected.owners[i] === block) text += collected.data[i];
  return text;
}

/**
 * One entity found in a highlighted root, for lists (an extension's popup, a
 * CMS panel): see {@link Highlight#entities}.
 * @typedef {object} EntitySummary
 * @property {string} id
 * @property {string} name the entity's canonical name
 * @property {string} label its title in the reader's language ({@link Highlight#lang})
 * @property {string} type the type key (`PER`, `LOC`, `ORG`, ...)
 * @property {string} typeLabel the type's label in the reader's language
 * @property {number} mentions how many matches name it
 * @property {boolean} ambiguous whether any of those matches could also name another entity
 * @property {string[]} candidates the other entities its ambiguous mentions could name
 * @property {import('./highlighter.js').Match} first its first mention, for {@link Highlight#reveal}
 */

/**
 * What a Highlight is made with (internal).
 * @typedef {object} HighlightContext
 * @property {import('./highlighter.js').Highlighter} highlighter
 * @property {(text: string, blocks: string[]) => Promise<{matches: import('./highlighter.js').Match[],
 *   stats?: {blocks: number, scanned: number}}>} find
 * @property {() => void} onRemove
 */

/** The highlights made by one `Highlighter#highlight` call. */
export class Highlight {
  #settings;
  #context;
  #collector;
  #renderer;
  #interaction;
  #watcher = null;
  /** @type {import('./renderer.js').RenderItem[]} */
  #items = [];
  #serial = 0;
  #fights = new WeakMap(); // block → {count, at}
  /** @type {Map<Node, string>} blocks whose drawn nodes the page changed → their text when drawn */
  #suspects = new Map();
  #drawn = null; // what the last draw collected
  #removed = false;
  #generation = 0;
  #running = null; // the update in flight
  #queued = null; // nodes changed while an update was in flight
  #pageChanged = false;
  #reportedError = false;

  /**
   * @hideconstructor
   * @param {Element|Document|DocumentFragment|ShadowRoot} root
   * @param {ReturnType<typeof import('./options.js').checkOptions>} settings
   * @param {HighlightContext} context
   */
  constructor(root, settings, context) {
    const { highlighter } = context;
    /** The highlighted root. */
    this.root = root;
    /**
     * The renderer in use: `highlight-api` or `mark` (what `auto` chose).
     * @type {'highlight-api'|'mark'}
     */
    this.renderer = /** @type {'highlight-api'|'mark'} */ (settings.renderer);
    /**
     * The matches in document order, each with its `ranges` (live Ranges over its
     * text) and `elements` (its marks; none with the Highlight API). With
     * `observe`, a new array after each change.
     * @type {import('./highlighter.js').Match[]}
     */
    this.matches = [];
    /**
     * With `observe`: after each update, `{blocks, scanned}`: the document's distinct
     * blocks, and how many of them had to be matched again (the others were known).
     * @type {{blocks: number, scanned: number} | undefined}
     */
    this.lastUpdate = undefined;
    /**
     * The reader's language the cards use: the `lang` option, else the nearest
     * `lang` attribute around the root, else `<html lang>`, else the gazetteer's.
     */
    this.lang = readerLanguage(root, settings.lang, highlighter.lang);
    this.#settings = settings;
    this.#context = context;
    this.#collector = new TextCollector(root, { exclude: settings.exclude, frames: settings.frames, cache: settings.observe });
    this.#renderer = new RENDERERS[settings.renderer]({
      owner: highlighter.owner, prefix: highlighter.prefix, keyboard: settings.keyboard, types: highlighter.types,
      staticRanges: settings.observe,
    });
    this.#interaction = new Interaction({
      renderer: this.#renderer,
      owner: highlighter.owner,
      items: () => this.#items,
      info: (item) => highlighter.cardInfo(item.match, this.lang),
      cards: settings.cards,
      keyboard: settings.keyboard,
    });
  }

  /**
   * Draws the first time and starts observing (internal: `Highlighter#highlight` awaits it).
   * @returns {Promise<void>}
   */
  async start() {
    const doc = this.root.ownerDocument ?? this.root;
    this.#interaction.watch(doc);
    if (this.#settings.observe) {
      // Watching starts before the first read, so a change made while the engine
      // answers is not missed.
      this.#watcher = new Watcher(doc.defaultView, (records) => this.#onMutations(records), ownCardChange);
      this.#watcher.observe(this.root);
    }
    const first = this.#update(null);
    this.#running = first;
    try {
      await first;
    } finally {
      this.#running = null;
    }
    this.#next();
  }

  /**
   * The gazetteer's types as this highlight shows them: key → label (in the
   * reader's language) and colour, in gazetteer order.
   * @returns {Record<string, {label: string, color: string}>}
   */
  get types() {
    const { highlighter } = this.#context;
    /** @type {Record<string, {label: string, color: string}>} (null-prototype: a type may be named `constructor`) */
    const out = Object.create(null);
    for (const [key, t] of Object.entries(highlighter.types)) out[key] = { label: highlighter.typeLabel(key, this.lang), color: t.color };
    return out;
  }

  /** Number of matches per entity type. */
  get counts() {
    /** @type {Record<string, number>} (null-prototype: a type may be named `constructor`) */
    const counts = Object.create(null);
    for (const m of this.matches) counts[m.type] = (counts[m.type] ?? 0) + 1;
    return counts;
  }

  /**
   * The entities found, in the order of their first mention.
   * @returns {EntitySummary[]}
   */
  entities() {
    const { highlighter } = this.#context;
    /** @type {Map<string, EntitySummary>} */
    const byId = new Map();
    // Per entity: its candidates so far, and the lists already merged (matches of
    // one form share one list: a form thousands of entities share is merged once).
    /** @type {Map<string, {known: Set<string>, lists: Set<string[]>}>} */
    const merged = new Map();
    for (const m of this.matches) {
      let e = byId.get(m.id);
      if (!e) {
        e = {
          id: m.id, name: m.name, label: highlighter.title(m.id, this.lang), type: m.type,
          typeLabel: highlighter.typeLabel(m.type, this.lang), mentions: 0, ambiguous: false, candidates: [], first: m,
        };
        byId.set(m.id, e);
        merged.set(m.id, { known: new Set([m.id]), lists: new Set() });
      }
      e.mentions += 1;
      if (m.candidates.length > 1) {
        e.ambiguous = true;
        const { known, lists } = /** @type {{known: Set<string>, lists: Set<string[]>}} */ (merged.get(m.id));
        if (lists.has(m.candidates)) continue;
        lists.add(m.candidates);
        for (const c of m.candidates) {
          if (!known.has(c)) {
            known.add(c);
            e.candidates.push(c);
          }
        }
      }
    }
    return [...byId.values()];
  }

  /**
   * Scrolls a match into view and shows its card (with `cards`); it becomes the
   * current one for the keyboard.
   * @param {import('./highlighter.js').Match|EntitySummary} target a match of
   *   {@link Highlight#matches}, or an entity of {@link Highlight#entities} (its first mention)
   * @returns {boolean} false when the match is no longer drawn
   */
  reveal(target) {
    if (this.#removed) return false;
    const match = target && 'first' in target ? target.first : target;
    const item = this.#items.find((i) => i.match === match)
      ?? this.#items.find((i) => match && i.match.start === match.start && i.match.end === match.end && i.match.id === match.id);
    if (!item) return false;
    const drawn = this.#renderer.drawing(item);
    if (drawn.elements.length === 0 && drawn.ranges.length === 0) return false;
    this.#interaction.reveal(item);
    return true;
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
   * @returns {import('./highlighter.js').Match|null}
   */
  matchOf(element) {
    return this.#renderer.itemOfElement(element)?.match ?? null;
  }

  /**
   * Resolves when every change seen so far is drawn (with `observe`; at once otherwise).
   * @returns {Promise<void>}
   */
  async idle() {
    const view = (this.root.ownerDocument ?? this.root).defaultView;
    const wait = () => new Promise((resolve) => {
      if (view?.requestAnimationFrame) view.requestAnimationFrame(() => resolve());
      else setTimeout(resolve, 16);
    });
    while (!this.#removed && (this.#running || this.#queued || this.#watcher?.busy)) {
      await Promise.race([this.#running ?? wait(), wait()]);
    }
  }

  /** Whether {@link Highlight#remove} was called (or the root's highlighter highlighted it again). */
  get removed() {
    return this.#removed;
  }

  /**
   * Removes the highlights, stops observing, and puts the page back exactly as it
   * was (the Highlight API's style sheet stays adopted, inert, for the
   * highlighter's next highlight(), until `free()`).
   */
  remove() {
    if (this.#removed) return;
    this.#removed = true;
    this.#watcher?.disconnect();
    this.#interaction.destroy();
    this.#renderer.remove();
    this.#items = [];
    this.#context.onRemove();
  }

  /** Observes and listens in the shadow roots and frames found by a walk. */
  #follow(scopes) {
    for (const scope of scopes) {
      this.#watcher?.observe(scope);
      if (scope.nodeType === Node.DOCUMENT_NODE) this.#interaction.watch(scope);
    }
  }

  /**
   * Reads the text again (only the blocks around `changed` are walked; the others
   * come from the collector's cache), asks the engine, and draws what changed
   * unless the page changed meanwhile.
   * @param {Set<Node>|null} changed
   */
  async #update(changed) {
    const renderer = this.#renderer;
    const generation = ++this.#generation;
    if (changed) {
      const chain = this.#collector.invalidate(changed);
      // The renderer's own nodes go before the changed blocks are walked again.
      const released = this.#items.filter((item) => chain.has(item.owner));
      if (released.length > 0) {
        renderer.unrender(released);
        this.#watcher?.discard();
        const gone = new Set(released);
        this.#items = this.#items.filter((item) => !gone.has(item));
        this.#interaction.forget(gone);
      }
    }
    this.#pageChanged = false;
    // Work in slices: between them the page responds; an update that a newer change
    // makes stale stops there (the newer one follows).
    let deadline = performance.now() + SLICE_MS;
    const current = () => !this.#removed && generation === this.#generation && !this.#pageChanged;
    const pause = () => {
      if (performance.now() < deadline) return current();
      const left = performance.now();
      return yieldToPage().then(() => {
        // A slice is SLICE_MS, or a quarter of what the page took meanwhile when that
        // was long (capped: MAX_SLICE_MS): on a large page every change of its DOM
        // costs a frame of style and layout (a single <mark> inserted on a page of
        // 100,000 text nodes: a 100 ms frame), and slices of 8 ms between such
        // frames made highlighting it take a minute.
        const now = performance.now();
        deadline = now + Math.min(MAX_SLICE_MS, Math.max(SLICE_MS, (now - left) / 4));
        return current() && !this.#watcher?.takePending();
      });
    };
    const collected = await this.#collector.collect(pause);
    if (!collected) return;
    this.#judgeFights(collected);
    let found;
    try {
      found = await this.#context.find(collected.text, pause);
    } catch (err) {
      if (changed === null) throw err; // highlight() rejects
      this.#reportError(err);
      return;
    }
    if (!found || !current() || this.#watcher?.takePending()) return; // a newer update redraws
    if (!(await this.#draw(collected, found, pause))) return;
    this.#follow(collected.scopes);
    if (changed) this.#settings.onUpdate?.(this);
  }

  /**
   * Draws what changed, in slices (`pause` between them may stop it: then what is
   * drawn so far is kept track of, and the next update draws the rest).
   * @returns {Promise<boolean>} whether it drew everything
   */
  async #draw(collected, { matches, stats }, pause) {
    const renderer = this.#renderer;
    // Only `overlap: 'all'` nests matches.
    const depths = this.#settings.overlap === 'all' ? nestingDepths(matches) : null;
    if (!(await pause())) return false;
    const locate = locator(collected);
    const observing = this.#settings.observe;
    const old = new Map();
    for (const item of this.#items) old.set(item.key, item);
    const next = [];
    const added = [];
    for (let i = 0; i < matches.length; i++) {
      if ((i & 63) === 63 && !(await pause())) return false;
      const match = matches[i];
      const segments = locate(match);
      if (segments.length === 0) continue;
      // Without `observe` nothing tells of a change made while the engine answered:
      // text that changed is not drawn. (A node the mark renderer replaced is out
      // of the page but unchanged: its marks stand for it.)
      if (segments.some((seg) => seg.node.data !== collected.data[seg.index])) continue;
      const owner = collected.owners[segments[0].index];
      const depth = depths ? depths[i] : 0;
      // What finds this drawing again at the next update (only `observe` updates).
      const key = observing ? `${segments.map((seg) => `${nodeId(seg.node)}:${seg.start}:${seg.end}`).join(',')}|${match.id}|${depth}` : null;
      let item = old.get(key);
      if (item) {
        old.delete(key);
        Object.assign(item.match, match);
        item.segments = segments;
        item.owner = owner;
      } else {
        item = { match, serial: this.#serial++, segments, owner, depth, key };
        defineDrawn(match, item, renderer);
        added.push(item);
      }
      next.push(item);
    }
    // How far the unrendering of `gone` and the drawing of `toDraw` went: what is
    // drawn when an update stops half way (counts, not a Set of 87,000 items kept
    // while drawing a large page).
    const gone = [...old.values()];
    let undrawn = 0;
    let drew = 0;
    const slices = async (list, fn) => {
      for (let at = 0; at < list.length;) {
        const end = Math.min(list.length, at + 256);
        fn(list.slice(at, end));
        this.#watcher?.discard();
        at = end;
        if (at < list.length && !(await pause())) return false;
      }
      return true;
    };
    let toDraw = [];
    const stopped = () => {
      const out = new Set(gone.slice(0, undrawn));
      this.#items = [...this.#items.filter((item) => !out.has(item)), ...toDraw.slice(0, drew)];
      return false;
    };
    if (!(await slices(gone, (part) => { renderer.unrender(part); undrawn += part.length; }))) return stopped();
    if (gone.length > 0) this.#interaction.forget(new Set(gone));
    toDraw = added.filter((item) => (this.#fights.get(item.owner)?.count ?? 0) < MAX_FIGHTS);
    if (!(await slices(toDraw, (part) => { renderer.render(part); drew += part.length; }))) return stopped();
    this.#items = next;
    this.#drawn = collected;
    // Each match's `ranges` and `elements` are read from the renderer when asked for.
    this.matches = next.map((item) => item.match);
    if (stats) this.lastUpdate = stats;
    return true;
  }

  /**
   * Counts a fight for each block whose drawn nodes the page changed while its
   * text stayed the same (its marks were taken out); a block whose text changed
   * was edited, and its count starts again.
   */
  #judgeFights(collected) {
    if (this.#suspects.size === 0) return;
    const now = performance.now();
    for (const [block, before] of this.#suspects) {
      if (blockText(collected, block) !== before) {
        this.#fights.delete(block);
        continue;
      }
      const last = this.#fights.get(block);
      const count = last && now - last.at < FIGHT_WINDOW_MS ? last.count + 1 : 1;
      this.#fights.set(block, { count, at: now });
    }
    this.#suspects.clear();
  }

  #reportError(err) {
    if (this.#settings.onError) {
      this.#settings.onError(err);
    } else if (!this.#reportedError) {
      this.#reportedError = true;
      console.error(`sorot: the highlights no longer follow the page: ${err.message}`);
    }
  }

  /** Starts the update that waits for the one in flight, if any. */
  #next() {
    if (this.#running || !this.#queued || this.#removed) return;
    const changed = this.#queued;
    this.#queued = null;
    const run = this.#update(changed);
    this.#running = run;
    run.finally(() => {
      this.#running = null;
      this.#next();
    });
  }

  #onMutations(records) {
    if (this.#removed) return;
    if (this.#context.highlighter.freed) {
      this.#watcher.disconnect(); // the highlights stay as they are
      return;
    }
    this.#queued ??= new Set();
    const fought = new Set();
    for (const r of records) {
      this.#queued.add(r.target);
      for (const n of r.addedNodes) this.#queued.add(n);
      // The page changed the renderer's own nodes (a mark, a piece of text).
      for (const n of [r.target, ...r.removedNodes]) {
        for (const item of this.#renderer.itemsOf(n)) fought.add(item.owner);
      }
    }
    // Whether it was a fight or an edit is known once the block is read again.
    for (const block of fought) {
      if (!this.#suspects.has(block)) this.#suspects.set(block, this.#drawn ? blockText(this.#drawn, block) : '');
    }
    this.#pageChanged = true;
    this.#next();
  }
}

/** Whether a mutation only added or removed a highlighter's card (never a change to the page). */
function ownCardChange(record) {
  if (record.type !== 'childList') return false;
  const nodes = [...record.addedNodes, ...record.removedNodes];
  return nodes.length > 0 && nodes.every((n) => n.nodeType === Node.ELEMENT_NODE
    && n.hasAttribute(OWNER_ATTRIBUTE) && n.localName !== 'mark');
}
