//! The compiled gazetteer: a versioned binary file that loads without parsing JSON,
//! normalising forms or building automata.
//!
//! Layout (all integers little-endian):
//!
//! | bytes | what |
//! |---|---|
//! | 8 | magic: `00 73 6f 72 6f 74 1a 0a` (NUL, `sorot`, SUB, LF: never a text gazetteer) |
//! | 4 | format version ([`FORMAT_VERSION`]) |
//! | 4 | number of sections |
//! | 8 | checksum of everything after these 24 bytes |
//! | 8 per section | the section table: a 4-byte tag and the section's length |
//! | ... | the sections, in the table's order |
//!
//! Sections, in this order:
//! - `ENTS`: the number of entities (u32), then each entity's priority (f64), in
//!   gazetteer order: all the resolver needs to know of an entity;
//! - `SCAN`, once per automaton: its normalisation (u8: bit 0 case folded, bit 1
//!   diacritics folded), 3 bytes of zero, the number of patterns P and of forms F
//!   (u32 each), the form table (P + 1 u32 starts: the forms of pattern p are
//!   `starts[p]..starts[p + 1]`), the forms (entity u32, flags u8: bit 0 short form,
//!   bit 1 needs a capital, bit 2 case-exact), the case-exact forms' texts (u32
//!   length, UTF-8 bytes, for each form with bit 2, in order) and the automaton
//!   (u32 length, then the Aho-Corasick automaton of `src/automaton.rs`: node
//!   count, edge starts, pattern per node, failure links, dictionary links, edge
//!   bytes);
//! - `JSON`: the entity data for display, the JSON text of `Gazetteer::to_json()`
//!   (so JavaScript can `JSON.parse` it; a match's entity indexes its `entities`);
//! - `JIDX`: where each entity is in that text, so that a page reads only the
//!   entities it shows: the number of entities n (u32, as in `ENTS`), the byte
//!   offset where the first entity starts (the gazetteer's other fields come
//!   before it: that text followed by `]}` is the gazetteer without its entities),
//!   then for each entity the byte offsets of its JSON object's start and end.
//!
//! Loading checks everything it reads (lengths, ranges, UTF-8, the automaton's
//! states) and gives a clear error on a file that is not one, of another version,
//! truncated or corrupt; it never panics. The checksum (not cryptographic) catches
//! accidental damage; the checks catch the rest.

use crate::automaton::{Automaton, Shared};
use crate::error::Error;
use crate::matcher::{Form, Matcher, Scanner};
use crate::normalize::Fold;
use std::sync::Arc;

/// The version of the compiled format this sorot writes and reads. A compiled file
/// of another version is refused (compile it again from its source); caches of
/// compiled gazetteers should be keyed by it.
pub const FORMAT_VERSION: u32 = 3;

/// The first bytes of every compiled gazetteer.
pub const MAGIC: [u8; 8] = *b"\0sorot\x1a\n";

const HEADER: usize = 24;

/// Whether `bytes` start like a compiled gazetteer (its magic), whatever its version.
///
/// ```
/// assert!(!sorot::is_compiled(b"id\ttype\tname\n"));
/// ```
pub fn is_compiled(bytes: &[u8]) -> bool {
    bytes.starts_with(&MAGIC)
}

/// A 64-bit checksum over 8-byte words: every step is a bijection of the state, so
/// any change of one word changes the result. Not cryptographic.
fn checksum(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h ^ w).wrapping_mul(0x0000_0100_0000_01b3).rotate_left(23);
    }
    for &b in chunks.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// A decimal number, without the formatting machinery (kept out of the small wasm
/// module).
pub(crate) fn decimal(mut n: u64) -> String {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits[i..].iter().map(|&d| d as char).collect()
}

/// A count of a compiled gazetteer over the limit the text readers set.
fn over_limit(origin: &str, n: usize, limit: usize, what: &str) -> Error {
    let mut m = String::from("compiled gazetteer: ");
    m.push_str(&crate::limits::grouped(n as u64));
    m.push(' ');
    m.push_str(what);
    m.push_str(", more than the limit of ");
    m.push_str(&crate::limits::grouped(limit as u64));
    Error::syntax(origin, m)
}

fn corrupt(origin: &str, message: &str) -> Error {
    let mut m = String::from("compiled gazetteer: ");
    m.push_str(message);
    Error::syntax(origin, m)
}

