// Shared set-up for the browser tests: a static server for the demo site (the
// demo at /, the library at /lib/: scripts/site.mjs) and headless Chromium.
//
// SOROT_TEST_ENGINE=worker makes every test that imports /__test/sorot.mjs run
// with the engine in a module Worker (`createHighlighter({worker: true})`).
import { chromium } from 'playwright-core';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { startServer } from '../../scripts/serve.mjs';
import { ROOT, SITE_ROOT, siteFiles, siteMounts } from '../../scripts/site.mjs';

export { ROOT };

/** Where the API suites run their engine: `page` (default) or `worker`. */
export const TEST_ENGINE = process.env.SOROT_TEST_ENGINE === 'worker' ? 'worker' : 'page';

const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** A blank page on the test server, from which tests import /__test/sorot.mjs (and /__test/inspect.mjs). */
const BLANK = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>test</title><link rel="icon" href="data:,"></head><body></body></html>';

/**
 * Starts the server (the demo site, and tests/browser/page/ under /__test/) and the browser.
 * @param {object} [options]
 * @param {(req, res) => boolean} [options.handle] extra routes
 * @param {object[]} [options.mounts] more folders to serve (see scripts/serve.mjs)
 */
export async function setup({ handle, mounts = [] } = {}) {
  const server = await startServer({
    root: SITE_ROOT,
    mounts: [{ prefix: '/__test/', root: path.join(ROOT, 'tests/browser/page') }, ...mounts, ...siteMounts()],
    files: siteFiles(),
    handle: (req, res) => {
      if (req.url === '/__blank.html') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(BLANK);
        return true;
      }
      return handle ? handle(req, res) : false;
    },
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_FLAGS,
  });
  return {
    url: server.url,
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * A new page that records console errors and uncaught exceptions in `page.errors`.
 * @param {import('playwright-core').Browser} browser
 */
export async function newPage(browser) {
  const page = await browser.newPage();
  if (TEST_ENGINE === 'worker') await page.addInitScript(() => { globalThis.SOROT_TEST_ENGINE = 'worker'; });
  page.errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') page.errors.push(`console: ${msg.text()}`); });
  page.on('pageerror', (err) => page.errors.push(`exception: ${err.message}`));
  return page;
}

/**
 * Opens the blank test page with `html` as its body, ready to import /__test/sorot.mjs.
 * @param {import('playwright-core').Browser} browser
 * @param {string} base server URL
 * @param {string} html body markup (test fixtures only)
 */
export async function blankPage(browser, base, html = '') {
  const page = await newPage(browser);
  await page.goto(`${base}__blank.html`);
  await page.evaluate((markup) => { document.body.innerHTML = markup; }, html);
  return page;
}

/**
 * Decodes a PNG screenshot (8-bit RGB or RGBA, not interlaced: what Chromium writes).
 * @param {Buffer} png
 * @returns {{width: number, height: number, rgb: (x: number, y: number) => string}}
 *   `rgb` gives a pixel as `#rrggbb`
 */
export function decodePng(png) {
  let pos = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const data = [];
  while (pos < png.length) {
    const length = png.readUInt32BE(pos);
    const type = png.toString('latin1', pos + 4, pos + 8);
    const body = png.subarray(pos + 8, pos + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      if (body[8] !== 8 || body[12] !== 0 || (body[9] !== 2 && body[9] !== 6)) throw new Error('decodePng: only 8-bit RGB(A), non-interlaced');
      channels = body[9] === 6 ? 4 : 3;
    } else if (type === 'IDAT') {
      data.push(body);
    }
    pos += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? pixels[y * stride + i - channels] : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + i] : 0;
      const c = i >= channels && y > 0 ? pixels[(y - 1) * stride + i - channels] : 0;
      let predictor = 0;
      if (filter === 1) predictor = a;
      else if (filter === 2) predictor = b;
      else if (filter === 3) predictor = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      pixels[y * stride + i] = (line[i] + predictor) & 0xff;
    }
  }
  const hex = (v) => v.toString(16).padStart(2, '0');
  return {
    width,
    height,
    rgb: (x, y) => {
      const i = y * stride + x * channels;
      return `#${hex(pixels[i])}${hex(pixels[i + 1])}${hex(pixels[i + 2])}`;
    },
  };
}

/**
 * The colour most pixels of a screenshot region have (the background a highlight
 * paints behind its glyphs).
 * @param {import('playwright-core').Page} page
 * @param {{x: number, y: number, width: number, height: number}} clip
 * @returns {Promise<string>} `#rrggbb`
 */
export async function dominantColor(page, clip) {
  const image = decodePng(await page.screenshot({ clip }));
  const counts = new Map();
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const c = image.rgb(x, y);
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0][0];
}
