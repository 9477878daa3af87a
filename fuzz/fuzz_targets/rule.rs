//! Any Rhai severity rule: it compiles and runs under its limits or fails
//! with a located error; it never hangs or reaches outside.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|script: &str| {
    let manifest = format!(
        "[policy]\nid = \"f\"\nversion = \"1\"\ncurrency = \"CNY\"\ntimezone = \"Asia/Shanghai\"\n\
         script = {:?}\n[severity]\nlevels = [\"high\", \"normal\"]\ndefault = \"normal\"\nrule = \"severity\"\n",
        format!("fn severity(ticket) {{ {script} }}")
    );
    if let Ok(policy) = aftersales::Policy::from_toml_str(&manifest) {
        let ticket = aftersales::Ticket::from_json(
            r#"{"id":"T","opened_at":"2026-03-02T08:00:00+08:00","channel":"hotline"}"#,
        );
        if let Ok(ticket) = ticket {
            let as_of = ticket.opened_at_utc();
            let _ = policy.evaluate(&ticket, as_of);
        }
    }
});
