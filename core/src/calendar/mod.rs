//! Business calendars: when a service clock runs.
//!
//! A [`Calendar`] answers questions about open time: how much of it lies
//! between two instants ([`Calendar::between`]), where a given amount of it
//! ends ([`Calendar::add`]), whether an instant is open. Instants are UTC;
//! local wall-clock time exists only inside the calendar, which resolves its
//! weekly hours, holidays, date overrides and breaks in its own time zone.
//!
//! Conventions (the same as zendesk/biz and pandas, see `docs/calendar.md`):
//! - `add(t, d)` is the latest instant at which `d` of open time has elapsed
//!   since `t`: time used up exactly at a close gives the next opening, and
//!   `add(t, 0)` is the next opening at or after `t`.
//! - `sub(t, d)` counts back and stops at an opening; `sub(t, 0)` is `t` when
//!   open, else the last close before it.
//! - `between(a, b)` is the open time in `[a, b)`, negative when `b < a`.
//! - Open time is real elapsed time: an interval that loses an hour to
//!   daylight saving is an hour shorter. A wall time in a spring-forward gap is
//!   shifted forward by the gap; an ambiguous wall time takes its first
//!   occurrence.
//! - Instants and dates lie in years 1900 through 2200 ([`range`]): an
//!   operation given an instant outside fails with
//!   [`CalendarError::OutOfRange`], and so does one whose answer would fall
//!   outside, so that every search is bounded. `between` counts only the
//!   part of its interval inside the range.

pub(crate) mod ics;
mod offset;
pub mod range;
mod spec;
mod table;

pub(crate) use offset::show_in;
pub use spec::{CalendarSpec, HolidaySpec, OverrideSpec};

use chrono::{
    DateTime, Datelike, Days, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta,
    TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use table::{normalise, subtract, Chunk, ChunkCache, CHUNK_MS};

/// Name of the built-in calendar that is always open.
pub const ALWAYS_OPEN: &str = "24x7";

/// How many consecutive chunks (about 12.1 days each) without open time a
/// search crosses before it reports that the calendar has none: 31 years.
const MAX_EMPTY_CHUNKS: i64 = 936;

/// How many days a business-day count walks without finding an open date.
const MAX_CLOSED_DAYS: u32 = 3_660;

/// How many chunks one `add` or `sub` walks at most: 30,400 chunks are about
/// 1,010 years. The supported range (three centuries, about 9,030 chunks)
/// stops every walk first; this is a second bound, should that change.
const MAX_WALK_CHUNKS: u32 = 30_400;

const DAY_SECONDS: u32 = 86_400;

/// How many days apart, in UTC, a chunk reads the zone's offset to find
/// that it does not change (see `Calendar::fixed_offset`): two days, well
/// under the 167 hours between the closest two changes of any zone.
const OFFSET_PROBE_DAYS: i64 = 2;

/// An error from building or querying a calendar. Every variant names the
/// calendar; construction errors also name the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// A field of the calendar's definition is invalid.
    #[error("calendar `{calendar}`, field `{field}`: {message}")]
    Invalid {
        /// Calendar name.
        calendar: String,
        /// Field path inside the calendar, e.g. `mon[1]` or `holidays[3]`.
        field: String,
        /// What is wrong and what was expected.
        message: String,
    },
    /// A search for open time found none.
    #[error("calendar `{calendar}` has no open time {direction} {from}")]
    NoOpenTime {
        /// Calendar name.
        calendar: String,
        /// Where the search started.
        from: DateTime<Utc>,
        /// `"after"` or `"before"`.
        direction: &'static str,
    },
    /// A policy has no calendar of that name.
    #[error("policy `{policy}` has no calendar `{calendar}` (its calendars: {known})")]
    Unknown {
        /// The policy's id.
        policy: String,
        /// The name asked for.
        calendar: String,
        /// The policy's calendars, joined by `, `.
        known: String,
    },
    /// An instant given, or the answer, lies outside the supported range
    /// (years 1900 through 2200).
    #[error("calendar `{calendar}`: {what} is outside the supported range of instants, years 1900 through 2200")]
    OutOfRange {
        /// Calendar name.
        calendar: String,
        /// What overflowed.
        what: String,
    },
}

/// The time zone a calendar reads wall-clock time in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// Wall-clock time with no zone: read in UTC, no daylight saving.
    Floating,
    /// An IANA zone.
    Tz(Tz),
}

impl Zone {
    /// Parses an IANA zone name, or `"floating"`.
    pub fn parse(name: &str) -> Result<Zone, String> {
        if name.eq_ignore_ascii_case("floating") {
            return Ok(Zone::Floating);
        }
        name.parse::<Tz>().map(Zone::Tz).map_err(|_| {
            format!("unknown time zone `{name}`; expected an IANA name such as \"Asia/Shanghai\" or \"floating\"")
        })
    }

    /// Local wall-clock time of an instant. Within a day of either end of
    /// chrono's range the local time may not be representable; it is then
    /// the first or last representable wall-clock time.
    pub fn local(&self, t: DateTime<Utc>) -> NaiveDateTime {
        match self {
            Zone::Floating => t.naive_utc(),
            Zone::Tz(tz) => {
                // Not `with_timezone(tz).naive_local()`: that panics when the
                // offset pushes the wall-clock time past chrono's range.
                let utc = t.naive_utc();
                let offset = tz.offset_from_utc_datetime(&utc).fix();
                utc.checked_add_offset(offset)
                    .unwrap_or(if offset.local_minus_utc() > 0 {
                        NaiveDateTime::MAX
                    } else {
                        NaiveDateTime::MIN
                    })
            }
        }
    }

