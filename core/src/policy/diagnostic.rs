//! Findings of `check`: errors that stop a policy from compiling and
//! warnings about what is probably not meant, collected by every domain's
//! compile into one [`Diagnostics`] list.

use super::locate::SourceMap;
use crate::error::{Error, ErrorKind, Location};
use serde::Serialize;
use std::fmt;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The policy cannot be used.
    Error,
    /// The policy works, but probably not as meant.
    Warning,
}

/// One finding, with its kind and its place in the manifest or script.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Diagnostic {
    /// Error or warning.
    pub level: Level,
    /// The kind of error, as [`Error::kind`] gives it: `policy`,
    /// `calendar`, `rule`, `io`; `policy` for a warning.
    pub kind: ErrorKind,
    /// Where: the TOML path (or Rhai source), with its line and column.
    pub location: Location,
    /// What, and what to do about it.
    pub message: String,
    /// The error itself, so that it comes back unchanged (kind included)
    /// when a policy that fails to compile is turned into an [`Error`].
    #[serde(skip)]
    #[schemars(skip)]
    error: Option<Error>,
}

impl PartialEq for Diagnostic {
    fn eq(&self, other: &Self) -> bool {
        (self.level, &self.kind, &self.location, &self.message)
            == (other.level, &other.kind, &other.location, &other.message)
    }
}

impl Eq for Diagnostic {}

impl Diagnostic {
    /// A warning at a TOML path.
    pub fn warning(path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Warning,
            kind: ErrorKind::Policy,
            location: Location::path(path),
            message: message.into(),
            error: None,
        }
    }

    /// The diagnostic for an error.
    pub fn from_error(error: &Error) -> Self {
        let (location, message) = match error {
            Error::Policy {
                location, message, ..
            } => (location.clone(), message.clone()),
            Error::Rule {
                function,
                location,
                message,
                ..
            } => (
                Location {
                    path: if location.path.is_empty() {
                        function.clone()
                    } else {
                        location.path.clone()
                    },
                    ..location.clone()
                },
                message.clone(),
            ),
            Error::Calendar(crate::CalendarError::Invalid {
                calendar,
                field,
                message,
            }) => (
                Location::path(if field.is_empty() {
                    format!("calendars.{calendar}")
                } else {
                    format!("calendars.{calendar}.{field}")
                }),
                message.clone(),
            ),
            other => (Location::default(), other.to_string()),
        };
        Diagnostic {
            level: Level::Error,
            kind: error.kind(),
            location,
            message,
            error: Some(error.clone()),
        }
    }

    /// The error this diagnostic reports, for a policy of id `policy`: the
    /// original error with its kind, the policy id and the line and column
    /// found for it. A warning gives a policy error.
    pub fn to_error(&self, policy: &str) -> Error {
        match self.error.clone() {
            Some(Error::Policy { message, .. }) => Error::Policy {
                policy: policy.to_string(),
                location: self.location.clone(),
                message,
            },
            Some(Error::Rule {
                function,
                location,
                message,
                ..
            }) => Error::Rule {
                policy: policy.to_string(),
                function,
                location: Location {
                    line: location.line.or(self.location.line),
                    column: location.column.or(self.location.column),
                    ..location
                },
                message,
            },
            Some(other) => other,
            None => Error::Policy {
                policy: policy.to_string(),
                location: self.location.clone(),
                message: self.message.clone(),
            },
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.level {
            Level::Error => write!(f, "error[{}]", self.kind)?,
            Level::Warning => write!(f, "warning")?,
        }
        if self.location.is_empty() {
            write!(f, ": {}", self.message)
        } else {
            write!(f, ": {}: {}", self.location, self.message)
        }
    }
}

/// The one collector every domain's compile reports into: errors and
/// warnings in the order found, never stopping at the first.
#[derive(Debug, Default)]
pub(crate) struct Diagnostics {
    /// The policy's id, for the errors made here.
    pub policy: String,
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty collector for policy `policy`.
    pub fn new(policy: &str) -> Diagnostics {
        Diagnostics {
            policy: policy.to_string(),
            items: Vec::new(),
        }
    }

    /// Records an error.
    pub fn error(&mut self, error: Error) {
        self.items.push(Diagnostic::from_error(&error));
    }

    /// Records a finding made elsewhere (a policy set's version) as it is.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Records a policy error at a TOML path.
    pub fn at(&mut self, path: impl Into<String>, message: impl Into<String>) {
        let error = Error::policy(&self.policy, path, message);
        self.error(error);
    }

    /// Records a warning at a TOML path.
    pub fn warn(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.items.push(Diagnostic::warning(path, message));
    }

    /// Whether an error was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.level == Level::Error)
    }

    /// The warnings so far, located in `text`.
    pub fn warnings(&self, text: &str) -> Vec<Diagnostic> {
        locate(
            self.items
                .iter()
                .filter(|d| d.level == Level::Warning)
                .cloned()
                .collect(),
            text,
        )
    }

    /// The findings, each located in `text` by its TOML path when it has
    /// no line yet.
    pub fn located(self, text: &str) -> Vec<Diagnostic> {
        locate(self.items, text)
    }
}

/// Gives each finding without a line the line and column of its TOML path
/// in `text`. The text is parsed for its spans only when a finding needs
/// them, and once for all of them; lines are found by a binary search, so
/// that locating is linear in the text and the findings together.
fn locate(items: Vec<Diagnostic>, text: &str) -> Vec<Diagnostic> {
    if items.iter().all(|d| d.location.line.is_some()) {
        return items;
    }
    let map = SourceMap::new(text);
    let lines = Lines::new(text);
    items
        .into_iter()
        .map(|mut d| {
            if d.location.line.is_none() {
                if let Some(offset) = map.offset(&d.location.path) {
                    let (line, column) = lines.line_column(offset);
                    d.location.line = Some(line);
                    d.location.column = Some(column);
                }
            }
            d
        })
        .collect()
}

/// Where each line of a text starts, to turn byte offsets into lines and
/// columns without counting from the start each time.
struct Lines<'a> {
    text: &'a str,
    /// The byte offset of each line's first byte: 0, then one past each `\n`.
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { text, starts }
    }

    /// The 1-based line and column (in characters) of byte `offset`, as
    /// [`super::compile::line_column`] counts them.
    fn line_column(&self, offset: usize) -> (u32, u32) {
        let offset = if self.text.get(..offset).is_some() {
            offset
        } else {
            self.text.len()
        };
        let line = self.starts.partition_point(|start| *start <= offset);
        let start = line
            .checked_sub(1)
            .and_then(|i| self.starts.get(i))
            .copied()
            .unwrap_or(0);
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |l| l.chars().count())
            + 1;
        (
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(column).unwrap_or(u32::MAX),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::Lines;

    /// Offsets on the first line, at a newline, just after it, inside a
    /// multi-byte character and past the end: the same line and column as the
    /// count from the start of the text.
    #[test]
    fn lines_agree_with_counting_from_the_start() {
        let text = "a = 1\nbé = \"x\"\n\nlast";
        let lines = Lines::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                lines.line_column(offset),
                super::super::compile::line_column(text, offset),
                "offset {offset}"
            );
        }
        // "bé = " is 6 bytes, 5 characters: byte 6 + 6 = 12 is line 2, column 6.
        assert_eq!(lines.line_column(12), (2, 6));
        // Byte 16 starts the empty third line; 17 starts "last".
        assert_eq!(lines.line_column(16), (3, 1));
        assert_eq!(lines.line_column(17), (4, 1));
    }
}
