// Stages the widget's folder, dist/widget/ (what a site copies): sorot-widget.js
// (www/widget/ with the library, bundled and minified by esbuild), the library's
// Worker (worker.js, bundled), and the assets www/widget/assets.js lists, from
// dist/pkg/. Prints each file's size, raw and gzipped, and the JS a page loads.
// Usage: node scripts/widget.mjs   (after the npm package is staged in dist/package/)
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from './site.mjs';
import { WIDGET_ASSETS } from '../www/widget/assets.js';

const OUT = path.join(ROOT, 'dist/widget');
const PACKAGE = path.join(ROOT, 'dist/package');
const JS_BUDGET_GZ = 30 * 1024;

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const common = {
  bundle: true, minify: true, format: 'esm', target: 'es2022', platform: 'browser', legalComments: 'none',
  // The widget imports the library by its package name, as any embedder would.
  alias: { sorot: path.join(PACKAGE, 'sorot.js') }, logLevel: 'warning',
};
// One build for both entries, split: what they share, and the gazetteer compiler
// (imported only for a text gazetteer), are chunks of their own.
const { metafile } = await build({
  ...common, metafile: true,
  entryPoints: { 'sorot-widget': path.join(ROOT, 'www/widget/sorot-widget.js'), [WIDGET_ASSETS.worker.replace(/\.js$/, '')]: path.join(PACKAGE, 'worker.js') },
  outdir: OUT, splitting: true, chunkNames: 'chunk-[hash]',
});
for (const role of ['engine', 'compiler', 'gazetteer']) copyFileSync(path.join(ROOT, 'dist/pkg', WIDGET_ASSETS[role]), path.join(OUT, WIDGET_ASSETS[role]));

const chunks = readdirSync(OUT).filter((f) => f.startsWith('chunk-'));
const sizes = ['sorot-widget.js', WIDGET_ASSETS.worker, ...chunks, WIDGET_ASSETS.engine, WIDGET_ASSETS.compiler, WIDGET_ASSETS.gazetteer].map((name) => {
  const bytes = readFileSync(path.join(OUT, name));
  return { name, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
});
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
for (const s of sizes) console.error(`    dist/widget/${s.name.padEnd(24)} ${kb(s.raw).padStart(9)} raw ${kb(s.gzip).padStart(9)} gzipped`);
// What a page loads for the widget: the two entries and what they import
// statically (not the compiler's chunk, imported only for a text gazetteer).
const loaded = new Set();
const visit = (file) => {
  const name = path.basename(file);
  if (loaded.has(name)) return;
  loaded.add(name);
  for (const i of metafile.outputs[file].imports) if (i.kind === 'import-statement') visit(i.path);
};
const entries = new Set(['sorot-widget.js', WIDGET_ASSETS.worker]);
for (const file of Object.keys(metafile.outputs)) if (entries.has(path.basename(file))) visit(file);
for (const out of Object.values(metafile.outputs)) {
  for (const i of out.imports) if (i.kind === 'dynamic-import' && !loaded.has(path.basename(i.path))) console.error(`    (${path.basename(i.path)}: imported only when needed: the gazetteer compiler's glue for a text gazetteer, or the editor's panel)`);
}
const js = sizes.filter((s) => loaded.has(s.name));
const jsGz = js.reduce((n, s) => n + s.gzip, 0);
console.error(`    the JS a page loads for the widget (${js.map((s) => s.name).join(' + ')}): ${kb(js.reduce((n, s) => n + s.raw, 0))} raw, ${kb(jsGz)} gzipped (target ${kb(JS_BUDGET_GZ)})`);
if (jsGz > JS_BUDGET_GZ) {
  console.error(`widget.mjs: the widget's JS is ${kb(jsGz)} gzipped, over the ${kb(JS_BUDGET_GZ)} target`);
  process.exit(1);
}