    /// The instant of a local wall-clock time: a time in a spring-forward gap
    /// is shifted forward by the gap, an ambiguous time takes its first
    /// occurrence.
    pub fn resolve(&self, local: NaiveDateTime) -> DateTime<Utc> {
        let tz = match self {
            Zone::Floating => return local.and_utc(),
            Zone::Tz(tz) => tz,
        };
        match tz.from_local_datetime(&local) {
            LocalResult::Single(t) => t.with_timezone(&Utc),
            LocalResult::Ambiguous(a, b) => a.with_timezone(&Utc).min(b.with_timezone(&Utc)),
            LocalResult::None => {
                // In a gap: the offset in force before the transition applies,
                // which moves the wall time forward by the gap's length.
                let offset_near = |days: i64| {
                    local
                        .checked_add_signed(TimeDelta::days(days))
                        .map(|n| tz.offset_from_utc_datetime(&n).fix().local_minus_utc())
                        .unwrap_or(0)
                };
                let widest = offset_near(-1).max(offset_near(1));
                let shifted =
                    |seconds: i32| local.checked_sub_signed(TimeDelta::seconds(i64::from(seconds)));
                let before = shifted(widest)
                    .map(|probe| tz.offset_from_utc_datetime(&probe).fix().local_minus_utc())
                    .unwrap_or(widest);
                shifted(before).unwrap_or(local).and_utc()
            }
        }
    }

    /// The zone's name (`"floating"` for floating time).
    pub fn name(&self) -> &str {
        match self {
            Zone::Floating => "floating",
            Zone::Tz(tz) => tz.name(),
        }
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A local interval in seconds from the start of its day; `end` may run past
/// midnight (up to 48:00) for overnight intervals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LocalInterval {
    start: u32,
    end: u32,
}

/// A compiled calendar. Cheap to clone (shared), `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Calendar {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    name: String,
    zone: Zone,
    always_open: bool,
    /// Hours per weekday, Monday first.
    weekly: [Vec<LocalInterval>; 7],
    /// Listed holidays with their names, sorted by date, one entry a date.
    holidays: Vec<(NaiveDate, Option<String>)>,
    /// Recurring holidays: bit `d` of entry `m - 1` is day `d` of month `m`.
    recurring: [u32; 12],
    /// Date overrides, sorted by date, one entry a date.
    overrides: Vec<(NaiveDate, Vec<LocalInterval>)>,
    /// Breaks, sorted by date, one entry a date.
    breaks: Vec<(NaiveDate, Vec<LocalInterval>)>,
    /// The last date with open hours when the weekly hours are empty.
    last_open_date: Option<NaiveDate>,
    cache: ChunkCache,
}

impl Calendar {
    /// The built-in `24x7` calendar: always open, in UTC.
    pub fn always_open() -> Calendar {
        let whole_day = vec![LocalInterval {
            start: 0,
            end: DAY_SECONDS,
        }];
        Calendar {
            inner: Arc::new(Inner {
                name: ALWAYS_OPEN.to_string(),
                zone: Zone::Tz(Tz::UTC),
                always_open: true,
                weekly: std::array::from_fn(|_| whole_day.clone()),
                holidays: Vec::new(),
                recurring: [0; 12],
                overrides: Vec::new(),
                breaks: Vec::new(),
                last_open_date: None,
                cache: ChunkCache::default(),
            }),
        }
    }

