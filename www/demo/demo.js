// The demo page: the sample article highlighted on load, a legend with counts and
// toggles, the time taken, switches for the renderer, for overlapping names and
// for the language of the text, and the reader's own text and gazetteer. It uses
// only the library's public entry ('sorot', mapped by the page's import map).

import { createHighlighter, gazetteerText, DEFAULT_GAZETTEER_URL } from 'sorot';

const $ = (id) => document.getElementById(id);
const article = $('article');
const SAMPLES = {
  id: new URL('./sample/lavrov-kim-id.txt', import.meta.url),
  en: new URL('./sample/un-en.txt', import.meta.url),
};
const ERROR_BOXES = ['error-load', 'error-text', 'error-file', 'error-url', 'error-use'];

const state = {
  highlighter: null,
  highlight: null,
  hidden: new Set(),
};

/**
 * The reader's actions (loading a gazetteer, highlighting a text, switching the
 * renderer...) run one after the other, in the order they were asked for, each
 * with the text, file, URL, language and merge box as they were when it was asked
 * for (the renderer and overlap switches are read as they are when it runs): text highlighted
 * while a gazetteer is still loading is highlighted with it, and no action frees a
 * highlighter another is still drawing with. A gazetteer that does not come in
 * LOAD_TIMEOUT_MS holds the others back no longer.
 */
let queue = Promise.resolve();
function serially(action) {
  return (...args) => {
    const done = queue.then(() => action(...args));
    queue = done.catch(() => {});
    return done;
  };
}

/**
 * Shows `message` in the error box next to the control the reader used, scrolled
 * into view; the other boxes are emptied, but those of `keep`.
 */
function showError(box, message, keep = []) {
  clearErrors(ERROR_BOXES.filter((id) => !keep.includes(id)));
  const el = $(box);
  el.textContent = message;
  el.hidden = false;
  // A long report scrolls in its box: the keyboard can reach it to scroll it.
  if (el.scrollHeight > el.clientHeight) el.tabIndex = 0;
  else el.removeAttribute('tabindex');
  el.scrollIntoView({ block: 'nearest' });
}

/** Empties and hides the error boxes (all, or those named). */
function clearErrors(ids = ERROR_BOXES) {
  for (const id of ids) {
    $(id).textContent = '';
    $(id).hidden = true;
  }
}

// Touch screens have no hover: the instructions say "tap" there.
const touch = matchMedia('(hover: none)');
function showInstructions() {
  $('how-touch').hidden = !touch.matches;
  $('how-pointer').hidden = touch.matches;
}
touch.addEventListener('change', showInstructions);
showInstructions();

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
  // Keyed by the gazetteer's type keys, which may be `constructor` or `toString`: Maps.
  const counts = new Map(Object.entries(state.highlight?.counts ?? {}));
  const types = new Map(Object.entries(state.highlight?.types ?? {}));
  const items = [...types].map(([key, type]) => {
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
    // The key only when it says something the label does not.
    name.textContent = type.label.toLowerCase() === key.toLowerCase() ? type.label : `${type.label} (${key})`;
    const count = document.createElement('span');
    count.className = 'count';
    count.dataset.type = key;
    count.textContent = String(counts.get(key) ?? 0);
    label.append(box, swatch, name, count);
    li.append(label);
    return li;
  });
  list.replaceChildren(...items);
}

const RENDERER_NAMES = { 'highlight-api': 'the CSS Custom Highlight API', mark: '<mark> elements' };

/**
 * Highlights the article with the highlighter in use; returns whether it did. When
 * it cannot (no gazetteer loaded, or the renderer asked for does not work in this
 * browser), the reason is shown in `errorBox`, next to the control used, and the
 * status line says the article is not highlighted.
 */
