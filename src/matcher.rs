//! Matching: candidates from Aho-Corasick over normalised text, then a resolver
//! (short forms, ambiguity, overlaps).

use std::cmp::Reverse;
use std::collections::HashMap;
use std::sync::Arc;

use crate::automaton::Automaton;
#[cfg(feature = "text")]
use crate::error::Error;
#[cfg(feature = "text")]
use crate::gazetteer::{CaseRule, Diacritics, Gazetteer};
use crate::normalize::{self, Fold, Normalized};
use crate::utf16::{utf16_len, Utf16Cursor};

#[cfg(feature = "text")]
mod reference;
mod search;
pub use search::Search;

/// Which matches [`Matcher::find_with`] returns where spans overlap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Overlap {
    /// Leftmost-longest, non-overlapping (the default).
    #[default]
    Longest,
    /// Every span, also those nested in or overlapping others.
    All,
}

/// Why a match names the entity it names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// It is the only entity with this surface form (after short forms are checked).
    Only,
    /// Several entities share the form; this one also has an unambiguous mention in
    /// the document.
    Mentioned,
    /// Several entities share the form; this one has the highest `priority`.
    Priority,
    /// Several entities share the form and nothing else decides: the first in
    /// gazetteer order.
    Order,
}

impl Reason {
    /// The reason as a lower-case word: `only`, `mentioned`, `priority`, `order`.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Only => "only",
            Reason::Mentioned => "mentioned",
            Reason::Priority => "priority",
            Reason::Order => "order",
        }
    }
}

/// One mention of an entity in a text.
#[derive(Clone, Debug, PartialEq)]
pub struct Match {
    /// Start of the mention, a UTF-8 byte offset into the text (inclusive).
    pub start_byte: usize,
    /// End of the mention, a UTF-8 byte offset into the text (exclusive).
    pub end_byte: usize,
    /// Start of the mention in UTF-16 code units (as JavaScript counts).
    pub start_utf16: usize,
    /// End of the mention in UTF-16 code units (exclusive).
    pub end_utf16: usize,
    /// Index of the chosen entity in [`Gazetteer::entities`].
    pub entity: usize,
    /// Every entity this surface form could name, the chosen one first.
    pub candidates: Candidates,
    /// Why the chosen entity was chosen.
    pub reason: Reason,
    /// Whether the mention is a short form of the chosen entity.
    pub short: bool,
}

/// The entities a match could name, the chosen one first: a slice of entity
/// indexes (it derefs to `[usize]`), kept inline up to three so that a match
/// allocates nothing; a longer list is shared by the matches of one call that have
/// it (a form that thousands of entities share, named a thousand times, is one
/// list).
#[derive(Clone, Default)]
pub struct Candidates {
    inline: [usize; 3],
    len: u8,
    spilled: Option<Arc<[usize]>>,
}

impl Candidates {
    fn from_iter(entities: impl ExactSizeIterator<Item = usize>) -> Candidates {
        let mut c = Candidates::default();
        if entities.len() <= c.inline.len() {
            for (slot, e) in c.inline.iter_mut().zip(entities) {
                *slot = e;
                c.len += 1;
            }
        } else {
            c.spilled = Some(entities.collect());
        }
        c
    }

    /// Where a shared list is (the same for every match that shares it), or `None`
    /// for a list kept inline.
    pub(crate) fn shared(&self) -> Option<*const usize> {
        self.spilled.as_ref().map(|s| s.as_ptr())
    }
}

impl std::ops::Deref for Candidates {
    type Target = [usize];
    fn deref(&self) -> &[usize] {
        match &self.spilled {
            Some(list) => list,
            None => &self.inline[..usize::from(self.len)],
        }
    }
}

impl PartialEq for Candidates {
    fn eq(&self, other: &Candidates) -> bool {
        **self == **other
    }
}

impl std::fmt::Debug for Candidates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Options for [`Matcher::find_with`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FindOptions {
    /// What to do with overlapping spans.
    pub overlap: Overlap,
}

/// A surface form behind one automaton pattern.
pub(crate) struct Form {
    pub(crate) entity: u32,
    pub(crate) short: bool,
    /// The text must have a capital letter somewhere in the match.
    pub(crate) capital: bool,
    /// For case-exact forms: the form normalised without case folding, which the
    /// text must equal.
    pub(crate) exact: Option<Box<str>>,
}

/// One automaton over the forms that share a normalisation.
pub(crate) struct Scanner {
    pub(crate) fold: Fold,
    pub(crate) automaton: Automaton,
    /// The forms of pattern `p` are `forms[starts[p]..starts[p + 1]]`.
    pub(crate) starts: Vec<u32>,
    pub(crate) forms: Vec<Form>,
    /// For each pattern, the case rules its forms have ([`PLAIN`], [`CAPITAL`],
    /// [`EXACT`]): what a match of it must check.
    rules: Vec<u8>,
}

/// A pattern has forms that match in any case.
const PLAIN: u8 = 1;
/// A pattern has forms that need a capital letter.
const CAPITAL: u8 = 2;
/// A pattern has case-exact forms.
const EXACT: u8 = 4;

impl Scanner {
    pub(crate) fn new(
        fold: Fold,
        automaton: Automaton,
        starts: Vec<u32>,
        forms: Vec<Form>,
    ) -> Scanner {
        let rules = starts
            .windows(2)
            .map(|w| {
                let list = forms.get(w[0] as usize..w[1] as usize).unwrap_or(&[]);
                list.iter().fold(0, |r, f| {
                    r | match (&f.exact, f.capital) {
                        (Some(_), _) => EXACT,
                        (None, true) => CAPITAL,
                        (None, false) => PLAIN,
                    }
                })
            })
            .collect();
        Scanner {
            fold,
            automaton,
            starts,
            forms,
            rules,
        }
    }

    /// The forms of pattern `p` (none for a pattern out of range).
    fn forms_of(&self, p: u32) -> &[Form] {
        let p = p as usize;
        match (self.starts.get(p), self.starts.get(p + 1)) {
            (Some(&first), Some(&last)) => {
                self.forms.get(first as usize..last as usize).unwrap_or(&[])
            }
            _ => &[],
        }
    }
}

/// A compiled gazetteer, ready to find entities in text.
///
/// It keeps what finding needs: the automata, the form table and each entity's
/// priority. It is made from a [`Gazetteer`] ([`Matcher::new`], with the `text`
/// feature) or loaded from the bytes of a compiled gazetteer
/// ([`Matcher::from_compiled`]).
///
/// ```
/// use sorot::{Gazetteer, Matcher};
/// let g = Gazetteer::from_json(r#"{"entities": [
///     {"id": "us", "name": "Amerika Serikat", "type": "LOC", "aliases": ["AS"]},
///     {"id": "lavrov", "name": "Sergey Lavrov", "type": "PER", "short": ["Lavrov"]}]}"#, "doc").unwrap();
/// let m = Matcher::new(g).unwrap();
/// let text = "Lavrov: senjata AS, as usual. Sergey Lavrov.";
/// let found: Vec<&str> = m.find(text).iter().map(|x| &text[x.start_byte..x.end_byte]).collect();
/// assert_eq!(found, ["Lavrov", "AS", "Sergey Lavrov"]);
/// ```
pub struct Matcher {
    pub(crate) scanners: Vec<Scanner>,
    /// Each entity's priority, in gazetteer order (their number is its length).
    pub(crate) priorities: Vec<f64>,
    #[cfg(feature = "text")]
    pub(crate) gazetteer: Gazetteer,
}

/// A place in the text where a pattern matches as a whole word, standing for the
/// forms of the pattern that pass there (its [`FormSet`]): one candidate however
/// many entities share the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Candidate {
    start: usize,
    end: usize,
    start16: usize,
    end16: usize,
    set: FormSet,
}