    /// Compiles a calendar from its TOML form. `default_zone` is used when
    /// the spec names none (the policy's zone).
    pub fn new(
        name: &str,
        spec: &CalendarSpec,
        default_zone: Option<&str>,
    ) -> Result<Calendar, CalendarError> {
        let invalid = |field: &str, message: String| CalendarError::Invalid {
            calendar: name.to_string(),
            field: field.to_string(),
            message,
        };
        ics::refuse_unread(name, spec)?;
        let zone_name = spec.timezone.as_deref().or(default_zone).ok_or_else(|| {
            invalid(
                "timezone",
                "missing; give an IANA zone or \"floating\"".into(),
            )
        })?;
        let zone = Zone::parse(zone_name).map_err(|m| invalid("timezone", m))?;

        let mut weekly: [Vec<LocalInterval>; 7] = Default::default();
        let days = [
            ("mon", &spec.mon),
            ("tue", &spec.tue),
            ("wed", &spec.wed),
            ("thu", &spec.thu),
            ("fri", &spec.fri),
            ("sat", &spec.sat),
            ("sun", &spec.sun),
        ];
        // `weekdays` and `daily` are parsed once, then copied to each day.
        let mut shared: [Option<Vec<LocalInterval>>; 2] = [None, None];
        for (index, (key, own)) in days.iter().enumerate() {
            let (field, list, memo) = match (own, &spec.weekdays, &spec.daily) {
                (Some(list), _, _) => (*key, list, None),
                (None, Some(list), _) if index < 5 => ("weekdays", list, shared.get_mut(0)),
                (None, _, Some(list)) => ("daily", list, shared.get_mut(1)),
                _ => continue,
            };
            let hours = match memo {
                Some(Some(hours)) => hours.clone(),
                memo => {
                    let hours = parse_day(list, field).map_err(|(f, m)| invalid(&f, m))?;
                    if let Some(memo) = memo {
                        *memo = Some(hours.clone());
                    }
                    hours
                }
            };
            if let Some(slot) = weekly.get_mut(index) {
                *slot = hours;
            }
        }
        // An overnight interval must not run into the next day's first interval.
        for index in 0..7 {
            let spill = weekly
                .get(index)
                .and_then(|d| d.iter().map(|i| i.end).max())
                .unwrap_or(0);
            let next_start = weekly
                .get((index + 1) % 7)
                .and_then(|d| d.first())
                .map(|i| i.start + DAY_SECONDS);
            if let (Some(next_start), true) = (next_start, spill > DAY_SECONDS) {
                if spill > next_start {
                    let (key, next) = (days_key(index), days_key((index + 1) % 7));
                    return Err(invalid(
                        key,
                        format!(
                            "an overnight interval runs past the start of {next}'s first interval"
                        ),
                    ));
                }
            }
        }

        let mut holidays = Vec::with_capacity(spec.holidays.len() * 4);
        for (i, holiday) in spec.holidays.iter().enumerate() {
            let field = || format!("holidays[{i}]");
            let (text, label) = match holiday {
                HolidaySpec::Date(text) => (text, None),
                HolidaySpec::Named { date, name } => (date, Some(name.clone())),
            };
            let (first, last) = parse_date_range(text).map_err(|m| invalid(&field(), m))?;
            let mut date = first;
            while date <= last {
                holidays.push((date, label.clone()));
                date = match date.succ_opt() {
                    Some(next) => next,
                    None => break,
                };
            }
        }
        let holidays = by_date(holidays);
        let mut recurring = [0u32; 12];
        for (i, text) in spec.recurring_holidays.iter().enumerate() {
            let field = format!("recurring_holidays[{i}]");
            let parsed = text
                .split_once('-')
                .and_then(|(m, d)| Some((m.parse::<u32>().ok()?, d.parse::<u32>().ok()?)))
                .filter(|(m, d)| NaiveDate::from_ymd_opt(2024, *m, *d).is_some())
                .ok_or_else(|| {
                    invalid(
                        &field,
                        format!("`{text}` is not a day of the year; expected MM-DD"),
                    )
                })?;
            if let Some(days) = recurring.get_mut(parsed.0.saturating_sub(1) as usize) {
                *days |= 1 << parsed.1;
            }
        }
        let mut overrides = Vec::with_capacity(spec.overrides.len());
        for (text, value) in &spec.overrides {
            let field = format!("overrides.{text}");
            let date = parse_date(text).map_err(|m| invalid(&field, m))?;
            let hours = match value {
                OverrideSpec::Intervals(list) => {
                    parse_day(list, &field).map_err(|(f, m)| invalid(&f, m))?
                }
                OverrideSpec::Weekday(day) => {
                    let weekday: Weekday = day.parse().map_err(|_| {
                        invalid(&field, format!("`{day}` is neither a list of intervals nor a weekday such as \"mon\""))
                    })?;
                    weekly
                        .get(weekday.num_days_from_monday() as usize)
                        .cloned()
                        .unwrap_or_default()
                }
            };
            overrides.push((date, hours));
        }
        let overrides = by_date(overrides);
        let mut breaks = Vec::with_capacity(spec.breaks.len());
        for (text, list) in &spec.breaks {
            let field = format!("breaks.{text}");
            let date = parse_date(text).map_err(|m| invalid(&field, m))?;
            breaks.push((
                date,
                parse_day(list, &field).map_err(|(f, m)| invalid(&f, m))?,
            ));
        }
        let breaks = by_date(breaks);

        let weekly_open = weekly.iter().any(|d| !d.is_empty());
        let last_open_date = if weekly_open {
            None
        } else {
            let last = overrides
                .iter()
                .filter(|(date, hours)| {
                    !hours.is_empty() && holidays.binary_search_by_key(date, |h| h.0).is_err()
                })
                .map(|(date, _)| *date)
                .max();
            match last {
                Some(date) => Some(date),
                None => {
                    return Err(invalid(
                        "hours",
                        "the calendar is never open: give hours for at least one weekday \
                         (mon … sun, weekdays or daily) or a date override"
                            .into(),
                    ))
                }
            }
        };
        let always_open = holidays.is_empty()
            && recurring == [0; 12]
            && overrides.is_empty()
            && breaks.is_empty()
            && weekly.iter().all(|d| {
                d.as_slice()
                    == [LocalInterval {
                        start: 0,
                        end: DAY_SECONDS,
                    }]
            });
        Ok(Calendar {
            inner: Arc::new(Inner {
                name: name.to_string(),
                zone,
                always_open,
                weekly,
                holidays,
                recurring,
                overrides,
                breaks,
                last_open_date,
                cache: ChunkCache::default(),
            }),
        })
    }

    /// Parses a calendar from a TOML table (the body of `[calendars.NAME]`).
    pub fn from_toml_str(name: &str, text: &str) -> Result<Calendar, CalendarError> {
        let spec: CalendarSpec = serde_path_to_error::deserialize(toml::Deserializer::new(text))
            .map_err(|e| {
                let field = e.path().to_string();
                let (field, message) = if field == "." {
                    // Not a field's value but the TOML itself: say where.
                    (String::new(), toml_syntax_message(text, e.inner()))
                } else {
                    (field, spec_type_message(e.inner().message()))
                };
                CalendarError::Invalid {
                    calendar: name.to_string(),
                    field,
                    message,
                }
            })?;
        Calendar::new(name, &spec, None)
    }

    /// The calendar's name.
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// The calendar's time zone.
    pub fn zone(&self) -> Zone {
        self.inner.zone
    }

    /// Whether the calendar is open at every instant (no arithmetic needed).
    pub fn is_always_open(&self) -> bool {
        self.inner.always_open
    }

    /// Whether the calendar has open hours on some day of the week.
    pub fn has_weekly_hours(&self) -> bool {
        self.inner.weekly.iter().any(|d| !d.is_empty())
    }

    /// Whether the local date of `t` is a holiday (listed or recurring).
    pub fn is_holiday(&self, t: DateTime<Utc>) -> bool {
        self.is_holiday_date(self.inner.zone.local(t).date())
    }

