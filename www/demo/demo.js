// The demo page: the sample article highlighted on load, a legend with counts and
// toggles, the time taken, switches for the renderer and for overlapping names,
// and the reader's own text and gazetteer.

import { createHighlighter, DEFAULT_GAZETTEER_URL } from 'sorot';

const $ = (id) => document.getElementById(id);
const article = $('article');
const SAMPLE_URL = new URL('./sample/lavrov-kim-id.txt', import.meta.url);

const state = {
  highlighter: null,
  highlight: null,
  hidden: new Set(),
};

function showError(message) {
  const box = $('error');
  box.textContent = message;
  box.hidden = !message;
}

/** Puts `text` in the article: one paragraph per line, the first line a heading when asked. */
function showText(text, { heading }) {
  state.highlight?.remove();
  state.highlight = null;
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const blocks = lines.map((line, i) => {
    const el = document.createElement(heading && i === 0 ? 'h2' : 'p');
    el.textContent = line;
    return el;
  });
  article.replaceChildren(...blocks);
}

function renderLegend() {
  const list = $('legend');
  const counts = state.highlight?.counts ?? {};
  const items = Object.entries(state.highlighter.types).map(([key, type]) => {
    const li = document.createElement('li');
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = !state.hidden.has(key);
    box.dataset.type = key;
    box.addEventListener('change', () => {
      if (box.checked) state.hidden.delete(key);
      else state.hidden.add(key);
      state.highlight?.setTypeVisible(key, box.checked);
    });
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.backgroundColor = type.color; // through the CSSOM: a value that is not a colour is ignored
    const name = document.createElement('span');
    name.textContent = `${type.label} (${key})`;
    const count = document.createElement('span');
    count.className = 'count';
    count.dataset.type = key;
    count.textContent = String(counts[key] ?? 0);
    label.append(box, swatch, name, count);
    li.append(label);
    return li;
  });
  list.replaceChildren(...items);
}

const RENDERER_NAMES = { 'highlight-api': 'the CSS Custom Highlight API', mark: '<mark> elements' };

async function highlightArticle() {
  const started = performance.now();
  state.highlight = await state.highlighter.highlight(article, {
    keyboard: true,
    renderer: $('renderer').value,
    overlap: $('overlap').value,
  });
  const ms = performance.now() - started;
  for (const type of state.hidden) state.highlight.setTypeVisible(type, false);
  renderLegend();
  const n = state.highlight.matches.length;
  $('status').textContent = `${n} highlight${n === 1 ? '' : 's'} in ${ms.toFixed(1)} ms, drawn with ${RENDERER_NAMES[state.highlight.renderer]}`;
  document.documentElement.dataset.demo = 'ready';
}

for (const id of ['renderer', 'overlap']) {
  $(id).addEventListener('change', async () => {
    if (!state.highlighter) return;
    state.highlight?.remove();
    await highlightArticle();
  });
}

async function useGazetteer(gazetteer, description) {
  let highlighter;
  try {
    highlighter = await createHighlighter({ gazetteer, keyboard: true });
  } catch (err) {
    showError(`Gazetteer not loaded: ${err.message}`);
    $('gazetteer-info').textContent = '';
    document.documentElement.dataset.demo = 'error';
    return false;
  }
  showError('');
  state.highlight?.remove();
  state.highlight = null;
  state.highlighter?.free();
  state.highlighter = highlighter;
  const count = highlighter.entities.length;
  $('gazetteer-info').textContent = `In use: ${description} (${count} entit${count === 1 ? 'y' : 'ies'}).`;
  await highlightArticle();
  return true;
}

async function loadSample() {
  const response = await fetch(SAMPLE_URL);
  if (!response.ok) throw new Error(`cannot load the sample article: HTTP ${response.status}`);
  const text = await response.text();
  showText(text, { heading: true });
  $('text-input').value = text;
}

$('highlight-text').addEventListener('click', async () => {
  showText($('text-input').value, { heading: false });
  await highlightArticle();
});

$('load-sample').addEventListener('click', async () => {
  await loadSample();
  await highlightArticle();
});

$('gazetteer-file').addEventListener('change', async (event) => {
  const file = event.target.files?.[0];
  if (!file) return;
  const text = await file.text();
  $('gazetteer-input').value = text;
  await applyOwnGazetteer(file.name);
});

async function applyOwnGazetteer(description) {
  const text = $('gazetteer-input').value;
  if (text.trim() === '') {
    showError('Gazetteer not loaded: the gazetteer box is empty.');
    return;
  }
  const merge = $('merge-default').checked;
  const gazetteer = merge ? [{ url: DEFAULT_GAZETTEER_URL }, text] : text;
  await useGazetteer(gazetteer, merge ? `default + ${description}` : description);
}

$('use-gazetteer').addEventListener('click', () => applyOwnGazetteer('your gazetteer'));

$('reset-gazetteer').addEventListener('click', () => useGazetteer(undefined, 'the default gazetteer'));

try {
  await loadSample();
  await useGazetteer(undefined, 'the default gazetteer');
} catch (err) {
  showError(err.message);
  $('status').textContent = 'Not loaded.';
  document.documentElement.dataset.demo = 'error';
}
