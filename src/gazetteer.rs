//! Gazetteers: loading (JSON, TSV), validation with messages that say where, merging.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::color;
use crate::error::Error;
use crate::lang::{is_language_tag, Localized};
use crate::normalize::{self, Fold};

/// How the letter case of a surface form is compared with the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Case {
    /// Only with exactly the capitals written in the gazetteer ("AS" is not "as").
    Exact,
    /// In any case, for every script.
    Fold,
}

/// Whether accents and other diacritics must match ("São" and "Sao").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Diacritics {
    /// Diacritics are ignored: "Sao Paulo" finds "São Paulo" (the default).
    #[default]
    Fold,
    /// Diacritics must match (composed and decomposed forms are still equal).
    Exact,
}

/// One written form of an entity: its name, an alias or a short form.
#[derive(Clone, Debug, PartialEq)]
pub struct Surface {
    /// The text as written in the gazetteer.
    pub text: String,
    /// The case rule for this form, overriding the entity's and the default rule.
    pub case: Option<Case>,
    /// The language of this form (a language tag, e.g. `ru`): it picks the
    /// entity's title in a reader's language ([`Entity::title`]) and is not used for
    /// matching.
    pub lang: Option<String>,
}

/// How a form's letter case is compared with the text, once every rule is applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CaseRule {
    /// Only with exactly the capitals of the form.
    Exact,
    /// In any case, provided the text has a capital letter somewhere in the match:
    /// "kementerian luar negeri Rusia" and "JAKARTA" match, "bulan" does not match
    /// "Bulan".
    Capitalised,
    /// In any case.
    Fold,
}

impl Surface {
    /// The rule that applies to this form: its own `case`, else the entity's, else
    /// the default: exact for forms written only in capitals with at most four
    /// letters ("AS", "PBB"), capitalised for other forms with a capital letter, and
    /// folded for forms without one.
    pub fn case_rule(&self, entity_case: Option<Case>) -> CaseRule {
        match self.case.or(entity_case) {
            Some(Case::Exact) => return CaseRule::Exact,
            Some(Case::Fold) => return CaseRule::Fold,
            None => {}
        }
        let mut letters = 0;
        let mut capitals = 0;
        for c in self.text.chars().filter(|c| c.is_alphabetic()) {
            letters += 1;
            if c.is_uppercase() {
                capitals += 1;
            }
        }
        if capitals > 0 && capitals == letters && letters <= 4 {
            CaseRule::Exact
        } else if capitals > 0 {
            CaseRule::Capitalised
        } else {
            CaseRule::Fold
        }
    }
}

/// An entity type: a short key (`PER`), a label and a colour.
#[derive(Clone, Debug, PartialEq)]
pub struct EntityType {
    /// The key entities use: `[A-Za-z][A-Za-z0-9_-]*`, at most 32 characters.
    pub key: String,
    /// The label shown to readers ("Orang"), in one language or several.
    pub label: Localized,
    /// The colour, always `#rrggbb` or `#rrggbbaa`.
    pub color: String,
    /// Whether the gazetteer declared the type (rather than only using it).
    declared: bool,
}

/// A named entity with everything needed to find and describe it.
#[derive(Clone, Debug, PartialEq)]
pub struct Entity {
    /// Unique id within the gazetteer.
    pub id: String,
    /// The canonical name.
    pub name: Surface,
    /// The key of its type.
    pub type_key: String,
    /// Other full names.
    pub aliases: Vec<Surface>,
    /// Short mentions, which count only when the name or an alias occurs in the same
    /// document.
    pub short: Vec<Surface>,
    /// One line describing the entity, in one language or several.
    pub description: Option<Localized>,
    /// A link (`http:` or `https:` only), or one per language.
    pub url: Option<Localized>,
    /// The entity's case rule for all its forms, unless a form has its own.
    pub case: Option<Case>,
    /// Breaks ties between entities that share a surface form (higher wins).
    pub priority: f64,
    /// The diacritics rule of the gazetteer the entity came from.
    pub diacritics: Diacritics,
    /// Fields the format does not know, kept as they were.
    pub extra: Map<String, Value>,
}

impl Entity {
    /// The name and the aliases: the forms that count as a full mention.
    pub fn full_forms(&self) -> impl Iterator<Item = &Surface> {
        std::iter::once(&self.name).chain(&self.aliases)
    }

    /// Every form, each with whether it is a short form: the name, the aliases, then
    /// the short forms.
    pub fn forms(&self) -> impl Iterator<Item = (&Surface, bool)> {
        self.full_forms()
            .map(|s| (s, false))
            .chain(self.short.iter().map(|s| (s, true)))
    }
}

/// What [`Gazetteer::merge`] does with an id that a later part uses again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Duplicates {
    /// The later entity replaces the earlier one, in the earlier one's place.
    Replace,
    /// A duplicate id is an error.
    Error,
}

/// The text formats a gazetteer can be read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One JSON object (the format's reference form).
    Json,
    /// One entity object per line.
    JsonLines,
    /// Tab-separated, with a header line.
    Tsv,
    /// Comma-separated (RFC 4180), with a header line.
    Csv,
}

