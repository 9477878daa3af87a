//! Holidays and adjusted working days from an iCalendar file
//! (`holidays_ics`, `docs/calendar.md`): China's 2026 Spring Festival
//! (tests/data/cn_2026_spring.ics, the State Council's arrangement as in
//! tests/data/cn_holidays.json), loaded from a path and from texts, and the
//! located errors of bad files.
//!
//! The office is open 09:00-12:00 and 13:00-18:00 on weekdays, 8 hours a
//! day, in Asia/Shanghai (UTC+8, no daylight saving). February 2026:
//! Friday 13, Saturday 14 (a working day), Sunday 15 to Monday 23 off,
//! Tuesday 24 open, Saturday 28 a working day.

// Test code: a failed unwrap or index is a failed test.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use aftersales::{Calendar, Policy};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data")
        .join(name)
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn manifest() -> String {
    std::fs::read_to_string(data("ics_policy.toml")).unwrap()
}

fn feed() -> String {
    std::fs::read_to_string(data("cn_2026_spring.ics")).unwrap()
}

fn texts(ics: &str) -> BTreeMap<String, String> {
    BTreeMap::from([("cn_2026_spring.ics".to_string(), ics.to_string())])
}

fn office(policy: &Policy) -> Calendar {
    policy.calendar("cn-office").unwrap().clone()
}

/// A policy of one calendar reading `file.ics` given as `ics`; the error's text.
fn refused(extra: &str, ics: &str) -> String {
    let toml = format!(
        "[policy]\nid = \"p\"\nversion = \"1\"\ntimezone = \"Asia/Shanghai\"\n{extra}\n\
         [calendars.office]\nweekdays = [\"09:00-18:00\"]\nholidays_ics = \"file.ics\"\n"
    );
    let rules = BTreeMap::from([("file.ics".to_string(), ics.to_string())]);
    match Policy::from_toml_with_rules(&toml, &rules) {
        Ok(_) => panic!("the policy loaded"),
        Err(e) => e.to_string(),
    }
}

/// An ICS text of the given events (their lines, joined by `\n`).
fn calendar_of(events: &str) -> String {
    format!("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//t//EN\n{events}END:VCALENDAR\n")
}

#[test]
fn the_spring_festival_from_the_feed() {
    let policy = Policy::from_path(data("ics_policy.toml")).unwrap();
    let cal = office(&policy);

    // 8 h from Friday 13 February 17:00: Friday's last hour (17:00-18:00,
    // 1 h, 7 h left), then Saturday 14th, a working day from the feed with
    // Monday's hours: 09:00-12:00 (3 h, 4 h left), 13:00-17:00 (4 h).
    // Lands Saturday 14 February 17:00 (+08:00) = 09:00Z.
    assert_eq!(
        cal.add(at("2026-02-13T17:00:00+08:00"), TimeDelta::hours(8))
            .unwrap(),
        at("2026-02-14T17:00:00+08:00")
    );
    // 16 h: 1 h Friday, 8 h Saturday (9 h), Sunday 15 to Monday 23 off (the
    // event's DTEND 20260224 is exclusive), Tuesday 24: 09:00-12:00 (12 h),
    // 13:00-17:00 (16 h). Lands Tuesday 24 February 17:00.
    assert_eq!(
        cal.add(at("2026-02-13T17:00:00+08:00"), TimeDelta::hours(16))
            .unwrap(),
        at("2026-02-24T17:00:00+08:00")
    );
    // The second working Saturday has no DTEND: one day.
    assert!(cal.is_open(at("2026-02-28T10:00:00+08:00")));
    assert!(!cal.is_open(at("2026-02-28T12:30:00+08:00"))); // Monday's lunch
    assert!(!cal.is_open(at("2026-03-01T10:00:00+08:00"))); // Sunday
                                                            // Monday 23rd is the last day off, Tuesday 24th (DTEND) is open.
    assert!(!cal.is_open(at("2026-02-23T10:00:00+08:00")));
    assert!(cal.is_open(at("2026-02-24T10:00:00+08:00")));
    assert!(!cal.is_holiday(at("2026-02-24T10:00:00+08:00")));
    // The folded SUMMARY is unfolded: "春节 Spring" + "Festival" after the
    // fold's one space.
    assert_eq!(
        cal.holiday_name(date("2026-02-23")),
        Some("春节 Spring Festival")
    );
    // February: 20 weekdays (2-6, 9-13, 16-20, 23-27) less 6 holidays
    // (16-20, 23) plus 2 working Saturdays = 16 days, 128 h.
    assert_eq!(
        cal.between(
            at("2026-02-01T00:00:00+08:00"),
            at("2026-03-01T00:00:00+08:00")
        ),
        TimeDelta::hours(128)
    );
}

