//! Counting on one cycle's running spans (the cycle minus its pauses):
//! the time elapsed up to an instant, and the instant a count is reached.

use crate::calendar::{Calendar, CalendarError};
use chrono::{DateTime, TimeDelta, Utc};

/// Running spans of a cycle, up to its end (stop or `as_of`).
pub(super) struct Segments<'a> {
    pub(super) calendar: &'a Calendar,
    /// `[a, b)` spans of running time, the last one possibly extending past `end`.
    pub(super) spans: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    /// Whether the clock still runs (or, for a stopped cycle, would run) after the last span.
    pub(super) open_ended: bool,
}

impl Segments<'_> {
    /// Counted time from the start to `t`.
    pub(super) fn elapsed(&self, t: DateTime<Utc>) -> TimeDelta {
        self.spans
            .iter()
            .filter(|(a, _)| *a < t)
            .map(|(a, b)| self.calendar.between(*a, (*b).min(t)))
            .fold(TimeDelta::zero(), |sum, d| sum + d)
    }

    /// The earliest instant at which `count` (positive) has elapsed: the
    /// millisecond after the latest instant at which `count − 1 ms` has.
    /// `None` when the clock is paused before reaching it.
    pub(super) fn reach(
        &self,
        count: TimeDelta,
    ) -> std::result::Result<Option<DateTime<Utc>>, CalendarError> {
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
    pub(super) fn locate(
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
