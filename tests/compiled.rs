//! Compiled gazetteers: the same matches as the text they come from, deterministic
//! bytes, merging in order, and clear errors for files that are not right.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use sorot::{default_gazetteer, Duplicates, Gazetteer, Matcher, FORMAT_VERSION};

const SAMPLE: &str = include_str!("../www/demo/sample/lavrov-kim-id.txt");

fn sorot(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sorot"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

fn temp_path(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sorot-compiled-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn default_compiled() -> Vec<u8> {
    Matcher::new(default_gazetteer().unwrap())
        .unwrap()
        .compile()
}

/// Matches as (start, end, entity id, candidates, reason, short).
fn summary(m: &Matcher, text: &str) -> Vec<(usize, usize, String, Vec<usize>, String, bool)> {
    m.find(text)
        .into_iter()
        .map(|x| {
            (
                x.start_utf16,
                x.end_utf16,
                m.gazetteer().entities()[x.entity].id.clone(),
                x.candidates.to_vec(),
                x.reason.as_str().to_string(),
                x.short,
            )
        })
        .collect()
}

#[test]
fn compiled_default_finds_what_the_text_finds() {
    let text_matcher = Matcher::new(default_gazetteer().unwrap()).unwrap();
    let bytes = text_matcher.compile();
    let compiled = Matcher::from_compiled(&bytes, "default.sorot").unwrap();
    assert_eq!(compiled.gazetteer(), text_matcher.gazetteer());
    let want = summary(&text_matcher, SAMPLE);
    assert!(want.len() > 50, "the sample has many matches");
    assert_eq!(summary(&compiled, SAMPLE), want);
}

#[test]
fn compiling_twice_gives_the_same_bytes() {
    assert_eq!(default_compiled(), default_compiled());
}

#[test]
fn the_stored_json_is_the_gazetteers() {
    let bytes = default_compiled();
    let json = sorot::compiled_json(&bytes, "d").unwrap();
    assert_eq!(json, default_gazetteer().unwrap().to_json().to_string());
    let (m, json2, index) = sorot::load_compiled(&bytes, "d").unwrap();
    assert_eq!(json2, json);
    assert_eq!(
        m.entity_count(),
        default_gazetteer().unwrap().entities().len()
    );
    // The index: the head (everything but the entities), then each entity's JSON.
    let whole: serde_json::Value = serde_json::from_str(json).unwrap();
    let head: serde_json::Value =
        serde_json::from_str(&format!("{}]}}", &json[..index[0] as usize])).unwrap();
    let mut without = whole.clone();
    without["entities"] = serde_json::json!([]);
    assert_eq!(head, without);
    let entities = whole["entities"].as_array().unwrap();
    assert_eq!(index.len(), 1 + 2 * entities.len());
    for (i, e) in entities.iter().enumerate() {
        let (start, end) = (index[1 + 2 * i] as usize, index[2 + 2 * i] as usize);
        let one: serde_json::Value = serde_json::from_str(&json[start..end]).unwrap();
        assert_eq!(&one, e, "entity {i}");
    }
}

#[test]
fn an_empty_gazetteer_has_an_index_too() {
    let g = sorot::Gazetteer::from_json(r#"{"entities": []}"#, "e").unwrap();
    let (text, index) = g.to_json_indexed();
    assert_eq!(text, g.to_json().to_string());
    assert_eq!(index, [text.len() as u32 - 2]);
}

#[test]
fn bad_files_say_what_is_wrong() {
    let good = default_compiled();
    let with_version = |v: u32| {
        let mut b = good.clone();
        b[8..12].copy_from_slice(&v.to_le_bytes());
        b
    };
    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x20;
    let rows: Vec<(&str, Vec<u8>, String)> = vec![
        (
            "text",
            b"id\ttype\tname\n".to_vec(),
            "x: compiled gazetteer: not a compiled gazetteer (it does not start with the sorot magic bytes)".into(),
        ),
        (
            "empty",
            Vec::new(),
            "x: compiled gazetteer: not a compiled gazetteer".into(),
        ),
        (
            "other version",
            with_version(FORMAT_VERSION + 2),
            format!(
                "x: compiled gazetteer: format version {}, this sorot reads version {FORMAT_VERSION}",
                FORMAT_VERSION + 2
            ),
        ),
        (
            "header only",
            good[..20].to_vec(),
            "x: compiled gazetteer: truncated in section header".into(),
        ),
        (
            "truncated",
            good[..good.len() - 10].to_vec(),
            "x: compiled gazetteer: truncated at section JIDX".into(),
        ),
        (
            "truncated in the automaton",
            good[..good.len() / 3].to_vec(),
            "x: compiled gazetteer: truncated at section".into(),
        ),
        (
            "a flipped byte",
            flipped,
            "x: compiled gazetteer: corrupt: the checksum does not match".into(),
        ),
    ];
    for (name, bytes, want) in rows {
        let err = Matcher::from_compiled(&bytes, "x")
            .err()
            .unwrap_or_else(|| panic!("case {name}: loaded"));
        assert!(
            err.to_string().starts_with(&want),
            "case {name}: {err} (want {want})"
        );
    }
}

#[test]
fn damaged_files_never_panic() {
    // Every single-byte change and many cuts of a small file, checksum made right or
    // not (the fuzz target's body).
    for at in (0..3000u16).step_by(7) {
        let [lo, hi] = at.to_le_bytes();
        for x in [0x01, 0x80, 0xff] {
            sorot::fuzzing::fuzz_compiled(&[0, lo, hi, x]);
        }
    }
    for cut in (1..=255u8).step_by(2) {
        sorot::fuzzing::fuzz_compiled(&[cut]);
    }
}

#[test]
fn a_compiled_file_merges_with_text_in_order() {
    // The user's gazetteer comes after the compiled default: its "kim" entity
    // replaces the default's and its new entity is found.
    let user = r#"{"entities": [
        {"id": "kim-jong-un", "name": "Kim Jong Un", "type": "PER", "description": "replaced"},
        {"id": "sorot-cafe", "name": "Kafe Sorot", "type": "ORG"}]}"#;
    let default = Gazetteer::from_compiled(&default_compiled(), "default.sorot").unwrap();
    let merged = Gazetteer::merge(
        vec![
            (default, "default.sorot".into()),
            (
                Gazetteer::from_json(user, "user.json").unwrap(),
                "user.json".into(),
            ),
        ],
        Duplicates::Replace,
    )
    .unwrap();
    let m = Matcher::new(merged).unwrap();
    let text = "Kim Jong Un minum kopi di Kafe Sorot, Jakarta.";
    let ids: Vec<(&str, Option<&str>)> = m
        .find(text)
        .iter()
        .map(|x| {
            let e = &m.gazetteer().entities()[x.entity];
            (
                e.id.as_str(),
                e.description.as_ref().and_then(sorot::Localized::as_plain),
            )
        })
        .collect();
    assert_eq!(
        ids,
        [
            ("kim-jong-un", Some("replaced")),
            ("sorot-cafe", None),
            ("jakarta", ids[2].1)
        ]
    );
}

#[test]
fn cli_compiles_and_reads_compiled_files() {
    let out_path = temp_path("default.sorot");
    let out = sorot(&["compile", "-o", out_path.to_str().unwrap()], b"");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&out_path).unwrap();
    assert_eq!(bytes, default_compiled());
    // Read by its content, whatever its name.
    let renamed = temp_path("default-gazetteer.json");
    std::fs::write(&renamed, &bytes).unwrap();
    let from_text = sorot(&["find"], SAMPLE.as_bytes());
    let from_compiled = sorot(
        &["find", "-g", renamed.to_str().unwrap()],
        SAMPLE.as_bytes(),
    );
    assert!(
        from_compiled.status.success(),
        "{}",
        String::from_utf8_lossy(&from_compiled.stderr)
    );
    assert!(!from_text.stdout.is_empty());
    assert_eq!(from_compiled.stdout, from_text.stdout);
    let check = sorot(&["check", out_path.to_str().unwrap()], b"");
    assert!(check.status.success());
    let entities = default_gazetteer().unwrap().entities().len();
    assert!(
        String::from_utf8_lossy(&check.stdout).contains(&format!(": ok: {entities} entities")),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

#[test]
fn cli_merges_a_compiled_file_with_a_text_one() {
    let compiled = temp_path("base.sorot");
    let user = temp_path("user.tsv");
    std::fs::write(&compiled, default_compiled()).unwrap();
    std::fs::write(&user, "id\ttype\tname\nkafe\tORG\tKafe Sorot\n").unwrap();
    let out = sorot(
        &[
            "find",
            "-g",
            compiled.to_str().unwrap(),
            "-g",
            user.to_str().unwrap(),
        ],
        "Lavrov di Kafe Sorot bersama Sergey Lavrov.".as_bytes(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ids: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids, ["sergey-lavrov", "kafe", "sergey-lavrov"]);
    // Compiling the two gives the same matches as reading them.
    let both = temp_path("both.sorot");
    let c = sorot(
        &[
            "compile",
            compiled.to_str().unwrap(),
            user.to_str().unwrap(),
            "-o",
            both.to_str().unwrap(),
        ],
        b"",
    );
    assert!(c.status.success(), "{}", String::from_utf8_lossy(&c.stderr));
    let again = sorot(
        &["find", "-g", both.to_str().unwrap()],
        "Lavrov di Kafe Sorot bersama Sergey Lavrov.".as_bytes(),
    );
    assert_eq!(again.stdout, out.stdout);
}

#[test]
fn cli_refuses_a_damaged_file_with_a_message() {
    let path = temp_path("cut.sorot");
    let bytes = default_compiled();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    for command in ["find", "check"] {
        let out = sorot(&[command, "-g", path.to_str().unwrap()], b"Jakarta");
        let out = if command == "check" {
            sorot(&["check", path.to_str().unwrap()], b"")
        } else {
            out
        };
        assert_eq!(out.status.code(), Some(2), "{command}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("cut.sorot: compiled gazetteer: truncated at section"),
            "{command}: {err}"
        );
    }
}
