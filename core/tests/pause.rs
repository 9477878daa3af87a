//! Pauses: a metric that never pauses (`pause = []`) is not disturbed by
//! the ticket's pause and resume events, which other metrics use.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use aftersales::MetricStatus;
use aftersales::{Policy, Ticket};

#[test]
fn a_metric_that_never_pauses_ignores_resumes() {
    let policy = Policy::from_toml_str(
        r#"
[policy]
id = "pauses"
version = "1"
timezone = "Asia/Shanghai"

[[targets]]
metric = "contact"
stop = "contacted"
pause = []
target = "2h"

[[targets]]
metric = "resolve"
stop = "resolved"
target = "4h"
"#,
    )
    .unwrap();
    let ticket = Ticket::from_json(
        r#"{"id": "P-1", "opened_at": "2026-03-02T09:00:00+08:00", "events": [
          {"at": "2026-03-02T10:00:00+08:00", "kind": "paused", "reason": "awaiting_parts"},
          {"at": "2026-03-02T11:00:00+08:00", "kind": "resumed"}]}"#,
    )
    .unwrap();
    let evaluation = policy
        .evaluate(&ticket, "2026-03-02T12:00:00+08:00".parse().unwrap())
        .unwrap();
    // contact counts straight through: 09:00 + 2h = 11:00, breached by 12:00.
    let contact = &evaluation.metric("contact").unwrap().current;
    assert_eq!(contact.status, MetricStatus::Breached);
    assert_eq!(
        contact.deadline.unwrap().to_rfc3339(),
        "2026-03-02T11:00:00+08:00"
    );
    // resolve pauses 10:00-11:00: 2h counted, due 14:00.
    let resolve = &evaluation.metric("resolve").unwrap().current;
    assert_eq!(resolve.status, MetricStatus::Running);
    assert_eq!(
        resolve.deadline.unwrap().to_rfc3339(),
        "2026-03-02T14:00:00+08:00"
    );
}
