//! The `aftersales` binary on the example packs and on bad input.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aftersales"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input
        .write_all(stdin.unwrap_or_default().as_bytes())
        .unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

const POLICY: &str = "examples/policies/hot_water_meter.toml";
const AS_OF: &str = "2026-03-03T12:00:00+08:00";

#[test]
fn check_accepts_the_example_policies() {
    for pack in ["hot_water_meter", "smart_home", "online_retail"] {
        let out = run(&["check", &format!("examples/policies/{pack}.toml")], None);
        assert!(
            out.status.success(),
            "{pack}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains(": ok: policy "));
    }
}

#[test]
fn check_reports_errors_with_their_location_and_fails() {
    let dir = std::env::temp_dir().join(format!("aftersales-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.toml");
    std::fs::write(
        &path,
        "[policy]\nid = \"bad\"\nversion = \"1\"\ntimezone = \"Asia/Shanghai\"\n\n[[targets]]\nmetric = \"m\"\nstop = \"resolved\"\ncalendar = \"office\"\ntarget = \"1h\"\n",
    )
    .unwrap();
    let out = run(&["check", path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        // line 9 is `calendar = "office"`; the value after 11 characters.
        stdout.contains(
            "error[policy]: `targets[0].calendar` (line 9, column 12): unknown calendar `office`"
        ),
        "{stdout}"
    );
}

#[test]
fn eval_writes_one_json_line_per_ticket() {
    let out = run(
        &[
            "eval",
            POLICY,
            "examples/tickets/hot_water_meter.jsonl",
            "--as-of",
            AS_OF,
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tickets =
        std::fs::read_to_string(root().join("examples/tickets/hot_water_meter.jsonl")).unwrap();
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines.len(),
        tickets.lines().filter(|l| !l.trim().is_empty()).count()
    );
    assert!(lines.iter().all(|l| l["policy"]["digest"]
        .as_str()
        .unwrap()
        .starts_with("sha256:")));
    assert!(lines.iter().all(|l| l["as_of"] == AS_OF));
}

#[test]
fn one_bad_ticket_does_not_lose_the_others() {
    let input = r#"[
        {"id": "OK-1", "opened_at": "2026-03-03T09:00:00+08:00", "channel": "hotline"},
        {"id": "BAD-1", "opened_at": "2026-03-03T09:00:00+08:00", "work": {"parts": [{"sku": "X", "qty": -1, "unit_price": "1.00"}]}},
        {"id": "OK-2", "opened_at": "2026-03-03T10:00:00+08:00"}
    ]"#;
    let out = run(&["eval", POLICY, "-", "--as-of", AS_OF], Some(input));
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["ticket"], "OK-1");
    assert_eq!(lines[1]["error"]["field"], "work.parts[0].qty");
    assert_eq!(lines[1]["ticket"], "BAD-1");
    assert_eq!(lines[2]["ticket"], "OK-2");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("ticket at position 2: ticket `BAD-1`, field `work.parts[0].qty`"),
        "{stderr}"
    );
}

#[test]
fn csv_has_a_header_and_a_row_per_metric() {
    let input = r#"{"id": "C-1", "opened_at": "2026-03-03T09:00:00+08:00", "channel": "hotline"}"#;
    let out = run(
        &["eval", POLICY, "-", "--as-of", AS_OF, "--format", "csv"],
        Some(input),
    );
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("ticket,severity,metric,status,deadline,elapsed,remaining,overdue,warranty,payable,error")
    );
    assert_eq!(
        lines.count(),
        5,
        "one row per metric of the meter policy: {text}"
    );
}

#[test]
fn explain_names_the_rules_that_fired() {
    let tickets =
        std::fs::read_to_string(root().join("examples/tickets/hot_water_meter.jsonl")).unwrap();
    let first: serde_json::Value = serde_json::from_str(tickets.lines().next().unwrap()).unwrap();
    let id = first["id"].as_str().unwrap();
    let out = run(
        &[
            "explain",
            POLICY,
            id,
            "examples/tickets/hot_water_meter.jsonl",
            "--as-of",
            AS_OF,
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("Ticket {id} — policy hot-water-meter")),
        "{text}"
    );
    assert!(text.contains("Rules that fired, in order:"), "{text}");
    assert!(text.contains("severity()"), "{text}");
}

