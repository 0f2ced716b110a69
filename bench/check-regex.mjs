// Checks that the peers' two RegExp shapes (bench/regex.mjs) find the same matches:
// the flat, longest-first alternation and the trie, with and without --case-aware,
// on the text of every corpus page (or the synthetic page's text), in Chromium.
//
//   node bench/check-regex.mjs [--pages REGEX]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { setup, blankPage, ROOT } from '../tests/browser/helpers.mjs';

const CORPUS = path.resolve(ROOT, '../shared/corpus/pages');
const { values: opt } = parseArgs({ options: { pages: { type: 'string' } } });

function listPages(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) out.push(...listPages(file));
    else if (name.endsWith('.html')) out.push(file);
  }
  return out;
}

const only = opt.pages ? new RegExp(opt.pages) : null;
const files = existsSync(CORPUS) ? listPages(CORPUS).filter((f) => !only || only.test(f)) : [];
const texts = files.length > 0
  ? files.map((f) => ({ name: path.relative(CORPUS, f), html: readFileSync(f, 'utf8') }))
  : [{ name: 'www/demo/sample/lavrov-kim-id.txt', html: `<p>${readFileSync(path.join(ROOT, 'www/demo/sample/lavrov-kim-id.txt'), 'utf8')}</p>` }];

const env = await setup({ mounts: [{ prefix: '/__bench/', root: path.join(ROOT, 'bench') }] });
let failures = 0;
try {
  const page = await blankPage(env.browser, env.url);
  await page.evaluate(async () => {
    const { surfaceForms, buildRegExp } = await import('/__bench/regex.mjs');
    const forms = surfaceForms(await (await fetch('/lib/pkg/default-gazetteer.json')).json());
    window.shapes = {};
    for (const caseAware of [false, true]) {
      for (const shape of ['flat', 'trie']) window.shapes[`${shape}${caseAware ? ', case-aware' : ''}`] = buildRegExp(forms, { shape, caseAware }).regexp;
    }
  });
  let total = 0;
  for (const { name, html } of texts) {
    const result = await page.evaluate((markup) => {
      // Parsed, never rendered: the page's scripts do not run.
      const text = new DOMParser().parseFromString(markup, 'text/html').documentElement.textContent;
      const find = (re) => [...text.matchAll(re)].map((m) => `${m.index}:${m[0]}`);
      const out = {};
      for (const mode of ['', ', case-aware']) {
        const flat = find(window.shapes[`flat${mode}`]);
        const trie = find(window.shapes[`trie${mode}`]);
        const missing = flat.filter((m) => !trie.includes(m));
        const extra = trie.filter((m) => !flat.includes(m));
        out[mode || 'plain'] = { n: flat.length, same: flat.join('\n') === trie.join('\n'), missing: missing.slice(0, 3), extra: extra.slice(0, 3) };
      }
      return out;
    }, html);
    for (const [mode, r] of Object.entries(result)) {
      total += r.n;
      if (!r.same) {
        failures += 1;
        console.log(`${name} (${mode}): flat and trie differ; only flat: ${r.missing.join(', ') || 'none'}; only trie: ${r.extra.join(', ') || 'none'}`);
      }
    }
  }
  console.log(`${texts.length} text(s), ${total} matches of the flat RegExp in all: ${failures === 0 ? 'the trie finds the same, with and without --case-aware' : `${failures} difference(s)`}`);
} finally {
  await env.close();
}
process.exitCode = failures === 0 ? 0 : 1;
