//! SLA clocks: for each service promise, when it started, when it falls
//! due, and whether it was met — recomputed from the ticket's history at
//! any `as_of`, never from stored running totals.
//!
//! The flow: a `[[targets]]` entry compiles into a [`Metric`]
//! (`metric.rs`); at evaluation the ticket's severity and tier over time
//! are worked out (`timeline.rs`), each metric resolves its target
//! (`targets.rs`) and runs its cycles (`run.rs`) on the clock (`clock.rs`)
//! into a [`MetricResult`] (`result.rs`).

mod clock;
mod metric;
mod result;
mod run;
mod targets;
mod timeline;

pub use clock::{Breach, Recompute, WarnAt};
pub use metric::{Dimension, Metric, TargetRule};
pub use result::{Cycle, MetricResult, MetricStatus};
pub(crate) use run::clock_events;
pub use timeline::{Severity, SeverityCase};
