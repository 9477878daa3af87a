//! Portfolios counted apart and merged report what one portfolio of all the
//! tickets reports, when each customer's tickets stay in one part.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use aftersales::{Policy, Portfolio, Ticket};
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::Value;

/// 4 hours to resolve on the 24x7 calendar; 100.00 per started hour late,
/// at most 500.00 a ticket and 700.00 a customer a month.
const POLICY: &str = r#"
[policy]
id = "merge"
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

[[credits]]
metric = "resolve"
kind = "service_credit"
per_started_hour = "100.00"
cap_per_ticket = "500.00"
cap_per_period = { amount = "700.00", period = "month" }
"#;

fn as_of() -> DateTime<Utc> {
    "2026-06-01T00:00:00+08:00".parse().unwrap()
}

/// A ticket of `customer` opened on 2026-03-`day` 09:00 and resolved
/// `minutes` later, with a satisfaction score.
fn ticket(n: usize, customer: &str, day: u32, minutes: i64, satisfaction: u8) -> Ticket {
    let opened: DateTime<Utc> = format!("2026-03-{day:02}T09:00:00+08:00").parse().unwrap();
    let resolved = (opened + TimeDelta::minutes(minutes))
        .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap());
    Ticket::from_json(&format!(
        r#"{{"id": "T-{n}", "opened_at": "2026-03-{day:02}T09:00:00+08:00", "customer": {{"id": "{customer}"}},
            "events": [{{"at": "{}", "kind": "resolved"}}], "survey": {{"satisfaction": {satisfaction}}}}}"#,
        resolved.to_rfc3339()
    ))
    .unwrap()
}

/// The report of the tickets taken in order through one portfolio.
fn report(policy: &Policy, tickets: &[&Ticket]) -> Portfolio {
    let mut portfolio = Portfolio::new(policy);
    for ticket in tickets {
        let mut answer = policy.evaluate(ticket, as_of());
        portfolio.add(ticket, &mut answer);
    }
    portfolio
}

fn json(portfolio: &Portfolio) -> Value {
    serde_json::to_value(portfolio.report()).unwrap()
}

#[test]
fn two_merged_halves_report_like_one_portfolio() {
    let policy = Policy::from_toml_str(POLICY).unwrap();
    // Customers A-0..A-4 and B-0..B-4, six tickets each per pass, lateness
    // and scores spread so that caps bind for some customers.
    let mut tickets = Vec::new();
    for n in 0..120 {
        let group = if n % 2 == 0 { "A" } else { "B" };
        let customer = format!("{group}-{}", (n / 2) % 5);
        let minutes = [60, 200, 250, 300, 420, 239, 241, 600][n % 8];
        tickets.push(ticket(
            n,
            &customer,
            1 + (n % 28) as u32,
            minutes,
            1 + (n % 5) as u8,
        ));
    }
    let all: Vec<&Ticket> = tickets.iter().collect();
    let (a, b): (Vec<&Ticket>, Vec<&Ticket>) = tickets.iter().partition(|t| {
        t.customer
            .as_ref()
            .unwrap()
            .id
            .as_deref()
            .unwrap()
            .starts_with('A')
    });
    let whole = json(&report(&policy, &all));
    let mut merged = report(&policy, &a);
    merged.merge(&report(&policy, &b));
    let merged = json(&merged);
    assert_eq!(merged, whole);
    // The merge adds up: a half alone reports fewer tickets and credits.
    assert_eq!(whole["tickets"], 120);
    assert_eq!(json(&report(&policy, &a))["tickets"], 60);
}

#[test]
fn merged_halves_report_the_hand_worked_figures() {
    let policy = Policy::from_toml_str(POLICY).unwrap();
    // Target 4h = 240 minutes. A's tickets are resolved 250 and 270 minutes
    // after opening: 10 and 30 minutes late (+600 s and +1,800 s), 1
    // started hour each: credits 100.00 + 100.00 = 200.00 (under the 700.00
    // cap). B's are resolved after 220 and 210 minutes: 1,200 s and 1,800 s
    // early, no credit. Lateness ascending: -1,800, -1,200, 600, 1,800; the
    // median is the 2nd (ceil(0.5 × 4) = 2): -1,200; p90 the 4th
    // (ceil(0.9 × 4) = 4): 1,800 (values under 2,048 s are exact in the
    // 3-significant-digit histograms). On time: 2 of 4 = 0.5 < 0.9.
    let tickets = [
        ticket(1, "A", 2, 250, 5),
        ticket(2, "A", 3, 270, 4),
        ticket(3, "B", 2, 220, 3),
        ticket(4, "B", 3, 210, 2),
    ];
    let mut merged = report(&policy, &[&tickets[0], &tickets[1]]);
    merged.merge(&report(&policy, &[&tickets[2], &tickets[3]]));
    let json = json(&merged);
    let resolve = &json["metrics"][0];
    assert_eq!(json["tickets"], 4);
    assert_eq!(resolve["met"], 2);
    assert_eq!(resolve["breached"], 2);
    let rate: rust_decimal::Decimal = resolve["on_time_rate"].as_str().unwrap().parse().unwrap();
    assert_eq!(rate, rust_decimal::Decimal::new(5, 1));
    assert_eq!(resolve["goal_met"], false);
    assert_eq!(resolve["lateness_median_seconds"], -1_200);
    assert_eq!(resolve["lateness_p90_seconds"], 1_800);
    assert_eq!(json["money"]["credited"], "200.00");
}

#[test]
fn a_partition_s_errors_name_the_rows_of_the_whole_set() {
    // Rows 1041 and 1042 of a table land in one partition, second and
    // third; the first row of the partition keeps its place (`None`).
    let policy = Policy::from_toml_str(POLICY).unwrap();
    let text = format!(
        "{}\n{{\"id\": \"bad\", \"opened_at\": 5}}\n{{\"id\": \n",
        serde_json::to_string(&ticket(1, "C-1", 2, 30, 5)).unwrap()
    );
    let mut answers = Vec::new();
    aftersales::api::evaluate_partition_numbered(
        &policy,
        text.as_bytes(),
        Some(as_of()),
        aftersales::EvaluateOptions::default(),
        &[None, Some(1041), Some(1042)],
        |position, answer| {
            answers.push((
                position,
                answer
                    .err()
                    .map(|e| (e.message, e.location.and_then(|l| l.line))),
            ));
            Ok(())
        },
    )
    .unwrap();
    assert_eq!(answers[0], (1, None));
    // A bad field: the answer is placed at the row; the message names
    // the ticket by its id.
    let (position, error) = &answers[1];
    assert_eq!(*position, 1041);
    let (message, _) = error.clone().unwrap();
    assert!(
        message.starts_with("ticket `bad`, field `opened_at`"),
        "{message}"
    );
    // A syntax error: the message and the line are the row's.
    let (position, error) = &answers[2];
    assert_eq!(*position, 1042);
    let (message, line) = error.clone().unwrap();
    assert!(message.starts_with("ticket 1042:"), "{message}");
    assert!(message.contains("(line 1042, column"), "{message}");
    assert_eq!(line, Some(1042));
}
