//! 10,000 generated tickets through `aftersales eval` and `aftersales
//! report` with chunks of 1, 7, 1,024 and 10,000 tickets: the credits, their
//! monthly caps and the KPIs do not depend on the chunking, and the credited
//! total is the one worked out from the rule below.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

/// One metric, 4 hours on the 24x7 calendar; 100.00 per started hour late,
/// at most 500.00 a ticket and 700.00 a customer a month; a KPI per goal.
const POLICY: &str = r#"
[policy]
id = "chunking"
version = "1"
currency = "CNY"
timezone = "Asia/Shanghai"

[[targets]]
metric = "resolve"
stop = "resolved"
target = "4h"

[[kpis]]
metric = "resolve"
on_time = 0.9

[[kpis]]
survey = "satisfaction"
at_least = 0.95

[[kpis]]
survey = "nps"
at_least = 30

[[credits]]
metric = "resolve"
kind = "service_credit"
per_started_hour = "100.00"
cap_per_ticket = "500.00"
cap_per_period = { amount = "700.00", period = "month" }
"#;

const TICKETS: usize = 10_000;
const AS_OF: &str = "2026-06-01T00:00:00+08:00";

/// A small deterministic generator (64-bit LCG, Knuth's constants).
struct Seeded(u64);

impl Seeded {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// The tickets as JSON lines, and the credits the rule gives them, in
/// cents, worked out apart from the engine: a ticket resolved `late`
/// minutes after its 4-hour deadline earns 100.00 per started hour,
/// min(500.00, 100.00 × ceil(late / 60)); then, in input order, each
/// customer's tickets of one calendar month share 700.00: a ticket gets
/// min(its credit, 700.00 − what the month already gave).
fn generate() -> Generated {
    let mut rng = Seeded(20_260_301);
    let mut lines = String::new();
    let mut used: BTreeMap<(u64, u64), i64> = BTreeMap::new();
    let mut generated = Generated::default();
    for n in 0..TICKETS {
        let customer = rng.below(300);
        let month = 1 + rng.below(4);
        let day = 1 + rng.below(28);
        let hour = 9 + rng.below(8);
        let minute = rng.below(60);
        // One ticket in ten is late, by 1 to 400 minutes; the others are
        // resolved within 10 to 239 minutes (on time).
        let late = (rng.below(10) == 0).then(|| 1 + rng.below(400));
        let taken = match late {
            Some(late) => 240 + late,
            None => 10 + rng.below(230),
        };
        let opened = chrono::NaiveDate::from_ymd_opt(2026, month as u32, day as u32)
            .unwrap()
            .and_hms_opt(hour as u32, minute as u32, 0)
            .unwrap();
        let resolved = opened + chrono::TimeDelta::minutes(taken as i64);
        let survey = match rng.below(3) {
            0 => format!(
                r#", "survey": {{"satisfaction": {}, "nps": {}, "first_contact_resolution": {}}}"#,
                1 + rng.below(5),
                rng.below(11),
                rng.below(2) == 0
            ),
            _ => String::new(),
        };
        lines.push_str(&format!(
            r#"{{"id": "T-{n:05}", "opened_at": "{}+08:00", "customer": {{"id": "C-{customer:02}"}}, "events": [{{"at": "{}+08:00", "kind": "resolved"}}]{survey}}}"#,
            opened.format("%Y-%m-%dT%H:%M:%S"),
            resolved.format("%Y-%m-%dT%H:%M:%S"),
        ));
        lines.push('\n');
        if let Some(late) = late {
            let credit = (10_000 * late.div_ceil(60) as i64).min(50_000);
            let month_used = used.entry((customer, month)).or_insert(0);
            let granted = credit.min(70_000 - *month_used);
            *month_used += granted;
            generated.late += 1;
            generated.uncapped += credit;
            generated.granted += granted;
        }
    }
    generated.capped_months = used.values().filter(|u| **u == 70_000).count();
    generated.months = used.len();
    generated.lines = lines;
    generated
}

/// The generated tickets and what the rule gives them (money in cents).
#[derive(Default)]
struct Generated {
    lines: String,
    /// Tickets resolved late.
    late: u64,
    /// Their credits before the monthly cap.
    uncapped: i64,
    /// Their credits after it.
    granted: i64,
    /// Customer-months with a late ticket, and those that reached the cap.
    months: usize,
    capped_months: usize,
}

fn files() -> (PathBuf, PathBuf, Generated) {
    let dir = std::env::temp_dir().join(format!("aftersales-chunking-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let policy = dir.join("policy.toml");
    std::fs::write(&policy, POLICY).unwrap();
    let generated = generate();
    let tickets = dir.join("tickets.jsonl");
    std::fs::write(&tickets, &generated.lines).unwrap();
    (policy, tickets, generated)
}

fn aftersales(args: &[&str]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_aftersales"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Cents of a money string such as "123.40".
fn cents(text: &str) -> i64 {
    let (units, fraction) = text.split_once('.').unwrap_or((text, "0"));
    units.parse::<i64>().unwrap() * 100 + format!("{fraction:0<2}")[..2].parse::<i64>().unwrap()
}

#[test]
fn credits_and_kpis_do_not_depend_on_the_chunking() {
    let (policy, tickets, generated) = files();
    let expected_total = generated.granted;
    let (policy, tickets) = (policy.to_str().unwrap(), tickets.to_str().unwrap());
    let mut first: Option<(Vec<Value>, Vec<u8>)> = None;
    for chunk in ["1", "7", "1024", "10000"] {
        let eval = aftersales(&["eval", policy, tickets, "--as-of", AS_OF, "--chunk", chunk]);
        let credits: Vec<Value> = eval
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .map(|l| serde_json::from_slice::<Value>(l).unwrap()["credits"].clone())
            .collect();
        assert_eq!(credits.len(), TICKETS);
        let granted: i64 = credits
            .iter()
            .flat_map(|c| c.as_array().unwrap())
            .map(|c| cents(c["amount"].as_str().unwrap()))
            .sum();
        assert_eq!(granted, expected_total, "chunk {chunk}: credits granted");

        let report = aftersales(&[
            "report", policy, tickets, "--as-of", AS_OF, "--json", "--chunk", chunk,
        ]);
        let json: Value = serde_json::from_slice(&report).unwrap();
        assert_eq!(json["tickets"], TICKETS as u64);
        assert_eq!(
            cents(json["money"]["credited"].as_str().unwrap()),
            expected_total,
            "chunk {chunk}: credited in the report"
        );
        match &first {
            None => first = Some((credits, report)),
            Some((credits_1, report_1)) => {
                assert!(
                    credits == *credits_1,
                    "chunk {chunk}: credits differ from chunk 1"
                );
                assert!(
                    report == *report_1,
                    "chunk {chunk}: report differs from chunk 1"
                );
            }
        }
    }
    let (_, report) = first.unwrap();
    let json: Value = serde_json::from_slice(&report).unwrap();
    assert_eq!(json["metrics"][0]["breached"], generated.late);
    assert_eq!(json["metrics"][0]["met"], TICKETS as u64 - generated.late);
}

#[test]
fn the_generated_credits_are_capped_for_some_customer_months() {
    // The data exercise the cap: about one ticket in ten is late (10,000 /
    // 10 = 1,000 give or take), spread over 300 customers × 4 months, so
    // most customer-months have one late ticket (at most 500.00, under the
    // cap) and some have several that together pass 700.00.
    let generated = generate();
    assert!((900..1_100).contains(&generated.late), "{}", generated.late);
    assert!(generated.granted < generated.uncapped);
    assert!(generated.capped_months > 10, "{}", generated.capped_months);
    assert!(generated.capped_months < generated.months / 2);
}
