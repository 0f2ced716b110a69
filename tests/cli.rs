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
    let not_utf8 = temp_file("latin1.tsv", b"id\ttype\tname\nsp\tLOC\tS\xe3o Paulo\n");
    let ok = temp_file("ok.tsv", b"id\ttype\tname\njkt\tLOC\tJakarta\n");
    let warned = temp_file(
        "warned.tsv",
        b"id\ttype\tname\na\tPER\tZorblax\nb\tPER\tZorblax\n",
    );
    let (bad, not_utf8, ok, warned) = (
        bad.to_str().unwrap(),
        not_utf8.to_str().unwrap(),
        ok.to_str().unwrap(),
        warned.to_str().unwrap(),
    );
    // The rule (`sorot --help`, README): 0 success, 1 `check --strict` with a warning
    // left unexplained, 2 every error.
    // (case, arguments, standard input, exit code, part of the message)
    type Row<'a> = (&'a str, Vec<&'a str>, &'a [u8], i32, String);
    let rows: Vec<Row> = vec![
        ("success", vec!["check", ok], b"", 0, String::new()),
        ("find success", vec!["find", "-g", ok], b"Jakarta", 0, String::new()),
        ("a warning without --strict", vec!["check", warned], b"", 0, String::new()),
        ("a warning with --strict", vec!["check", "--strict", warned], b"", 1,
         "sorot: 1 warning is not explained".into()),
        ("check a bad gazetteer", vec!["check", bad], b"", 2,
         format!("{bad}: entities[0] (\"x\"): url \"javascript:alert(1)\" is not an http: or https: link")),
        ("find with a bad gazetteer", vec!["find", "-g", bad], b"x", 2,
         format!("sorot: {bad}: entities[0] (\"x\"): url")),
        ("compile a bad gazetteer", vec!["compile", bad, "-o", "-"], b"", 2,
         format!("sorot: {bad}: entities[0] (\"x\"): url")),
        ("missing input file", vec!["find", "/nonexistent/sorot.txt"], b"", 2,
         "sorot: /nonexistent/sorot.txt: No such file or directory".into()),
        ("missing gazetteer", vec!["check", "/nonexistent/g.tsv"], b"", 2,
         "sorot: /nonexistent/g.tsv: No such file or directory".into()),
        ("input not UTF-8", vec!["find"], b"ab\xff", 2,
         "sorot: standard input: not UTF-8 text: byte 0xFF at line 1, column 3 (byte offset 2) does not start a UTF-8 character".into()),
        ("input not UTF-8 on line 2", vec!["find"], b"S\xc3\xa9\nb\xc3\xa9\xc3(", 2,
         "sorot: standard input: not UTF-8 text: byte 0xC3 at line 2, column 3 (byte offset 7)".into()),
        ("gazetteer not UTF-8", vec!["check", not_utf8], b"", 2,
         format!("sorot: {not_utf8}: not UTF-8 text: byte 0xE3 at line 2, column 9 (byte offset 21)")),
        ("gazetteer not UTF-8 for find", vec!["find", "-g", not_utf8], b"x", 2,
         format!("sorot: {not_utf8}: not UTF-8 text: byte 0xE3 at line 2, column 9")),
        ("compile without -o", vec!["compile", ok], b"", 2, "sorot: compile needs -o OUT".into()),
        ("unknown command", vec!["frobnicate"], b"", 2, "sorot: unknown command \"frobnicate\"".into()),
        ("unknown option", vec!["find", "--fast"], b"", 2, "sorot: unknown option \"--fast\"\nusage:\n  sorot find".into()),
        ("unknown check option", vec!["check", "--strikt"], b"", 2, "sorot: unknown option \"--strikt\"\nusage:\n  sorot check".into()),
        ("unknown convert option", vec!["convert", "--compcat"], b"", 2, "sorot: unknown option \"--compcat\"\nusage:\n  sorot convert".into()),
        ("--lang without a tag", vec!["find", "--lang"], b"", 2, "sorot: --lang needs a language tag (such as en, id or pt-BR)".into()),
        ("--lang with a bad tag", vec!["find", "--lang", "English"], b"", 2, "sorot: --lang: \"English\" is not a language tag (such as en, id or pt-BR)".into()),
        ("help for an unknown command", vec!["help", "frobnicate"], b"", 2, "sorot: unknown command \"frobnicate\"".into()),
    ];
    for (name, args, stdin, code, message) in rows {
        let out = sorot(&args, stdin);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{name}: {stderr}");
        assert!(
            stderr.contains(&message),
            "{name}: stderr was {stderr:?}, expected it to contain {message:?}"
        );
        if code == 0 {
            assert!(stderr.is_empty(), "{name}: {stderr}");
        }
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    }
}

