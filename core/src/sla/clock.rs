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

use super::escalation::{levels, Base, EscalationRule};
use super::result::{Cycle, Escalation, Held, MetricStatus};
use super::segments::Segments;
use crate::calendar::Calendar;
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
    /// This many business days before the deadline, converted to counted
    /// time at the deadline: the open time from the same wall-clock time
    /// that many business days earlier.
    BusinessDays(u32),
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
    /// Since when the ticket's status hides the deadline (a running cycle
    /// only; never before its start).
    pub hidden_since: Option<DateTime<Utc>>,
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
    /// The escalation levels, measured from the deadline.
    pub escalations: &'a [EscalationRule],
    /// Whether a business-day target is due at the close of its last
    /// working day rather than at the same wall-clock time.
    pub end_of_working_day: bool,
    /// A grace in business days (instead of `grace`), converted to counted
    /// time at the deadline; zero when the grace is counted time or none.
    pub grace_business_days: u32,
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
    /// A grace in business days as the counted time it came to at the
    /// deadline of `target`; none for a grace in counted time.
    pub grace_counted: Option<TimeDelta>,
    /// The deadline under the target in force, when a kept breach shows
    /// another target (none while paused).
    pub current_deadline: Option<DateTime<FixedOffset>>,
    /// Why.
    pub because: Vec<crate::reason::Reason>,
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
///
/// The phases: the running spans (the cycle minus its pauses), the level it
/// starts with, a window per change that gives a new target, each window
/// judged, the verdict (which window the fields are about), and the fields.
pub fn run_cycle(
    span: &CycleSpan,
    input: &ClockInput<'_>,
    target_for: &mut dyn FnMut(&str) -> Result<ResolvedTarget>,
) -> Result<CycleOutcome> {
    let (run, pauses) = Run::new(span, input);
    let key = starting_key(span, input);
    let first = target_for(key)?;
    let Some(first_duration) = first.duration else {
        // A metric without a target never applies: no cycle fields.
        return Ok(CycleOutcome {
            cycle: Cycle::empty(MetricStatus::NotApplicable),
            target: None,
            current_target: None,
            grace_counted: None,
            current_deadline: None,
            because: vec![first.because],
        });
    };
    let mut because = vec![first.because];
    because.extend(pauses);
    let windows = run.windows(first_duration, key, target_for, &mut because)?;
    let judged = run.judge(&windows)?;
    let verdict = run.verdict(&judged, &mut because)?;
    run.outcome(&verdict, because)
}

/// The value of the key in force when the cycle starts: a change at the
/// start's instant has nothing elapsed to recompute, so it counts as in
/// force from the start, whether listed before or after the start event;
/// one listed after the cycle's stop does nothing to it.
fn starting_key<'a>(span: &CycleSpan, input: &ClockInput<'a>) -> &'a str {
    let changes: &'a [Change] = input.changes;
    changes
        .iter()
        .rev()
        .find(|c| c.at <= span.start && span.stop_order.is_none_or(|stop| c.order < stop))
        .map_or(input.initial, |c| c.to.as_str())
}

/// One cycle being computed: its history, the clock's input, and its
/// running spans.
struct Run<'r, 'a> {
    span: &'r CycleSpan,
    input: &'r ClockInput<'a>,
    segments: Segments<'r>,
    /// The cycle's end: its stop, or `as_of` (never before its start).
    end: DateTime<Utc>,
    /// Whether the cycle has stopped.
    stopped: bool,
    /// Whether the clock is paused at `as_of` (never for a stopped cycle).
    paused_at_end: bool,
}

/// The window the fields are about, and what the verdict found.
struct Verdict {
    /// The window shown: the first breached one under a kept breach, else
    /// the last.
    shown: Window,
    /// Its breach, if any.
    breach: Option<Breached>,
    /// The target in force (the last window's).
    in_force: TimeDelta,
    /// Whether a kept breach shows another target than the one in force.
    kept_aside: bool,
    /// The deadline under the target in force (none while paused).
    deadline_in_force: Option<DateTime<Utc>>,
}

impl<'r, 'a> Run<'r, 'a> {
    /// The running spans of a cycle (the cycle minus its pauses), with a
    /// reason per pause.
    fn new(span: &'r CycleSpan, input: &'r ClockInput<'a>) -> (Self, Vec<Reason>) {
        let show = |t: DateTime<Utc>| (input.output_zone)(t);
        let stopped = span.stop.is_some();
        let end = span.stop.unwrap_or(input.as_of).max(span.start);
        let paused_at_end = !stopped && span.pauses.iter().any(|(_, until)| until.is_none());
        let mut because = Vec::new();
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
        let run = Run {
            span,
            input,
            segments,
            end,
            stopped,
            paused_at_end,
        };
        (run, because)
    }

