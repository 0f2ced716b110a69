//! CSS colours: a gazetteer's type colour must be a hex colour or a CSS colour name,
//! and reaches CSS only in the normalised form `#rrggbb` or `#rrggbbaa`.

/// The CSS named colours (CSS Color Module Level 4), with their hex values.
const NAMED: &[(&str, &str)] = &[
    ("aliceblue", "f0f8ff"),
    ("antiquewhite", "faebd7"),
    ("aqua", "00ffff"),
    ("aquamarine", "7fffd4"),
    ("azure", "f0ffff"),
    ("beige", "f5f5dc"),
    ("bisque", "ffe4c4"),
    ("black", "000000"),
    ("blanchedalmond", "ffebcd"),
    ("blue", "0000ff"),
    ("blueviolet", "8a2be2"),
    ("brown", "a52a2a"),
    ("burlywood", "deb887"),
    ("cadetblue", "5f9ea0"),
    ("chartreuse", "7fff00"),
    ("chocolate", "d2691e"),
    ("coral", "ff7f50"),
    ("cornflowerblue", "6495ed"),
    ("cornsilk", "fff8dc"),
    ("crimson", "dc143c"),
    ("cyan", "00ffff"),
    ("darkblue", "00008b"),
    ("darkcyan", "008b8b"),
    ("darkgoldenrod", "b8860b"),
    ("darkgray", "a9a9a9"),
    ("darkgreen", "006400"),
    ("darkgrey", "a9a9a9"),
    ("darkkhaki", "bdb76b"),
    ("darkmagenta", "8b008b"),
    ("darkolivegreen", "556b2f"),
    ("darkorange", "ff8c00"),
    ("darkorchid", "9932cc"),
    ("darkred", "8b0000"),
    ("darksalmon", "e9967a"),
    ("darkseagreen", "8fbc8f"),
    ("darkslateblue", "483d8b"),
    ("darkslategray", "2f4f4f"),
    ("darkslategrey", "2f4f4f"),
    ("darkturquoise", "00ced1"),
    ("darkviolet", "9400d3"),
    ("deeppink", "ff1493"),
    ("deepskyblue", "00bfff"),
    ("dimgray", "696969"),
    ("dimgrey", "696969"),
    ("dodgerblue", "1e90ff"),
    ("firebrick", "b22222"),
    ("floralwhite", "fffaf0"),
    ("forestgreen", "228b22"),
    ("fuchsia", "ff00ff"),
    ("gainsboro", "dcdcdc"),
    ("ghostwhite", "f8f8ff"),
    ("gold", "ffd700"),
    ("goldenrod", "daa520"),
    ("gray", "808080"),
    ("green", "008000"),
    ("greenyellow", "adff2f"),
    ("grey", "808080"),
    ("honeydew", "f0fff0"),
    ("hotpink", "ff69b4"),
    ("indianred", "cd5c5c"),
    ("indigo", "4b0082"),
    ("ivory", "fffff0"),
    ("khaki", "f0e68c"),
    ("lavender", "e6e6fa"),
    ("lavenderblush", "fff0f5"),
    ("lawngreen", "7cfc00"),
    ("lemonchiffon", "fffacd"),
    ("lightblue", "add8e6"),
    ("lightcoral", "f08080"),
    ("lightcyan", "e0ffff"),
    ("lightgoldenrodyellow", "fafad2"),
    ("lightgray", "d3d3d3"),
    ("lightgreen", "90ee90"),
    ("lightgrey", "d3d3d3"),
    ("lightpink", "ffb6c1"),
    ("lightsalmon", "ffa07a"),
    ("lightseagreen", "20b2aa"),
    ("lightskyblue", "87cefa"),
    ("lightslategray", "778899"),
    ("lightslategrey", "778899"),
    ("lightsteelblue", "b0c4de"),
    ("lightyellow", "ffffe0"),
    ("lime", "00ff00"),
    ("limegreen", "32cd32"),
    ("linen", "faf0e6"),
    ("magenta", "ff00ff"),
    ("maroon", "800000"),
    ("mediumaquamarine", "66cdaa"),
    ("mediumblue", "0000cd"),
    ("mediumorchid", "ba55d3"),
    ("mediumpurple", "9370db"),
    ("mediumseagreen", "3cb371"),
    ("mediumslateblue", "7b68ee"),
    ("mediumspringgreen", "00fa9a"),
    ("mediumturquoise", "48d1cc"),
    ("mediumvioletred", "c71585"),
    ("midnightblue", "191970"),
    ("mintcream", "f5fffa"),
    ("mistyrose", "ffe4e1"),
    ("moccasin", "ffe4b5"),
    ("navajowhite", "ffdead"),
    ("navy", "000080"),
    ("oldlace", "fdf5e6"),
    ("olive", "808000"),
    ("olivedrab", "6b8e23"),
    ("orange", "ffa500"),
    ("orangered", "ff4500"),
    ("orchid", "da70d6"),
    ("palegoldenrod", "eee8aa"),
    ("palegreen", "98fb98"),
    ("paleturquoise", "afeeee"),
    ("palevioletred", "db7093"),
    ("papayawhip", "ffefd5"),
    ("peachpuff", "ffdab9"),
    ("peru", "cd853f"),
    ("pink", "ffc0cb"),
    ("plum", "dda0dd"),
    ("powderblue", "b0e0e6"),
    ("purple", "800080"),
    ("rebeccapurple", "663399"),
    ("red", "ff0000"),
    ("rosybrown", "bc8f8f"),
    ("royalblue", "4169e1"),
    ("saddlebrown", "8b4513"),
    ("salmon", "fa8072"),
    ("sandybrown", "f4a460"),
    ("seagreen", "2e8b57"),
    ("seashell", "fff5ee"),
    ("sienna", "a0522d"),
    ("silver", "c0c0c0"),
    ("skyblue", "87ceeb"),
    ("slateblue", "6a5acd"),
    ("slategray", "708090"),
    ("slategrey", "708090"),
    ("snow", "fffafa"),
    ("springgreen", "00ff7f"),
    ("steelblue", "4682b4"),
    ("tan", "d2b48c"),
    ("teal", "008080"),
    ("thistle", "d8bfd8"),
    ("tomato", "ff6347"),
    ("turquoise", "40e0d0"),
    ("violet", "ee82ee"),
    ("wheat", "f5deb3"),
    ("white", "ffffff"),
    ("whitesmoke", "f5f5f5"),
    ("yellow", "ffff00"),
    ("yellowgreen", "9acd32"),
];

