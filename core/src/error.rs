//! The engine's one error type. Every variant carries where the problem is:
//! the policy and its TOML path or Rhai line and column, or the ticket and
//! its field. [`Error::kind`] gives an [`ErrorKind`] with a stable numeric
//! code (listed in `docs/errors.md`); [`ErrorObject`] is the serialisable
//! form every adapter (C, Python, CLI) hands to its host.

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
    ///
    /// # Examples
    ///
    /// ```
    /// let at = aftersales::Location::path("targets[0].target");
    /// assert_eq!(at.path, "targets[0].target");
    /// assert_eq!(at.line, None);
    /// assert!(!at.is_empty());
    /// ```
    pub fn path(path: impl Into<String>) -> Self {
        Location {
            path: path.into(),
            line: None,
            column: None,
        }
    }
}

impl Location {
    /// Whether the location says nothing (no path, line or column).
    pub fn is_empty(&self) -> bool {
        self.path.is_empty() && self.line.is_none() && self.column.is_none()
    }
}

/// `` `path` (line L, column C) ``, `` `path` ``, or `line L, column C`
/// when there is no path: never a stray space.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = match (self.line, self.column) {
            (Some(line), Some(column)) => Some(format!("line {line}, column {column}")),
            (Some(line), None) => Some(format!("line {line}")),
            _ => None,
        };
        match (self.path.is_empty(), place) {
            (false, Some(place)) => write!(f, "`{}` ({place})", self.path),
            (false, None) => write!(f, "`{}`", self.path),
            (true, Some(place)) => f.write_str(&place),
            (true, None) => Ok(()),
        }
    }
}

/// The message of a policy error: `` policy `p`, <location>: message ``,
/// or `` policy `p`: message `` when the place is unknown.
fn policy_message(policy: &str, location: &Location, message: &str) -> String {
    if location.is_empty() {
        format!("policy `{policy}`: {message}")
    } else {
        format!("policy `{policy}`, {location}: {message}")
    }
}

/// The message of a ticket error: `` ticket `T-1`, field `f`: message ``;
/// a ticket with no id is `a ticket without an id`, and no field is named
/// when there is none.
fn ticket_message(ticket: &str, field: &str, message: &str) -> String {
    let ticket = if ticket.is_empty() {
        "a ticket without an id".to_string()
    } else {
        format!("ticket `{ticket}`")
    };
    if field.is_empty() {
        format!("{ticket}: {message}")
    } else {
        format!("{ticket}, field `{field}`: {message}")
    }
}

/// The kind of an error, with a stable numeric code.
///
/// Codes never change meaning once released; new kinds get new codes (the
/// enum is `#[non_exhaustive]`). `0` is never an error code: the C API uses
/// it for success, and codes from 100 up belong to the C boundary itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
#[repr(u32)]
pub enum ErrorKind {
    /// The policy manifest or its rules do not compile.
    Policy = 1,
    /// A ticket is invalid: a missing or malformed field.
    Ticket = 2,
    /// A Rhai rule failed, returned a value of the wrong shape or exceeded a
    /// limit while evaluating a ticket.
    Rule = 3,
    /// A calendar definition is invalid, or a calendar operation has no answer.
    Calendar = 4,
    /// A file could not be read.
    Io = 5,
    /// A request is malformed: not JSON, not UTF-8, an `as_of` that is not
    /// an instant, an option the engine does not know.
    Input = 6,
    /// A rule call ran past the wall-clock backstop (`[policy]
    /// rule_time_limit`): the machine stalled or a built-in function ran
    /// long. Unlike every other kind it says nothing about the policy or
    /// the ticket: the same call may succeed when retried.
    Timeout = 7,
}

impl ErrorKind {
    /// Every kind, in code order.
    pub const ALL: [ErrorKind; 7] = [
        ErrorKind::Policy,
        ErrorKind::Ticket,
        ErrorKind::Rule,
        ErrorKind::Calendar,
        ErrorKind::Io,
        ErrorKind::Input,
        ErrorKind::Timeout,
    ];

    /// The stable numeric code.
    ///
    /// # Examples
    ///
    /// ```
    /// use aftersales::ErrorKind;
    ///
    /// assert_eq!(ErrorKind::Ticket.code(), 2);
    /// assert_eq!(ErrorKind::Ticket.as_str(), "ticket");
    /// assert_eq!(ErrorKind::from_code(2), Some(ErrorKind::Ticket));
    /// ```
    pub fn code(self) -> u32 {
        self as u32
    }

    /// The stable name: `policy`, `ticket`, `rule`, `calendar`, `io`,
    /// `input`, `timeout`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Policy => "policy",
            ErrorKind::Ticket => "ticket",
            ErrorKind::Rule => "rule",
            ErrorKind::Calendar => "calendar",
            ErrorKind::Io => "io",
            ErrorKind::Input => "input",
            ErrorKind::Timeout => "timeout",
        }
    }

    /// The kind with this code, if any.
    pub fn from_code(code: u32) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything that can go wrong compiling a policy or evaluating a ticket.