#[test]
fn help_states_the_exit_status_rule() {
    let out = sorot(&["--help"], b"");
    let stdout = String::from_utf8_lossy(&out.stdout);
    for line in [
        "exit status (every command):",
        "  0  success",
        "  1  check --strict: a warning is left unexplained",
        "  2  an error:",
    ] {
        assert!(stdout.contains(line), "{line:?} not in {stdout}");
    }
}

#[test]
fn lenient_table_cases_are_errors_that_say_where() {
    // (file name, contents, the message after "PATH: ")
    let rows: Vec<(&str, &str, &str)> = vec![
        ("nan.tsv", "id\ttype\tname\tpriority\na\tLOC\tA\tNaN\n",
         "line 2, column 4 (priority): \"NaN\" is not a finite number (a priority such as 1, -2 or 0.5)"),
        ("inf.tsv", "id\ttype\tname\tpriority\na\tLOC\tA\tinf\n",
         "line 2, column 4 (priority): \"inf\" is not a finite number"),
        ("big.tsv", "id\ttype\tname\tpriority\na\tLOC\tA\t1e400\n",
         "line 2, column 4 (priority): \"1e400\" is not a finite number"),
        ("word.csv", "id,type,name,priority\na,LOC,A,high\n",
         "line 2, column 4 (priority): \"high\" is not a number"),
        ("twice.tsv", "id\ttype\tname\tid\na\tLOC\tA\tb\n",
         "line 1: the header line names the column \"id\" twice (columns 1 and 4)"),
        ("twice.csv", "# a comment\nid,type,Name,name\na,LOC,A,B\n",
         "line 2: the header line names the column \"name\" twice (columns 3 and 4)"),
        ("pipes.tsv", "id\ttype\tname\taliases\na\tLOC\tA\tB||C\n",
         "line 2, column 4 (aliases): form 2 of 3 in \"B||C\" is empty"),
        ("trailing.csv", "id,type,name,short\na,LOC,A Z,Z|\n",
         "line 2, column 4 (short): form 2 of 2 in \"Z|\" is empty"),
        ("quote.csv", "id,type,name\na,LOC,Jak\"arta\n",
         "line 2, character 10 (column 3): a quote inside a field that does not start with one"),
        ("after.csv", "id,type,name\na,LOC,\"Jak\"arta\n",
         "line 2, character 12 (column 3): 'a' after the closing quote of a quoted field"),
    ];
    for (name, text, want) in rows {
        let path = temp_file(name, text.as_bytes());
        for args in [vec!["check"], vec!["compile", "-o", "-"]] {
            let mut args = args.clone();
            args.push(path.to_str().unwrap());
            let out = sorot(&args, b"");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{name} {args:?}: {stderr}");
            assert!(
                stderr.contains(&format!("{}: {want}", path.display())),
                "{name} {args:?}: {stderr}"
            );
        }
    }
}

#[test]
fn hostile_gazetteers_are_refused_quickly_naming_the_limit() {
    // A 100,000-character periodic alias (quadratic in some automaton builders).
    let long = temp_file(
        "long.tsv",
        format!(
            "id\ttype\tname\taliases\nx\tLOC\tKota\t{}\n",
            "ab".repeat(50_000)
        )
        .as_bytes(),
    );
    // 1,000 problems: the heading gives their true count.
    let mut many = String::from("id\ttype\tname\n");
    for i in 0..1000 {
        many.push_str(&format!("e{i}\tLOC\t\u{200b}\n"));
    }
    let many = temp_file("many.tsv", many.as_bytes());
    // A text gazetteer over 256 MiB, refused before it is read (a sparse file).
    let huge = temp_file("huge.tsv", b"");
    std::fs::File::options()
        .write(true)
        .open(&huge)
        .unwrap()
        .set_len(256 * 1024 * 1024 + 1)
        .unwrap();
    let rows: Vec<(&PathBuf, String)> = vec![
        (&long, format!("{}: line 2 (\"x\"): aliases[0] is 100,000 characters long, more than the limit of 1,000 for a form", long.display())),
        (&many, format!("{}: 1,000 problems (the first 100 listed):\n  line 2 (\"e0\"): name \"\\u{{200b}}\" has no letter or digit to match", many.display())),
        (&huge, format!("sorot: {}: 268,435,457 bytes, more than the limit of 268,435,456 bytes (256 MiB) for a text gazetteer", huge.display())),
    ];
    for (path, want) in rows {
        for command in ["check", "find"] {
            let args = match command {
                "check" => vec!["check", path.to_str().unwrap()],
                _ => vec!["find", "-g", path.to_str().unwrap()],
            };
            let out = sorot(&args, b"abab");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
            assert!(stderr.contains(&want), "{args:?}: {stderr}");
            // The first 100 problems only.
            assert!(stderr.lines().count() < 110, "{args:?}: {stderr}");
        }
    }
    std::fs::remove_file(&huge).unwrap();
}