/// The colours given, in order, to types that a gazetteer uses without declaring.
pub(crate) const PALETTE: &[&str] = &[
    "#ffd54f", "#81d4fa", "#c5e1a5", "#f8bbd0", "#d1c4e9", "#ffcc80", "#b2dfdb", "#e6ee9c",
];

/// Light colours, distinct from each other, for types without a declared colour
/// (text on them is dark).
const KEY_PALETTE: &[&str] = &[
    "#ffd54f", "#81d4fa", "#c5e1a5", "#f8bbd0", "#d1c4e9", "#ffcc80", "#80cbc4", "#e6ee9c",
    "#ffab91", "#b0bec5", "#ce93d8", "#d7ccc8",
];

/// The colour of an undeclared type: chosen by the key alone (FNV-1a), the next
/// free one when that is in `used`; when all are used, the key's own.
pub(crate) fn for_key(key: &str, used: &[String]) -> String {
    let hash = key.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    let start = hash as usize % KEY_PALETTE.len();
    (0..KEY_PALETTE.len())
        .map(|i| KEY_PALETTE[(start + i) % KEY_PALETTE.len()])
        .find(|c| !used.iter().any(|u| u == c))
        .unwrap_or(KEY_PALETTE[start])
        .to_string()
}

/// `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa` or a CSS colour name (any case), as
/// lower-case `#rrggbb` or `#rrggbbaa`; `None` for anything else.
pub(crate) fn parse(s: &str) -> Option<String> {
    let s = s.trim();
    if let Some(hex) = s.strip_prefix('#') {
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let hex = hex.to_ascii_lowercase();
        return match hex.len() {
            3 | 4 => Some(
                hex.chars()
                    .flat_map(|c| [c, c])
                    .fold(String::from("#"), |mut a, c| {
                        a.push(c);
                        a
                    }),
            ),
            6 | 8 => Some(format!("#{hex}")),
            _ => None,
        };
    }
    let lower = s.to_ascii_lowercase();
    NAMED
        .iter()
        .find(|(name, _)| *name == lower)
        .map(|(_, hex)| format!("#{hex}"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn undeclared_types_get_stable_distinct_colours() {
        let none: Vec<String> = Vec::new();
        assert_eq!(
            super::for_key("EVENT", &none),
            super::for_key("EVENT", &none)
        );
        let mut used = Vec::new();
        for key in ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L"] {
            let c = super::for_key(key, &used);
            assert!(!used.contains(&c), "{key} got a colour already used");
            used.push(c);
        }
    }

    #[test]
    fn table() {
        let rows = [
            ("#ffd54f", Some("#ffd54f")),
            ("#FFF", Some("#ffffff")),
            ("#abcd", Some("#aabbccdd")),
            ("#11223344", Some("#11223344")),
            ("RebeccaPurple", Some("#663399")),
            ("#12", None),
            ("#ggg", None),
            ("red;}body{display:none", None),
            ("url(x)", None),
            ("", None),
        ];
        for (input, want) in rows {
            assert_eq!(super::parse(input).as_deref(), want, "{input}");
        }
    }
}
