//! The engine's one error type. Every variant carries where the problem is:
//! the policy and its TOML path or Rhai line and column, or the ticket and
//! its field. Adapters (C, Python, CLI) map [`Error::kind`] to their own
//! error codes and exception classes.

use crate::calendar::CalendarError;
use serde::Serialize;
use std::fmt;

/// Where in a policy a problem is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Location {
    /// TOML path (`targets[2].target.critical`) or Rhai function name.
    pub path: String,
    /// 1-based line in the TOML or Rhai source, when known.
    pub line: Option<u32>,
    /// 1-based column, when known.
    pub column: Option<u32>,
}

impl Location {
    /// A location known only by its path.
    pub fn path(path: impl Into<String>) -> Self {
        Location {
            path: path.into(),
            line: None,
            column: None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.path.is_empty() {
            write!(f, "`{}`", self.path)?;
        }
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, " (line {line}, column {column})"),
            (Some(line), None) => write!(f, " (line {line})"),
            _ => Ok(()),
        }
    }
}

/// Everything that can go wrong compiling a policy or evaluating a ticket.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The policy manifest or its rules are invalid.
    #[error("policy `{policy}`, {location}: {message}")]
    Policy {
        /// Policy id (or file name before the id is known).
        policy: String,
        /// Where in the manifest.
        location: Location,
        /// What is wrong and what was expected.
        message: String,
    },
    /// A ticket is invalid.
    #[error("ticket `{ticket}`, field `{field}`: {message}")]
    Ticket {
        /// Ticket id (empty when the id itself is missing).
        ticket: String,
        /// Field path, e.g. `events[3].at` or `work.parts[0].qty`.
        field: String,
        /// What is wrong and what was expected.
        message: String,
    },
    /// A Rhai rule failed while evaluating a ticket.
    #[error("policy `{policy}`, rule `{function}`{}: {message}", .location.line.map(|l| format!(" (line {l})")).unwrap_or_default())]
    Rule {
        /// Policy id.
        policy: String,
        /// The Rhai function (or TOML path of an inline expression).
        function: String,
        /// Line and column in the script, when known.
        location: Location,
        /// What happened, naming the limit when one was hit.
        message: String,
    },
    /// A calendar operation failed (bad definition or no open time).
    #[error("{0}")]
    Calendar(#[from] CalendarError),
    /// A policy file could not be read.
    #[error("cannot read `{path}`: {message}")]
    Io {
        /// The path.
        path: String,
        /// The operating system's reason.
        message: String,
    },
}

impl Error {
    /// A short, stable name of the kind of error: `policy`, `ticket`,
    /// `rule`, `calendar` or `io`.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Policy { .. } => "policy",
            Error::Ticket { .. } => "ticket",
            Error::Rule { .. } => "rule",
            Error::Calendar(_) => "calendar",
            Error::Io { .. } => "io",
        }
    }

    /// A ticket error.
    pub fn ticket(ticket: &str, field: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Ticket {
            ticket: ticket.to_string(),
            field: field.into(),
            message: message.into(),
        }
    }

    /// A policy error at a TOML path.
    pub fn policy(policy: &str, path: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Policy {
            policy: policy.to_string(),
            location: Location::path(path),
            message: message.into(),
        }
    }
}

/// The engine's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
