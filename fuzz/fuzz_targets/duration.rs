//! Any duration text in a target: a policy or a located error.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let manifest = format!(
        "[policy]\nid = \"f\"\nversion = \"1\"\ncurrency = \"CNY\"\ntimezone = \"Asia/Shanghai\"\n\
         [[targets]]\nmetric = \"m\"\nstop = \"resolved\"\ntarget = {:?}\n",
        text
    );
    let _ = aftersales::Policy::from_toml_str(&manifest);
});
