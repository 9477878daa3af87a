//! Regression tests for defects found by verification (issue 7, item 7; the
//! SLA clock rules of issue 22, item 10). Each goes through `Policy::from_toml_str`
//! and `Policy::evaluate` end to end, with the arithmetic worked by hand in
//! comments.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use aftersales::{Policy, Ticket};
use aftersales::{RemedyKind, WarrantyStatus};
use chrono::{DateTime, Utc};

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

// ------------------------------------------------------- fees: own component

/// The complete `[fees]` table of docs/fees.md, with a warranty under which
/// only the sensor is still covered: bought 2025-06-01, sensor 2 years (until
/// 2027-06-01), display 3 months (until 2025-09-01, expired on 2026-03-02).
const FEES_POLICY: &str = r#"
[policy]
id = "hot-water-meter"
version = "2026.1"
currency = "CNY"
timezone = "Asia/Shanghai"

[calendars.office]
weekdays = ["09:00-18:00"]
holidays = [{ date = "2026-05-01", name = "Labour Day" }, "2026-10-01..2026-10-07"]

[warranty]
start = "purchased_on"
[warranty.components.sensor]
period = "2 years"
[warranty.components.display]
period = "3 months"

[fees]
rounding = "half-up"
[fees.labor]
rate = "120.00"
minimum = "1h"
increment = "30m"
[fees.multipliers]
calendar = "office"
after_hours = "1.5"
holiday = "2"
applies_to = ["labor"]
[fees.callout]
default_zone = "A"
[fees.callout.zones.A]
fee = "50.00"
[fees.callout.zones.B]
fee = "80.00"
included_km = "20"
per_km = "2.50"
[fees.diagnostic]
fee = "60.00"
waived_when_repair_accepted = true
[fees.parts]
markup_percent = "15"
markup_fixed = "0.00"
[fees.plans.care]
waive = ["labor", "callout", "travel", "diagnostic"]
percent_off = { part = "20" }
[fees.tiers.vip]
percent_off = { labor = "10" }
[fees.tax]
percent = "13"
mode = "exclusive"
rounding = "half-up"
"#;

const FEES_TICKET: &str = r#"{"id": "T-1001", "opened_at": "2026-03-02T08:00:00+08:00",
 "customer": {"zone": "B"},
 "product": {"purchased_on": "2025-06-01"},
 "fault": {"component": "display"},
 "work": {"labor": "70m", "labor_started_at": "2026-03-02T19:30:00+08:00",
          "repair_accepted": true,
          "visits": [{"at": "2026-03-02T19:10:00+08:00", "distance_km": "32.5"}],
          "parts": [{"sku": "SENSOR-01", "component": "sensor", "qty": 1, "unit_price": "80.00"},
                    {"sku": "DISPLAY-7", "qty": 1, "unit_price": "200.00"}]}}"#;

