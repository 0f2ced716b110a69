#!/usr/bin/env node
// Checks data/default/LOC-countries.tsv against the i18n-iso-countries package:
// every ISO 3166-1 code has exactly one entity (column `iso`), no entity has an
// unknown code, and it notes where the package's Indonesian or English short name
// is not one of the entity's forms (a hint for a missing alias, not an error).
//
//   cd scripts/gazetteer && npm ci && node check-countries.mjs

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const countries = require('i18n-iso-countries');
countries.registerLocale(require('i18n-iso-countries/langs/id.json'));
countries.registerLocale(require('i18n-iso-countries/langs/en.json'));

const here = path.dirname(fileURLToPath(import.meta.url));
const file = path.resolve(here, '../../data/default/LOC-countries.tsv');
const fold = (s) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[’']/g, "'");

let header = null;
const byCode = new Map();
for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
  if (!line.trim() || line.startsWith('#')) continue;
  const cells = line.split('\t');
  if (!header) {
    header = cells;
    continue;
  }
  const row = Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  if (!row.iso) continue;
  const forms = new Set(
    [row.name, ...row.aliases.split('|')].filter(Boolean).map((f) => fold(f.replace(/\s*\{[^}]*\}$/, ''))),
  );
  if (!byCode.has(row.iso)) byCode.set(row.iso, []);
  byCode.get(row.iso).push({ id: row.id, forms });
}

let errors = 0;
const codes = Object.keys(countries.getAlpha2Codes());
for (const code of codes) {
  const found = byCode.get(code) ?? [];
  if (found.length !== 1) {
    console.log(`error: ${code} (${countries.getName(code, 'en')}): ${found.length} entities`);
    errors++;
    continue;
  }
  for (const lang of ['id', 'en']) {
    const name = countries.getName(code, lang);
    if (name && !found[0].forms.has(fold(name))) console.log(`note: ${code} ${lang} "${name}" is not a form of ${found[0].id}`);
  }
}
for (const code of byCode.keys()) {
  if (!codes.includes(code)) {
    console.log(`error: ${code}: not an ISO 3166-1 code (${byCode.get(code)[0].id})`);
    errors++;
  }
}
console.log(`${codes.length} ISO 3166-1 codes, ${byCode.size} in ${path.relative(path.resolve(here, '../..'), file)}`);
process.exit(errors ? 1 : 0);
