//! The matching rules, one named row per case.

use sorot::{utf16_offsets, FindOptions, Gazetteer, Matcher, Overlap, Reason};

const GAZETTEER: &str = r#"{
  "version": 1,
  "entities": [
    {"id": "rusia", "name": "Rusia", "type": "LOC", "aliases": ["Russia"]},
    {"id": "ukraina", "name": "Ukraina", "type": "LOC", "aliases": ["Ukraine"]},
    {"id": "korea", "name": "Korea", "type": "LOC"},
    {"id": "korea-utara", "name": "Korea Utara", "type": "LOC"},
    {"id": "as", "name": "Amerika Serikat", "type": "LOC", "aliases": ["AS", "U.S."]},
    {"id": "pbb", "name": "Perserikatan Bangsa-Bangsa", "type": "ORG", "aliases": ["PBB"]},
    {"id": "kim-jong-un", "name": "Kim Jong Un", "type": "PER", "short": ["Kim"]},
    {"id": "lavrov", "name": "Sergey Lavrov", "type": "PER", "aliases": [{"text": "Сергей Лавров", "lang": "ru"}], "short": ["Lavrov"]},
    {"id": "dkr", "name": "Dewan Keamanan Rusia", "type": "ORG"},
    {"id": "civ", "name": "Pantai Gading", "type": "LOC", "aliases": ["Côte d'Ivoire"]},
    {"id": "gb", "name": "Guinea-Bissau", "type": "LOC"},
    {"id": "g20", "name": "G20", "type": "ORG"},
    {"id": "tass", "name": {"text": "TASS", "case": "fold"}, "type": "ORG"},
    {"id": "turkey", "name": "Turki", "type": "LOC", "aliases": [{"text": "Turkey", "case": "exact"}]},
    {"id": "nato", "name": "NATO", "type": "ORG", "case": "fold"},
    {"id": "beijing", "name": "Beijing", "type": "LOC", "aliases": ["北京"]},
    {"id": "bangkok", "name": "กรุงเทพ", "type": "LOC"},
    {"id": "sao-paulo", "name": "São Paulo", "type": "LOC"},
    {"id": "putin", "name": "Vladimir Putin", "type": "PER", "short": ["Putin"]},
    {"id": "jakarta", "name": "Jakarta", "type": "LOC"},
    {"id": "strasse", "name": "Hauptstraße", "type": "LOC"},
    {"id": "istanbul", "name": "Istanbul", "type": "LOC"},
    {"id": "pyongyang", "name": "Pyongyang", "type": "LOC"},
    {"id": "asean", "name": "ASEAN", "type": "ORG"},
    {"id": "bulan", "name": "Bulan", "type": "LOC"},
    {"id": "kemlu-rusia", "name": "Kementerian Luar Negeri Rusia", "type": "ORG"},
    {"id": "sungai", "name": "sungai musi", "type": "LOC"},
    {"id": "prabowo", "name": "Prabowo Subianto", "type": "PER", "aliases": ["Presiden Prabowo"]},
    {"id": "utara-raya", "name": "Utara Raya", "type": "LOC"},
    {"id": "bora", "name": "Bora Bora", "type": "LOC"}
  ]
}"#;

fn matcher() -> Matcher {
    Matcher::new(Gazetteer::from_json(GAZETTEER, "test gazetteer").unwrap()).unwrap()
}

/// The matches as (text, id) pairs.
fn found(m: &Matcher, text: &str) -> Vec<(String, String)> {
    m.find(text)
        .iter()
        .map(|x| {
            (
                text[x.start_byte..x.end_byte].to_string(),
                m.gazetteer().entities()[x.entity].id.clone(),
            )
        })
        .collect()
}

/// The texts of the matches, in order.
fn spans<'t>(m: &Matcher, text: &'t str, overlap: Overlap) -> Vec<&'t str> {
    m.find_with(text, FindOptions { overlap })
        .iter()
        .map(|x| &text[x.start_byte..x.end_byte])
        .collect()
}

