// Stages the widget's folder, dist/widget/ (what a site copies): sorot-widget.js
// (www/widget/ with the library, bundled and minified by esbuild), the library's
// Worker (worker.js, bundled), and the assets www/widget/assets.js lists, from
// dist/pkg/. Prints each file's size, raw and gzipped, and the JS a page loads.
// Usage: node scripts/widget.mjs   (after the npm package is staged in dist/package/)
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
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
await build({ ...common, entryPoints: [path.join(ROOT, 'www/widget/sorot-widget.js')], outfile: path.join(OUT, 'sorot-widget.js') });
await build({ ...common, entryPoints: [path.join(PACKAGE, 'worker.js')], outfile: path.join(OUT, WIDGET_ASSETS.worker) });
for (const role of ['wasm', 'gazetteer']) copyFileSync(path.join(ROOT, 'dist/pkg', WIDGET_ASSETS[role]), path.join(OUT, WIDGET_ASSETS[role]));

const sizes = ['sorot-widget.js', WIDGET_ASSETS.worker, WIDGET_ASSETS.wasm, WIDGET_ASSETS.gazetteer].map((name) => {
  const bytes = readFileSync(path.join(OUT, name));
  return { name, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
});
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
for (const s of sizes) console.error(`    dist/widget/${s.name.padEnd(24)} ${kb(s.raw).padStart(9)} raw ${kb(s.gzip).padStart(9)} gzipped`);
const js = sizes.filter((s) => s.name.endsWith('.js'));
const jsGz = js.reduce((n, s) => n + s.gzip, 0);
console.error(`    the JS a page loads for the widget (${js.map((s) => s.name).join(' + ')}): ${kb(js.reduce((n, s) => n + s.raw, 0))} raw, ${kb(jsGz)} gzipped (target ${kb(JS_BUDGET_GZ)})`);
if (jsGz > JS_BUDGET_GZ) {
  console.error(`widget.mjs: the widget's JS is ${kb(jsGz)} gzipped, over the ${kb(JS_BUDGET_GZ)} target`);
  process.exit(1);
}
