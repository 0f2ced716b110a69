// `observe: true` in headless Chromium: a page that appends paragraphs, edits
// text and removes highlighted nodes, with each renderer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, blankPage } from './helpers.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

const GAZETTEER = {
  entities: [
    { id: 'sergey-lavrov', name: 'Sergey Lavrov', type: 'PER', short: ['Lavrov'] },
    { id: 'kim-jong-un', name: 'Kim Jong Un', type: 'PER' },
    { id: 'moskow', name: 'Moskow', type: 'LOC' },
    { id: 'jakarta', name: 'Jakarta', type: 'LOC' },
  ],
};

/**
 * Opens a page with `html`, highlights `root` with `options` (observe on) and
 * defines in it: window.h, window.updates (count), window.step(fn) (runs fn, waits
 * for the highlight to follow, returns what is painted) and window.frames(n).
 */
async function observedPage(html, options, root = 'document.body') {
  const page = await blankPage(env.browser, env.url, html);
  await page.evaluate(async ({ gazetteer, options, root }) => {
    const sorot = await import('/__test/sorot.mjs');
    const { painted } = await import('/__test/inspect.mjs');
    window.hl = await sorot.createHighlighter({ gazetteer, keyboard: true });
    window.updates = 0;
    window.updateLog = [];
    let waiting = null;
    // eslint-disable-next-line no-new-func
    const target = new Function(`return ${root}`)();
    window.h = await window.hl.highlight(target, {
      ...options,
      observe: true,
      onUpdate: (h) => { window.updates += 1; window.updateLog.push(h.lastUpdate); waiting?.(); },
    });
    window.painted = () => painted(window.hl.owner).map((p) => p.text);
    window.frames = (n) => new Promise((resolve) => {
      const next = (k) => (k === 0 ? resolve() : requestAnimationFrame(() => next(k - 1)));
      next(n);
    });
    window.step = async (source) => {
      const updated = new Promise((resolve) => { waiting = resolve; });
      // eslint-disable-next-line no-new-func
      new Function(source)();
      await updated;
      return { painted: window.painted(), matches: window.h.matches.map((m) => m.text) };
    };
  }, { gazetteer: GAZETTEER, options, root });
  return page;
}

const step = (page, source) => page.evaluate((s) => window.step(s), source);

