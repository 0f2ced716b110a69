//! The WebAssembly binding: the only file that names `wasm_bindgen`.
//!
//! One crate gives two modules (`build.sh` builds both into `dist/pkg/`):
//!
//! - the **engine** (`--no-default-features`: `sorot_engine.js`,
//!   `sorot_engine_bg.wasm`), which a page always loads: it loads compiled
//!   gazetteers and finds entities, and has no JSON parser, no text-gazetteer
//!   readers and no formatting machinery;
//! - the **compiler** (default features: `sorot_compiler.js`, `sorot_compiler_bg.wasm`), loaded only
//!   when a text gazetteer is given: everything of the engine, plus
//!   [`compile_gazetteers`] and the `new Engine(sources, origins)` constructor that
//!   reads text gazetteers directly (as before compiled gazetteers existed).
//!
//! JavaScript signatures (both modules unless said otherwise):
//!
//! ```js
//! Engine.load(bytes: Uint8Array, origin?: string): Engine   // a compiled gazetteer; throws Error
//! engine.find(text: string, allOverlaps: boolean): Uint32Array
//! engine.findBlocks(cache: DocumentCache, blocks: string[], allOverlaps: boolean): Uint32Array
//! engine.primeBlocks(cache: DocumentCache, blocks: string[])  // scan ahead, a few blocks at a time
//! engine.newSearch(): Search                    // one document in slices (bounded memory and time)
//! engine.searchPush(search: Search, slice: string, last: boolean): number  // UTF-16 units consumed
//! engine.searchNext(search: Search, allOverlaps: boolean, budget: number): Uint32Array | undefined
//! engine.gazetteerJson(): string                 // the stored JSON text of the gazetteer
//! engine.gazetteerJsonRange(): Uint32Array       // [start, end): where that JSON is in `bytes`
//! engine.entityIndex(): Uint32Array              // [headEnd, start0, end0, ...] in that JSON (bytes)
//! engine.entityCount: number
//! engine.free()
//! new DocumentCache(); cache.size; cache.scanned; cache.free()
//! search.candidates; search.free()
//! compiledFormatVersion(): number                // for cache keys of compiled gazetteers
//! isCompiled(bytes: Uint8Array): boolean         // a compiled gazetteer's magic number
//! // compiler module only:
//! compileGazetteers(parts: (string | Uint8Array)[], origins: string[]): Uint8Array  // throws Error
//! new Engine(sources: string[], origins: string[]): Engine                          // throws Error
//! ```
//!
//! Results cross the boundary as one flat `Uint32Array` (see [`Engine::find`]); entity
//! data crosses once, as JSON text.

use wasm_bindgen::prelude::*;

use crate::flat::encode;
use crate::utf16::utf16_len;
use crate::{BlockCache, FindOptions, Matcher, Overlap};

/// Installs a panic hook that reports panics on the console (compiler module only;
/// the engine has no panics to report).
#[cfg(feature = "text")]
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The version of the compiled gazetteer format this module reads and writes; key
/// caches of compiled gazetteers by it (and by their source).
#[wasm_bindgen(js_name = compiledFormatVersion)]
pub fn compiled_format_version() -> u32 {
    crate::FORMAT_VERSION
}

/// The version of sorot this module was built from (`Cargo.toml`'s): with the
/// format version, what a cache of compiled gazetteers is keyed by, as a new
/// version may compile the same text differently.
#[wasm_bindgen(js_name = sorotVersion)]
pub fn sorot_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Whether `bytes` start as a compiled gazetteer does (its magic number); the first
/// 8 bytes are enough. Anything else is read as a text gazetteer.
#[wasm_bindgen(js_name = isCompiled)]
pub fn is_compiled(bytes: &[u8]) -> bool {
    crate::is_compiled(bytes)
}

/// Where the entity JSON is.
enum Json {
    /// In the compiled file the engine keeps (its automata read their arrays in
    /// it), at this byte range.
    InFile(std::sync::Arc<Vec<u8>>, usize, usize),
    /// Made by the compiler module's constructor.
    #[cfg(feature = "text")]
    Owned(String),
}

/// A loaded gazetteer: the automata and what the resolver needs, behind an opaque
/// handle in wasm memory.
#[wasm_bindgen]
pub struct Engine {
    matcher: Matcher,
    json: Json,
    /// Where each entity is in the JSON text (`JIDX`).
    index: Vec<u32>,
    /// The longest form's normalised length (for [`Search`]).
    longest: usize,
}

