//! Status pauses, hidden deadlines and reopened tickets (issue 22, items 1
//! and 3). Hand-worked, end to end through `Policy::evaluate`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use aftersales::{Level, Policy, Ticket};
use common::{fields, metric};
use serde_json::json;

const NIGHT: &str = r#"
[policy]
id = "night"
version = "1"
timezone = "Europe/Berlin"

[calendars.night]
daily = ["22:00-06:00"]

[[targets]]
metric = "watch"
stop = "resolved"
calendar = "night"
target = "8h"
pause_statuses = ["waiting_on_customer"]
hide_statuses = ["pending_vendor"]
"#;

#[test]
fn a_pausing_status_on_a_daylight_saving_night() {
    // Europe/Berlin, open every night 22:00-06:00. On the night of
    // 28-29 March 2026 the clocks go from 02:00 CET to 03:00 CEST: that
    // night is 7h (21:00Z to 04:00Z).
    // Opened Sat 21:00 CET (20:00Z); counting from 22:00 CET (21:00Z).
    // Status waiting_on_customer (pauses) 23:00 CET (22:00Z), in_progress
    // (not listed: runs) Sun 07:00 CEST (05:00Z): held wall 7h, working
    // 22:00Z-04:00Z = 6h. At Sun 08:00 CEST: elapsed 1h, remaining 7h.
    // The next night opens Sun 22:00 CEST (20:00Z); 7h on: Mon 05:00 CEST.
    let ticket = r#"{"id": "T-1", "opened_at": "2026-03-28T21:00:00+01:00", "events": [
        {"at": "2026-03-28T23:00:00+01:00", "kind": "status", "to": "waiting_on_customer"},
        {"at": "2026-03-29T07:00:00+02:00", "kind": "status", "to": "in_progress"}]}"#;
    let m = metric(NIGHT, ticket, "2026-03-29T08:00:00+02:00", "watch");
    assert_eq!(
        fields(
            &m,
            &[
                "status",
                "held",
                "elapsed",
                "remaining",
                "deadline",
                "hidden_since"
            ]
        ),
        json!({
            "status": "running",
            "held": {"working": "PT6H", "wall": "PT7H"},
            "elapsed": "PT1H",
            "remaining": "PT7H",
            "deadline": "2026-03-30T05:00:00+02:00",
            "hidden_since": null,
        })
    );
    // The same history as explicit pauses gives the same metric.
    let explicit = r#"{"id": "T-1", "opened_at": "2026-03-28T21:00:00+01:00", "events": [
        {"at": "2026-03-28T23:00:00+01:00", "kind": "paused"},
        {"at": "2026-03-29T07:00:00+02:00", "kind": "resumed"}]}"#;
    assert_eq!(
        m,
        metric(NIGHT, explicit, "2026-03-29T08:00:00+02:00", "watch")
    );
}

#[test]
fn a_hiding_status_keeps_counting_and_breaches_at_the_same_instant() {
    // As above, then pending_vendor (hides) at Sun 23:00 CEST (21:00Z).
    // At Mon 04:00 CEST (02:00Z): elapsed 1h + 20:00Z-02:00Z = 7h, the
    // deadline still Mon 05:00 CEST, shown with hidden_since.
    // At Mon 05:30 CEST (the night still open): elapsed 8h30m, breached
    // at 05:00 (8h), overdue 30m, still hidden.
    let ticket = r#"{"id": "T-2", "opened_at": "2026-03-28T21:00:00+01:00", "events": [
        {"at": "2026-03-28T23:00:00+01:00", "kind": "status", "to": "waiting_on_customer"},
        {"at": "2026-03-29T07:00:00+02:00", "kind": "status", "to": "in_progress"},
        {"at": "2026-03-29T23:00:00+02:00", "kind": "status", "to": "pending_vendor"}]}"#;
    let keys = [
        "status",
        "elapsed",
        "remaining",
        "overdue",
        "deadline",
        "breached_at",
        "hidden_since",
    ];
    let m = metric(NIGHT, ticket, "2026-03-30T04:00:00+02:00", "watch");
    assert_eq!(
        fields(&m, &keys),
        json!({
            "status": "running",
            "elapsed": "PT7H",
            "remaining": "PT1H",
            "overdue": null,
            "deadline": "2026-03-30T05:00:00+02:00",
            "breached_at": null,
            "hidden_since": "2026-03-29T23:00:00+02:00",
        })
    );
    let m = metric(NIGHT, ticket, "2026-03-30T05:30:00+02:00", "watch");
    assert_eq!(
        fields(&m, &keys),
        json!({
            "status": "breached",
            "elapsed": "PT8H30M",
            "remaining": null,
            "overdue": "PT30M",
            "deadline": "2026-03-30T05:00:00+02:00",
            "breached_at": "2026-03-30T05:00:00+02:00",
            "hidden_since": "2026-03-29T23:00:00+02:00",
        })
    );
}

