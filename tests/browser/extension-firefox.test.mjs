// The Firefox build (dist/extension-firefox/) in headless Firefox ESR, installed
// as a temporary add-on over WebDriver BiDi (puppeteer-core's installExtension):
// a page whose policy runs no script, on a default news site served from this
// machine, is highlighted as find() says, the popup lists its entities, and the
// page keeps following changes after the background script idled out.
// Skipped, with a message, when firefox-esr is not installed (FIREFOX=/path to
// use another Firefox).
//
// Firefox is kept off the network: every request goes through the test proxy
// (extension-helpers.mjs), and MOZ_DISABLE_NONLOCAL_CONNECTIONS=1 makes it honour
// the test profile's dummy Remote Settings server (release builds ignore it
// otherwise) and refuse any socket that is not on this machine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GECKO_ID } from '../../www/extension/manifest.mjs';
import { BUILDS, expectedSpans, leaked, pageState, startLibraryServer, startSites, until } from './extension-helpers.mjs';

const FIREFOX = process.env.FIREFOX || '/usr/bin/firefox-esr';
const UUID = '5b0f7f3e-2c1d-4e8a-9a51-50703e7e0a12';
const STRICT = "default-src 'none'; script-src 'none'; style-src 'none'; object-src 'none'";
const PAGE = '<!doctype html><html lang="id"><head><meta charset="utf-8"><title>berita</title></head><body><article>'
  + '<h1>Lavrov dan Kim di Moskow</h1><p>Menlu Rusia Sergey Lavrov bertemu Kim Jong Un di Moskow.</p>'
  + '<p>Setelah itu <a href="/x">Kim</a> Jong <b>Un</b> kembali ke Pyongyang, lalu ke Jakarta.</p></article></body></html>';

/** A quiet test profile, on top of what puppeteer and Firefox's Remote Agent already set. */
const PREFS = {
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.server': 'data:,',
  'datareporting.healthreport.uploadEnabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'app.normandy.enabled': false,
  'app.update.disabledForTesting': true,
  'extensions.update.enabled': false,
  'extensions.systemAddon.update.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'media.gmp-manager.updateEnabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'services.settings.server': 'data:,#remote-settings-dummy/v1',
  'security.OCSP.enabled': 0,
  'network.trr.mode': 5,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'network.predictor.enabled': false,
  'network.http.speculative-parallel-limit': 0,
  'dom.push.enabled': false,
  'browser.newtabpage.enabled': false,
  'dom.security.https_first': false,
  'network.stricttransportsecurity.preloadlist': false,
  // The background script idles out after 3 s (Firefox's default: 30 s).
  'extensions.background.idle.timeout': 3000,
  // The add-on at a known address.
  'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: UUID }),
};

const proxyPrefs = (port) => ({
  'network.proxy.type': 1,
  'network.proxy.http': '127.0.0.1',
  'network.proxy.http_port': port,
  'network.proxy.ssl': '127.0.0.1',
  'network.proxy.ssl_port': port,
  'network.proxy.share_proxy_settings': false,
  'network.proxy.no_proxies_on': '',
  'network.proxy.allow_hijacking_localhost': false,
});

