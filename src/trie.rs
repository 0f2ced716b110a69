//! The automaton: a byte trie of the normalised forms, walked from each place a
//! whole-word match can start (see `bench/README.md`, "The automaton", for the
//! measurements that chose it over Aho-Corasick).
//!
//! Nodes are numbered breadth-first with each node's children in byte order, so the
//! children of a node are consecutive nodes and an edge needs no target: edge `k`
//! leads to node `k + 1`. Per node the trie keeps where its edges start (u32), the
//! byte of the edge that leads to it (u8) and the pattern that ends there (u32), so
//! about 9 bytes a node; the root's children are also in a table of 256. A walk
//! consumes one byte of text per step, so it always ends: no input, however
//! damaged, makes it loop.

/// No pattern ends at this node.
const NONE: u32 = u32::MAX;

/// A trie of distinct, non-empty byte strings ("patterns", numbered in the order
/// given).
pub(crate) struct Trie {
    /// The edges of node `i` are `first_edge[i]..first_edge[i + 1]`.
    first_edge: Vec<u32>,
    /// The byte of edge `k` (the edge into node `k + 1`).
    labels: Vec<u8>,
    /// The pattern that ends at each node, or `NONE`.
    output: Vec<u32>,
    /// The child of the root for each byte, or `NONE`.
    root: Box<[u32; 256]>,
    /// For the first `dense.len()` nodes (the shallow ones, which walks visit most
    /// and which have the most children): for each byte, 1 + the index of its edge
    /// among the node's edges, or 0, so that a child is found without a search.
    dense: Vec<[u8; 256]>,
}

/// How many of the first nodes get a dense table (256 bytes each).
const DENSE_NODES: usize = 512;

fn dense(first_edge: &[u32], labels: &[u8]) -> Vec<[u8; 256]> {
    let n = (first_edge.len() - 1).min(DENSE_NODES);
    (0..n)
        .map(|i| {
            let mut t = [0u8; 256];
            let edges = &labels[first_edge[i] as usize..first_edge[i + 1] as usize];
            // A node has at most 255 edges that fit (bytes 0xC0, 0xC1 and 0xF5..
            // never occur in UTF-8; damaged data may still have more: those are
            // then found by searching).
            for (k, &b) in edges.iter().enumerate().take(255) {
                t[usize::from(b)] = k as u8 + 1;
            }
            t
        })
        .collect()
}

