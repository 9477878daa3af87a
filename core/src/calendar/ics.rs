//! Holidays and adjusted working days read from an iCalendar (RFC 5545)
//! file, as governments and calendar services publish them and Jira
//! Service Management imports them.
//!
//! A calendar names the file (`holidays_ics = "cn-2026.ics"`, relative to
//! the policy file, or a text given by that name beside the rules) and,
//! optionally, which of its events are working days
//! (`working_days_from = "SUMMARY:班"`). The file is parsed by the
//! `icalendar` crate; this module reads its all-day `VEVENT`s into dates
//! and merges them into the calendar's spec before it is compiled:
//!
//! - every date from `DTSTART` up to, not including, `DTEND` (a missing
//!   `DTEND` is one day; `DTEND` equal to `DTSTART`, a common slip, is one
//!   day too; `DURATION:PnD` / `PnW` is accepted instead of `DTEND`);
//! - an event the marker matches opens its dates with Monday's hours (an
//!   `overrides` entry for the date wins); every other event closes them
//!   as a holiday named by its `SUMMARY`;
//! - `RRULE:FREQ=YEARLY` (with `INTERVAL`, `COUNT`, `UNTIL`, and
//!   `BYMONTH`/`BYMONTHDAY` equal to the start's) repeats the event every
//!   year, through 2200 when it has no end; `EXDATE` removes occurrences;
//! - `STATUS:CANCELLED` events are skipped; components other than
//!   `VEVENT` (`VTIMEZONE`, `VTODO`, …) are not read.
//!
//! Everything else an event may say that would change its dates is
//! refused with the file, line and what was expected, never ignored: a
//! timed event, another recurrence rule, `RDATE`, `RECURRENCE-ID`.

mod unmarked;

pub use unmarked::{unmarked_working_day, WORKING_DAY_MARK};

use super::spec::{CalendarSpec, HolidaySpec, OverrideSpec};
use super::{range, CalendarError};
use chrono::{Datelike, NaiveDate};
use std::borrow::Cow;
use std::collections::BTreeSet;

/// The most dates (holidays and working days, after expanding yearly
/// rules) one ICS file may give a calendar: 100,000, some 270 years of
/// every day, so that a small file with yearly rules cannot grow a
/// calendar without bound.
pub const MAX_ICS_DATES: usize = 100_000;

/// The default largest ICS file, in bytes: 1 MiB, some hundred years of a
/// national feed (`[limits] ics_bytes`).
pub const DEFAULT_ICS_BYTES: u64 = 1 << 20;

/// How deep components may nest (`VCALENDAR` › `VEVENT` › `VALARM` is 3).
const MAX_DEPTH: usize = 8;

/// The longest event, in days, as for a holiday range in TOML.
const MAX_EVENT_DAYS: i64 = 3_660;

/// Which events of a file are working days rather than holidays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkingDayMarker {
    /// `SUMMARY:TEXT`: the event's summary contains the text (letter case
    /// ignored).
    Summary(String),
    /// `CATEGORIES:TEXT`: one of the event's categories is the text
    /// (letter case ignored).
    Categories(String),
}

impl WorkingDayMarker {
    /// Reads `SUMMARY:TEXT` or `CATEGORIES:TEXT`.
    pub fn parse(text: &str) -> Result<WorkingDayMarker, String> {
        let expected = "expected `SUMMARY:TEXT` (the summary contains TEXT) or \
                        `CATEGORIES:TEXT` (a category is TEXT), such as \"SUMMARY:班\"";
        let (property, marker) = text
            .split_once(':')
            .ok_or_else(|| format!("`{text}`: {expected}"))?;
        let marker = marker.trim();
        if marker.is_empty() {
            return Err(format!("`{text}` has no text to match; {expected}"));
        }
        match property.trim().to_ascii_uppercase().as_str() {
            "SUMMARY" => Ok(WorkingDayMarker::Summary(marker.to_lowercase())),
            "CATEGORIES" => Ok(WorkingDayMarker::Categories(marker.to_lowercase())),
            other => Err(format!("`{other}` is not a property read here; {expected}")),
        }
    }

    fn matches(&self, summary: &str, categories: &[String]) -> bool {
        match self {
            WorkingDayMarker::Summary(text) => summary.to_lowercase().contains(text.as_str()),
            WorkingDayMarker::Categories(text) => {
                categories.iter().any(|c| c.to_lowercase() == *text)
            }
        }
    }
}

/// The dates an ICS file gives a calendar.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IcsDates {
    /// Holiday dates with the event's summary, in file order.
    pub holidays: Vec<(NaiveDate, Option<String>)>,
    /// Working-day dates (events the marker matches), in file order.
    pub working_days: Vec<NaiveDate>,
}