if (!existsSync(FIREFOX)) {
  const why = `${FIREFOX} not found (Debian: apt-get install firefox-esr; or set FIREFOX=/path/to/firefox)`;
  console.log(`Firefox extension tests skipped: ${why}`);
  test('the Firefox build in Firefox', { skip: why }, () => {});
} else {
  let browser;
  let sites;
  let library;
  let work;
  const env = {};
  before(async () => {
    const { default: puppeteer } = await import('puppeteer-core');
    work = mkdtempSync(path.join(os.tmpdir(), 'sorot-ext-firefox-'));
    sites = await startSites({
      hosts: ['www.kompas.com'],
      handle: (req, res, url) => {
        if (url.pathname !== '/strict') return false;
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': STRICT }).end(PAGE);
        return true;
      },
    }, work);
    library = await startLibraryServer();
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: true,
      userDataDir: path.join(work, 'profile'),
      acceptInsecureCerts: true,
      args: ['--remote-allow-system-access'],
      extraPrefsFirefox: { ...PREFS, ...proxyPrefs(sites.port) },
      env: { ...process.env, MOZ_DISABLE_NONLOCAL_CONNECTIONS: '1' },
    });
    const id = await browser.installExtension(BUILDS.firefox);
    assert.equal(id, GECKO_ID);
    Object.assign(env, { library: library.url, newFindPage: () => browser.newPage() });
  });
  after(async () => {
    await browser?.close().catch(() => {});
    await library?.close();
    await sites?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** An extension page (Firefox never reports the navigation to it: its wait is cut short). */
  async function extensionPage(name, ready = () => document.body?.dataset.ready === 'true') {
    const p = await browser.newPage();
    await p.goto(`moz-extension://${UUID}/${name}`, { timeout: 3000 }).catch(() => {});
    await p.waitForFunction(ready, { timeout: 15_000 });
    return p;
  }

  test('Firefox: a page with script-src \'none\' on a default site is highlighted as find() says; the popup lists its entities; after the background script idles out the page keeps following changes', async () => {
    const control = await extensionPage('popup.html?tab=-1', () => location.protocol === 'moz-extension:' && document.readyState === 'complete');
    await until(() => control.evaluate(async () => (await browser.scripting.getRegisteredContentScripts()).length > 0), 'the content script registered');
    const p = await browser.newPage();
    await p.goto('https://www.kompas.com/strict', { waitUntil: 'load' });
    let last = null;
    const state = await until(async () => {
      const s = await pageState(p);
      if (s.painted.length === 0) return null;
      const want = await expectedSpans(env, s);
      last = { painted: s.painted, want: want.spans };
      return JSON.stringify(s.painted) === JSON.stringify(want.spans) ? s : null;
    }, () => `the highlights equal to find() (${JSON.stringify(last)})`, 30_000);
    assert.deepEqual(state.pieces.map((x) => x.text),
      ['Lavrov', 'Kim', 'Moskow', 'Rusia', 'Sergey Lavrov', 'Kim Jong Un', 'Moskow', 'Kim', ' Jong ', 'Un', 'Pyongyang', 'Jakarta']);
    assert.equal(await p.evaluate(() => typeof CSS.highlights !== 'undefined' && CSS.highlights.size > 0), true, 'drawn with the CSS Highlight API');
    const tab = await control.evaluate(async () => (await browser.tabs.query({})).find((t) => t.url === 'https://www.kompas.com/strict')?.id);
    assert.equal(typeof tab, 'number');
    const popup = await extensionPage(`popup.html?tab=${tab}`);
    const rows = await until(() => popup.evaluate(() => {
      const r = [...document.querySelectorAll('#entities .entity')].map((e) => `${e.querySelector('.name').textContent} ${e.querySelector('.mentions').textContent}`);
      return r.length > 0 ? r : null;
    }), 'the popup\'s list');
    assert.deepEqual(rows, ['Sergey Lavrov ×2', 'Kim Jong Un ×3', 'Moskow ×2', 'Rusia ×1', 'Pyongyang ×1', 'Jakarta ×1']);
    assert.equal(await control.evaluate((t) => browser.action.getBadgeText({ tabId: t }), tab), '6');

    // The background script idles out (its port to the page closes); the next
    // change of the page starts it again and is highlighted.
    const started = () => control.evaluate(async () => (await browser.storage.session.get('workerStarted')).workerStarted);
    const first = await started();
    await new Promise((resolve) => setTimeout(resolve, 8000));
    // What the popup and the badge know of the page outlives the background script.
    const frames = await control.evaluate(async (t) => (await browser.runtime.sendMessage({ sorotExtension: 1, kind: 'tabState', tabId: t })).value.frames.length, tab);
    assert.equal(frames, 1);
    assert.equal(await control.evaluate((t) => browser.action.getBadgeText({ tabId: t }), tab), '6');
    await p.evaluate(() => {
      const para = document.createElement('p');
      para.textContent = 'Presiden Joko Widodo terbang ke Surabaya.';
      document.querySelector('article').append(para);
    });
    const after = await until(async () => {
      const s = await pageState(p);
      const want = await expectedSpans(env, s);
      return JSON.stringify(s.painted) === JSON.stringify(want.spans) && s.pieces.some((x) => x.text === 'Surabaya') ? s : null;
    }, 'the change after the background script idled out', 30_000);
    assert.ok(after);
    assert.ok((await started()) > first, 'the background script was started again');
    assert.deepEqual(leaked(sites), [], 'no request tried to leave the machine');
  });
}
