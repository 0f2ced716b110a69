// The options page: gazetteers (the default one on or off; added from a file or
// a URL, checked by the same engine, with the same messages as the CLI, before
// anything is stored; refreshed, ordered, removed), the site list, how
// highlights are drawn, colours per type, and the settings file.

import { gazetteerText, loadEngine, DEFAULT_GAZETTEER_URL } from 'sorot/engine';
import { api } from './api.js';
import { exportSettings, loadSettings, parseSettingsFile, saveSettings } from './settings.js';
import { getGazetteer, loadSource, putGazetteer } from './store.js';
import { checkSite, DEFAULT_SITES, sitePattern } from './sites.js';

const $ = (id) => document.getElementById(id);
let settings = null;

function say(id, text) {
  $(id).textContent = text;
  $(id).hidden = !text;
}

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else if (k in e) e[k] = v;
    else e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
}

/** What the engine is given for the enabled gazetteers of `list` (and `extra`, not stored yet). */
async function sources(list, extra = []) {
  const out = [];
  for (const g of list.filter((x) => x.enabled)) out.push(g.source === 'default' ? { url: DEFAULT_GAZETTEER_URL } : await loadSource(g));
  return [...out, ...extra];
}

/**
 * Checks a new gazetteer alone (its own errors, with its name: what the CLI says
 * for that file) and merged with the ones in use. One with no entities (an empty
 * JSON Lines file, a TSV or CSV header alone) is refused: it would highlight
 * nothing, and is most likely the wrong file.
 * @returns {Promise<number>} how many entities it has
 */
async function check(source) {
  const alone = await loadEngine({ gazetteer: [source] });
  const count = alone.entityCount;
  alone.free();
  if (count === 0) throw new Error(`${source.name}: the gazetteer has no entities (nothing to highlight)`);
  const merged = await loadEngine({ gazetteer: await sources(settings.gazetteers, [source]) });
  merged.free();
  return count;
}

async function save(next) {
  settings = await saveSettings(next);
  await draw();
}


function newId() {
  return `g-${crypto.randomUUID().slice(0, 8)}`;
}

// ---- gazetteers ----

async function addFile(file) {
  say('add-file-error', '');
  let source;
  let entities;
  try {
    source = { text: gazetteerText(await file.arrayBuffer(), file.name), name: file.name };
    entities = await check(source);
  } catch (err) {
    say('add-file-error', err.message);
    return;
  }
  const key = await putGazetteer(source);
  await save({
    ...settings,
    gazetteers: [...settings.gazetteers, { id: newId(), source: 'file', name: file.name, key, enabled: true, entities, added: new Date().toISOString() }],
  });
  $('gazetteer-status').textContent = `Added ${file.name}: ${entities} ${entities === 1 ? 'entity' : 'entities'}.`;
}

/** Fetches a URL gazetteer (asking for its site's permission first) and checks it. */
function fetchGazetteer(url, errorId) {
  let parsed;
  try {
    parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error();
  } catch {
    say(errorId, `"${url}" is not an http: or https: URL`);
    return Promise.resolve(null);
  }
  // The permission request comes first in the click's handler (Firefox needs it so).
  return api.permissions.request({ origins: [`${parsed.origin}/*`] }).then(async (granted) => {
    if (!granted) throw new Error(`sorot was not allowed to read ${parsed.origin}`);
    let response;
    try {
      response = await fetch(parsed.href, { cache: 'no-store', credentials: 'omit' });
    } catch (err) {
      throw new Error(`${parsed.href}: cannot load the gazetteer: ${err.message}`);
    }
    if (!response.ok) throw new Error(`${parsed.href}: cannot load the gazetteer: HTTP ${response.status}`);
    const name = decodeURIComponent(parsed.pathname.split('/').pop() || parsed.hostname);
    const source = { text: gazetteerText(await response.arrayBuffer(), parsed.href), name };
    const entities = await check(source);
    return { source, entities, url: parsed.href };
  }).catch((err) => {
    say(errorId, err.message);
    return null;
  });
}