#[test]
fn an_explicit_pause_and_a_pausing_status_overlap_into_one_hold() {
    // 24x7 in Berlin. Opened Sat 28 March 20:00 CET (19:00Z), target 12h.
    // paused 21:00 CET (20:00Z); status waiting_on_customer 22:00 CET;
    // resumed 23:00 CET (the status still pauses); status in_progress Sun
    // 03:30 CEST (01:30Z): paused 20:00Z-01:30Z = 5h30m as one hold.
    // Deadline 19:00Z + 12h + 5h30m = Sun 12:30Z = 14:30 CEST.
    // A repeated status and a stray one (`triage`, not listed) change nothing.
    let policy = NIGHT.replace("calendar = \"night\"\ntarget = \"8h\"", "target = \"12h\"");
    let ticket = r#"{"id": "T-3", "opened_at": "2026-03-28T20:00:00+01:00", "events": [
        {"at": "2026-03-28T21:00:00+01:00", "kind": "paused"},
        {"at": "2026-03-28T22:00:00+01:00", "kind": "status", "to": "waiting_on_customer"},
        {"at": "2026-03-28T22:30:00+01:00", "kind": "status", "to": "waiting_on_customer"},
        {"at": "2026-03-28T23:00:00+01:00", "kind": "resumed"},
        {"at": "2026-03-29T03:30:00+02:00", "kind": "status", "to": "in_progress"},
        {"at": "2026-03-29T04:00:00+02:00", "kind": "status", "to": "triage"}]}"#;
    let m = metric(&policy, ticket, "2026-03-29T06:00:00+02:00", "watch");
    assert_eq!(
        fields(&m, &["status", "held", "elapsed", "deadline"]),
        json!({
            "status": "running",
            "held": {"working": "PT5H30M", "wall": "PT5H30M"},
            // 19:00Z-20:00Z and 01:30Z-04:00Z.
            "elapsed": "PT3H30M",
            "deadline": "2026-03-29T14:30:00+02:00",
        })
    );
}

#[test]
fn a_status_at_the_instant_of_a_stop_applies_in_the_order_listed() {
    // 24x7: opened 10:00Z, target 12h. At 12:00Z `resolved` then a pausing
    // status: the status comes after the stop and does nothing (met, 2h,
    // no hold). Listed before the stop: a pause of no length (named in
    // `because`, as an explicit pause would be), the same fields.
    let policy = NIGHT.replace("calendar = \"night\"\ntarget = \"8h\"", "target = \"12h\"");
    let after = r#"{"id": "T-4", "opened_at": "2026-03-02T10:00:00Z", "events": [
        {"at": "2026-03-02T12:00:00Z", "kind": "resolved"},
        {"at": "2026-03-02T12:00:00Z", "kind": "status", "to": "waiting_on_customer"}]}"#;
    let before = r#"{"id": "T-4", "opened_at": "2026-03-02T10:00:00Z", "events": [
        {"at": "2026-03-02T12:00:00Z", "kind": "status", "to": "waiting_on_customer"},
        {"at": "2026-03-02T12:00:00Z", "kind": "resolved"}]}"#;
    let m = metric(&policy, after, "2026-03-02T13:00:00Z", "watch");
    assert_eq!(
        fields(&m, &["status", "elapsed", "held", "stopped_at"]),
        json!({"status": "met", "elapsed": "PT2H", "held": null,
               "stopped_at": "2026-03-02T13:00:00+01:00"})
    );
    let mut listed_before = metric(&policy, before, "2026-03-02T13:00:00Z", "watch");
    assert_eq!(
        listed_before["because"][1],
        "paused 0s from 2026-03-02T13:00:00+01:00 to 2026-03-02T13:00:00+01:00"
    );
    listed_before["because"] = m["because"].clone();
    assert_eq!(m, listed_before);
}

