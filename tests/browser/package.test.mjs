// The npm package as a new project meets it: the tarball `./build.sh package`
// writes (its exact file list, its version), installed into a fresh folder and
// used from Node (server-side rendering imports it), from a plain HTML page with no
// build step, and from a Vite app built with `vite build` and no help; and the
// library's assets on another origin (a CDN), with and without a Worker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from '../../scripts/serve.mjs';
import { setup, newPage, ROOT } from './helpers.mjs';

const VERSION = JSON.parse(readFileSync(path.join(ROOT, 'www/lib/package.json'), 'utf8')).version;
const TARBALL = path.join(ROOT, `dist/sorot-${VERSION}.tgz`);
const CARGO_VERSION = /^version = "([^"]+)"/m.exec(readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8'))[1];

let env;
let project; // a fresh folder with the tarball installed
before(async () => {
  assert.ok(existsSync(TARBALL), `${TARBALL} is missing: run ./build.sh package`);
  project = mkdtempSync(path.join(tmpdir(), 'sorot-project-'));
  cpSync(path.join(ROOT, 'tests/vite-app'), project, { recursive: true });
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', TARBALL], { cwd: project, stdio: 'pipe' });
  env = await setup();
});
after(async () => {
  await env?.close();
  if (project) rmSync(project, { recursive: true, force: true });
});

test('the tarball holds the modules, the wasm and its glue, the default gazetteer, types, README and LICENSE, nothing else', () => {
  const files = execFileSync('tar', ['-tzf', TARBALL], { encoding: 'utf8' }).trim().split('\n').sort();
  const modules = readdirSync(path.join(ROOT, 'www/lib')).filter((f) => f.endsWith('.js'));
  const expected = [
    'package.json', 'README.md', 'LICENSE',
    ...modules,
    ...modules.map((m) => `types/${m.replace(/\.js$/, '.d.ts')}`),
    ...['sorot_engine', 'sorot_compiler'].flatMap((m) => [`pkg/${m}.js`, `pkg/${m}.d.ts`, `pkg/${m}_bg.wasm`, `pkg/${m}_bg.wasm.d.ts`]), 'pkg/default.sorot',
  ].map((f) => `package/${f}`).sort();
  assert.deepEqual(files, expected);
  const manifest = JSON.parse(execFileSync('tar', ['-xzOf', TARBALL, 'package/package.json'], { encoding: 'utf8' }));
  assert.equal(manifest.version, CARGO_VERSION, 'one version for Cargo.toml and the package');
  assert.deepEqual(Object.keys(manifest.exports).filter((k) => !k.startsWith('./pkg') && k !== './package.json' && k !== './worker.js'), ['.', './dom', './engine']);
});

test('importing the package in Node (server-side rendering) does not throw; only calling into the browser does', () => {
  const script = `
    const sorot = await import('sorot');
    const dom = await import('sorot/dom');
    const engine = await import('sorot/engine');
    const out = { exports: [Object.keys(sorot).sort(), Object.keys(dom).sort(), Object.keys(engine).sort()] };
    try { await sorot.createHighlighter(); out.created = true; } catch (err) { out.error = err instanceof Error ? err.message : String(err); }
    console.log(JSON.stringify(out));`;
  writeFileSync(path.join(project, 'ssr.mjs'), script);
  const out = JSON.parse(execFileSync('node', ['ssr.mjs'], { cwd: project, encoding: 'utf8' }));
  assert.deepEqual(out.exports[0], ['DEFAULT_GAZETTEER_URL', 'Highlight', 'Highlighter', 'RemoteEngine', 'clearGazetteerCache', 'compileGazetteer', 'createHighlighter', 'gazetteerText']);
  assert.ok(out.exports[1].includes('createHighlighter') && out.exports[2].includes('loadEngine') && out.exports[2].includes('serveEngine'));
  assert.equal(out.created, undefined);
  assert.match(out.error, /cannot load the (gazetteer|WebAssembly module)/);
});

/** Opens `url` in a page that may reach only `allowed` origins, and waits for window.result. */
async function resultOf(url, allowed) {
  const page = await newPage(env.browser);
  const foreign = [];
  await page.route('**/*', (route) => {
    const origin = new URL(route.request().url()).origin;
    if (allowed.includes(origin)) return route.continue();
    foreign.push(route.request().url());
    return route.abort();
  });
  await page.goto(url);
  await page.waitForFunction(() => window.result, null, { timeout: 20_000 });
  const result = await page.evaluate(() => window.result);
  result.errors = page.errors;
  result.foreign = foreign;
  await page.close();
  return result;
}

