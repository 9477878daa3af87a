//! `next_change_at`: the answer's state holds from `as_of` up to it, and
//! moves on there. Over generated tickets of the example packs and the SLA
//! test policy, with no event after `as_of` ("if nothing else happens").
//!
//! The state is the time-driven part of the answer (severity, metrics,
//! credits) without its counters (`elapsed`, `remaining`, `overdue`,
//! `held`, and a credit's amount and words, which grow with `overdue`). A start or a warning changes the
//! answer at its instant; a deadline or the end of a grace from the instant
//! after it (at the deadline itself the count equals the target: still
//! `running`). A warning, and a deadline within a grace, change no field
//! of the answer: they are the instants a host raises an alert at, and the
//! test checks only that the state holds up to them.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use aftersales::api::evaluate_json;
use aftersales::testing::tickets_with_as_of;
use aftersales::{EvaluateOptions, Policy, Ticket};
use chrono::{DateTime, TimeDelta, Utc};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::Value;
use std::path::Path;

fn load(path: &str) -> Policy {
    Policy::from_path(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// The ticket as JSON with no event after `as_of`.
fn cut(ticket: &Ticket, as_of: DateTime<Utc>) -> String {
    let mut value = serde_json::to_value(ticket).unwrap();
    if let Some(Value::Array(events)) = value.get_mut("events") {
        events.retain(|e| {
            let at: DateTime<Utc> = e["at"].as_str().unwrap().parse().unwrap();
            at <= as_of
        });
    }
    value.to_string()
}

fn answer(policy: &Policy, line: &str, at: DateTime<Utc>) -> Value {
    serde_json::from_str(&evaluate_json(
        policy,
        line,
        Some(at),
        EvaluateOptions::default(),
    ))
    .unwrap()
}

/// The time-driven part of the answer (severity, metrics, credits, the
/// next change) without the counters. The warranty, charges and settlement
/// read the local date of `as_of` (a repair still open counts to today)
/// and move at midnight, which `next_change_at` does not follow.
fn state(answer: Value) -> Value {
    let mut answer: Value = ["severity", "sla", "credits", "next_change_at"]
        .into_iter()
        .map(|k| (k.to_string(), answer[k].clone()))
        .collect::<serde_json::Map<String, Value>>()
        .into();
    fn strip(value: &mut Value) {
        match value {
            Value::Object(map) => {
                for key in ["elapsed", "remaining", "overdue", "held"] {
                    map.remove(key);
                }
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    if let Some(sla) = answer.get_mut("sla") {
        strip(sla);
    }
    // A credit counted on a breach still open grows with `overdue`: its
    // amount and words are counters; that it is owed is state.
    if let Some(Value::Array(credits)) = answer.get_mut("credits") {
        for credit in credits {
            if let Value::Object(map) = credit {
                map.retain(|k, _| matches!(k.as_str(), "metric" | "kind" | "source"));
            }
        }
    }
    answer
}

fn instant(value: &Value) -> Option<DateTime<Utc>> {
    value.as_str().map(|t| t.parse().unwrap())
}

/// Whether `at` is an alert instant only: a running metric's `warn_at`, or
/// its deadline while a grace still follows.
fn alert_only(answer: &Value, at: DateTime<Utc>) -> bool {
    answer["sla"].as_array().unwrap().iter().any(|m| {
        let graced = m
            .get("due_with_grace")
            .and_then(instant)
            .is_some_and(|g| g > at);
        instant(&m["warn_at"]) == Some(at) || (graced && instant(&m["deadline"]) == Some(at))
    })
}

/// One ticket: the law, or why it fails.
fn law(policy: &Policy, ticket: &Ticket, as_of: DateTime<Utc>) -> Result<(), String> {
    let line = cut(ticket, as_of);
    let now = answer(policy, &line, as_of);
    if now.get("error").is_some() {
        return Ok(());
    }
    let Some(next) = instant(&now["next_change_at"]) else {
        // Nothing changes with time alone: a month later, the same state.
        let later = answer(policy, &line, as_of + TimeDelta::days(30));
        return (state(later) == state(now.clone()))
            .then_some(())
            .ok_or_else(|| format!("no next_change_at, yet the state changes: {now}"));
    };
    if next < as_of {
        return Err(format!("next_change_at {next} before as_of {as_of}"));
    }
    let before = next - TimeDelta::seconds(1);
    let then = state(answer(policy, &line, before));
    if before >= as_of && then != state(now.clone()) {
        return Err(format!(
            "the state changed before next_change_at {next}: at {as_of}\n{now}\nat {before}\n{then}"
        ));
    }
    let after = next + TimeDelta::milliseconds(1);
    let moved = state(answer(policy, &line, after)) != state(now.clone());
    if !moved && !alert_only(&now, next) {
        return Err(format!("nothing changed at next_change_at {next}: {now}"));
    }
    Ok(())
}

fn run(path: &str, cases: u32) {
    let policy = load(path);
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[11; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let result = runner.run(&tickets_with_as_of(&policy), |(ticket, as_of)| {
        law(&policy, &ticket, as_of).map_err(TestCaseError::fail)
    });
    if let Err(e) = result {
        panic!("{path}: {e}");
    }
}

#[test]
fn the_state_holds_until_next_change_at_on_the_sla_test_policy() {
    run("../tests/data/sla_policy.toml", 300);
}

#[test]
fn the_state_holds_until_next_change_at_on_the_example_packs() {
    for pack in ["hot_water_meter", "smart_home", "online_retail"] {
        run(&format!("../examples/policies/{pack}.toml"), 150);
    }
}

/// A small policy for the hand-worked instants: an office calendar (Mon-Fri
/// 09:00-12:00 and 13:00-18:00, Shanghai), a 3 h reply warned at 80 %, a
/// booked visit with a 30 m target and 10 m grace.
const POLICY: &str = r#"
[policy]
id = "next-change"
version = "1"
timezone = "Asia/Shanghai"

[calendars.office]
weekdays = ["09:00-12:00", "13:00-18:00"]

[[targets]]
metric = "reply"
stop = "responded"
pause = "paused"
resume = "resumed"
calendar = "office"
target = "3h"
warn_at = 0.8

[[targets]]
metric = "onsite"
start = "visit_booked"
start_at = "slot"
stop = "arrived"
pause = []
target = "30m"
grace = "10m"
"#;

/// The metric `name`'s `next_change_at` and the answer's, for `ticket` at `as_of`.
fn next_of(ticket: &str, as_of: &str, name: &str) -> (Value, Value) {
    let policy = Policy::from_toml_str(POLICY).unwrap();
    let answer = answer(&policy, ticket, as_of.parse().unwrap());
    let metric = answer["sla"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["metric"] == name)
        .unwrap()["next_change_at"]
        .clone();
    (metric, answer["next_change_at"].clone())
}

const MONDAY_15: &str = r#"{"id": "N-1", "opened_at": "2026-03-02T15:00:00+08:00"}"#;

#[test]
fn a_running_clock_changes_next_at_its_warning_then_at_its_deadline() {
    // Opened Mon 15:00, target 3 h: warned at 80 % = 2 h 24 m of office
    // time = 17:24; 3 h are used up at the 18:00 close (15:00-18:00), so the
    // deadline is the next opening, Tue 09:00.
    let (reply, whole) = next_of(MONDAY_15, "2026-03-02T16:00:00+08:00", "reply");
    assert_eq!(reply, "2026-03-02T17:24:00+08:00");
    // `onsite` waits for a booking: nothing changes by time alone.
    assert_eq!(whole, "2026-03-02T17:24:00+08:00");
    let (reply, _) = next_of(MONDAY_15, "2026-03-02T17:30:00+08:00", "reply");
    assert_eq!(reply, "2026-03-03T09:00:00+08:00");
    // At the deadline itself the count equals the target: still running,
    // breached from the instant after; then nothing changes any more.
    let (reply, _) = next_of(MONDAY_15, "2026-03-03T09:00:00+08:00", "reply");
    assert_eq!(reply, "2026-03-03T09:00:00+08:00");
    let (reply, whole) = next_of(MONDAY_15, "2026-03-03T09:00:01+08:00", "reply");
    assert_eq!((reply, whole), (Value::Null, Value::Null));
}

#[test]
fn a_clock_started_while_closed_changes_next_at_the_opening() {
    // Opened Sat 2026-03-07 10:00: nothing counted until Mon 03-09 09:00,
    // where `counting_started_at` appears (from the instant after).
    let ticket = r#"{"id": "N-2", "opened_at": "2026-03-07T10:00:00+08:00"}"#;
    let (reply, _) = next_of(ticket, "2026-03-08T12:00:00+08:00", "reply");
    assert_eq!(reply, "2026-03-09T09:00:00+08:00");
}

#[test]
fn a_paused_clock_changes_nothing_and_a_stopped_one_neither() {
    let paused = r#"{"id": "N-3", "opened_at": "2026-03-02T15:00:00+08:00",
        "events": [{"at": "2026-03-02T15:30:00+08:00", "kind": "paused"}]}"#;
    let (reply, whole) = next_of(paused, "2026-03-02T16:00:00+08:00", "reply");
    assert_eq!((reply, whole), (Value::Null, Value::Null));
    let replied = r#"{"id": "N-4", "opened_at": "2026-03-02T15:00:00+08:00",
        "events": [{"at": "2026-03-02T15:30:00+08:00", "kind": "responded"}]}"#;
    let (reply, _) = next_of(replied, "2026-03-02T16:00:00+08:00", "reply");
    assert_eq!(reply, Value::Null);
}

#[test]
fn a_booked_visit_changes_at_its_slot_then_at_the_end_of_its_grace() {
    // Booked at 10:00 for 14:00 (24x7): pending until 14:00; then running,
    // deadline 14:30, grace to 14:40.
    let ticket = r#"{"id": "N-5", "opened_at": "2026-03-02T09:00:00+08:00",
        "events": [{"at": "2026-03-02T10:00:00+08:00", "kind": "visit_booked",
                    "attributes": {"slot": "2026-03-02T14:00:00+08:00"}}]}"#;
    let (onsite, _) = next_of(ticket, "2026-03-02T11:00:00+08:00", "onsite");
    assert_eq!(onsite, "2026-03-02T14:00:00+08:00");
    // Running: the deadline 14:30 passes (an alert; still within the grace)…
    let (onsite, _) = next_of(ticket, "2026-03-02T14:10:00+08:00", "onsite");
    assert_eq!(onsite, "2026-03-02T14:30:00+08:00");
    // …then the grace ends at 14:40 (breached from the instant after).
    let (onsite, _) = next_of(ticket, "2026-03-02T14:35:00+08:00", "onsite");
    assert_eq!(onsite, "2026-03-02T14:40:00+08:00");
    let (onsite, _) = next_of(ticket, "2026-03-02T14:41:00+08:00", "onsite");
    assert_eq!(onsite, Value::Null);
}

#[test]
fn a_ticket_not_yet_open_changes_at_its_opening() {
    let (reply, whole) = next_of(MONDAY_15, "2026-03-02T12:00:00+08:00", "reply");
    assert_eq!(reply, "2026-03-02T15:00:00+08:00");
    assert_eq!(whole, "2026-03-02T15:00:00+08:00");
}