const CN: &str = r#"
[policy]
id = "cn"
version = "1"
timezone = "Asia/Shanghai"

[calendars.cn-office]
weekdays = ["09:00-12:00", "13:00-18:00"]
holidays = [{ date = "2026-02-15..2026-02-23", name = "Spring Festival" }]

[calendars.cn-office.overrides]
"2026-02-14" = "mon"

[[targets]]
metric = "resolve"
stop = "resolved"
calendar = "cn-office"
target = "16h"
on_reopen = "continue"
"#;

const REOPENED: &str = r#"{"id": "T-5", "opened_at": "2026-02-12T10:00:00+08:00", "events": [
    {"at": "2026-02-12T16:00:00+08:00", "kind": "resolved"},
    {"at": "2026-02-13T11:00:00+08:00", "kind": "reopened"},
    {"at": "2026-02-14T14:30:00+08:00", "kind": "resolved"}]}"#;

#[test]
fn a_reopen_continues_the_clock_across_an_adjusted_working_day() {
    // Office 09:00-12:00, 13:00-18:00 (+08:00); Sat 14 Feb 2026 a working
    // day, 15-23 Feb the Spring Festival. Opened Thu 12th 10:00, resolved
    // 16:00: 2h + 3h = 5h. Reopened Fri 13th 11:00: the closed span is
    // held, working Thu 16:00-18:00 + Fri 09:00-11:00 = 4h, wall 19h.
    // 11h to go: Fri 11-12 (1h), 13-18 (5h), Sat 09-12 (3h), 13:00-15:00
    // (2h): deadline Sat 14th 15:00. At Sat 14:00: elapsed 15h, 1h left.
    let m = metric(CN, REOPENED, "2026-02-14T14:00:00+08:00", "resolve");
    let keys = [
        "status",
        "started_at",
        "stopped_at",
        "held",
        "elapsed",
        "remaining",
        "deadline",
    ];
    assert_eq!(
        fields(&m, &keys),
        json!({
            "status": "running",
            "started_at": "2026-02-12T10:00:00+08:00",
            "stopped_at": null,
            "held": {"working": "PT4H", "wall": "PT19H"},
            "elapsed": "PT15H",
            "remaining": "PT1H",
            "deadline": "2026-02-14T15:00:00+08:00",
        })
    );
    // Resolved again Sat 14:30: met with 15h30m.
    let m = metric(CN, REOPENED, "2026-02-14T17:00:00+08:00", "resolve");
    assert_eq!(
        fields(&m, &keys),
        json!({
            "status": "met",
            "started_at": "2026-02-12T10:00:00+08:00",
            "stopped_at": "2026-02-14T14:30:00+08:00",
            "held": {"working": "PT4H", "wall": "PT19H"},
            "elapsed": "PT15H30M",
            "remaining": "PT30M",
            "deadline": "2026-02-14T15:00:00+08:00",
        })
    );
}

