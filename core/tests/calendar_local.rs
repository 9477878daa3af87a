//! Hand-worked calendar cases for what the shared reference cases miss:
//! China's holidays and adjusted working weekends, overnight shifts across
//! daylight-saving changes, wall times in a spring-forward gap or an autumn
//! fold, year ends, 29 February, and bad calendars.
//!
//! Every expected value is worked out from the rules in `docs/calendar.md`;
//! the arithmetic is in the comment above each case. Instants are written
//! with the calendar's local offset so the arithmetic reads in wall-clock
//! time.

// Test code: a failed unwrap or index is a failed test (clippy.toml allows
// these only inside `#[test]` functions, not in this file's helpers).
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use aftersales::{Calendar, CalendarError};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde_json::Value;
use std::path::PathBuf;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .with_timezone(&Utc)
}

fn calendar(name: &str, toml: &str) -> Calendar {
    Calendar::from_toml_str(name, toml).unwrap_or_else(|e| panic!("{e}"))
}

fn hours(h: i64) -> TimeDelta {
    TimeDelta::hours(h)
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

// ---------------------------------------------------------------------------
// China, 2026: Spring Festival, National Day and the adjusted working weekends
// (tests/data/cn_holidays.json). Office hours 09:00-12:00 and 13:00-18:00,
// 8 hours a day, Asia/Shanghai (UTC+8, no daylight saving).
// ---------------------------------------------------------------------------

const CHINA_2026: &str = r#"
timezone = "Asia/Shanghai"
weekdays = ["09:00-12:00", "13:00-18:00"]
holidays = [
    { date = "2026-01-01..2026-01-03", name = "New Year's Day" },
    { date = "2026-02-15..2026-02-23", name = "Spring Festival" },
    { date = "2026-04-04..2026-04-06", name = "Tomb-sweeping Day" },
    { date = "2026-05-01..2026-05-05", name = "Labour Day" },
    { date = "2026-06-19..2026-06-21", name = "Dragon Boat Festival" },
    { date = "2026-09-25..2026-09-27", name = "Mid-autumn Festival" },
    { date = "2026-10-01..2026-10-07", name = "National Day" },
]

# Adjusted working weekends: open with a weekday's hours.
[overrides]
"2026-01-04" = "mon"
"2026-02-14" = "mon"
"2026-02-28" = "fri"
"2026-05-09" = "mon"
"2026-09-20" = "mon"
"2026-10-10" = ["09:00-12:00", "13:00-18:00"]
"#;

fn china() -> Calendar {
    calendar("cn-office", CHINA_2026)
}

#[test]
fn china_calendar_matches_the_state_council_data() {
    // Every date off in cn_holidays.json is a holiday, and every adjusted
    // working day is a business day, with the holiday's name.
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/data/cn_holidays.json");
    let data: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let year = &data["years"]["2026"];
    let cal = china();
    let days_off = year["days_off"].as_array().unwrap();
    assert_eq!(days_off.len(), 33);
    for day in days_off {
        let d = date(day["date"].as_str().unwrap());
        assert!(cal.is_holiday_date(d), "{d}");
        assert!(!cal.is_business_day(d), "{d}");
        assert_eq!(cal.holiday_name(d), day["holiday"].as_str(), "{d}");
    }
    for day in year["adjusted_working_days"].as_array().unwrap() {
        let d = date(day.as_str().unwrap());
        assert!(cal.is_business_day(d), "{d}");
        assert!(!cal.is_holiday_date(d), "{d}");
    }
}

#[test]
fn china_open_time_in_2026() {
    // 2026 starts on a Thursday and has 365 days = 52 weeks + 1 day (Thu
    // 2026-12-31): 52 * 5 + 1 = 261 weekdays. Holidays on weekdays: New
    // Year 2 (Jan 1-2), Spring Festival 6 (Feb 16-20, 23), Tomb-sweeping 1
    // (Apr 6), Labour Day 3 (May 1, 4, 5), Dragon Boat 1 (Jun 19),
    // Mid-autumn 1 (Sep 25), National Day 5 (Oct 1, 2, 5, 6, 7) = 19.
    // Adjusted working weekends: 6. 261 - 19 + 6 = 248 days * 8 h = 1,984 h.
    let cal = china();
    assert_eq!(
        cal.between(
            at("2026-01-01T00:00:00+08:00"),
            at("2027-01-01T00:00:00+08:00")
        ),
        hours(1_984)
    );
}

#[test]
fn china_sixteen_hours_from_the_friday_before_spring_festival() {
    let cal = china();
    let friday = at("2026-02-13T09:00:00+08:00");
    // Fri 13th: 09-12 (3 h) + 13-18 (5 h) = 8 h. Sat 14th is an adjusted
    // working day with Monday's hours: another 8 h, used up exactly at its
    // 18:00 close, so the deadline is the next opening: Sun 15th to Mon
    // 23rd are Spring Festival, so Tue 24th 09:00.
    assert_eq!(
        cal.add(friday, hours(16)),
        Ok(at("2026-02-24T09:00:00+08:00"))
    );
    // One hour more: Tue 24th 09:00 + 1 h.
    assert_eq!(
        cal.add(friday, hours(17)),
        Ok(at("2026-02-24T10:00:00+08:00"))
    );
    // From Fri 17:00, 2 h: 17-18 on Friday, then Sat 14th 09:00 + 1 h.
    assert_eq!(
        cal.add(at("2026-02-13T17:00:00+08:00"), hours(2)),
        Ok(at("2026-02-14T10:00:00+08:00"))
    );
    // Fri 8 h + Sat 8 h + Tue 24th 09-12 3 h = 19 h.
    assert_eq!(
        cal.between(friday, at("2026-02-24T12:00:00+08:00")),
        hours(19)
    );
    // Counting back 2 h from Tue 24th 10:00: 09-10 on Tuesday (1 h), then
    // nothing until Sat 14th's 18:00 close: 17:00.
    assert_eq!(
        cal.sub(at("2026-02-24T10:00:00+08:00"), hours(2)),
        Ok(at("2026-02-14T17:00:00+08:00"))
    );
    // Nothing open during the festival: the next opening after Sat 14th's
    // close is Tue 24th 09:00.
    assert_eq!(
        cal.next_open(at("2026-02-14T18:00:00+08:00")),
        Ok(at("2026-02-24T09:00:00+08:00"))
    );
}

#[test]
fn china_business_days_across_national_day() {
    let cal = china();
    // From Wed 2026-09-30 10:00: Oct 1-7 are National Day; business days
    // are Thu 8th (1), Fri 9th (2), Sat 10th, adjusted (3), Mon 12th (4):
    // Sun 11th is an ordinary Sunday.
    let wednesday = at("2026-09-30T10:00:00+08:00");
    assert_eq!(
        cal.add_business_days(wednesday, 1),
        Ok(at("2026-10-08T10:00:00+08:00"))
    );
    assert_eq!(
        cal.add_business_days(wednesday, 3),
        Ok(at("2026-10-10T10:00:00+08:00"))
    );
    assert_eq!(
        cal.add_business_days(wednesday, 4),
        Ok(at("2026-10-12T10:00:00+08:00"))
    );
    // From lunch time (12:30), one business day on is Thu 8th 12:30, closed
    // for lunch: the next opening, 13:00.
    assert_eq!(
        cal.add_business_days(at("2026-09-30T12:30:00+08:00"), 1),
        Ok(at("2026-10-08T13:00:00+08:00"))
    );
    // From 19:00, after hours: Thu 8th 19:00 is closed; next opening Fri 9th 09:00.
    assert_eq!(
        cal.add_business_days(at("2026-09-30T19:00:00+08:00"), 1),
        Ok(at("2026-10-09T09:00:00+08:00"))
    );
    // Back one business day from Thu 8th 10:00 is Wed 30th 10:00 (open).
    assert_eq!(
        cal.sub_business_days(at("2026-10-08T10:00:00+08:00"), 1),
        Ok(wednesday)
    );
    // Back one from Mon 21st: Sun 20th is an adjusted working day.
    assert_eq!(
        cal.sub_business_days(at("2026-09-21T10:00:00+08:00"), 1),
        Ok(at("2026-09-20T10:00:00+08:00"))
    );
    // Back one from Mon 28th: Sun 27th to Fri 25th are Mid-autumn, so Thu 24th.
    assert_eq!(
        cal.sub_business_days(at("2026-09-28T10:00:00+08:00"), 1),
        Ok(at("2026-09-24T10:00:00+08:00"))
    );
    // 8 hours from Wed 30th 17:00: 17-18 (1 h), then Thu 8th 09-12 (3 h)
    // and 13:00 + 4 h = 17:00.
    assert_eq!(
        cal.add(at("2026-09-30T17:00:00+08:00"), hours(8)),
        Ok(at("2026-10-08T17:00:00+08:00"))
    );
    // Wed 30th 09:00 to Thu 8th 09:00: only Wednesday's 8 h.
    assert_eq!(
        cal.between(
            at("2026-09-30T09:00:00+08:00"),
            at("2026-10-08T09:00:00+08:00")
        ),
        hours(8)
    );
}

#[test]
fn china_adjusted_working_saturday_is_open() {
    let cal = china();
    // Sat 2026-02-28 works with Friday's hours.
    assert!(cal.is_open(at("2026-02-28T10:00:00+08:00")));
    assert!(!cal.is_open(at("2026-02-28T12:30:00+08:00"))); // lunch
    assert!(!cal.is_open(at("2026-02-28T18:00:00+08:00"))); // closed at the close
    assert!(!cal.is_holiday(at("2026-02-28T10:00:00+08:00")));
    // An ordinary Saturday a week later is closed.
    assert!(!cal.is_open(at("2026-03-07T10:00:00+08:00")));
    // Sun 2026-01-04 (override "mon") is open; New Year's Day is not.
    assert!(cal.is_open(at("2026-01-04T09:00:00+08:00")));
    assert!(!cal.is_open(at("2026-01-02T10:00:00+08:00")));
    assert_eq!(cal.holiday_name(date("2026-01-02")), Some("New Year's Day"));
    // Mon 2026-02-16 is Spring Festival.
    assert!(cal.is_holiday(at("2026-02-16T10:00:00+08:00")));
    assert!(!cal.is_open(at("2026-02-16T10:00:00+08:00")));
    // 2 h from Wed 2025-12-31 17:00: 17-18 (1 h); Jan 1-3 off; Sun Jan 4th
    // opens at 09:00: + 1 h = 10:00.
    assert_eq!(
        cal.add(at("2025-12-31T17:00:00+08:00"), hours(2)),
        Ok(at("2026-01-04T10:00:00+08:00"))
    );
}

// ---------------------------------------------------------------------------
// Overnight shifts 22:00-06:00 across daylight-saving changes.
// ---------------------------------------------------------------------------

#[test]
fn berlin_night_shift_loses_an_hour_in_march_and_gains_one_in_october() {
    let cal = calendar(
        "berlin-nights",
        "timezone = \"Europe/Berlin\"\ndaily = [\"22:00-06:00\"]",
    );
    // An ordinary night: 22:00-06:00 CET, 8 h.
    assert_eq!(
        cal.between(
            at("2026-03-21T22:00:00+01:00"),
            at("2026-03-22T06:00:00+01:00")
        ),
        hours(8)
    );
    // Night of Sat 2026-03-28: 22:00 CET (21:00Z) to 06:00 CEST (04:00Z);
    // clocks jump 02:00 -> 03:00 at 01:00Z: 7 h.
    let spring = at("2026-03-28T22:00:00+01:00");
    assert_eq!(
        cal.between(spring, at("2026-03-29T06:00:00+02:00")),
        hours(7)
    );
    // 3 h: 21:00Z + 3 h = 00:00Z = 01:00 CET. 4 h: 01:00Z = 03:00 CEST.
    assert_eq!(
        cal.add(spring, hours(3)),
        Ok(at("2026-03-29T01:00:00+01:00"))
    );
    assert_eq!(
        cal.add(spring, hours(4)),
        Ok(at("2026-03-29T03:00:00+02:00"))
    );
    // 6 h: 03:00Z = 05:00 CEST.
    assert_eq!(
        cal.add(spring, hours(6)),
        Ok(at("2026-03-29T05:00:00+02:00"))
    );
    // 7 h: used up at the 06:00 close: the next opening, Sun 22:00 CEST.
    assert_eq!(
        cal.add(spring, hours(7)),
        Ok(at("2026-03-29T22:00:00+02:00"))
    );
    assert_eq!(
        cal.next_close(at("2026-03-28T23:00:00+01:00")),
        Ok(at("2026-03-29T06:00:00+02:00"))
    );
    // Mon 2026-03-23 00:00 CET to Mon 2026-03-30 00:00 CEST: 06:00 of the
    // Sunday-night shift (6 h), Mon-Fri nights 5 * 8 h = 40 h, Saturday's
    // short night 7 h, Sunday 29th 22:00-24:00 (2 h): 55 h in a 167-hour week.
    assert_eq!(
        cal.between(
            at("2026-03-23T00:00:00+01:00"),
            at("2026-03-30T00:00:00+02:00")
        ),
        hours(55)
    );

    // Night of Sat 2026-10-24: 22:00 CEST (20:00Z) to 06:00 CET (05:00Z);
    // clocks go back 03:00 -> 02:00 at 01:00Z: 9 h.
    let autumn = at("2026-10-24T22:00:00+02:00");
    assert_eq!(
        cal.between(autumn, at("2026-10-25T06:00:00+01:00")),
        hours(9)
    );
    // 4 h: 00:00Z = 02:00 CEST (first 02:00); 5 h: 01:00Z = 02:00 CET (second).
    assert_eq!(
        cal.add(autumn, hours(4)),
        Ok(at("2026-10-25T02:00:00+02:00"))
    );
    assert_eq!(
        cal.add(autumn, hours(5)),
        Ok(at("2026-10-25T02:00:00+01:00"))
    );
    // 8 h: 04:00Z = 05:00 CET.
    assert_eq!(
        cal.add(autumn, hours(8)),
        Ok(at("2026-10-25T05:00:00+01:00"))
    );
    // 9 h: used up at the close: Sun 22:00 CET.
    assert_eq!(
        cal.add(autumn, hours(9)),
        Ok(at("2026-10-25T22:00:00+01:00"))
    );
    // Back 9 h from the close stops at the shift's opening.
    assert_eq!(
        cal.sub(at("2026-10-25T06:00:00+01:00"), hours(9)),
        Ok(autumn)
    );
}

#[test]
fn new_york_night_shift_loses_an_hour_in_march_and_gains_one_in_november() {
    let cal = calendar(
        "ny-nights",
        "timezone = \"America/New_York\"\ndaily = [\"22:00-06:00\"]",
    );
    // Night of Sat 2026-03-07: 22:00 EST (03:00Z) to 06:00 EDT (10:00Z);
    // clocks jump 02:00 -> 03:00 at 07:00Z: 7 h.
    let spring = at("2026-03-07T22:00:00-05:00");
    assert_eq!(
        cal.between(spring, at("2026-03-08T06:00:00-04:00")),
        hours(7)
    );
    // 5 h: 08:00Z = 04:00 EDT.
    assert_eq!(
        cal.add(spring, hours(5)),
        Ok(at("2026-03-08T04:00:00-04:00"))
    );
    // 7 h: used up at the close: Sun 22:00 EDT.
    assert_eq!(
        cal.add(spring, hours(7)),
        Ok(at("2026-03-08T22:00:00-04:00"))
    );

    // Night of Sat 2026-10-31: 22:00 EDT (02:00Z) to 06:00 EST (11:00Z);
    // clocks go back 02:00 -> 01:00 at 06:00Z: 9 h.
    let autumn = at("2026-10-31T22:00:00-04:00");
    assert_eq!(
        cal.between(autumn, at("2026-11-01T06:00:00-05:00")),
        hours(9)
    );
    // 3 h: 05:00Z = 01:00 EDT; 4 h: 06:00Z = 01:00 EST (the second 01:00).
    assert_eq!(
        cal.add(autumn, hours(3)),
        Ok(at("2026-11-01T01:00:00-04:00"))
    );
    assert_eq!(
        cal.add(autumn, hours(4)),
        Ok(at("2026-11-01T01:00:00-05:00"))
    );
    assert!(cal.is_open(at("2026-11-01T01:30:00-05:00")));
    // 9 h: used up at the close: Sun 22:00 EST.
    assert_eq!(
        cal.add(autumn, hours(9)),
        Ok(at("2026-11-01T22:00:00-05:00"))
    );
    assert_eq!(
        cal.sub(at("2026-11-01T06:00:00-05:00"), hours(9)),
        Ok(autumn)
    );
}

#[test]
fn lord_howe_night_shift_changes_by_half_an_hour() {
    // Lord Howe Island: UTC+10:30, UTC+11 in summer. Summer time starts on
    // the first Sunday in October at 02:00 (-> 02:30) and ends on the first
    // Sunday in April at 02:00 (-> 01:30).
    let cal = calendar(
        "lord-howe-nights",
        "timezone = \"Australia/Lord_Howe\"\ndaily = [\"22:00-06:00\"]",
    );
    // Night of Sat 2026-10-03: 22:00 +10:30 to 06:00 +11:00: 7.5 h.
    assert_eq!(
        cal.between(
            at("2026-10-03T22:00:00+10:30"),
            at("2026-10-04T06:00:00+11:00")
        ),
        TimeDelta::minutes(450)
    );
    // Night of Sat 2026-04-04: 22:00 +11:00 to 06:00 +10:30: 8.5 h.
    assert_eq!(
        cal.between(
            at("2026-04-04T22:00:00+11:00"),
            at("2026-04-05T06:00:00+10:30")
        ),
        TimeDelta::minutes(510)
    );
}

#[test]
fn a_week_of_daylight_saving_inside_one_chunk() {
    // Fernando de Noronha kept daylight saving for one week in 2000: UTC-2,
    // then UTC-1 from Sun 2000-10-08 00:00 (-> 01:00, 02:00Z) to Sun
    // 2000-10-15 00:00 (-> Sat 23:00, 01:00Z). Both changes fall among the
    // dates a single chunk resolves (2000-10-08T10:35:44Z to
    // 2000-10-20T13:51:28Z, with two days before), and the offset is UTC-2
    // at both ends of them: the week must still open at 09:00 UTC-1.
    let cal = calendar(
        "noronha",
        "timezone = \"America/Noronha\"\nweekdays = [\"09:00-17:00\"]",
    );
    // Wed 2000-10-11 09:00-17:00 UTC-1 is 10:00Z-18:00Z.
    assert!(cal.is_open(at("2000-10-11T10:30:00Z")));
    assert!(!cal.is_open(at("2000-10-11T09:30:00Z")));
    assert!(!cal.is_open(at("2000-10-11T18:30:00Z")));
    assert_eq!(
        cal.next_open(at("2000-10-11T00:00:00Z")),
        Ok(at("2000-10-11T10:00:00Z"))
    );
    // Fri 2000-10-13 16:00 UTC-1 (17:00Z) plus 2 h: 1 h to the close at
    // 18:00Z, then Mon 2000-10-16 opens at 09:00 UTC-2 = 11:00Z, plus 1 h.
    assert_eq!(
        cal.add(at("2000-10-13T17:00:00Z"), hours(2)),
        Ok(at("2000-10-16T12:00:00Z"))
    );
    // The Friday before, 2000-10-06, was at UTC-2: open 11:00Z-19:00Z.
    assert!(cal.is_open(at("2000-10-06T18:30:00Z")));
    assert!(!cal.is_open(at("2000-10-06T10:30:00Z")));
}

// ---------------------------------------------------------------------------
// Wall times in a spring-forward gap and an autumn fold.
// ---------------------------------------------------------------------------

#[test]
fn an_interval_starting_in_the_gap_starts_after_it() {
    let cal = calendar(
        "berlin-sunday",
        "timezone = \"Europe/Berlin\"\nsun = [\"02:30-04:00\"]",
    );
    // An ordinary Sunday: 02:30-04:00 CET, 1.5 h.
    assert_eq!(
        cal.between(
            at("2026-03-22T00:00:00+01:00"),
            at("2026-03-23T00:00:00+01:00")
        ),
        TimeDelta::minutes(90)
    );
    // Sun 2026-03-29: 02:30 does not exist (02:00 -> 03:00); shifted by the
    // gap it is 03:30 CEST. 03:30-04:00 CEST: 30 min.
    assert_eq!(
        cal.next_open(at("2026-03-29T00:00:00+01:00")),
        Ok(at("2026-03-29T03:30:00+02:00"))
    );
    assert!(!cal.is_open(at("2026-03-29T03:15:00+02:00")));
    assert!(cal.is_open(at("2026-03-29T03:30:00+02:00")));
    assert_eq!(
        cal.between(
            at("2026-03-29T00:00:00+01:00"),
            at("2026-03-30T00:00:00+02:00")
        ),
        TimeDelta::minutes(30)
    );
    // Sun 2026-10-25: 02:30 happens twice; the first, 02:30 CEST (00:30Z),
    // starts the interval, which ends 04:00 CET (03:00Z): 2.5 h.
    assert_eq!(
        cal.next_open(at("2026-10-24T12:00:00+02:00")),
        Ok(at("2026-10-25T02:30:00+02:00"))
    );
    assert_eq!(
        cal.between(
            at("2026-10-25T00:00:00+02:00"),
            at("2026-10-26T00:00:00+01:00")
        ),
        TimeDelta::minutes(150)
    );

    let ny = calendar(
        "ny-sunday",
        "timezone = \"America/New_York\"\nsun = [\"02:30-04:00\"]",
    );
    // Sun 2026-03-08: 02:30 EST does not exist; it is 03:30 EDT, 30 min to 04:00.
    assert_eq!(
        ny.next_open(at("2026-03-08T00:00:00-05:00")),
        Ok(at("2026-03-08T03:30:00-04:00"))
    );
    assert_eq!(
        ny.add(at("2026-03-08T00:00:00-05:00"), TimeDelta::minutes(20)),
        Ok(at("2026-03-08T03:50:00-04:00"))
    );
}

// ---------------------------------------------------------------------------
// Year end and 29 February.
// ---------------------------------------------------------------------------

#[test]
fn year_end_with_recurring_holidays() {
    let cal = calendar(
        "berlin-office",
        "timezone = \"Europe/Berlin\"\nweekdays = [\"09:00-17:00\"]\n\
         recurring_holidays = [\"01-01\", \"12-25\", \"12-26\"]",
    );
    // Thu 2026-12-31 15:00 + 4 h: 15-17 (2 h); Fri 2027-01-01 is a holiday,
    // then the weekend; Mon 2027-01-04 09:00 + 2 h = 11:00.
    let thursday = at("2026-12-31T15:00:00+01:00");
    assert_eq!(
        cal.add(thursday, hours(4)),
        Ok(at("2027-01-04T11:00:00+01:00"))
    );
    // + 2 h is used up at Thursday's close: the next opening, Mon 09:00.
    assert_eq!(
        cal.add(thursday, hours(2)),
        Ok(at("2027-01-04T09:00:00+01:00"))
    );
    // Back 2 h from Mon 10:00: 09-10 (1 h), then Thu 31st 17:00 - 1 h.
    assert_eq!(
        cal.sub(at("2027-01-04T10:00:00+01:00"), hours(2)),
        Ok(at("2026-12-31T16:00:00+01:00"))
    );
    // Thu 24th (8 h); Fri 25th holiday; weekend; Mon 28th to Thu 31st (32 h);
    // Fri Jan 1st holiday; weekend; Mon 4th (8 h) = 48 h.
    assert_eq!(
        cal.between(
            at("2026-12-24T09:00:00+01:00"),
            at("2027-01-04T17:00:00+01:00")
        ),
        hours(48)
    );
    assert_eq!(
        cal.add_business_days(at("2026-12-31T10:00:00+01:00"), 1),
        Ok(at("2027-01-04T10:00:00+01:00"))
    );
    assert!(cal.is_holiday(at("2027-01-01T12:00:00+01:00")));
    assert!(cal.is_holiday(at("2028-12-25T12:00:00+01:00")));
    // Holidays are local dates: 2026-12-31T23:30Z is 00:30 on New Year's
    // Day in Berlin.
    assert!(cal.is_holiday(at("2026-12-31T23:30:00Z")));
}

#[test]
fn leap_day_is_an_ordinary_tuesday() {
    let cal = calendar(
        "office",
        "timezone = \"Etc/UTC\"\nweekdays = [\"09:00-17:00\"]",
    );
    // 2028-02-29 is a Tuesday and open.
    assert!(cal.is_open(at("2028-02-29T12:00:00Z")));
    // Mon 2028-02-28 16:00 + 10 h: Monday 1 h, Tue 29th 8 h, Wed Mar 1st
    // 09:00 + 1 h = 10:00.
    assert_eq!(
        cal.add(at("2028-02-28T16:00:00Z"), hours(10)),
        Ok(at("2028-03-01T10:00:00Z"))
    );
    // Mon, Tue 29th and Wed: 3 * 8 h.
    assert_eq!(
        cal.between(at("2028-02-28T00:00:00Z"), at("2028-03-02T00:00:00Z")),
        hours(24)
    );
    assert_eq!(
        cal.add_business_days(at("2028-02-28T10:00:00Z"), 1),
        Ok(at("2028-02-29T10:00:00Z"))
    );
}

#[test]
fn recurring_leap_day_holiday() {
    let cal = calendar(
        "office",
        "timezone = \"Etc/UTC\"\nweekdays = [\"09:00-17:00\"]\nrecurring_holidays = [\"02-29\"]",
    );
    assert!(cal.is_holiday(at("2028-02-29T12:00:00Z")));
    assert!(!cal.is_open(at("2028-02-29T12:00:00Z")));
    // Mon 2028-02-28 16:00 + 10 h: Monday 1 h, Tuesday closed, Wed Mar 1st
    // 8 h (9 h in all), Thu Mar 2nd 09:00 + 1 h = 10:00.
    assert_eq!(
        cal.add(at("2028-02-28T16:00:00Z"), hours(10)),
        Ok(at("2028-03-02T10:00:00Z"))
    );
    assert_eq!(
        cal.add_business_days(at("2028-02-28T10:00:00Z"), 1),
        Ok(at("2028-03-01T10:00:00Z"))
    );
    // In 2027 there is no 29 February and the holiday does not move:
    // Mon 2027-03-01 is open, and Mon 22 Feb to Mon 8 Mar holds two full
    // weeks, 2 * 40 h.
    assert!(cal.is_open(at("2027-03-01T10:00:00Z")));
    assert!(!cal.is_holiday(at("2027-03-01T10:00:00Z")));
    assert_eq!(
        cal.between(at("2027-02-22T00:00:00Z"), at("2027-03-08T00:00:00Z")),
        hours(80)
    );
}

// ---------------------------------------------------------------------------
// Bad calendars: the error names the calendar and the field.
// ---------------------------------------------------------------------------

/// The `(field, message)` of the error a calendar's TOML gives.
fn invalid(toml: &str) -> (String, String) {
    match Calendar::from_toml_str("bad", toml) {
        Err(CalendarError::Invalid {
            calendar,
            field,
            message,
        }) => {
            assert_eq!(calendar, "bad");
            (field, message)
        }
        other => panic!("expected an invalid calendar, got {other:?}"),
    }
}

#[test]
fn bad_calendars_name_the_field() {
    let (field, message) =
        invalid("timezone = \"Mars/Olympus_Mons\"\nweekdays = [\"09:00-17:00\"]");
    assert_eq!(field, "timezone");
    assert!(message.contains("Mars/Olympus_Mons"), "{message}");
    // No zone at all (a policy would give its own as the default).
    assert_eq!(invalid("weekdays = [\"09:00-17:00\"]").0, "timezone");

    let office = "timezone = \"Etc/UTC\"\n";
    let (field, message) = invalid(&format!("{office}weekdays = [\"25:00-26:00\"]"));
    assert_eq!(field, "weekdays[0]");
    assert!(message.contains("25:00"), "{message}");
    assert_eq!(
        invalid(&format!("{office}mon = [\"08:00-09:00\", \"09:00-09:00\"]")).0,
        "mon[1]"
    );
    assert_eq!(
        invalid(&format!("{office}sat = [\"24:00-02:00\"]")).0,
        "sat[0]"
    );
    assert_eq!(
        invalid(&format!("{office}daily = [\"9-17\"]")).0,
        "daily[0]"
    );

    // Overlaps name the interval that starts inside another.
    let (field, message) = invalid(&format!(
        "{office}weekdays = [\"09:00-12:00\", \"11:30-14:00\"]"
    ));
    assert_eq!(field, "weekdays[1]");
    assert!(message.contains("overlaps"), "{message}");
    assert_eq!(
        invalid(&format!("{office}fri = [\"13:00-18:00\", \"09:00-13:30\"]")).0,
        "fri[0]"
    );
    // An overnight interval running into the next day's first interval.
    assert_eq!(
        invalid(&format!(
            "{office}mon = [\"22:00-10:00\"]\ntue = [\"09:00-17:00\"]"
        ))
        .0,
        "mon"
    );

    // Dates that do not exist.
    let hours = "timezone = \"Etc/UTC\"\nweekdays = [\"09:00-17:00\"]\n";
    let (field, message) = invalid(&format!(
        "{hours}holidays = [\"2026-01-01\", \"2026-02-30\"]"
    ));
    assert_eq!(field, "holidays[1]");
    assert!(message.contains("2026-02-30"), "{message}");
    assert_eq!(
        invalid(&format!("{hours}holidays = [\"2026-02-01..2026-01-01\"]")).0,
        "holidays[0]"
    );
    assert_eq!(
        invalid(&format!(
            "{hours}recurring_holidays = [\"12-25\", \"02-30\"]"
        ))
        .0,
        "recurring_holidays[1]"
    );
    assert_eq!(
        invalid(&format!("{hours}[overrides]\n\"2026-02-30\" = \"mon\"")).0,
        "overrides.2026-02-30"
    );
    assert_eq!(
        invalid(&format!("{hours}[overrides]\n\"2026-02-14\" = \"funday\"")).0,
        "overrides.2026-02-14"
    );
    assert_eq!(
        invalid(&format!(
            "{hours}[breaks]\n\"2026-02-30\" = [\"12:00-13:00\"]"
        ))
        .0,
        "breaks.2026-02-30"
    );
    assert_eq!(
        invalid(&format!(
            "{hours}[breaks]\n\"2026-03-03\" = [\"12:00-13:00\", \"12:30-13:30\"]"
        ))
        .0,
        "breaks.2026-03-03[1]"
    );

    // Never open.
    assert_eq!(invalid("timezone = \"Etc/UTC\"").0, "hours");
    assert_eq!(invalid("timezone = \"Etc/UTC\"\nweekdays = []").0, "hours");
    assert_eq!(
        invalid("timezone = \"Etc/UTC\"\n[overrides]\n\"2026-03-02\" = []").0,
        "hours"
    );

    // Shapes serde rejects name the field too.
    assert_eq!(invalid(&format!("{hours}wekdays = []")).0, "wekdays");
    assert_eq!(
        invalid(&format!("{office}weekdays = \"09:00-17:00\"")).0,
        "weekdays"
    );
    assert_eq!(
        invalid(&format!("{hours}[overrides]\n\"2026-02-14\" = 3")).0,
        "overrides.2026-02-14"
    );
    // A TOML syntax error has no field; its message gives line and column.
    let (field, message) = invalid("timezone = \"Etc/UTC\"\nweekdays = [\"09:00-17:00\"");
    assert_eq!(field, "");
    assert!(message.starts_with("line 2, column "), "{message}");

    // The message a person reads names both.
    let error = Calendar::from_toml_str(
        "support",
        "timezone = \"Nowhere/Land\"\ndaily = [\"09:00-17:00\"]",
    )
    .unwrap_err()
    .to_string();
    assert!(
        error.starts_with("calendar `support`, field `timezone`: unknown time zone `Nowhere/Land`"),
        "{error}"
    );
}

#[test]
fn open_only_on_one_date_long_ago() {
    let cal = calendar(
        "once",
        "timezone = \"Etc/UTC\"\n[overrides]\n\"1999-06-01\" = [\"09:00-17:00\"]",
    );
    let now = at("2026-03-02T09:00:00Z");
    // Nothing after 1999-06-01: an error, never an endless search.
    assert!(matches!(
        cal.add(now, hours(1)),
        Err(CalendarError::NoOpenTime { ref calendar, direction: "after", .. }) if calendar == "once"
    ));
    assert!(cal.next_open(now).is_err());
    assert!(cal.add(at("1999-06-01T16:00:00Z"), hours(1)).is_err());
    assert!(cal.add_business_days(now, 1).is_err());
    // Before it, the date counts as usual: 1999-05-31 12:00 + 1 h is the
    // date's 09:00 opening + 1 h.
    assert_eq!(
        cal.add(at("1999-05-31T12:00:00Z"), hours(1)),
        Ok(at("1999-06-01T10:00:00Z"))
    );
    // Its 8 hours are all the open time there is.
    assert_eq!(cal.between(at("1990-01-01T00:00:00Z"), now), hours(8));
    // Counting back from 2026 crosses 27 years of closed time, within the
    // 31 years a search crosses: 17:00 - 1 h.
    assert_eq!(cal.sub(now, hours(1)), Ok(at("1999-06-01T16:00:00Z")));

    // Open only on a date more than 31 years ahead: the search gives up.
    let later = calendar(
        "later",
        "timezone = \"Etc/UTC\"\n[overrides]\n\"2070-01-06\" = [\"09:00-17:00\"]",
    );
    assert!(matches!(
        later.add(now, hours(1)),
        Err(CalendarError::NoOpenTime { .. })
    ));
}

// ---------------------------------------------------------------------------
// The examples in docs/calendar.md are calendars the engine accepts.
// ---------------------------------------------------------------------------

#[test]
fn documented_examples_compile() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/calendar.md");
    let text = std::fs::read_to_string(path).unwrap();
    let mut compiled = Vec::new();
    for block in text.split("```toml").skip(1) {
        let block = block.split("```").next().unwrap();
        let value: toml::Table = toml::from_str(block).unwrap_or_else(|e| panic!("{e}\n{block}"));
        for (name, body) in value["calendars"].as_table().unwrap() {
            let body = toml::to_string(body).unwrap();
            if body.contains("holidays_ics") {
                continue; // read with its file in core/tests/calendar_ics.rs
            }
            compiled.push((name.clone(), calendar(name, &body)));
        }
    }
    let names: Vec<&str> = compiled.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["office", "cn-office", "nights"]);
    // The China example gives the deadline the page states.
    let (_, cn) = &compiled[1];
    assert_eq!(
        cn.add(at("2026-02-13T09:00:00+08:00"), hours(16)),
        Ok(at("2026-02-24T09:00:00+08:00"))
    );
    assert_eq!(
        cn.between(
            at("2026-01-01T00:00:00+08:00"),
            at("2027-01-01T00:00:00+08:00")
        ),
        hours(1_984)
    );
}
