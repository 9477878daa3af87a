//! Helpers shared by the hand-worked SLA clock tests: a metric's answer as
//! JSON, and the fields a test compares.

#![allow(dead_code, clippy::unwrap_used)]

use aftersales::{Policy, Ticket};
use chrono::{DateTime, Utc};
use serde_json::Value;

/// The named metric of `ticket`'s evaluation under `policy` at `as_of`, as
/// JSON.
pub fn metric(policy: &str, ticket: &str, as_of: &str, name: &str) -> Value {
    let policy = Policy::from_toml_str(policy).unwrap();
    let ticket = Ticket::from_json(ticket).unwrap();
    let as_of: DateTime<Utc> = as_of.parse().unwrap();
    let evaluation = policy.evaluate(&ticket, as_of).unwrap();
    serde_json::to_value(evaluation.metric(name).unwrap()).unwrap()
}

/// The fields a test compares, absent ones as null.
pub fn fields(metric: &Value, keys: &[&str]) -> Value {
    Value::Object(
        keys.iter()
            .map(|k| (k.to_string(), metric.get(*k).cloned().unwrap_or_default()))
            .collect(),
    )
}