/// docs/fees.md's worked example, end to end: the display (the fault's
/// component) has expired, so the overall status is `expired`, but the
/// SENSOR-01 line is judged by its own component, the sensor, which is in
/// warranty. The old engine gave 794.67 (the sensor billed: 611.25 + 92.00
/// = 703.25, tax 91.4225 -> 91.42, total 794.67).
#[test]
fn a_part_is_judged_by_its_own_component_when_the_fault_has_expired() {
    let policy = Policy::from_toml_str(FEES_POLICY).unwrap();
    let ticket = Ticket::from_json(FEES_TICKET).unwrap();
    let e = policy
        .evaluate(&ticket, at("2026-03-03T00:00:00+08:00"))
        .unwrap();
    // display: 2025-06-01 + 3 months = 2025-09-01 < claim 2026-03-02: expired.
    assert_eq!(e.warranty.status, WarrantyStatus::Expired);
    let charges = e.charges.unwrap();
    let lines: Vec<(&str, String, String, String, Option<&str>)> = charges
        .lines
        .iter()
        .map(|l| {
            (
                l.code.as_str(),
                l.amount.to_string(),
                l.covered.to_string(),
                l.payable.to_string(),
                l.covered_by.as_deref(),
            )
        })
        .collect();
    let line = |code, amount: &str, covered: &str, payable: &str, by| {
        (code, amount.into(), covered.into(), payable.into(), by)
    };
    assert_eq!(
        lines,
        vec![
            // 60.00, repair accepted: waived.
            line("diagnostic", "60.00", "60.00", "0.00", Some("waiver")),
            // zone B (customer.zone): 80.00.
            line("callout", "80.00", "0.00", "80.00", None),
            // 32.5 km - 20 km = 12.5 km x 2.50 = 31.25.
            line("travel", "31.25", "0.00", "31.25", None),
            // 70 min -> 1 h + one 30 min step = 1.5 h; 19:30 Monday is after the
            // 18:00 close: 120.00 x 1.5 = 180.00/h; 1.5 x 180.00 = 270.00.
            line("labor", "270.00", "0.00", "270.00", None),
            // 80.00 x 1.15 = 92.00; its own component, the sensor, is covered.
            line("part", "92.00", "92.00", "0.00", Some("warranty")),
            // 200.00 x 1.15 = 230.00; no component: the fault's (display), expired.
            line("part", "230.00", "0.00", "230.00", None),
        ]
    );
    // 80.00 + 31.25 + 270.00 + 230.00 = 611.25; 13% = 79.4625 -> 79.46;
    // 611.25 + 79.46 = 690.71; covered 60.00 + 92.00 = 152.00, warranty 92.00.
    assert_eq!(
        (
            charges.subtotal.to_string(),
            charges.tax.to_string(),
            charges.total.to_string(),
            charges.covered_total.to_string(),
            charges.warranty_total.to_string(),
        ),
        (
            "611.25".into(),
            "79.46".into(),
            "690.71".into(),
            "152.00".into(),
            "92.00".into()
        )
    );
}

// ------------------------------------------------- fees: a rule's bill line

const FEE_RULE_POLICY: &str = r#"
[policy]
id = "fee-rule"
version = "1"
currency = "CNY"
timezone = "Asia/Shanghai"
script = '''
fn adjust_charges(ticket, charges) {
    // Neither line gives `payable`, and the first no `covered` either.
    charges.lines.push(#{ code: "disposal", description: "Disposal of the old unit",
        quantity: "1", unit_price: "15.00", amount: "15.00" });
    charges.lines.push(#{ code: "goodwill", description: "Goodwill visit",
        quantity: "1", unit_price: "20.00", amount: "20.00", covered: "20.00",
        covered_by: "goodwill" });
    charges
}
'''

[fees]
rule = "adjust_charges"
[fees.labor]
rate = "120.00"
"#;

/// A rule's line without `payable` (docs/fees.md: "`payable` is recomputed
/// as `amount − covered`"); the old engine failed with "missing field
/// `payable`".
#[test]
fn a_rule_line_without_payable_is_recomputed() {
    let policy = Policy::from_toml_str(FEE_RULE_POLICY).unwrap();
    let ticket = Ticket::from_json(
        r#"{"id": "F-1", "opened_at": "2026-03-02T10:00:00+08:00", "work": {"labor": "1h"}}"#,
    )
    .unwrap();
    let e = policy
        .evaluate(&ticket, at("2026-03-02T12:00:00+08:00"))
        .unwrap();
    let charges = e.charges.unwrap();
    let lines: Vec<(&str, String, String)> = charges
        .lines
        .iter()
        .map(|l| {
            (
                l.code.as_str(),
                l.covered.to_string(),
                l.payable.to_string(),
            )
        })
        .collect();
    // labour 1 h × 120.00 = 120.00; disposal 15.00 − 0.00 covered = 15.00;
    // goodwill 20.00 − 20.00 covered = 0.00.
    assert_eq!(
        lines,
        vec![
            ("labor", "0.00".into(), "120.00".into()),
            ("disposal", "0.00".into(), "15.00".into()),
            ("goodwill", "20.00".into(), "0.00".into()),
        ]
    );
    // subtotal 120.00 + 15.00 + 0.00 = 135.00; no [fees.tax]: total 135.00;
    // covered 20.00.
    assert_eq!(charges.subtotal.to_string(), "135.00");
    assert_eq!(charges.total.to_string(), "135.00");
    assert_eq!(charges.covered_total.to_string(), "20.00");
}

