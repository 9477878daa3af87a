//! The clock of one metric, recomputed from the ticket's history.
//!
//! Input: the metric's cycles (start, stop, pauses) read from the events up
//! to `as_of`, the calendar, and the changes of the value its target is
//! keyed by (severity or tier). Output: deadline, warning, status, elapsed,
//! remaining and overdue, all counted on the calendar minus paused time, so
//! that they agree with each other by construction.
//!
//! A cycle is judged window by window: each change that gives a new target
//! opens a window that lasts until the next change (or the cycle's end). A
//! window is breached when the count passes its target before the window
//! ends. Under [`Breach::Kept`] the first breached window stays the answer
//! (a breach is a fact); under [`Breach::Recomputed`] only the last window,
//! the target in force, is judged.

use super::result::{Cycle, MetricStatus};
use crate::calendar::{Calendar, CalendarError};
use crate::duration::{format_human, format_iso, Duration, ServiceDuration};
use crate::error::{Error, Result};
use crate::reason::{Arg, Reason};
use chrono::{DateTime, FixedOffset, TimeDelta, Utc};

/// What a severity or tier change does to a running metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Recompute {
    /// The new target counts from the cycle's original start.
    #[default]
    FromStart,
    /// The new target counts from the change.
    FromChange,
}

/// What becomes of a breach when a later change gives a longer target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Breach {
    /// A breach is a fact: the metric stays breached against the target it
    /// missed; the target now in force is shown beside it.
    #[default]
    Kept,
    /// The target in force decides everything: a breach can disappear.
    Recomputed,
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
    /// When it stopped (at or before `as_of`; before `start` for an arrival
    /// ahead of a booked slot).
    pub stop: Option<DateTime<Utc>>,
    /// Position of the stop event among the time-sorted events the cycle was
    /// read from: a change at the stop's instant applies only when listed before it.
    pub stop_order: Option<usize>,
    /// Paused spans inside it; an open pause has no end.
    pub pauses: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>,
}

/// A change of the value a target is keyed by (a severity or tier change).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// When.
    pub at: DateTime<Utc>,
    /// Position of the event among the time-sorted events (same-instant order).
    pub order: usize,
    /// The new value (a level or a tier).
    pub to: String,
    /// The change in words (`severity changed to critical`).
    pub label: Reason,
}

/// The target in force at an instant, with the words explaining it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedTarget {
    /// The duration, or `None` when the metric does not apply.
    pub duration: Option<ServiceDuration>,
    /// Why this target.
    pub because: Reason,
}

/// What the clock needs besides the cycle.
pub struct ClockInput<'a> {
    /// The calendar the clock runs on.
    pub calendar: &'a Calendar,
    /// The evaluation instant.
    pub as_of: DateTime<Utc>,
    /// The value the target is keyed by before any change.
    pub initial: &'a str,
    /// Changes of that value, in event order (changes to the value already
    /// in force are ignored).
    pub changes: &'a [Change],
    /// What a change does.
    pub recompute: Recompute,
    /// What becomes of a breach under a later, longer target.
    pub breach: Breach,
    /// When to warn.
    pub warn_at: Option<WarnAt>,
    /// Tolerance past the deadline before a breach (zero: none declared).
    pub grace: TimeDelta,
    /// The zone output instants are shown in.
    pub output_zone: &'a dyn Fn(DateTime<Utc>) -> DateTime<FixedOffset>,
    /// The policy's id and the metric's TOML path (`targets[2]`), to locate errors.
    pub location: (&'a str, &'a str),
}

