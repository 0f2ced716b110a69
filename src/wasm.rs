//! The WebAssembly binding: the only file that names `wasm_bindgen`.
//!
//! JavaScript creates one [`Engine`] per set of gazetteers (an opaque handle that
//! keeps the automaton in wasm memory) and calls [`Engine::find`] once per
//! document. Results cross the boundary as one flat `Uint32Array`; entity data
//! crosses once, as JSON, when the engine is made.

use wasm_bindgen::prelude::*;

use crate::flat::encode;
use crate::{BlockCache, Duplicates, FindOptions, Format, Gazetteer, Matcher, Overlap};

/// Installs a panic hook that reports panics on the console.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// A compiled gazetteer.
#[wasm_bindgen]
pub struct Engine {
    matcher: Matcher,
}

#[wasm_bindgen]
impl Engine {
    /// Compiles gazetteers (JSON or TSV texts, merged in order; a later entity with
    /// an id already seen replaces the earlier one). `origins` name each source in
    /// error messages.
    #[wasm_bindgen(constructor)]
    pub fn new(sources: Vec<String>, origins: Vec<String>) -> Result<Engine, JsError> {
        let mut parts = Vec::with_capacity(sources.len());
        for (i, text) in sources.iter().enumerate() {
            let origin = origins
                .get(i)
                .cloned()
                .unwrap_or_else(|| format!("gazetteer {}", i + 1));
            let format = Format::from_path(&origin);
            let g = Gazetteer::parse_as(text, &origin, format)
                .map_err(|e| JsError::new(&e.to_string()))?;
            parts.push((g, origin));
        }
        let g = Gazetteer::merge(parts, Duplicates::Replace)
            .map_err(|e| JsError::new(&e.to_string()))?;
        let matcher = Matcher::new(g).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(Engine { matcher })
    }

    /// The merged gazetteer in its JSON format (types and entities in order; a
    /// match's entity number indexes `entities`).
    #[wasm_bindgen(js_name = gazetteerJson)]
    pub fn gazetteer_json(&self) -> String {
        self.matcher.gazetteer().to_json().to_string()
    }

    /// Finds entities in one document. Returns the matches in the flat layout of
    /// [`crate::flat`] (UTF-16 offsets).
    pub fn find(&self, text: &str, all_overlaps: bool) -> Vec<u32> {
        encode(&self.matcher.find_with(text, options(all_overlaps)))
    }

    /// Finds entities in one document given as its blocks (the document's text split
    /// at U+2029): the same result as [`Engine::find`] on the joined text, but only
    /// the blocks that `cache` has not seen are scanned again.
    #[wasm_bindgen(js_name = findBlocks)]
    pub fn find_blocks(
        &self,
        cache: &mut DocumentCache,
        blocks: Vec<String>,
        all_overlaps: bool,
    ) -> Vec<u32> {
        encode(
            &self
                .matcher
                .find_blocks(&blocks, &mut cache.cache, options(all_overlaps)),
        )
    }
}

/// What one changing document's blocks gave last time (see [`Engine::find_blocks`]).
#[wasm_bindgen]
#[derive(Default)]
pub struct DocumentCache {
    cache: BlockCache,
}

#[wasm_bindgen]
impl DocumentCache {
    /// An empty cache.
    #[wasm_bindgen(constructor)]
    pub fn new() -> DocumentCache {
        DocumentCache::default()
    }

    /// The number of distinct blocks remembered.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.cache.len()
    }

    /// How many blocks the last `findBlocks` call scanned (the others were known).
    #[wasm_bindgen(getter)]
    pub fn scanned(&self) -> usize {
        self.cache.scanned()
    }
}

fn options(all_overlaps: bool) -> FindOptions {
    FindOptions {
        overlap: if all_overlaps {
            Overlap::All
        } else {
            Overlap::Longest
        },
    }
}
