//! The conformance suite (`tests/conformance/`): every case's tickets go
//! through the Rust façade (`aftersales::api`, with the policy loaded from
//! its path and from its texts) and through `aftersales eval`, and each must
//! answer exactly the bytes of the case's expected file. An example pack's
//! hand-worked figures (`figures.jsonl`) are checked against each host's
//! answers too. The C and Python suites run the same cases;
//! `tests/conformance/README.md` gives the format.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "conformance/figures.rs"]
mod figures;

use aftersales::{api, EvaluateOptions, Policy, PolicySource, Ticket};
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
/// file name, as a host holding policies in a database gives them; for a
/// policy set, every other `.toml` file beside it too (its versions).
fn policy_texts(path: &Path) -> PolicySource {
    let manifest = std::fs::read_to_string(path).unwrap();
    let set = manifest.contains("[policy_set]");
    let mut rules = BTreeMap::new();
    for entry in std::fs::read_dir(path.parent().unwrap()).unwrap() {
        let file = entry.unwrap().path();
        let wanted = |e: &std::ffi::OsStr| e == "rhai" || (set && e == "toml" && file != path);
        if file.extension().is_some_and(wanted) {
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            rules.insert(name, std::fs::read_to_string(&file).unwrap());
        }
    }
    PolicySource::Text {
        toml: manifest,
        rules,
    }
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
    let mut batch_answers = Vec::new();
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
        batch_answers.push((how, got.into_bytes()));
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

    batch_answers.push(("aftersales eval", out.stdout));

    if let Some(file) = case["figures"].as_str() {
        let hosts = Hosts {
            policy_path: &policy_path,
            batches: &batch_answers,
            as_of: &as_of_text,
        };
        check_figures(dir, &name, &tickets, file, &hosts, failures);
    }
}

/// What the figures are checked against: the policy, and each host's
/// answers to the case's batch.
struct Hosts<'a> {
    policy_path: &'a Path,
    batches: &'a [(&'static str, Vec<u8>)],
    as_of: &'a str,
}

/// A batch's answers by ticket id.
fn by_ticket(answers: &[u8]) -> BTreeMap<String, Value> {
    answers
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice::<Value>(l).unwrap())
        .map(|v| (v["ticket"].as_str().unwrap_or_default().to_string(), v))
        .collect()
}

