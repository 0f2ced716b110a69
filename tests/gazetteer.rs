//! Gazetteer loading: every validation error, with its message.

use sorot::{default_gazetteer, Duplicates, Gazetteer};

fn error_of(json: &str) -> String {
    match Gazetteer::from_json(json, "g.json") {
        Ok(_) => panic!("accepted: {json}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn json_errors_say_what_and_where() {
    let rows: &[(&str, &str, &str)] = &[
        ("invalid JSON", "{\n  \"entities\": [\n    {\"id\": }\n  ]\n}", "g.json: invalid JSON at line 3, column 12: expected value"),
        ("not an object", "[1, 2]", r#"g.json: a gazetteer must be a JSON object with an "entities" array"#),
        ("no entities", r#"{"name": "x"}"#, r#"g.json: missing "entities" (an array of entities)"#),
        ("entities not an array", r#"{"entities": {}}"#, r#"g.json: "entities" must be an array"#),
        ("wrong version", r#"{"version": 2, "entities": []}"#, r#"g.json: unsupported "version" 2 (this reader knows version 1)"#),
        ("entity not an object", r#"{"entities": ["Jakarta"]}"#, "g.json: entities[0] is not an object"),
        ("missing id", r#"{"entities": [{"name": "Jakarta", "type": "LOC"}]}"#, r#"g.json: entities[0] ("Jakarta"): missing "id""#),
        ("empty id", r#"{"entities": [{"id": " ", "name": "Jakarta", "type": "LOC"}]}"#, r#"g.json: entities[0] ("Jakarta"): "id" is empty"#),
        ("id not a string", r#"{"entities": [{"id": 7, "name": "Jakarta", "type": "LOC"}]}"#, r#"g.json: entities[0] ("Jakarta"): "id" must be a string"#),
        ("missing name", r#"{"entities": [{"id": "jkt", "type": "LOC"}]}"#, r#"g.json: entities[0] ("jkt"): missing "name""#),
        ("empty name", r#"{"entities": [{"id": "jkt", "name": "", "type": "LOC"}]}"#, r#"g.json: entities[0] ("jkt"): "name" is empty"#),
        ("name of only invisible characters", "{\"entities\": [{\"id\": \"jkt\", \"name\": \"\u{200b}\", \"type\": \"LOC\"}]}", r#"g.json: entities[0] ("jkt"): name "\u{200b}" has no letter or digit to match"#),
        ("missing type", r#"{"entities": [{"id": "jkt", "name": "Jakarta"}]}"#, r#"g.json: entities[0] ("jkt"): missing "type""#),
        ("bad type key", r#"{"entities": [{"id": "jkt", "name": "Jakarta", "type": "LOC}"}]}"#, r#"g.json: entities[0] ("jkt"): type "LOC}" is not a short identifier ([A-Za-z][A-Za-z0-9_-]*, at most 32 characters)"#),
        ("empty alias", r#"{"entities": [{"id": "jkt", "name": "Jakarta", "type": "LOC", "aliases": ["DKI", ""]}]}"#, r#"g.json: entities[0] ("jkt"): aliases[1] is empty"#),
        ("empty alias object", r#"{"entities": [{"id": "jkt", "name": "Jakarta", "type": "LOC", "aliases": [{"text": ""}]}]}"#, r#"g.json: entities[0] ("jkt"): aliases[0] is empty"#),
        ("empty short form", r#"{"entities": [{"id": "jkt", "name": "Jakarta", "type": "LOC", "short": [" "]}]}"#, r#"g.json: entities[0] ("jkt"): short[0] is empty"#),
        ("aliases not an array", r#"{"entities": [{"id": "jkt", "name": "Jakarta", "type": "LOC", "aliases": "DKI"}]}"#, r#"g.json: entities[0] ("jkt"): "aliases" must be an array of strings or {"text", "case", "lang"} objects"#),
        ("bad case", r#"{"entities": [{"id": "jkt", "name": "Jakarta", "type": "LOC", "aliases": [{"text": "DKI", "case": "upper"}]}]}"#, r#"g.json: entities[0] ("jkt"): aliases[0].case must be "exact" or "fold""#),
        ("javascript url", r#"{"entities": [{"id": "jkt", "name": "Jakarta", "type": "LOC", "url": "javascript:alert(1)"}]}"#, r#"g.json: entities[0] ("jkt"): url "javascript:alert(1)" is not an http: or https: link"#),
        ("data url", r#"{"entities": [{"id": "jkt", "name": "Jakarta", "type": "LOC", "url": "data:text/html,<b>x</b>"}]}"#, r#"g.json: entities[0] ("jkt"): url "data:text/html,<b>x</b>" is not an http: or https: link"#),
        ("duplicate id", r#"{"entities": [{"id": "jkt", "name": "Jakarta", "type": "LOC"}, {"id": "jkt", "name": "Batavia", "type": "LOC"}]}"#, r#"g.json: entities[1] ("jkt"): duplicate id, first used by entities[0]"#),
        ("bad priority", r#"{"entities": [{"id": "jkt", "name": "Jakarta", "type": "LOC", "priority": "high"}]}"#, r#"g.json: entities[0] ("jkt"): "priority" must be a number"#),
        ("bad type key in types", r#"{"types": {"L O C": {"label": "Place"}}, "entities": []}"#, r#"g.json: types: key "L O C" is not a short identifier ([A-Za-z][A-Za-z0-9_-]*, at most 32 characters)"#),
        ("bad colour", r#"{"types": {"LOC": {"label": "Place", "color": "red;}body{display:none"}}, "entities": []}"#, r#"g.json: types.LOC: color "red;}body{display:none" is not a CSS hex colour (#rgb, #rrggbb) or colour name"#),
        ("several problems", r#"{"entities": [{"id": "a", "name": "A", "type": "T", "url": "ftp://x"}, {"id": "b", "type": "T"}]}"#, "g.json: 2 problems:\n  entities[0] (\"a\"): url \"ftp://x\" is not an http: or https: link\n  entities[1] (\"b\"): missing \"name\""),
    ];
    let mut failures = Vec::new();
    for (name, json, want) in rows {
        let got = error_of(json);
        if got != *want {
            failures.push(format!("{name}:\n   got  {got}\n   want {want}"));
        }
    }
    assert!(
        failures.is_empty(),
        "failing cases:\n{}",
        failures.join("\n")
    );
}

#[test]
fn tsv_errors_say_the_line() {
    let rows: &[(&str, &str, &str)] = &[
        (
            "no header columns",
            "name\tfoo\nJakarta\tx\n",
            r#"g.tsv: the header line has no "id" column (it has: name, foo)"#,
        ),
        (
            "empty file",
            "# only a comment\n",
            "g.tsv: empty file: expected a header line naming the columns",
        ),
        (
            "too many cells",
            "id\ttype\tname\njkt\tLOC\tJakarta\textra\n",
            "g.tsv: line 2: 4 cells, but the header names 3 columns",
        ),
        (
            "empty name",
            "id\ttype\tname\njkt\tLOC\t\n",
            r#"g.tsv: line 2 ("jkt"): missing "name""#,
        ),
        (
            "unknown option",
            "id\ttype\tname\taliases\njkt\tLOC\tJakarta\tDKI {upper}\n",
            r#"g.tsv: line 2: aliases: unknown option "upper" in "DKI {upper}" (use exact, fold or a language code such as en)"#,
        ),
        (
            "bad url",
            "# comment\nid\ttype\tname\turl\n\njkt\tLOC\tJakarta\tjavascript:x\n",
            r#"g.tsv: line 4 ("jkt"): url "javascript:x" is not an http: or https: link"#,
        ),
    ];
    let mut failures = Vec::new();
    for (name, tsv, want) in rows {
        let got = match Gazetteer::from_tsv(tsv, "g.tsv") {
            Ok(_) => "accepted".to_string(),
            Err(e) => e.to_string(),
        };
        if got != *want {
            failures.push(format!("{name}:\n   got  {got}\n   want {want}"));
        }
    }
    assert!(
        failures.is_empty(),
        "failing cases:\n{}",
        failures.join("\n")
    );
}

#[test]
fn tsv_reads_every_field() {
    let tsv = "id\ttype\tname\taliases\tshort\tdescription\turl\tcase\tpriority\twikidata\n\
               us\tLOC\tAmerika Serikat\tUnited States {en}|AS|Amerika {exact}\tStates\tNegara\thttps://x.org/us\t\t2\tQ30\n";
    let g = Gazetteer::from_tsv(tsv, "t").unwrap();
    let e = &g.entities()[0];
    assert_eq!(e.name.text, "Amerika Serikat");
    let aliases: Vec<(&str, Option<&str>)> = e
        .aliases
        .iter()
        .map(|a| (a.text.as_str(), a.lang.as_deref()))
        .collect();
    assert_eq!(
        aliases,
        [
            ("United States", Some("en")),
            ("AS", None),
            ("Amerika", None)
        ]
    );
    assert_eq!(e.aliases[2].case, Some(sorot::Case::Exact));
    assert_eq!(e.short[0].text, "States");
    assert_eq!(e.description.as_deref(), Some("Negara"));
    assert_eq!(e.url.as_deref(), Some("https://x.org/us"));
    assert_eq!(e.priority, 2.0);
    assert_eq!(e.extra["wikidata"], "Q30");
    // JSON written from it reads back the same.
    let back = Gazetteer::from_json(&g.to_json().to_string(), "back").unwrap();
    assert_eq!(back.entities(), g.entities());
}

#[test]
fn unknown_fields_are_kept_and_types_get_defaults() {
    let g = Gazetteer::from_json(
        r#"{"entities": [{"id": "x", "name": "X", "type": "EVT", "wikidata": "Q1"}], "source": "me"}"#,
        "t",
    )
    .unwrap();
    assert_eq!(g.entities()[0].extra["wikidata"], "Q1");
    assert_eq!(g.extra()["source"], "me");
    let t = g.entity_type("EVT").unwrap();
    assert_eq!((t.label.as_str(), t.color.starts_with('#')), ("EVT", true));
}

#[test]
fn merging_replaces_by_id_or_rejects_duplicates() {
    let a = Gazetteer::from_json(r#"{"types": {"LOC": {"label": "Tempat", "color": "navy"}}, "entities": [{"id": "x", "name": "X", "type": "LOC"}]}"#, "a").unwrap();
    let b = Gazetteer::from_json(r#"{"entities": [{"id": "x", "name": "Ex", "type": "LOC"}, {"id": "y", "name": "Y", "type": "LOC"}]}"#, "b").unwrap();
    let merged = Gazetteer::merge(
        vec![(a.clone(), "a".into()), (b.clone(), "b".into())],
        Duplicates::Replace,
    )
    .unwrap();
    let names: Vec<&str> = merged
        .entities()
        .iter()
        .map(|e| e.name.text.as_str())
        .collect();
    assert_eq!(names, ["Ex", "Y"]);
    // The declared type survives a later part that only uses it.
    assert_eq!(merged.entity_type("LOC").unwrap().color, "#000080");
    let err =
        Gazetteer::merge(vec![(a, "a".into()), (b, "b".into())], Duplicates::Error).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"merged gazetteer: b: duplicate id "x", also in a"#
    );
}

#[test]
fn default_gazetteer_loads() {
    let g = default_gazetteer().unwrap();
    assert!(g.entities().len() > 250, "{} entities", g.entities().len());
    let labels: Vec<&str> = g.types().iter().map(|t| t.label.as_str()).collect();
    assert_eq!(labels, ["Orang", "Tempat", "Organisasi"]);
    for e in g.entities() {
        assert!(
            ["PER", "LOC", "ORG"].contains(&e.type_key.as_str()),
            "{}: type {}",
            e.id,
            e.type_key
        );
    }
}
