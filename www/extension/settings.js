// The extension's settings: one object under the key `settings` in
// `storage.local`, in the schema below (also written down in the README, "The
// browser extension"). Every reader goes through `migrate()`, which completes
// and checks what is stored (or imported) and lifts an older version to this
// one; a bad object is refused with an Error that names the field.
//
//   {
//     "version": 1,
//     "sites": ["*.kompas.com", "www.example.org", ...],
//     "gazetteers": [{"id": "default", "source": "default", "enabled": true},
//                    {"id": "g-1a2b3c4d", "source": "file", "name": "mine.tsv", "key": "…", "enabled": true,
//                     "entities": 12, "added": "2026-12-01T10:00:00.000Z"},
//                    {"id": "g-…", "source": "url", "url": "https://…/cities.csv", ...}],
//     "renderer": "auto", "overlap": "longest", "scope": "page", "observe": true,
//     "colors": {"PER": "#ffd54f"}
//   }

import { api } from './api.js';
import { DEFAULT_SITES, checkSite } from './sites.js';

/** The version this code writes. */
export const SETTINGS_VERSION = 1;

/** The key in `storage.local`. */
export const SETTINGS_KEY = 'settings';

/**
 * The key in `storage.local` where stored settings that could not be used (written
 * by a newer version, or damaged) are kept when something is saved over them:
 * `{settings, problem, kept}` (what was stored, why it could not be used, when).
 */
export const UNUSABLE_KEY = 'settingsUnusable';

/** The id of the default gazetteer's entry. */
export const DEFAULT_GAZETTEER_ID = 'default';

/** @returns {object} the settings of a new install */
export function defaultSettings() {
  return {
    version: SETTINGS_VERSION,
    sites: [...DEFAULT_SITES],
    gazetteers: [{ id: DEFAULT_GAZETTEER_ID, source: 'default', enabled: true }],
    renderer: 'auto',
    overlap: 'longest',
    scope: 'page',
    observe: true,
    colors: {},
  };
}

const CHOICES = {
  renderer: ['auto', 'highlight-api', 'mark'],
  overlap: ['longest', 'all'],
  scope: ['page', 'article'],
};
const KEYS = new Set(['version', 'sites', 'gazetteers', 'renderer', 'overlap', 'scope', 'observe', 'colors']);
const GAZETTEER_KEYS = new Set(['id', 'source', 'enabled', 'name', 'url', 'key', 'entities', 'added', 'fetched']);
const COLOR = /^#[0-9a-f]{6}$/i;
const TYPE = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * Migrations from older versions: `MIGRATIONS[n]` turns version n into n + 1.
 * Version 1 is the first; a change of schema adds its step here.
 * @type {Record<number, (old: object) => object>}
 */
const MIGRATIONS = {};

/**
 * Settings as stored or imported, brought to this version, completed with the
 * defaults and checked.
 * @param {unknown} raw `undefined` (nothing stored yet) gives the defaults
 * @returns {object}
 * @throws {Error} `settings.FIELD: what is wrong`
 */