    /// An instant shown in the output zone.
    fn show(&self, t: DateTime<Utc>) -> DateTime<FixedOffset> {
        (self.input.output_zone)(t)
    }

    /// The latest instant at which `count` has elapsed (see [`Segments::locate`]).
    fn locate(&self, count: TimeDelta) -> Result<Option<DateTime<Utc>>> {
        self.segments.locate(count).map_err(Error::from)
    }

    /// Whether a change applies to this cycle: after its start, and before
    /// its stop (in listed order for a stopped cycle).
    fn applies(&self, change: &Change) -> bool {
        change.at > self.span.start
            && match self.span.stop_order {
                Some(stop) => change.order < stop,
                None => change.at <= self.end,
            }
    }

    /// The windows: the first target from the start, then one per change
    /// that gives a new target, applied in the order listed; a change listed
    /// after the stop does nothing.
    fn windows(
        &self,
        first: ServiceDuration,
        mut key: &'a str,
        target_for: &mut dyn FnMut(&str) -> Result<ResolvedTarget>,
        because: &mut Vec<Reason>,
    ) -> Result<Vec<Window>> {
        let start = self.span.start;
        let mut windows = vec![Window {
            from: start,
            target: counted(first, start, self.input)?,
        }];
        let changes: &'a [Change] = self.input.changes;
        for change in changes.iter().filter(|c| self.applies(c)) {
            if change.to == key {
                continue;
            }
            key = change.to.as_str();
            let resolved = target_for(key)?;
            let Some(duration) = resolved.duration else {
                because.push(crate::reason!(
                    SlaChangeNoTarget,
                    change.label.clone(),
                    self.show(change.at),
                    resolved.because
                ));
                continue;
            };
            let in_force = windows.last().map_or(TimeDelta::zero(), |w| w.target);
            let used = self.segments.elapsed(change.at);
            let target = self.target_after(change, duration, used)?;
            if target == in_force {
                continue;
            }
            because.push(self.change_reason(change, resolved.because, used));
            windows.push(Window {
                from: change.at,
                target,
            });
        }
        Ok(windows)
    }

    /// The target a change brings in, as counted time from the cycle's
    /// start: the new duration from the start, or the time `used` at the
    /// change plus the new duration from the change.
    fn target_after(
        &self,
        change: &Change,
        duration: ServiceDuration,
        used: TimeDelta,
    ) -> Result<TimeDelta> {
        match self.input.recompute {
            Recompute::FromStart => counted(duration, self.span.start, self.input),
            Recompute::FromChange => {
                let from_change = counted(duration, change.at, self.input)?;
                used.checked_add(&from_change).ok_or_else(|| {
                    out_of_range(
                        self.input,
                        format!(
                            "{} at {}: {} already elapsed plus the new target {} is beyond \
                             the longest duration the engine can count",
                            change.label,
                            self.show(change.at).to_rfc3339(),
                            format_human(used),
                            format_iso(from_change)
                        ),
                    )
                })
            }
        }
    }

    /// Why a change brings in a new target.
    fn change_reason(&self, change: &Change, target: Reason, used: TimeDelta) -> Reason {
        let (label, at) = (change.label.clone(), self.show(change.at));
        match self.input.recompute {
            Recompute::FromStart => {
                let start = self.show(self.span.start);
                crate::reason!(SlaChangeFromStart, label, at, target, start)
            }
            Recompute::FromChange => crate::reason!(SlaChangeFromChange, label, at, target, used),
        }
    }

    /// Whether the metric has a grace (counted time or business days).
    fn graced(&self) -> bool {
        self.input.grace > TimeDelta::zero() || self.input.grace_business_days > 0
    }

    /// The grace past the deadline of `target` as counted time: business
    /// days become the open time from that deadline to the same wall-clock
    /// time that many business days later (while paused, from the deadline
    /// as it stood when the pause began).
    fn grace(&self, target: TimeDelta) -> Result<TimeDelta> {
        let days = self.input.grace_business_days;
        if days == 0 {
            return Ok(self.input.grace);
        }
        let calendar = self.input.calendar;
        let running = Segments {
            calendar,
            spans: self.segments.spans.clone(),
            open_ended: true,
        };
        match running.locate(target).map_err(Error::from)? {
            Some(deadline) => {
                let until = calendar.add_business_days(deadline, days)?;
                Ok(calendar.between(deadline, until))
            }
            None => Ok(TimeDelta::zero()),
        }
    }

