// Set-up for the extension tests: the built extension (dist/extension-chromium/)
// loaded in headless Chromium, news sites served from this machine, and what the
// extension painted compared with find() on the page's text.
//
// Every request the browser makes goes through a proxy of this test: requests to
// the test's own sites (the hosts given to `start`) are answered here, over http
// or https (a throwaway certificate, --ignore-certificate-errors; several news
// domains are HSTS-preloaded, so https it is); any other is refused and recorded
// in `env.refused`, so a test can assert that nothing tried to leave the machine.
// localhost (the library's own test server, for find()) bypasses the proxy.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../../scripts/serve.mjs';
import { ROOT, SITE_ROOT, siteMounts } from '../../scripts/site.mjs';

export { ROOT };

/** The built extensions. */
export const BUILDS = {
  chromium: path.join(ROOT, 'dist/extension-chromium'),
  firefox: path.join(ROOT, 'dist/extension-firefox'),
};

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-default-apps', '--no-default-browser-check',
  '--disable-features=OptimizationHints,MediaRouter,Translate,AutofillServerCommunication,CertificateTransparencyComponentUpdater,NetworkTimeServiceQuerying,DeviceBoundSessionCredentials,FedCm',
  '--disable-domain-reliability', '--dns-prefetch-disable', '--disable-client-side-phishing-detection', '--extensions-update-frequency=86400',
  '--ignore-certificate-errors'];

/**
 * Requests Chromium itself makes whatever the flags (component updates, sign-in),
 * refused by the proxy like any other: what `leaked()` leaves out.
 */
export const BROWSER_OWN = /^(CONNECT (update\.googleapis\.com|accounts\.google\.com):443|POST http:\/\/update\.googleapis\.com\/service\/update2\/json)/;

/**
 * The requests that tried to leave the machine, other than the browser's own.
 * @param {{refused: string[]}} env
 * @returns {string[]}
 */
export function leaked(env) {
  return env.refused.filter((r) => !BROWSER_OWN.test(r));
}

/** A throwaway self-signed certificate for the test's https sites. */
export function throwawayCertificate(dir) {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
    '-days', '2', '-subj', '/CN=sorot extension test'], { stdio: 'ignore' });
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

/** In-page helpers (tests/browser/page/inspect.mjs) as one expression, for pages whose CSP runs no script of ours. */
const INSPECT = readFileSync(path.join(ROOT, 'tests/browser/page/inspect.mjs'), 'utf8').replace(/^export /gm, '');

/**
 * The test's sites and the proxy every browser request goes through.
 * @param {object} options
 * @param {(req: http.IncomingMessage, res: http.ServerResponse, url: URL) => boolean} options.handle
 *   answers a request to one of `hosts` (returns false for a 404)
 * @param {string[]} options.hosts the host names served here
 * @param {string} work a folder for the certificate
 * @returns {Promise<{port: number, refused: string[], served: string[], close: () => Promise<void>}>}
 */
