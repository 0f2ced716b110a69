//! Warnings about a valid gazetteer: forms shared by several entities, forms that
//! are common words and would match ordinary text, and descriptions missing in some
//! of the gazetteer's languages.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::gazetteer::{CaseRule, Gazetteer, Surface};
use crate::normalize::{form_key, Fold};

const FOLD: Fold = Fold {
    case: true,
    diacritics: true,
};

/// What a [`Warning`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WarningKind {
    /// One surface form names several entities.
    Ambiguous,
    /// A form is a common word, matched in any case, so ordinary text would match it.
    CommonWord,
    /// Entities have a description in one language only, while the gazetteer's
    /// descriptions use several.
    OneLanguage,
}

impl WarningKind {
    const ALL: [WarningKind; 3] = [
        WarningKind::Ambiguous,
        WarningKind::CommonWord,
        WarningKind::OneLanguage,
    ];

    /// `ambiguous`, `common-word` or `one-language`, as written in a review file.
    pub fn as_str(self) -> &'static str {
        match self {
            WarningKind::Ambiguous => "ambiguous",
            WarningKind::CommonWord => "common-word",
            WarningKind::OneLanguage => "one-language",
        }
    }
}

/// How many entity ids a warning's message lists (all are in [`Warning::entities`]).
const LISTED: usize = 10;

/// One warning about a gazetteer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// What it is about.
    pub kind: WarningKind,
    /// What a review file names to explain it: the form, as written in the
    /// gazetteer; for [`WarningKind::OneLanguage`], the one language tag (`und` for
    /// descriptions in no stated language).
    pub form: String,
    /// The ids of the entities concerned, in gazetteer order.
    pub entities: Vec<String>,
    /// What is wrong and what to do.
    pub message: String,
    /// The reason given in the review file, when the warning was reviewed.
    pub explained: Option<String>,
}

/// A list of common words (one per line, `#` comments), compared after the same
/// normalisation as matching (case and diacritics folded).
#[derive(Clone, Debug, Default)]
pub struct StopWords(HashSet<String>);

impl StopWords {
    /// Reads word lists, one word per line.
    pub fn new<'a>(lists: impl IntoIterator<Item = &'a str>) -> StopWords {
        let mut words = HashSet::new();
        for list in lists {
            for line in list.lines() {
                let word = line.trim();
                if !word.is_empty() && !word.starts_with('#') {
                    words.insert(form_key(word, FOLD));
                }
            }
        }
        StopWords(words)
    }

    /// Whether `form` is a common word, or made only of common words.
    pub fn covers(&self, form: &str) -> bool {
        let key = form_key(form, FOLD);
        self.0.contains(&key) || key.split(' ').all(|w| self.0.contains(w))
    }
}

/// Reviewed warnings: lines `form<TAB>kind<TAB>reason` (kind `ambiguous`,
/// `common-word` or `one-language`; for `one-language` the form is the language the
/// entities' descriptions have, e.g. `id`), `#` comments allowed.
#[derive(Clone, Debug, Default)]
pub struct Reviewed(BTreeMap<(String, WarningKind), String>);

impl Reviewed {
    /// Reads a review file; a line that does not have the three columns, or names an
    /// unknown kind, is an error that gives its line number.
    pub fn parse(text: &str, origin: &str) -> Result<Reviewed, crate::Error> {
        let mut entries = BTreeMap::new();
        let mut problems = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
            let Some(kind) = WarningKind::ALL
                .into_iter()
                .find(|k| cells.get(1) == Some(&k.as_str()))
            else {
                problems.push(format!(
                    "line {}: expected form<TAB>ambiguous|common-word|one-language<TAB>reason",
                    i + 1
                ));
                continue;
            };
            match cells.get(2) {
                Some(reason) if !reason.is_empty() && !cells[0].is_empty() => {
                    entries.insert((form_key(cells[0], FOLD), kind), reason.to_string());
                }
                _ => problems.push(format!("line {}: a form and a reason are needed", i + 1)),
            }
        }
        if problems.is_empty() {
            Ok(Reviewed(entries))
        } else {
            Err(crate::Error::invalid(origin, problems))
        }
    }

    fn reason(&self, form: &str, kind: WarningKind) -> Option<String> {
        self.0.get(&(form_key(form, FOLD), kind)).cloned()
    }
}

