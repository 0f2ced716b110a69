//! Limits on a gazetteer: far above any real gazetteer, so that a hostile one is
//! refused quickly, with an error that names the limit, rather than taking minutes or
//! gigabytes. The readers check them (the total size first, before parsing), and the
//! compiled-gazetteer loader checks the counts that apply to it.
//!
//! For scale: the largest gazetteer the benchmarks load (`target/bench/million.tsv`)
//! is 18 MB, 250,000 entities and 1,000,000 forms (14 MB once normalised), its
//! longest form 39 characters; the longest real names are about 250 characters.

/// A text gazetteer's size in bytes (each file or text read; 256 MiB).
pub const MAX_INPUT_BYTES: usize = 256 * 1024 * 1024;

/// Entities in a gazetteer (after merging, too).
pub const MAX_ENTITIES: usize = 1_000_000;

/// Forms (names, aliases and short forms together) in a gazetteer.
pub const MAX_FORMS: usize = 2_000_000;

/// The forms' total length in bytes once normalised (what the automaton is built
/// from; 32 MiB): each byte may make a node of the automaton, 17 bytes in the
/// compiled file, so that the automaton stays under about 600 MB.
pub const MAX_FORM_BYTES: usize = 32 * 1024 * 1024;

/// Characters in one form (a name, an alias or a short form).
pub const MAX_FORM_CHARS: usize = 1_000;

/// Characters in an entity's id.
pub const MAX_ID_CHARS: usize = 1_000;

/// Characters in a description (in each language).
pub const MAX_DESCRIPTION_CHARS: usize = 10_000;

/// Characters in a link (in each language).
pub const MAX_URL_CHARS: usize = 2_048;

/// Characters in a type's label (in each language) and in the gazetteer's name.
pub const MAX_LABEL_CHARS: usize = 1_000;

/// Entity types in a gazetteer (declared or used).
pub const MAX_TYPES: usize = 1_000;

/// Languages in one description, link or label.
pub const MAX_LANGUAGES: usize = 1_000;

/// Refuses a text gazetteer of `bytes` bytes over [`MAX_INPUT_BYTES`] (before it is
/// read, when its size is known first), with an error that names the limit.
pub fn check_input_size(bytes: usize, origin: &str) -> Result<(), crate::Error> {
    if bytes <= MAX_INPUT_BYTES {
        return Ok(());
    }
    let mut m = grouped(bytes as u64);
    m.push_str(" bytes, more than the limit of ");
    m.push_str(&grouped(MAX_INPUT_BYTES as u64));
    m.push_str(" bytes (256 MiB) for a text gazetteer");
    Err(crate::Error::syntax(origin, m))
}

/// `n` in decimal with a comma between thousands (`1,000,000`), without the
/// formatting machinery (kept out of the small wasm module).
pub(crate) fn grouped(n: u64) -> String {
    let digits = crate::compiled::decimal(n);
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn grouped_numbers() {
        for (n, s) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (268_435_456, "268,435,456"),
        ] {
            assert_eq!(super::grouped(n), s);
        }
    }
}
