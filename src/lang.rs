//! Languages: values given in several languages (descriptions, links, type labels)
//! and an entity's title in a reader's language.
//!
//! The rules here are the ones the JavaScript layer mirrors, so a card and
//! `sorot find --lang` agree. Language tags are compared without regard to ASCII
//! case (`en-GB` is `en-gb`); the primary subtag is the part before the first `-`.

use serde_json::{Map, Value};

use crate::gazetteer::Entity;

/// Whether `s` is a language tag as the gazetteer format takes them (the shape of
/// BCP 47): a primary subtag of two or three lower-case ASCII letters, then any
/// number of subtags of one to eight ASCII letters or digits, each after a `-`.
///
/// The subtags are not looked up in any registry: `xx` is accepted, `EN`, `e`,
/// `en_GB` and `en-` are not.
///
/// ```
/// use sorot::is_language_tag;
/// assert!(is_language_tag("en") && is_language_tag("pt-BR") && is_language_tag("zh-Hant-TW"));
/// assert!(!is_language_tag("EN") && !is_language_tag("en_GB") && !is_language_tag(""));
/// ```
pub fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The primary subtag: `en` of `en-GB`.
fn primary(tag: &str) -> &str {
    tag.split('-').next().unwrap_or(tag)
}

fn same_tag(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

fn same_primary(a: &str, b: &str) -> bool {
    primary(a).eq_ignore_ascii_case(primary(b))
}

/// A text given in the gazetteer's own language, or in several languages: an
/// entity's description or link, a type's label.
///
/// It holds `(language tag, text)` pairs in the order the gazetteer gives them. A
/// plain string is one pair whose tag is `""`: the language is not stated (it is the
/// gazetteer's own, [`Gazetteer::lang`](crate::Gazetteer::lang), when that is
/// known). In the JSON format a plain value is a string and any other an object
/// keyed by language tag:
/// `{"id": "Menteri Luar Negeri Rusia", "en": "Foreign Minister of Russia"}`.
///
/// ```
/// use sorot::Gazetteer;
/// let g = Gazetteer::from_json(r#"{"lang": "id", "entities": [{"id": "lavrov",
///     "name": "Sergey Lavrov", "type": "PER",
///     "description": {"id": "Menteri Luar Negeri Rusia", "en": "Foreign Minister of Russia"}}]}"#,
///     "example").unwrap();
/// let d = g.entities()[0].description.as_ref().unwrap();
/// assert_eq!(d.resolve("en-GB", g.lang()), "Foreign Minister of Russia");
/// assert_eq!(d.resolve("fr", g.lang()), "Menteri Luar Negeri Rusia");
/// assert_eq!(d.get("en"), Some("Foreign Minister of Russia"));
/// assert!(!d.is_plain());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Localized {
    values: Vec<(String, String)>,
}

impl Localized {
    /// A plain value: `text` in the gazetteer's own language.
    pub fn new(text: impl Into<String>) -> Localized {
        Localized {
            values: vec![(String::new(), text.into())],
        }
    }

    /// A value from `(language tag, text)` pairs, in order (`""` for a text in no
    /// stated language). `None` when there is no pair. The pairs are taken as they
    /// are: the gazetteer readers check the tags and texts before making one.
    pub fn from_pairs(values: Vec<(String, String)>) -> Option<Localized> {
        (!values.is_empty()).then_some(Localized { values })
    }

    /// The `(language tag, text)` pairs in the gazetteer's order; `""` is a text in
    /// no stated language.
    pub fn values(&self) -> &[(String, String)] {
        &self.values
    }

    /// Whether it is a plain string (one text, in no stated language).
    pub fn is_plain(&self) -> bool {
        matches!(self.values.as_slice(), [(tag, _)] if tag.is_empty())
    }

    /// The text of a plain value; `None` for a value given by language.
    pub fn as_plain(&self) -> Option<&str> {
        match self.values.as_slice() {
            [(tag, text)] if tag.is_empty() => Some(text),
            _ => None,
        }
    }

