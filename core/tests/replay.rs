//! Replay: evaluating a ticket at an earlier `as_of` gives the answer the
//! CRM would have seen then. Events after `as_of` had not happened yet, so
//! neither the clocks nor the rules (severity, targets, `when`, properties)
//! may see them.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use aftersales::MetricStatus;
use aftersales::{Policy, Ticket};
use chrono::{DateTime, Utc};

const POLICY: &str = r#"
[policy]
id = "replay"
version = "1"
timezone = "Asia/Shanghai"
script = '''
fn severity(ticket) {
    if ticket.events.some(|e| e.kind == "reopened") { ["high", "reopened"] } else { "normal" }
}
'''

[severity]
levels = ["high", "normal"]
default = "normal"
rule = "severity"

[[targets]]
metric = "resolve"
stop = "resolved"
target = { high = "4h", normal = "24h" }

[[targets]]
metric = "first_fix"
when = 'ticket.events.len() < 3'
stop = "resolved"
target = "24h"

[[properties]]
name = "only events up to as_of"
holds = 'ticket.events.all(|e| e.at <= evaluation.as_of)'
"#;

const TICKET: &str = r#"{"id": "R-1", "opened_at": "2026-03-02T09:00:00+08:00", "events": [
  {"at": "2026-03-02T10:00:00+08:00", "kind": "resolved"},
  {"at": "2026-03-03T10:00:00+08:00", "kind": "reopened"},
  {"at": "2026-03-03T11:00:00+08:00", "kind": "resolved"}]}"#;

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

#[test]
fn rules_do_not_see_events_after_as_of() {
    let policy = Policy::from_toml_str(POLICY).unwrap();
    let ticket = Ticket::from_json(TICKET).unwrap();

    // Before the reopen: the rule sees one event, the ticket is normal, and
    // `first_fix` applies (1 event < 3).
    let before = policy
        .evaluate(&ticket, at("2026-03-02T12:00:00+08:00"))
        .unwrap();
    assert_eq!(before.severity.level, "normal");
    assert_eq!(
        before.metric("resolve").unwrap().target.as_deref(),
        Some("PT24H")
    );
    assert_eq!(
        before.metric("first_fix").unwrap().current.status,
        MetricStatus::Met
    );
    assert!(policy
        .check_properties(&ticket, &before)
        .unwrap()
        .is_empty());

    // After it: reopened, so high; three events, so `first_fix` no longer applies.
    let after = policy
        .evaluate(&ticket, at("2026-03-04T12:00:00+08:00"))
        .unwrap();
    assert_eq!(after.severity.level, "high");
    assert_eq!(
        after.metric("first_fix").unwrap().current.status,
        MetricStatus::NotApplicable
    );
    assert!(policy.check_properties(&ticket, &after).unwrap().is_empty());
}
