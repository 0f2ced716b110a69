// The one-tag embed: <script type="module" src=".../sorot-widget.js" data-root="article">.
// Module scripts have no document.currentScript, so the widget finds its tags by
// matching its own URL against the page's scripts (several tags with the same URL
// run the module once: each is read here). Each tag highlights every element
// matching its `data-root` (default `body`, but none on a page that has
// <sorot-highlight> elements when the tag is read), each as its own document (except
// one that is, holds or is inside a <sorot-highlight>, which highlights its own
// content, or one inside or around a root already highlighted); an element
// added later (a framework replacing the root) is picked up, one that leaves is
// released. A root that is an iframe has its document's body highlighted, again
// after each load (a CMS preview that is rebuilt).

import { attach, detach, overlapsRoot } from './widget.js';

const DATA = { gazetteer: 'data-gazetteer', renderer: 'data-renderer', overlap: 'data-overlap', types: 'data-types', lang: 'data-lang' };

/** The widget options a tag's data-* attributes give. */
function tagOptions(tag) {
  const options = {};
  for (const [key, attr] of Object.entries(DATA)) {
    const value = tag.getAttribute(attr);
    if (value) options[key] = value;
  }
  if (options.gazetteer) options.gazetteer = new URL(options.gazetteer, tag.ownerDocument.baseURI).href;
  const panel = tag.getAttribute('data-panel');
  options.panel = panel !== null && panel !== 'false' && panel !== 'off';
  return options;
}

const report = (err) => {
  if (err?.name !== 'AbortError') console.error(`sorot widget: ${err?.message ?? err}`);
};

/** Follows an iframe: highlights each document it loads (same-origin only). */
function followFrame(frame, options) {
  let current = null;
  const check = () => {
    let doc = null;
    try {
      doc = frame.contentDocument;
    } catch {
      doc = null;
    }
    // Before its first load an iframe holds a throwaway about:blank.
    const loaded = doc && doc.readyState === 'complete' && doc.body
      && (doc.URL !== 'about:blank' || (!frame.hasAttribute('src') && !frame.hasAttribute('srcdoc')));
    if (!loaded || doc.body === current || overlapsRoot(doc.body)) return;
    if (current) detach(current);
    current = doc.body;
    attach(current, options).catch(report);
  };
  frame.addEventListener('load', check);
  check();
  return () => {
    frame.removeEventListener('load', check);
    if (current) detach(current);
    current = null;
  };
}

/**
 * Reads the tags of this module (by URL) in `doc` and keeps their roots highlighted.
 * @param {string} moduleUrl import.meta.url of sorot-widget.js
 * @param {Document} doc
 */
export function startTags(moduleUrl, doc) {
  const tags = new Set();
  const roots = new Map(); // element → stop()
  const configs = [];
  const scanTags = () => {
    for (const tag of doc.querySelectorAll('script[src]')) {
      if (tags.has(tag) || tag.src !== moduleUrl) continue;
      tags.add(tag);
      // On a page that uses <sorot-highlight>, a tag without data-root only defines it.
      const selector = tag.getAttribute('data-root') || (doc.querySelector('sorot-highlight') ? null : 'body');
      if (selector) configs.push({ selector, options: tagOptions(tag) });
    }
  };
  const scanRoots = () => {
    for (const [el, stop] of roots) {
      if (!el.isConnected) {
        roots.delete(el);
        stop();
      }
    }
    for (const { selector, options } of configs) {
      let found;
      try {
        found = doc.querySelectorAll(selector);
      } catch {
        report(new Error(`data-root: ${JSON.stringify(selector)} is not a valid CSS selector`));
        configs.splice(configs.findIndex((c) => c.selector === selector), 1);
        return;
      }
      for (const el of found) {
        // A root is highlighted once; <sorot-highlight> elements highlight their own content.
        if (roots.has(el) || overlapsRoot(el) || el.closest('sorot-highlight') || el.querySelector('sorot-highlight')) continue;
        if (el.localName === 'iframe' || el.localName === 'frame') {
          roots.set(el, followFrame(el, options));
        } else {
          roots.set(el, () => detach(el));
          attach(el, options).catch(report);
        }
      }
    }
  };
  scanTags();
  if (configs.length === 0) return;
  scanRoots();
  new doc.defaultView.MutationObserver((records) => {
    let added = false;
    let removed = false;
    for (const r of records) {
      for (const n of r.addedNodes) if (n.nodeType === 1) added = true;
      if (r.removedNodes.length > 0) removed = true;
    }
    if (added) scanTags();
    if (added || removed) scanRoots();
  }).observe(doc, { childList: true, subtree: true });
}
