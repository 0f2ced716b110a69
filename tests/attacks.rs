//! The attack corpus (tests/attacks/payloads.json) through the command-line tool:
//! every payload in every gazetteer field, in the JSON, JSON Lines, TSV and CSV
//! formats, and in the text. Whatever the input, `find` prints valid JSON Lines whose
//! offsets lie in the text and whose `text`, `id`, `name` and `type` are those of
//! the text and of the gazetteer as `convert` reads it; a gazetteer that is refused
//! gives a message naming the field and a non-zero exit, never a panic.

use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// One payload: its text, or (a lone surrogate) how JSON escapes it and its WTF-8 bytes.
struct Payload {
    id: String,
    text: Result<String, Lone>,
}

#[derive(Debug)]
struct Lone {
    /// The string's contents as JSON writes them (`\ud83d` for a lone surrogate).
    json: String,
    /// The code units as WTF-8: not UTF-8.
    bytes: Vec<u8>,
}

fn payloads() -> Vec<Payload> {
    let list: Value = serde_json::from_str(include_str!("attacks/payloads.json")).unwrap();
    list["payloads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let id = p["id"].as_str().unwrap().to_string();
            let text = if let Some(units) = p.get("utf16") {
                let units: Vec<u16> = units
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|u| u.as_u64().unwrap() as u16)
                    .collect();
                match String::from_utf16(&units) {
                    Ok(s) => Ok(s),
                    Err(_) => Err(lone(&units)),
                }
            } else if let Some(unit) = p.get("repeat") {
                Ok(unit
                    .as_str()
                    .unwrap()
                    .repeat(p["times"].as_u64().unwrap() as usize))
            } else {
                Ok(p["text"].as_str().unwrap().to_string())
            };
            Payload { id, text }
        })
        .collect()
}

/// UTF-16 code units with lone surrogates, as JSON escapes and as WTF-8.
fn lone(units: &[u16]) -> Lone {
    let mut json = String::new();
    let mut bytes = Vec::new();
    for r in char::decode_utf16(units.iter().copied()) {
        match r {
            Ok(c) => {
                let quoted = serde_json::to_string(&c.to_string()).unwrap();
                json.push_str(&quoted[1..quoted.len() - 1]);
                let mut buf = [0; 4];
                bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
            Err(e) => {
                let u = e.unpaired_surrogate();
                json.push_str(&format!("\\u{u:04x}"));
                bytes.extend_from_slice(&[
                    0xe0 | (u >> 12) as u8,
                    0x80 | ((u >> 6) & 0x3f) as u8,
                    0x80 | (u & 0x3f) as u8,
                ]);
            }
        }
    }
    Lone { json, bytes }
}

fn sorot(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sorot"))
        .args(args)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A fresh folder for one test.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sorot-attacks-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The UTF-16 code units of `s`, and a slice of them as text.
fn utf16(s: &str) -> Vec<u16> {
    s.encode_utf16().collect()
}

/// A process must end by itself with an exit code (never a panic's 101 or a signal).
fn assert_no_crash(out: &Output, what: &str) {
    let err = stderr(out);
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{what}: panic: {err}"
    );
    let code = out.status.code();
    assert!(
        code.is_some() && code != Some(101),
        "{what}: exit {:?}: {err}",
        out.status
    );
}

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Json,
    JsonLines,
    Tsv,
    Csv,
}

impl Format {
    fn ext(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::JsonLines => "jsonl",
            Format::Tsv => "tsv",
            Format::Csv => "csv",
        }
    }
}

/// Where a payload goes, and what an error about it must name.
struct Field {
    name: &'static str,
    names: &'static [&'static str],
    /// The payload is a form: the text holds it as the mention.
    form: bool,
}

const JSON_FIELDS: &[Field] = &[
    field("id", &["\"id\"", " id "], false),
    field("name", &["name"], true),
    field("aliases", &["aliases[0]"], true),
    field("short", &["short[0]"], true),
    field("aliases[0].lang", &["aliases[0].lang"], false),
    field("type", &["type"], false),
    field("types.label", &["label"], false),
    field("types.label.en", &["label"], false),
    field("types.color", &["color"], false),
    field("description", &["description"], false),
    field("description.en", &["description"], false),
    field("description key", &["description"], false),
    field("url", &["url"], false),
    field("url.en", &["url"], false),
    field("extra", &[], false),
];

