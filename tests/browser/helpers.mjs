// Shared set-up for the browser tests: a static server for www/ and headless Chromium.
import { chromium } from 'playwright-core';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../scripts/serve.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** A blank page on the test server, from which tests import /sorot.js. */
const BLANK = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>test</title></head><body></body></html>';

/**
 * Starts the server (serving www/) and the browser.
 * @param {object} [options]
 * @param {(req, res) => boolean} [options.handle] extra routes
 */
export async function setup({ handle } = {}) {
  const server = await startServer({
    root: path.join(ROOT, 'www'),
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
  page.errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') page.errors.push(`console: ${msg.text()}`); });
  page.on('pageerror', (err) => page.errors.push(`exception: ${err.message}`));
  return page;
}

/**
 * Opens the blank test page with `html` as its body, ready to import /sorot.js.
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