    /// The target plus the grace, the count past which a window is breached.
    fn allowed(&self, target: TimeDelta) -> Result<TimeDelta> {
        let grace = self.grace(target)?;
        target.checked_add(&grace).ok_or_else(|| {
            out_of_range(
                self.input,
                format!(
                    "the target {} plus the grace {} is beyond the longest duration the engine can count",
                    format_iso(target),
                    format_iso(grace)
                ),
            )
        })
    }

    /// Judges each window: breached when the count passed its target (plus
    /// the grace) before the window ended, at the change when it had
    /// already passed it when the window opened.
    fn judge(&self, windows: &[Window]) -> Result<Vec<(Window, Option<Breached>)>> {
        let mut judged = Vec::with_capacity(windows.len());
        for (i, window) in windows.iter().enumerate() {
            let until = windows.get(i + 1).map_or(self.end, |next| next.from);
            let allowance = self.allowed(window.target)?;
            let breach = if self.segments.elapsed(until) <= allowance {
                None
            } else if self.segments.elapsed(window.from) > allowance {
                Some(Breached {
                    at: window.from,
                    at_change: true,
                })
            } else {
                let at = self
                    .locate(allowance)?
                    .map_or(window.from, |t| t.max(window.from));
                Some(Breached {
                    at,
                    at_change: false,
                })
            };
            judged.push((*window, breach));
        }
        Ok(judged)
    }

    /// Chooses the window the fields are about (the first breached one
    /// under [`Breach::Kept`], else the last) and says why.
    fn verdict(
        &self,
        judged: &[(Window, Option<Breached>)],
        because: &mut Vec<Reason>,
    ) -> Result<Verdict> {
        let last = judged.len().saturating_sub(1);
        let chosen = match self.input.breach {
            Breach::Kept => judged.iter().position(|(_, b)| b.is_some()).unwrap_or(last),
            Breach::Recomputed => last,
        };
        let (shown, breach) = judged.get(chosen).copied().unwrap_or((
            Window {
                from: self.span.start,
                target: TimeDelta::zero(),
            },
            None,
        ));
        let in_force = judged.get(last).map_or(shown.target, |(w, _)| w.target);
        if let Some(b) = breach.filter(|b| b.at_change) {
            because.push(crate::reason!(
                SlaBreachedAtChange,
                self.segments.elapsed(b.at)
            ));
        }
        let deadline_in_force = if self.paused_at_end {
            None
        } else {
            self.locate(in_force)?
        };
        let kept_aside = chosen != last && shown.target != in_force;
        if let (true, Some(b)) = (kept_aside, breach) {
            let (at, missed, now) = (self.show(b.at), Arg::Iso(shown.target), Arg::Iso(in_force));
            because.push(match deadline_in_force {
                Some(d) => crate::reason!(SlaBreachKeptDue, at, missed, now, self.show(d)),
                None => crate::reason!(SlaBreachKept, at, missed, now),
            });
        }
        if self.input.breach == Breach::Recomputed && breach.is_none() {
            if let Some((_, Some(earlier))) = judged.iter().find(|(_, b)| b.is_some()) {
                because.push(crate::reason!(SlaBreachRecomputed, self.show(earlier.at)));
            }
        }
        Ok(Verdict {
            shown,
            breach,
            in_force,
            kept_aside,
            deadline_in_force,
        })
    }

