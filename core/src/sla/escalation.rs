//! Escalation levels (`[[targets.escalations]]`): instants before or after
//! a cycle's deadline, each measured in counted time, wall time or
//! business days, and where each stands at `as_of`.
//!
//! Counted time and business days are counts on the cycle's clock: the
//! count at the deadline plus or minus the offset (business days converted
//! to counted time at the deadline, as a target is at the start), located
//! on the running spans, so pauses push them as they push the deadline and
//! one already passed stays where it was. Wall time is the deadline plus or
//! minus the offset on the wall clock.

use super::result::{Escalation, EscalationState};
use super::segments::Segments;
use crate::error::{Error, Result};
use chrono::{DateTime, FixedOffset, TimeDelta, Utc};

/// Whether an escalation comes before or after the deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Before the deadline (`before = "1h"`).
    Before,
    /// After the deadline (`after = "3bd"`).
    After,
}

/// How far from the deadline an escalation lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offset {
    /// Counted time on the metric's calendar and pauses (`"1h"`).
    Counted(TimeDelta),
    /// Time on the wall clock (`"1h"` with `measure = "wall"`).
    Wall(TimeDelta),
    /// Business days on the metric's calendar (`"3bd"`), converted to
    /// counted time at the deadline.
    BusinessDays(u32),
}

/// A compiled `[[targets.escalations]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscalationRule {
    /// Its name, unique within the target.
    pub name: String,
    /// Before or after the deadline.
    pub side: Side,
    /// How far.
    pub offset: Offset,
}

/// The deadline the escalations of a cycle are measured from.
pub(super) struct Base<'s, 'c> {
    /// The cycle's running spans.
    pub segments: &'s Segments<'c>,
    /// The deadline (while paused, as it stood when the pause began).
    pub deadline: DateTime<Utc>,
    /// The count at the deadline.
    pub count: TimeDelta,
    /// The cycle's start, before which no escalation lies.
    pub start: DateTime<Utc>,
    /// The cycle's stop, if it has stopped.
    pub stop: Option<DateTime<Utc>>,
    /// The evaluation instant.
    pub as_of: DateTime<Utc>,
    /// When the open pause began, while the clock is paused at `as_of`.
    pub paused_since: Option<DateTime<Utc>>,
    /// The policy's id and the metric's TOML path, to locate errors.
    pub location: (&'s str, &'s str),
}

/// Each escalation of a cycle, with its instant and state. Without a base
/// (no deadline known), every one is pending with no instant.
pub(super) fn levels(
    rules: &[EscalationRule],
    base: Option<&Base<'_, '_>>,
    show: &dyn Fn(DateTime<Utc>) -> DateTime<FixedOffset>,
) -> Result<Vec<Escalation>> {
    let mut out = Vec::with_capacity(rules.len());
    for (i, rule) in rules.iter().enumerate() {
        let at = match base {
            Some(base) => base.instant(rule, i)?,
            None => None,
        };
        let state = match (at, base.and_then(|b| b.stop)) {
            (Some(t), Some(stop)) if stop <= t => EscalationState::Avoided,
            (Some(t), _) if base.is_some_and(|b| t <= b.as_of) => EscalationState::Reached,
            _ => EscalationState::Pending,
        };
        out.push(Escalation {
            level: u32::try_from(i + 1).unwrap_or(u32::MAX),
            name: rule.name.clone(),
            at: at.map(show),
            state,
        });
    }
    Ok(out)
}

impl Base<'_, '_> {
    /// The instant of the `i`-th escalation: never before the cycle's
    /// start; none while paused short of it.
    fn instant(&self, rule: &EscalationRule, i: usize) -> Result<Option<DateTime<Utc>>> {
        let calendar = self.segments.calendar;
        let count = match rule.offset {
            Offset::Wall(d) => return self.wall(rule.side, d, i),
            Offset::Counted(d) => d,
            Offset::BusinessDays(n) => match rule.side {
                Side::After => {
                    let to = calendar.add_business_days(self.deadline, n)?;
                    calendar.between(self.deadline, to)
                }
                Side::Before => {
                    let from = calendar.sub_business_days(self.deadline, n)?;
                    calendar.between(from, self.deadline)
                }
            },
        };
        let moved = match rule.side {
            Side::After => self.count.checked_add(&count),
            Side::Before => self.count.checked_sub(&count),
        }
        .ok_or_else(|| self.beyond(i))?;
        Ok(self
            .segments
            .locate(moved.max(TimeDelta::zero()))?
            .map(|t| t.max(self.start)))
    }

    /// The deadline moved on the wall clock; while paused, known only when
    /// it came before the pause.
    fn wall(&self, side: Side, d: TimeDelta, i: usize) -> Result<Option<DateTime<Utc>>> {
        let at = match side {
            Side::After => self.deadline.checked_add_signed(d),
            Side::Before => self.deadline.checked_sub_signed(d),
        }
        .filter(|t| crate::calendar::range::contains(*t))
        .ok_or_else(|| self.beyond(i))?
        .max(self.start);
        Ok(match self.paused_since {
            Some(pause) if at > pause => None,
            _ => Some(at),
        })
    }

    /// A located error for an escalation beyond the supported range.
    fn beyond(&self, i: usize) -> Error {
        let (policy, path) = self.location;
        Error::policy(
            policy,
            format!("{path}.escalations[{i}]"),
            "the escalation falls outside the supported range of instants or durations",
        )
    }
}
