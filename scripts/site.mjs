// The demo site as `./build.sh serve` and the browser tests serve it: the demo at
// /, the library at /lib/ (its sources, www/lib/) with the build output at
// /lib/pkg/ (dist/pkg/), as the package lays them out, and the staged widget at
// /widget/ (dist/widget/). Nothing is copied.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The library's folders, most specific first (see scripts/serve.mjs `mounts`).
 * @param {string} [prefix] where the library is served (default `/lib/`)
 * @returns {{prefix: string, root: string}[]}
 */
export function siteMounts(prefix = '/lib/') {
  return [
    { prefix: `${prefix}pkg/`, root: path.join(ROOT, 'dist/pkg') },
    { prefix, root: path.join(ROOT, 'www/lib') },
    { prefix: '/widget/', root: path.join(ROOT, 'dist/widget') },
  ];
}

/** The folder served at `/`. */
export const SITE_ROOT = path.join(ROOT, 'www/demo');

/**
 * Single files of the site: the README, which the demo links to.
 * @returns {Record<string, string>}
 */
export function siteFiles() {
  return { '/README.md': path.join(ROOT, 'README.md') };
}
