#!/usr/bin/env node
// wasm scan speed: the engine module (dist/pkg/sorot_engine.js, built by ./build.sh)
// loads the compiled default gazetteer and finds in a text file, under Node.
//
//   node bench/scan-wasm.mjs FILE [RUNS] [GAZETTEER.sorot]
//
// Prints the median time of engine.find(text) over the whole text (and of
// findBlocks on its blocks, split at empty lines, with a new cache each run: every
// block scanned), and the load time of the gazetteer. bench/scan.py calls it.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [file, runsArg, gazArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/scan-wasm.mjs FILE [RUNS] [GAZETTEER.sorot]');
  process.exit(2);
}
const runs = Number(runsArg ?? 5);
const pkg = path.join(root, 'dist/pkg');
const mod = await import(path.join(pkg, 'sorot_engine.js'));
await mod.default({ module_or_path: fs.readFileSync(path.join(pkg, 'sorot_engine_bg.wasm')) });
const bytes = new Uint8Array(fs.readFileSync(gazArg ?? path.join(pkg, 'default.sorot')));
const text = fs.readFileSync(file, 'utf8');
const size = Buffer.byteLength(text);

const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
const time = (fn) => {
  const ts = [];
  let last;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    last = fn();
    ts.push(performance.now() - t);
  }
  return [median(ts), last];
};

const [load, engine] = time(() => mod.Engine.load(bytes));
const [find, flat] = time(() => engine.find(text, false));
const blocks = text.split(/\n\s*\n/);
const [blocksTime] = time(() => {
  const cache = new mod.DocumentCache();
  const r = engine.findBlocks(cache, blocks, false);
  cache.free();
  return r;
});
let matches = 0;
for (let i = 0; i < flat.length; i += 5 + flat[i + 4]) matches++;
const row = (label, ms, extra) =>
  console.log(`${label.padEnd(34)} ${ms.toFixed(1).padStart(10)} ${(size / 1e6 / (ms / 1000)).toFixed(1).padStart(8)}  ${extra}`);
row('wasm engine.find (Node)', find, `${matches} (load ${load.toFixed(1)} ms)`);
row('wasm engine.findBlocks (Node)', blocksTime, `${blocks.length} blocks`);
