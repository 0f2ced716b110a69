// The gazetteer store, in the extension's IndexedDB: the text of each gazetteer
// the reader added (from a file or a URL), under a key made of the hash of the text
// (the settings list gazetteers by this key). Only this module reads or writes
// them. (Their compiled form is kept by the library: loadEngine's `cache`.)

import { clearGazetteerCache } from 'sorot/engine';

const DB_NAME = 'sorot';
const DB_VERSION = 3;
const STORE = 'gazetteers';

/** The version of the stored texts' keys. */
export const ENGINE_FORMAT = 'text-1';

let opened = null;

function db() {
  opened ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const database = request.result;
      if (!database.objectStoreNames.contains(STORE)) database.createObjectStore(STORE, { keyPath: 'key' });
      // Version 2 had the compiled forms here too: the library's cache keeps them now.
      if (database.objectStoreNames.contains('compiled')) database.deleteObjectStore('compiled');
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

async function transaction(mode, fn) {
  const database = await db();
  return new Promise((resolve, reject) => {
    const tx = database.transaction(STORE, mode);
    let result;
    Promise.resolve(fn(tx.objectStore(STORE))).then((r) => { result = r; }, reject);
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
  // Their entities must not stay behind in a compiled form either.
  await clearGazetteerCache();
}
