//! The example policy set (examples/policies/hot_water_meter_versions.toml):
//! last year's meter promises and this year's, each ticket answered by the
//! version in force at its opening, loaded alike from its path and from its
//! texts, in a batch that mixes versions and in its report.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use aftersales::{api, EvaluateOptions, Policy, PolicySource};
use std::path::PathBuf;

fn set_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/policies/hot_water_meter_versions.toml")
}

/// Two household web tickets half an hour either side of midnight on New
/// Year's Day 2026 in Shanghai, when the 2026 version takes effect.
const TICKETS: &str = concat!(
    r#"{"id":"W-1","opened_at":"2025-12-31T23:30:00+08:00","channel":"web","product":{"category":"household"}}"#,
    "\n",
    r#"{"id":"W-2","opened_at":"2026-01-01T00:30:00+08:00","channel":"web","product":{"category":"household"}}"#,
    "\n",
);

fn as_of() -> chrono::DateTime<chrono::Utc> {
    "2026-01-01T03:00:00+08:00".parse().unwrap()
}

#[test]
fn each_ticket_gets_its_years_promise() {
    let policy = Policy::from_path(set_path()).unwrap();
    let v2025 = Policy::from_path(set_path().with_file_name("hot_water_meter_2025.toml")).unwrap();
    let v2026 = Policy::from_path(set_path().with_file_name("hot_water_meter.toml")).unwrap();
    assert_eq!(policy.id(), "hot-water-meter");
    assert_eq!(policy.version(), "2025.1,2026.1");
    let answers: Vec<serde_json::Value> = api::evaluate_batch_json(
        &policy,
        TICKETS.as_bytes(),
        Some(as_of()),
        EvaluateOptions::default(),
    )
    .lines()
    .map(|line| serde_json::from_str(line).unwrap())
    .collect();
    let contact = |a: &serde_json::Value| {
        let m = a["sla"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["metric"] == "contact")
            .unwrap();
        (
            m["target"].clone(),
            m["deadline"].clone(),
            m["status"].clone(),
        )
    };
    // W-1, opened 23:30 on New Year's Eve under 2025's promises: a
    // household is contacted within 4 h, by 03:30; at 03:00 it is running.
    assert_eq!(answers[0]["policy"]["version"], "2025.1");
    assert_eq!(answers[0]["policy"]["digest"], v2025.digest());
    assert_eq!(
        contact(&answers[0]),
        (
            "PT4H".into(),
            "2026-01-01T03:30:00+08:00".into(),
            "running".into()
        )
    );
    // W-2, opened 00:30 under 2026's: within 2 h, by 02:30; breached at 03:00.
    assert_eq!(answers[1]["policy"]["version"], "2026.1");
    assert_eq!(answers[1]["policy"]["digest"], v2026.digest());
    assert_eq!(
        contact(&answers[1]),
        (
            "PT2H".into(),
            "2026-01-01T02:30:00+08:00".into(),
            "breached".into()
        )
    );
}

#[test]
fn the_set_loads_alike_from_its_path_and_its_texts() {
    let path = PolicySource::Path(set_path());
    let (toml, rules) = api::source_texts(&path).unwrap();
    // The set's texts: both versions and the rules file they share.
    assert_eq!(
        rules.keys().map(String::as_str).collect::<Vec<_>>(),
        vec![
            "hot_water_meter.rhai",
            "hot_water_meter.toml",
            "hot_water_meter_2025.toml"
        ]
    );
    let from_path = api::load_policy(&path).unwrap();
    let from_texts = api::load_policy(&PolicySource::Text { toml, rules }).unwrap();
    assert_eq!(from_path.digest(), from_texts.digest());
    let options = EvaluateOptions::default();
    assert_eq!(
        api::evaluate_batch_json(&from_path, TICKETS.as_bytes(), Some(as_of()), options),
        api::evaluate_batch_json(&from_texts, TICKETS.as_bytes(), Some(as_of()), options)
    );
    assert_eq!(Policy::check_policy_source(&path), vec![]);
}

#[test]
fn a_report_across_versions_names_the_set() {
    let policy = Policy::from_path(set_path()).unwrap();
    let report: serde_json::Value = serde_json::from_str(&api::report_json(
        &policy,
        TICKETS.as_bytes(),
        Some(as_of()),
    ))
    .unwrap();
    assert_eq!(report["policy"]["id"], "hot-water-meter");
    assert_eq!(report["policy"]["version"], "2025.1,2026.1");
    assert_eq!(report["policy"]["digest"], policy.digest());
    assert_eq!(report["evaluated"], 2);
    // Contact: W-1 running, W-2 breached, whichever version judged them.
    let contact = report["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["metric"] == "contact")
        .unwrap();
    assert_eq!(
        (contact["running"].clone(), contact["breached"].clone()),
        (1.into(), 1.into())
    );
}
