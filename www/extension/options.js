// The options page: gazetteers (the default one on or off; added from a file or
// a URL, checked by the same engine, with the same messages as the CLI, before
// anything is stored; refreshed, ordered, removed), the site list, how
// highlights are drawn, colours per type, and the settings file. Every change is
// saved through update(), one after the other, on the settings as stored when it
// runs; one that changes the gazetteers in use is saved only once they load
// together. An error stays next to the control it came from (the list is redrawn
// whenever the settings change, from the popup too); stored settings this version
// cannot use are said at the top, and kept (see settings.js).

import { gazetteerText, loadEngine, DEFAULT_GAZETTEER_URL } from 'sorot/engine';
import { api } from './api.js';
import { changeSettings, exportSettings, forgetUnusableSettings, parseSettingsFile, readSettings, SETTINGS_KEY, UNUSABLE_KEY } from './settings.js';
import { getGazetteer, loadSource, putGazetteer } from './store.js';
import { checkSite, DEFAULT_SITES, sitePattern } from './sites.js';

const $ = (id) => document.getElementById(id);
let settings = null;
/** Errors shown in a gazetteer's list item, by the gazetteer's id (drawn again with the list). */
const itemErrors = new Map();

let queue = Promise.resolve();
/** Runs the page's saves one after the other, each on the settings the one before saved. */
function serially(action) {
  return (...args) => {
    const done = queue.then(() => action(...args));
    queue = done.catch(() => {});
    return done;
  };
}

function say(id, text) {
  $(id).textContent = text;
  $(id).hidden = !text;
}

/** Shows (or, with '', clears) the error of the gazetteer `id` in its list item. */
function sayItem(id, text) {
  if (text) itemErrors.set(id, text);
  else itemErrors.delete(id);
  const box = document.getElementById(`gazetteer-error-${id}`);
  if (box) say(box.id, text);
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

/** What the engine is given for the enabled gazetteers of `list`. */
async function sources(list) {
  const out = [];
  for (const g of list.filter((x) => x.enabled)) out.push(g.source === 'default' ? { url: DEFAULT_GAZETTEER_URL } : await loadSource(g));
  return out;
}

/**
 * Checks a new gazetteer alone (its own errors, with its name: what the CLI says
 * for that file; update() then checks it with the others). One with no entities
 * (an empty JSON Lines file, a TSV or CSV header alone) is refused: it would
 * highlight nothing, and is most likely the wrong file.
 * @returns {Promise<number>} how many entities it has
 */
async function check(source) {
  const alone = await loadEngine({ gazetteer: [source] });
  const count = alone.entityCount;
  alone.free();
  if (count === 0) throw new Error(`${source.name}: the gazetteer has no entities (nothing to highlight)`);
  return count;
}

/** What every page loads: the enabled gazetteers, in order, with their texts' keys. */
const inUse = (s) => JSON.stringify(s.gazetteers.filter((g) => g.enabled).map((g) => [g.id, g.key ?? '']));

/**
 * Saves a change: `change(settings)` gives the new settings from the settings as
 * stored when it runs (the page's saves run one after the other; one the popup
 * made meanwhile is read again). A change of the gazetteers in use (one turned on
 * or off, moved, removed, refreshed, added, imported: with entities of a later one
 * replacing those of an earlier one, any of these can pass a limit) is saved only
 * once they load together, as every page will load them. What went wrong (and
 * that nothing was changed) goes to `report`; the controls show the settings.
 * @param {(settings: object) => object} change
 * @param {(message: string) => void} report
 * @returns {Promise<boolean>} whether it was saved
 */
const update = serially(async (change, report) => {
  /** Whether `next` (made from `now`) changes the gazetteers in use to some that must be checked. */
  const needsCheck = (now, next) => inUse(next) !== inUse(now) && next.gazetteers.some((g) => g.enabled);
  try {
    for (let tries = 0; tries < 3; tries++) {
      settings = (await readSettings()).settings;
      const first = change(settings);
      let checked = null;
      if (needsCheck(settings, first)) {
        checked = inUse(first);
        const engine = await loadEngine({ gazetteer: await sources(first.gazetteers) });
        engine.free();
      }
      // Made again on the settings as stored now, and written in the same step (a
      // change the popup made during the check is kept); checked again if that
      // changes the gazetteers in use to others than those checked.
      let stale = false;
      const saved = await changeSettings((now) => {
        const next = change(now);
        stale = needsCheck(now, next) && inUse(next) !== checked;
        return stale ? null : next;
      });
      if (stale || !saved) continue;
      settings = saved;
      for (const id of itemErrors.keys()) if (!saved.gazetteers.some((g) => g.id === id)) itemErrors.delete(id);
      await draw();
      return true;
    }
    throw new Error('the settings kept changing while this change was checked; try again');
  } catch (err) {
    await draw().catch(() => {}); // the controls as the settings are
    report(`${err.message}. Nothing was changed.`);
    return false;
  }
});


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
  const entry = { id: newId(), source: 'file', name: file.name, enabled: true, entities, added: new Date().toISOString() };
  const added = await putGazetteer(source).then((key) => update(
    (now) => ({ ...now, gazetteers: [...now.gazetteers, { ...entry, key }] }),
    (message) => say('add-file-error', message),
  ), (err) => { say('add-file-error', `${err.message}. Nothing was changed.`); return false; });
  if (added) $('gazetteer-status').textContent = `Added ${file.name}: ${entities} ${entities === 1 ? 'entity' : 'entities'}.`;
}

