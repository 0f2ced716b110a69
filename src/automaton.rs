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

/// In a state: a pattern ends at its node or on the node's dictionary chain.
const HAS_OUTPUT: u32 = 1 << 31;

/// How many bytes the transition table of the shallowest nodes may take.
const TABLE_BYTES: usize = 1024 * 1024;

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

/// The size of a node's record in the serialised automaton.
const RECORD: usize = 16;

/// A serialised automaton with `n` nodes is: the node count (u32), then `n + 1`
/// records of four u32 (node `i`'s: `first_edge`, where its edges start, its edges
/// being `first_edge[i]..first_edge[i + 1]`; `output`, the pattern that ends there
/// or `u32::MAX`; `fail`; `dict`, 0 when no pattern ends on the failure chain; the
/// last record only ends the last node's edges, `[n - 1, u32::MAX, 0, 0]`), then
/// the edges' bytes (`n - 1`), all little-endian.
fn serialized_len(n: usize) -> Option<usize> {
    n.checked_add(1)?
        .checked_mul(RECORD)?
        .checked_add(4 + n.checked_sub(1)?)
}

/// One node, as its record says.
#[derive(Clone, Copy)]
struct Node {
    /// Its edges are `lo..hi`.
    lo: usize,
    hi: usize,
    output: u32,
    fail: usize,
    dict: usize,
}

/// The serialised arrays, read in place.
#[derive(Clone, Copy)]
struct Arrays<'a> {
    /// The records, from node 0's.
    records: &'a [u8],
    labels: &'a [u8],
}

impl<'a> Arrays<'a> {
    fn new(bytes: &'a [u8], n: usize) -> Arrays<'a> {
        let labels = 4 + (n + 1) * RECORD;
        Arrays {
            records: bytes.get(4..labels).unwrap_or_default(),
            labels: bytes.get(labels..).unwrap_or_default(),
        }
    }

    /// Node `i` (an empty node without output or links from the last record on).
    #[inline(always)]
    fn node(&self, i: usize) -> Node {
        let at = i * RECORD;
        match self.records.get(at..at + RECORD + 4) {
            Some(
                &[a0, a1, a2, a3, b0, b1, b2, b3, c0, c1, c2, c3, d0, d1, d2, d3, e0, e1, e2, e3],
            ) => Node {
                lo: u32::from_le_bytes([a0, a1, a2, a3]) as usize,
                output: u32::from_le_bytes([b0, b1, b2, b3]),
                fail: u32::from_le_bytes([c0, c1, c2, c3]) as usize,
                dict: u32::from_le_bytes([d0, d1, d2, d3]) as usize,
                hi: u32::from_le_bytes([e0, e1, e2, e3]) as usize,
            },
            _ => Node {
                lo: 0,
                hi: 0,
                output: NONE,
                fail: 0,
                dict: 0,
            },
        }
    }

    /// The bytes of a node's edges.
    #[inline(always)]
    fn edges(&self, node: &Node) -> &'a [u8] {
        self.labels.get(node.lo..node.hi).unwrap_or_default()
    }

    /// The child of `node` by byte `b`.
    #[inline(always)]
    fn child(&self, node: &Node, b: u8) -> Option<usize> {
        let edges = self.edges(node);
        let k = if edges.len() <= 8 {
            edges
                .iter()
                .position(|&e| e >= b)
                .filter(|&k| edges[k] == b)
        } else {
            edges.binary_search(&b).ok()
        };
        k.map(|k| node.lo + k + 1)
    }
}