const SAMPLE_MATCHES = [['Lavrov', 'sergey-lavrov'], ['Kim', 'kim-jong-un'], ['Rusia', 'russia'], ['Sergey Lavrov', 'sergey-lavrov'],
  ['Kim Jong Un', 'kim-jong-un'], ['Pyongyang', 'pyongyang']];

test('a plain HTML page with no build step imports the unpacked package and highlights', async () => {
  const server = await startServer({ root: project });
  try {
    writeFileSync(path.join(project, 'plain.html'), `<!doctype html><html lang="id"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="importmap">{"imports": {"sorot": "./node_modules/sorot/sorot.js"}}</script>
<script type="module">
import { createHighlighter } from 'sorot';
const worker = new URLSearchParams(location.search).has('worker');
const hl = await createHighlighter({ worker });
const h = await hl.highlight(document.getElementById('article'));
window.result = { matches: h.matches.map((m) => [m.text, m.id]), renderer: h.renderer };
</script></head><body><article id="article"><h1>Lavrov dan Kim</h1>
<p>Menteri Luar Negeri Rusia Sergey Lavrov bertemu Kim Jong Un di Pyongyang.</p></article></body></html>`);
    const origin = new URL(server.url).origin;
    for (const query of ['', '?worker']) {
      const result = await resultOf(`${server.url}plain.html${query}`, [origin]);
      assert.deepEqual(result, { matches: SAMPLE_MATCHES, renderer: 'highlight-api', errors: [], foreign: [] }, `plain page${query}`);
    }
  } finally {
    await server.close();
  }
});

test('a Vite app that installs the tarball builds with vite build and highlights, in the page and in a Worker', async () => {
  execFileSync(path.join(ROOT, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], { cwd: project, stdio: 'pipe' });
  const built = path.join(project, 'dist');
  assert.ok(readdirSync(path.join(built, 'assets')).some((f) => f.endsWith('.wasm')), 'vite emitted the wasm as an asset');
  const server = await startServer({ root: built });
  try {
    const origin = new URL(server.url).origin;
    for (const query of ['', '?worker']) {
      const result = await resultOf(`${server.url}${query}`, [origin]);
      assert.deepEqual(result, { matches: SAMPLE_MATCHES, renderer: 'highlight-api', errors: [], foreign: [] }, `vite app${query}`);
    }
  } finally {
    await server.close();
  }
});

test('the library and its assets on another origin (a CDN), in the page and in a Worker; a missing asset is a clear Error', async () => {
  const cors = { 'access-control-allow-origin': '*' };
  const cdn = await startServer({ root: path.join(project, 'node_modules/sorot'), headers: cors });
  const site = await startServer({ root: project });
  try {
    const lib = `${cdn.url}sorot.js`;
    writeFileSync(path.join(project, 'cdn.html'), `<!doctype html><html lang="id"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="module">
const params = new URLSearchParams(location.search);
const { createHighlighter } = await import(params.get('lib'));
try {
  const hl = await createHighlighter({ worker: params.has('worker'), ...(params.has('assets') ? { assets: params.get('assets') } : {}) });
  const h = await hl.highlight(document.getElementById('article'));
  window.result = { matches: h.matches.map((m) => [m.text, m.id]), renderer: h.renderer };
} catch (err) {
  window.result = { error: err instanceof Error ? err.message : 'not an Error' };
}
</script></head><body><article id="article"><h1>Lavrov dan Kim</h1>
<p>Menteri Luar Negeri Rusia Sergey Lavrov bertemu Kim Jong Un di Pyongyang.</p></article></body></html>`);
    const origins = [new URL(site.url).origin, new URL(cdn.url).origin];
    assert.notEqual(origins[0], origins[1]);
    const page = (query) => `${site.url}cdn.html?lib=${encodeURIComponent(lib)}${query}`;
    for (const query of ['', '&worker', `&assets=${encodeURIComponent(`${cdn.url}pkg/`)}`, `&worker&assets=${encodeURIComponent(`${cdn.url}pkg/`)}`]) {
      const result = await resultOf(page(query), origins);
      assert.deepEqual(result, { matches: SAMPLE_MATCHES, renderer: 'highlight-api', errors: [], foreign: [] }, `library on a CDN${query}`);
    }
    for (const query of ['', '&worker']) {
      const missing = await resultOf(page(`${query}&assets=${encodeURIComponent(`${cdn.url}nowhere/`)}`), origins);
      assert.match(missing.error, new RegExp(`^${cdn.url}nowhere/(sorot_engine_bg\\.wasm: cannot load the WebAssembly module|default\\.sorot: cannot load the gazetteer): HTTP 404$`), `missing assets${query}`);
    }
  } finally {
    await site.close();
    await cdn.close();
  }
});
