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
    /// The metric's escalation levels for this cycle, in the order the
    /// policy lists them; shown when the metric declares some.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub escalations: Vec<Escalation>,
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
            escalations: Vec::new(),
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
    /// The next instant at which the metric's state changes with time
    /// alone (a start arrives, a warning falls due, a deadline or grace
    /// passes); null when time alone changes nothing (paused, stopped,
    /// breached). See docs/policy.md, "When the answer next changes".
    #[serde(default)]
    #[serde(serialize_with = "crate::ticket::time_text::opt_instant")]
    pub next_change_at: Option<DateTime<FixedOffset>>,
    /// Why, in words a service manager reads.
    pub because: Vec<crate::reason::Reason>,
}

impl crate::reason::HasReasons for MetricResult {
    fn reasons_mut(&mut self) -> Vec<&mut crate::reason::Reason> {
        self.because.iter_mut().collect()
    }
}

/// Where an escalation level stands at `as_of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EscalationState {
    /// Its instant is still ahead (or not known yet, while the clock is
    /// paused short of it), and the cycle has not stopped before it.
    Pending,
    /// Its instant has come (at or before `as_of`) while the cycle was
    /// still open.
    Reached,
    /// The cycle stopped at or before its instant: it never came.
    Avoided,
}

impl EscalationState {
    /// The state as written in JSON: `pending`, `reached`, `avoided`.
    pub fn as_str(self) -> &'static str {
        match self {
            EscalationState::Pending => "pending",
            EscalationState::Reached => "reached",
            EscalationState::Avoided => "avoided",
        }
    }
}

/// One escalation level of a cycle (`[[targets.escalations]]`): an instant
/// before or after the deadline at which the ticket is raised to someone.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Escalation {
    /// Its level: its position in the target's list, from 1.
    pub level: u32,
    /// Its name, unique within the target.
    pub name: String,
    /// When it is (or was) reached: the deadline moved by its offset. None
    /// while the clock is paused short of it.
    #[serde(serialize_with = "crate::ticket::time_text::opt_instant")]
    pub at: Option<DateTime<FixedOffset>>,
    /// Where it stands at `as_of`.
    pub state: EscalationState,
}

impl Cycle {
    /// The instants at which this cycle's escalations still to come will be
    /// reached (those `pending` with an instant), in the order listed: each
    /// is an instant after `as_of` at which the answer changes if nothing
    /// else happens.
    pub fn escalation_instants(&self) -> impl Iterator<Item = DateTime<FixedOffset>> + '_ {
        self.escalations
            .iter()
            .filter(|e| e.state == EscalationState::Pending)
            .filter_map(|e| e.at)
    }
}

impl MetricResult {
    /// The instants at which the current cycle's escalations still to come
    /// will be reached (see [`Cycle::escalation_instants`]); earlier cycles
    /// have stopped, so theirs no longer change.
    ///
    /// ```
    /// use aftersales::{Policy, Ticket};
    /// let policy = Policy::from_toml_str(r#"
    /// [policy]
    /// id = "p"
    /// version = "1"
    /// timezone = "UTC"
    ///
    /// [[targets]]
    /// metric = "resolve"
    /// stop = "resolved"
    /// target = "4h"
    ///
    /// [[targets.escalations]]
    /// name = "team_lead"
    /// after = "1h"
    /// "#)?;
    /// let ticket = Ticket::from_json(r#"{"id": "T-1", "opened_at": "2026-03-02T09:00:00Z"}"#)?;
    /// let evaluation = policy.evaluate(&ticket, "2026-03-02T10:00:00Z".parse()?)?;
    /// // Due at 13:00; the team lead is called in an hour later.
    /// let next: Vec<String> = evaluation
    ///     .metric("resolve")
    ///     .map(|m| m.escalation_instants().map(|t| t.to_rfc3339()).collect())
    ///     .unwrap_or_default();
    /// assert_eq!(next, ["2026-03-02T14:00:00+00:00"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn escalation_instants(&self) -> impl Iterator<Item = DateTime<FixedOffset>> + '_ {
        self.current.escalation_instants()
    }
}