/// One ticket alone through `aftersales eval POLICY - --as-of AS_OF`: the
/// answer line as written.
fn cli_alone_text(policy_path: &Path, line: &str, as_of: &str) -> String {
    use std::io::Write as _;
    let mut cli = Command::new(env!("CARGO_BIN_EXE_aftersales"))
        .args([
            "eval",
            &policy_path.to_string_lossy(),
            "-",
            "--as-of",
            as_of,
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    cli.stdin
        .take()
        .unwrap()
        .write_all(line.as_bytes())
        .unwrap();
    String::from_utf8(cli.wait_with_output().unwrap().stdout).unwrap()
}

/// [`cli_alone_text`], the answer read as JSON.
fn cli_alone(policy_path: &Path, line: &str, as_of: &str) -> Value {
    serde_json::from_str(&cli_alone_text(policy_path, line, as_of)).unwrap()
}

/// The case's figures file against every host's answers: each ticket
/// evaluated alone at its `as_of` through the façade and the command line,
/// and the batch answers of each. The pack's `[[properties]]` laws must
/// hold for every ticket, and the figures must cover the pack.
fn check_figures(
    dir: &Path,
    name: &str,
    tickets: &[u8],
    file: &str,
    hosts: &Hosts<'_>,
    failures: &mut Vec<String>,
) {
    let text = String::from_utf8(read(dir, file)).unwrap();
    let figures = match figures::parse(&text) {
        Ok(figures) => figures,
        Err(e) => return failures.push(format!("{name}: {file}: {e}")),
    };
    let lines: BTreeMap<String, &str> = std::str::from_utf8(tickets)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let ticket: Value = serde_json::from_str(l).unwrap();
            (ticket["id"].as_str().unwrap().to_string(), l)
        })
        .collect();
    let ids: Vec<String> = lines.keys().cloned().collect();
    failures.extend(
        figures
            .coverage(&ids)
            .into_iter()
            .map(|p| format!("{name}: {file}: {p}")),
    );
    let policy = Policy::from_path(hosts.policy_path).unwrap();
    let options = EvaluateOptions::default();
    let mut api_alone = BTreeMap::new();
    let mut cli_answers = BTreeMap::new();
    for (id, as_of_text) in &figures.tickets {
        let Some(line) = lines.get(id) else {
            failures.push(format!(
                "{name}: {file}: no ticket {id} in the tickets file"
            ));
            continue;
        };
        if hosts.as_of != as_of_text && figures.figures.iter().any(|f| f.batch && &f.ticket == id) {
            failures.push(format!(
                "{name}: {file}: {id}: a batch figure needs the case's as_of"
            ));
        }
        let as_of: DateTime<Utc> = as_of_text.parse().unwrap();
        let answer = api::evaluate_json(&policy, line, Some(as_of), options);
        api_alone.insert(id.clone(), serde_json::from_str(&answer).unwrap());
        cli_answers.insert(id.clone(), cli_alone(hosts.policy_path, line, as_of_text));
        let ticket = Ticket::from_json(line).unwrap();
        let evaluation = policy.evaluate(&ticket, as_of).unwrap();
        match policy.check_properties(&ticket, &evaluation) {
            Ok(violations) if violations.is_empty() => {}
            other => failures.push(format!("{name}: {id}: properties: {other:?}")),
        }
    }
    let batch = |how: &str| {
        let (_, answers) = hosts.batches.iter().find(|(h, _)| *h == how).unwrap();
        by_ticket(answers)
    };
    for (host, alone, batch) in [
        ("api", &api_alone, batch("api (path)")),
        ("api (texts)", &api_alone, batch("api (texts)")),
        ("aftersales eval", &cli_answers, batch("aftersales eval")),
    ] {
        failures.extend(
            figures
                .check(alone, &batch)
                .into_iter()
                .map(|f| format!("{name}: {host}: {f}")),
        );
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
        let cli = cli_alone_text(policy_path, line, as_of_text);
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

/// The figures can fail: a changed figure, a figure that leads nowhere and
/// a badly written value are caught.
#[test]
fn a_wrong_figure_is_caught() {
    let answer: Value =
        serde_json::from_str(r#"{"ticket":"T","sla":[{"status":"met","deadline":null}]}"#).unwrap();
    let file = |figure: &str| {
        format!("{{\"ticket\":\"T\",\"as_of\":\"2026-01-01T00:00:00Z\"}}\n{figure}\n")
    };
    let check = |figure: &str| {
        let figures = figures::parse(&file(figure)).unwrap();
        let alone = BTreeMap::from([("T".to_string(), answer.clone())]);
        figures.check(&alone, &BTreeMap::new())
    };
    let holds = |pointer: &str, value: &str| {
        check(&format!(
            r#"{{"ticket":"T","pointer":"{pointer}","value":{value}}}"#
        ))
        .is_empty()
    };
    assert!(holds("/sla/0/status", r#""met""#));
    assert!(!holds("/sla/0/status", r#""breached""#));
    assert!(holds("/sla/0/deadline", "null"));
    assert!(holds("/sla/1", "null"));
    assert!(!holds("/sla/0", "null"));
    assert!(!holds("/sla/0/elapsed", r#""PT0S""#));
    assert!(check(r#"{"ticket":"T","pointer":"/sla/0/status","contains":"me"}"#).is_empty());
    assert!(!check(r#"{"ticket":"T","pointer":"/sla/0/status","contains":"x"}"#).is_empty());
    assert!(figures::parse(&file(r#"{"ticket":"T","pointer":"/a","value": "x"}"#)).is_err());
    assert!(figures::parse(&file(r#"{"ticket":"U","pointer":"/a","value":"x"}"#)).is_err());
    assert!(figures::parse(&file(r#"{"ticket":"T","pointer":"/a","valeu":"x"}"#)).is_err());
}
