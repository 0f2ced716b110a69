// The library's public entry as the API suites import it: /lib/sorot.js, with the
// engine in a module Worker when the run asks for it (SOROT_TEST_ENGINE=worker,
// set by tests/browser/helpers.mjs), so the same tests cover both engines.
import * as sorot from '/lib/sorot.js';

export * from '/lib/sorot.js';

/** Which engine this page's highlighters use. */
export const ENGINE = globalThis.SOROT_TEST_ENGINE === 'worker' ? 'worker' : 'page';

/**
 * `createHighlighter`, in a Worker for a worker run.
 * @param {Parameters<typeof sorot.createHighlighter>[0]} [options]
 */
export function createHighlighter(options = {}) {
  const inWorker = ENGINE === 'worker' && options.engine === undefined && options.port === undefined && options.worker === undefined;
  return sorot.createHighlighter(inWorker ? { ...options, worker: true } : options);
}
