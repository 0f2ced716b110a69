// What a site using a bundler writes: import the package by name, nothing else.
import { createHighlighter } from 'sorot';

const worker = new URLSearchParams(location.search).has('worker');
try {
  const hl = await createHighlighter({ worker });
  const h = await hl.highlight(document.getElementById('article'));
  window.result = { matches: h.matches.map((m) => [m.text, m.id]), renderer: h.renderer };
} catch (err) {
  window.result = { error: err.message };
}