/** Fetches a URL gazetteer (asking for its site's permission first) and checks it; `report(message)` says why not. */
function fetchGazetteer(url, report) {
  let parsed;
  try {
    parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error();
  } catch {
    report(`"${url}" is not an http: or https: URL`);
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
    report(err.message);
    return null;
  });
}

function addUrl() {
  say('add-url-error', '');
  const url = $('add-url').value.trim();
  const report = (message) => say('add-url-error', message);
  fetchGazetteer(url, report).then(async (got) => {
    if (!got) return;
    const when = new Date().toISOString();
    const entry = { id: newId(), source: 'url', name: got.source.name, url: got.url, enabled: true, entities: got.entities, added: when, fetched: when };
    const key = await putGazetteer(got.source);
    if (!await update((now) => ({ ...now, gazetteers: [...now.gazetteers, { ...entry, key }] }), report)) return;
    $('add-url').value = '';
    $('gazetteer-status').textContent = `Added ${got.url}: ${got.entities} ${got.entities === 1 ? 'entity' : 'entities'}.`;
  }).catch((err) => report(`${err.message}. Nothing was changed.`));
}

function refreshUrl(entry) {
  sayItem(entry.id, '');
  const report = (message) => sayItem(entry.id, message);
  fetchGazetteer(entry.url, report).then(async (got) => {
    if (!got) return;
    const key = await putGazetteer(got.source);
    const fetched = new Date().toISOString();
    const saved = await update((now) => ({
      ...now,
      gazetteers: now.gazetteers.map((g) => (g.id === entry.id ? { ...g, key, entities: got.entities, fetched } : g)),
    }), report);
    if (saved) $('gazetteer-status').textContent = `Refreshed ${entry.name}: ${got.entities} ${got.entities === 1 ? 'entity' : 'entities'}.`;
  }).catch((err) => report(`${err.message}. Nothing was changed.`));
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
    const report = (message) => sayItem(g.id, message);
    /** A change of this gazetteer's entry; its error by it. */
    const change = (fn) => { sayItem(g.id, ''); update(fn, report); };
    const on = el('input', { type: 'checkbox', checked: g.enabled, title: g.enabled ? 'On' : 'Off' });
    on.addEventListener('change', () => {
      const enabled = on.checked;
      change((now) => ({ ...now, gazetteers: now.gazetteers.map((x) => (x.id === g.id ? { ...x, enabled } : x)) }));
    });
    const name = g.source === 'default' ? 'Default gazetteer (Indonesian and English news)' : g.name;
    const detail = g.source === 'default' ? 'built in'
      : `${g.source === 'url' ? g.url : 'from a file'}; ${g.entities ?? '?'} entities; added ${g.added?.slice(0, 10) ?? ''}`;
    const buttons = [];
    const button = (label, title, fn, disabled = false) => {
      const b = el('button', { type: 'button', textContent: label, title, disabled });
      b.addEventListener('click', fn);
      buttons.push(b);
    };
    // Moved by its id in the list as it is when the change runs.
    const moved = (by) => (now) => {
      const at = now.gazetteers.findIndex((x) => x.id === g.id);
      const to = at + by;
      return at < 0 || to < 0 || to >= now.gazetteers.length ? now : { ...now, gazetteers: move(now.gazetteers, at, by) };
    };
    button('↑', 'Earlier (an entity of a later gazetteer replaces one with the same id)', () => change(moved(-1)), i === 0);
    button('↓', 'Later', () => change(moved(1)), i === list.length - 1);
    if (g.source === 'url') button('Refresh', `Fetch ${g.url} again`, () => refreshUrl(g));
    if (g.source !== 'default') button('Remove', `Remove ${g.name}`, () => change((now) => ({ ...now, gazetteers: now.gazetteers.filter((x) => x.id !== g.id) })));
    const item = el('li', { class: 'gazetteer' },
      el('label', {}, on, el('span', { class: 'name' }, name)),
      el('span', { class: 'detail' }, detail),
      el('span', { class: 'buttons' }, ...buttons),
      el('p', { class: 'error', id: errorId, role: 'alert', hidden: !itemErrors.has(g.id), textContent: itemErrors.get(g.id) ?? '' }));
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
    await update((now) => ({ ...now, sites }), (message) => say('sites-error', message));
  }).catch((err) => say('sites-error', err.message));
}

// ---- display ----

/** The types of the gazetteers that are on, merged; or why they do not load. */
async function typesInUse() {
  if (!settings.gazetteers.some((g) => g.enabled)) return { types: {}, error: '' };
  try {
    const engine = await loadEngine({ gazetteer: await sources(settings.gazetteers) });
    // The types of the merged gazetteer (an undeclared type is listed too, with its key as label).
    const g = JSON.parse((await engine.info()).head);
    engine.free();
    return { types: { ...(g.types ?? {}) }, error: '' };
  } catch (err) {
    return { types: {}, error: err.message };
  }
}

