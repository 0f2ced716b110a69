//! The invariants of [`Matcher::find_with`], checked on any input, and the bodies of
//! the cargo-fuzz targets (`fuzz/`): shared by the property tests, the fuzz
//! regression tests (`tests/fuzz_regressions.rs`) and the targets.

use crate::gazetteer::{Diacritics, Format, Gazetteer};
use crate::matcher::{FindOptions, Matcher, Overlap};
use crate::normalize::{form_key, normalize, Fold};

/// Checks every invariant of `find` on `text` and panics with a message naming the
/// broken one:
/// - spans are within the text, on character boundaries, and not empty;
/// - spans are sorted by start (then longest first) and, in `longest` mode, do not
///   overlap;
/// - a span never starts or ends between a letter and its combining marks;
/// - the UTF-16 offsets are those of the byte offsets;
/// - the normalised text of every span equals a normalised form (name, alias or
///   short form) of the entity it names, or of one of its candidates.
///
/// ```
/// let g = sorot::Gazetteer::from_json(r#"{"entities": [{"id": "a", "name": "São Paulo", "type": "LOC"}]}"#, "t").unwrap();
/// let m = sorot::Matcher::new(g).unwrap();
/// sorot::fuzzing::check_invariants(&m, "Sa\u{303}o Paulo, SAO PAULO", sorot::Overlap::All);
/// ```
pub fn check_invariants(matcher: &Matcher, text: &str, overlap: Overlap) {
    let matches = matcher.find_with(text, FindOptions { overlap });
    let entities = matcher.gazetteer().entities();
    let mut previous: Option<(usize, usize)> = None;
    for m in &matches {
        let (s, e) = (m.start_byte, m.end_byte);
        assert!(
            s < e && e <= text.len(),
            "span {s}..{e} out of bounds in {text:?}"
        );
        assert!(
            text.is_char_boundary(s) && text.is_char_boundary(e),
            "span {s}..{e} not on character boundaries in {text:?}"
        );
        if let Some(next) = text[e..].chars().next() {
            assert!(
                !crate::normalize::is_combining_mark(next) || !ends_with_letter(&text[s..e]),
                "span {s}..{e} ends before the combining mark {next:?} of its last letter in {text:?}"
            );
        }
        if let Some((ps, pe)) = previous {
            assert!(
                (ps, std::cmp::Reverse(pe)) <= (s, std::cmp::Reverse(e)),
                "spans not sorted in {text:?}"
            );
            if overlap == Overlap::Longest {
                assert!(pe <= s, "spans {ps}..{pe} and {s}..{e} overlap in {text:?}");
            }
        }
        let units = crate::utf16_offsets(text, &[s, e]);
        assert_eq!(
            (units[0], units[1]),
            (m.start_utf16, m.end_utf16),
            "UTF-16 offsets of {s}..{e} wrong in {text:?}"
        );
        previous = Some((s, e));
        assert!(
            !m.candidates.is_empty() && m.candidates[0] == m.entity,
            "chosen entity is not the first candidate"
        );
        let found = m.candidates.iter().any(|&c| {
            let entity = &entities[c];
            let fold = Fold {
                case: true,
                diacritics: entity.diacritics == Diacritics::Fold,
            };
            let span = normalize(&text[s..e], fold);
            let keys: Vec<String> = entity
                .forms()
                .map(|(form, _)| form_key(&form.text, fold))
                .collect();
            // A form, or full forms of the entity that cross, joined: the span
            // then starts with one and ends with one.
            keys.contains(&span)
                || (overlap == Overlap::Longest
                    && keys
                        .iter()
                        .any(|k| !k.is_empty() && span.starts_with(k.as_str()))
                    && keys
                        .iter()
                        .any(|k| !k.is_empty() && span.ends_with(k.as_str())))
        });
        assert!(
            found,
            "span {:?} is no form of its entities, nor forms of one that cross",
            &text[s..e]
        );
    }
}

fn ends_with_letter(s: &str) -> bool {
    s.chars().next_back().is_some_and(char::is_alphabetic)
}

/// Builds a gazetteer from arbitrary bytes and checks [`check_invariants`] on the
/// rest, and that the matches are those of the matcher before candidates were
/// grouped by form (one per entity: `src/matcher/reference.rs`): the body of the
/// cargo-fuzz target. The first byte gives the number of
/// forms; forms and text are separated by NUL bytes; invalid UTF-8 is replaced.
/// Inputs that make no valid gazetteer are ignored; nothing may panic.
pub fn fuzz_find(data: &[u8]) {
    let Some((&count, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let mut parts = text.split('\0');
    let forms: Vec<&str> = parts.by_ref().take(usize::from(count % 8) + 1).collect();
    let body: Vec<&str> = parts.collect();
    let body = body.join("\0");
    let entities: Vec<serde_json::Value> = forms
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let (name, short) = if i % 3 == 2 {
                ("Filler Name", vec![*f])
            } else {
                (*f, vec![])
            };
            serde_json::json!({"id": format!("e{i}"), "name": name, "type": "T", "short": short,
                               "diacritics": if i % 2 == 0 { "fold" } else { "exact" }})
        })
        .collect();
    let json = serde_json::json!({ "entities": entities });
    let Ok(g) = Gazetteer::from_value(&json, "fuzz") else {
        return;
    };
    let Ok(matcher) = Matcher::new(g) else {
        return;
    };
    for overlap in [Overlap::Longest, Overlap::All] {
        check_invariants(&matcher, &body, overlap);
        // Candidates grouped by form resolve as one candidate per entity does.
        let options = FindOptions { overlap };
        assert_eq!(
            matcher.find_with(&body, options),
            matcher.find_reference(&body, options),
            "grouped candidates resolve otherwise than one per entity in {body:?}"
        );
    }
}

