//! Text normalisation with a map back to the original text.
//!
//! One normalisation is applied, identically, to gazetteer surface forms and to the
//! text being searched. Every normalised byte remembers the original bytes it came
//! from, so that a match found in normalised text maps back to an exact span of the
//! original text.
//!
//! Per character, in order:
//! - zero-width and formatting characters (soft hyphen, ZWSP, ZWJ, BOM, bidi marks)
//!   are dropped;
//! - a run of whitespace becomes one space, or one paragraph separator (U+2029) when
//!   it holds an empty line or a U+2029: a match never crosses a paragraph break;
//! - letters and digits are decomposed with compatibility mappings (full-width forms,
//!   ligatures), everything else canonically;
//! - case is folded (when asked) for every script;
//! - combining diacritics are dropped (when asked);
//! - typographic quotes, apostrophes and dashes become their ASCII forms.

use crate::unicode_tables::{COMBINING, DECOMPOSED, DECOMPOSITIONS, RANGES};

/// A combining mark (general category M), which belongs to the character before it.
pub(crate) fn is_combining_mark(c: char) -> bool {
    let c = c as u32;
    if c < 0x300 {
        return false;
    }
    let k = COMBINING.partition_point(|&(start, _)| start <= c);
    k > 0 && c <= COMBINING[k - 1].1
}

/// The full decomposition of `c` that normalisation uses: compatibility mappings
/// for letters and digits, canonical ones for the rest; `None` when `c` stands for
/// itself. From the tables of `src/unicode_tables.rs`, generated from the
/// unicode-normalization crate and checked against it by a test.
fn decomposition(c: char) -> Option<Decomposed> {
    let u = c as u32;
    let k = RANGES.partition_point(|&(start, _, _)| start <= u);
    if let Some(&(start, len, target)) = k.checked_sub(1).map(|k| &RANGES[k]) {
        if u < start + u32::from(len) {
            return char::from_u32(target + (u - start)).map(Decomposed::One);
        }
    }
    let k = DECOMPOSED.binary_search_by_key(&u, |&(key, _)| key).ok()?;
    let from = usize::from(DECOMPOSED[k].1);
    let to = DECOMPOSED
        .get(k + 1)
        .map_or(DECOMPOSITIONS.len(), |&(_, next)| usize::from(next));
    DECOMPOSITIONS.get(from..to).map(Decomposed::Many)
}

enum Decomposed {
    One(char),
    Many(&'static str),
}

/// Whether what `c` normalises to starts with a combining mark (Thai SARA AM,
/// U+0E33, is NIKHAHIT and SARA AA): it then belongs to the character before it,
/// as a mark does.
pub(crate) fn normalises_to_mark(c: char) -> bool {
    match decomposition(c) {
        None => false,
        Some(Decomposed::One(d)) => is_combining_mark(d),
        Some(Decomposed::Many(ds)) => ds.chars().next().is_some_and(is_combining_mark),
    }
}

/// The paragraph separator that stands for a block boundary in normalised text.
pub(crate) const PARAGRAPH: char = '\u{2029}';

/// What a normalisation folds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Fold {
    /// Fold case (every script).
    pub case: bool,
    /// Drop combining diacritics, so that "Sao Paulo" equals "São Paulo".
    pub diacritics: bool,
}

/// Normalised text with a map back to the original text.
///
/// Most of a text maps byte for byte (ASCII letters, digits and punctuation, single
/// spaces, and characters normalisation leaves as they are): only the places where
/// it does not are kept, as pieces, so that the map costs nothing where the text is
/// plain and the scan is one pass with a fast path for ASCII.
pub(crate) struct Normalized {
    /// The normalised text.
    pub text: String,
    /// The groups (the bytes one original character, or one whitespace run,
    /// produced, with what was dropped after it) that do not map byte for byte, in
    /// order. Between them, normalised byte `i` is original byte `i + delta`.
    pieces: Vec<Piece>,
}

#[derive(Clone, Copy, Debug)]
struct Piece {
    /// The normalised bytes `norm..norm_end`...
    norm: u32,
    norm_end: u32,
    /// ...came from the original bytes `orig..orig_end`.
    orig: u32,
    orig_end: u32,
}

