//! JSON Schemas of the policy manifest, the ticket and the evaluation,
//! generated from the Rust types. The files in `schemas/` must match what the
//! types generate (regenerate with `UPDATE_SCHEMAS=1 cargo test --test
//! schemas`), and the examples must validate against them.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use aftersales::{ErrorObject, Evaluation, Policy, Report, Ticket};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn generated() -> Vec<(&'static str, Value)> {
    vec![
        ("policy", aftersales::api::policy_schema()),
        (
            "ticket",
            serde_json::to_value(schemars::schema_for!(Ticket)).unwrap(),
        ),
        (
            "evaluation",
            serde_json::to_value(schemars::schema_for!(Evaluation)).unwrap(),
        ),
        (
            "error",
            serde_json::to_value(schemars::schema_for!(ErrorObject)).unwrap(),
        ),
        (
            "report",
            serde_json::to_value(schemars::schema_for!(Report)).unwrap(),
        ),
    ]
}

#[test]
fn checked_in_schemas_match_the_types() {
    let update = std::env::var_os("UPDATE_SCHEMAS").is_some();
    for (name, schema) in generated() {
        let path = root().join(format!("schemas/{name}.schema.json"));
        let text = format!("{}\n", serde_json::to_string_pretty(&schema).unwrap());
        if update {
            std::fs::write(&path, &text).unwrap();
            continue;
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == text,
            "schemas/{name}.schema.json is stale; regenerate with UPDATE_SCHEMAS=1 cargo test -p aftersales --test schemas"
        );
    }
}

fn validator(name: &str) -> jsonschema::Validator {
    let schema = generated().into_iter().find(|(n, _)| *n == name).unwrap().1;
    jsonschema::validator_for(&schema).unwrap()
}

fn assert_valid(validator: &jsonschema::Validator, value: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}:\n{}", errors.join("\n"));
}

fn packs() -> Vec<(String, String)> {
    std::fs::read_to_string(root().join("examples/packs.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut parts = l.split_whitespace();
            (
                parts.next().unwrap().to_string(),
                parts.next().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn example_policies_tickets_and_evaluations_validate() {
    let (policy_schema, ticket_schema, evaluation_schema) = (
        validator("policy"),
        validator("ticket"),
        validator("evaluation"),
    );
    for (pack, as_of) in packs() {
        let policy_path = root().join(format!("examples/policies/{pack}.toml"));
        let manifest: toml::Value =
            toml::from_str(&std::fs::read_to_string(&policy_path).unwrap()).unwrap();
        assert_valid(
            &policy_schema,
            &serde_json::to_value(manifest).unwrap(),
            &format!("{pack}.toml"),
        );
        let policy = Policy::from_path(&policy_path).unwrap();
        let as_of = as_of.parse().unwrap();
        let tickets =
            std::fs::read_to_string(root().join(format!("examples/tickets/{pack}.jsonl"))).unwrap();
        for line in tickets.lines().filter(|l| !l.trim().is_empty()) {
            let value: Value = serde_json::from_str(line).unwrap();
            assert_valid(
                &ticket_schema,
                &value,
                &format!("{pack} ticket {}", value["id"]),
            );
            let evaluation: Evaluation = policy
                .evaluate(&Ticket::from_json(line).unwrap(), as_of)
                .unwrap();
            assert_valid(
                &evaluation_schema,
                &serde_json::to_value(&evaluation).unwrap(),
                &format!("{pack} evaluation {}", value["id"]),
            );
        }
    }
}

#[test]
fn the_ticket_schema_refuses_money_as_a_number() {
    let ticket: Value = serde_json::from_str(
        r#"{"id":"T","opened_at":"2026-03-02T08:00:00+08:00","product":{"price":1299.0}}"#,
    )
    .unwrap();
    assert!(!validator("ticket").is_valid(&ticket));
}
