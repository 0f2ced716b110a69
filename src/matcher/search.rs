//! One document searched piece by piece, with bounded work and memory per step:
//! the caller gives the text a slice at a time ([`Search::push`]), then takes the
//! matches a few pieces at a time ([`Search::next`]). The matches are those of
//! [`Matcher::find_with`] on the whole text, with the same offsets.
//!
//! A slice is cut where no candidate can cross (after whitespace of any script, or
//! between two letters of a script written without spaces, with no candidate over
//! the cut and at least the longest form's length of letters and digits after it),
//! so that each piece's candidates are those of the whole text there, and a piece
//! resolves alone given the document-wide facts (which entities are mentioned in
//! full, which unambiguously). Kept for the whole document: the candidates and
//! their spans (until their piece is resolved), and the resolver's facts (an entity
//! list per distinct form found, which for a form thousands of entities share holds
//! thousands, and each kind of span's choice); the text, its normalised copies, the
//! automaton's hits and the matches are one slice's or one piece's.
//!
//! ```
//! use sorot::{FindOptions, Gazetteer, Matcher, Search};
//! let g = Gazetteer::from_json(r#"{"entities": [
//!     {"id": "kim", "name": "Kim Jong Un", "type": "PER", "short": ["Kim"]}]}"#, "t").unwrap();
//! let m = Matcher::new(g).unwrap();
//! let text = "Kim tiba. Kim Jong Un bicara. Kim pergi.";
//! let mut search = Search::new(&m);
//! let mut at = 0;
//! for end in [12, 25, text.len()] {
//!     at += search.push(&m, &text[at..end], end == text.len());
//! }
//! search.finish();
//! let mut found = Vec::new();
//! while let Some(mut part) = search.next(&m, FindOptions::default(), 1) {
//!     found.append(&mut part);
//! }
//! assert_eq!(found, m.find(text));
//! ```

use super::{Candidate, FindOptions, Match, Matcher, Resolver, Span};
use crate::normalize::{is_combining_mark, is_ignorable, is_unspaced_script, normalises_to_mark};
use crate::utf16::utf16_len;
use std::cmp::Reverse;

/// A document being searched piece by piece (see the module documentation).
pub struct Search {
    /// The candidates of each piece so far, sorted and deduplicated (one vector a
    /// piece: no large block to grow, and each freed once resolved).
    pieces: Vec<Vec<Candidate>>,
    /// The spans of each piece (after [`Search::finish`]).
    spans: Vec<Vec<Span>>,
    /// How many candidates are kept.
    kept: usize,
    /// Where the text given so far ends: bytes, UTF-16 units.
    offset: (usize, usize),
    /// The document-wide facts: the entities of each form found, which are
    /// mentioned in full (a short form counts only for them), and after
    /// [`Search::finish`] which have an unambiguous mention.
    resolver: Resolver,
    /// The longest form's normalised length in bytes.
    longest: usize,
    /// The next piece [`Search::next`] resolves.
    next_piece: usize,
}

impl Matcher {
    /// The longest form's normalised length in bytes (what a cut of
    /// [`Search::push`] leaves after it).
    pub fn longest_form(&self) -> usize {
        self.scanners
            .iter()
            .map(|s| s.automaton.longest())
            .max()
            .unwrap_or(0)
    }
}

impl Search {
    /// A new search with `matcher`.
    pub fn new(matcher: &Matcher) -> Search {
        Search::with_longest(matcher, matcher.longest_form())
    }

    /// [`Search::new`] given [`Matcher::longest_form`] (kept by a caller that makes
    /// many searches).
    pub fn with_longest(matcher: &Matcher, longest: usize) -> Search {
        Search {
            pieces: Vec::new(),
            spans: Vec::new(),
            kept: 0,
            offset: (0, 0),
            resolver: Resolver::new(matcher.entity_count()),
            longest,
            next_piece: 0,
        }
    }

