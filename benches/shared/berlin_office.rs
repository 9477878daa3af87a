//! The calendar the benchmarks and the agreement test share, written once
//! for aftersales and once for workclock: Europe/Berlin, Monday to Friday
//! 09:00-12:00 and 13:00-18:00, with Berlin's public holidays of 2026 and
//! 2027 (20 dates, 14 of them on weekdays), and the instants the operations
//! start from.

use aftersales::Calendar;
use aftersales::{CalendarSpec, HolidaySpec};
use chrono::{DateTime, TimeDelta, Utc};
use jiff::civil::{date, time, Date};
use jiff::Timestamp;
use workclock::{Holidays, Schedule, Weekdays, WorkDay};

/// Berlin's public holidays, 2026 and 2027 (Easter 2026-04-05, 2027-03-28).
pub const HOLIDAYS: [&str; 20] = [
    "2026-01-01", // New Year's Day
    "2026-03-08", // International Women's Day (Berlin), a Sunday
    "2026-04-03", // Good Friday
    "2026-04-06", // Easter Monday
    "2026-05-01", // Labour Day
    "2026-05-14", // Ascension Day
    "2026-05-25", // Whit Monday
    "2026-10-03", // German Unity Day, a Saturday
    "2026-12-25", // Christmas Day
    "2026-12-26", // Boxing Day, a Saturday
    "2027-01-01",
    "2027-03-08",
    "2027-03-26",
    "2027-03-29",
    "2027-05-01", // a Saturday
    "2027-05-06",
    "2027-05-17",
    "2027-10-03", // a Sunday
    "2027-12-25", // a Saturday
    "2027-12-26", // a Sunday
];

/// The aftersales calendar.
pub fn aftersales_calendar() -> Calendar {
    let spec = CalendarSpec {
        timezone: Some("Europe/Berlin".into()),
        weekdays: Some(vec!["09:00-12:00".into(), "13:00-18:00".into()]),
        holidays: HOLIDAYS
            .iter()
            .map(|d| HolidaySpec::Date(d.to_string()))
            .collect(),
        ..CalendarSpec::default()
    };
    match Calendar::new("berlin-office", &spec, None) {
        Ok(calendar) => calendar,
        Err(e) => unreachable!("the benchmark calendar is valid: {e}"),
    }
}

fn jiff_date(text: &str) -> Date {
    text.parse().unwrap_or(date(2026, 1, 1))
}

/// The same calendar for workclock.
pub fn workclock_schedule() -> Schedule {
    let days = Weekdays::MON_TO_FRI;
    let built = Schedule::builder()
        .time_zone("Europe/Berlin")
        .rule(WorkDay::new(time(9, 0, 0, 0), time(12, 0, 0, 0), days))
        .rule(WorkDay::new(time(13, 0, 0, 0), time(18, 0, 0, 0), days))
        .rule(Holidays::new(HOLIDAYS.iter().map(|d| jiff_date(d))))
        .build();
    match built {
        Ok(schedule) => schedule,
        Err(e) => unreachable!("the benchmark schedule is valid: {e}"),
    }
}

/// `n` instants spread over 2026: instant `i` is `i * 7919 mod 525,600`
/// minutes into the year (whole minutes, open or closed, holidays included).
pub fn instants(n: i64) -> Vec<DateTime<Utc>> {
    let base = DateTime::<Utc>::from_timestamp(1_767_225_600, 0).unwrap_or_default(); // 2026-01-01T00:00:00Z
    (0..n)
        .map(|i| base + TimeDelta::minutes(i * 7919 % 525_600))
        .collect()
}

/// An instant as a jiff timestamp.
pub fn timestamp(t: DateTime<Utc>) -> Timestamp {
    Timestamp::from_millisecond(t.timestamp_millis()).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// A jiff timestamp as a chrono instant (the agreement test reads
/// workclock's answers with it; the benchmark does not need it).
#[allow(dead_code)]
pub fn instant(t: Timestamp) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(t.as_millisecond()).unwrap_or_default()
}