for (const renderer of ['highlight-api', 'mark']) {
  test(`[${renderer}] observe follows a page that appends paragraphs, edits text and removes highlighted nodes`, async () => {
    const page = await observedPage('<article id="art"><p id="p1">Menlu Rusia Sergey Lavrov tiba di Moskow.</p></article>', { renderer });
    assert.deepEqual(await page.evaluate(() => window.painted()), ['Sergey Lavrov', 'Moskow']);
    await page.evaluate(() => { window.first = window.h.matches[0]; window.firstDrawn = [...window.first.ranges, ...window.first.elements]; });

    // A new paragraph: its names are highlighted, and "Lavrov" counts as a short
    // form because the full name is elsewhere in the document.
    assert.deepEqual(await step(page, `
      const p = document.createElement('p'); p.id = 'p2';
      p.textContent = 'Lavrov bertemu Kim Jong Un di Jakarta.';
      document.getElementById('art').append(p);`), {
      painted: ['Sergey Lavrov', 'Moskow', 'Lavrov', 'Kim Jong Un', 'Jakarta'],
      matches: ['Sergey Lavrov', 'Moskow', 'Lavrov', 'Kim Jong Un', 'Jakarta'],
    });
    // Only the new paragraph was matched again: the engine knew the other block.
    assert.deepEqual(await page.evaluate(async () => { await window.frames(3); return window.updateLog; }), [{ blocks: 2, scanned: 1 }]);
    // The unchanged paragraph was not drawn again: same match, same ranges or marks.
    assert.equal(await page.evaluate(() => window.h.matches[0] === window.first
      && [...window.first.ranges, ...window.first.elements].every((x, i) => x === window.firstDrawn[i])), true);

    // Text typed into an existing text node.
    await step(page, `
      const p = document.createElement('p'); p.id = 'p3'; p.textContent = 'Tiba di Bandung.';
      document.getElementById('art').append(p);`);
    assert.deepEqual((await step(page, `document.getElementById('p3').firstChild.data = 'Tiba di Jakarta.';`)).painted,
      ['Sergey Lavrov', 'Moskow', 'Lavrov', 'Kim Jong Un', 'Jakarta', 'Jakarta']);
    assert.deepEqual(await page.evaluate(async () => { await window.frames(3); return window.updateLog.slice(-1); }), [{ blocks: 3, scanned: 1 }]);

    // The full name goes: the short form in the other paragraph is no longer one.
    assert.deepEqual((await step(page, `document.getElementById('p1').textContent = 'Menlu Rusia tiba di Moskow.';`)).painted,
      ['Moskow', 'Kim Jong Un', 'Jakarta', 'Jakarta']);

    // Highlighted nodes removed: a whole paragraph, then the text node of a name.
    assert.deepEqual((await step(page, `document.getElementById('p2').remove();`)).painted, ['Moskow', 'Jakarta']);
    assert.deepEqual(await step(page, `
      const walker = document.createTreeWalker(document.getElementById('p1'), NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) if (walker.currentNode.data.includes('Moskow')) { walker.currentNode.remove(); break; }`), {
      painted: ['Jakarta'],
      matches: ['Jakarta'],
    });

    // remove() leaves no trace and stops observing.
    const afterRemove = await page.evaluate(async () => {
      window.h.remove();
      const updates = window.updates;
      const p = document.createElement('p');
      p.textContent = 'Kim Jong Un di Moskow.';
      document.getElementById('art').append(p);
      await window.frames(4);
      return {
        updates: window.updates - updates,
        painted: window.painted().length,
        ours: document.querySelectorAll('[data-sorot-owner]').length + CSS.highlights.size,
        text: document.getElementById('art').textContent,
      };
    });
    assert.deepEqual(afterRemove, {
      updates: 0,
      painted: 0,
      ours: 0,
      text: renderer === 'mark'
        ? 'Menlu Rusia tiba di .Tiba di Jakarta.Kim Jong Un di Moskow.' // the Text node holding "Moskow" was inside the mark
        : 'Tiba di Jakarta.Kim Jong Un di Moskow.',
    });
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test(`[${renderer}] observe ignores its own changes (and its card) and never loops`, async () => {
    const page = await observedPage('<p id="p">Kim Jong Un tiba di Moskow.</p>', { renderer }, 'document');
    await page.evaluate(() => window.frames(5));
    assert.equal(await page.evaluate(() => window.updates), 0);
    // The card (shown by key) goes into the observed document and out again.
    await page.keyboard.press('Alt+ArrowDown');
    await page.locator('[data-sorot-owner] >> .card').waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await page.evaluate(() => window.frames(5));
    assert.equal(await page.evaluate(() => window.updates), 0);
    // One change, one update.
    await page.evaluate(() => { document.getElementById('p').append(' Lalu ke Jakarta.'); });
    await page.evaluate(() => window.frames(5));
    assert.deepEqual(await page.evaluate(() => [window.updates, window.painted()]), [1, ['Kim Jong Un', 'Moskow', 'Jakarta']]);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test(`[${renderer}] observe follows changes inside open shadow roots`, async () => {
    const page = await blankPage(env.browser, env.url, '<div id="host"></div>');
    await page.evaluate(() => { document.getElementById('host').attachShadow({ mode: 'open' }).innerHTML = '<p>Kim Jong Un</p>'; });
    const painted = await page.evaluate(async ({ gazetteer, renderer }) => {
      const sorot = await import('/__test/sorot.mjs');
      const { painted } = await import('/__test/inspect.mjs');
      const hl = await sorot.createHighlighter({ gazetteer });
      let resolve;
      const updated = new Promise((r) => { resolve = r; });
      await hl.highlight(document.body, { renderer, observe: true, onUpdate: () => resolve() });
      const p = document.createElement('p');
      p.textContent = 'di Moskow';
      document.getElementById('host').shadowRoot.append(p);
      await updated;
      return painted(hl.owner).map((x) => x.text);
    }, { gazetteer: GAZETTEER, renderer });
    assert.deepEqual(painted, ['Kim Jong Un', 'Moskow']);
    await page.close();
  });
}

test('[mark] a page that keeps undoing the marks of a block gets that block left alone', async () => {
  const page = await observedPage('<p id="p">Kim Jong Un tiba di Moskow.</p><p id="q">Jakarta</p>', { renderer: 'mark' });
  const result = await page.evaluate(async () => {
    // The page's own script: unwrap every mark it sees in #p, at once.
    const p = document.getElementById('p');
    new MutationObserver(() => {
      for (const mark of p.querySelectorAll('mark')) mark.replaceWith(...mark.childNodes);
    }).observe(p, { childList: true, subtree: true });
    p.append(' Lalu ke Jakarta.');
    await window.frames(40);
    const updates = window.updates;
    await window.frames(20);
    return { settled: window.updates === updates, updates, marksInP: p.querySelectorAll('mark').length, painted: window.painted() };
  });
  assert.equal(result.settled, true);
  assert.ok(result.updates <= 6, `${result.updates} updates`);
  assert.deepEqual({ marksInP: result.marksInP, painted: result.painted }, { marksInP: 0, painted: ['Jakarta'] });
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('[mark] a heading a framework rewrites on every keystroke (textContent, as React does) stays highlighted while another block is typed', async () => {
  const page = await observedPage('<article><h1 id="t">Kim Jong Un</h1><div id="body"><p>Sergey Lavrov</p></div></article>', { renderer: 'mark' });
  const result = await page.evaluate(async () => {
    const h1 = document.getElementById('t');
    const body = document.getElementById('body');
    const typed = ' tiba di Moskow';
    const log = [];
    // Each keystroke: the title's text is set with textContent (which takes out the
    // marks in it), and the body's HTML is replaced, one frame apart: faster than
    // the page-undoes-the-marks guard's window.
    for (let i = 1; i <= typed.length; i++) {
      await window.step(`document.getElementById('t').textContent = 'Kim Jong Un' + ${JSON.stringify(typed.slice(0, i))};`);
      await window.step(`document.getElementById('body').innerHTML = '<p>Sergey Lavrov di Jakarta' + ${JSON.stringify(typed.slice(0, i))} + '</p>';`);
      log.push(h1.querySelectorAll('mark').length);
    }
    await window.h.idle();
    // Only the body is typed now: the heading keeps the very same marks.
    const before = [...h1.querySelectorAll('mark')];
    for (const key of '. Lalu') await window.step(`document.getElementById('body').lastChild.append(${JSON.stringify(key)});`);
    const same = [...h1.querySelectorAll('mark')].every((m, i) => m === before[i]) && before.length === 2;
    return {
      same,
      h1Marks: [...h1.querySelectorAll('mark')].map((m) => m.textContent),
      bodyMarks: [...body.querySelectorAll('mark')].map((m) => m.textContent),
      matches: window.h.matches.map((m) => m.text),
      unmarked: log.filter((n) => n === 0).length,
    };
  });
  assert.deepEqual(result, {
    same: true,
    h1Marks: ['Kim Jong Un', 'Moskow'],
    bodyMarks: ['Sergey Lavrov', 'Jakarta', 'Moskow'],
    matches: ['Kim Jong Un', 'Moskow', 'Sergey Lavrov', 'Jakarta', 'Moskow'],
    unmarked: 0,
  });
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('after free(), observed highlights stay as they are and stop following the page', async () => {
  const page = await observedPage('<p id="p">Kim Jong Un tiba di Moskow.</p>', {});
  const result = await page.evaluate(async () => {
    window.hl.free();
    const p = document.createElement('p');
    p.textContent = 'Lalu ke Jakarta.';
    document.body.append(p);
    await window.frames(5);
    return { updates: window.updates, painted: window.painted() };
  });
  assert.deepEqual(result, { updates: 0, painted: ['Kim Jong Un', 'Moskow'] });
  assert.deepEqual(page.errors, []);
  await page.close();
});

for (const renderer of ['highlight-api', 'mark']) {
  test(`[${renderer}] an update the page interrupts while it draws (a change in every task) keeps track of what it drew and undrew: it ends with what a fresh highlight gives`, async () => {
    const page = await observedPage(`<article id="art">${'<p>Menlu Sergey Lavrov tiba di Moskow.</p>'.repeat(600)}</article>`, { renderer });
    page.setDefaultTimeout(120_000);
    const result = await page.evaluate(async () => {
      const art = document.getElementById('art');
      const ownHighlights = () => [...CSS.highlights].filter(([name]) => name.startsWith(`${window.hl.owner}-`) && !name.endsWith('-focus'))
        .reduce((n, [, h]) => n + h.size, 0);
      const state = () => ({
        matches: window.h.matches.map((m) => `${m.id}:${m.text}`).join(','),
        painted: window.painted().length,
        marks: document.querySelectorAll('mark').length,
        ranges: ownHighlights(),
      });
      const before = window.h.matches.length;
      // 1,200 matches to take away and 1,800 to draw: slices of 256, each followed by
      // a page task that changes the article again.
      const updates = window.updates;
      art.replaceChildren(...Array.from({ length: 600 }, () => Object.assign(document.createElement('p'), { textContent: 'Kim Jong Un tiba di Jakarta dan Moskow.' })));
      for (let i = 0; i < 40; i++) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        art.lastElementChild.append(' x');
      }
      await window.h.idle();
      const observed = state();
      const interrupted = window.updates - updates;
      window.h.remove();
      window.h = await window.hl.highlight(art, { renderer: window.h.renderer });
      return { before, observed, expected: state(), interrupted };
    });
    assert.equal(result.before, 1200);
    assert.ok(result.interrupted >= 1, `${result.interrupted} updates`);
    assert.equal(result.expected.painted, 1800);
    assert.deepEqual(result.observed, result.expected);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test(`[${renderer}] observe keeps up with 1,000 changes (paragraphs added, removed, text edited, in bursts and one by one), ends with what a fresh highlight gives, leaks nothing and never loops`, async () => {
    const page = await observedPage(`<article id="art">${'<p>Menlu Sergey Lavrov tiba di Moskow.</p>'.repeat(10)}</article>`, { renderer });
    page.setDefaultTimeout(180_000);
    const result = await page.evaluate(async () => {
      const art = document.getElementById('art');
      const sentences = [
        'Sergey Lavrov bertemu Kim Jong Un di Jakarta.', 'Kim Jong Un tiba di Moskow.', 'Tidak ada nama di sini.',
        'Lavrov kembali ke Moskow.', 'Jakarta dan Moskow bersahabat.', 'Presiden Kim Jong Un berpidato.',
      ];
      let seed = 15;
      const random = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
      const textNodes = (p) => { const out = []; const w = document.createTreeWalker(p, NodeFilter.SHOW_TEXT); while (w.nextNode()) out.push(w.currentNode); return out; };
      const change = () => {
        const ps = art.children;
        const kind = random(5);
        if (kind === 0 || ps.length < 5) {
          const p = document.createElement('p');
          p.textContent = sentences[random(sentences.length)];
          art.insertBefore(p, ps[random(ps.length + 1)] ?? null);
        } else if (kind === 1) {
          ps[random(ps.length)].remove();
        } else if (kind === 2) {
          ps[random(ps.length)].textContent = sentences[random(sentences.length)];
        } else if (kind === 3) {
          ps[random(ps.length)].append(` ${sentences[random(sentences.length)]}`);
        } else {
          // Typing into a Text node (possibly one inside a mark).
          const nodes = textNodes(ps[random(ps.length)]);
          const node = nodes[random(nodes.length)];
          if (node) node.data += random(2) ? ' di Jakarta' : 'x';
        }
      };
      const t0 = performance.now();
      let changes = 0;
      // Bursts: 50 changes in one task, ten times, a frame apart.
      for (let b = 0; b < 10; b++) {
        for (let i = 0; i < 50; i++, changes++) change();
        await window.frames(1);
      }
      // One by one: 500 changes, each in its own task (several a frame).
      for (let i = 0; i < 500; i++, changes++) {
        change();
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      await window.h.idle();
      const settleMs = performance.now() - t0;
      const updates = window.updates;
      await window.frames(30);
      const updatesAfter = window.updates;
      // What the observed highlight ends with.
      const ownHighlights = (owner) => [...CSS.highlights].filter(([name]) => name.startsWith(`${owner}-`) && !name.endsWith('-focus'))
        .reduce((n, [, h]) => n + h.size, 0);
      const state = () => ({
        painted: window.painted(),
        elements: document.querySelectorAll('*').length,
        marks: document.querySelectorAll('mark').length,
        ranges: ownHighlights(window.hl.owner),
      });
      const observed = { ...state(), matches: window.h.matches.map((m) => `${m.id}:${m.text}`) };
      window.h.remove();
      const fresh = await window.hl.highlight(art, { renderer: window.h.renderer });
      const expected = { ...state(), matches: fresh.matches.map((m) => `${m.id}:${m.text}`) };
      return { changes, settleMs, updates, updatesAfter, observed, expected };
    });
    console.log(`[${renderer}] ${result.changes} changes: ${result.updates} updates, settled ${result.settleMs.toFixed(0)} ms after the first, ${result.expected.matches.length} matches`);
    assert.equal(result.changes, 1000);
    assert.ok(result.expected.matches.length > 20, `${result.expected.matches.length} matches`);
    assert.deepEqual(result.observed, result.expected);
    assert.equal(result.updatesAfter, result.updates, 'no update once it settled');
    assert.ok(result.updates <= 520, `${result.updates} updates for 510 batches of changes`);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
}
