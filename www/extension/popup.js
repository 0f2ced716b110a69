// The popup: this page's entities (from the content script's report, kept by the
// service worker), a click to scroll to one and show its card, the type toggles,
// the site switch and "Highlight this page". Opened as a tab for tests:
// popup.html?tab=ID speaks of tab ID.

import { api } from './api.js';
import { message, unwrap } from './messages.js';
import { changeSettings, loadSettings } from './settings.js';
import { siteCovers, siteEnabled, sitePattern } from './sites.js';

const $ = (id) => document.getElementById(id);
const hidden = new Set(); // types turned off in this popup

async function currentTab() {
  const given = new URLSearchParams(location.search).get('tab');
  if (given !== null) return api.tabs.get(Number(given));
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  return tab;
}

function showError(text) {
  $('error').textContent = text;
  $('error').hidden = !text;
}

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else if (k === 'style') Object.assign(e.style, v);
    else if (k in e) e[k] = v;
    else e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
}

/**
 * One list of the page's entities over every frame (a frame's entities after the
 * top frame's). Counts and types are Maps: a type key may be `constructor` or `toString`.
 */
function merge(frames) {
  const byId = new Map();
  /** @type {Map<string, number>} */
  const counts = new Map();
  /** @type {Map<string, {label: string, color: string}>} */
  const types = new Map();
  let error = null;
  for (const f of [...frames].sort((a, b) => a.frameId - b.frameId)) {
    error ??= f.error;
    for (const [t, info] of Object.entries(f.types ?? {})) types.set(t, info);
    for (const [t, n] of Object.entries(f.counts ?? {})) counts.set(t, (counts.get(t) ?? 0) + n);
    for (const e of f.entities) {
      const known = byId.get(e.id);
      if (known) known.mentions += e.mentions;
      else byId.set(e.id, { ...e, frameId: f.frameId });
    }
  }
  return { entities: [...byId.values()], counts, types, error };
}

async function main() {
  const tab = await currentTab();
  let settings = await loadSettings();
  let host = '';
  try {
    const url = new URL(tab?.url ?? '');
    if (url.protocol === 'http:' || url.protocol === 'https:') host = url.hostname;
  } catch {
    // no URL: a page the extension may not see
  }
  $('host').textContent = host || 'this page';

  const site = $('site');
  site.disabled = host === '';
  site.checked = host !== '' && siteEnabled(settings.sites, host);
  site.addEventListener('change', () => {
    showError('');
    if (site.checked) {
      // permissions.request must come first in the click's handler (Firefox).
      api.permissions.request({ origins: [sitePattern(host)] }).then(async (granted) => {
        if (!granted) {
          site.checked = false;
          showError(`sorot was not allowed to read ${host}.`);
          return;
        }
        settings = await changeSettings((now) => ({ ...now, sites: [...now.sites, host] }));
        redraw();
      }).catch((err) => { site.checked = false; showError(err.message); });
    } else {
      changeSettings((now) => ({ ...now, sites: now.sites.filter((entry) => !siteCovers(entry, host)) })).then((saved) => {
        settings = saved;
        redraw();
      }).catch((err) => showError(err.message));
    }
  });

  $('highlight').addEventListener('click', async () => {
    showError('');
    try {
      await unwrap(api.runtime.sendMessage(message('highlightTab', { tabId: tab.id })));
    } catch (err) {
      showError(`This page cannot be highlighted: ${err.message}`);
    }
  });

  let drawn = '';
  // The page may report its highlights gone before the new settings are saved here:
  // once they are, the list and the message ("off on this site") are drawn again.
  function redraw() {
    drawn = '';
    refresh();
  }
  async function refresh() {
    let state;
    try {
      state = await unwrap(api.runtime.sendMessage(message('tabState', { tabId: tab.id })));
    } catch (err) {
      showError(err.message);
      return;
    }
    // Redrawn only when something changed (a click must not land on a list being replaced).
    const json = JSON.stringify(state.frames);
    if (json === drawn) return;
    drawn = json;
    draw(merge(state.frames));
  }

  function draw({ entities, counts, types, error }) {
    const running = types.size > 0 || entities.length > 0;
    $('highlight').hidden = running || !tab?.id;
    if (error) showError(error);
    $('summary').hidden = !running;
    $('empty').hidden = running;
    $('empty').textContent = host && !siteEnabled(settings.sites, host)
      ? 'sorot is off on this site.' : 'Nothing highlighted on this page.';
    if (!running) return;
    const mentions = [...counts.values()].reduce((a, b) => a + b, 0);
    $('total').textContent = `${entities.length} ${entities.length === 1 ? 'entity' : 'entities'}, ${mentions} ${mentions === 1 ? 'mention' : 'mentions'}`;
    const typeList = $('types');
    typeList.replaceChildren(...[...types].filter(([t]) => counts.get(t)).map(([t, info]) => {
      const box = el('input', { type: 'checkbox', checked: !hidden.has(t) });
      box.dataset.type = t;
      box.addEventListener('change', () => {
        if (box.checked) hidden.delete(t);
        else hidden.add(t);
        api.tabs.sendMessage(tab.id, message('setTypeVisible', { type: t, visible: box.checked })).catch(() => {});
      });
      return el('li', {}, el('label', {}, box, el('span', { class: 'swatch', style: { background: info.color } }),
        el('span', { class: 'label' }, info.label), el('span', { class: 'count' }, String(counts.get(t)))));
    }));
    const list = $('entities');
    list.replaceChildren(...entities.map((e) => {
      const color = types.get(e.type)?.color ?? '#dddddd';
      const button = el('button', { type: 'button', class: 'entity', title: `Show the first mention of ${e.label}` },
        el('span', { class: 'swatch', style: { background: color } }),
        el('span', { class: 'name' }, e.label),
        el('span', { class: 'type' }, e.typeLabel),
        el('span', { class: 'mentions' }, `×${e.mentions}`));
      if (e.ambiguous) {
        button.append(el('span', { class: 'ambiguous', title: `Could also be: ${e.also}` }, '?'));
      }
      button.dataset.id = e.id;
      button.addEventListener('click', () => {
        api.tabs.sendMessage(tab.id, message('reveal', { id: e.id }), { frameId: e.frameId }).catch(() => {});
      });
      return el('li', {}, button);
    }));
  }

  api.storage.onChanged.addListener((changes, area) => {
    if (area === 'session' && `tab:${tab.id}` in changes) refresh();
  });
  await refresh();
  document.body.dataset.ready = 'true';
}

main().catch((err) => showError(err.message));
