//! Hand-worked calendar cases; the shared reference cases live in
//! `core/tests/calendar_cases.rs`.

use super::*;

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