// ------------------------------------------------ credits: rule and filters

const CREDIT_RULE_POLICY: &str = r#"
[policy]
id = "credit-rule"
version = "1"
currency = "CNY"
timezone = "Asia/Shanghai"
script = '''
fn late_credit(ticket, metric) { [money("25.00"), "flat goodwill"] }
'''

[[targets]]
metric = "resolve"
stop = "resolved"
target = "1h"

[[credits]]
metric = "resolve"
kind = "compensation"
rule = "late_credit"
tiers = ["vip"]

[[credits]]
metric = "resolve"
kind = "service_credit"
rule = "late_credit"
plans = ["care"]
"#;

/// A `[[credits]]` entry with a `rule` honours its `tiers` and `plans`: the
/// old engine called the rule for every ticket.
#[test]
fn a_rule_credit_honours_tiers_and_plans() {
    let policy = Policy::from_toml_str(CREDIT_RULE_POLICY).unwrap();
    // Opened 10:00, target 1 h, not resolved at 12:00: breached 1 h late.
    let credits = |customer: &str| {
        let ticket = Ticket::from_json(&format!(
            r#"{{"id": "C-1", "opened_at": "2026-03-02T10:00:00+08:00", "customer": {customer}}}"#
        ))
        .unwrap();
        let e = policy
            .evaluate(&ticket, at("2026-03-02T12:00:00+08:00"))
            .unwrap();
        assert_eq!(e.sla[0].current.status.to_string(), "breached");
        e.credits
            .iter()
            .map(|c| (c.source.clone().unwrap(), c.amount.to_string()))
            .collect::<Vec<_>>()
    };
    // A member without a plan: neither entry applies.
    assert_eq!(credits(r#"{"tier": "member"}"#), vec![]);
    // A VIP: credits[0] (tiers = ["vip"]) only, the rule's 25.00.
    assert_eq!(
        credits(r#"{"tier": "vip"}"#),
        vec![("credits[0]".to_string(), "25.00".to_string())]
    );
    // A care-plan member: credits[1] (plans = ["care"]) only.
    assert_eq!(
        credits(r#"{"tier": "member", "plan": "care"}"#),
        vec![("credits[1]".to_string(), "25.00".to_string())]
    );
}

// ------------------------------------ warranty: requests that report no fault

/// Main unit 1 year from purchase; the 7-day return and the three guarantees,
/// with an exchange after 30 days in repair.
const RETURN_POLICY: &str = r#"
[policy]
id = "returns"
version = "1"
currency = "CNY"
timezone = "Asia/Shanghai"

[warranty]
start = "purchased_on"
statutory = ["cn-7day-return", "cn-sanbao"]
[warranty.components.main_unit]
period = "1 year"
[warranty.cn_sanbao]
repair_wait_exchange_days = 30
"#;

fn decide(ticket: &str, as_of: &str) -> aftersales::WarrantyDecision {
    let policy = Policy::from_toml_str(RETURN_POLICY).unwrap();
    let ticket = Ticket::from_json(ticket).unwrap();
    policy.evaluate(&ticket, at(as_of)).unwrap().warranty
}

/// "In repair more than 30 days" counts only for the repair of a fault: a
/// return asked for without a fault, still open after 44 days, is not an
/// exchange (the old engine made it one).
#[test]
fn a_no_fault_return_is_not_in_repair() {
    // Bought 2026-03-01, claimed 2026-04-01 (day 31: past the 7 and 15 days),
    // evaluated 2026-05-15: 04-01 .. 05-15 is 30 + 14 = 44 days open.
    let d = decide(
        r#"{"id": "R-1", "opened_at": "2026-04-01T10:00:00+08:00", "kind": "return",
            "product": {"purchased_on": "2026-03-01"}}"#,
        "2026-05-15T12:00:00+08:00",
    );
    // main_unit until 2026-03-01 + 1 year = 2027-03-01: in warranty, but no
    // fault and no statutory return: no remedy at all.
    assert_eq!(d.status, WarrantyStatus::InWarranty, "{:?}", d.because);
    assert_eq!(d.remedy, None, "{:?}", d.because);
    assert!(
        !d.because
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
            .contains("in repair for"),
        "{:?}",
        d.because
    );

    // The same ticket as the repair of a fault: 44 > 30 days in repair gives
    // the exchange, until the period's end 2027-03-01 + 44 days = 2027-04-14
    // (March has 31 days: 03-01 + 30 = 03-31, + 14 = 04-14).
    let d = decide(
        r#"{"id": "R-2", "opened_at": "2026-04-01T10:00:00+08:00", "kind": "repair",
            "product": {"purchased_on": "2026-03-01"},
            "fault": {"component": "main_unit", "cause": "defect"}}"#,
        "2026-05-15T12:00:00+08:00",
    );
    assert_eq!(
        d.status,
        WarrantyStatus::StatutoryExchange,
        "{:?}",
        d.because
    );
    let remedy = d.remedy.unwrap();
    assert_eq!(remedy.kind, RemedyKind::Exchange);
    assert_eq!(remedy.deadline, Some("2027-04-14".parse().unwrap()));
}

/// A change-of-mind return is answered as a return: granted under the 7-day
/// rule while it holds, else refused, never "in warranty: free repair".
#[test]
fn a_change_of_mind_return_is_answered_as_a_return() {
    // Bought online, delivered 2026-03-02, asked on 2026-03-04 (day 2 of 7),
    // but the seal is broken (product.intact = false): no return without
    // reason. The old engine answered "in warranty: free repair".
    let d = decide(
        r#"{"id": "R-3", "opened_at": "2026-03-04T10:00:00+08:00", "kind": "return",
            "product": {"purchased_on": "2026-03-01", "sold_via": "online",
                        "delivered_on": "2026-03-02", "intact": false}}"#,
        "2026-03-04T12:00:00+08:00",
    );
    assert_eq!(d.status, WarrantyStatus::InWarranty);
    assert_eq!(d.remedy, None, "{:?}", d.because);
    // main_unit: 2026-03-01 + 1 year = 2027-03-01.
    assert_eq!(
        d.because.last().map(ToString::to_string).as_deref(),
        Some(
            "return requested with no fault reported (ticket.kind = \"return\"): no return \
             is owed; in warranty, but the free repair under warranty (until 2027-03-01) is \
             for a fault, which this ticket does not report"
        )
    );

    // Intact: the return is owed until 2026-03-02 + 7 days = 2026-03-09.
    let d = decide(
        r#"{"id": "R-4", "opened_at": "2026-03-04T10:00:00+08:00", "kind": "return",
            "product": {"purchased_on": "2026-03-01", "sold_via": "online",
                        "delivered_on": "2026-03-02", "intact": true}}"#,
        "2026-03-04T12:00:00+08:00",
    );
    assert_eq!(d.status, WarrantyStatus::StatutoryReturn);
    let remedy = d.remedy.unwrap();
    assert_eq!(remedy.kind, RemedyKind::Return);
    assert_eq!(remedy.deadline, Some("2026-03-09".parse().unwrap()));

    // A return with a fault (a defective unit) is a warranty claim: the
    // contractual repair stands when no statutory return is owed (day 31
    // after sale, not sold at a distance).
    let d = decide(
        r#"{"id": "R-5", "opened_at": "2026-04-01T10:00:00+08:00", "kind": "return",
            "product": {"purchased_on": "2026-03-01"},
            "fault": {"component": "main_unit", "cause": "defect"}}"#,
        "2026-04-01T12:00:00+08:00",
    );
    assert_eq!(d.status, WarrantyStatus::InWarranty);
    assert_eq!(d.remedy.map(|r| r.kind), Some(RemedyKind::Repair));
}

