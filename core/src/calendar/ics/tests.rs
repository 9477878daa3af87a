//! The ICS reader on its own: yearly rules, markers, cancelled events and
//! damaged feeds (the feed is tests/data/cn_2026_spring.ics).

// Test code: a failed unwrap or index is a failed test.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use super::{parse_ics, WorkingDayMarker};
use chrono::NaiveDate;

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn feed() -> String {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data/cn_2026_spring.ics");
    std::fs::read_to_string(path).unwrap()
}

/// An ICS text of the given events (their lines, joined by `\n`).
fn calendar_of(events: &str) -> String {
    format!("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//t//EN\n{events}END:VCALENDAR\n")
}

#[test]
fn a_yearly_rule_is_expanded() {
    // New Year's Day every year from 2026, three times: 2026, 2027, 2028.
    let ics = calendar_of(
        "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260101\nDTEND;VALUE=DATE:20260102\n\
         RRULE:FREQ=YEARLY;COUNT=3\nSUMMARY:元旦\nEND:VEVENT\n",
    );
    let dates = parse_ics(&ics, None).unwrap();
    let days: Vec<NaiveDate> = dates.holidays.iter().map(|h| h.0).collect();
    assert_eq!(
        days,
        [date("2026-01-01"), date("2027-01-01"), date("2028-01-01")]
    );
    assert_eq!(dates.holidays[0].1.as_deref(), Some("元旦"));

    // Every other year up to 2031-06-30, with 2030 taken out by EXDATE:
    // 2026, 2028 (2030 excluded); two-day events (DTEND 3 January).
    let ics = calendar_of(
        "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260101\nDTEND;VALUE=DATE:20260103\n\
         RRULE:FREQ=YEARLY;INTERVAL=2;UNTIL=20310630\nEXDATE;VALUE=DATE:20300101\n\
         SUMMARY:New Year\nEND:VEVENT\n",
    );
    let days: Vec<NaiveDate> = parse_ics(&ics, None)
        .unwrap()
        .holidays
        .iter()
        .map(|h| h.0)
        .collect();
    assert_eq!(
        days,
        [
            date("2026-01-01"),
            date("2026-01-02"),
            date("2028-01-01"),
            date("2028-01-02")
        ]
    );

    // Without an end, through 2200: 2026 to 2200 is 175 occurrences.
    let ics =
        calendar_of("BEGIN:VEVENT\nDTSTART;VALUE=DATE:20261225\nRRULE:FREQ=YEARLY\nEND:VEVENT\n");
    let dates = parse_ics(&ics, None).unwrap();
    assert_eq!(dates.holidays.len(), 175);
    assert_eq!(dates.holidays.last().unwrap().0, date("2200-12-25"));
    assert_eq!(dates.holidays[0].1, None);
}

#[test]
fn markers_and_cancelled_events() {
    let ics = calendar_of(
        "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260214\nSUMMARY:春节 补班\nEND:VEVENT\n\
         BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260216\nSUMMARY:Cancelled\nSTATUS:CANCELLED\nEND:VEVENT\n\
         BEGIN:VEVENT\nDTSTART:20260217\nSUMMARY:A\\, B\nCATEGORIES:Holiday,Work\\,day\nEND:VEVENT\n",
    );
    let marker = WorkingDayMarker::parse("SUMMARY:班").unwrap();
    let dates = parse_ics(&ics, Some(&marker)).unwrap();
    assert_eq!(dates.working_days, [date("2026-02-14")]);
    // The cancelled event gives nothing; `DTSTART:20260217` without
    // VALUE=DATE is read as the date; the summary is unescaped.
    assert_eq!(
        dates.holidays,
        [(date("2026-02-17"), Some("A, B".to_string()))]
    );
    // A category is one item of the list, escapes read: `Work,day`.
    let marker = WorkingDayMarker::parse("categories:work,DAY").unwrap();
    let dates = parse_ics(&ics, Some(&marker)).unwrap();
    assert_eq!(dates.working_days, [date("2026-02-17")]);
    assert_eq!(
        WorkingDayMarker::parse("DESCRIPTION:班").unwrap_err(),
        "`DESCRIPTION` is not a property read here; expected `SUMMARY:TEXT` (the summary \
         contains TEXT) or `CATEGORIES:TEXT` (a category is TEXT), such as \"SUMMARY:班\""
    );
}

#[test]
fn a_damaged_feed_is_an_error_never_a_panic() {
    // Every truncation of the feed, and the feed without each one of its
    // lines, reads to dates or to an error.
    let feed = feed();
    let marker = WorkingDayMarker::parse("CATEGORIES:WORKDAY").unwrap();
    let mut read = Vec::new();
    for (cut, _) in feed.char_indices() {
        if parse_ics(&feed[..cut], Some(&marker)).is_ok() {
            read.push(cut);
        }
    }
    // Only the cut just before the final line ending reads (`END:VCALENDAR`
    // complete); a stray `\r` after it is not a line ending.
    assert_eq!(read, [feed.len() - 2]);
    let lines: Vec<&str> = feed.split("\r\n").collect();
    for skip in 0..lines.len() {
        let text: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, l)| *l)
            .collect();
        let _ = parse_ics(&text.join("\r\n"), Some(&marker));
    }
}
