// The service worker (Chromium) or background script (Firefox): owns the engine
// behind a ready promise and answers the content scripts over the library's
// engine protocol (one runtime port per page, `serveEngine`), registers the
// content script for the sites in the settings, keeps each tab's highlights for
// the badge and the popup, and handles the keyboard shortcut. Its own messages
// (messages.js) go through one `handleRequest` switch.
//
// It can be stopped whenever it is idle (about 30 s): nothing here lives only in
// memory that cannot be had again (the engine is loaded again on the next port,
// the tabs' state is kept in storage.session).

import { loadEngine, serveEngine, DEFAULT_GAZETTEER_URL } from 'sorot/engine';
import { api } from './api.js';
import { ENGINE_PORT, listener, message } from './messages.js';
import { loadSettings, migrate } from './settings.js';
import { deleteGazetteers, loadSource } from './store.js';
import { siteEnabled, sitePattern } from './sites.js';

const CONTENT_SCRIPT_ID = 'sorot';
const CONTENT_SCRIPT = 'content.js';

// ---- the engine ----

/** What an engine is made of: the enabled gazetteers (in order) and the colours. */
function engineKey(settings) {
  const gazetteers = settings.gazetteers.filter((g) => g.enabled).map((g) => (g.source === 'default' ? 'default' : g.key));
  return JSON.stringify({ gazetteers, colors: settings.colors });
}

/**
 * The engine for these settings: the library's, with the reader's colours put in
 * the gazetteer's types (what every page asks for first; the entities themselves
 * go to a page only as it shows them).
 */
async function buildEngine(settings) {
  const sources = [];
  for (const g of settings.gazetteers.filter((x) => x.enabled)) {
    sources.push(g.source === 'default' ? { url: DEFAULT_GAZETTEER_URL } : await loadSource(g));
  }
  if (sources.length === 0) throw new Error('no gazetteer is on (turn one on in the options)');
  // The default gazetteer alone is shipped compiled; anything else is compiled once
  // and kept compiled in the extension's IndexedDB (the library's cache, keyed by
  // what is merged and sorot's versions), so that a service worker started again
  // loads it in milliseconds.
  const engine = await loadEngine({ gazetteer: sources, cache: true });
  let info = null;
  return {
    async info() {
      if (info === null) {
        const plain = await engine.info();
        info = Object.keys(settings.colors).length === 0 ? plain : { ...plain, head: recolor(plain.head, settings.colors) };
      }
      return info;
    },
    entities: (indexes) => engine.entities(indexes),
    find: (text, options) => engine.find(text, options),
    findBlocks: (doc, blocks, options) => engine.findBlocks(doc, blocks, options),
    closeDocument: (doc) => engine.closeDocument(doc),
    free: () => engine.free(),
  };
}

function recolor(text, colors) {
  const g = JSON.parse(text);
  g.types ??= {};
  for (const [type, color] of Object.entries(colors)) g.types[type] = { ...(Object.hasOwn(g.types, type) ? g.types[type] : {}), color };
  return JSON.stringify(g);
}

/** The engine in use: {key, engine (a promise), ports (how many pages use it)}. */
let slot = null;

async function currentSlot() {
  const settings = await loadSettings();
  const key = engineKey(settings);
  if (slot?.key !== key) {
    if (slot) retire(slot);
    const fresh = { key, ports: 0, retired: false, engine: buildEngine(settings) };
    fresh.engine.catch(() => { if (slot === fresh) slot = null; });
    slot = fresh;
  }
  return slot;
}

function retire(old) {
  old.retired = true;
  if (old.ports === 0) freeLater(old);
}

function freeLater(old) {
  // After serveEngine has closed its documents.
  setTimeout(() => old.engine.then((e) => e.free(), () => {}), 0);
}

// The worker was started, most often for a page that wants the engine: start
// loading it now rather than when the port's first request arrives. (When it
// started is kept for whoever wonders how often the browser stops it.)
currentSlot().catch(() => {});
api.storage.session.set({ workerStarted: Date.now() }).catch(() => {});

