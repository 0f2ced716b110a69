//! The WebAssembly binding: the only file that names `wasm_bindgen`.
//!
//! JavaScript creates one [`Engine`] per set of gazetteers (an opaque handle that
//! keeps the automaton in wasm memory) and calls [`Engine::find`] once per
//! document. Results cross the boundary as one flat `Uint32Array`; entity data
//! crosses once, as JSON, when the engine is made.

use wasm_bindgen::prelude::*;

use crate::{utf16_offsets, Duplicates, FindOptions, Format, Gazetteer, Matcher, Overlap, Reason};

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

    /// Finds entities in one document. Returns, per match, in order:
    /// `start, end` (UTF-16 code units), `entity` (index), `flags` (reason in the
    /// low byte: 0 only, 1 mentioned, 2 priority, 3 order; bit 8 set for a short
    /// form), `n`, then the `n` candidate entity indexes (the chosen one first).
    pub fn find(&self, text: &str, all_overlaps: bool) -> Vec<u32> {
        let options = FindOptions {
            overlap: if all_overlaps {
                Overlap::All
            } else {
                Overlap::Longest
            },
        };
        let matches = self.matcher.find_with(text, options);
        let bytes: Vec<usize> = matches
            .iter()
            .flat_map(|m| [m.start_byte, m.end_byte])
            .collect();
        let units = utf16_offsets(text, &bytes);
        let mut out = Vec::with_capacity(matches.len() * 6);
        for (i, m) in matches.iter().enumerate() {
            let reason = match m.reason {
                Reason::Only => 0,
                Reason::Mentioned => 1,
                Reason::Priority => 2,
                Reason::Order => 3,
            };
            out.push(units[2 * i] as u32);
            out.push(units[2 * i + 1] as u32);
            out.push(m.entity as u32);
            out.push(reason | (u32::from(m.short) << 8));
            out.push(m.candidates.len() as u32);
            out.extend(m.candidates.iter().map(|&c| c as u32));
        }
        out
    }
}