#[test]
fn bad_arguments_exit_2_with_a_one_line_reason() {
    let out = run(&["eval", POLICY, "-", "--as-of", "yesterday"], Some(""));
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("aftersales: --as-of `yesterday` is not an RFC 3339 instant"),
        "{stderr}"
    );
    let out = run(&["eval", "examples/policies/missing.toml", "-"], Some(""));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .starts_with("aftersales: cannot read `examples/policies/missing.toml`"));
}

#[test]
fn explain_reports_why_a_ticket_is_invalid() {
    let input = r#"{"id":"X","opened_at":"2026-03-03T09:00:00+08:00","events":[{"at":"2026-03-03T08:00:00+08:00","kind":"answered"}]}"#;
    let out = run(
        &["explain", POLICY, "X", "-", "--as-of", AS_OF],
        Some(input),
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.trim_end(),
        "aftersales: ticket `X`, field `events[0].at`: `answered` event at 2026-03-03T08:00:00+08:00 is before the ticket opened at 2026-03-03T09:00:00+08:00"
    );
}

#[test]
fn fuzz_passes_on_an_example_pack_and_finds_a_planted_contradiction() {
    let out = run(&["fuzz", POLICY, "--cases", "100", "--seed", "5"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("ok: 100 generated ticket(s) (seed 5) hold every invariant and 4 properties"));

    let planted = "tests/data/fuzz_contradiction.toml";
    let out = run(&["fuzz", planted, "--cases", "300", "--seed", "5"], None);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("property failed: critical tickets are answered within a minute"),
        "{stdout}"
    );
    assert!(
        stdout.contains("counter-example (shrunk), seed 5:"),
        "{stdout}"
    );
    assert!(
        stdout.contains("\"severity\": {\n    \"level\": \"critical\""),
        "{stdout}"
    );
}

/// A reader that goes away (`aftersales … | head -1`) ends the command
/// quietly: no panic, no error message.
#[test]
fn a_closed_pipe_is_not_a_panic() {
    use std::io::{BufRead, BufReader};
    // Enough tickets that the output outgrows any pipe buffer.
    let tickets =
        std::fs::read_to_string(root().join("examples/tickets/hot_water_meter.jsonl")).unwrap();
    let many = tickets.repeat(200);
    let mut child = Command::new(env!("CARGO_BIN_EXE_aftersales"))
        .args(["eval", POLICY, "-", "--as-of", AS_OF])
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(many.as_bytes());
    });
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("{\"ticket\":\"HWM-"), "{first}");
    // The reader is gone: stdout was dropped with the BufReader.
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

/// `explain` refuses to pick one of two tickets with the same id.
#[test]
fn explain_refuses_a_duplicate_id() {
    let ticket = r#"{"id":"DUP","opened_at":"2026-03-02T08:00:00+08:00"}"#;
    let out = run(
        &["explain", POLICY, "DUP", "-", "--as-of", AS_OF],
        Some(&format!("{ticket}\n{ticket}\n")),
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "aftersales: two tickets have the id `DUP` in `-` (positions 1 and 2): explain needs one\n"
    );
}

// ---------------------------------------------------------------------------
// Bounds, options and safe output (issue 20).
// ---------------------------------------------------------------------------

