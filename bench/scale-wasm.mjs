#!/usr/bin/env node
// One compiled gazetteer in the wasm engine module, in a fresh Node process:
//   node bench/scale-wasm.mjs GAZETTEER.sorot TEXT [compiler]
// prints one JSON line: load time, wasm memory after loading (memory.buffer.byteLength,
// which includes the load's peak), find time and matches on TEXT. With `compiler`,
// the compiler module's compileGazetteers from the TSV source next to the .sorot
// (its time and memory) instead.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = path.join(root, 'dist/pkg');
const [gazFile, textFile, mode] = process.argv.slice(2);
const text = fs.readFileSync(textFile, 'utf8');
const out = {};
if (mode === 'compiler') {
  const mod = await import(path.join(pkg, 'sorot_compiler.js'));
  const wasm = await mod.default({ module_or_path: fs.readFileSync(path.join(pkg, 'sorot_compiler_bg.wasm')) });
  const source = fs.readFileSync(gazFile.replace(/\.sorot$/, '.tsv'), 'utf8');
  const t = performance.now();
  const bytes = mod.compileGazetteers([source], [path.basename(gazFile).replace(/\.sorot$/, '.tsv')]);
  out.compileMs = performance.now() - t;
  out.compilerMemoryMB = wasm.memory.buffer.byteLength / 1e6;
  out.bytesMB = bytes.length / 1e6;
} else {
  const mod = await import(path.join(pkg, 'sorot_engine.js'));
  const wasm = await mod.default({ module_or_path: fs.readFileSync(path.join(pkg, 'sorot_engine_bg.wasm')) });
  const before = wasm.memory.buffer.byteLength;
  const bytes = new Uint8Array(fs.readFileSync(gazFile));
  let t = performance.now();
  const engine = mod.Engine.load(bytes);
  out.loadMs = performance.now() - t;
  out.memoryBeforeMB = before / 1e6;
  out.memoryAfterLoadMB = wasm.memory.buffer.byteLength / 1e6;
  t = performance.now();
  const flat = engine.find(text, false);
  out.findMs = performance.now() - t;
  let n = 0;
  for (let i = 0; i < flat.length; i += 5 + flat[i + 4]) n++;
  out.matches = n;
  out.memoryAfterFindMB = wasm.memory.buffer.byteLength / 1e6;
}
console.log(JSON.stringify(out));
