//! The meter pack written without Rhai (benches/policies/
//! hot_water_meter_declarative.toml) gives the pack's answers on every
//! example ticket, but for the wording of its reasons and the policy it
//! names: the benchmark compares like with like.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use aftersales::{Policy, Ticket};
use serde_json::Value;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// The answer without `because` (anywhere) and without `policy`.
fn decisions(mut value: Value) -> Value {
    fn strip(value: &mut Value) {
        match value {
            Value::Object(map) => {
                map.remove("because");
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut value);
    value.as_object_mut().unwrap().remove("policy");
    value
}

#[test]
fn the_declarative_meter_pack_decides_as_the_scripted_one() {
    let scripted =
        Policy::from_path(root().join("examples/policies/hot_water_meter.toml")).unwrap();
    let declarative =
        Policy::from_path(root().join("benches/policies/hot_water_meter_declarative.toml"))
            .unwrap();
    let as_of = "2026-03-03T04:00:00Z".parse().unwrap();
    let text =
        std::fs::read_to_string(root().join("examples/tickets/hot_water_meter.jsonl")).unwrap();
    let mut compared = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let ticket = Ticket::from_json(line).unwrap();
        let a = serde_json::to_value(scripted.evaluate(&ticket, as_of).unwrap()).unwrap();
        let b = serde_json::to_value(declarative.evaluate(&ticket, as_of).unwrap()).unwrap();
        assert_eq!(decisions(a), decisions(b), "{}", ticket.id);
        compared += 1;
    }
    assert_eq!(
        compared,
        text.lines().filter(|l| !l.trim().is_empty()).count()
    );
    assert!(compared > 20);
}

/// The manifest without what the declarative version writes differently.
fn common(path: &str) -> toml::Table {
    let mut table: toml::Table = std::fs::read_to_string(root().join(path))
        .unwrap()
        .parse()
        .unwrap();
    table.remove("severity");
    let policy = table["policy"].as_table().unwrap().clone();
    let mut policy = policy;
    policy.remove("id");
    policy.remove("rules");
    table.insert("policy".into(), toml::Value::Table(policy));
    for target in table
        .get_mut("targets")
        .and_then(toml::Value::as_array_mut)
        .unwrap()
    {
        let target = target.as_table_mut().unwrap();
        if target["metric"].as_str() == Some("resolve") {
            for key in ["target", "target_by", "when"] {
                target.remove(key);
            }
        }
    }
    table
}

#[test]
fn the_declarative_meter_pack_follows_the_pack() {
    // Everything but the severity and the resolve target is the pack's
    // manifest: a change to the pack must be made to both.
    assert_eq!(
        common("benches/policies/hot_water_meter_declarative.toml"),
        common("examples/policies/hot_water_meter.toml")
    );
}
