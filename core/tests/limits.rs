//! Limits that decide an answer count work, never time (issue 20): the
//! example packs' peak operations per rule call against the default
//! operation limit, the operation limit and the wall-clock backstop as two
//! different errors, the settings that change them refused out of range
//! with a message naming the accepted range, and the policy-size limits.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use aftersales::{rule_limits, Error, ErrorKind, Policy, Ticket};
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

/// Every pack of `examples/packs.txt` with its `as_of`.
fn packs() -> Vec<(String, DateTime<Utc>)> {
    let text = std::fs::read_to_string(examples().join("packs.txt")).unwrap();
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut words = l.split_whitespace();
            let name = words.next().unwrap().to_string();
            let as_of = words.next().unwrap().parse().unwrap();
            (name, as_of)
        })
        .collect()
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

// ---------------------------------------------------------------- operations

/// The most operations one rule call of each example pack performs, on its
/// own tickets at its `as_of` with its properties checked, and on 300
/// generated tickets per pack. Measured: hot_water_meter 41, smart_home 91,
/// online_retail 28 (see `docs/policy.md`, "Limits"); the default limit of
/// 10,000 is more than 100 times the largest.
#[test]
fn the_example_packs_stay_far_below_the_operation_limit() {
    let mut peaks = Vec::new();
    for (name, as_of) in packs() {
        let policy = Policy::from_path(examples().join(format!("policies/{name}.toml"))).unwrap();
        assert_eq!(policy.rule_operation_limit(), rule_limits::OPERATIONS);
        let text = std::fs::read_to_string(examples().join(format!("tickets/{name}.jsonl"))).unwrap();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let ticket = Ticket::from_json(line).unwrap();
            let evaluation = policy.evaluate(&ticket, as_of).unwrap();
            policy.check_properties(&ticket, &evaluation).unwrap();
        }
        let own = policy.peak_rule_operations();
        #[cfg(feature = "testing")]
        aftersales::testing::fuzz(&policy, 300, 20, &|_| {})
            .map_err(|e| e.violation.to_string())
            .unwrap();
        let generated = policy.peak_rule_operations();
        eprintln!("{name}: peak {own} operations on its tickets, {generated} on generated ones");
        peaks.push((name, own, generated));
    }
    for (name, own, generated) in &peaks {
        assert!(*own > 0, "{name}: no rule ran");
        assert!(
            generated.saturating_mul(100) <= rule_limits::OPERATIONS,
            "{name}: {generated} operations in one call leave less than 100 times margin"
        );
        assert!(own <= generated);
    }
}