/// The forms of one pattern that a place in the text passes: every form that
/// matches in any case, the capitalised ones where the text has a capital letter,
/// and the case-exact ones whose text is as written there. The same at every place
/// where the pattern is written the same way, and the same across calls (a block
/// cache keeps candidates).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct FormSet {
    /// The scanner's number.
    scanner: u32,
    /// The automaton's pattern (the normalised form).
    pattern: u32,
    /// Whether the text there has a capital letter.
    capital: bool,
    /// The case-exact forms that pass are those with the text of the pattern's form
    /// at this index; [`NONE`] when none does.
    exact: u32,
}

/// No form (of [`FormSet::exact`]).
const NONE: u32 = u32::MAX;

impl FormSet {
    /// The normalised form it matched (two sets of one pattern have the same).
    fn pattern_id(&self) -> (u32, u32) {
        (self.scanner, self.pattern)
    }
}

/// What [`Matcher::find_blocks`] remembers of each block it has scanned, so that a
/// document that changes is scanned again only where it changed. Keyed by the
/// block's text; blocks not seen in the last call are forgotten.
#[derive(Default)]
pub struct BlockCache {
    blocks: HashMap<String, ScannedBlock>,
    generation: u64,
    scanned: usize,
    /// Blocks scanned by [`Matcher::prime_blocks`] since the last `find_blocks`.
    primed: usize,
}

struct ScannedBlock {
    len16: usize,
    /// Candidates with offsets relative to the block.
    candidates: Vec<Candidate>,
    generation: u64,
}

impl BlockCache {
    /// An empty cache.
    pub fn new() -> BlockCache {
        BlockCache::default()
    }

    /// The number of distinct blocks remembered.
    pub fn len(&self) -> usize {
        self.blocks.len()
    }

    /// Whether nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    /// How many blocks the last [`Matcher::find_blocks`] call had to scan (those
    /// not remembered from the call before).
    pub fn scanned(&self) -> usize {
        self.scanned
    }
}

impl Matcher {
    /// Compiles the gazetteer's names, aliases and short forms into automata.
    ///
    /// A form that normalises to nothing (only invisible characters) can never
    /// match and is left out.
    #[cfg(feature = "text")]
    pub fn new(gazetteer: Gazetteer) -> Result<Matcher, Error> {
        let mut scanners = Vec::new();
        for diacritics in [Diacritics::Fold, Diacritics::Exact] {
            let fold = Fold {
                case: true,
                diacritics: diacritics == Diacritics::Fold,
            };
            let cased = Fold {
                case: false,
                ..fold
            };
            let mut patterns: Vec<String> = Vec::new();
            let mut forms: Vec<Vec<Form>> = Vec::new();
            let mut index: HashMap<String, usize> = HashMap::new();
            for (i, e) in gazetteer.entities().iter().enumerate() {
                if e.diacritics != diacritics {
                    continue;
                }
                for (surface, short) in e.forms() {
                    let key = normalize::form_key(&surface.text, fold);
                    if key.is_empty() {
                        continue;
                    }
                    let rule = surface.case_rule(e.case);
                    let exact = match rule {
                        CaseRule::Exact => Some(normalize::form_key(&surface.text, cased).into()),
                        CaseRule::Capitalised | CaseRule::Fold => None,
                    };
                    let slot = match index.get(&key) {
                        Some(&slot) => slot,
                        None => {
                            index.insert(key.clone(), patterns.len());
                            patterns.push(key);
                            forms.push(Vec::new());
                            forms.len() - 1
                        }
                    };
                    forms[slot].push(Form {
                        entity: i as u32,
                        short,
                        exact,
                        capital: rule == CaseRule::Capitalised,
                    });
                }
            }
            if patterns.is_empty() {
                continue;
            }
            drop(index);
            if patterns.len() >= u32::MAX as usize {
                return Err(Error::invalid(
                    "gazetteer",
                    vec!["too many distinct forms (at most 4,294,967,294)".into()],
                ));
            }
            let automaton = Automaton::build(&patterns);
            drop(patterns);
            let mut starts = Vec::with_capacity(forms.len() + 1);
            starts.push(0);
            let mut flat = Vec::new();
            for list in forms {
                flat.extend(list);
                starts.push(flat.len() as u32);
            }
            scanners.push(Scanner::new(fold, automaton, starts, flat));
        }
        let priorities = gazetteer.entities().iter().map(|e| e.priority).collect();
        Ok(Matcher {
            scanners,
            priorities,
            gazetteer,
        })
    }

