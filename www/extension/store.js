// The gazetteer store, in the extension's IndexedDB: the text of each gazetteer
// the reader added (from a file or a URL), under a key made of the hash of the text
// (the settings list gazetteers by this key), and the compiled form of the merged
// gazetteers in use, so that a service worker started again loads them in
// milliseconds instead of compiling them. Only this module reads or writes them.

import { compileGazetteer, loadEngine } from 'sorot/engine';

const DB_NAME = 'sorot';
const DB_VERSION = 2;
const STORE = 'gazetteers';
const COMPILED = 'compiled';

/** The version of the stored texts' keys. */
export const ENGINE_FORMAT = 'text-1';

let opened = null;

function db() {
  opened ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const database = request.result;
      if (!database.objectStoreNames.contains(STORE)) database.createObjectStore(STORE, { keyPath: 'key' });
      if (!database.objectStoreNames.contains(COMPILED)) database.createObjectStore(COMPILED, { keyPath: 'key' });
    };
    request.onsuccess = () => {
      const database = request.result;
      // Another context deletes or upgrades the database: let it.
      database.onversionchange = () => {
        database.close();
        opened = null;
      };
      resolve(database);
    };
    request.onerror = () => reject(new Error(`gazetteer store: cannot open IndexedDB (${request.error?.message})`));
  });
  opened.catch(() => { opened = null; });
  return opened;
}

async function transaction(mode, fn, name = STORE) {
  const database = await db();
  return new Promise((resolve, reject) => {
    const tx = database.transaction(name, mode);
    let result;
    Promise.resolve(fn(tx.objectStore(name))).then((r) => { result = r; }, reject);
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(new Error(`gazetteer store: ${tx.error?.message}`));
    tx.onabort = () => reject(new Error(`gazetteer store: ${tx.error?.message ?? 'aborted'}`));
  });
}

const wait = (request) => new Promise((resolve, reject) => {
  request.onsuccess = () => resolve(request.result);
  request.onerror = () => reject(request.error);
});

/**
 * The store key of a gazetteer text: SHA-256 of the text, and the engine format.
 * @param {string} text
 * @returns {Promise<string>}
 */
export async function gazetteerKey(text) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex}:${ENGINE_FORMAT}`;
}

/**
 * Stores a gazetteer's text.
 * @param {{text: string, name: string}} gazetteer
 * @returns {Promise<string>} its key
 */
export async function putGazetteer({ text, name }) {
  const key = await gazetteerKey(text);
  await transaction('readwrite', (store) => { store.put({ key, name, text, stored: Date.now() }); });
  return key;
}

/**
 * A stored gazetteer's text, or null.
 * @param {string} key
 * @returns {Promise<{key: string, name: string, text: string} | null>}
 */
export async function getGazetteer(key) {
  return transaction('readonly', async (store) => (await wait(store.get(key))) ?? null);
}

/**
 * What the engine is given for a stored gazetteer (today: its text and name, as
 * `loadEngine({gazetteer: [{text, name}]})` takes them).
 * @param {{key: string, name: string}} entry an entry of `settings.gazetteers`
 * @returns {Promise<{text: string, name: string}>}
 * @throws {Error} when the text is not in the store
 */
export async function loadSource(entry) {
  const stored = await getGazetteer(entry.key);
  if (!stored) throw new Error(`${entry.name}: its text is missing from the gazetteer store (add it again)`);
  return { text: stored.text, name: entry.name };
}

/**
 * Removes stored texts (those of gazetteers the reader removed).
 * @param {Iterable<string>} keys
 * @returns {Promise<void>}
 */
export async function deleteGazetteers(keys) {
  const list = [...keys];
  if (list.length === 0) return;
  await transaction('readwrite', (store) => { for (const k of list) store.delete(k); });
}

/**
 * An engine for the merged gazetteers `sources` (in order), from their compiled
 * form when it is in the store under `key`; else compiled now and kept, with the
 * compiled format's version (a compiled form another version of the engine cannot
 * read is compiled again). The key names what was merged: the gazetteers' own keys
 * and the extension's version (which fixes the default gazetteer).
 * @param {Array<object>} sources what `loadEngine({gazetteer})` takes, in order
 * @param {string} key
 * @returns {Promise<import('sorot/engine').LocalEngine>}
 */
export async function engineFor(sources, key) {
  const stored = await transaction('readonly', async (store) => (await wait(store.get(key))) ?? null, COMPILED).catch(() => null);
  if (stored) {
    try {
      return await loadEngine({ gazetteer: stored.bytes });
    } catch {
      // Another format, or damaged: compile again below.
    }
  }
  const { bytes, version } = await compileGazetteer(sources);
  await transaction('readwrite', (store) => {
    store.clear(); // one compiled form: the gazetteers in use
    store.put({ key, bytes, version, stored: Date.now() });
  }, COMPILED).catch(() => {});
  return loadEngine({ gazetteer: bytes });
}
