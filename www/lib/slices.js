// Long work on a page's main thread is done in slices, the page responding in
// between (the engine's scan of a large text, the DOM layer's walk and drawing):
// no task of sorot's runs much longer than SLICE_MS.

/** The longest stretch of work (ms) before the page is let respond. */
export const SLICE_MS = 8;

/**
 * Lets the page handle its input and paint, then goes on (a new task).
 * @param {{scheduler?: {yield?: () => Promise<void>}}} [scope] the window (or
 *   global) whose scheduler to use
 * @returns {Promise<void>}
 */
export function yieldToPage(scope = globalThis) {
  if (typeof scope?.scheduler?.yield === 'function') return scope.scheduler.yield();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => { channel.port1.close(); resolve(); };
    channel.port2.postMessage(null);
  });
}