#[test]
fn texts_load_like_the_path_and_the_digest_covers_the_file() {
    let from_path = Policy::from_path(data("ics_policy.toml")).unwrap();
    let from_texts = Policy::from_toml_with_rules(&manifest(), &texts(&feed())).unwrap();
    assert_eq!(from_path.digest(), from_texts.digest());
    assert!(office(&from_texts).is_open(at("2026-02-14T10:00:00+08:00")));

    // Moving the second working Saturday changes the digest.
    let moved = feed().replace("DTSTART;VALUE=DATE:20260228", "DTSTART;VALUE=DATE:20260307");
    let other = Policy::from_toml_with_rules(&manifest(), &texts(&moved)).unwrap();
    assert_ne!(other.digest(), from_texts.digest());
    assert!(!office(&other).is_open(at("2026-02-28T10:00:00+08:00")));
    assert!(office(&other).is_open(at("2026-03-07T10:00:00+08:00")));

    // A text the policy names but the host did not give is an error.
    let missing = Policy::from_toml_with_rules(&manifest(), &BTreeMap::new()).unwrap_err();
    assert!(
        missing
            .to_string()
            .contains("no text named `cn_2026_spring.ics` was given (given: none)"),
        "{missing}"
    );
}

#[test]
fn without_a_marker_every_event_is_a_holiday() {
    let toml = manifest().replace("working_days_from = \"CATEGORIES:WORKDAY\"\n", "");
    let policy = Policy::from_toml_with_rules(&toml, &texts(&feed())).unwrap();
    // Saturday 14th is then a (closed) holiday named by its summary.
    let cal = office(&policy);
    assert!(!cal.is_open(at("2026-02-14T10:00:00+08:00")));
    assert_eq!(
        cal.holiday_name(date("2026-02-14")),
        Some("春节补班 (working day)")
    );
    // A SUMMARY marker picks the same two events: "补班" contains "班".
    let by_summary = manifest().replace("CATEGORIES:WORKDAY", "SUMMARY:班");
    let policy = Policy::from_toml_with_rules(&by_summary, &texts(&feed())).unwrap();
    assert!(office(&policy).is_open(at("2026-02-14T10:00:00+08:00")));
    assert!(office(&policy).is_open(at("2026-02-28T10:00:00+08:00")));
}

#[test]
fn an_override_in_toml_wins_over_a_working_day_of_the_feed() {
    let toml = format!(
        "{}\n[calendars.cn-office.overrides]\n\"2026-02-14\" = [\"09:00-12:00\"]\n",
        manifest()
    );
    let cal = office(&Policy::from_toml_with_rules(&toml, &texts(&feed())).unwrap());
    // Saturday 14th: 09:00-12:00 only. 8 h from Friday 17:00: 1 h Friday,
    // 3 h Saturday (4 h), Tuesday 24th 09:00-12:00 (7 h), 13:00-14:00 (8 h).
    assert_eq!(
        cal.add(at("2026-02-13T17:00:00+08:00"), TimeDelta::hours(8))
            .unwrap(),
        at("2026-02-24T14:00:00+08:00")
    );
}

#[test]
fn errors_name_the_file_the_line_and_what_was_expected() {
    // Line 5: a timed event.
    let timed = calendar_of("BEGIN:VEVENT\nDTSTART:20260215T090000\nEND:VEVENT\n");
    assert_eq!(
        refused("", &timed),
        "calendar `office`, field `holidays_ics`: `file.ics`, line 5: \
         `DTSTART:20260215T090000` is a time; only all-day events are read \
         (`DTSTART;VALUE=DATE:YYYYMMDD`), a timed event is neither a holiday nor a working day"
    );
    // Line 7: a weekly rule, after a folded DTSTART (lines 5-6).
    let weekly = calendar_of(
        "BEGIN:VEVENT\nDTSTART;VALUE=DATE:2026\n 0215\nRRULE:FREQ=WEEKLY\nEND:VEVENT\n",
    );
    let message = refused("", &weekly);
    assert!(
        message.contains(
            "`file.ics`, line 7: `RRULE:FREQ=WEEKLY`: `FREQ=WEEKLY` is not read; expected \
             `FREQ=YEARLY`"
        ),
        "{message}"
    );
    // Line 6: DTEND before DTSTART.
    let backwards = calendar_of(
        "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260215\nDTEND;VALUE=DATE:20260214\nEND:VEVENT\n",
    );
    assert!(refused("", &backwards).contains(
        "line 6: `DTEND` 2026-02-14 is before `DTSTART` 2026-02-15; expected the day after \
         the event's last day (`DTEND` is exclusive)"
    ));
    // Line 5: outside the calendar's years.
    let late = calendar_of("BEGIN:VEVENT\nDTSTART;VALUE=DATE:22010101\nEND:VEVENT\n");
    let message = refused("", &late);
    assert!(
        message.contains("`file.ics`, line 5: `DTSTART:22010101`: ")
            && message.contains("1900 through 2200"),
        "{message}"
    );
    // Line 6: the END does not close the VEVENT of line 4.
    let mismatched = calendar_of("BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260215\nEND:VTODO\n");
    let message = refused("", &mismatched);
    assert!(
        message.contains("`file.ics`, line 6: cannot read"),
        "{message}"
    );
    // Line 1: not a calendar.
    let message = refused(
        "",
        "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260215\nEND:VEVENT\n",
    );
    assert!(
        message.contains("`file.ics`, line 1: expected the file to begin with `BEGIN:VCALENDAR`"),
        "{message}"
    );
}

