// A cache of compiled gazetteers in IndexedDB (the `cache` option of
// createHighlighter): a text gazetteer is compiled once, in the compiler module,
// and later visits load its compiled form without that module. An entry is keyed
// by the SHA-256 of what was compiled (each part's kind, origin and bytes, in
// order), the compiled format's version and sorot's version; only the last few
// stored are kept. A
// context without IndexedDB or crypto.subtle (an insecure origin), or a database
// the browser refuses, compiles every time: the cache never makes loading fail.

const DB_NAME = 'sorot-compiled-gazetteers';
const STORE = 'compiled';
/** How many compiled gazetteers are kept (the most recently stored). */
const KEEP = 8;

/** How long an IndexedDB call may take before the cache is given up for this load. */
const PATIENCE_MS = 2000;

/**
 * `promise`, or `fallback` once PATIENCE_MS have passed (a database that never
 * answers must not hold up loading).
 * @template T
 * @param {Promise<T>} promise
 * @param {T} fallback
 * @returns {Promise<T>}
 */
function patiently(promise, fallback) {
  let timer;
  const late = new Promise((resolve) => { timer = setTimeout(() => resolve(fallback), PATIENCE_MS); });
  return Promise.race([promise.catch(() => fallback), late]).finally(() => clearTimeout(timer));
}

/**
 * The key of what is compiled: hex SHA-256 of the versions and the parts (each
 * with its origin, whose file extension chooses how a text is read).
 * @param {Array<{compiled?: Uint8Array, text?: string, origin?: string}>} items
 * @param {string} versions sorot's and the format's versions
 * @returns {Promise<string|null>} null where the cache cannot be used
 */
export async function cacheKey(items, versions) {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle || typeof globalThis.indexedDB === 'undefined') return null;
  const encoder = new TextEncoder();
  const chunks = [encoder.encode(`${versions}\n`)];
  for (const item of items) {
    const bytes = item.compiled ?? encoder.encode(item.text ?? '');
    const origin = encoder.encode(item.origin ?? '');
    chunks.push(encoder.encode(`${item.compiled ? 'compiled' : 'text'} ${origin.length} ${bytes.length}\n`), origin, bytes);
  }
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  const digest = new Uint8Array(await subtle.digest('SHA-256', all));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** @returns {Promise<IDBDatabase>} */
function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    let settled = false;
    const timer = setTimeout(() => { settled = true; reject(new Error('IndexedDB did not answer')); }, PATIENCE_MS);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'key' }).createIndex('stored', 'stored');
    request.onsuccess = () => {
      clearTimeout(timer);
      // Given up on already: this connection is not used.
      if (settled) request.result.close();
      else resolve(request.result);
      settled = true;
    };
    request.onerror = () => {
      clearTimeout(timer);
      settled = true;
      reject(request.error ?? new Error('IndexedDB refused'));
    };
  });
}

/**
 * Runs `work(store)` in a transaction and resolves when it is committed.
 * @template T
 * @param {IDBTransactionMode} mode
 * @param {(store: IDBObjectStore) => T} work
 * @returns {Promise<T>}
 */
async function inStore(mode, work) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      let result;
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
      result = work(tx.objectStore(STORE));
    });
  } finally {
    db.close();
  }
}

/**
 * The compiled gazetteer stored under `key`, or null (none, or no IndexedDB).
 * @param {string} key
 * @returns {Promise<Uint8Array|null>}
 */
export async function cachedCompiled(key) {
  const read = async () => {
    let request;
    await inStore('readonly', (store) => { request = store.get(key); });
    const bytes = request?.result?.bytes;
    return bytes instanceof Uint8Array ? bytes : null;
  };
  return patiently(read(), null);
}

/**
 * Keeps `bytes` under `key` (the entry's time is now), then only the KEEP most
 * recent entries. Failures are ignored.
 * @param {string} key
 * @param {Uint8Array} bytes
 * @returns {Promise<void>}
 */
export async function storeCompiled(key, bytes) {
  // A full or refused database: the next visit compiles again.
  await patiently(inStore('readwrite', (store) => {
    store.put({ key, bytes, stored: Date.now() });
    // Newest first: past the first KEEP, each goes.
    let seen = 0;
    const cursor = store.index('stored').openKeyCursor(null, 'prev');
    cursor.onsuccess = () => {
      const c = cursor.result;
      if (!c) return;
      seen += 1;
      if (seen > KEEP) store.delete(c.primaryKey);
      c.continue();
    };
  }), undefined);
}

/**
 * Forgets `key` (a stored form that would not load).
 * @param {string} key
 * @returns {Promise<void>}
 */
export async function forgetCompiled(key) {
  await patiently(inStore('readwrite', (store) => { store.delete(key); }), undefined);
}

/**
 * Forgets every compiled gazetteer this origin's cache keeps (say, after the
 * gazetteer they were compiled from was removed).
 * @returns {Promise<void>}
 */
export async function clearCompiled() {
  await patiently(inStore('readwrite', (store) => { store.clear(); }), undefined);
}