async function highlightArticle(errorBox = 'error-load') {
  const started = performance.now();
  if (!state.highlighter) {
    // Why the default gazetteer did not load stays in view at the top.
    showError(errorBox, 'Not highlighted: no gazetteer is loaded (see the message at the top, or load one below)', ['error-load']);
    document.documentElement.dataset.demo = 'error';
    return false;
  }
  try {
    state.highlight = await state.highlighter.highlight(article, {
      keyboard: true,
      renderer: $('renderer').value,
      overlap: $('overlap').value,
    });
  } catch (err) {
    state.highlight = null;
    renderLegend();
    showError(errorBox, `Not highlighted: ${err.message}`);
    $('status').textContent = 'Not highlighted.';
    document.documentElement.dataset.demo = 'error';
    return false;
  }
  const ms = performance.now() - started;
  for (const type of state.hidden) state.highlight.setTypeVisible(type, false);
  renderLegend();
  const n = state.highlight.matches.length;
  $('status').textContent = `${n} highlight${n === 1 ? '' : 's'} in ${ms.toFixed(1)} ms, drawn with ${RENDERER_NAMES[state.highlight.renderer]}`;
  document.documentElement.dataset.demo = 'ready';
  return true;
}

for (const id of ['renderer', 'overlap']) {
  $(id).addEventListener('change', serially(async () => {
    if (!state.highlighter) return;
    state.highlight?.remove();
    if (await highlightArticle()) clearErrors(['error-load']);
  }));
}

/** The language of the article's text: the cards and the legend follow it. */
function setTextLanguage(lang) {
  $('text-lang').value = lang;
  article.lang = lang;
}

const switchLanguage = serially(async (lang) => {
  setTextLanguage(lang);
  if (state.highlighter) await highlightArticle();
});
$('text-lang').addEventListener('change', () => switchLanguage($('text-lang').value));

/**
 * How long a gazetteer may take to load before the demo gives up on it (a server
 * that never answers would otherwise hold back every later action). The URL
 * field's `data-timeout-ms` sets another.
 */
const LOAD_TIMEOUT_MS = 30_000;

/**
 * Loads a gazetteer; on success it replaces the one in use, on failure the old one
 * stays (and the "in use" line with it) and the error shows in `errorBox`.
 */
async function useGazetteer(gazetteer, description, errorBox) {
  let highlighter;
  const loading = createHighlighter({ gazetteer, keyboard: true });
  const limit = Number($('gazetteer-url').dataset.timeoutMs) || LOAD_TIMEOUT_MS;
  let timer;
  const late = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${limit / 1000} s (the gazetteer's server, or the network)`)), limit);
  });
  try {
    highlighter = await Promise.race([loading, late]);
  } catch (err) {
    // One that comes after all is let go.
    loading.then((h) => h.free(), () => {});
    // A page whose Content-Security-Policy forbids WebAssembly: the page, not the gazetteer.
    const page = /'wasm-unsafe-eval'/.test(err.message);
    showError(errorBox, page ? `sorot cannot run on this page: ${err.message}` : `Gazetteer not loaded: ${err.message}`);
    return false;
  } finally {
    clearTimeout(timer);
  }
  if (highlighter.entityCount === 0) {
    highlighter.free();
    showError(errorBox, 'Gazetteer not loaded: it has no entities.');
    return false;
  }
  clearErrors();
  state.highlight?.remove();
  state.highlight = null;
  state.highlighter?.free();
  state.highlighter = highlighter;
  state.hidden.clear();
  const count = highlighter.entityCount;
  $('gazetteer-info').textContent = `In use: ${description} (${count} entit${count === 1 ? 'y' : 'ies'}).`;
  await highlightArticle(errorBox);
  return true;
}

async function loadSample(lang) {
  const response = await fetch(SAMPLES[lang]);
  if (!response.ok) throw new Error(`cannot load the sample article: HTTP ${response.status}`);
  showText(await response.text(), { heading: true });
  setTextLanguage(lang);
}

