// The bodies of the fuzz targets, one function each: the cargo-fuzz
// targets (nightly) call them with libFuzzer's inputs, and
// `core/tests/fuzz_targets.rs` calls them on the stable toolchain with a
// fixed budget of generated inputs in the test command. Each must return
// (an answer or a located error) and never panic or hang.

/// Any manifest text: a policy or a located error.
pub fn manifest(text: &str) {
    let _ = aftersales::Policy::check_source(text, None);
    let _ = aftersales::Policy::from_toml_str(text);
}

/// Any duration text in a target: a policy or a located error.
pub fn duration(text: &str) {
    let manifest = format!(
        "[policy]\nid = \"f\"\nversion = \"1\"\ncurrency = \"CNY\"\ntimezone = \"Asia/Shanghai\"\n\
         [[targets]]\nmetric = \"m\"\nstop = \"resolved\"\ntarget = {:?}\n",
        text
    );
    let _ = aftersales::Policy::from_toml_str(&manifest);
}

/// Any Rhai severity rule: it compiles and runs under its limits or fails
/// with a located error; it never hangs or reaches outside.
pub fn rule(script: &str) {
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
}

/// Any ticket bytes against a policy: an answer or a located error per
/// ticket.
pub fn tickets(policy: &aftersales::Policy, text: &[u8]) {
    let as_of = chrono::DateTime::parse_from_rfc3339("2026-03-03T12:00:00+08:00")
        .map(|t| t.to_utc())
        .ok();
    let _ = aftersales::api::evaluate_batch_json(policy, text, as_of, Default::default());
}
