//! The clock of one metric, recomputed from the ticket's history.
//!
//! Input: the metric's cycles (start, stop, pauses) read from the events up
//! to `as_of`, the calendar, and the target in force at any instant (it
//! changes with severity or tier). Output: deadline, warning, status,
//! elapsed, remaining and overdue, all counted on the calendar minus paused
//! time, so that they agree with each other by construction.

use super::result::{Cycle, MetricStatus};
use crate::calendar::{Calendar, CalendarError};
use crate::duration::{format_human, Duration, ServiceDuration};
use crate::error::Result;
use chrono::{DateTime, FixedOffset, Offset, TimeDelta, TimeZone, Utc};

/// What a severity or tier change does to a running metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Recompute {
    /// The new target counts from the cycle's original start.
    #[default]
    FromStart,
    /// The new target counts from the change.
    FromChange,
}

/// When to warn before a deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WarnAt {
    /// At this share of the target, in basis points (8000 = 80 %).
    Fraction(i64),
    /// This much counted time before the deadline.
    Lead(TimeDelta),
}

/// One cycle's raw history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycleSpan {
    /// When the cycle started.
    pub start: DateTime<Utc>,
    /// When it stopped (at or before `as_of`).
    pub stop: Option<DateTime<Utc>>,
    /// Paused spans inside it; an open pause has no end.
    pub pauses: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>,
}

/// The target in force at an instant, with the words explaining it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedTarget {
    /// The duration, or `None` when the metric does not apply.
    pub duration: Option<ServiceDuration>,
    /// Why this target.
    pub because: String,
}

/// What the clock needs besides the cycle.
pub struct ClockInput<'a> {
    /// The calendar the clock runs on.
    pub calendar: &'a Calendar,
    /// The evaluation instant.
    pub as_of: DateTime<Utc>,
    /// Instants at which the target may change (severity or tier changes), ascending.
    pub changes: &'a [(DateTime<Utc>, String)],
    /// What a change does.
    pub recompute: Recompute,
    /// When to warn.
    pub warn_at: Option<WarnAt>,
    /// The zone output instants are shown in.
    pub output_zone: &'a dyn Fn(DateTime<Utc>) -> DateTime<FixedOffset>,
}

/// The computed state of one cycle, with its target and reasons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycleOutcome {
    /// The cycle's fields.
    pub cycle: Cycle,
    /// The effective target counted from the cycle's start.
    pub target: Option<TimeDelta>,
    /// Why.
    pub because: Vec<String>,
}

/// Running spans of a cycle, up to its end (stop or `as_of`).
struct Segments<'a> {
    calendar: &'a Calendar,
    /// `[a, b)` spans of running time, the last one possibly extending past `end`.
    spans: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    /// Whether the clock still runs (or, for a stopped cycle, would run) after the last span.
    open_ended: bool,
}

impl Segments<'_> {
    /// Counted time from the start to `t`.
    fn elapsed(&self, t: DateTime<Utc>) -> TimeDelta {
        self.spans
            .iter()
            .filter(|(a, _)| *a < t)
            .map(|(a, b)| self.calendar.between(*a, (*b).min(t)))
            .fold(TimeDelta::zero(), |sum, d| sum + d)
    }

    /// The latest instant at which `count` has elapsed; `None` when the clock
    /// is paused before reaching it.
    fn locate(
        &self,
        count: TimeDelta,
    ) -> std::result::Result<Option<DateTime<Utc>>, CalendarError> {
        let mut left = count;
        let last = self.spans.len().saturating_sub(1);
        for (i, (a, b)) in self.spans.iter().enumerate() {
            if i == last && self.open_ended {
                return self.calendar.add(*a, left).map(Some);
            }
            let open = self.calendar.between(*a, *b);
            if left < open {
                return self.calendar.add(*a, left).map(Some);
            }
            left -= open;
        }
        Ok(None)
    }
}

