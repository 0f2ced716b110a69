// The gazetteer store: the text of each gazetteer the reader added (from a file
// or a URL), kept in the extension's IndexedDB under a key made of the hash of
// the text and the engine format. The settings list gazetteers by this key; only
// this module reads or writes the texts.
//
// When the engine can load compiled gazetteers, this is the one place to change:
// `ENGINE_FORMAT` becomes the compiled format's version, `putGazetteer` stores
// the compiled bytes beside the text, and `loadSource` gives those bytes to the
// engine (compiling the text again when the format changed).

const DB_NAME = 'sorot';
const DB_VERSION = 1;
const STORE = 'gazetteers';

/** What the engine loads from the store: the gazetteer's text (no compiled form yet). */
export const ENGINE_FORMAT = 'text-1';

let opened = null;

function db() {
  opened ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'key' });
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
}
