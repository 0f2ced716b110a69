//! `sorot find` over many files (in parallel, one per core) and over large ones
//! (scanned in pieces): the same output, in the order of the arguments.

use std::path::PathBuf;
use std::process::{Command, Output};

const SAMPLE: &str = include_str!("../www/demo/sample/lavrov-kim-id.txt");

fn sorot(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sorot"))
        .args(args)
        .output()
        .unwrap()
}

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("sorot-files-test-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Twelve files: pieces of the sample in different orders and sizes.
fn files() -> Vec<String> {
    let paragraphs: Vec<&str> = SAMPLE.split("\n\n").collect();
    (0..12)
        .map(|i| {
            let path = dir().join(format!("f{i:02}.txt"));
            let text: Vec<&str> = paragraphs
                .iter()
                .cycle()
                .skip(i * 3)
                .take(1 + i * 2)
                .copied()
                .collect();
            std::fs::write(&path, text.join("\n\n")).unwrap();
            path.to_str().unwrap().to_string()
        })
        .collect()
}

#[test]
fn many_files_give_each_files_output_in_argument_order() {
    let files = files();
    let mut want = Vec::new();
    for f in &files {
        let out = sorot(&["find", f]);
        assert!(out.status.success());
        want.extend(out.stdout);
    }
    assert!(want.len() > 10_000, "the files have matches");
    let args: Vec<&str> = std::iter::once("find")
        .chain(files.iter().map(String::as_str))
        .collect();
    for _ in 0..3 {
        let out = sorot(&args);
        assert!(out.status.success());
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(want.clone()).unwrap()
        );
    }
}

#[test]
fn a_missing_file_stops_after_the_files_before_it() {
    let files = files();
    let missing = dir().join("missing.txt");
    let missing = missing.to_str().unwrap();
    let out = sorot(&["find", &files[0], &files[1], missing, &files[2]]);
    // An unreadable file is an error: exit code 2 (`sorot --help`).
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.txt: "));
    let mut want = sorot(&["find", &files[0]]).stdout;
    want.extend(sorot(&["find", &files[1]]).stdout);
    assert_eq!(out.stdout, want);
}

#[test]
fn a_large_file_gives_what_its_paragraphs_give() {
    // About 3 MB (scanned in pieces of 1 MiB cut at paragraph breaks): every
    // match of the joined text is where the sample's matches are, shifted.
    let copies = 3_000_000 / SAMPLE.len() + 1;
    let text = vec![SAMPLE.trim_end(); copies].join("\n\n");
    let path = dir().join("large.txt");
    std::fs::write(&path, &text).unwrap();
    let out = sorot(&["find", path.to_str().unwrap()]);
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let sample_path = dir().join("sample.txt");
    std::fs::write(&sample_path, SAMPLE.trim_end()).unwrap();
    let per_copy: Vec<serde_json::Value> =
        String::from_utf8_lossy(&sorot(&["find", sample_path.to_str().unwrap()]).stdout)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
    assert!(!per_copy.is_empty());
    assert_eq!(lines.len(), per_copy.len() * copies);
    let units = SAMPLE.trim_end().encode_utf16().count() as u64 + 2;
    for (k, m) in lines.iter().enumerate() {
        let (copy, want) = (k / per_copy.len(), &per_copy[k % per_copy.len()]);
        assert_eq!(m["id"], want["id"], "match {k}");
        assert_eq!(
            m["start"].as_u64().unwrap(),
            want["start"].as_u64().unwrap() + copy as u64 * units,
            "match {k}"
        );
        assert_eq!(
            m["end"].as_u64().unwrap(),
            want["end"].as_u64().unwrap() + copy as u64 * units,
            "match {k}"
        );
    }
}