    /// Whether a local date is a holiday (listed or recurring).
    pub fn is_holiday_date(&self, date: NaiveDate) -> bool {
        self.is_recurring_holiday(date) || find(&self.inner.holidays, date).is_some()
    }

    fn is_recurring_holiday(&self, date: NaiveDate) -> bool {
        self.inner
            .recurring
            .get(date.month0() as usize)
            .is_some_and(|days| days & (1 << date.day()) != 0)
    }

    /// The holiday's name, when the local date is a named holiday.
    pub fn holiday_name(&self, date: NaiveDate) -> Option<&str> {
        find(&self.inner.holidays, date).and_then(|n| n.as_deref())
    }

    /// Whether the calendar is open at `t` (periods are half-open: open at
    /// an opening instant, closed at a closing instant).
    pub fn is_open(&self, t: DateTime<Utc>) -> bool {
        if self.inner.always_open {
            return true;
        }
        let t = t.timestamp_millis();
        self.chunk(chunk_of(t)).contains(t)
    }

    /// Counts `d` of open time from `start`: the latest instant at which the
    /// count equals `d` (see the module docs). A negative `d` counts back.
    pub fn add(&self, start: DateTime<Utc>, d: TimeDelta) -> Result<DateTime<Utc>, CalendarError> {
        self.supported(start, "the start")?;
        let d_ms = d.num_milliseconds();
        if d_ms < 0 {
            return self.sub(start, -d);
        }
        let t = start.timestamp_millis();
        // Open time never runs faster than elapsed time, so the deadline is
        // at or after `t + d`: when that is past the last representable
        // instant, say so now rather than walk to the end of the range.
        let earliest = t.checked_add(d_ms);
        if self.inner.always_open || !earliest.is_some_and(range::contains_ms) {
            return self.instant(earliest, "the deadline");
        }
        let mut k = chunk_of(t);
        let mut count = self.chunk(k).open_before(t).saturating_add(d_ms);
        let mut empty_run = 0;
        let mut walked = 0;
        loop {
            let chunk = self.chunk(k);
            let total = chunk.total();
            if count < total {
                return self.instant(chunk.locate_forward(count), "the deadline");
            }
            count -= total;
            empty_run = if total == 0 { empty_run + 1 } else { 0 };
            if empty_run > MAX_EMPTY_CHUNKS || self.past_last_open_date(k) {
                return Err(self.no_open_time(start, "after"));
            }
            walked += 1;
            if walked > MAX_WALK_CHUNKS {
                return Err(self.out_of_range("a deadline more than 1,000 years ahead"));
            }
            k = self.next_chunk(k, 1)?;
        }
    }

    /// Counts `d` of open time back from `end`, stopping at an opening.
    /// `sub(t, 0)` is `t` when open, else the last close at or before `t`.
    pub fn sub(&self, end: DateTime<Utc>, d: TimeDelta) -> Result<DateTime<Utc>, CalendarError> {
        self.supported(end, "the end")?;
        let d_ms = d.num_milliseconds();
        if d_ms < 0 {
            return self.add(end, -d);
        }
        let t = end.timestamp_millis();
        // As in `add`: the start is at or before `t - d`.
        let latest = t.checked_sub(d_ms);
        if self.inner.always_open || !latest.is_some_and(range::contains_ms) {
            return self.instant(latest, "the start");
        }
        if d_ms == 0 {
            return self.prev_close(end);
        }
        let mut k = chunk_of(t);
        let chunk = self.chunk(k);
        let before = chunk.open_before(t);
        if d_ms <= before {
            return self.instant(chunk.locate_backward(before - d_ms), "the start");
        }
        let mut remaining = d_ms - before;
        let mut empty_run = 0;
        let mut walked = 0;
        loop {
            k = self.next_chunk(k, -1)?;
            let chunk = self.chunk(k);
            let total = chunk.total();
            if remaining <= total {
                return self.instant(chunk.locate_backward(total - remaining), "the start");
            }
            remaining -= total;
            empty_run = if total == 0 { empty_run + 1 } else { 0 };
            if empty_run > MAX_EMPTY_CHUNKS {
                return Err(self.no_open_time(end, "before"));
            }
            walked += 1;
            if walked > MAX_WALK_CHUNKS {
                return Err(self.out_of_range("a start more than 1,000 years back"));
            }
        }
    }

