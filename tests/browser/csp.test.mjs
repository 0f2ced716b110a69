// Strict Content-Security-Policy and Trusted Types, in headless Chromium: pages
// that allow WebAssembly and nothing inline (`script-src 'self' 'wasm-unsafe-eval';
// style-src 'self'`), that enforce Trusted Types, or both, highlight with both
// renderers and show cards, the engine in the page and in a Worker, with no
// violation reported (the page's and the Worker's `securitypolicyviolation`, and
// the console); a page whose policy forbids WebAssembly gets an Error that says
// what to add, and the demo shows that error next to its gazetteer control. Every
// response of the page (the document, the library, the Worker script) carries the
// policy, as a site that sets it for all its files does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setup, newPage, ROOT } from './helpers.mjs';

const ARTICLE = '<article id="article"><p>Presiden Joko Widodo bertemu Sergey Lavrov di Jakarta.</p></article>';
const PAGE = `<!doctype html><html lang="id"><head><meta charset="utf-8"><title>csp</title></head><body>${ARTICLE}</body></html>`;

let env;
before(async () => {
  env = await setup({
    handle: (req, res) => {
      if (req.url !== '/__csp.html') return false;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
      return true;
    },
  });
});
after(async () => { await env?.close(); });

const POLICIES = {
  'no inline': "script-src 'self' 'wasm-unsafe-eval'; style-src 'self'",
  'trusted types': "require-trusted-types-for 'script'",
  'both, the policy named': "script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; require-trusted-types-for 'script'; trusted-types sorot",
};

/** A page whose every response carries `policy`, recording violations in the page and its Workers. */
async function cspPage(policy) {
  return cspPageAt(policy, `${env.url}__csp.html`);
}

/** Closes a page of cspPage(), its routed requests still in flight dropped. */
async function closePage(page) {
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  await page.close();
}

/** {@link cspPage} at `url`. */
async function cspPageAt(policy, url) {
  const page = await newPage(env.browser);
  await page.route('**/*', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': policy } });
  });
  await page.addInitScript(() => {
    window.violations = [];
    const record = (where) => (e) => window.violations.push(`${where}: ${e.violatedDirective} blocked ${e.blockedURI || e.sample || '(inline)'}`);
    document.addEventListener('securitypolicyviolation', record('page'));
    // A Worker reports in its own scope: it forwards them.
    const Original = window.Worker;
    window.Worker = class extends Original {
      constructor(...args) {
        super(...args);
        this.addEventListener('error', (e) => window.violations.push(`worker error: ${e.message}`));
      }
    };
  });
  page.on('worker', (worker) => {
    worker.evaluate(() => {
      self.addEventListener('securitypolicyviolation', (e) => console.error(`violation in worker: ${e.violatedDirective}`));
    }).catch(() => {});
  });
  await page.goto(url);
  return page;
}

/** Highlights the article, hovers "Jakarta", returns what was drawn and the card's text. */
async function highlightAndHover(page, options) {
  const drawn = await page.evaluate(async ({ renderer, worker }) => {
    const sorot = await import('/lib/sorot.js');
    window.hl = await sorot.createHighlighter(worker ? { worker: true, trustedTypes: true } : {});
    window.h = await window.hl.highlight(document.getElementById('article'), { renderer });
    return { renderer: window.h.renderer, texts: window.h.matches.map((m) => m.text) };
  }, options);
  const at = await page.evaluate(() => {
    const b = window.h.matches.find((m) => m.text === 'Jakarta').ranges[0].getBoundingClientRect();
    return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  });
  await page.mouse.move(1, 1);
  await page.mouse.move(at.x, at.y);
  const card = page.locator('[data-sorot-owner] >> .card');
  await card.waitFor({ state: 'visible', timeout: 5000 });
  const cardText = await card.textContent();
  const marks = await page.evaluate(() => document.querySelectorAll('mark').length);
  await page.evaluate(() => { window.h.remove(); window.hl.free(); });
  return { ...drawn, cardText, marks };
}

for (const [name, policy] of Object.entries(POLICIES)) {
  for (const worker of [false, true]) {
    test(`CSP "${policy}": highlights with both renderers and shows cards, no violation (engine in ${worker ? 'a Worker' : 'the page'})`, async () => {
      const page = await cspPage(policy);
      for (const renderer of ['highlight-api', 'mark']) {
        const got = await highlightAndHover(page, { renderer, worker });
        assert.equal(got.renderer, renderer, name);
        assert.deepEqual(got.texts, ['Joko Widodo', 'Sergey Lavrov', 'Jakarta'], `${name} [${renderer}]`);
        assert.match(got.cardText, /Jakarta/, `${name} [${renderer}] card`);
        assert.equal(got.marks, renderer === 'mark' ? 3 : 0);
      }
      assert.deepEqual(await page.evaluate(() => window.violations), [], name);
      assert.deepEqual(page.errors, [], name);
      await closePage(page);
    });
  }
}

for (const worker of [false, true]) {
  test(`CSP "script-src 'self'" (no WebAssembly): createHighlighter() rejects with an Error that names 'wasm-unsafe-eval' (engine in ${worker ? 'a Worker' : 'the page'})`, async () => {
    const page = await cspPage("script-src 'self'");
    const error = await page.evaluate(async (inWorker) => {
      const sorot = await import('/lib/sorot.js');
      return sorot.createHighlighter(inWorker ? { worker: true } : {}).then(() => 'loaded', (err) => `${err.constructor.name}: ${err.message}`);
    }, worker);
    assert.match(error, /^Error: this page's Content-Security-Policy does not allow WebAssembly, which sorot runs on: add 'wasm-unsafe-eval' to its script-src \(for example: script-src 'self' 'wasm-unsafe-eval'\)/);
    await closePage(page);
  });
}

/** The demo's policy: its import map (inline) by hash, and `extra`. */
function demoPolicy(extra) {
  const html = readFileSync(path.join(ROOT, 'www/demo/index.html'), 'utf8');
  const map = /<script type="importmap">([^<]*)<\/script>/.exec(html)[1];
  return `script-src 'self' 'sha256-${createHash('sha256').update(map).digest('base64')}'${extra}`;
}

test("the demo on a page whose policy forbids WebAssembly says so next to the gazetteer's control, not 'Gazetteer not loaded'", async () => {
  const page = await cspPageAt(demoPolicy(''), env.url);
  await page.waitForFunction(() => document.documentElement.dataset.demo === 'error', null, { timeout: 20_000 });
  const shown = await page.evaluate(() => ({ error: document.getElementById('error-load').textContent, status: document.getElementById('status').textContent }));
  assert.match(shown.error, /^sorot cannot run on this page: this page's Content-Security-Policy does not allow WebAssembly, which sorot runs on: add 'wasm-unsafe-eval' to its script-src/);
  assert.equal(shown.status, 'Not loaded.');
  await closePage(page);
});

test("the demo with 'wasm-unsafe-eval' and style-src 'self' loads and highlights", async () => {
  const page = await cspPageAt(demoPolicy(" 'wasm-unsafe-eval'; style-src 'self'"), env.url);
  await page.waitForFunction(() => document.documentElement.dataset.demo, null, { timeout: 20_000 });
  assert.equal(await page.evaluate(() => document.documentElement.dataset.demo), 'ready');
  assert.match(await page.locator('#status').textContent(), /^\d+ highlights in/);
  assert.deepEqual(await page.evaluate(() => window.violations), []);
  assert.deepEqual(page.errors, []);
  await closePage(page);
});
