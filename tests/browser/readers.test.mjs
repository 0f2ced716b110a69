// Cards for every reader: the reader's language (the same rules as the Rust core,
// on the same fixture), touch screens, and the demo on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { entityTitle, messages, resolveText } from '../../www/lib/lang.js';
import { setup, blankPage, newPage, ROOT } from './helpers.mjs';

const FIXTURE = JSON.parse(readFileSync(path.join(ROOT, 'tests/fixtures/multilingual.json'), 'utf8'));

test('titles, descriptions, links and type labels follow the reader\'s language as the core does (tests/gazetteer.rs reads the same fixture)', () => {
  const g = FIXTURE.gazetteer;
  for (const c of FIXTURE.expected) {
    const e = g.entities.find((x) => x.id === c.id);
    const got = {
      id: c.id,
      lang: c.lang,
      title: entityTitle(e, c.lang),
      description: resolveText(e.description, c.lang, g.lang) ?? null,
      url: resolveText(e.url, c.lang, g.lang) ?? null,
      label: resolveText(g.types[e.type].label, c.lang, g.lang),
    };
    assert.deepEqual(got, c, `${c.id} for ${c.lang}`);
  }
  assert.equal(messages('id-ID').alsoCould('X'), 'Bisa juga: X');
  assert.equal(messages('en-GB').alsoCould('X'), 'Could also be: X');
  assert.equal(messages('fr').alsoCould('X'), 'Could also be: X');
});

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

const GAZETTEER = {
  ...FIXTURE.gazetteer,
  entities: [
    ...FIXTURE.gazetteer.entities,
    { id: 'georgia', name: 'Georgia', type: 'LOC', priority: 2, description: { id: 'Negara di Kaukasus', en: 'Country in the Caucasus' } },
    { id: 'georgia-us', name: 'Georgia (AS)', type: 'LOC', aliases: ['Georgia', { text: 'Georgia (U.S. state)', lang: 'en' }] },
  ],
};

/** The card shown after hovering the first painted piece with `text`: [title, type, description, note, link]. */
async function cardFor(page, owner, text) {
  const rect = await page.evaluate(async ({ owner, text }) => {
    const { painted } = await import('/__test/inspect.mjs');
    const r = painted(owner).find((p) => p.text === text).range.getBoundingClientRect();
    return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
  }, { owner, text });
  await page.mouse.move(1, 1);
  await page.waitForFunction(() => [...document.querySelectorAll('[data-sorot-owner]:not(mark)')].every((h) => !h.isConnected || h.shadowRoot?.querySelector('.card')?.offsetParent === null));
  await page.waitForFunction(() => document.querySelectorAll('body ~ [data-sorot-owner], html > [data-sorot-owner]').length === 0);
  await page.mouse.move(rect.x, rect.y);
  const card = page.locator(`[data-sorot-owner="${owner}"]:not(mark) >> .card`);
  await card.waitFor({ state: 'visible' });
  return card.evaluate((c) => [c.querySelector('.name').textContent, c.querySelector('.type').textContent,
    c.querySelector('.desc')?.textContent ?? null, c.querySelector('.note')?.textContent ?? null, c.querySelector('a')?.href ?? null, c.lang]);
}

