//! Escalation levels, business-day leads and graces, and targets due at
//! the end of the working day (issue 22, items 4 and 5). Hand-worked, end
//! to end through `Policy::evaluate`, and what `check` says about bad
//! settings (TOML path, line and column).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use aftersales::api::check_json;
use aftersales::{Policy, PolicySource, Ticket};
use chrono::{DateTime, Utc};
use common::fields;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The named metric of an evaluation as JSON, and its pending escalation
/// instants.
fn evaluate(policy: &str, ticket: &str, as_of: &str, name: &str) -> (Value, Vec<String>) {
    let policy = Policy::from_toml_str(policy).unwrap();
    let ticket = Ticket::from_json(ticket).unwrap();
    let as_of: DateTime<Utc> = as_of.parse().unwrap();
    let evaluation = policy.evaluate(&ticket, as_of).unwrap();
    let metric = evaluation.metric(name).unwrap();
    let instants = metric
        .escalation_instants()
        .map(|t| t.to_rfc3339())
        .collect();
    (serde_json::to_value(metric).unwrap(), instants)
}

/// Shanghai office, Mon-Fri 09:00-12:00 and 13:00-18:00 (no DST).
const OFFICE: &str = r#"
[policy]
id = "escalations"
version = "1"
timezone = "Asia/Shanghai"

[calendars.office]
weekdays = ["09:00-12:00", "13:00-18:00"]

[[targets]]
metric = "resolve"
stop = "resolved"
calendar = "office"
target = "8h"

[[targets.escalations]]
name = "team_lead"
before = "2h"

[[targets.escalations]]
name = "service_manager"
after = "1h"

[[targets.escalations]]
name = "director"
after = "1bd"

[[targets.escalations]]
name = "duty_desk"
after = "3h"
measure = "wall"

[[targets]]
metric = "plan"
stop = "resolved"
calendar = "office"
target = "3bd"

[[targets.escalations]]
name = "early_counted"
before = "20h"

[[targets.escalations]]
name = "one_day_before"
before = "1bd"

[[targets.escalations]]
name = "wall_48h_before"
before = "48h"
measure = "wall"

[[targets.escalations]]
name = "wall_60h_before"
before = "60h"
measure = "wall"

[[targets]]
metric = "warned"
stop = "resolved"
calendar = "office"
target = "16h"
warn_at = "1bd"

[[targets]]
metric = "graced"
stop = "resolved"
calendar = "office"
target = "8h"
grace = "1bd"
"#;

const MONDAY_0900: &str = r#"{"id": "T-1", "opened_at": "2026-03-02T09:00:00+08:00"}"#;

#[test]
fn escalations_before_and_after_the_deadline_in_counted_wall_and_business_time() {
    // Opened Monday 2026-03-02 09:00; 8h = 09-12 (3h) + 13-18 (5h), used up
    // at the 18:00 close: deadline Tuesday 09:00 (the next opening).
    // team_lead, 2h before: count 6h = 09-12 + 13-16 -> Monday 16:00.
    // service_manager, 1h after: count 9h -> Tuesday 10:00.
    // director, 1bd after: Tuesday 09:00 -> Wednesday 09:00, 8h of office
    //   time; count 16h, reached at the Tuesday 18:00 close, so the latest
    //   instant is the next opening, Wednesday 09:00.
    // duty_desk, 3h of wall time after: Tuesday 12:00 (counted time would
    //   give 13:00, after lunch).
    // At Tuesday 11:00, unresolved: the first two reached, the others ahead.
    let (m, instants) = evaluate(OFFICE, MONDAY_0900, "2026-03-03T11:00:00+08:00", "resolve");
    assert_eq!(
        fields(&m, &["status", "deadline", "escalations"]),
        json!({
            "status": "breached",
            "deadline": "2026-03-03T09:00:00+08:00",
            "escalations": [
                {"level": 1, "name": "team_lead", "at": "2026-03-02T16:00:00+08:00", "state": "reached"},
                {"level": 2, "name": "service_manager", "at": "2026-03-03T10:00:00+08:00", "state": "reached"},
                {"level": 3, "name": "director", "at": "2026-03-04T09:00:00+08:00", "state": "pending"},
                {"level": 4, "name": "duty_desk", "at": "2026-03-03T12:00:00+08:00", "state": "pending"},
            ],
        })
    );
    assert_eq!(
        instants,
        ["2026-03-04T09:00:00+08:00", "2026-03-03T12:00:00+08:00"]
    );
}

