//! Gazetteers: loading (JSON, TSV), validation with messages that say where, merging.

use std::borrow::Borrow;
use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use crate::color;
use crate::error::Error;
use crate::lang::{is_language_tag, Localized};
use crate::limits::{self, grouped};
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
    /// The key entities use: `[A-Za-z_][A-Za-z0-9_-]*`, at most 32 characters.
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
    /// The bytes of its forms once normalised, at most (see
    /// [`limits::MAX_FORM_BYTES`]).
    form_bytes: usize,
}

const MAX_PROBLEMS: usize = 100;

impl Gazetteer {
    /// Loads a gazetteer from JSON text. `origin` names it in error messages (a file
    /// name, a URL, "gazetteer 2").
    pub fn from_json(text: &str, origin: &str) -> Result<Gazetteer, Error> {
        limits::check_input_size(text.len(), origin)?;
        Gazetteer::from_json_of_any_size(text, origin)
    }

    /// [`Gazetteer::from_json`] for the entity data of a compiled gazetteer, which
    /// may be larger than the text it was compiled from (the counts and fields are
    /// checked all the same).
    pub(crate) fn from_json_of_any_size(text: &str, origin: &str) -> Result<Gazetteer, Error> {
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
            Some(Value::String(s)) => {
                if let Some(problem) = too_long(s, limits::MAX_LABEL_CHARS, "a name") {
                    p.push(format!("\"name\" {problem}"));
                }
                s.clone()
            }
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
        let (entities, form_bytes) = match top.get("entities") {
            Some(Value::Array(list)) if list.len() > limits::MAX_ENTITIES => {
                // Refused before any entity is looked at.
                let place = format!("entities[{}]", limits::MAX_ENTITIES);
                let named = match list[limits::MAX_ENTITIES].get("id") {
                    Some(Value::String(id)) => format!("{place} ({:?})", short_for_message(id)),
                    _ => place,
                };
                return Err(Error::invalid(
                    origin,
                    vec![format!(
                        "{named}: more than {} entities, the limit",
                        grouped(limits::MAX_ENTITIES as u64)
                    )],
                ));
            }
            Some(Value::Array(list)) => parse_entities(
                list.iter()
                    .enumerate()
                    .map(|(i, v)| (v, format!("entities[{i}]"))),
                diacritics,
                &mut p,
            ),
            Some(_) => {
                p.push(r#""entities" must be an array"#.into());
                (Vec::new(), 0)
            }
            None => {
                p.push(r#"missing "entities" (an array of entities)"#.into());
                (Vec::new(), 0)
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
            form_bytes,
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
        limits::check_input_size(text.len(), origin)?;
        let rows = text
            .split('\n')
            .enumerate()
            .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)))
            .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
            .map(|(line, l)| (line, l.split('\t').collect::<Vec<&str>>()));
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
        limits::check_input_size(text.len(), origin)?;
        let rows = csv_records(text).map_err(|m| Error::syntax(origin, m))?;
        let rows = rows
            .into_iter()
            .filter(|(_, cells)| !(cells.len() == 1 && cells[0].trim().is_empty()));
        Gazetteer::from_rows(rows, origin)
    }

    /// Loads a gazetteer from JSON Lines: one entity object per line (as in the JSON
    /// format's `entities`). A first line with neither `"id"` nor `"name"` is the
    /// gazetteer's header: it may carry `version`, `types` and `diacritics`.
    pub fn from_json_lines(text: &str, origin: &str) -> Result<Gazetteer, Error> {
        limits::check_input_size(text.len(), origin)?;
        let syntax = |line_no: usize, e: serde_json::Error| {
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
        };
        let mut lines = text
            .split('\n')
            .enumerate()
            .map(|(i, line)| (i + 1, line.trim()))
            .filter(|(_, line)| !line.is_empty());
        // The first line is the header when it is an object without "id" and "name".
        let mut header = Map::new();
        let mut first = None;
        if let Some((line_no, line)) = lines.next() {
            match serde_json::from_str(line).map_err(|e| syntax(line_no, e))? {
                Value::Object(o) if !o.contains_key("id") && !o.contains_key("name") => header = o,
                other => first = Some((other, format!("line {line_no}"))),
            }
        }
        let diacritics = match header.get("diacritics").and_then(Value::as_str) {
            Some("exact") => Diacritics::Exact,
            _ => Diacritics::Fold,
        };
        header.insert("entities".into(), Value::Array(Vec::new()));
        let mut g = Gazetteer::from_value(&Value::Object(header), origin)?;
        // The other lines, each parsed when its entity is read, then dropped; the
        // first one that is not JSON ends the reading and is the error.
        let failed = std::cell::Cell::new(None);
        let items =
            first.into_iter().chain(lines.map_while(
                |(line_no, line)| match serde_json::from_str::<Value>(line) {
                    Ok(value) => Some((value, format!("line {line_no}"))),
                    Err(e) => {
                        failed.set(Some(syntax(line_no, e)));
                        None
                    }
                },
            ));
        let mut p = Problems::default();
        (g.entities, g.form_bytes) = parse_entities(items, diacritics, &mut p);
        if let Some(e) = failed.take() {
            return Err(e);
        }
        p.finish(origin)?;
        g.add_missing_types();
        Ok(g)
    }

    /// Loads a gazetteer in the given format, or (with `None`) in the format the text
    /// looks like (see [`Format::detect`]).
    pub fn parse_as(text: &str, origin: &str, format: Option<Format>) -> Result<Gazetteer, Error> {
        limits::check_input_size(text.len(), origin)?;
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
    /// columns. The rows are read one at a time, each made an entity and dropped.
    fn from_rows<C: AsRef<str>>(
        rows: impl Iterator<Item = (usize, Vec<C>)>,
        origin: &str,
    ) -> Result<Gazetteer, Error> {
        let mut rows = rows;
        let Some((header_line, header)) = rows.next() else {
            return Err(Error::syntax(
                origin,
                "empty file: expected a header line naming the columns",
            ));
        };
        // Column names are read without regard to case, except the language tag of
        // `description@LANG` and `url@LANG`, kept as written.
        let columns: Vec<String> = header
            .iter()
            .map(|c| match c.as_ref().trim().split_once('@') {
                Some((base, tag))
                    if LOCALIZED_COLUMNS.contains(&base.to_ascii_lowercase().as_str()) =>
                {
                    format!("{}@{tag}", base.to_ascii_lowercase())
                }
                _ => c.as_ref().trim().to_ascii_lowercase(),
            })
            .collect();
        // Each named column, in lower case, and where it is (from 1).
        let mut named: HashMap<String, usize> = HashMap::new();
        for (i, column) in columns.iter().enumerate() {
            if column.is_empty() {
                continue;
            }
            if let Some(first) = named.insert(column.to_ascii_lowercase(), i + 1) {
                return Err(Error::syntax(
                    origin,
                    format!(
                        "line {header_line}: the header line names the column {:?} twice (columns {first} and {})",
                        short_for_message(column),
                        i + 1
                    ),
                ));
            }
            let Some((base, tag)) = column.split_once('@') else {
                continue;
            };
            if LOCALIZED_COLUMNS.contains(&base) {
                if !is_language_tag(tag) {
                    return Err(Error::syntax(
                        origin,
                        format!(
                            "line {header_line}, column {}: the header line's column {:?}: {:?} is not {TAG_HINT}",
                            i + 1,
                            short_for_message(column),
                            short_for_message(tag)
                        ),
                    ));
                }
            } else if KNOWN_FIELDS.contains(&base) {
                return Err(Error::syntax(
                    origin,
                    format!(
                        "line {header_line}, column {}: the header line's column {column:?}: only description and url take a language (a form's language goes in its cell: \"United Nations {{en}}\")",
                        i + 1
                    ),
                ));
            }
        }
        for required in ["id", "type", "name"] {
            if !named.contains_key(required) {
                return Err(Error::syntax(
                    origin,
                    format!(
                        "the header line has no \"{required}\" column (it has: {})",
                        short_for_message(&columns.join(", "))
                    ),
                ));
            }
        }
        // Problems of the cells, found as the rows are read; those of the entities
        // they make follow.
        let cells_p = std::cell::RefCell::new(Problems::default());
        let entities_in = rows.filter_map(|(line, cells)| {
            let mut p = cells_p.borrow_mut();
            let mut entity = Map::new();
            if cells.len() > columns.len() {
                p.push(format!(
                    "line {line}: {} cells, but the header names {} columns",
                    cells.len(),
                    columns.len()
                ));
                return None;
            }
            // description and url by language tag ("" for the plain column).
            let mut localized: [Map<String, Value>; 2] = Default::default();
            for (i, (column, cell)) in columns.iter().zip(&cells).enumerate() {
                let cell = cell.as_ref().trim();
                if cell.is_empty() {
                    continue;
                }
                let at = format!("line {line}, column {} ({column})", i + 1);
                let (base, tag) = column.split_once('@').unwrap_or((column, ""));
                if let Some(i) = LOCALIZED_COLUMNS.iter().position(|c| *c == base) {
                    localized[i].insert(tag.to_string(), cell.into());
                    continue;
                }
                let value = match column.as_str() {
                    "name" => tsv_surface(cell, &at, &mut p),
                    "aliases" | "short" => {
                        let items: Vec<&str> = cell.split('|').map(str::trim).collect();
                        if let Some(k) = items.iter().position(|item| item.is_empty()) {
                            p.push(format!(
                                "{at}: form {} of {} in {:?} is empty (nothing between two \"|\", or before or after them)",
                                k + 1,
                                items.len(),
                                short_for_message(cell)
                            ));
                        }
                        Value::Array(
                            items
                                .into_iter()
                                .filter(|item| !item.is_empty())
                                .map(|item| tsv_surface(item, &at, &mut p))
                                .collect(),
                        )
                    }
                    "priority" => match cell.parse::<f64>() {
                        Ok(n) if n.is_finite() => serde_json::Number::from_f64(n)
                            .map_or(Value::Null, Value::Number),
                        _ => {
                            let number = cell.parse::<f64>().is_ok();
                            p.push(format!(
                                "{at}: {:?} is not {} (a priority such as 1, -2 or 0.5)",
                                short_for_message(cell),
                                if number { "a finite number" } else { "a number" }
                            ));
                            continue;
                        }
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
            Some((Value::Object(entity), format!("line {line}")))
        });
        let mut p = Problems::default();
        let (entities, form_bytes) = parse_entities(entities_in, Diacritics::Fold, &mut p);
        let mut all = cells_p.into_inner();
        for problem in p.list {
            all.push(problem);
        }
        all.more += p.more;
        all.finish(origin)?;
        let mut g = Gazetteer {
            entities,
            form_bytes,
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
        let mut type_index: HashMap<String, usize> = HashMap::new();
        let mut p = Problems::default();
        let mut names = Vec::new();
        let mut form_bytes = 0;
        for (part, origin) in parts {
            form_bytes += part.form_bytes;
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
                match type_index.get(&t.key) {
                    Some(&i) => out.types[i] = t,
                    None => {
                        type_index.insert(t.key.clone(), out.types.len());
                        out.types.push(t);
                    }
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
                        if out.entities.len() == limits::MAX_ENTITIES {
                            return Err(Error::invalid(
                                "merged gazetteer",
                                vec![format!(
                                    "{origin}: entity {:?}: more than {} entities together, the limit",
                                    short_for_message(&e.id),
                                    grouped(limits::MAX_ENTITIES as u64)
                                )],
                            ));
                        }
                        index.insert(e.id.clone(), (out.entities.len(), origin.clone()));
                        out.entities.push(e);
                    }
                }
            }
        }
        p.finish("merged gazetteer")?;
        out.name = names.join(" + ");
        out.add_missing_types();
        // The parts' totals (replaced entities counted too): when over, counted again.
        let forms: usize = out.entities.iter().map(|e| e.forms().count()).sum();
        if form_bytes > limits::MAX_FORM_BYTES {
            form_bytes = out.entity_form_bytes();
        }
        let over = if forms > limits::MAX_FORMS {
            Some(format!(
                "more than {} forms (names, aliases and short forms) together, the limit",
                grouped(limits::MAX_FORMS as u64)
            ))
        } else if form_bytes > limits::MAX_FORM_BYTES {
            Some(format!(
                "the forms together make more than {} bytes once normalised, the limit",
                grouped(limits::MAX_FORM_BYTES as u64)
            ))
        } else if out.types.len() > limits::MAX_TYPES {
            Some(format!(
                "more than {} types together, the limit",
                grouped(limits::MAX_TYPES as u64)
            ))
        } else {
            None
        };
        if let Some(problem) = over {
            return Err(Error::invalid("merged gazetteer", vec![problem]));
        }
        out.form_bytes = form_bytes;
        Ok(out)
    }

    /// The bytes of the entities' forms once normalised, as [`check_form`] counts.
    fn entity_form_bytes(&self) -> usize {
        let mut p = Problems::default();
        self.entities
            .iter()
            .flat_map(|e| e.forms().map(move |(s, _)| (s, e.diacritics)))
            .map(|(s, d)| check_form(s, d, "", "", &mut p))
            .sum()
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
        let declared: HashSet<&str> = self.types.iter().map(|t| t.key.as_str()).collect();
        let mut missing: Vec<String> = self
            .entities
            .iter()
            .map(|e| e.type_key.as_str())
            .filter(|k| !declared.contains(k))
            .collect::<HashSet<&str>>()
            .into_iter()
            .map(str::to_string)
            .collect();
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

    /// How many problems were found (listed or not).
    fn count(&self) -> usize {
        self.list.len() + self.more
    }

    fn finish(self, origin: &str) -> Result<(), Error> {
        if self.list.is_empty() {
            return Ok(());
        }
        let total = self.count();
        Err(Error::invalid_of(origin, self.list, total))
    }
}

/// `[A-Za-z_][A-Za-z0-9_-]*`, at most 32 characters.
fn is_type_key(s: &str) -> bool {
    let mut bytes = s.bytes();
    s.len() <= 32
        && bytes
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Whether `url` is an absolute `http:` or `https:` link with a host, no user info
/// and no whitespace, control or invisible characters.
#[cfg(test)]
fn is_web_link(url: &str) -> bool {
    link_problem(url).is_none()
}

/// What is wrong with `url` as a link a reader sees and follows, if anything: it
/// must be an absolute `http:` or `https:` link with a host, without user info
/// (`https://bank.example@evil.example/` goes to evil.example) and without
/// whitespace, control characters, or the invisible and bidirectional formatting
/// characters that make a link's text read otherwise than where it goes.
fn link_problem(url: &str) -> Option<String> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return Some("is not an http: or https: link".into());
    };
    if let Some((at, c)) = url
        .chars()
        .enumerate()
        .find(|&(_, c)| is_invisible_format(c))
    {
        return Some(format!(
            "has the invisible or bidirectional control character U+{:04X} at character {} (a link must read as it goes)",
            c as u32,
            at + 1
        ));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some(
            "is not an http: or https: link (it has a space or a control character)".into(),
        );
    }
    // Browsers end the host at `/`, `?`, `#` and (in http and https links) `\`.
    let authority = &rest[..rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len())];
    if let Some((user, host)) = authority.rsplit_once('@') {
        return Some(format!(
            "has user info before its host ({user:?}@): it goes to {host:?}, not where it seems to (remove the part up to @)"
        ));
    }
    if authority.is_empty() {
        return Some("is not an http: or https: link (it has no host)".into());
    }
    None
}

/// Invisible formatting characters a link's text must not hide: the bidirectional
/// marks, embeddings, overrides and isolates (U+061C, U+200E, U+200F,
/// U+202A-U+202E, U+2066-U+2069), zero-width characters (U+200B-U+200D, U+2060,
/// U+FEFF) and the soft hyphen.
fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}')
}

fn parse_types(v: &Value, p: &mut Problems) -> Vec<EntityType> {
    let Some(map) = v.as_object() else {
        p.push(r#""types" must be an object mapping type keys to {"label", "color"}"#.into());
        return Vec::new();
    };
    if map.len() > limits::MAX_TYPES {
        p.push(format!(
            "\"types\" declares {} types, more than the limit of {}",
            grouped(map.len() as u64),
            grouped(limits::MAX_TYPES as u64)
        ));
        return Vec::new();
    }
    let mut types = Vec::new();
    for (key, def) in map {
        if !is_type_key(key) {
            p.push(format!(
                "types: key {key:?} is not a short identifier ([A-Za-z_][A-Za-z0-9_-]*, at most 32 characters)"
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
            Some(Value::String(s)) if !s.trim().is_empty() => {
                if let Some(problem) = too_long(s, LABEL.max_chars, LABEL.what) {
                    p.push(format!("types.{key}: \"label\" {problem}"));
                    continue;
                }
                Localized::new(s.clone())
            }
            Some(v @ Value::Object(_)) => {
                let before = p.count();
                match localized(v, &format!("types.{key}"), "label", LABEL, p) {
                    Some(label) if p.count() == before => label,
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

/// What the entities of one gazetteer add up to so far, against the limits.
#[derive(Default)]
struct Totals {
    forms: usize,
    /// The forms' bytes once normalised (see [`limits::MAX_FORM_BYTES`]).
    form_bytes: usize,
    types: HashSet<String>,
}

/// The entities of `items` (each a JSON value and where it is: `entities[3]`, `line
/// 4`), their problems pushed to `p`, and the bytes their forms make once
/// normalised. Reading stops at the first limit a gazetteer goes over.
fn parse_entities<V: Borrow<Value>, S: AsRef<str>>(
    items: impl Iterator<Item = (V, S)>,
    diacritics: Diacritics,
    p: &mut Problems,
) -> (Vec<Entity>, usize) {
    let mut entities = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut totals = Totals::default();
    for (n, (value, place)) in items.enumerate() {
        let (value, place) = (value.borrow(), place.as_ref());
        let Some(obj) = value.as_object() else {
            p.push(format!("{place} is not an object"));
            continue;
        };
        let before = p.count();
        // Name the entity by its id, else its name, in every message about it.
        let named = match (obj.get("id"), obj.get("name")) {
            (Some(Value::String(id)), _) if !id.trim().is_empty() => {
                format!("{place} ({:?})", short_for_message(id.trim()))
            }
            (_, Some(Value::String(name))) if !name.trim().is_empty() => {
                format!("{place} ({:?})", short_for_message(name.trim()))
            }
            _ => place.to_string(),
        };
        if n == limits::MAX_ENTITIES {
            p.push(format!(
                "{named}: more than {} entities, the limit",
                grouped(limits::MAX_ENTITIES as u64)
            ));
            break;
        }
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
        if let Some(problem) = id
            .as_deref()
            .and_then(|id| too_long(id, limits::MAX_ID_CHARS, "an id"))
        {
            p.push(format!("{named}: \"id\" {problem}"));
        }
        if let Some(t) = &type_key {
            if !is_type_key(t) {
                p.push(format!(
                    "{named}: type {:?} is not a short identifier ([A-Za-z_][A-Za-z0-9_-]*, at most 32 characters)",
                    short_for_message(t)
                ));
            } else if !totals.types.contains(t) {
                if totals.types.len() == limits::MAX_TYPES {
                    p.push(format!(
                        "{named}: type {t:?}: more than {} types, the limit",
                        grouped(limits::MAX_TYPES as u64)
                    ));
                    break;
                }
                totals.types.insert(t.clone());
            }
        }
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
        // Each form checked and counted; `over` names the first limit gone over.
        let mut over = None;
        let form = FormPlace {
            diacritics: entity_diacritics,
            named: &named,
        };
        if let Some(n) = &name {
            form.count(n, "name", &mut totals, &mut over, p);
        }
        let mut forms = |key: &str, p: &mut Problems| -> Vec<Surface> {
            match obj.get(key) {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(items)) if totals.forms + items.len() > limits::MAX_FORMS => {
                    // Refused before its forms are looked at.
                    over = Some(format!(
                        "{named}: {key}[{}]: more than {} forms (names, aliases and short forms), the limit",
                        limits::MAX_FORMS - totals.forms,
                        grouped(limits::MAX_FORMS as u64)
                    ));
                    Vec::new()
                }
                Some(Value::Array(items)) => {
                    let mut list = Vec::with_capacity(items.len());
                    for (i, v) in items.iter().enumerate() {
                        let at = format!("{key}[{i}]");
                        if let Some(s) = surface(v, &named, &at, p) {
                            form.count(&s, &at, &mut totals, &mut over, p);
                            list.push(s);
                        }
                        if over.is_some() {
                            break;
                        }
                    }
                    list
                }
                Some(_) => {
                    p.push(format!(
                        "{named}: {key:?} must be an array of strings or {{\"text\", \"case\", \"lang\"}} objects"
                    ));
                    Vec::new()
                }
            }
        };
        let aliases = forms("aliases", p);
        let short = forms("short", p);
        if let Some(problem) = over {
            p.push(problem);
            break;
        }
        let description = obj
            .get("description")
            .and_then(|v| localized(v, &named, "description", DESCRIPTION, p));
        let url = obj
            .get("url")
            .and_then(|v| localized(v, &named, "url", URL, p));
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
        if let Some(id) = &id {
            match seen.get(id) {
                Some(first) => p.push(format!("{named}: duplicate id, first used by {first}")),
                None => {
                    seen.insert(id.clone(), place.to_string());
                }
            }
        }
        if p.count() > before {
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
    (entities, totals.form_bytes)
}

/// The entity a form belongs to, for [`FormPlace::count`].
struct FormPlace<'a> {
    diacritics: Diacritics,
    named: &'a str,
}

impl FormPlace<'_> {
    /// Checks form `s` (at `at`) and adds it to the totals; `over` gets the problem
    /// of the first limit the totals go over.
    fn count(
        &self,
        s: &Surface,
        at: &str,
        totals: &mut Totals,
        over: &mut Option<String>,
        p: &mut Problems,
    ) {
        let named = self.named;
        totals.forms += 1;
        totals.form_bytes += check_form(s, self.diacritics, named, at, p);
        if over.is_some() {
            return;
        }
        if totals.forms > limits::MAX_FORMS {
            *over = Some(format!(
                "{named}: {at}: more than {} forms (names, aliases and short forms), the limit",
                grouped(limits::MAX_FORMS as u64)
            ));
        } else if totals.form_bytes > limits::MAX_FORM_BYTES {
            *over = Some(format!(
                "{named}: {at}: the forms make more than {} bytes once normalised, the limit",
                grouped(limits::MAX_FORM_BYTES as u64)
            ));
        }
    }
}

/// A text cut to its first 100 characters for a message (`"Jakarta Jakarta ..."`), so
/// that a message about a long text stays short.
fn short_for_message(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(100) {
        None => text.into(),
        Some((end, _)) => format!("{}...", &text[..end]).into(),
    }
}

/// What a text in one language or several is: its limit, its name in messages and
/// whether it is a link.
#[derive(Clone, Copy)]
struct TextField {
    max_chars: usize,
    what: &'static str,
    link: bool,
}

const DESCRIPTION: TextField = TextField {
    max_chars: limits::MAX_DESCRIPTION_CHARS,
    what: "a description",
    link: false,
};

const URL: TextField = TextField {
    max_chars: limits::MAX_URL_CHARS,
    what: "a link",
    link: true,
};

const LABEL: TextField = TextField {
    max_chars: limits::MAX_LABEL_CHARS,
    what: "a label",
    link: false,
};

/// What is wrong with a text longer than `max` characters, if it is.
fn too_long(text: &str, max: usize, what: &str) -> Option<String> {
    if text.len() <= max {
        return None;
    }
    let n = text.chars().count();
    (n > max).then(|| {
        format!(
            "is {} characters long, more than the limit of {} for {what}",
            grouped(n as u64),
            grouped(max as u64)
        )
    })
}

/// A description, link or label: a string (empty or null: none), or an object of
/// non-empty strings keyed by language tag (`""`: no stated language). A link must
/// be an `http:` or `https:` link a reader can trust (see [`link_problem`]).
fn localized(
    v: &Value,
    named: &str,
    key: &str,
    field: TextField,
    p: &mut Problems,
) -> Option<Localized> {
    // Whether the text passes; when not, its problem is pushed.
    let check = |at: &str, text: &str, p: &mut Problems| -> bool {
        if let Some(problem) = too_long(text, field.max_chars, field.what) {
            p.push(format!("{named}: {at} {problem}"));
            return false;
        }
        if let Some(problem) = field.link.then(|| link_problem(text)).flatten() {
            p.push(format!("{named}: {at} {text:?} {problem}"));
            return false;
        }
        true
    };
    let map = match v {
        Value::Null => return None,
        Value::String(s) if s.trim().is_empty() => return None,
        Value::String(s) => {
            check(key, s.trim(), p);
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
    if map.len() > limits::MAX_LANGUAGES {
        p.push(format!(
            "{named}: {key:?} has {} languages, more than the limit of {}",
            grouped(map.len() as u64),
            grouped(limits::MAX_LANGUAGES as u64)
        ));
        return None;
    }
    let mut values: Vec<(String, String)> = Vec::new();
    // Each language in lower case, and the key that first gave it.
    let mut seen: HashMap<String, &str> = HashMap::new();
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
        if let Some(first) = seen.get(&tag.to_ascii_lowercase()) {
            p.push(format!(
                "{named}: {key}: {first:?} and {tag:?} are the same language"
            ));
            continue;
        }
        seen.insert(tag.to_ascii_lowercase(), tag);
        match text {
            Value::String(s) if s.trim().is_empty() => {
                p.push(format!("{named}: {at} is empty"));
            }
            Value::String(s) => {
                check(&at, s.trim(), p);
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

/// Checks a form: at most [`limits::MAX_FORM_CHARS`] characters, and something left
/// to match once normalised (not only zero-width characters or diacritics). Gives
/// the bytes of what the automaton looks for (0 for a form too long to look at).
fn check_form(
    s: &Surface,
    diacritics: Diacritics,
    named: &str,
    at: &str,
    p: &mut Problems,
) -> usize {
    if let Some(problem) = too_long(&s.text, limits::MAX_FORM_CHARS, "a form") {
        p.push(format!("{named}: {at} {problem}"));
        return 0;
    }
    let fold = Fold {
        case: true,
        diacritics: true,
    };
    let folded = normalize::normalize(&s.text, fold);
    if !folded.chars().any(normalize::is_word_char) {
        p.push(format!(
            "{named}: {at} {:?} has no letter or digit to match",
            s.text
        ));
    }
    match diacritics {
        // As long as its automaton key, at most (which trims spaces and makes a
        // paragraph break one space).
        Diacritics::Fold => folded.len(),
        Diacritics::Exact => normalize::normalize(
            &s.text,
            Fold {
                case: true,
                diacritics: false,
            },
        )
        .len(),
    }
}

/// A TSV cell holding one form, with optional `{exact,ru}` options after it.
fn tsv_surface(cell: &str, at: &str, p: &mut Problems) -> Value {
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
                "{at}: unknown option {:?} in {:?} (use exact, fold or a language code such as en)",
                short_for_message(option),
                short_for_message(cell)
            ));
        }
    }
    Value::Object(m)
}

/// The records of CSV text with the line each starts on; quoted fields may hold
/// commas, doubled quotes and line breaks. A quote inside a field that does not
/// start with one, and anything but a comma or a line break after a quoted field's
/// closing quote, is an error that gives its line, character and column.
fn csv_records(text: &str) -> Result<Vec<(usize, Vec<String>)>, String> {
    let mut records = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1;
    // The character's place in its line, from 1.
    let mut at = 0;
    let mut start_line = 1;
    let mut field = String::new();
    let mut fields = Vec::new();
    let mut quoted = false;
    let mut quote_line = 0;
    let mut at_field_start = true;
    // Just after a quoted field's closing quote.
    let mut closed = false;
    let place = |line: usize, at: usize, column: usize| {
        format!("line {line}, character {at} (column {column})")
    };
    while let Some(c) = chars.next() {
        at += 1;
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    at += 1;
                    field.push('"');
                }
                '"' => {
                    quoted = false;
                    closed = true;
                }
                _ => {
                    if c == '\n' {
                        line += 1;
                        at = 0;
                    }
                    field.push(c);
                }
            }
            continue;
        }
        if closed && !matches!(c, ',' | '\n' | '\r') {
            return Err(format!(
                "{}: {c:?} after the closing quote of a quoted field (a quote inside one is doubled: \"a\"\"b\")",
                place(line, at, fields.len() + 1)
            ));
        }
        if c == '#' && at_field_start && fields.is_empty() {
            // A comment: a line that starts with an unquoted `#` (a quoted "#a" is
            // data), skipped whatever it holds.
            for c in chars.by_ref() {
                if c == '\n' {
                    break;
                }
            }
            line += 1;
            at = 0;
            start_line = line;
            continue;
        }
        match c {
            '"' if at_field_start => {
                quoted = true;
                quote_line = line;
                at_field_start = false;
            }
            '"' => {
                return Err(format!(
                    "{}: a quote inside a field that does not start with one (quote the whole field and double the quote: \"a\"\"b\")",
                    place(line, at, fields.len() + 1)
                ));
            }
            ',' => {
                fields.push(std::mem::take(&mut field));
                at_field_start = true;
                closed = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                fields.push(std::mem::take(&mut field));
                records.push((start_line, std::mem::take(&mut fields)));
                line += 1;
                at = 0;
                start_line = line;
                at_field_start = true;
                closed = false;
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
    if !field.is_empty() || !fields.is_empty() || closed {
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
