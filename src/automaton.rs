//! The automaton: Aho-Corasick over the normalised forms, in our own compact,
//! versioned layout, checked when it is loaded (see `bench/README.md`, "The
//! automaton", for the measurements that chose it over the aho-corasick and
//! daachorse crates).
//!
//! The trie's nodes are numbered breadth-first with each node's children in byte
//! order, so the children of a node are consecutive nodes and an edge needs no
//! target: edge `k` leads to node `k + 1`. Per node the automaton keeps where its
//! edges start, the pattern that ends there, its failure link (the node of the
//! longest proper suffix of its path that is also a path) and its dictionary link
//! (the nearest node on the failure chain where a pattern ends), all computed when
//! the automaton is built; per edge, its byte. That is 17 bytes a node.
//!
//! A damaged file must never make a scan loop or panic, so loading checks that the
//! numbering is breadth-first (then a node's depth is the level it is in, and the
//! levels are found in one pass), that every failure and dictionary link points to
//! a strictly shallower node (so following them always ends, and a match never
//! starts before the text) and that every pattern number is in range and ends at
//! one node only (its depth is then the pattern's length). A scan reads one byte per
//! step and follows at most as many failure links as it has read bytes: it is
//! linear in the text.
//!
//! The serialised arrays are not copied when loaded: the automaton reads them where
//! they are (in the compiled file, which the wasm engine keeps anyway), and builds
//! only a transition table for the shallowest nodes, which a scan visits most.

use std::sync::Arc;

/// No pattern ends at this node.
const NONE: u32 = u32::MAX;

/// In a state of the transition table: a pattern ends at this node or on its
/// dictionary chain. Node numbers are below it.
const HAS_OUTPUT: u32 = 1 << 31;

/// How many bytes the transition table of the shallowest nodes may take.
const TABLE_BYTES: usize = 256 * 1024;

/// Bytes shared with the compiled file they came from (or owned alone).
#[derive(Clone)]
pub(crate) struct Shared {
    file: Arc<Vec<u8>>,
    start: usize,
    end: usize,
}

impl Shared {
    /// `file[start..end]` (an empty range when it is not within the file).
    pub(crate) fn new(file: Arc<Vec<u8>>, start: usize, end: usize) -> Shared {
        let (start, end) = if start <= end && end <= file.len() {
            (start, end)
        } else {
            (0, 0)
        };
        Shared { file, start, end }
    }

    fn bytes(&self) -> &[u8] {
        self.file.get(self.start..self.end).unwrap_or_default()
    }
}

/// Where the arrays of a serialised automaton with `n` nodes are, from its start:
/// the node count (u32), then `first_edge` (n + 1 u32: the edges of node `i` are
/// `first_edge[i]..first_edge[i + 1]`), `output` (n u32: the pattern that ends at
/// each node, or `u32::MAX`), `fail` (n u32), `dict` (n u32: 0 when no pattern ends
/// on the failure chain) and the edges' bytes (n - 1 u8), all little-endian.
#[derive(Clone, Copy)]
struct Layout {
    first_edge: usize,
    output: usize,
    fail: usize,
    dict: usize,
    labels: usize,
    len: usize,
}

impl Layout {
    fn new(n: usize) -> Option<Layout> {
        let first_edge = 4;
        let output = first_edge + n.checked_add(1)?.checked_mul(4)?;
        let fail = output + n.checked_mul(4)?;
        let dict = fail + n * 4;
        let labels = dict + n * 4;
        let len = labels + n.checked_sub(1)?;
        Some(Layout {
            first_edge,
            output,
            fail,
            dict,
            labels,
            len,
        })
    }
}

#[inline(always)]
fn u32_at(bytes: &[u8], at: usize) -> u32 {
    match bytes.get(at..at + 4) {
        Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]),
        _ => 0,
    }
}

/// The serialised arrays, read in place.
#[derive(Clone, Copy)]
struct Arrays<'a> {
    bytes: &'a [u8],
    layout: Layout,
}