#[test]
fn check_prints_counts() {
    let g = temp_file("ok.json", r#"{"entities": [{"id": "x", "name": "X Y", "type": "LOC", "aliases": ["XY"], "short": ["X"]}]}"#.as_bytes());
    let out = sorot(&["check", g.to_str().unwrap()], b"");
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!(
            "{}: ok: 1 entity, 1 alias, 1 short form, 1 type\n",
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

#[test]
fn version_and_help_print_to_stdout_and_exit_0() {
    let version = format!("sorot {}\n", env!("CARGO_PKG_VERSION"));
    assert_eq!(version, "sorot 0.1.0\n");
    for args in [["--version"], ["-V"]] {
        let out = sorot(&args, b"");
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stdout), version, "{args:?}");
        assert!(out.stderr.is_empty(), "{args:?}");
    }
    // (arguments, the command whose usage is printed, or "" for all)
    let rows: &[(&[&str], &str)] = &[
        (&["--help"], ""),
        (&["-h"], ""),
        (&["help"], ""),
        (&["find", "--help"], "find"),
        (&["find", "-h"], "find"),
        (&["find", "--lines", "--help", "nonexistent.txt"], "find"),
        (&["check", "--help"], "check"),
        (&["check", "-h"], "check"),
        (&["convert", "--help"], "convert"),
        (&["convert", "-h"], "convert"),
        (&["help", "find"], "find"),
        (&["help", "check"], "check"),
        (&["help", "convert"], "convert"),
    ];
    for (args, command) in rows {
        let out = sorot(args, b"");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stdout}");
        assert!(out.stderr.is_empty(), "{args:?}");
        assert!(stdout.starts_with("usage:\n  sorot "), "{args:?}: {stdout}");
        for other in ["find", "check", "convert"] {
            let shown = stdout.contains(&format!("\n  sorot {other} ["));
            assert_eq!(
                shown,
                command.is_empty() || command == &other,
                "{args:?}: usage of {other}: {stdout}"
            );
        }
        assert_eq!(stdout.contains("--version"), command.is_empty(), "{args:?}");
    }
}

#[test]
fn find_lang_adds_the_title_in_that_language() {
    let g = temp_file(
        "lang.json",
        r#"{"lang": "id", "entities": [
            {"id": "pbb", "name": "Perserikatan Bangsa-Bangsa", "type": "ORG",
             "aliases": ["PBB", {"text": "United Nations", "lang": "en"}, {"text": "Nations unies", "lang": "fr"}],
             "short": [{"text": "UN", "lang": "en"}]},
            {"id": "jkt", "name": "Jakarta", "type": "LOC", "description": {"id": "Ibu kota", "en": "Capital"}}]}"#
            .as_bytes(),
    );
    let g = g.to_str().unwrap();
    let text = "PBB di Jakarta.\nNations unies\n";
    // (arguments after the gazetteer, the label of each match)
    let rows: &[(&[&str], &[&str])] = &[
        (
            &["--lang", "en"],
            &["United Nations", "Jakarta", "United Nations"],
        ),
        (
            &["--lang", "en-GB", "--lines"],
            &["United Nations", "Jakarta", "United Nations"],
        ),
        (
            &["--lang", "fr"],
            &["Nations unies", "Jakarta", "Nations unies"],
        ),
        (
            &["--overlap", "all", "--lang", "id"],
            &[
                "Perserikatan Bangsa-Bangsa",
                "Jakarta",
                "Perserikatan Bangsa-Bangsa",
            ],
        ),
    ];
    for (args, labels) in rows {
        let mut with = vec!["find", "-g", g];
        with.extend_from_slice(args);
        let out = sorot(&with, text.as_bytes());
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let got: Vec<String> = lines(&out)
            .iter()
            .map(|v| v["label"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(got, *labels, "{args:?}");
        // Without --lang the output is the same, byte for byte, but for "label".
        let without: Vec<&str> = with
            .iter()
            .enumerate()
            .filter(|(i, _)| !(with[*i] == "--lang" || *i > 0 && with[*i - 1] == "--lang"))
            .map(|(_, a)| *a)
            .collect();
        let plain = sorot(&without, text.as_bytes());
        let stripped: String = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| {
                let start = l.find(r#","label":"#).unwrap();
                let end = start + l[start..].find(r#","reason":"#).unwrap();
                format!("{}{}\n", &l[..start], &l[end..])
            })
            .collect();
        assert_eq!(String::from_utf8_lossy(&plain.stdout), stripped, "{args:?}");
        assert!(!stripped.is_empty());
    }
    // The output without --lang, as it was before --lang existed.
    let out = sorot(&["find", "-g", g], b"Jakarta");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "{\"file\":\"-\",\"line\":1,\"start\":0,\"end\":7,\"text\":\"Jakarta\",\"id\":\"jkt\",\"type\":\"LOC\",\"name\":\"Jakarta\",\"reason\":\"only\"}\n"
    );
    let out = sorot(&["find", "--lang", "en"], b"Jakarta");
    assert_eq!(lines(&out)[0]["label"], "Jakarta");
}

#[test]
fn check_counts_and_messages_are_singular_for_one() {
    let g = temp_file(
        "one-warning.tsv",
        "id\ttype\tname\nbulan\tLOC\tBulan\n".as_bytes(),
    );
    let out = sorot(&["check", "--strict", g.to_str().unwrap()], b"");
    let path = g.display();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with(&format!(
            "{path}: ok: 1 entity, 0 aliases, 0 short forms, 1 type\n"
        )),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(&format!(
            "{path}: 1 warning, 0 explained in the review file\n"
        )),
        "{stdout}"
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "sorot: 1 warning is not explained\n"
    );
}

