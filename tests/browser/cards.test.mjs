// Hostile gazetteer data seen by a reader: type keys and ids that are names of
// Object.prototype members, a description of 100,000 characters, links whose text
// could mislead. Through the public API, in headless Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, blankPage } from './helpers.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

/** Types and ids named after Object.prototype's members. */
const PROTO = {
  lang: 'en',
  types: {
    constructor: { label: 'Builder', color: '#ffd54f' },
    toString: { label: 'Stringy', color: '#81d4fa' },
    hasOwnProperty: { label: 'Owner', color: '#c5e1a5' },
    valueOf: { label: 'Valued', color: '#f48fb1' },
  },
  entities: [
    { id: '__proto__', name: 'Bob Builder', type: 'constructor', description: 'Builds things' },
    { id: 'constructor', name: 'Wendy Worker', type: 'constructor' },
    { id: 'toString', name: 'Gotham', type: 'toString' },
    { id: 'hasOwnProperty', name: 'Wayne Manor', type: 'hasOwnProperty' },
    { id: 'valueOf', name: 'Acme', type: 'valueOf' },
  ],
};
const PROTO_TEXT = '<p id="p">Bob Builder met Wendy Worker in Gotham. Bob Builder left Gotham for Wayne Manor.</p>';

for (const renderer of ['highlight-api', 'mark']) {
  test(`[${renderer}] type keys and ids named constructor, toString, hasOwnProperty, valueOf, __proto__ highlight, count right and show their labels`, async () => {
    const page = await blankPage(env.browser, env.url, PROTO_TEXT);
    const result = await page.evaluate(async ({ gazetteer, renderer }) => {
      const { createHighlighter } = await import('/__test/sorot.mjs');
      const hl = await createHighlighter({ gazetteer });
      const h = await hl.highlight(document.body, { renderer });
      const card = () => document.querySelector('[data-sorot-owner]:not(mark)')?.shadowRoot?.querySelector('.card');
      const cards = [];
      for (const e of h.entities()) {
        h.reveal(e);
        const c = card();
        cards.push([c.querySelector('.name').textContent, c.querySelector('.type').textContent, c.querySelector('.desc')?.textContent ?? null]);
      }
      return {
        counts: { ...h.counts },
        // A type with no match counts nothing (not Object.prototype.valueOf).
        valueOf: h.counts.valueOf ?? 0,
        types: Object.entries(h.types).map(([k, t]) => [k, t.label, t.color]),
        labels: Object.keys(gazetteer.types).map((k) => hl.typeLabel(k, 'en')),
        entities: h.entities().map((e) => [e.id, e.type, e.typeLabel, e.mentions]),
        cards,
        entity: hl.entity('__proto__')?.name,
        painted: h.matches.length,
      };
    }, { gazetteer: PROTO, renderer });
    assert.deepEqual(result.counts, { constructor: 3, toString: 2, hasOwnProperty: 1 });
    assert.equal(result.valueOf, 0);
    assert.deepEqual(result.types, [
      ['constructor', 'Builder', '#ffd54f'], ['toString', 'Stringy', '#81d4fa'], ['hasOwnProperty', 'Owner', '#c5e1a5'], ['valueOf', 'Valued', '#f48fb1'],
    ]);
    assert.deepEqual(result.labels, ['Builder', 'Stringy', 'Owner', 'Valued']);
    assert.deepEqual(result.entities, [
      ['__proto__', 'constructor', 'Builder', 2], ['constructor', 'constructor', 'Builder', 1],
      ['toString', 'toString', 'Stringy', 2], ['hasOwnProperty', 'hasOwnProperty', 'Owner', 1],
    ]);
    assert.deepEqual(result.cards, [
      ['Bob Builder', 'Builder', 'Builds things'], ['Wendy Worker', 'Builder', null], ['Gotham', 'Stringy', null], ['Wayne Manor', 'Owner', null],
    ]);
    assert.equal(result.entity, 'Bob Builder');
    assert.equal(result.painted, 6);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
}

for (const renderer of ['highlight-api', 'mark']) {
  test(`[${renderer}] a type key __proto__ highlights, counts and shows its label and colour`, async () => {
    const page = await blankPage(env.browser, env.url, '<p id="p">Bob Builder met Wendy Worker. Bob Builder left.</p>');
    // An object literal cannot hold a type named __proto__ (it sets the prototype), and
    // JSON.stringify writes none: as JSON text, as a gazetteer file would give it.
    const gazetteer = '{"lang": "en", "types": {"__proto__": {"label": "Proto", "color": "#81d4fa"}}, "entities": ['
      + '{"id": "bob", "name": "Bob Builder", "type": "__proto__"}, {"id": "wendy", "name": "Wendy Worker", "type": "__proto__"}]}';
    const result = await page.evaluate(async ({ gazetteer, renderer }) => {
      const { createHighlighter } = await import('/__test/sorot.mjs');
      const hl = await createHighlighter({ gazetteer });
      const h = await hl.highlight(document.body, { renderer });
      h.reveal(h.entities()[0]);
      const card = document.querySelector('[data-sorot-owner]:not(mark)')?.shadowRoot?.querySelector('.card');
      return {
        count: Object.getOwnPropertyDescriptor(h.counts, '__proto__')?.value ?? null,
        countsProto: Object.getPrototypeOf(h.counts) === null,
        types: Object.entries(h.types).map(([k, t]) => [k, t.label, t.color]),
        label: hl.typeLabel('__proto__', 'en'),
        entities: h.entities().map((e) => [e.id, e.type, e.typeLabel, e.mentions]),
        card: [card?.querySelector('.name')?.textContent, card?.querySelector('.type')?.textContent],
        painted: h.matches.length,
      };
    }, { gazetteer, renderer });
    assert.equal(result.count, 3);
    assert.ok(result.countsProto);
    assert.deepEqual(result.types, [['__proto__', 'Proto', '#81d4fa']]);
    assert.equal(result.label, 'Proto');
    assert.deepEqual(result.entities, [['bob', '__proto__', 'Proto', 2], ['wendy', '__proto__', 'Proto', 1]]);
    assert.deepEqual(result.card, ['Bob Builder', 'Proto']);
    assert.equal(result.painted, 3);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
}

/** A description of about 100,000 characters, in words. */
const LONG = Array.from({ length: 12_500 }, (_, i) => `kata${i % 100}`).join(' ').padEnd(100_000, 'x');

/** Opens a page with `Jakarta` highlighted by a gazetteer whose entity has this description and url. */
async function cardPage({ description = 'Ibu kota', url, renderer = 'mark', keyboard = false, engine = false } = {}) {
  const page = await blankPage(env.browser, env.url, '<p id="p" style="margin-top: 40px">Banjir di Jakarta, lalu Bandung dan Jakarta lagi.</p>');
  await page.evaluate(async ({ description, url, renderer, keyboard, engine }) => {
    const sorot = await import('/__test/sorot.mjs');
    const entities = [
      { id: 'jakarta', name: 'Jakarta', type: 'LOC', description, ...(url === undefined ? {} : { url }) },
      { id: 'bandung', name: 'Bandung', type: 'LOC', url: 'https://id.wikipedia.org/wiki/Bandung' },
    ];
    const head = { lang: 'id', types: { LOC: { label: 'Tempat', color: '#81d4fa' } } };
    let options;
    if (engine) {
      // An engine that serves entities the Rust reader would refuse (a compiled
      // gazetteer made elsewhere): the card must defend itself.
      const fake = {
        info: async () => ({ head: JSON.stringify({ ...head, entities: [] }), count: entities.length }),
        entities: async (indexes) => indexes.map((i) => JSON.stringify(entities[i])),
        find: async (text) => {
          const out = [];
          for (const [index, e] of entities.entries()) {
            for (let at = text.indexOf(e.name); at >= 0; at = text.indexOf(e.name, at + 1)) out.push([at, at + e.name.length, index]);
          }
          return Uint32Array.from(out.sort((a, b) => a[0] - b[0]).flatMap(([s, t, i]) => [s, t, i, 0, 1, i]));
        },
        findBlocks: async () => { throw new Error('unused'); },
        closeDocument: async () => {},
        free: () => {},
      };
      options = { engine: fake };
    } else {
      options = { gazetteer: { ...head, entities } };
    }
    window.hl = await sorot.createHighlighter(options);
    window.h = await window.hl.highlight(document.body, { renderer, keyboard });
  }, { description, url, renderer, keyboard, engine });
  return page;
}

const cardHost = (page) => page.locator('[data-sorot-owner]:not(mark)').first();

/** Moves the mouse onto the first painted "Jakarta" (any renderer) and returns when. */
async function hoverJakarta(page) {
  const r = await page.evaluate(() => {
    const range = window.h.matches.find((m) => m.text === 'Jakarta').ranges[0];
    const b = range.getBoundingClientRect();
    return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  });
  await page.mouse.move(r.x, r.y);
}

for (const renderer of ['highlight-api', 'mark']) {
  test(`[${renderer}] a 100,000-character description: the card is shown promptly, bounded, with "More" that opens the whole, scrolling inside`, async () => {
    // Over the readers' limit (10,000 characters): served by an engine as a compiled gazetteer made elsewhere could.
    const page = await cardPage({ description: LONG, renderer, engine: true });
    await page.mouse.move(5, 5);
    const started = Date.now();
    await hoverJakarta(page);
    const card = page.locator('[data-sorot-owner] >> .card');
    await card.waitFor({ state: 'visible', timeout: 5000 });
    const shownAfter = Date.now() - started;
    // Today (before the bound) 6-9 s; one frame and a layout of a few lines now.
    assert.ok(shownAfter < 1500, `the card took ${shownAfter} ms`);
    const closed = await card.evaluate((c) => ({ height: c.getBoundingClientRect().height, width: c.getBoundingClientRect().width, desc: c.querySelector('.desc').textContent }));
    assert.ok(closed.height <= 300, `the card is ${closed.height} px high`);
    assert.ok(closed.width <= 22 * 16 + 1, `the card is ${closed.width} px wide`);
    assert.ok(closed.desc.length < 400 && closed.desc.endsWith('…'), `the card shows ${closed.desc.length} characters`);
    assert.ok(LONG.startsWith(closed.desc.slice(0, -1)));
    const more = card.locator('button');
    assert.equal(await more.textContent(), 'More');
    // Moving onto the card keeps it; "More" shows the whole (up to 20,000 characters), which scrolls.
    const box = await more.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
    await more.click();
    const open = await card.evaluate((c) => {
      const d = c.querySelector('.desc');
      return { height: c.getBoundingClientRect().height, desc: d.textContent.length, scrolls: d.scrollHeight > d.clientHeight, bottom: c.getBoundingClientRect().bottom, more: c.querySelectorAll('button').length };
    });
    assert.ok(open.height <= 28 * 16 + 1, `the open card is ${open.height} px high`);
    assert.ok(open.desc > 19_000 && open.desc <= 20_001, `the open card shows ${open.desc} characters`);
    assert.equal(open.scrolls, true);
    assert.equal(open.more, 0, '"More" has done its work');
    assert.ok(open.bottom <= await page.evaluate(() => innerHeight), 'the open card is inside the window');
    // Scrolling the description keeps the card.
    await card.locator('.desc').hover();
    await page.mouse.wheel(0, 400);
    await page.waitForTimeout(300);
    assert.equal(await card.locator('.desc').evaluate((d) => d.scrollTop > 0), true);
    assert.equal(await card.isVisible(), true);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
}

test('[mark] the keyboard reaches the card: Tab goes to "More" (which opens the description and focuses it) and the link, then back to the entity and on', async () => {
  const page = await cardPage({ description: LONG, url: 'https://id.wikipedia.org/wiki/Jakarta', renderer: 'mark', keyboard: true, engine: true });
  const inCard = () => page.evaluate(() => {
    const host = [...document.documentElement.children].find((e) => e.shadowRoot && e.hasAttribute('data-sorot-owner'));
    const a = host?.shadowRoot.activeElement;
    return a ? `${a.localName}.${a.className}` : null;
  });
  const focused = () => page.evaluate(() => (document.activeElement?.localName === 'mark' ? document.activeElement.textContent : document.activeElement?.localName));
  await page.keyboard.press('Alt+ArrowDown');
  assert.equal(await focused(), 'Jakarta');
  const card = page.locator('[data-sorot-owner] >> .card');
  await card.waitFor({ state: 'visible' });
  await page.keyboard.press('Tab');
  assert.equal(await inCard(), 'button.');
  // "More" shows the whole description and gives it the focus: the keys scroll it.
  await page.keyboard.press('Enter');
  assert.equal(await inCard(), 'div.desc');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('PageDown');
  await page.waitForTimeout(200);
  assert.equal(await card.locator('.desc').evaluate((d) => d.scrollTop > 0), true, 'the keys scroll the description');
  await page.keyboard.press('Tab');
  assert.equal(await inCard(), 'a.');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await inCard(), 'div.desc');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  // Back on the entity, its card still shown; the next Tab goes on to the next mark.
  assert.equal(await focused(), 'Jakarta');
  assert.equal(await inCard(), null);
  assert.equal(await card.isVisible(), true);
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'Bandung');
  assert.equal(await card.locator('.name').textContent(), 'Bandung');
  // Escape inside a card closes it and gives the focus back.
  await page.keyboard.press('Tab');
  assert.equal(await inCard(), 'a.');
  await page.keyboard.press('Escape');
  await page.waitForTimeout(300);
  assert.equal(await focused(), 'Bandung');
  assert.equal(await cardHost(page).count(), 0);
  assert.deepEqual(page.errors, []);
  await page.close();
});

/** The card's link for `url` (served by an engine that did not check it): [text, href] or null. */
async function linkOf(url) {
  const page = await cardPage({ url, engine: true });
  await hoverJakarta(page);
  const card = page.locator('[data-sorot-owner] >> .card');
  await card.waitFor({ state: 'visible' });
  const link = await card.evaluate((c) => {
    const a = c.querySelector('a');
    return a ? [a.querySelector('b').textContent, a.textContent, a.getAttribute('href')] : null;
  });
  await page.close();
  return link;
}

test('a link shows its real host; one with a user name, a bidirectional control or another scheme is not a link', async () => {
  assert.deepEqual(await linkOf('https://id.wikipedia.org/wiki/S%C3%A3o_Paulo'),
    ['id.wikipedia.org', 'id.wikipedia.org/wiki/São_Paulo', 'https://id.wikipedia.org/wiki/S%C3%A3o_Paulo']);
  assert.deepEqual(await linkOf('https://bücher.example/katalog'), ['xn--bcher-kva.example', 'xn--bcher-kva.example/katalog', 'https://xn--bcher-kva.example/katalog']);
  assert.deepEqual(await linkOf('http://example.org:8080/'), ['example.org:8080', 'example.org:8080', 'http://example.org:8080/']);
  // An escaped right-to-left override stays escaped in the text.
  assert.deepEqual(await linkOf('https://example.org/%E2%80%AEfdp.exe'), ['example.org', 'example.org/%E2%80%AEfdp.exe', 'https://example.org/%E2%80%AEfdp.exe']);
  for (const url of [
    'https://bank.example@evil.example/', 'https://user:pass@evil.example/', 'https://evil.example/\u202Egnp.exe',
    'https://\u2066bank.example\u2069.evil.example/', 'https://example.org/a\u200Fb', 'https://example.org/\u061C',
    'javascript:alert(1)', 'data:text/html,hi', 'ftp://example.org/', 'https://exa\u0000mple.org/',
  ]) {
    assert.equal(await linkOf(url), null, JSON.stringify(url));
  }
});

test('a card of a form many entities share lists a few of them and says how many more', async () => {
  const entities = Array.from({ length: 40 }, (_, i) => ({ id: `kim-${i}`, name: `Kim ${i}`, type: 'PER', aliases: ['Kim'] }));
  const page = await blankPage(env.browser, env.url, '<p>Kim datang.</p>');
  const note = await page.evaluate(async (entities) => {
    const { createHighlighter } = await import('/__test/sorot.mjs');
    const hl = await createHighlighter({ gazetteer: { lang: 'en', entities } });
    const h = await hl.highlight(document.body, { renderer: 'mark' });
    h.reveal(h.matches[0]);
    return document.querySelector('[data-sorot-owner]:not(mark)').shadowRoot.querySelector('.note').textContent;
  }, entities);
  assert.equal(note, 'Could also be: Kim 1, Kim 2, Kim 3, Kim 4, Kim 5, and 34 more; chosen because it comes first in the gazetteer.');
  await page.close();
});