    /// Scans the next slice of the document (the text after what earlier calls
    /// consumed), `last` when it ends the document. Returns how many bytes of it
    /// were consumed: up to its last safe cut, or all of it when `last`; the rest
    /// must start the next slice. 0 means no safe cut was found: give a longer
    /// slice.
    pub fn push(&mut self, matcher: &Matcher, slice: &str, last: bool) -> usize {
        let (base, base16) = self.offset;
        let mut found = Vec::new();
        matcher.candidates_into(slice, (base, base16), &mut found);
        found.sort_unstable_by_key(|c| (c.start, Reverse(c.end), c.set));
        let cut = if last {
            slice.len()
        } else {
            safe_cut(slice, base, &found, self.longest)
        };
        if cut == 0 && !slice.is_empty() {
            return 0;
        }
        found.retain(|c| c.start < base + cut);
        found.dedup();
        // More text after the search was finished (or while it was being finished):
        // the next finish() looks again at the pieces not resolved yet, with the
        // facts of all the text.
        if self.resolver.finished() || self.resolver.settled {
            self.spans.clear();
            self.resolver.reopen();
        }
        for c in &found {
            self.resolver.add(matcher, c.set);
        }
        found.shrink_to_fit();
        self.kept += found.len();
        self.pieces.push(found);
        self.offset = (base + cut, base16 + utf16_len(&slice.as_bytes()[..cut]));
        cut
    }

    /// Ends the text: after it, [`Search::next`] gives the matches. Linear in the
    /// number of candidates ([`Search::finish_some`] does it a part at a time).
    pub fn finish(&mut self) {
        while !self.finish_some(usize::MAX) {}
    }

    /// [`Search::finish`] a part at a time: the document-wide facts first, then the
    /// pieces' spans until about `budget` candidates are looked at (at least one
    /// piece). Says whether the search is finished. (350,000 candidates took one
    /// call of 86 ms in the browser.) The pieces keep all their candidates (the
    /// spans leave out those that do not pass: short forms of entities not
    /// mentioned in full), so that text given after it was finished, or while it
    /// was, is resolved with the facts of all the text.
    pub fn finish_some(&mut self, budget: usize) -> bool {
        if self.resolver.finished() {
            return true;
        }
        if !self.resolver.settled {
            // Short forms of entities not mentioned in full go.
            self.resolver.settle();
            self.spans.clear();
        }
        let mut used = 0;
        while self.spans.len() < self.pieces.len() && (used == 0 || used < budget) {
            let piece = &self.pieces[self.spans.len()];
            used += piece.len().max(1);
            self.spans.push(self.resolver.spans(piece));
        }
        if self.spans.len() < self.pieces.len() {
            return false;
        }
        self.resolver.finish();
        true
    }

    /// The matches of the next pieces, resolving at least one piece and then until
    /// about `budget` candidates are used; `None` when every piece is done.
    /// Calls [`Search::finish`] first if it was not.
    pub fn next(
        &mut self,
        matcher: &Matcher,
        options: FindOptions,
        budget: usize,
    ) -> Option<Vec<Match>> {
        self.finish();
        if self.next_piece >= self.pieces.len() {
            return None;
        }
        let mut out = Vec::new();
        let mut used = 0;
        while self.next_piece < self.pieces.len() && (used == 0 || used < budget) {
            let piece = std::mem::take(&mut self.pieces[self.next_piece]);
            let spans = self
                .spans
                .get_mut(self.next_piece)
                .map(std::mem::take)
                .unwrap_or_default();
            self.next_piece += 1;
            used += piece.len().max(1);
            self.kept -= piece.len();
            out.append(&mut matcher.resolve_spans(&piece, &spans, &mut self.resolver, options));
        }
        Some(out)
    }

    /// How many candidates are kept (most of the memory a search holds: a few dozen
    /// bytes each, until their piece is resolved; the resolver's lists are one per
    /// distinct form found, not per candidate).
    pub fn candidates(&self) -> usize {
        self.kept
    }
}