export function migrate(raw) {
  if (raw === undefined || raw === null) return defaultSettings();
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new Error('settings: expected a JSON object');
  let s = structuredClone(raw);
  const version = s.version ?? SETTINGS_VERSION;
  if (!Number.isInteger(version) || version < 1) throw new Error(`settings.version: ${JSON.stringify(s.version)} is not a settings version`);
  if (version > SETTINGS_VERSION) {
    throw new Error(`settings.version: ${version} was written by a newer sorot (this one reads up to version ${SETTINGS_VERSION})`);
  }
  for (let v = version; v < SETTINGS_VERSION; v++) s = MIGRATIONS[v](s);
  for (const key of Object.keys(s)) {
    if (!KEYS.has(key)) throw new Error(`settings.${key}: unknown setting`);
  }
  const out = { ...defaultSettings(), ...s, version: SETTINGS_VERSION };
  if (!Array.isArray(out.sites)) throw new Error('settings.sites: expected a list of host names');
  out.sites = [...new Set(out.sites.map((site, i) => {
    try {
      return checkSite(site);
    } catch (err) {
      throw new Error(`settings.sites[${i}]: ${err.message}`);
    }
  }))];
  out.gazetteers = checkGazetteers(out.gazetteers);
  for (const [key, allowed] of Object.entries(CHOICES)) {
    if (!allowed.includes(out[key])) {
      throw new Error(`settings.${key}: ${JSON.stringify(out[key])} is not one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
    }
  }
  if (typeof out.observe !== 'boolean') throw new Error(`settings.observe: must be true or false, not ${JSON.stringify(out.observe)}`);
  if (!out.colors || typeof out.colors !== 'object' || Array.isArray(out.colors)) throw new Error('settings.colors: expected an object of type: "#rrggbb"');
  for (const [type, color] of Object.entries(out.colors)) {
    if (!TYPE.test(type)) throw new Error(`settings.colors: ${JSON.stringify(type)} is not a type key`);
    if (typeof color !== 'string' || !COLOR.test(color)) throw new Error(`settings.colors.${type}: ${JSON.stringify(color)} is not a colour such as "#ffd54f"`);
    out.colors[type] = color.toLowerCase();
  }
  return out;
}

function checkGazetteers(list) {
  if (!Array.isArray(list)) throw new Error('settings.gazetteers: expected a list');
  const ids = new Set();
  return list.map((g, i) => {
    const where = `settings.gazetteers[${i}]`;
    if (!g || typeof g !== 'object' || Array.isArray(g)) throw new Error(`${where}: expected an object`);
    for (const key of Object.keys(g)) {
      if (!GAZETTEER_KEYS.has(key)) throw new Error(`${where}.${key}: unknown field`);
    }
    if (typeof g.id !== 'string' || g.id === '') throw new Error(`${where}.id: expected a non-empty string`);
    if (ids.has(g.id)) throw new Error(`${where}.id: "${g.id}" is listed twice`);
    ids.add(g.id);
    const out = { ...g, enabled: g.enabled ?? true };
    if (typeof out.enabled !== 'boolean') throw new Error(`${where}.enabled: must be true or false`);
    if (g.source === 'default') {
      if (g.id !== DEFAULT_GAZETTEER_ID) throw new Error(`${where}.id: the default gazetteer's id is "${DEFAULT_GAZETTEER_ID}"`);
      return out;
    }
    if (g.source !== 'file' && g.source !== 'url') throw new Error(`${where}.source: ${JSON.stringify(g.source)} is not one of "default", "file", "url"`);
    if (typeof g.name !== 'string' || g.name === '') throw new Error(`${where}.name: expected a non-empty string`);
    if (typeof g.key !== 'string' || g.key === '') throw new Error(`${where}.key: expected the key of its text in the gazetteer store`);
    if (g.source === 'url') {
      let url;
      try {
        url = new URL(g.url);
      } catch {
        throw new Error(`${where}.url: ${JSON.stringify(g.url)} is not a URL`);
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`${where}.url: only http: and https: URLs`);
    }
    return out;
  });
}

/**
 * The settings in force.
 * @returns {Promise<object>}
 */
export async function loadSettings() {
  const { settings, problem } = await readSettings();
  if (problem) console.error(`sorot: the stored settings are unusable, the defaults apply: ${problem}`);
  return settings;
}

/**
 * The settings in force, and what the options page tells the reader about them.
 * @returns {Promise<{settings: object, problem: string|null, kept: {settings: unknown, problem: string, kept: string}|null}>}
 *   `problem`: why the stored settings cannot be used (the defaults then apply);
 *   `kept`: unusable settings kept by {@link saveSettings}, if any
 */