// ------------------------------------------ sla: the settled clock rules (issue 22)

/// Three clocks on 24x7 (so counted time is wall time): `resolve` and
/// `resolve_from_change` start at `assigned`, `graced` at the opening with a
/// grace, `slot_offer` stops at an offered slot.
const CLOCK_POLICY: &str = r#"
[policy]
id = "clock-defects"
version = "1"
timezone = "UTC"
events = ["assigned", "slot_offered"]

[severity]
levels = ["critical", "normal"]
default = "normal"

[[targets]]
metric = "resolve"
start = "assigned"
stop = "resolved"
target = { critical = "1h", normal = "4h" }

[[targets]]
metric = "resolve_from_change"
start = "assigned"
stop = "resolved"
target = { critical = "1h", normal = "4h" }
recompute = "from_change"

[[targets]]
metric = "graced"
stop = "resolved"
target = { critical = "1h", normal = "4h" }
grace = "30m"

[[targets]]
metric = "slot_offer"
stop = "slot_offered"
stop_at = "slot"
target = "4h"
"#;

/// The named metric's fields as JSON, at `as_of`, for a ticket opened
/// 2026-03-02 09:00 UTC with `events`.
fn clock(events: &str, as_of: &str, metric: &str) -> serde_json::Value {
    let policy = Policy::from_toml_str(CLOCK_POLICY).unwrap();
    let ticket = Ticket::from_json(&format!(
        r#"{{"id": "C-1", "opened_at": "2026-03-02T09:00:00Z", "events": [{events}]}}"#
    ))
    .unwrap();
    let evaluation = policy.evaluate(&ticket, at(as_of)).unwrap();
    serde_json::to_value(evaluation.metric(metric).unwrap()).unwrap()
}