/// The warnings for a gazetteer, sorted by kind and form:
/// - a form (name, alias or short form, compared after normalisation) shared by
///   several entities, unless they differ in `priority` (the choice is deliberate) or
///   it is only a short form of each (the full name in the document decides),
///   its message listing the first ten;
/// - a name or alias that is a common word and is matched in any case (make it
///   `exact` or a short form, or remove it);
/// - when the descriptions of all entities together use two languages or more
///   (a plain description, or one in no stated language, counts as the gazetteer's
///   [`lang`](Gazetteer::lang), or `und` when it has none): the entities whose
///   description has only one of them, one warning per language, listing the
///   first ten ids (all are in [`Warning::entities`]).
///
/// A warning listed in `reviewed` carries its reason in [`Warning::explained`].
pub fn lint(g: &Gazetteer, stop_words: &StopWords, reviewed: &Reviewed) -> Vec<Warning> {
    let mut warnings = Vec::new();
    // Forms by normalised key: (form, entity index, short?).
    let mut by_key: BTreeMap<String, Vec<(&Surface, usize, bool)>> = BTreeMap::new();
    for (i, e) in g.entities().iter().enumerate() {
        for (s, short) in e.forms() {
            let list = by_key.entry(form_key(&s.text, FOLD)).or_default();
            // Entities come in order: one already listed is the last.
            if list.last().is_none_or(|(_, j, _)| *j != i) {
                list.push((s, i, short));
            }
            if !short && s.case_rule(e.case) != CaseRule::Exact && stop_words.covers(&s.text) {
                let message = format!(
                    "entity {:?}: {:?} is a common word and matches in any case: mark it {{exact}}, make it a short form, or remove it",
                    e.id, s.text
                );
                warnings.push(Warning {
                    kind: WarningKind::CommonWord,
                    form: s.text.clone(),
                    entities: vec![e.id.clone()],
                    explained: reviewed.reason(&s.text, WarningKind::CommonWord),
                    message,
                });
            }
        }
    }
    for list in by_key.values().filter(|l| l.len() > 1) {
        let entities = g.entities();
        let all_short = list.iter().all(|(_, _, short)| *short);
        let mut priorities: Vec<f64> = list.iter().map(|(_, i, _)| entities[*i].priority).collect();
        priorities.sort_by(f64::total_cmp);
        let distinct = priorities.windows(2).all(|w| w[0] != w[1]);
        if all_short || distinct {
            continue;
        }
        let mut names: Vec<String> = list
            .iter()
            .take(LISTED)
            .map(|(_, i, _)| format!("{} ({})", entities[*i].id, entities[*i].type_key))
            .collect();
        if list.len() > LISTED {
            names.push(format!("and {} more", list.len() - LISTED));
        }
        let form = list[0].0.text.clone();
        warnings.push(Warning {
            kind: WarningKind::Ambiguous,
            message: format!(
                "{form:?} names {} entities: {}; give them different priorities or keep the form on one",
                list.len(),
                names.join(", ")
            ),
            explained: reviewed.reason(&form, WarningKind::Ambiguous),
            form,
            entities: list.iter().map(|(_, i, _)| entities[*i].id.clone()).collect(),
        });
    }
    warnings.extend(one_language(g, reviewed));
    warnings.sort_by(|a, b| (a.kind, &a.form).cmp(&(b.kind, &b.form)));
    warnings
}

/// The one-language warnings: entities whose description has one language, when
/// all descriptions together have several.
fn one_language(g: &Gazetteer, reviewed: &Reviewed) -> Vec<Warning> {
    let own = g.lang().unwrap_or("und");
    // Languages compared in lower case, shown as first written.
    let mut shown: BTreeMap<String, &str> = BTreeMap::new();
    let mut described: Vec<(&str, BTreeSet<String>)> = Vec::new();
    for e in g.entities() {
        let Some(d) = &e.description else { continue };
        let mut languages = BTreeSet::new();
        for (tag, _) in d.values() {
            let tag = if tag.is_empty() { own } else { tag.as_str() };
            shown.entry(tag.to_ascii_lowercase()).or_insert(tag);
            languages.insert(tag.to_ascii_lowercase());
        }
        described.push((&e.id, languages));
    }
    if shown.len() < 2 {
        return Vec::new();
    }
    let mut by_language: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (id, languages) in &described {
        if let [only] = Vec::from_iter(languages).as_slice() {
            by_language
                .entry(shown[*only])
                .or_default()
                .push(id.to_string());
        }
    }
    let all_list = Vec::from_iter(shown.values().copied()).join(", ");
    by_language
        .into_iter()
        .map(|(language, ids)| {
            let missing: Vec<&str> = shown
                .values()
                .copied()
                .filter(|l| *l != language)
                .collect();
            let mut listed = ids[..ids.len().min(LISTED)].join(", ");
            if ids.len() > LISTED {
                listed.push_str(&format!(" and {} more", ids.len() - LISTED));
            }
            let (count, has) = match ids.len() {
                1 => ("1 entity".to_string(), "has"),
                n => (format!("{n} entities"), "have"),
            };
            let add = match missing.as_slice() {
                [one] => format!("a description in {one}"),
                many => format!("descriptions in {}", many.join(", ")),
            };
            Warning {
                kind: WarningKind::OneLanguage,
                message: format!(
                    "{count} {has} a description in {language} only, while the gazetteer's descriptions use {all_list}: {listed}; add {add}"
                ),
                explained: reviewed.reason(language, WarningKind::OneLanguage),
                form: language.to_string(),
                entities: ids,
            }
        })
        .collect()
}