#[wasm_bindgen]
impl Engine {
    /// Loads a compiled gazetteer (`sorot compile`, or [`compile_gazetteers`]).
    /// Throws an `Error` whose message says what is wrong ("...: compiled
    /// gazetteer: format version 9, this sorot reads version 3", "truncated at
    /// section JSON ..."); `origin` (default `gazetteer`) starts it.
    pub fn load(bytes: Vec<u8>, origin: Option<String>) -> Result<Engine, JsError> {
        let origin = origin.as_deref().unwrap_or("gazetteer");
        let file = std::sync::Arc::new(bytes);
        let (matcher, json, index) = match crate::load_compiled_shared(&file, origin) {
            Ok(loaded) => loaded,
            Err(e) => return Err(JsError::new(&e.message())),
        };
        Ok(Engine {
            longest: matcher.longest_form(),
            matcher,
            json: Json::InFile(file, json.start, json.end),
            index,
        })
    }

    /// Reads text gazetteers (JSON, JSON Lines, TSV or CSV, merged in order; a later
    /// entity with an id already seen replaces the earlier one) and compiles them in
    /// memory. `origins` name each source in error messages and give its format by
    /// extension. Compiler module only.
    #[cfg(feature = "text")]
    #[wasm_bindgen(constructor)]
    pub fn new(sources: Vec<String>, origins: Vec<String>) -> Result<Engine, JsError> {
        let parts = sources
            .iter()
            .enumerate()
            .map(|(i, text)| Part::Text(text, origin_of(&origins, i)))
            .collect();
        let g = merge(parts)?;
        let (json, index) = g.to_json_indexed();
        let matcher = Matcher::new(g).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(Engine {
            longest: matcher.longest_form(),
            matcher,
            json: Json::Owned(json),
            index,
        })
    }

    /// The gazetteer in its JSON format (types and entities in order; a match's
    /// entity number indexes `entities`), as stored in the compiled file.
    #[wasm_bindgen(js_name = gazetteerJson)]
    pub fn gazetteer_json(&self) -> String {
        match &self.json {
            Json::InFile(bytes, start, end) => {
                String::from_utf8_lossy(bytes.get(*start..*end).unwrap_or_default()).into_owned()
            }
            #[cfg(feature = "text")]
            Json::Owned(s) => s.clone(),
        }
    }

    /// Where the JSON text is in the bytes given to `Engine.load`: `[start, end)`, so
    /// that JavaScript can decode it from its own copy
    /// (`new TextDecoder().decode(bytes.subarray(start, end))`) without a copy out of
    /// wasm memory. Empty (`[0, 0]`) for an engine made from text gazetteers.
    #[wasm_bindgen(js_name = gazetteerJsonRange)]
    pub fn gazetteer_json_range(&self) -> Vec<u32> {
        match &self.json {
            Json::InFile(_, start, end) => vec![*start as u32, *end as u32],
            #[cfg(feature = "text")]
            Json::Owned(_) => vec![0, 0],
        }
    }

    /// Where each entity is in the JSON text (UTF-8 bytes from its start): the end of
    /// the head (the gazetteer's other fields: the text up to there followed by `]}`
    /// is the gazetteer without its entities), then each entity's start and end, so
    /// that JavaScript reads only the entities it shows.
    #[wasm_bindgen(js_name = entityIndex)]
    pub fn entity_index(&self) -> Vec<u32> {
        self.index.clone()
    }

    /// The number of entities in the gazetteer.
    #[wasm_bindgen(getter, js_name = entityCount)]
    pub fn entity_count(&self) -> usize {
        self.matcher.entity_count()
    }

    /// Finds entities in one document. Returns the matches in the flat layout of
    /// [`crate::flat`] (UTF-16 offsets).
    pub fn find(&self, text: &str, all_overlaps: bool) -> Vec<u32> {
        encode(&self.matcher.find_with(text, options(all_overlaps)))
    }

    /// Finds entities in one document given as its blocks (the document's text split
    /// at U+2029): the same result as [`Engine::find`] on the joined text, but only
    /// the blocks that `cache` has not seen are scanned again.
    /// Scans, ahead of the `findBlocks` call that will give them, the blocks `cache`
    /// has not seen: a large document is scanned a few blocks at a time, between
    /// which the page can respond (see `Matcher::prime_blocks`).
    #[wasm_bindgen(js_name = primeBlocks)]
    pub fn prime_blocks(&self, cache: &mut DocumentCache, blocks: Vec<String>) {
        self.matcher.prime_blocks(&blocks, &mut cache.cache);
    }

    /// A new search of one document given in slices: [`Engine::search_push`] each
    /// slice, then [`Engine::search_next`] until it gives nothing. The same matches
    /// as [`Engine::find`] on the whole, but the wasm memory a call takes is one
    /// slice's (and a few dozen bytes per candidate), and each step is short.
    #[wasm_bindgen(js_name = newSearch)]
    pub fn new_search(&self) -> Search {
        Search {
            search: crate::Search::with_longest(&self.matcher, self.longest),
        }
    }

