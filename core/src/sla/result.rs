//! The SLA part of an evaluation.

use crate::duration::Duration;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// Where a metric stands at `as_of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MetricStatus {
    /// Not started yet.
    Pending,
    /// Counting, not yet due.
    Running,
    /// Paused at `as_of`: no deadline, `remaining` known.
    Paused,
    /// Stopped at or before the deadline.
    Met,
    /// Past the deadline (stopped late, or still open after it).
    Breached,
    /// No target for this ticket.
    NotApplicable,
}

impl MetricStatus {
    /// The status as written in JSON: `pending`, `running`, `paused`,
    /// `met`, `breached`, `not_applicable`.
    pub fn as_str(self) -> &'static str {
        match self {
            MetricStatus::Pending => "pending",
            MetricStatus::Running => "running",
            MetricStatus::Paused => "paused",
            MetricStatus::Met => "met",
            MetricStatus::Breached => "breached",
            MetricStatus::NotApplicable => "not_applicable",
        }
    }
}

impl std::fmt::Display for MetricStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One cycle of a metric: from a start to its stop (or `as_of`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Cycle {
    /// When the cycle started.
    #[serde(serialize_with = "crate::ticket::time_text::opt_instant")]
    pub started_at: Option<DateTime<FixedOffset>>,
    /// The first instant the clock counted: `started_at`, or the next
    /// opening of the calendar after it, or the end of a pause it started
    /// in. None until the clock has counted (by its stop or `as_of`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "crate::ticket::time_text::opt_instant")]
    pub counting_started_at: Option<DateTime<FixedOffset>>,
    /// When it stopped, if it has.
    #[serde(serialize_with = "crate::ticket::time_text::opt_instant")]
    pub stopped_at: Option<DateTime<FixedOffset>>,
    /// When it falls (or fell) due; none while paused or not applicable.
    #[serde(serialize_with = "crate::ticket::time_text::opt_instant")]
    pub deadline: Option<DateTime<FixedOffset>>,
    /// The instant the target is used up as the customer reads it, shown
    /// only when it is earlier than `deadline`: the close of a calendar (or
    /// the start of a pause) at which the target ran out, where `deadline`
    /// is the next opening (or the resume).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "crate::ticket::time_text::opt_instant")]
    pub due_by: Option<DateTime<FixedOffset>>,
    /// With a declared `grace`: when the promise is breached, the deadline
    /// plus the grace counted on the calendar (none while paused).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "crate::ticket::time_text::opt_instant")]
    pub due_with_grace: Option<DateTime<FixedOffset>>,
    /// While the ticket sits in a status that hides the deadline
    /// (`hide_statuses`): since when. The deadline and every other field
    /// are still given and the clock still counts; a display shows no
    /// deadline while this is set. None for a stopped cycle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "crate::ticket::time_text::opt_instant")]
    pub hidden_since: Option<DateTime<FixedOffset>>,
    /// When a warning is raised.
    #[serde(serialize_with = "crate::ticket::time_text::opt_instant")]
    pub warn_at: Option<DateTime<FixedOffset>>,
    /// Where it stands.
    pub status: MetricStatus,
    /// When it was breached.
    #[serde(serialize_with = "crate::ticket::time_text::opt_instant")]
    pub breached_at: Option<DateTime<FixedOffset>>,
    /// Counted time from start to stop or `as_of`.
    pub elapsed: Option<Duration>,
    /// `target + grace − elapsed` while positive.
    pub remaining: Option<Duration>,
    /// `elapsed − (target + grace)` while positive.
    pub overdue: Option<Duration>,
    /// Time paused from the start to the stop (or `as_of`), shown when the
    /// cycle was paused for some time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held: Option<Held>,
}

/// The time a cycle spent paused, up to its stop or `as_of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Held {
    /// The part of the paused time open on the metric's calendar: the
    /// working time the pauses kept out of `elapsed`.
    pub working: Duration,
    /// The paused time on the wall clock.
    pub wall: Duration,
}

impl Cycle {
    /// A cycle with no fields but its status (not started, or not applicable).
    pub fn empty(status: MetricStatus) -> Cycle {
        Cycle {
            started_at: None,
            counting_started_at: None,
            stopped_at: None,
            deadline: None,
            due_by: None,
            due_with_grace: None,
            hidden_since: None,
            warn_at: None,
            status,
            breached_at: None,
            elapsed: None,
            remaining: None,
            overdue: None,
            held: None,
        }
    }
}

/// One metric (service promise) of an evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct MetricResult {
    /// Metric name (`contact`, `resolve`, …).
    pub metric: String,
    /// The calendar the clock runs on.
    pub calendar: String,
    /// The target the current cycle's fields are counted against, as counted
    /// time (ISO 8601). For a breach kept after a change (`breach = "kept"`),
    /// the target that was missed.
    pub target: Option<String>,
    /// The declared grace past the deadline (ISO 8601), when the metric has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grace: Option<String>,
    /// The current (or last) cycle's fields, flattened.
    #[serde(flatten)]
    pub current: Cycle,
    /// The target now in force, shown only when a kept breach shows another
    /// `target` (the severity or tier changed after the breach).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_target: Option<String>,
    /// When the metric falls due under `current_target` (none while paused);
    /// shown only with `current_target`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "crate::ticket::time_text::opt_instant")]
    pub current_deadline: Option<DateTime<FixedOffset>>,
    /// Completed cycles before the current one, for repeating metrics.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cycles: Vec<Cycle>,
    /// Why, in words a service manager reads.
    pub because: Vec<crate::reason::Reason>,
}

impl crate::reason::HasReasons for MetricResult {
    fn reasons_mut(&mut self) -> Vec<&mut crate::reason::Reason> {
        self.because.iter_mut().collect()
    }
}