/// An Aho-Corasick automaton of distinct, non-empty byte strings ("patterns",
/// numbered in the order given).
pub(crate) struct Automaton {
    data: Shared,
    /// The number of nodes.
    n: usize,
    /// The length of each pattern (the depth of the node it ends at).
    lens: Vec<u32>,
    /// Each byte's column in `table`: 0 for the bytes of no edge of the nodes with
    /// a row.
    classes: [u8; 256],
    /// The number of columns.
    stride: usize,
    /// The number of nodes (the first ones, the shallowest) with a row in `table`.
    rows: usize,
    /// `rows * stride`: a state below it is a place in `table`.
    limit: u32,
    /// For each of the first `rows` nodes and each column: the next state (see
    /// [`Automaton::state_of`], without [`HAS_OUTPUT`])...
    table: Vec<u32>,
    /// ...and whether a pattern ends there (apart, so that finding the next state
    /// is one addition and one read).
    outputs: Vec<bool>,
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
        let node = self.arrays.node(self.node);
        self.node = node.dict;
        let len = *self.lens.get(node.output as usize)? as usize;
        Some((self.end.checked_sub(len)?, node.output))
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
        // Node numbers and table places must stay below HAS_OUTPUT.
        if bytes.len() < 4 || n == 0 || n >= (HAS_OUTPUT as usize) / 2 {
            return None;
        }
        if bytes.len() != serialized_len(n)? {
            return None;
        }
        let a = Arrays::new(bytes, n);
        // The edges: in order, covering every node but the root once, each node's
        // bytes increasing; the last record exactly the end of the edges.
        let root = a.node(0);
        let last: Vec<u32> = (0..4)
            .map(|k| u32_at(a.records, n * RECORD + 4 * k))
            .collect();
        if root.lo != 0 || last != [n as u32 - 1, NONE, 0, 0] {
            return None;
        }
        for i in 0..n {
            let node = a.node(i);
            if node.lo > node.hi || !a.edges(&node).windows(2).all(|p| p[0] < p[1]) {
                return None;
            }
        }
        // The levels: level d + 1 is the children of level d, so it starts where the
        // first edge of level d's first node leads. Each must be non-empty until the
        // last node: then every node's parent is in the level before its own, and
        // numbering is breadth-first.
        let mut lens = vec![0u32; patterns];
        if root.output != NONE || root.fail != 0 || root.dict != 0 {
            return None;
        }
        let mut level_end = 1;
        let mut depth = 0u32;
        while level_end < n {
            let next_end = a.node(level_end).lo + 1;
            if next_end <= level_end {
                return None;
            }
            let level_start = level_end;
            level_end = next_end;
            depth += 1;
            for v in level_start..level_end {
                // Failure and dictionary links go to a shallower level; a dictionary
                // link to a node where a pattern ends.
                let node = a.node(v);
                if node.fail >= level_start || node.dict >= level_start {
                    return None;
                }
                if node.dict != 0 && a.node(node.dict).output == NONE {
                    return None;
                }
                if node.output != NONE {
                    let len = lens.get_mut(node.output as usize)?;
                    if *len != 0 {
                        return None;
                    }
                    *len = depth;
                }
            }
        }
        // The transition table of the shallowest nodes, as many as fit in
        // TABLE_BYTES: one column per byte that an edge of one of them has, and
        // column 0 for all the others (from these nodes and their failure nodes,
        // which are shallower, such a byte always leads back to the root).
        let mut classes = [0u8; 256];
        let mut stride = 1;
        let mut rows = 0;
        for s in 0..n {
            let edges = a.edges(&a.node(s));
            let new = edges
                .iter()
                .filter(|&&b| classes[usize::from(b)] == 0)
                .count();
            if stride + new > 256 || (s > 0 && (s + 1) * (stride + new) * 4 > TABLE_BYTES) {
                if s == 0 {
                    // 256 distinct bytes out of the root: never UTF-8.
                    return None;
                }
                break;
            }
            for &b in edges {
                if classes[usize::from(b)] == 0 {
                    classes[usize::from(b)] = stride as u8;
                    stride += 1;
                }
            }
            rows = s + 1;
        }
        let mut table = vec![0u32; rows * stride];
        let mut outputs = vec![false; rows * stride];
        for s in 0..rows {
            let node = a.node(s);
            let row = s * stride;
            if s > 0 {
                // What the failure node does (already filled: it is shallower).
                let f = node.fail * stride;
                table.copy_within(f..f + stride, row);
                outputs.copy_within(f..f + stride, row);
            }
            for (k, &b) in a.edges(&node).iter().enumerate() {
                let at = row + usize::from(classes[usize::from(b)]);
                let state = Automaton::state_of(&a, node.lo + k + 1, rows, stride);
                table[at] = state & !HAS_OUTPUT;
                outputs[at] = state & HAS_OUTPUT != 0;
            }
        }
        Some(Automaton {
            data,
            n,
            lens,
            classes,
            stride,
            rows,
            limit: (rows * stride) as u32,
            table,
            outputs,
        })
    }

    /// Scans `text` once, left to right, and appends to `hits` every place where a
    /// pattern ends: `(end, state)`, `end` exclusive (`state` without
    /// [`HAS_OUTPUT`]); [`Automaton::outputs`] gives
    /// the patterns that end there. (The scan calls nothing while it runs, so that
    /// its few values stay in registers.)
    #[inline(never)]
    pub(crate) fn scan(&self, text: &[u8], hits: &mut Vec<(usize, u32)>) {
        let a = Arrays::new(self.data.bytes(), self.n);
        let (table, classes, limit) = (&self.table[..], &self.classes, self.limit);
        let outputs = self.outputs.get(..table.len()).unwrap_or_default();
        let mut state = 0u32;
        let mut i = 0;
        while i < text.len() {
            let b = text[i];
            i += 1;
            if state < limit {
                // A row state and a column: always within the table.
                let at = state as usize + usize::from(classes[usize::from(b)]);
                if at < outputs.len() {
                    state = table[at];
                    if outputs[at] {
                        hits.push((i, state));
                    }
                } else {
                    state = 0;
                }
            } else {
                let next = self.next_deep(a, (state - limit) as usize, b);
                state = next & !HAS_OUTPUT;
                if next != state {
                    hits.push((i, state));
                }
            }
        }
    }

    /// The patterns that end at `end` in the state `state` of a hit of
    /// [`Automaton::scan`], longest first.
    pub(crate) fn outputs(&self, end: usize, state: u32) -> Outputs<'_> {
        let a = Arrays::new(self.data.bytes(), self.n);
        let node = self.node_of(state);
        let first = match a.node(node) {
            n if n.output != NONE => node,
            n => n.dict,
        };
        Outputs {
            arrays: a,
            lens: &self.lens,
            node: first,
            end,
        }
    }

    /// A state's node.
    fn node_of(&self, state: u32) -> usize {
        let s = state & !HAS_OUTPUT;
        if s < self.limit {
            (s as usize) / self.stride
        } else {
            (s - self.limit) as usize
        }
    }

    /// The state of node `i`: its row's place in the table, or for a node without
    /// a row `limit + i`; with [`HAS_OUTPUT`] when a pattern ends there or on its
    /// dictionary chain.
    #[inline(always)]
    fn state_of(a: &Arrays<'_>, i: usize, rows: usize, stride: usize) -> u32 {
        let node = a.node(i);
        let flag = if node.output != NONE || node.dict != 0 {
            HAS_OUTPUT
        } else {
            0
        };
        let s = if i < rows {
            i * stride
        } else {
            rows * stride + i
        };
        s as u32 | flag
    }

    /// The next state from node `s` (which has no row in the table) by byte `b`.
    #[inline(never)]
    fn next_deep(&self, a: Arrays<'_>, mut s: usize, b: u8) -> u32 {
        loop {
            if s < self.rows {
                let at = s * self.stride + usize::from(self.classes[usize::from(b)]);
                return match (self.table.get(at), self.outputs.get(at)) {
                    (Some(&state), Some(true)) => state | HAS_OUTPUT,
                    (Some(&state), _) => state,
                    _ => 0,
                };
            }
            let node = a.node(s);
            if let Some(child) = a.child(&node, b) {
                return Automaton::state_of(&a, child, self.rows, self.stride);
            }
            s = node.fail;
        }
    }

    /// The length in bytes of the longest pattern (0 without patterns).
    pub(crate) fn longest(&self) -> usize {
        self.lens.iter().max().map_or(0, |&n| n as usize)
    }

    /// The number of nodes.
    #[cfg(test)]
    pub(crate) fn nodes(&self) -> usize {
        self.n
    }
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    match bytes.get(at..at + 4) {
        Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]),
        _ => 0,
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
    out.reserve(serialized_len(n).unwrap_or(0));
    out.extend((n as u32).to_le_bytes());
    for i in 0..=n {
        let record = if i < n {
            [first_edge[i], output[i], fail[i], dict[i]]
        } else {
            [first_edge[n], NONE, 0, 0]
        };
        for v in record {
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
        let mut hits = Vec::new();
        a.scan(text, &mut hits);
        let mut out = Vec::new();
        for (end, state) in hits {
            for (start, p) in a.outputs(end, state) {
                out.push((start, end, p));
            }
        }
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
        let load = |b: &[u8]| Automaton::load(Shared::new(Arc::new(b.to_vec()), 0, b.len()), 2);
        assert!(load(&good).is_some());
        // Fields of a record: 0 first edge, 1 output, 2 fail, 3 dict.
        let set = |node: usize, field: usize, to: u32| {
            let at = 4 + node * RECORD + field * 4;
            let mut d = good.clone();
            d[at..at + 4].copy_from_slice(&to.to_le_bytes());
            d
        };
        // Nodes: root 0, a 1, b 2, ab 3 ("ab" ends at 3 and fails to 2, where "b"
        // ends). A failure link to the node itself, to one of its own level or
        // deeper; a dictionary link to itself or to a node without output; an
        // output at the root; the same pattern at two nodes; a last record that is
        // not the end.
        for (name, node, field, to) in [
            ("fail to itself", 3, 2, 3),
            ("fail to the same level", 1, 2, 2),
            ("fail of level 1 to itself", 1, 2, 1),
            ("fail of the root", 0, 2, 1),
            ("dict to itself", 3, 3, 3),
            ("dict to a node without output", 3, 3, 1),
            ("output at the root", 0, 1, 0),
            ("one pattern at two nodes", 3, 1, 1),
            ("last record", 4, 1, 0),
        ] {
            assert!(load(&set(node, field, to)).is_none(), "{name}");
        }
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
