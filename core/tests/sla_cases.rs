//! Data-driven SLA clock cases: `tests/data/sla_cases.toml`, each worked
//! out by hand from the rules, against `tests/data/sla_policy.toml`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use aftersales::MetricResult;
use aftersales::{Error, Policy, Ticket};
use chrono::{DateTime, Utc};
use serde_json::Value;

fn data_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data")
}

fn load() -> (Policy, toml::Value) {
    let policy = Policy::from_path(data_dir().join("sla_policy.toml")).unwrap();
    let cases = std::fs::read_to_string(data_dir().join("sla_cases.toml")).unwrap();
    (policy, toml::from_str(&cases).unwrap())
}

fn field(metric: &MetricResult, key: &str) -> Value {
    let json = serde_json::to_value(metric).unwrap();
    json.get(key).cloned().unwrap_or(Value::Null)
}

#[test]
fn sla_clock_cases() {
    let (default_policy, data) = load();
    let mut failures = Vec::new();
    let cases = data["cases"].as_array().unwrap();
    assert!(cases.len() >= 10);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        // A case may name another policy file of tests/data.
        let other = case
            .get("policy")
            .map(|file| Policy::from_path(data_dir().join(file.as_str().unwrap())).unwrap());
        let policy = other.as_ref().unwrap_or(&default_policy);
        let ticket = Ticket::from_json(case["ticket"].as_str().unwrap()).unwrap();
        let as_of: DateTime<Utc> = case["as_of"].as_str().unwrap().parse().unwrap();
        let evaluation = match policy.evaluate(&ticket, as_of) {
            Ok(e) => e,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        for expect in case["expect"].as_array().unwrap() {
            let metric_name = expect["metric"].as_str().unwrap();
            let metric = evaluation.metric(metric_name).unwrap();
            for (key, want) in expect.as_table().unwrap() {
                let got = match key.as_str() {
                    "metric" => continue,
                    // A line of `because` contains this text.
                    "because_has" => Value::Bool(
                        metric
                            .because
                            .iter()
                            .any(|line| line.contains(want.as_str().unwrap())),
                    ),
                    // No line of `because` contains this text.
                    "because_lacks" => Value::Bool(
                        !metric
                            .because
                            .iter()
                            .any(|line| line.contains(want.as_str().unwrap())),
                    ),
                    "cycles" => Value::from(
                        metric
                            .cycles
                            .iter()
                            .map(|c| serde_json::to_value(c.status).unwrap())
                            .collect::<Vec<_>>(),
                    ),
                    "cycle_breached_at" => Value::from(
                        metric
                            .cycles
                            .iter()
                            .map(|c| {
                                c.breached_at
                                    .map(|t| Value::from(t.to_rfc3339()))
                                    .unwrap_or(Value::from("none"))
                            })
                            .collect::<Vec<_>>(),
                    ),
                    other => match field(metric, other) {
                        Value::Null => Value::from("none"),
                        v => v,
                    },
                };
                let want = match key.as_str() {
                    "because_has" | "because_lacks" => Value::Bool(true),
                    _ => serde_json::to_value(want).unwrap(),
                };
                if got != want {
                    failures.push(format!(
                        "{name}: {metric_name}.{key}: expected {want}, got {got}"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn bad_tickets_name_their_field() {
    let (policy, data) = load();
    let as_of: DateTime<Utc> = "2026-03-03T00:00:00Z".parse().unwrap();
    for case in data["errors"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let text = case["ticket"].as_str().unwrap();
        let result = Ticket::from_json(text).and_then(|t| policy.evaluate(&t, as_of));
        match result {
            Err(Error::Ticket { field, .. }) => {
                assert_eq!(field, case["field"].as_str().unwrap(), "{name}")
            }
            other => panic!("{name}: expected a ticket error, got {other:?}"),
        }
    }
}

#[test]
fn a_huge_target_is_refused_before_a_change_can_overflow_it() {
    // 9,223,372,036,854,775 s is just under the longest duration chrono
    // holds (i64::MAX ms); under from_change the new target would be the
    // 1 h already elapsed plus that, which no duration holds. Targets are
    // bounded at 100,000 days (docs/policy.md, Limits), so the policy is
    // refused at the table entry, line 14 (`target = { high = ` is 18
    // characters: the value starts at column 19).
    let err = Policy::from_toml_str(
        r#"
[policy]
id = "huge"
version = "1"
timezone = "Asia/Shanghai"

[severity]
levels = ["high", "normal"]
default = "normal"

[[targets]]
metric = "resolve"
stop = "resolved"
target = { high = "9223372036854775s", normal = "2h" }
recompute = "from_change"
"#,
    )
    .unwrap_err();
    match err {
        Error::Policy {
            policy,
            location,
            message,
        } => {
            assert_eq!(policy, "huge");
            assert_eq!(location.path, "targets[0].target.high");
            assert_eq!((location.line, location.column), (Some(14), Some(19)));
            assert!(message.contains("duration too large"), "{message}");
        }
        other => panic!("expected a policy error at the target, got {other:?}"),
    }
}