impl Normalized {
    /// Normalises `original` (at most 4 GiB) and keeps the offset map.
    pub fn new(original: &str, fold: Fold) -> Normalized {
        let bytes = original.as_bytes();
        let mut text = String::with_capacity(original.len() + 8);
        let mut pieces: Vec<Piece> = Vec::new();
        // The last group emitted: where it starts in the normalised and the original
        // text (a drop after it extends it).
        let mut last: Option<(usize, usize)> = None;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if plain(b) {
                // Fast path: a run of ASCII letters, digits and punctuation, with
                // single spaces between them, maps byte for byte.
                let j = plain_run(bytes, i + 1);
                let start = text.len();
                text.push_str(&original[i..j]);
                if fold.case {
                    text[start..].make_ascii_lowercase();
                }
                last = Some((text.len() - 1, j - 1));
                i = j;
                continue;
            }
            let Some(c) = original[i..].chars().next() else {
                break;
            };
            let end = i + c.len_utf8();
            let norm = text.len();
            if c.is_whitespace() {
                let (ch, run_end) = whitespace_run(original, i);
                text.push(ch);
                if !(run_end == i + 1 && ch == ' ') {
                    pieces.push(Piece {
                        norm: norm as u32,
                        norm_end: text.len() as u32,
                        orig: i as u32,
                        orig_end: run_end as u32,
                    });
                }
                last = Some((norm, i));
                i = run_end;
                continue;
            }
            if !is_ignorable(c) {
                fold_char(c, fold, &mut text);
            }
            if text.len() == norm {
                // Nothing emitted: the character belongs to the group before it.
                // Before any group, it shifts what follows (an empty piece).
                let (group_norm, group_orig) = last.unwrap_or((0, 0));
                let group_end = if last.is_some() { text.len() } else { 0 };
                match pieces.last_mut() {
                    Some(p)
                        if p.norm as usize == group_norm && p.norm_end as usize == group_end =>
                    {
                        p.orig_end = end as u32
                    }
                    _ => pieces.push(Piece {
                        norm: group_norm as u32,
                        norm_end: group_end as u32,
                        orig: group_orig as u32,
                        orig_end: end as u32,
                    }),
                }
            } else {
                if text.as_bytes()[norm..] != bytes[i..end] {
                    pieces.push(Piece {
                        norm: norm as u32,
                        norm_end: text.len() as u32,
                        orig: i as u32,
                        orig_end: end as u32,
                    });
                }
                last = Some((norm, i));
            }
            i = end;
        }
        Normalized { text, pieces }
    }

    /// The original offset of normalised offset `x` when `x` starts a group, or
    /// (with `end`) when it ends one; `None` inside a group.
    fn map(&self, x: usize, end: bool) -> Option<usize> {
        // The byte whose group must start (or end) at x.
        let byte = if end { x - 1 } else { x };
        let k = self.pieces.partition_point(|p| p.norm as usize <= byte);
        let Some(p) = k.checked_sub(1).map(|k| self.pieces[k]) else {
            return Some(x);
        };
        let (norm, norm_end) = (p.norm as usize, p.norm_end as usize);
        if byte < norm_end {
            return match end {
                false if x == norm => Some(p.orig as usize),
                true if x == norm_end => Some(p.orig_end as usize),
                _ => None,
            };
        }
        Some(p.orig_end as usize + (x - norm_end))
    }

    /// The original span of the normalised span `start..end`, if that span begins and
    /// ends on whole characters of the original (never inside the expansion of one
    /// character, such as "ss" from "ß").
    pub fn original_span(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        if start >= end || end > self.text.len() {
            return None;
        }
        Some((self.map(start, false)?, self.map(end, true)?))
    }
}

/// An ASCII byte that normalisation leaves as it is (but for its case): anything
/// but whitespace (`\t`, `\n`, `\x0c`, `\r`, space) and non-ASCII bytes.
#[inline(always)]
fn plain(b: u8) -> bool {
    b < 0x80 && !b.is_ascii_whitespace()
}

