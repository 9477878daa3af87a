//! # aftersales
//!
//! An engine that evaluates after-sales service policies: severity levels,
//! response-time promises, warranty scope, statutory remedies, fee schedules
//! and breach credits. A policy is a TOML manifest plus Rhai rules; it is
//! compiled once into an immutable [`Policy`] and evaluated against tickets.
//!
//! The engine's modules, one per domain idea:
//! - [`calendar`]: business calendars, when a service clock runs;
//! - [`duration`]: durations as written in policies and tickets.

pub mod calendar;
pub mod duration;

pub use calendar::{Calendar, CalendarError, CalendarSpec, Zone};
pub use duration::{CalendarPeriod, ServiceDuration};