    /// The gazetteer this matcher was built from (or, for a compiled gazetteer, read
    /// from its entity data).
    #[cfg(feature = "text")]
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// The number of entities; a match's `entity` is below it.
    pub fn entity_count(&self) -> usize {
        self.priorities.len()
    }

    /// Finds entity mentions in `text`, one document: leftmost-longest and
    /// non-overlapping, sorted by position. Any `&str` is fine input; it never panics.
    pub fn find(&self, text: &str) -> Vec<Match> {
        self.find_with(text, FindOptions::default())
    }

    /// Finds entity mentions in `text` with options.
    pub fn find_with(&self, text: &str, options: FindOptions) -> Vec<Match> {
        let candidates = self.candidates(text);
        self.resolve(candidates, options)
    }

    /// Finds entity mentions in a document given as blocks: the same matches, with
    /// the same offsets, as [`Matcher::find_with`] on the blocks joined with U+2029
    /// (a paragraph separator, which no match crosses). Only blocks whose text is
    /// not in `cache` are scanned; the cache then keeps the blocks of this call.
    ///
    /// ```
    /// use sorot::{BlockCache, FindOptions, Gazetteer, Matcher};
    /// let g = Gazetteer::from_json(r#"{"entities": [
    ///     {"id": "kim", "name": "Kim Jong Un", "type": "PER", "short": ["Kim"]}]}"#, "t").unwrap();
    /// let m = Matcher::new(g).unwrap();
    /// let mut cache = BlockCache::new();
    /// let blocks = ["Kim tiba.", "Kim Jong Un bicara."];
    /// let found = m.find_blocks(&blocks, &mut cache, FindOptions::default());
    /// assert_eq!(found, m.find_with(&blocks.join("\u{2029}"), FindOptions::default()));
    /// assert_eq!((found.len(), cache.scanned()), (2, 2));
    /// // One block added: only it is scanned; the short form still counts.
    /// let more = ["Kim tiba.", "Kim Jong Un bicara.", "Kim pergi."];
    /// assert_eq!(m.find_blocks(&more, &mut cache, FindOptions::default()).len(), 3);
    /// assert_eq!(cache.scanned(), 1);
    /// ```
    pub fn find_blocks<S: AsRef<str>>(
        &self,
        blocks: &[S],
        cache: &mut BlockCache,
        options: FindOptions,
    ) -> Vec<Match> {
        cache.generation += 1;
        cache.scanned = std::mem::take(&mut cache.primed);
        let generation = cache.generation;
        let mut candidates = Vec::new();
        let (mut offset, mut offset16) = (0, 0);
        for (i, block) in blocks.iter().enumerate() {
            let block = block.as_ref();
            if i > 0 {
                offset += normalize::PARAGRAPH.len_utf8();
                offset16 += 1;
            }
            let scanned = match cache.blocks.get_mut(block) {
                Some(scanned) => scanned,
                None => {
                    cache.scanned += 1;
                    cache
                        .blocks
                        .entry(block.to_string())
                        .or_insert(ScannedBlock {
                            len16: utf16_len(block.as_bytes()),
                            candidates: self.candidates_of(block),
                            generation,
                        })
                }
            };
            scanned.generation = generation;
            candidates.extend(scanned.candidates.iter().map(|c| Candidate {
                start: c.start + offset,
                end: c.end + offset,
                start16: c.start16 + offset16,
                end16: c.end16 + offset16,
                ..*c
            }));
            offset += block.len();
            offset16 += scanned.len16;
        }
        cache.blocks.retain(|_, b| b.generation == generation);
        self.resolve(candidates, options)
    }

    /// Scans the blocks that `cache` has not seen yet, ahead of the
    /// [`Matcher::find_blocks`] call that will give them (which then finds them
    /// known): a caller that must not block for long (a browser's main thread)
    /// scans a large document a few blocks at a time. The next `find_blocks` counts
    /// them as scanned, and forgets them if it does not give them.
    ///
    /// ```
    /// use sorot::{BlockCache, FindOptions, Gazetteer, Matcher};
    /// let g = Gazetteer::from_json(r#"{"entities": [
    ///     {"id": "kim", "name": "Kim Jong Un", "type": "PER", "short": ["Kim"]}]}"#, "t").unwrap();
    /// let m = Matcher::new(g).unwrap();
    /// let blocks = ["Kim tiba.", "Kim Jong Un bicara."];
    /// let mut cache = BlockCache::new();
    /// m.prime_blocks(&blocks[..1], &mut cache);
    /// m.prime_blocks(&blocks[1..], &mut cache);
    /// let found = m.find_blocks(&blocks, &mut cache, FindOptions::default());
    /// assert_eq!(found, m.find_with(&blocks.join("\u{2029}"), FindOptions::default()));
    /// assert_eq!(cache.scanned(), 2);
    /// ```
    pub fn prime_blocks<S: AsRef<str>>(&self, blocks: &[S], cache: &mut BlockCache) {
        let generation = cache.generation;
        for block in blocks {
            let block = block.as_ref();
            if cache.blocks.contains_key(block) {
                continue;
            }
            cache.primed += 1;
            cache.blocks.insert(
                block.to_string(),
                ScannedBlock {
                    len16: block.encode_utf16().count(),
                    candidates: self.candidates_of(block),
                    generation,
                },
            );
        }
    }

    /// Every place where a form matches as a whole word with the right case.
    fn candidates(&self, text: &str) -> Vec<Candidate> {
        self.candidates_in_chunks(text, CHUNK)
    }