#[test]
fn rules() {
    // (case, text, expected (text, id) pairs)
    type Row<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);
    let rows: &[Row] = &[
        // Whole words only; punctuation, hyphens and dashes are boundaries.
        (
            "hyphen between names",
            "Perang Rusia-Ukraina.",
            &[("Rusia", "rusia"), ("Ukraina", "ukraina")],
        ),
        (
            "en dash between names",
            "Rusia–Ukraina",
            &[("Rusia", "rusia"), ("Ukraina", "ukraina")],
        ),
        ("inside a longer word", "Rusiana dan Ukrainaku", &[]),
        (
            "digits are word characters",
            "G200 and G20.",
            &[("G20", "g20")],
        ),
        (
            "apostrophe is a boundary",
            "Russia's war",
            &[("Russia", "rusia")],
        ),
        (
            "clitic after hyphen",
            "ibu kota Jakarta-nya",
            &[("Jakarta", "jakarta")],
        ),
        (
            "word joined to an unspaced script",
            "在Jakarta举行",
            &[("Jakarta", "jakarta")],
        ),
        // Case: folded for every script, except short all-capital forms.
        ("upper case", "RUSIA", &[("RUSIA", "rusia")]),
        (
            "a capitalised form needs a capital",
            "bulan lalu di Bulan",
            &[("Bulan", "bulan")],
        ),
        (
            "one capital is enough",
            "kata kementerian luar negeri Rusia",
            &[("kementerian luar negeri Rusia", "kemlu-rusia")],
        ),
        ("no capital, no match", "kementerian luar negeri rusia", &[]),
        (
            "lower-case form in any case",
            "Sungai Musi, sungai musi",
            &[("Sungai Musi", "sungai"), ("sungai musi", "sungai")],
        ),
        (
            "cyrillic in another case",
            "СЕРГЕЙ ЛАВРОВ прибыл",
            &[("СЕРГЕЙ ЛАВРОВ", "lavrov")],
        ),
        ("AS as written", "senjata AS ke Kyiv", &[("AS", "as")]),
        ("as is not AS", "as soon as possible, As well", &[]),
        ("PBB only in capitals", "pbb, Pbb, PBB", &[("PBB", "pbb")]),
        ("U.S. with dots", "the U.S. said", &[("U.S.", "as")]),
        (
            "case fold on a capital form",
            "kantor berita Tass",
            &[("Tass", "tass")],
        ),
        (
            "entity case fold",
            "nato and Nato",
            &[("nato", "nato"), ("Nato", "nato")],
        ),
        (
            "alias case exact",
            "turkey dinner in Turkey",
            &[("Turkey", "turkey")],
        ),
        (
            "sharp s folds to ss",
            "HAUPTSTRASSE 5",
            &[("HAUPTSTRASSE", "strasse")],
        ),
        // Typographic variants.
        (
            "curly apostrophe",
            "di Côte d’Ivoire",
            &[("Côte d’Ivoire", "civ")],
        ),
        (
            "curly quotes around",
            "“Kim Jong Un”",
            &[("Kim Jong Un", "kim-jong-un")],
        ),
        (
            "dash variant in a name",
            "Guinea–Bissau",
            &[("Guinea–Bissau", "gb")],
        ),
        (
            "no-break space in a name",
            "Kim\u{a0}Jong\u{a0}Un",
            &[("Kim\u{a0}Jong\u{a0}Un", "kim-jong-un")],
        ),
        (
            "line break in a name",
            "Kim Jong\nUn",
            &[("Kim Jong\nUn", "kim-jong-un")],
        ),
        (
            "run of spaces in a name",
            "Kim   Jong \t Un",
            &[("Kim   Jong \t Un", "kim-jong-un")],
        ),
        (
            "space before a hyphen",
            "Teman -teman Korea kami",
            &[("Korea", "korea")],
        ),
        (
            "diacritics folded",
            "Sao Paulo",
            &[("Sao Paulo", "sao-paulo")],
        ),
        (
            "combining marks",
            "Sa\u{303}o Paulo",
            &[("Sa\u{303}o Paulo", "sao-paulo")],
        ),
        // Block boundaries.
        ("paragraph break", "Kim Jong\n\nUn", &[]),
        ("paragraph separator", "Kim Jong\u{2029}Un", &[]),
        ("paragraph break with spaces", "Kim Jong\r\n \r\nUn", &[]),
        // Short forms need the full name in the same document, before or after.
        ("short form alone", "Kim tiba.", &[]),
        (
            "short form after the name",
            "Kim Jong Un tiba. Kim pergi.",
            &[("Kim Jong Un", "kim-jong-un"), ("Kim", "kim-jong-un")],
        ),
        (
            "short form before the name",
            "Kim pergi. Lalu Kim Jong Un tiba.",
            &[("Kim", "kim-jong-un"), ("Kim Jong Un", "kim-jong-un")],
        ),
        (
            "alias counts as a full mention",
            "Lavrov и Сергей Лавров",
            &[("Lavrov", "lavrov"), ("Сергей Лавров", "lavrov")],
        ),
        // Leftmost-longest, non-overlapping.
        (
            "longest wins",
            "Sekretaris Dewan Keamanan Rusia",
            &[("Dewan Keamanan Rusia", "dkr")],
        ),
        (
            "longer place",
            "Korea Utara dan Korea",
            &[("Korea Utara", "korea-utara"), ("Korea", "korea")],
        ),
        (
            "two forms of one entity that cross are one match",
            "Presiden Prabowo Subianto tiba.",
            &[("Presiden Prabowo Subianto", "prabowo")],
        ),
        (
            "a form that crosses itself stays one form",
            "Bora Bora Bora",
            &[("Bora Bora", "bora")],
        ),
        (
            "forms of two entities that cross: the leftmost",
            "Korea Utara Raya",
            &[("Korea Utara", "korea-utara")],
        ),
        // Scripts written without spaces match inside running text.
        ("han inside text", "我在北京工作", &[("北京", "beijing")]),
        ("thai inside text", "ไปกรุงเทพวันนี้", &[("กรุงเทพ", "bangkok")]),
        // A combining mark belongs to the character before it, in every script.
        ("mark after an unspaced name", "北京\u{e35}", &[]),
        (
            "diacritic after a name is part of it",
            "北京\u{301} x",
            &[("北京\u{301}", "beijing")],
        ),
        // Invisible characters: zero-width characters and the stega encodings of
        // visual-editing modes (runs of U+200B-U+200D, U+2060, U+FEFF; tag
        // characters U+E0000-U+E007F) neither stop a match nor join it to a word.
        // Like a combining mark, an invisible run belongs to the character before
        // it: a match that ends before one ends after it.
        (
            "zero-width space inside a name",
            "Ki\u{200b}m Jong Un",
            &[("Ki\u{200b}m Jong Un", "kim-jong-un")],
        ),
        (
            "stega run inside a name",
            "Sergey\u{200b}\u{200c}\u{200d}\u{2060}\u{feff}\u{200c} Lavrov",
            &[(
                "Sergey\u{200b}\u{200c}\u{200d}\u{2060}\u{feff}\u{200c} Lavrov",
                "lavrov",
            )],
        ),
        (
            "stega run after a name, then a name",
            "Jakarta\u{200c}\u{200b}\u{200d}\u{feff}\u{200b}\u{2060}, Rusia\u{200d}\u{200c}",
            &[
                (
                    "Jakarta\u{200c}\u{200b}\u{200d}\u{feff}\u{200b}\u{2060}",
                    "jakarta",
                ),
                ("Rusia\u{200d}\u{200c}", "rusia"),
            ],
        ),
        (
            "tag characters inside a name",
            "Kim\u{e0001}\u{e0020}\u{e0041}\u{e007f} Jong Un",
            &[(
                "Kim\u{e0001}\u{e0020}\u{e0041}\u{e007f} Jong Un",
                "kim-jong-un",
            )],
        ),
        (
            "tag characters after a name",
            "di Pyongyang\u{e0000}\u{e0068}\u{e0069}\u{e007f}.",
            &[("Pyongyang\u{e0000}\u{e0068}\u{e0069}\u{e007f}", "pyongyang")],
        ),
        (
            "invisible characters do not join a name to a word",
            "Rusia\u{200b}na, Rusia\u{e0041}na",
            &[],
        ),
    ];
    let m = matcher();
    let mut failures = Vec::new();
    for (name, text, want) in rows {
        let got = found(&m, text);
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(t, i)| (t.to_string(), i.to_string()))
            .collect();
        if got != want {
            failures.push(format!(
                "{name}: {text:?}\n   got  {got:?}\n   want {want:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "failing cases:\n{}",
        failures.join("\n")
    );
}

#[test]
fn utf16_offsets_around_stega_characters() {
    // Tag characters are outside the BMP (two UTF-16 code units each): the offsets
    // JavaScript sees start at each name's first letter and end after the
    // invisible run that follows its last one, never inside a surrogate pair.
    let m = matcher();
    let hidden = "\u{200b}\u{200c}\u{e0041}\u{e0042}\u{feff}";
    let text = format!("{hidden}Sergey Lav{hidden}rov{hidden} di Jakarta{hidden}.");
    let got = m.find(&text);
    let bytes: Vec<usize> = got
        .iter()
        .flat_map(|x| [x.start_byte, x.end_byte])
        .collect();
    let units = utf16_offsets(&text, &bytes);
    let utf16 = |s: &str| s.encode_utf16().count();
    let h = utf16(hidden);
    assert_eq!(h, 7);
    let sergey = h;
    let sergey_end = sergey + utf16("Sergey Lav") + h + utf16("rov") + h;
    let jakarta = sergey_end + utf16(" di ");
    assert_eq!(
        units,
        vec![sergey, sergey_end, jakarta, jakarta + utf16("Jakarta") + h]
    );
    let slice = |a: usize, b: usize| {
        String::from_utf16(&text.encode_utf16().collect::<Vec<_>>()[a..b]).unwrap()
    };
    assert_eq!(
        slice(units[0], units[1]),
        format!("Sergey Lav{hidden}rov{hidden}")
    );
    assert_eq!(slice(units[2], units[3]), format!("Jakarta{hidden}"));
}

#[test]
fn utf16_offsets_after_emoji_combining_marks_and_cjk() {
    let m = matcher();
    let text = "😀 e\u{301} 北京 “Rusia” 👍🏽";
    let got = m.find(text);
    let ids: Vec<&str> = got
        .iter()
        .map(|x| m.gazetteer().entities()[x.entity].id.as_str())
        .collect();
    assert_eq!(ids, ["beijing", "rusia"]);
    let bytes: Vec<usize> = got
        .iter()
        .flat_map(|x| [x.start_byte, x.end_byte])
        .collect();
    let units = utf16_offsets(text, &bytes);
    // The same offsets JavaScript's String.prototype.indexOf gives.
    let utf16: Vec<u16> = text.encode_utf16().collect();
    let beijing: Vec<u16> = "北京".encode_utf16().collect();
    let rusia: Vec<u16> = "Rusia".encode_utf16().collect();
    let at = |needle: &[u16]| {
        utf16
            .windows(needle.len())
            .position(|w| w == needle)
            .unwrap()
    };
    assert_eq!(
        units,
        vec![at(&beijing), at(&beijing) + 2, at(&rusia), at(&rusia) + 5]
    );
    assert_eq!(units, vec![6, 8, 10, 15]);
}

#[test]
fn ambiguous_forms_carry_candidates_and_a_reason() {
    let g = Gazetteer::from_json(
        r#"{"entities": [
            {"id": "georgia-country", "name": "Georgia", "type": "LOC", "aliases": ["Sakartvelo"]},
            {"id": "georgia-state", "name": "Georgia", "type": "LOC", "aliases": ["Georgia (U.S. state)"], "priority": 1},
            {"id": "kim-jong-un", "name": "Kim Jong Un", "type": "PER", "short": ["Kim"]},
            {"id": "kim-yo-jong", "name": "Kim Yo Jong", "type": "PER", "short": ["Kim"]}
        ]}"#,
        "t",
    )
    .unwrap();
    let m = Matcher::new(g).unwrap();
    let ids = |x: &sorot::Match| -> Vec<String> {
        x.candidates
            .iter()
            .map(|&c| m.gazetteer().entities()[c].id.clone())
            .collect()
    };
    // Priority decides when nothing else does.
    let r = m.find("Georgia");
    assert_eq!(ids(&r[0]), ["georgia-state", "georgia-country"]);
    assert_eq!(r[0].reason, Reason::Priority);
    // An unambiguous mention elsewhere in the document beats priority.
    let r = m.find("Georgia. Sakartvelo.");
    assert_eq!(ids(&r[0]), ["georgia-country", "georgia-state"]);
    assert_eq!(r[0].reason, Reason::Mentioned);
    // A short form goes to the entity whose full name occurs.
    let r = m.find("Kim Yo Jong spoke. Kim said");
    assert_eq!(ids(&r[1]), ["kim-yo-jong"]);
    assert!(r[1].short);
    // Both full names occur: the first in gazetteer order, and the match says so.
    let r = m.find("Kim Jong Un and Kim Yo Jong. Kim said");
    assert_eq!(ids(&r[2]), ["kim-jong-un", "kim-yo-jong"]);
    assert_eq!(r[2].reason, Reason::Order);
}