api.runtime.onConnect.addListener((port) => {
  if (port.name !== ENGINE_PORT) return;
  const slotPromise = currentSlot();
  let mine = null;
  let gone = false;
  slotPromise.then((s) => {
    if (gone) return;
    mine = s;
    s.ports += 1;
  }, () => {});
  port.onDisconnect.addListener(() => {
    gone = true;
    forgetFrame(port);
    if (!mine) return;
    mine.ports -= 1;
    if (mine.retired && mine.ports === 0) freeLater(mine);
  });
  serveEngine(port, { engine: slotPromise.then((s) => s.engine) });
});

// ---- where the content script runs ----

let syncing = Promise.resolve();

/** Registers the content script for the sites of the settings that have their host permission. */
function syncContentScripts(settings) {
  syncing = syncing.catch(() => {}).then(async () => {
    const patterns = [];
    for (const site of settings.sites) {
      const pattern = sitePattern(site);
      if (await api.permissions.contains({ origins: [pattern] })) patterns.push(pattern);
    }
    const existing = await api.scripting.getRegisteredContentScripts({ ids: [CONTENT_SCRIPT_ID] });
    if (patterns.length === 0) {
      if (existing.length > 0) await api.scripting.unregisterContentScripts({ ids: [CONTENT_SCRIPT_ID] });
      return;
    }
    const script = { id: CONTENT_SCRIPT_ID, js: [CONTENT_SCRIPT], matches: patterns, runAt: 'document_idle', allFrames: true, persistAcrossSessions: true };
    if (existing.length > 0) await api.scripting.updateContentScripts([script]);
    else await api.scripting.registerContentScripts([script]);
  });
  return syncing;
}

/** Puts the content script in the open tabs of sites just turned on (it starts by itself there). */
async function injectIntoOpenTabs(sites) {
  const patterns = [];
  for (const site of sites) {
    const pattern = sitePattern(site);
    if (await api.permissions.contains({ origins: [pattern] })) patterns.push(pattern);
  }
  if (patterns.length === 0) return;
  for (const tab of await api.tabs.query({ url: patterns })) {
    await inject(tab.id).catch(() => {});
  }
}

function inject(tabId) {
  return api.scripting.executeScript({ target: { tabId, allFrames: true }, files: [CONTENT_SCRIPT] });
}

async function withSettings(fn) {
  fn(await loadSettings());
}

// On install (and update) the tabs already open on the sites are highlighted too.
api.runtime.onInstalled.addListener(() => withSettings(async (s) => {
  await syncContentScripts(s);
  await injectIntoOpenTabs(s.sites);
}));
api.runtime.onStartup?.addListener(() => withSettings(syncContentScripts));
api.permissions.onAdded?.addListener(() => withSettings(syncContentScripts));
api.permissions.onRemoved?.addListener(() => withSettings(syncContentScripts));
api.storage.onChanged.addListener((changes, area) => {
  if (area !== 'local' || !changes.settings) return;
  let before;
  let after;
  try {
    before = migrate(changes.settings.oldValue);
    after = migrate(changes.settings.newValue);
  } catch {
    return;
  }
  syncContentScripts(after).then(() => injectIntoOpenTabs(after.sites.filter((s) => !before.sites.includes(s))));
  // The texts of gazetteers this change removed (never one that is being added).
  const used = new Set(after.gazetteers.filter((g) => g.key).map((g) => g.key));
  deleteGazetteers(before.gazetteers.filter((g) => g.key && !used.has(g.key)).map((g) => g.key)).catch(() => {});
});

// ---- each tab's highlights: the badge, the popup ----

const tabKey = (tabId) => `tab:${tabId}`;
const tabQueues = new Map();

/** Changes one tab's record ({frames: {frameId: {...}}}) in storage.session, one change at a time. */
function updateTab(tabId, change) {
  const run = (tabQueues.get(tabId) ?? Promise.resolve()).catch(() => {}).then(async () => {
    const key = tabKey(tabId);
    const stored = (await api.storage.session.get(key))[key];
    const record = structuredClone(stored ?? { frames: {} });
    change(record);
    if (JSON.stringify(record) !== JSON.stringify(stored ?? { frames: {} })) {
      if (Object.keys(record.frames).length === 0) await api.storage.session.remove(key);
      else await api.storage.session.set({ [key]: record });
    }
    // (Also when nothing changed: the browser may have reset the tab's badge.)
    await showBadge(tabId, record);
  });
  tabQueues.set(tabId, run);
  run.finally(() => { if (tabQueues.get(tabId) === run) tabQueues.delete(tabId); });
  return run;
}