impl Arrays<'_> {
    #[inline(always)]
    fn first_edge(&self, i: usize) -> usize {
        u32_at(self.bytes, self.layout.first_edge + 4 * i) as usize
    }
    #[inline(always)]
    fn output(&self, i: usize) -> u32 {
        u32_at(self.bytes, self.layout.output + 4 * i)
    }
    #[inline(always)]
    fn fail(&self, i: usize) -> usize {
        u32_at(self.bytes, self.layout.fail + 4 * i) as usize
    }
    #[inline(always)]
    fn dict(&self, i: usize) -> usize {
        u32_at(self.bytes, self.layout.dict + 4 * i) as usize
    }
    /// The bytes of the edges of node `i`, and the number of its first edge.
    #[inline(always)]
    fn edges(&self, i: usize) -> (&[u8], usize) {
        let (lo, hi) = (self.first_edge(i), self.first_edge(i + 1));
        let labels = self.layout.labels;
        (
            self.bytes.get(labels + lo..labels + hi).unwrap_or_default(),
            lo,
        )
    }
    /// The child of node `i` by byte `b`.
    #[inline(always)]
    fn child(&self, i: usize, b: u8) -> Option<usize> {
        let (edges, lo) = self.edges(i);
        let k = if edges.len() <= 8 {
            edges
                .iter()
                .position(|&e| e >= b)
                .filter(|&k| edges[k] == b)
        } else {
            edges.binary_search(&b).ok()
        };
        k.map(|k| lo + k + 1)
    }
    fn has_output(&self, i: usize) -> bool {
        self.output(i) != NONE || self.dict(i) != 0
    }
}

/// An Aho-Corasick automaton of distinct, non-empty byte strings ("patterns",
/// numbered in the order given).
pub(crate) struct Automaton {
    data: Shared,
    layout: Layout,
    /// The length of each pattern (the depth of the node it ends at).
    lens: Vec<u32>,
    /// Each byte's column in `table`: 0 for the bytes of no edge.
    classes: [u8; 256],
    /// The number of columns.
    stride: usize,
    /// The number of nodes (the first ones, the shallowest) with a row in `table`.
    rows: usize,
    /// For each of the first `rows` nodes and each column: the next state, a node
    /// number, with [`HAS_OUTPUT`] set when a pattern ends there or on its
    /// dictionary chain.
    table: Vec<u32>,
}

/// The patterns that end where a scan is, longest first: `(start, pattern)`.
pub(crate) struct Outputs<'a> {
    arrays: Arrays<'a>,
    lens: &'a [u32],
    node: usize,
    end: usize,
}

impl Iterator for Outputs<'_> {
    type Item = (usize, u32);

    #[inline]
    fn next(&mut self) -> Option<(usize, u32)> {
        if self.node == 0 {
            return None;
        }
        let node = self.node;
        self.node = self.arrays.dict(node);
        let pattern = self.arrays.output(node);
        let len = *self.lens.get(pattern as usize)? as usize;
        Some((self.end.checked_sub(len)?, pattern))
    }
}

impl Automaton {
    /// The automaton of `patterns` (distinct and non-empty; an empty one is ignored,
    /// and of equal ones only the first is found), serialised into memory of its own.
    #[cfg(feature = "text")]
    pub(crate) fn build<P: AsRef<[u8]>>(patterns: &[P]) -> Automaton {
        let mut bytes = Vec::new();
        serialize_build(patterns, &mut bytes);
        let len = bytes.len();
        Automaton::load(Shared::new(Arc::new(bytes), 0, len), patterns.len())
            .expect("a built automaton passes the load checks")
    }

    /// The serialised automaton (what [`Automaton::load`] reads).
    #[cfg(feature = "text")]
    pub(crate) fn serialized(&self) -> &[u8] {
        self.data.bytes()
    }

