//! A policy without Rhai: the severity decision table, target tables keyed
//! by two fields, `when` conditions. Each expectation is worked out by hand
//! from the tables below.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use aftersales::{Policy, Ticket};
use chrono::{DateTime, Utc};

const POLICY: &str = r#"
[policy]
id = "declarative"
version = "1"
currency = "CNY"
timezone = "Asia/Shanghai"

[severity]
levels = ["critical", "high", "normal", "low"]
default = "normal"

[[severity.table]]
when = 'ticket.kind == "consultation"'
level = "low"
because = "consultation, nothing to repair"

[[severity.table]]
when = 'ticket.product?.category == "industrial" && ticket.fault?.code in ["no_reading", "leak"]'
level = "critical"

[[severity.table]]
when = 'ticket.product?.category == "industrial"'
level = "high"
because = "industrial meter"

[[targets]]
metric = "contact"
stop = "contacted"
target_by = ["severity", "customer.zone"]
[targets.target.critical]
A = "30m"
"*" = "1h"
[targets.target."*"]
A = "2h"
C = "n/a"
"*" = "4h"

[[targets]]
metric = "resolve"
stop = "resolved"
when = 'ticket.kind != "consultation"'
target_by = ["fault.complexity", "severity"]
[targets.target.simple]
"*" = "1h"
[targets.target."*"]
critical = "8h"
high = "12h"
"*" = "24h"
"#;

fn policy() -> Policy {
    Policy::from_toml_str(POLICY).unwrap()
}

/// The ticket opens at 09:00 Shanghai (01:00 UTC) on 2026-03-02; `extra`
/// is spliced into its JSON.
fn ticket(extra: &str) -> Ticket {
    Ticket::from_json(&format!(
        r#"{{"id":"T-1","opened_at":"2026-03-02T09:00:00+08:00"{extra}}}"#
    ))
    .unwrap()
}

fn as_of() -> DateTime<Utc> {
    "2026-03-02T01:05:00Z".parse().unwrap()
}

/// (target, deadline) of `metric`, deadlines at +08:00.
fn target(policy: &Policy, ticket: &Ticket, metric: &str) -> (Option<String>, Option<String>) {
    let evaluation = policy.evaluate(ticket, as_of()).unwrap();
    let m = evaluation.metric(metric).unwrap();
    (m.target.clone(), m.current.deadline.map(|d| d.to_rfc3339()))
}

