// The manifest of each build, from one description: `node manifest.mjs chromium`
// (or `firefox`) prints it. build.sh writes it to dist/extension-TARGET/manifest.json.
// The permissions are the ones the README lists ("The browser extension",
// "Permissions"); tests/browser/extension.test.mjs holds the two to each other.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SITES, sitePattern } from './sites.js';

const VERSION = JSON.parse(readFileSync(new URL('../lib/package.json', import.meta.url), 'utf8')).version;

/** The add-on id in Firefox. */
export const GECKO_ID = 'sorot@sorot';

/** The build targets. */
export const TARGETS = ['chromium', 'firefox'];

/**
 * The manifest for one target.
 * @param {'chromium'|'firefox'} target
 * @returns {object}
 */
export function manifest(target) {
  if (!TARGETS.includes(target)) throw new Error(`manifest: unknown target ${JSON.stringify(target)} (use ${TARGETS.join(' or ')})`);
  const icons = { 16: 'icons/icon-16.png', 32: 'icons/icon-32.png', 48: 'icons/icon-48.png', 128: 'icons/icon-128.png' };
  const m = {
    manifest_version: 3,
    name: 'sorot: who and where in the news',
    short_name: 'sorot',
    version: VERSION,
    description: 'Highlights the people, places and organisations named in news pages, with a card for each. Nothing leaves your browser.',
    icons,
    action: { default_title: 'sorot', default_popup: 'popup.html', default_icon: { 16: icons[16], 32: icons[32] } },
    options_ui: { page: 'options.html', open_in_tab: true },
    background: target === 'firefox'
      ? { scripts: ['background.js'], type: 'module' }
      : { service_worker: 'background.js', type: 'module' },
    permissions: ['storage', 'scripting', 'activeTab'],
    host_permissions: DEFAULT_SITES.map(sitePattern),
    optional_host_permissions: ['*://*/*'],
    content_security_policy: { extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'" },
    commands: {
      'toggle-page': {
        suggested_key: { default: 'Alt+Shift+S' },
        description: 'Highlight this page, or remove its highlights',
      },
    },
  };
  if (target === 'firefox') {
    m.browser_specific_settings = {
      gecko: { id: GECKO_ID, strict_min_version: '142.0', data_collection_permissions: { required: ['none'] } },
    };
  } else {
    m.minimum_chrome_version = '116';
  }
  return m;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(manifest(process.argv[2]), null, 2)}\n`);
}
