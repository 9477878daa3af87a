//! `explain` in English and Simplified Chinese for two tickets of each
//! example pack, against the expected text in tests/explain/<pack>/
//! <ticket>.<lang>.txt (read line by line against the policy's rules).
//! `UPDATE_EXPLAIN=1` rewrites the files from the engine; review the diff.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use aftersales::api::{evaluate_ticket, explain_in, TicketReader};
use aftersales::{EvaluateOptions, Lang, Policy};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn as_of(pack: &str) -> chrono::DateTime<chrono::Utc> {
    let packs = std::fs::read_to_string(root().join("examples/packs.txt")).unwrap();
    let line = packs
        .lines()
        .find(|l| l.split_whitespace().next() == Some(pack))
        .unwrap();
    let at = line.split_whitespace().nth(1).unwrap();
    chrono::DateTime::parse_from_rfc3339(at).unwrap().to_utc()
}

#[test]
fn explanations_match_the_expected_text_in_both_languages() {
    let mut checked = 0;
    for pack in ["hot_water_meter", "smart_home", "online_retail"] {
        let policy =
            Policy::from_path(root().join(format!("examples/policies/{pack}.toml"))).unwrap();
        let tickets = std::fs::read(root().join(format!("examples/tickets/{pack}.jsonl"))).unwrap();
        let dir = root().join(format!("tests/explain/{pack}"));
        for entry in TicketReader::new(&tickets[..]) {
            let ticket = entry.ticket.unwrap();
            for lang in Lang::ALL {
                let path = dir.join(format!("{}.{lang}.txt", ticket.id));
                let Ok(expected) = std::fs::read_to_string(&path) else {
                    continue;
                };
                // Reasons as codes: the explanation writes them in `lang`.
                let options = EvaluateOptions {
                    trace: true,
                    because: aftersales::Because::Codes,
                    ..EvaluateOptions::default()
                };
                let evaluation =
                    evaluate_ticket(&policy, &ticket, Some(as_of(pack)), options).unwrap();
                let text = explain_in(&evaluation, lang);
                if std::env::var_os("UPDATE_EXPLAIN").is_some() {
                    // Regenerate, then read the diff line by line.
                    std::fs::write(&path, &text).unwrap();
                    checked += 1;
                    continue;
                }
                assert!(text == expected, "{} differs:\n{text}", path.display());
                checked += 1;
            }
        }
    }
    // Two tickets of each of the three packs, in two languages.
    assert_eq!(checked, 12);
}
