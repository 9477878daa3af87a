//! Any Rhai severity rule: it compiles and runs under its limits or fails
//! with a located error; it never hangs or reaches outside.
#![no_main]
use libfuzzer_sys::fuzz_target;
include!("../bodies.rs");

fuzz_target!(|script: &str| rule(script));
