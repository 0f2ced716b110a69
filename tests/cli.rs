//! The command-line tool, run as a user would.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn sorot(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sorot"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The tool may exit before reading its input (a usage error): ignore a closed pipe.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

fn temp_file(name: &str, contents: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sorot-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn find_prints_utf16_offsets_per_line() {
    let out = sorot(
        &["find", "--lines"],
        "😀 Kim Jong Un\n\nKim di “Moskow”\r\n".as_bytes(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Vec<(u64, u64, u64, String, String)> = lines(&out)
        .iter()
        .map(|v| {
            (
                v["line"].as_u64().unwrap(),
                v["start"].as_u64().unwrap(),
                v["end"].as_u64().unwrap(),
                v["text"].as_str().unwrap().into(),
                v["id"].as_str().unwrap().into(),
            )
        })
        .collect();
    // Each line is its own document: "Kim" on line 3 has no full name beside it.
    assert_eq!(
        got,
        [
            (1, 3, 14, "Kim Jong Un".into(), "kim-jong-un".into()),
            (3, 8, 14, "Moskow".into(), "moskow".into())
        ]
    );
    let first = &lines(&out)[0];
    assert_eq!(first["file"], "-");
    assert_eq!(first["type"], "PER");
    assert_eq!(first["name"], "Kim Jong Un");
}

#[test]
fn find_on_a_file_is_one_document() {
    let path = temp_file(
        "doc.txt",
        "Kim tiba.\nLalu Kim Jong Un bicara.\n".as_bytes(),
    );
    let out = sorot(&["find", path.to_str().unwrap()], b"");
    assert!(out.status.success());
    let got: Vec<(u64, u64, String)> = lines(&out)
        .iter()
        .map(|v| {
            (
                v["line"].as_u64().unwrap(),
                v["start"].as_u64().unwrap(),
                v["text"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(got, [(1, 0, "Kim".into()), (2, 15, "Kim Jong Un".into())]);
}

#[test]
fn find_with_own_gazetteer() {
    let g = temp_file(
        "own.tsv",
        "id\ttype\tname\taliases\njkt\tLOC\tJakarta\tDKI {exact}\n".as_bytes(),
    );
    let out = sorot(
        &["find", "--gazetteer", g.to_str().unwrap()],
        b"DKI Jakarta, dki",
    );
    assert!(out.status.success());
    let texts: Vec<String> = lines(&out)
        .iter()
        .map(|v| v["text"].as_str().unwrap().into())
        .collect();
    assert_eq!(texts, ["DKI", "Jakarta"]);
}

#[test]
fn errors_exit_non_zero_with_a_message() {
    let bad = temp_file(
        "bad.json",
        br#"{"entities": [{"id": "x", "name": "X", "type": "LOC", "url": "javascript:alert(1)"}]}"#,
    );
    // (case, arguments, standard input, exit code, part of the message)
    type Row<'a> = (&'a str, Vec<&'a str>, &'a [u8], i32, String);
    let rows: Vec<Row> = vec![
        ("check a bad gazetteer", vec!["check", bad.to_str().unwrap()], b"", 2,
         format!("{}: entities[0] (\"x\"): url \"javascript:alert(1)\" is not an http: or https: link", bad.display())),
        ("find with a bad gazetteer", vec!["find", "-g", bad.to_str().unwrap()], b"x", 2,
         format!("sorot: {}: entities[0] (\"x\"): url", bad.display())),
        ("missing input file", vec!["find", "/nonexistent/sorot.txt"], b"", 1,
         "sorot: /nonexistent/sorot.txt: No such file or directory".into()),
        ("input not UTF-8", vec!["find"], b"ab\xff", 1,
         "sorot: standard input: not UTF-8 text (invalid byte at offset 2)".into()),
        ("unknown command", vec!["frobnicate"], b"", 2, "sorot: unknown command \"frobnicate\"".into()),
        ("unknown option", vec!["find", "--fast"], b"", 2, "sorot: unknown option \"--fast\"".into()),
    ];
    for (name, args, stdin, code, message) in rows {
        let out = sorot(&args, stdin);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{name}: {stderr}");
        assert!(
            stderr.contains(&message),
            "{name}: stderr was {stderr:?}, expected it to contain {message:?}"
        );
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    }
}

#[test]
fn check_prints_counts() {
    let g = temp_file("ok.json", r#"{"entities": [{"id": "x", "name": "X Y", "type": "LOC", "aliases": ["XY"], "short": ["X"]}]}"#.as_bytes());
    let out = sorot(&["check", g.to_str().unwrap()], b"");
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!(
            "{}: ok: 1 entities, 1 aliases, 1 short forms, 1 types\n",
            g.display()
        )
    );
}

#[test]
fn convert_writes_the_json_format() {
    let g = temp_file(
        "conv.tsv",
        "id\ttype\tname\taliases\nx\tLOC\tX Y\tXY {exact,en}\n".as_bytes(),
    );
    let out = sorot(&["convert", "--compact", g.to_str().unwrap()], b"");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["entities"][0]["aliases"][0],
        serde_json::json!({"text": "XY", "case": "exact", "lang": "en"})
    );
}

#[test]
fn check_warns_about_shared_forms_and_common_words() {
    let g = temp_file(
        "warn.tsv",
        "id\ttype\tname\taliases\tshort\tpriority\n\
         bulan\tLOC\tBulan\t\t\t\n\
         bulan-exact\tLOC\tBulan Regency\tBulan {exact}\t\t\n\
         ga\tLOC\tGeorgia\t\t\t\n\
         gs\tLOC\tGeorgia\t\t\t\n\
         v1\tLOC\tValencia\t\t\t2\n\
         v2\tLOC\tValencia\t\t\t1\n\
         kim1\tPER\tKim Jong Un\t\tKim\t\n\
         kim2\tPER\tKim Yo Jong\t\tKim\t\n"
            .as_bytes(),
    );
    let out = sorot(&["check", g.to_str().unwrap()], b"");
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let warnings: Vec<&str> = stdout.lines().filter(|l| l.contains("warning:")).collect();
    let path = g.display().to_string();
    assert_eq!(
        warnings,
        [
            format!("{path}: warning: \"Bulan\" names 2 entities: bulan (LOC), bulan-exact (LOC); give them different priorities or keep the form on one"),
            format!("{path}: warning: \"Georgia\" names 2 entities: ga (LOC), gs (LOC); give them different priorities or keep the form on one"),
            format!("{path}: warning: entity \"bulan\": \"Bulan\" is a common word and matches in any case: mark it {{exact}}, make it a short form, or remove it"),
        ]
    );
    // --strict fails on unexplained warnings; a review file explains them.
    let out = sorot(&["check", "--strict", g.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(1));
    let reviewed = temp_file(
        "reviewed.tsv",
        "# form\tkind\treason\nbulan\tambiguous\tdeliberate\nGeorgia\tambiguous\tboth in the news\nBulan\tcommon-word\ttest\n".as_bytes(),
    );
    let out = sorot(
        &[
            "check",
            "--strict",
            "--reviewed",
            reviewed.to_str().unwrap(),
            g.to_str().unwrap(),
        ],
        b"",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout)
        .ends_with("3 warnings, 3 explained in the review file\n"));
}

#[test]
fn the_default_gazetteer_passes_check_with_every_warning_explained() {
    let out = sorot(&["check", "--strict"], b"");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.starts_with("default gazetteer: ok: "), "{stdout}");
}

#[test]
fn convert_imports_csv_and_json_lines() {
    let csv = temp_file(
        "cities.csv",
        "id,type,name,aliases,short,description,url\n\
         jkt,LOC,Jakarta,\"DKI Jakarta|Batavia\",,\"Ibu kota, dulu \"\"Batavia\"\"\",https://id.wikipedia.org/wiki/Jakarta\n\
         sby,LOC,Surabaya,,,\"Kota\ndi Jawa Timur\",\n"
            .as_bytes(),
    );
    let jsonl = temp_file(
        "people.jsonl",
        "{\"version\": 1, \"types\": {\"PER\": {\"label\": \"Orang\", \"color\": \"gold\"}}}\n\
         {\"id\": \"prabowo\", \"name\": \"Prabowo Subianto\", \"type\": \"PER\", \"short\": [\"Prabowo\"]}\n\
         \n\
         {\"id\": \"jokowi\", \"name\": \"Joko Widodo\", \"type\": \"PER\", \"aliases\": [\"Jokowi\"]}\n"
            .as_bytes(),
    );
    let out = sorot(
        &[
            "convert",
            "--compact",
            csv.to_str().unwrap(),
            jsonl.to_str().unwrap(),
        ],
        b"",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["types"]["PER"],
        serde_json::json!({"label": "Orang", "color": "#ffd700"})
    );
    let e = &v["entities"];
    assert_eq!(
        e[0]["aliases"],
        serde_json::json!(["DKI Jakarta", "Batavia"])
    );
    assert_eq!(e[0]["description"], "Ibu kota, dulu \"Batavia\"");
    assert_eq!(e[1]["description"], "Kota\ndi Jawa Timur");
    assert_eq!(e[2]["short"], serde_json::json!(["Prabowo"]));
    assert_eq!(e[3]["aliases"], serde_json::json!(["Jokowi"]));
    // The converted gazetteer finds what the sources describe.
    let merged = temp_file("merged.json", &out.stdout);
    let found = sorot(
        &["find", "--gazetteer", merged.to_str().unwrap()],
        "Jokowi di DKI Jakarta".as_bytes(),
    );
    let ids: Vec<String> = lines(&found)
        .iter()
        .map(|v| v["id"].as_str().unwrap().into())
        .collect();
    assert_eq!(ids, ["jokowi", "jkt"]);
}

#[test]
fn import_errors_say_the_line() {
    let rows: Vec<(&str, &str, String)> = vec![
        ("bad.csv", "id,type,name\njkt,LOC,\"Jakarta\n", "line 2: a quoted field is not closed".into()),
        ("bad.jsonl", "{\"id\": \"a\", \"name\": \"A\", \"type\": \"T\"}\n{\"id\": \"b\", \n", "line 2: invalid JSON at column 11: EOF while parsing a value".into()),
        ("bad2.jsonl", "{\"id\": \"a\", \"name\": \"A\", \"type\": \"T\"}\n{\"id\": \"b\", \"name\": \"\", \"type\": \"T\"}\n", "line 2 (\"b\"): \"name\" is empty".into()),
    ];
    for (name, text, want) in rows {
        let path = temp_file(name, text.as_bytes());
        let out = sorot(&["check", path.to_str().unwrap()], b"");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("{}: {want}", path.display())),
            "{name}: {stderr}"
        );
    }
}
