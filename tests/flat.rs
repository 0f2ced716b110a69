//! The flat result layout, from the Rust side: `tests/fixtures/flat-layout.json`
//! holds a gazetteer, a text, the engine's answer word for word and the matches it
//! stands for; `tests/browser/engine.test.mjs` decodes the same file in JavaScript.

use serde_json::Value;
use sorot::{flat, Gazetteer, Matcher, Reason};

fn fixture() -> Value {
    serde_json::from_str(include_str!("fixtures/flat-layout.json")).unwrap()
}

fn reason(name: &str) -> Reason {
    match name {
        "only" => Reason::Only,
        "mentioned" => Reason::Mentioned,
        "priority" => Reason::Priority,
        "order" => Reason::Order,
        other => panic!("unknown reason {other}"),
    }
}

#[test]
fn the_engine_writes_the_fixture_word_for_word() {
    let fx = fixture();
    let g = Gazetteer::from_value(&fx["gazetteer"], "fixture").unwrap();
    let m = Matcher::new(g).unwrap();
    let want: Vec<u32> = fx["flat"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as u32)
        .collect();
    assert_eq!(flat::encode(&m.find(fx["text"].as_str().unwrap())), want);
}

#[test]
fn the_fixture_decodes_to_its_matches() {
    let fx = fixture();
    let entities: Vec<&str> = fx["gazetteer"]["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    let words: Vec<u32> = fx["flat"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as u32)
        .collect();
    let got = flat::decode(&words).unwrap();
    let want = fx["matches"].as_array().unwrap();
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        assert_eq!(g.start_utf16 as u64, w["start"].as_u64().unwrap());
        assert_eq!(g.end_utf16 as u64, w["end"].as_u64().unwrap());
        assert_eq!(entities[g.entity as usize], w["id"].as_str().unwrap());
        assert_eq!(g.reason, reason(w["reason"].as_str().unwrap()));
        assert_eq!(g.short, w["short"].as_bool().unwrap());
        let candidates: Vec<&str> = g.candidates.iter().map(|&c| entities[c as usize]).collect();
        let want_candidates: Vec<&str> = w["candidates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        assert_eq!(candidates, want_candidates);
    }
}

#[test]
fn a_truncated_answer_is_an_error_that_says_where() {
    let err = flat::decode(&[4, 15, 0, 0, 2, 0]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "flat layout: candidates truncated at word 0"
    );
    let err = flat::decode(&[4, 15, 0]).unwrap_err();
    assert_eq!(err.to_string(), "flat layout: truncated at word 0");
    // A match that points back to the candidates of a match before the first.
    let same_as = flat::SAME_AS_FLAG;
    let err = flat::decode(&[4, 15, 0, 0, 1, 0, 20, 25, 0, same_as, 2]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "flat layout: word 10 points 2 matches back, not to an earlier match"
    );
    let err = flat::decode(&[4, 15, 0, same_as, 0]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "flat layout: word 4 points 0 matches back, not to an earlier match"
    );
}
