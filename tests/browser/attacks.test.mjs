// The attack corpus (tests/attacks/payloads.json) in headless Chromium, through the
// public API: every payload in every gazetteer field and in the page's text and
// attributes (names split across <b>/<a> too), with both renderers, the card of
// every highlight shown. No script runs (a payload that would run calls
// `__pwned()`, which is watched, as are the console, uncaught errors, dialogs and
// requests), every link in a card is http:/https: and shows its real host, no
// style leaves its rule (the style sheets are those of a harmless gazetteer of the
// same shape, and a sentinel element keeps its computed style), and `remove()`
// restores the page byte for byte. A gazetteer the library refuses gives an Error
// whose message names the field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setup, blankPage, ROOT } from './helpers.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

const LIST = JSON.parse(readFileSync(path.join(ROOT, 'tests/attacks/payloads.json'), 'utf8'));

/** A payload's string: `text`, `repeat` × `times`, or UTF-16 code units (lone surrogates). */
function payloadText(p) {
  if (p.utf16) return String.fromCharCode(...p.utf16);
  if (p.repeat !== undefined) return p.repeat.repeat(p.times);
  return p.text;
}
const PAYLOADS = LIST.payloads.map((p) => ({ id: p.id, text: payloadText(p) }));

/** What the Rust core's `str::trim` takes away (White_Space: U+0085 yes, U+FEFF no, unlike JS's `trim()`). */
const WS = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const TRIM = new RegExp(`^${WS}+|${WS}+$`, 'g');
const trim = (s) => s.replace(TRIM, '');

/** An own property, even for a key such as `__proto__`. */
function put(object, key, value) {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  return object;
}

const nameOf = (i) => `Entitas Q${i}Z`;

/**
 * The gazetteer fields a payload goes into. `names`: what an error about the field
 * must say; `form`: the payload is a form, so the page holds it as the text to
 * match; `lang`: the reader's language for the fields given per language.
 */
const FIELDS = [
  { field: 'id', names: /"id"|\bid\b/, set: (g, e, p) => { e.id = p; } },
  { field: 'name', names: /\bname\b/, form: true, set: (g, e, p) => { e.name = p; } },
  { field: 'aliases', names: /aliases\[0\]/, form: true, set: (g, e, p) => { e.aliases = [p]; } },
  { field: 'short', names: /short\[0\]/, form: true, set: (g, e, p) => { e.short = [p]; } },
  { field: 'aliases[0].lang', names: /aliases\[0\]\.lang/, alias: true, refusesAll: true, set: (g, e, p, i) => { e.aliases = [{ text: `Alias Q${i}Z`, lang: p }]; } },
  {
    field: 'type', names: /\btypes?\b/, css: true,
    set: (g, e, p) => { const t = g.types[e.type]; delete g.types[e.type]; put(g.types, p, t); e.type = p; },
  },
  { field: 'types.label', names: /label/, set: (g, e, p) => { g.types[e.type].label = p; } },
  { field: 'types.label.en', names: /label/, lang: 'en', set: (g, e, p, i) => { g.types[e.type].label = { id: `Jenis ${i}`, en: p }; } },
  { field: 'types.color', names: /colou?r/, css: true, set: (g, e, p) => { g.types[e.type].color = p; } },
  { field: 'description', names: /description/, set: (g, e, p) => { e.description = p; } },
  { field: 'description.en', names: /description/, lang: 'en', set: (g, e, p) => { e.description = { id: 'Deskripsi', en: p }; } },
  { field: 'description key', names: /description/, set: (g, e, p) => { e.description = put({}, p, 'Deskripsi'); } },
  { field: 'url', names: /\burl\b/, set: (g, e, p) => { e.url = p; } },
  { field: 'url.en', names: /\burl\b/, lang: 'en', set: (g, e, p) => { e.url = { id: 'https://id.wikipedia.org/wiki/Jakarta', en: p }; } },
  { field: 'extra field', names: /./, set: (g, e, p) => { e.catatan = p; put(e, `x-${p}`, p); } },
];

