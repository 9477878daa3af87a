//! SLA clocks: for each service promise, when it started, when it falls
//! due, and whether it was met — recomputed from the ticket's history at
//! any `as_of`, never from stored running totals.
//!
//! The flow: a `[[targets]]` entry compiles into a [`Metric`]
//! (`metric.rs`); at evaluation the ticket's severity and tier over time
//! are worked out (`timeline.rs`), each metric resolves its target
//! (`targets.rs`) and runs its cycles (`metric.rs`) on the clock
//! (`clock.rs`, counting on the cycle's running spans in `segments.rs`,
//! escalation levels measured from the deadline in `escalation.rs`)
//! into a [`MetricResult`] (`result.rs`), with the next instant its state
//! changes (`next.rs`); `events.rs` reads the ticket's
//! events for every metric alike.

mod clock;
mod escalation;
mod events;
mod metric;
mod next;
mod result;
mod segments;
mod targets;
mod timeline;

pub use clock::{Breach, Recompute, WarnAt};
pub use escalation::{EscalationRule, Offset, Side};
pub(crate) use events::{clock_events, STATUS_EVENT};
pub use metric::{Dimension, Metric, OnReopen, TargetRule};
pub use result::{Cycle, Escalation, EscalationState, Held, MetricResult, MetricStatus};
pub use timeline::{Severity, SeverityCase};