/// An error in an ICS file: the line (1-based, of the file as written,
/// folded lines counted) when one is known, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcsError {
    /// The line of the file.
    pub line: Option<usize>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl std::fmt::Display for IcsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Refuses a spec whose ICS file was not read: [`super::Calendar::new`]
/// calls this, since a calendar compiled on its own has no files
/// (the policy reads the file and merges it with [`with_ics`] first).
pub(crate) fn refuse_unread(name: &str, spec: &CalendarSpec) -> Result<(), CalendarError> {
    let invalid = |field: &str, message: &str| CalendarError::Invalid {
        calendar: name.to_string(),
        field: field.to_string(),
        message: message.to_string(),
    };
    if spec.holidays_ics.is_some() {
        return Err(invalid(
            "holidays_ics",
            "an ICS file is read with the policy: load the policy from its path, or give \
             the file's text by name beside the rules",
        ));
    }
    if spec.working_days_from.is_some() {
        return Err(invalid(
            "working_days_from",
            "says which events of `holidays_ics` are working days, and the calendar names no \
             `holidays_ics`",
        ));
    }
    Ok(())
}

/// The spec with the ICS file's dates merged in: its holidays after those
/// written in TOML, its working days as overrides that open with Monday's
/// hours (unless TOML gives the date an override of its own). `text` is
/// the file named by `holidays_ics`; a spec without one is returned as it
/// is. The merged spec names no file.
pub fn with_ics<'a>(
    name: &str,
    spec: &'a CalendarSpec,
    text: Option<&str>,
) -> Result<Cow<'a, CalendarSpec>, CalendarError> {
    let Some(file) = &spec.holidays_ics else {
        refuse_unread(name, spec)?;
        return Ok(Cow::Borrowed(spec));
    };
    let invalid = |field: &str, message: String| CalendarError::Invalid {
        calendar: name.to_string(),
        field: field.to_string(),
        message,
    };
    let marker = spec
        .working_days_from
        .as_deref()
        .map(WorkingDayMarker::parse)
        .transpose()
        .map_err(|m| invalid("working_days_from", m))?;
    let Some(text) = text else {
        refuse_unread(name, spec)?;
        return Ok(Cow::Borrowed(spec));
    };
    let dates = parse_ics(text, marker.as_ref())
        .map_err(|e| invalid("holidays_ics", format!("`{file}`, {e}")))?;
    let mut merged = spec.clone();
    merged.holidays_ics = None;
    merged.working_days_from = None;
    merged
        .holidays
        .extend(dates.holidays.into_iter().map(|(date, label)| {
            let date = date.format("%Y-%m-%d").to_string();
            match label {
                Some(name) => HolidaySpec::Named { date, name },
                None => HolidaySpec::Date(date),
            }
        }));
    for date in dates.working_days {
        merged
            .overrides
            .entry(date.format("%Y-%m-%d").to_string())
            .or_insert_with(|| OverrideSpec::Weekday("mon".to_string()));
    }
    Ok(Cow::Owned(merged))
}

/// Reads an ICS file of at most `limit` bytes, reading at most one byte
/// more. The error is the reason, without the path.
pub(crate) fn read_file(path: &std::path::Path, limit: u64) -> Result<String, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(too_large(limit));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "the file is not valid UTF-8 (byte {})",
            e.utf8_error().valid_up_to() + 1
        )
    })
}

/// The message for a file past `[limits] ics_bytes`.
pub(crate) fn too_large(limit: u64) -> String {
    format!(
        "the file is larger than the limit of {limit} bytes (raise it with `[limits] ics_bytes`)"
    )
}

/// One `VEVENT` as the line scan sees it: where it begins and where each
/// of its own properties first appears.
#[derive(Debug, Default)]
struct EventLines {
    begin: usize,
    properties: Vec<(String, usize)>,
}

impl EventLines {
    /// The line of the event's first `property`, else of its `BEGIN`;
    /// `None` when the scan did not find the event (line 0).
    fn of(&self, property: &str) -> Option<usize> {
        Some(
            self.properties
                .iter()
                .find(|(name, _)| name == property)
                .map_or(self.begin, |(_, line)| *line),
        )
        .filter(|line| *line > 0)
    }
}

