//! UTF-16 offsets, the unit of JavaScript strings, DOM `Text` and `Range`.

/// Converts UTF-8 byte offsets into `text` to UTF-16 code unit offsets, in one pass
/// over the text. Offsets may come in any order; an offset that is not on a
/// character boundary counts the character it falls in as before it.
///
/// ```
/// // "é" is 2 bytes and 1 code unit; "😀" is 4 bytes and 2 code units.
/// assert_eq!(sorot::utf16_offsets("é😀x", &[0, 2, 6, 7]), vec![0, 1, 3, 4]);
/// ```
pub fn utf16_offsets(text: &str, byte_offsets: &[usize]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..byte_offsets.len()).collect();
    order.sort_by_key(|&i| byte_offsets[i]);
    let mut out = vec![0; byte_offsets.len()];
    let bytes = text.as_bytes();
    let (mut at, mut units) = (0, 0);
    for i in order {
        let target = byte_offsets[i].min(bytes.len());
        if target > at {
            units += utf16_len(&bytes[at..target]);
            at = target;
        }
        // A character that starts before the target counts whole.
        while at < bytes.len() && (bytes[at] & 0xC0) == 0x80 {
            at += 1;
        }
        out[i] = units;
    }
    out
}

/// The UTF-16 length of UTF-8 bytes that start on a character: one unit per
/// character (each byte that is not a continuation byte), two for those of four
/// bytes. Eight ASCII bytes at a time.
pub(crate) fn utf16_len(bytes: &[u8]) -> usize {
    let mut chunks = bytes.chunks_exact(8);
    let mut units = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        if u64::from_le_bytes(word) & 0x8080_8080_8080_8080 == 0 {
            units += 8;
        } else {
            units += utf16_len_bytewise(chunk);
        }
    }
    units + utf16_len_bytewise(chunks.remainder())
}

fn utf16_len_bytewise(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .map(|&b| usize::from((b & 0xC0) != 0x80) + usize::from(b >= 0xF0))
        .sum()
}

/// UTF-16 offsets of byte offsets that come in increasing order (or close behind:
/// see [`Utf16Cursor::units_at`]), counted once over the text.
pub(crate) struct Utf16Cursor {
    at: usize,
    units: usize,
}

impl Utf16Cursor {
    /// A cursor at the start of the text.
    pub(crate) fn new() -> Utf16Cursor {
        Utf16Cursor { at: 0, units: 0 }
    }

    /// The UTF-16 offset of byte offset `to` (on a character boundary) of `text`.
    /// Moving forward counts the bytes in between; an offset behind the cursor is
    /// counted back from it.
    pub(crate) fn units_at(&mut self, text: &[u8], to: usize) -> usize {
        let to = to.min(text.len());
        if to >= self.at {
            self.units += utf16_len(&text[self.at..to]);
            self.at = to;
            self.units
        } else {
            self.units - utf16_len(&text[to..self.at])
        }
    }
}
