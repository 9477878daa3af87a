//! Warranty, fees and credits through `Policy::evaluate`, with the Rhai
//! rules of `tests/data/money_policy.toml`. Every figure is worked by hand.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use aftersales::WarrantyStatus;
use aftersales::{Policy, Ticket};
use chrono::{DateTime, Utc};

fn policy() -> Policy {
    Policy::from_path(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/money_policy.toml"),
    )
    .unwrap()
}

fn ticket(attributes: &str) -> Ticket {
    Ticket::from_json(&format!(
        r#"{{"id":"M","opened_at":"2026-03-02T10:00:00+08:00",
            "product":{{"purchased_on":"2024-01-10"}},
            "work":{{"labor":"1h10m","parts":[{{"sku":"VALVE","qty":1,"unit_price":"80.00"}}]}},
            "events":[{{"at":"2026-03-03T16:00:00+08:00","kind":"resolved"}}],
            "attributes":{attributes}}}"#
    ))
    .unwrap()
}

fn as_of() -> DateTime<Utc> {
    "2026-03-04T00:00:00+08:00".parse().unwrap()
}

#[test]
fn expired_warranty_the_customer_pays_and_a_rule_adds_a_line() {
    let e = policy()
        .evaluate(&ticket(r#"{"take_away":true}"#), as_of())
        .unwrap();
    // Bought 2024-01-10, one year (the start day not counted) ends 2025-01-10: expired on 2026-03-02.
    assert_eq!(e.warranty.status, WarrantyStatus::Expired);
    let charges = e.charges.unwrap();
    let amounts: Vec<(String, String, String)> = charges
        .lines
        .iter()
        .map(|l| (l.code.clone(), l.amount.to_string(), l.payable.to_string()))
        .collect();
    // Labour: 1h10m is past the 1 h minimum, the rest rounds up to 30 min: 1.5 h × 120.00 = 180.00.
    // Part: 80.00 + 10 % markup = 88.00. The rule adds disposal 15.00.
    assert_eq!(
        amounts,
        vec![
            ("labor".into(), "180.00".into(), "180.00".into()),
            ("part".into(), "88.00".into(), "88.00".into()),
            ("disposal".into(), "15.00".into(), "15.00".into()),
        ]
    );
    assert!(charges.lines[2]
        .because
        .iter()
        .any(|b| b == "added by rule adjust_charges()"));
    // 180.00 + 88.00 + 15.00 = 283.00; tax 13 % = 36.79; total 319.79.
    assert_eq!(
        (
            charges.subtotal.to_string(),
            charges.tax.to_string(),
            charges.total.to_string()
        ),
        ("283.00".into(), "36.79".into(), "319.79".into())
    );
}

#[test]
fn a_warranty_rule_turns_the_bill_to_covered_lines() {
    let e = policy()
        .evaluate(&ticket(r#"{"goodwill":true}"#), as_of())
        .unwrap();
    assert_eq!(e.warranty.status, WarrantyStatus::InWarranty);
    assert!(e
        .warranty
        .because
        .iter()
        .any(|b| b == "rule adjust_warranty() changed the status from expired to in_warranty"));
    let charges = e.charges.unwrap();
    // The same lines stay on the bill, borne by the warranty: 180.00 + 88.00 covered, nothing payable.
    for line in &charges.lines {
        assert_eq!(line.covered, line.amount, "{}", line.code);
        assert!(line.payable.0.is_zero(), "{}", line.code);
    }
    assert_eq!(charges.covered_total.to_string(), "268.00");
    assert_eq!(charges.total.to_string(), "0.00");
}

#[test]
fn a_late_repair_earns_a_capped_credit_and_a_rule_credit() {
    let e = policy().evaluate(&ticket("{}"), as_of()).unwrap();
    // Opened Mon 10:00, 24 h target -> Tue 10:00; resolved Tue 16:00: breached, 6 h late.
    let resolve = e.metric("resolve").unwrap();
    assert_eq!(resolve.current.overdue.map(|d| d.0.num_hours()), Some(6));
    // Data credit: 50.00 + 6 started hours × 10.00 = 110.00, capped per ticket at 80.00.
    // Rule credit: 25.00 from late_credit().
    let credits: Vec<(String, String)> = e
        .credits
        .iter()
        .map(|c| (c.kind.clone(), c.amount.to_string()))
        .collect();
    assert_eq!(
        credits,
        vec![
            ("compensation".into(), "80.00".into()),
            ("service_credit".into(), "25.00".into())
        ]
    );
    assert!(e.credits[1]
        .because
        .iter()
        .any(|b| b == "rule late_credit(): flat goodwill for any late repair"));
}

#[test]
fn hooks_and_rules_show_in_the_trace() {
    let e = policy()
        .evaluate_with(
            &ticket(r#"{"goodwill":true}"#),
            as_of(),
            aftersales::EvaluateOptions {
                trace: true,
                ..Default::default()
            },
        )
        .unwrap();
    let rules: Vec<&str> = e.trace.iter().map(|t| t.rule.as_str()).collect();
    assert!(
        rules.contains(&"adjust_warranty()")
            && rules.contains(&"adjust_charges()")
            && rules.contains(&"late_credit()"),
        "{rules:?}"
    );
}

/// Regression: a fault on a component that an entry `includes`, or that only
/// the default component judges, is in warranty, and so are its labour and
/// parts. The bill used to look the component up by entry name only, and
/// billed them in full.
#[test]
fn included_and_default_components_are_covered_on_the_bill() {
    let policy = Policy::from_toml_str(
        r#"
[policy]
id = "includes"
version = "1"
timezone = "Asia/Shanghai"

[warranty]
default_component = "main_unit"
[warranty.components.main_unit]
period = "1 year"
[warranty.components.electronics]
period = "3 years"
includes = ["display"]
[warranty.components.battery]
period = "6 months"

[fees.labor]
rate = "100.00"
[fees.parts]
"#,
    )
    .unwrap();
    let ticket = Ticket::from_json(
        r#"{"id":"I","opened_at":"2026-03-02T10:00:00+08:00",
            "product":{"purchased_on":"2025-06-01"},
            "fault":{"component":"display"},
            "work":{"labor":"1h","parts":[
                {"sku":"LCD","component":"display","qty":1,"unit_price":"90.00"},
                {"sku":"KEY","component":"keypad","qty":1,"unit_price":"20.00"},
                {"sku":"BAT","component":"battery","qty":1,"unit_price":"30.00"}]}}"#,
    )
    .unwrap();
    let e = policy.evaluate(&ticket, as_of()).unwrap();
    // Bought 2025-06-01: electronics (display) until 2028-06-01, main_unit until
    // 2026-06-01, battery until 2025-12-01 (expired on 2026-03-02).
    assert_eq!(e.warranty.status, WarrantyStatus::InWarranty);
    let charges = e.charges.unwrap();
    let lines: Vec<(&str, String, Option<&str>)> = charges
        .lines
        .iter()
        .map(|l| {
            (
                l.description.as_str(),
                l.payable.to_string(),
                l.covered_by.as_deref(),
            )
        })
        .collect();
    // Labour on the display: judged by `electronics` (includes) -> covered.
    // LCD (display): electronics -> covered; KEY (keypad): no entry, the default
    // main_unit -> covered; BAT (battery): its own entry, expired -> 30.00 payable.
    assert_eq!(
        lines,
        vec![
            (
                "Labour 1 h at 100.00/h",
                "0.00".to_string(),
                Some("warranty")
            ),
            (
                "Part LCD (display) × 1 at 90.00",
                "0.00".to_string(),
                Some("warranty")
            ),
            (
                "Part KEY (keypad) × 1 at 20.00",
                "0.00".to_string(),
                Some("warranty")
            ),
            ("Part BAT (battery) × 1 at 30.00", "30.00".to_string(), None),
        ]
    );
    assert_eq!(charges.total.to_string(), "30.00");
    assert!(charges.lines[2].because.iter().any(
        |b| b == "covered by the warranty: component `keypad` is in warranty (as `main_unit`)"
    ));
}

/// A cap worked out from a contract fee too large for the decimal type is
/// an error naming the attribute, never a cap saturated at the maximum
/// (which would let the credit through uncapped).
#[test]
fn a_percentage_cap_that_overflows_is_an_error_naming_the_contract_fee() {
    let policy = Policy::from_toml_str(
        r#"
[policy]
id = "cap-overflow"
version = "1"
timezone = "Asia/Shanghai"
currency = "CNY"

[[targets]]
metric = "resolve"
stop = "resolved"
target = "24h"

[[credits]]
metric = "resolve"
kind = "service_credit"
fixed = "50.00"
cap_per_ticket_percent_of_contract_fee = "20"
"#,
    )
    .unwrap();
    let ticket = |fee: &str| {
        Ticket::from_json(&format!(
            r#"{{"id":"C","opened_at":"2026-03-02T10:00:00+08:00",
                "events":[{{"at":"2026-03-03T16:00:00+08:00","kind":"resolved"}}],
                "attributes":{{"contract_fee":"{fee}"}}}}"#
        ))
        .unwrap()
    };
    // Breached (6 h late): 50.00; the cap is 20% of 1000.00 = 200.00.
    let e = policy.evaluate(&ticket("1000.00"), as_of()).unwrap();
    assert_eq!(e.credits[0].amount.to_string(), "50.00");
    // 20% of 79228162514264337593543950335 is beyond what the decimal type
    // holds to the cent (at most 792281625142643375935439503.35).
    match policy.evaluate(&ticket("79228162514264337593543950335"), as_of()) {
        Err(aftersales::Error::Ticket { field, message, .. }) => {
            assert_eq!(field, "attributes.contract_fee");
            assert!(message.contains("too large"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

/// `attributes.contract_start`, which a plan-year cap reads, is a date of
/// the ticket like any other: years 1900 through 2200, else a ticket error
/// naming the attribute.
#[test]
fn a_contract_start_outside_the_supported_years_is_a_located_ticket_error() {
    let policy = Policy::from_toml_str(
        r#"
[policy]
id = "plan-year"
version = "1"
timezone = "Asia/Shanghai"
currency = "CNY"

[[targets]]
metric = "resolve"
stop = "resolved"
target = "24h"

[[credits]]
metric = "resolve"
kind = "service_credit"
fixed = "50.00"
cap_per_period = { amount = "100.00", period = "plan_year" }
"#,
    )
    .unwrap();
    let ticket = |start: &str| {
        Ticket::from_json(&format!(
            r#"{{"id":"P","opened_at":"2026-03-02T10:00:00+08:00",
                "customer":{{"id":"C-1"}},
                "events":[{{"at":"2026-03-03T16:00:00+08:00","kind":"resolved"}}],
                "attributes":{{"contract_start":"{start}"}}}}"#
        ))
        .unwrap()
    };
    for start in ["0000-01-01", "1899-12-31", "2201-01-01"] {
        match policy.evaluate(&ticket(start), as_of()) {
            Err(aftersales::Error::Ticket { field, message, .. }) => {
                assert_eq!(field, "attributes.contract_start", "{start}");
                assert!(message.contains("years 1900 through 2200"), "{message}");
            }
            other => panic!("{start}: {other:?}"),
        }
    }
    // Inside the range: breached 6 h late, 50.00.
    let e = policy.evaluate(&ticket("1900-01-01"), as_of()).unwrap();
    assert_eq!(e.credits[0].amount.to_string(), "50.00");
}