impl Trie {
    /// The trie of `patterns` (distinct and non-empty; an empty one is ignored).
    #[cfg(feature = "text")]
    pub(crate) fn build<P: AsRef<[u8]>>(patterns: &[P]) -> Trie {
        let mut order: Vec<u32> = (0..patterns.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| {
            patterns[a as usize]
                .as_ref()
                .cmp(patterns[b as usize].as_ref())
        });
        let pat = |i: u32| patterns[order[i as usize] as usize].as_ref();
        let mut first_edge = vec![0u32];
        let mut labels = Vec::new();
        let mut output = vec![NONE];
        // The nodes of the current level, each a range of `order` (the patterns
        // that go through it), in breadth-first order.
        let mut level: Vec<(u32, u32)> = vec![(0, order.len() as u32)];
        let mut depth = 0;
        while !level.is_empty() {
            let mut next = Vec::new();
            for &(lo, hi) in &level {
                let mut i = lo;
                // A pattern that ends here sorts first in its range.
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
        let mut root = Box::new([NONE; 256]);
        for k in 0..first_edge.get(1).copied().unwrap_or(0) {
            root[labels[k as usize] as usize] = k + 1;
        }
        let dense = dense(&first_edge, &labels);
        Trie {
            first_edge,
            labels,
            output,
            root,
            dense,
        }
    }

    /// Calls `found(end, pattern)` for every pattern that `text[start..]` starts
    /// with, shortest first (`end` is exclusive, in `text`).
    #[inline]
    pub(crate) fn walk(&self, text: &[u8], start: usize, mut found: impl FnMut(usize, u32)) {
        let Some(&first) = text.get(start) else {
            return;
        };
        let mut node = self.root[first as usize];
        let mut i = start + 1;
        while node != NONE {
            let n = node as usize;
            let out = self.output[n];
            if out != NONE {
                found(i, out);
            }
            let Some(&b) = text.get(i) else {
                return;
            };
            let lo = self.first_edge[n] as usize;
            if let Some(t) = self.dense.get(n) {
                let k = t[usize::from(b)];
                if k == 0 {
                    return;
                }
                node = (lo + usize::from(k)) as u32;
                i += 1;
                continue;
            }
            let hi = self.first_edge[n + 1] as usize;
            let edges = &self.labels[lo..hi];
            node = if edges.len() <= 8 {
                match edges.iter().position(|&e| e >= b) {
                    Some(k) if edges[k] == b => (lo + k + 1) as u32,
                    _ => NONE,
                }
            } else {
                match edges.binary_search(&b) {
                    Ok(k) => (lo + k + 1) as u32,
                    Err(_) => NONE,
                }
            };
            i += 1;
        }
    }

    #[cfg(feature = "text")]
    /// The serialised trie: the node count, then `first_edge`, `labels` and
    /// `output` (u32 little-endian, bytes, u32 little-endian).
    pub(crate) fn serialize(&self, out: &mut Vec<u8>) {
        let n = self.output.len();
        out.reserve(4 + n * 9);
        out.extend((n as u32).to_le_bytes());
        for v in &self.first_edge {
            out.extend(v.to_le_bytes());
        }
        out.extend(&self.labels);
        for v in &self.output {
            out.extend(v.to_le_bytes());
        }
    }

    /// Reads a serialised trie from the start of `bytes` and returns it with the
    /// bytes after it, or `None` when they do not make one: the sizes must fit, the
    /// edges must be in order and cover every node but the root once, each node's
    /// bytes must be increasing, and every pattern number must be below `patterns`.
    pub(crate) fn deserialize(bytes: &[u8], patterns: usize) -> Option<(Trie, &[u8])> {
        let (n, rest) = take_u32(bytes)?;
        let n = n as usize;
        let need = n.checked_mul(9)?.checked_add(3)?;
        if n == 0 || rest.len() < need {
            return None;
        }
        let (edges_bytes, rest) = rest.split_at((n + 1) * 4);
        let first_edge: Vec<u32> = edges_bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        let (labels, rest) = rest.split_at(n - 1);
        let labels = labels.to_vec();
        let (out_bytes, rest) = rest.split_at(n * 4);
        let output: Vec<u32> = out_bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        if first_edge[0] != 0 || first_edge[n] as usize != n - 1 {
            return None;
        }
        for w in first_edge.windows(2) {
            let (lo, hi) = (w[0] as usize, w[1] as usize);
            if lo > hi || hi > labels.len() || !labels[lo..hi].windows(2).all(|p| p[0] < p[1]) {
                return None;
            }
        }
        if output.iter().any(|&o| o != NONE && o as usize >= patterns) {
            return None;
        }
        let mut root = Box::new([NONE; 256]);
        for k in 0..first_edge[1] {
            root[labels[k as usize] as usize] = k + 1;
        }
        let dense = dense(&first_edge, &labels);
        Some((
            Trie {
                first_edge,
                labels,
                output,
                root,
                dense,
            },
            rest,
        ))
    }

    /// The number of nodes.
    #[cfg(test)]
    pub(crate) fn nodes(&self) -> usize {
        self.output.len()
    }
}

fn take_u32(b: &[u8]) -> Option<(u32, &[u8])> {
    let (head, rest) = b.split_at_checked(4)?;
    Some((
        u32::from_le_bytes([head[0], head[1], head[2], head[3]]),
        rest,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(t: &Trie, text: &str) -> Vec<(usize, usize, u32)> {
        let mut out = Vec::new();
        for start in 0..text.len() {
            t.walk(text.as_bytes(), start, |end, p| out.push((start, end, p)));
        }
        out
    }

    #[test]
    fn finds_every_occurrence() {
        let patterns = ["ab", "b", "abc", "bc", "c", "abcd", "x"];
        let t = Trie::build(&patterns);
        // root, a, b, c, x, ab, bc, abc, abcd
        assert_eq!(t.nodes(), 9);
        let mut got = all(&t, "zabcd");
        got.sort();
        let mut want = Vec::new();
        for (p, pat) in patterns.iter().enumerate() {
            for (s, _) in "zabcd".match_indices(pat) {
                want.push((s, s + pat.len(), p as u32));
            }
        }
        want.sort();
        assert_eq!(got, want);
    }

    #[test]
    fn round_trip_and_damage() {
        let patterns = ["kim jong un", "kim", "rusia", "北京", "a"];
        let t = Trie::build(&patterns);
        let mut bytes = Vec::new();
        t.serialize(&mut bytes);
        bytes.extend(b"rest");
        let (back, rest) = Trie::deserialize(&bytes, patterns.len()).unwrap();
        assert_eq!(rest, b"rest");
        assert_eq!(
            all(&back, "kim jong un di 北京"),
            all(&t, "kim jong un di 北京")
        );
        // Too few patterns for the outputs, cuts, and any single damaged byte: never
        // a panic (a damaged trie may load, but its walks still end).
        assert!(Trie::deserialize(&bytes, 2).is_none());
        for cut in 0..bytes.len() - 4 {
            assert!(Trie::deserialize(&bytes[..cut], 5).is_none(), "cut {cut}");
        }
        for at in 0..bytes.len() {
            let mut d = bytes.clone();
            d[at] ^= 0x5a;
            if let Some((t, _)) = Trie::deserialize(&d, 5) {
                all(&t, "kim jong un di 北京 rusia");
            }
        }
    }
}