    /// The cycle's fields under the verdict.
    fn outcome(&self, verdict: &Verdict, because: Vec<Reason>) -> Result<CycleOutcome> {
        let elapsed = self.segments.elapsed(self.end);
        let status = match (verdict.breach, self.stopped, self.paused_at_end) {
            (Some(_), _, _) => MetricStatus::Breached,
            (None, true, _) => MetricStatus::Met,
            (None, false, true) => MetricStatus::Paused,
            (None, false, false) => MetricStatus::Running,
        };
        let target = verdict.shown.target;
        let (deadline, deadline_count) = self.deadline(verdict)?;
        let due_by = self.due_by(deadline, deadline_count)?;
        let due_with_grace = self.due_with_grace(verdict)?;
        let warn_at = self.warn_at(target)?;
        let allowance = self.allowed(target)?;
        let remaining = positive(self.difference(allowance, elapsed)?);
        let overdue = positive(self.difference(elapsed, allowance)?);
        Ok(CycleOutcome {
            cycle: Cycle {
                started_at: Some(self.show(self.span.start)),
                counting_started_at: self.counting_started_at()?.map(|t| self.show(t)),
                stopped_at: self.span.stop.map(|t| self.show(t)),
                deadline: deadline.map(|t| self.show(t)),
                due_by: due_by.map(|t| self.show(t)),
                due_with_grace: due_with_grace.map(|t| self.show(t)),
                hidden_since: self
                    .span
                    .hidden_since
                    .filter(|_| !self.stopped)
                    .map(|t| self.show(t)),
                warn_at: warn_at.map(|t| self.show(t)),
                status,
                breached_at: verdict.breach.map(|b| self.show(b.at)),
                elapsed: Some(Duration(elapsed)),
                remaining,
                overdue,
                held: self.held(),
                escalations: self.escalations(verdict, deadline, deadline_count)?,
            },
            target: Some(target),
            current_target: verdict.kept_aside.then_some(verdict.in_force),
            grace_counted: if self.input.grace_business_days > 0 {
                Some(self.grace(target)?)
            } else {
                None
            },
            current_deadline: verdict
                .deadline_in_force
                .filter(|_| verdict.kept_aside)
                .map(|t| self.show(t)),
            because,
        })
    }

    /// The deadline, and the count it is where the count passes (none for
    /// a breach at a change, whose deadline is the change). With a grace
    /// the breach comes later, at the deadline plus the grace; a deadline
    /// passed before the change that brought its target in stays there.
    fn deadline(&self, verdict: &Verdict) -> Result<(Option<DateTime<Utc>>, Option<TimeDelta>)> {
        let graced = self.graced();
        let target = verdict.shown.target;
        Ok(match verdict.breach {
            Some(b) if b.at_change => (Some(b.at), None),
            Some(b) if graced => {
                let at = self.locate(target)?.map_or(b.at, |t| t.min(b.at));
                (Some(at), Some(target))
            }
            Some(b) => (Some(b.at), Some(target)),
            None => (verdict.deadline_in_force, Some(verdict.in_force)),
        })
    }

    /// The close the customer reads: the earliest instant at which the
    /// target is used up, when the deadline (the latest) is later.
    fn due_by(
        &self,
        deadline: Option<DateTime<Utc>>,
        count: Option<TimeDelta>,
    ) -> Result<Option<DateTime<Utc>>> {
        match (deadline, count) {
            (Some(d), Some(count)) if count > TimeDelta::zero() => Ok(self
                .segments
                .reach(count)
                .map_err(Error::from)?
                .filter(|t| *t < d)),
            _ => Ok(None),
        }
    }

    /// With a grace: when the promise is (or was) breached; none while paused.
    fn due_with_grace(&self, verdict: &Verdict) -> Result<Option<DateTime<Utc>>> {
        match verdict.breach {
            _ if !self.graced() => Ok(None),
            Some(b) => Ok(Some(b.at)),
            None if self.paused_at_end => Ok(None),
            None => self.locate(self.allowed(verdict.in_force)?),
        }
    }

    /// When to warn about `target`: at a share of it, or a lead before it;
    /// none while paused, nor for a lead longer than the target.
    fn warn_at(&self, target: TimeDelta) -> Result<Option<DateTime<Utc>>> {
        match (self.input.warn_at, self.paused_at_end) {
            (Some(WarnAt::Fraction(bp)), false) => {
                let ms = i128::from(target.num_milliseconds()) * i128::from(bp) / 10_000;
                let lead = i64::try_from(ms)
                    .ok()
                    .and_then(TimeDelta::try_milliseconds)
                    .unwrap_or(TimeDelta::MAX);
                self.locate(lead)
            }
            (Some(WarnAt::Lead(lead)), false) if lead <= target => {
                match target.checked_sub(&lead) {
                    Some(count) => self.locate(count),
                    None => Ok(None),
                }
            }
            (Some(WarnAt::BusinessDays(n)), false) => {
                let Some(deadline) = self.locate(target)? else {
                    return Ok(None);
                };
                let calendar = self.input.calendar;
                let earlier = calendar.sub_business_days(deadline, n)?;
                let lead = calendar.between(earlier, deadline);
                match target.checked_sub(&lead) {
                    Some(count) if lead <= target => self.locate(count),
                    _ => Ok(None),
                }
            }
            _ => Ok(None),
        }
    }