export async function readSettings() {
  const stored = await api.storage.local.get([SETTINGS_KEY, UNUSABLE_KEY]);
  const kept = stored[UNUSABLE_KEY] ?? null;
  try {
    return { settings: migrate(stored[SETTINGS_KEY]), problem: null, kept };
  } catch (err) {
    return { settings: defaultSettings(), problem: err.message, kept };
  }
}

/**
 * Checks and stores settings; open tabs and the service worker follow the change.
 * Stored settings that cannot be used are not lost: a save over them keeps them
 * under {@link UNUSABLE_KEY} (the options page offers them as a file).
 * @param {object} settings
 * @returns {Promise<object>} what was stored
 */
export async function saveSettings(settings) {
  const checked = migrate(settings);
  const stored = await api.storage.local.get(SETTINGS_KEY);
  if (stored[SETTINGS_KEY] !== undefined) {
    try {
      migrate(stored[SETTINGS_KEY]);
    } catch (err) {
      const kept = { settings: stored[SETTINGS_KEY], problem: err.message, kept: new Date().toISOString() };
      await api.storage.local.set({ [UNUSABLE_KEY]: kept });
    }
  }
  await api.storage.local.set({ [SETTINGS_KEY]: checked });
  return checked;
}

/** The Web Lock every change of the stored settings holds while it reads and writes them. */
const SETTINGS_LOCK = 'sorot-settings';

/**
 * Changes the stored settings in one step across the extension's pages (the
 * options page, the popup): `change` is given the settings as stored and returns
 * the new ones, or null to change nothing; no other change is written between the
 * read and the write (a Web Lock the pages share), so none is lost.
 * @param {(settings: object) => object|null} change
 * @returns {Promise<object|null>} what was stored, or null
 */
export async function changeSettings(change) {
  const run = async () => {
    const next = change((await readSettings()).settings);
    return next ? saveSettings(next) : null;
  };
  return globalThis.navigator?.locks ? navigator.locks.request(SETTINGS_LOCK, run) : run();
}

/** Forgets the unusable settings {@link saveSettings} kept. */
export async function forgetUnusableSettings() {
  await api.storage.local.remove(UNUSABLE_KEY);
}

/**
 * Calls `fn(settings)` whenever the stored settings change.
 * @param {(settings: object) => void} fn
 */
export function onSettingsChanged(fn) {
  api.storage.onChanged.addListener((changes, area) => {
    if (area !== 'local' || !(SETTINGS_KEY in changes)) return;
    let s;
    try {
      s = migrate(changes[SETTINGS_KEY].newValue);
    } catch {
      s = defaultSettings();
    }
    fn(s);
  });
}

/**
 * The settings file of "Export": the settings, and the text of each gazetteer
 * they list (so that an import elsewhere has them).
 * @param {object} settings
 * @param {Record<string, string>} texts gazetteer texts by store key
 * @returns {string}
 */
export function exportSettings(settings, texts = {}) {
  return `${JSON.stringify({ sorot: 'settings', ...settings, gazetteerTexts: texts }, null, 2)}\n`;
}

/**
 * Reads an exported settings file.
 * @param {string} text
 * @returns {{settings: object, texts: Record<string, string>}} the settings, checked,
 *   and the gazetteer texts the file carries
 * @throws {Error} saying why the file cannot be used
 */
export function parseSettingsFile(text) {
  let raw;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`not a settings file: the JSON cannot be read (${err.message})`);
  }
  if (!raw || typeof raw !== 'object' || raw.sorot !== 'settings') {
    throw new Error('not a settings file: it lacks "sorot": "settings" (use a file made by Export)');
  }
  const { sorot, gazetteerTexts = {}, ...settings } = raw;
  if (!gazetteerTexts || typeof gazetteerTexts !== 'object' || Object.values(gazetteerTexts).some((t) => typeof t !== 'string')) {
    throw new Error('gazetteerTexts: expected an object of texts');
  }
  return { settings: migrate(settings), texts: gazetteerTexts };
}
