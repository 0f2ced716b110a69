// sorot's embeddable widget (the file a page loads):
//
//   <script type="module" src="/widget/sorot-widget.js" data-root="article" data-panel></script>
//   <sorot-highlight panel>…</sorot-highlight>
//   import { attach, detach } from '/widget/sorot-widget.js';   // a CMS plugin
//
// Importing it defines <sorot-highlight> and reads the page's tags that load it;
// the rest lives in widget.js (attach/detach), tags.js (the one-tag embed),
// element.js (the element's class), panel.js (the editor's panel) and assets.js
// (the files of its folder). The wasm, the Worker and the default gazetteer are
// looked for next to this file (see setAssetPath).

import { SorotHighlightElement } from './element.js';
import { startTags } from './tags.js';

export { attach, detach, highlightOf, setAssetPath, assetPath } from './widget.js';
export { SorotHighlightElement } from './element.js';

if (globalThis.customElements && !customElements.get('sorot-highlight')) {
  customElements.define('sorot-highlight', SorotHighlightElement);
}
if (globalThis.document) startTags(import.meta.url, document);
