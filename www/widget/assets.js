// The files of the widget's folder (dist/widget/, what a site copies), in one
// place: the build (scripts/widget.mjs) stages exactly these next to
// sorot-widget.js, and the widget looks for them there (or under setAssetPath()).

/**
 * The widget's assets by role, as file names in its folder: the names the library
 * itself looks for in its `assets` folder (its ASSET_FILES: the engine module, the
 * compiler module for a `data-gazetteer` in text, the compiled default gazetteer)
 * and next to its module (its Worker).
 */
export const WIDGET_ASSETS = Object.freeze({
  engine: 'sorot_engine_bg.wasm',
  compiler: 'sorot_compiler_bg.wasm',
  gazetteer: 'default.sorot',
  worker: 'worker.js',
});
