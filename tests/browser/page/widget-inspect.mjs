// In-page helpers for the widget tests (served at /__test/): what any sorot
// highlighter has painted in a document (Highlight API ranges and marks), and the
// widget's panel. Nothing here imports sorot.

/**
 * Every painted piece in `doc`, in document order.
 * @param {Document} [doc]
 * @returns {{text: string, type: string, range: Range}[]}
 */
export function painted(doc = document) {
  const out = [];
  for (const [name, highlight] of doc.defaultView.CSS?.highlights ?? []) {
    const m = /-[tn]-([A-Za-z_][A-Za-z0-9_-]*)$/.exec(name);
    if (!m) continue;
    for (const r of highlight) {
      if (r.collapsed) continue;
      // A live Range over it (the Highlight API also takes StaticRanges, which
      // cannot be measured or compared).
      const range = typeof r.getBoundingClientRect === 'function' ? r : doc.createRange();
      if (range !== r) {
        range.setStart(r.startContainer, r.startOffset);
        range.setEnd(r.endContainer, r.endOffset);
      }
      out.push({ text: range.toString(), type: m[1], range });
    }
  }
  for (const mark of doc.querySelectorAll('mark[data-sorot-owner]')) {
    const range = doc.createRange();
    range.selectNodeContents(mark);
    out.push({ text: mark.textContent, type: mark.getAttribute('data-sorot-type'), range });
  }
  return out.sort((a, b) => a.range.compareBoundaryPoints(Range.START_TO_START, b.range));
}

/** The painted texts under `root` (invisible characters taken out), in order. */
export function paintedTexts(root) {
  const doc = root.ownerDocument ?? root;
  return painted(doc).filter((p) => root.contains(p.range.startContainer))
    .map((p) => p.text.replace(/[\u200b-\u200d\u2060\ufeff]|\udb40[\udc00-\udc7f]/g, ''));
}

/** Whether every painted range of `doc` is in text that is still in the page. */
export function allConnected(doc = document) {
  return painted(doc).every((p) => p.range.startContainer.isConnected && p.range.endContainer.isConnected);
}

/** The widget's panel of `doc` (the `index`th, when several copies of the widget each have one): its shadow root, or null. */
export function panelOf(doc = document, index = 0) {
  return doc.querySelectorAll('[data-sorot-owner="widget-panel"]')[index]?.shadowRoot ?? null;
}

/** What the panel shows: the toggle's text, counts, entity rows, messages, collapsed. */
export function panelState(doc = document, index = 0) {
  const root = panelOf(doc, index);
  if (!root) return null;
  // Each piece of text on its own, joined by spaces.
  const text = (el) => {
    const parts = [];
    const walker = doc.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) parts.push(walker.currentNode.data.trim());
    return parts.filter(Boolean).join(' ');
  };
  return {
    collapsed: root.querySelector('.panel').classList.contains('collapsed'),
    total: text(root.querySelector('.toggle .n')),
    counts: [...root.querySelectorAll('.counts li')].map(text),
    entities: [...root.querySelectorAll('.list li')].map(text),
    messages: [...root.querySelectorAll('.msg, .note')].map(text),
  };
}