    /// The text given for exactly this language tag (ASCII case ignored), if any.
    pub fn get(&self, lang: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(tag, _)| same_tag(tag, lang))
            .map(|(_, text)| text.as_str())
    }

    /// The text for a reader of language `lang`, given the gazetteer's own language
    /// `own`: the text for exactly `lang`, else the first whose primary subtag is
    /// `lang`'s (`en` or `en-US` for an `en-GB` reader, and `en-GB` for an `en`
    /// reader), else the text for `own`, else the text in no stated language, else
    /// the first.
    ///
    /// An empty `lang` (no reader language) skips the first two steps. A plain value
    /// always gives its one text.
    ///
    /// ```
    /// let v = sorot::Localized::from_pairs(vec![
    ///     ("en-US".into(), "color".into()),
    ///     ("id".into(), "warna".into()),
    /// ]).unwrap();
    /// assert_eq!(v.resolve("en-GB", Some("id")), "color");
    /// assert_eq!(v.resolve("ms", Some("id")), "warna");
    /// assert_eq!(v.resolve("ms", None), "color");
    /// assert_eq!(sorot::Localized::new("warna").resolve("en", None), "warna");
    /// ```
    pub fn resolve(&self, lang: &str, own: Option<&str>) -> &str {
        let find = |pred: &dyn Fn(&str) -> bool| {
            self.values
                .iter()
                .find(|(tag, _)| pred(tag))
                .map(|(_, text)| text.as_str())
        };
        let reader = (!lang.is_empty())
            .then(|| {
                find(&|tag| same_tag(tag, lang))
                    .or_else(|| find(&|tag| !tag.is_empty() && same_primary(tag, lang)))
            })
            .flatten();
        reader
            .or_else(|| own.and_then(|own| find(&|tag| !tag.is_empty() && same_tag(tag, own))))
            .or_else(|| find(&str::is_empty))
            .unwrap_or(&self.values[0].1)
    }

    /// The value in the JSON format: a string when plain, else an object keyed by
    /// language tag.
    pub fn to_json(&self) -> Value {
        if let Some(text) = self.as_plain() {
            return text.into();
        }
        let map: Map<String, Value> = self
            .values
            .iter()
            .map(|(tag, text)| (tag.clone(), text.clone().into()))
            .collect();
        Value::Object(map)
    }
}