fn run_env(args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_aftersales"));
    command
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    input
        .write_all(stdin.unwrap_or_default().as_bytes())
        .unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

#[test]
fn endless_tickets_are_one_located_error_at_once() {
    let started = std::time::Instant::now();
    let out = run(&["eval", POLICY, "/dev/zero", "--as-of", AS_OF], None);
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let answer: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(stdout.lines().count(), 1);
    assert_eq!(
        answer["error"]["message"],
        "ticket 1 (line 1, column 1) is longer than the limit of 1048576 bytes (max_line_bytes); the rest of the input is not read"
    );
    assert_eq!(
        answer["error"]["location"],
        serde_json::json!({"path": "", "line": 1, "column": 1})
    );
}

#[test]
fn endless_policy_is_a_located_error_at_once() {
    let out = run(&["check", "/dev/zero"], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "/dev/zero: error[io]: cannot read `/dev/zero`: the file is larger than the limit of 4194304 bytes (raise it with AFTERSALES_MAX_POLICY_BYTES)\n"
    );
    let out = run(&["eval", "/dev/zero", "-", "--as-of", AS_OF], Some(""));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "aftersales: cannot read `/dev/zero`: the file is larger than the limit of 4194304 bytes (raise it with AFTERSALES_MAX_POLICY_BYTES)\n"
    );
}

