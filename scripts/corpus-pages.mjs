// The real pages of the shared corpus (../shared/corpus/pages, read in place, never
// copied), served the way the browser tests and the benchmark load them: under
// /__pages/, with a Content-Security-Policy header that lets only our own modules
// run (the pages' scripts do not) and WebAssembly compile.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where the corpus pages are: ../shared/corpus/pages next to the repository. */
export const CORPUS = path.resolve(ROOT, '../shared/corpus/pages');

/** The URL prefix the pages are served under. */
export const PAGES_PREFIX = '/__pages/';

/**
 * Every `.html` page under `dir`, as paths relative to the corpus, sorted.
 * @param {string} [dir]
 * @returns {string[]}
 */
export function listPages(dir = CORPUS) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) out.push(...listPages(file));
    else if (name.endsWith('.html')) out.push(path.relative(CORPUS, file));
  }
  return out;
}

/**
 * A request handler for the static server: answers `/__pages/REL` with the corpus
 * page REL (or what `pageHtml(rel)` gives, if it gives a string) under a policy
 * that runs only scripts from `scriptPrefixes` (URL paths on this server).
 * @param {string[]} scriptPrefixes e.g. ['/__sorot/', '/__test/']
 * @param {(rel: string) => string | null} [pageHtml] other pages (a synthetic one)
 * @returns {(req, res) => boolean}
 */
export function pagesHandler(scriptPrefixes, pageHtml = () => null) {
  return (req, res) => {
    if (!req.url.startsWith(PAGES_PREFIX)) return false;
    const origin = `http://${req.headers.host}`;
    const rel = decodeURIComponent(new URL(req.url, origin).pathname.slice(PAGES_PREFIX.length));
    let html = pageHtml(rel);
    if (html === null) {
      const file = path.resolve(CORPUS, rel);
      if (!file.startsWith(CORPUS + path.sep) || !existsSync(file)) {
        res.writeHead(404).end();
        return true;
      }
      // A page's own policy could forbid WebAssembly or upgrade our requests to
      // https: it is switched off, and ours applies.
      html = readFileSync(file, 'utf8')
        .replace(/http-equiv\s*=\s*(["']?)content-security-policy\1/gi, 'data-disabled-csp');
    }
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': [
        "default-src 'none'",
        `script-src ${scriptPrefixes.map((p) => origin + p).join(' ')} 'wasm-unsafe-eval'`,
        `connect-src ${origin}/__sorot/`,
        "style-src 'unsafe-inline'",
      ].join('; '),
    }).end(html);
    return true;
  };
}