#[test]
fn a_stop_at_an_escalation_instant_avoids_it() {
    // Resolved Tuesday 10:00, exactly service_manager's instant: the ticket
    // was closed by then, so it and every later level are avoided; the
    // team lead was reached on Monday at 16:00. Nothing is pending.
    let ticket = r#"{"id": "T-1", "opened_at": "2026-03-02T09:00:00+08:00", "events": [
        {"at": "2026-03-03T10:00:00+08:00", "kind": "resolved"}]}"#;
    let (m, instants) = evaluate(OFFICE, ticket, "2026-03-03T11:00:00+08:00", "resolve");
    let states: Vec<&str> = m["escalations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["reached", "avoided", "avoided", "avoided"]);
    assert_eq!(m["escalations"][1]["at"], "2026-03-03T10:00:00+08:00");
    assert!(instants.is_empty());
}

#[test]
fn while_paused_only_the_levels_passed_before_the_pause_have_an_instant() {
    // plan: 3bd from Monday 10:00 = Thursday 10:00; counted Monday 7h
    // (10-12, 13-18) + Tuesday 8h + Wednesday 8h + Thursday 1h = 24h.
    // Paused Tuesday 09:00 (7h counted), still paused at Tuesday 15:00: no
    // deadline; as it stood when the pause began, Thursday 10:00.
    // early_counted, 20h before: count 4h = Monday 10-12, 13-15 -> 15:00,
    //   passed before the pause: reached.
    // one_day_before, 1bd before: Wednesday 10:00 to Thursday 10:00 is 8h,
    //   count 16h, beyond the 7h counted: no instant, pending.
    // wall_48h_before: Thursday 10:00 - 48h = Tuesday 10:00, after the
    //   pause began (09:00): the pause moves it, pending with no instant.
    // wall_60h_before: Monday 22:00, before the pause: reached.
    let ticket = r#"{"id": "T-2", "opened_at": "2026-03-02T10:00:00+08:00", "events": [
        {"at": "2026-03-03T09:00:00+08:00", "kind": "paused"}]}"#;
    let (m, instants) = evaluate(OFFICE, ticket, "2026-03-03T15:00:00+08:00", "plan");
    assert_eq!(
        fields(&m, &["status", "target", "deadline", "escalations"]),
        json!({
            "status": "paused",
            "target": "PT24H",
            "deadline": null,
            "escalations": [
                {"level": 1, "name": "early_counted", "at": "2026-03-02T15:00:00+08:00", "state": "reached"},
                {"level": 2, "name": "one_day_before", "at": null, "state": "pending"},
                {"level": 3, "name": "wall_48h_before", "at": null, "state": "pending"},
                {"level": 4, "name": "wall_60h_before", "at": "2026-03-02T22:00:00+08:00", "state": "reached"},
            ],
        })
    );
    assert!(instants.is_empty());
    // Not paused, the same ticket at Monday 11:00: one_day_before is at
    // count 16h -> Wednesday 10:00 (Monday 7h + Tuesday 8h + 1h).
    let running = r#"{"id": "T-2", "opened_at": "2026-03-02T10:00:00+08:00"}"#;
    let (m, _) = evaluate(OFFICE, running, "2026-03-02T11:00:00+08:00", "plan");
    assert_eq!(m["escalations"][1]["at"], "2026-03-04T10:00:00+08:00");
    assert_eq!(m["escalations"][1]["state"], "pending");
}

#[test]
fn a_warning_lead_in_business_days() {
    // 16h from Monday 09:00 = Monday 8h + Tuesday 8h, used up at the
    // Tuesday 18:00 close: deadline Wednesday 09:00. One business day
    // before it: Tuesday 09:00, 8h of office time before the deadline, so
    // the warning is at count 8h: Tuesday 09:00 (Monday's close, then the
    // next opening).
    let (m, _) = evaluate(OFFICE, MONDAY_0900, "2026-03-02T12:00:00+08:00", "warned");
    assert_eq!(
        fields(&m, &["deadline", "due_by", "warn_at"]),
        json!({
            "deadline": "2026-03-04T09:00:00+08:00",
            "due_by": "2026-03-03T18:00:00+08:00",
            "warn_at": "2026-03-03T09:00:00+08:00",
        })
    );
}

