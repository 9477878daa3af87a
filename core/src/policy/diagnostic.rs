//! Findings of `check`: errors that stop a policy from compiling and
//! warnings about what is probably not meant.

use crate::error::{Error, Location};
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

/// One finding, with its place in the manifest or script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Diagnostic {
    /// Error or warning.
    pub level: Level,
    /// Where.
    pub location: Location,
    /// What, and what to do about it.
    pub message: String,
}

impl Diagnostic {
    /// A warning at a TOML path.
    pub fn warning(path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Warning,
            location: Location::path(path),
            message: message.into(),
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
            location,
            message,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        write!(f, "{level}: {}: {}", self.location, self.message)
    }
}