    /// Loads a serialised automaton, checked, or `None` when the bytes do not make
    /// one (see the module's documentation for what is checked). `patterns` is the
    /// number of patterns; the bytes must be exactly one automaton.
    pub(crate) fn load(data: Shared, patterns: usize) -> Option<Automaton> {
        let bytes = data.bytes();
        let n = u32_at(bytes, 0) as usize;
        if bytes.len() < 4 || n == 0 || n >= HAS_OUTPUT as usize {
            return None;
        }
        let layout = Layout::new(n)?;
        if bytes.len() != layout.len {
            return None;
        }
        let a = Arrays { bytes, layout };
        // The edges: in order, covering every node but the root once, each node's
        // bytes increasing.
        if a.first_edge(0) != 0 || a.first_edge(n) != n - 1 {
            return None;
        }
        for i in 0..n {
            let (lo, hi) = (a.first_edge(i), a.first_edge(i + 1));
            if lo > hi {
                return None;
            }
            let (edges, _) = a.edges(i);
            if !edges.windows(2).all(|p| p[0] < p[1]) {
                return None;
            }
        }
        // The levels: level d + 1 is the children of level d, so it starts where the
        // first edge of level d's first node leads. Each must be non-empty until the
        // last node: then every node's parent is in the level before its own, and
        // numbering is breadth-first.
        let mut level_end = 1;
        let mut depth = 0u32;
        let mut lens = vec![0u32; patterns];
        if a.output(0) != NONE || a.fail(0) != 0 || a.dict(0) != 0 {
            return None;
        }
        while level_end < n {
            let next_end = a.first_edge(level_end) + 1;
            if next_end <= level_end {
                return None;
            }
            let level_start = level_end;
            level_end = next_end;
            depth += 1;
            for v in level_start..level_end {
                // Failure and dictionary links go to a shallower level; a dictionary
                // link to a node where a pattern ends.
                let (fail, dict) = (a.fail(v), a.dict(v));
                if fail >= level_start || dict >= level_start {
                    return None;
                }
                if dict != 0 && a.output(dict) == NONE {
                    return None;
                }
                let out = a.output(v);
                if out != NONE {
                    let len = lens.get_mut(out as usize)?;
                    if *len != 0 {
                        return None;
                    }
                    *len = depth;
                }
            }
        }
        // The transition table of the shallowest nodes: one column per byte that
        // some edge has, and column 0 for all the others (UTF-8 never has every
        // byte, so a table where all 256 are edge bytes is refused).
        let mut classes = [0u8; 256];
        let mut stride = 1;
        for &b in bytes.get(layout.labels..).unwrap_or_default() {
            if classes[usize::from(b)] == 0 {
                if stride == 256 {
                    return None;
                }
                classes[usize::from(b)] = stride as u8;
                stride += 1;
            }
        }
        let rows = n.min((TABLE_BYTES / 4 / stride).max(1));
        let mut table = vec![0u32; rows * stride];
        for s in 0..rows {
            if s > 0 {
                // What the failure node does (already filled: it is shallower).
                let f = a.fail(s);
                let (to, from) = table.split_at_mut(s * stride);
                from[..stride].copy_from_slice(&to[f * stride..f * stride + stride]);
            }
            let (edges, lo) = a.edges(s);
            for (k, &b) in edges.iter().enumerate() {
                let child = lo + k + 1;
                let flag = if a.has_output(child) { HAS_OUTPUT } else { 0 };
                table[s * stride + usize::from(classes[usize::from(b)])] = child as u32 | flag;
            }
        }
        Some(Automaton {
            data,
            layout,
            lens,
            classes,
            stride,
            rows,
            table,
        })
    }

