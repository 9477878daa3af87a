//! The cargo-fuzz targets (`fuzz/`, nightly) on the stable toolchain, for a
//! fixed budget in the test command: each target's body (`fuzz/bodies.rs`)
//! gets the example files it starts from, then generated variants of them
//! (bytes cut, doubled, replaced) and random text, under a fixed seed. A
//! panic or a hang fails the test; every input must give an answer or a
//! located error.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    dead_code
)]

include!("../../fuzz/bodies.rs");

use proptest::prelude::*;
use std::path::Path;

/// Generated inputs per target: the budget of the test command.
const CASES: u32 = 64;

fn read(path: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)).unwrap()
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: CASES,
        rng_seed: proptest::test_runner::RngSeed::Fixed(20_261_207),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// `seed` with one random edit: a span cut, doubled, or replaced by
/// random bytes.
fn edited(seed: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let len = seed.len().max(1);
    (
        0..len,
        0..len.min(64),
        0u8..3,
        proptest::collection::vec(any::<u8>(), 0..16),
    )
        .prop_map(move |(at, span, how, noise)| {
            let mut out = seed.clone();
            let at = at.min(out.len());
            let end = (at + span).min(out.len());
            match how {
                0 => {
                    out.drain(at..end);
                }
                1 => {
                    let copy = out[at..end].to_vec();
                    out.splice(at..at, copy);
                }
                _ => {
                    out.splice(at..end, noise);
                }
            }
            out
        })
}

#[test]
fn manifests() {
    for pack in ["hot_water_meter", "smart_home", "online_retail"] {
        let text = read(&format!("examples/policies/{pack}.toml"));
        manifest(&String::from_utf8_lossy(&text));
        proptest!(config(), |(bytes in edited(text.clone()))| {
            manifest(&String::from_utf8_lossy(&bytes));
        });
    }
}

#[test]
fn durations() {
    for seed in ["4h", "2bd", "1h 30m", "PT1M", "1d", "0.5h"] {
        duration(seed);
    }
    proptest!(config(), |(text in "[0-9a-zA-Z .:+-]{0,24}")| duration(&text));
}

#[test]
fn rules() {
    for seed in [
        "\"high\"",
        "if ticket.channel == \"hotline\" { \"high\" } else { \"normal\" }",
        "loop {}",
        "let a = []; for i in 0..100000 { a.push(i); } \"high\"",
        "severity(ticket)",
    ] {
        rule(seed);
    }
    proptest!(config(), |(script in "[a-z0-9 (){}\\[\\];=+*\"<>.,]{0,48}")| rule(&script));
}

#[test]
fn ticket_streams() {
    let policy = aftersales::Policy::from_path(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/policies/hot_water_meter.toml"),
    )
    .unwrap();
    let text = read("examples/tickets/hot_water_meter.jsonl");
    tickets(&policy, &text);
    proptest!(config(), |(bytes in edited(text.clone()))| tickets(&policy, &bytes));
}