/// The computed state of one cycle, with its target and reasons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycleOutcome {
    /// The cycle's fields.
    pub cycle: Cycle,
    /// The target the fields are counted against (for a kept breach, the
    /// target that was missed), as counted time from the cycle's start.
    pub target: Option<TimeDelta>,
    /// The target in force, when a kept breach shows another one.
    pub current_target: Option<TimeDelta>,
    /// The deadline under the target in force, when a kept breach shows
    /// another target (none while paused).
    pub current_deadline: Option<DateTime<FixedOffset>>,
    /// Why.
    pub because: Vec<crate::reason::Reason>,
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

    /// The earliest instant at which `count` (positive) has elapsed: the
    /// millisecond after the latest instant at which `count − 1 ms` has.
    /// `None` when the clock is paused before reaching it.
    fn reach(&self, count: TimeDelta) -> std::result::Result<Option<DateTime<Utc>>, CalendarError> {
        let before = count - TimeDelta::milliseconds(1);
        if before < TimeDelta::zero() {
            return Ok(None);
        }
        Ok(self
            .locate(before)?
            .and_then(|t| t.checked_add_signed(TimeDelta::milliseconds(1))))
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

/// A target in force from an instant until the next change.
#[derive(Debug, Clone, Copy)]
struct Window {
    from: DateTime<Utc>,
    target: TimeDelta,
}

/// A window's breach: when, and whether the target was already used up
/// when the window opened (a breach at the change).
#[derive(Debug, Clone, Copy)]
struct Breached {
    at: DateTime<Utc>,
    at_change: bool,
}

/// Computes one cycle. `target_for` gives the target for a value of the key
/// (a severity level or a tier).
pub fn run_cycle(
    span: &CycleSpan,
    input: &ClockInput<'_>,
    target_for: &mut dyn FnMut(&str) -> Result<ResolvedTarget>,
) -> Result<CycleOutcome> {
    let show = |t: DateTime<Utc>| (input.output_zone)(t);
    let stopped = span.stop.is_some();
    let end = span.stop.unwrap_or(input.as_of).max(span.start);
    let paused_at_end = !stopped && span.pauses.iter().any(|(_, until)| until.is_none());
    let mut because: Vec<crate::reason::Reason> = Vec::new();

    // Running spans: the cycle minus its pauses.
    let mut spans = Vec::new();
    let mut cursor = span.start;
    for (from, until) in &span.pauses {
        if *from > cursor {
            spans.push((cursor, (*from).min(end)));
        }
        match until {
            Some(u) => {
                because.push(crate::reason!(
                    SlaPaused,
                    input.calendar.between(*from, *u),
                    show(*from),
                    show(*u)
                ));
                cursor = cursor.max(*u);
            }
            None => {
                because.push(crate::reason!(SlaPausedSince, show(*from)));
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

    // The value in force at the start: a change at the start's instant has
    // nothing elapsed to recompute, so it counts as in force from the start.
    let mut key = input
        .changes
        .iter()
        .rev()
        .find(|c| c.at <= span.start)
        .map_or(input.initial, |c| c.to.as_str());
    let first = target_for(key)?;
    let Some(first_duration) = first.duration else {
        // A metric without a target never applies: no cycle fields.
        return Ok(CycleOutcome {
            cycle: Cycle::empty(MetricStatus::NotApplicable),
            target: None,
            current_target: None,
            current_deadline: None,
            because: vec![first.because],
        });
    };
    because.insert(0, first.because);

    // The windows: one per change that gives a new target, applied in the
    // order listed; a change listed after the stop does nothing.
    let mut windows = vec![Window {
        from: span.start,
        target: counted(first_duration, span.start, input.calendar)?,
    }];
    let applies = |change: &Change| {
        change.at > span.start
            && match span.stop_order {
                Some(stop) => change.order < stop,
                None => change.at <= end,
            }
    };
    for change in input.changes.iter().filter(|c| applies(c)) {
        if change.to == key {
            continue;
        }
        key = change.to.as_str();
        let resolved = target_for(key)?;
        let Some(duration) = resolved.duration else {
            because.push(crate::reason!(
                SlaChangeNoTarget,
                change.label.clone(),
                show(change.at),
                resolved.because
            ));
            continue;
        };
        let in_force = windows.last().map_or(TimeDelta::zero(), |w| w.target);
        let used = segments.elapsed(change.at);
        let new_target = match input.recompute {
            Recompute::FromStart => counted(duration, span.start, input.calendar)?,
            Recompute::FromChange => {
                let from_change = counted(duration, change.at, input.calendar)?;
                used.checked_add(&from_change).ok_or_else(|| {
                    out_of_range(
                        input,
                        format!(
                            "{} at {}: {} already elapsed plus the new target {} is beyond \
                             the longest duration the engine can count",
                            change.label,
                            show(change.at).to_rfc3339(),
                            format_human(used),
                            format_iso(from_change)
                        ),
                    )
                })?
            }
        };
        if new_target == in_force {
            continue;
        }
        because.push(match input.recompute {
            Recompute::FromStart => crate::reason!(
                SlaChangeFromStart,
                change.label.clone(),
                show(change.at),
                resolved.because,
                show(span.start)
            ),
            Recompute::FromChange => crate::reason!(
                SlaChangeFromChange,
                change.label.clone(),
                show(change.at),
                resolved.because,
                used
            ),
        });
        windows.push(Window {
            from: change.at,
            target: new_target,
        });
    }

    // Judge each window: breached when the count passed its target before
    // the window ended.
    let allowed = |target: TimeDelta| {
        target.checked_add(&input.grace).ok_or_else(|| {
            out_of_range(
                input,
                format!(
                    "the target {} plus the grace {} is beyond the longest duration the engine can count",
                    format_iso(target),
                    format_iso(input.grace)
                ),
            )
        })
    };
    let mut judged = Vec::with_capacity(windows.len());
    for (i, window) in windows.iter().enumerate() {
        let until = windows.get(i + 1).map_or(end, |next| next.from);
        let allowance = allowed(window.target)?;
        let breach = if segments.elapsed(until) <= allowance {
            None
        } else if segments.elapsed(window.from) > allowance {
            Some(Breached {
                at: window.from,
                at_change: true,
            })
        } else {
            let at = segments
                .locate(allowance)
                .map_err(Error::from)?
                .map_or(window.from, |t| t.max(window.from));
            Some(Breached {
                at,
                at_change: false,
            })
        };
        judged.push((*window, breach));
    }
    let last = judged.len().saturating_sub(1);
    let chosen = match input.breach {
        Breach::Kept => judged.iter().position(|(_, b)| b.is_some()).unwrap_or(last),
        Breach::Recomputed => last,
    };
    let (shown, breach) = judged.get(chosen).copied().unwrap_or((
        Window {
            from: span.start,
            target: TimeDelta::zero(),
        },
        None,
    ));
    let in_force = judged.get(last).map_or(shown.target, |(w, _)| w.target);

    if let Some(b) = breach.filter(|b| b.at_change) {
        because.push(crate::reason!(SlaBreachedAtChange, segments.elapsed(b.at)));
    }
    let deadline_in_force = if paused_at_end {
        None
    } else {
        segments.locate(in_force).map_err(Error::from)?
    };
    let kept_aside = chosen != last && shown.target != in_force;
    if let (true, Some(b)) = (kept_aside, breach) {
        let (at, missed, now) = (show(b.at), Arg::Iso(shown.target), Arg::Iso(in_force));
        because.push(match deadline_in_force {
            Some(d) => crate::reason!(SlaBreachKeptDue, at, missed, now, show(d)),
            None => crate::reason!(SlaBreachKept, at, missed, now),
        });
    }
    if input.breach == Breach::Recomputed && breach.is_none() {
        if let Some((_, Some(earlier))) = judged.iter().find(|(_, b)| b.is_some()) {
            because.push(crate::reason!(SlaBreachRecomputed, show(earlier.at)));
        }
    }

    let elapsed = segments.elapsed(end);
    let status = match (breach, stopped, paused_at_end) {
        (Some(_), _, _) => MetricStatus::Breached,
        (None, true, _) => MetricStatus::Met,
        (None, false, true) => MetricStatus::Paused,
        (None, false, false) => MetricStatus::Running,
    };
    let target = shown.target;
    let graced = input.grace > TimeDelta::zero();
    // The deadline is where the count passes the target; with a grace the
    // breach comes later, at the deadline plus the grace.
    let (deadline, deadline_count) = match breach {
        Some(b) if b.at_change => (Some(b.at), None),
        Some(b) if graced => (
            Some(
                segments
                    .locate(shown.target)
                    .map_err(Error::from)?
                    .map_or(shown.from, |t| t.max(shown.from))
                    .min(b.at),
            ),
            Some(shown.target),
        ),
        Some(b) => (Some(b.at), Some(shown.target)),
        None => (deadline_in_force, Some(in_force)),
    };
    // The close the customer reads: the earliest instant at which the
    // target is used up, when the deadline (the latest) is later.
    let due_by = match (deadline, deadline_count) {
        (Some(d), Some(count)) if count > TimeDelta::zero() => segments
            .reach(count)
            .map_err(Error::from)?
            .filter(|t| *t < d),
        _ => None,
    };
    let due_with_grace = match breach {
        _ if !graced => None,
        Some(b) => Some(b.at),
        None if paused_at_end => None,
        None => segments.locate(allowed(in_force)?).map_err(Error::from)?,
    };
    let warn_at = match (input.warn_at, paused_at_end) {
        (Some(WarnAt::Fraction(bp)), false) => {
            let ms = i128::from(target.num_milliseconds()) * i128::from(bp) / 10_000;
            let lead = i64::try_from(ms)
                .ok()
                .and_then(TimeDelta::try_milliseconds)
                .unwrap_or(TimeDelta::MAX);
            segments.locate(lead).map_err(Error::from)?
        }
        (Some(WarnAt::Lead(lead)), false) if lead <= target => match target.checked_sub(&lead) {
            Some(count) => segments.locate(count).map_err(Error::from)?,
            None => None,
        },
        _ => None,
    };
    let difference = |a: TimeDelta, b: TimeDelta| {
        a.checked_sub(&b).ok_or_else(|| {
            out_of_range(
                input,
                format!(
                    "the difference of {} and {} is beyond the longest duration the engine can count",
                    format_iso(a),
                    format_iso(b)
                ),
            )
        })
    };
    let positive = |d: TimeDelta| (d > TimeDelta::zero()).then_some(Duration(d));
    let allowance = allowed(target)?;
    let remaining = positive(difference(allowance, elapsed)?);
    let overdue = positive(difference(elapsed, allowance)?);
    Ok(CycleOutcome {
        cycle: Cycle {
            started_at: Some(show(span.start)),
            stopped_at: span.stop.map(show),
            deadline: deadline.map(show),
            due_by: due_by.map(show),
            due_with_grace: due_with_grace.map(show),
            warn_at: warn_at.map(show),
            status,
            breached_at: breach.map(|b| show(b.at)),
            elapsed: Some(Duration(elapsed)),
            remaining,
            overdue,
        },
        target: Some(target),
        current_target: kept_aside.then_some(in_force),
        current_deadline: if kept_aside {
            deadline_in_force.map(show)
        } else {
            None
        },
        because,
    })
}

/// A located error for a count beyond what a `TimeDelta` holds.
fn out_of_range(input: &ClockInput<'_>, message: String) -> Error {
    let (policy, path) = input.location;
    Error::policy(policy, format!("{path}.target"), message)
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
