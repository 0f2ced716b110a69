//! The matcher as it was before candidates were grouped by form (one candidate per
//! entity a form could name, resolved one by one): slow where many entities share a
//! form, but simple. The tests and the `find` fuzz target check that
//! [`Matcher::find_with`] gives exactly its matches. It shares with the matcher
//! what the grouping left as it was: the whole-word scan and the ranking of the
//! entities of a span.

use std::cmp::Reverse;

use super::{normalize, Candidates, EntitySet, FindOptions, Fold, Match, Matcher, Overlap};

#[derive(Clone, Copy)]
struct One {
    start: usize,
    end: usize,
    start16: usize,
    end16: usize,
    entity: u32,
    short: bool,
    pattern: (usize, u32),
}

impl Matcher {
    /// The matches of [`Matcher::find_with`], found the old way (see the module).
    pub(crate) fn find_reference(&self, text: &str, options: FindOptions) -> Vec<Match> {
        let mut candidates = self.each_candidate(text);
        let mut mentioned = EntitySet::new(self.priorities.len());
        for c in candidates.iter().filter(|c| !c.short) {
            mentioned.insert(c.entity);
        }
        candidates.retain(|c| !c.short || mentioned.contains(c.entity));
        candidates.sort_unstable_by_key(|c| (c.start, Reverse(c.end), c.entity, c.short));
        candidates.dedup_by_key(|c| (c.start, c.end, c.entity));
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for (i, c) in candidates.iter().enumerate() {
            match spans.last_mut() {
                Some(s) if candidates[s.0].start == c.start && candidates[s.0].end == c.end => {
                    s.1 = i + 1
                }
                _ => spans.push((i, i + 1)),
            }
        }
        let mut unambiguous = EntitySet::new(self.priorities.len());
        for s in spans.iter().filter(|s| s.1 - s.0 == 1) {
            unambiguous.insert(candidates[s.0].entity);
        }
        let mut out: Vec<Match> = Vec::new();
        let mut last_end = 0;
        let mut last_pattern = None;
        let mut open: Vec<usize> = Vec::new();
        for (from, to) in spans {
            let span = &candidates[from..to];
            let first = &span[0];
            if options.overlap == Overlap::Longest {
                if first.start < last_end {
                    if first.end > last_end {
                        if let Some(prev) = out.last_mut() {
                            let other = span.iter().find(|c| {
                                c.entity as usize == prev.entity
                                    && !c.short
                                    && Some(c.pattern) != last_pattern
                            });
                            if let (false, 1, Some(c)) = (prev.short, prev.candidates.len(), other)
                            {
                                prev.end_byte = first.end;
                                prev.end_utf16 = first.end16;
                                last_end = first.end;
                                last_pattern = Some(c.pattern);
                            }
                        }
                    }
                    continue;
                }
                last_end = first.end;
            }
            let mut entities: Vec<&One> = span.iter().collect();
            let reason = self.rank(&mut entities, |e| e.entity, &unambiguous);
            let m = Match {
                start_byte: first.start,
                end_byte: first.end,
                start_utf16: first.start16,
                end_utf16: first.end16,
                entity: entities[0].entity as usize,
                short: entities[0].short,
                candidates: Candidates::from_iter(entities.iter().map(|e| e.entity as usize)),
                reason,
            };
            last_pattern = Some(entities[0].pattern);
            if options.overlap == Overlap::All {
                open.retain(|&i| out[i].end_byte > m.start_byte);
                let same = |&i: &usize| out[i].entity == m.entity && out[i].end_byte >= m.end_byte;
                if open.iter().any(same) {
                    continue;
                }
                open.push(out.len());
            }
            out.push(m);
        }
        out
    }

    /// A candidate per form that matches, each with its one entity.
    fn each_candidate(&self, text: &str) -> Vec<One> {
        let mut out = Vec::new();
        self.whole_words(
            text,
            |number, scanner, pattern, (start, end), (start16, end16)| {
                let cased = Fold {
                    case: false,
                    ..scanner.fold
                };
                let written = normalize::normalize(&text[start..end], cased);
                let capital = text[start..end].chars().any(char::is_uppercase);
                let p = pattern as usize;
                let forms =
                    &scanner.forms[scanner.starts[p] as usize..scanner.starts[p + 1] as usize];
                for form in forms {
                    if (form.capital && !capital)
                        || form.exact.as_deref().is_some_and(|e| *e != *written)
                    {
                        continue;
                    }
                    out.push(One {
                        start,
                        end,
                        start16,
                        end16,
                        entity: form.entity,
                        short: form.short,
                        pattern: (number, pattern),
                    });
                }
            },
        );
        out
    }
}