#[test]
fn a_grace_in_business_days_is_converted_at_the_deadline() {
    // 8h from Monday 09:00: deadline Tuesday 09:00. Grace 1bd: Tuesday
    // 09:00 to Wednesday 09:00 is 8h of office time, so `grace` shows PT8H
    // and due_with_grace is count 16h: Wednesday 09:00.
    // Tuesday 17:00: elapsed 8h + 3h + 4h = 15h, running, remaining 1h.
    let (m, _) = evaluate(OFFICE, MONDAY_0900, "2026-03-03T17:00:00+08:00", "graced");
    assert_eq!(
        fields(
            &m,
            &["status", "grace", "deadline", "due_with_grace", "remaining"]
        ),
        json!({
            "status": "running",
            "grace": "PT8H",
            "deadline": "2026-03-03T09:00:00+08:00",
            "due_with_grace": "2026-03-04T09:00:00+08:00",
            "remaining": "PT1H",
        })
    );
    // Wednesday 10:00: elapsed 17h, breached at Wednesday 09:00, 1h over.
    let (m, _) = evaluate(OFFICE, MONDAY_0900, "2026-03-04T10:00:00+08:00", "graced");
    assert_eq!(
        fields(&m, &["status", "deadline", "breached_at", "overdue"]),
        json!({
            "status": "breached",
            "deadline": "2026-03-03T09:00:00+08:00",
            "breached_at": "2026-03-04T09:00:00+08:00",
            "overdue": "PT1H",
        })
    );
}

/// China's 2026 office calendar (the Spring Festival and its adjusted
/// working Saturday 14 February), and Berlin night shifts.
const WORKING_DAY: &str = r#"
[policy]
id = "end-of-day"
version = "1"
timezone = "Asia/Shanghai"
events = ["replied"]

[calendars.cn-office]
weekdays = ["09:00-12:00", "13:00-18:00"]
holidays = [{ date = "2026-02-15..2026-02-23", name = "Spring Festival" }]

[calendars.cn-office.overrides]
"2026-02-14" = "mon"
"2026-02-28" = "mon"

[calendars.nights]
timezone = "Europe/Berlin"
daily = ["22:00-06:00"]

[[targets]]
metric = "reply"
stop = "replied"
calendar = "cn-office"
target = "2bd"
end_of_working_day = true

[[targets]]
metric = "reply_1bd"
stop = "replied"
calendar = "cn-office"
target = "1bd"
end_of_working_day = true

[[targets]]
metric = "reply_1bd_same_time"
stop = "replied"
calendar = "cn-office"
target = "1bd"

[[targets]]
metric = "night"
stop = "replied"
calendar = "nights"
target = "1bd"
end_of_working_day = true

[[targets]]
metric = "night_same_time"
stop = "replied"
calendar = "nights"
target = "1bd"
"#;

#[test]
fn due_at_the_close_of_the_second_working_day_from_a_friday_evening() {
    // Friday 2026-03-06 19:00, after the close: the working days after it
    // are Monday 03-09 and Tuesday 03-10; due by Tuesday's 18:00 close.
    // Counted: Monday 8h + Tuesday 8h = 16h; the deadline is the next
    // opening, Wednesday 09:00, and due_by the close.
    let ticket = r#"{"id": "F-1", "opened_at": "2026-03-06T19:00:00+08:00"}"#;
    let (m, _) = evaluate(WORKING_DAY, ticket, "2026-03-09T10:00:00+08:00", "reply");
    assert_eq!(
        fields(&m, &["target", "deadline", "due_by", "remaining"]),
        json!({
            "target": "PT16H",
            "deadline": "2026-03-11T09:00:00+08:00",
            "due_by": "2026-03-10T18:00:00+08:00",
            "remaining": "PT15H",
        })
    );
}

