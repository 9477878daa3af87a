//! Any manifest text: a policy or a located error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
include!("../bodies.rs");

fuzz_target!(|text: &str| manifest(text));
