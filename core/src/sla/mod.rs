//! SLA clocks: for each service promise, when it started, when it falls
//! due, and whether it was met — recomputed from the ticket's history at
//! any `as_of`, never from stored running totals.

mod clock;
mod metric;
mod result;

pub use clock::{
    in_zone, run_cycle, Breach, Change, ClockInput, CycleOutcome, CycleSpan, Recompute,
    ResolvedTarget, WarnAt,
};
pub use metric::{ClockEvent, Dimension, Metric, TargetRule};
pub use result::{Cycle, MetricResult, MetricStatus};