/// Computes one cycle. `target_at` gives the target in force at an instant.
pub fn run_cycle(
    span: &CycleSpan,
    input: &ClockInput<'_>,
    target_at: &mut dyn FnMut(DateTime<Utc>) -> Result<ResolvedTarget>,
) -> Result<CycleOutcome> {
    let show = |t: DateTime<Utc>| (input.output_zone)(t);
    let stopped = span.stop.is_some();
    let end = span.stop.unwrap_or(input.as_of).max(span.start);
    let paused_at_end = !stopped && span.pauses.iter().any(|(_, until)| until.is_none());
    let mut because = Vec::new();

    // Running spans: the cycle minus its pauses.
    let mut spans = Vec::new();
    let mut cursor = span.start;
    for (from, until) in &span.pauses {
        if *from > cursor {
            spans.push((cursor, (*from).min(end)));
        }
        match until {
            Some(u) => {
                because.push(format!(
                    "paused {} from {} to {}",
                    format_human(input.calendar.between(*from, *u)),
                    show(*from).to_rfc3339(),
                    show(*u).to_rfc3339()
                ));
                cursor = cursor.max(*u);
            }
            None => {
                because.push(format!("paused since {}", show(*from).to_rfc3339()));
                cursor = DateTime::<Utc>::MAX_UTC;
            }
        }
    }
    if cursor < DateTime::<Utc>::MAX_UTC {
        spans.push((cursor, end.max(cursor)));
    }
    let segments = Segments {
        calendar: input.calendar,
        spans,
        open_ended: !paused_at_end,
    };

    // The effective target, window by window between changes.
    let first = target_at(span.start)?;
    let Some(first_duration) = first.duration else {
        because.insert(0, first.because);
        return Ok(CycleOutcome {
            cycle: Cycle {
                started_at: Some(show(span.start)),
                stopped_at: span.stop.map(show),
                deadline: None,
                warn_at: None,
                status: MetricStatus::NotApplicable,
                breached_at: None,
                elapsed: None,
                remaining: None,
                overdue: None,
            },
            target: None,
            because,
        });
    };
    because.insert(0, first.because);
    let mut target = counted(first_duration, span.start, input.calendar)?;
    let mut breached_at: Option<DateTime<Utc>> = None;
    let mut windows = vec![(span.start, target)];
    for (at, label) in input
        .changes
        .iter()
        .filter(|(at, _)| *at > span.start && *at <= end)
    {
        let resolved = target_at(*at)?;
        let Some(duration) = resolved.duration else {
            because.push(format!(
                "{label} at {}: {}; the earlier target stays",
                show(*at).to_rfc3339(),
                resolved.because
            ));
            continue;
        };
        let used = segments.elapsed(*at);
        let new_target = match input.recompute {
            Recompute::FromStart => counted(duration, span.start, input.calendar)?,
            Recompute::FromChange => used + counted(duration, *at, input.calendar)?,
        };
        if new_target == target {
            continue;
        }
        // A breach under the old target before this change stays reported once.
        if breached_at.is_none() && used > target {
            breached_at = segments.locate(target).map_err(crate::Error::from)?;
        }
        because.push(match input.recompute {
            Recompute::FromStart => format!(
                "{label} at {}: {} (from_start: counts from {})",
                show(*at).to_rfc3339(),
                resolved.because,
                show(span.start).to_rfc3339()
            ),
            Recompute::FromChange => format!(
                "{label} at {}: {} (from_change: counts from the change, {} already elapsed)",
                show(*at).to_rfc3339(),
                resolved.because,
                format_human(used)
            ),
        });
        if breached_at.is_none() && used > new_target {
            because.push(format!(
                "breached at the change: {} already elapsed against the new target",
                format_human(used)
            ));
            breached_at = Some(*at);
        }
        target = new_target;
        windows.push((*at, target));
    }

    let elapsed = segments.elapsed(end);
    let deadline = if paused_at_end {
        None
    } else {
        segments.locate(target).map_err(crate::Error::from)?
    };
    if breached_at.is_none() && elapsed > target {
        // Past the target: breached where the count passed it, even if the
        // clock has been paused since.
        breached_at = segments.locate(target).map_err(crate::Error::from)?;
    }
    let status = match (breached_at, stopped, paused_at_end) {
        (Some(_), _, _) => MetricStatus::Breached,
        (None, true, _) => MetricStatus::Met,
        (None, false, true) => MetricStatus::Paused,
        (None, false, false) => MetricStatus::Running,
    };
    let warn_at = match (input.warn_at, paused_at_end) {
        (Some(WarnAt::Fraction(bp)), false) => {
            let ms = i128::from(target.num_milliseconds()) * i128::from(bp) / 10_000;
            segments
                .locate(TimeDelta::milliseconds(
                    i64::try_from(ms).unwrap_or(i64::MAX),
                ))
                .map_err(crate::Error::from)?
        }
        (Some(WarnAt::Lead(lead)), false) if lead <= target => {
            segments.locate(target - lead).map_err(crate::Error::from)?
        }
        _ => None,
    };
    let deadline = breached_at.or(deadline);
    let positive = |d: TimeDelta| (d > TimeDelta::zero()).then_some(Duration(d));
    Ok(CycleOutcome {
        cycle: Cycle {
            started_at: Some(show(span.start)),
            stopped_at: span.stop.map(show),
            deadline: deadline.map(show),
            warn_at: warn_at.map(show),
            status,
            breached_at: breached_at.map(show),
            elapsed: Some(Duration(elapsed)),
            remaining: positive(target - elapsed),
            overdue: positive(elapsed - target),
        },
        target: Some(target),
        because,
    })
}

/// A target as counted time: business days become the open time from
/// `from` to the business-day deadline.
fn counted(
    duration: ServiceDuration,
    from: DateTime<Utc>,
    calendar: &Calendar,
) -> Result<TimeDelta> {
    match duration {
        ServiceDuration::Time(t) => Ok(t),
        ServiceDuration::BusinessDays(n) => {
            let due = calendar.add_business_days(from, n)?;
            Ok(calendar.between(from, due))
        }
    }
}

/// Shows a UTC instant at the offset a zone has at that instant.
pub fn in_zone<Z: TimeZone>(zone: &Z, t: DateTime<Utc>) -> DateTime<FixedOffset> {
    let offset = zone.offset_from_utc_datetime(&t.naive_utc()).fix();
    t.with_timezone(&offset)
}