    /// The candidates of `text`, scanned in pieces of about `chunk` bytes cut at
    /// paragraph breaks (which no match crosses), so that the normalised copy of a
    /// large text stays small: the same candidates as one scan of the whole.
    fn candidates_in_chunks(&self, text: &str, chunk: usize) -> Vec<Candidate> {
        let mut out = Vec::new();
        let (mut start, mut start16) = (0, 0);
        while start < text.len() {
            let end = paragraph_cut(text, start + chunk);
            let piece = &text[start..end];
            self.candidates_into(piece, (start, start16), &mut out);
            if end < text.len() {
                start16 += utf16_len(piece.as_bytes());
            }
            start = end;
        }
        out
    }

    fn candidates_of(&self, text: &str) -> Vec<Candidate> {
        let mut out = Vec::new();
        self.candidates_into(text, (0, 0), &mut out);
        out
    }

    /// Calls `found(number, scanner, pattern, (start, end), (start16, end16))` for
    /// every place in `text` where a scanner's pattern matches as a whole word
    /// (offsets into `text`: bytes, UTF-16 code units), each scanner's in the order
    /// of their ends. The case rules are the caller's.
    fn whole_words(
        &self,
        text: &str,
        mut found: impl FnMut(usize, &Scanner, u32, (usize, usize), (usize, usize)),
    ) {
        let bytes = text.as_bytes();
        let mut hits = Vec::new();
        for (number, scanner) in self.scanners.iter().enumerate() {
            let norm = Normalized::new(text, scanner.fold);
            let ntext = norm.text.as_str();
            // Matches come in the order of their ends: their UTF-16 offsets are
            // counted once over the text.
            let mut units = Utf16Cursor::new();
            hits.clear();
            scanner.automaton.scan(ntext.as_bytes(), &mut hits);
            for &(m_end, state) in &hits {
                // Every pattern that ends here ends with the same character.
                if !word_ends_at(ntext, m_end) {
                    continue;
                }
                for (m_start, pattern) in scanner.automaton.outputs(m_end, state) {
                    if !word_starts_at(ntext, m_start, m_end) {
                        continue;
                    }
                    let Some((start, end)) = norm.original_span(m_start, m_end) else {
                        continue;
                    };
                    let end16 = units.units_at(bytes, end);
                    let start16 = end16 - utf16_len(&bytes[start..end]);
                    found(number, scanner, pattern, (start, end), (start16, end16));
                }
            }
        }
    }

    /// Appends the candidates of `text`, their offsets moved by `offset` (bytes,
    /// UTF-16 code units), to `out`.
    fn candidates_into(&self, text: &str, offset: (usize, usize), out: &mut Vec<Candidate>) {
        self.whole_words(
            text,
            |number, scanner, pattern, (start, end), (start16, end16)| {
                let Some(&rules) = scanner.rules.get(pattern as usize) else {
                    return;
                };
                let written = &text[start..end];
                let capital = rules & CAPITAL != 0 && written.chars().any(char::is_uppercase);
                let exact = if rules & EXACT != 0 {
                    let cased = Fold {
                        case: false,
                        ..scanner.fold
                    };
                    let as_written = normalize::normalize(written, cased);
                    let equal = |f: &Form| f.exact.as_deref() == Some(&*as_written);
                    let forms = scanner.forms_of(pattern);
                    forms.iter().position(equal).map_or(NONE, |i| i as u32)
                } else {
                    NONE
                };
                if rules & PLAIN == 0 && !capital && exact == NONE {
                    return;
                }
                out.push(Candidate {
                    start: start + offset.0,
                    end: end + offset.0,
                    start16: start16 + offset.1,
                    end16: end16 + offset.1,
                    set: FormSet {
                        scanner: number as u32,
                        pattern,
                        capital,
                        exact,
                    },
                });
            },
        );
    }

    /// Sorts the entities that share a span (`entity` gives each one's number) as a
    /// choice ranks them: one with an unambiguous mention in the document, then the
    /// highest priority, then the first in gazetteer order; returns why the first
    /// is chosen.
    fn rank<T>(
        &self,
        list: &mut [T],
        entity: impl Fn(&T) -> u32,
        unambiguous: &EntitySet,
    ) -> Reason {
        let rank = |e: u32| {
            let priority = self.priorities.get(e as usize).copied().unwrap_or(0.0);
            (unambiguous.contains(e), priority)
        };
        list.sort_by(|a, b| {
            let (a, b) = (entity(a), entity(b));
            let (ua, pa) = rank(a);
            let (ub, pb) = rank(b);
            ub.cmp(&ua).then(pb.total_cmp(&pa)).then(a.cmp(&b))
        });
        match list {
            [first, second, ..] => {
                let (u1, p1) = rank(entity(first));
                let (u2, p2) = rank(entity(second));
                if u1 != u2 {
                    Reason::Mentioned
                } else if p1 != p2 {
                    Reason::Priority
                } else {
                    Reason::Order
                }
            }
            _ => Reason::Only,
        }
    }

    /// The forms a [`FormSet`] stands for.
    fn members(&self, set: FormSet) -> impl Iterator<Item = &Form> {
        let forms = self
            .scanners
            .get(set.scanner as usize)
            .map_or(&[][..], |s| s.forms_of(set.pattern));
        let exact = forms
            .get(set.exact as usize)
            .and_then(|f| f.exact.as_deref());
        forms.iter().filter(move |f| match (&f.exact, f.capital) {
            (Some(e), _) => Some(&**e) == exact,
            (None, true) => set.capital,
            (None, false) => true,
        })
    }

    fn resolve(&self, mut candidates: Vec<Candidate>, options: FindOptions) -> Vec<Match> {
        let mut resolver = Resolver::new(self.priorities.len());
        for c in &candidates {
            resolver.add(self, c.set);
        }
        // Short forms count only where the entity is also mentioned in full.
        resolver.settle();
        candidates.retain(|c| resolver.passes(c.set));
        candidates.sort_unstable_by_key(|c| (c.start, Reverse(c.end), c.set));
        candidates.dedup();
        let spans = resolver.spans(&candidates);
        resolver.finish();
        self.resolve_spans(&candidates, &spans, &mut resolver, options)
    }

