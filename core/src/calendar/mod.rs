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

mod compile;
pub(crate) mod ics;
mod offset;
pub mod range;
mod spec;
mod table;
mod zone;

pub(crate) use offset::show_in;
pub use spec::{CalendarSpec, HolidaySpec, OverrideSpec};
pub use zone::Zone;

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, Offset, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use std::borrow::Cow;
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

    /// The close of the `n`-th following date that has open hours of its
    /// own: the end of the last open span that belongs to that date (after
    /// holidays and breaks), an overnight span ending the next morning.
    /// "Within `n` business days" read as by the close of the `n`-th
    /// working day (GLPI's end of the working day). Zero days is
    /// `next_open(t)`, as in [`Calendar::add_business_days`].
    pub fn close_of_business_days(
        &self,
        t: DateTime<Utc>,
        n: u32,
    ) -> Result<DateTime<Utc>, CalendarError> {
        self.supported(t, "the start")?;
        if n == 0 {
            return self.next_open(t);
        }
        let date = self.step_business_date(t, n, 1)?;
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
        let close = subtract(&spans, &holes).last().map(|(_, end)| *end);
        self.instant(close, "the close of a business day")
    }

    fn step_business_days(
        &self,
        t: DateTime<Utc>,
        n: u32,
        step: i64,
    ) -> Result<DateTime<Utc>, CalendarError> {
        let local = self.inner.zone.local(t);
        let date = self.step_business_date(t, n, step)?;
        Ok(self.inner.zone.resolve(date.and_time(local.time())))
    }

    /// The `n`-th date in the direction of `step` from `t`'s local date
    /// that has open hours of its own.
    fn step_business_date(
        &self,
        t: DateTime<Utc>,
        n: u32,
        step: i64,
    ) -> Result<NaiveDate, CalendarError> {
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
        Ok(date)
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

#[cfg(test)]
mod tests;
