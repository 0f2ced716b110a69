// The two wasm modules under Node, through their JS glue (built by ./build.sh into
// dist/pkg/): the engine loads compiled gazetteers and finds what the compiler module
// finds from the text; bad input throws an Error that says what and where.
//
//   node --test tests/wasm/

import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = path.join(root, 'dist/pkg');

const engineModule = await import(path.join(pkg, 'sorot_engine.js'));
const engineExports = await engineModule.default({ module_or_path: fs.readFileSync(path.join(pkg, 'sorot_engine_bg.wasm')) });
const compilerModule = await import(path.join(pkg, 'sorot_compiler.js'));
await compilerModule.default({ module_or_path: fs.readFileSync(path.join(pkg, 'sorot_compiler_bg.wasm')) });

const defaultBytes = new Uint8Array(fs.readFileSync(path.join(pkg, 'default.sorot')));
const sample = fs.readFileSync(path.join(root, 'www/demo/sample/lavrov-kim-id.txt'), 'utf8');

/** The flat result as [start, end, entity, flags, [candidates]]. */
function decode(flat) {
  const out = [];
  for (let i = 0; i < flat.length; ) {
    const n = flat[i + 4];
    out.push([flat[i], flat[i + 1], flat[i + 2], flat[i + 3], [...flat.subarray(i + 5, i + 5 + n)]]);
    i += 5 + n;
  }
  return out;
}

test('the engine finds in the compiled default what the compiler finds in its text', () => {
  const engine = engineModule.Engine.load(defaultBytes);
  const json = fs.readFileSync(path.join(pkg, 'default-gazetteer.json'), 'utf8');
  const fromText = new compilerModule.Engine([json], ['default-gazetteer.json']);
  for (const all of [false, true]) {
    const got = decode(engine.find(sample, all));
    assert.ok(got.length > 50);
    assert.deepEqual(got, decode(fromText.find(sample, all)));
  }
  // The stored JSON is the gazetteer's, also where the range says.
  assert.equal(engine.gazetteerJson(), json.trim());
  const [start, end] = engine.gazetteerJsonRange();
  assert.equal(new TextDecoder().decode(defaultBytes.subarray(start, end)), json.trim());
  assert.equal(engine.entityCount, JSON.parse(json).entities.length);
  const ids = decode(engine.find('Sergey Lavrov di Jakarta.', false)).map((m) => JSON.parse(json).entities[m[2]].id);
  assert.deepEqual(ids, ['sergey-lavrov', 'jakarta']);
  engine.free();
  fromText.free();
});

test('findBlocks gives what find gives on the joined text, in the engine module', () => {
  const engine = engineModule.Engine.load(defaultBytes);
  const cache = new engineModule.DocumentCache();
  const blocks = sample.split(/\n\n+/);
  assert.deepEqual(decode(engine.findBlocks(cache, blocks, false)), decode(engine.find(blocks.join('\u2029'), false)));
  assert.equal(cache.scanned, cache.size);
  engine.findBlocks(cache, blocks, false);
  assert.equal(cache.scanned, 0);
  cache.free();
  engine.free();
});

test('a bad compiled gazetteer throws an Error that says what is wrong', () => {
  // The header's version (u32 at byte 8): both modules read and write the one
  // the default gazetteer was compiled with.
  const fileVersion = new DataView(defaultBytes.buffer, defaultBytes.byteOffset).getUint32(8, true);
  const version = defaultBytes.slice();
  version[8] = 9;
  const rows = [
    ['text', new TextEncoder().encode('id\ttype\tname\n'), /^gazetteer: compiled gazetteer: not a compiled gazetteer/],
    ['other version', version, new RegExp(`^default\\.sorot: compiled gazetteer: format version 9, this sorot reads version ${fileVersion} \\(compile it again with this sorot\\)$`)],
    ['truncated', defaultBytes.subarray(0, defaultBytes.length - 100), /compiled gazetteer: truncated at section JIDX/],
  ];
  for (const [name, bytes, want] of rows) {
    const origin = name === 'other version' ? 'default.sorot' : undefined;
    assert.throws(() => engineModule.Engine.load(bytes, origin), (e) => e instanceof Error && want.test(e.message), name);
  }
  assert.equal(engineModule.compiledFormatVersion(), fileVersion);
  assert.equal(compilerModule.compiledFormatVersion(), fileVersion);
});