$('highlight-text').addEventListener('click', () => {
  // The text as it is when the button is pressed.
  const text = $('text-input').value;
  highlightText(text);
});

const highlightText = serially(async (text) => {
  if (text.trim() === '') {
    showError('error-text', 'Nothing to highlight: the text box is empty (load a sample, or paste some text).');
    return;
  }
  // A gazetteer's error from an action before this one stays in view.
  clearErrors(['error-text']);
  showText(text, { heading: false });
  await highlightArticle('error-text');
  article.scrollIntoView({ block: 'start' });
  article.focus({ preventScroll: true });
});

for (const [id, lang] of [['load-sample', 'id'], ['load-sample-en', 'en']]) {
  $(id).addEventListener('click', serially(async () => {
    try {
      await loadSample(lang);
    } catch (err) {
      showError('error-text', err.message);
      return;
    }
    clearErrors(['error-text']);
    await highlightArticle('error-text');
    article.scrollIntoView({ block: 'start' });
  }));
}

$('gazetteer-file').addEventListener('change', (event) => {
  const file = event.target.files?.[0];
  if (!file) return;
  event.target.value = '';
  useGazetteerFile(file, $('merge-default').checked);
});

const useGazetteerFile = serially(async (file, merge) => {
  let text;
  try {
    text = gazetteerText(await file.arrayBuffer(), file.name);
  } catch (err) {
    showError('error-file', `Gazetteer not loaded: ${err.message}`);
    return;
  }
  // The file keeps its name: its format is told by its extension, and errors name it.
  // Its text goes into the paste box only once it is in use: a file that does not
  // load leaves what the reader had pasted there.
  if (await applyOwnGazetteer({ text, name: file.name }, file.name, 'error-file', merge)) {
    $('gazetteer-input').value = text;
  }
});


/** Loads the gazetteer at the URL the field holds when asked (merged as the box says then). */
function loadGazetteerUrl() {
  useGazetteerUrl($('gazetteer-url').value.trim(), $('merge-default').checked);
}

const useGazetteerUrl = serially(async (given, merge) => {
  let url;
  try {
    url = new URL(given, document.baseURI);
    if (given === '' || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new Error();
  } catch {
    showError('error-url', `Gazetteer not loaded: ${JSON.stringify(given)} is not an http: or https: URL.`);
    return;
  }
  await applyOwnGazetteer({ url: url.href }, url.href, 'error-url', merge);
});

$('load-gazetteer-url').addEventListener('click', loadGazetteerUrl);
$('gazetteer-url').addEventListener('keydown', (event) => {
  if (event.key === 'Enter') loadGazetteerUrl();
});

/** Loads the reader's gazetteer (merged after the default one when asked); returns whether it is in use. */
async function applyOwnGazetteer(source, description, errorBox, merge) {
  const text = typeof source === 'string' ? source : source.text;
  if (text !== undefined && text.trim() === '') {
    showError(errorBox, 'Gazetteer not loaded: it is empty.');
    return false;
  }
  const gazetteer = merge ? [{ url: DEFAULT_GAZETTEER_URL }, source] : source;
  return useGazetteer(gazetteer, merge ? `default + ${description}` : description, errorBox);
}

const applyPasted = serially((text, merge) => applyOwnGazetteer(text, 'your gazetteer', 'error-use', merge));
$('use-gazetteer').addEventListener('click', () => applyPasted($('gazetteer-input').value, $('merge-default').checked));

$('reset-gazetteer').addEventListener('click', serially(() => useGazetteer(undefined, 'the default gazetteer', 'error-use')));

await serially(async () => {
  try {
    await loadSample('id');
    if (!await useGazetteer(undefined, 'the default gazetteer', 'error-load')) throw new Error($('error-load').textContent);
  } catch (err) {
    showError('error-load', err.message);
    $('status').textContent = 'Not loaded.';
    document.documentElement.dataset.demo = 'error';
  }
})();
