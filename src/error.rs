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
enum ErrorKind {
    /// The text is not well-formed (JSON, TSV, ...): one message with its position.
    Syntax { source: String, message: String },
    /// The gazetteer is well-formed but breaks the format's rules.
    Invalid {
        source: String,
        problems: Vec<String>,
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

    pub(crate) fn invalid(source: &str, problems: Vec<String>) -> Error {
        Error {
            kind: ErrorKind::Invalid {
                source: source.to_string(),
                problems,
            },
        }
    }

    /// The individual problems, one message each (a syntax error gives one).
    pub fn problems(&self) -> Vec<String> {
        match &self.kind {
            ErrorKind::Syntax { message, .. } => vec![message.clone()],
            ErrorKind::Invalid { problems, .. } => problems.clone(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::Syntax { source, message } => write!(f, "{source}: {message}"),
            ErrorKind::Invalid { source, problems } => match problems.as_slice() {
                [one] => write!(f, "{source}: {one}"),
                many => {
                    write!(f, "{source}: {} problems:", many.len())?;
                    for p in many {
                        write!(f, "\n  {p}")?;
                    }
                    Ok(())
                }
            },
        }
    }
}

impl std::error::Error for Error {}
