//! Hand-worked calendar cases; the shared reference cases live in
//! `core/tests/calendar_cases.rs`.

use super::*;
use chrono::NaiveDateTime;

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

fn calendar(toml: &str) -> Calendar {
    match Calendar::from_toml_str("test", toml) {
        Ok(c) => c,
        Err(e) => unreachable!("{e}"),
    }
}

#[test]
fn office_hours_add_and_between() {
    let cal = calendar("timezone = \"Etc/UTC\"\nweekdays = [\"09:00-17:00\"]");
    // Monday 2026-03-02 16:00 + 2h: 1h Monday, 1h Tuesday from 09:00.
    let deadline = cal.add(utc("2026-03-02T16:00:00Z"), TimeDelta::hours(2));
    assert_eq!(deadline, Ok(utc("2026-03-03T10:00:00Z")));
    // Exactly used up at Monday's close: the next opening.
    let deadline = cal.add(utc("2026-03-02T16:00:00Z"), TimeDelta::hours(1));
    assert_eq!(deadline, Ok(utc("2026-03-03T09:00:00Z")));
    assert_eq!(
        cal.between(utc("2026-03-02T16:00:00Z"), utc("2026-03-03T10:00:00Z")),
        TimeDelta::hours(2)
    );
    assert_eq!(
        cal.between(utc("2026-03-03T10:00:00Z"), utc("2026-03-02T16:00:00Z")),
        TimeDelta::hours(-2)
    );
}

/// Regression (found by `calendar_laws`): zero business days from an instant
/// in the second occurrence of a DST fold went back an hour, because the
/// wall-clock time was read back as its first occurrence.
#[test]
fn zero_business_days_in_a_fold_stay_at_t() {
    let cal = calendar("timezone = \"America/New_York\"\ndaily = [\"00:00-03:00\"]");
    // 2026-11-01 01:30 EST (UTC-5), the second 01:30 of the night: 06:30Z.
    // Its first occurrence, 01:30 EDT, is 05:30Z.
    let t = utc("2026-11-01T06:30:00Z");
    assert!(cal.is_open(t));
    assert_eq!(cal.add_business_days(t, 0), Ok(t));
    assert_eq!(cal.sub_business_days(t, 0), Ok(t));
    // One day on is 2026-11-02 01:30 EST = 06:30Z.
    assert_eq!(cal.add_business_days(t, 1), Ok(utc("2026-11-02T06:30:00Z")));
}

/// Regression (found by `calendar_laws`): a local time near the ends of
/// chrono's range panicked in `DateTime::naive_local`.
#[test]
fn wall_clock_time_at_the_ends_of_the_range_does_not_panic() {
    let cal = calendar("timezone = \"Asia/Shanghai\"\nweekdays = [\"09:00-17:00\"]");
    let max = DateTime::<Utc>::MAX_UTC;
    // 8 hours ahead of UTC, the last instant has no wall-clock time.
    assert_eq!(cal.zone().local(max), NaiveDateTime::MAX);
    let _ = cal.is_holiday(max);
    assert!(cal.add_business_days(max, 1).is_err());
    let cal = calendar("timezone = \"America/New_York\"\nweekdays = [\"09:00-17:00\"]");
    let min = DateTime::<Utc>::MIN_UTC;
    assert_eq!(cal.zone().local(min), NaiveDateTime::MIN);
    assert!(cal.sub_business_days(min, 1).is_err());
}

/// Regression (found by `calendar_laws`): an amount of open time that ends
/// beyond chrono's range was walked chunk by chunk to the end of the range
/// (about a minute in release builds) before failing.
#[test]
fn amounts_beyond_the_range_fail_at_once() {
    let cal = calendar("timezone = \"Europe/Berlin\"\nweekdays = [\"09:00-17:00\"]");
    let t = utc("2026-03-02T09:00:00Z");
    let started = std::time::Instant::now();
    assert!(matches!(
        cal.add(t, TimeDelta::MAX),
        Err(CalendarError::OutOfRange { .. })
    ));
    assert!(matches!(
        cal.sub(t, TimeDelta::MAX),
        Err(CalendarError::OutOfRange { .. })
    ));
    // 200,000 years of 40-hour weeks would end 840,000 years on, past the
    // range: the walk stops after about 1,000 years instead.
    let far = TimeDelta::days(200_000 * 365);
    assert!(matches!(
        cal.add(t, far),
        Err(CalendarError::OutOfRange { .. })
    ));
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
}

#[test]
fn calendar_dates_outside_the_supported_range_are_refused() {
    for (toml, field) in [
        (
            "weekdays = [\"09:00-17:00\"]\nholidays = [\"1899-12-31\"]",
            "holidays[0]",
        ),
        (
            "weekdays = [\"09:00-17:00\"]\n[overrides]\n\"2201-01-03\" = \"mon\"",
            "overrides.2201-01-03",
        ),
    ] {
        let text = format!("timezone = \"UTC\"\n{toml}");
        match Calendar::from_toml_str("office", &text) {
            Err(CalendarError::Invalid {
                field: f, message, ..
            }) => {
                assert_eq!(f, field);
                assert!(message.contains("outside the supported range"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn chunks_by_a_fixed_offset_equal_chunks_resolved_wall_time_by_wall_time() {
    // Every chunk from 1900 to 2100 in zones with daylight saving (changes
    // at 02:00, at midnight, by half an hour, for one week in 2000 or in a
    // Ramadan), with a day skipped (Apia, 2011-12-30) and an offset of
    // +14: built with the fixed-offset shortcut where the zone keeps its
    // offset, and wall time by wall time, they must be the same. The hours
    // straddle the usual change times: 01:00-03:00 (02:00 gaps and folds)
    // and 22:30-24:00 (midnight changes).
    let zones = [
        "Europe/Berlin",
        "America/New_York",
        "Australia/Lord_Howe",
        "America/Sao_Paulo",
        "America/Noronha",
        "Asia/Gaza",
        "Pacific/Apia",
        "Pacific/Kiritimati",
        "Asia/Shanghai",
    ];
    let (first, last) = (chunk_of(range::FIRST_MS), chunk_of(4_102_444_800_000));
    let mut shortcut = 0;
    for zone in zones {
        let cal = calendar(&format!(
            "timezone = \"{zone}\"\ndaily = [\"01:00-03:00\", \"09:00-12:00\", \"22:30-24:00\"]"
        ));
        for k in first..=last {
            let fast = cal.build_chunk_by(k, true);
            assert_eq!(fast, cal.build_chunk_by(k, false), "{zone}, chunk {k}");
            let (lo, hi) = (k * CHUNK_MS, (k + 1) * CHUNK_MS);
            let local = |ms| {
                cal.inner
                    .zone
                    .local(DateTime::from_timestamp_millis(ms).unwrap_or_default())
                    .date()
            };
            if cal
                .fixed_offset(local(lo) - Days::new(2), local(hi) + Days::new(1))
                .is_some()
            {
                shortcut += 1;
            }
        }
    }
    // Most chunks take the shortcut: 6,020 chunks a zone (-2,107 to 3,912), 9 zones.
    assert!(shortcut > 9 * 6_020 / 2, "{shortcut}");
}
