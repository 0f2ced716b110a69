// Where sorot runs: the settings' `sites`, host names with an optional leading
// `*.` (the host and all its subdomains), and the match patterns the browser
// takes for them (`*://` covers http and https).

/** The default list: major Indonesian and English news sites, with their subdomains. */
export const DEFAULT_SITES = Object.freeze([
  '*.kompas.com', '*.detik.com', '*.tempo.co', '*.cnnindonesia.com', '*.antaranews.com', '*.liputan6.com',
  '*.republika.co.id', '*.okezone.com', '*.tribunnews.com', '*.kumparan.com', '*.thejakartapost.com',
  '*.bbc.com', '*.bbc.co.uk', '*.reuters.com', '*.apnews.com', '*.theguardian.com', '*.aljazeera.com',
  '*.nytimes.com', '*.cnn.com', '*.washingtonpost.com',
]);

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * Checks one entry of `sites` and gives it in its normal form (lower case, no
 * trailing dot).
 * @param {unknown} site `example.com`, `*.example.com`, or `localhost`
 * @returns {string}
 * @throws {Error} saying what is wrong with it
 */
export function checkSite(site) {
  if (typeof site !== 'string') throw new Error(`${JSON.stringify(site)} is not a host name`);
  const s = site.trim().toLowerCase().replace(/\.$/, '');
  const wildcard = s.startsWith('*.');
  const host = wildcard ? s.slice(2) : s;
  if (host === '' || /[/:@?#\s]/.test(host)) {
    throw new Error(`"${site}" is not a host name (write it as example.com or *.example.com, without http:// or a path)`);
  }
  const labels = host.split('.');
  if (host.length > 253 || !labels.every((l) => LABEL.test(l))) {
    throw new Error(`"${site}" is not a host name: letters, digits, "-" and dots only, with an optional leading "*."`);
  }
  return wildcard ? `*.${host}` : host;
}

/**
 * Whether a host name is covered by a site entry.
 * @param {string} host a page's `location.hostname`
 * @param {string} site an entry of `sites`
 * @returns {boolean}
 */
export function siteCovers(site, host) {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (site.startsWith('*.')) {
    const base = site.slice(2);
    return h === base || h.endsWith(`.${base}`);
  }
  return h === site;
}

/**
 * Whether sorot runs on this host by the settings.
 * @param {string[]} sites
 * @param {string} host
 * @returns {boolean}
 */
export function siteEnabled(sites, host) {
  return sites.some((s) => siteCovers(s, host));
}

/**
 * The match pattern of a site entry (http and https, every path).
 * @param {string} site
 * @returns {string}
 */
export function sitePattern(site) {
  return `*://${site}/*`;
}
