// How the plain-script peers (the RegExp of issue 11, modern-ahocorasick) mark
// what they find: every Text node under the root is matched on its own, and each
// match is wrapped in a <mark> with splitText, right to left so that the offsets
// still to do stay valid. No library; what a page script would write.

/** Elements whose text is never a page's visible text (as sorot skips them; www/lib/collect.js). */
const SKIPPED = new Set([
  'script', 'style', 'noscript', 'template', 'head', 'title', 'textarea', 'select', 'option',
  'button', 'svg', 'math', 'iframe', 'object', 'canvas', 'video', 'audio', 'mark',
]);

const filter = {
  acceptNode(node) {
    if (node.nodeType === Node.TEXT_NODE) return NodeFilter.FILTER_ACCEPT;
    return SKIPPED.has(node.localName) || node.hasAttribute('contenteditable') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP;
  },
};

/**
 * Wraps what `find` finds in each Text node under `root`.
 * @param {Node} root
 * @param {(text: string) => number[]} find start and end offsets (UTF-16), flat,
 *   in order, not overlapping
 * @returns {number} the number of marks made
 */
export function wrapTextNodes(root, find) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, filter);
  const nodes = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
  let marks = 0;
  for (const node of nodes) {
    const text = node.data;
    if (text.length < 2 || !/\S/.test(text)) continue;
    const spans = find(text);
    for (let i = spans.length - 2; i >= 0; i -= 2) {
      const inner = node.splitText(spans[i]); // node keeps the text before the match
      inner.splitText(spans[i + 1] - spans[i]); // the text after it
      const mark = document.createElement('mark');
      inner.replaceWith(mark);
      mark.append(inner);
      marks += 1;
    }
  }
  return marks;
}