impl Entity {
    /// The entity's title for a reader of language `lang` (what a card shows and
    /// what `sorot find --lang` reports): the `name` when the name has language
    /// `lang`; else the first of the name and the aliases (not the short forms) with
    /// language `lang`; else the first of them whose language has `lang`'s primary
    /// subtag (an `en` alias for an `en-GB` reader); else the `name`.
    ///
    /// Tags are compared without regard to ASCII case; a form without a `lang` never
    /// matches, so an empty `lang` gives the name.
    ///
    /// ```
    /// let g = sorot::Gazetteer::from_json(r#"{"entities": [{"id": "pbb",
    ///     "name": "Perserikatan Bangsa-Bangsa", "type": "ORG",
    ///     "aliases": ["PBB", {"text": "United Nations", "lang": "en"}],
    ///     "short": [{"text": "UN", "lang": "en"}]}]}"#, "example").unwrap();
    /// let e = &g.entities()[0];
    /// assert_eq!(e.title("en"), "United Nations");
    /// assert_eq!(e.title("en-GB"), "United Nations");
    /// assert_eq!(e.title("id"), "Perserikatan Bangsa-Bangsa");
    /// ```
    pub fn title(&self, lang: &str) -> &str {
        let tagged = |pred: &dyn Fn(&str) -> bool| {
            self.full_forms()
                .find(|s| s.lang.as_deref().is_some_and(pred))
                .map(|s| s.text.as_str())
        };
        if lang.is_empty() {
            return &self.name.text;
        }
        // The name first when it has the language: `full_forms` starts with it.
        tagged(&|tag| same_tag(tag, lang))
            .or_else(|| tagged(&|tag| same_primary(tag, lang)))
            .unwrap_or(&self.name.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Localized {
        Localized::from_pairs(
            list.iter()
                .map(|(t, v)| (t.to_string(), v.to_string()))
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn language_tags() {
        for ok in ["en", "id", "ace", "pt-BR", "en-gb", "zh-Hant-TW", "de-1996"] {
            assert!(is_language_tag(ok), "{ok}");
        }
        for bad in [
            "",
            "e",
            "x-a",
            "engl",
            "EN",
            "En",
            "en_GB",
            "en-",
            "en--GB",
            "en-toolongsub",
            "id!",
            " en",
            "ïd",
        ] {
            assert!(!is_language_tag(bad), "{bad:?}");
        }
    }

    #[test]
    fn resolution_order() {
        // (case, value, reader, own language, expected)
        type Row<'a> = (
            &'a str,
            &'a [(&'a str, &'a str)],
            &'a str,
            Option<&'a str>,
            &'a str,
        );
        let rows: &[Row] = &[
            (
                "exact tag",
                &[("id", "I"), ("en", "E")],
                "en",
                Some("id"),
                "E",
            ),
            (
                "exact tag, other case",
                &[("id", "I"), ("en-GB", "B")],
                "en-gb",
                Some("id"),
                "B",
            ),
            (
                "exact beats primary",
                &[("en", "E"), ("en-GB", "B")],
                "en-GB",
                Some("id"),
                "B",
            ),
            (
                "primary subtag of the reader",
                &[("id", "I"), ("en", "E")],
                "en-GB",
                Some("id"),
                "E",
            ),
            (
                "primary subtag of the value",
                &[("id", "I"), ("en-US", "U")],
                "en",
                Some("id"),
                "U",
            ),
            (
                "first with the primary subtag",
                &[("en-US", "U"), ("en-AU", "A")],
                "en-GB",
                None,
                "U",
            ),
            (
                "own language",
                &[("en", "E"), ("id", "I")],
                "fr",
                Some("id"),
                "I",
            ),
            (
                "own language, other case",
                &[("en", "E"), ("pt-BR", "P")],
                "fr",
                Some("pt-br"),
                "P",
            ),
            (
                "own language is exact, not primary",
                &[("en", "E"), ("id-ID", "I")],
                "fr",
                Some("id"),
                "E",
            ),
            (
                "unspecified",
                &[("en", "E"), ("", "U")],
                "fr",
                Some("id"),
                "U",
            ),
            (
                "unspecified without own language",
                &[("en", "E"), ("", "U")],
                "fr",
                None,
                "U",
            ),
            (
                "reader's language beats unspecified",
                &[("", "U"), ("en", "E")],
                "en",
                None,
                "E",
            ),
            ("first", &[("en", "E"), ("de", "D")], "fr", Some("id"), "E"),
            (
                "no reader language: own",
                &[("en", "E"), ("id", "I")],
                "",
                Some("id"),
                "I",
            ),
            (
                "no reader language: unspecified",
                &[("en", "E"), ("", "U")],
                "",
                None,
                "U",
            ),
            (
                "no reader language: first",
                &[("en", "E"), ("de", "D")],
                "",
                None,
                "E",
            ),
            ("plain", &[("", "P")], "en", Some("id"), "P"),
        ];
        for (name, values, reader, own, want) in rows {
            assert_eq!(pairs(values).resolve(reader, *own), *want, "{name}");
        }
    }

    #[test]
    fn titles() {
        let g = crate::Gazetteer::from_json(
            r#"{"entities": [
            {"id": "a", "name": "Nama", "type": "T",
             "aliases": [{"text": "Name US", "lang": "en-US"}, {"text": "Name", "lang": "en"}, {"text": "Nom", "lang": "fr"}],
             "short": [{"text": "Kurz", "lang": "de"}]},
            {"id": "b", "name": {"text": "Londres", "lang": "fr"}, "type": "T",
             "aliases": [{"text": "Londres (ville)", "lang": "fr"}, {"text": "London", "lang": "en-GB"}]}]}"#,
            "t",
        )
        .unwrap();
        let [a, b] = g.entities() else { panic!() };
        // (case, entity, reader, title)
        let rows = [
            (
                "exact alias, not the earlier primary match",
                a,
                "en",
                "Name",
            ),
            ("exact alias", a, "en-US", "Name US"),
            ("exact, ignoring case", a, "EN-us", "Name US"),
            ("primary subtag: the first such form", a, "en-GB", "Name US"),
            ("short forms do not count", a, "de", "Nama"),
            ("no form in the language", a, "id", "Nama"),
            ("no reader language", a, "", "Nama"),
            ("the name before an alias", b, "fr", "Londres"),
            ("primary subtag of the form", b, "en", "London"),
            ("the name's primary subtag", b, "fr-CA", "Londres"),
        ];
        for (name, e, lang, want) in rows {
            assert_eq!(e.title(lang), want, "{name}");
        }
    }

    #[test]
    fn plain_and_json() {
        let plain = Localized::new("Negara");
        assert!(plain.is_plain());
        assert_eq!(plain.as_plain(), Some("Negara"));
        assert_eq!(plain.to_json(), Value::from("Negara"));
        let two = pairs(&[("", "Negara"), ("en", "Country")]);
        assert!(!two.is_plain());
        assert_eq!(two.as_plain(), None);
        assert_eq!(two.get("EN"), Some("Country"));
        assert_eq!(two.get("fr"), None);
        assert_eq!(
            two.to_json(),
            serde_json::json!({"": "Negara", "en": "Country"})
        );
        // One language, stated: an object, not a string.
        assert_eq!(
            pairs(&[("en", "Country")]).to_json(),
            serde_json::json!({"en": "Country"})
        );
        assert_eq!(Localized::from_pairs(Vec::new()), None);
    }
}