async function showBadge(tabId, record) {
  const frames = Object.values(record.frames);
  const ids = new Set();
  for (const f of frames) for (const e of f.entities) ids.add(e.id);
  const failed = frames.some((f) => f.error);
  const text = frames.length === 0 ? '' : failed && ids.size === 0 ? '!' : String(ids.size);
  await api.action.setBadgeText({ tabId, text }).catch(() => {});
  if (text !== '') await api.action.setBadgeBackgroundColor({ tabId, color: failed ? '#b3261e' : '#3d5afe' }).catch(() => {});
}

// A tab starts loading a page of a site in the list (its URL is visible only with
// the site's permission): load the engine now, while the page loads, rather than
// when its content script asks (a cold start off the reader's path).
function prewarm(tabId, change, tab) {
  if (change.status !== 'loading' || slot || !tab?.url) return;
  let host;
  try {
    host = new URL(tab.url).hostname;
  } catch {
    return;
  }
  loadSettings().then((s) => { if (siteEnabled(s.sites, host)) currentSlot().catch(() => {}); });
}
try {
  api.tabs.onUpdated.addListener(prewarm, { properties: ['status'] }); // Firefox: only status changes
} catch {
  api.tabs.onUpdated.addListener(prewarm);
}

// A frame's record goes with its document: when its content script's port to the
// engine closes (the page left, or its highlighter was replaced: the next report
// comes right after). A service worker being stopped closes ports too, but then no
// listener runs.
function forgetFrame(port) {
  const tabId = port.sender?.tab?.id;
  if (tabId === undefined) return;
  const frameId = String(port.sender.frameId ?? 0);
  updateTab(tabId, (r) => { delete r.frames[frameId]; });
}
api.tabs.onRemoved.addListener((tabId) => { api.storage.session.remove(tabKey(tabId)).catch(() => {}); });

/** Highlights a tab whatever the site list says (the popup's button, the shortcut). */
async function highlightTab(tabId) {
  await inject(tabId);
  await api.tabs.sendMessage(tabId, message('highlight'));
}

api.commands?.onCommand.addListener(async (command, tab) => {
  if (command !== 'toggle-page') return;
  const tabId = tab?.id ?? (await api.tabs.query({ active: true, currentWindow: true }))[0]?.id;
  if (tabId === undefined) return;
  try {
    await api.tabs.sendMessage(tabId, message('toggle'));
  } catch {
    await highlightTab(tabId).catch((err) => console.warn(`sorot: cannot highlight this tab: ${err.message}`));
  }
});

/** The one switch for the extension's own messages (messages.js). */
async function handleRequest(m, sender) {
  switch (m.kind) {
    case 'report': {
      const tabId = sender.tab?.id;
      if (tabId === undefined) return undefined;
      const frameId = String(sender.frameId ?? 0);
      await updateTab(tabId, (r) => {
        if (!m.running) delete r.frames[frameId];
        else r.frames[frameId] = { url: sender.url ?? '', counts: m.counts, types: m.types, entities: m.entities, error: m.error ?? null, timing: m.timing ?? null };
      });
      return undefined;
    }
    case 'tabState': {
      await tabQueues.get(m.tabId);
      const key = tabKey(m.tabId);
      const record = (await api.storage.session.get(key))[key] ?? { frames: {} };
      return { frames: Object.entries(record.frames).map(([frameId, f]) => ({ frameId: Number(frameId), ...f })) };
    }
    case 'highlightTab':
      await highlightTab(m.tabId);
      return undefined;
    default:
      throw new Error(`the service worker does not handle "${m.kind}"`);
  }
}

api.runtime.onMessage.addListener(listener(handleRequest));