/** A gazetteer (JSON text) of one entity per item, each with the payload in `f`. */
function gazetteerOf(f, items) {
  const g = { name: 'Serangan', lang: 'id', types: {}, entities: [] };
  for (const { i, text } of items) {
    put(g.types, `T${i}`, { label: `Jenis ${i}`, color: '#ffd54f' });
    const e = { id: `e${i}`, name: nameOf(i), type: `T${i}`, description: `Deskripsi ${i}`, url: `https://id.wikipedia.org/wiki/E${i}` };
    f.set(g, e, text, i);
    g.entities.push(e);
  }
  return JSON.stringify(g);
}

/** The same shape with nothing hostile: what the style sheets are compared with. */
function controlOf(items) {
  const g = { name: 'Kontrol', lang: 'id', types: {}, entities: [] };
  items.forEach((_, k) => {
    put(g.types, `K${k}`, { label: 'Jenis', color: '#123456' });
    g.entities.push({ id: `c${k}`, name: k === 0 ? 'Kontrol Satu' : `Kontrol Q${k}Z`, type: `K${k}`, description: 'Deskripsi', url: 'https://id.wikipedia.org/wiki/Kontrol' });
  });
  return JSON.stringify(g);
}

/** Tries each gazetteer (JSON text, given as an object) alone: accepted, or the error. */
async function classify(page, texts) {
  return page.evaluate(async (texts) => {
    const { createHighlighter } = await import('/lib/sorot.js');
    const out = [];
    for (const text of texts) {
      try {
        const hl = await createHighlighter({ gazetteer: JSON.parse(text) });
        hl.free();
        out.push({ ok: true });
      } catch (err) {
        out.push({ ok: false, isError: err instanceof Error, kind: err?.constructor?.name, message: String(err?.message ?? err) });
      }
    }
    return out;
  }, texts);
}

/**
 * Builds the page (with DOM calls: the payloads are text and attribute values),
 * highlights it with a harmless gazetteer and then with the hostile one, shows the
 * card of every match, and returns what went wrong.
 */