impl Format {
    /// The format of a file name's extension (`.json`, `.jsonl`/`.ndjson`, `.tsv`,
    /// `.csv`), if it has one of those.
    pub fn from_path(path: &str) -> Option<Format> {
        let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(Format::Json),
            "jsonl" | "ndjson" => Some(Format::JsonLines),
            "tsv" | "tab" => Some(Format::Tsv),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    /// The format the text looks like: JSON Lines when its first non-empty line is a
    /// whole JSON object and more lines follow (or it is one entity, with an `"id"`),
    /// JSON for any other text starting with `{` or `[`, TSV when the first line that
    /// is not a `#` comment has a tab or no comma, CSV otherwise.
    pub fn detect(text: &str) -> Format {
        let trimmed = text.trim_start();
        if trimmed.starts_with('{') {
            let mut lines = trimmed.lines().map(str::trim).filter(|l| !l.is_empty());
            let first = lines.next().unwrap_or("");
            let more = lines.next().is_some();
            return match serde_json::from_str::<Map<String, Value>>(first) {
                Ok(o) if more || (o.contains_key("id") && !o.contains_key("entities")) => {
                    Format::JsonLines
                }
                _ => Format::Json,
            };
        }
        if trimmed.starts_with('[') {
            return Format::Json;
        }
        let header = text
            .lines()
            .find(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .unwrap_or("");
        if header.contains('\t') || !header.contains(',') {
            Format::Tsv
        } else {
            Format::Csv
        }
    }
}

/// A validated gazetteer: entity types and entities.
///
/// Loading never panics: malformed input gives an [`Error`] that lists each problem
/// and where it is.
///
/// ```
/// let g = sorot::Gazetteer::from_json(r#"{"entities": [
///     {"id": "jakarta", "name": "Jakarta", "type": "LOC"}]}"#, "example").unwrap();
/// assert_eq!(g.entities().len(), 1);
/// assert_eq!(g.entity_type("LOC").unwrap().label.as_plain(), Some("LOC"));
///
/// let err = sorot::Gazetteer::from_json(r#"{"entities": [{"id": "x", "name": "", "type": "LOC"}]}"#, "bad.json")
///     .unwrap_err();
/// assert_eq!(err.to_string(), r#"bad.json: entities[0] ("x"): "name" is empty"#);
/// ```
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Gazetteer {
    name: String,
    /// The language of its plain descriptions, labels and links.
    lang: Option<String>,
    types: Vec<EntityType>,
    entities: Vec<Entity>,
    /// Top-level fields the format does not know (`as_of`, `license`, ...).
    extra: Map<String, Value>,
}

const MAX_PROBLEMS: usize = 100;

impl Gazetteer {
    /// Loads a gazetteer from JSON text. `origin` names it in error messages (a file
    /// name, a URL, "gazetteer 2").
    pub fn from_json(text: &str, origin: &str) -> Result<Gazetteer, Error> {
        let value: Value = serde_json::from_str(text).map_err(|e| json_error(origin, &e))?;
        Gazetteer::from_value(&value, origin)
    }

    /// Loads a gazetteer from a parsed JSON value.
    pub fn from_value(value: &Value, origin: &str) -> Result<Gazetteer, Error> {
        let mut p = Problems::default();
        let Some(top) = value.as_object() else {
            return Err(Error::invalid(
                origin,
                vec![r#"a gazetteer must be a JSON object with an "entities" array"#.into()],
            ));
        };
        match top.get("version") {
            None => {}
            Some(v) if v.as_u64() == Some(1) => {}
            Some(v) => p.push(format!(
                "unsupported \"version\" {v} (this reader knows version 1)"
            )),
        }
        let name = match top.get("name") {
            None => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(_) => {
                p.push(r#""name" must be a string"#.into());
                String::new()
            }
        };
        let lang = match top.get("lang") {
            None | Some(Value::Null) => None,
            Some(Value::String(l)) if is_language_tag(l) => Some(l.clone()),
            Some(Value::String(l)) => {
                p.push(format!("\"lang\" {l:?} is not {TAG_HINT}"));
                None
            }
            Some(_) => {
                p.push(format!("\"lang\" must be a string: {TAG_HINT}"));
                None
            }
        };
        let diacritics = match top.get("diacritics").map(|v| v.as_str()) {
            None | Some(Some("fold")) => Diacritics::Fold,
            Some(Some("exact")) => Diacritics::Exact,
            Some(_) => {
                p.push(r#""diacritics" must be "fold" or "exact""#.into());
                Diacritics::Fold
            }
        };
        let types = match top.get("types") {
            None => Vec::new(),
            Some(v) => parse_types(v, &mut p),
        };
        let entities = match top.get("entities") {
            Some(Value::Array(list)) => {
                let labels: Vec<String> =
                    (0..list.len()).map(|i| format!("entities[{i}]")).collect();
                parse_entities(
                    list.iter().zip(labels.iter().map(String::as_str)),
                    diacritics,
                    &mut p,
                )
            }
            Some(_) => {
                p.push(r#""entities" must be an array"#.into());
                Vec::new()
            }
            None => {
                p.push(r#"missing "entities" (an array of entities)"#.into());
                Vec::new()
            }
        };
        let case = match top.get("case") {
            None | Some(Value::Null) => None,
            Some(v) => parse_case(v, "gazetteer", "\"case\"", &mut p),
        };
        let mut entities = entities;
        for e in entities.iter_mut().filter(|e| e.case.is_none()) {
            e.case = case;
        }
        p.finish(origin)?;
        let extra = top
            .iter()
            .filter(|(k, _)| {
                ![
                    "version",
                    "name",
                    "lang",
                    "diacritics",
                    "case",
                    "types",
                    "entities",
                ]
                .contains(&k.as_str())
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let mut g = Gazetteer {
            name,
            lang,
            types,
            entities,
            extra,
        };
        g.add_missing_types();
        Ok(g)
    }

    /// Loads a gazetteer from tab-separated text.
    ///
    /// The first line that is not empty and not a `#` comment names the columns:
    /// `id`, `type`, `name` are required; `aliases` and `short` hold forms separated
    /// by `|`; `description`, `url`, `case`, `priority` are optional; other columns
    /// are kept as extra fields. A form may end with options in braces: `AS {exact}`,
    /// `Сергей Лавров {ru}`, `Georgia {exact,en}`.
    ///
    /// Columns `description@LANG` and `url@LANG` (`description@en`) give the
    /// description or link in language `LANG`. An entity with one of them gets a
    /// value by language (see [`Localized`]), where its plain `description` or `url`
    /// (the gazetteer's own language, not stated in the file) has the tag `""`.
    ///
    /// ```
    /// let tsv = "id\ttype\tname\tdescription\tdescription@en\n\
    ///            lavrov\tPER\tSergey Lavrov\tMenteri Luar Negeri Rusia\tForeign Minister of Russia\n";
    /// let g = sorot::Gazetteer::from_tsv(tsv, "people.tsv").unwrap();
    /// let d = g.entities()[0].description.as_ref().unwrap();
    /// assert_eq!(d.get("en"), Some("Foreign Minister of Russia"));
    /// assert_eq!(d.get(""), Some("Menteri Luar Negeri Rusia"));
    /// ```
    pub fn from_tsv(text: &str, origin: &str) -> Result<Gazetteer, Error> {
        let rows = text
            .split('\n')
            .enumerate()
            .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)))
            .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
            .map(|(line, l)| (line, l.split('\t').map(str::to_string).collect()))
            .collect();
        Gazetteer::from_rows(rows, origin)
    }

    /// Loads a gazetteer from comma-separated values (RFC 4180: fields may be quoted
    /// with `"`, a quote inside doubled), with the same columns as
    /// [`Gazetteer::from_tsv`].
    ///
    /// ```
    /// let csv = "id,type,name,aliases,description\njkt,LOC,Jakarta,\"DKI|Batavia\",\"Ibu kota, dulu\"\n";
    /// let g = sorot::Gazetteer::from_csv(csv, "cities.csv").unwrap();
    /// assert_eq!(g.entities()[0].aliases.len(), 2);
    /// let description = g.entities()[0].description.as_ref().unwrap();
    /// assert_eq!(description.as_plain(), Some("Ibu kota, dulu"));
    /// ```
    pub fn from_csv(text: &str, origin: &str) -> Result<Gazetteer, Error> {
        let rows = csv_records(text).map_err(|m| Error::syntax(origin, m))?;
        let rows = rows
            .into_iter()
            .filter(|(_, cells)| !(cells.len() == 1 && cells[0].trim().is_empty()))
            .filter(|(_, cells)| !cells[0].starts_with('#'))
            .collect();
        Gazetteer::from_rows(rows, origin)
    }

    /// Loads a gazetteer from JSON Lines: one entity object per line (as in the JSON
    /// format's `entities`). A first line with neither `"id"` nor `"name"` is the
    /// gazetteer's header: it may carry `version`, `types` and `diacritics`.
    pub fn from_json_lines(text: &str, origin: &str) -> Result<Gazetteer, Error> {
        let mut header = Map::new();
        let mut items = Vec::new();
        for (i, line) in text.split('\n').enumerate() {
            let line_no = i + 1;
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let value: Value = serde_json::from_str(line).map_err(|e| {
                let full = e.to_string();
                let suffix = format!(" at line {} column {}", e.line(), e.column());
                let message = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
                Error::syntax(
                    origin,
                    format!(
                        "line {line_no}: invalid JSON at column {}: {message}",
                        e.column()
                    ),
                )
            })?;
            let is_header = items.is_empty()
                && header.is_empty()
                && value
                    .as_object()
                    .is_some_and(|o| !o.contains_key("id") && !o.contains_key("name"));
            match value {
                Value::Object(o) if is_header => header = o,
                other => items.push((other, format!("line {line_no}"))),
            }
        }
        let diacritics = match header.get("diacritics").and_then(Value::as_str) {
            Some("exact") => Diacritics::Exact,
            _ => Diacritics::Fold,
        };
        header.insert("entities".into(), Value::Array(Vec::new()));
        let mut g = Gazetteer::from_value(&Value::Object(header), origin)?;
        let mut p = Problems::default();
        g.entities = parse_entities(
            items.iter().map(|(v, l)| (v, l.as_str())),
            diacritics,
            &mut p,
        );
        p.finish(origin)?;
        g.add_missing_types();
        Ok(g)
    }

    /// Loads a gazetteer in the given format, or (with `None`) in the format the text
    /// looks like (see [`Format::detect`]).
    pub fn parse_as(text: &str, origin: &str, format: Option<Format>) -> Result<Gazetteer, Error> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        match format.unwrap_or_else(|| Format::detect(text)) {
            Format::Json => Gazetteer::from_json(text, origin),
            Format::JsonLines => Gazetteer::from_json_lines(text, origin),
            Format::Tsv => Gazetteer::from_tsv(text, origin),
            Format::Csv => Gazetteer::from_csv(text, origin),
        }
    }

    /// Loads a gazetteer in the format the text looks like: JSON, JSON Lines, TSV or
    /// CSV (see [`Format::detect`]).
    pub fn parse(text: &str, origin: &str) -> Result<Gazetteer, Error> {
        Gazetteer::parse_as(text, origin, None)
    }

    /// A gazetteer from table rows (line number, cells); the first row names the
    /// columns.
    fn from_rows(rows: Vec<(usize, Vec<String>)>, origin: &str) -> Result<Gazetteer, Error> {
        let mut p = Problems::default();
        let mut rows = rows.into_iter();
        let Some((_, header)) = rows.next() else {
            return Err(Error::syntax(
                origin,
                "empty file: expected a header line naming the columns",
            ));
        };
        // Column names are read without regard to case, except the language tag of
        // `description@LANG` and `url@LANG`, kept as written.
        let columns: Vec<String> = header
            .iter()
            .map(|c| match c.trim().split_once('@') {
                Some((base, tag))
                    if LOCALIZED_COLUMNS.contains(&base.to_ascii_lowercase().as_str()) =>
                {
                    format!("{}@{tag}", base.to_ascii_lowercase())
                }
                _ => c.trim().to_ascii_lowercase(),
            })
            .collect();
        let mut localized_columns: Vec<&str> = Vec::new();
        for column in &columns {
            let Some((base, tag)) = column.split_once('@') else {
                continue;
            };
            if LOCALIZED_COLUMNS.contains(&base) {
                if !is_language_tag(tag) {
                    return Err(Error::syntax(
                        origin,
                        format!("the header line's column {column:?}: {tag:?} is not {TAG_HINT}"),
                    ));
                }
                if localized_columns.contains(&column.as_str()) {
                    return Err(Error::syntax(
                        origin,
                        format!("the header line names the column {column:?} twice"),
                    ));
                }
                localized_columns.push(column);
            } else if KNOWN_FIELDS.contains(&base) {
                return Err(Error::syntax(
                    origin,
                    format!(
                        "the header line's column {column:?}: only description and url take a language (a form's language goes in its cell: \"United Nations {{en}}\")"
                    ),
                ));
            }
        }
        for required in ["id", "type", "name"] {
            if !columns.iter().any(|c| c == required) {
                return Err(Error::syntax(
                    origin,
                    format!(
                        "the header line has no \"{required}\" column (it has: {})",
                        columns.join(", ")
                    ),
                ));
            }
        }
        let mut entities_in = Vec::new();
        for (line, cells) in rows {
            if cells.len() > columns.len() {
                p.push(format!(
                    "line {line}: {} cells, but the header names {} columns",
                    cells.len(),
                    columns.len()
                ));
                continue;
            }
            let mut entity = Map::new();
            // description and url by language tag ("" for the plain column).
            let mut localized: [Map<String, Value>; 2] = Default::default();
            for (column, cell) in columns.iter().zip(&cells) {
                let cell = cell.trim();
                if cell.is_empty() {
                    continue;
                }
                let (base, tag) = column.split_once('@').unwrap_or((column, ""));
                if let Some(i) = LOCALIZED_COLUMNS.iter().position(|c| *c == base) {
                    localized[i].insert(tag.to_string(), cell.into());
                    continue;
                }
                let value = match column.as_str() {
                    "name" => tsv_surface(cell, line, column, &mut p),
                    "aliases" | "short" => Value::Array(
                        cell.split('|')
                            .map(str::trim)
                            .filter(|item| !item.is_empty())
                            .map(|item| tsv_surface(item, line, column, &mut p))
                            .collect(),
                    ),
                    "priority" => match cell.parse::<f64>() {
                        Ok(n) => serde_json::Number::from_f64(n)
                            .map(Value::Number)
                            .unwrap_or(Value::Null),
                        Err(_) => Value::String(cell.to_string()),
                    },
                    _ => Value::String(cell.to_string()),
                };
                entity.insert(column.clone(), value);
            }
            for (base, mut values) in LOCALIZED_COLUMNS.iter().zip(localized) {
                let value = match values.remove("") {
                    Some(plain) if values.is_empty() => plain,
                    plain => {
                        let mut all = Map::new();
                        all.extend(plain.map(|v| (String::new(), v)));
                        all.extend(values);
                        Value::Object(all)
                    }
                };
                if value.as_object().is_none_or(|m| !m.is_empty()) {
                    entity.insert(base.to_string(), value);
                }
            }
            entities_in.push((Value::Object(entity), format!("line {line}")));
        }
        let entities = parse_entities(
            entities_in.iter().map(|(v, l)| (v, l.as_str())),
            Diacritics::Fold,
            &mut p,
        );
        p.finish(origin)?;
        let mut g = Gazetteer {
            entities,
            ..Gazetteer::default()
        };
        g.add_missing_types();
        Ok(g)
    }

    /// Merges gazetteers in order into one: entities in order, types declared later
    /// override earlier ones, names joined with " + "; the first part that gives a
    /// `lang` gives the merged gazetteer's.
    pub fn merge(
        parts: Vec<(Gazetteer, String)>,
        duplicates: Duplicates,
    ) -> Result<Gazetteer, Error> {
        let mut out = Gazetteer::default();
        let mut index: HashMap<String, (usize, String)> = HashMap::new();
        let mut p = Problems::default();
        let mut names = Vec::new();
        for (part, origin) in parts {
            if !part.name.is_empty() {
                names.push(part.name.clone());
            }
            if out.lang.is_none() {
                out.lang = part.lang;
            }
            for (k, v) in part.extra {
                out.extra.insert(k, v);
            }
            for t in part.types.into_iter().filter(|t| t.declared) {
                match out.types.iter_mut().find(|u| u.key == t.key) {
                    Some(u) => *u = t,
                    None => out.types.push(t),
                }
            }
            for e in part.entities {
                match index.get(&e.id) {
                    Some((i, first)) => match duplicates {
                        Duplicates::Replace => out.entities[*i] = e,
                        Duplicates::Error => p.push(format!(
                            "{origin}: duplicate id \"{}\", also in {first}",
                            e.id
                        )),
                    },
                    None => {
                        index.insert(e.id.clone(), (out.entities.len(), origin.clone()));
                        out.entities.push(e);
                    }
                }
            }
        }
        p.finish("merged gazetteer")?;
        out.name = names.join(" + ");
        out.add_missing_types();
        Ok(out)
    }

    /// The gazetteer's name ("" when it has none).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The gazetteer's own language (its top-level `"lang"`, a language tag): the
    /// language of its plain descriptions, labels and links. `None` when not given.
    pub fn lang(&self) -> Option<&str> {
        self.lang.as_deref()
    }

    /// The entity types, declared ones first, then those used but not declared.
    pub fn types(&self) -> &[EntityType] {
        &self.types
    }

    /// The type with this key.
    pub fn entity_type(&self, key: &str) -> Option<&EntityType> {
        self.types.iter().find(|t| t.key == key)
    }

    /// Top-level fields the format does not know, kept as they were (`as_of`, ...).
    pub fn extra(&self) -> &Map<String, Value> {
        &self.extra
    }

    /// The entities, in gazetteer order.
    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// The gazetteer in the JSON format, as [`Gazetteer::from_json`] reads it.
    pub fn to_json(&self) -> Value {
        let mut top = Map::new();
        top.insert("version".into(), 1.into());
        if !self.name.is_empty() {
            top.insert("name".into(), self.name.clone().into());
        }
        if let Some(lang) = &self.lang {
            top.insert("lang".into(), lang.clone().into());
        }
        let types: Map<String, Value> = self
            .types
            .iter()
            .map(|t| {
                let mut m = Map::new();
                m.insert("label".into(), t.label.to_json());
                m.insert("color".into(), t.color.clone().into());
                (t.key.clone(), Value::Object(m))
            })
            .collect();
        top.insert("types".into(), Value::Object(types));
        for (k, v) in &self.extra {
            top.insert(k.clone(), v.clone());
        }
        let entities = self.entities.iter().map(entity_to_json).collect();
        top.insert("entities".into(), Value::Array(entities));
        Value::Object(top)
    }

    /// [`Gazetteer::to_json`] as compact text, with where each entity is in it (in
    /// bytes): the end of the head (the fields before the first entity), then each
    /// entity's start and end. The text is `to_json().to_string()` exactly.
    pub fn to_json_indexed(&self) -> (String, Vec<u32>) {
        let Value::Object(mut top) = self.to_json() else {
            unreachable!("to_json gives an object")
        };
        let entities = match top.remove("entities") {
            Some(Value::Array(list)) => list,
            _ => Vec::new(),
        };
        // `entities` is the last field: the head is every other field, then it.
        let mut text = Value::Object(top).to_string();
        text.pop(); // the closing brace
        text.push_str(if text.len() > 1 {
            ",\"entities\":["
        } else {
            "\"entities\":["
        });
        let mut index = vec![text.len() as u32];
        for (i, e) in entities.iter().enumerate() {
            if i > 0 {
                text.push(',');
            }
            index.push(text.len() as u32);
            text.push_str(&e.to_string());
            index.push(text.len() as u32);
        }
        text.push_str("]}");
        (text, index)
    }

    /// Types used but not declared get their key as label and a colour of their
    /// own: the same key always gets the same colour (whatever the order of the
    /// entities), and no two types of one gazetteer share one while the palette
    /// lasts.
    fn add_missing_types(&mut self) {
        let mut missing: Vec<String> = Vec::new();
        for e in &self.entities {
            if self.types.iter().all(|t| t.key != e.type_key) && !missing.contains(&e.type_key) {
                missing.push(e.type_key.clone());
            }
        }
        missing.sort();
        let mut used: Vec<String> = self.types.iter().map(|t| t.color.clone()).collect();
        for key in missing {
            let color = color::for_key(&key, &used);
            used.push(color.clone());
            self.types.push(EntityType {
                key: key.clone(),
                label: Localized::new(key),
                color,
                declared: false,
            });
        }
    }
}

fn entity_to_json(e: &Entity) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), e.id.clone().into());
    m.insert("name".into(), surface_to_json(&e.name));
    m.insert("type".into(), e.type_key.clone().into());
    if !e.aliases.is_empty() {
        m.insert(
            "aliases".into(),
            e.aliases.iter().map(surface_to_json).collect(),
        );
    }
    if !e.short.is_empty() {
        m.insert(
            "short".into(),
            e.short.iter().map(surface_to_json).collect(),
        );
    }
    if let Some(d) = &e.description {
        m.insert("description".into(), d.to_json());
    }
    if let Some(u) = &e.url {
        m.insert("url".into(), u.to_json());
    }
    if let Some(c) = e.case {
        m.insert("case".into(), case_name(c).into());
    }
    if e.priority != 0.0 {
        m.insert("priority".into(), e.priority.into());
    }
    if e.diacritics == Diacritics::Exact {
        m.insert("diacritics".into(), "exact".into());
    }
    for (k, v) in &e.extra {
        m.entry(k.clone()).or_insert_with(|| v.clone());
    }
    Value::Object(m)
}

fn surface_to_json(s: &Surface) -> Value {
    if s.case.is_none() && s.lang.is_none() {
        return s.text.clone().into();
    }
    let mut m = Map::new();
    m.insert("text".into(), s.text.clone().into());
    if let Some(c) = s.case {
        m.insert("case".into(), case_name(c).into());
    }
    if let Some(l) = &s.lang {
        m.insert("lang".into(), l.clone().into());
    }
    Value::Object(m)
}

fn case_name(c: Case) -> &'static str {
    match c {
        Case::Exact => "exact",
        Case::Fold => "fold",
    }
}

/// The message of a JSON syntax error, with its line and column.
fn json_error(origin: &str, e: &serde_json::Error) -> Error {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full);
    Error::syntax(
        origin,
        format!(
            "invalid JSON at line {}, column {}: {message}",
            e.line(),
            e.column()
        ),
    )
}

