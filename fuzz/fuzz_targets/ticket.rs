//! Any ticket text against the meter policy: an answer or a located error.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
include!("../bodies.rs");

static POLICY: OnceLock<aftersales::Policy> = OnceLock::new();

fuzz_target!(|text: &[u8]| {
    let policy = POLICY.get_or_init(|| {
        aftersales::Policy::from_path("examples/policies/hot_water_meter.toml")
            .unwrap_or_else(|e| panic!("{e}"))
    });
    tickets(policy, text);
});