#[test]
fn check_warns_about_descriptions_in_one_language() {
    let mut json = String::from(
        r#"{"lang": "id", "entities": [
        {"id": "both", "name": "Qa", "type": "T", "description": {"id": "Dua", "en": "Two"}},
        {"id": "plain", "name": "Qb", "type": "T", "description": "Satu"},
        {"id": "unstated", "name": "Qc", "type": "T", "description": {"": "Satu", "id": "Satu juga"}},
        {"id": "english", "name": "Qd", "type": "T", "description": {"en": "One"}},
        {"id": "none", "name": "Qe", "type": "T"}"#,
    );
    for i in 1..=11 {
        json.push_str(&format!(
            r#", {{"id": "en-{i}", "name": "Qf {i}", "type": "T", "description": {{"en-GB": "One"}}}}"#
        ));
    }
    json.push_str("]}");
    let g = temp_file("one-language.json", json.as_bytes());
    let path = g.display().to_string();
    let out = sorot(&["check", g.to_str().unwrap()], b"");
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let warnings: Vec<&str> = stdout.lines().filter(|l| l.contains("warning:")).collect();
    assert_eq!(
        warnings,
        [
            format!("{path}: warning: 1 entity has a description in en only, while the gazetteer's descriptions use en, en-GB, id: english; add descriptions in en-GB, id"),
            format!("{path}: warning: 11 entities have a description in en-GB only, while the gazetteer's descriptions use en, en-GB, id: en-1, en-2, en-3, en-4, en-5, en-6, en-7, en-8, en-9, en-10 and 1 more; add descriptions in en, id"),
            format!("{path}: warning: 2 entities have a description in id only, while the gazetteer's descriptions use en, en-GB, id: plain, unstated; add descriptions in en, en-GB"),
        ]
    );
    assert!(stdout.ends_with(&format!(
        "{path}: 3 warnings, 0 explained in the review file\n"
    )));
    // --verbose lists every entity of the warning, one per line.
    let out = sorot(&["check", "--verbose", g.to_str().unwrap()], b"");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let listed: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix(&format!("{path}:   ")))
        .collect();
    let mut want = vec!["english".to_string()];
    want.extend((1..=11).map(|i| format!("en-{i}")));
    want.extend(["plain".to_string(), "unstated".to_string()]);
    assert_eq!(listed, want);
    // A review line names the one language: it explains that warning.
    let reviewed = temp_file(
        "reviewed-lang.tsv",
        "id\tone-language\tIndonesian descriptions are enough for these\nen-GB\tone-language\tbeing translated\n".as_bytes(),
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
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let warnings: Vec<&str> = stdout.lines().filter(|l| l.contains("warning:")).collect();
    assert_eq!(warnings.len(), 1, "{stdout}");
    assert!(
        warnings[0].contains("1 entity has a description in en only"),
        "{stdout}"
    );
    assert!(stdout.ends_with("3 warnings, 2 explained in the review file\n"));
}