    /// Open time in `[a, b)`; `between(b, a) == -between(a, b)`. Only the
    /// part of `[a, b)` inside the supported range (years 1900 through 2200) is counted,
    /// so the work is bounded whatever the instants.
    pub fn between(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> TimeDelta {
        if b < a {
            return -self.between(b, a);
        }
        let clamp = |t: DateTime<Utc>| t.timestamp_millis().clamp(range::FIRST_MS, range::END_MS);
        let (a, b) = (clamp(a), clamp(b));
        if self.inner.always_open {
            return TimeDelta::milliseconds(b - a);
        }
        let (ka, kb) = (chunk_of(a), chunk_of(b));
        let open = if ka == kb {
            let chunk = self.chunk(ka);
            chunk.open_before(b) - chunk.open_before(a)
        } else {
            let first = self.chunk(ka);
            let mut open = first.total() - first.open_before(a);
            for k in ka.saturating_add(1)..kb {
                open += self.chunk(k).total();
            }
            open + self.chunk(kb).open_before(b)
        };
        TimeDelta::milliseconds(open)
    }

    /// The first open instant at or after `t` (`add(t, 0)`).
    pub fn next_open(&self, t: DateTime<Utc>) -> Result<DateTime<Utc>, CalendarError> {
        self.add(t, TimeDelta::zero())
    }

    /// The last open instant at or before `t`: `t` when open, else the last
    /// close at or before it (`sub(t, 0)`).
    pub fn prev_close(&self, t: DateTime<Utc>) -> Result<DateTime<Utc>, CalendarError> {
        self.supported(t, "the instant")?;
        if self.is_open(t) {
            return Ok(t);
        }
        let t_ms = t.timestamp_millis();
        let mut k = chunk_of(t_ms);
        for _ in 0..=MAX_EMPTY_CHUNKS {
            if let Some(end) = self.chunk(k).last_end_at_or_before(t_ms) {
                return self.instant(Some(end), "the last close");
            }
            k = self.next_chunk(k, -1)?;
        }
        Err(self.no_open_time(t, "before"))
    }

    /// The end of the open period containing `t`, else of the next one.
    /// Periods that touch (a day open to 24:00 followed by one open from
    /// 00:00) are one period.
    pub fn next_close(&self, t: DateTime<Utc>) -> Result<DateTime<Utc>, CalendarError> {
        let never_closes = || CalendarError::NoOpenTime {
            calendar: self.inner.name.clone(),
            from: t,
            direction: "(it never closes) after",
        };
        self.supported(t, "the instant")?;
        if self.inner.always_open {
            return Err(never_closes());
        }
        let t_ms = t.timestamp_millis();
        let mut k = chunk_of(t_ms);
        let mut close: Option<i64> = None;
        let mut scanned = 0;
        loop {
            let chunk = self.chunk(k);
            let from = close.unwrap_or(t_ms);
            let mut i = chunk.first_ending_after(from);
            while let Some((start, end)) = chunk.period(i) {
                match close {
                    Some(c) if start > c => return self.instant(Some(c), "the next close"),
                    _ => close = Some(end),
                }
                i += 1;
            }
            scanned += 1;
            if scanned > MAX_EMPTY_CHUNKS {
                return Err(never_closes());
            }
            // The period may continue in the next chunk only if it ends at the boundary.
            let boundary = (k + 1).saturating_mul(CHUNK_MS);
            if let Some(c) = close {
                if c < boundary {
                    return self.instant(Some(c), "the next close");
                }
            }
            k = self.next_chunk(k, 1)?;
        }
    }

    /// The `n`-th following date that has open hours, at the same local
    /// wall-clock time, then the next opening at or after it (zendesk/biz).
    /// Zero days is `next_open(t)`.
    pub fn add_business_days(
        &self,
        t: DateTime<Utc>,
        n: u32,
    ) -> Result<DateTime<Utc>, CalendarError> {
        // No days to count: `t` itself, not its wall-clock time read back,
        // which in a DST fold is the first occurrence, up to an hour before `t`.
        self.supported(t, "the start")?;
        if n == 0 {
            return self.next_open(t);
        }
        let landing = self.step_business_days(t, n, 1)?;
        self.next_open(landing)
    }

    /// The `n`-th preceding date that has open hours, at the same local
    /// wall-clock time, then the last open instant at or before it.
    /// Zero days is `prev_close(t)`.
    pub fn sub_business_days(
        &self,
        t: DateTime<Utc>,
        n: u32,
    ) -> Result<DateTime<Utc>, CalendarError> {
        // As in `add_business_days`: zero days is `t` itself.
        self.supported(t, "the end")?;
        if n == 0 {
            return self.prev_close(t);
        }
        let landing = self.step_business_days(t, n, -1)?;
        self.prev_close(landing)
    }

    /// Whether a local date has open hours of its own (after holidays and breaks).
    pub fn is_business_day(&self, date: NaiveDate) -> bool {
        let mut spans = Vec::new();
        self.push_day_spans(date, &mut spans);
        normalise(&mut spans);
        let mut holes = Vec::new();
        for offset in [-1i64, 0, 1] {
            if let Some(d) = shift_date(date, offset) {
                self.push_break_spans(d, &mut holes);
            }
        }
        normalise(&mut holes);
        !subtract(&spans, &holes).is_empty()
    }

    fn step_business_days(
        &self,
        t: DateTime<Utc>,
        n: u32,
        step: i64,
    ) -> Result<DateTime<Utc>, CalendarError> {
        let local = self.inner.zone.local(t);
        let mut date = local.date();
        let mut found = 0;
        let mut closed_run = 0;
        while found < n {
            date = shift_date(date, step)
                .filter(|d| range::contains_date(*d))
                .ok_or_else(|| self.out_of_range("a business day"))?;
            if self.is_business_day(date) {
                found += 1;
                closed_run = 0;
            } else {
                closed_run += 1;
                if closed_run > MAX_CLOSED_DAYS {
                    return Err(self.no_open_time(t, if step > 0 { "after" } else { "before" }));
                }
            }
        }
        Ok(self.inner.zone.resolve(date.and_time(local.time())))
    }

    fn past_last_open_date(&self, k: i64) -> bool {
        let Some(last) = self.inner.last_open_date else {
            return false;
        };
        let chunk_start = k.saturating_mul(CHUNK_MS);
        match DateTime::from_timestamp_millis(chunk_start) {
            Some(t) => self.inner.zone.local(t).date() > last.succ_opt().unwrap_or(last),
            None => true,
        }
    }

    /// The next chunk in the direction of `step`, unless it lies wholly
    /// outside the supported range.
    fn next_chunk(&self, k: i64, step: i64) -> Result<i64, CalendarError> {
        let next = k.saturating_add(step);
        let edge = next.saturating_mul(CHUNK_MS);
        if edge >= range::END_MS || edge.saturating_add(CHUNK_MS) <= range::FIRST_MS {
            return Err(self.out_of_range("the search for open time"));
        }
        Ok(next)
    }

    /// The instant of an answer, when it lies in the supported range.
    fn instant(&self, ms: Option<i64>, what: &str) -> Result<DateTime<Utc>, CalendarError> {
        ms.filter(|ms| range::contains_ms(*ms))
            .and_then(DateTime::from_timestamp_millis)
            .ok_or_else(|| self.out_of_range(what))
    }

    /// Refuses an instant outside the supported range.
    fn supported(&self, t: DateTime<Utc>, what: &str) -> Result<(), CalendarError> {
        if range::contains(t) {
            return Ok(());
        }
        Err(self.out_of_range(&format!("{what} {}", t.to_rfc3339())))
    }

    fn out_of_range(&self, what: &str) -> CalendarError {
        CalendarError::OutOfRange {
            calendar: self.inner.name.clone(),
            what: what.to_string(),
        }
    }

    fn no_open_time(&self, from: DateTime<Utc>, direction: &'static str) -> CalendarError {
        CalendarError::NoOpenTime {
            calendar: self.inner.name.clone(),
            from,
            direction,
        }
    }

    fn chunk(&self, k: i64) -> Cow<'_, Chunk> {
        self.inner.cache.get_or_build(k, || self.build_chunk(k))
    }

