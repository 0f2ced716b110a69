//! Gazetteer loading: every validation error, with its message.

use sorot::{default_gazetteer, Duplicates, Gazetteer, Localized};

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
        ("bad type key", r#"{"entities": [{"id": "jkt", "name": "Jakarta", "type": "LOC}"}]}"#, r#"g.json: entities[0] ("jkt"): type "LOC}" is not a short identifier ([A-Za-z_][A-Za-z0-9_-]*, at most 32 characters)"#),
        ("empty alias", r#"{"entities": [{"id": "jkt", "name": "Jakarta", "type": "LOC", "aliases": ["DKI", ""]}]}"#, r#"g.json: entities[0] ("jkt"): aliases[1] is empty"#),
        ("empty alias object", r#"{"entities": [{"id": "jkt", "name": "Jakarta", "type": "LOC", "aliases": [{"text": ""}]}]}"#, r#"g.json: entities[0] ("jkt"): aliases[0] is empty"#),
        ("empty short form", r#"{"entities": [{"id": "jkt", "name": "Jakarta", "type": "LOC", "short": [" "]}]}"#, r#"g.json: entities[0] ("jkt"): short[0] is empty"#),
        ("aliases not an array", r#"{"entities": [{"id": "jkt", "name": "Jakarta", "type": "LOC", "aliases": "DKI"}]}"#, r#"g.json: entities[0] ("jkt"): "aliases" must be an array of strings or {"text", "case", "lang"} objects"#),
        ("bad case", r#"{"entities": [{"id": "jkt", "name": "Jakarta", "type": "LOC", "aliases": [{"text": "DKI", "case": "upper"}]}]}"#, r#"g.json: entities[0] ("jkt"): aliases[0].case must be "exact" or "fold""#),
        ("javascript url", r#"{"entities": [{"id": "jkt", "name": "Jakarta", "type": "LOC", "url": "javascript:alert(1)"}]}"#, r#"g.json: entities[0] ("jkt"): url "javascript:alert(1)" is not an http: or https: link"#),
        ("data url", r#"{"entities": [{"id": "jkt", "name": "Jakarta", "type": "LOC", "url": "data:text/html,<b>x</b>"}]}"#, r#"g.json: entities[0] ("jkt"): url "data:text/html,<b>x</b>" is not an http: or https: link"#),
        ("duplicate id", r#"{"entities": [{"id": "jkt", "name": "Jakarta", "type": "LOC"}, {"id": "jkt", "name": "Batavia", "type": "LOC"}]}"#, r#"g.json: entities[1] ("jkt"): duplicate id, first used by entities[0]"#),
        ("bad priority", r#"{"entities": [{"id": "jkt", "name": "Jakarta", "type": "LOC", "priority": "high"}]}"#, r#"g.json: entities[0] ("jkt"): "priority" must be a number"#),
        ("bad type key in types", r#"{"types": {"L O C": {"label": "Place"}}, "entities": []}"#, r#"g.json: types: key "L O C" is not a short identifier ([A-Za-z_][A-Za-z0-9_-]*, at most 32 characters)"#),
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
            r#"g.tsv: line 2, column 4 (aliases): unknown option "upper" in "DKI {upper}" (use exact, fold or a language code such as en)"#,
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
    assert_eq!(
        e.description.as_ref().and_then(Localized::as_plain),
        Some("Negara")
    );
    assert_eq!(
        e.url.as_ref().and_then(Localized::as_plain),
        Some("https://x.org/us")
    );
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
    assert_eq!(
        (t.label.as_plain().unwrap(), t.color.starts_with('#')),
        ("EVT", true)
    );
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
    let labels = |lang: &str| -> Vec<&str> {
        g.types()
            .iter()
            .map(|t| t.label.resolve(lang, g.lang()))
            .collect()
    };
    assert_eq!(labels("id"), ["Orang", "Tempat", "Organisasi"]);
    assert_eq!(labels("en"), ["Person", "Place", "Organisation"]);
    for e in g.entities() {
        assert!(
            ["PER", "LOC", "ORG"].contains(&e.type_key.as_str()),
            "{}: type {}",
            e.id,
            e.type_key
        );
    }
}

/// The gazetteer's `lang`, the first type's label and the first entity's
/// description and url, as the JSON format writes them.
fn multilingual_fields(g: &Gazetteer) -> serde_json::Value {
    let json = g.to_json();
    let first_type = json["types"].as_object().unwrap().values().next().unwrap();
    serde_json::json!({
        "lang": json["lang"],
        "label": first_type["label"],
        "description": json["entities"][0]["description"],
        "url": json["entities"][0]["url"],
    })
}

#[test]
fn multilingual_fields_are_read_in_every_format() {
    use serde_json::json;
    let pt = "https://pt.wikipedia.org/wiki/Rio";
    let en = "https://en.wikipedia.org/wiki/Rio";
    // (case, origin (its extension gives the format), text, what to_json writes)
    let rows: Vec<(&str, &str, String, serde_json::Value)> = vec![
        ("plain strings stay strings", "g.json",
         r#"{"lang": "id", "types": {"LOC": {"label": "Tempat"}}, "entities": [{"id": "rio", "name": "Rio", "type": "LOC", "description": "Kota", "url": "https://x.org/rio"}]}"#.into(),
         json!({"lang": "id", "label": "Tempat", "description": "Kota", "url": "https://x.org/rio"})),
        ("no lang, no description", "g.json",
         r#"{"entities": [{"id": "rio", "name": "Rio", "type": "LOC"}]}"#.into(),
         json!({"lang": null, "label": "LOC", "description": null, "url": null})),
        ("objects stay objects, in order", "g.json",
         format!(r#"{{"types": {{"LOC": {{"label": {{"pt-BR": "Lugar", "en": "Place"}}}}}}, "entities": [{{"id": "rio", "name": "Rio", "type": "LOC", "description": {{"pt": "Cidade", "en": "City"}}, "url": {{"pt": "{pt}", "en": "{en}"}}}}]}}"#),
         json!({"lang": null, "label": {"pt-BR": "Lugar", "en": "Place"}, "description": {"pt": "Cidade", "en": "City"}, "url": {"pt": pt, "en": en}})),
        ("an object with one language stays an object", "g.json",
         r#"{"entities": [{"id": "rio", "name": "Rio", "type": "LOC", "description": {"en": "City"}}]}"#.into(),
         json!({"lang": null, "label": "LOC", "description": {"en": "City"}, "url": null})),
        ("the unspecified language", "g.json",
         r#"{"entities": [{"id": "rio", "name": "Rio", "type": "LOC", "description": {"": "Kota", "en": "City"}}]}"#.into(),
         json!({"lang": null, "label": "LOC", "description": {"": "Kota", "en": "City"}, "url": null})),
        ("texts are trimmed", "g.json",
         r#"{"entities": [{"id": "rio", "name": "Rio", "type": "LOC", "description": {"en": " City "}, "url": {"en": " https://x.org "}}]}"#.into(),
         json!({"lang": null, "label": "LOC", "description": {"en": "City"}, "url": {"en": "https://x.org"}})),
        ("JSON Lines header", "g.jsonl",
         format!("{{\"lang\": \"pt\", \"types\": {{\"LOC\": {{\"label\": {{\"pt\": \"Lugar\"}}}}}}}}\n{{\"id\": \"rio\", \"name\": \"Rio\", \"type\": \"LOC\", \"url\": {{\"en\": \"{en}\"}}}}\n"),
         json!({"lang": "pt", "label": {"pt": "Lugar"}, "description": null, "url": {"en": en}})),
        ("TSV: plain and per-language columns", "g.tsv",
         format!("id\ttype\tname\tdescription\tdescription@en\turl\turl@en\nrio\tLOC\tRio\tCidade\tCity\t{pt}\t{en}\n"),
         json!({"lang": null, "label": "LOC", "description": {"": "Cidade", "en": "City"}, "url": {"": pt, "en": en}})),
        ("TSV: only the plain column filled", "g.tsv",
         "id\ttype\tname\tdescription\tdescription@en\nrio\tLOC\tRio\tCidade\t\n".into(),
         json!({"lang": null, "label": "LOC", "description": "Cidade", "url": null})),
        ("TSV: only a per-language column", "g.tsv",
         "id\ttype\tname\tdescription@pt-BR\tdescription@en\nrio\tLOC\tRio\tCidade\tCity\n".into(),
         json!({"lang": null, "label": "LOC", "description": {"pt-BR": "Cidade", "en": "City"}, "url": null})),
        ("TSV: the plain column first, whatever the column order", "g.tsv",
         "id\ttype\tname\tDescription@en\tDESCRIPTION\nrio\tLOC\tRio\tCity\tCidade\n".into(),
         json!({"lang": null, "label": "LOC", "description": {"": "Cidade", "en": "City"}, "url": null})),
        ("CSV", "g.csv",
         format!("id,type,name,description,description@en,url@en\nrio,LOC,Rio,\"Cidade, no Brasil\",\"City, in Brazil\",{en}\n"),
         json!({"lang": null, "label": "LOC", "description": {"": "Cidade, no Brasil", "en": "City, in Brazil"}, "url": {"en": en}})),
    ];
    let mut failures = Vec::new();
    for (name, origin, text, want) in rows {
        let g = match Gazetteer::parse_as(&text, origin, sorot::Format::from_path(origin)) {
            Ok(g) => g,
            Err(e) => {
                failures.push(format!("{name}: rejected: {e}"));
                continue;
            }
        };
        let got = multilingual_fields(&g);
        if got != want {
            failures.push(format!("{name}:\n   got  {got}\n   want {want}"));
        }
        // What `sorot convert` writes reads back the same, and writes the same again.
        let back = Gazetteer::from_json(&g.to_json().to_string(), "back").unwrap();
        if back.entities() != g.entities()
            || back.lang() != g.lang()
            || back.to_json() != g.to_json()
        {
            failures.push(format!("{name}: does not round-trip: {}", back.to_json()));
        }
    }
    assert!(
        failures.is_empty(),
        "failing cases:\n{}",
        failures.join("\n")
    );
}

#[test]
fn multilingual_errors_say_what_and_where() {
    let entity = |fields: &str| {
        format!(r#"{{"entities": [{{"id": "rio", "name": "Rio", "type": "LOC", {fields}}}]}}"#)
    };
    let at = r#"g.json: entities[0] ("rio"): "#;
    let rows: Vec<(&str, String, String)> = vec![
        ("empty object", entity(r#""description": {}"#),
         format!(r#"{at}"description" is an empty object (give a text for at least one language, or leave it out)"#)),
        ("empty url object", entity(r#""url": {}"#),
         format!(r#"{at}"url" is an empty object (give a text for at least one language, or leave it out)"#)),
        ("not a string or object", entity(r#""description": ["City"]"#),
         format!(r#"{at}"description" must be a string, or an object of strings by language ({{"id": "...", "en": "..."}})"#)),
        ("key not a language tag", entity(r#""description": {"id": "Kota", "English": "City"}"#),
         format!(r#"{at}description: key "English" is not a language tag (such as en, id or pt-BR)"#)),
        ("key with an upper-case primary subtag", entity(r#""description": {"EN": "City"}"#),
         format!(r#"{at}description: key "EN" is not a language tag (such as en, id or pt-BR)"#)),
        ("value not a string", entity(r#""description": {"en": 7}"#),
         format!("{at}description.en must be a string")),
        ("value empty", entity(r#""description": {"en": " "}"#),
         format!("{at}description.en is empty")),
        ("the same language twice", entity(r#""description": {"en-GB": "City", "en-gb": "Town"}"#),
         format!(r#"{at}description: "en-GB" and "en-gb" are the same language"#)),
        ("bad url in one language", entity(r#""url": {"id": "https://id.wikipedia.org/wiki/Rio", "en": "javascript:alert(1)"}"#),
         format!(r#"{at}url.en "javascript:alert(1)" is not an http: or https: link"#)),
        ("bad unspecified url", entity(r#""url": {"": "ftp://x", "en": "https://x.org"}"#),
         format!(r#"{at}url "ftp://x" is not an http: or https: link"#)),
        ("url value not a string", entity(r#""url": {"en": null}"#),
         format!("{at}url.en must be a string")),
        ("bad form lang", entity(r#""aliases": [{"text": "Rio de Janeiro", "lang": "Portuguese"}]"#),
         format!(r#"{at}aliases[0].lang "Portuguese" is not a language tag (such as en, id or pt-BR)"#)),
        ("bad gazetteer lang", r#"{"lang": "en_GB", "entities": []}"#.into(),
         r#"g.json: "lang" "en_GB" is not a language tag (such as en, id or pt-BR)"#.into()),
        ("gazetteer lang not a string", r#"{"lang": ["id"], "entities": []}"#.into(),
         r#"g.json: "lang" must be a string: a language tag (such as en, id or pt-BR)"#.into()),
        ("label: empty object", r#"{"types": {"LOC": {"label": {}}}, "entities": []}"#.into(),
         r#"g.json: types.LOC: "label" is an empty object (give a text for at least one language, or leave it out)"#.into()),
        ("label: bad key", r#"{"types": {"LOC": {"label": {"id": "Tempat", "e n": "Place"}}}, "entities": []}"#.into(),
         r#"g.json: types.LOC: label: key "e n" is not a language tag (such as en, id or pt-BR)"#.into()),
        ("label: value not a string", r#"{"types": {"LOC": {"label": {"en": true}}}, "entities": []}"#.into(),
         "g.json: types.LOC: label.en must be a string".into()),
        ("label: not a string or object", r#"{"types": {"LOC": {"label": 3}}, "entities": []}"#.into(),
         r#"g.json: types.LOC: "label" must be a non-empty string, or an object of them by language"#.into()),
    ];
    let mut failures = Vec::new();
    for (name, json, want) in &rows {
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
fn multilingual_table_errors_say_the_column_or_line() {
    let rows: &[(&str, &str, &str, &str)] = &[
        (
            "a column's tag is not a language tag",
            "g.tsv",
            "id\ttype\tname\tdescription@xx!\nrio\tLOC\tRio\tCity\n",
            r#"g.tsv: line 1, column 4: the header line's column "description@xx!": "xx!" is not a language tag (such as en, id or pt-BR)"#,
        ),
        (
            "an upper-case tag",
            "g.csv",
            "id,type,name,url@EN\nrio,LOC,Rio,https://x.org\n",
            r#"g.csv: line 1, column 4: the header line's column "url@EN": "EN" is not a language tag (such as en, id or pt-BR)"#,
        ),
        (
            "an empty tag",
            "g.tsv",
            "id\ttype\tname\tdescription@\nrio\tLOC\tRio\tCity\n",
            r#"g.tsv: line 1, column 4: the header line's column "description@": "" is not a language tag (such as en, id or pt-BR)"#,
        ),
        (
            "a column twice",
            "g.tsv",
            "id\ttype\tname\turl@en\tURL@en\nrio\tLOC\tRio\thttps://x.org\thttps://y.org\n",
            r#"g.tsv: line 1: the header line names the column "url@en" twice (columns 4 and 5)"#,
        ),
        (
            "a name column with a language",
            "g.tsv",
            "id\ttype\tname\tname@en\nrio\tLOC\tRio\tRio\n",
            r#"g.tsv: line 1, column 4: the header line's column "name@en": only description and url take a language (a form's language goes in its cell: "United Nations {en}")"#,
        ),
        (
            "a bad url in one language",
            "g.tsv",
            "id\ttype\tname\turl\turl@en\n\nrio\tLOC\tRio\thttps://x.org\tjavascript:x\n",
            r#"g.tsv: line 3 ("rio"): url.en "javascript:x" is not an http: or https: link"#,
        ),
        (
            "a bad plain url beside one in a language",
            "g.csv",
            "id,type,name,url,url@en\nrio,LOC,Rio,ftp://x,https://x.org\n",
            r#"g.csv: line 2 ("rio"): url "ftp://x" is not an http: or https: link"#,
        ),
    ];
    let mut failures = Vec::new();
    for (name, origin, text, want) in rows {
        let got = match Gazetteer::parse_as(text, origin, sorot::Format::from_path(origin)) {
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
    // Other columns with an @ stay extra fields, as before.
    let g =
        Gazetteer::from_tsv("id\ttype\tname\tWiki@EN\nrio\tLOC\tRio\tQ8678\n", "g.tsv").unwrap();
    assert_eq!(g.entities()[0].extra["wiki@en"], "Q8678");
}

#[test]
fn merging_keeps_the_first_lang() {
    let part = |lang: &str| {
        let json = format!(r#"{{{lang} "entities": []}}"#);
        (
            Gazetteer::from_json(&json, "part").unwrap(),
            "part".to_string(),
        )
    };
    let merged = Gazetteer::merge(
        vec![part(""), part(r#""lang": "en","#), part(r#""lang": "id","#)],
        Duplicates::Replace,
    )
    .unwrap();
    assert_eq!(merged.lang(), Some("en"));
    assert_eq!(merged.to_json()["lang"], "en");
    let none = Gazetteer::merge(vec![part(""), part("")], Duplicates::Error).unwrap();
    assert_eq!((none.lang(), none.to_json().get("lang")), (None, None));
}

/// The shared fixture of the core and the JavaScript layer: titles and resolved
/// values for readers of several languages.
#[test]
fn titles_and_values_for_readers_follow_the_shared_fixture() {
    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/multilingual.json")).unwrap();
    let g = Gazetteer::from_value(&fixture["gazetteer"], "multilingual.json").unwrap();
    let mut failures = Vec::new();
    let cases = fixture["expected"].as_array().unwrap();
    assert!(cases.len() >= 20);
    for case in cases {
        let (id, lang) = (case["id"].as_str().unwrap(), case["lang"].as_str().unwrap());
        let e = g.entities().iter().find(|e| e.id == id).unwrap();
        let got = serde_json::json!({
            "id": id,
            "lang": lang,
            "title": e.title(lang),
            "description": e.description.as_ref().map(|d| d.resolve(lang, g.lang())),
            "url": e.url.as_ref().map(|u| u.resolve(lang, g.lang())),
            "label": g.entity_type(&e.type_key).unwrap().label.resolve(lang, g.lang()),
        });
        if got != *case {
            failures.push(format!("   got  {got}\n   want {case}"));
        }
    }
    assert!(
        failures.is_empty(),
        "failing cases:\n{}",
        failures.join("\n")
    );
}

/// `{"entities": [ENTITY]}` with the entity's other fields after `"id": "x", "name":
/// "Kota", "type": "LOC"`.
fn one_entity(fields: &str) -> String {
    format!(r#"{{"entities": [{{"id": "x", "name": "Kota", "type": "LOC"{fields}}}]}}"#)
}

#[test]
fn links_that_mislead_are_refused_wherever_a_url_is_read() {
    let user = "https://bank.example@evil.example/login";
    let rtl = "https://example.com/\u{202e}lmth.exe";
    // (case, origin, text, the message)
    let rows: Vec<(&str, &str, String, String)> = vec![
        ("user info", "g.json", one_entity(&format!(r#", "url": "{user}""#)),
         format!(r#"g.json: entities[0] ("x"): url "{user}" has user info before its host ("bank.example"@): it goes to "evil.example", not where it seems to (remove the part up to @)"#)),
        ("user and password", "g.json", one_entity(r#", "url": "http://a:b@evil.example""#),
         r#"g.json: entities[0] ("x"): url "http://a:b@evil.example" has user info before its host ("a:b"@): it goes to "evil.example", not where it seems to (remove the part up to @)"#.into()),
        ("user info in a language", "g.json", one_entity(&format!(r#", "url": {{"en": "https://x.org", "id": "{user}"}}"#)),
         format!(r#"g.json: entities[0] ("x"): url.id "{user}" has user info"#)),
        ("right-to-left override", "g.json", one_entity(&format!(r#", "url": "{rtl}""#)),
         r#"g.json: entities[0] ("x"): url "https://example.com/\u{202e}lmth.exe" has the invisible or bidirectional control character U+202E at character 21 (a link must read as it goes)"#.into()),
        ("isolate in a language", "g.json", one_entity(", \"url\": {\"en\": \"https://x.org/\u{2066}a\"}"),
         r#"g.json: entities[0] ("x"): url.en "https://x.org/\u{2066}a" has the invisible or bidirectional control character U+2066 at character 15"#.into()),
        ("left-to-right mark", "g.json", one_entity(", \"url\": \"https://x.org/\u{200e}\""),
         "U+200E at character 15".into()),
        ("right-to-left mark", "g.json", one_entity(", \"url\": \"https://x.org/\u{200f}\""),
         "U+200F".into()),
        ("Arabic letter mark", "g.json", one_entity(", \"url\": \"https://x.org/\u{061c}\""),
         "U+061C".into()),
        ("user info in TSV", "g.tsv", format!("id\ttype\tname\turl\nx\tLOC\tKota\t{user}\n"),
         format!(r#"g.tsv: line 2 ("x"): url "{user}" has user info"#)),
        ("bidi in TSV url@en", "g.tsv", format!("id\ttype\tname\turl\turl@en\nx\tLOC\tKota\thttps://x.org\t{rtl}\n"),
         r#"g.tsv: line 2 ("x"): url.en "https://example.com/\u{202e}lmth.exe" has the invisible"#.into()),
        ("user info in CSV url@en", "g.csv", format!("id,type,name,url@en\nx,LOC,Kota,{user}\n"),
         format!(r#"g.csv: line 2 ("x"): url.en "{user}" has user info"#)),
    ];
    let mut failures = Vec::new();
    for (name, origin, text, want) in &rows {
        let got = match Gazetteer::parse_as(text, origin, sorot::Format::from_path(origin)) {
            Ok(_) => "accepted".to_string(),
            Err(e) => e.to_string(),
        };
        if !got.contains(want.as_str()) {
            failures.push(format!("{name}:\n   got  {got}\n   want {want}"));
        }
    }
    assert!(
        failures.is_empty(),
        "failing cases:\n{}",
        failures.join("\n")
    );
    // Links that only look unusual stay valid.
    for ok in [
        "https://id.wikipedia.org/wiki/S%C3%A3o_Paulo",
        "https://id.wikipedia.org/wiki/São_Paulo",
        "https://example.com/a@b",
        "https://example.com/?to=a@b",
        "https://ar.wikipedia.org/wiki/القاهرة",
    ] {
        let json = one_entity(&format!(r#", "url": "{ok}""#));
        assert!(Gazetteer::from_json(&json, "g.json").is_ok(), "{ok}");
    }
}

#[test]
fn type_keys_named_like_object_members_load() {
    let json = r##"{"types": {"constructor": {"label": "Konstruktor"}, "valueOf": {"label": "Nilai", "color": "#123456"}},
        "entities": [
        {"id": "a", "name": "Alfa", "type": "constructor"},
        {"id": "b", "name": "Beta", "type": "toString"},
        {"id": "c", "name": "Gamma", "type": "valueOf"},
        {"id": "d", "name": "Delta", "type": "hasOwnProperty"}]}"##;
    let g = Gazetteer::from_json(json, "g.json").unwrap();
    for (key, label) in [
        ("constructor", "Konstruktor"),
        ("toString", "toString"),
        ("valueOf", "Nilai"),
        ("hasOwnProperty", "hasOwnProperty"),
    ] {
        let t = g.entity_type(key).unwrap_or_else(|| panic!("{key}"));
        assert_eq!(t.label.as_plain(), Some(label), "{key}");
    }
    assert_eq!(g.entity_type("valueOf").unwrap().color, "#123456");
    let tsv = "id\ttype\tname\na\tconstructor\tAlfa\nb\ttoString\tBeta\nc\tisPrototypeOf\tGamma\n";
    let g = Gazetteer::from_tsv(tsv, "g.tsv").unwrap();
    let keys: Vec<&str> = g.entities().iter().map(|e| e.type_key.as_str()).collect();
    assert_eq!(keys, ["constructor", "toString", "isPrototypeOf"]);
    // And they survive the compiled form.
    let bytes = sorot::Matcher::new(g).unwrap().compile();
    let back = Gazetteer::from_compiled(&bytes, "g.sorot").unwrap();
    assert!(back.entity_type("constructor").is_some());
    // `__proto__` is one too (a key may start with `_`), declared or not.
    let json = r#"{"types": {"__proto__": {"label": "Proto"}}, "entities": [{"id": "a", "name": "Alfa", "type": "__proto__"}]}"#;
    let g = Gazetteer::from_json(json, "g.json").unwrap();
    assert_eq!(
        g.entity_type("__proto__").unwrap().label.as_plain(),
        Some("Proto")
    );
    let g = Gazetteer::from_tsv("id\ttype\tname\na\t__proto__\tAlfa\n", "g.tsv").unwrap();
    assert_eq!(g.entities()[0].type_key, "__proto__");
}

#[test]
fn limits_are_errors_that_name_the_limit_the_entity_and_the_field() {
    let long = |n: usize| "ab".repeat(n / 2);
    let languages: String = (0..1001)
        .map(|i| {
            format!(
                r#""x{}{}{}": "d""#,
                (b'a' + (i / 676) as u8) as char,
                (b'a' + (i / 26 % 26) as u8) as char,
                (b'a' + (i % 26) as u8) as char
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let many_types: String = (0..1001)
        .map(|i| format!(r#"{{"id": "e{i}", "name": "N", "type": "T{i}"}}"#))
        .collect::<Vec<_>>()
        .join(", ");
    let many_forms = format!(
        r#"{{"entities": [{{"id": "x", "name": "Kota", "type": "LOC", "aliases": [{}]}}]}}"#,
        vec![r#""a""#; 2_000_000].join(",")
    );
    // 32 MiB of forms once normalised, in forms of 1,000 characters.
    let form_bytes = format!(
        r#"{{"entities": [{{"id": "x", "name": "Kota", "type": "LOC", "aliases": [{}]}}]}}"#,
        (0..33_555)
            .map(|i| format!(r#""{i:0>1000}""#))
            .collect::<Vec<_>>()
            .join(",")
    );
    let many_entities = format!(
        r#"{{"entities": [{}, {{"id": "last"}}]}}"#,
        vec!["0"; 1_000_000].join(",")
    );
    // (case, gazetteer, the message)
    let rows: Vec<(&str, String, String)> = vec![
        ("a 100,000-character periodic alias", one_entity(&format!(r#", "aliases": ["{}"]"#, long(100_000))),
         r#"g.json: entities[0] ("x"): aliases[0] is 100,000 characters long, more than the limit of 1,000 for a form"#.into()),
        ("a 100,000-character repeated name", format!(r#"{{"entities": [{{"id": "x", "name": "{}", "type": "LOC"}}]}}"#, "Jakarta ".repeat(12_500).trim()),
         r#"g.json: entities[0] ("x"): name is 99,999 characters long, more than the limit of 1,000 for a form"#.into()),
        ("a form one over", one_entity(&format!(r#", "short": ["{}"]"#, "A".repeat(1001))),
         r#"g.json: entities[0] ("x"): short[0] is 1,001 characters long, more than the limit of 1,000 for a form"#.into()),
        ("a long description", one_entity(&format!(r#", "description": {{"en": "{}"}}"#, long(10_002))),
         r#"g.json: entities[0] ("x"): description.en is 10,002 characters long, more than the limit of 10,000 for a description"#.into()),
        ("a long url", one_entity(&format!(r#", "url": "https://x.org/{}""#, long(2_040))),
         r#"g.json: entities[0] ("x"): url is 2,054 characters long, more than the limit of 2,048 for a link"#.into()),
        ("a long id", format!(r#"{{"entities": [{{"id": "{}", "name": "Kota", "type": "LOC"}}]}}"#, long(1_002)),
         format!(r#"g.json: entities[0] ("{}..."): "id" is 1,002 characters long, more than the limit of 1,000 for an id"#, &long(1_002)[..100])),
        ("a long label", format!(r#"{{"types": {{"LOC": {{"label": "{}"}}}}, "entities": []}}"#, long(1_002)),
         r#"g.json: types.LOC: "label" is 1,002 characters long, more than the limit of 1,000 for a label"#.into()),
        ("a long label in a language", format!(r#"{{"types": {{"LOC": {{"label": {{"en": "{}"}}}}}}, "entities": []}}"#, long(1_002)),
         r#"g.json: types.LOC: label.en is 1,002 characters long, more than the limit of 1,000 for a label"#.into()),
        ("too many languages", one_entity(&format!(r#", "description": {{{languages}}}"#)),
         r#"g.json: entities[0] ("x"): "description" has 1,001 languages, more than the limit of 1,000"#.into()),
        ("too many types", format!(r#"{{"entities": [{many_types}]}}"#),
         r#"g.json: entities[1000] ("e1000"): type "T1000": more than 1,000 types, the limit"#.into()),
        ("too many forms", many_forms,
         r#"g.json: entities[0] ("x"): aliases[1999999]: more than 2,000,000 forms (names, aliases and short forms), the limit"#.into()),
        ("too many bytes of forms", form_bytes,
         r#"g.json: entities[0] ("x"): aliases[33554]: the forms make more than 33,554,432 bytes once normalised, the limit"#.into()),
        ("too many entities", many_entities,
         r#"g.json: entities[1000000] ("last"): more than 1,000,000 entities, the limit"#.into()),
    ];
    let mut failures = Vec::new();
    for (name, json, want) in &rows {
        let got = match Gazetteer::from_json(json, "g.json") {
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
    // At the limits, accepted.
    let at = one_entity(&format!(
        r#", "aliases": ["{}"], "description": "{}", "url": "https://x.org/{}""#,
        "A".repeat(1000),
        "d".repeat(10_000),
        "u".repeat(2_048 - 14)
    ));
    assert!(Gazetteer::from_json(&at, "g.json").is_ok());
}

#[test]
fn a_text_over_the_size_limit_is_refused_before_it_is_read() {
    let huge = format!("{{\"entities\": []}}{}", " ".repeat(256 * 1024 * 1024));
    for format in [
        None,
        Some(sorot::Format::Tsv),
        Some(sorot::Format::Csv),
        Some(sorot::Format::JsonLines),
    ] {
        let err = Gazetteer::parse_as(&huge, "huge.json", format).unwrap_err();
        assert_eq!(
            err.to_string(),
            "huge.json: 268,435,472 bytes, more than the limit of 268,435,456 bytes (256 MiB) for a text gazetteer"
        );
    }
}

#[test]
fn a_thousand_problems_are_headed_with_their_count() {
    let entities: Vec<String> = (0..1000)
        .map(|i| format!(r#"{{"id": "e{i}", "name": "", "type": "LOC"}}"#))
        .collect();
    let json = format!(r#"{{"entities": [{}]}}"#, entities.join(", "));
    let err = Gazetteer::from_json(&json, "g.json").unwrap_err();
    assert_eq!(err.count(), 1000);
    assert_eq!(err.problems().len(), 100);
    let message = err.to_string();
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(lines[0], "g.json: 1,000 problems (the first 100 listed):");
    assert_eq!(lines[1], r#"  entities[0] ("e0"): "name" is empty"#);
    assert_eq!(lines[100], r#"  entities[99] ("e99"): "name" is empty"#);
    assert_eq!(lines.len(), 101);
    // 100 problems exactly: all listed, no "first".
    let json = format!(r#"{{"entities": [{}]}}"#, entities[..100].join(", "));
    let message = Gazetteer::from_json(&json, "g.json")
        .unwrap_err()
        .to_string();
    assert!(message.starts_with("g.json: 100 problems:\n"), "{message}");
}

#[test]
fn tables_are_read_row_by_row_with_their_cell_errors_first() {
    // A row's cell error and another row's entity error, in one report.
    let tsv = "id\ttype\tname\tpriority\na\tLOC\tA\tNaN\nb\tLOC\t\t1\n";
    let err = Gazetteer::from_tsv(tsv, "g.tsv").unwrap_err();
    assert_eq!(
        err.to_string(),
        "g.tsv: 2 problems:\n  line 2, column 4 (priority): \"NaN\" is not a finite number (a priority such as 1, -2 or 0.5)\n  line 3 (\"b\"): missing \"name\""
    );
    // Description columns in two languages and an id column twice in other case.
    let err =
        Gazetteer::from_csv("id,type,name,description@en,DESCRIPTION@EN\n", "g.csv").unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"g.csv: line 1: the header line names the column "description@EN" twice (columns 4 and 5)"#
    );
}

#[test]
fn a_csv_comment_is_a_line_starting_with_an_unquoted_hash() {
    // A quoted "#kim" is data, an id like any other; a comment line is skipped
    // whatever it holds (a stray quote too).
    let csv = "# people, \"curated\" by hand\nid,type,name\n\"#kim\",PER,Kim Jong Un\n#lavrov,PER,Sergey Lavrov\n";
    let g = Gazetteer::from_csv(csv, "g.csv").unwrap();
    let ids: Vec<&str> = g.entities().iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["#kim"]);
}