const TABLE_FIELDS: &[Field] = &[
    field("id", &["id", "line "], false),
    field("type", &["type"], false),
    field("name", &["name"], true),
    field("aliases", &["aliases"], true),
    field("short", &["short"], true),
    field("description", &["description"], false),
    field("description@en", &["description"], false),
    field("url", &["url"], false),
    field("url@en", &["url"], false),
    field("extra", &[], false),
    field("extra column name", &["column"], false),
];

const fn field(name: &'static str, names: &'static [&'static str], form: bool) -> Field {
    Field { name, names, form }
}

fn entity_name(i: usize) -> String {
    format!("Entitas Q{i}Z")
}

/// A JSON value holding the payload: a placeholder where it is a lone surrogate,
/// replaced in the written text by [`write_json`].
const LONE: &str = "\u{e777}LONE\u{e777}";

fn json_text(p: &Payload) -> String {
    match &p.text {
        Ok(s) => s.clone(),
        Err(_) => LONE.to_string(),
    }
}

/// The JSON text of `value`, with the lone surrogate's escapes where the placeholder is.
fn write_json(value: &Value, p: &Payload) -> String {
    let text = serde_json::to_string(value).unwrap();
    match &p.text {
        Ok(_) => text,
        Err(l) => text.replace(LONE, &l.json),
    }
}

/// One entity with the payload in `field`, and the types it uses.
fn json_entity(f: &Field, i: usize, p: &Payload) -> (Map<String, Value>, Map<String, Value>) {
    let t = json_text(p);
    let ty = format!("T{i}");
    let mut types = Map::new();
    let mut def = json!({"label": format!("Jenis {i}"), "color": "#ffd54f"});
    let mut e = json!({
        "id": format!("e{i}"), "name": entity_name(i), "type": ty,
        "description": format!("Deskripsi {i}"), "url": format!("https://id.wikipedia.org/wiki/E{i}"),
    });
    match f.name {
        "id" => e["id"] = json!(t),
        "name" => e["name"] = json!(t),
        "aliases" => e["aliases"] = json!([t]),
        "short" => e["short"] = json!([t]),
        "aliases[0].lang" => e["aliases"] = json!([{"text": format!("Alias Q{i}Z"), "lang": t}]),
        "types.label" => def["label"] = json!(t),
        "types.label.en" => def["label"] = json!({"id": format!("Jenis {i}"), "en": t}),
        "types.color" => def["color"] = json!(t),
        "description" => e["description"] = json!(t),
        "description.en" => e["description"] = json!({"id": "Deskripsi", "en": t}),
        "description key" => {
            let mut m = Map::new();
            m.insert(t.clone(), json!("Deskripsi"));
            e["description"] = Value::Object(m);
        }
        "url" => e["url"] = json!(t),
        "url.en" => e["url"] = json!({"id": "https://id.wikipedia.org/wiki/Jakarta", "en": t}),
        "extra" => {
            e["catatan"] = json!(t);
            e[format!("x-{t}")] = json!(t);
        }
        "type" => {}
        other => unreachable!("{other}"),
    }
    if f.name == "type" {
        e["type"] = json!(t);
        types.insert(t, def);
    } else {
        types.insert(ty, def);
    }
    (e.as_object().unwrap().clone(), types)
}

/// The gazetteer file of one entity with the payload in `field`.
fn gazetteer_file(format: Format, f: &Field, i: usize, p: &Payload) -> Vec<u8> {
    match format {
        Format::Json | Format::JsonLines => {
            let (e, types) = json_entity(f, i, p);
            if format == Format::Json {
                let g = json!({"name": "Serangan", "lang": "id", "types": types, "entities": [e]});
                write_json(&g, p).into_bytes()
            } else {
                let header = json!({"lang": "id", "types": types});
                format!(
                    "{}\n{}\n",
                    write_json(&header, p),
                    write_json(&Value::Object(e), p)
                )
                .into_bytes()
            }
        }
        Format::Tsv | Format::Csv => {
            let mut columns = vec![
                ("id".to_string(), format!("e{i}").into_bytes()),
                ("type".into(), format!("T{i}").into_bytes()),
                ("name".into(), entity_name(i).into_bytes()),
                ("description".into(), format!("Deskripsi {i}").into_bytes()),
                (
                    "url".into(),
                    format!("https://id.wikipedia.org/wiki/E{i}").into_bytes(),
                ),
            ];
            let bytes = match &p.text {
                Ok(s) => s.clone().into_bytes(),
                Err(l) => l.bytes.clone(),
            };
            let set =
                |columns: &mut Vec<(String, Vec<u8>)>, name: &str, value: Vec<u8>| match columns
                    .iter_mut()
                    .find(|(c, _)| c == name)
                {
                    Some(c) => c.1 = value,
                    None => columns.push((name.to_string(), value)),
                };
            match f.name {
                "extra column name" => {
                    let name = String::from_utf8_lossy(&bytes);
                    columns.push((format!("x-{name}"), b"nilai".to_vec()));
                }
                "extra" => set(&mut columns, "catatan", bytes),
                other => set(&mut columns, other, bytes),
            }
            let sep: &[u8] = if format == Format::Tsv { b"\t" } else { b"," };
            let cell = |v: &[u8]| -> Vec<u8> {
                if format == Format::Tsv {
                    return v.to_vec();
                }
                let mut out = b"\"".to_vec();
                for &b in v {
                    if b == b'"' {
                        out.push(b'"');
                    }
                    out.push(b);
                }
                out.push(b'"');
                out
            };
            let header: Vec<Vec<u8>> = columns.iter().map(|(c, _)| cell(c.as_bytes())).collect();
            let row: Vec<Vec<u8>> = columns.iter().map(|(_, v)| cell(v)).collect();
            let mut out = header.join(sep);
            out.push(b'\n');
            out.extend(row.join(sep));
            out.push(b'\n');
            out
        }
    }
}

/// The payload, with U+FFFD for a lone surrogate.
fn lossy(p: &Payload) -> String {
    match &p.text {
        Ok(s) => s.clone(),
        Err(l) => String::from_utf8_lossy(&l.bytes).into_owned(),
    }
}

/// What Rust's readers take away around a value.
fn trim(s: &str) -> &str {
    s.trim()
}

/// The text a form or value reads as in the converted gazetteer.
fn text_of(v: &Value) -> Option<&str> {
    match v {
        Value::String(s) => Some(s),
        Value::Object(o) => o.get("text").and_then(Value::as_str),
        _ => None,
    }
}

/// Whether a table (TSV, CSV) can hold the payload in the field as it is.
fn fits_table(format: Format, f: &Field, s: &str) -> bool {
    let t = trim(s);
    if t.is_empty() || (format == Format::Tsv && s.contains(['\t', '\n', '\r'])) {
        return false;
    }
    if f.name == "id" && s.starts_with('#') {
        return false; // a comment line
    }
    if f.form && (t.ends_with('}') || (f.name != "name" && t.contains('|'))) {
        return false; // options in braces, forms separated by pipes
    }
    !f.name.starts_with("extra column")
}

/// Where the converted gazetteer holds the value the payload went into.
fn converted_value<'a>(g: &'a Value, e: &'a Value, f: &Field) -> Option<&'a str> {
    let ty = e["type"].as_str()?;
    match f.name {
        "id" => e["id"].as_str(),
        "name" => text_of(&e["name"]),
        "aliases" => text_of(&e["aliases"][0]),
        "short" => text_of(&e["short"][0]),
        "type" => Some(ty),
        "types.label" => text_of(&g["types"][ty]["label"]),
        "types.label.en" => g["types"][ty]["label"]["en"].as_str(),
        "description" => text_of(&e["description"]).or(e["description"][""].as_str()),
        "description.en" | "description@en" => e["description"]["en"].as_str(),
        "url" => text_of(&e["url"]).or(e["url"][""].as_str()),
        "url.en" | "url@en" => e["url"]["en"].as_str(),
        "extra" => e["catatan"].as_str(),
        _ => None,
    }
}

/// Checks every line `find` printed for `text`: valid JSON, offsets in the text (or
/// its line), `text` the slice they cover, the entity one the gazetteer has.
/// Returns the ids matched.
fn check_find_output(
    out: &Output,
    text: &str,
    by_lines: bool,
    entities: &Map<String, Value>,
    what: &str,
) -> Vec<String> {
    assert_no_crash(out, what);
    assert!(out.status.success(), "{what}: {}", stderr(out));
    let stdout = String::from_utf8(out.stdout.clone())
        .unwrap_or_else(|e| panic!("{what}: output is not UTF-8: {e}"));
    let docs: Vec<Vec<u16>> = if by_lines {
        text.split('\n')
            .map(|l| utf16(l.strip_suffix('\r').unwrap_or(l)))
            .collect()
    } else {
        vec![utf16(text)]
    };
    let mut ids = Vec::new();
    for line in stdout.split('\n').filter(|l| !l.is_empty()) {
        let m: Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("{what}: not a JSON line ({e}): {line:?}"));
        let start = m["start"]
            .as_u64()
            .unwrap_or_else(|| panic!("{what}: {line}")) as usize;
        let end = m["end"]
            .as_u64()
            .unwrap_or_else(|| panic!("{what}: {line}")) as usize;
        let line_no = m["line"]
            .as_u64()
            .unwrap_or_else(|| panic!("{what}: {line}")) as usize;
        let doc = if by_lines {
            docs.get(line_no - 1)
                .unwrap_or_else(|| panic!("{what}: line {line_no} past the text: {line}"))
        } else {
            &docs[0]
        };
        assert!(
            start < end && end <= doc.len(),
            "{what}: offsets outside the text: {line}"
        );
        let slice = String::from_utf16(&doc[start..end])
            .unwrap_or_else(|_| panic!("{what}: a match cuts a surrogate pair: {line}"));
        assert_eq!(m["text"].as_str(), Some(slice.as_str()), "{what}: {line}");
        let id = m["id"].as_str().unwrap_or_else(|| panic!("{what}: {line}"));
        let e = entities
            .get(id)
            .unwrap_or_else(|| panic!("{what}: an id the gazetteer does not have: {line}"));
        assert_eq!(
            m["name"].as_str(),
            text_of(&e["name"]).map(trim),
            "{what}: {line}"
        );
        assert_eq!(m["type"], e["type"], "{what}: {line}");
        ids.push(id.to_string());
    }
    ids
}

