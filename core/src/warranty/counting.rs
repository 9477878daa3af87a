//! Day arithmetic for warranty and statutory periods: a period's last day
//! under the policy's counting rule (PRC Civil Code arts. 201-203 by
//! default), the day number of a date within a period, and the days a
//! repair kept the product out of service. Nothing here panics: dates past
//! chrono's range saturate at its ends.

use super::spec::{DayCounting, PartialDay};
use crate::duration::CalendarPeriod;
use crate::error::{Error, Result};
use crate::ticket::{local_date, Repair};
use chrono::{DateTime, Days, FixedOffset, NaiveDate};
use std::collections::BTreeSet;

/// The longest range of rest days one entry may list (ten years).
const MAX_REST_RANGE_DAYS: i64 = 3_660;

/// How periods are counted for one policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Counting {
    /// Whether the starting day counts.
    pub rule: DayCounting,
    /// Dates a statutory period may not end on (Civil Code art. 203).
    rest_days: BTreeSet<NaiveDate>,
}

impl Counting {
    /// Compiles `[warranty] counting` and `rest_days`.
    pub fn compile(policy_id: &str, rule: DayCounting, rest_days: &[String]) -> Result<Counting> {
        let mut set = BTreeSet::new();
        for (i, text) in rest_days.iter().enumerate() {
            let path = format!("warranty.rest_days[{i}]");
            let bad = |why: String| Error::policy(policy_id, path.clone(), why);
            let parse = |s: &str| {
                s.trim().parse::<NaiveDate>().map_err(|_| {
                    bad(format!(
                        "`{text}`: expected a date \"YYYY-MM-DD\" or a range \"YYYY-MM-DD..YYYY-MM-DD\""
                    ))
                })
            };
            let (first, last) = match text.split_once("..") {
                Some((a, b)) => (parse(a)?, parse(b)?),
                None => {
                    let d = parse(text)?;
                    (d, d)
                }
            };
            let span = days_between(first, last);
            if span < 0 {
                return Err(bad(format!("`{text}`: the range ends before it starts")));
            }
            if span > MAX_REST_RANGE_DAYS {
                return Err(bad(format!(
                    "`{text}`: a range may span at most {MAX_REST_RANGE_DAYS} days"
                )));
            }
            let mut day = first;
            while day <= last {
                set.insert(day);
                match day.succ_opt() {
                    Some(next) => day = next,
                    None => break,
                }
            }
        }
        Ok(Counting {
            rule,
            rest_days: set,
        })
    }

    /// The last day (inclusive) of `period` counted from `start`.
    ///
    /// Under `civil-code` the starting day is not counted, so the last day
    /// is the corresponding day: 2 years from 2025-12-03 end on
    /// 2027-12-03, 1 month from 2025-01-31 on 2025-02-28. Under
    /// `start-day-counts` it is the day before.
    pub fn last_day(&self, start: NaiveDate, period: CalendarPeriod) -> NaiveDate {
        let corresponding = period_after(period, start);
        match self.rule {
            DayCounting::CivilCode => corresponding,
            DayCounting::StartDayCounts => add_days(corresponding, -1).max(start),
        }
    }

    /// The last day of a statutory period: [`Counting::last_day`], moved
    /// past rest days (Civil Code art. 203). Returns the day and, when it
    /// moved, the day it would have been.
    pub fn statutory_last_day(
        &self,
        start: NaiveDate,
        period: CalendarPeriod,
    ) -> (NaiveDate, Option<NaiveDate>) {
        self.past_rest_days(self.last_day(start, period))
    }

    /// `day`, or the first day after it that is not a rest day (Civil
    /// Code art. 203), with the original day when it moved.
    pub fn past_rest_days(&self, plain: NaiveDate) -> (NaiveDate, Option<NaiveDate>) {
        let mut day = plain;
        while self.rest_days.contains(&day) {
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        (day, (day != plain).then_some(plain))
    }

    /// The number of `date` in a period starting on `start`: under
    /// `civil-code` the day after `start` is day 1 (`start` itself is day
    /// 0); under `start-day-counts` `start` is day 1.
    pub fn day_number(&self, start: NaiveDate, date: NaiveDate) -> i64 {
        let plain = days_between(start, date);
        match self.rule {
            DayCounting::CivilCode => plain,
            DayCounting::StartDayCounts => plain.saturating_add(1),
        }
    }
}

/// `to - from` in days (negative when `to` is earlier).
pub(crate) fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    to.signed_duration_since(from).num_days()
}

