// The extension's own messages, between its content script, its service worker
// (or background script), its popup and its options page. Each is keyed by
// `kind`; the engine's requests do not pass here: they travel over the library's
// engine protocol (`sorot/engine`'s serveEngine, a runtime port named `sorot`).
//
//   to the service worker (runtime.sendMessage)
//     report    {running, counts, types, entities, error, timing}  a frame's highlights changed (the badge,
//                                            the popup; timing: ms since navigation to the script's start, to drawn)
//     tabState  {tabId}                      → {frames: [{frameId, url, counts, entities, error}]}
//     highlightTab {tabId}                   inject the content script and highlight (the popup's button)
//   to a tab's content scripts (tabs.sendMessage)
//     highlight {}                           highlight this page now (whatever the site list says)
//     toggle    {}                           highlight, or remove the highlights (the keyboard shortcut)
//     reveal    {id}                         scroll to an entity's first mention, show its card
//     setTypeVisible {type, visible}         show or hide one type's highlights

/** The port name of the engine protocol. */
export const ENGINE_PORT = 'sorot';

/** The message kinds. */
export const KINDS = Object.freeze(['report', 'tabState', 'highlightTab', 'highlight', 'toggle', 'reveal', 'setTypeVisible']);

/**
 * A message of this protocol.
 * @param {string} kind
 * @param {object} [args]
 * @returns {object}
 */
export function message(kind, args = {}) {
  if (!KINDS.includes(kind)) throw new Error(`unknown message kind ${JSON.stringify(kind)}`);
  return { sorotExtension: 1, kind, ...args };
}

/**
 * Whether `m` is one of this protocol's messages.
 * @param {unknown} m
 * @returns {boolean}
 */
export function isMessage(m) {
  return Boolean(m) && typeof m === 'object' && m.sorotExtension === 1 && KINDS.includes(m.kind);
}

/**
 * Makes a `runtime.onMessage` listener out of an async handler: answers with
 * what it returns, or `{error}` when it throws; other messages are left alone.
 * @param {(m: object, sender: object) => Promise<any>} handle
 * @returns {(m: any, sender: any, respond: (v: any) => void) => boolean|undefined}
 */
export function listener(handle) {
  return (m, sender, respond) => {
    if (!isMessage(m)) return undefined;
    handle(m, sender).then(
      (value) => respond({ ok: true, value }),
      (err) => respond({ ok: false, error: err instanceof Error ? err.message : String(err) }),
    );
    return true;
  };
}

/**
 * The value of an answer made by {@link listener}.
 * @param {Promise<any>} answer what sendMessage returned
 * @returns {Promise<any>}
 * @throws {Error} the other side's error
 */
export async function unwrap(answer) {
  const a = await answer;
  if (!a) throw new Error('no answer');
  if (!a.ok) throw new Error(a.error);
  return a.value;
}
