//! Appointment and visit promises: what `check` says about bad `stop_at`
//! and `grace` values (TOML path, line and column), and the ticket errors
//! of a stop event whose attribute is missing or not an instant. The clock
//! arithmetic itself is in `tests/data/sla_cases.toml` (cases against
//! `tests/data/sla_policy_appointments.toml`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use aftersales::api::check_json;
use aftersales::{Error, Policy, PolicySource, Ticket};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::BTreeMap;

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
                at["line"].as_u64().unwrap(),
                at["column"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn check_locates_bad_stop_at_and_grace() {
    // HEAD is 5 lines: `[[targets]]` is line 6, so `stop_at` is line 9 and
    // `grace` line 11; `stop_at = ` and `grace = ` are 10 and 8 characters,
    // so the values start at columns 11 and 9.
    let found = errors(
        "[[targets]]\nmetric = \"a\"\nstop = []\nstop_at = \"slot\"\ntarget = \"1h\"\ngrace = \"-15m\"\n",
    );
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(
        (found[0].0.as_str(), found[0].1, found[0].2),
        ("targets[0].stop_at", 9, 11)
    );
    assert!(
        found[0].3.contains("`stop` lists no event kind"),
        "{found:?}"
    );
    assert_eq!(
        (found[1].0.as_str(), found[1].1, found[1].2),
        ("targets[0].grace", 11, 9)
    );
    assert!(found[1].3.contains("`-15m` is negative"), "{found:?}");
}

#[test]
fn check_refuses_odd_attribute_names_and_accepts_a_business_day_grace() {
    // A grace in business days is accepted (converted at the deadline);
    // only the attribute name is refused.
    let found = errors(
        "[[targets]]\nmetric = \"a\"\nstop = \"arrived\"\nstop_at = \"the slot\"\ntarget = \"1h\"\ngrace = \"1bd\"\n",
    );
    let paths: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(paths, ["targets[0].stop_at"], "{found:?}");
    assert!(found[0].3.contains("`the slot` is not an attribute name"));
}

#[test]
fn check_refuses_a_stop_at_that_is_not_a_string() {
    // The value 5 of `stop_at = 5` (line 9) starts at column 11.
    let found =
        errors("[[targets]]\nmetric = \"a\"\nstop = \"arrived\"\nstop_at = 5\ntarget = \"1h\"\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].0.as_str(), found[0].1, found[0].2),
        ("targets[0].stop_at", 9, 11)
    );
    assert!(found[0].3.contains("expected a string"), "{found:?}");
}

fn policy() -> Policy {
    Policy::from_toml_str(
        "[policy]\nid = \"p\"\nversion = \"1\"\ntimezone = \"UTC\"\nevents = [\"slot_offered\"]\n\n\
         [[targets]]\nmetric = \"slot_offer\"\nstop = \"slot_offered\"\nstop_at = \"slot\"\ntarget = \"4h\"\n",
    )
    .unwrap()
}

/// The field a ticket with one `slot_offered` event with these attributes is refused at.
fn refused_at(attributes: &str) -> (String, String) {
    let ticket = Ticket::from_json(&format!(
        r#"{{"id":"T","opened_at":"2026-03-02T10:00:00Z","events":[
            {{"at":"2026-03-02T10:20:00Z","kind":"slot_offered","attributes":{attributes}}}]}}"#
    ))
    .unwrap();
    let as_of: DateTime<Utc> = "2026-03-02T12:00:00Z".parse().unwrap();
    match policy().evaluate(&ticket, as_of) {
        Err(Error::Ticket { field, message, .. }) => (field, message),
        other => panic!("expected a ticket error, got {other:?}"),
    }
}

#[test]
fn a_bad_stop_attribute_is_a_located_ticket_error() {
    let (field, message) = refused_at("{}");
    assert_eq!(field, "events[0].attributes.slot");
    assert!(
        message.contains("stops at this attribute, which is missing"),
        "{message}"
    );

    let (field, message) = refused_at(r#"{"slot": "tomorrow at ten"}"#);
    assert_eq!(field, "events[0].attributes.slot");
    assert!(message.contains("is not an RFC 3339 instant"), "{message}");

    let (field, message) = refused_at(r#"{"slot": 1772445600}"#);
    assert_eq!(field, "events[0].attributes.slot");
    assert!(message.contains("not a number"), "{message}");

    let (field, _) = refused_at(r#"{"slot": {"end": "2026-03-02T14:00:00Z"}}"#);
    assert_eq!(field, "events[0].attributes.slot.start");

    let (field, message) = refused_at(r#"{"slot": "2201-01-01T00:00:00Z"}"#);
    assert_eq!(field, "events[0].attributes.slot");
    assert!(message.contains("2201"), "{message}");
}
