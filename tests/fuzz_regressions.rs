//! The fuzz targets' paths (`fuzz/`, `./build.sh fuzz`), replayed on inputs that must
//! pass: every input a target found to crash becomes a test here, named for what it
//! is, that replays it through the same function the target calls (`sorot::fuzzing`)
//! and asserts the clean result (an error, or a gazetteer that goes the whole way).

use sorot::fuzzing::{fuzz_compiled, fuzz_find, fuzz_reader};
use sorot::Format;

fn default_file(name: &str) -> String {
    let path = format!("{}/data/default/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A real gazetteer, in each of its files, goes the whole path of the readers'
/// targets: read, checked, built, found in, compiled and loaded back finding the
/// same (a failure is the target's panic message).
#[test]
fn the_default_gazetteer_goes_the_readers_whole_path() {
    for name in ["PER.tsv", "ORG.tsv", "LOC.tsv", "LOC-countries.tsv"] {
        let tsv = default_file(name);
        assert!(
            fuzz_reader(tsv.as_bytes(), Format::Tsv),
            "{name} did not load"
        );
        // As CSV, every cell quoted (its `#` comments left out).
        let csv: String = tsv
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| {
                let cells: Vec<String> = l
                    .split('\t')
                    .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
                    .collect();
                cells.join(",") + "\n"
            })
            .collect();
        assert!(
            fuzz_reader(csv.as_bytes(), Format::Csv),
            "{name} as CSV did not load"
        );
    }
    let json = sorot::default_gazetteer().unwrap().to_json();
    let text = serde_json::to_string(&json).unwrap();
    assert!(
        fuzz_reader(text.as_bytes(), Format::Json),
        "the default gazetteer as JSON did not load"
    );
    let mut lines = String::new();
    for e in json["entities"].as_array().unwrap().iter().take(200) {
        lines.push_str(&serde_json::to_string(e).unwrap());
        lines.push('\n');
    }
    assert!(
        fuzz_reader(lines.as_bytes(), Format::JsonLines),
        "200 default entities as JSON Lines did not load"
    );
}

/// Malformed input of the kinds the fuzzers start from is refused by every reader,
/// without a panic. (An empty file is refused by all but JSON Lines, where it is a
/// gazetteer of no entities.)
#[test]
fn malformed_input_is_refused_by_every_reader() {
    let deep = "[".repeat(100_000);
    let cases: &[(&str, &[u8])] = &[
        (
            "truncated JSON",
            br#"{"entities": [{"id": "a", "name": "Ja"#,
        ),
        ("invalid UTF-8 only", b"\xff\xfe\xfd"),
        (
            "a lone surrogate escape",
            br#"{"entities": [{"id": "a", "name": "\ud800", "type": "T"}]}"#,
        ),
        ("nesting 100,000 deep", deep.as_bytes()),
        ("NUL bytes", b"\0\0\0\n\0\t\0"),
        (
            "a BOM, CRLF and a row without its name",
            b"\xef\xbb\xbfid\ttype\tname\r\na\tT\r\n",
        ),
        ("an unclosed CSV quote", b"id,type,name\na,T,\"Jakarta\n"),
    ];
    for format in [Format::Json, Format::JsonLines, Format::Tsv, Format::Csv] {
        for (name, bytes) in cases {
            assert!(!fuzz_reader(bytes, format), "{name} loaded as {format:?}");
        }
    }
}

/// The `find` and `compiled` targets' bodies on the inputs libFuzzer starts from
/// (empty, one byte) and on a few edits of the compiled base, cut or not.
#[test]
fn find_and_compiled_targets_take_their_first_inputs() {
    for data in [
        &b""[..],
        b"\0",
        b"\x01Jakarta\0di Jakarta",
        b"\x07a\0b\0c\0\0\0\0\0\0a b c",
    ] {
        fuzz_find(data);
    }
    for data in [
        &b""[..],
        b"\x01",
        b"\x00\x10\x00\xff",
        b"\x81\x20\x00\x01\x40\x00\x80",
    ] {
        fuzz_compiled(data);
    }
}
