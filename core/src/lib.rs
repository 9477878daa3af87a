//! # aftersales
//!
//! An engine that evaluates after-sales service policies: severity levels,
//! response-time promises, warranty scope, statutory remedies, fee schedules
//! and breach credits. A policy is a TOML manifest plus Rhai rules; it is
//! compiled once into an immutable [`Policy`] and evaluated against tickets.
//!
//! ```
//! use aftersales::{MetricStatus, Policy, Ticket};
//!
//! let policy = Policy::from_toml_str(
//!     r#"
//! [policy]
//! id = "small"
//! version = "1"
//! timezone = "Asia/Shanghai"
//!
//! [[targets]]
//! metric = "respond"
//! stop = "resolved"
//! target = "2h"
//! "#,
//! )?;
//! let ticket = Ticket::from_json(r#"{"id": "T-1", "opened_at": "2026-03-02T09:00:00+08:00"}"#)?;
//! let as_of = "2026-03-02T12:00:00+08:00".parse()?;
//! let evaluation = policy.evaluate(&ticket, as_of)?;
//! assert_eq!(evaluation.sla[0].current.status, MetricStatus::Breached);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! What a Rust program uses, all at the crate root:
//! - the policy: [`Policy`], [`PolicySource`], its [`Diagnostic`]s
//!   (each at a [`Level`]) and its [`LimitsSection`];
//! - the ticket: [`Ticket`], read from JSON;
//! - the answer: [`Evaluation`] (made with [`EvaluateOptions`]), its
//!   [`MetricResult`]s and [`MetricStatus`], its [`WarrantyDecision`],
//!   [`WarrantyStatus`] and [`RemedyKind`], its [`TraceEntry`]s, and the
//!   reasons behind every decision: [`Reason`], [`Code`], [`Term`], written
//!   in a [`Lang`] or kept as codes ([`Because`]);
//! - many tickets: a [`Portfolio`] that folds answers into a [`Report`],
//!   and the [`TicketRow`] of one answer that every table is laid out from
//!   ([`COLUMNS`], [`ClockRow`], [`BillRow`]);
//! - values: [`Money`] and [`Rounding`], [`Duration`],
//!   [`ServiceDuration`], [`CalendarPeriod`], and business calendars
//!   ([`Calendar`], [`CalendarSpec`], [`Zone`]);
//! - errors: [`Error`], its [`ErrorKind`], its [`Location`], and the
//!   [`ErrorObject`] every host receives.
//!
//! Hosts that speak JSON (the command line, the C library, the Python
//! wheel) go through the façade, [`api`]: a policy from a source, tickets
//! as JSON text, one JSON answer per ticket. [`marker`] names the typed
//! values of the engine's serialisation, [`rule_limits`] the bounds on Rhai
//! rules. `docs/architecture.md` describes the modules inside.

pub mod api;
pub(crate) mod calendar;
pub(crate) mod credits;
pub(crate) mod duration;
pub(crate) mod error;
pub(crate) mod evaluation;
pub(crate) mod fees;
pub(crate) mod kpi;
pub(crate) mod lang;
pub mod marker;
pub(crate) mod money;
pub(crate) mod policy;
pub(crate) mod portfolio;
pub(crate) mod reason;
pub(crate) mod rules;
pub(crate) mod settlement;
pub(crate) mod sla;
#[cfg(feature = "testing")]
pub mod testing;
pub(crate) mod ticket;
pub(crate) mod warranty;

pub use calendar::{Calendar, CalendarError, CalendarSpec, HolidaySpec, OverrideSpec, Zone};
pub use duration::{CalendarPeriod, Duration, ServiceDuration};
pub use error::{Error, ErrorKind, ErrorObject, Location, Result};
pub use evaluation::{EvaluateOptions, Evaluation, PropertyViolation, TraceEntry};
pub use money::{Money, Rounding};
pub use policy::{Diagnostic, Level, LimitsSection, Policy, PolicySource, MAX_POLICY_BYTES};
pub use portfolio::{BillRow, ClockRow, Portfolio, Report, TicketRow, COLUMNS};
pub use reason::{Because, Code, Lang, Reason, Term};
pub use rules::limits as rule_limits;
pub use sla::{Cycle, Escalation, EscalationState, Held, MetricResult, MetricStatus};
pub use ticket::Ticket;
pub use warranty::{RemedyKind, WarrantyDecision, WarrantyStatus};

/// The Rust examples of `docs/api.md`, run as doc tests so that the page
/// describes the API as it is.
#[cfg(doctest)]
#[doc = include_str!("../../docs/api.md")]
struct ApiDocs;
