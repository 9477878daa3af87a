//! SLA clocks: for each service promise, when it started, when it falls
//! due, and whether it was met — recomputed from the ticket's history at
//! any `as_of`.

mod result;

pub use result::{Cycle, MetricResult, MetricStatus};