export async function startSites({ handle, hosts }, work) {
  const mapped = new Set(hosts);
  const refused = [];
  const served = [];
  const answer = (scheme) => (req, res) => {
    const url = new URL(req.url.startsWith('/') ? `${scheme}://${req.headers.host}${req.url}` : req.url);
    served.push(url.href);
    if (!handle(req, res, url)) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  };
  const tls = https.createServer(throwawayCertificate(work), answer('https'));
  const proxy = http.createServer((req, res) => {
    let host = '';
    try {
      host = new URL(req.url).hostname;
    } catch {
      // not a proxy request
    }
    if (mapped.has(host)) return answer('http')(req, res);
    refused.push(`${req.method} ${req.url}`);
    res.writeHead(403).end('refused by the test proxy');
    return undefined;
  });
  proxy.on('connect', (req, socket) => {
    const [host, port] = req.url.split(':');
    if (!mapped.has(host) || port !== '443') {
      refused.push(`CONNECT ${req.url}`);
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = net.connect(tls.address().port, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  await Promise.all([listen(tls), listen(proxy)]);
  return {
    port: proxy.address().port,
    refused,
    served,
    async close() {
      tls.closeAllConnections?.();
      proxy.closeAllConnections?.();
      await new Promise((resolve) => tls.close(resolve));
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
}

/**
 * The library's own test server (localhost, never proxied): find() in a plain page.
 * @returns {Promise<{url: string, close: () => Promise<void>}>}
 */
export function startLibraryServer() {
  return startServer({
    root: SITE_ROOT,
    mounts: [{ prefix: '/__test/', root: path.join(ROOT, 'tests/browser/page') }, ...siteMounts()],
    handle: (req, res) => {
      if (req.url !== '/__blank.html') return false;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end('<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body></body></html>');
      return true;
    },
  });
}

/**
 * Starts the sites, the proxy, the library's own server (for find()) and Chromium with the extension.
 * @param {object} options
 * @param {(req: http.IncomingMessage, res: http.ServerResponse, url: URL) => boolean} options.handle
 *   answers a request to one of `hosts` (returns false for a 404)
 * @param {string[]} options.hosts the host names served here
 * @param {string} [options.build] the unpacked extension (default: the Chromium build)
 */
export async function start({ handle, hosts, build = BUILDS.chromium }) {
  if (!existsSync(path.join(build, 'manifest.json'))) throw new Error(`${build}: no built extension (run ./build.sh extension)`);
  const work = mkdtempSync(path.join(os.tmpdir(), 'sorot-ext-test-'));
  const sites = await startSites({ handle, hosts }, work);
  const { refused, served } = sites;
  const library = await startLibraryServer();
  // No speculative connections to the hosts a page names (they would be refused,
  // but a test asserts that nothing even tries).
  mkdirSync(path.join(work, 'profile/Default'), { recursive: true });
  writeFileSync(path.join(work, 'profile/Default/Preferences'), JSON.stringify({ net: { network_prediction_options: 2 } }));
  const context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [...FLAGS, `--proxy-server=http://127.0.0.1:${sites.port}`,
      `--disable-extensions-except=${build}`, `--load-extension=${build}`],
  });
  const worker = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'))
    ?? await context.waitForEvent('serviceworker', { predicate: (w) => w.url().startsWith('chrome-extension://'), timeout: 15_000 });
  const id = new URL(worker.url()).host;
  if (process.env.SOROT_TEST_DEBUG) {
    const log = (where) => (m) => console.log(`[${where}] ${m.type()}: ${m.text()}`);
    worker.on('console', log('service worker'));
    context.on('page', (p) => p.on('console', log(p.url().slice(0, 60))));
  }
  const env = {
    context,
    id,
    worker,
    refused,
    served,
    library: library.url,
    /** An extension page's URL. */
    page: (name) => `chrome-extension://${id}/${name}`,
    /** An extension page to call extension APIs from (survives the service worker being stopped). */
    async control() {
      if (!env.controlPage || env.controlPage.isClosed()) {
        env.controlPage = await context.newPage();
        await env.controlPage.goto(env.page('popup.html?tab=-1'));
      }
      return env.controlPage;
    },
    async close() {
      await context.close().catch(() => {});
      await library.close();
      await sites.close();
      rmSync(work, { recursive: true, force: true });
    },
  };
  // Installed means ready once the content script is registered for the site
  // list (the service worker does it on install).
  const control = await env.control();
  await until(() => control.evaluate(async () => (await chrome.scripting.getRegisteredContentScripts()).length > 0),
    'the content script registered', 30_000);
  return env;
}

/**
 * Replaces the stored settings (from an extension page).
 * @param {object} env from {@link start}
 * @param {object|null} settings null removes them (the defaults apply)
 */
export async function setSettings(env, settings) {
  const control = await env.control();
  await control.evaluate(async (s) => {
    if (s === null) await chrome.storage.local.remove('settings');
    else await chrome.storage.local.set({ settings: s });
  }, settings);
}

/** The stored settings (from an extension page). */
export async function getSettings(env) {
  const control = await env.control();
  return control.evaluate(async () => (await chrome.storage.local.get('settings')).settings);
}

/** The id of the tab showing `url` (from an extension page: host permission lets it see the URL). */
export async function tabId(env, url) {
  const control = await env.control();
  return control.evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id ?? null, url);
}

/**
 * What the extension painted in `page`, and the page's text as a reader reads it,
 * computed inside the page (whose CSP runs none of our scripts: the helpers go
 * in through the debugging protocol).
 * @returns {Promise<{text: string, bounds: [number, number][], painted: string[], pieces: {text: string, type: string}[]}>}
 */
export async function pageState(page, exclude = '') {
  return page.evaluate(pageStateExpression(exclude));
}
pageState.expression = pageStateExpression('');

function pageStateExpression(exclude) {
  return `(() => {
    ${INSPECT}
    const names = [...CSS.highlights.keys()];
    const marks = document.querySelector('mark[data-sorot-owner]');
    const owner = marks ? marks.getAttribute('data-sorot-owner')
      : (names.map((n) => /^(.*)-\\d+-(t|n)-[A-Za-z_][A-Za-z0-9_-]*$/.exec(n)).find(Boolean) || [])[1];
    const reader = readerText(document.body, ${JSON.stringify(exclude)});
    const index = new Map(reader.nodes.map((n, i) => [n, i]));
    const spans = [];
    const pieces = [];
    for (const piece of owner ? painted(owner, document) : []) {
      let node = piece.node;
      let offset = 0;
      if (node.nodeType === Node.ELEMENT_NODE) node = document.createTreeWalker(node, NodeFilter.SHOW_TEXT).nextNode();
      else offset = piece.range.startOffset;
      const i = index.get(node);
      pieces.push({ text: piece.text, type: piece.type });
      spans.push(i === undefined ? 'outside the text: ' + piece.text : (reader.starts[i] + offset) + '-' + (reader.starts[i] + offset + piece.text.length) + ' ' + piece.type);
    }
    return {
      text: reader.text,
      bounds: reader.nodes.map((n, i) => [reader.starts[i], reader.starts[i] + n.data.length]),
      painted: spans.sort((a, b) => parseInt(a, 10) - parseInt(b, 10) || a.localeCompare(b)),
      pieces,
      owner: owner || null,
    };
  })()`;
}

/**
 * What should be painted for a page's text: find() with the default gazetteer
 * (the library in a plain page of the test's own server), split at Text node
 * boundaries as renderers draw.
 * @param {object} env
 * @param {{text: string, bounds: [number, number][]}} state from {@link pageState}
 * @param {any[]} [gazetteer] default: the default gazetteer; `'default'` in the list stands for it
 * @returns {Promise<{spans: string[], matches: object[]}>}
 */
export async function expectedSpans(env, state, gazetteer) {
  env.findPage ??= await (env.newFindPage ?? (() => env.context.newPage()))().then(async (p) => { await p.goto(`${env.library}__blank.html`); return p; });
  const matches = await env.findPage.evaluate(async ({ text, gazetteer: g }) => {
    const { createHighlighter, DEFAULT_GAZETTEER_URL } = await import('/lib/sorot.js');
    if (Array.isArray(g)) g = g.map((x) => (x === 'default' ? { url: DEFAULT_GAZETTEER_URL } : x));
    const key = JSON.stringify(g ?? null);
    globalThis.highlighters ??= new Map();
    if (!globalThis.highlighters.has(key)) globalThis.highlighters.set(key, await createHighlighter(g ? { gazetteer: g } : {}));
    return (await globalThis.highlighters.get(key).find(text)).map(({ start, end, type, id, text: t }) => ({ start, end, type, id, text: t }));
  }, { text: state.text, gazetteer });
  const spans = [];
  for (const m of matches) {
    for (const [from, to] of state.bounds) {
      const a = Math.max(m.start, from);
      const b = Math.min(m.end, to);
      if (b > a) spans.push(`${a}-${b} ${m.type}`);
    }
  }
  return { spans: spans.sort((x, y) => parseInt(x, 10) - parseInt(y, 10) || x.localeCompare(y)), matches };
}

/**
 * Waits until `fn()` gives a truthy value (polling), or throws with `what` and the last value.
 * @template T
 * @param {() => Promise<T>} fn
 * @param {string | (() => string)} what (a function: called for the message, when it times out)
 * @param {number} [timeout]
 * @returns {Promise<T>}
 */
export async function until(fn, what, timeout = 15_000) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > end) {
      throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}; last: ${JSON.stringify(last)?.slice(0, 400)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
