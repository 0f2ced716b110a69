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

/// A combining mark (general category M) belongs to the character before it.
pub(crate) use unicode_normalization::char::is_combining_mark;
use unicode_normalization::char::{decompose_canonical, decompose_compatible};

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

/// Normalised text with, for every byte of it, the original span it came from.
pub(crate) struct Normalized {
    /// The normalised text.
    pub text: String,
    /// Original byte offset where the character that produced each byte starts.
    starts: Vec<u32>,
    /// Original byte offset where that character (with what was dropped after it) ends.
    ends: Vec<u32>,
}

impl Normalized {
    /// Normalises `original` (at most 4 GiB) and keeps the offset map.
    pub fn new(original: &str, fold: Fold) -> Normalized {
        let mut out = Normalized {
            text: String::with_capacity(original.len()),
            starts: Vec::with_capacity(original.len()),
            ends: Vec::with_capacity(original.len()),
        };
        // Start of the last emitted group (the bytes one original character produced).
        let mut group = 0usize;
        normalize_chars(original, fold, |event| match event {
            Event::Emit { ch, start, end } => {
                if out.starts.last() != Some(&(start as u32)) {
                    group = out.text.len();
                }
                out.text.push(ch);
                for _ in 0..ch.len_utf8() {
                    out.starts.push(start as u32);
                    out.ends.push(end as u32);
                }
            }
            Event::Drop { end } => {
                for e in &mut out.ends[group..] {
                    *e = end as u32;
                }
            }
        });
        out
    }

    /// The original span of the normalised span `start..end`, if that span begins and
    /// ends on whole characters of the original (never inside the expansion of one
    /// character, such as "ss" from "ß").
    pub fn original_span(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        if start >= end || end > self.text.len() {
            return None;
        }
        let starts_group = start == 0 || self.starts[start - 1] != self.starts[start];
        let ends_group = end == self.text.len() || self.starts[end] != self.starts[end - 1];
        if starts_group && ends_group {
            Some((self.starts[start] as usize, self.ends[end - 1] as usize))
        } else {
            None
        }
    }
}

/// Normalises `s` without keeping the offset map (for surface forms).
pub(crate) fn normalize(s: &str, fold: Fold) -> String {
    let mut text = String::with_capacity(s.len());
    normalize_chars(s, fold, |event| {
        if let Event::Emit { ch, .. } = event {
            text.push(ch);
        }
    });
    text
}

/// A gazetteer form as the automaton looks for it: normalised, on one line (a
/// paragraph break inside it is a space) and without spaces at either end.
pub(crate) fn form_key(form: &str, fold: Fold) -> String {
    normalize(form, fold)
        .replace(PARAGRAPH, " ")
        .trim_matches(' ')
        .to_string()
}

enum Event {
    /// Append `ch`, produced by the original bytes `start..end`.
    Emit { ch: char, start: usize, end: usize },
    /// An original character that ended at `end` produced nothing.
    Drop { end: usize },
}

fn normalize_chars(s: &str, fold: Fold, mut sink: impl FnMut(Event)) {
    let bytes = s.as_bytes();
    let mut iter = s.char_indices().peekable();
    while let Some((start, c)) = iter.next() {
        let end = start + c.len_utf8();
        if c.is_ascii() && c != ' ' && !c.is_ascii_whitespace() {
            // Fast path: ASCII letters, digits and punctuation.
            let ch = if fold.case { c.to_ascii_lowercase() } else { c };
            sink(Event::Emit { ch, start, end });
            continue;
        }
        if c.is_whitespace() {
            let mut run_end = end;
            let mut newlines = usize::from(c == '\n' || c == '\u{2028}' || c == '\x0c');
            let mut paragraph = c == PARAGRAPH;
            if c == '\r' {
                newlines += 1;
            }
            while let Some(&(i, d)) = iter.peek() {
                if !d.is_whitespace() {
                    break;
                }
                iter.next();
                run_end = i + d.len_utf8();
                match d {
                    PARAGRAPH => paragraph = true,
                    // "\r\n" is one line break.
                    '\n' if i > 0 && bytes[i - 1] == b'\r' => {}
                    '\n' | '\r' | '\u{2028}' | '\x0c' => newlines += 1,
                    _ => {}
                }
            }
            let ch = if paragraph || newlines >= 2 {
                PARAGRAPH
            } else {
                ' '
            };
            sink(Event::Emit {
                ch,
                start,
                end: run_end,
            });
            continue;
        }
        if is_ignorable(c) {
            sink(Event::Drop { end });
            continue;
        }
        let mut emitted = false;
        let mut emit_folded = |d: char, sink: &mut dyn FnMut(Event)| {
            if fold.diacritics && is_diacritic(d) {
                return;
            }
            let d = typographic(d);
            emitted = true;
            if fold.case {
                fold_case(d, |e| {
                    // Folding may produce a combining mark ("İ" gives "i" + U+0307).
                    if !(fold.diacritics && is_diacritic(e)) {
                        sink(Event::Emit { ch: e, start, end });
                    }
                });
            } else {
                sink(Event::Emit { ch: d, start, end });
            }
        };
        if is_hangul_syllable(c) {
            emit_folded(c, &mut sink);
        } else if compatibility_applies(c) {
            decompose_compatible(c, |d| emit_folded(d, &mut sink));
        } else {
            decompose_canonical(c, |d| emit_folded(d, &mut sink));
        }
        if !emitted {
            sink(Event::Drop { end });
        }
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
fn compatibility_applies(c: char) -> bool {
    c.is_alphanumeric()
}

/// Hangul syllables are kept whole (not decomposed into jamo), so that a match
/// never ends inside a syllable.
fn is_hangul_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// Characters that are dropped wherever they stand: soft hyphen, zero-width
/// characters, byte order mark, bidirectional formatting, and tag characters
/// (U+E0000-U+E007F; with U+200B-U+200D, U+2060 and U+FEFF, the stega encodings
/// visual-editing modes hide in text).
fn is_ignorable(c: char) -> bool {
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