/// The physical line each logical (unfolded) line starts on, and the
/// top-level events' lines; refuses nesting deeper than [`MAX_DEPTH`]
/// (the parser recurses once per level).
fn scan(text: &str) -> Result<(Vec<usize>, Vec<EventLines>), IcsError> {
    let mut starts = Vec::new();
    let mut events = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    for (index, line) in text.split('\n').enumerate() {
        let number = index + 1;
        if index > 0 && (line.starts_with(' ') || line.starts_with('\t')) {
            continue;
        }
        starts.push(number);
        let line = line.trim_end_matches('\r');
        let key = line
            .split([';', ':'])
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_uppercase();
        let value = line
            .split_once(':')
            .map(|(_, v)| v.trim().to_ascii_uppercase());
        match (key.as_str(), value) {
            ("BEGIN", Some(component)) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(IcsError {
                        line: Some(number),
                        message: format!(
                            "components nest deeper than {MAX_DEPTH} levels; expected \
                             VCALENDAR › VEVENT › VALARM at most"
                        ),
                    });
                }
                if stack.len() == 1 && component == "VEVENT" {
                    events.push(EventLines {
                        begin: number,
                        properties: Vec::new(),
                    });
                }
                stack.push(component);
            }
            ("END", Some(_)) => {
                stack.pop();
            }
            (key, _) if stack.len() == 2 && stack.last().is_some_and(|c| c == "VEVENT") => {
                if let Some(event) = events.last_mut() {
                    event.properties.push((key.to_string(), number));
                }
            }
            _ => {}
        }
    }
    Ok((starts, events))
}

/// Parses ICS text into dates; `marker` picks the working days.
pub fn parse_ics(text: &str, marker: Option<&WorkingDayMarker>) -> Result<IcsDates, IcsError> {
    let (starts, lines) = scan(text)?;
    let unfolded = icalendar::parser::unfold(text);
    let components = icalendar::parser::read_calendar_simple(&unfolded).map_err(|e| {
        let offset = unfolded.len().saturating_sub(e.input.len());
        let logical = unfolded.get(..offset).unwrap_or("").matches('\n').count();
        let content = e.input.lines().next().unwrap_or("").trim();
        let shown: String = content.chars().take(60).collect();
        IcsError {
            line: starts.get(logical).copied(),
            message: if content.is_empty() {
                "the file ends before its components do; expected `END:` for every `BEGIN:`"
                    .to_string()
            } else {
                format!(
                    "cannot read `{shown}`; expected a content line `NAME:value` \
                     (or `NAME;PARAMETER=…:value`) inside `BEGIN:VCALENDAR` … \
                     `END:VCALENDAR`, each `END:` naming the component it closes"
                )
            },
        }
    })?;
    let calendar = match components.first() {
        Some(root) if root.name.as_str().eq_ignore_ascii_case("VCALENDAR") => root,
        _ => {
            return Err(IcsError {
                line: starts.first().copied(),
                message: "expected the file to begin with `BEGIN:VCALENDAR`".to_string(),
            })
        }
    };
    let mut dates = IcsDates::default();
    let mut count = 0usize;
    let events = calendar
        .components
        .iter()
        .filter(|c| c.name.as_str().eq_ignore_ascii_case("VEVENT"));
    let fallback = EventLines::default();
    for (index, event) in events.enumerate() {
        let at = lines.get(index).unwrap_or(&fallback);
        let event = Event::read(event, at)?;
        let Some(event) = event else { continue };
        let working = marker.is_some_and(|m| m.matches(&event.summary, &event.categories));
        for start in event.starts()? {
            for offset in 0..event.days {
                let date = start
                    .checked_add_days(chrono::Days::new(offset.unsigned_abs()))
                    .filter(|d| range::contains_date(*d))
                    .ok_or_else(|| IcsError {
                        line: at.of("DTEND"),
                        message: format!(
                            "the event runs past 2200-12-31; expected dates in years {} through {}",
                            range::FIRST_YEAR,
                            range::LAST_YEAR
                        ),
                    })?;
                count += 1;
                if count > MAX_ICS_DATES {
                    return Err(IcsError {
                        line: Some(at.begin).filter(|line| *line > 0),
                        message: format!(
                            "the file gives more than {MAX_ICS_DATES} dates; expected at most \
                             that many holidays and working days, yearly rules expanded"
                        ),
                    });
                }
                if working {
                    dates.working_days.push(date);
                } else {
                    let label = (!event.summary.is_empty()).then(|| event.summary.clone());
                    dates.holidays.push((date, label));
                }
            }
        }
    }
    Ok(dates)
}

/// A yearly rule: every `interval` years, `count` times or up to `until`.
#[derive(Debug, Clone, Copy)]
struct Yearly {
    interval: i32,
    count: Option<u32>,
    until: Option<NaiveDate>,
}

