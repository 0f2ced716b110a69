// The WebExtension API of this browser: `browser` in Firefox, `chrome` in
// Chromium (both answer with promises in Manifest V3).

/** @type {typeof chrome} */
export const api = globalThis.browser ?? globalThis.chrome;