/// Reads a section's fields, each read checked against the section's end.
struct Reader<'a> {
    bytes: &'a [u8],
    section: &'static str,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, origin: &str) -> Result<&'a [u8], Error> {
        if n > self.bytes.len() {
            let mut m = String::from("truncated in section ");
            m.push_str(self.section);
            m.push_str(" (needs ");
            m.push_str(&decimal(n as u64));
            m.push_str(" more bytes, has ");
            m.push_str(&decimal(self.bytes.len() as u64));
            m.push(')');
            return Err(corrupt(origin, &m));
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    fn u8(&mut self, origin: &str) -> Result<u8, Error> {
        Ok(self.take(1, origin)?[0])
    }

    fn u32(&mut self, origin: &str) -> Result<u32, Error> {
        let b = self.take(4, origin)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn f64(&mut self, origin: &str) -> Result<f64, Error> {
        let b = self.take(8, origin)?;
        Ok(f64::from_le_bytes([
            b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
        ]))
    }

    /// A count of items of `size` bytes each that must fit in what is left.
    fn count(&mut self, size: usize, what: &str, origin: &str) -> Result<usize, Error> {
        let n = self.u32(origin)? as usize;
        if n.saturating_mul(size) > self.bytes.len() {
            let mut m = String::from("truncated in section ");
            m.push_str(self.section);
            m.push_str(": ");
            m.push_str(&decimal(n as u64));
            m.push(' ');
            m.push_str(what);
            m.push_str(" announced, too few bytes left");
            return Err(corrupt(origin, &m));
        }
        Ok(n)
    }

    fn done(&self, origin: &str) -> Result<(), Error> {
        if self.bytes.is_empty() {
            Ok(())
        } else {
            let mut m = String::from("corrupt: ");
            m.push_str(&decimal(self.bytes.len() as u64));
            m.push_str(" unexpected bytes at the end of section ");
            m.push_str(self.section);
            Err(corrupt(origin, &m))
        }
    }
}

/// The parts of a compiled gazetteer, checked.
pub(crate) struct Parts<'a> {
    pub(crate) matcher_scanners: Vec<Scanner>,
    pub(crate) priorities: Vec<f64>,
    pub(crate) json: &'a str,
    /// From `JIDX`: the head's end, then each entity's start and end in `json`.
    pub(crate) index: Vec<u32>,
}

/// Reads and checks a compiled gazetteer. `origin` names it in error messages. The
/// automata read their arrays where they are in `owner` when it is given (it must
/// hold `bytes`), else from a copy of their own.
pub(crate) fn read<'a>(
    bytes: &'a [u8],
    owner: Option<&Arc<Vec<u8>>>,
    origin: &str,
) -> Result<Parts<'a>, Error> {
    if !is_compiled(bytes) {
        return Err(corrupt(
            origin,
            "not a compiled gazetteer (it does not start with the sorot magic bytes)",
        ));
    }
    let mut head = Reader {
        bytes: &bytes[MAGIC.len()..],
        section: "header",
    };
    let version = head.u32(origin)?;
    if version != FORMAT_VERSION {
        let mut m = String::from("format version ");
        m.push_str(&decimal(u64::from(version)));
        m.push_str(", this sorot reads version ");
        m.push_str(&decimal(u64::from(FORMAT_VERSION)));
        m.push_str(" (compile it again with this sorot)");
        return Err(corrupt(origin, &m));
    }
    let sections = head.u32(origin)? as usize;
    let sum = head.take(8, origin)?;
    let sum = u64::from_le_bytes([
        sum[0], sum[1], sum[2], sum[3], sum[4], sum[5], sum[6], sum[7],
    ]);
    let body = &bytes[HEADER..];
    let mut table = Reader {
        bytes: body,
        section: "table",
    };
    if sections.saturating_mul(8) > body.len() {
        return Err(corrupt(origin, "truncated in the section table"));
    }
    let mut entries = Vec::with_capacity(sections);
    let mut left = body.len() - sections * 8;
    for _ in 0..sections {
        let tag = table.take(4, origin)?;
        let len = table.u32(origin)? as usize;
        let name: &'static str = match tag {
            b"ENTS" => "ENTS",
            b"SCAN" => "SCAN",
            b"JSON" => "JSON",
            b"JIDX" => "JIDX",
            _ => return Err(corrupt(origin, "corrupt: unknown section in the table")),
        };
        if len > left {
            let mut m = String::from("truncated at section ");
            m.push_str(name);
            m.push_str(" (");
            m.push_str(&decimal(len as u64));
            m.push_str(" bytes announced, ");
            m.push_str(&decimal(left as u64));
            m.push_str(" left)");
            return Err(corrupt(origin, &m));
        }
        left -= len;
        entries.push((name, len));
    }
    if left != 0 {
        return Err(corrupt(
            origin,
            "corrupt: bytes after the last section of the table",
        ));
    }
    if checksum(body) != sum {
        return Err(corrupt(
            origin,
            "corrupt: the checksum does not match (the file is damaged)",
        ));
    }
    let mut rest = table.bytes;
    // The forms of the SCAN sections so far.
    let mut forms = 0;
    let mut priorities = None;
    let mut scanners = Vec::new();
    let mut json = None;
    let mut index = None;
    for (name, len) in entries {
        let (section, after) = rest.split_at(len);
        rest = after;
        let mut r = Reader {
            bytes: section,
            section: name,
        };
        let order_ok = match name {
            "ENTS" => priorities.is_none() && scanners.is_empty() && json.is_none(),
            "SCAN" => priorities.is_some() && json.is_none(),
            "JSON" => priorities.is_some() && json.is_none(),
            _ => json.is_some() && index.is_none(),
        };
        if !order_ok {
            let mut m = String::from("corrupt: section ");
            m.push_str(name);
            m.push_str(" out of order");
            return Err(corrupt(origin, &m));
        }
        match name {
            "ENTS" => {
                let n = r.count(8, "entities", origin)?;
                if n > crate::limits::MAX_ENTITIES {
                    return Err(over_limit(
                        origin,
                        n,
                        crate::limits::MAX_ENTITIES,
                        "entities",
                    ));
                }
                let mut p = Vec::with_capacity(n);
                for _ in 0..n {
                    p.push(r.f64(origin)?);
                }
                r.done(origin)?;
                priorities = Some(p);
            }
            "SCAN" => {
                let entities = priorities.as_ref().map_or(0, Vec::len);
                let scanner = read_scanner(&mut r, entities, bytes, owner, origin)?;
                r.done(origin)?;
                forms += scanner.forms.len();
                if forms > crate::limits::MAX_FORMS {
                    return Err(over_limit(origin, forms, crate::limits::MAX_FORMS, "forms"));
                }
                scanners.push(scanner);
            }
            "JSON" => {
                let text = std::str::from_utf8(section)
                    .map_err(|_| corrupt(origin, "corrupt: section JSON is not UTF-8"))?;
                json = Some(text);
            }
            _ => {
                let text = json.unwrap_or_default();
                let entities = priorities.as_ref().map_or(0, Vec::len);
                let n = r.count(8, "entities", origin)?;
                if n != entities {
                    return Err(corrupt(
                        origin,
                        "corrupt: section JIDX does not index every entity",
                    ));
                }
                let mut offsets = Vec::with_capacity(1 + 2 * n);
                for _ in 0..=2 * n {
                    offsets.push(r.u32(origin)?);
                }
                r.done(origin)?;
                // In order, inside the text, each on a character boundary.
                let ordered = offsets.windows(2).all(|w| w[0] <= w[1]);
                let inside = offsets
                    .last()
                    .is_none_or(|&end| (end as usize) <= text.len());
                if !ordered
                    || !inside
                    || !offsets.iter().all(|&o| text.is_char_boundary(o as usize))
                {
                    return Err(corrupt(
                        origin,
                        "corrupt: section JIDX points outside the entity data",
                    ));
                }
                index = Some(offsets);
            }
        }
    }
    let (Some(priorities), Some(json), Some(index)) = (priorities, json, index) else {
        return Err(corrupt(
            origin,
            "corrupt: a section is missing (ENTS, JSON and JIDX are required)",
        ));
    };
    Ok(Parts {
        matcher_scanners: scanners,
        priorities,
        json,
        index,
    })
}