function label(value) {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') return value.en ?? Object.values(value)[0] ?? '';
  return '';
}

async function drawColors() {
  const { types, error } = await typesInUse();
  say('colors-error', error && `No colours to set: the gazetteers that are on do not load: ${error}`);
  $('colors').replaceChildren(...Object.entries(types).map(([type, t]) => {
    // A type key may be `constructor` or `toString`: only the colours' own keys count.
    const own = Object.hasOwn(settings.colors, type);
    const input = el('input', { type: 'color', value: (own ? settings.colors[type] : t.color) ?? '#dddddd', id: `color-${type}` });
    input.addEventListener('change', () => {
      const color = input.value;
      update((now) => ({ ...now, colors: { ...now.colors, [type]: color } }), (message) => say('display-error', message));
    });
    const reset = el('button', { type: 'button', textContent: 'Gazetteer colour', disabled: !own });
    reset.addEventListener('click', () => {
      update((now) => {
        const { [type]: _, ...rest } = now.colors;
        return { ...now, colors: rest };
      }, (message) => say('display-error', message));
    });
    return el('li', {}, input, el('label', { htmlFor: `color-${type}` }, `${label(t.label) || type} (${type})`), reset);
  }));
}

function bindDisplay() {
  for (const id of ['renderer', 'overlap', 'scope']) {
    $(id).addEventListener('change', () => {
      const value = $(id).value;
      say('display-error', '');
      update((now) => ({ ...now, [id]: value }), (message) => say('display-error', message));
    });
  }
  $('observe').addEventListener('change', () => {
    const observe = $('observe').checked;
    say('display-error', '');
    update((now) => ({ ...now, observe }), (message) => say('display-error', message));
  });
}

// ---- settings file ----

async function exportFile() {
  const texts = {};
  for (const g of settings.gazetteers) {
    const stored = g.key ? await getGazetteer(g.key) : null;
    if (stored) texts[g.key] = stored.text;
  }
  download(exportSettings(settings, texts), 'sorot-settings.json');
}

/** Offers `text` as a JSON file named `name`. */
function download(text, name) {
  const blob = new Blob([text], { type: 'application/json' });
  const a = el('a', { href: URL.createObjectURL(blob), download: name });
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
    // update() loads those it turns on together, as every page will, before saving.
    if (await update(() => next, (message) => say('import-error', `${file.name}: ${message}`))) {
      itemErrors.clear();
      drawGazetteers();
      $('import-status').textContent = `Imported ${file.name}.`;
    }
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

/** Whether the stored settings in place are unusable (else a copy kept aside is what is shown). */
let problemShown = false;

/** Says at the top when the stored settings cannot be used, or were kept (settings.js). */
function drawProblem({ problem, kept }) {
  const text = problem
    ? `The stored settings cannot be used (${problem}), so the defaults are shown. They stay stored until a change is saved (here, or the popup's switch for a site); they are then kept aside. "Download them" saves them as a file.`
    : kept
      ? `Settings that could not be used (${kept.problem}) were kept aside on ${String(kept.kept).slice(0, 10)}, when something was saved over them.`
      : '';
  $('settings-problem-text').textContent = text;
  $('settings-problem').hidden = !text;
  $('settings-problem-forget').hidden = Boolean(problem) || !kept;
  problemShown = Boolean(problem);
}

/** Draws the page again for settings changed elsewhere (the popup, or this page's own save, already drawn). */
async function drawSettings() {
  const read = await readSettings();
  drawProblem(read);
  if (JSON.stringify(read.settings) === JSON.stringify(settings)) return;
  settings = read.settings;
  await draw();
}

/** Saves the stored settings this version cannot use (as kept, or as they are stored) as a file. */
async function downloadProblem() {
  const stored = await api.storage.local.get([SETTINGS_KEY, UNUSABLE_KEY]);
  // The stored ones while they are in place, else the copy kept aside.
  const raw = problemShown ? stored[SETTINGS_KEY] : stored[UNUSABLE_KEY]?.settings;
  download(`${JSON.stringify(raw, null, 2)}\n`, 'sorot-settings-unusable.json');
}

async function main() {
  const read = await readSettings();
  settings = read.settings;
  drawProblem(read);
  $('settings-problem-download').addEventListener('click', () => downloadProblem().catch((err) => say('settings-problem-text', err.message)));
  $('settings-problem-forget').addEventListener('click', () => forgetUnusableSettings().then(drawSettings)
    .catch((err) => say('settings-problem-text', err.message)));
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
    if (area === 'local' && (changes[SETTINGS_KEY] || changes[UNUSABLE_KEY])) drawSettings().catch((err) => say('gazetteer-status', err.message));
  });
  await draw();
  document.body.dataset.ready = 'true';
}

main().catch((err) => say('gazetteer-status', err.message));
