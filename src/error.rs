//! The crate's one error type.

use std::fmt;

/// An error from loading a gazetteer or reading input.
///
/// The message says what was wrong and where, for example
/// `gazetteer "Berita": entities[11] ("kim-jong-un"): aliases[2] is empty`.
/// Several problems found in one gazetteer are reported together, one per line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(not(feature = "text"), allow(dead_code))]
enum ErrorKind {
    /// The text is not well-formed (JSON, TSV, ...): one message with its position.
    Syntax { source: String, message: String },
    /// The gazetteer is well-formed but breaks the format's rules.
    Invalid {
        source: String,
        problems: Vec<String>,
        /// How many problems were found: more than listed when the list was cut.
        total: usize,
    },
}

impl Error {
    pub(crate) fn syntax(source: &str, message: impl Into<String>) -> Error {
        Error {
            kind: ErrorKind::Syntax {
                source: source.to_string(),
                message: message.into(),
            },
        }
    }

    #[cfg_attr(not(feature = "text"), allow(dead_code))]
    pub(crate) fn invalid(source: &str, problems: Vec<String>) -> Error {
        let total = problems.len();
        Error::invalid_of(source, problems, total)
    }

    /// The first problems found, of `total` (at least as many as listed).
    #[cfg_attr(not(feature = "text"), allow(dead_code))]
    pub(crate) fn invalid_of(source: &str, problems: Vec<String>, total: usize) -> Error {
        Error {
            kind: ErrorKind::Invalid {
                source: source.to_string(),
                total: total.max(problems.len()),
                problems,
            },
        }
    }

    /// The individual problems, one message each (a syntax error gives one): the
    /// first ones found when there were many (see [`Error::count`]).
    pub fn problems(&self) -> Vec<String> {
        match &self.kind {
            ErrorKind::Syntax { message, .. } => vec![message.clone()],
            ErrorKind::Invalid { problems, .. } => problems.clone(),
        }
    }

    /// How many problems were found: [`Error::problems`] lists the first 100 of them.
    pub fn count(&self) -> usize {
        match &self.kind {
            ErrorKind::Syntax { .. } => 1,
            ErrorKind::Invalid { total, .. } => *total,
        }
    }
}

impl Error {
    /// The message as [`Display`](fmt::Display) writes it, made without the
    /// formatting machinery (which the small wasm module leaves out).
    pub(crate) fn message(&self) -> String {
        let mut m = String::new();
        match &self.kind {
            ErrorKind::Syntax { source, message } => {
                m.push_str(source);
                m.push_str(": ");
                m.push_str(message);
            }
            ErrorKind::Invalid {
                source,
                problems,
                total,
            } => {
                m.push_str(source);
                m.push_str(": ");
                match problems.as_slice() {
                    [one] if *total == 1 => m.push_str(one),
                    many => {
                        m.push_str(&crate::limits::grouped(*total as u64));
                        m.push_str(" problems");
                        if many.len() < *total {
                            m.push_str(" (the first ");
                            m.push_str(&crate::limits::grouped(many.len() as u64));
                            m.push_str(" listed)");
                        }
                        m.push(':');
                        for p in many {
                            m.push_str("\n  ");
                            m.push_str(p);
                        }
                    }
                }
            }
        }
        m
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for Error {}