#[test]
fn a_reopen_as_a_new_cycle_and_by_default_as_nothing() {
    // new_cycle: the first cycle (met, 5h) is listed; a new one from Fri
    // 11:00 needs 16h: Fri 1h + 5h, Sat 3h + 5h = 14h, then the festival;
    // Tue 24th 09:00-11:00: deadline Tue 24th 11:00. At Sat 14:00:
    // elapsed 1h + 5h + 3h + 1h = 10h.
    let policy = CN.replace("\"continue\"", "\"new_cycle\"");
    let m = metric(&policy, REOPENED, "2026-02-14T14:00:00+08:00", "resolve");
    assert_eq!(
        fields(&m, &["status", "started_at", "elapsed", "deadline", "held"]),
        json!({
            "status": "running",
            "started_at": "2026-02-13T11:00:00+08:00",
            "elapsed": "PT10H",
            "deadline": "2026-02-24T11:00:00+08:00",
            "held": null,
        })
    );
    assert_eq!(m["cycles"][0]["status"], "met");
    assert_eq!(m["cycles"][0]["elapsed"], "PT5H");
    // Without on_reopen the reopen does nothing: met at Thu 16:00, 5h.
    let policy = CN.replace("on_reopen = \"continue\"\n", "");
    let m = metric(&policy, REOPENED, "2026-02-14T14:00:00+08:00", "resolve");
    assert_eq!(
        fields(&m, &["status", "stopped_at", "elapsed"]),
        json!({"status": "met", "stopped_at": "2026-02-12T16:00:00+08:00", "elapsed": "PT5H"})
    );
}

/// The one error of a policy text, as (path, line, message).
fn only_error(policy: &str) -> (String, Option<u32>, String) {
    let errors: Vec<_> = Policy::check_source(policy, None)
        .into_iter()
        .filter(|d| d.level == Level::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = &errors[0];
    (e.location.path.clone(), e.location.line, e.message.clone())
}

#[test]
fn bad_status_and_reopen_settings_are_policy_errors_at_their_key() {
    // NIGHT's target starts on line 10, CN's on line 14; their keys follow
    // one a line.
    let both = NIGHT.replace("[\"pending_vendor\"]", "[\"waiting_on_customer\"]");
    let (path, line, message) = only_error(&both);
    assert_eq!(
        (path.as_str(), line),
        ("targets[0].hide_statuses", Some(16))
    );
    assert!(
        message.contains("`waiting_on_customer` both pauses"),
        "{message}"
    );

    let empty = NIGHT.replace("[\"waiting_on_customer\"]", "[\"\"]");
    let (path, line, message) = only_error(&empty);
    assert_eq!(
        (path.as_str(), line),
        ("targets[0].pause_statuses", Some(15))
    );
    assert_eq!(message, "entry 1 is an empty status name");

    let unknown = CN.replace("\"continue\"", "\"resume\"");
    let (path, line, message) = only_error(&unknown);
    assert_eq!((path.as_str(), line), ("targets[0].on_reopen", Some(19)));
    assert!(message.contains("`resume` is none of"), "{message}");

    // A `reopen` list without `on_reopen` is a warning at the list.
    let idle = CN.replace("on_reopen = \"continue\"", "reopen = \"reopened\"");
    let warnings: Vec<_> = Policy::check_source(&idle, None)
        .into_iter()
        .map(|d| (d.level, d.location.path, d.location.line))
        .collect();
    assert_eq!(
        warnings,
        vec![(Level::Warning, "targets[0].reopen".to_string(), Some(19))]
    );

    let kind = CN.replace("on_reopen", "reopen = \"reopend\"\non_reopen");
    let (path, _, message) = only_error(&kind);
    assert_eq!(path, "targets[0].reopen");
    assert!(
        message.contains("unknown event kind `reopend`"),
        "{message}"
    );
}

#[test]
fn a_status_event_needs_its_new_status() {
    let policy = Policy::from_toml_str(NIGHT).unwrap();
    let ticket = Ticket::from_json(
        r#"{"id": "T-6", "opened_at": "2026-03-02T10:00:00Z", "events": [
        {"at": "2026-03-02T11:00:00Z", "kind": "status"}]}"#,
    )
    .unwrap();
    let error = policy
        .evaluate(&ticket, "2026-03-02T12:00:00Z".parse().unwrap())
        .unwrap_err();
    assert!(error.to_string().contains("events[0].to"), "{error}");
}