/// The last place in `slice` (a byte offset, not 0) where it may be cut (see
/// [`cuts_between`]), with no candidate of `found` (sorted by start; offsets from
/// `base`) over it and more than `longest` letters and digits after it in the
/// slice (each at least one byte of normalised text; and a margin for what a
/// match's end looks at after it), so that any candidate over it would have been
/// found as in the whole text. 0 when there is none.
fn safe_cut(slice: &str, base: usize, found: &[Candidate], longest: usize) -> usize {
    // The furthest end of the candidates that start before each one.
    let mut reach = Vec::with_capacity(found.len());
    let mut far = 0;
    for c in found {
        far = far.max(c.end);
        reach.push(far);
    }
    let mut letters_after = 0;
    let mut chars = slice.char_indices().rev().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_alphanumeric() && !is_combining_mark(c) {
            letters_after += 1;
        }
        let Some(&(_, before)) = chars.peek() else {
            break;
        };
        if letters_after <= longest + MARGIN || !cuts_between(before, c) {
            continue;
        }
        // Candidates starting before the cut end at or before it.
        let first_after = found.partition_point(|c| c.start < base + i);
        if first_after == 0 || reach[first_after - 1] <= base + i {
            return i;
        }
    }
    0
}

/// Whether text may be cut between `before` and `after` so that each side
/// normalises, and its candidates start and end, as they do in the whole text: the
/// first character of a slice then looks at nothing before it, as it looks at
/// nothing across this place in the whole text. That is after whitespace (of any
/// script: a run of it, which normalisation folds into one space or a paragraph
/// break, stays whole before the cut), or between two letters of a script written
/// without spaces (Han, Kana, Thai...: they do not join); never before whitespace,
/// a combining mark (it belongs to the character before it), a character that
/// normalises to one (Thai SARA AM) or a character normalisation drops.
fn cuts_between(before: char, after: char) -> bool {
    if after.is_whitespace()
        || is_combining_mark(after)
        || normalises_to_mark(after)
        || is_ignorable(after)
    {
        return false;
    }
    before.is_whitespace()
        || (is_unspaced_script(before)
            && is_unspaced_script(after)
            && before.is_alphanumeric()
            && after.is_alphanumeric())
}

