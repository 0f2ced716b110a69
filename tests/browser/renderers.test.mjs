// Both renderers in headless Chromium, through the public API: what is painted,
// where blocks start, what is left alone, exact removal, the card, the keyboard.
// Each behaviour is one test per renderer: the same page must give the same result.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setup, blankPage, dominantColor, ROOT } from './helpers.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

const RENDERERS = ['highlight-api', 'mark'];
const COLORS = { PER: '#ffd54f', LOC: '#81d4fa', ORG: '#c5e1a5' };

const GAZETTEER = {
  types: { PER: { label: 'Orang', color: COLORS.PER }, LOC: { label: 'Tempat', color: COLORS.LOC }, ORG: { label: 'Organisasi', color: COLORS.ORG } },
  entities: [
    { id: 'kim-jong-un', name: 'Kim Jong Un', type: 'PER', short: ['Kim'], description: 'Pemimpin Korea Utara', url: 'https://en.wikipedia.org/wiki/Kim_Jong_Un' },
    { id: 'moskow', name: 'Moskow', type: 'LOC', aliases: ['Moscow'], description: 'Ibu kota Rusia' },
    { id: 'indonesia', name: 'Indonesia', type: 'LOC' },
    { id: 'ui', name: 'Universitas Indonesia', type: 'ORG' },
    { id: 'as', name: 'Amerika Serikat', type: 'LOC', aliases: ['AS'] },
  ],
};

/**
 * Opens a page with `html` as its body and runs `fn(hl, sorot, inspect, args)` in it,
 * with `hl` a highlighter on GAZETTEER (also kept as window.hl).
 */
async function inPage(html, fn, args = {}) {
  const page = await blankPage(env.browser, env.url, html);
  const result = await run(page, fn, args);
  return { page, result };
}

/** Like inPage, on an open page; `{defaultGazetteer: true}` in args uses the default gazetteer. */
async function run(page, fn, args = {}) {
  return page.evaluate(async ({ source, gazetteer, args }) => {
    const sorot = await import('/__test/sorot.mjs');
    const inspect = await import('/__test/inspect.mjs');
    window.hl ??= await sorot.createHighlighter(args.defaultGazetteer ? {} : { gazetteer });
    // eslint-disable-next-line no-new-func
    return new Function('hl', 'sorot', 'inspect', 'args', `return (${source})(hl, sorot, inspect, args);`)(window.hl, sorot, inspect, args);
  }, { source: fn.toString(), gazetteer: GAZETTEER, args });
}

/** The viewport rectangle of the `n`th painted piece whose text is `text`. */
async function rectOf(page, text, n = 0) {
  return page.evaluate(async ({ text, n }) => {
    const { painted } = await import('/__test/inspect.mjs');
    const piece = painted(window.hl.owner).filter((p) => p.text === text)[n];
    const r = piece.range.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  }, { text, n });
}

/** A clip inside a rectangle (a few pixels in from each side, clear of anti-aliasing). */
function inside(rect, { from = 0, to = 1 } = {}) {
  const x = rect.x + rect.width * from + 2;
  const width = Math.max(2, rect.width * (to - from) - 4);
  return { x: Math.round(x), y: Math.round(rect.y + 2), width: Math.round(width), height: Math.max(2, Math.round(rect.height - 4)) };
}