#[test]
fn due_at_the_close_of_an_adjusted_working_saturday() {
    // Friday 2026-02-13 16:00, 1bd: the next working day is Saturday 02-14
    // (adjusted, Monday's hours), closing at 18:00. Counted: Friday 16-18
    // (2h) + Saturday 8h = 10h; due_by Saturday 18:00, deadline the next
    // opening after the Spring Festival, Tuesday 02-24 09:00.
    // The same 1bd at the same wall-clock time: Saturday 16:00, counted
    // 2h + 3h (09-12) + 3h (13-16) = 8h, no due_by.
    let ticket = r#"{"id": "F-2", "opened_at": "2026-02-13T16:00:00+08:00"}"#;
    let as_of = "2026-02-13T17:00:00+08:00";
    let (m, _) = evaluate(WORKING_DAY, ticket, as_of, "reply_1bd");
    assert_eq!(
        fields(&m, &["target", "deadline", "due_by"]),
        json!({
            "target": "PT10H",
            "deadline": "2026-02-24T09:00:00+08:00",
            "due_by": "2026-02-14T18:00:00+08:00",
        })
    );
    let (m, _) = evaluate(WORKING_DAY, ticket, as_of, "reply_1bd_same_time");
    assert_eq!(
        fields(&m, &["target", "deadline", "due_by"]),
        json!({
            "target": "PT8H",
            "deadline": "2026-02-14T16:00:00+08:00",
            "due_by": null,
        })
    );
}

#[test]
fn due_at_the_close_of_a_night_shift_across_the_spring_forward() {
    // Berlin nights 22:00-06:00. Friday 2026-03-27 23:00 CET (22:00Z),
    // 1bd: the next working day is Saturday 03-28, whose night runs to
    // 06:00 CEST on Sunday 03-29 (04:00Z; clocks go forward at 02:00, the
    // night is 7h). Counted: Friday's night 23:00-06:00 CET (7h) + the
    // short night (7h) = 14h; due_by 04:00Z, shown at the policy's +08:00
    // as 12:00; the deadline is the next opening, Sunday 22:00 CEST (20:00Z,
    // Monday 04:00 +08:00).
    // Same wall-clock time instead: Saturday 23:00 CET (22:00Z), counted
    // 7h + 22:00-23:00 = 8h.
    let ticket = r#"{"id": "N-1", "opened_at": "2026-03-27T22:00:00Z"}"#;
    let as_of = "2026-03-27T23:00:00Z";
    let (m, _) = evaluate(WORKING_DAY, ticket, as_of, "night");
    assert_eq!(
        fields(&m, &["target", "deadline", "due_by"]),
        json!({
            "target": "PT14H",
            "deadline": "2026-03-30T04:00:00+08:00",
            "due_by": "2026-03-29T12:00:00+08:00",
        })
    );
    let (m, _) = evaluate(WORKING_DAY, ticket, as_of, "night_same_time");
    assert_eq!(
        fields(&m, &["target", "deadline"]),
        json!({"target": "PT8H", "deadline": "2026-03-29T06:00:00+08:00"})
    );
}

const HEAD: &str = "[policy]\nid = \"p\"\nversion = \"1\"\ntimezone = \"UTC\"\n\n";

