// The real-pages suite's module, run inside each page (the only script the
// page's Content-Security-Policy lets run, with sorot itself). It highlights the
// page's body with each renderer in turn, on the same load, and checks what a
// reader would notice. Returns numbers and failure messages; asserts nothing.
import { createHighlighter } from '/__sorot/sorot.js';
import { readerText, painted, boxes, moved } from './inspect.mjs';

const FORBIDDEN = 'script, style, noscript, template, textarea, input, select, option, button';

/**
 * @param {object} options
 * @param {string} options.exclude the `exclude` option given to highlight()
 * @param {string[]} options.renderers the renderers, in the order to run them
 * @returns {Promise<{renderers: Record<string, {matches: number, ms: number, failures: string[], movedBoxes: number}>}>}
 */
export async function run({ exclude, renderers }) {
  // Nothing may move by itself between two measurements.
  for (const animation of document.getAnimations()) animation.pause();
  const hl = await createHighlighter();
  const bodyHtml = document.body.innerHTML;
  const reader = readerText(document.body, exclude);
  const expected = await hl.find(reader.text);
  const out = {};
  for (const renderer of renderers) {
    const failures = [];
    const fail = (message) => { if (failures.length < 8) failures.push(message); };
    const boxesBefore = boxes(document);
    const started = performance.now();
    const h = await hl.highlight(document.body, { renderer, exclude });
    const ms = performance.now() - started;

    // The document's text, read as a reader reads it, is what it was.
    const now = readerText(document.body, exclude);
    if (now.text !== reader.text) fail(`the document's text changed (${reader.text.length} → ${now.text.length} characters)`);

    // The matches are those of find() on the same text as plain text.
    const key = (m) => `${m.start}-${m.end} ${m.type} ${m.id} "${m.text}"`;
    const got = h.matches.map(key);
    const want = expected.map(key);
    if (got.join('\n') !== want.join('\n')) {
      const missing = want.filter((k) => !got.includes(k));
      const extra = got.filter((k) => !want.includes(k));
      fail(`matches differ from find() on the plain text: ${got.length} vs ${want.length}; missing ${missing.slice(0, 3).join(', ') || 'none'}; extra ${extra.slice(0, 3).join(', ') || 'none'}`);
    }

    // What is painted covers exactly the text of those matches, with their types.
    const index = new Map(now.nodes.map((n, i) => [n, i]));
    const paintedSpans = [];
    for (const piece of painted(hl.owner, document)) {
      let node = piece.node;
      let offset = 0;
      if (node.nodeType === Node.ELEMENT_NODE) {
        const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
        node = walker.nextNode();
      } else {
        offset = piece.range.startOffset;
      }
      const i = index.get(node);
      if (i === undefined) {
        fail(`painted text outside the document's text: "${piece.text}"`);
        continue;
      }
      const start = now.starts[i] + offset;
      paintedSpans.push(`${start}-${start + piece.text.length} ${piece.type}`);
      const el = piece.node.parentElement;
      if (el.closest(FORBIDDEN) || el.isContentEditable || (exclude && el.closest(exclude))) {
        fail(`painted inside <${el.localName}> that must be left alone: "${piece.text}"`);
      }
    }
    const wantSpans = [];
    for (const m of expected) {
      // Split at Text node boundaries, as renderers draw.
      for (let i = 0; i < now.nodes.length; i++) {
        const from = Math.max(m.start, now.starts[i]);
        const to = Math.min(m.end, now.starts[i] + now.nodes[i].data.length);
        if (to > from) wantSpans.push(`${from}-${to} ${m.type}`);
      }
    }
    const sort = (list) => [...list].sort((a, b) => parseInt(a, 10) - parseInt(b, 10) || a.localeCompare(b));
    if (sort(paintedSpans).join('\n') !== sort(wantSpans).join('\n')) {
      fail(`painted pieces differ from the matches: ${paintedSpans.length} painted, ${wantSpans.length} expected`);
    }

    // The Highlight API moves nothing, not by a fraction of a pixel. Marks are
    // only counted, beyond the 1/64 px that text after an element boundary may
    // shift (page CSS such as `a:first-child` can legitimately see new elements).
    let movedBoxes;
    if (renderer === 'highlight-api') {
      movedBoxes = moved(boxesBefore, boxes(document));
      if (movedBoxes === -1) fail('elements were added to the page');
      else if (movedBoxes > 0) fail(`${movedBoxes} element boxes moved`);
    } else {
      movedBoxes = moved(boxesBefore, boxes(document), 0.1);
    }

    // remove() puts everything back: the same HTML and the same Text nodes.
    h.remove();
    if (document.body.innerHTML !== bodyHtml) fail('after remove(), document.body.innerHTML is not what it was');
    const restored = readerText(document.body, exclude);
    if (restored.nodes.length !== reader.nodes.length || restored.nodes.some((n, i) => n !== reader.nodes[i])) {
      fail('after remove(), the Text nodes are not the same objects');
    }
    out[renderer] = { matches: h.matches.length, ms, failures, movedBoxes };
  }
  hl.free();
  return { renderers: out };
}