    /// Resolves every local day that can reach chunk `k` into UTC spans,
    /// merges them, removes breaks and clips to the chunk.
    fn build_chunk(&self, k: i64) -> Chunk {
        self.build_chunk_by(k, true)
    }

    /// [`Calendar::build_chunk`], mapping wall times by a fixed offset where
    /// the zone keeps one only when `by_offset` is set (tests compare both).
    fn build_chunk_by(&self, k: i64, by_offset: bool) -> Chunk {
        let lo = k.saturating_mul(CHUNK_MS);
        let hi = lo.saturating_add(CHUNK_MS);
        let local_date =
            |ms: i64| DateTime::from_timestamp_millis(ms).map(|t| self.inner.zone.local(t).date());
        let (Some(first), Some(last)) = (local_date(lo), local_date(hi)) else {
            return Chunk::default();
        };
        let first = shift_date(first, -2).unwrap_or(first);
        let last = shift_date(last, 1).unwrap_or(last);
        let fixed = self.fixed_offset(first, last).filter(|_| by_offset);
        let days = (last - first).num_days().unsigned_abs();
        let mut spans = Vec::with_capacity(usize::try_from(days * 2 + 2).unwrap_or(0));
        let mut holes = Vec::new();
        // Holidays, overrides and breaks are walked in step with the dates.
        let inner = &*self.inner;
        let mut holidays = from_date(&inner.holidays, first);
        let mut overrides = from_date(&inner.overrides, first);
        let mut breaks = from_date(&inner.breaks, first);
        let recurring = inner.recurring != [0; 12];
        let mut weekday = first.weekday().num_days_from_monday() as usize;
        let mut date = first;
        loop {
            let holiday = step_to(&mut holidays, date).is_some()
                || (recurring && self.is_recurring_holiday(date));
            let own = step_to(&mut overrides, date);
            let hours = match (holiday, own) {
                (true, _) => &[][..],
                (false, Some(hours)) => hours.as_slice(),
                (false, None) => inner.weekly.get(weekday).map_or(&[][..], Vec::as_slice),
            };
            for interval in hours {
                spans.extend(self.span(date, *interval, fixed));
            }
            for interval in step_to(&mut breaks, date).into_iter().flatten() {
                holes.extend(self.span(date, *interval, fixed));
            }
            if date >= last {
                break;
            }
            weekday = (weekday + 1) % 7;
            date = match date.succ_opt() {
                Some(next) => next,
                None => break,
            };
        }
        normalise(&mut spans);
        if !holes.is_empty() {
            normalise(&mut holes);
            spans = subtract(&spans, &holes);
        }
        spans.retain_mut(|(s, e)| {
            (*s, *e) = ((*s).max(lo), (*e).min(hi));
            e > s
        });
        Chunk::from_spans(&spans)
    }

    /// The zone's offset from UTC, in seconds, when it is the same over
    /// every wall-clock time of the local dates `first ..= last` (and their
    /// overnight intervals) and for two days either side, so that no wall
    /// time there is skipped or repeated; `None` when it changes.
    ///
    /// The offset is read every [`OFFSET_PROBE_DAYS`] (two days) from
    /// three days before `first` to five days after `last`, in UTC. Two
    /// probes 48 hours apart with the same offset have no change between
    /// them, since no zone changes its offset twice within 48 hours: in
    /// chrono-tz's data (tzdb 2025b) the shortest time between two changes
    /// from 1900 to 2200 is 167 hours (Brazil's one-week daylight saving of
    /// October 2000, Gaza and Hebron's Ramadan weeks of the 2040s).
    fn fixed_offset(&self, first: NaiveDate, last: NaiveDate) -> Option<i64> {
        let tz = match self.inner.zone {
            Zone::Floating => return Some(0),
            Zone::Tz(tz) => tz,
        };
        // Probes at UTC midnights, stepped as dates (cheaper than instants).
        let offset_at = |date: NaiveDate| {
            tz.offset_from_utc_datetime(&date.and_time(NaiveTime::MIN))
                .fix()
                .local_minus_utc()
        };
        let (from, to) = (shift_date(first, -3)?, shift_date(last, 5)?);
        let offset = offset_at(from);
        let mut probe = from;
        while probe < to {
            probe = shift_date(probe, OFFSET_PROBE_DAYS)?.min(to);
            if offset_at(probe) != offset {
                return None;
            }
        }
        Some(i64::from(offset))
    }

