// The demo page in headless Chromium, as a visitor uses it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setup, newPage, ROOT } from './helpers.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

/** The reviewed entities of the sample article: [surface, type, id] in order. */
const EXPECTED = readFileSync(path.join(ROOT, 'tests/fixtures/lavrov-kim-id.expected.tsv'), 'utf8')
  .split('\n').filter((l) => l && !l.startsWith('#')).slice(1)
  .map((l) => l.split('\t').slice(1));

async function openDemo() {
  const page = await newPage(env.browser);
  await page.goto(env.url);
  await page.waitForFunction(() => document.documentElement.dataset.demo);
  return page;
}

/** The highlighted matches on the page: marks grouped by match number. */
function pageMatches(page) {
  return page.evaluate(() => {
    const byMatch = new Map();
    for (const m of document.querySelectorAll('#article mark[data-sorot-match]')) {
      const k = m.getAttribute('data-sorot-match');
      const entry = byMatch.get(k) ?? { text: '', type: m.getAttribute('data-sorot-type'), id: m.getAttribute('data-sorot-id') };
      entry.text += m.textContent;
      byMatch.set(k, entry);
    }
    return [...byMatch.values()].map((e) => [e.text, e.type, e.id]);
  });
}

test('the demo loads without errors and marks every entity of the sample article', async () => {
  const page = await openDemo();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.demo), 'ready');
  assert.deepEqual(await pageMatches(page), EXPECTED);
  assert.match(await page.textContent('#status'), new RegExp(`^${EXPECTED.length} highlights in \\d+(\\.\\d)? ms$`));
  // The legend counts each type.
  const counts = await page.$$eval('#legend .count', (els) => Object.fromEntries(els.map((e) => [e.dataset.type, Number(e.textContent)])));
  const want = {};
  for (const [, type] of EXPECTED) want[type] = (want[type] ?? 0) + 1;
  assert.deepEqual(counts, want);
  // Marks are coloured by type.
  const colors = await page.$$eval('#article mark', (els) => [...new Set(els.map((e) => `${e.dataset.sorotType}=${getComputedStyle(e).backgroundColor}`))].sort());
  assert.deepEqual(colors, ['LOC=rgb(129, 212, 250)', 'ORG=rgb(197, 225, 165)', 'PER=rgb(255, 213, 79)']);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('hovering a highlight shows its card; keyboard focus does too', async () => {
  const page = await openDemo();
  await page.hover('#article mark[data-sorot-id="sergey-lavrov"] >> nth=0');
  const card = page.locator('[data-sorot-owner] >> .card');
  await card.waitFor({ state: 'visible' });
  assert.match(await card.textContent(), /^Sergey Lavrov.*Orang.*Menteri Luar Negeri Rusia sejak 2004.*id\.wikipedia\.org\/wiki\/Sergey_Lavrov/);
  assert.equal(await card.locator('a').getAttribute('href'), 'https://id.wikipedia.org/wiki/Sergey_Lavrov');
  // Moving away hides it.
  await page.mouse.move(1, 1);
  await card.waitFor({ state: 'hidden' });
  // Tab moves through the legend's three toggles, then to the first highlight.
  for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), EXPECTED[0][0]);
  await card.waitFor({ state: 'visible' });
  assert.match(await card.textContent(), /^Sergey Lavrov/);
  await page.keyboard.press('Escape');
  await card.waitFor({ state: 'hidden' });
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a legend toggle hides and shows one type', async () => {
  const page = await openDemo();
  const bg = () => page.$eval('#article mark[data-sorot-type="PER"]', (e) => getComputedStyle(e).backgroundColor);
  assert.equal(await bg(), 'rgb(255, 213, 79)');
  await page.uncheck('#legend input[data-type="PER"]');
  assert.equal(await bg(), 'rgba(0, 0, 0, 0)');
  assert.equal(await page.$eval('#article mark[data-sorot-type="LOC"]', (e) => getComputedStyle(e).backgroundColor), 'rgb(129, 212, 250)');
  await page.check('#legend input[data-type="PER"]');
  assert.equal(await bg(), 'rgb(255, 213, 79)');
  await page.close();
});

test('pasted text is highlighted', async () => {
  const page = await openDemo();
  await page.fill('#text-input', 'Presiden Joko Widodo bertemu Vladimir Putin di Moskow.\nPutin lalu ke Jakarta.');
  await page.click('#highlight-text');
  await page.waitForFunction(() => document.querySelectorAll('#article p').length === 2);
  const texts = await page.$$eval('#article mark', (els) => els.map((e) => e.textContent));
  assert.deepEqual(texts, ['Vladimir Putin', 'Moskow', 'Putin']);
  assert.match(await page.textContent('#status'), /^3 highlights in /);
  await page.close();
});

test('gazetteer errors are shown on the page', async () => {
  const page = await openDemo();
  await page.fill('#gazetteer-input', '{"entities": [{"id": "x", "name": "", "type": "LOC"}]}');
  await page.click('#use-gazetteer');
  await page.locator('#error').waitFor({ state: 'visible' });
  assert.equal(await page.textContent('#error'), 'Gazetteer not loaded: gazetteer 2: entities[0] ("x"): "name" is empty');
  // The page keeps working with the gazetteer it had.
  assert.equal((await pageMatches(page)).length, EXPECTED.length);
  await page.fill('#gazetteer-input', '{"entities": [');
  await page.click('#use-gazetteer');
  await page.waitForFunction(() => document.getElementById('error').textContent.includes('invalid JSON'));
  assert.equal(await page.textContent('#error'), 'Gazetteer not loaded: gazetteer 2: invalid JSON at line 1, column 14: EOF while parsing a list');
  await page.close();
});

test('gazetteer data is shown as text, never run as HTML; javascript: links are refused', async () => {
  const page = await openDemo();
  const evil = '<img src=x onerror="window.pwned=1">';
  const gazetteer = {
    types: { EVIL: { label: evil, color: '#ff0000' } },
    entities: [{ id: 'evil', name: `Jakarta ${evil}`, type: 'EVIL', aliases: ['Jakarta'], description: evil, url: 'https://example.org/<script>' }],
  };
  await page.uncheck('#merge-default');
  await page.fill('#gazetteer-input', JSON.stringify(gazetteer));
  await page.click('#use-gazetteer');
  await page.fill('#text-input', 'Banjir di Jakarta.');
  await page.click('#highlight-text');
  await page.waitForFunction(() => document.querySelectorAll('#article mark').length === 1);
  await page.hover('#article mark');
  const card = page.locator('[data-sorot-owner] >> .card');
  await card.waitFor({ state: 'visible' });
  assert.equal(await card.locator('.name').textContent(), `Jakarta ${evil}`);
  assert.equal(await card.locator('.desc').textContent(), evil);
  assert.equal(await page.locator('[data-sorot-owner] >> img').count(), 0);
  assert.equal(await page.textContent('#legend'), `${evil} (EVIL)1`);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  // A javascript: link is rejected with a message on the page.
  gazetteer.entities[0].url = 'javascript:alert(1)';
  await page.fill('#gazetteer-input', JSON.stringify(gazetteer));
  await page.click('#use-gazetteer');
  await page.locator('#error').waitFor({ state: 'visible' });
  assert.equal(await page.textContent('#error'),
    'Gazetteer not loaded: gazetteer: entities[0] ("evil"): url "javascript:alert(1)" is not an http: or https: link');
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.deepEqual(page.errors.filter((e) => !e.includes('example.org')), []);
  await page.close();
});