/// One all-day event, read.
#[derive(Debug)]
struct Event {
    start: NaiveDate,
    days: i64,
    summary: String,
    categories: Vec<String>,
    yearly: Option<(Yearly, Option<usize>)>,
    except: BTreeSet<NaiveDate>,
}

impl Event {
    // Long because it reads one VEVENT property after another, each with its own error.
    /// Reads an event; `None` for a cancelled one.
    fn read(
        event: &icalendar::parser::Component<'_>,
        at: &EventLines,
    ) -> Result<Option<Event>, IcsError> {
        let property = |name: &str| {
            event
                .properties
                .iter()
                .find(|p| p.name.as_str().eq_ignore_ascii_case(name))
        };
        let fail = |name: &str, message: String| IcsError {
            line: at.of(name),
            message,
        };
        if property("STATUS")
            .is_some_and(|p| p.val.as_str().trim().eq_ignore_ascii_case("CANCELLED"))
        {
            return Ok(None);
        }
        for refused in ["RDATE", "RECURRENCE-ID", "EXRULE"] {
            if property(refused).is_some() {
                return Err(fail(
                    refused,
                    format!(
                        "`{refused}` is not read; expected each date as its own event, or a \
                         yearly `RRULE` on the start's date"
                    ),
                ));
            }
        }
        let start = match property("DTSTART") {
            Some(p) => all_day(p.val.as_str(), "DTSTART").map_err(|m| fail("DTSTART", m))?,
            None => {
                return Err(fail(
                    "BEGIN",
                    "the event has no `DTSTART`; expected `DTSTART;VALUE=DATE:YYYYMMDD`".into(),
                ))
            }
        };
        let days = match (property("DTEND"), property("DURATION")) {
            (Some(p), _) => {
                let end = all_day(p.val.as_str(), "DTEND").map_err(|m| fail("DTEND", m))?;
                if end < start {
                    return Err(fail(
                        "DTEND",
                        format!(
                            "`DTEND` {end} is before `DTSTART` {start}; expected the day after \
                             the event's last day (`DTEND` is exclusive)"
                        ),
                    ));
                }
                (end - start).num_days().max(1)
            }
            (None, Some(p)) => duration_days(p.val.as_str()).map_err(|m| fail("DURATION", m))?,
            (None, None) => 1,
        };
        if days > MAX_EVENT_DAYS {
            return Err(fail(
                "DTEND",
                format!(
                    "the event lasts {days} days; a holiday longer than ten years is not a holiday"
                ),
            ));
        }
        let summary = property("SUMMARY")
            .map(|p| p.val.as_str().trim().to_string())
            .unwrap_or_default();
        let categories = event
            .properties
            .iter()
            .filter(|p| p.name.as_str().eq_ignore_ascii_case("CATEGORIES"))
            .flat_map(|p| text_list(p.val.as_str()))
            .collect();
        let yearly = match property("RRULE") {
            Some(p) => Some((
                yearly(p.val.as_str(), start).map_err(|m| fail("RRULE", m))?,
                at.of("RRULE"),
            )),
            None => None,
        };
        let mut except = BTreeSet::new();
        for p in event
            .properties
            .iter()
            .filter(|p| p.name.as_str().eq_ignore_ascii_case("EXDATE"))
        {
            for value in p.val.as_str().split(',') {
                except.insert(all_day(value, "EXDATE").map_err(|m| fail("EXDATE", m))?);
            }
        }
        Ok(Some(Event {
            start,
            days,
            summary,
            categories,
            yearly,
            except,
        }))
    }

    /// The first date of each occurrence, `EXDATE`s left out.
    fn starts(&self) -> Result<Vec<NaiveDate>, IcsError> {
        let Some((rule, line)) = self.yearly else {
            return Ok(if self.except.contains(&self.start) {
                Vec::new()
            } else {
                vec![self.start]
            });
        };
        let mut starts = Vec::new();
        let mut made = 0u32;
        let mut year = self.start.year();
        while year <= range::LAST_YEAR {
            if rule.count.is_some_and(|count| made >= count) {
                break;
            }
            // RFC 5545: a date that does not exist (29 February in a
            // common year) is no occurrence, and is not counted.
            if let Some(date) = NaiveDate::from_ymd_opt(year, self.start.month(), self.start.day())
            {
                if rule.until.is_some_and(|until| date > until) {
                    break;
                }
                made += 1;
                let last = date.checked_add_days(chrono::Days::new((self.days - 1).unsigned_abs()));
                if !last.is_some_and(range::contains_date) {
                    // An endless rule stops at the end of the range; one
                    // that asks for more is refused.
                    if rule.count.is_some() || rule.until.is_some() {
                        return Err(IcsError {
                            line,
                            message: format!(
                                "the rule repeats the event past {}-12-31; expected its \
                                 `COUNT` or `UNTIL` to end within years {} through {}",
                                range::LAST_YEAR,
                                range::FIRST_YEAR,
                                range::LAST_YEAR
                            ),
                        });
                    }
                    break;
                }
                if !self.except.contains(&date) {
                    starts.push(date);
                }
            }
            year = year.saturating_add(rule.interval);
        }
        Ok(starts)
    }
}