test('compileGazetteers merges compiled and text parts in order', () => {
  const user = 'id\ttype\tname\tdescription\nsergey-lavrov\tPER\tSergey Lavrov\tganti\nkafe\tORG\tKafe Sorot\t\n';
  const bytes = compilerModule.compileGazetteers([defaultBytes, user], ['default.sorot', 'user.tsv']);
  assert.ok(bytes instanceof Uint8Array);
  const engine = engineModule.Engine.load(bytes);
  const entities = JSON.parse(engine.gazetteerJson()).entities;
  const found = decode(engine.find('Sergey Lavrov di Kafe Sorot, Jakarta.', false)).map((m) => entities[m[2]]);
  assert.deepEqual(found.map((e) => e.id), ['sergey-lavrov', 'kafe', 'jakarta']);
  assert.equal(found[0].description, 'ganti');
  engine.free();
  // The same parts give the same bytes.
  assert.deepEqual(compilerModule.compileGazetteers([defaultBytes, user], ['default.sorot', 'user.tsv']), bytes);
});

test('compileGazetteers names the origin and place of an error', () => {
  assert.throws(
    () => compilerModule.compileGazetteers(['id\ttype\tname\nx\tLOC\t\n'], ['mine.tsv']),
    (e) => e instanceof Error && /^mine\.tsv: line 2/.test(e.message),
  );
  assert.throws(
    () => compilerModule.compileGazetteers([defaultBytes.subarray(0, 1000)], ['cached.sorot']),
    (e) => e instanceof Error && /^cached\.sorot: compiled gazetteer: truncated/.test(e.message),
  );
  assert.throws(
    () => compilerModule.compileGazetteers([42], ['odd']),
    (e) => e instanceof Error && /^odd: a gazetteer part must be a string/.test(e.message),
  );
});

test('a search in slices gives what find gives, and a 5 MB text of dense names takes a bounded wasm memory', () => {
  const engine = engineModule.Engine.load(defaultBytes);
  const json = JSON.parse(fs.readFileSync(path.join(pkg, 'default-gazetteer.json'), 'utf8'));
  const names = json.entities.map((e) => (typeof e.name === 'string' ? e.name : e.name.text));
  const parts = [];
  for (let n = 0, i = 0; n < 5_000_000; i++) {
    parts.push(names[i % names.length]);
    n += parts.at(-1).length + 2;
  }
  const text = parts.join(', ');
  const before = engineExports.memory.buffer.byteLength;
  const search = engine.newSearch();
  for (let at = 0, size = 16_000; at < text.length;) {
    const end = Math.min(text.length, at + size);
    const used = engine.searchPush(search, text.slice(at, end), end === text.length);
    if (used === 0) size *= 2;
    else [at, size] = [at + used, 16_000];
  }
  // Finished a part at a time (as the page does between its turns): many steps.
  let steps = 1;
  while (!engine.searchFinish(search, 20_000)) steps++;
  assert.ok(steps > 10, `finished in ${steps} steps`);
  const flat = [];
  for (let part; (part = engine.searchNext(search, false, 5_000));) for (const w of part) flat.push(w);
  search.free();
  const grown = (engineExports.memory.buffer.byteLength - before) / 2 ** 20;
  // Today's find() of it grows the memory by some 70 MB (kept for the instance's
  // life): the slices take their candidates (about 500,000 of 28 bytes) and one
  // slice's work.
  assert.ok(grown < 32, `the search grew the wasm memory by ${grown.toFixed(1)} MiB`);
  const whole = engine.find(text, false);
  assert.ok(whole.length > 1_000_000);
  assert.equal(flat.length, whole.length);
  assert.ok(whole.every((w, i) => w === flat[i]), 'the same flat answer');
  engine.free();
});