    /// The matches of the candidates of `spans` (sorted and deduplicated as
    /// [`Matcher::resolve`] leaves them, each span with its kind from
    /// [`Resolver::spans`]), given a resolver that knows the whole document (a part
    /// of a document where no candidate crosses its edges resolves as in the whole:
    /// see `search.rs`).
    fn resolve_spans(
        &self,
        candidates: &[Candidate],
        spans: &[Span],
        resolver: &mut Resolver,
        options: FindOptions,
    ) -> Vec<Match> {
        let mut out: Vec<Match> = Vec::new();
        let mut last_end = 0;
        // The form of the last match's last part (Longest).
        let mut last_pattern = None;
        // With `All`: the matches that may still contain the next one (spans come
        // sorted by start, longest first).
        let mut open: Vec<usize> = Vec::new();
        for span in spans {
            let Some(first) = candidates.get(span.first) else {
                continue;
            };
            if options.overlap == Overlap::Longest {
                if first.start < last_end {
                    // Two full forms of one entity that cross ("Presiden Prabowo" and
                    // "Prabowo Subianto" in "Presiden Prabowo Subianto"): one match
                    // of that entity over both, when the first was unambiguous and
                    // the second is not the same form again ("Kim Kim" in "Kim Kim
                    // Kim" stays one "Kim Kim").
                    if first.end > last_end {
                        if let Some(prev) = out.last_mut() {
                            if !prev.short && prev.candidates.len() == 1 {
                                let other = resolver
                                    .full_form(span.kind, prev.entity as u32)
                                    .filter(|&p| Some(p) != last_pattern);
                                if let Some(p) = other {
                                    prev.end_byte = first.end;
                                    prev.end_utf16 = first.end16;
                                    last_end = first.end;
                                    last_pattern = Some(p);
                                }
                            }
                        }
                    }
                    continue;
                }
                last_end = first.end;
            }
            let Some(chosen) = resolver.chosen(self, span.kind) else {
                continue;
            };
            let m = Match {
                start_byte: first.start,
                end_byte: first.end,
                start_utf16: first.start16,
                end_utf16: first.end16,
                entity: chosen.entity as usize,
                short: chosen.short,
                candidates: chosen.candidates.clone(),
                reason: chosen.reason,
            };
            last_pattern = Some(chosen.pattern);
            if options.overlap == Overlap::All {
                open.retain(|&i| out[i].end_byte > m.start_byte);
                // A match inside a match of the same entity ("Putin" in "Vladimir
                // Putin") adds nothing: only other entities are nested.
                let same = |&i: &usize| out[i].entity == m.entity && out[i].end_byte >= m.end_byte;
                if open.iter().any(same) {
                    continue;
                }
                open.push(out.len());
            }
            out.push(m);
        }
        out
    }
}

/// One place in the text where candidates start and end together: the first of
/// them, and what they may name (a [`Resolver`] kind).
#[derive(Clone, Copy, Debug)]
struct Span {
    first: usize,
    kind: u32,
}

/// One entity a span may name: by which form, and whether a short one.
#[derive(Clone, Copy, Debug)]
struct Entry {
    entity: u32,
    short: bool,
    pattern: (u32, u32),
}

/// What a kind of span resolves to.
struct Chosen {
    entity: u32,
    short: bool,
    reason: Reason,
    candidates: Candidates,
    /// The form of the chosen entity.
    pattern: (u32, u32),
}

/// A kind of span: the entities it may name, one entry each, sorted by entity.
struct Kind {
    entries: Vec<Entry>,
    chosen: Option<Chosen>,
}

/// What resolving a document learns once for all its spans, however many times a
/// form is found: the entities of each [`FormSet`] found, which are mentioned in
/// full, the kinds of span (the sets found together at one place, most often one)
/// with their entities, which entities are named unambiguously, and each kind's
/// choice. The work is linear in the candidates plus, for each distinct set and
/// kind, in the entities sharing its form.
struct Resolver {
    sets: HashMap<FormSet, u32>,
    /// Each set's entities, as its forms give them.
    added: Vec<Vec<Entry>>,
    /// Each set's entities after [`Resolver::settle`]: the short forms of entities
    /// not mentioned in full left out, one entry per entity, a full form first,
    /// sorted by entity.
    members: Vec<Vec<Entry>>,
    mentioned: EntitySet,
    settled: bool,
    /// The kind of a span of one set, by set.
    single: Vec<u32>,
    /// The kind of a span of several sets, by their sorted numbers.
    several: HashMap<Vec<u32>, u32>,
    kinds: Vec<Kind>,
    /// Entities named by a kind of one entry (after [`Resolver::finish`]).
    unambiguous: Option<EntitySet>,
}

impl Resolver {
    fn new(entities: usize) -> Resolver {
        Resolver {
            sets: HashMap::new(),
            added: Vec::new(),
            members: Vec::new(),
            mentioned: EntitySet::new(entities),
            settled: false,
            single: Vec::new(),
            several: HashMap::new(),
            kinds: Vec::new(),
            unambiguous: None,
        }
    }

    /// Counts a candidate of `set` (a set new after [`Resolver::settle`], from a
    /// search given more text after it was finished, reopens it).
    fn add(&mut self, matcher: &Matcher, set: FormSet) {
        if self.sets.contains_key(&set) {
            return;
        }
        let list: Vec<Entry> = matcher
            .members(set)
            .map(|f| Entry {
                entity: f.entity,
                short: f.short,
                pattern: set.pattern_id(),
            })
            .collect();
        for e in list.iter().filter(|e| !e.short) {
            self.mentioned.insert(e.entity);
        }
        self.sets.insert(set, self.added.len() as u32);
        self.added.push(list);
        self.reopen();
    }

    /// Undoes [`Resolver::settle`] and what followed (kinds, choices, the
    /// unambiguous entities), for more candidates: the next settle, spans and
    /// finish take them in.
    fn reopen(&mut self) {
        if self.settled {
            self.settled = false;
            self.members.clear();
            self.single.clear();
            self.several.clear();
            self.kinds.clear();
            self.unambiguous = None;
        }
    }