/// Where the run of plain bytes and single spaces between plain bytes that goes
/// on at `j` (just after a plain byte) ends.
#[inline]
fn plain_run(bytes: &[u8], mut j: usize) -> usize {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    loop {
        // Eight bytes at a time while they are printable ASCII (0x20..0x7f) with no
        // two spaces in a row and no space last (a space must be followed by a
        // plain byte, which the next eight may not start with). The byte before is
        // never a space here.
        while let Some(chunk) = bytes.get(j..j + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let w = u64::from_le_bytes(word);
            // No byte >= 0x80; then x + 0x60 has its high bit iff x >= 0x20 (no
            // carry between bytes), and (x ^ 0x20) + 0x7f iff x is not a space.
            if w & HIGH != 0 || (w + 0x60 * LOW) & HIGH != HIGH {
                break;
            }
            let spaces = !((w ^ (0x20 * LOW)) + 0x7f * LOW) & HIGH;
            if spaces & (spaces >> 8) != 0 || spaces >> 63 != 0 {
                break;
            }
            j += 8;
        }
        // Then byte by byte, up to where the run ends.
        while j < bytes.len() && plain(bytes[j]) {
            j += 1;
        }
        if j + 1 < bytes.len() && bytes[j] == b' ' && plain(bytes[j + 1]) {
            j += 2;
        } else {
            return j;
        }
    }
}

/// The whitespace run that starts at `i` (a whitespace character): what it becomes
/// (one space, or one paragraph separator when it holds an empty line or a U+2029)
/// and where it ends.
fn whitespace_run(s: &str, i: usize) -> (char, usize) {
    let bytes = s.as_bytes();
    let mut newlines = 0;
    let mut paragraph = false;
    let mut run_end = i;
    for (at, d) in s[i..].char_indices() {
        if !d.is_whitespace() {
            break;
        }
        let at = i + at;
        run_end = at + d.len_utf8();
        match d {
            PARAGRAPH => paragraph = true,
            // "\r\n" is one line break.
            '\n' if at > i && bytes[at - 1] == b'\r' => {}
            '\n' | '\r' | '\u{2028}' | '\x0c' => newlines += 1,
            _ => {}
        }
    }
    let ch = if paragraph || newlines >= 2 {
        PARAGRAPH
    } else {
        ' '
    };
    (ch, run_end)
}

/// Normalises `s` without keeping the offset map (for surface forms).
pub(crate) fn normalize(s: &str, fold: Fold) -> String {
    Normalized::new(s, fold).text
}

/// A gazetteer form as the automaton looks for it: normalised, on one line (a
/// paragraph break inside it is a space) and without spaces at either end.
#[cfg(feature = "text")]
pub(crate) fn form_key(form: &str, fold: Fold) -> String {
    normalize(form, fold)
        .replace(PARAGRAPH, " ")
        .trim_matches(' ')
        .to_string()
}

/// Appends what one character (not whitespace, not ignorable) normalises to.
fn fold_char(c: char, fold: Fold, out: &mut String) {
    let mut emit_folded = |d: char| {
        if fold.diacritics && is_diacritic(d) {
            return;
        }
        let d = typographic(d);
        if fold.case {
            fold_case(d, |e| {
                // Folding may produce a combining mark ("İ" gives "i" + U+0307).
                if !(fold.diacritics && is_diacritic(e)) {
                    out.push(e);
                }
            });
        } else {
            out.push(d);
        }
    };
    match decomposition(c) {
        None => emit_folded(c),
        Some(Decomposed::One(d)) => emit_folded(d),
        Some(Decomposed::Many(ds)) => ds.chars().for_each(emit_folded),
    }
}

/// Full case folding of one character, approximated with the standard library's
/// lower and upper case mappings: lower(upper(lower(c))). This sends "ß", "ẞ" and
/// "SS" to "ss", final sigma to sigma, and is applied identically to both sides.
fn fold_case(c: char, mut out: impl FnMut(char)) {
    if is_combining_mark(c) {
        // A mark stays a mark (U+0345 would otherwise become the letter iota).
        out(c);
        return;
    }
    for l in c.to_lowercase() {
        if l.is_ascii() {
            out(l);
            continue;
        }
        for u in l.to_uppercase() {
            for f in u.to_lowercase() {
                out(f);
            }
        }
    }
}