fn read_scanner(
    r: &mut Reader,
    entities: usize,
    file: &[u8],
    owner: Option<&Arc<Vec<u8>>>,
    origin: &str,
) -> Result<Scanner, Error> {
    let flags = r.u8(origin)?;
    r.take(3, origin)?;
    if flags > 3 {
        return Err(corrupt(
            origin,
            "corrupt: unknown normalisation flags in section SCAN",
        ));
    }
    let fold = Fold {
        case: flags & 1 != 0,
        diacritics: flags & 2 != 0,
    };
    let patterns = r.u32(origin)? as usize;
    let form_count = r.count(5, "forms", origin)?;
    if form_count > crate::limits::MAX_FORMS {
        return Err(over_limit(
            origin,
            form_count,
            crate::limits::MAX_FORMS,
            "forms",
        ));
    }
    if patterns.saturating_add(1).saturating_mul(4) > r.bytes.len() {
        return Err(corrupt(origin, "truncated in section SCAN (form table)"));
    }
    let mut starts = Vec::with_capacity(patterns + 1);
    for _ in 0..=patterns {
        starts.push(r.u32(origin)?);
    }
    let monotonic = starts.first() == Some(&0)
        && starts.last().copied() == Some(form_count as u32)
        && starts.windows(2).all(|w| w[0] <= w[1]);
    if !monotonic {
        return Err(corrupt(
            origin,
            "corrupt: the form table of section SCAN is not in order",
        ));
    }
    let mut forms = Vec::with_capacity(form_count);
    let mut exact_count = 0;
    for _ in 0..form_count {
        let entity = r.u32(origin)?;
        let flags = r.u8(origin)?;
        if entity as usize >= entities || flags > 7 {
            return Err(corrupt(
                origin,
                "corrupt: a form of section SCAN names no entity",
            ));
        }
        // One case rule a form: capitalised (bit 1) or case-exact (bit 2), not both.
        if flags & 6 == 6 {
            return Err(corrupt(
                origin,
                "corrupt: a form of section SCAN is both capitalised and case-exact",
            ));
        }
        exact_count += usize::from(flags & 4 != 0);
        forms.push((entity, flags));
    }
    let mut exact_texts = Vec::with_capacity(exact_count);
    for _ in 0..exact_count {
        let len = r.count(1, "bytes of a case-exact form", origin)?;
        let text = std::str::from_utf8(r.take(len, origin)?)
            .map_err(|_| corrupt(origin, "corrupt: a form of section SCAN is not UTF-8"))?;
        exact_texts.push(Box::<str>::from(text));
    }
    let mut exact_texts = exact_texts.into_iter();
    let forms = forms
        .into_iter()
        .map(|(entity, flags)| Form {
            entity,
            short: flags & 1 != 0,
            capital: flags & 2 != 0,
            exact: if flags & 4 != 0 {
                exact_texts.next()
            } else {
                None
            },
        })
        .collect();
    let len = r.count(1, "bytes of automaton", origin)?;
    let automaton_bytes = r.take(len, origin)?;
    // Its node count first: no more than the forms' bytes allow.
    let node_count = automaton_bytes
        .get(..4)
        .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize);
    if node_count > crate::limits::MAX_FORM_BYTES + 1 {
        return Err(over_limit(
            origin,
            node_count,
            crate::limits::MAX_FORM_BYTES + 1,
            "automaton nodes",
        ));
    }
    let shared = match owner {
        Some(file_owner) => {
            let start = automaton_bytes.as_ptr() as usize - file.as_ptr() as usize;
            Shared::new(Arc::clone(file_owner), start, start + len)
        }
        None => Shared::new(Arc::new(automaton_bytes.to_vec()), 0, len),
    };
    let automaton = match Automaton::load(shared, patterns) {
        Some(a) => a,
        None => {
            return Err(corrupt(
                origin,
                "corrupt: the automaton of section SCAN does not load",
            ))
        }
    };
    Ok(Scanner::new(fold, automaton, starts, forms))
}