    /// Ends the adding: each set keeps the short forms only of entities mentioned in
    /// full (somewhere in the document), and one entry per entity.
    fn settle(&mut self) {
        if self.settled {
            return;
        }
        self.settled = true;
        let mentioned = &self.mentioned;
        self.members = self
            .added
            .iter()
            .map(|list| {
                let mut list: Vec<Entry> = list
                    .iter()
                    .filter(|e| !e.short || mentioned.contains(e.entity))
                    .copied()
                    .collect();
                one_per_entity(&mut list);
                list
            })
            .collect();
        self.single = vec![NONE; self.members.len()];
    }

    /// Whether a candidate of `set` names anything (after [`Resolver::settle`]).
    fn passes(&self, set: FormSet) -> bool {
        self.sets.get(&set).is_some_and(|&i| self.names_any(i))
    }

    /// Whether the set numbered `id` names anything (after [`Resolver::settle`]).
    fn names_any(&self, id: u32) -> bool {
        !self.members[id as usize].is_empty()
    }

    /// The spans of candidates sorted by place, each with its kind (after
    /// [`Resolver::settle`]; a candidate that does not pass is left out, a place
    /// with none that passes has no span).
    fn spans(&mut self, candidates: &[Candidate]) -> Vec<Span> {
        let mut spans = Vec::new();
        let mut i = 0;
        let mut ids = Vec::new();
        while i < candidates.len() {
            let (start, end) = (candidates[i].start, candidates[i].end);
            let mut j = i;
            ids.clear();
            while j < candidates.len() && candidates[j].start == start && candidates[j].end == end {
                if let Some(&id) = self.sets.get(&candidates[j].set) {
                    if self.names_any(id) {
                        ids.push(id);
                    }
                }
                j += 1;
            }
            ids.sort_unstable();
            ids.dedup();
            if let Some(kind) = self.kind(&ids) {
                spans.push(Span { first: i, kind });
            }
            i = j;
        }
        spans
    }

    /// The kind of a span of the sets `ids` (sorted), made the first time.
    fn kind(&mut self, ids: &[u32]) -> Option<u32> {
        match ids {
            [] => None,
            [one] => {
                let slot = self.single.get(*one as usize).copied()?;
                if slot != NONE {
                    return Some(slot);
                }
                let kind = self.new_kind(ids);
                self.single[*one as usize] = kind;
                Some(kind)
            }
            _ => {
                if let Some(&kind) = self.several.get(ids) {
                    return Some(kind);
                }
                let kind = self.new_kind(ids);
                self.several.insert(ids.to_vec(), kind);
                Some(kind)
            }
        }
    }

    fn new_kind(&mut self, ids: &[u32]) -> u32 {
        let mut entries: Vec<Entry> = Vec::new();
        for &id in ids {
            entries.extend_from_slice(&self.members[id as usize]);
        }
        if ids.len() > 1 {
            one_per_entity(&mut entries);
        }
        self.kinds.push(Kind {
            entries,
            chosen: None,
        });
        (self.kinds.len() - 1) as u32
    }

    /// Ends the spans: the entities that a kind of span names alone are named
    /// unambiguously.
    fn finish(&mut self) {
        if self.unambiguous.is_some() {
            return;
        }
        let mut unambiguous = EntitySet::new(self.mentioned.capacity());
        for kind in &self.kinds {
            if let [only] = &kind.entries[..] {
                unambiguous.insert(only.entity);
            }
        }
        self.unambiguous = Some(unambiguous);
    }

    /// Whether [`Resolver::finish`] was called since the resolver was last reopened.
    fn finished(&self) -> bool {
        self.unambiguous.is_some()
    }

    /// The form by which a kind of span names `entity` in full, if it does.
    fn full_form(&self, kind: u32, entity: u32) -> Option<(u32, u32)> {
        let entries = &self.kinds.get(kind as usize)?.entries;
        let i = entries.binary_search_by_key(&entity, |e| e.entity).ok()?;
        (!entries[i].short).then_some(entries[i].pattern)
    }

    /// What a kind of span names: one with an unambiguous mention in the document,
    /// then the highest priority, then the first in gazetteer order (after
    /// [`Resolver::finish`]).
    fn chosen(&mut self, matcher: &Matcher, kind: u32) -> Option<&Chosen> {
        let unambiguous = self.unambiguous.as_ref()?;
        let k = self.kinds.get_mut(kind as usize)?;
        if k.chosen.is_none() {
            let mut entries = k.entries.clone();
            let reason = matcher.rank(&mut entries, |e| e.entity, unambiguous);
            let first = entries.first()?;
            k.chosen = Some(Chosen {
                entity: first.entity,
                short: first.short,
                reason,
                candidates: Candidates::from_iter(entries.iter().map(|e| e.entity as usize)),
                pattern: first.pattern,
            });
        }
        k.chosen.as_ref()
    }
}

/// Keeps one entry per entity (its full form where it has one), sorted by entity.
fn one_per_entity(list: &mut Vec<Entry>) {
    list.sort_unstable_by_key(|e| (e.entity, e.short));
    list.dedup_by_key(|e| e.entity);
}

/// A set of entity numbers, one bit each.
struct EntitySet(Vec<u64>);

impl EntitySet {
    fn new(entities: usize) -> EntitySet {
        EntitySet(vec![0; entities.div_ceil(64)])
    }

    /// How many entities it can hold (a multiple of 64).
    fn capacity(&self) -> usize {
        self.0.len() * 64
    }

    fn insert(&mut self, e: u32) {
        if let Some(w) = self.0.get_mut(e as usize / 64) {
            *w |= 1 << (e % 64);
        }
    }

    fn contains(&self, e: u32) -> bool {
        self.0
            .get(e as usize / 64)
            .is_some_and(|w| w & 1 << (e % 64) != 0)
    }
}

/// The size of the pieces a large text is scanned in.
const CHUNK: usize = 1 << 20;