mod equivalence {
    //! A status history and the `paused`/`resumed` events it amounts to
    //! give the same metric, whatever the calendar, stops and reopens.

    use super::metric;
    use proptest::prelude::*;

    const POLICY: &str = r#"
[policy]
id = "equivalence"
version = "1"
timezone = "Europe/Berlin"

[calendars.office]
weekdays = ["09:00-12:00", "13:00-18:00"]

[[targets]]
metric = "resolve"
stop = "resolved"
calendar = "office"
target = "6h"
warn_at = 0.5
pause_statuses = ["waiting_on_customer", "waiting_on_parts"]
hide_statuses = ["pending_vendor"]
on_reopen = "continue"
"#;

    /// One step of a history: a status (paused or not), a stop or a reopen.
    #[derive(Debug, Clone, Copy)]
    enum Step {
        Status(&'static str),
        Resolved,
        Reopened,
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            Just(Step::Status("waiting_on_customer")),
            Just(Step::Status("waiting_on_parts")),
            Just(Step::Status("in_progress")),
            Just(Step::Status("triage")),
            Just(Step::Resolved),
            Just(Step::Reopened),
        ]
    }

    fn pauses(status: &str) -> bool {
        status.starts_with("waiting_on_")
    }

    /// The two tickets: with statuses, and with the pauses they amount to.
    fn tickets(steps: &[(u32, Step)]) -> (String, String) {
        let (mut with_status, mut explicit) = (Vec::new(), Vec::new());
        let (mut minutes, mut paused) = (0u32, false);
        for (gap, step) in steps {
            minutes += gap * 15;
            let at = chrono::DateTime::parse_from_rfc3339("2026-03-27T08:00:00+01:00").unwrap()
                + chrono::TimeDelta::minutes(i64::from(minutes));
            let at = at.to_rfc3339();
            match step {
                Step::Status(to) => {
                    with_status.push(format!(
                        r#"{{"at": "{at}", "kind": "status", "to": "{to}"}}"#
                    ));
                    if pauses(to) != paused {
                        paused = pauses(to);
                        let kind = if paused { "paused" } else { "resumed" };
                        explicit.push(format!(r#"{{"at": "{at}", "kind": "{kind}"}}"#));
                    }
                }
                Step::Resolved | Step::Reopened => {
                    let kind = if matches!(step, Step::Resolved) {
                        "resolved"
                    } else {
                        "reopened"
                    };
                    let event = format!(r#"{{"at": "{at}", "kind": "{kind}"}}"#);
                    with_status.push(event.clone());
                    explicit.push(event);
                }
            }
        }
        let ticket = |events: Vec<String>| {
            format!(
                r#"{{"id": "E-1", "opened_at": "2026-03-27T08:00:00+01:00", "events": [{}]}}"#,
                events.join(",")
            )
        };
        (ticket(with_status), ticket(explicit))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

        #[test]
        fn a_status_history_is_its_pauses(
            steps in proptest::collection::vec((0u32..40, step()), 0..14),
            as_of_quarters in 0i64..1000,
        ) {
            // From Friday 27 March 2026 08:00 CET, over the DST weekend,
            // in quarter hours (at most about ten days on).
            let (with_status, explicit) = tickets(&steps);
            let as_of = (chrono::DateTime::parse_from_rfc3339("2026-03-27T08:00:00+01:00").unwrap()
                + chrono::TimeDelta::minutes(as_of_quarters * 15))
                .to_rfc3339();
            prop_assert_eq!(
                metric(POLICY, &with_status, &as_of, "resolve"),
                metric(POLICY, &explicit, &as_of, "resolve")
            );
        }
    }
}