#[test]
fn the_policy_limit_is_raised_or_refused_by_its_variable() {
    // The hot water meter's manifest is a few KB: 100 bytes is too few.
    let out = run_env(
        &["check", POLICY],
        None,
        &[("AFTERSALES_MAX_POLICY_BYTES", "100")],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains(
        "cannot read `examples/policies/hot_water_meter.toml`: the file is larger than the limit of 100 bytes (raise it with AFTERSALES_MAX_POLICY_BYTES)"
    ));
    for bad in ["abc", "0", "-1", "", "1073741825"] {
        let out = run_env(
            &["check", POLICY],
            None,
            &[("AFTERSALES_MAX_POLICY_BYTES", bad)],
        );
        assert_eq!(out.status.code(), Some(1), "{bad}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains(&format!(
                "AFTERSALES_MAX_POLICY_BYTES `{bad}` is not a whole number of bytes from 1 to 1073741824"
            )),
            "{bad}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    let out = run_env(
        &["check", POLICY],
        None,
        &[("AFTERSALES_MAX_POLICY_BYTES", "10000000")],
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn the_line_limit_is_raised_by_flag_or_variable_and_range_checked() {
    // The ticket line is 55 bytes.
    let ticket = "{\"id\":\"LONG-1\",\"opened_at\":\"2026-03-02T09:00:00+08:00\"}\n";
    let out = run(
        &[
            "eval",
            POLICY,
            "-",
            "--as-of",
            AS_OF,
            "--max-line-bytes",
            "54",
        ],
        Some(ticket),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains(
        "ticket 1 (line 1, column 1) is longer than the limit of 54 bytes (max_line_bytes)"
    ));
    let out = run(
        &[
            "eval",
            POLICY,
            "-",
            "--as-of",
            AS_OF,
            "--max-line-bytes",
            "55",
        ],
        Some(ticket),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = run_env(
        &["eval", POLICY, "-", "--as-of", AS_OF],
        Some(ticket),
        &[("AFTERSALES_MAX_LINE_BYTES", "54")],
    );
    assert_eq!(out.status.code(), Some(1));
    for bad in ["0", "1073741825", "abc", "-5"] {
        let flag = format!("--max-line-bytes={bad}");
        let out = run(
            &["eval", POLICY, "-", "--as-of", AS_OF, &flag],
            Some(ticket),
        );
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.starts_with(&format!(
                "error: invalid value '{bad}' for '--max-line-bytes <MAX_LINE_BYTES>'"
            )),
            "{stderr}"
        );
    }
    let out = run_env(
        &["report", POLICY, "-", "--as-of", AS_OF],
        Some(ticket),
        &[("AFTERSALES_MAX_LINE_BYTES", "abc")],
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn numeric_options_are_range_checked_not_panics() {
    for (args, message) in [
        (
            vec!["eval", POLICY, "-", "--chunk", "18446744073709551615"],
            "error: invalid value '18446744073709551615' for '--chunk <CHUNK>': 18446744073709551615 is not in 1..=1000000",
        ),
        (
            vec!["eval", POLICY, "-", "--chunk", "0"],
            "error: invalid value '0' for '--chunk <CHUNK>': 0 is not in 1..=1000000",
        ),
        (
            vec!["report", POLICY, "-", "--chunk", "1000001"],
            "error: invalid value '1000001' for '--chunk <CHUNK>': 1000001 is not in 1..=1000000",
        ),
        (
            vec!["fuzz", POLICY, "--cases", "0"],
            "error: invalid value '0' for '--cases <CASES>': 0 is not in 1..=10000000",
        ),
    ] {
        let out = run(&args, Some(""));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.starts_with(message), "{stderr}");
    }
    let out = run(
        &["eval", POLICY, "-", "--as-of", AS_OF, "--chunk", "1000000"],
        Some(""),
    );
    assert_eq!(out.status.code(), Some(0));
}

/// A ticket whose id a spreadsheet would run, and one with terminal escapes.
const HOSTILE: &str = "{\"id\":\"=cmd|' /C calc'!A0\",\"opened_at\":\"2026-03-03T09:00:00+08:00\",\"channel\":\"hotline\"}\n{\"id\":\"\\u001b[31mRED\\r-1\",\"opened_at\":\"2026-03-03T09:00:00+08:00\",\"channel\":\"hotline\"}\n";

#[test]
fn csv_cells_that_a_spreadsheet_would_run_are_neutralised() {
    let out = run(
        &["eval", POLICY, "-", "--as-of", AS_OF, "--format", "csv"],
        Some(HOSTILE),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let first = stdout.lines().nth(1).unwrap();
    assert!(first.starts_with("'=cmd|' /C calc'!A0,"), "{stdout}");
    let out = run(
        &[
            "eval",
            POLICY,
            "-",
            "--as-of",
            AS_OF,
            "--format",
            "csv",
            "--csv-raw",
        ],
        Some(HOSTILE),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let first = stdout.lines().nth(1).unwrap();
    assert!(first.starts_with("=cmd|' /C calc'!A0,"), "{stdout}");
}

#[test]
fn the_table_escapes_control_characters() {
    let out = run(
        &["eval", POLICY, "-", "--as-of", AS_OF, "--format", "table"],
        Some(HOSTILE),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\r'),
        "{stdout:?}"
    );
    assert!(stdout.contains("\\u{1b}[31mRED\\r-1 "), "{stdout}");
}

#[test]
fn a_report_whose_total_overflows_fails_naming_it() {
    let dir = std::env::temp_dir().join(format!("aftersales-overflow-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("parts.toml");
    std::fs::write(
        &path,
        "[policy]\nid = \"parts\"\nversion = \"1\"\ntimezone = \"Asia/Shanghai\"\n[fees]\n[fees.parts]\nmarkup_percent = \"0\"\n",
    )
    .unwrap();
    // 114 parts of 7e26: 7.98e28, past the decimal maximum (about 7.92e28).
    let ticket = "{\"id\":\"A\",\"opened_at\":\"2026-03-02T09:00:00+08:00\",\"work\":{\"parts\":[{\"sku\":\"X\",\"qty\":1,\"unit_price\":\"700000000000000000000000000\"}]}}\n";
    let tickets = ticket.repeat(114);
    let out = run(
        &["report", path.to_str().unwrap(), "-", "--as-of", AS_OF],
        Some(&tickets),
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "aftersales: `money`: the total `money.charged` overflowed the decimal range (at most 79228162514264337593543950335): no figure is reported for it\n"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("charged OVERFLOW"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn explain_on_endless_input_says_why_the_ticket_is_not_found() {
    let out = run(
        &["explain", POLICY, "X", "/dev/zero", "--as-of", AS_OF],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "aftersales: no ticket `X` in `/dev/zero`, which has unreadable input: ticket 1 (line 1, column 1) is longer than the limit of 1048576 bytes (max_line_bytes); the rest of the input is not read\n"
    );
}