    /// Scans `text` once, left to right, and calls `found(end, outputs)` at every
    /// place where a pattern ends (`end` exclusive), with the patterns that end
    /// there, longest first.
    #[inline]
    pub(crate) fn scan(&self, text: &[u8], mut found: impl FnMut(usize, Outputs<'_>)) {
        let a = Arrays {
            bytes: self.data.bytes(),
            layout: self.layout,
        };
        let (table, classes, stride, rows) =
            (&self.table[..], &self.classes, self.stride, self.rows);
        let mut state = 0u32;
        for (i, &b) in text.iter().enumerate() {
            let s = (state & !HAS_OUTPUT) as usize;
            state = if s < rows {
                table
                    .get(s * stride + usize::from(classes[usize::from(b)]))
                    .copied()
                    .unwrap_or(0)
            } else {
                self.next_deep(a, s, b)
            };
            if state & HAS_OUTPUT != 0 {
                let node = (state & !HAS_OUTPUT) as usize;
                let first = if a.output(node) != NONE {
                    node
                } else {
                    a.dict(node)
                };
                found(
                    i + 1,
                    Outputs {
                        arrays: a,
                        lens: &self.lens,
                        node: first,
                        end: i + 1,
                    },
                );
            }
        }
    }

    /// The next state from node `s` (which has no row in the table) by byte `b`.
    #[cold]
    #[inline(never)]
    fn next_deep(&self, a: Arrays<'_>, mut s: usize, b: u8) -> u32 {
        loop {
            if s < self.rows {
                return self
                    .table
                    .get(s * self.stride + usize::from(self.classes[usize::from(b)]))
                    .copied()
                    .unwrap_or(0);
            }
            if let Some(child) = a.child(s, b) {
                let flag = if a.has_output(child) { HAS_OUTPUT } else { 0 };
                return child as u32 | flag;
            }
            s = a.fail(s);
        }
    }

    /// The number of nodes.
    #[cfg(test)]
    pub(crate) fn nodes(&self) -> usize {
        u32_at(self.data.bytes(), 0) as usize
    }
}

/// Builds the trie of `patterns`, its failure and dictionary links, and appends it
/// serialised to `out`.
#[cfg(feature = "text")]
fn serialize_build<P: AsRef<[u8]>>(patterns: &[P], out: &mut Vec<u8>) {
    let mut order: Vec<u32> = (0..patterns.len() as u32).collect();
    order.sort_by(|&a, &b| {
        patterns[a as usize]
            .as_ref()
            .cmp(patterns[b as usize].as_ref())
    });
    let pat = |i: u32| patterns[order[i as usize] as usize].as_ref();
    let mut first_edge = vec![0u32];
    let mut labels = Vec::new();
    let mut output = vec![NONE];
    // The nodes of the current level, each a range of `order` (the patterns that go
    // through it), in breadth-first order.
    let mut level: Vec<(u32, u32)> = vec![(0, order.len() as u32)];
    let mut depth = 0;
    while !level.is_empty() {
        let mut next = Vec::new();
        for &(lo, hi) in &level {
            let mut i = lo;
            // A pattern that ends here sorts first in its range (the first of equal
            // ones, the sort being stable, gives the node its pattern).
            while i < hi && pat(i).len() == depth {
                i += 1;
            }
            while i < hi {
                let byte = pat(i)[depth];
                let start = i;
                while i < hi && pat(i)[depth] == byte {
                    i += 1;
                }
                labels.push(byte);
                let ends = pat(start).len() == depth + 1;
                output.push(if ends { order[start as usize] } else { NONE });
                next.push((start, i));
            }
            first_edge.push(labels.len() as u32);
        }
        level = next;
        depth += 1;
    }
    let n = output.len();
    let child = |i: usize, b: u8| -> Option<usize> {
        let (lo, hi) = (first_edge[i] as usize, first_edge[i + 1] as usize);
        labels[lo..hi].binary_search(&b).ok().map(|k| lo + k + 1)
    };
    // Failure links, in breadth-first order (a node's failure node is shallower, so
    // already linked), and dictionary links from them.
    let mut fail = vec![0u32; n];
    let mut dict = vec![0u32; n];
    for u in 0..n {
        let lo = first_edge[u] as usize;
        for (k, &b) in labels[lo..first_edge[u + 1] as usize].iter().enumerate() {
            let v = lo + k + 1;
            let f = if u == 0 {
                0
            } else {
                let mut f = fail[u] as usize;
                loop {
                    if let Some(c) = child(f, b) {
                        break c;
                    }
                    if f == 0 {
                        break 0;
                    }
                    f = fail[f] as usize;
                }
            };
            fail[v] = f as u32;
            dict[v] = if output[f] != NONE { f as u32 } else { dict[f] };
        }
    }
    out.reserve(4 + n * 17);
    out.extend((n as u32).to_le_bytes());
    for array in [&first_edge, &output, &fail, &dict] {
        for v in array.iter() {
            out.extend(v.to_le_bytes());
        }
    }
    out.extend(&labels);
}

#[cfg(all(test, feature = "text"))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn all(a: &Automaton, text: &[u8]) -> Vec<(usize, usize, u32)> {
        let mut out = Vec::new();
        a.scan(text, |end, outputs| {
            for (start, p) in outputs {
                out.push((start, end, p));
            }
        });
        out.sort();
        out
    }

    /// Every occurrence, overlapping, by aho-corasick.
    fn reference(patterns: &[Vec<u8>], text: &[u8]) -> Vec<(usize, usize, u32)> {
        // Equal patterns: only the first counts.
        let ac = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::Standard)
            .build(patterns)
            .unwrap();
        let mut out: Vec<(usize, usize, u32)> = ac
            .find_overlapping_iter(text)
            .map(|m| (m.start(), m.end(), m.pattern().as_u32()))
            .filter(|&(_, _, p)| {
                let p = p as usize;
                !patterns[..p].contains(&patterns[p])
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn finds_every_occurrence() {
        let patterns = ["ab", "b", "abc", "bc", "c", "abcd", "x", "bcd", "d"];
        let a = Automaton::build(&patterns);
        // root, a, b, c, d, x, ab, bc, abc, bcd, abcd
        assert_eq!(a.nodes(), 11);
        let bytes: Vec<Vec<u8>> = patterns.iter().map(|p| p.as_bytes().to_vec()).collect();
        for text in ["zabcd", "abcabcd", "", "xxabx", "bcbcd"] {
            assert_eq!(
                all(&a, text.as_bytes()),
                reference(&bytes, text.as_bytes()),
                "{text}"
            );
        }
    }

    #[test]
    fn deep_nodes_without_a_row_scan_the_same() {
        // More nodes than table rows: long patterns over many distinct bytes.
        let patterns: Vec<Vec<u8>> = (0..400u32)
            .map(|i| {
                format!("{}{}", char::from_u32(0x4E00 + i).unwrap(), "ab".repeat(40)).into_bytes()
            })
            .chain([b"ab".to_vec(), b"abab".to_vec(), b"ba".to_vec()])
            .collect();
        let a = Automaton::build(&patterns);
        assert!(a.rows < a.nodes());
        let text: Vec<u8> =
            format!("x{}ab\u{4e05}{}", "ab".repeat(50), "ab".repeat(45)).into_bytes();
        assert_eq!(all(&a, &text), reference(&patterns, &text));
    }

    #[test]
    fn round_trip_and_damage() {
        let patterns = ["kim jong un", "kim", "rusia", "北京", "a", "un"];
        let a = Automaton::build(&patterns);
        let bytes = a.serialized().to_vec();
        let load =
            |b: &[u8], p: usize| Automaton::load(Shared::new(Arc::new(b.to_vec()), 0, b.len()), p);
        let text = "kim jong un di 北京 rusia".as_bytes();
        assert_eq!(all(&load(&bytes, 6).unwrap(), text), all(&a, text));
        // Too few patterns for the outputs, cuts, a byte more, and any single
        // damaged byte: never a panic, and what loads still scans to the end.
        assert!(load(&bytes, 2).is_none());
        for cut in 0..bytes.len() {
            assert!(load(&bytes[..cut], 6).is_none(), "cut {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(load(&longer, 6).is_none());
        for at in 0..bytes.len() {
            for x in [0x01, 0x5a, 0x80, 0xff] {
                let mut d = bytes.clone();
                d[at] ^= x;
                if let Some(a) = load(&d, 6) {
                    for (start, end, _) in all(&a, text) {
                        assert!(start < end && end <= text.len());
                    }
                }
            }
        }
    }

    #[test]
    fn links_that_do_not_go_up_are_refused() {
        let a = Automaton::build(&["ab", "b"]);
        let good = a.serialized().to_vec();
        let n = u32_at(&good, 0) as usize;
        let layout = Layout::new(n).unwrap();
        let load = |b: &[u8]| Automaton::load(Shared::new(Arc::new(b.to_vec()), 0, b.len()), 2);
        assert!(load(&good).is_some());
        // Nodes: root 0, a 1, b 2, ab 3. A failure link of "ab" to itself, to a node
        // of its own level or deeper; a dictionary link to a node without output.
        for (array, node, to) in [
            (layout.fail, 3, 3),
            (layout.fail, 1, 2),
            (layout.fail, 1, 1),
            (layout.dict, 3, 3),
            (layout.dict, 3, 1),
            (layout.output, 0, 0),
        ] {
            let mut d = good.clone();
            d[array + 4 * node..array + 4 * node + 4].copy_from_slice(&(to as u32).to_le_bytes());
            assert!(load(&d).is_none(), "array at {array}, node {node} -> {to}");
        }
        // The same pattern at two nodes.
        let mut d = good.clone();
        d[layout.output + 4 * 3..layout.output + 16].copy_from_slice(&1u32.to_le_bytes());
        assert!(load(&d).is_none());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(
            std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(400)
        ))]

        // Small alphabets, so that patterns overlap, nest and share suffixes.
        #[test]
        fn finds_what_aho_corasick_finds(
            patterns in prop::collection::vec(prop::collection::vec(prop::sample::select(&b"abc\xc3\xa9 "[..]), 1..7), 1..30),
            text in prop::collection::vec(prop::sample::select(&b"abcd\xc3\xa9 "[..]), 0..200),
        ) {
            let a = Automaton::build(&patterns);
            prop_assert_eq!(all(&a, &text), reference(&patterns, &text));
            let bytes = a.serialized().to_vec();
            let back = Automaton::load(Shared::new(Arc::new(bytes.clone()), 0, bytes.len()), patterns.len()).unwrap();
            prop_assert_eq!(all(&back, &text), all(&a, &text));
        }

        #[test]
        fn damaged_automata_load_checked_or_not_at_all(
            patterns in prop::collection::vec(prop::collection::vec(prop::sample::select(&b"abc"[..]), 1..5), 1..10),
            edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
            text in prop::collection::vec(prop::sample::select(&b"abcd"[..]), 0..100),
        ) {
            let a = Automaton::build(&patterns);
            let mut bytes = a.serialized().to_vec();
            for (at, x) in edits {
                let at = at.index(bytes.len());
                bytes[at] ^= x;
            }
            if let Some(d) = Automaton::load(Shared::new(Arc::new(bytes.clone()), 0, bytes.len()), patterns.len()) {
                for (start, end, p) in all(&d, &text) {
                    prop_assert!(start < end && end <= text.len() && (p as usize) < patterns.len());
                }
            }
        }
    }
}
