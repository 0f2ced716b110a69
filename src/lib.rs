//! sorot finds the named entities of a gazetteer (people, places, organisations,
//! with aliases and short forms) in text, for highlighting in the browser.
//!
//! The core knows nothing of JavaScript: it takes `&str` and returns spans as UTF-8
//! byte offsets. The command-line tool and the WebAssembly module (`src/wasm.rs`,
//! the only file that names `wasm_bindgen`) both use it, so every front end gives the
//! same spans for the same text. [`utf16_offsets`] converts spans to the UTF-16 code
//! units that JavaScript uses.
//!
//! ```
//! use sorot::{Gazetteer, Matcher};
//! let g = Gazetteer::from_json(r#"{"entities": [
//!     {"id": "rusia", "name": "Rusia", "type": "LOC", "aliases": ["Russia"]},
//!     {"id": "ukraina", "name": "Ukraina", "type": "LOC"}]}"#, "example").unwrap();
//! let matcher = Matcher::new(g).unwrap();
//! let text = "Perang Rusia-Ukraina, bukan Rusiana.";
//! let ids: Vec<&str> = matcher
//!     .find(text)
//!     .iter()
//!     .map(|m| matcher.gazetteer().entities()[m.entity].id.as_str())
//!     .collect();
//! assert_eq!(ids, ["rusia", "ukraina"]);
//! ```
#![deny(missing_docs)]

mod automaton;
#[cfg(feature = "text")]
mod color;
mod compiled;
#[cfg(feature = "text")]
mod default;
mod error;
pub mod flat;
#[cfg(feature = "text")]
pub mod fuzzing;
#[cfg(feature = "text")]
mod gazetteer;
#[cfg(feature = "text")]
mod lang;
pub mod limits;
#[cfg(feature = "text")]
pub mod lint;
mod matcher;
mod normalize;
mod unicode_tables;
mod utf16;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use compiled::{
    compiled_json, is_compiled, load_compiled, load_compiled_shared, FORMAT_VERSION,
};
#[cfg(feature = "text")]
pub use default::default_gazetteer;
pub use error::Error;
#[cfg(feature = "text")]
pub use gazetteer::{
    Case, CaseRule, Diacritics, Duplicates, Entity, EntityType, Format, Gazetteer, Surface,
};
#[cfg(feature = "text")]
pub use lang::{is_language_tag, Localized};
pub use matcher::{BlockCache, Candidates, FindOptions, Match, Matcher, Overlap, Reason, Search};
pub use utf16::utf16_offsets;