/// Writes the right checksum into a compiled gazetteer's header (for the fuzz
/// target, so that damage behind the checksum reaches the other checks).
#[cfg(feature = "text")]
pub(crate) fn reseal(bytes: &mut [u8]) {
    if bytes.len() >= HEADER {
        let sum = checksum(&bytes[HEADER..]);
        bytes[16..24].copy_from_slice(&sum.to_le_bytes());
    }
}

/// Builds the compiled bytes of a matcher, its entity JSON and where each entity is
/// in it (see `JIDX`).
#[cfg(feature = "text")]
fn write(matcher: &Matcher, json: &str, index: &[u32]) -> Vec<u8> {
    let mut sections: Vec<(&[u8; 4], Vec<u8>)> = Vec::new();
    let mut ents = Vec::with_capacity(4 + matcher.priorities.len() * 8);
    ents.extend((matcher.priorities.len() as u32).to_le_bytes());
    for p in &matcher.priorities {
        ents.extend(p.to_le_bytes());
    }
    sections.push((b"ENTS", ents));
    for s in &matcher.scanners {
        let mut b = Vec::new();
        b.push(u8::from(s.fold.case) | u8::from(s.fold.diacritics) << 1);
        b.extend([0, 0, 0]);
        b.extend(((s.starts.len() - 1) as u32).to_le_bytes());
        b.extend((s.forms.len() as u32).to_le_bytes());
        for st in &s.starts {
            b.extend(st.to_le_bytes());
        }
        for f in &s.forms {
            b.extend(f.entity.to_le_bytes());
            b.push(u8::from(f.short) | u8::from(f.capital) << 1 | u8::from(f.exact.is_some()) << 2);
        }
        for f in &s.forms {
            if let Some(e) = &f.exact {
                b.extend((e.len() as u32).to_le_bytes());
                b.extend(e.as_bytes());
            }
        }
        let automaton = s.automaton.serialized();
        b.extend((automaton.len() as u32).to_le_bytes());
        b.extend(automaton);
        sections.push((b"SCAN", b));
    }
    sections.push((b"JSON", json.as_bytes().to_vec()));
    let mut jidx = Vec::with_capacity(4 + index.len() * 4);
    jidx.extend((matcher.priorities.len() as u32).to_le_bytes());
    for o in index {
        jidx.extend(o.to_le_bytes());
    }
    sections.push((b"JIDX", jidx));
    let mut body = Vec::new();
    for (tag, s) in &sections {
        body.extend(*tag);
        body.extend((s.len() as u32).to_le_bytes());
    }
    for (_, s) in &sections {
        body.extend(s);
    }
    let mut out = Vec::with_capacity(HEADER + body.len());
    out.extend(MAGIC);
    out.extend(FORMAT_VERSION.to_le_bytes());
    out.extend((sections.len() as u32).to_le_bytes());
    out.extend(checksum(&body).to_le_bytes());
    out.extend(body);
    out
}