#[test]
fn the_file_is_bounded() {
    // The feed is larger than 100 bytes.
    let message = refused("[limits]\nics_bytes = 100", &feed());
    assert!(
        message.contains(
            "`calendars.office.holidays_ics` (line 9, column 16): cannot read `file.ics`: the \
             file is larger \
             than the limit of 100 bytes (raise it with `[limits] ics_bytes`)"
        ),
        "{message}"
    );
    let too_deep = format!("BEGIN:VCALENDAR\n{}", "BEGIN:X\n".repeat(10_000));
    let message = refused("", &too_deep);
    assert!(
        message.contains("line 9: components nest deeper than 8 levels"),
        "{message}"
    );
    // A calendar read on its own has no files.
    let error = Calendar::from_toml_str(
        "cn",
        "timezone = \"Asia/Shanghai\"\nweekdays = [\"09:00-18:00\"]\nholidays_ics = \"x.ics\"\n",
    )
    .unwrap_err();
    assert!(error
        .to_string()
        .starts_with("calendar `cn`, field `holidays_ics`: "));
}

#[test]
fn the_documented_example_gives_the_deadlines_the_page_states() {
    let page = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/calendar.md"),
    )
    .unwrap();
    let section = page.split("### Holidays from an ICS file").nth(1).unwrap();
    let toml = section
        .split("```toml")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let ics = section
        .split("```text")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap()
        .trim_start();
    let manifest =
        format!("[policy]\nid = \"docs\"\nversion = \"1\"\ntimezone = \"Asia/Shanghai\"\n{toml}");
    let policy = Policy::from_toml_with_rules(&manifest, &texts(ics)).unwrap();
    let cal = office(&policy);
    // As the page works them out (and as the feed in tests/data gives).
    let friday = at("2026-02-13T17:00:00+08:00");
    assert_eq!(
        cal.add(friday, TimeDelta::hours(8)).unwrap(),
        at("2026-02-14T17:00:00+08:00")
    );
    assert_eq!(
        cal.add(friday, TimeDelta::hours(16)).unwrap(),
        at("2026-02-24T17:00:00+08:00")
    );
    assert_eq!(
        cal.holiday_name(date("2026-02-15")),
        Some("春节 Spring Festival")
    );
    // The page's error: DTSTART on line 5 made a time.
    let timed = ics.replace("DTSTART;VALUE=DATE:20260215", "DTSTART:20260215T090000");
    let error = Policy::from_toml_with_rules(&manifest, &texts(&timed)).unwrap_err();
    assert!(
        error.to_string().contains(
            "calendar `cn-office`, field `holidays_ics`: `cn_2026_spring.ics`, line 5: \
             `DTSTART:20260215T090000` is a time"
        ),
        "{error}"
    );
}

#[test]
fn a_chinese_feed_without_its_working_day_marker_is_warned_about() {
    // The same feed, the marker left out: 14 and 28 February (`春节补班`)
    // would close as holidays. `check` names the calendar's field, the file
    // and the line of the first such event's summary (line 27 of the feed: the Spring
    // Festival event, folded over two lines, then the first working day).
    let toml = manifest().replace("working_days_from = \"CATEGORIES:WORKDAY\"\n", "");
    assert!(!toml.contains("working_days_from"));
    let policy = Policy::from_toml_with_rules(&toml, &texts(&feed())).unwrap();
    let warnings: Vec<_> = policy
        .check()
        .into_iter()
        .filter(|d| d.location.path == "calendars.cn-office.holidays_ics")
        .collect();
    assert_eq!(warnings.len(), 1, "{:?}", policy.check());
    assert_eq!(
        warnings[0].message,
        "`cn_2026_spring.ics`, line 27: the event `春节补班 (working day)` reads as an adjusted \
         working day, yet without `working_days_from` every event of the file is a holiday; add \
         `working_days_from = \"SUMMARY:班\"` (or the marker the feed uses)"
    );
    // With the marker (as the manifest has it), no such warning.
    let policy = Policy::from_toml_with_rules(&manifest(), &texts(&feed())).unwrap();
    assert!(policy
        .check()
        .iter()
        .all(|d| d.location.path != "calendars.cn-office.holidays_ics"));
}
