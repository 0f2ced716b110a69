//! Property tests: for random Unicode text and random forms, `find` never panics and
//! its spans keep every invariant of `sorot::fuzzing::check_invariants`.

use proptest::prelude::*;
use sorot::fuzzing::{check_invariants, fuzz_find};
use sorot::{Gazetteer, Matcher, Overlap};

/// Pieces that exercise normalisation: case forms that change length, combining
/// marks, compatibility forms, unspaced scripts, surrogate pairs, whitespace and
/// paragraph breaks, typographic quotes and dashes, invisible characters.
const ATOMS: &[&str] = &[
    "a", "B", "é", "e\u{301}", "a\u{303}", "ß", "SS", "ẞ", "İ", "ı", "I", "Σ", "ς", "σ", "ﬁ", "Ａ",
    "１", "北", "京", "ก", "ร", "😀", "👍🏽", "𝒜", " ", "\u{a0}", "\n", "\n\n", "\r\n", "\u{2029}",
    "\t", "-", "–", "’", "'", "“", "\"", ".", "\u{ad}", "\u{200b}", "\u{feff}", "Kim", "Jong",
    "Un", "AS", "as", "Rusia", "São", "™", "김", "Ǆ", "ǅ", "\u{0345}", "0", "9",
];

fn atoms(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(ATOMS), 1..max).prop_map(|v| v.concat())
}

fn gazetteer(forms: &[String], exact_case: bool) -> Option<Matcher> {
    let entities: Vec<serde_json::Value> = forms
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let mut e = serde_json::json!({"id": format!("e{i}"), "name": f, "type": "T",
                "diacritics": if i % 2 == 0 { "fold" } else { "exact" }});
            if exact_case && i % 3 == 0 {
                e["case"] = "exact".into();
            }
            if i % 4 == 1 {
                e["short"] = serde_json::json!([forms[0]]);
            }
            e
        })
        .collect();
    let g = Gazetteer::from_value(&serde_json::json!({ "entities": entities }), "prop").ok()?;
    Matcher::new(g).ok()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn invariants_hold_on_composed_text(forms in prop::collection::vec(atoms(5), 1..6), text in atoms(60), exact in any::<bool>()) {
        if let Some(m) = gazetteer(&forms, exact) {
            check_invariants(&m, &text, Overlap::Longest);
            check_invariants(&m, &text, Overlap::All);
            // Every form occurs in a text made of itself, so the matcher finds something.
            let alone = forms[0].clone();
            let one_block = !alone.contains(['\u{2029}', '\n', '\r']);
            if alone.chars().any(char::is_alphanumeric) && one_block && !exact {
                prop_assert!(!m.find(&alone).is_empty(), "{alone:?} not found in itself");
            }
        }
    }

    #[test]
    fn invariants_hold_on_arbitrary_text(forms in prop::collection::vec("\\PC{1,8}", 1..5), text in "\\PC{0,80}") {
        if let Some(m) = gazetteer(&forms, false) {
            check_invariants(&m, &text, Overlap::Longest);
            check_invariants(&m, &text, Overlap::All);
        }
    }

    #[test]
    fn fuzz_entry_never_panics(data in prop::collection::vec(any::<u8>(), 0..200)) {
        fuzz_find(&data);
    }
}
