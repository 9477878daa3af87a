//! When a metric's answer next changes by the passing of time alone: the
//! instants at which its state moves on if no further event arrives.
//!
//! [`transitions`] is the one list of those instants; a new time-driven
//! part of a metric's answer adds its instant there, and
//! [`next_change_at`] takes the earliest.

use super::result::{MetricResult, MetricStatus};
use crate::calendar::Calendar;
use chrono::{DateTime, FixedOffset, Utc};

/// How a transition instant relates to the state change it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edge {
    /// The new state holds from the instant itself (a start arrives, a
    /// warning falls due): counts only when strictly after `as_of`.
    At,
    /// The new state holds from just after the instant (a count passes
    /// its allowance once it exceeds it): counts at `as_of` too.
    After,
}

/// Every instant at which the metric's state changes with time alone,
/// after `as_of`, in no particular order. A metric paused, stopped,
/// breached or not applicable at `as_of` lists none but its escalation
/// levels still to come: otherwise only elapsed time, `remaining`,
/// `overdue` and `held` still move, and they are counters, not state.
///
/// - the ticket opens (`opens_at`, for a metric waiting on the opening);
/// - a booked start arrives (`pending` to `running`);
/// - the clock first counts (`counting_started_at` appears just after the
///   calendar's next opening, for a clock started while closed);
/// - the warning falls due (`warn_at`);
/// - the deadline passes (`breached` just after it; with a grace, the
///   deadline passes but the breach waits for `due_with_grace`);
/// - the grace ends (`due_with_grace`: `breached` just after it);
/// - an escalation level is reached (its `at`, while `pending`): whatever
///   the metric's status, since a wall-time level passes during a pause
///   and a level after the deadline passes after the breach.
fn transitions(
    result: &MetricResult,
    calendar: &Calendar,
    as_of: DateTime<Utc>,
    opens_at: Option<DateTime<Utc>>,
) -> Vec<(DateTime<Utc>, Edge)> {
    let cycle = &result.current;
    let utc = |t: Option<DateTime<FixedOffset>>| t.map(|t| t.with_timezone(&Utc));
    let mut list: Vec<(Option<DateTime<Utc>>, Edge)> = Vec::new();
    match cycle.status {
        MetricStatus::Pending if cycle.started_at.is_none() => {
            list.push((opens_at, Edge::At));
        }
        MetricStatus::Pending | MetricStatus::Running if cycle.stopped_at.is_none() => {
            list.push((utc(cycle.started_at), Edge::At));
            if cycle.counting_started_at.is_none() {
                let from = utc(cycle.started_at).map(|start| start.max(as_of));
                list.push((from.and_then(|t| calendar.next_open(t).ok()), Edge::After));
            }
            list.push((utc(cycle.warn_at), Edge::At));
            list.push((utc(cycle.deadline), Edge::After));
            list.push((utc(cycle.due_with_grace), Edge::After));
        }
        _ => {}
    }
    list.extend(
        result
            .escalation_instants()
            .map(|t| (Some(t.with_timezone(&Utc)), Edge::At)),
    );
    list.into_iter()
        .filter_map(|(t, edge)| t.map(|t| (t, edge)))
        .filter(|(t, edge)| match edge {
            Edge::At => *t > as_of,
            Edge::After => *t >= as_of,
        })
        .collect()
}

/// The earliest of the metric's [`transitions`] after `as_of`, shown in
/// the zone of its other instants; none when time alone changes nothing.
pub(crate) fn next_change_at(
    result: &MetricResult,
    calendar: &Calendar,
    as_of: DateTime<Utc>,
    opens_at: Option<DateTime<Utc>>,
    show: impl Fn(DateTime<Utc>) -> DateTime<FixedOffset>,
) -> Option<DateTime<FixedOffset>> {
    transitions(result, calendar, as_of, opens_at)
        .into_iter()
        .map(|(t, _)| t)
        .min()
        .map(show)
}
