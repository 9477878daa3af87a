//! Any ticket text against the meter policy: an answer or a located error.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static POLICY: OnceLock<aftersales::Policy> = OnceLock::new();

fuzz_target!(|text: &[u8]| {
    let policy = POLICY.get_or_init(|| {
        aftersales::Policy::from_path("examples/policies/hot_water_meter.toml")
            .unwrap_or_else(|e| panic!("{e}"))
    });
    let as_of = chrono::DateTime::parse_from_rfc3339("2026-03-03T12:00:00+08:00")
        .map(|t| t.to_utc())
        .ok();
    let _ = aftersales::api::evaluate_batch_json(policy, text, as_of, Default::default());
});
