//! The conformance suite (`tests/conformance/`): every case's tickets go
//! through the Rust façade (`aftersales::api`, with the policy loaded from
//! its path and from its texts) and through `aftersales eval`, and each must
//! answer exactly the bytes of the case's expected file. The C and Python
//! suites run the same cases; `tests/conformance/README.md` gives the format.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use aftersales::{api, EvaluateOptions, PolicySource};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/conformance/cases")
}

/// A file named by a case, relative to the case's directory; a missing file
/// fails the test.
fn read(dir: &Path, name: &str) -> Vec<u8> {
    let path = dir.join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The first line where two answers differ, for a readable failure.
fn first_difference(got: &[u8], expected: &[u8]) -> String {
    let got: Vec<&[u8]> = got.split(|b| *b == b'\n').collect();
    let expected: Vec<&[u8]> = expected.split(|b| *b == b'\n').collect();
    for (i, (g, e)) in got.iter().zip(&expected).enumerate() {
        if g != e {
            return format!(
                "line {}:\n   got: {}\nexpected: {}",
                i + 1,
                String::from_utf8_lossy(g),
                String::from_utf8_lossy(e)
            );
        }
    }
    format!("{} lines, expected {}", got.len(), expected.len())
}

/// The policy as texts: the manifest and every `.rhai` file beside it, by
/// file name, as a host holding policies in a database gives them.
fn policy_texts(path: &Path) -> PolicySource {
    let manifest = std::fs::read_to_string(path).unwrap();
    let mut rules = BTreeMap::new();
    for entry in std::fs::read_dir(path.parent().unwrap()).unwrap() {
        let file = entry.unwrap().path();
        if file.extension().is_some_and(|e| e == "rhai") {
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            rules.insert(name, std::fs::read_to_string(&file).unwrap());
        }
    }
    PolicySource::Text {
        toml: manifest,
        rules,
    }
}

/// The JSON value of an insta snapshot file (after its `---` header).
fn snapshot_value(text: &str) -> Value {
    let body = text.splitn(3, "---\n").nth(2).unwrap();
    serde_json::from_str(body).unwrap()
}

fn run_case(dir: &Path, failures: &mut Vec<String>) {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let case: Value = serde_json::from_slice(&read(dir, "case.json")).unwrap();
    let field = |key: &str| {
        case[key]
            .as_str()
            .unwrap_or_else(|| panic!("{name}: case.json lacks `{key}`"))
            .to_string()
    };
    let policy_path = dir.join(field("policy"));
    let tickets_name = field("tickets");
    let tickets = read(dir, &tickets_name);
    let expected = read(dir, &field("expected"));
    let as_of_text = field("as_of");
    let as_of: DateTime<Utc> = as_of_text.parse().unwrap();
    assert!(!expected.is_empty(), "{name}: the expected file is empty");

    // Through the façade, the policy from its path and from its texts.
    for (how, source) in [
        ("api (path)", PolicySource::Path(policy_path.clone())),
        ("api (texts)", policy_texts(&policy_path)),
    ] {
        let policy =
            api::load_policy(&source).unwrap_or_else(|e| panic!("{name}: {how}: {}", e.message));
        let got =
            api::evaluate_batch_json(&policy, &tickets, Some(as_of), EvaluateOptions::default());
        if got.as_bytes() != expected.as_slice() {
            failures.push(format!(
                "{name}: {how}: {}",
                first_difference(got.as_bytes(), &expected)
            ));
        }
    }

    // Through the command line, from the case's directory.
    let out = Command::new(env!("CARGO_BIN_EXE_aftersales"))
        .current_dir(dir)
        .args([
            "eval",
            &field("policy"),
            &tickets_name,
            "--as-of",
            &as_of_text,
        ])
        .output()
        .unwrap();
    if out.stdout != expected {
        failures.push(format!(
            "{name}: aftersales eval: {}",
            first_difference(&out.stdout, &expected)
        ));
    }
    // Exit status 1 exactly when some ticket got an error envelope.
    let errors = expected
        .split(|b| *b == b'\n')
        .any(|line| line.starts_with(b"{\"position\":"));
    let code = out.status.code();
    if code != Some(i32::from(errors)) {
        failures.push(format!("{name}: aftersales eval exited with {code:?}"));
    }

    if let Some(file) = case["alone"].as_str() {
        check_alone(
            dir,
            &name,
            &policy_path,
            &tickets,
            (as_of, &as_of_text),
            file,
            failures,
        );
    }

    // An example pack's answers are the reviewed snapshot, value by value.
    if let Some(file) = case["snapshot"].as_str() {
        let snapshot = snapshot_value(&String::from_utf8(read(dir, file)).unwrap());
        let answers: Vec<Value> = expected
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .map(|l| serde_json::from_slice(l).unwrap())
            .collect();
        if Value::Array(answers) != snapshot {
            failures.push(format!("{name}: expected answers differ from {file}"));
        }
    }
}

/// Every ticket of a case alone: through the façade's single call, as a
/// batch of one, and through `aftersales eval` given that ticket alone;
/// each must be the line of the case's `alone` file, byte for byte.
/// `UPDATE_ALONE=1` writes the file from the façade's single call.
fn check_alone(
    dir: &Path,
    name: &str,
    policy_path: &Path,
    tickets: &[u8],
    (as_of, as_of_text): (DateTime<Utc>, &str),
    file: &str,
    failures: &mut Vec<String>,
) {
    let policy = api::load_policy(&PolicySource::Path(policy_path.to_path_buf())).unwrap();
    let options = EvaluateOptions::default();
    let lines: Vec<&str> = std::str::from_utf8(tickets)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    if std::env::var_os("UPDATE_ALONE").is_some() {
        let mut out = String::new();
        for line in &lines {
            out.push_str(&api::evaluate_json(&policy, line, Some(as_of), options));
            out.push('\n');
        }
        std::fs::write(dir.join(file), out).unwrap();
    }
    let expected = String::from_utf8(read(dir, file)).unwrap();
    let expected: Vec<&str> = expected.lines().collect();
    if expected.len() != lines.len() {
        failures.push(format!(
            "{name}: {file} has {} answers for {} tickets",
            expected.len(),
            lines.len()
        ));
        return;
    }
    for (line, want) in lines.iter().zip(&expected) {
        let single = api::evaluate_json(&policy, line, Some(as_of), options);
        let batch = api::evaluate_batch_json(&policy, line.as_bytes(), Some(as_of), options);
        let mut cli = Command::new(env!("CARGO_BIN_EXE_aftersales"))
            .args([
                "eval",
                &policy_path.to_string_lossy(),
                "-",
                "--as-of",
                as_of_text,
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        {
            use std::io::Write as _;
            let mut stdin = cli.stdin.take().unwrap();
            stdin.write_all(line.as_bytes()).unwrap();
        }
        let cli = String::from_utf8(cli.wait_with_output().unwrap().stdout).unwrap();
        for (how, got) in [
            ("api::evaluate_json", single.as_str()),
            (
                "api::evaluate_batch_json of one",
                batch.trim_end_matches('\n'),
            ),
            ("aftersales eval of one", cli.trim_end_matches('\n')),
        ] {
            if got != *want {
                failures.push(format!(
                    "{name}: {how} differs from {file}:\n   got: {got}\nexpected: {want}"
                ));
            }
        }
    }
}

#[test]
fn every_conformance_case_answers_the_expected_bytes() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    // Three example packs and six small cases: a case that disappears fails.
    assert!(dirs.len() >= 9, "{} conformance cases", dirs.len());
    let mut failures = Vec::new();
    for dir in &dirs {
        run_case(dir, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The runner can fail: a changed expected byte is caught.
#[test]
fn a_changed_answer_is_a_difference() {
    let expected = read(&cases_dir().join("per_ticket_as_of"), "expected.jsonl");
    let mut changed = expected.clone();
    let at = changed.iter().position(|b| *b == b'1').unwrap();
    changed[at] = b'2';
    assert!(first_difference(&changed, &expected).starts_with("line 1:"));
}