impl Matcher {
    /// Loads a compiled gazetteer (made by [`Matcher::compile`] or `sorot compile`).
    /// `origin` names it in error messages. A file that is not a compiled gazetteer,
    /// of another format version, truncated or corrupt gives an error that says so;
    /// it never panics. With the `text` feature the entity data is read into
    /// [`Matcher::gazetteer`].
    ///
    /// ```
    /// let g = sorot::Gazetteer::from_json(r#"{"entities": [{"id": "a", "name": "Jakarta", "type": "LOC"}]}"#, "t").unwrap();
    /// let bytes = sorot::Matcher::new(g).unwrap().compile();
    /// let m = sorot::Matcher::from_compiled(&bytes, "t.sorot").unwrap();
    /// assert_eq!(m.find("Di Jakarta.").len(), 1);
    /// let err = sorot::Matcher::from_compiled(&bytes[..100], "t.sorot").err().unwrap();
    /// assert!(err.to_string().starts_with("t.sorot: compiled gazetteer: truncated"));
    /// ```
    pub fn from_compiled(bytes: &[u8], origin: &str) -> Result<Matcher, Error> {
        Ok(matcher_of(read(bytes, None, origin)?, origin)?.0)
    }

    /// The compiled gazetteer of this matcher: the automata, the form table, the
    /// entities' priorities and the gazetteer's JSON. Deterministic: the same
    /// gazetteer gives the same bytes.
    #[cfg(feature = "text")]
    pub fn compile(&self) -> Vec<u8> {
        let (json, index) = self.gazetteer.to_json_indexed();
        write(self, &json, &index)
    }
}

#[cfg(feature = "text")]
impl crate::Gazetteer {
    /// The gazetteer stored in a compiled gazetteer (its entity data), after checking
    /// the whole file as [`Matcher::from_compiled`] does: for merging it with others.
    pub fn from_compiled(bytes: &[u8], origin: &str) -> Result<crate::Gazetteer, Error> {
        crate::Gazetteer::from_json_of_any_size(read(bytes, None, origin)?.json, origin)
    }
}

/// The entity data (the JSON text of the gazetteer) stored in a compiled gazetteer,
/// after checking the whole file as [`Matcher::from_compiled`] does.
pub fn compiled_json<'a>(bytes: &'a [u8], origin: &str) -> Result<&'a str, Error> {
    Ok(read(bytes, None, origin)?.json)
}