    /// The UTC span of a local interval on `date`: by the fixed offset when
    /// there is one (see [`Calendar::fixed_offset`]), else wall time by wall
    /// time through the zone.
    fn span(
        &self,
        date: NaiveDate,
        interval: LocalInterval,
        fixed: Option<i64>,
    ) -> Option<(i64, i64)> {
        let Some(offset) = fixed else {
            return self.resolve_interval(date, interval);
        };
        let midnight = epoch_seconds(date) - offset;
        let start = (midnight + i64::from(interval.start)) * 1000;
        let end = (midnight + i64::from(interval.end)) * 1000;
        (end > start).then_some((start, end))
    }

    /// The hours of one local date (holiday: none; override: its own; else weekly).
    fn day_hours(&self, date: NaiveDate) -> &[LocalInterval] {
        if self.is_holiday_date(date) {
            return &[];
        }
        if let Some(hours) = find(&self.inner.overrides, date) {
            return hours;
        }
        self.inner
            .weekly
            .get(date.weekday().num_days_from_monday() as usize)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    fn push_day_spans(&self, date: NaiveDate, out: &mut Vec<(i64, i64)>) {
        for interval in self.day_hours(date) {
            if let Some(span) = self.resolve_interval(date, *interval) {
                out.push(span);
            }
        }
    }

    fn push_break_spans(&self, date: NaiveDate, out: &mut Vec<(i64, i64)>) {
        if let Some(list) = find(&self.inner.breaks, date) {
            for interval in list {
                if let Some(span) = self.resolve_interval(date, *interval) {
                    out.push(span);
                }
            }
        }
    }

    fn resolve_interval(&self, date: NaiveDate, interval: LocalInterval) -> Option<(i64, i64)> {
        let midnight = date.and_time(NaiveTime::MIN);
        let at = |seconds: u32| {
            let local = midnight.checked_add_signed(TimeDelta::seconds(i64::from(seconds)))?;
            Some(self.inner.zone.resolve(local).timestamp_millis())
        };
        let (start, end) = (at(interval.start)?, at(interval.end)?);
        (end > start).then_some((start, end))
    }
}

/// A TOML syntax error's message with its line and column.
fn toml_syntax_message(text: &str, error: &toml::de::Error) -> String {
    let message = error.message().replace('\n', "; ");
    let Some(start) = error.span().map(|span| span.start) else {
        return message;
    };
    let before = text.get(..start).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!("line {line}, column {column}: {message}")
}

/// serde's words for a value of the wrong shape, in a policy author's words
/// where serde's name the Rust type.
fn spec_type_message(message: &str) -> String {
    if message.contains("untagged enum OverrideSpec") {
        "expected a list of intervals such as [\"09:00-12:00\"] or a weekday such as \"mon\""
            .to_string()
    } else if message.contains("untagged enum HolidaySpec") {
        "expected a date \"YYYY-MM-DD\", a range \"YYYY-MM-DD..YYYY-MM-DD\" \
         or { date = \"YYYY-MM-DD\", name = \"...\" }"
            .to_string()
    } else {
        message.to_string()
    }
}

/// Sorts entries by date, keeping the last entry given for a date (as a
/// map filled in order would).
fn by_date<T>(mut entries: Vec<(NaiveDate, T)>) -> Vec<(NaiveDate, T)> {
    if !entries.is_sorted_by(|a, b| a.0 < b.0) {
        // Stable: entries for one date stay in the order given.
        entries.sort_by_key(|e| e.0);
        entries.reverse();
        // Reversed, the last given comes first and `dedup` keeps the first.
        entries.dedup_by_key(|e| e.0);
        entries.reverse();
    }
    entries
}

/// The value for `date` in entries sorted by date.
fn find<T>(entries: &[(NaiveDate, T)], date: NaiveDate) -> Option<&T> {
    let i = entries.binary_search_by_key(&date, |e| e.0).ok()?;
    entries.get(i).map(|e| &e.1)
}

/// The entries, sorted by date, from `first` on.
fn from_date<T>(entries: &[(NaiveDate, T)], first: NaiveDate) -> &[(NaiveDate, T)] {
    let i = entries.partition_point(|e| e.0 < first);
    entries.get(i..).unwrap_or(&[])
}

/// The value for `date` in entries sorted by date, walking dates in
/// increasing order: entries before `date` are dropped from the front.
fn step_to<'a, T>(entries: &mut &'a [(NaiveDate, T)], date: NaiveDate) -> Option<&'a T> {
    while let Some(((day, value), rest)) = entries.split_first() {
        if *day > date {
            return None;
        }
        *entries = rest;
        if *day == date {
            return Some(value);
        }
    }
    None
}

fn days_key(index: usize) -> &'static str {
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .get(index)
        .copied()
        .unwrap_or("mon")
}

/// Seconds from the Unix epoch to midnight (UTC) of a date.
fn epoch_seconds(date: NaiveDate) -> i64 {
    // 719,163 days from 0001-01-01 (day 1 of the common era) to 1970-01-01.
    (i64::from(date.num_days_from_ce()) - 719_163) * i64::from(DAY_SECONDS)
}

fn chunk_of(ms: i64) -> i64 {
    ms.div_euclid(CHUNK_MS)
}

fn shift_date(date: NaiveDate, days: i64) -> Option<NaiveDate> {
    if days >= 0 {
        date.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        date.checked_sub_days(Days::new(days.unsigned_abs()))
    }
}

/// Parses `YYYY-MM-DD`, in the supported range of years.
pub(crate) fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let date = strict_date(text.trim())
        .or_else(|| NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok())
        .ok_or_else(|| format!("`{text}` is not a date that exists; expected YYYY-MM-DD"))?;
    range::check_date(date)?;
    Ok(date)
}

