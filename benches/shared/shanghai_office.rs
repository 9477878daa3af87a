//! The Asia/Shanghai office calendar the calendar benchmarks share, written
//! once for aftersales and once for workclock: Monday to Friday 09:00-12:00
//! and 13:00-18:00 with the 2026 statutory holidays of mainland China (the
//! seven holiday ranges of `examples/policies/hot_water_meter.toml`, 33
//! dates). The adjusted working weekends of that pack are left out: workclock
//! has no way to open a Saturday, and the two calendars must be the same.

use aftersales::Calendar;
use aftersales::{CalendarSpec, HolidaySpec};
use chrono::{DateTime, Utc};
use jiff::civil::{time, Date};
use jiff::Timestamp;
use workclock::{Holidays, Schedule, Weekdays, WorkDay};

/// The 2026 holiday ranges, both ends included.
pub const HOLIDAYS: [(&str, &str); 7] = [
    ("2026-01-01", "2026-01-03"), // New Year's Day
    ("2026-02-15", "2026-02-23"), // Spring Festival
    ("2026-04-04", "2026-04-06"), // Tomb-sweeping Day
    ("2026-05-01", "2026-05-05"), // Labour Day
    ("2026-06-19", "2026-06-21"), // Dragon Boat Festival
    ("2026-09-25", "2026-09-27"), // Mid-autumn Festival
    ("2026-10-01", "2026-10-07"), // National Day
];

/// The calendar's TOML-equivalent spec for aftersales.
pub fn aftersales_spec() -> CalendarSpec {
    CalendarSpec {
        timezone: Some("Asia/Shanghai".into()),
        weekdays: Some(vec!["09:00-12:00".into(), "13:00-18:00".into()]),
        holidays: HOLIDAYS
            .iter()
            .map(|(a, b)| HolidaySpec::Date(format!("{a}..{b}")))
            .collect(),
        ..CalendarSpec::default()
    }
}

/// The aftersales calendar.
pub fn aftersales_calendar(spec: &CalendarSpec) -> Calendar {
    match Calendar::new("shanghai-office", spec, None) {
        Ok(calendar) => calendar,
        Err(e) => unreachable!("the benchmark calendar is valid: {e}"),
    }
}

/// Every holiday date, for workclock.
pub fn holiday_dates() -> Vec<Date> {
    let mut dates = Vec::new();
    for (a, b) in HOLIDAYS {
        let (Ok(mut d), Ok(last)) = (a.parse::<Date>(), b.parse::<Date>()) else {
            continue;
        };
        while d <= last {
            dates.push(d);
            d = match d.tomorrow() {
                Ok(next) => next,
                Err(_) => break,
            };
        }
    }
    dates
}

/// The same calendar for workclock.
pub fn workclock_schedule(holidays: &[Date]) -> Schedule {
    let days = Weekdays::MON_TO_FRI;
    let built = Schedule::builder()
        .time_zone("Asia/Shanghai")
        .rule(WorkDay::new(time(9, 0, 0, 0), time(12, 0, 0, 0), days))
        .rule(WorkDay::new(time(13, 0, 0, 0), time(18, 0, 0, 0), days))
        .rule(Holidays::new(holidays.iter().copied()))
        .build();
    match built {
        Ok(schedule) => schedule,
        Err(e) => unreachable!("the benchmark schedule is valid: {e}"),
    }
}

/// `n` instants spread over 2026: instant `i` is `i * 7919 mod 525,600`
/// minutes into the year.
pub fn instants_2026(n: i64) -> Vec<DateTime<Utc>> {
    let base = 1_767_225_600_000; // 2026-01-01T00:00:00Z, ms
    (0..n)
        .map(|i| DateTime::from_timestamp_millis(base + (i * 7919 % 525_600) * 60_000))
        .map(Option::unwrap_or_default)
        .collect()
}

/// `n` pseudo-random whole minutes in 1900-01-01 … 2099-12-31 (UTC), from a
/// fixed-seed 64-bit linear congruential generator (Knuth's MMIX constants),
/// so every run and both libraries see the same instants.
pub fn instants_two_centuries(n: usize) -> Vec<DateTime<Utc>> {
    let first = -2_208_988_800_000_i64; // 1900-01-01T00:00:00Z
    let minutes = 200 * 525_960_u64; // about two centuries of minutes
    let mut state = 0x2026_u64;
    (0..n)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let minute = (state >> 33) % minutes;
            let ms = first + i64::try_from(minute).unwrap_or(0) * 60_000;
            DateTime::from_timestamp_millis(ms).unwrap_or_default()
        })
        .collect()
}

/// An instant as a jiff timestamp.
pub fn timestamp(t: DateTime<Utc>) -> Timestamp {
    Timestamp::from_millisecond(t.timestamp_millis()).unwrap_or(Timestamp::UNIX_EPOCH)
}