for (const renderer of RENDERERS) {
  test(`[${renderer}] names across inline elements are one match; block boundaries come from layout`, async () => {
    const html = [
      '<p id="a"><a href="#">Kim</a> Jong <b>Un</b> tiba.</p>',
      '<p>Kim Jong</p><p>Un</p>',
      '<div>Kim Jong<br>Un</div>',
      '<div>Kim <span style="display:block">Jong</span> Un</div>',
      '<div>Kim <div style="display:inline">Jong</div> Un</div>',
      '<div>Kim<span style="display:none"> Jong Un di</span> Moskow</div>',
      '<div style="display:flex"><span>Kim Jong</span> <span>Un</span></div>',
      '<table><tr><td>Kim Jong</td><td>Un</td></tr></table>',
      '<div>Kim <span style="display:inline-block">Jong</span> Un</div>',
      '<div>Kim <img alt="" width="4" height="4"> Jong Un</div>',
    ].join('\n');
    const { page, result } = await inPage(html, async (hl, sorot, inspect, { renderer }) => {
      const h = await hl.highlight(document.body, { renderer });
      const plain = await hl.find(inspect.readerText(document.body).text);
      return {
        renderer: h.renderer,
        matches: h.matches.map((m) => m.text),
        sameAsPlainText: JSON.stringify(h.matches.map(({ start, end, id }) => [start, end, id]))
          === JSON.stringify(plain.map(({ start, end, id }) => [start, end, id])),
        painted: inspect.painted(hl.owner).map((p) => `${p.type}:${p.text}`),
      };
    }, { renderer });
    assert.equal(result.renderer, renderer);
    assert.deepEqual(result.matches, [
      'Kim Jong Un', // across <a> and <b>
      'Kim', // across paragraphs only the short form is left
      'Kim', // <br>
      'Kim', // a span made a block by CSS
      'Kim Jong Un', // a div made inline by CSS
      'Kim', 'Moskow', // text that is not rendered is not read
      'Kim', // flex items are blocks
      'Kim', // table cells
      'Kim', // an inline-block is a box of its own
      'Kim', // an image between the words
    ]);
    assert.equal(result.sameAsPlainText, true);
    assert.deepEqual(result.painted, [
      'PER:Kim', 'PER: Jong ', 'PER:Un', 'PER:Kim', 'PER:Kim', 'PER:Kim', 'PER:Kim ', 'PER:Jong', 'PER: Un',
      'PER:Kim', 'LOC:Moskow', 'PER:Kim', 'PER:Kim', 'PER:Kim', 'PER:Kim',
    ]);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test(`[${renderer}] remove() restores the page exactly: same nodes, listeners kept, never nested`, async () => {
    const html = '<article><h1>Kim Jong Un di <i>Moskow</i></h1>\n<p>Lavrov &amp; Kim — “AS”&nbsp;dan <a href="#" id="link">Amerika <b>Serikat</b></a>.</p>'
      + '<!-- a comment --><p>Moscow<br>Kim</p></article>';
    const { page, result } = await inPage(html, async (hl, sorot, inspect, { renderer }) => {
      window.clicks = 0;
      document.getElementById('link').addEventListener('click', (e) => { e.preventDefault(); window.clicks += 1; });
      const before = document.body.innerHTML;
      const texts = () => {
        const out = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) out.push(walker.currentNode);
        return out;
      };
      window.originalTexts = texts();
      await hl.highlight(document.body, { renderer });
      const once = inspect.painted(hl.owner).map((p) => p.text);
      window.h = await hl.highlight(document.body, { renderer });
      return {
        before,
        once,
        twice: inspect.painted(hl.owner).map((p) => p.text),
        nested: document.querySelectorAll('mark mark').length,
        changed: document.body.innerHTML !== before,
      };
    }, { renderer });
    assert.deepEqual(result.once, ['Kim Jong Un', 'Moskow', 'Kim', 'AS', 'Amerika ', 'Serikat', 'Moscow', 'Kim']);
    assert.deepEqual(result.twice, result.once);
    assert.equal(result.nested, 0);
    assert.equal(result.changed, renderer === 'mark'); // the Highlight API changes nothing in the DOM
    await page.click('#link b'); // a reader clicks the highlighted link text
    const after = await page.evaluate(() => {
      window.h.remove();
      const texts = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) texts.push(walker.currentNode);
      return {
        html: document.body.innerHTML,
        sameNodes: texts.length === window.originalTexts.length && texts.every((n, i) => n === window.originalTexts[i]),
        styles: document.querySelectorAll('style').length + document.adoptedStyleSheets.length,
        highlights: CSS.highlights.size,
      };
    });
    // The Highlight API's style sheet stays adopted, inert, for the highlighter's
    // next highlight() (adopting or dropping it restyles the whole page), until free().
    assert.deepEqual(after, { html: result.before, sameNodes: true, styles: renderer === 'mark' ? 0 : 1, highlights: 0 });
    await page.click('#link b');
    assert.equal(await page.evaluate(() => window.clicks), 2);
    assert.equal(await page.evaluate(() => { window.hl.free(); return document.querySelectorAll('style').length + document.adoptedStyleSheets.length; }), 0);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test(`[${renderer}] scripts, styles, form fields, editable regions and excluded elements are left alone`, async () => {
    const html = '<p>Moskow</p><script>var s = "Moskow";</script><style>/* Moskow */</style>'
      + '<textarea>Moskow</textarea><input value="Moskow"><select><option>Moskow</option></select><button>Moskow</button>'
      + '<div contenteditable="true">Moskow <b>Moskow</b></div><noscript>Moskow</noscript>'
      + '<p class="skip">Moskow</p><nav><a href="#">Moskow</a></nav><template>Moskow</template><p>Moscow</p>';
    const { page, result } = await inPage(html, async (hl, sorot, inspect, { renderer }) => {
      const h = await hl.highlight(document.body, { renderer, exclude: ['.skip', 'nav'] });
      return {
        matches: h.matches.map((m) => m.text),
        // The element each painted piece is in (a mark's parent, a range's text's parent).
        where: inspect.painted(hl.owner).map((p) => p.node.parentElement.localName),
      };
    }, { renderer });
    assert.deepEqual(result, { matches: ['Moskow', 'Moscow'], where: ['p', 'p'] });
    await page.close();
  });

  test(`[${renderer}] open shadow roots are read; same-origin iframes with frames: true`, async () => {
    const html = '<div id="host">di Moskow</div><iframe id="f" style="width:600px;height:120px;border:0" srcdoc="<p style=\'font-size:28px;margin:0\'>Kim Jong Un di Moskow</p>"></iframe>';
    const page = await blankPage(env.browser, env.url, '');
    await page.evaluate((markup) => {
      document.body.innerHTML = markup;
      document.getElementById('host').attachShadow({ mode: 'open' }).innerHTML = '<p style="font-size:28px;margin:0">Kim Jong Un <slot></slot></p>';
    }, html);
    await page.waitForFunction(() => document.getElementById('f').contentDocument?.readyState === 'complete'
      && document.getElementById('f').contentDocument.body?.textContent.length > 0);
    const result = await run(page, async (hl, sorot, inspect, { renderer }) => {
      const frame = document.getElementById('f').contentDocument;
      const without = await hl.highlight(document.body, { renderer });
      const r = {
        without: without.matches.map((m) => m.text),
        paintedInFrame: inspect.painted(hl.owner, frame).length,
      };
      const h = await hl.highlight(document.body, { renderer, frames: true });
      r.with = h.matches.map((m) => m.text);
      r.paintedInFrame2 = inspect.painted(hl.owner, frame).map((p) => p.text);
      return r;
    }, { renderer });
    assert.deepEqual(result, {
      without: ['Kim Jong Un', 'Moskow'],
      paintedInFrame: 0,
      with: ['Kim Jong Un', 'Moskow', 'Kim Jong Un', 'Moskow'],
      paintedInFrame2: ['Kim Jong Un', 'Moskow'],
    });
    // Painted in the type's colour inside the shadow root and inside the frame.
    const inShadow = await rectOf(page, 'Kim Jong Un', 0);
    assert.equal(await dominantColor(page, inside(inShadow)), COLORS.PER);
    const inFrame = await page.evaluate(async () => {
      const { painted } = await import('/__test/inspect.mjs');
      const frame = document.getElementById('f');
      const piece = painted(window.hl.owner, frame.contentDocument).find((p) => p.text === 'Moskow');
      const r = piece.range.getBoundingClientRect();
      const f = frame.getBoundingClientRect();
      return { x: f.x + r.x, y: f.y + r.y, width: r.width, height: r.height };
    });
    assert.equal(await dominantColor(page, inside(inFrame)), COLORS.LOC);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test(`[${renderer}] hovering shows the card; with keyboard on, Alt+ArrowDown/Up move between entities`, async () => {
    const html = '<p style="font-size:28px">Kim Jong Un tiba di Moskow.</p><p><a id="elsewhere" href="#">a link</a></p>';
    const { page } = await inPage(html, async (hl, sorot, inspect, { renderer }) => {
      window.prevented = [];
      window.addEventListener('keydown', (e) => { if (!['Alt', 'Shift', 'Control', 'Meta'].includes(e.key)) window.prevented.push(e.defaultPrevented); });
      await hl.highlight(document.body, { renderer, keyboard: true });
    }, { renderer });
    const card = page.locator('[data-sorot-owner] >> .card');
    const kim = await rectOf(page, 'Kim Jong Un');
    await page.mouse.move(kim.x + kim.width / 2, kim.y + kim.height / 2);
    await card.waitFor({ state: 'visible' });
    assert.match(await card.textContent(), /^Kim Jong Un.*Orang.*Pemimpin Korea Utara.*en\.wikipedia\.org\/wiki\/Kim_Jong_Un/);
    // Right under the highlight, starting where it starts.
    const box = await card.boundingBox();
    assert.deepEqual([Math.round(box.x), Math.round(box.y)], [Math.max(8, Math.round(kim.x)), Math.round(kim.y + kim.height + 6)]);
    assert.equal(await card.locator('a').getAttribute('href'), 'https://en.wikipedia.org/wiki/Kim_Jong_Un');
    await page.mouse.move(1, 1);
    await card.waitFor({ state: 'hidden' });
    // While shown, the card is outside <body>: the page's content is untouched.
    await page.keyboard.press('Alt+ArrowDown');
    await card.waitFor({ state: 'visible' });
    assert.match(await card.locator('.name').textContent(), /^Kim Jong Un$/);
    assert.equal(await page.evaluate(() => document.body.querySelector('[data-sorot-owner]:not(mark)')), null);
    if (renderer === 'highlight-api') {
      assert.equal(await dominantColor(page, inside(kim, { to: 0.5 })), '#1a73e8'); // drawn as the current one
    } else {
      assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Kim Jong Un');
    }
    await page.keyboard.press('Alt+ArrowDown');
    await page.waitForFunction(() => document.querySelector('[data-sorot-owner]:not(mark)')?.shadowRoot.querySelector('.name').textContent === 'Moskow');
    await page.keyboard.press('Alt+ArrowUp');
    await page.waitForFunction(() => document.querySelector('[data-sorot-owner]:not(mark)')?.shadowRoot.querySelector('.name').textContent === 'Kim Jong Un');
    await page.keyboard.press('Escape');
    await card.waitFor({ state: 'hidden' });
    if (renderer === 'highlight-api') assert.equal(await dominantColor(page, inside(kim, { to: 0.5 })), COLORS.PER);
    // Our keys were taken (default prevented), the page's Escape was not.
    assert.deepEqual(await page.evaluate(() => window.prevented), [true, true, true, false]);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test(`[${renderer}] keyboard off (the default): no key is taken, nothing is focusable`, async () => {
    const { page, result } = await inPage('<p>Kim Jong Un di Moskow</p>', async (hl, sorot, inspect, { renderer }) => {
      window.prevented = [];
      window.addEventListener('keydown', (e) => { if (!['Alt', 'Shift', 'Control', 'Meta'].includes(e.key)) window.prevented.push(e.defaultPrevented); });
      const h = await hl.highlight(document.body, { renderer });
      return document.querySelectorAll('[tabindex]').length + h.matches.flatMap((m) => m.elements).filter((e) => e.tabIndex >= 0).length;
    }, { renderer });
    assert.equal(result, 0);
    await page.keyboard.press('Alt+ArrowDown');
    await page.keyboard.press('Tab');
    assert.deepEqual(await page.evaluate(() => window.prevented), [false, false]);
    assert.equal(await page.locator('[data-sorot-owner] >> .card').count(), 0);
    await page.close();
  });

  test(`[${renderer}] each type is painted in its colour; setTypeVisible hides and shows one type`, async () => {
    const { page } = await inPage('<p style="font-size:28px">Kim Jong Un tiba di Moskow.</p>', async (hl, sorot, inspect, { renderer }) => {
      window.h = await hl.highlight(document.body, { renderer });
    }, { renderer });
    const kim = inside(await rectOf(page, 'Kim Jong Un'));
    const moskow = inside(await rectOf(page, 'Moskow'));
    const background = await dominantColor(page, { ...kim, y: kim.y - 30 });
    assert.equal(await dominantColor(page, kim), COLORS.PER);
    assert.equal(await dominantColor(page, moskow), COLORS.LOC);
    await page.evaluate(() => window.h.setTypeVisible('PER', false));
    assert.equal(await dominantColor(page, kim), background);
    assert.equal(await dominantColor(page, moskow), COLORS.LOC);
    // A hidden type shows no card.
    await page.mouse.move(kim.x + 4, kim.y + 4);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    assert.equal(await page.locator('[data-sorot-owner] >> .card').count(), 0);
    await page.evaluate(() => window.h.setTypeVisible('PER', true));
    assert.equal(await dominantColor(page, kim), COLORS.PER);
    await page.close();
  });

  test(`[${renderer}] overlap 'all' paints nested matches, the inner one on top`, async () => {
    const { page, result } = await inPage('<p style="font-size:28px">Kuliah di Universitas Indonesia.</p>', async (hl, sorot, inspect, { renderer }) => {
      const text = document.querySelector('p').firstChild;
      const range = document.createRange();
      range.setStart(text, text.data.indexOf('Universitas'));
      range.setEnd(text, text.data.indexOf('.'));
      const { x, y, width, height } = range.getBoundingClientRect();
      const h = await hl.highlight(document.body, { renderer, overlap: 'all' });
      return { matches: h.matches.map((m) => `${m.type}:${m.text}`), whole: { x, y, width, height } };
    }, { renderer });
    assert.deepEqual(result.matches, ['ORG:Universitas Indonesia', 'LOC:Indonesia']);
    const { whole } = result;
    assert.equal(await dominantColor(page, inside(whole, { to: 0.45 })), COLORS.ORG);
    assert.equal(await dominantColor(page, inside(whole, { from: 0.65 })), COLORS.LOC);
    await page.close();
  });
}

test('[highlight-api] changes nothing in the DOM and moves nothing, even with the card shown', async () => {
  const text = readFileSync(path.join(ROOT, 'www/demo/sample/lavrov-kim-id.txt'), 'utf8');
  const page = await blankPage(env.browser, env.url, '');
  await page.evaluate((t) => {
    for (const line of t.split('\n').filter((l) => l.trim())) document.body.append(Object.assign(document.createElement('p'), { textContent: line }));
  }, text);
  const result = await run(page, async (hl, sorot, inspect) => {
    const records = [];
    const observer = new MutationObserver((r) => records.push(...r));
    observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    const html = document.documentElement.outerHTML;
    const boxes = inspect.boxes(document);
    window.h = await hl.highlight(document.body, { renderer: 'highlight-api' });
    records.push(...observer.takeRecords());
    observer.disconnect();
    return {
      matches: window.h.matches.length,
      records: records.length,
      sameHtml: document.documentElement.outerHTML === html,
      sameBoxes: inspect.moved(boxes, inspect.boxes(document)) === 0,
    };
  }, { defaultGazetteer: true });
  assert.ok(result.matches > 50, `${result.matches} matches`);
  assert.deepEqual({ ...result, matches: 0 }, { matches: 0, records: 0, sameHtml: true, sameBoxes: true });
  const r = await rectOf(page, 'Sergey Lavrov');
  const bodyBefore = await page.evaluate(() => document.body.innerHTML);
  await page.mouse.move(r.x + 5, r.y + r.height / 2);
  await page.locator('[data-sorot-owner] >> .card').waitFor({ state: 'visible' });
  assert.equal(await page.evaluate(() => document.body.innerHTML), bodyBefore);
  await page.close();
});

test("[highlight-api] a highlight() after remove() takes over the highlighter's style sheet (none adopted or dropped: each restyles the whole page) and paints in it; free() takes it away", async () => {
  const html = '<p id="main">Kim Jong Un di Moskow</p><div id="side"><p>Lavrov di Moscow</p></div>';
  const { page, result } = await inPage(html, async (hl, sorot, inspect) => {
    const sheets = () => [...document.adoptedStyleSheets];
    const h1 = await hl.highlight(document.body, { renderer: 'highlight-api' });
    const first = sheets();
    h1.remove();
    const removed = sheets();
    const registered = CSS.highlights.size;
    window.main = await hl.highlight(document.getElementById('main'), { renderer: 'highlight-api' });
    const again = sheets();
    // Two highlights at once, each with its own names: a second sheet.
    window.side = await hl.highlight(document.getElementById('side'), { renderer: 'highlight-api' });
    const both = sheets();
    return {
      first: first.length,
      keptOnRemove: removed.length === 1 && removed[0] === first[0],
      registered,
      sameAgain: again.length === 1 && again[0] === first[0],
      both: both.length,
      painted: inspect.painted(hl.owner).map((p) => `${p.type}:${p.text}`),
    };
  });
  assert.deepEqual(result, {
    first: 1, keptOnRemove: true, registered: 0, sameAgain: true, both: 2,
    painted: ['PER:Kim Jong Un', 'LOC:Moskow', 'LOC:Moscow'],
  });
  // Painted in the type's colour by the sheet taken over, and by the second one.
  assert.equal(await dominantColor(page, inside(await rectOf(page, 'Kim Jong Un'))), COLORS.PER);
  assert.equal(await dominantColor(page, inside(await rectOf(page, 'Moscow'))), COLORS.LOC);
  // free() takes away the sheets no highlight uses; the others go with their highlights.
  const left = await page.evaluate(() => {
    const out = [];
    window.side.remove();
    out.push(document.adoptedStyleSheets.length);
    window.hl.free();
    out.push(document.adoptedStyleSheets.length, CSS.highlights.size > 0);
    window.main.remove();
    out.push(document.adoptedStyleSheets.length, CSS.highlights.size);
    return out;
  });
  assert.deepEqual(left, [2, 1, true, 0, 0]);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('[highlight-api] a page that resets its adopted style sheets between two highlight() calls (a framework setting the list) is painted again', async () => {
  const { page, result } = await inPage('<p>Kim Jong Un di Moskow</p>', async (hl) => {
    (await hl.highlight(document.body, { renderer: 'highlight-api' })).remove();
    const own = new CSSStyleSheet();
    own.replaceSync('p { margin: 4px; }');
    document.adoptedStyleSheets = [own];
    window.h = await hl.highlight(document.body, { renderer: 'highlight-api' });
    return { sheets: document.adoptedStyleSheets.length, pageSheetFirst: document.adoptedStyleSheets[0] === own };
  });
  assert.deepEqual(result, { sheets: 2, pageSheetFirst: true });
  assert.equal(await dominantColor(page, inside(await rectOf(page, 'Kim Jong Un'))), COLORS.PER);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('[highlight-api] a page with thousands of matches paints what is near the viewport, and the rest as it is scrolled to', async () => {
  // 3,000 paragraphs, 6,000 matches: past WINDOW_FROM (2,000) painted pieces,
  // Chromium's cost of a change to the registered highlights (~15 µs a range, per
  // frame) is kept to the few screens around the viewport.
  const html = '<p style="font-size:28px;margin:0">Kim Jong Un tiba di Moskow.</p>'.repeat(3000);
  const { page, result } = await inPage(html, async (hl) => {
    window.h = await hl.highlight(document.body, { renderer: 'highlight-api' });
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return { matches: window.h.matches.length };
  });
  assert.equal(result.matches, 6000);
  const rectIn = (n) => page.evaluate((n) => {
    const text = document.querySelectorAll('p')[n].firstChild;
    const range = document.createRange();
    range.setStart(text, 0);
    range.setEnd(text, 'Kim Jong Un'.length);
    const r = range.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  }, n);
  const paintedCount = () => page.evaluate(async () => (await import('/__test/inspect.mjs')).painted(window.hl.owner).length);
  assert.equal(await dominantColor(page, inside(await rectIn(0))), COLORS.PER);
  const first = await paintedCount();
  assert.ok(first > 0 && first < 1000, `${first} pieces in the registered highlights, not the few screens around the viewport`);
  // Scrolled to the end: the last paragraph is painted, the first screens no longer are.
  await page.evaluate(() => document.querySelectorAll('p')[2999].scrollIntoView({ block: 'center' }));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(r)))));
  assert.equal(await dominantColor(page, inside(await rectIn(2999))), COLORS.PER);
  const texts = await page.evaluate(async () => (await import('/__test/inspect.mjs')).painted(window.hl.owner).map((p) => [...document.querySelectorAll('p')].indexOf(p.node.parentNode)));
  assert.ok(texts.length < 1000 && Math.min(...texts) > 2000, `painted after scrolling: paragraphs ${Math.min(...texts)} to ${Math.max(...texts)}`);
  // Hovering a match down there shows its card; remove() takes everything away.
  const kim = inside(await rectIn(2999));
  await page.mouse.move(kim.x + 4, kim.y + 4);
  await page.locator('[data-sorot-owner] >> .card').first().waitFor({ state: 'visible', timeout: 5000 });
  await page.evaluate(() => window.h.remove());
  assert.equal(await paintedCount(), 0);
  await page.close();
});

test('[highlight-api] with thousands of matches, a jump the page makes (a link to an anchor, scrollIntoView) is painted in the first frame drawn after it', async () => {
  const para = (i) => `<p id="p${i}" style="font-size:28px;margin:0">Kim Jong Un tiba di Moskow.</p>`;
  const { page, result } = await inPage(Array.from({ length: 3000 }, (_, i) => para(i)).join(''), async (hl) => {
    window.h = await hl.highlight(document.body, { renderer: 'highlight-api' });
    const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
    await frame();
    await frame();
    const { painted } = await import('/__test/inspect.mjs');
    const paintedIn = (p) => painted(hl.owner).filter((x) => x.node.parentNode === p).length;
    // What is registered when that frame's animation callbacks are done (it is
    // drawn right after them): a callback asked for from the scroll event, after
    // sorot's own.
    const atFirstFrame = (jump, p) => new Promise((resolve) => {
      window.addEventListener('scroll', () => requestAnimationFrame(() => resolve(paintedIn(p))), { once: true });
      jump();
    });
    const far = document.getElementById('p2500');
    const farther = document.getElementById('p1200');
    return {
      before: [paintedIn(far), paintedIn(farther)],
      anchor: await atFirstFrame(() => { location.hash = '#p2500'; }, far),
      intoView: await atFirstFrame(() => farther.scrollIntoView({ block: 'center' }), farther),
    };
  });
  assert.deepEqual(result, { before: [0, 0], anchor: 2, intoView: 2 });
  await page.close();
});

test('[highlight-api] with thousands of matches, text scrolled into view inside a shadow root is painted at the next frames', async () => {
  // A scroll event does not leave its shadow root: two scrolled boxes inside one,
  // the first holding its own paragraphs, the second showing the page's through a slot.
  const para = '<p style="font-size:28px;margin:0">Kim Jong Un tiba di Moskow.</p>';
  const page = await blankPage(env.browser, env.url, '');
  await page.evaluate((paras) => {
    const host = document.createElement('div');
    host.innerHTML = paras[0];
    document.body.append(host);
    host.attachShadow({ mode: 'open' }).innerHTML = `
      <div id="own" style="height:200px;overflow:auto">${paras[1]}</div>
      <div id="slotted" style="height:200px;overflow:auto"><slot></slot></div>`;
  }, [para.repeat(1500), para.repeat(1500)]);
  const result = await run(page, async (hl) => {
    window.h = await hl.highlight(document.body, { renderer: 'highlight-api' });
    const frames = (n) => new Promise((r) => { const next = () => (n-- > 0 ? requestAnimationFrame(next) : r()); next(); });
    await frames(2);
    const { painted } = await import('/__test/inspect.mjs');
    const shadow = document.querySelector('div').shadowRoot;
    // Far down each box, and not in a run of pieces that straddles the two (those
    // are judged by their ends, one in each box).
    const farOwn = shadow.querySelectorAll('p')[1300];
    const farSlotted = document.querySelectorAll('p')[1300];
    const paintedIn = (p) => painted(hl.owner).filter((x) => x.node.parentNode === p).map((x) => x.text);
    const before = [paintedIn(farOwn), paintedIn(farSlotted)];
    // Two frames after each scroll, well within the once-a-second check.
    farOwn.scrollIntoView({ block: 'center' });
    await frames(2);
    const afterOwn = paintedIn(farOwn);
    farSlotted.scrollIntoView({ block: 'center' });
    await frames(2);
    return { matches: h.matches.length, before, afterOwn, afterSlotted: paintedIn(farSlotted) };
  });
  assert.deepEqual(result, {
    matches: 6000,
    before: [[], []],
    afterOwn: ['Kim Jong Un', 'Moskow'],
    afterSlotted: ['Kim Jong Un', 'Moskow'],
  });
  // And drawn: that paragraph of the second box, in the colour of a person.
  const rect = await page.evaluate(() => {
    const range = document.createRange();
    range.setStart(document.querySelectorAll('p')[1300].firstChild, 0);
    range.setEnd(document.querySelectorAll('p')[1300].firstChild, 'Kim Jong Un'.length);
    const r = range.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  });
  assert.equal(await dominantColor(page, inside(rect)), COLORS.PER);
  await page.close();
});

test('[highlight-api] with thousands of matches, text slotted into a closed shadow root\'s scrolled box is painted soon after the reader scrolls it (its scroll events are not seen)', async () => {
  const para = '<p style="font-size:28px;margin:0">Kim Jong Un tiba di Moskow.</p>';
  const page = await blankPage(env.browser, env.url, `<div id="host">${para.repeat(3000)}</div>`);
  await page.evaluate(() => {
    // Closed: the page keeps the root; sorot cannot see it, nor its box's scroll events.
    window.__root = document.getElementById('host').attachShadow({ mode: 'closed' });
    window.__root.innerHTML = '<div id="box" style="height:400px;overflow:auto"><slot></slot></div>';
  });
  await run(page, async (hl) => {
    window.h = await hl.highlight(document.body, { renderer: 'highlight-api' });
  });
  const box = await page.evaluate(() => { const r = window.__root.getElementById('box').getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2 }; });
  await page.mouse.move(box.x, box.y);
  // Three times: the wheel far down the box, then how long until the paragraph now
  // in the box's middle is painted (the once-a-second check alone: 0 to 1,000 ms).
  const waits = [];
  for (let k = 0; k < 3; k++) {
    await page.mouse.wheel(0, 20_000);
    const got = await page.evaluate(async () => {
      const b = window.__root.getElementById('box');
      const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
      // Until the scroll has stopped moving.
      let top = -1;
      while (b.scrollTop !== top) { top = b.scrollTop; await frame(); await frame(); }
      const t0 = performance.now();
      const r = b.getBoundingClientRect();
      const p = document.elementFromPoint(r.x + 20, r.y + r.height / 2)?.closest('p');
      const { painted } = await import('/__test/inspect.mjs');
      while (performance.now() - t0 < 2000 && !painted(hl.owner).some((x) => x.node.parentNode === p)) await frame();
      return { top, index: [...document.querySelectorAll('p')].indexOf(p), ms: performance.now() - t0 };
    });
    assert.ok(got.index > 100 * (k + 1), `scrolled to paragraph ${got.index}`);
    waits.push(got.ms);
  }
  assert.ok(waits.every((ms) => ms < 450), `painted ${waits.map((ms) => Math.round(ms)).join(', ')} ms after the scroll stopped`);
  await page.close();
});

test('[highlight-api] with thousands of matches, a shadow root attached after highlighting (a custom element upgraded) is followed too', async () => {
  const para = '<p style="font-size:28px;margin:0">Kim Jong Un tiba di Moskow.</p>';
  const { page, result } = await inPage(`<div id="host">${para.repeat(3000)}</div>`, async (hl) => {
    window.h = await hl.highlight(document.body, { renderer: 'highlight-api' });
    const frames = (n) => new Promise((r) => { const next = () => (n-- > 0 ? requestAnimationFrame(next) : r()); next(); });
    await frames(2);
    // The page's text now shows through a slot, in a scrolled box.
    document.getElementById('host').attachShadow({ mode: 'open' }).innerHTML = '<div id="box" style="height:300px;overflow:auto"><slot></slot></div>';
    // The renderer looks again once a second (the page may move text without a scroll).
    await new Promise((r) => setTimeout(r, 1200));
    const { painted } = await import('/__test/inspect.mjs');
    const far = document.querySelectorAll('p')[2000];
    const before = painted(hl.owner).filter((x) => x.node.parentNode === far).length;
    far.scrollIntoView({ block: 'center' });
    await frames(2);
    return { before, after: painted(hl.owner).filter((x) => x.node.parentNode === far).map((x) => x.text) };
  });
  assert.deepEqual(result, { before: 0, after: ['Kim Jong Un', 'Moskow'] });
  await page.close();
});

test('[highlight-api] with thousands of matches and observe, a paragraph the page rewrites is painted as soon as it is redrawn', async () => {
  const html = '<p style="font-size:28px;margin:0">Kim Jong Un tiba di Moskow.</p>'.repeat(2000);
  const { page, result } = await inPage(html, async (hl) => {
    let updated;
    const h = await hl.highlight(document.body, { renderer: 'highlight-api', observe: true, onUpdate: () => updated?.() });
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const p = document.querySelectorAll('p')[3];
    // What is registered when the update has drawn, before any frame.
    const seen = new Promise((resolve) => {
      updated = async () => {
        const { painted } = await import('/__test/inspect.mjs');
        resolve(painted(hl.owner).filter((x) => x.node.parentNode === p).map((x) => x.text));
      };
    });
    p.textContent = 'Di Moskow, Kim menyapa.';
    const texts = await seen;
    return { texts, matches: h.matches.length };
  });
  assert.deepEqual(result.texts, ['Moskow', 'Kim']);
  assert.equal(result.matches, 4000);
  await page.close();
});

test('[mark] marks move no box of the sample article, even when the page restyles mark', async () => {
  const text = readFileSync(path.join(ROOT, 'www/demo/sample/lavrov-kim-id.txt'), 'utf8');
  const page = await blankPage(env.browser, env.url, '');
  await page.evaluate((t) => {
    const style = document.createElement('style');
    style.textContent = `
      body { font: 17px/1.5 serif; width: 640px; }
      mark { display: block; margin: 6px; padding: 4px 9px; border: 3px solid red; font-size: 140%;
        font-weight: 900; line-height: 3; letter-spacing: 2px; position: relative; top: 4px;
        vertical-align: super; text-transform: uppercase; float: left; width: 200px; }
      mark::before { content: "★ "; }
      p > mark { word-spacing: 20px !important; padding: 2px !important; }
      #article mark { font-family: monospace !important; unicode-bidi: isolate !important; }`;
    document.head.append(style);
    const article = Object.assign(document.createElement('article'), { id: 'article' });
    for (const line of t.split('\n').filter((l) => l.trim())) article.append(Object.assign(document.createElement('p'), { textContent: line }));
    document.body.append(article);
  }, text);
  const result = await run(page, async (hl, sorot, inspect) => {
    const boxes = inspect.boxes(document);
    const { text, nodes, starts } = inspect.readerText(document.body);
    const matches = await hl.find(text);
    // Where each match's text is before highlighting. Text after an element
    // boundary is placed on Chromium's layout unit (1/64 px): allow a tenth of a pixel.
    const rectsOf = (range) => [...range.getClientRects()].map((r) => [r.x, r.y, r.width, r.height]);
    const near = (a, b) => a.length === b.length && a.every((r, i) => r.every((v, k) => Math.abs(v - b[i][k]) <= 0.1));
    const over = (el) => { const r = document.createRange(); r.selectNodeContents(el); return r; };
    const textRects = matches.map((m) => {
      const i = starts.findLastIndex((s) => s <= m.start);
      const range = document.createRange();
      range.setStart(nodes[i], m.start - starts[i]);
      range.setEnd(nodes[i], m.end - starts[i]);
      return rectsOf(range);
    });
    const h = await hl.highlight(document.body, { renderer: 'mark' });
    const marks = h.matches.flatMap((m) => m.elements);
    const style = (el) => { const s = getComputedStyle(el); return [s.display, s.margin, s.padding, s.borderWidth, s.float, s.position, getComputedStyle(el, '::before').content].join(' '); };
    return {
      matches: h.matches.length,
      sameMatches: h.matches.length === matches.length,
      sameBoxes: inspect.moved(boxes, inspect.boxes(document)) === 0,
      movedMatches: h.matches.filter((m, i) => !near(m.elements.flatMap((e) => rectsOf(over(e))), textRects[i])).map((m) => m.text),
      styles: [...new Set(marks.map(style))],
      sameText: inspect.readerText(document.body).text === text,
    };
  }, { defaultGazetteer: true });
  assert.ok(result.matches > 50);
  assert.deepEqual({ ...result, matches: 0 }, {
    matches: 0, sameMatches: true, sameBoxes: true, movedMatches: [], styles: ['inline 0px 0px 0px none static none'], sameText: true,
  });
  await page.close();
});

test('auto uses the Highlight API where the browser has it, marks where it does not', async () => {
  const { page, result } = await inPage('<p>Moskow</p>', async (hl) => {
    const auto = (await hl.highlight(document.body)).renderer;
    delete window.Highlight; // a browser without the CSS Custom Highlight API
    const fallback = await hl.highlight(document.body);
    let error;
    try { await hl.highlight(document.body, { renderer: 'highlight-api' }); } catch (err) { error = err.message; }
    return { auto, fallback: fallback.renderer, marks: document.querySelectorAll('mark').length, error };
  });
  assert.deepEqual(result, {
    auto: 'highlight-api',
    fallback: 'mark',
    marks: 1,
    error: 'renderer "highlight-api": this browser has no CSS Custom Highlight API (use "auto" or "mark")',
  });
  await page.close();
});
