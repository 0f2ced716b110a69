// The gazetteer errors of issue 15 through the compiler wasm module, as JavaScript
// sees them (built by ./build.sh into dist/pkg/): the same messages as the CLI's,
// naming what and where, and a hostile gazetteer refused at once.
//
//   node --test tests/wasm/limits.test.mjs

import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = path.join(root, 'dist/pkg');
const compilerModule = await import(path.join(pkg, 'sorot_compiler.js'));
await compilerModule.default({ module_or_path: fs.readFileSync(path.join(pkg, 'sorot_compiler_bg.wasm')) });

/** The message compileGazetteers throws for one text part. */
function errorOf(text, origin) {
  try {
    compilerModule.compileGazetteers([text], [origin]);
  } catch (e) {
    assert.ok(e instanceof Error, `not an Error: ${e}`);
    return e.message;
  }
  return 'accepted';
}

test('the lenient table cases are errors that say what and where', () => {
  const rows = [
    ['id\ttype\tname\tpriority\na\tLOC\tA\tNaN\n', 'g.tsv', 'g.tsv: line 2, column 4 (priority): "NaN" is not a finite number'],
    ['id\ttype\tname\tpriority\na\tLOC\tA\t1e400\n', 'g.tsv', 'g.tsv: line 2, column 4 (priority): "1e400" is not a finite number'],
    ['id\ttype\tname\tid\na\tLOC\tA\tb\n', 'g.tsv', 'g.tsv: line 1: the header line names the column "id" twice (columns 1 and 4)'],
    ['id\ttype\tname\taliases\na\tLOC\tA\tB||C\n', 'g.tsv', 'g.tsv: line 2, column 4 (aliases): form 2 of 3 in "B||C" is empty'],
    ['id,type,name\na,LOC,Jak"arta\n', 'g.csv', 'g.csv: line 2, character 10 (column 3): a quote inside a field that does not start with one'],
    ['id,type,name\na,LOC,"Jak"arta\n', 'g.csv', "g.csv: line 2, character 12 (column 3): 'a' after the closing quote"],
  ];
  for (const [text, origin, want] of rows) {
    const got = errorOf(text, origin);
    assert.ok(got.startsWith(want), `${JSON.stringify(text)}:\n  got  ${got}\n  want ${want}`);
  }
});

test('links that mislead are refused', () => {
  const user = errorOf('id\ttype\tname\turl\nx\tLOC\tKota\thttps://bank.example@evil.example/\n', 'g.tsv');
  assert.match(user, /^g\.tsv: line 2 \("x"\): url "https:\/\/bank\.example@evil\.example\/" has user info before its host/);
  const bidi = errorOf('id\ttype\tname\turl@en\nx\tLOC\tKota\thttps://x.org/\u202egpj.exe\n', 'g.tsv');
  assert.match(bidi, /^g\.tsv: line 2 \("x"\): url\.en .* has the invisible or bidirectional control character U\+202E/);
});

test('a 100,000-character periodic alias and 1,000 problems are refused at once, with the limit and the count', () => {
  const long = errorOf(`id\ttype\tname\taliases\nx\tLOC\tKota\t${'ab'.repeat(50_000)}\n`, 'long.tsv');
  assert.equal(long, 'long.tsv: line 2 ("x"): aliases[0] is 100,000 characters long, more than the limit of 1,000 for a form');
  let many = 'id\ttype\tname\n';
  for (let i = 0; i < 1000; i++) many += `e${i}\tLOC\t\u200b\n`;
  const lines = errorOf(many, 'many.tsv').split('\n');
  assert.equal(lines[0], 'many.tsv: 1,000 problems (the first 100 listed):');
  assert.equal(lines.length, 101);
});