    /// The escalation levels, measured from the deadline shown (while
    /// paused, from the deadline as it stood when the pause began).
    fn escalations(
        &self,
        verdict: &Verdict,
        deadline: Option<DateTime<Utc>>,
        count: Option<TimeDelta>,
    ) -> Result<Vec<Escalation>> {
        let rules = self.input.escalations;
        if rules.is_empty() {
            return Ok(Vec::new());
        }
        let running = Segments {
            calendar: self.input.calendar,
            spans: self.segments.spans.clone(),
            open_ended: true,
        };
        let (deadline, count) = match (deadline, count) {
            (Some(d), Some(c)) => (Some(d), c),
            (Some(d), None) => (Some(d), self.segments.elapsed(d)),
            (None, _) if self.paused_at_end => (
                running.locate(verdict.in_force).map_err(Error::from)?,
                verdict.in_force,
            ),
            (None, _) => (None, TimeDelta::zero()),
        };
        let paused_since = self
            .span
            .pauses
            .iter()
            .find(|(_, until)| until.is_none())
            .map(|(from, _)| *from)
            .filter(|_| self.paused_at_end);
        let base = deadline.map(|deadline| Base {
            segments: &self.segments,
            deadline,
            count,
            start: self.span.start,
            stop: self.span.stop,
            as_of: self.input.as_of,
            paused_since,
            location: self.input.location,
        });
        levels(rules, base.as_ref(), self.input.output_zone)
    }

    /// The first instant counted up to the cycle's end: the first opening
    /// of the calendar in the first running span that has open time.
    fn counting_started_at(&self) -> Result<Option<DateTime<Utc>>> {
        let calendar = self.input.calendar;
        let counted = self
            .segments
            .spans
            .iter()
            .find(|(a, b)| calendar.between(*a, (*b).min(self.end)) > TimeDelta::zero());
        match counted {
            Some((a, _)) => Ok(Some(calendar.next_open(*a).map_err(Error::from)?)),
            None => Ok(None),
        }
    }

    /// The time paused from the start to the end (stop or `as_of`), on the
    /// calendar and on the wall clock; none when no time was paused.
    fn held(&self) -> Option<Held> {
        let (start, end) = (self.span.start, self.end);
        let (mut working, mut wall) = (TimeDelta::zero(), TimeDelta::zero());
        for (from, until) in &self.span.pauses {
            let from = (*from).max(start).min(end);
            let until = until.unwrap_or(end).min(end).max(from);
            working += self.input.calendar.between(from, until);
            wall += until - from;
        }
        (wall > TimeDelta::zero()).then_some(Held {
            working: Duration(working),
            wall: Duration(wall),
        })
    }

    /// `a − b`, or a located error beyond the longest duration.
    fn difference(&self, a: TimeDelta, b: TimeDelta) -> Result<TimeDelta> {
        a.checked_sub(&b).ok_or_else(|| {
            out_of_range(
                self.input,
                format!(
                    "the difference of {} and {} is beyond the longest duration the engine can count",
                    format_iso(a),
                    format_iso(b)
                ),
            )
        })
    }
}

/// A duration while positive.
fn positive(d: TimeDelta) -> Option<Duration> {
    (d > TimeDelta::zero()).then_some(Duration(d))
}

/// A located error for a count beyond what a `TimeDelta` holds.
fn out_of_range(input: &ClockInput<'_>, message: String) -> Error {
    let (policy, path) = input.location;
    Error::policy(policy, format!("{path}.target"), message)
}

/// A target as counted time: business days become the open time from
/// `from` to the business-day deadline (the same wall-clock time, or the
/// close of the last working day with `end_of_working_day`).
fn counted(
    duration: ServiceDuration,
    from: DateTime<Utc>,
    input: &ClockInput<'_>,
) -> Result<TimeDelta> {
    let calendar: &Calendar = input.calendar;
    match duration {
        ServiceDuration::Time(t) => Ok(t),
        ServiceDuration::BusinessDays(n) if input.end_of_working_day => {
            let due = calendar.close_of_business_days(from, n)?;
            Ok(calendar.between(from, due))
        }
        ServiceDuration::BusinessDays(n) => {
            let due = calendar.add_business_days(from, n)?;
            Ok(calendar.between(from, due))
        }
    }
}
