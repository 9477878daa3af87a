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

/// `explain --lang zh-CN` of a call answered late, against lines written by
/// hand: the status, the target, the durations and the warranty status read
/// in Chinese, while the evaluation's JSON keeps its English values.
#[test]
fn a_chinese_explanation_reads_in_chinese() {
    let policy = Policy::from_toml_str(
        r#"
[policy]
id = "late-call"
version = "1"
timezone = "Asia/Shanghai"

[[targets]]
metric = "answer"
stop = "answered"
target = "1m"

[warranty.components.main_unit]
period = "1 year"
"#,
    )
    .unwrap();
    let ticket = aftersales::Ticket::from_json(
        r#"{"id": "C-1", "opened_at": "2026-03-02T09:00:00+08:00",
            "product": {"purchased_on": "2026-01-10"},
            "events": [{"at": "2026-03-02T09:01:30+08:00", "kind": "answered"}]}"#,
    )
    .unwrap();
    let at = chrono::DateTime::parse_from_rfc3339("2026-03-02T10:00:00+08:00")
        .unwrap()
        .to_utc();
    // Reasons as codes: the explanation writes them in its language.
    let codes = EvaluateOptions {
        because: aftersales::Because::Codes,
        ..EvaluateOptions::default()
    };
    let evaluation = evaluate_ticket(&policy, &ticket, Some(at), codes).unwrap();
    let text = explain_in(&evaluation, Lang::ZhCn);
    // Opened 09:00, answered 09:01:30: 1m 30s against a 1-minute target,
    // due 09:01:00, 30 s late.
    for line in [
        "  answer [24x7]：已超时 — 目标 1 分钟，截止 2026-03-02T09:01:00+08:00，已用 1 分 30 秒，超时 30 秒",
        "      - 目标 1 分钟：targets[0].target",
        "保修：在保",
    ] {
        assert!(text.lines().any(|l| l == line), "no line {line:?} in:\n{text}");
    }
    // The English explanation and the JSON keep their values.
    let english = explain_in(&evaluation, Lang::En);
    assert!(
        english.contains("answer [24x7]: breached — target PT1M"),
        "{english}"
    );
    assert!(english.contains("elapsed 1m 30s, overdue 30s"), "{english}");
    assert!(english.contains("\nWarranty: in_warranty\n"), "{english}");
    let json = serde_json::to_value(&evaluation).unwrap();
    assert_eq!(json["sla"][0]["status"], "breached");
    assert_eq!(json["warranty"]["status"], "in_warranty");
}