/// The automaton patterns a [`Matcher`] builds for `gazetteer` (every form,
/// normalised, one per distinct key and diacritics rule), for benchmarks that
/// compare the automaton crates on the same patterns.
///
/// ```
/// let g = sorot::Gazetteer::from_json(r#"{"entities": [{"id": "a", "name": "São Paulo", "type": "LOC"}]}"#, "t").unwrap();
/// assert_eq!(sorot::fuzzing::automaton_patterns(&g), ["sao paulo"]);
/// ```
pub fn automaton_patterns(gazetteer: &Gazetteer) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for e in gazetteer.entities() {
        let fold = Fold {
            case: true,
            diacritics: e.diacritics == Diacritics::Fold,
        };
        for (form, _) in e.forms() {
            let key = form_key(&form.text, fold);
            if seen.insert((key.clone(), fold.diacritics)) {
                out.push(key);
            }
        }
    }
    out
}

/// Loads arbitrary bytes as a compiled gazetteer, then a small valid compiled
/// gazetteer damaged by them (each 3 bytes: a 2-byte offset and a byte to XOR there;
/// the first byte, when odd, also cuts the file), once as damaged and once with its
/// checksum made right so that every check behind it is reached. Whatever loads
/// must then find without panicking or hanging: the body of the cargo-fuzz target
/// `compiled`.
pub fn fuzz_compiled(data: &[u8]) {
    load_and_find(data);
    static BASE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    let base = BASE.get_or_init(|| {
        let g = Gazetteer::from_json(
            r#"{"entities": [
                {"id": "kim", "name": "Kim Jong Un", "type": "PER", "short": ["Kim"]},
                {"id": "as", "name": "Amerika Serikat", "type": "LOC", "aliases": ["AS"], "priority": 2},
                {"id": "sp", "name": "São Paulo", "type": "LOC", "diacritics": "exact"}]}"#,
            "fuzz base",
        )
        .expect("the fuzz base gazetteer is valid");
        Matcher::new(g).expect("the fuzz base builds").compile()
    });
    let Some((&cut, edits)) = data.split_first() else {
        return;
    };
    let mut bytes = base.clone();
    for e in edits.chunks_exact(3) {
        let at = usize::from(u16::from_le_bytes([e[0], e[1]])) % bytes.len();
        bytes[at] ^= e[2];
    }
    if cut % 2 == 1 {
        bytes.truncate(bytes.len() * usize::from(cut) / 256);
    }
    load_and_find(&bytes);
    crate::compiled::reseal(&mut bytes);
    load_and_find(&bytes);
}

fn load_and_find(bytes: &[u8]) {
    if let Ok(m) = Matcher::from_compiled(bytes, "fuzz") {
        let text = "Kim Jong Un dan Kim di AS, Sao Paulo, São Paulo, Amerika Serikat.";
        for overlap in [Overlap::Longest, Overlap::All] {
            for found in m.find_with(text, FindOptions { overlap }) {
                assert!(found.entity < m.entity_count(), "entity out of range");
            }
        }
    }
}

/// Reads arbitrary bytes as a gazetteer in `format` (invalid UTF-8 replaced, a BOM
/// skipped, as [`Gazetteer::parse_as`] does), and when it loads, takes it down the
/// whole path a gazetteer goes: `sorot check`'s warnings, the matcher, `find` on a
/// short text made of its first forms (every invariant of [`check_invariants`]),
/// the compiled gazetteer, which must load back and find the same. Returns whether
/// the input loaded. Nothing may panic or hang: the body of the cargo-fuzz targets
/// `json`, `jsonl`, `tsv` and `csv`.
///
/// ```
/// use sorot::{fuzzing::fuzz_reader, Format};
/// assert!(fuzz_reader(b"id\ttype\tname\njkt\tLOC\tJakarta\n", Format::Tsv));
/// assert!(!fuzz_reader(b"id\ttype\tname\njkt\tLOC\n", Format::Tsv));
/// ```
pub fn fuzz_reader(data: &[u8], format: Format) -> bool {
    static STOP_WORDS: std::sync::OnceLock<crate::lint::StopWords> = std::sync::OnceLock::new();
    let text = String::from_utf8_lossy(data);
    let Ok(g) = Gazetteer::parse_as(&text, "fuzz", Some(format)) else {
        return false;
    };
    let stop_words =
        STOP_WORDS.get_or_init(|| crate::lint::StopWords::new(["dan\nyang\nthe\nof\n"]));
    crate::lint::lint(&g, stop_words, &crate::lint::Reviewed::default());
    let Ok(matcher) = Matcher::new(g) else {
        return true;
    };
    let text = sample_text(matcher.gazetteer());
    check_invariants(&matcher, &text, Overlap::Longest);
    let bytes = matcher.compile();
    let loaded = match Matcher::from_compiled(&bytes, "fuzz") {
        Ok(m) => m,
        Err(e) => panic!("the compiled gazetteer of a valid one does not load: {e}"),
    };
    assert_eq!(
        loaded.find(&text),
        matcher.find(&text),
        "the compiled gazetteer finds otherwise in {text:?}"
    );
    true
}

/// A short text naming the first entities of `g` by their forms, in sentences, at
/// most about 2 KB.
fn sample_text(g: &Gazetteer) -> String {
    let mut text = String::from("Kata ");
    for e in g.entities().iter().take(6) {
        for (form, _) in e.forms().take(3) {
            if text.len() + form.text.len() > 2048 {
                return text;
            }
            text.push_str(&form.text);
            text.push_str(", dan ");
        }
        text.push_str("lalu. ");
    }
    text
}