/// A matcher, the entity JSON text of a compiled gazetteer and where each entity is
/// in it (`JIDX`: the head's end, then each entity's start and end, in bytes), read
/// once.
#[allow(clippy::type_complexity)]
pub fn load_compiled<'a>(
    bytes: &'a [u8],
    origin: &str,
) -> Result<(Matcher, &'a str, Vec<u32>), Error> {
    matcher_of(read(bytes, None, origin)?, origin)
}

/// A matcher of a compiled gazetteer whose automata read their arrays in `file`
/// itself, without a copy (for the wasm engine, which keeps the file), and where
/// the entity JSON text is in it.
#[allow(clippy::type_complexity)]
pub fn load_compiled_shared(
    file: &Arc<Vec<u8>>,
    origin: &str,
) -> Result<(Matcher, std::ops::Range<usize>, Vec<u32>), Error> {
    let (matcher, json, index) = matcher_of(read(file, Some(file), origin)?, origin)?;
    let start = json.as_ptr() as usize - file.as_ptr() as usize;
    Ok((matcher, start..start + json.len(), index))
}

/// The matcher that read parts make (with the text readers, also the gazetteer,
/// from the entity JSON, which must describe the entity table's entities), with
/// the entity JSON and its index.
#[allow(clippy::type_complexity)]
fn matcher_of<'a>(parts: Parts<'a>, origin: &str) -> Result<(Matcher, &'a str, Vec<u32>), Error> {
    #[cfg(feature = "text")]
    let gazetteer = {
        let g = crate::Gazetteer::from_json_of_any_size(parts.json, origin)?;
        if g.entities().len() != parts.priorities.len() {
            return Err(corrupt(
                origin,
                "corrupt: the entity data does not match the entity table",
            ));
        }
        g
    };
    #[cfg(not(feature = "text"))]
    let _ = origin;
    Ok((
        Matcher {
            scanners: parts.matcher_scanners,
            priorities: parts.priorities,
            #[cfg(feature = "text")]
            gazetteer,
        },
        parts.json,
        parts.index,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A compiled file of one ENTS section announcing `n` entities, sealed.
    #[cfg(feature = "text")]
    fn with_entities(n: u32) -> Vec<u8> {
        let mut ents = n.to_le_bytes().to_vec();
        ents.resize(4 + n as usize * 8, 0);
        let mut bytes = MAGIC.to_vec();
        bytes.extend(FORMAT_VERSION.to_le_bytes());
        bytes.extend(1u32.to_le_bytes());
        bytes.extend([0; 8]);
        bytes.extend(b"ENTS");
        bytes.extend((ents.len() as u32).to_le_bytes());
        bytes.extend(ents);
        reseal(&mut bytes);
        bytes
    }

    #[test]
    #[cfg(feature = "text")]
    fn the_entity_limit_applies_to_compiled_files() {
        let over = with_entities(crate::limits::MAX_ENTITIES as u32 + 1);
        let err = read(&over, None, "big.sorot").err().unwrap();
        assert_eq!(
            err.to_string(),
            "big.sorot: compiled gazetteer: 1,000,001 entities, more than the limit of 1,000,000"
        );
        // At the limit, the file is read further (and lacks its other sections).
        let at = with_entities(crate::limits::MAX_ENTITIES as u32);
        let err = read(&at, None, "big.sorot").err().unwrap();
        assert!(err.to_string().contains("a section is missing"), "{err}");
    }

    #[test]
    #[cfg(feature = "text")]
    fn a_form_both_capitalised_and_case_exact_is_refused() {
        let g = crate::Gazetteer::from_json(
            r#"{"entities": [{"id": "un", "name": "kim", "type": "ORG", "case": "exact"}]}"#,
            "t",
        )
        .unwrap();
        let mut m = Matcher::new(g).unwrap();
        assert!(read(&m.compile(), None, "ok.sorot").is_ok());
        // Only a file made by hand can have both rules: the matcher checks one.
        m.scanners[0].forms[0].capital = true;
        let err = read(&m.compile(), None, "both.sorot").err().unwrap();
        assert_eq!(
            err.to_string(),
            "both.sorot: compiled gazetteer: corrupt: a form of section SCAN is both capitalised and case-exact"
        );
    }

    #[test]
    fn decimal_numbers() {
        for n in [0u64, 7, 10, 1234567890, u64::MAX] {
            assert_eq!(decimal(n), n.to_string());
        }
    }
}
