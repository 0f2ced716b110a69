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
/// bytes.
pub(crate) fn utf16_len(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .map(|&b| usize::from((b & 0xC0) != 0x80) + usize::from(b >= 0xF0))
        .sum()
}