/// The fields a test compares, in this order.
fn fields(metric: &serde_json::Value, keys: &[&str]) -> Vec<(String, serde_json::Value)> {
    keys.iter()
        .map(|k| (k.to_string(), metric.get(*k).cloned().unwrap_or_default()))
        .collect()
}

fn expect(pairs: &[(&str, serde_json::Value)]) -> Vec<(String, serde_json::Value)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

const ASSIGNED_THEN_CRITICAL: &str = r#"
    {"at": "2026-03-02T10:00:00Z", "kind": "assigned"},
    {"at": "2026-03-02T10:00:00Z", "kind": "severity_changed", "to": "critical"}"#;

#[test]
fn a_change_at_the_start_listed_after_it_sets_the_starting_level() {
    use serde_json::json;
    let keys = ["target", "started_at", "deadline", "elapsed", "remaining"];
    // The clock starts at 10:00 (assigned); the change to critical at 10:00,
    // listed after it, finds nothing elapsed: critical (1h) from the start.
    // deadline 10:00 + 1h = 11:00; at 10:30 elapsed 30m, remaining 1h - 30m = 30m.
    for metric in ["resolve", "resolve_from_change"] {
        let m = clock(ASSIGNED_THEN_CRITICAL, "2026-03-02T10:30:00Z", metric);
        assert_eq!(
            fields(&m, &keys),
            expect(&[
                ("target", json!("PT1H")),
                ("started_at", json!("2026-03-02T10:00:00Z")),
                ("deadline", json!("2026-03-02T11:00:00Z")),
                ("elapsed", json!("PT30M")),
                ("remaining", json!("PT30M")),
            ]),
            "{metric}"
        );
        // The starting level's own reason, not a change counted from the start.
        let because = m["because"].to_string();
        assert!(because.contains("severity critical"), "{because}");
        assert!(!because.contains("normal"), "{because}");
    }
    // Listed before the start: the same answer.
    let before = r#"
        {"at": "2026-03-02T10:00:00Z", "kind": "severity_changed", "to": "critical"},
        {"at": "2026-03-02T10:00:00Z", "kind": "assigned"}"#;
    let m = clock(before, "2026-03-02T10:30:00Z", "resolve_from_change");
    assert_eq!(m["target"], json!("PT1H"));
    assert_eq!(m["deadline"], json!("2026-03-02T11:00:00Z"));
    // One minute later, from_change: 1m elapsed + 1h = 1h01m, due 11:01;
    // from_start: 1h from 10:00, due 11:00 as at the start.
    let later = r#"
        {"at": "2026-03-02T10:00:00Z", "kind": "assigned"},
        {"at": "2026-03-02T10:01:00Z", "kind": "severity_changed", "to": "critical"}"#;
    let m = clock(later, "2026-03-02T10:30:00Z", "resolve_from_change");
    assert_eq!(m["target"], json!("PT1H1M"));
    assert_eq!(m["deadline"], json!("2026-03-02T11:01:00Z"));
    let m = clock(later, "2026-03-02T10:30:00Z", "resolve");
    assert_eq!(m["target"], json!("PT1H"));
    assert_eq!(m["deadline"], json!("2026-03-02T11:00:00Z"));
}

