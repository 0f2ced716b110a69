#!/usr/bin/env node
// Cold-start pieces under Node: instantiating each wasm module, loading the
// compiled default gazetteer in the engine (Engine.load + gazetteerJson +
// JSON.parse), against reading the text gazetteer in the compiler module
// (new Engine([json])), the first call and the median of 10.
//
//   node bench/load-wasm.mjs [GAZETTEER.sorot]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = path.join(root, 'dist/pkg');
const sorotFile = process.argv[2] ?? path.join(pkg, 'default.sorot');
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const time = (fn, runs = 10) => {
  const ts = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = fn();
    ts.push(performance.now() - t);
    r?.free?.();
  }
  return `first ${ts[0].toFixed(1)} ms, median ${median(ts).toFixed(1)} ms`;
};

let t = performance.now();
const engine = await import(path.join(pkg, 'sorot_engine.js'));
const engineWasm = await engine.default({ module_or_path: fs.readFileSync(path.join(pkg, 'sorot_engine_bg.wasm')) });
console.log(`engine module: instantiate ${(performance.now() - t).toFixed(1)} ms`);
t = performance.now();
const compiler = await import(path.join(pkg, 'sorot_compiler.js'));
await compiler.default({ module_or_path: fs.readFileSync(path.join(pkg, 'sorot_compiler_bg.wasm')) });
console.log(`compiler module: instantiate ${(performance.now() - t).toFixed(1)} ms`);

const bytes = new Uint8Array(fs.readFileSync(sorotFile));
console.log(`${path.relative(root, sorotFile)}: ${(bytes.length / 1e6).toFixed(2)} MB`);
console.log(`engine: Engine.load: ${time(() => engine.Engine.load(bytes))}`);
console.log(`engine: Engine.load + gazetteerJson + JSON.parse: ${time(() => {
  const e = engine.Engine.load(bytes);
  JSON.parse(e.gazetteerJson());
  return e;
})}`);
console.log(`engine: Engine.load + JSON.parse(TextDecoder of gazetteerJsonRange): ${time(() => {
  const e = engine.Engine.load(bytes);
  const [s, end] = e.gazetteerJsonRange();
  JSON.parse(new TextDecoder().decode(bytes.subarray(s, end)));
  return e;
})}`);
console.log(`engine wasm memory after loads: ${(engineWasm.memory.buffer.byteLength / 1e6).toFixed(1)} MB`);
const json = engine.Engine.load(bytes).gazetteerJson();
console.log(`compiler: new Engine([json]) (parse, normalise, build): ${time(() => new compiler.Engine([json], ['g.json']), 5)}`);
console.log(`compiler: compileGazetteers([json]): ${time(() => compiler.compileGazetteers([json], ['g.json']), 5)}`);
