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
    let mut chars = text.char_indices().peekable();
    let mut units = 0;
    for i in order {
        let target = byte_offsets[i];
        while let Some(&(at, c)) = chars.peek() {
            if at >= target {
                break;
            }
            units += c.len_utf16();
            chars.next();
        }
        out[i] = units;
    }
    out
}
