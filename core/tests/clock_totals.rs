//! Totals of a metric's cycle (issue 22, item 2): `held`, the time paused
//! (working time on the calendar and wall time), and `counting_started_at`,
//! the first instant the clock counted. Hand-worked, end to end through
//! `Policy::evaluate`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::{fields, metric};
use serde_json::json;

const OFFICE: &str = r#"
[policy]
id = "totals"
version = "1"
timezone = "Asia/Shanghai"
events = ["assigned"]

[calendars.office]
weekdays = ["09:00-12:00", "13:00-18:00"]

[[targets]]
metric = "resolve"
stop = "resolved"
calendar = "office"
target = "8h"

[[targets]]
metric = "fix"
start = "assigned"
stop = "resolved"
target = "4h"
"#;

#[test]
fn held_counts_working_and_wall_time_and_counting_starts_at_the_opening() {
    // Monday 2026-03-02, office 09:00-12:00 and 13:00-18:00 (+08:00, no DST).
    // Opened 08:00, before the opening: counting starts at 09:00.
    // Paused 11:00-14:00: wall 3h; working 11:00-12:00 + 13:00-14:00 = 2h.
    // At 16:00: elapsed 09:00-11:00 + 14:00-16:00 = 4h.
    let ticket = r#"{"id": "T-1", "opened_at": "2026-03-02T08:00:00+08:00", "events": [
        {"at": "2026-03-02T11:00:00+08:00", "kind": "paused"},
        {"at": "2026-03-02T14:00:00+08:00", "kind": "resumed"}]}"#;
    let m = metric(OFFICE, ticket, "2026-03-02T16:00:00+08:00", "resolve");
    assert_eq!(
        fields(
            &m,
            &["started_at", "counting_started_at", "held", "elapsed"]
        ),
        json!({
            "started_at": "2026-03-02T08:00:00+08:00",
            "counting_started_at": "2026-03-02T09:00:00+08:00",
            "held": {"working": "PT2H", "wall": "PT3H"},
            "elapsed": "PT4H",
        })
    );
    // At 08:30 nothing has been counted yet: no counting_started_at, no held.
    let m = metric(OFFICE, ticket, "2026-03-02T08:30:00+08:00", "resolve");
    assert_eq!(
        fields(&m, &["counting_started_at", "held", "elapsed"]),
        json!({"counting_started_at": null, "held": null, "elapsed": "PT0S"})
    );
}

#[test]
fn a_clock_that_starts_paused_counts_from_the_resume() {
    // 24x7: paused 09:00, assigned (start) 10:00, resumed 10:30, resolved
    // 11:00. The pause carries over: held from the start 10:00 to 10:30 =
    // 30m (the 09:00-10:00 part is before the cycle); counting starts at
    // 10:30; elapsed 10:30-11:00 = 30m.
    let ticket = r#"{"id": "T-2", "opened_at": "2026-03-02T08:00:00+08:00", "events": [
        {"at": "2026-03-02T09:00:00+08:00", "kind": "paused"},
        {"at": "2026-03-02T10:00:00+08:00", "kind": "assigned"},
        {"at": "2026-03-02T10:30:00+08:00", "kind": "resumed"},
        {"at": "2026-03-02T11:00:00+08:00", "kind": "resolved"}]}"#;
    let m = metric(OFFICE, ticket, "2026-03-02T12:00:00+08:00", "fix");
    assert_eq!(
        fields(
            &m,
            &[
                "started_at",
                "counting_started_at",
                "held",
                "elapsed",
                "status"
            ]
        ),
        json!({
            "started_at": "2026-03-02T10:00:00+08:00",
            "counting_started_at": "2026-03-02T10:30:00+08:00",
            "held": {"working": "PT30M", "wall": "PT30M"},
            "elapsed": "PT30M",
            "status": "met",
        })
    );
}

#[test]
fn a_pause_open_at_as_of_is_held_up_to_as_of() {
    // 24x7: assigned 10:00, paused 10:45, still paused at 12:00: held
    // 10:45-12:00 = 1h15m; counting started at 10:00; elapsed 45m.
    let ticket = r#"{"id": "T-3", "opened_at": "2026-03-02T08:00:00+08:00", "events": [
        {"at": "2026-03-02T10:00:00+08:00", "kind": "assigned"},
        {"at": "2026-03-02T10:45:00+08:00", "kind": "paused"}]}"#;
    let m = metric(OFFICE, ticket, "2026-03-02T12:00:00+08:00", "fix");
    assert_eq!(
        fields(&m, &["counting_started_at", "held", "elapsed", "status"]),
        json!({
            "counting_started_at": "2026-03-02T10:00:00+08:00",
            "held": {"working": "PT1H15M", "wall": "PT1H15M"},
            "elapsed": "PT45M",
            "status": "paused",
        })
    );
}

#[test]
fn held_on_a_daylight_saving_night() {
    // Europe/Berlin, open every night 22:00-06:00. On the night of
    // 28-29 March 2026 the clocks go from 02:00 CET to 03:00 CEST, so the
    // night is 7h (21:00Z to 04:00Z).
    // Opened Sat 21:00 CET (20:00Z): counting starts at 22:00 CET (21:00Z).
    // Paused 23:00 CET (22:00Z) to Sun 07:00 CEST (05:00Z): wall 7h (the
    // dial shows 8h); working 22:00Z-04:00Z (the 06:00 CEST close) = 6h.
    // At 08:00 CEST (06:00Z): elapsed 22:00-23:00 CET = 1h (closed after
    // the resume).
    let policy = r#"
[policy]
id = "totals-dst"
version = "1"
timezone = "Europe/Berlin"

[calendars.night]
daily = ["22:00-06:00"]

[[targets]]
metric = "watch"
stop = "resolved"
calendar = "night"
target = "8h"
"#;
    let ticket = r#"{"id": "T-4", "opened_at": "2026-03-28T21:00:00+01:00", "events": [
        {"at": "2026-03-28T23:00:00+01:00", "kind": "paused"},
        {"at": "2026-03-29T07:00:00+02:00", "kind": "resumed"}]}"#;
    let m = metric(policy, ticket, "2026-03-29T08:00:00+02:00", "watch");
    assert_eq!(
        fields(
            &m,
            &["started_at", "counting_started_at", "held", "elapsed"]
        ),
        json!({
            "started_at": "2026-03-28T21:00:00+01:00",
            "counting_started_at": "2026-03-28T22:00:00+01:00",
            "held": {"working": "PT6H", "wall": "PT7H"},
            "elapsed": "PT1H",
        })
    );
}