#[derive(Default)]
struct Problems {
    list: Vec<String>,
    more: usize,
}

impl Problems {
    fn push(&mut self, problem: String) {
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(problem);
        } else {
            self.more += 1;
        }
    }

    fn finish(mut self, origin: &str) -> Result<(), Error> {
        if self.list.is_empty() {
            return Ok(());
        }
        if self.more > 0 {
            self.list.push(format!("... and {} more", self.more));
        }
        Err(Error::invalid(origin, self.list))
    }
}

/// `[A-Za-z][A-Za-z0-9_-]*`, at most 32 characters.
fn is_type_key(s: &str) -> bool {
    let mut bytes = s.bytes();
    s.len() <= 32
        && bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Whether `url` is an absolute `http:` or `https:` link with a host and no
/// whitespace or control characters.
pub(crate) fn is_web_link(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return false;
    };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    host_end > 0 && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn parse_types(v: &Value, p: &mut Problems) -> Vec<EntityType> {
    let Some(map) = v.as_object() else {
        p.push(r#""types" must be an object mapping type keys to {"label", "color"}"#.into());
        return Vec::new();
    };
    let mut types = Vec::new();
    for (key, def) in map {
        if !is_type_key(key) {
            p.push(format!(
                "types: key {key:?} is not a short identifier ([A-Za-z][A-Za-z0-9_-]*, at most 32 characters)"
            ));
            continue;
        }
        let Some(def) = def.as_object() else {
            p.push(format!(
                r#"types.{key} must be an object with "label" and "color""#
            ));
            continue;
        };
        let label = match def.get("label") {
            None => Localized::new(key.clone()),
            Some(Value::String(s)) if !s.trim().is_empty() => Localized::new(s.clone()),
            Some(v @ Value::Object(_)) => {
                let before = p.list.len() + p.more;
                match localized(v, &format!("types.{key}"), "label", false, p) {
                    Some(label) if p.list.len() + p.more == before => label,
                    _ => continue,
                }
            }
            Some(_) => {
                p.push(format!(
                    r#"types.{key}: "label" must be a non-empty string, or an object of them by language"#
                ));
                continue;
            }
        };
        let color = match def.get("color") {
            None => color::PALETTE[types.len() % color::PALETTE.len()].to_string(),
            Some(Value::String(s)) => match color::parse(s) {
                Some(c) => c,
                None => {
                    p.push(format!(
                        "types.{key}: color {s:?} is not a CSS hex colour (#rgb, #rrggbb) or colour name"
                    ));
                    continue;
                }
            },
            Some(_) => {
                p.push(format!(r#"types.{key}: "color" must be a string"#));
                continue;
            }
        };
        types.push(EntityType {
            key: key.clone(),
            label,
            color,
            declared: true,
        });
    }
    types
}

/// What a language tag looks like, for messages.
const TAG_HINT: &str = "a language tag (such as en, id or pt-BR)";

/// The TSV and CSV columns that take a language: `description@en`.
const LOCALIZED_COLUMNS: [&str; 2] = ["description", "url"];

const KNOWN_FIELDS: &[&str] = &[
    "id",
    "name",
    "type",
    "aliases",
    "short",
    "description",
    "url",
    "case",
    "priority",
    "diacritics",
];

fn parse_entities<'a>(
    items: impl Iterator<Item = (&'a Value, &'a str)>,
    diacritics: Diacritics,
    p: &mut Problems,
) -> Vec<Entity> {
    let mut entities = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for (value, place) in items {
        let Some(obj) = value.as_object() else {
            p.push(format!("{place} is not an object"));
            continue;
        };
        let before = p.list.len() + p.more;
        // Name the entity by its id, else its name, in every message about it.
        let named = match (obj.get("id"), obj.get("name")) {
            (Some(Value::String(id)), _) if !id.trim().is_empty() => format!("{place} ({id:?})"),
            (_, Some(Value::String(name))) if !name.trim().is_empty() => {
                format!("{place} ({name:?})")
            }
            _ => place.to_string(),
        };
        let mut field = |key: &str| -> Option<String> {
            match obj.get(key) {
                None | Some(Value::Null) => {
                    p.push(format!("{named}: missing {key:?}"));
                    None
                }
                Some(Value::String(s)) if s.trim().is_empty() => {
                    p.push(format!("{named}: {key:?} is empty"));
                    None
                }
                Some(Value::String(s)) => Some(s.trim().to_string()),
                Some(_) => {
                    p.push(format!("{named}: {key:?} must be a string"));
                    None
                }
            }
        };
        let id = field("id");
        let type_key = field("type");
        let name = match obj.get("name") {
            Some(Value::Object(_)) => {
                surface(obj.get("name").unwrap_or(&Value::Null), &named, "name", p)
            }
            _ => field("name").map(|text| Surface {
                text,
                case: None,
                lang: None,
            }),
        };
        if let Some(t) = &type_key {
            if !is_type_key(t) {
                p.push(format!(
                    "{named}: type {t:?} is not a short identifier ([A-Za-z][A-Za-z0-9_-]*, at most 32 characters)"
                ));
            }
        }
        if let Some(n) = &name {
            check_matchable(n, &named, "name", p);
        }
        let mut forms = |key: &str| -> Vec<Surface> {
            match obj.get(key) {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(items)) => items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, v)| {
                        let at = format!("{key}[{i}]");
                        let s = surface(v, &named, &at, p)?;
                        check_matchable(&s, &named, &at, p);
                        Some(s)
                    })
                    .collect(),
                Some(_) => {
                    p.push(format!(
                        "{named}: {key:?} must be an array of strings or {{\"text\", \"case\", \"lang\"}} objects"
                    ));
                    Vec::new()
                }
            }
        };
        let aliases = forms("aliases");
        let short = forms("short");
        let description = obj
            .get("description")
            .and_then(|v| localized(v, &named, "description", false, p));
        let url = obj
            .get("url")
            .and_then(|v| localized(v, &named, "url", true, p));
        let case = match obj.get("case") {
            None | Some(Value::Null) => None,
            Some(v) => parse_case(v, &named, "case", p),
        };
        let priority = match obj.get("priority") {
            None | Some(Value::Null) => 0.0,
            Some(v) => match v.as_f64() {
                Some(n) if n.is_finite() => n,
                _ => {
                    p.push(format!("{named}: \"priority\" must be a number"));
                    0.0
                }
            },
        };
        let entity_diacritics = match obj.get("diacritics").map(|v| v.as_str()) {
            None => diacritics,
            Some(Some("fold")) => Diacritics::Fold,
            Some(Some("exact")) => Diacritics::Exact,
            Some(_) => {
                p.push(format!(
                    r#"{named}: "diacritics" must be "fold" or "exact""#
                ));
                diacritics
            }
        };
        if let Some(id) = &id {
            match seen.get(id) {
                Some(first) => p.push(format!("{named}: duplicate id, first used by {first}")),
                None => {
                    seen.insert(id.clone(), place.to_string());
                }
            }
        }
        if p.list.len() + p.more > before {
            continue;
        }
        let (Some(id), Some(type_key), Some(name)) = (id, type_key, name) else {
            continue;
        };
        let extra = obj
            .iter()
            .filter(|(k, _)| !KNOWN_FIELDS.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        entities.push(Entity {
            id,
            name,
            type_key,
            aliases,
            short,
            description,
            url,
            case,
            priority,
            diacritics: entity_diacritics,
            extra,
        });
    }
    entities
}

/// A description, link or label: a string (empty or null: none), or an object of
/// non-empty strings keyed by language tag (`""`: no stated language). With `link`,
/// every text must be an `http:` or `https:` link.
fn localized(v: &Value, named: &str, key: &str, link: bool, p: &mut Problems) -> Option<Localized> {
    let check_link = |at: &str, text: &str, p: &mut Problems| {
        if link && !is_web_link(text) {
            p.push(format!(
                "{named}: {at} {text:?} is not an http: or https: link"
            ));
        }
    };
    let map = match v {
        Value::Null => return None,
        Value::String(s) if s.trim().is_empty() => return None,
        Value::String(s) => {
            check_link(key, s.trim(), p);
            return Some(Localized::new(s.trim()));
        }
        Value::Object(map) => map,
        _ => {
            p.push(format!(
                "{named}: {key:?} must be a string, or an object of strings by language ({{\"id\": \"...\", \"en\": \"...\"}})"
            ));
            return None;
        }
    };
    if map.is_empty() {
        p.push(format!(
            "{named}: {key:?} is an empty object (give a text for at least one language, or leave it out)"
        ));
        return None;
    }
    let mut values: Vec<(String, String)> = Vec::new();
    for (tag, text) in map {
        let at = if tag.is_empty() {
            key.to_string()
        } else {
            format!("{key}.{tag}")
        };
        if !tag.is_empty() && !is_language_tag(tag) {
            p.push(format!("{named}: {key}: key {tag:?} is not {TAG_HINT}"));
            continue;
        }
        if let Some((first, _)) = values.iter().find(|(t, _)| t.eq_ignore_ascii_case(tag)) {
            p.push(format!(
                "{named}: {key}: {first:?} and {tag:?} are the same language"
            ));
            continue;
        }
        match text {
            Value::String(s) if s.trim().is_empty() => {
                p.push(format!("{named}: {at} is empty"));
            }
            Value::String(s) => {
                check_link(&at, s.trim(), p);
                values.push((tag.clone(), s.trim().to_string()));
            }
            _ => p.push(format!("{named}: {at} must be a string")),
        }
    }
    Localized::from_pairs(values)
}

fn parse_case(v: &Value, named: &str, at: &str, p: &mut Problems) -> Option<Case> {
    match v.as_str() {
        Some("exact") => Some(Case::Exact),
        Some("fold") => Some(Case::Fold),
        _ => {
            p.push(format!(r#"{named}: {at} must be "exact" or "fold""#));
            None
        }
    }
}

/// A surface form: a string, or an object `{"text", "case", "lang"}`.
fn surface(v: &Value, named: &str, at: &str, p: &mut Problems) -> Option<Surface> {
    match v {
        Value::String(s) if s.trim().is_empty() => {
            p.push(format!("{named}: {at} is empty"));
            None
        }
        Value::String(s) => Some(Surface {
            text: s.trim().to_string(),
            case: None,
            lang: None,
        }),
        Value::Object(o) => {
            let text = match o.get("text") {
                Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
                Some(Value::String(_)) => {
                    p.push(format!("{named}: {at} is empty"));
                    return None;
                }
                _ => {
                    p.push(format!("{named}: {at} has no \"text\" string"));
                    return None;
                }
            };
            let case = match o.get("case") {
                None | Some(Value::Null) => None,
                Some(c) => parse_case(c, named, &format!("{at}.case"), p),
            };
            let lang = match o.get("lang") {
                None | Some(Value::Null) => None,
                Some(Value::String(l)) if is_language_tag(l) => Some(l.clone()),
                Some(Value::String(l)) => {
                    p.push(format!("{named}: {at}.lang {l:?} is not {TAG_HINT}"));
                    None
                }
                Some(_) => {
                    p.push(format!("{named}: {at}.lang must be a string"));
                    None
                }
            };
            Some(Surface { text, case, lang })
        }
        _ => {
            p.push(format!(
                "{named}: {at} must be a string or an object {{\"text\", \"case\", \"lang\"}}"
            ));
            None
        }
    }
}

/// A form must leave something to match once normalised (not only zero-width
/// characters or diacritics).
fn check_matchable(s: &Surface, named: &str, at: &str, p: &mut Problems) {
    let fold = Fold {
        case: true,
        diacritics: true,
    };
    if !normalize::normalize(&s.text, fold)
        .chars()
        .any(normalize::is_word_char)
    {
        p.push(format!(
            "{named}: {at} {:?} has no letter or digit to match",
            s.text
        ));
    }
}

/// A TSV cell holding one form, with optional `{exact,ru}` options after it.
fn tsv_surface(cell: &str, line: usize, column: &str, p: &mut Problems) -> Value {
    let (text, options) = match cell.strip_suffix('}').and_then(|c| c.rsplit_once('{')) {
        Some((text, options)) => (text.trim_end(), Some(options)),
        None => (cell, None),
    };
    let Some(options) = options else {
        return Value::String(text.to_string());
    };
    let mut m = Map::new();
    m.insert("text".into(), text.into());
    for option in options.split(',').map(str::trim).filter(|o| !o.is_empty()) {
        if option == "exact" || option == "fold" {
            m.insert("case".into(), option.into());
        } else if is_language_tag(option) {
            m.insert("lang".into(), option.into());
        } else {
            p.push(format!(
                "line {line}: {column}: unknown option {option:?} in {cell:?} (use exact, fold or a language code such as en)"
            ));
        }
    }
    Value::Object(m)
}

/// The records of CSV text with the line each starts on; quoted fields may hold
/// commas, doubled quotes and line breaks.
fn csv_records(text: &str) -> Result<Vec<(usize, Vec<String>)>, String> {
    let mut records = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1;
    let mut start_line = 1;
    let mut field = String::new();
    let mut fields = Vec::new();
    let mut quoted = false;
    let mut quote_line = 0;
    let mut at_field_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                _ => {
                    if c == '\n' {
                        line += 1;
                    }
                    field.push(c);
                }
            }
            continue;
        }
        match c {
            '"' if at_field_start => {
                quoted = true;
                quote_line = line;
                at_field_start = false;
            }
            ',' => {
                fields.push(std::mem::take(&mut field));
                at_field_start = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                fields.push(std::mem::take(&mut field));
                records.push((start_line, std::mem::take(&mut fields)));
                line += 1;
                start_line = line;
                at_field_start = true;
            }
            _ => {
                field.push(c);
                at_field_start = false;
            }
        }
    }
    if quoted {
        return Err(format!("line {quote_line}: a quoted field is not closed"));
    }
    if !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        records.push((start_line, fields));
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_case_rule() {
        let rows = [
            ("AS", CaseRule::Exact),
            ("PBB", CaseRule::Exact),
            ("NATO", CaseRule::Exact),
            ("U.S.", CaseRule::Exact),
            ("G20", CaseRule::Exact),
            ("ASEAN", CaseRule::Capitalised),
            ("As", CaseRule::Capitalised),
            ("Rusia", CaseRule::Capitalised),
            ("iPhone", CaseRule::Capitalised),
            ("sungai", CaseRule::Fold),
            ("2024", CaseRule::Fold),
        ];
        for (text, want) in rows {
            let s = Surface {
                text: text.into(),
                case: None,
                lang: None,
            };
            assert_eq!(s.case_rule(None), want, "{text}");
        }
    }

    #[test]
    fn web_links() {
        for ok in [
            "https://id.wikipedia.org/wiki/Rusia",
            "HTTP://example.com",
            "http://x",
        ] {
            assert!(is_web_link(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "https://",
            "ftp://x",
            "//x",
            "https://a b",
            "data:text/html,x",
        ] {
            assert!(!is_web_link(bad), "{bad}");
        }
    }
}
