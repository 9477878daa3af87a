//! `aftersales::testing`: generated tickets against the engine's invariants
//! and a policy's `[[properties]]` (cargo feature `testing`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use aftersales::testing::{check, fuzz, tickets_with_as_of};
use aftersales::Policy;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::path::Path;

fn load(path: &str) -> Policy {
    Policy::from_path(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

const PACKS: [&str; 3] = ["hot_water_meter", "smart_home", "online_retail"];

/// The example packs hold every invariant and their own properties.
#[test]
fn the_example_packs_pass() {
    for pack in PACKS {
        let policy = load(&format!("../examples/policies/{pack}.toml"));
        let result = fuzz(&policy, 200, 7, &|_| {});
        if let Err(found) = result {
            panic!(
                "{pack}: {}\n{}",
                found.violation,
                serde_json::to_string_pretty(&found.ticket).unwrap()
            );
        }
    }
}

/// Generated tickets are mostly evaluated, not mostly refused: the
/// invariants are checked on real answers.
#[test]
fn generated_tickets_are_evaluated() {
    for pack in PACKS {
        let policy = load(&format!("../examples/policies/{pack}.toml"));
        // A fixed seed: the same 200 tickets on every run.
        let mut runner = TestRunner::new_with_rng(
            Config::with_cases(1),
            TestRng::deterministic_rng(RngAlgorithm::ChaCha),
        );
        let strategy = tickets_with_as_of(&policy);
        let mut evaluated = 0;
        for _ in 0..200 {
            let (ticket, as_of) = strategy.new_tree(&mut runner).unwrap().current();
            if policy.evaluate(&ticket, as_of).is_ok() {
                evaluated += 1;
            }
        }
        assert!(
            evaluated >= 150,
            "{pack}: only {evaluated} of 200 evaluated"
        );
    }
}

/// The planted contradiction is found, shrunk, and found again with the
/// same seed.
#[test]
fn a_planted_contradiction_is_found() {
    let policy = load("../tests/data/fuzz_contradiction.toml");
    let found = fuzz(&policy, 500, 3, &|_| {}).unwrap_err();
    assert_eq!(
        found.violation.property,
        "critical tickets are answered within a minute"
    );
    let ticket = found.ticket.clone().unwrap();
    // Only a critical ticket contradicts the law.
    assert_eq!(
        found.evaluation.as_ref().unwrap().severity.level,
        "critical"
    );
    // The counter-example breaks the law when checked on its own.
    assert!(check(&policy, &ticket, found.as_of.unwrap()).is_err());
    // Same seed, same counter-example.
    let again = fuzz(&policy, 500, 3, &|_| {}).unwrap_err();
    assert_eq!(again.ticket, found.ticket);
}

// The proptest block a policy author adds to fuzz their own policy.
proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_meter_policy_holds_its_laws(
        (ticket, as_of) in tickets_with_as_of(&load("../examples/policies/hot_water_meter.toml"))
    ) {
        let policy = load("../examples/policies/hot_water_meter.toml");
        if let Err(violation) = check(&policy, &ticket, as_of) {
            return Err(TestCaseError::fail(violation.to_string()));
        }
    }
}