/// Reads an all-day date `YYYYMMDD` in the supported range; a timed value
/// is refused.
fn all_day(value: &str, property: &str) -> Result<NaiveDate, String> {
    let value = value.trim();
    if value.contains('T') {
        return Err(format!(
            "`{property}:{value}` is a time; only all-day events are read \
             (`{property};VALUE=DATE:YYYYMMDD`), a timed event is neither a holiday nor a \
             working day"
        ));
    }
    let date = (value.len() == 8 && value.bytes().all(|b| b.is_ascii_digit()))
        .then(|| NaiveDate::parse_from_str(value, "%Y%m%d").ok())
        .flatten()
        .ok_or_else(|| {
            format!("`{property}:{value}` is not a date that exists; expected YYYYMMDD")
        })?;
    range::check_date(date).map_err(|m| format!("`{property}:{value}`: {m}"))?;
    Ok(date)
}

/// Days of a `DURATION` of whole days or weeks (`P1D`, `P2W`).
fn duration_days(value: &str) -> Result<i64, String> {
    let value = value.trim();
    let expected = || {
        format!(
            "`DURATION:{value}` is not whole days or weeks; expected `PnD` or `PnW`, such as `P1D`"
        )
    };
    let body = value.strip_prefix('P').ok_or_else(expected)?;
    let (number, unit) = body.split_at(body.len().saturating_sub(1));
    let n: i64 = number.parse().map_err(|_| expected())?;
    let days = match unit {
        "D" => n,
        "W" => n.saturating_mul(7),
        _ => return Err(expected()),
    };
    if days < 1 {
        return Err(expected());
    }
    Ok(days)
}

/// Reads a yearly `RRULE` on the start's date.
fn yearly(value: &str, start: NaiveDate) -> Result<Yearly, String> {
    let refuse = |part: &str| {
        format!(
            "`RRULE:{value}`: `{part}` is not read; expected `FREQ=YEARLY` with `INTERVAL`, \
             `COUNT` or `UNTIL` (and `BYMONTH`/`BYMONTHDAY` of the start's date); write other \
             recurrences out as one event a date"
        )
    };
    let mut rule = Yearly {
        interval: 1,
        count: None,
        until: None,
    };
    let mut frequency = None;
    for part in value.trim().split(';').filter(|p| !p.is_empty()) {
        let (key, val) = part.split_once('=').ok_or_else(|| refuse(part))?;
        let number = || val.parse::<u32>().ok().filter(|n| *n >= 1);
        match key.to_ascii_uppercase().as_str() {
            "FREQ" => frequency = Some(val.to_ascii_uppercase()),
            "INTERVAL" => {
                rule.interval = number()
                    .and_then(|n| i32::try_from(n).ok())
                    .ok_or_else(|| refuse(part))?;
            }
            "COUNT" => rule.count = Some(number().ok_or_else(|| refuse(part))?),
            "UNTIL" => {
                let date = val.get(..8).unwrap_or(val);
                rule.until =
                    Some(NaiveDate::parse_from_str(date, "%Y%m%d").map_err(|_| refuse(part))?);
            }
            "BYMONTH" if number() == Some(start.month()) => {}
            "BYMONTHDAY" if number() == Some(start.day()) => {}
            "WKST" => {}
            _ => return Err(refuse(part)),
        }
    }
    match frequency.as_deref() {
        Some("YEARLY") => Ok(rule),
        Some(other) => Err(refuse(&format!("FREQ={other}"))),
        None => Err(refuse("no FREQ")),
    }
}

/// Splits a TEXT list (`CATEGORIES:A,B\,C`) on its unescaped commas and
/// unescapes each item.
fn text_list(value: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut item = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n' | 'N') => item.push('\n'),
                Some(other) => item.push(other),
                None => {}
            },
            ',' => items.push(std::mem::take(&mut item).trim().to_string()),
            c => item.push(c),
        }
    }
    items.push(item.trim().to_string());
    items.retain(|i| !i.is_empty());
    items
}

#[cfg(test)]
mod tests;
