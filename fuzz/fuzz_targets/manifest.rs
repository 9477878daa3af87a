//! Any manifest text: a policy or a located error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = aftersales::Policy::check_source(text, None);
    let _ = aftersales::Policy::from_toml_str(text);
});