    /// Scans the next slice of a search's document (the text after what it
    /// consumed so far; `last` when it ends the document). Returns the UTF-16 code
    /// units consumed: the rest starts the next slice. 0 means the slice holds no
    /// place where it may be cut: give a longer one.
    #[wasm_bindgen(js_name = searchPush)]
    pub fn search_push(&self, search: &mut Search, slice: &str, last: bool) -> u32 {
        let cut = search.search.push(&self.matcher, slice, last);
        utf16_len(&slice.as_bytes()[..cut]) as u32
    }

    /// Finishes a search whose text is all given a part at a time (about `budget`
    /// candidates a call; see [`crate::Search::finish_some`]): true when done.
    /// `searchNext` finishes what is left itself.
    #[wasm_bindgen(js_name = searchFinish)]
    pub fn search_finish(&self, search: &mut Search, budget: u32) -> bool {
        search.search.finish_some(budget as usize)
    }

    /// The next matches of a search whose text is all given, in the flat layout,
    /// about `budget` candidates' worth; `undefined` when it is done.
    #[wasm_bindgen(js_name = searchNext)]
    pub fn search_next(
        &self,
        search: &mut Search,
        all_overlaps: bool,
        budget: u32,
    ) -> Option<Vec<u32>> {
        let matches = search
            .search
            .next(&self.matcher, options(all_overlaps), budget as usize)?;
        Some(encode(&matches))
    }

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

/// One part of [`compile_gazetteers`].
#[cfg(feature = "text")]
enum Part<'a> {
    Text(&'a str, String),
    Compiled(Vec<u8>, String),
}

#[cfg(feature = "text")]
fn origin_of(origins: &[String], i: usize) -> String {
    origins
        .get(i)
        .cloned()
        .unwrap_or_else(|| format!("gazetteer {}", i + 1))
}

#[cfg(feature = "text")]
fn merge(parts: Vec<Part>) -> Result<crate::Gazetteer, JsError> {
    let mut gazetteers = Vec::with_capacity(parts.len());
    for part in parts {
        let (g, origin) = match part {
            Part::Text(text, origin) => {
                let format = crate::Format::from_path(&origin);
                (crate::Gazetteer::parse_as(text, &origin, format), origin)
            }
            Part::Compiled(bytes, origin) => {
                (crate::Gazetteer::from_compiled(&bytes, &origin), origin)
            }
        };
        gazetteers.push((g.map_err(|e| JsError::new(&e.to_string()))?, origin));
    }
    crate::Gazetteer::merge(gazetteers, crate::Duplicates::Replace)
        .map_err(|e| JsError::new(&e.to_string()))
}

/// Merges gazetteers in order (a later entity with an id already seen replaces the
/// earlier one) and returns them compiled, for `Engine.load`. Each part is a text
/// gazetteer (a string: JSON, JSON Lines, TSV or CSV, its format given by its
/// origin's extension, else detected) or a compiled one (a `Uint8Array`);
/// `origins` name them in error messages. Throws an `Error` whose message names the
/// origin and the place. Compiler module only.
#[cfg(feature = "text")]
#[wasm_bindgen(js_name = compileGazetteers)]
pub fn compile_gazetteers(parts: Vec<JsValue>, origins: Vec<String>) -> Result<Vec<u8>, JsError> {
    use wasm_bindgen::JsCast;
    let texts: Vec<Option<String>> = parts.iter().map(JsValue::as_string).collect();
    let mut list = Vec::with_capacity(parts.len());
    for (i, (part, text)) in parts.iter().zip(&texts).enumerate() {
        let origin = origin_of(&origins, i);
        match text {
            Some(t) => list.push(Part::Text(t, origin)),
            None => match part.dyn_ref::<js_sys::Uint8Array>() {
                Some(bytes) => list.push(Part::Compiled(bytes.to_vec(), origin)),
                None => {
                    return Err(JsError::new(&format!(
                        "{origin}: a gazetteer part must be a string (a text gazetteer) or a Uint8Array (a compiled one)"
                    )))
                }
            },
        }
    }
    let g = merge(list)?;
    let matcher = Matcher::new(g).map_err(|e| JsError::new(&e.to_string()))?;
    Ok(matcher.compile())
}

/// One document searched in slices (see [`Engine::new_search`]).
#[wasm_bindgen]
pub struct Search {
    search: crate::Search,
}

#[wasm_bindgen]
impl Search {
    /// The candidates it keeps so far.
    #[wasm_bindgen(getter)]
    pub fn candidates(&self) -> usize {
        self.search.candidates()
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