/// Every error of a manifest as (path, line, column, message).
fn errors(toml: &str) -> Vec<(String, u64, u64, String)> {
    let source = PolicySource::Text {
        toml: format!("{HEAD}{toml}"),
        rules: BTreeMap::new(),
    };
    let found: Value = serde_json::from_str(&check_json(&source)).unwrap();
    found
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["level"] == "error")
        .map(|d| {
            let at = &d["location"];
            (
                at["path"].as_str().unwrap().to_string(),
                at["line"].as_u64().unwrap_or_default(),
                at["column"].as_u64().unwrap_or_default(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn check_refuses_bad_escalations_at_their_place() {
    // HEAD is 5 lines; `[[targets]]` is line 6.
    let found = errors(
        "[[targets]]\n\
         metric = \"a\"\n\
         stop = \"resolved\"\n\
         target = \"1h\"\n\
         [[targets.escalations]]\n\
         name = \"lead\"\n\
         [[targets.escalations]]\n\
         name = \"lead\"\n\
         after = \"1h\"\n\
         [[targets.escalations]]\n\
         name = \"days\"\n\
         after = \"2bd\"\n\
         measure = \"wall\"\n\
         [[targets.escalations]]\n\
         name = \"both\"\n\
         before = \"1h\"\n\
         after = \"1h\"\n",
    );
    let places: Vec<(&str, u64)> = found.iter().map(|f| (f.0.as_str(), f.1)).collect();
    assert_eq!(
        places,
        [
            // No offset: at the entry's header, line 10.
            ("targets[0].escalations[0]", 10),
            // The second `lead`: its name on line 13.
            ("targets[0].escalations[1].name", 13),
            // Business days on the wall clock: `measure`, line 18.
            ("targets[0].escalations[2].measure", 18),
            // Both sides: `after`, line 22.
            ("targets[0].escalations[3].after", 22),
        ],
        "{found:?}"
    );
    assert!(found[0].3.contains("needs an offset"), "{found:?}");
    assert!(found[1].3.contains("defined twice"), "{found:?}");
    assert!(found[2].3.contains("business days"), "{found:?}");
    assert!(found[3].3.contains("not both"), "{found:?}");
}

#[test]
fn check_refuses_business_days_on_a_calendar_without_working_days() {
    // A calendar open only on one dated override has no working days of
    // the week: business-day offsets, leads, graces and end_of_working_day
    // are refused at their keys.
    let found = errors(
        "[calendars.event]\n\
         [calendars.event.overrides]\n\
         \"2026-03-02\" = [\"09:00-17:00\"]\n\
         [[targets]]\n\
         metric = \"a\"\n\
         stop = \"resolved\"\n\
         calendar = \"event\"\n\
         target = \"1bd\"\n\
         warn_at = \"1bd\"\n\
         grace = \"1bd\"\n\
         end_of_working_day = true\n\
         [[targets.escalations]]\n\
         name = \"lead\"\n\
         after = \"1bd\"\n",
    );
    let mut paths: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        [
            "targets[0].end_of_working_day",
            "targets[0].escalations[0].after",
            "targets[0].grace",
            "targets[0].warn_at",
        ],
        "{found:?}"
    );
    assert!(
        found.iter().all(|f| f.3.contains("no working days")),
        "{found:?}"
    );
}

#[test]
fn check_refuses_end_of_working_day_without_business_days() {
    let found = errors(
        "[[targets]]\nmetric = \"a\"\nstop = \"resolved\"\ntarget = \"8h\"\nend_of_working_day = true\n",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].0.as_str(), found[0].1),
        ("targets[0].end_of_working_day", 10)
    );
    assert!(found[0].3.contains("has none"), "{found:?}");
}

#[test]
fn the_close_of_a_business_day_after_breaks_and_overnight() {
    use aftersales::Calendar;
    let utc = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
    // Office 09:00-12:00, 13:00-18:00 (+08:00), a break on Tuesday
    // 2026-03-03 17:00-18:00: from Monday 10:00, the first working day
    // after is Tuesday, whose last open period now ends at 17:00 (09:00Z).
    let office = Calendar::from_toml_str(
        "office",
        "timezone = \"Asia/Shanghai\"\nweekdays = [\"09:00-12:00\", \"13:00-18:00\"]\n\
         [breaks]\n\"2026-03-03\" = [\"17:00-18:00\"]\n",
    )
    .unwrap();
    let monday = utc("2026-03-02T02:00:00Z");
    assert_eq!(
        office.close_of_business_days(monday, 1).unwrap(),
        utc("2026-03-03T09:00:00Z")
    );
    // Two days: Wednesday's 18:00 close, 10:00Z. Zero days: the next
    // opening, Monday 10:00 itself (open).
    assert_eq!(
        office.close_of_business_days(monday, 2).unwrap(),
        utc("2026-03-04T10:00:00Z")
    );
    assert_eq!(office.close_of_business_days(monday, 0).unwrap(), monday);
    // Berlin nights 22:00-06:00: the period of Saturday 2026-03-28 ends on
    // Sunday at 06:00 CEST (04:00Z), after the clocks went forward.
    let nights = Calendar::from_toml_str(
        "nights",
        "timezone = \"Europe/Berlin\"\ndaily = [\"22:00-06:00\"]\n",
    )
    .unwrap();
    assert_eq!(
        nights
            .close_of_business_days(utc("2026-03-27T22:00:00Z"), 1)
            .unwrap(),
        utc("2026-03-29T04:00:00Z")
    );
}