#[test]
fn a_change_listed_after_a_stop_at_the_start_instant_does_nothing_to_that_cycle() {
    use serde_json::json;
    // assigned and resolved at 10:00, then the change: the cycle started and
    // stopped before the change, so it keeps normal (4h): met, elapsed 0,
    // remaining 4h - 0 = 4h, deadline 10:00 + 4h = 14:00.
    let events = r#"
        {"at": "2026-03-02T10:00:00Z", "kind": "assigned"},
        {"at": "2026-03-02T10:00:00Z", "kind": "resolved"},
        {"at": "2026-03-02T10:00:00Z", "kind": "severity_changed", "to": "critical"}"#;
    let m = clock(events, "2026-03-02T10:30:00Z", "resolve");
    assert_eq!(
        fields(
            &m,
            &["status", "target", "deadline", "elapsed", "remaining"]
        ),
        expect(&[
            ("status", json!("met")),
            ("target", json!("PT4H")),
            ("deadline", json!("2026-03-02T14:00:00Z")),
            ("elapsed", json!("PT0S")),
            ("remaining", json!("PT4H")),
        ])
    );
}

const CRITICAL_AT_10_10: &str =
    r#"{"at": "2026-03-02T10:10:00Z", "kind": "severity_changed", "to": "critical"}"#;