/// Whether compatibility decomposition is wanted: for letters and digits (full-width
/// forms, ligatures, circled and styled letters), but not for symbols ("™" stays one
/// symbol rather than becoming the letters "TM" glued to a word).
#[cfg(test)]
fn compatibility_applies(c: char) -> bool {
    c.is_alphanumeric()
}

/// Hangul syllables are kept whole (not decomposed into jamo), so that a match
/// never ends inside a syllable.
#[cfg(test)]
fn is_hangul_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// Characters that are dropped wherever they stand: soft hyphen, zero-width
/// characters, byte order mark, bidirectional formatting, and tag characters
/// (U+E0000-U+E007F; with U+200B-U+200D, U+2060 and U+FEFF, the stega encodings
/// visual-editing modes hide in text).
pub(crate) fn is_ignorable(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}'
        | '\u{E0000}'..='\u{E007F}')
}

/// Combining diacritical marks of the Latin, Greek and Cyrillic scripts (and Arabic
/// vowel signs), which diacritics folding drops. Marks that distinguish letters in
/// other scripts (Indic vowel signs, Japanese voicing marks) are kept.
pub(crate) fn is_diacritic(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{064B}'..='\u{065F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

/// Typographic variants of quotes, apostrophes and dashes, and full-width ASCII
/// punctuation, as their ASCII forms.
fn typographic(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{2035}'
        | '\u{02BC}' | '\u{02BB}' | '\u{FF07}' | '`' | '\u{00B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{2036}'
        | '\u{00AB}' | '\u{00BB}' | '\u{FF02}' => '"',
        '\u{2010}'..='\u{2015}'
        | '\u{2212}'
        | '\u{2E3A}'
        | '\u{2E3B}'
        | '\u{FE58}'
        | '\u{FE63}'
        | '\u{FF0D}' => '-',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// A character that belongs to a word: a letter or digit of any script, the
/// underscore of identifiers, or a combining mark (which belongs to the letter
/// before it).
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || is_combining_mark(c)
}

/// Scripts written without spaces between words, where a name may stand inside
/// running text: Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar, Tibetan.
pub(crate) fn is_unspaced_script(c: char) -> bool {
    matches!(c,
        '\u{0E00}'..='\u{0EFF}'      // Thai, Lao
        | '\u{0F00}'..='\u{0FFF}'    // Tibetan
        | '\u{1000}'..='\u{109F}'    // Myanmar
        | '\u{1780}'..='\u{17FF}'    // Khmer
        | '\u{19E0}'..='\u{19FF}'    // Khmer symbols
        | '\u{2E80}'..='\u{2FDF}'    // CJK radicals
        | '\u{3005}'..='\u{3007}'    // ideographic iteration and zero
        | '\u{3040}'..='\u{30FF}'    // Hiragana, Katakana
        | '\u{31F0}'..='\u{31FF}'    // Katakana extensions
        | '\u{3400}'..='\u{4DBF}'    // CJK extension A
        | '\u{4E00}'..='\u{9FFF}'    // CJK unified ideographs
        | '\u{A9E0}'..='\u{A9FF}'    // Myanmar extended-B
        | '\u{AA60}'..='\u{AA7F}'    // Myanmar extended-A
        | '\u{F900}'..='\u{FAFF}'    // CJK compatibility ideographs
        | '\u{20000}'..='\u{3134F}') // CJK extensions B..G
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The decomposition the rules want, from the unicode-normalization crate.
    fn wanted(c: char) -> String {
        let mut out = String::new();
        if c.is_ascii() || is_hangul_syllable(c) {
            out.push(c);
        } else if compatibility_applies(c) {
            unicode_normalization::char::decompose_compatible(c, |d| out.push(d));
        } else {
            unicode_normalization::char::decompose_canonical(c, |d| out.push(d));
        }
        out
    }

    /// `src/unicode_tables.rs` as it should be: ranges of characters that decompose
    /// to one character at a constant distance (at least 4 in a row), the other
    /// decompositions as offsets into one string, and the combining marks.
    fn tables() -> String {
        let mut singles: Vec<(u32, u32)> = Vec::new();
        let mut many: Vec<(u32, String)> = Vec::new();
        let mut marks: Vec<(u32, u32)> = Vec::new();
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let u = c as u32;
            if unicode_normalization::char::is_combining_mark(c) {
                match marks.last_mut() {
                    Some(r) if r.1 + 1 == u => r.1 = u,
                    _ => marks.push((u, u)),
                }
            }
            let d = wanted(c);
            if d == c.to_string() {
                continue;
            }
            let mut chars = d.chars();
            match (chars.next(), chars.next()) {
                (Some(one), None) => singles.push((u, one as u32)),
                _ => many.push((u, d)),
            }
        }
        // Runs of singles at a constant distance become ranges.
        let mut ranges: Vec<(u32, u32, u32)> = Vec::new();
        let mut i = 0;
        while i < singles.len() {
            let mut j = i + 1;
            while j < singles.len()
                && j - i < 0xFFFF
                && singles[j].0 == singles[j - 1].0 + 1
                && singles[j].1 == singles[j - 1].1 + 1
            {
                j += 1;
            }
            if j - i >= 4 {
                ranges.push((singles[i].0, (j - i) as u32, singles[i].1));
            } else {
                for &(u, t) in &singles[i..j] {
                    many.push((u, char::from_u32(t).unwrap().to_string()));
                }
            }
            i = j;
        }
        many.sort();
        let mut text = String::new();
        let mut keys = Vec::new();
        for (u, d) in &many {
            keys.push((*u, text.len()));
            text.push_str(d);
        }
        assert!(text.len() < 0x10000, "offsets must fit in u16");
        let mut out = String::from(
            "//! Generated by `SOROT_WRITE_TABLES=1 cargo test --lib unicode_tables` from the\n\
             //! unicode-normalization crate; `cargo test` checks that it still matches it.\n\
             //! Do not edit.\n\n",
        );
        out.push_str("/// Characters `start..start + len` decompose to `target + (c - start)`.\n");
        out.push_str("pub(crate) static RANGES: &[(u32, u16, u32)] = &[\n");
        for (s, l, t) in &ranges {
            out.push_str(&format!("    (0x{s:X}, {l}, 0x{t:X}),\n"));
        }
        out.push_str("];\n\n/// Other decomposed characters and where their decomposition starts in\n/// `DECOMPOSITIONS` (it ends where the next one starts).\n");
        out.push_str("pub(crate) static DECOMPOSED: &[(u32, u16)] = &[\n");
        for (u, off) in &keys {
            out.push_str(&format!("    (0x{u:X}, {off}),\n"));
        }
        out.push_str("];\n\n/// The decompositions of `DECOMPOSED`, one after the other.\n");
        out.push_str("pub(crate) static DECOMPOSITIONS: &str = \"");
        for c in text.chars() {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
        out.push_str("\";\n\n/// The combining marks (general category M), as inclusive ranges.\n");
        out.push_str("pub(crate) static COMBINING: &[(u32, u32)] = &[\n");
        for (s, e) in &marks {
            out.push_str(&format!("    (0x{s:X}, 0x{e:X}),\n"));
        }
        out.push_str("];\n");
        out
    }

    #[test]
    fn unicode_tables_match_the_crate() {
        let want = tables();
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/unicode_tables.rs");
        if std::env::var_os("SOROT_WRITE_TABLES").is_some() {
            std::fs::write(path, &want).unwrap();
        }
        let have = std::fs::read_to_string(path).unwrap();
        assert!(
            have == want,
            "src/unicode_tables.rs is out of date: run SOROT_WRITE_TABLES=1 cargo test --lib unicode_tables"
        );
        // And the lookups give what the crate gives, for every character.
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let got = match decomposition(c) {
                None => c.to_string(),
                Some(Decomposed::One(d)) => d.to_string(),
                Some(Decomposed::Many(s)) => s.to_string(),
            };
            assert_eq!(got, wanted(c), "{c:?}");
            assert_eq!(
                is_combining_mark(c),
                unicode_normalization::char::is_combining_mark(c),
                "{c:?}"
            );
        }
    }

    const FOLD: Fold = Fold {
        case: true,
        diacritics: true,
    };

    #[test]
    fn table() {
        let rows: &[(&str, &str, &str)] = &[
            ("ascii", "Kim Jong Un", "kim jong un"),
            ("nbsp and newline", "Kim\u{a0}Jong\nUn", "kim jong un"),
            ("whitespace run", "a \t\u{2003} b", "a b"),
            ("paragraph", "a\n\nb", "a\u{2029}b"),
            ("paragraph crlf", "a\r\n \r\nb", "a\u{2029}b"),
            ("one crlf is a space", "a\r\nb", "a b"),
            ("u2029", "a\u{2029}b", "a\u{2029}b"),
            (
                "curly quotes",
                "\u{201c}x\u{201d} d\u{2019}Ivoire",
                "\"x\" d'ivoire",
            ),
            ("dashes", "a\u{2013}b\u{2014}c\u{2212}d", "a-b-c-d"),
            ("sharp s", "Straße STRASSE", "strasse strasse"),
            ("capital sharp s", "\u{1e9e}", "ss"),
            ("dotted capital I", "\u{130}stanbul", "istanbul"),
            ("final sigma", "ΟΔΥΣΣΕΥΣ οδυσσευς", "οδυσσευσ οδυσσευσ"),
            ("full width", "ＡＳＥＡＮ", "asean"),
            ("ligature", "\u{fb01}nal", "final"),
            ("precomposed", "São", "sao"),
            ("combining", "Sa\u{303}o", "sao"),
            ("soft hyphen", "Pyong\u{ad}yang", "pyongyang"),
            ("zero width", "Pyong\u{200b}yang\u{feff}", "pyongyang"),
            ("trademark stays a symbol", "Acme™", "acme™"),
            ("cyrillic, breve folded", "Сергей Лавров", "сергеи лавров"),
            ("hangul kept whole", "김정은", "김정은"),
        ];
        for (name, input, want) in rows {
            assert_eq!(normalize(input, FOLD), *want, "case {name}");
            assert_eq!(
                Normalized::new(input, FOLD).text,
                *want,
                "case {name} (mapped)"
            );
        }
    }

    /// The run `plain_run` finds, one byte at a time.
    fn plain_run_bytewise(bytes: &[u8], mut j: usize) -> usize {
        while j < bytes.len() {
            if plain(bytes[j]) {
                j += 1;
            } else if bytes[j] == b' ' && bytes.get(j + 1).is_some_and(|&d| plain(d)) {
                j += 2;
            } else {
                break;
            }
        }
        j
    }

    proptest::proptest! {
        #[test]
        fn plain_runs_are_found_eight_bytes_at_a_time(
            bytes in proptest::collection::vec(proptest::sample::select(
                &b"aZ9.  \t\n\r\x0b\x0c\x00\x1f\x7f\xc3\xa9"[..]), 0..80),
        ) {
            for i in 0..bytes.len() {
                if plain(bytes[i]) {
                    proptest::prop_assert_eq!(plain_run(&bytes, i + 1), plain_run_bytewise(&bytes, i + 1));
                }
            }
        }
    }

    #[test]
    fn exact_diacritics_keep_marks_but_equal_composition() {
        let fold = Fold {
            case: true,
            diacritics: false,
        };
        assert_eq!(normalize("São", fold), normalize("Sa\u{303}o", fold));
        assert_ne!(normalize("São", fold), normalize("Sao", fold));
    }

    #[test]
    fn spans_map_back_exactly() {
        let text = "x İstanbul Sa\u{303}o ß";
        let n = Normalized::new(text, FOLD);
        let find = |needle: &str| {
            let i = n.text.find(needle).unwrap();
            n.original_span(i, i + needle.len())
                .map(|(s, e)| &text[s..e])
        };
        assert_eq!(find("istanbul"), Some("İstanbul"));
        // The combining tilde belongs to the span that ends with its letter.
        assert_eq!(find("sao"), Some("Sa\u{303}o"));
        assert_eq!(find("sa"), Some("Sa\u{303}"));
        assert_eq!(find("ss"), Some("ß"));
        // Half of the expansion of one character is not a span of the original.
        let i = n.text.rfind('s').unwrap();
        assert_eq!(n.original_span(i, i + 1), None);
    }
}