/// Where to cut `text` at or after `at`: just after the first run of whitespace
/// there that holds an empty line (two line breaks, which normalisation makes a
/// paragraph break), or the end of the text.
fn paragraph_cut(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = at;
    while i < bytes.len() {
        let Some(nl) = bytes[i..].iter().position(|&b| b == b'\n') else {
            return text.len();
        };
        let mut j = i + nl + 1;
        let mut newlines = 1;
        while j < bytes.len() && matches!(bytes[j], b' ' | b'\t' | b'\r' | b'\n' | b'\x0c') {
            newlines += usize::from(bytes[j] == b'\n');
            j += 1;
        }
        if newlines >= 2 {
            return j;
        }
        i = j;
    }
    text.len()
}

/// A character that joins the one after it into one word, so that no match may
/// end between them nor start there: a combining mark belongs to the character
/// before it, unless that is a space or a block boundary (a mark after one belongs
/// to nothing, as at the start), and two letters or digits of a spaced script join.
fn joins(left: char, right: char) -> bool {
    (normalize::is_combining_mark(right) && !left.is_whitespace())
        || (normalize::is_word_char(left)
            && normalize::is_word_char(right)
            && !normalize::is_unspaced_script(left)
            && !normalize::is_unspaced_script(right))
}

/// A dot between word characters joins them: "kompas.com", "www.jakarta.go.id".
fn dotted(dot: Option<char>, next: Option<char>, edge: char) -> bool {
    dot == Some('.') && next.is_some_and(normalize::is_word_char) && normalize::is_word_char(edge)
}

/// An ASCII byte that is a word character.
fn ascii_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether a match of `text` that ends at `end` (on a character boundary, after at
/// least one character) stands as a whole word at its end: the half of
/// [`whole_word`] that depends on the end only, the same for every match ending
/// there.
fn word_ends_at(text: &str, end: usize) -> bool {
    let bytes = text.as_bytes();
    if !text.is_char_boundary(end) || end == 0 {
        return false;
    }
    // ASCII on both sides (most of the time): no combining marks, no unspaced script.
    if let (Some(&last), Some(&after)) = (bytes.get(end - 1), bytes.get(end)) {
        if last < 0x80 && after < 0x80 {
            if ascii_word(last) {
                if ascii_word(after) {
                    return false;
                }
                if after == b'.' {
                    return !bytes
                        .get(end + 1)
                        .is_some_and(|&b| b >= 0x80 || ascii_word(b))
                        || word_ends_slow(text, end);
                }
            }
            return true;
        }
    }
    word_ends_slow(text, end)
}

#[cold]
fn word_ends_slow(text: &str, end: usize) -> bool {
    let Some(last) = text[..end].chars().next_back() else {
        return false;
    };
    let mut after = text[end..].chars();
    let (a1, a2) = (after.next(), after.next());
    !(a1.is_some_and(|a| joins(last, a)) || dotted(a1, a2, last))
}

/// Whether a match `text[start..end]` stands as a whole word at its start: the
/// other half of [`whole_word`].
fn word_starts_at(text: &str, start: usize, end: usize) -> bool {
    let bytes = text.as_bytes();
    if start >= end || !text.is_char_boundary(start) {
        return false;
    }
    if start == 0 {
        return true;
    }
    if let (Some(&before), Some(&first)) = (bytes.get(start - 1), bytes.get(start)) {
        if before < 0x80 && first < 0x80 {
            if ascii_word(first) {
                if ascii_word(before) {
                    return false;
                }
                if before == b'.' {
                    return start < 2
                        || !(bytes[start - 2] >= 0x80 || ascii_word(bytes[start - 2]))
                        || word_starts_slow(text, start);
                }
            }
            return true;
        }
    }
    word_starts_slow(text, start)
}

#[cold]
fn word_starts_slow(text: &str, start: usize) -> bool {
    let Some(first) = text[start..].chars().next() else {
        return false;
    };
    let mut before = text[..start].chars().rev();
    let (b1, b2) = (before.next(), before.next());
    !(b1.is_some_and(|b| joins(b, first)) || dotted(b1, b2, first))
}

/// Whether `text[start..end]` stands as whole words: it neither starts nor ends
/// inside a word, except in scripts written without spaces; it never separates a
/// character from the combining marks after it (in any script); and it is not part
/// of a dotted name such as a domain or an initial ("kompas.com", "H.M.Prasetyo").
#[cfg(test)]
fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let inner = &text[start..end];
    let (Some(first), Some(last)) = (inner.chars().next(), inner.chars().next_back()) else {
        return false;
    };
    let mut before = text[..start].chars().rev();
    let mut after = text[end..].chars();
    let (b1, b2) = (before.next(), before.next());
    let (a1, a2) = (after.next(), after.next());
    if b1.is_some_and(|b| joins(b, first)) || a1.is_some_and(|a| joins(last, a)) {
        return false;
    }
    !dotted(b1, b2, first) && !dotted(a1, a2, last)
}

#[cfg(all(test, feature = "text"))]
mod tests {
    use super::*;

    use proptest::prelude::*;

    const ATOMS: &[&str] = &[
        "a", "B", "é", "e\u{301}", "\u{301}", "ß", "İ", "Σ", "ﬁ", "Ａ", "北", "京", "ก", "😀", " ",
        "\u{a0}", "\n\n", "-", "’", ".", "_", "\u{ad}", "Kim", "kim", "AS", "as", "0", "9",
    ];

