// The content script (bundled into one classic script by build.sh: a content
// script cannot be an ES module). It reads the page's text and draws with the
// library's DOM layer; the engine is in the extension's own context, reached
// over a runtime port, so the page's Content-Security-Policy cannot stop it.
//
// It runs by itself where the settings' `sites` say, and anywhere when asked
// (the popup's button, the keyboard shortcut); it follows settings changes
// without a reload, and tells the service worker what it found (the badge and
// the popup's list).

import { createHighlighter } from 'sorot/dom';
import { api } from './api.js';
import { ENGINE_PORT, listener, message } from './messages.js';
import { loadSettings, onSettingsChanged } from './settings.js';
import { siteEnabled } from './sites.js';

const STATE = Symbol.for('sorot.extension.content');

if (!globalThis[STATE]) {
  globalThis[STATE] = true;
  main();
}

function main() {
  // When this script started, when its highlighter had the gazetteer, and when
  // the page was first drawn (ms since the navigation started), for the report:
  // bench/extension.mjs reads them.
  const timing = { start: Math.round(performance.now()), ready: null, drawn: null };
  let settings = null;
  let hl = null; // the highlighter (its port to the engine)
  let h = null; // the page's highlights
  let engineKey = ''; // what the highlighter was made with
  let drawKey = ''; // what the highlights were drawn with
  let forced = false; // asked for on this page (popup, shortcut), whatever the sites say
  let stopped = false; // turned off on this page by the shortcut
  let running = Promise.resolve();
  let reportTimer = 0;

  const wanted = () => !stopped && settings.gazetteers.some((g) => g.enabled)
    && (forced || siteEnabled(settings.sites, location.hostname));

  const rootFor = (s) => (s.scope === 'article'
    ? document.querySelector('article') ?? document.querySelector('main') ?? document.body
    : document.body);

  function report(error = null) {
    clearTimeout(reportTimer);
    reportTimer = 0;
    // The other entities a form could name, for the popup's tooltip (in English, as
    // the popup is): the first few titles (thousands may share one).
    const entities = h && !h.removed ? h.entities().map(({ first, ...e }) => ({ ...e, also: hl.titleList(e.candidates, 'en') })) : [];
    const live = Boolean(h && !h.removed);
    const counts = live ? h.counts : {};
    const types = live ? h.types : {};
    api.runtime.sendMessage(message('report', { running: live || error !== null, counts, types, entities, error, timing }))
      .catch(() => {});
  }

  function reportSoon() {
    if (!reportTimer) reportTimer = setTimeout(() => report(), 150);
  }

  function stop() {
    h?.remove();
    h = null;
    hl?.free();
    hl = null;
    engineKey = '';
    report();
  }

  /** Highlights the page as the settings say (again, when a setting that matters changed). */
  async function apply() {
    await settingsRead;
    if (!document.body) return;
    if (!wanted()) {
      if (h || hl) stop();
      return;
    }
    const key = JSON.stringify([settings.gazetteers.filter((g) => g.enabled), settings.colors, settings.renderer]);
    if (key !== engineKey) {
      h?.remove();
      h = null;
      hl?.free();
      hl = await createHighlighter({ port: () => api.runtime.connect({ name: ENGINE_PORT }), renderer: settings.renderer });
      engineKey = key;
      timing.ready ??= Math.round(performance.now());
    }
    const root = rootFor(settings);
    const draw = JSON.stringify([settings.observe, settings.overlap, settings.scope]);
    if (h && !h.removed && h.root === root && draw === drawKey) return;
    h = await hl.highlight(root, { observe: settings.observe, overlap: settings.overlap, onUpdate: reportSoon });
    timing.drawn ??= Math.round(performance.now());
    drawKey = draw;
    report();
  }

  function schedule() {
    running = running.then(apply).catch((err) => {
      console.warn(`sorot: ${err.message}`);
      h?.remove();
      h = null;
      report(err.message); // before the port closes (its closing forgets this frame's record)
      hl?.free();
      hl = null;
      engineKey = '';
    });
    return running;
  }

  async function handleRequest(m) {
    switch (m.kind) {
      case 'highlight':
        forced = true;
        stopped = false;
        if (!h) await schedule();
        return Boolean(h);
      case 'toggle':
        if (h) {
          stopped = true;
          forced = false;
          await running;
          stop();
        } else {
          forced = true;
          stopped = false;
          await schedule();
        }
        return Boolean(h);
      case 'reveal': {
        const entity = h?.entities().find((e) => e.id === m.id);
        return entity ? h.reveal(entity) : false;
      }
      case 'setTypeVisible':
        h?.setTypeVisible(m.type, m.visible);
        return Boolean(h);
      default:
        return undefined;
    }
  }

  // Only the frames with highlights answer the popup's requests about them.
  api.runtime.onMessage.addListener((m, sender, respond) => {
    if (m?.kind === 'reveal' && !h?.entities().some((e) => e.id === m.id)) return undefined;
    return listener(handleRequest)(m, sender, respond);
  });

  // After a navigation within the page (pushState) or a return from the
  // back/forward cache the browser may have reset the tab's badge: report again.
  globalThis.navigation?.addEventListener?.('currententrychange', () => reportSoon());
  addEventListener('popstate', () => reportSoon());
  addEventListener('pageshow', (event) => { if (event.persisted) report(); });

  onSettingsChanged((s) => {
    // Turning the site off ends a highlight asked for on this page too.
    if (siteEnabled(settings?.sites ?? [], location.hostname) && !siteEnabled(s.sites, location.hostname)) forced = false;
    settings = s;
    schedule();
  });

  // A request (the popup's button) may come before the settings are read: apply() waits.
  const settingsRead = loadSettings().then((s) => { settings ??= s; });
  schedule();
}
