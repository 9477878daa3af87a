//! # aftersales
//!
//! An engine that evaluates after-sales service policies: severity levels,
//! response-time promises, warranty scope, statutory remedies, fee schedules
//! and breach credits. A policy is a TOML manifest plus Rhai rules; it is
//! compiled once into an immutable [`Policy`] and evaluated against tickets.
//!
//! The engine's modules, one per domain idea:
//! - [`calendar`]: business calendars, when a service clock runs;
//! - [`duration`]: durations as written in policies and tickets;
//! - [`money`]: exact decimal amounts and rounding;
//! - [`ticket`]: tickets as CRMs send them;
//! - [`error`]: the one error type, with locations;
//! - [`marker`]: the names that mark money, instants, dates and durations
//!   in the engine's serialisation, for hosts that build typed values.

pub mod api;
pub mod calendar;
pub mod credits;
pub mod duration;
pub mod error;
pub mod evaluation;
pub mod fees;
pub mod kpi;
pub(crate) mod lang;
pub mod marker;
pub mod money;
pub mod policy;
pub mod portfolio;
pub mod reason;
pub(crate) mod rules;
pub mod settlement;
pub mod sla;
#[cfg(feature = "testing")]
pub mod testing;
pub mod ticket;
pub mod warranty;

pub use calendar::{Calendar, CalendarError, CalendarSpec, Zone};
pub use duration::{CalendarPeriod, Duration, ServiceDuration};
pub use error::{Error, ErrorKind, ErrorObject, Location, Result};
pub use evaluation::{EvaluateOptions, Evaluation, PropertyViolation};
pub use money::{Money, Rounding};
pub use policy::{Diagnostic, Policy, PolicySource};
pub use portfolio::{Portfolio, Report};
pub use reason::{Because, Lang, Reason};
pub use rules::limits as rule_limits;
pub use ticket::Ticket;

/// The Rust examples of `docs/api.md`, run as doc tests so that the page
/// describes the API as it is.
#[cfg(doctest)]
#[doc = include_str!("../../docs/api.md")]
struct ApiDocs;
