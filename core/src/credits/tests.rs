//! Credit tests: the hand-worked cases of `cases.toml`, policy and ticket
//! errors, credits computed by a rule, and the laws of caps (proptest).

use super::*;
use crate::duration::Duration;
use crate::error::Error;
use crate::sla::{Cycle, MetricResult, MetricStatus};
use crate::ticket::Ticket;
use chrono::{DateTime, FixedOffset, Utc};
use rust_decimal::Decimal;
use serde::Deserialize;

// ------------------------------------------------------------------ harness

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    credits: Vec<CreditSpec>,
    #[serde(default)]
    period_caps: bool,
    tickets: Vec<TicketSetup>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TicketSetup {
    id: String,
    #[serde(default)]
    customer: Option<String>,
    #[serde(default)]
    tier: Option<String>,
    #[serde(default)]
    attributes: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    at: Option<DateTime<FixedOffset>>,
    sla: Vec<SlaSetup>,
    #[serde(default)]
    expect: Vec<Expected>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SlaSetup {
    metric: String,
    status: MetricStatus,
    #[serde(default)]
    overdue: Option<Duration>,
    #[serde(default)]
    breached_at: Option<DateTime<FixedOffset>>,
    #[serde(default)]
    cycles: Vec<CycleSetup>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CycleSetup {
    status: MetricStatus,
    #[serde(default)]
    overdue: Option<Duration>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    #[serde(default)]
    metric: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    source: Option<String>,
    amount: Money,
    #[serde(default)]
    because: Option<String>,
}

fn cycle(
    status: MetricStatus,
    overdue: Option<Duration>,
    breached_at: Option<DateTime<FixedOffset>>,
) -> Cycle {
    Cycle {
        breached_at,
        overdue,
        ..Cycle::empty(status)
    }
}

fn sla_of(setups: &[SlaSetup]) -> Vec<MetricResult> {
    setups
        .iter()
        .map(|s| MetricResult {
            metric: s.metric.clone(),
            calendar: "24x7".into(),
            target: Some("PT2H".into()),
            grace: None,
            current: cycle(s.status, s.overdue, s.breached_at),
            current_target: None,
            current_deadline: None,
            cycles: s
                .cycles
                .iter()
                .map(|c| cycle(c.status, c.overdue, None))
                .collect(),
            because: Vec::new(),
        })
        .collect()
}

fn ticket_of(setup: &TicketSetup) -> Ticket {
    let value = serde_json::json!({
        "id": setup.id,
        "opened_at": setup.at.map(|t| t.to_rfc3339()).unwrap_or_else(|| "2026-03-02T08:00:00+08:00".into()),
        "customer": {"id": setup.customer, "tier": setup.tier},
        "attributes": setup.attributes,
    });
    Ticket::from_value(value).unwrap()
}

/// Caps a batch's credits per period, tickets taken in the given order.
fn apply_caps(rules: &CreditRules, items: &mut [(DateTime<Utc>, &mut Vec<Credit>)]) {
    let mut ledger = super::rules::PeriodLedger::default();
    for (at, credits) in items.iter_mut() {
        rules.apply_period_caps(&mut ledger, *at, credits);
    }
}

fn run(case: &Case) -> Result<(), String> {
    let rules =
        CreditRules::compile("cases", &case.credits, "CNY").map_err(|e| format!("compile: {e}"))?;
    let mut batch: Vec<(DateTime<Utc>, Vec<Credit>)> = Vec::new();
    for setup in &case.tickets {
        let ticket = ticket_of(setup);
        let credits = rules
            .credits(&ticket, &sla_of(&setup.sla))
            .map_err(|e| format!("{}: {e}", setup.id))?;
        batch.push((ticket.opened_at_utc(), credits));
    }
    if case.period_caps {
        let mut items: Vec<(DateTime<Utc>, &mut Vec<Credit>)> =
            batch.iter_mut().map(|(t, c)| (*t, c)).collect();
        apply_caps(&rules, &mut items);
    }
    for (setup, (_, credits)) in case.tickets.iter().zip(&batch) {
        let show = || serde_json::to_string_pretty(credits).unwrap_or_default();
        if credits.len() != setup.expect.len() {
            return Err(format!(
                "{}: expected {} credits, got {}\n{}",
                setup.id,
                setup.expect.len(),
                credits.len(),
                show()
            ));
        }
        for (i, (want, got)) in setup.expect.iter().zip(credits).enumerate() {
            let mismatch = |what: &str, w: &str, g: &str| {
                Err(format!(
                    "{} credit {i} {what}: expected {w}, got {g}\n{}",
                    setup.id,
                    show()
                ))
            };
            if want.amount.to_string() != got.amount.to_string() {
                return mismatch("amount", &want.amount.to_string(), &got.amount.to_string());
            }
            if let Some(m) = &want.metric {
                if *m != got.metric {
                    return mismatch("metric", m, &got.metric);
                }
            }
            if let Some(k) = &want.kind {
                if *k != got.kind {
                    return mismatch("kind", k, &got.kind);
                }
            }
            if let Some(s) = &want.source {
                if Some(s) != got.source.as_ref() {
                    return mismatch("source", s, got.source.as_deref().unwrap_or("-"));
                }
            }
            if let Some(b) = &want.because {
                if !got.because.iter().any(|g| g.contains(b.as_str())) {
                    return Err(format!(
                        "{} credit {i} because lacks {b:?}\n{}",
                        setup.id,
                        show()
                    ));
                }
            }
            if got.currency != "CNY" {
                return mismatch("currency", "CNY", &got.currency);
            }
        }
    }
    // Applying the caps a second time changes nothing.
    if case.period_caps {
        let before = batch.clone();
        let mut items: Vec<(DateTime<Utc>, &mut Vec<Credit>)> =
            batch.iter_mut().map(|(t, c)| (*t, c)).collect();
        apply_caps(&rules, &mut items);
        if before != batch {
            return Err("a second apply_period_caps changed the credits".into());
        }
    }
    Ok(())
}

#[test]
fn credits_hand_worked_cases() {
    let cases: Cases = toml::from_str(include_str!("cases.toml")).unwrap();
    assert!(cases.case.len() >= 15, "{} cases", cases.case.len());
    let failures: Vec<String> = cases
        .case
        .iter()
        .filter_map(|case| {
            run(case)
                .err()
                .map(|e| format!("case `{}`: {e}", case.name))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

// ------------------------------------------------------------------ errors

fn compile_toml(text: &str) -> Result<CreditRules, Error> {
    #[derive(Deserialize)]
    struct Doc {
        credits: Vec<CreditSpec>,
    }
    let doc: Doc = toml::from_str(text).map_err(|e| Error::policy("p", "credits", e.message()))?;
    CreditRules::compile("p", &doc.credits, "CNY")
}

#[test]
fn credits_errors_name_the_toml_path() {
    let cases = [
        (
            "[[credits]]\nmetric = \"resolve\"\nkind = \"service_credit\"",
            "credits[0]",
            "says nothing about the amount",
        ),
        (
            "[[credits]]\nmetric = \"a\"\nkind = \"compensation\"\nfixed = \"1.00\"\n\
             [[credits]]\nmetric = \"b\"\nkind = \"compensation\"\nfixed = \"-1.00\"",
            "credits[1].fixed",
            "negative",
        ),
        (
            "[[credits]]\nmetric = \"a\"\nkind = \"compensation\"\nfixed = \"1.00\"\nrule = \"credit_a\"",
            "credits[0].rule",
            "not both",
        ),
        (
            "[[credits]]\nmetric = \"a\"\nkind = \"compensation\"\nfixed = \"1.00\"\ncontract_fee = \"100.00\"",
            "credits[0].contract_fee",
            "no effect without `percent_of_contract_fee`",
        ),
        (
            "[[credits]]\nmetric = \"a\"\nkind = \"compensation\"\nfixed = \"1.00\"\n\
             cap_per_period = { amount = \"10.00\", period = \"month\", timezone = \"Mars/Base\" }",
            "credits[0].cap_per_period.timezone",
            "unknown time zone `Mars/Base`",
        ),
        (
            "[[credits]]\nmetric = \" \"\nkind = \"compensation\"\nfixed = \"1.00\"",
            "credits[0].metric",
            "must name a metric",
        ),
    ];
    for (text, path, message) in cases {
        match compile_toml(text) {
            Err(Error::Policy {
                location,
                message: got,
                ..
            }) => {
                assert_eq!(location.path, path, "{text}");
                assert!(got.contains(message), "{text}: {got}");
            }
            other => panic!("{text}: expected a policy error, got {other:?}"),
        }
    }
    let err = |text: &str| match compile_toml(text) {
        Err(e) => e.to_string(),
        Ok(_) => String::new(),
    };
    let e = err("[[credits]]\nmetric = \"a\"\nkind = \"refund\"\nfixed = \"1.00\"");
    assert!(e.contains("service_credit"), "{e}");
    let e = err("[[credits]]\nmetric = \"a\"\nkind = \"compensation\"\nfixed = 1.5");
    assert!(e.contains("money is never a number"), "{e}");
    let e = err(
        "[[credits]]\nmetric = \"a\"\nkind = \"compensation\"\nfixed = \"1.00\"\n\
                 cap_per_period = { amount = \"10.00\", period = \"week\" }",
    );
    assert!(e.contains("month"), "{e}");
    assert!(matches!(
        CreditRules::compile("p", &[], "cny"),
        Err(Error::Policy { location, .. }) if location.path == "policy.currency"
    ));
}

fn breached(metric: &str, overdue_hours: i64) -> Vec<MetricResult> {
    vec![MetricResult {
        metric: metric.into(),
        calendar: "24x7".into(),
        target: Some("PT2H".into()),
        grace: None,
        current: cycle(
            MetricStatus::Breached,
            Some(Duration(chrono::TimeDelta::hours(overdue_hours))),
            None,
        ),
        current_target: None,
        current_deadline: None,
        cycles: Vec::new(),
        because: Vec::new(),
    }]
}

#[test]
fn credits_contract_fee_errors_name_the_ticket_field() {
    let rules = compile_toml(
        "[[credits]]\nmetric = \"contact\"\nkind = \"compensation\"\npercent_of_contract_fee = \"5\"",
    )
    .unwrap();
    let sla = breached("contact", 1);
    let field_of = |attributes: serde_json::Value| {
        let t = Ticket::from_value(serde_json::json!({
            "id": "T-1", "opened_at": "2026-03-02T08:00:00Z", "attributes": attributes,
        }))
        .unwrap();
        match rules.credits(&t, &sla) {
            Err(Error::Ticket { field, message, .. }) => (field, message),
            other => panic!("{other:?}"),
        }
    };
    let (field, message) = field_of(serde_json::json!({}));
    assert_eq!(field, "attributes.contract_fee");
    assert!(message.contains("missing"), "{message}");
    let (_, message) = field_of(serde_json::json!({"contract_fee": 1200.5}));
    assert!(message.contains("decimal string"), "{message}");
    let (_, message) = field_of(serde_json::json!({"contract_fee": "12,00"}));
    assert!(message.contains("not a decimal amount"), "{message}");
}

#[test]
fn credits_from_a_rule_are_rounded_and_capped() {
    let rules = compile_toml(
        "[[credits]]\nmetric = \"resolve\"\nkind = \"compensation\"\nrule = \"late_credit\"\n\
         cap_per_ticket = \"30.00\"\n\
         cap_per_period = { amount = \"50.00\", period = \"year\", per = \"policy\" }",
    )
    .unwrap();
    let entries: Vec<RuleEntry> = rules.rule_entries().collect();
    assert_eq!(
        entries,
        vec![RuleEntry {
            index: 0,
            metric: "resolve",
            function: "late_credit"
        }]
    );
    let t = Ticket::from_json(
        r#"{"id":"T-1","opened_at":"2026-03-02T08:00:00Z","customer":{"id":"C-1"}}"#,
    )
    .unwrap();
    // The data path leaves rule entries to the policy engine.
    assert_eq!(
        rules.credits(&t, &breached("resolve", 3)).unwrap(),
        Vec::new()
    );
    // The rule returned 12.345: half-up 12.35, under the cap.
    let small = rules
        .credit_from_rule(
            0,
            &t,
            Money(Decimal::new(12_345, 3)),
            vec!["rule late_credit()".into()],
        )
        .unwrap();
    assert_eq!(small.amount.to_string(), "12.35");
    assert_eq!(small.source.as_deref(), Some("credits[0]"));
    assert_eq!(small.customer.as_deref(), Some("C-1"));
    // 45.00 → capped at 30.00 per ticket.
    let large = rules
        .credit_from_rule(0, &t, Money(Decimal::new(45_00, 2)), Vec::new())
        .unwrap();
    assert_eq!(large.amount.to_string(), "30.00");
    // Per year for the policy: 12.35 + 30.00 = 42.35, then 30.00 → 7.65 left.
    let third = large.clone();
    let at = |d: &str| DateTime::parse_from_rfc3339(d).unwrap().to_utc();
    let (mut a, mut b, mut c) = (vec![small], vec![large], vec![third]);
    apply_caps(
        &rules,
        &mut [
            (at("2026-01-01T00:00:00Z"), &mut a),
            (at("2026-06-01T00:00:00Z"), &mut b),
            (at("2026-12-31T00:00:00Z"), &mut c),
        ],
    );
    assert_eq!(a[0].amount.to_string(), "12.35");
    assert_eq!(b[0].amount.to_string(), "30.00");
    assert_eq!(c[0].amount.to_string(), "7.65");
    // A negative rule result is refused, naming the function.
    match rules.credit_from_rule(0, &t, Money(Decimal::NEGATIVE_ONE), Vec::new()) {
        Err(Error::Rule { function, .. }) => assert_eq!(function, "late_credit"),
        other => panic!("{other:?}"),
    }
    assert!(rules
        .credit_from_rule(7, &t, Money::ZERO, Vec::new())
        .is_err());
}

// ------------------------------------------------------------------- laws

mod laws {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// Whatever the batch, each customer's credits per month never exceed
        /// the cap, no credit grows, and credits under the cap are paid in full
        /// when nothing came before them.
        #[test]
        fn credits_period_caps_hold(
            tickets in prop::collection::vec((0u8..3, 0i64..90, 0i64..20), 1..12),
            cap_cents in 0i64..50_000,
        ) {
            let rules = compile_toml(&format!(
                "[[credits]]\nmetric = \"resolve\"\nkind = \"service_credit\"\n\
                 per_started_hour = \"15.50\"\ncap_per_ticket = \"100.00\"\n\
                 cap_per_period = {{ amount = \"{}\", period = \"month\" }}",
                Decimal::new(cap_cents, 2)
            )).unwrap();
            let start = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z").unwrap().to_utc();
            let mut batch: Vec<(DateTime<Utc>, u8, Vec<Credit>)> = Vec::new();
            for (i, (customer, day, hours)) in tickets.iter().enumerate() {
                let t = Ticket::from_value(serde_json::json!({
                    "id": format!("T-{i}"),
                    "opened_at": "2026-01-01T00:00:00Z",
                    "customer": {"id": format!("C-{customer}")},
                })).unwrap();
                let credits = rules.credits(&t, &breached("resolve", *hours)).unwrap();
                for c in &credits {
                    // per started hour (at least one), capped per ticket
                    let want = (Decimal::new(15_50, 2) * Decimal::from((*hours).max(1))).min(Decimal::new(10_000, 2));
                    prop_assert_eq!(c.amount.0, want);
                }
                batch.push((start + chrono::TimeDelta::days(*day), *customer, credits));
            }
            let before: Vec<Vec<Credit>> = batch.iter().map(|b| b.2.clone()).collect();
            let mut items: Vec<(DateTime<Utc>, &mut Vec<Credit>)> =
                batch.iter_mut().map(|(t, _, c)| (*t, c)).collect();
            apply_caps(&rules, &mut items);
            let cap = Decimal::new(cap_cents, 2);
            let mut sums: std::collections::HashMap<(u8, u32), Decimal> = Default::default();
            for ((at, customer, credits), before) in batch.iter().zip(&before) {
                for (c, b) in credits.iter().zip(before) {
                    prop_assert!(c.amount.0 <= b.amount.0);
                    prop_assert!(c.amount.0 >= Decimal::ZERO);
                    prop_assert_eq!(c.amount.0.scale(), 2);
                    use chrono::Datelike;
                    *sums.entry((*customer, at.month())).or_default() += c.amount.0;
                }
            }
            for sum in sums.values() {
                prop_assert!(*sum <= cap);
            }
        }
    }
}
