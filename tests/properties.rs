//! Property tests: for random Unicode text and random forms, `find` never panics and
//! its spans keep every invariant of `sorot::fuzzing::check_invariants`.

use proptest::prelude::*;
use sorot::fuzzing::{check_invariants, fuzz_find};
use sorot::{BlockCache, FindOptions, Gazetteer, Matcher, Overlap};

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
    // 400 cases each in `cargo test`; PROPTEST_CASES=100000 for a longer hunt.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(400)
    ))]

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
    fn blocks_give_what_the_joined_text_gives(
        forms in prop::collection::vec(atoms(5), 1..6),
        blocks in prop::collection::vec(atoms(20), 1..6),
        edit in any::<prop::sample::Index>(),
        replacement in atoms(20),
    ) {
        if let Some(m) = gazetteer(&forms, false) {
            let mut cache = BlockCache::new();
            for overlap in [Overlap::Longest, Overlap::All] {
                let options = FindOptions { overlap };
                let joined = blocks.join("\u{2029}");
                prop_assert_eq!(m.find_blocks(&blocks, &mut cache, options), m.find_with(&joined, options));
                // After one block changes, only it is new to the cache; the result is
                // still that of the whole text.
                let mut changed = blocks.clone();
                changed[edit.index(blocks.len())] = replacement.clone();
                let joined = changed.join("\u{2029}");
                prop_assert_eq!(m.find_blocks(&changed, &mut cache, options), m.find_with(&joined, options));
                prop_assert!(cache.len() <= changed.len());
            }
        }
    }

    #[test]
    fn blocks_scanned_ahead_in_pieces_give_what_the_joined_text_gives(
        forms in prop::collection::vec(atoms(5), 1..6),
        blocks in prop::collection::vec(atoms(20), 1..8),
        cut in any::<prop::sample::Index>(),
    ) {
        if let Some(m) = gazetteer(&forms, false) {
            for overlap in [Overlap::Longest, Overlap::All] {
                let options = FindOptions { overlap };
                let mut cache = BlockCache::new();
                let at = cut.index(blocks.len() + 1);
                m.prime_blocks(&blocks[..at], &mut cache);
                m.prime_blocks(&blocks[at..], &mut cache);
                let joined = blocks.join("\u{2029}");
                prop_assert_eq!(m.find_blocks(&blocks, &mut cache, options), m.find_with(&joined, options));
            }
        }
    }

    #[test]
    fn compiled_gives_what_text_gives(
        forms in prop::collection::vec(atoms(5), 1..6),
        text in atoms(60),
        exact in any::<bool>(),
    ) {
        if let Some(m) = gazetteer(&forms, exact) {
            let compiled = Matcher::from_compiled(&m.compile(), "prop.sorot").unwrap();
            for overlap in [Overlap::Longest, Overlap::All] {
                let options = FindOptions { overlap };
                prop_assert_eq!(compiled.find_with(&text, options), m.find_with(&text, options));
            }
        }
    }

    #[test]
    fn fuzz_entry_never_panics(data in prop::collection::vec(any::<u8>(), 0..200)) {
        fuzz_find(&data);
    }
}
