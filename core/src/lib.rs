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
//! ## Examples by task
//!
//! Each root name is shown at work in an example: on its own page, on one
//! of its methods, or in one of the four below (the types that describe a
//! JSON Schema keep their doc text for the schema's descriptions).
//!
//! **A policy and its findings**: [`Policy`], [`PolicySource`],
//! [`Diagnostic`] at a [`Level`] and [`Location`], [`LimitsSection`],
//! [`MAX_POLICY_BYTES`], an [`Error`] as the [`ErrorObject`] hosts receive,
//! [`Result`].
//!
//! ```
//! use aftersales::{Diagnostic, ErrorKind, ErrorObject, Level, LimitsSection, Policy, PolicySource};
//! use aftersales::MAX_POLICY_BYTES;
//! use std::collections::BTreeMap;
//!
//! // `2x` is no duration: the finding names the field, its line and column.
//! let toml = "[policy]\nid = \"p\"\nversion = \"1\"\ntimezone = \"UTC\"\n\
//!             [[targets]]\nmetric = \"respond\"\nstop = \"resolved\"\ntarget = \"2x\"\n";
//! let findings: Vec<Diagnostic> = Policy::check_source(toml, None);
//! assert_eq!(findings[0].level, Level::Error);
//! assert_eq!(findings[0].location.path, "targets[0].target");
//! assert_eq!(findings[0].location.line, Some(8));
//!
//! // The same text as a host holds it: the error every host receives.
//! let source = PolicySource::Text { toml: toml.to_string(), rules: BTreeMap::new() };
//! let loaded: aftersales::Result<Policy> = Policy::from_source(&source);
//! let object: ErrorObject = loaded.unwrap_err().to_object();
//! assert_eq!((object.kind, object.policy.as_deref()), (ErrorKind::Policy, Some("p")));
//! assert_eq!(object.location.map(|at| at.path).as_deref(), Some("targets[0].target"));
//!
//! // Sizes: 4 MiB a file; 1,000 targets unless `[limits]` raises it (to 100,000 at most).
//! assert_eq!(MAX_POLICY_BYTES, 4 * 1024 * 1024);
//! assert_eq!((LimitsSection::DEFAULT.targets, LimitsSection::MAXIMUM.targets), (1_000, 100_000));
//! ```
//!
//! **A business calendar**: [`Calendar`] compiled from a [`CalendarSpec`]
//! with [`HolidaySpec`]s and [`OverrideSpec`]s, read in a [`Zone`]; a
//! [`CalendarError`] names the calendar and the field.
//!
//! ```
//! use aftersales::{Calendar, CalendarError, CalendarSpec, HolidaySpec, OverrideSpec, Zone};
//! use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
//!
//! // Monday to Friday 09:00-18:00 in Shanghai; Thursday 1 October 2026 a
//! // holiday; Saturday 10 October a working day with Monday's hours.
//! let spec = CalendarSpec {
//!     timezone: Some("Asia/Shanghai".to_string()),
//!     weekdays: Some(vec!["09:00-18:00".to_string()]),
//!     holidays: vec![HolidaySpec::Named {
//!         date: "2026-10-01".to_string(),
//!         name: "National Day".to_string(),
//!     }],
//!     overrides: [("2026-10-10".to_string(), OverrideSpec::Weekday("mon".to_string()))].into(),
//!     ..CalendarSpec::default()
//! };
//! let office = Calendar::new("office", &spec, None)?;
//! assert_eq!(office.zone(), Zone::parse("Asia/Shanghai")?);
//!
//! // 4 working hours from Wednesday 16:00: 2 h to 18:00, Thursday is the
//! // holiday, then 09:00 + 2 h on Friday.
//! let start: DateTime<Utc> = "2026-09-30T16:00:00+08:00".parse()?;
//! let due = office.add(start, TimeDelta::hours(4))?;
//! assert_eq!(due, "2026-10-02T11:00:00+08:00".parse::<DateTime<Utc>>()?);
//! assert_eq!(office.between(start, due), TimeDelta::hours(4));
//! let national_day = NaiveDate::from_ymd_opt(2026, 10, 1).ok_or("a date")?;
//! assert_eq!(office.holiday_name(national_day), Some("National Day"));
//! assert!(office.is_open("2026-10-10T10:00:00+08:00".parse()?));
//! assert!(!office.is_open("2026-10-03T10:00:00+08:00".parse()?));
//!
//! let wrong = Calendar::from_toml_str("lab", "timezone = \"Mars/Olympus\"\nweekdays = [\"09:00-18:00\"]\n");
//! assert!(matches!(wrong, Err(CalendarError::Invalid { field, .. }) if field == "timezone"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! **One answer**: an [`Evaluation`] made with [`EvaluateOptions`], its
//! [`MetricResult`]s (the current [`Cycle`], its [`MetricStatus`] and the
//! time [`Held`] by pauses), its [`WarrantyDecision`] and the
//! [`TraceEntry`]s of the rules that fired; a [`PropertyViolation`] when a
//! `[[properties]]` law fails.
//!
//! ```
//! use aftersales::{Cycle, Duration, EvaluateOptions, Evaluation, Held, MetricResult, MetricStatus};
//! use aftersales::{Policy, PropertyViolation, Ticket, TraceEntry, WarrantyDecision, WarrantyStatus};
//! use std::collections::BTreeMap;
//!
//! let toml = r#"
//! [policy]
//! id = "p"
//! version = "1"
//! timezone = "Asia/Shanghai"
//! rules = "p.rhai"
//!
//! [severity]
//! levels = ["high", "normal"]
//! default = "normal"
//! rule = "severity"
//!
//! [[targets]]
//! metric = "resolve"
//! stop = "resolved"
//! target = "4h"
//!
//! [[properties]]
//! name = "nothing is ever running"
//! holds = 'evaluation.sla.all(|m| m.status != "running")'
//! "#;
//! let rules = BTreeMap::from([(
//!     "p.rhai".to_string(),
//!     r#"fn severity(ticket) { if ticket.channel == "hotline" { "high" } else { () } }"#.to_string(),
//! )]);
//! let policy = Policy::from_toml_with_rules(toml, &rules)?;
//! let ticket = Ticket::from_json(
//!     r#"{"id": "T-1", "opened_at": "2026-03-02T09:00:00+08:00", "channel": "hotline",
//!         "events": [{"at": "2026-03-02T10:00:00+08:00", "kind": "paused"},
//!                    {"at": "2026-03-02T11:30:00+08:00", "kind": "resumed"}]}"#,
//! )?;
//! let options = EvaluateOptions { trace: true, ..EvaluateOptions::default() };
//! let evaluation: Evaluation = policy.evaluate_with(&ticket, "2026-03-02T12:00:00+08:00".parse()?, options)?;
//!
//! // Counted 09:00-10:00 and 11:30-12:00 on the always-open calendar:
//! // 1 h 30 min; 4 h - 1 h 30 min = 2 h 30 min left, due at 14:30.
//! let resolve: &MetricResult = evaluation.metric("resolve").ok_or("no resolve")?;
//! let cycle: &Cycle = &resolve.current;
//! assert_eq!(cycle.status, MetricStatus::Running);
//! assert_eq!(cycle.elapsed, Some("PT1H30M".parse::<Duration>()?));
//! assert_eq!(cycle.remaining, Some("PT2H30M".parse::<Duration>()?));
//! assert_eq!(cycle.deadline, Some("2026-03-02T14:30:00+08:00".parse()?));
//! // Paused 10:00-11:30: 1 h 30 min on the wall and on the calendar.
//! let held: &Held = cycle.held.as_ref().ok_or("no pause")?;
//! assert_eq!((held.working, held.wall), ("PT1H30M".parse()?, "PT1H30M".parse()?));
//!
//! // No `[warranty]`: nothing to decide. The hotline rule raised the level.
//! let warranty: &WarrantyDecision = &evaluation.warranty;
//! assert_eq!(warranty.status, WarrantyStatus::NotApplicable);
//! assert_eq!(evaluation.severity.level, "high");
//! let fired: &TraceEntry = &evaluation.trace[0];
//! assert_eq!(fired.rule, "severity()");
//!
//! // The law fails: the clock is running.
//! let broken: Vec<PropertyViolation> = policy.check_properties(&ticket, &evaluation)?;
//! assert_eq!(broken[0].name, "nothing is ever running");
//! assert_eq!(broken[0].ticket, "T-1");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! **Many answers**: a [`Portfolio`] folds them into a [`Report`]; a
//! [`TicketRow`] is one answer's row ([`ClockRow`] per metric, a
//! [`BillRow`] when the policy charges), laid out in [`COLUMNS`].
//!
//! ```
//! use aftersales::{BillRow, ClockRow, Policy, Portfolio, Report, Ticket, TicketRow, COLUMNS};
//!
//! let policy = Policy::from_toml_str(
//!     "[policy]\nid = \"p\"\nversion = \"1\"\ntimezone = \"Asia/Shanghai\"\n\
//!      [[targets]]\nmetric = \"respond\"\nstop = \"resolved\"\ntarget = \"2h\"\n",
//! )?;
//! let ticket = Ticket::from_json(r#"{"id": "T-1", "opened_at": "2026-03-02T09:00:00+08:00"}"#)?;
//! let mut answer = policy.evaluate(&ticket, "2026-03-02T12:00:00+08:00".parse()?);
//! let mut portfolio = Portfolio::new(&policy);
//! portfolio.add(&ticket, &mut answer);
//! let report: Report = portfolio.report();
//! assert_eq!((report.tickets, report.evaluated, report.errors), (1, 1, 0));
//!
//! // Opened 09:00 with 2 h: due 11:00, breached by 1 h at 12:00.
//! let row = TicketRow::from_answer(Some(1), &answer.map_err(|e| e.to_object()));
//! let clock: &ClockRow = row.clock("respond").ok_or("no clock")?;
//! assert_eq!(clock.deadline, Some("2026-03-02T11:00:00+08:00".parse()?));
//! let no_bill: Option<&BillRow> = row.bill.as_ref();
//! assert!(no_bill.is_none(), "a policy without [fees] bills nothing");
//! let line = &row.lines()[0];
//! let status = COLUMNS.iter().position(|c| *c == "status").ok_or("no column")?;
//! assert_eq!((line[0].as_str(), line[status].as_str()), ("T-1", "breached"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
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
