//! The line limit of calls that give none (the C library, the Python
//! wheel): `AFTERSALES_MAX_LINE_BYTES`, read at each call, the same for a
//! ticket alone and in a batch; a value that is no limit is an error entry,
//! never a default taken in its place. One test, because the variable is
//! the process's.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use aftersales::api;
use aftersales::{EvaluateOptions, Policy};

const SMALL: &str = r#"{"id":"A-1","opened_at":"2026-03-02T09:00:00+08:00"}"#;

fn big() -> String {
    // The id "A-1" (3 bytes) becomes "B-" and x's: 300 bytes in all.
    let pad = "x".repeat(300 + 3 - 2 - SMALL.len());
    SMALL.replace("A-1", &format!("B-{pad}"))
}

#[test]
fn the_environment_sets_the_limit_of_calls_that_give_none() {
    let policy = Policy::from_path("../tests/conformance/policies/small.toml").unwrap();
    let as_of = Some("2026-03-02T10:00:00+08:00".parse().unwrap());
    let options = EvaluateOptions::default();
    let big = big();
    assert_eq!(big.len(), 300);
    let batch = format!("{SMALL}\n{big}\n");

    // Unset: 1 MiB, both tickets answered.
    std::env::remove_var(api::MAX_LINE_BYTES_VARIABLE);
    let lines = api::evaluate_batch_json(&policy, batch.as_bytes(), as_of, options);
    assert_eq!(lines.lines().count(), 2);
    assert!(lines.lines().all(|l| l.starts_with(r#"{"ticket":""#)));

    // 200 bytes: the first ticket (52 bytes) is read, the second (300) is
    // an error entry at its place, in a batch and alone.
    std::env::set_var(api::MAX_LINE_BYTES_VARIABLE, "200");
    let lines = api::evaluate_batch_json(&policy, batch.as_bytes(), as_of, options);
    let lines: Vec<&str> = lines.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with(r#"{"ticket":"A-1""#));
    assert!(lines[1].contains(
        "ticket 2 (line 2, column 1) is longer than the limit of 200 bytes (max_line_bytes); the rest of the input is not read"
    ));
    let alone = api::evaluate(&policy, &big, as_of, options).unwrap_err();
    assert_eq!(
        alone.message,
        "the ticket is 300 bytes, longer than the limit of 200 bytes (max_line_bytes)"
    );
    assert!(api::evaluate(&policy, SMALL, as_of, options).is_ok());

    // No limit: every call says so, naming the variable.
    for bad in ["abc", "0", "1073741825", ""] {
        std::env::set_var(api::MAX_LINE_BYTES_VARIABLE, bad);
        let expected = format!(
            "AFTERSALES_MAX_LINE_BYTES `{bad}` is not a whole number of bytes from 1 to 1073741824"
        );
        let lines = api::evaluate_batch_json(&policy, batch.as_bytes(), as_of, options);
        assert_eq!(lines.lines().count(), 1, "{bad}");
        assert!(lines.contains(&expected), "{lines}");
        let alone = api::evaluate(&policy, SMALL, as_of, options).unwrap_err();
        assert_eq!(alone.message, expected);
        assert!(api::report_json(&policy, batch.as_bytes(), as_of).contains(&expected));
    }
    std::env::remove_var(api::MAX_LINE_BYTES_VARIABLE);
}