function addUrl() {
  say('add-url-error', '');
  const url = $('add-url').value.trim();
  fetchGazetteer(url, 'add-url-error').then(async (got) => {
    if (!got) return;
    const key = await putGazetteer(got.source);
    const now = new Date().toISOString();
    await save({
      ...settings,
      gazetteers: [...settings.gazetteers, { id: newId(), source: 'url', name: got.source.name, url: got.url, key, enabled: true, entities: got.entities, added: now, fetched: now }],
    });
    $('add-url').value = '';
    $('gazetteer-status').textContent = `Added ${got.url}: ${got.entities} ${got.entities === 1 ? 'entity' : 'entities'}.`;
  });
}

function refreshUrl(entry, errorId) {
  say(errorId, '');
  fetchGazetteer(entry.url, errorId).then(async (got) => {
    if (!got) return;
    const key = await putGazetteer(got.source);
    await save({
      ...settings,
      gazetteers: settings.gazetteers.map((g) => (g.id === entry.id ? { ...g, key, entities: got.entities, fetched: new Date().toISOString() } : g)),
    });
    $('gazetteer-status').textContent = `Refreshed ${entry.name}: ${got.entities} ${got.entities === 1 ? 'entity' : 'entities'}.`;
  });
}

function move(list, i, by) {
  const out = [...list];
  const [g] = out.splice(i, 1);
  out.splice(i + by, 0, g);
  return out;
}

function drawGazetteers() {
  const list = settings.gazetteers;
  $('gazetteers').replaceChildren(...list.map((g, i) => {
    const errorId = `gazetteer-error-${g.id}`;
    const on = el('input', { type: 'checkbox', checked: g.enabled, title: g.enabled ? 'On' : 'Off' });
    on.addEventListener('change', () => save({ ...settings, gazetteers: list.map((x) => (x.id === g.id ? { ...x, enabled: on.checked } : x)) }));
    const name = g.source === 'default' ? 'Default gazetteer (Indonesian and English news)' : g.name;
    const detail = g.source === 'default' ? 'built in'
      : `${g.source === 'url' ? g.url : 'from a file'}; ${g.entities ?? '?'} entities; added ${g.added?.slice(0, 10) ?? ''}`;
    const buttons = [];
    const button = (label, title, fn, disabled = false) => {
      const b = el('button', { type: 'button', textContent: label, title, disabled });
      b.addEventListener('click', fn);
      buttons.push(b);
    };
    button('↑', 'Earlier (an entity of a later gazetteer replaces one with the same id)', () => save({ ...settings, gazetteers: move(list, i, -1) }), i === 0);
    button('↓', 'Later', () => save({ ...settings, gazetteers: move(list, i, 1) }), i === list.length - 1);
    if (g.source === 'url') button('Refresh', `Fetch ${g.url} again`, () => refreshUrl(g, errorId));
    if (g.source !== 'default') button('Remove', `Remove ${g.name}`, () => save({ ...settings, gazetteers: list.filter((x) => x.id !== g.id) }));
    const item = el('li', { class: 'gazetteer' },
      el('label', {}, on, el('span', { class: 'name' }, name)),
      el('span', { class: 'detail' }, detail),
      el('span', { class: 'buttons' }, ...buttons),
      el('p', { class: 'error', id: errorId, role: 'alert', hidden: true }));
    item.dataset.id = g.id;
    return item;
  }));
  $('gazetteer-status').textContent = list.some((g) => g.enabled) ? '' : 'No gazetteer is on: nothing is highlighted.';
}

// ---- sites ----

function saveSites() {
  say('sites-error', '');
  const lines = $('sites').value.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const sites = [];
  for (const [i, line] of lines.entries()) {
    try {
      sites.push(checkSite(line));
    } catch (err) {
      say('sites-error', `line ${i + 1}: ${err.message}. Nothing was saved.`);
      return;
    }
  }
  const added = sites.filter((s) => !settings.sites.includes(s));
  // Permission for the new sites, asked first in the click's handler.
  const asked = added.length > 0 ? api.permissions.request({ origins: added.map(sitePattern) }) : Promise.resolve(true);
  asked.then(async (granted) => {
    if (!granted) {
      say('sites-error', `sorot was not allowed to read ${added.join(', ')}. Nothing was saved.`);
      return;
    }
    await save({ ...settings, sites });
  }).catch((err) => say('sites-error', err.message));
}

// ---- display ----