#[test]
fn the_first_matching_row_gives_the_severity() {
    let policy = policy();
    // Row 0 (consultation) comes before row 2 (industrial): low.
    let e = policy
        .evaluate(
            &ticket(r#","kind":"consultation","product":{"category":"industrial"}"#),
            as_of(),
        )
        .unwrap();
    assert_eq!(e.severity.level, "low");
    assert_eq!(
        e.severity.because,
        ["low: consultation, nothing to repair (severity.table[0])"]
    );
    // Row 1 has no `because`: the condition is quoted.
    let e = policy
        .evaluate(
            &ticket(
                r#","kind":"repair","product":{"category":"industrial"},"fault":{"code":"leak"}"#,
            ),
            as_of(),
        )
        .unwrap();
    assert_eq!(e.severity.level, "critical");
    assert_eq!(
        e.severity.because,
        [
            r#"critical: `ticket.product?.category == "industrial" && ticket.fault?.code in ["no_reading", "leak"]` (severity.table[1])"#
        ]
    );
    // No row holds for a household meter: the default level.
    let e = policy
        .evaluate(&ticket(r#","product":{"category":"household"}"#), as_of())
        .unwrap();
    assert_eq!(e.severity.level, "normal");
    // A severity the CRM gives wins over the table.
    let e = policy
        .evaluate(
            &ticket(r#","severity":"high","kind":"consultation""#),
            as_of(),
        )
        .unwrap();
    assert_eq!(e.severity.level, "high");
}

#[test]
fn the_most_specific_entry_of_a_two_key_table_wins() {
    let policy = policy();
    // critical × A: the exact entry, 30 min from 09:00.
    let t = ticket(
        r#","product":{"category":"industrial"},"fault":{"code":"leak"},"customer":{"zone":"A"}"#,
    );
    assert_eq!(
        target(&policy, &t, "contact"),
        (
            Some("PT30M".into()),
            Some("2026-03-02T09:30:00+08:00".into())
        )
    );
    // critical × B: (critical, *) = 1 h before (*, B), which has no entry anyway.
    let t = ticket(
        r#","product":{"category":"industrial"},"fault":{"code":"leak"},"customer":{"zone":"B"}"#,
    );
    assert_eq!(
        target(&policy, &t, "contact"),
        (
            Some("PT1H".into()),
            Some("2026-03-02T10:00:00+08:00".into())
        )
    );
    // high × A: no (high, A), no (high, *): (*, A) = 2 h.
    let t = ticket(r#","product":{"category":"industrial"},"customer":{"zone":"A"}"#);
    assert_eq!(
        target(&policy, &t, "contact"),
        (
            Some("PT2H".into()),
            Some("2026-03-02T11:00:00+08:00".into())
        )
    );
    // normal × B: only (*, *) = 4 h.
    let t = ticket(r#","customer":{"zone":"B"}"#);
    assert_eq!(
        target(&policy, &t, "contact"),
        (
            Some("PT4H".into()),
            Some("2026-03-02T13:00:00+08:00".into())
        )
    );
    // normal × C: (*, C) is "n/a", which stops the search before (*, *).
    let t = ticket(r#","customer":{"zone":"C"}"#);
    assert_eq!(target(&policy, &t, "contact"), (None, None));
    // No zone at all reads as "": (*, *) = 4 h.
    assert_eq!(
        target(&policy, &ticket(""), "contact").0,
        Some("PT4H".into())
    );
}

#[test]
fn a_field_as_the_outer_key_and_severity_as_the_inner_one() {
    let policy = policy();
    // simple × high: (simple, *) = 1 h.
    let t = ticket(r#","product":{"category":"industrial"},"fault":{"complexity":"simple"}"#);
    assert_eq!(target(&policy, &t, "resolve").0, Some("PT1H".into()));
    // complexity unknown ("") × critical: (*, critical) = 8 h, due 17:00.
    let t = ticket(r#","product":{"category":"industrial"},"fault":{"code":"no_reading"}"#);
    assert_eq!(
        target(&policy, &t, "resolve"),
        (
            Some("PT8H".into()),
            Some("2026-03-02T17:00:00+08:00".into())
        )
    );
    // complex × normal: (*, *) = 24 h.
    let t = ticket(r#","fault":{"complexity":"complex"}"#);
    assert_eq!(target(&policy, &t, "resolve").0, Some("PT24H".into()));
    // A consultation: the `when` is false, no target.
    let t = ticket(r#","kind":"consultation""#);
    assert_eq!(target(&policy, &t, "resolve"), (None, None));
}

#[test]
fn a_raised_severity_moves_a_two_key_target() {
    // High at opening (industrial, zone A: 2 h, due 11:00); raised to
    // critical at 09:10: from the start (the default), critical × A = 30 min,
    // due 09:30.
    let t = ticket(
        r#","product":{"category":"industrial"},"customer":{"zone":"A"},
           "events":[{"at":"2026-03-02T09:10:00+08:00","kind":"severity_changed","to":"critical"}]"#,
    );
    let policy = policy();
    let evaluation = policy
        .evaluate(&t, "2026-03-02T01:20:00Z".parse().unwrap())
        .unwrap();
    let contact = evaluation.metric("contact").unwrap();
    assert_eq!(
        contact.current.deadline.map(|d| d.to_rfc3339()),
        Some("2026-03-02T09:30:00+08:00".into())
    );
}

fn errors(manifest: &str) -> Vec<(String, String)> {
    let text = aftersales::api::check_json(&aftersales::PolicySource::Text {
        toml: manifest.to_string(),
        rules: Default::default(),
    });
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["level"] == "error")
        .map(|e| {
            (
                e["location"]["path"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                e["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn bad_tables_are_located() {
    let head = r#"
[policy]
id = "p"
version = "1"
currency = "CNY"
timezone = "Asia/Shanghai"
[severity]
levels = ["high", "low"]
default = "low"
"#;
    // A level the policy does not have, in a row and in a table key.
    let e = errors(&format!(
        r#"{head}
[[severity.table]]
when = 'ticket.channel == "web"'
level = "urgent"
[[targets]]
metric = "contact"
stop = "contacted"
target_by = ["severity", "channel"]
target = {{ urgent = {{ web = "1h" }} }}
"#
    ));
    let paths: Vec<&str> = e.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        ["severity.table[0].level", "targets[0].target.urgent"],
        "{e:?}"
    );
    // A table of tables without two keys, two keys over a flat table,
    // severity and tier together, and a rule beside a table.
    let e = errors(&format!(
        r#"{head}
[[targets]]
metric = "a"
stop = "contacted"
target = {{ high = {{ web = "1h" }} }}
[[targets]]
metric = "b"
stop = "contacted"
target_by = ["severity", "channel"]
target = {{ high = "1h" }}
[[targets]]
metric = "c"
stop = "contacted"
target_by = ["severity", "tier"]
target = {{ high = {{ gold = "1h" }} }}
"#
    ));
    let paths: Vec<&str> = e.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "targets[0].target",
            "targets[1].target",
            "targets[2].target_by"
        ],
        "{e:?}"
    );
}