    fn atoms(max: usize) -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(ATOMS), 1..max).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(
            std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(400)
        ))]

        /// One scan and the two halves of the whole-word rule keep exactly what
        /// aho-corasick's overlapping search, filtered by `whole_word`, keeps (the
        /// aho-corasick version of the matcher).
        #[test]
        fn whole_word_occurrences_are_aho_corasicks(
            forms in prop::collection::vec(atoms(4), 1..8),
            text in atoms(40),
            diacritics in any::<bool>(),
        ) {
            let fold = Fold { case: true, diacritics };
            let mut patterns: Vec<String> = Vec::new();
            for f in &forms {
                let key = normalize::form_key(f, fold);
                if !key.is_empty() && !patterns.contains(&key) {
                    patterns.push(key);
                }
            }
            prop_assume!(!patterns.is_empty());
            let norm = Normalized::new(&text, fold).text;
            let automaton = Automaton::build(&patterns);
            let mut ours = Vec::new();
            let mut hits = Vec::new();
            automaton.scan(norm.as_bytes(), &mut hits);
            for (end, state) in hits {
                if word_ends_at(&norm, end) {
                    for (start, p) in automaton.outputs(end, state) {
                        if word_starts_at(&norm, start, end) {
                            ours.push((start, end, p));
                        }
                    }
                }
            }
            ours.sort();
            let ac = aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::Standard)
                .build(&patterns)
                .unwrap();
            let mut want: Vec<(usize, usize, u32)> = ac
                .find_overlapping_iter(&norm)
                .filter(|m| whole_word(&norm, m.start(), m.end()))
                .map(|m| (m.start(), m.end(), m.pattern().as_u32()))
                .collect();
            want.sort();
            prop_assert_eq!(ours, want);
        }
    }

    /// Forms many entities share, in every case rule (folded, capitalised,
    /// case-exact), with and without diacritics.
    const SHARED: &[&str] = &[
        "Kim",
        "kim",
        "KIM",
        "Kim Jong",
        "Jong Un",
        "Kim Jong Un",
        "UN",
        "un",
        "Un",
        "São",
        "Sao",
        "São Paulo",
        "Paulo",
        "ß",
        "SS",
        "İ",
        "北京",
    ];

    /// A gazetteer whose entities draw their name, aliases and short forms from
    /// [`SHARED`], with a random case, diacritics rule and priority each.
    fn shared_forms() -> impl Strategy<Value = String> {
        let form = || prop::sample::select(SHARED);
        let entity = (
            form(),
            prop::collection::vec(form(), 0..3),
            prop::collection::vec(form(), 0..3),
            0..3u8,
            any::<bool>(),
            0..3u8,
        );
        prop::collection::vec(entity, 1..14).prop_map(|list| {
            let entities: Vec<String> = list
                .iter()
                .enumerate()
                .map(|(i, (name, aliases, short, case, diacritics, priority))| {
                    let case = ["", r#""case": "exact","#, r#""case": "fold","#][*case as usize];
                    let diacritics = if *diacritics { "exact" } else { "fold" };
                    format!(
                        r#"{{"id": "e{i}", "name": {name:?}, "type": "T", {case}
                            "aliases": {aliases:?}, "short": {short:?},
                            "diacritics": "{diacritics}", "priority": {priority}}}"#
                    )
                })
                .collect();
            format!(r#"{{"entities": [{}]}}"#, entities.join(","))
        })
    }

    fn shared_text() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(
            [
                SHARED,
                &[" ", " ", "  ", ", ", "\n\n", "-", "Kim Kim", "x"][..],
            ]
            .concat(),
        );
        prop::collection::vec(piece, 0..30).prop_map(|v| v.join(" "))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(
            std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(400)
        ))]

        /// Candidates grouped by form resolve to exactly the matches of one
        /// candidate per entity (the matcher before grouping, `reference.rs`),
        /// found at once, in blocks, or searched a slice at a time.
        #[test]
        fn grouped_candidates_give_the_matches_of_one_per_entity(
            gazetteer in shared_forms(),
            text in shared_text(),
            all in any::<bool>(),
            size in 1usize..40,
        ) {
            let m = Matcher::new(Gazetteer::from_json(&gazetteer, "t").unwrap()).unwrap();
            let options = FindOptions { overlap: if all { Overlap::All } else { Overlap::Longest } };
            let found = m.find_with(&text, options);
            prop_assert_eq!(&found, &m.find_reference(&text, options));
            let blocks: Vec<&str> = text.split('\u{2029}').collect();
            prop_assert_eq!(&m.find_blocks(&blocks, &mut BlockCache::new(), options), &found);
            prop_assert_eq!(&search::tests::searched(&m, &text, size, options), &found);
        }
    }

    #[test]
    fn a_form_many_entities_share_is_resolved_once_and_its_list_shared() {
        let entities: Vec<String> = (0..500)
            .map(|i| format!(r#"{{"id": "j{i}", "name": "Jakarta", "type": "LOC"}}"#))
            .collect();
        let json = format!(r#"{{"entities": [{}]}}"#, entities.join(","));
        let m = Matcher::new(Gazetteer::from_json(&json, "t").unwrap()).unwrap();
        let text = "Jakarta, kota Jakarta. ".repeat(300);
        let found = m.find(&text);
        assert_eq!(found.len(), 600);
        assert_eq!(found, m.find_reference(&text, FindOptions::default()));
        assert!(found
            .iter()
            .all(|f| f.candidates.len() == 500 && f.reason == Reason::Order));
        let lists: std::collections::HashSet<_> =
            found.iter().map(|f| f.candidates.shared()).collect();
        assert_eq!(lists.len(), 1, "one list for every match");
    }

    #[test]
    fn chunks_give_the_candidates_of_the_whole() {
        let g = crate::default_gazetteer().unwrap();
        let m = Matcher::new(g).unwrap();
        let sample = include_str!("../www/demo/sample/lavrov-kim-id.txt");
        // Paragraphs with CRLF, spaces and tabs in the breaks, a name at each edge,
        // non-ASCII text (UTF-16 offsets shift) and a break of a single line.
        let text = format!(
            "{sample}\r\n \t\r\nKim Jong Un 😀 di Jakarta\n\n\nSergey Lavrov\nJakarta\n\nRusia{sample}"
        );
        let whole = m.candidates_in_chunks(&text, usize::MAX / 2);
        assert!(whole.len() > 100);
        for chunk in [1, 7, 100, 1000, 5000] {
            assert_eq!(m.candidates_in_chunks(&text, chunk), whole, "chunk {chunk}");
        }
    }
}
