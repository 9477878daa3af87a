//! Any duration text in a target: a policy or a located error.
#![no_main]
use libfuzzer_sys::fuzz_target;
include!("../bodies.rs");

fuzz_target!(|text: &str| duration(text));