/// Every payload in every field of `format`: refused with a message naming the
/// field, or read as written and found in the text with valid output.
fn corpus_in(format: Format) {
    let payloads = payloads();
    let fields = match format {
        Format::Json | Format::JsonLines => JSON_FIELDS,
        Format::Tsv | Format::Csv => TABLE_FIELDS,
    };
    let mut figures = (0, 0);
    for f in fields {
        let dir = folder(&format!(
            "{}-{}",
            format.ext(),
            f.name.replace([' ', '[', ']', '.', '@'], "_")
        ));
        let what = |p: &Payload| format!("{} in {} ({})", p.id, f.name, format.ext());
        // Files that are not UTF-8 (a lone surrogate in a table) stop `check`: alone.
        let mut batch: Vec<(usize, PathBuf)> = Vec::new();
        for (i, p) in payloads.iter().enumerate() {
            let path = dir.join(format!("p{i:03}.{}", format.ext()));
            let bytes = gazetteer_file(format, f, i, p);
            std::fs::write(&path, &bytes).unwrap();
            if std::str::from_utf8(&bytes).is_err() {
                let out = sorot(&["check", path.to_str().unwrap()]);
                assert_no_crash(&out, &what(p));
                assert!(!out.status.success(), "{}: accepted", what(p));
                assert!(
                    stderr(&out).contains("UTF-8"),
                    "{}: {}",
                    what(p),
                    stderr(&out)
                );
                figures.1 += 1;
            } else {
                batch.push((i, path));
            }
        }
        let mut args = vec!["check"];
        args.extend(batch.iter().map(|(_, p)| p.to_str().unwrap()));
        let out = sorot(&args);
        assert_no_crash(&out, &format!("check, {} ({})", f.name, format.ext()));
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let err = stderr(&out);
        let mut accepted = Vec::new();
        for (i, path) in &batch {
            let p = &payloads[*i];
            let file = path.to_str().unwrap();
            if stdout
                .lines()
                .any(|l| l.starts_with(&format!("{file}: ok")))
            {
                accepted.push((*i, path.clone()));
                continue;
            }
            figures.1 += 1;
            let said: Vec<&str> = err
                .lines()
                .filter(|l| l.starts_with(&format!("{file}: ")))
                .collect();
            assert!(
                !said.is_empty(),
                "{}: neither ok nor an error: {err}",
                what(p)
            );
            let said = said.join("\n");
            let lone = p.text.is_err();
            let structure = matches!(format, Format::Tsv | Format::Csv)
                && p.text
                    .as_ref()
                    .is_ok_and(|s| s.contains(['\t', '\n', '\r', '"']));
            assert!(
                f.names.iter().any(|n| said.contains(n))
                    || (f.names.is_empty() && !said.is_empty())
                    || (lone && said.contains("line ") && said.contains("column"))
                    || (structure && said.contains("line ")),
                "{}: the error does not name the field: {said}",
                what(p)
            );
        }
        assert_eq!(
            out.status.success(),
            accepted.len() == batch.len(),
            "check, {} ({}): exit {:?} with {} of {} files ok",
            f.name,
            format.ext(),
            out.status,
            accepted.len(),
            batch.len()
        );
        if accepted.is_empty() {
            continue;
        }

        // What the CLI read, merged: every value as written, trimmed.
        let mut args = vec!["convert"];
        args.extend(accepted.iter().map(|(_, p)| p.to_str().unwrap()));
        let out = sorot(&args);
        assert_no_crash(&out, &format!("convert, {}", f.name));
        assert!(
            out.status.success(),
            "convert, {} ({}): {}",
            f.name,
            format.ext(),
            stderr(&out)
        );
        let g: Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut by_id = Map::new();
        for e in g["entities"].as_array().unwrap() {
            by_id.insert(e["id"].as_str().unwrap().to_string(), e.clone());
        }
        for (i, _) in &accepted {
            let p = &payloads[*i];
            let text = &lossy(p);
            let fits = match format {
                Format::Json | Format::JsonLines => !trim(text).is_empty(),
                Format::Tsv | Format::Csv => fits_table(format, f, text),
            };
            let id = if f.name == "id" {
                trim(text).to_string()
            } else {
                format!("e{i}")
            };
            let Some(e) = by_id.get(&id) else {
                // A table row whose id starts with '#' is a comment.
                assert!(!fits, "{}: no entity {id:?} read", what(p));
                continue;
            };
            if f.name.starts_with("url") {
                // Whatever was accepted as a link is an http: or https: one.
                if let Some(v) = converted_value(&g, e, f) {
                    let lower = v.to_ascii_lowercase();
                    assert!(
                        (lower.starts_with("https://") || lower.starts_with("http://"))
                            && !v.chars().any(|c| c.is_whitespace() || c.is_control()),
                        "{}: accepted as a link: {v:?}",
                        what(p)
                    );
                }
            }
            if fits {
                if let Some(v) = converted_value(&g, e, f) {
                    assert_eq!(trim(v), trim(text), "{}: read back", what(p));
                } else if ![
                    "aliases[0].lang",
                    "description key",
                    "extra column name",
                    "types.color",
                ]
                .contains(&f.name)
                {
                    panic!("{}: not read back: {e}", what(p));
                }
            }
        }

        // The text: each payload beside its entity's mention; as one document and by lines.
        let mut text = String::new();
        for (i, _) in &accepted {
            let p = &lossy(&payloads[*i]);
            let mention = if f.form { p.clone() } else { entity_name(*i) };
            let extra = if f.name == "short" || f.name == "aliases" {
                entity_name(*i)
            } else {
                String::new()
            };
            text.push_str(&format!("Awal {p} tengah {extra} {mention} akhir.\n\n"));
        }
        let text_path = dir.join("text.txt");
        std::fs::write(&text_path, &text).unwrap();
        let mut args = vec!["find"];
        for (_, p) in &accepted {
            args.extend(["--gazetteer", p.to_str().unwrap()]);
        }
        args.push(text_path.to_str().unwrap());
        let ids = check_find_output(
            &sorot(&args),
            &text,
            false,
            &by_id,
            &format!("find, {} ({})", f.name, format.ext()),
        );
        args.insert(1, "--lines");
        check_find_output(
            &sorot(&args),
            &text,
            true,
            &by_id,
            &format!("find --lines, {} ({})", f.name, format.ext()),
        );
        args[1] = "--lang";
        args.insert(2, "en");
        check_find_output(
            &sorot(&args),
            &text,
            false,
            &by_id,
            &format!("find --lang en, {} ({})", f.name, format.ext()),
        );
        // An entity whose name is still the harmless one is found.
        for (id, e) in &by_id {
            let name = text_of(&e["name"]).unwrap_or_default();
            if name.starts_with("Entitas Q") {
                assert!(
                    ids.contains(id),
                    "{} ({}): {id} ({name}) not found",
                    f.name,
                    format.ext()
                );
            }
        }
        figures.0 += accepted.len();
        let _ = std::fs::remove_dir_all(&dir);
    }
    println!(
        "{}: {} payloads, {} fields: {} field × payload cases read and found, {} refused",
        format.ext(),
        payloads.len(),
        fields.len(),
        figures.0,
        figures.1
    );
}

