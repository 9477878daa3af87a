//! The example policy packs (`examples/policies`) as policies: each
//! compiles without warnings and has its KPIs and `[[properties]]`, the
//! guide's code compiles, a broken evaluation breaks a law, and the
//! working-day calendars follow the holiday notice. Every figure of the
//! packs' answers is worked by hand in
//! `tests/conformance/cases/pack_*/figures.jsonl`, checked through every
//! host by the conformance suite.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use aftersales::{Evaluation, Policy, Ticket};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One pack: its policy, tickets and `as_of` (`examples/packs.txt`).
struct Pack {
    policy: Policy,
    tickets: BTreeMap<String, Ticket>,
    as_of: DateTime<Utc>,
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

impl Pack {
    fn load(name: &str) -> Pack {
        let dir = examples();
        let packs = std::fs::read_to_string(dir.join("packs.txt")).unwrap();
        let as_of = packs
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .find_map(|l| {
                let mut words = l.split_whitespace();
                (words.next() == Some(name)).then(|| words.next().unwrap().to_string())
            })
            .unwrap_or_else(|| panic!("{name} is not listed in examples/packs.txt"));
        let policy = Policy::from_path(dir.join(format!("policies/{name}.toml"))).unwrap();
        let text = std::fs::read_to_string(dir.join(format!("tickets/{name}.jsonl"))).unwrap();
        let tickets = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| Ticket::from_json(l).unwrap())
            .map(|t| (t.id.clone(), t))
            .collect();
        Pack {
            policy,
            tickets,
            as_of: as_of.parse().unwrap(),
        }
    }

    fn evaluate(&self, id: &str) -> (&Ticket, Evaluation) {
        let ticket = &self.tickets[id];
        (ticket, self.policy.evaluate(ticket, self.as_of).unwrap())
    }
}

#[test]
fn example_policies_compile_without_warnings() {
    for name in ["hot_water_meter", "smart_home", "online_retail"] {
        let pack = Pack::load(name);
        let warnings: Vec<String> = pack.policy.check().iter().map(|d| d.to_string()).collect();
        assert!(warnings.is_empty(), "{name}: {warnings:#?}");
        assert!(pack.policy.kpi_count() > 0, "{name}: no [[kpis]]");
        assert!(
            pack.policy.property_names().len() >= 2,
            "{name}: fewer than two [[properties]]"
        );
    }
}

/// The code in the policy author's guide compiles: every complete policy
/// (a TOML block starting with `[policy]` and its `id`) without warnings, and every Rhai
/// block as a policy's script.
#[test]
fn the_guide_s_examples_compile() {
    let guide = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/policy.md");
    let text = std::fs::read_to_string(guide).unwrap();
    let block = |fence: &str| -> Vec<String> {
        text.split(fence)
            .skip(1)
            .map(|rest| rest.split("```").next().unwrap().to_string())
            .collect()
    };
    let policies: Vec<String> = block("```toml\n")
        .into_iter()
        .filter(|b| b.starts_with("[policy]\nid = "))
        .collect();
    assert!(!policies.is_empty());
    for source in &policies {
        let diagnostics = Policy::check_source(source, None);
        assert!(diagnostics.is_empty(), "{diagnostics:#?}\n{source}");
    }
    let scripts = block("```rhai\n");
    assert!(scripts.len() >= 2);
    for script in &scripts {
        let source = format!(
            "[policy]\nid = \"guide\"\nversion = \"1\"\ntimezone = \"UTC\"\nscript = '''\n{script}'''\n"
        );
        let diagnostics = Policy::check_source(&source, None);
        assert!(diagnostics.is_empty(), "{diagnostics:#?}\n{script}");
    }
}

/// The properties are real checks: an evaluation that breaks a law is caught.
#[test]
fn properties_catch_a_broken_evaluation() {
    let pack = Pack::load("hot_water_meter");
    let (ticket, mut evaluation) = pack.evaluate("HWM-260302-0002");
    let answer = evaluation
        .sla
        .iter_mut()
        .find(|m| m.metric == "answer")
        .unwrap();
    assert_eq!(
        answer
            .current
            .breached_at
            .map(|t| t.to_rfc3339())
            .as_deref(),
        Some("2026-03-02T10:01:00+08:00")
    );
    answer.current.breached_at = None;
    let violations = pack.policy.check_properties(ticket, &evaluation).unwrap();
    let names: Vec<&str> = violations.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["breaches are dated"]);
}

/// The calendars that follow China's official working days hold the 2026
/// notice exactly as `tests/data/cn_holidays.json`: every holiday closed and
/// named, every adjusted weekend open. The file is part of the repository;
/// a missing file fails the test.
#[test]
fn working_day_calendars_match_the_holiday_notice() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/cn_holidays.json");
    let text = std::fs::read_to_string(&data).unwrap_or_else(|e| panic!("{}: {e}", data.display()));
    let json: Value = serde_json::from_str(&text).unwrap();
    let year = &json["years"]["2026"];
    let off: BTreeMap<String, String> = year["days_off"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["date"].as_str().unwrap().to_string(),
                d["holiday"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let working: BTreeSet<&str> = year["adjusted_working_days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    for (pack, calendar) in [
        ("online_retail", "office"),
        ("smart_home", "tech_hours"),
        ("hot_water_meter", "office"),
    ] {
        let pack = Pack::load(pack);
        let calendar = pack.policy.calendar(calendar).unwrap();
        let mut date = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        while date.year() == 2026 {
            let key = date.to_string();
            let weekend = date.weekday().number_from_monday() > 5;
            let open = !off.contains_key(&key) && (!weekend || working.contains(key.as_str()));
            assert_eq!(
                calendar.is_business_day(date),
                open,
                "{}: {key}",
                calendar.name()
            );
            if let Some(name) = off.get(&key) {
                assert_eq!(calendar.holiday_name(date), Some(name.as_str()), "{key}");
            }
            date = date.succ_opt().unwrap();
        }
    }
}
