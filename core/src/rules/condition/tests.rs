//! The native conditions against Rhai: on every ticket of a grid of field
//! values, a condition the native code answers gives Rhai's answer.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::rules::{ticket_value, RuleContext, Rules};
use chrono::NaiveDate;

/// Conditions the native code compiles.
const NATIVE: &[&str] = &[
    r#"ticket.channel == "hotline""#,
    r#"ticket.channel != "hotline""#,
    r#"ticket.kind != "consultation""#,
    r#"ticket.product?.category == "industrial""#,
    r#"ticket.product.category == "industrial""#,
    r#"ticket.product?.category in ["industrial", "household"]"#,
    r#"ticket.fault?.code in ["leak", "no_reading",]"#,
    r#"!(ticket.fault?.code in ["leak"])"#,
    r#"(ticket.fault?.complexity ?? "complex") == "simple""#,
    r#"ticket.customer?.tier == "key_account" && severity == "critical""#,
    r#"ticket.customer?.tier == "key_account" || severity != "low" && ticket.channel == "web""#,
    r#"(ticket.customer?.tier == "key_account" || severity != "low") && ticket.channel == "web""#,
    r#"severity < "m""#,
    r#"ticket.attributes.floor >= 3"#,
    r#"ticket.attributes.floor > 2.5"#,
    r#"ticket.attributes.floor == 3.0"#,
    r#"ticket.attributes.floor < -1"#,
    r#"ticket.attributes.vip == true"#,
    r#"ticket.attributes.vip"#,
    r#"!ticket.attributes.vip"#,
    r#"ticket.attributes.vip && ticket.channel == "web""#,
    r#"ticket.attributes.note == ()"#,
    r#"ticket.attributes.note != ()"#,
    r#"ticket.product?.intact == false"#,
    r#"ticket.survey?.nps >= 9"#,
    r#"ticket.customer?.zone in ["A", "B"] || ticket.customer?.zone == ()"#,
    r#"true"#,
    r#"ticket.attributes.floor < "4""#,
    r#"1 == 1.0"#,
];

/// Conditions left to Rhai.
const RHAI: &[&str] = &[
    r#"ticket.events.len() > 2"#,
    r#"ticket.product?.purchased_on > "2026-01-01""#,
    r#"ticket.attributes["floor"] > 2"#,
    r#"ticket.fault?.complexity ?? "complex" == "simple""#,
    r#"severity == "a" == true"#,
    r#"ticket.channel == 'h'"#,
    r#"ticket.channel == "a\"b""#,
    r#"age_days(ticket.product?.purchased_on) > 7"#,
    r#"ticket.channel != "web" // a comment"#,
    r#"ticket.attributes.floor + 1 > 2"#,
    r#"1_000 > 2"#,
];

fn tickets() -> Vec<Ticket> {
    let channels = ["", r#","channel":"hotline""#, r#","channel":"web""#];
    let products = [
        "",
        r#","product":{}"#,
        r#","product":{"category":"industrial","intact":false}"#,
        r#","product":{"category":"household","intact":true}"#,
    ];
    let faults = [
        "",
        r#","fault":{"code":"leak","complexity":"simple"}"#,
        r#","fault":{"code":"no_reading"}"#,
    ];
    let customers = [
        "",
        r#","customer":{"tier":"key_account","zone":"B"}"#,
        r#","customer":{"tier":"standard"},"survey":{"nps":9}"#,
    ];
    let attributes = [
        "",
        r#","attributes":{"floor":3,"vip":true,"note":"x"}"#,
        r#","attributes":{"floor":2.5,"vip":false,"note":null}"#,
        r#","attributes":{"floor":"3","vip":1}"#,
        r#","attributes":{"floor":-2,"vip":{"a":1},"note":[1]}"#,
    ];
    let mut out = Vec::new();
    for c in channels {
        for p in products {
            for f in faults {
                for u in customers {
                    for a in attributes {
                        let json = format!(
                            r#"{{"id":"T","opened_at":"2026-03-02T09:00:00+08:00","kind":"repair"{c}{p}{f}{u}{a}}}"#
                        );
                        out.push(Ticket::from_json(&json).unwrap());
                    }
                }
            }
        }
    }
    out
}

#[test]
fn native_conditions_give_rhai_answers() {
    let mut rules = Rules::new("p", None, "rules.rhai").unwrap();
    // Thousands of calls on a loaded machine: the wall-clock limit of one
    // call is not what this test is about.
    rules.set_time_limit(std::time::Duration::from_secs(60));
    let context = RuleContext {
        today: NaiveDate::from_ymd_opt(2026, 3, 3).unwrap(),
    };
    let tickets = tickets();
    for source in NATIVE {
        let id = rules
            .compile_expression("targets[0].when", source, &["ticket", "severity"])
            .unwrap();
        let condition = Condition::new(id, source);
        assert!(condition.is_native(), "{source} should compile natively");
        let native = condition.native.as_ref().unwrap();
        let mut answered = 0;
        for ticket in &tickets {
            for severity in ["critical", "low", "normal"] {
                let rhai = rules.evaluate(
                    context,
                    id,
                    vec![ticket_value(ticket), Dynamic::from(severity.to_string())],
                );
                // Anything but a boolean is Rhai's to answer (or word as an error).
                if let Ok(Value::Bool(b)) = native.evaluate(ticket, severity) {
                    answered += 1;
                    let rhai = rhai.unwrap_or_else(|e| {
                        panic!("{source}: native {b}, Rhai error {e} on {ticket:?}")
                    });
                    assert_eq!(
                        rhai.as_bool().ok(),
                        Some(b),
                        "{source} on {ticket:?} at {severity}"
                    );
                }
            }
        }
        // The native code answers: only where Rhai raises an error, orders
        // mixed types or reads a map is the answer left to it.
        assert!(
            answered * 3 > tickets.len() * 3,
            "{source}: native answered {answered} of {}",
            tickets.len() * 3
        );
    }
}

#[test]
fn other_conditions_are_left_to_rhai() {
    for source in RHAI {
        assert!(Native::compile(source).is_none(), "{source}");
    }
}

#[test]
fn an_absent_parent_through_a_dot_is_rhai_s_error() {
    // `ticket.product.category` on a ticket without a product: Rhai
    // raises an error, so the native code must not answer.
    let native = Native::compile(r#"ticket.product.category == "x""#).unwrap();
    let ticket =
        Ticket::from_json(r#"{"id":"T","opened_at":"2026-03-02T09:00:00+08:00"}"#).unwrap();
    assert_eq!(native.evaluate(&ticket, "low"), Err(AskRhai));
    // Through `?.` it is `()`, and `() == "x"` is false.
    let native = Native::compile(r#"ticket.product?.category == "x""#).unwrap();
    assert_eq!(native.evaluate(&ticket, "low"), Ok(Value::Bool(false)));
}