#[test]
fn corpus_in_json() {
    corpus_in(Format::Json);
}

#[test]
fn corpus_in_json_lines() {
    corpus_in(Format::JsonLines);
}

#[test]
fn corpus_in_tsv() {
    corpus_in(Format::Tsv);
}

#[test]
fn corpus_in_csv() {
    corpus_in(Format::Csv);
}

/// The payloads as page text, with the default gazetteer and with one whose names
/// are the payloads: valid JSON Lines, as one document and line by line.
#[test]
fn corpus_as_text() {
    let payloads = payloads();
    let dir = folder("text");
    let mut text = String::from("Kim Jong Un tiba di Moskow. ");
    for p in &payloads {
        if let Ok(s) = &p.text {
            text.push_str(&format!("{s} Prabowo Subianto {s}\n"));
        }
    }
    let text_path = dir.join("text.txt");
    std::fs::write(&text_path, &text).unwrap();
    let mut gazetteer = Vec::new();
    for (i, p) in payloads.iter().enumerate() {
        if let Ok(s) = &p.text {
            if !trim(s).is_empty() {
                gazetteer.push(json!({"id": format!("p{i}"), "name": s, "type": "PER"}));
            }
        }
    }
    let g = json!({"entities": gazetteer});
    let g_path = dir.join("names.json");
    std::fs::write(&g_path, serde_json::to_string(&g).unwrap()).unwrap();
    let t = text_path.to_str().unwrap();
    let out = sorot(&["check", g_path.to_str().unwrap()]);
    assert_no_crash(&out, "check, payloads as names");
    // Names with nothing to match are refused: keep the others.
    let refused: Vec<String> = stderr(&out)
        .lines()
        .filter_map(|l| {
            l.split("entities[")
                .nth(1)?
                .split(']')
                .next()
                .map(str::to_string)
        })
        .collect();
    let kept: Vec<Value> = gazetteer
        .into_iter()
        .enumerate()
        .filter(|(k, _)| !refused.contains(&k.to_string()))
        .map(|(_, e)| e)
        .collect();
    let g = json!({"entities": kept});
    std::fs::write(&g_path, serde_json::to_string(&g).unwrap()).unwrap();
    let by_id: Map<String, Value> = kept
        .iter()
        .map(|e| (e["id"].as_str().unwrap().to_string(), e.clone()))
        .collect();
    let gp = g_path.to_str().unwrap();
    let ids = check_find_output(
        &sorot(&["find", "--gazetteer", gp, t]),
        &text,
        false,
        &by_id,
        "find, payloads as names",
    );
    assert!(
        ids.len() >= kept.len() / 2,
        "only {} matches for {} names",
        ids.len(),
        kept.len()
    );
    check_find_output(
        &sorot(&["find", "--lines", "--gazetteer", gp, t]),
        &text,
        true,
        &by_id,
        "find --lines, payloads as names",
    );
    check_find_output(
        &sorot(&["find", "--overlap", "all", "--gazetteer", gp, t]),
        &text,
        false,
        &by_id,
        "find --overlap all, payloads as names",
    );

    // The default gazetteer: its entities as `convert` gives them.
    let out = sorot(&["convert"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let default: Value = serde_json::from_slice(&out.stdout).unwrap();
    let by_id: Map<String, Value> = default["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["id"].as_str().unwrap().to_string(), e.clone()))
        .collect();
    let ids = check_find_output(
        &sorot(&["find", t]),
        &text,
        false,
        &by_id,
        "find, default gazetteer",
    );
    assert!(ids.iter().any(|id| id.contains("prabowo")), "{ids:?}");
    check_find_output(
        &sorot(&["find", "--lines", "--lang", "en", t]),
        &text,
        true,
        &by_id,
        "find --lines, default gazetteer",
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A lone surrogate in the text (WTF-8 bytes: not UTF-8) is a clear error.
#[test]
fn text_that_is_not_utf8_is_refused() {
    let dir = folder("wtf8");
    for p in payloads() {
        let Err(l) = &p.text else { continue };
        let path: &Path = &dir.join(format!("{}.txt", p.id));
        let mut bytes = b"Kim Jong Un ".to_vec();
        bytes.extend(&l.bytes);
        std::fs::write(path, &bytes).unwrap();
        let out = sorot(&["find", path.to_str().unwrap()]);
        assert_no_crash(&out, &p.id);
        assert!(!out.status.success(), "{}: accepted", p.id);
        assert!(out.stdout.is_empty(), "{}", p.id);
        assert!(stderr(&out).contains("UTF-8"), "{}: {}", p.id, stderr(&out));
    }
    let _ = std::fs::remove_dir_all(&dir);
}