///
/// # Examples
///
/// ```
/// use aftersales::{ErrorKind, Ticket};
///
/// let error = Ticket::from_json(r#"{"id": "T-1"}"#).unwrap_err();
/// assert_eq!(error.kind(), ErrorKind::Ticket);
/// let object = error.to_object();
/// assert_eq!(object.kind, ErrorKind::Ticket);
/// assert_eq!(object.code, 2);
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The policy manifest or its rules are invalid.
    #[error("{}", policy_message(.policy, .location, .message))]
    Policy {
        /// Policy id (or file name before the id is known).
        policy: String,
        /// Where in the manifest.
        location: Location,
        /// What is wrong and what was expected.
        message: String,
    },
    /// A ticket is invalid.
    #[error("{}", ticket_message(.ticket, .field, .message))]
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
    /// A rule call ran past the wall-clock backstop: not a fault of the
    /// rule (its work is bounded by operations) but of the machine or a
    /// built-in function that stalled.
    #[error("policy `{policy}`, rule `{function}`{}: {message}", .location.line.map(|l| format!(" (line {l})")).unwrap_or_default())]
    Timeout {
        /// Policy id.
        policy: String,
        /// The Rhai function (or TOML path of an inline expression).
        function: String,
        /// Where the call was when it was stopped, when known.
        location: Location,
        /// What happened, naming the backstop.
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
    /// A request is malformed (not JSON, not UTF-8, a bad `as_of`).
    #[error("{}{message}", if .field.is_empty() { String::new() } else { format!("`{}`: ", .field) })]
    Input {
        /// What part of the request: `as_of`, `tickets[3]`, `line 12` …
        field: String,
        /// Line and column in the request text, when known.
        location: Location,
        /// What is wrong and what was expected.
        message: String,
    },
}

impl Error {
    /// The kind of error, with its stable code.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Policy { .. } => ErrorKind::Policy,
            Error::Ticket { .. } => ErrorKind::Ticket,
            Error::Rule { .. } => ErrorKind::Rule,
            Error::Timeout { .. } => ErrorKind::Timeout,
            Error::Calendar(_) => ErrorKind::Calendar,
            Error::Io { .. } => ErrorKind::Io,
            Error::Input { .. } => ErrorKind::Input,
        }
    }

    /// A malformed request.
    pub fn input(field: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Input {
            field: field.into(),
            location: Location::default(),
            message: message.into(),
        }
    }

    /// The serialisable form, as every adapter reports it.
    ///
    /// # Examples
    ///
    /// ```
    /// use aftersales::{ErrorKind, Policy};
    ///
    /// let error = Policy::from_toml_str("[policy]\nid = \"p\"\nversion = \"1\"\ntimezone = \"Mars/Base\"\n")
    ///     .unwrap_err()
    ///     .to_object();
    /// assert_eq!(error.kind, ErrorKind::Policy);
    /// assert_eq!(error.policy.as_deref(), Some("p"));
    /// assert!(serde_json::to_string(&error).unwrap().contains("\"kind\":\"policy\""));
    /// ```
    pub fn to_object(&self) -> ErrorObject {
        ErrorObject::from(self)
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

/// An error as adapters report it: `{kind, code, message, policy, location,
/// ticket, field}`. Every key is always present (`null` when it does not
/// apply), so a host can read the object without checking for keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct ErrorObject {
    /// The kind: `policy`, `ticket`, `rule`, `calendar`, `io`, `input`,
    /// `timeout`.
    pub kind: ErrorKind,
    /// The kind's stable numeric code (`docs/errors.md`).
    pub code: u32,
    /// The whole message, naming the field and place.
    pub message: String,
    /// The policy concerned (its id, or its file before the id is known).
    pub policy: Option<String>,
    /// Where in the policy (TOML path or Rhai function, line, column), or
    /// in the request text.
    pub location: Option<Location>,
    /// The ticket concerned.
    pub ticket: Option<String>,
    /// The ticket field (`events[3].at`), or the part of the request.
    pub field: Option<String>,
}

fn non_empty(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_string())
}

impl From<&Error> for ErrorObject {
    fn from(error: &Error) -> Self {
        let (policy, location, ticket, field) = match error {
            Error::Policy {
                policy, location, ..
            } => (non_empty(policy), Some(location.clone()), None, None),
            Error::Ticket { ticket, field, .. } => {
                (None, None, non_empty(ticket), non_empty(field))
            }
            Error::Rule {
                policy,
                function,
                location,
                ..
            }
            | Error::Timeout {
                policy,
                function,
                location,
                ..
            } => (
                non_empty(policy),
                Some(Location {
                    path: if location.path.is_empty() {
                        function.clone()
                    } else {
                        location.path.clone()
                    },
                    ..location.clone()
                }),
                None,
                None,
            ),
            Error::Calendar(CalendarError::Invalid {
                calendar, field, ..
            }) => (
                None,
                Some(Location::path(if field.is_empty() {
                    format!("calendars.{calendar}")
                } else {
                    format!("calendars.{calendar}.{field}")
                })),
                None,
                None,
            ),
            Error::Calendar(_) => (None, None, None, None),
            Error::Io { path, .. } => (None, Some(Location::path(path.clone())), None, None),
            Error::Input {
                field, location, ..
            } => (
                None,
                (location != &Location::default()).then(|| location.clone()),
                None,
                non_empty(field),
            ),
        };
        ErrorObject {
            kind: error.kind(),
            code: error.kind().code(),
            message: error.to_string(),
            policy,
            location,
            ticket,
            field,
        }
    }
}

impl ErrorObject {
    /// Names the policy when the error itself does not (a ticket or
    /// calendar error met while evaluating with a known policy).
    pub fn with_policy(mut self, policy: &str) -> Self {
        if self.policy.is_none() {
            self.policy = non_empty(policy);
        }
        self
    }

    /// Names the ticket when the error itself does not.
    pub fn with_ticket(mut self, ticket: &str) -> Self {
        if self.ticket.is_none() {
            self.ticket = non_empty(ticket);
        }
        self
    }
}

/// The engine's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