/// A date written exactly `YYYY-MM-DD`, read without chrono's format
/// parser (which costs more than the rest of a calendar's construction);
/// any other spelling falls back to it.
fn strict_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        b.get(range)?.iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let year = i32::try_from(number(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(5..7)?, number(8..10)?)
}

/// Parses `YYYY-MM-DD` or `YYYY-MM-DD..YYYY-MM-DD`.
fn parse_date_range(text: &str) -> Result<(NaiveDate, NaiveDate), String> {
    // A byte search: `str::split_once` with a two-byte pattern sets up a
    // substring searcher, which costs more than reading the dates.
    let dots = text.as_bytes().windows(2).position(|w| w == b"..");
    let split = dots.and_then(|i| Some((text.get(..i)?, text.get(i + 2..)?)));
    match split {
        Some((a, b)) => {
            let (first, last) = (parse_date(a)?, parse_date(b)?);
            if last < first {
                return Err(format!("`{text}`: the range ends before it starts"));
            }
            if (last - first).num_days() > 3_660 {
                return Err(format!(
                    "`{text}`: a holiday range longer than ten years is not a holiday"
                ));
            }
            Ok((first, last))
        }
        None => parse_date(text).map(|d| (d, d)),
    }
}

/// Parses a wall-clock time `HH:MM` or `HH:MM:SS` into seconds of the day;
/// `24:00` only where `allow_24` is set. Read byte by byte, without
/// allocating: a policy's calendars are compiled with the policy, and this
/// is most of their construction.
fn parse_clock(text: &str, allow_24: bool) -> Result<u32, String> {
    let b = text.trim().as_bytes();
    let pair = |i: usize| -> Option<u32> {
        match (b.get(i), b.get(i + 1)) {
            (Some(t), Some(u)) if t.is_ascii_digit() && u.is_ascii_digit() => {
                Some(u32::from(t - b'0') * 10 + u32::from(u - b'0'))
            }
            _ => None,
        }
    };
    let parsed = match (b.len(), b.get(2), b.get(5)) {
        (5, Some(b':'), _) => pair(0).zip(pair(3)).map(|(h, m)| (h, m, 0)),
        (8, Some(b':'), Some(b':')) => pair(0)
            .zip(pair(3))
            .zip(pair(6))
            .map(|((h, m), s)| (h, m, s)),
        _ => None,
    };
    let Some((h, m, s)) = parsed else {
        return Err(format!(
            "`{text}` is not a time; expected HH:MM or HH:MM:SS"
        ));
    };
    if h == 24 && m == 0 && s == 0 {
        return if allow_24 {
            Ok(DAY_SECONDS)
        } else {
            Err("24:00 may only end an interval".into())
        };
    }
    if h > 23 || m > 59 || s > 59 {
        return Err(format!("`{text}` is not a time of day"));
    }
    Ok(h * 3600 + m * 60 + s)
}

/// Parses `"HH:MM-HH:MM"`; an end before the start is an overnight interval.
fn parse_interval(text: &str) -> Result<LocalInterval, String> {
    let (a, b) = text
        .split_once('-')
        .ok_or_else(|| format!("`{text}` is not an interval; expected \"HH:MM-HH:MM\""))?;
    let start = parse_clock(a, false).map_err(|m| format!("`{text}`: {m}"))?;
    let end = parse_clock(b, true).map_err(|m| format!("`{text}`: {m}"))?;
    if end == start {
        return Err(format!(
            "`{text}` is empty; a whole day is \"00:00-24:00\" and an overnight interval ends before it starts"
        ));
    }
    let end = if end < start { end + DAY_SECONDS } else { end };
    Ok(LocalInterval { start, end })
}

/// Parses one day's list of intervals, sorted by start, and rejects overlaps.
fn parse_day(list: &[String], field: &str) -> Result<Vec<LocalInterval>, (String, String)> {
    let mut parsed = Vec::with_capacity(list.len());
    for (i, text) in list.iter().enumerate() {
        let interval = parse_interval(text).map_err(|m| (format!("{field}[{i}]"), m))?;
        parsed.push(interval);
    }
    if !parsed.is_sorted_by_key(|interval| interval.start) {
        parsed.sort_unstable_by_key(|interval| interval.start);
    }
    if parsed
        .windows(2)
        .all(|w| matches!(w, [a, b] if b.start >= a.end))
    {
        return Ok(parsed);
    }
    // An overlap: find which entries, as written, to name them.
    overlap_error(list, field)
}

/// The error for a day whose intervals overlap, naming the later one as
/// written and the one it overlaps.
fn overlap_error(list: &[String], field: &str) -> Result<Vec<LocalInterval>, (String, String)> {
    let mut parsed = Vec::with_capacity(list.len());
    for (i, text) in list.iter().enumerate() {
        let interval = parse_interval(text).map_err(|m| (format!("{field}[{i}]"), m))?;
        parsed.push((i, interval));
    }
    parsed.sort_by_key(|(_, interval)| interval.start);
    for pair in parsed.windows(2) {
        if let [(ia, a), (ib, b)] = pair {
            if b.start < a.end {
                return Err((
                    format!("{field}[{ib}]"),
                    format!(
                        "`{}` overlaps `{}`",
                        list.get(*ib).map(String::as_str).unwrap_or(""),
                        list.get(*ia).map(String::as_str).unwrap_or("")
                    ),
                ));
            }
        }
    }
    Ok(parsed.into_iter().map(|(_, interval)| interval).collect())
}

#[cfg(test)]
mod tests;
