// The engine protocol: what the DOM layer asks an engine that lives elsewhere (a
// module Worker, an extension's service worker or background script) and what it
// answers. Both sides import this module: the client (remote.js) and the server
// (`serveEngine` in engine.js). Every message is keyed by `kind`.
//
//   request   {sorot: VERSION, id, kind, ...arguments}
//   answer    {sorot: VERSION, id, ok: true, value} or {sorot: VERSION, id, ok: false, error}
//
//   kind          arguments                      value
//   load          {gazetteer, assets, cache}     undefined (the engine is ready)
//   info          {}                             {head, count}: the gazetteer without its
//                                                entities (JSON text), their number
//   entities      {indexes}                      the entities at these indexes, JSON texts
//   find          {text, overlap}                the flat matches (flat.js)
//   findBlocks    {doc, blocks, overlap}         {flat, blocks, scanned}
//   closeDocument {doc}                          undefined
//   ping          {}                             'pong' (the client checks that the other side is there)
//
// A port is anything with `postMessage`: a MessagePort, a Worker (or a Worker's
// `self`), or an extension runtime port (`onMessage`/`onDisconnect` listeners,
// messages serialised as JSON, so flat arrays travel as plain arrays there). The
// library never names an extension API: the caller passes the port in.

/** Protocol version: both sides must speak the same. */
export const VERSION = 2;

/** The request kinds. */
export const KINDS = Object.freeze(['load', 'info', 'entities', 'find', 'findBlocks', 'closeDocument', 'ping']);

/**
 * Something messages can be sent through (see the module comment).
 * @typedef {MessagePort | Worker | {postMessage(message: any): void,
 *   onMessage: {addListener(fn: (message: any) => void): void, removeListener?(fn: (message: any) => void): void},
 *   onDisconnect?: {addListener(fn: () => void): void}, disconnect?(): void}} EnginePort
 */

/**
 * One port, whatever its kind: send, receive, learn that it closed, close it.
 * @param {EnginePort} port
 * @returns {{send: (message: object, transfer?: Transferable[]) => void,
 *   listen: (fn: (message: any) => void) => void,
 *   onClose: (fn: (reason: string) => void) => void,
 *   close: () => void, structured: boolean}}
 */
export function wrapPort(port) {
  if (!port || typeof port.postMessage !== 'function') {
    throw new Error('engine port: expected a MessagePort, a Worker or an extension runtime port (something with postMessage)');
  }
  const closers = [];
  let closed = false;
  const closeWith = (reason) => {
    if (closed) return;
    closed = true;
    for (const fn of closers) fn(reason);
  };
  if (port.onMessage && typeof port.onMessage.addListener === 'function') {
    // An extension runtime port: JSON messages, a disconnect event.
    port.onDisconnect?.addListener(() => closeWith('the port was disconnected'));
    return {
      structured: false,
      send: (message) => {
        if (closed) throw new Error('the engine port is closed');
        try {
          port.postMessage(message);
        } catch (err) {
          closeWith(`the port was disconnected (${err.message})`);
          throw new Error('the engine port is closed');
        }
      },
      listen: (fn) => port.onMessage.addListener(fn),
      onClose: (fn) => closers.push(fn),
      close: () => {
        port.disconnect?.();
        closeWith('the port was closed');
      },
    };
  }
  if (typeof port.addEventListener === 'function') {
    // A MessagePort, a Worker, a Worker's global scope.
    port.addEventListener('close', () => closeWith('the port was closed'));
    port.addEventListener('error', (event) => {
      // A Worker whose script failed to load or threw at the top level.
      if (typeof port.terminate === 'function') {
        event.preventDefault?.();
        closeWith(`the Worker failed${event.message ? `: ${event.message}` : ''}`);
      }
    });
    port.addEventListener('messageerror', () => closeWith('a message could not be read'));
    return {
      structured: true,
      send: (message, transfer = []) => {
        if (closed) throw new Error('the engine port is closed');
        port.postMessage(message, transfer);
      },
      listen: (fn) => {
        port.addEventListener('message', (event) => fn(event.data));
        port.start?.();
      },
      onClose: (fn) => closers.push(fn),
      close: () => {
        if (typeof port.terminate === 'function') port.terminate();
        else port.close?.();
        closeWith('the port was closed');
      },
    };
  }
  throw new Error('engine port: it has postMessage but no way to receive (addEventListener or onMessage)');
}

/**
 * Whether a message is one of this protocol's.
 * @param {unknown} message
 * @returns {boolean}
 */
export function isProtocolMessage(message) {
  return Boolean(message) && typeof message === 'object' && 'sorot' in message && 'id' in message;
}