#[test]
fn check_one_language_without_a_gazetteer_lang_and_with_one_language() {
    // Plain descriptions of a gazetteer without "lang" are in no stated language: und.
    let g = temp_file(
        "und.tsv",
        "id\ttype\tname\tdescription\tdescription@en\n\
         a\tT\tA\tSatu\tOne\n\
         b\tT\tB\tDua\t\n"
            .as_bytes(),
    );
    let out = sorot(&["check", g.to_str().unwrap()], b"");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let warnings: Vec<&str> = stdout.lines().filter(|l| l.contains("warning:")).collect();
    assert_eq!(
        warnings,
        [format!("{}: warning: 1 entity has a description in und only, while the gazetteer's descriptions use en, und: b; add a description in en", g.display())]
    );
    // One language over all descriptions: no warning.
    let g = temp_file(
        "en-only.json",
        r#"{"lang": "en", "entities": [
            {"id": "a", "name": "A", "type": "T", "description": {"en": "One"}},
            {"id": "b", "name": "B", "type": "T", "description": "Two"},
            {"id": "c", "name": "C", "type": "T"}]}"#
            .as_bytes(),
    );
    let out = sorot(&["check", "--strict", g.to_str().unwrap()], b"");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("warning"));
}

#[test]
fn reviewed_file_errors_name_the_kinds() {
    let reviewed = temp_file("bad-reviewed.tsv", b"Bulan\tone-lang\tx\n");
    let g = temp_file("ok2.json", br#"{"entities": []}"#);
    let out = sorot(
        &[
            "check",
            "--reviewed",
            reviewed.to_str().unwrap(),
            g.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("line 1: expected form<TAB>ambiguous|common-word|one-language<TAB>reason"));
}

#[test]
fn convert_keeps_descriptions_by_language() {
    let tsv = temp_file(
        "by-lang.tsv",
        "id\ttype\tname\tdescription\tdescription@en\turl@en\n\
         lavrov\tPER\tSergey Lavrov\tMenteri Luar Negeri Rusia\tForeign Minister of Russia\thttps://en.wikipedia.org/wiki/Sergey_Lavrov\n\
         kim\tPER\tKim Jong Un\tPemimpin Korea Utara\t\t\n"
            .as_bytes(),
    );
    let meta = temp_file(
        "meta.json",
        br#"{"lang": "id", "types": {"PER": {"label": {"id": "Orang", "en": "Person"}}}, "entities": []}"#,
    );
    let out = sorot(
        &[
            "convert",
            "--compact",
            meta.to_str().unwrap(),
            tsv.to_str().unwrap(),
        ],
        b"",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["lang"], "id");
    assert_eq!(
        v["types"]["PER"]["label"],
        serde_json::json!({"id": "Orang", "en": "Person"})
    );
    assert_eq!(
        v["entities"][0]["description"],
        serde_json::json!({"": "Menteri Luar Negeri Rusia", "en": "Foreign Minister of Russia"})
    );
    assert_eq!(
        v["entities"][0]["url"],
        serde_json::json!({"en": "https://en.wikipedia.org/wiki/Sergey_Lavrov"})
    );
    assert_eq!(v["entities"][1]["description"], "Pemimpin Korea Utara");
    // Converting the JSON again gives the same JSON.
    let json = temp_file("by-lang.json", &out.stdout);
    let again = sorot(&["convert", "--compact", json.to_str().unwrap()], b"");
    assert_eq!(
        String::from_utf8_lossy(&again.stdout),
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn a_form_many_entities_share_is_one_warning_naming_the_first_ten() {
    let mut tsv = String::from("id\ttype\tname\n");
    for i in 1..=12 {
        tsv.push_str(&format!("e{i}\tPER\tZorblax\n"));
    }
    let g = temp_file("shared.tsv", tsv.as_bytes());
    let out = sorot(&["check", g.to_str().unwrap()], b"");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let want = format!(
        "{}: warning: \"Zorblax\" names 12 entities: e1 (PER), e2 (PER), e3 (PER), e4 (PER), e5 (PER), e6 (PER), e7 (PER), e8 (PER), e9 (PER), e10 (PER), and 2 more; give them different priorities or keep the form on one",
        g.display()
    );
    assert!(stdout.contains(&want), "{stdout}");
    assert_eq!(stdout.matches("warning:").count(), 1, "{stdout}");
}
