//! Snapshots of full evaluations: every ticket of each example pack
//! (`examples/`), evaluated together at the pack's `as_of`
//! (`examples/packs.txt`) as one batch, so that per-period credit caps
//! apply. One snapshot per pack, in `tests/snapshots/`; review a change with
//! `cargo insta review` (or `INSTA_UPDATE=always cargo test --test snapshots`
//! and `git diff`). The expected figures themselves are worked out by hand
//! in `tests/examples.rs`; these snapshots catch every other change to the
//! answer, down to the words of `because`.
//!
//! Everything in an evaluation is a function of the policy, the ticket and
//! `as_of`: no current time, no path (the policy's digest is of its text).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use aftersales::{Policy, Ticket};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

/// The pack's `as_of` from `examples/packs.txt`.
fn as_of(pack: &str) -> DateTime<Utc> {
    let packs = std::fs::read_to_string(examples().join("packs.txt")).unwrap();
    packs
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .find_map(|l| {
            let mut words = l.split_whitespace();
            (words.next() == Some(pack)).then(|| words.next().unwrap().parse().unwrap())
        })
        .unwrap_or_else(|| panic!("{pack} is not listed in examples/packs.txt"))
}

/// Every evaluation of a pack, in ticket order, as JSON.
fn evaluations(pack: &str) -> Vec<Value> {
    let dir = examples();
    let policy = Policy::from_path(dir.join(format!("policies/{pack}.toml"))).unwrap();
    let text = std::fs::read_to_string(dir.join(format!("tickets/{pack}.jsonl"))).unwrap();
    let tickets: Vec<Ticket> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| Ticket::from_json(l).unwrap())
        .collect();
    // Through one portfolio, in file order, so per-period credit caps apply
    // as a month's report would apply them.
    let mut portfolio = aftersales::Portfolio::new(&policy);
    policy
        .evaluate_many(&tickets, as_of(pack))
        .into_iter()
        .zip(&tickets)
        .map(|(mut result, ticket)| {
            portfolio.add(ticket, &mut result);
            result
        })
        .zip(&tickets)
        .map(|(result, ticket)| match result {
            Ok(evaluation) => serde_json::to_value(evaluation).unwrap(),
            Err(e) => panic!("{pack}: {}: {e}", ticket.id),
        })
        .collect()
}

#[test]
fn hot_water_meter() {
    insta::assert_json_snapshot!(evaluations("hot_water_meter"));
}

#[test]
fn smart_home() {
    insta::assert_json_snapshot!(evaluations("smart_home"));
}

#[test]
fn online_retail() {
    insta::assert_json_snapshot!(evaluations("online_retail"));
}