#[test]
fn a_deadline_passed_before_a_change_stays_put_when_the_grace_runs_out() {
    use serde_json::json;
    let keys = [
        "status",
        "target",
        "deadline",
        "due_by",
        "due_with_grace",
        "breached_at",
        "elapsed",
        "remaining",
        "overdue",
    ];
    // Opened 09:00 as normal (4h), raised to critical (1h, from the start) at
    // 10:10: the hour ran out at 09:00 + 1h = 10:00, before the change; the
    // grace (30m) had not: 70m elapsed <= 1h30m. Not a breach at the change.
    // deadline 10:00; due_with_grace = deadline + 30m = 10:30.
    // At 10:20: running, elapsed 80m, remaining 90m - 80m = 10m.
    let m = clock(CRITICAL_AT_10_10, "2026-03-02T10:20:00Z", "graced");
    assert_eq!(
        fields(&m, &keys),
        expect(&[
            ("status", json!("running")),
            ("target", json!("PT1H")),
            ("deadline", json!("2026-03-02T10:00:00Z")),
            ("due_by", json!(null)),
            ("due_with_grace", json!("2026-03-02T10:30:00Z")),
            ("breached_at", json!(null)),
            ("elapsed", json!("PT1H20M")),
            ("remaining", json!("PT10M")),
            ("overdue", json!(null)),
        ])
    );
    // At 10:40 the grace has run out: breached at 10:30, the deadline still
    // 10:00 (it does not move to the change), overdue 100m - 90m = 10m.
    let m = clock(CRITICAL_AT_10_10, "2026-03-02T10:40:00Z", "graced");
    assert_eq!(
        fields(&m, &keys),
        expect(&[
            ("status", json!("breached")),
            ("target", json!("PT1H")),
            ("deadline", json!("2026-03-02T10:00:00Z")),
            ("due_by", json!(null)),
            ("due_with_grace", json!("2026-03-02T10:30:00Z")),
            ("breached_at", json!("2026-03-02T10:30:00Z")),
            ("elapsed", json!("PT1H40M")),
            ("remaining", json!(null)),
            ("overdue", json!("PT10M")),
        ])
    );
    // Resolved at 10:25, within the grace: met against the same deadline;
    // elapsed 85m, remaining 90m - 85m = 5m.
    let resolved =
        format!(r#"{CRITICAL_AT_10_10}, {{"at": "2026-03-02T10:25:00Z", "kind": "resolved"}}"#);
    let m = clock(&resolved, "2026-03-02T11:00:00Z", "graced");
    assert_eq!(
        fields(&m, &["status", "deadline", "due_with_grace", "remaining"]),
        expect(&[
            ("status", json!("met")),
            ("deadline", json!("2026-03-02T10:00:00Z")),
            ("due_with_grace", json!("2026-03-02T10:30:00Z")),
            ("remaining", json!("PT5M")),
        ])
    );
    // Raised at 10:40 instead, when target and grace were both used up
    // (100m > 90m): a breach at the change, where deadline, due_with_grace
    // and breached_at all stand; at 11:00 overdue 120m - 90m = 30m.
    let late = r#"{"at": "2026-03-02T10:40:00Z", "kind": "severity_changed", "to": "critical"}"#;
    let m = clock(late, "2026-03-02T11:00:00Z", "graced");
    assert_eq!(
        fields(
            &m,
            &[
                "status",
                "deadline",
                "due_with_grace",
                "breached_at",
                "overdue"
            ]
        ),
        expect(&[
            ("status", json!("breached")),
            ("deadline", json!("2026-03-02T10:40:00Z")),
            ("due_with_grace", json!("2026-03-02T10:40:00Z")),
            ("breached_at", json!("2026-03-02T10:40:00Z")),
            ("overdue", json!("PT30M")),
        ])
    );
}

#[test]
fn pauses_after_an_offered_slot_do_nothing_to_its_cycle() {
    use serde_json::json;
    let keys = ["status", "stopped_at", "deadline", "elapsed", "remaining"];
    // Paused 11:00-12:00, then at 13:00 a slot offered for 10:30, before the
    // pause: the cycle stopped at 10:30, so the pause is after it. elapsed
    // 09:00-10:30 = 1h30m, remaining 4h - 1h30m = 2h30m, and the deadline
    // agrees: 10:30 + 2h30m = 09:00 + 4h = 13:00 (not 14:30, the pause added).
    let events = r#"
        {"at": "2026-03-02T11:00:00Z", "kind": "paused"},
        {"at": "2026-03-02T12:00:00Z", "kind": "resumed"},
        {"at": "2026-03-02T13:00:00Z", "kind": "slot_offered",
         "attributes": {"slot": "2026-03-02T10:30:00Z"}}"#;
    let m = clock(events, "2026-03-02T14:00:00Z", "slot_offer");
    assert_eq!(
        fields(&m, &keys),
        expect(&[
            ("status", json!("met")),
            ("stopped_at", json!("2026-03-02T10:30:00Z")),
            ("deadline", json!("2026-03-02T13:00:00Z")),
            ("elapsed", json!("PT1H30M")),
            ("remaining", json!("PT2H30M")),
        ])
    );
    assert!(
        !m["because"].to_string().contains("paused"),
        "{}",
        m["because"]
    );
    // Paused 10:00-12:00 around the 10:30 slot: the pause ends at the slot,
    // as a stop event at 10:30 would end it. elapsed 09:00-10:00 = 1h,
    // remaining 3h, deadline 10:30 + 3h = 13:30 (not 12:00 + 3h = 15:00).
    let events = r#"
        {"at": "2026-03-02T10:00:00Z", "kind": "paused"},
        {"at": "2026-03-02T12:00:00Z", "kind": "resumed"},
        {"at": "2026-03-02T13:00:00Z", "kind": "slot_offered",
         "attributes": {"slot": "2026-03-02T10:30:00Z"}}"#;
    let m = clock(events, "2026-03-02T14:00:00Z", "slot_offer");
    assert_eq!(
        fields(&m, &keys),
        expect(&[
            ("status", json!("met")),
            ("stopped_at", json!("2026-03-02T10:30:00Z")),
            ("deadline", json!("2026-03-02T13:30:00Z")),
            ("elapsed", json!("PT1H")),
            ("remaining", json!("PT3H")),
        ])
    );
    assert!(
        m["because"].to_string().contains("paused 30m"),
        "{}",
        m["because"]
    );
}