async function attack(page, { gazetteer, control, paragraphs, expect, renderer, lang, keys }) {
  return page.evaluate(async ({ gazetteer, control, paragraphs, expect, renderer, lang, keys }) => {
    const sorot = await import('/__test/sorot.mjs');
    const problems = [];
    const FORBIDDEN = 'script, img, svg, iframe, frame, object, embed, style, link, meta, base, form, math, template, video, audio, source, details, input';
    const BIDI = /[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/;
    const el = (tag, text, attrs = {}) => {
      const e = document.createElement(tag);
      if (text !== undefined) e.textContent = text;
      for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
      return e;
    };
    // The page: each entity's text in a paragraph whose attributes hold the payload,
    // and again split across <b> and <a>.
    const sentinel = el('div', 'Penjaga', { id: 'sentinel' });
    document.body.append(el('p', 'Kontrol Satu di sini.'));
    for (const p of paragraphs) {
      const para = el('p', undefined, { title: p.payload, 'data-payload': p.payload, class: p.payload });
      para.append(el('span', 'Awal', { class: p.payload, 'data-x': p.payload }), ` sebelum ${p.before} `, p.match, ` lalu ${p.after} `,
        el('a', 'tautan', { href: 'https://example.invalid/', title: p.payload }));
      const cut = p.match.length >> 1;
      const at = /[\udc00-\udfff]/.test(p.match[cut] ?? '') ? cut + 1 : cut;
      const split = el('p');
      split.append(el('b', p.match.slice(0, at)), el('a', p.match.slice(at), { href: 'https://example.invalid/b' }), ' akhir.');
      document.body.append(para, split);
    }
    document.body.append(el('mark', 'tanda halaman', { id: 'page-mark' }), sentinel);
    const pageForbidden = document.querySelectorAll(FORBIDDEN).length;

    const PROPS = ['color', 'background-color', 'background-image', 'display', 'visibility', 'opacity', 'font-size',
      'font-family', 'filter', 'transform', 'position', 'text-decoration-line', 'content', 'outline-style'];
    const computed = () => ['#sentinel', '#page-mark', 'body', 'html'].map((s) => {
      const style = getComputedStyle(document.querySelector(s));
      return PROPS.map((p) => `${s} ${p}: ${style.getPropertyValue(p)}`).join('\n');
    }).join('\n');
    const cardHosts = () => [...document.querySelectorAll('[data-sorot-owner]:not(mark)')];
    const everything = (root) => {
      const out = [];
      const walk = (r) => { for (const e of r.querySelectorAll('*')) { out.push(e); if (e.shadowRoot) walk(e.shadowRoot); } };
      walk(root);
      return out;
    };
    const sheetRules = () => {
      const sheets = [...document.styleSheets, ...document.adoptedStyleSheets];
      for (const host of cardHosts()) if (host.shadowRoot) sheets.push(...host.shadowRoot.styleSheets, ...host.shadowRoot.adoptedStyleSheets);
      return sheets.flatMap((s) => [...s.cssRules].map((r) => r.cssText));
    };
    const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    /** The rules, with owner tokens, type keys and colours taken out. */
    const signature = (owner, typeKeys) => sheetRules().map((text) => {
      let t = text.split(owner).join('OWNER').replace(/OWNER-\d+/g, 'OWNER-N');
      for (const k of [...typeKeys].sort((a, b) => b.length - a.length)) t = t.replace(new RegExp(`(?<=[-.])${escape(k)}(?![A-Za-z0-9_-])`, 'g'), 'KEY');
      return t.replace(/#[0-9a-fA-F]{3,8}\b/g, 'COLOR').replace(/rgba?\([^)]*\)/g, 'COLOR');
    }).sort();

    /** What is wrong with the card shown for match `m`. */
    const checkCard = (m, how) => {
      const where = `${how} ${JSON.stringify(m.id)} ${JSON.stringify(m.text.slice(0, 40))}`;
      const hosts = cardHosts();
      if (hosts.length !== 1) return [`${where}: ${hosts.length} card hosts`];
      const host = hosts[0];
      if (!host.shadowRoot) return [`${where}: the card has no open shadow root`];
      const all = everything(host.shadowRoot);
      const out = [];
      for (const e of all) {
        if (e.matches(FORBIDDEN)) out.push(`${where}: a <${e.localName}> in the card`);
        for (const a of e.attributes) {
          if (/^on/i.test(a.name)) out.push(`${where}: attribute ${a.name} in the card`);
          if (a.name === 'style' && /url\(|expression|@import|javascript/i.test(a.value)) out.push(`${where}: style ${JSON.stringify(a.value)}`);
        }
        if (e.hasAttribute('href') || e.hasAttribute('src') || e.hasAttribute('action') || e.hasAttribute('formaction')) {
          const raw = e.getAttribute('href') ?? e.getAttribute('src') ?? e.getAttribute('action') ?? e.getAttribute('formaction');
          let url = null;
          try { url = new URL(raw, document.baseURI); } catch { /* below */ }
          if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
            out.push(`${where}: <${e.localName}> links to ${JSON.stringify(raw)}`);
            continue;
          }
          const wanted = expect[m.id]?.url;
          if (e.localName === 'a' && wanted !== undefined && url.href !== wanted) out.push(`${where}: the link is ${url.href}, not the entity's ${wanted}`);
          // The visible text of a link cannot mislead: no bidi controls, and read as a
          // URL it names the host the link goes to, without user info.
          const shown = e.textContent;
          if (BIDI.test(shown)) out.push(`${where}: the link text ${JSON.stringify(shown)} has bidi controls`);
          let read = null;
          try { read = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(shown) ? shown : `https://${shown}`); } catch { /* not a URL */ }
          if (read && (read.hostname !== url.hostname || read.username || read.password)) {
            out.push(`${where}: the link text ${JSON.stringify(shown)} reads as host ${JSON.stringify(read.hostname)}${read.username ? ` (user info ${JSON.stringify(read.username)})` : ''}, the link goes to ${url.hostname}`);
          }
        }
      }
      const shows = expect[m.id]?.shows;
      const text = host.shadowRoot.textContent;
      if (shows && !text.includes(shows)) out.push(`${where}: the card does not show ${JSON.stringify(shows)} as text`);
      return out;
    };

    const bodyBefore = document.body.innerHTML;
    const htmlBefore = document.documentElement.outerHTML;
    const styleBefore = computed();
    const sheetsBefore = document.adoptedStyleSheets.length;

    // The harmless gazetteer of the same shape: its style sheets, with a card shown.
    const calm = await sorot.createHighlighter({ gazetteer: JSON.parse(control) });
    const hc = await calm.highlight(document.body, { renderer, lang });
    if (hc.matches.length === 0) problems.push('the control gazetteer matched nothing');
    else hc.reveal(hc.matches[0]);
    const calmKeys = Object.keys(JSON.parse(control).types);
    const expected = signature(calm.owner, calmKeys);
    hc.remove();
    calm.free();
    if (document.body.innerHTML !== bodyBefore) problems.push('the control highlight did not restore the page');

    let hl;
    try {
      hl = await sorot.createHighlighter({ gazetteer: JSON.parse(gazetteer) });
    } catch (err) {
      return { problems: [...problems, `the gazetteer of accepted payloads was refused: ${err.message}`] };
    }
    const h = await hl.highlight(document.body, { renderer, lang, keyboard: true });
    window.__attack = { h, hl, checkCard, computed, bodyBefore, htmlBefore, styleBefore, sheetsBefore };
    const ids = new Set();
    let cards = 0;
    for (const m of h.matches) {
      if (!(m.id in expect)) problems.push(`match of an unknown entity ${JSON.stringify(m.id)}`);
      ids.add(m.id);
      if (renderer === 'mark') {
        for (const mark of m.elements) {
          if (mark.getAttribute('data-sorot-id') !== m.id) problems.push(`mark data-sorot-id ${JSON.stringify(mark.getAttribute('data-sorot-id'))} for ${JSON.stringify(m.id)}`);
        }
        // Keyboard focus on the mark shows its card (reveal() for the Highlight API).
        m.elements[0].focus();
        problems.push(...checkCard(m, 'focus'));
      } else {
        h.reveal(m);
        problems.push(...checkCard(m, 'reveal'));
      }
      cards++;
    }
    // Counts and entities keyed by type or id hold numbers and names, whatever the key.
    const counts = h.counts;
    for (const type of new Set(h.matches.map((m) => m.type))) {
      const n = h.matches.filter((m) => m.type === type).length;
      if (!Object.hasOwn(counts, type) || counts[type] !== n) problems.push(`h.counts[${JSON.stringify(type)}] is ${String(counts[type])}, not ${n}`);
    }
    for (const e of h.entities()) {
      if (typeof e.typeLabel !== 'string' || typeof e.name !== 'string' || e.mentions < 1) problems.push(`h.entities(): ${JSON.stringify(e.id)} has typeLabel ${String(e.typeLabel)}, name ${String(e.name)}`);
    }
    if (computed() !== styleBefore) problems.push(`computed styles changed:\n${computed()}`);
    const got = signature(hl.owner, keys);
    if (JSON.stringify(got) !== JSON.stringify(expected)) {
      problems.push(`style sheets differ from a harmless gazetteer's:\n${got.filter((r) => !expected.includes(r)).join('\n')}\n-- expected --\n${expected.filter((r) => !got.includes(r)).join('\n')}`);
    }
    if (document.querySelectorAll(FORBIDDEN).length !== pageForbidden) problems.push('elements were added to the page');
    for (const e of everything(document)) {
      for (const a of e.attributes) if (/^on/i.test(a.name)) problems.push(`attribute ${a.name} on <${e.localName}>`);
    }
    return {
      problems,
      matches: h.matches.map((m) => m.id),
      matched: [...ids],
      cards,
    };
  }, { gazetteer, control, paragraphs, expect, renderer, lang, keys });
}

/** Hovers a few highlights with the mouse (the renderer's hit test) and checks their cards. */
async function hover(page, count) {
  const problems = [];
  const n = await page.evaluate(() => window.__attack.h.matches.length);
  const picks = [...new Set(Array.from({ length: Math.min(count, n) }, (_, k) => Math.floor((k * n) / Math.min(count, n))))];
  for (const index of picks) {
    await page.keyboard.press('Escape');
    await page.mouse.move(1, 1);
    await page.waitForFunction(() => !document.querySelector('[data-sorot-owner]:not(mark)'));
    const rect = await page.evaluate((index) => {
      const m = window.__attack.h.matches[index];
      const node = m.ranges[0].startContainer.parentElement;
      node.scrollIntoView({ block: 'center' });
      const r = [...m.ranges[0].getClientRects()].find((x) => x.width > 2 && x.height > 2);
      return r ? { x: r.x + Math.min(r.width / 2, 4), y: r.y + r.height / 2 } : null;
    }, index);
    if (!rect) continue;
    await page.mouse.move(rect.x, rect.y);
    try {
      await page.waitForFunction(() => document.querySelector('[data-sorot-owner]:not(mark)'), null, { timeout: 5000 });
    } catch {
      problems.push(`hover: no card for match ${index}`);
      continue;
    }
    problems.push(...await page.evaluate((index) => {
      const { h, checkCard } = window.__attack;
      return checkCard(h.matches[index], 'hover');
    }, index));
  }
  return problems;
}

/** Takes the highlights away: the page is what it was, its sheets and highlights gone. */
async function restore(page) {
  return page.evaluate(() => {
    const { h, hl, computed, bodyBefore, htmlBefore, styleBefore, sheetsBefore } = window.__attack;
    const problems = [];
    h.remove();
    if (document.body.innerHTML !== bodyBefore) problems.push('remove() did not restore document.body.innerHTML');
    hl.free();
    if (CSS.highlights.size !== 0) problems.push(`${CSS.highlights.size} highlights left in CSS.highlights`);
    if (document.adoptedStyleSheets.length !== sheetsBefore) problems.push(`${document.adoptedStyleSheets.length - sheetsBefore} style sheets left adopted`);
    if (computed() !== styleBefore) problems.push('computed styles differ after remove()');
    if (document.documentElement.outerHTML !== htmlBefore) problems.push('the document differs after remove() and free()');
    return problems;
  });
}

/** Watches what a payload that ran would do. */
function watch(page) {
  const seen = { requests: [], dialogs: [], console: [] };
  page.on('request', (r) => seen.requests.push(r.url()));
  page.on('dialog', (d) => { seen.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('console', (msg) => { if (['error', 'warning'].includes(msg.type()) || /pwned/i.test(msg.text())) seen.console.push(`${msg.type()}: ${msg.text()}`); });
  return seen;
}

async function armedPage() {
  const page = await blankPage(env.browser, env.url, '');
  await page.evaluate(() => {
    window.__pwnedCalls = [];
    window.__pwned = (x) => { window.__pwnedCalls.push(String(x)); };
  });
  return page;
}

const figures = { payloads: PAYLOADS.length, cases: 0, refused: 0, cards: 0 };
after(() => {
  console.log(`# attack corpus: ${figures.payloads} payloads, ${FIELDS.length} entity fields + 2 gazetteer fields, ${figures.cases} field × payload × renderer cases highlighted, ${figures.refused} field × payload gazetteers refused with an Error, ${figures.cards} cards checked`);
});

for (const f of FIELDS) {
  test(`attack corpus in ${f.field}: refused with an Error naming the field, or drawn safely with both renderers`, async () => {
    const classPage = await armedPage();
    const results = await classify(classPage, PAYLOADS.map((p, i) => gazetteerOf(f, [{ i, text: p.text }])));
    await classPage.close();
    const accepted = [];
    results.forEach((r, i) => {
      const p = PAYLOADS[i];
      if (r.ok) {
        accepted.push({ i, text: p.text });
        return;
      }
      figures.refused++;
      assert.ok(r.isError && r.kind === 'Error', `${p.id} in ${f.field}: threw ${r.kind}, not an Error: ${r.message}`);
      assert.doesNotMatch(r.message, /unreachable|RuntimeError|panicked|undefined is not|null/i, `${p.id} in ${f.field}: ${r.message}`);
      // A lone surrogate too: the library names the field before it writes the JSON.
      assert.ok(f.names.test(r.message), `${p.id} in ${f.field}: the error does not name the field: ${r.message}`);
    });
    console.log(`# ${f.field}: ${accepted.length} of ${PAYLOADS.length} accepted${accepted.length < 40 ? `: ${accepted.map(({ i }) => PAYLOADS[i].id).join(' ')}` : ''}`);
    if (accepted.length === 0 && f.refusesAll) return;
    assert.ok(accepted.length > 0, `${f.field}: every payload refused`);

    const gazetteer = gazetteerOf(f, accepted);
    const parsed = JSON.parse(gazetteer);
    const keys = Object.keys(parsed.types);
    const expect = {};
    const paragraphs = [];
    for (const { i, text } of accepted) {
      const e = parsed.entities[paragraphs.length];
      const match = f.form ? text : f.alias ? `Alias Q${i}Z` : nameOf(i);
      const shows = { name: trim(text), 'types.label': trim(text), 'types.label.en': trim(text), description: trim(text), 'description.en': trim(text) }[f.field];
      let url = typeof e.url === 'string' ? e.url : e.url?.[f.lang ?? 'id'];
      try { url = new URL(trim(url)).href; } catch { url = undefined; }
      expect[trim(e.id)] = { shows: shows?.slice(0, 24), url };
      paragraphs.push({ payload: text, match, before: f.field === 'short' ? nameOf(i) : text === match ? '' : text, after: text === match ? '' : text });
    }
    for (const renderer of ['highlight-api', 'mark']) {
      const page = await armedPage();
      const seen = watch(page);
      const report = await attack(page, { gazetteer, control: controlOf(accepted), paragraphs, expect, renderer, lang: f.lang, keys });
      assert.deepEqual(report.problems, [], `${f.field} [${renderer}]`);
      const hovered = await hover(page, 3);
      assert.deepEqual(hovered, [], `${f.field} [${renderer}] hover`);
      assert.deepEqual(await restore(page), [], `${f.field} [${renderer}] remove()`);
      const calls = await page.evaluate(() => window.__pwnedCalls);
      assert.deepEqual(calls, [], `${f.field} [${renderer}]: a payload ran`);
      assert.deepEqual(page.errors, [], `${f.field} [${renderer}]: console errors or exceptions`);
      assert.deepEqual(seen.dialogs, [], `${f.field} [${renderer}]: dialogs`);
      assert.deepEqual(seen.console, [], `${f.field} [${renderer}]: console`);
      const base = new URL(env.url);
      const strange = seen.requests.filter((u) => { const x = new URL(u); return x.origin !== base.origin || !/^\/(lib|pkg|__test|__blank\.html)/.test(x.pathname); });
      assert.deepEqual(strange, [], `${f.field} [${renderer}]: requests`);
      // Which entities the page showed (a form several payloads share after
      // normalisation names one of them).
      assert.ok(report.matched.length > 0, `${f.field} [${renderer}]: nothing matched`);
      if (f.form && renderer === 'mark') {
        const unmatched = accepted.filter(({ i }) => !report.matched.includes(trim(JSON.parse(gazetteer).entities.find((e) => e.id === `e${i}` || e.id === trim(PAYLOADS[i].text))?.id ?? '')));
        console.log(`# ${f.field}: ${report.matched.length} of ${accepted.length} entities highlighted${unmatched.length ? ` (a form another payload shares, or none to match: ${unmatched.map(({ i }) => PAYLOADS[i].id).join(' ')})` : ''}`);
      }
      if (!f.form) assert.equal(report.matched.length, accepted.length, `${f.field} [${renderer}]: not every entity matched: ${accepted.length - report.matched.length} missing`);
      figures.cases += accepted.length;
      figures.cards += report.cards;
      await page.close();
    }
  });
}

const GAZETTEER_FIELDS = [
  { field: 'name', names: /\bname\b/, set: (g, p) => { g.name = p; } },
  { field: 'lang', names: /\blang\b/, set: (g, p) => { g.lang = p; } },
];

test('attack corpus in the gazetteer\'s own name and lang: refused with an Error naming the field, or accepted', async () => {
  const page = await armedPage();
  for (const f of GAZETTEER_FIELDS) {
    const texts = PAYLOADS.map((p) => {
      const g = { lang: 'id', entities: [{ id: 'e', name: 'Entitas', type: 'PER' }] };
      f.set(g, p.text);
      return JSON.stringify(g);
    });
    const results = await classify(page, texts);
    results.forEach((r, i) => {
      if (r.ok) return;
      figures.refused++;
      const p = PAYLOADS[i];
      assert.ok(r.isError && r.kind === 'Error', `${p.id} in ${f.field}: threw ${r.kind}: ${r.message}`);
      assert.ok(f.names.test(r.message), `${p.id} in gazetteer ${f.field}: the error does not name the field: ${r.message}`);
    });
  }
  assert.deepEqual(await page.evaluate(() => window.__pwnedCalls), []);
  assert.deepEqual(page.errors, []);
  await page.close();
});
