//! Arbitrary policies and tickets, not only valid ones: the example packs'
//! manifests and tickets with random edits (a value replaced by another
//! token, a line dropped or doubled, a character inserted). Whatever the
//! edit, the engine answers or gives an error that says where, never
//! panics, and every call stays within its time bound.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use aftersales::{api, ErrorObject, EvaluateOptions, Policy};
use proptest::prelude::*;
use std::path::Path;
use std::time::{Duration, Instant};

const PACKS: [&str; 3] = ["hot_water_meter", "smart_home", "online_retail"];

/// The longest a compile or a batch of a pack's tickets may take in a
/// debug build on a loaded machine; real calls take milliseconds.
const BOUND: Duration = Duration::from_secs(10);

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)).unwrap()
}

/// A fixed seed, so that the test command is repeatable; change it (or
/// the case count) to explore further.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_seed: proptest::test_runner::RngSeed::Fixed(20_261_130),
        ..ProptestConfig::default()
    }
}

/// Tokens an edit puts in place of a value: other types, extremes, bad
/// durations, instants and amounts, Rhai and TOML syntax.
const TOKENS: &[&str] = &[
    "\"\"",
    "0",
    "-1",
    "1e308",
    "9223372036854775807",
    "\"-9223372036854775s -0.808s\"",
    "\"1h-30m\"",
    "\"4000000000bd\"",
    "\"99999-01-01\"",
    "\"0001-01-01T00:00:00Z\"",
    "\"+10000-01-01T00:00:00Z\"",
    "\"25:00-26:00\"",
    "\"12.345.6\"",
    "true",
    "[]",
    "{}",
    "\"n/a\"",
    "'loop {}'",
    "'import \"x\" as m'",
    "\"Mars/Olympus\"",
    "\"XXX\"",
    "[[",
    "\"\\u0000\"",
    "\"☃\"",
];

#[derive(Debug, Clone)]
enum Edit {
    /// Replace the value after the `=` on a line (TOML) or after a `:` (JSON).
    Value(usize, usize),
    /// Drop a line.
    Drop(usize),
    /// Double a line.
    Double(usize),
    /// Insert a character at a byte position.
    Insert(usize, char),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (any::<usize>(), 0..TOKENS.len()).prop_map(|(l, t)| Edit::Value(l, t)),
        1 => any::<usize>().prop_map(Edit::Drop),
        1 => any::<usize>().prop_map(Edit::Double),
        1 => (any::<usize>(), any::<char>()).prop_map(|(p, c)| Edit::Insert(p, c)),
    ]
}

fn apply(text: &str, edits: &[Edit], separator: char) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for edit in edits {
        if lines.is_empty() {
            break;
        }
        match edit {
            Edit::Value(l, t) => {
                let i = l % lines.len();
                let line = &lines[i];
                if let Some(at) = line.find(separator) {
                    lines[i] = format!("{} {}", &line[..=at], TOKENS[*t]);
                }
            }
            Edit::Drop(l) => {
                let i = l % lines.len();
                lines.remove(i);
            }
            Edit::Double(l) => {
                let i = l % lines.len();
                let line = lines[i].clone();
                lines.insert(i, line);
            }
            Edit::Insert(p, c) => {
                let i = p % lines.len();
                let line = &lines[i];
                let at = line
                    .char_indices()
                    .map(|(b, _)| b)
                    .nth(p % (line.chars().count() + 1))
                    .unwrap_or(line.len());
                let mut new = line.clone();
                new.insert(at, *c);
                lines[i] = new;
            }
        }
    }
    lines.join("\n")
}

/// An error object says where: a TOML path or line, a field, or a ticket.
fn located(error: &ErrorObject) -> bool {
    error.field.is_some()
        || error.ticket.is_some()
        || error
            .location
            .as_ref()
            .is_some_and(|l| !l.path.is_empty() || l.line.is_some())
}

proptest! {
    #![proptest_config(config(48))]

    /// A manifest with random edits compiles, or every error it reports is located.
    #[test]
    fn an_edited_manifest_compiles_or_says_where(
        pack in 0..PACKS.len(),
        edits in prop::collection::vec(edit(), 1..4),
    ) {
        let pack = PACKS[pack];
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/policies");
        let text = apply(&read(&format!("examples/policies/{pack}.toml")), &edits, '=');
        let started = Instant::now();
        let diagnostics = Policy::check_source(&text, Some(&dir));
        let compiled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let rules = std::fs::read_dir(&dir)
                .unwrap()
                .filter_map(|e| e.ok())
                .filter(|e| e.path().extension().is_some_and(|x| x == "rhai"))
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().to_string(),
                        std::fs::read_to_string(e.path()).unwrap(),
                    )
                })
                .collect();
            Policy::from_toml_with_rules(&text, &rules)
        }));
        prop_assert!(started.elapsed() < BOUND, "compiling took {:?}", started.elapsed());
        let compiled = compiled.map_err(|_| TestCaseError::fail("compiling panicked"))?;
        for d in diagnostics.iter().filter(|d| d.level == aftersales::Level::Error) {
            prop_assert!(
                !d.location.path.is_empty() || d.location.line.is_some(),
                "an error without a place: {d}"
            );
        }
        if let Err(e) = &compiled {
            prop_assert!(located(&e.to_object()), "not located: {e}");
        }
    }

}

proptest! {
    #![proptest_config(config(24))]

    /// Tickets with random edits: each answer is an evaluation or a located
    /// error, and the batch keeps one answer per ticket.
    #[test]
    fn edited_tickets_are_answered_or_say_where(
        pack in 0..PACKS.len(),
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        let pack = PACKS[pack];
        let policy = Policy::from_path(
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../examples/policies/{pack}.toml")),
        )
        .unwrap();
        // One field per line, so that an edit hits one field.
        let tickets: String = read(&format!("examples/tickets/{pack}.jsonl"))
            .lines()
            .map(|l| serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(l).unwrap()).unwrap())
            .map(|t| format!("{t},"))
            .collect::<Vec<_>>()
            .join("\n");
        let tickets = format!("[\n{}\n]", tickets.trim_end_matches(','));
        let edited = apply(&tickets, &edits, ':');
        let as_of = "2026-03-03T12:00:00+08:00".parse().ok();
        let started = Instant::now();
        let answers = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            api::evaluate_batch_json(&policy, edited.as_bytes(), as_of, EvaluateOptions::default())
        }))
        .map_err(|_| TestCaseError::fail("evaluating panicked"))?;
        prop_assert!(started.elapsed() < BOUND, "the batch took {:?}", started.elapsed());
        for line in answers.lines() {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            if let Some(error) = value.get("error") {
                let has_place = !error["field"].is_null()
                    || !error["ticket"].is_null()
                    || !error["location"].is_null();
                prop_assert!(has_place, "not located: {line}");
                prop_assert!(!value["position"].is_null(), "no position: {line}");
            } else {
                prop_assert!(value.get("ticket").is_some(), "neither an evaluation nor an error: {line}");
            }
        }
    }
}