/// `date + days`, saturating at chrono's range.
pub(crate) fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    let moved = if days >= 0 {
        date.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        date.checked_sub_days(Days::new(days.unsigned_abs()))
    };
    moved.unwrap_or(if days >= 0 {
        NaiveDate::MAX
    } else {
        NaiveDate::MIN
    })
}

/// `date + period` (month ends clamp), saturating at chrono's range.
pub(crate) fn period_after(period: CalendarPeriod, date: NaiveDate) -> NaiveDate {
    period.after(date).unwrap_or(NaiveDate::MAX)
}

/// Whether a period adds nothing (`"0 days"`).
pub(crate) fn is_zero(period: CalendarPeriod) -> bool {
    matches!(
        period,
        CalendarPeriod::Days(0) | CalendarPeriod::Months(0) | CalendarPeriod::Years(0)
    )
}

/// The days one repair kept the product out of service, and how they were
/// found, in words. In order of precedence: the CRM's own count
/// (`days_in_repair`); the instants `received_at` .. `resolved_at` under
/// the policy's partial-day rule; the dates `received_on` .. `resolved_on`
/// (with dates only, `started-24h` counts at least one day, `whole-24h`
/// the nights between, `calendar-days` both dates included). `None` when
/// the repair says neither.
pub(crate) fn repair_days(
    repair: &Repair,
    partial: PartialDay,
) -> Option<(u32, crate::reason::Arg)> {
    use crate::reason::Arg;
    if let Some(days) = repair.days_in_repair {
        return Some((days, Arg::Static("days_in_repair")));
    }
    if let (Some(from), Some(to)) = (repair.received_at, repair.resolved_at) {
        const DAY_MS: i64 = 86_400_000;
        let ms = to.signed_duration_since(from).num_milliseconds().max(0);
        let days = match partial {
            PartialDay::Started24h => ms.div_euclid(DAY_MS) + i64::from(ms.rem_euclid(DAY_MS) > 0),
            PartialDay::Whole24h => ms.div_euclid(DAY_MS),
            PartialDay::CalendarDays => {
                let last = local_date(&to.with_timezone(from.offset()));
                days_between(local_date(&from), last).max(0) + 1
            }
        };
        let hours = ms / 3_600_000;
        let minutes = (ms / 60_000) % 60;
        let how = if minutes == 0 {
            crate::reason!(WarrantyRepairHours, hours)
        } else {
            crate::reason!(WarrantyRepairHoursMinutes, hours, minutes)
        };
        return Some((saturate(days), how.into()));
    }
    if let (Some(from), Some(to)) = (repair.received_on, repair.resolved_on) {
        let nights = days_between(from, to).max(0);
        let days = match partial {
            PartialDay::Started24h => nights.max(1),
            PartialDay::Whole24h => nights,
            PartialDay::CalendarDays => nights + 1,
        };
        return Some((
            saturate(days),
            crate::reason!(WarrantyRepairDates, from, to).into(),
        ));
    }
    None
}

/// The date a repair began, as far as the ticket tells.
pub(crate) fn repair_began(repair: &Repair) -> Option<NaiveDate> {
    repair
        .received_on
        .or_else(|| repair.received_at.as_ref().map(local_date))
        .or(repair.resolved_on)
        .or_else(|| repair.resolved_at.as_ref().map(local_date))
}

fn saturate(days: i64) -> u32 {
    u32::try_from(days.max(0)).unwrap_or(u32::MAX)
}

/// How `because` names a partial-day rule.
pub(crate) fn partial_day_words(partial: PartialDay) -> crate::reason::Term {
    use crate::reason::Term;
    match partial {
        PartialDay::Started24h => Term::Started24h,
        PartialDay::Whole24h => Term::Whole24h,
        PartialDay::CalendarDays => Term::CalendarDays,
    }
}

/// An instant as RFC 3339 text, for `because`; never panics.
pub(crate) fn instant_text(at: &DateTime<FixedOffset>) -> String {
    match at.naive_utc().checked_add_offset(*at.offset()) {
        Some(_) => at.to_rfc3339(),
        None => format!("{}Z", at.naive_utc().format("%Y-%m-%dT%H:%M:%S")),
    }
}
