// The files of the widget's folder (dist/widget/, what a site copies), in one
// place: the build (scripts/widget.mjs) stages exactly these next to
// sorot-widget.js, and the widget looks for them there (or under setAssetPath()).

/**
 * The widget's assets by role, as file names in its folder. `wasm` and `worker`
 * are the names the library itself looks for in its `assets` folder and next to
 * its module; `gazetteer` is the default gazetteer.
 */
export const WIDGET_ASSETS = Object.freeze({
  wasm: 'sorot_bg.wasm',
  gazetteer: 'default-gazetteer.json',
  worker: 'worker.js',
});
