//! The flat result layout: how matches cross from the engine to JavaScript (the
//! wasm binding, a Worker, an extension's service worker). `www/lib/flat.js` is the
//! JavaScript side; `tests/fixtures/flat-layout.json` is decoded by both.
//!
//! One array of `u32`; per match, in document order: `start`, `end` (UTF-16 code
//! units, end exclusive), `entity` (index into the gazetteer's entities), `flags`
//! (the [`Reason`] in the low byte: 0 only, 1 mentioned, 2 priority, 3 order; bit 8
//! set for a short form), `n`, then the `n` candidate entity indexes, the chosen
//! one first.
//!
//! When bit 9 of `flags` is set, no candidates follow: the match has the candidates
//! of the match `n` matches before it in the same array (a form that thousands of
//! entities share, named a thousand times, sends its list once). Arrays joined end
//! to end stay valid, as the distance is counted within one.
//!
//! ```
//! use sorot::{flat, Gazetteer, Matcher};
//! let g = Gazetteer::from_json(r#"{"entities": [
//!     {"id": "kim", "name": "Kim Jong Un", "type": "PER"}]}"#, "t").unwrap();
//! let m = Matcher::new(g).unwrap();
//! let words = flat::encode(&m.find("“Kim Jong Un”"));
//! assert_eq!(words, [1, 12, 0, 0, 1, 0]);
//! assert_eq!(flat::decode(&words).unwrap()[0].end_utf16, 12);
//! ```

use std::collections::HashMap;

use crate::error::Error;
use crate::matcher::{Match, Reason};

/// Words per match before its candidates.
pub const HEADER_WORDS: usize = 5;

/// Bit of `flags` set for a short form.
pub const SHORT_FLAG: u32 = 0x100;

/// Bit of `flags` set when `n` is the distance back to a match with the same
/// candidates, instead of their number.
pub const SAME_AS_FLAG: u32 = 0x200;

/// One match as the layout carries it (UTF-16 offsets only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlatMatch {
    /// Start, UTF-16 code units (inclusive).
    pub start_utf16: u32,
    /// End, UTF-16 code units (exclusive).
    pub end_utf16: u32,
    /// Index of the chosen entity.
    pub entity: u32,
    /// Why it was chosen.
    pub reason: Reason,
    /// Whether the mention is a short form.
    pub short: bool,
    /// Every entity the form could name, the chosen one first.
    pub candidates: Vec<u32>,
}

fn reason_code(reason: Reason) -> u32 {
    match reason {
        Reason::Only => 0,
        Reason::Mentioned => 1,
        Reason::Priority => 2,
        Reason::Order => 3,
    }
}

/// The matches in the flat layout. A list of candidates that several matches
/// share (more than three) is written once, the later matches pointing back to the
/// last one with it.
pub fn encode(matches: &[Match]) -> Vec<u32> {
    let mut out = Vec::with_capacity(matches.len() * (HEADER_WORDS + 1));
    let mut last_with: HashMap<*const usize, usize> = HashMap::new();
    for (i, m) in matches.iter().enumerate() {
        let flags = reason_code(m.reason) | if m.short { SHORT_FLAG } else { 0 };
        out.push(m.start_utf16 as u32);
        out.push(m.end_utf16 as u32);
        out.push(m.entity as u32);
        let before = m
            .candidates
            .shared()
            .and_then(|list| last_with.insert(list, i));
        match before {
            Some(j) => {
                out.push(flags | SAME_AS_FLAG);
                out.push((i - j) as u32);
            }
            None => {
                out.push(flags);
                out.push(m.candidates.len() as u32);
                out.extend(m.candidates.iter().map(|&c| c as u32));
            }
        }
    }
    out
}

/// Reads the flat layout back. A truncated array or an unknown reason is an error
/// that says at which word.
pub fn decode(words: &[u32]) -> Result<Vec<FlatMatch>, Error> {
    let bad = |what: String| Error::invalid("flat layout", vec![what]);
    let mut out: Vec<FlatMatch> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let Some(head) = words.get(i..i + HEADER_WORDS) else {
            return Err(bad(format!("truncated at word {i}")));
        };
        let (candidates, n) = if head[3] & SAME_AS_FLAG != 0 {
            let back = head[4] as usize;
            let Some(earlier) = out.len().checked_sub(back).filter(|_| back > 0) else {
                return Err(bad(format!(
                    "word {} points {back} matches back, not to an earlier match",
                    i + 4
                )));
            };
            (out[earlier].candidates.clone(), 0)
        } else {
            let n = head[4] as usize;
            let Some(candidates) = words.get(i + HEADER_WORDS..i + HEADER_WORDS + n) else {
                return Err(bad(format!("candidates truncated at word {i}")));
            };
            (candidates.to_vec(), n)
        };
        let reason = match head[3] & 0xff {
            0 => Reason::Only,
            1 => Reason::Mentioned,
            2 => Reason::Priority,
            3 => Reason::Order,
            r => return Err(bad(format!("unknown reason {r} at word {}", i + 3))),
        };
        out.push(FlatMatch {
            start_utf16: head[0],
            end_utf16: head[1],
            entity: head[2],
            reason,
            short: head[3] & SHORT_FLAG != 0,
            candidates,
        });
        i += HEADER_WORDS + n;
    }
    Ok(out)
}
