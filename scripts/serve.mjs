// A small static file server for the demo and the browser tests.
// Usage: node scripts/serve.mjs [ROOT] [PORT]   (defaults: the demo site, 8080)
//   With no ROOT, or ROOT `site`, serves the demo site of scripts/site.mjs.
import { createServer } from 'node:http';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.tsv': 'text/tab-separated-values; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.jsonl': 'application/jsonl; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * Serves the files under `root` on 127.0.0.1.
 * @param {object} options
 * @param {string} options.root folder to serve
 * @param {number} [options.port] 0 picks a free port
 * @param {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => boolean} [options.handle]
 *   called first; returns true when it answered the request itself
 * @param {Record<string, string>} [options.headers] extra headers for every file
 * @param {{prefix: string, root: string, headers?: Record<string, string>}[]} [options.mounts]
 *   other folders, served under a URL prefix (`/x/`) with their own extra headers
 * @param {Record<string, string>} [options.files] single files by URL path (`/README.md`)
 * @returns {Promise<{server: import('node:http').Server, url: string, close: () => Promise<void>}>}
 */
export async function startServer({ root, port = 0, handle, headers = {}, mounts = [], files = {} }) {
  const folders = [...mounts.map((m) => ({ ...m, root: path.resolve(m.root) })), { prefix: '/', root: path.resolve(root), headers }];
  const server = createServer(async (req, res) => {
    try {
      if (handle && handle(req, res)) return;
      const url = new URL(req.url, 'http://localhost');
      const pathname = decodeURIComponent(url.pathname);
      const folder = folders.find((f) => pathname.startsWith(f.prefix));
      const base = folder.root;
      let file = Object.hasOwn(files, pathname) ? files[pathname] : path.join(base, pathname.slice(folder.prefix.length - 1));
      if (!Object.hasOwn(files, pathname) && file !== base && !file.startsWith(base + path.sep)) {
        res.writeHead(403).end('forbidden');
        return;
      }
      let stat = await fs.stat(file).catch(() => null);
      if (stat && stat.isDirectory()) {
        file = path.join(file, 'index.html');
        stat = await fs.stat(file).catch(() => null);
      }
      if (!stat || !stat.isFile()) {
        res.writeHead(404, { 'content-type': 'text/plain', ...folder.headers }).end('not found');
        return;
      }
      const type = TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
      res.writeHead(200, { 'content-type': type, 'content-length': stat.size, 'cache-control': 'no-cache', ...folder.headers });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).pipe(res);
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: actual } = server.address();
  return {
    server,
    url: `http://localhost:${actual}/`,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { siteFiles, siteMounts, SITE_ROOT } = await import('./site.mjs');
  const site = !process.argv[2] || process.argv[2] === 'site';
  const root = site ? SITE_ROOT : process.argv[2];
  const port = Number(process.argv[3] || 8080);
  startServer({ root, port, mounts: site ? siteMounts() : [], files: site ? siteFiles() : {} }).then(
    ({ url }) => console.log(`sorot demo: ${url}  (Ctrl-C to stop)`),
    (err) => {
      console.error(`cannot serve on port ${port}: ${err.message}`);
      process.exit(1);
    },
  );
}