/// Characters after a match that deciding on it may look at (whether it ends a
/// word: two; how the last character normalises: one), with room to spare.
const MARGIN: usize = 8;

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::{Gazetteer, Overlap};
    use proptest::prelude::*;

    fn matcher() -> Matcher {
        let g = Gazetteer::from_json(
            r#"{"entities": [
            {"id": "kim", "name": "Kim Jong Un", "type": "PER", "short": ["Kim"]},
            {"id": "kim2", "name": "Kim Yo Jong", "type": "PER", "short": ["Kim"]},
            {"id": "jo", "name": "Joko Widodo", "type": "PER", "short": ["Jokowi", "Joko"]},
            {"id": "p1", "name": "Paris", "type": "LOC", "priority": 2},
            {"id": "p2", "name": "Paris Hilton", "type": "PER", "aliases": ["Paris"]},
            {"id": "sp", "name": "São Paulo", "type": "LOC"},
            {"id": "pp", "name": "Presiden Prabowo", "type": "PER", "aliases": ["Prabowo Subianto"]},
            {"id": "un", "name": "UN", "type": "ORG", "case": "exact"},
            {"id": "msk", "name": "Москва", "type": "LOC", "aliases": ["Moskva"]},
            {"id": "vvp", "name": "Владимир Путин", "type": "PER", "short": ["Путин"]},
            {"id": "bj", "name": "北京", "type": "LOC", "aliases": ["北京市"]},
            {"id": "tk", "name": "東京都", "type": "LOC", "short": ["東京"]},
            {"id": "bkk", "name": "กรุงเทพ", "type": "LOC"},
            {"id": "cai", "name": "القاهرة", "type": "LOC"},
            {"id": "sof", "name": "Σοφία", "type": "LOC"}]}"#,
            "t",
        )
        .unwrap();
        Matcher::new(g).unwrap()
    }

    /// The matches of `text` given in slices of `size` bytes (moved to a character
    /// boundary), each a longer one when no cut was found.
    pub(crate) fn searched(
        m: &Matcher,
        text: &str,
        size: usize,
        options: FindOptions,
    ) -> Vec<Match> {
        let mut search = Search::new(m);
        let mut at = 0;
        let mut len = size;
        while at < text.len() {
            let mut end = (at + len).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            let used = search.push(m, &text[at..end], end == text.len());
            if used == 0 {
                len *= 2;
            } else {
                at += used;
                len = size;
            }
        }
        // Finished a few candidates at a time, as the browser does between its turns.
        while !search.finish_some(size % 7) {}
        let mut out = Vec::new();
        while let Some(mut part) = search.next(m, options, 3) {
            out.append(&mut part);
        }
        out
    }

    const WORDS: &[&str] = &[
        "Kim",
        "Jong",
        "Un",
        "Yo",
        "Joko",
        "Widodo",
        "Jokowi",
        "Paris",
        "Hilton",
        "São",
        "Paulo",
        "Sao",
        "Presiden",
        "Prabowo",
        "Subianto",
        "UN",
        "un",
        "di",
        "dan",
        "x",
        "Москва",
        "МОСКВА",
        "Владимир",
        "Путин",
        "в",
        "北京",
        "市",
        "東京",
        "都",
        "に",
        "กรุงเทพ",
        "ฯ",
        "เมือง",
        "القاهرة",
        "الْقَاهِرَة",
        "ΣΟΦΊΑ",
        "Σοφία",
    ];
    const SEPARATORS: &[&str] = &[
        " ",
        "  ",
        "\n",
        "\n\n",
        ", ",
        ". ",
        " \u{2029}",
        "\u{2029}",
        "-",
        "\u{200b}",
        "\u{301} ",
        "",
        "\u{a0}",
        "\u{3000}",
        "\u{3002}",
        "\u{e31}",
        "\u{a0}\n\u{a0}\n",
    ];

    proptest! {
        #[test]
        fn slices_give_the_matches_of_the_whole(
            words in proptest::collection::vec((0..WORDS.len(), 0..SEPARATORS.len()), 0..120),
            size in 1usize..64,
            all in any::<bool>(),
        ) {
            let m = matcher();
            let text: String = words.iter().map(|&(w, s)| format!("{}{}", WORDS[w], SEPARATORS[s])).collect();
            let options = FindOptions { overlap: if all { Overlap::All } else { Overlap::Longest } };
            prop_assert_eq!(searched(&m, &text, size, options), m.find_with(&text, options));
        }
    }

    #[test]
    fn every_slice_size_gives_the_matches_of_the_whole() {
        let m = matcher();
        let text = "Presiden Prabowo Subianto dan Kim. Paris Hilton di Paris, Kim Jong Un \
            bertemu Kim Yo Jong. Joko Widodo (Jokowi) di São Paulo; UN un Un. Presiden \
            Prabowo Subianto\n\nKim Kim Jong Un Jong Un, Paris Paris Hilton Hilton x x x \
            Sao Paulo\u{2029}Jokowi Presiden Prabowo Prabowo Subianto Subianto.";
        for all in [false, true] {
            let options = FindOptions {
                overlap: if all { Overlap::All } else { Overlap::Longest },
            };
            let whole = m.find_with(text, options);
            for size in 1..120 {
                assert_eq!(searched(&m, text, size, options), whole, "slices of {size}");
            }
        }
    }

    #[test]
    fn text_given_after_the_search_was_finished_is_searched_too() {
        let m = matcher();
        let text = "Kim Jong Un pergi.";
        let mut search = Search::new(&m);
        search.finish();
        assert_eq!(search.push(&m, text, true), text.len());
        let found = search.next(&m, FindOptions::default(), 100).unwrap();
        assert_eq!(found, m.find(text));
        // And after some matches were taken: the rest with the facts of all the text
        // ("Kim" counts once "Kim Jong Un" is given).
        let mut search = Search::new(&m);
        let first = "Paris Hilton tiba. ";
        assert_eq!(search.push(&m, first, true), first.len());
        let mut found = search.next(&m, FindOptions::default(), 1).unwrap();
        search.push(&m, "Kim tiba. Kim Jong Un pergi.", true);
        while let Some(mut part) = search.next(&m, FindOptions::default(), 1) {
            found.append(&mut part);
        }
        let texts: Vec<usize> = found.iter().map(|f| f.entity).collect();
        assert_eq!(texts, [4, 0, 0], "Paris Hilton, Kim, Kim Jong Un");
        // Text given while it was being finished, and a short form given before its
        // entity's full name: as in the whole text.
        let early = "Kim tiba di Paris, lalu Jokowi pergi. ".repeat(4);
        let late = "Kim Jong Un bicara. Joko Widodo diam.";
        let mut search = Search::new(&m);
        let (mut at, mut len) = (0, 24);
        while at + len <= early.len() {
            let used = search.push(&m, &early[at..at + len], false);
            if used == 0 {
                len *= 2;
            } else {
                (at, len) = (at + used, 24);
            }
        }
        assert!(search.pieces.len() > 1, "{} pieces", search.pieces.len());
        assert!(!search.finish_some(1), "one piece finished of several");
        let rest = format!("{}{late}", &early[at..]);
        assert_eq!(search.push(&m, &rest, true), rest.len());
        let mut found = Vec::new();
        while let Some(mut part) = search.next(&m, FindOptions::default(), 1) {
            found.append(&mut part);
        }
        assert_eq!(found, m.find(&format!("{early}{late}")));
        assert!(
            found.iter().any(|f| f.short),
            "a short form counted: {found:?}"
        );
    }

    #[test]
    fn a_cut_leaves_the_longest_form_after_it_and_crosses_no_candidate() {
        let m = matcher();
        let text = "Kim Jong Un ".repeat(100);
        let mut search = Search::new(&m);
        let used = search.push(&m, &text, false);
        assert!(used > 0 && used < text.len());
        assert!(text.len() - used > m.longest_form());
        assert!(text[..used].ends_with(' '));
        // No cut in a slice shorter than the longest form.
        assert_eq!(Search::new(&m).push(&m, "Kim Jong", false), 0);
    }

    #[test]
    fn no_cut_before_a_letter_that_normalises_to_a_mark() {
        // Thai SARA AM is NIKHAHIT (a mark) and SARA AA: a form starting with it
        // cannot start after the letter it follows, in slices as in the whole text.
        let g = Gazetteer::from_json(
            r#"{"entities": [{"id": "am", "name": "\u0e33a", "type": "T"}]}"#,
            "t",
        )
        .unwrap();
        let m = Matcher::new(g).unwrap();
        let text = format!("\u{e17}\u{e33}a-{}", "b".repeat(20));
        let options = FindOptions::default();
        let whole = m.find_with(&text, options);
        assert!(whole.is_empty());
        for size in 1..text.len() {
            assert_eq!(
                searched(&m, &text, size, options),
                whole,
                "slices of {size}"
            );
        }
    }

    #[test]
    fn text_in_other_scripts_is_cut_too() {
        let m = matcher();
        // Cyrillic words after spaces (and no-break spaces), Han and Thai without any.
        for (text, cut_after) in [
            ("Владимир Путин в Москве. ".repeat(50), Some(' ')),
            ("Москва\u{a0}".repeat(200), Some('\u{a0}')),
            ("北京市に東京都の人が来た".repeat(50), None),
            ("เมืองกรุงเทพฯ".repeat(50), None),
        ] {
            let used = Search::new(&m).push(&m, &text, false);
            assert!(used > 0 && used < text.len(), "no cut in {text:?}");
            if let Some(c) = cut_after {
                assert!(text[..used].ends_with(c), "cut at {used} in {text:?}");
            }
            let options = FindOptions::default();
            assert_eq!(
                searched(&m, &text, 200, options),
                m.find_with(&text, options)
            );
        }
        // Never inside a word of a spaced script.
        assert_eq!(Search::new(&m).push(&m, &"Москва".repeat(300), false), 0);
        // Nor between a letter and its mark: "กรุงเทพ" before a vowel sign is no match
        // (a match never ends before a mark of its last letter), in any slices.
        let text = format!("กรุงเทพ\u{e31}{}", "Moskva".repeat(8));
        let options = FindOptions::default();
        let whole = m.find_with(&text, options);
        assert_eq!(whole.iter().filter(|f| f.entity == 12).count(), 0);
        for size in 1..text.len() {
            assert_eq!(
                searched(&m, &text, size, options),
                whole,
                "slices of {size}"
            );
        }
    }
}
