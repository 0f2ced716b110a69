// The renderer contract. A renderer draws resolved pieces of Text nodes and tells
// the interaction layer (interact.js) where they are; it is the only module that
// writes to the page (marks) or to `CSS.highlights`. Two follow this contract:
// render-highlight.js (the CSS Custom Highlight API) and render-mark.js (<mark>).
//
// Life of an item: the Highlight handle makes a RenderItem per match, calls
// render([items]) once, drawing(item) to learn its ranges and elements, and
// unrender([items]) when the match goes (or before its block is read again);
// remove() ends everything. Items are only ever drawn once at a time.

import { HighlightApiRenderer, releaseSheets } from './render-highlight.js';
import { MarkRenderer } from './render-mark.js';

/**
 * What both renderers draw: one match and the pieces of Text nodes it covers.
 * @typedef {object} RenderItem
 * @property {import('./highlighter.js').Match} match the match (its `start`/`end`
 *   are UTF-16 offsets of the document's collected text)
 * @property {number} serial a number unique to this match within its highlight
 * @property {number} depth how many other matches contain this one (0 with `overlap: 'longest'`)
 * @property {import('./collect.js').Segment[]} segments the pieces, in text order
 * @property {Node} owner the block element the match is in
 * @property {string|null} key what identifies the drawing (nodes, offsets, entity,
 *   depth) for the next update; null without `observe` (there is none)
 */

/**
 * What a renderer is given.
 * @typedef {object} RendererOptions
 * @property {string} owner the highlighter's owner token (on every element it makes)
 * @property {string} prefix class and attribute prefix
 * @property {boolean} keyboard whether highlights take part in keyboard navigation
 * @property {Record<string, {color?: string}>} types the entity types and their colours
 */

/**
 * The contract.
 * @typedef {object} Renderer
 * @property {(items: RenderItem[]) => void} render draws the items (adds to what is drawn)
 * @property {(items: RenderItem[]) => void} unrender stops drawing them; others on
 *   the same Text nodes stay drawn
 * @property {(item: RenderItem) => {elements: HTMLElement[], ranges: Range[]}} drawing
 *   what is drawn for an item: its elements (marks; none with the Highlight API)
 *   and a live Range per piece (`ranges` may be made only when read: live Ranges
 *   cost every later DOM change)
 * @property {(node: Node) => RenderItem[]} itemsOf the items drawn with a node the
 *   renderer made (a mark, a text piece); none for nodes of the page
 * @property {(event: MouseEvent|PointerEvent) => ({item: RenderItem, rect: DOMRect}|null)} hitTest
 *   the visible item under the pointer, and the rectangle it is in
 * @property {(element: Element) => (RenderItem|null)} itemOfElement the item of an element it made
 * @property {(item: RenderItem) => DOMRect[]} rectsOf where an item is on screen
 * @property {(item: RenderItem) => void} focus makes the item the current one (and
 *   scrolls it into view)
 * @property {() => void} blur no item is current any more
 * @property {(type: string, visible: boolean) => void} setTypeVisible shows or hides a type
 * @property {() => void} remove takes everything away and puts the page back
 */

/** The renderers, by name. */
export const RENDERERS = Object.freeze({ 'highlight-api': HighlightApiRenderer, mark: MarkRenderer });

/**
 * The renderer to use for a document: `auto` is the Highlight API where the
 * browser has it, marks otherwise.
 * @param {'auto'|'highlight-api'|'mark'} name
 * @param {Document} doc
 * @returns {'highlight-api'|'mark'}
 * @throws {Error} when `highlight-api` is asked for in a browser without it
 */
export function chooseRenderer(name, doc) {
  if (name === 'auto') return HighlightApiRenderer.supported(doc) ? 'highlight-api' : 'mark';
  if (name === 'highlight-api' && !HighlightApiRenderer.supported(doc)) {
    throw new Error('renderer "highlight-api": this browser has no CSS Custom Highlight API (use "auto" or "mark")');
  }
  return name;
}

/**
 * A highlighter is freed: what its renderers keep for the next one goes (the
 * Highlight API's style sheets; those in use go when their highlights are removed).
 * @param {string} owner the highlighter's owner token
 */
export function releaseRenderers(owner) {
  releaseSheets(owner);
}
