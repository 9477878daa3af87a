//! [`CalendarSpec`] → [`Calendar`]: the weekly hours, holidays, recurring
//! holidays, date overrides and breaks, each read and checked once, in the
//! order the calendar's definition gives them.

use super::spec::{
    parse_date, parse_date_range, parse_day, spec_type_message, toml_syntax_message,
};
use super::table::ChunkCache;
use super::{
    Calendar, CalendarError, CalendarSpec, HolidaySpec, Inner, LocalInterval, OverrideSpec, Zone,
    DAY_SECONDS,
};
use chrono::{NaiveDate, Weekday};
use std::sync::Arc;

/// A week of hours, Monday first.
type Week = [Vec<LocalInterval>; 7];

/// Dated entries, sorted by date, one entry a date.
type Dated<T> = Vec<(NaiveDate, T)>;

/// The error for a field of calendar `name`.
fn invalid(name: &str, field: &str, message: String) -> CalendarError {
    CalendarError::Invalid {
        calendar: name.to_string(),
        field: field.to_string(),
        message,
    }
}

impl Calendar {
    /// Compiles a calendar from its TOML form. `default_zone` is used when
    /// the spec names none (the policy's zone).
    pub fn new(
        name: &str,
        spec: &CalendarSpec,
        default_zone: Option<&str>,
    ) -> Result<Calendar, CalendarError> {
        super::ics::refuse_unread(name, spec)?;
        let zone_name = spec.timezone.as_deref().or(default_zone).ok_or_else(|| {
            invalid(
                name,
                "timezone",
                "missing; give an IANA zone or \"floating\"".into(),
            )
        })?;
        let zone = Zone::parse(zone_name).map_err(|m| invalid(name, "timezone", m))?;
        let weekly = weekly_hours(name, spec)?;
        check_overnight(name, &weekly)?;
        let holidays = holidays(name, spec)?;
        let recurring = recurring_holidays(name, spec)?;
        let overrides = overrides(name, spec, &weekly)?;
        let breaks = breaks(name, spec)?;
        let last_open_date = last_open_date(name, &weekly, &holidays, &overrides)?;
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
}

/// Each weekday's hours: its own key, else `weekdays` (Monday to Friday),
/// else `daily`.
fn weekly_hours(name: &str, spec: &CalendarSpec) -> Result<Week, CalendarError> {
    let mut weekly: Week = Default::default();
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
                let hours = parse_day(list, field).map_err(|(f, m)| invalid(name, &f, m))?;
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
    Ok(weekly)
}

/// An overnight interval must not run into the next day's first interval.
fn check_overnight(name: &str, weekly: &Week) -> Result<(), CalendarError> {
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
                    name,
                    key,
                    format!("an overnight interval runs past the start of {next}'s first interval"),
                ));
            }
        }
    }
    Ok(())
}

/// Listed holidays, one entry a date (a range gives each of its dates),
/// with their names.
fn holidays(name: &str, spec: &CalendarSpec) -> Result<Dated<Option<String>>, CalendarError> {
    let mut holidays = Vec::with_capacity(spec.holidays.len() * 4);
    for (i, holiday) in spec.holidays.iter().enumerate() {
        let field = || format!("holidays[{i}]");
        let (text, label) = match holiday {
            HolidaySpec::Date(text) => (text, None),
            HolidaySpec::Named { date, name } => (date, Some(name.clone())),
        };
        let (first, last) = parse_date_range(text).map_err(|m| invalid(name, &field(), m))?;
        let mut date = first;
        while date <= last {
            holidays.push((date, label.clone()));
            date = match date.succ_opt() {
                Some(next) => next,
                None => break,
            };
        }
    }
    Ok(by_date(holidays))
}

/// `MM-DD` holidays: bit `d` of entry `m - 1` is day `d` of month `m`.
fn recurring_holidays(name: &str, spec: &CalendarSpec) -> Result<[u32; 12], CalendarError> {
    let mut recurring = [0u32; 12];
    for (i, text) in spec.recurring_holidays.iter().enumerate() {
        let field = format!("recurring_holidays[{i}]");
        let parsed = text
            .split_once('-')
            .and_then(|(m, d)| Some((m.parse::<u32>().ok()?, d.parse::<u32>().ok()?)))
            .filter(|(m, d)| NaiveDate::from_ymd_opt(2024, *m, *d).is_some())
            .ok_or_else(|| {
                invalid(
                    name,
                    &field,
                    format!("`{text}` is not a day of the year; expected MM-DD"),
                )
            })?;
        if let Some(days) = recurring.get_mut(parsed.0.saturating_sub(1) as usize) {
            *days |= 1 << parsed.1;
        }
    }
    Ok(recurring)
}

/// Dates with their own hours: intervals, or a weekday's hours of `weekly`.
fn overrides(
    name: &str,
    spec: &CalendarSpec,
    weekly: &Week,
) -> Result<Dated<Vec<LocalInterval>>, CalendarError> {
    let mut overrides = Vec::with_capacity(spec.overrides.len());
    for (text, value) in &spec.overrides {
        let field = format!("overrides.{text}");
        let date = parse_date(text).map_err(|m| invalid(name, &field, m))?;
        let hours = match value {
            OverrideSpec::Intervals(list) => {
                parse_day(list, &field).map_err(|(f, m)| invalid(name, &f, m))?
            }
            OverrideSpec::Weekday(day) => {
                let weekday: Weekday = day.parse().map_err(|_| {
                    invalid(
                        name,
                        &field,
                        format!(
                            "`{day}` is neither a list of intervals nor a weekday such as \"mon\""
                        ),
                    )
                })?;
                weekly
                    .get(weekday.num_days_from_monday() as usize)
                    .cloned()
                    .unwrap_or_default()
            }
        };
        overrides.push((date, hours));
    }
    Ok(by_date(overrides))
}

/// Closed spans on given dates.
fn breaks(name: &str, spec: &CalendarSpec) -> Result<Dated<Vec<LocalInterval>>, CalendarError> {
    let mut breaks = Vec::with_capacity(spec.breaks.len());
    for (text, list) in &spec.breaks {
        let field = format!("breaks.{text}");
        let date = parse_date(text).map_err(|m| invalid(name, &field, m))?;
        breaks.push((
            date,
            parse_day(list, &field).map_err(|(f, m)| invalid(name, &f, m))?,
        ));
    }
    Ok(by_date(breaks))
}

/// The last date with open hours when the weekly hours are empty (`None`
/// when some weekday is open); a calendar never open is an error.
fn last_open_date(
    name: &str,
    weekly: &Week,
    holidays: &Dated<Option<String>>,
    overrides: &Dated<Vec<LocalInterval>>,
) -> Result<Option<NaiveDate>, CalendarError> {
    if weekly.iter().any(|d| !d.is_empty()) {
        return Ok(None);
    }
    let last = overrides
        .iter()
        .filter(|(date, hours)| {
            !hours.is_empty() && holidays.binary_search_by_key(date, |h| h.0).is_err()
        })
        .map(|(date, _)| *date)
        .max();
    match last {
        Some(date) => Ok(Some(date)),
        None => Err(invalid(
            name,
            "hours",
            "the calendar is never open: give hours for at least one weekday \
             (mon … sun, weekdays or daily) or a date override"
                .into(),
        )),
    }
}

/// Sorts entries by date, keeping the last entry given for a date (as a
/// map filled in order would).
fn by_date<T>(mut entries: Dated<T>) -> Dated<T> {
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

fn days_key(index: usize) -> &'static str {
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .get(index)
        .copied()
        .unwrap_or("mon")
}
