//! The default gazetteer, embedded from its readable source files in `data/default/`.

use crate::error::Error;
use crate::gazetteer::{Duplicates, Gazetteer};

/// The source files of the default gazetteer: metadata and types first, then one
/// tab-separated file per type.
const SOURCES: &[(&str, &str)] = &[
    (
        "data/default/meta.json",
        include_str!("../data/default/meta.json"),
    ),
    (
        "data/default/PER.tsv",
        include_str!("../data/default/PER.tsv"),
    ),
    (
        "data/default/ORG.tsv",
        include_str!("../data/default/ORG.tsv"),
    ),
    (
        "data/default/LOC.tsv",
        include_str!("../data/default/LOC.tsv"),
    ),
    (
        "data/default/LOC-countries.tsv",
        include_str!("../data/default/LOC-countries.tsv"),
    ),
    (
        "data/default/LOC-indonesia.tsv",
        include_str!("../data/default/LOC-indonesia.tsv"),
    ),
    (
        "data/default/LOC-world.tsv",
        include_str!("../data/default/LOC-world.tsv"),
    ),
];

/// The default gazetteer (Indonesian and English news: people, places,
/// organisations), as one gazetteer. An id used twice across its files is an error.
///
/// ```
/// let g = sorot::default_gazetteer().unwrap();
/// assert!(g.entities().iter().any(|e| e.id == "sergey-lavrov"));
/// ```
pub fn default_gazetteer() -> Result<Gazetteer, Error> {
    let mut parts = Vec::new();
    for (path, text) in SOURCES {
        parts.push((Gazetteer::parse(text, path)?, path.to_string()));
    }
    Gazetteer::merge(parts, Duplicates::Error)
}