test('the card speaks the reader\'s language: the lang option, else the nearest lang attribute, else <html lang>, else the gazetteer\'s', async () => {
  const html = '<section id="en"><p>PBB dan Sergey Lavrov di Georgia.</p></section>'
    + '<section id="id" lang="id"><p>PBB dan Sergey Lavrov di Georgia.</p></section>';
  const page = await blankPage(env.browser, env.url, html); // <html lang="en">
  const owners = await page.evaluate(async ({ gazetteer }) => {
    const { createHighlighter } = await import('/__test/sorot.mjs');
    const make = async (root, options) => {
      const hl = await createHighlighter({ gazetteer, prefix: `p${Math.random().toString(36).slice(2, 6)}` });
      const h = await hl.highlight(document.getElementById(root), options);
      return { owner: hl.owner, lang: h.lang, legend: Object.values(h.types).map((t) => t.label), entities: h.entities().map((e) => [e.label, e.typeLabel]) };
    };
    return { en: await make('en'), id: await make('id'), forced: await make('id', { lang: 'en-US' }) };
  }, { gazetteer: GAZETTEER });
  assert.deepEqual([owners.en.lang, owners.id.lang, owners.forced.lang], ['en', 'id', 'en-US']);
  assert.deepEqual(owners.en.legend, ['Person', 'Organisation', 'Tempat']);
  assert.deepEqual(owners.id.legend, ['Orang', 'Organisasi', 'Tempat']);
  assert.deepEqual(owners.forced.entities, [['United Nations', 'Organization'], ['Sergey Lavrov', 'Person'], ['Georgia', 'Tempat']]);
  assert.deepEqual(await cardFor(page, owners.en.owner, 'PBB'),
    ['United Nations', 'Organisation', 'International organisation', null, 'https://id.wikipedia.org/wiki/Perserikatan_Bangsa-Bangsa', 'en']);
  assert.deepEqual(await cardFor(page, owners.id.owner, 'PBB'),
    ['Perserikatan Bangsa-Bangsa', 'Organisasi', 'Organisasi internasional', null, 'https://id.wikipedia.org/wiki/Perserikatan_Bangsa-Bangsa', 'id']);
  assert.deepEqual(await cardFor(page, owners.en.owner, 'Sergey Lavrov'),
    ['Sergey Lavrov', 'Person', 'Foreign Minister of Russia', null, 'https://en.wikipedia.org/wiki/Sergey_Lavrov', 'en']);
  assert.deepEqual(await cardFor(page, owners.en.owner, 'Georgia'),
    ['Georgia', 'Tempat', 'Country in the Caucasus', 'Could also be: Georgia (U.S. state); chosen because it has the higher priority.', null, 'en']);
  assert.deepEqual(await cardFor(page, owners.id.owner, 'Georgia'),
    ['Georgia', 'Tempat', 'Negara di Kaukasus', 'Bisa juga: Georgia (AS); dipilih karena prioritasnya lebih tinggi.', null, 'id']);
  // A page that says nothing: the gazetteer's own language.
  const fallback = await page.evaluate(async ({ gazetteer }) => {
    document.documentElement.removeAttribute('lang');
    const { createHighlighter } = await import('/__test/sorot.mjs');
    const hl = await createHighlighter({ gazetteer, prefix: 'quiet' });
    return (await hl.highlight(document.getElementById('en'))).lang;
  }, { gazetteer: GAZETTEER });
  assert.equal(fallback, 'id');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('find() reports canonical names; with {lang} each match also has a label', async () => {
  const page = await blankPage(env.browser, env.url);
  const result = await page.evaluate(async ({ gazetteer }) => {
    const { createHighlighter } = await import('/__test/sorot.mjs');
    const hl = await createHighlighter({ gazetteer });
    const plain = await hl.find('PBB di Amerika Serikat');
    const en = await hl.find('PBB di Amerika Serikat', { lang: 'en' });
    let bad;
    try { await hl.find('x', { lang: 'not a tag' }); } catch (err) { bad = err.message; }
    return { plain: plain.map((m) => [m.name, 'label' in m]), en: en.map((m) => [m.name, m.label]), bad };
  }, { gazetteer: GAZETTEER });
  assert.deepEqual(result.plain, [['Perserikatan Bangsa-Bangsa', false], ['Amerika Serikat', false]]);
  assert.deepEqual(result.en, [['Perserikatan Bangsa-Bangsa', 'United Nations'], ['Amerika Serikat', 'United States']]);
  assert.equal(result.bad, 'lang: "not a tag" is not a language tag such as "en" or "id"');
  await page.close();
});

for (const renderer of ['highlight-api', 'mark']) {
  test(`[${renderer}] on a touch screen a tap opens the card, a second tap follows the page's link, a tap elsewhere closes it`, async () => {
    const context = await env.browser.newContext({ hasTouch: true, isMobile: true, viewport: { width: 390, height: 700 } });
    const page = await context.newPage();
    await page.goto(`${env.url}__blank.html`);
    const owner = await page.evaluate(async ({ gazetteer, renderer }) => {
      document.body.innerHTML = '<p style="font-size: 20px">Kata <a id="link" href="#followed">Sergey Lavrov</a> di PBB.</p><p id="elsewhere" style="height: 300px">Kosong.</p>';
      const { createHighlighter } = await import('/__test/sorot.mjs');
      const hl = await createHighlighter({ gazetteer });
      await hl.highlight(document.body, { renderer });
      return hl.owner;
    }, { gazetteer: GAZETTEER, renderer });
    const at = (text) => page.evaluate(async ({ owner, text }) => {
      const { painted } = await import('/__test/inspect.mjs');
      const r = painted(owner).find((p) => p.text === text).range.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    }, { owner, text });
    const card = page.locator('[data-sorot-owner]:not(mark) >> .card');
    const lavrov = await at('Sergey Lavrov');
    await page.touchscreen.tap(lavrov.x, lavrov.y);
    await card.waitFor({ state: 'visible' });
    assert.equal(await card.locator('.name').textContent(), 'Sergey Lavrov');
    assert.equal(await page.evaluate(() => location.hash), '', 'the first tap shows the card instead of following the link');
    // Another highlight: its card.
    const pbb = await at('PBB');
    await page.touchscreen.tap(pbb.x, pbb.y);
    await page.waitForFunction(() => document.querySelector('[data-sorot-owner]:not(mark)')?.shadowRoot.querySelector('.name')?.textContent === 'United Nations');
    // A tap elsewhere closes it.
    const box = await page.locator('#elsewhere').boundingBox();
    await page.touchscreen.tap(box.x + 50, box.y + 100);
    await card.waitFor({ state: 'hidden' });
    // Tap, then tap again on the same highlight: the page's link is followed.
    await page.touchscreen.tap(lavrov.x, lavrov.y);
    await card.waitFor({ state: 'visible' });
    await page.touchscreen.tap(lavrov.x, lavrov.y);
    await page.waitForFunction(() => location.hash === '#followed');
    await context.close();
  });
}

/** Opens the demo in a phone-sized touch browser. */
async function phoneDemo() {
  const context = await env.browser.newContext({ hasTouch: true, isMobile: true, viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (err) => page.errors.push(err.message));
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  await page.goto(env.url);
  await page.waitForFunction(() => document.documentElement.dataset.demo === 'ready');
  return { context, page };
}

const overflow = (page) => page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));

test('the demo on a 390 px phone: nothing wider than the screen, with either renderer; the instructions say tap', async () => {
  const { context, page } = await phoneDemo();
  for (const renderer of ['auto', 'mark', 'highlight-api']) {
    await page.evaluate(() => { document.documentElement.dataset.demo = ''; });
    await page.selectOption('#renderer', renderer);
    await page.waitForFunction(() => document.documentElement.dataset.demo === 'ready');
    const { scroll, client } = await overflow(page);
    assert.ok(scroll <= client, `${renderer}: the page is ${scroll} px wide on a ${client} px screen`);
  }
  assert.equal(await page.isVisible('#how-touch'), true);
  assert.equal(await page.isVisible('#how-pointer'), false);
  assert.match(await page.textContent('#how-touch'), /^Tap a highlight/);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('the demo: a gazetteer error shows next to the control that loaded it, in view, and the gazetteer in use stays', async () => {
  const { context, page } = await phoneDemo();
  const inUse = await page.textContent('#gazetteer-info');
  assert.match(inUse, /^In use: the default gazetteer \(\d+ entities\)\.$/);
  const dir = mkdtempSync(path.join(tmpdir(), 'sorot-demo-'));
  const bad = path.join(dir, 'people.csv');
  writeFileSync(bad, 'id,type,name\nkim,PER,"Kim Jong Un\n');
  await page.setInputFiles('#gazetteer-file', bad);
  await page.locator('#error-file').waitFor({ state: 'visible' });
  assert.equal(await page.textContent('#error-file'), 'Gazetteer not loaded: people.csv: line 2: a quoted field is not closed');
  const inView = await page.$eval('#error-file', (e) => { const r = e.getBoundingClientRect(); return r.top >= -1 && r.bottom <= innerHeight + 1; });
  assert.equal(inView, true, 'the error is scrolled into view');
  assert.equal(await page.isVisible('#error-use'), false);
  assert.equal(await page.textContent('#gazetteer-info'), inUse);
  // An empty gazetteer is reported, not taken.
  await page.uncheck('#merge-default');
  await page.fill('#gazetteer-input', '{"entities": []}');
  await page.click('#use-gazetteer');
  await page.waitForFunction(() => !document.getElementById('error-use').hidden);
  assert.equal(await page.textContent('#error-use'), 'Gazetteer not loaded: it has no entities.');
  assert.equal(await page.isVisible('#error-file'), false);
  assert.equal(await page.textContent('#gazetteer-info'), inUse);
  // Undeclared types: their key once, and a colour each.
  await page.fill('#gazetteer-input', 'id\ttype\tname\nev\tEVENT\tPiala Dunia\nwk\tWORK\tLaskar Pelangi\n');
  await page.evaluate(() => { document.documentElement.dataset.demo = ''; });
  await page.click('#use-gazetteer');
  await page.waitForFunction(() => document.documentElement.dataset.demo === 'ready');
  const legend = await page.$$eval('#legend label', (els) => els.map((l) => [l.querySelector('span:not(.swatch):not(.count)').textContent, getComputedStyle(l.querySelector('.swatch')).backgroundColor]));
  assert.deepEqual(legend.map(([label]) => label), ['EVENT', 'WORK']);
  assert.notEqual(legend[0][1], legend[1][1]);
  assert.equal(await page.textContent('#gazetteer-info'), 'In use: your gazetteer (2 entities).');
  await context.close();
});

test('the demo: the text box starts empty; "Highlight this text" shows the result in view', async () => {
  const { context, page } = await phoneDemo();
  assert.equal(await page.inputValue('#text-input'), '');
  assert.ok((await page.getAttribute('#text-input', 'placeholder')).length > 0);
  await page.click('#highlight-text');
  await page.waitForFunction(() => !document.getElementById('error-text').hidden);
  assert.match(await page.textContent('#error-text'), /^Nothing to highlight: the text box is empty/);
  await page.fill('#text-input', 'Presiden bertemu Vladimir Putin di Moskow.');
  await page.click('#highlight-text');
  await page.waitForFunction(() => /^2 highlights/.test(document.getElementById('status').textContent));
  const top = await page.$eval('#article', (e) => e.getBoundingClientRect().top);
  assert.ok(top >= -1 && top < 100, `the article is at ${top} px`);
  assert.equal(await page.isVisible('#error-text'), false);
  await context.close();
});

test('the demo with the default gazetteer: an English text gets English cards and legend, an Indonesian one Indonesian', async () => {
  const page = await newPage(env.browser);
  await page.goto(env.url);
  await page.waitForFunction(() => document.documentElement.dataset.demo === 'ready');
  const legend = () => page.$$eval('#legend label span:not(.swatch):not(.count)', (els) => els.map((e) => e.textContent));
  const owner = () => page.evaluate(() => [...CSS.highlights.keys()].map((k) => /^(.*)-\d+-[tn]-/.exec(k)?.[1]).find(Boolean));
  assert.deepEqual(await legend(), ['Orang (PER)', 'Tempat (LOC)', 'Organisasi (ORG)']);
  const id = await cardFor(page, await owner(), 'Sergey Lavrov');
  assert.deepEqual(id.slice(0, 3), ['Sergey Lavrov', 'Orang', 'Menteri Luar Negeri Rusia sejak 2004']);
  assert.equal(id[5], 'id');
  await page.evaluate(() => { document.documentElement.dataset.demo = ''; });
  await page.click('#load-sample-en');
  await page.waitForFunction(() => document.documentElement.dataset.demo === 'ready');
  assert.equal(await page.inputValue('#text-lang'), 'en');
  assert.deepEqual(await legend(), ['Person (PER)', 'Place (LOC)', 'Organisation (ORG)']);
  const un = await cardFor(page, await owner(), 'United Nations');
  assert.deepEqual([un[0], un[1], un[5]], ['United Nations', 'Organisation', 'en']);
  assert.match(un[2], /^[A-Z][a-z]+( [a-z]+)* organi[sz]ation/i);
  assert.doesNotMatch(un[2], /Organisasi|antarpemerintah|internasional/);
  const lavrov = await cardFor(page, await owner(), 'Sergey Lavrov');
  assert.deepEqual(lavrov.slice(0, 2), ['Sergey Lavrov', 'Person']);
  assert.match(lavrov[2], /Minister of Foreign Affairs of Russia|Foreign Minister of Russia/);
  // The same English text marked as Indonesian: Indonesian cards.
  await page.evaluate(() => { document.documentElement.dataset.demo = ''; });
  await page.selectOption('#text-lang', 'id');
  await page.waitForFunction(() => document.documentElement.dataset.demo === 'ready');
  const unId = await cardFor(page, await owner(), 'United Nations');
  assert.deepEqual([unId[0], unId[1], unId[5]], ['Perserikatan Bangsa-Bangsa', 'Organisasi', 'id']);
  assert.deepEqual(page.errors, []);
  await page.close();
});