#[test]
fn diacritics_exact_per_gazetteer() {
    let g = Gazetteer::from_json(
        r#"{"diacritics": "exact", "entities": [{"id": "sp", "name": "São Paulo", "type": "LOC"}]}"#,
        "t",
    )
    .unwrap();
    let m = Matcher::new(g).unwrap();
    assert!(m.find("Sao Paulo").is_empty());
    // Composed and decomposed text are still the same letters.
    assert_eq!(m.find("Sa\u{303}o Paulo").len(), 1);
    assert_eq!(m.find("SÃO PAULO").len(), 1);
}

#[test]
fn gazetteer_case_fold_turns_the_case_rules_off() {
    let g = Gazetteer::from_json(
        r#"{"case": "fold", "entities": [{"id": "b", "name": "Bulan", "type": "LOC"},
            {"id": "as", "name": "AS", "type": "LOC"}, {"id": "x", "name": "XL", "type": "ORG", "case": "exact"}]}"#,
        "t",
    )
    .unwrap();
    let m = Matcher::new(g).unwrap();
    let text = "bulan as xl XL";
    assert_eq!(spans(&m, text, Overlap::Longest), ["bulan", "as", "XL"]);
}

#[test]
fn overlap_all_returns_nested_matches() {
    let m = matcher();
    assert_eq!(
        spans(&m, "Dewan Keamanan Rusia", Overlap::All),
        ["Dewan Keamanan Rusia", "Rusia"]
    );
    // A match inside a match of the same entity is not repeated.
    assert_eq!(
        spans(&m, "Presiden Vladimir Putin dan Kim Jong Un", Overlap::All),
        ["Vladimir Putin", "Kim Jong Un"]
    );
}