async function typesInUse() {
  try {
    const engine = await loadEngine({ gazetteer: await sources(settings.gazetteers) });
    // The types of the merged gazetteer (an undeclared type is listed too, with its key as label).
    const g = JSON.parse((await engine.info()).head);
    engine.free();
    return { ...(g.types ?? {}) };
  } catch {
    return {};
  }
}

function label(value) {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') return value.en ?? Object.values(value)[0] ?? '';
  return '';
}

async function drawColors() {
  const types = await typesInUse();
  $('colors').replaceChildren(...Object.entries(types).map(([type, t]) => {
    // A type key may be `constructor` or `toString`: only the colours' own keys count.
    const own = Object.hasOwn(settings.colors, type);
    const input = el('input', { type: 'color', value: (own ? settings.colors[type] : t.color) ?? '#dddddd', id: `color-${type}` });
    input.addEventListener('change', () => save({ ...settings, colors: { ...settings.colors, [type]: input.value } }));
    const reset = el('button', { type: 'button', textContent: 'Gazetteer colour', disabled: !own });
    reset.addEventListener('click', () => {
      const { [type]: _, ...rest } = settings.colors;
      save({ ...settings, colors: rest });
    });
    return el('li', {}, input, el('label', { htmlFor: `color-${type}` }, `${label(t.label) || type} (${type})`), reset);
  }));
}

function bindDisplay() {
  for (const id of ['renderer', 'overlap', 'scope']) {
    $(id).addEventListener('change', () => save({ ...settings, [id]: $(id).value }).catch((err) => say('display-error', err.message)));
  }
  $('observe').addEventListener('change', () => save({ ...settings, observe: $('observe').checked }));
}

// ---- settings file ----

async function exportFile() {
  const texts = {};
  for (const g of settings.gazetteers) {
    const stored = g.key ? await getGazetteer(g.key) : null;
    if (stored) texts[g.key] = stored.text;
  }
  const blob = new Blob([exportSettings(settings, texts)], { type: 'application/json' });
  const a = el('a', { href: URL.createObjectURL(blob), download: 'sorot-settings.json' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
}

async function importFile(file) {
  say('import-error', '');
  $('import-status').textContent = '';
  try {
    const { settings: next, texts } = parseSettingsFile(await file.text());
    // Every gazetteer's text comes with the file or is already here; each is
    // checked and stored under its own key before the settings change.
    const stored = [];
    for (const g of next.gazetteers.filter((x) => x.key)) {
      if (typeof texts[g.key] === 'string') {
        await loadEngine({ gazetteer: [{ text: texts[g.key], name: g.name }] }).then((e) => e.free());
        stored.push({ g, text: texts[g.key] });
      } else if (!(await getGazetteer(g.key))) {
        throw new Error(`gazetteer "${g.name}": its text is neither in the file nor in this browser`);
      }
    }
    for (const { g, text } of stored) g.key = await putGazetteer({ text, name: g.name });
    await save(next);
    $('import-status').textContent = `Imported ${file.name}.`;
  } catch (err) {
    say('import-error', `${file.name}: ${err.message}. Nothing was changed.`);
  }
}

// ---- the page ----

async function draw() {
  drawGazetteers();
  $('sites').value = settings.sites.join('\n');
  for (const id of ['renderer', 'overlap', 'scope']) $(id).value = settings[id];
  $('observe').checked = settings.observe;
  await drawColors();
}

async function main() {
  settings = await loadSettings();
  $('add-file').addEventListener('change', () => {
    const [file] = $('add-file').files;
    if (file) addFile(file).finally(() => { $('add-file').value = ''; });
  });
  $('add-url-button').addEventListener('click', addUrl);
  $('sites-save').addEventListener('click', saveSites);
  $('sites-reset').addEventListener('click', () => { $('sites').value = DEFAULT_SITES.join('\n'); });
  $('export').addEventListener('click', () => exportFile().catch((err) => say('import-error', err.message)));
  $('import').addEventListener('change', () => {
    const [file] = $('import').files;
    if (file) importFile(file).finally(() => { $('import').value = ''; });
  });
  bindDisplay();
  api.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && changes.settings) loadSettings().then((s) => { settings = s; return draw(); });
  });
  await draw();
  document.body.dataset.ready = 'true';
}

main().catch((err) => say('gazetteer-status', err.message));
