// The extension's settings schema and site list, in Node (no browser): what
// `migrate()` completes, what it refuses and with which message, the settings
// file, and which hosts a site entry covers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSettings, exportSettings, migrate, parseSettingsFile, SETTINGS_VERSION } from '../../www/extension/settings.js';
import { checkSite, DEFAULT_SITES, siteCovers, siteEnabled } from '../../www/extension/sites.js';

const FILE = { id: 'g-1', source: 'file', name: 'people.tsv', key: 'abc:text-1' };

test('nothing stored gives the defaults: the news sites, the default gazetteer, observe on', () => {
  const s = migrate(undefined);
  assert.deepEqual(s, defaultSettings());
  assert.equal(s.version, SETTINGS_VERSION);
  for (const site of ['kompas.com', 'detik.com', 'tempo.co', 'cnnindonesia.com', 'antaranews.com', 'liputan6.com',
    'bbc.com', 'reuters.com', 'apnews.com', 'theguardian.com', 'aljazeera.com', 'nytimes.com']) {
    assert.ok(DEFAULT_SITES.includes(`*.${site}`), site);
  }
  assert.deepEqual(s.gazetteers, [{ id: 'default', source: 'default', enabled: true }]);
  assert.equal(s.observe, true);
});

test('settings without a version or with missing fields are completed (an older file keeps working)', () => {
  const s = migrate({ sites: ['Example.ORG.', '*.kompas.com', 'example.org'], renderer: 'mark' });
  assert.deepEqual(s.sites, ['example.org', '*.kompas.com']);
  assert.equal(s.renderer, 'mark');
  assert.equal(s.overlap, 'longest');
  assert.equal(s.version, SETTINGS_VERSION);
  assert.deepEqual(migrate({ gazetteers: [FILE] }).gazetteers, [{ ...FILE, enabled: true }]);
  assert.deepEqual(migrate({ colors: { PER: '#FFD54F' } }).colors, { PER: '#ffd54f' });
});

const BAD = [
  ['not an object', [], /^settings: expected a JSON object$/],
  ['a newer version', { version: SETTINGS_VERSION + 1 }, /^settings\.version: 2 was written by a newer sorot \(this one reads up to version 1\)$/],
  ['version zero', { version: 0 }, /^settings\.version: 0 is not a settings version$/],
  ['an unknown setting', { colours: {} }, /^settings\.colours: unknown setting$/],
  ['sites not a list', { sites: 'kompas.com' }, /^settings\.sites: expected a list of host names$/],
  ['a URL as a site', { sites: ['kompas.com', 'https://detik.com/'] }, /^settings\.sites\[1\]: "https:\/\/detik\.com\/" is not a host name \(write it as example\.com/],
  ['a site with a space', { sites: ['my site.com'] }, /^settings\.sites\[0\]: "my site\.com" is not a host name/],
  ['a wildcard in the middle', { sites: ['www.*.com'] }, /^settings\.sites\[0\]: "www\.\*\.com" is not a host name: letters, digits/],
  ['a renderer', { renderer: 'paint' }, /^settings\.renderer: "paint" is not one of "auto", "highlight-api", "mark"$/],
  ['a scope', { scope: 'all' }, /^settings\.scope: "all" is not one of "page", "article"$/],
  ['observe', { observe: 'yes' }, /^settings\.observe: must be true or false, not "yes"$/],
  ['a colour', { colors: { PER: 'gold' } }, /^settings\.colors\.PER: "gold" is not a colour such as "#ffd54f"$/],
  ['a type key', { colors: { 'a b': '#ffffff' } }, /^settings\.colors: "a b" is not a type key$/],
  ['a gazetteer source', { gazetteers: [{ ...FILE, source: 'disk' }] }, /^settings\.gazetteers\[0\]\.source: "disk" is not one of "default", "file", "url"$/],
  ['a gazetteer without key', { gazetteers: [{ ...FILE, key: '' }] }, /^settings\.gazetteers\[0\]\.key: expected the key of its text in the gazetteer store$/],
  ['a gazetteer listed twice', { gazetteers: [FILE, FILE] }, /^settings\.gazetteers\[1\]\.id: "g-1" is listed twice$/],
  ['a gazetteer URL', { gazetteers: [{ ...FILE, source: 'url', url: 'ftp://x/y.tsv' }] }, /^settings\.gazetteers\[0\]\.url: only http: and https: URLs$/],
  ['a gazetteer field', { gazetteers: [{ ...FILE, path: '/tmp' }] }, /^settings\.gazetteers\[0\]\.path: unknown field$/],
  ['the default with another id', { gazetteers: [{ id: 'd', source: 'default' }] }, /^settings\.gazetteers\[0\]\.id: the default gazetteer's id is "default"$/],
];

for (const [name, raw, message] of BAD) {
  test(`refused: ${name}`, () => {
    assert.throws(() => migrate(raw), (err) => err instanceof Error && message.test(err.message));
  });
}

test('the settings file: what Export writes is read back whole; other files are refused with why', () => {
  const s = migrate({ sites: ['*.kompas.com'], gazetteers: [{ id: 'default', source: 'default', enabled: false }, FILE] });
  const file = exportSettings(s, { 'abc:text-1': 'id\ttype\tname\n' });
  assert.deepEqual(parseSettingsFile(file), { settings: s, texts: { 'abc:text-1': 'id\ttype\tname\n' } });
  assert.throws(() => parseSettingsFile('{"sites": []}'), /^Error: not a settings file: it lacks "sorot": "settings"/);
  assert.throws(() => parseSettingsFile('{'), /^Error: not a settings file: the JSON cannot be read/);
  assert.throws(() => parseSettingsFile(JSON.stringify({ sorot: 'settings', gazetteerTexts: { a: 1 } })), /gazetteerTexts: expected an object of texts/);
  assert.throws(() => parseSettingsFile(JSON.stringify({ sorot: 'settings', renderer: 'x' })), /settings\.renderer/);
});

const COVERS = [
  ['*.kompas.com', 'kompas.com', true],
  ['*.kompas.com', 'www.kompas.com', true],
  ['*.kompas.com', 'nasional.kompas.com', true],
  ['*.kompas.com', 'notkompas.com', false],
  ['*.kompas.com', 'kompas.com.evil.example', false],
  ['www.example.org', 'www.example.org', true],
  ['www.example.org', 'WWW.Example.org.', true],
  ['www.example.org', 'example.org', false],
  ['www.example.org', 'a.www.example.org', false],
];

for (const [site, host, want] of COVERS) {
  test(`site ${site} ${want ? 'covers' : 'does not cover'} ${host}`, () => {
    assert.equal(siteCovers(checkSite(site), host), want);
    assert.equal(siteEnabled([checkSite(site)], host), want);
  });
}
