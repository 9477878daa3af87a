//! The TOML form of a calendar, as written in a policy's `[calendars.NAME]`.
//!
//! ```toml
//! [calendars.office]
//! timezone = "Asia/Shanghai"            # IANA zone, or "floating"
//! weekdays = ["09:00-12:00", "13:00-18:00"]   # Monday to Friday
//! sat = []                              # a day key overrides `weekdays` / `daily`
//! holidays = ["2026-01-01", "2026-02-15..2026-02-23",
//!             { date = "2026-10-01", name = "National Day" }]
//! recurring_holidays = ["12-25"]        # MM-DD, every year
//!
//! [calendars.office.overrides]          # a date with its own hours
//! "2026-02-14" = "mon"                  # open with Monday's hours
//! "2026-12-24" = ["09:00-12:00"]
//!
//! [calendars.office.breaks]             # closed spans on given dates
//! "2026-03-03" = ["14:00-15:00"]
//! ```
//!
//! An interval `"22:00-06:00"` (end before start) is an overnight interval:
//! it belongs to the day it starts on and runs past midnight. `"00:00-24:00"`
//! is a whole day. Times are `HH:MM` or `HH:MM:SS` local wall-clock time.
//!
//! The readers of its dates, times and intervals live here too, with the
//! words of their errors.

use super::{range, LocalInterval, DAY_SECONDS};
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;

/// One calendar as written in TOML (or JSON): every field optional but the
/// hours. Parse it with serde, then compile it with [`super::Calendar::new`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarSpec {
    /// IANA time zone (`"Europe/Berlin"`), or `"floating"` for wall-clock
    /// time read in UTC with no daylight saving. Defaults to the policy's zone.
    #[serde(default)]
    pub timezone: Option<String>,
    /// Hours for every day of the week.
    #[serde(default)]
    pub daily: Option<Vec<String>>,
    /// Hours for Monday to Friday.
    #[serde(default)]
    pub weekdays: Option<Vec<String>>,
    /// Monday's hours (overrides `weekdays` and `daily`).
    #[serde(default)]
    pub mon: Option<Vec<String>>,
    /// Tuesday's hours.
    #[serde(default)]
    pub tue: Option<Vec<String>>,
    /// Wednesday's hours.
    #[serde(default)]
    pub wed: Option<Vec<String>>,
    /// Thursday's hours.
    #[serde(default)]
    pub thu: Option<Vec<String>>,
    /// Friday's hours.
    #[serde(default)]
    pub fri: Option<Vec<String>>,
    /// Saturday's hours.
    #[serde(default)]
    pub sat: Option<Vec<String>>,
    /// Sunday's hours.
    #[serde(default)]
    pub sun: Option<Vec<String>>,
    /// Whole dates closed: `"YYYY-MM-DD"`, a range `"YYYY-MM-DD..YYYY-MM-DD"`
    /// (both ends included), or `{ date = "…", name = "…" }`.
    #[serde(default)]
    pub holidays: Vec<HolidaySpec>,
    /// Dates closed every year, as `"MM-DD"`.
    #[serde(default)]
    pub recurring_holidays: Vec<String>,
    /// Dates with their own hours: a list of intervals, or a weekday name
    /// (`"mon"`) to open with that weekday's hours.
    #[serde(default)]
    pub overrides: BTreeMap<String, OverrideSpec>,
    /// Closed spans on given dates, as local intervals on that date.
    #[serde(default)]
    pub breaks: BTreeMap<String, Vec<String>>,
    /// An iCalendar (RFC 5545) file of holidays, relative to the policy
    /// file (or a text given by this name beside the rules): see
    /// docs/calendar.md, "Holidays from an ICS file".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holidays_ics: Option<String>,
    /// Which events of `holidays_ics` are working days:
    /// `"SUMMARY:TEXT"` or `"CATEGORIES:TEXT"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_days_from: Option<String>,
}

/// A holiday entry.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum HolidaySpec {
    /// `"2026-10-01"` or `"2026-10-01..2026-10-07"`.
    Date(String),
    /// `{ date = "2026-10-01", name = "National Day" }`; `date` may be a range.
    Named {
        /// The date or range.
        date: String,
        /// What the holiday is called, quoted in explanations.
        name: String,
    },
}

/// A date override: explicit intervals, or a weekday's hours.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum OverrideSpec {
    /// The date's own intervals (an empty list closes the date).
    Intervals(Vec<String>),
    /// `"mon"` … `"sun"`: open with that weekday's hours (an adjusted
    /// working weekend).
    Weekday(String),
}

/// A TOML syntax error's message with its line and column.
pub(super) fn toml_syntax_message(text: &str, error: &toml::de::Error) -> String {
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
pub(super) fn spec_type_message(message: &str) -> String {
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

/// Parses `YYYY-MM-DD`, in the supported range of years.
pub(super) fn parse_date(text: &str) -> Result<NaiveDate, String> {
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
pub(super) fn parse_date_range(text: &str) -> Result<(NaiveDate, NaiveDate), String> {
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
pub(super) fn parse_day(
    list: &[String],
    field: &str,
) -> Result<Vec<LocalInterval>, (String, String)> {
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
