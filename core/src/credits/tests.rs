//! Credit tests: the hand-worked cases of `tests/data/credit_cases.toml` (at
//! the repository's root), policy and ticket errors, credits computed by a
//! rule, and the laws of caps (proptest).

use super::rules::RuleEntry;
use super::spec::CreditKind;
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
    credit_caps: Option<CreditCapsSpec>,
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
    plan: Option<String>,
    /// The warranty decision's status (default `not_applicable`).
    #[serde(default)]
    warranty: Option<crate::warranty::WarrantyStatus>,
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
            next_change_at: None,
            because: Vec::new(),
        })
        .collect()
}

fn ticket_of(setup: &TicketSetup) -> Ticket {
    let value = serde_json::json!({
        "id": setup.id,
        "opened_at": setup.at.map(|t| t.to_rfc3339()).unwrap_or_else(|| "2026-03-02T08:00:00+08:00".into()),
        "customer": {"id": setup.customer, "tier": setup.tier, "plan": setup.plan},
        "attributes": setup.attributes,
    });
    Ticket::from_value(value).unwrap()
}

/// Caps a batch's credits per period, tickets taken in the given order.
fn apply_caps(rules: &CreditRules, items: &mut [(Ticket, &mut Vec<Credit>)]) -> Result<(), String> {
    let mut ledger = super::PeriodLedger::default();
    for (ticket, credits) in items.iter_mut() {
        rules
            .apply_period_caps(&mut ledger, ticket, credits)
            .map_err(|e| format!("{}: {e}", ticket.id))?;
    }
    Ok(())
}

/// The credits of one ticket as an evaluation works them out (without
/// `when` conditions, which need a policy's rules): eligible entries,
/// each capped, then capped together, then the inputs of later caps checked.
fn ticket_credits(
    rules: &CreditRules,
    setup: &TicketSetup,
    ticket: &Ticket,
) -> crate::error::Result<Vec<Credit>> {
    let mut decision = crate::warranty::WarrantyDecision::not_applicable("test");
    if let Some(status) = setup.warranty {
        decision.status = status;
    }
    let mut credits = rules.credits_where(ticket, &sla_of(&setup.sla), &|i, _| {
        rules.applies_with(i, ticket, &decision)
    })?;
    rules.cap_ticket_total(ticket, &mut credits)?;
    rules.check_cap_inputs(ticket, &credits)?;
    Ok(credits)
}

fn run(case: &Case) -> Result<(), String> {
    let (rules, errors) =
        CreditRules::compile_all("cases", &case.credits, case.credit_caps.as_ref(), "CNY");
    let rules = match (rules, errors.first()) {
        (Some(rules), None) => rules,
        (_, error) => return Err(format!("compile: {error:?}")),
    };
    let mut batch: Vec<(Ticket, Vec<Credit>)> = Vec::new();
    for setup in &case.tickets {
        let ticket = ticket_of(setup);
        let credits =
            ticket_credits(&rules, setup, &ticket).map_err(|e| format!("{}: {e}", setup.id))?;
        batch.push((ticket, credits));
    }
    if case.period_caps {
        let mut items: Vec<(Ticket, &mut Vec<Credit>)> =
            batch.iter_mut().map(|(t, c)| (t.clone(), c)).collect();
        apply_caps(&rules, &mut items)?;
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
        let mut items: Vec<(Ticket, &mut Vec<Credit>)> =
            batch.iter_mut().map(|(t, c)| (t.clone(), c)).collect();
        apply_caps(&rules, &mut items)?;
        if before != batch {
            return Err("a second apply_period_caps changed the credits".into());
        }
    }
    Ok(())
}

#[test]
fn credits_hand_worked_cases() {
    let cases: Cases =
        toml::from_str(include_str!("../../../tests/data/credit_cases.toml")).unwrap();
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
            "no effect without a percentage of the contract fee",
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
        (
            "[[credits]]\nmetric = \"a\"\nkind = \"compensation\"\n\
             percent_of_contract_fee_per_started_day = \"-1\"",
            "credits[0].percent_of_contract_fee_per_started_day",
            "negative",
        ),
        (
            "[[credits]]\nmetric = \"a\"\nkind = \"compensation\"\nfixed = \"1.00\"\n\
             cap_per_ticket_percent_of_contract_fee = \"-5\"",
            "credits[0].cap_per_ticket_percent_of_contract_fee",
            "negative",
        ),
        (
            "[[credits]]\nmetric = \"a\"\nkind = \"compensation\"\nfixed = \"1.00\"\n\
             cap_per_period = { period = \"month\" }",
            "credits[0].cap_per_period",
            "gives no cap",
        ),
        (
            "[[credits]]\nmetric = \"a\"\nkind = \"compensation\"\nfixed = \"1.00\"\n\
             cap_per_period = { amount = \"1.00\", percent_of_contract_fee = \"5\", period = \"month\" }",
            "credits[0].cap_per_period",
            "not both",
        ),
        (
            "[[credits]]\nmetric = \"a\"\nkind = \"compensation\"\nfixed = \"1.00\"\n\
             cap_per_period = { amount = \"1.00\", period = \"plan_year\", timezone = \"UTC\" }",
            "credits[0].cap_per_period.timezone",
            "plan year",
        ),
        (
            "[[credits]]\nmetric = \"a\"\nkind = \"compensation\"\nfixed = \"1.00\"\n\
             cap_per_period = { amount = \"1.00\", period = \"year\", paid_attribute = \" \" }",
            "credits[0].cap_per_period.paid_attribute",
            "must name a key",
        ),
        (
            "[[credits]]\nmetric = \"a\"\nkind = \"compensation\"\nfixed = \"1.00\"\n\
             warranty = \"coverd\"",
            "credits[0].warranty",
            "`coverd` is not a warranty status",
        ),
        (
            "[[credits]]\nmetric = \"a\"\nkind = \"compensation\"\nfixed = \"1.00\"\n\
             warranty = [\"covered\", \"void\"]",
            "credits[0].warranty[1]",
            "`void` is not a warranty status",
        ),
        (
            "[[credits]]\nmetric = \"a\"\nkind = \"compensation\"\nfixed = \"1.00\"\nwhen = \" \"",
            "credits[0].when",
            "is empty",
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
        next_change_at: None,
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
    let at =
        |d: &str| Ticket::from_value(serde_json::json!({"id": "T-1", "opened_at": d})).unwrap();
    let (mut a, mut b, mut c) = (vec![small], vec![large], vec![third]);
    apply_caps(
        &rules,
        &mut [
            (at("2026-01-01T00:00:00Z"), &mut a),
            (at("2026-06-01T00:00:00Z"), &mut b),
            (at("2026-12-31T00:00:00Z"), &mut c),
        ],
    )
    .unwrap();
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

#[test]
fn credit_caps_errors_name_the_toml_path() {
    let cases = [
        (
            "per_ticket = \"-1.00\"",
            "credit_caps.per_ticket",
            "negative",
        ),
        (
            "per_incident_percent_of_contract_fee = \"-3\"",
            "credit_caps.per_incident_percent_of_contract_fee",
            "negative",
        ),
        (
            "per_ticket = \"10.00\"\ncontract_fee = \"100.00\"",
            "credit_caps.contract_fee",
            "no effect",
        ),
        (
            "per_ticket = \"10.00\"\nincident_attribute = \"case\"",
            "credit_caps.incident_attribute",
            "no effect without `per_incident`",
        ),
        (
            "per_incident = \"10.00\"\nincident_attribute = \"\"",
            "credit_caps.incident_attribute",
            "must name a key",
        ),
    ];
    let entry = CreditSpec {
        metric: "a".into(),
        kind: CreditKind::Compensation,
        fixed: Some(Money(Decimal::ONE)),
        ..toml::from_str("metric = \"a\"\nkind = \"compensation\"").unwrap()
    };
    for (text, path, message) in cases {
        let caps: CreditCapsSpec = toml::from_str(text).unwrap();
        let (rules, errors) =
            CreditRules::compile_all("p", std::slice::from_ref(&entry), Some(&caps), "CNY");
        assert!(rules.is_none(), "{text}");
        match errors.as_slice() {
            [Error::Policy {
                location,
                message: got,
                ..
            }] => {
                assert_eq!(location.path, path, "{text}");
                assert!(got.contains(message), "{text}: {got}");
            }
            other => panic!("{text}: expected one policy error, got {other:?}"),
        }
    }
}

#[test]
fn plan_years_start_on_the_contract_anniversary() {
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let start = super::caps::plan_year_start;
    // Contract from 2025-03-15: 2026-03-14 is still in the year from
    // 2025-03-15; 2026-03-15 starts the next one.
    assert_eq!(start(d("2025-03-15"), d("2026-03-14")), d("2025-03-15"));
    assert_eq!(start(d("2025-03-15"), d("2026-03-15")), d("2026-03-15"));
    assert_eq!(start(d("2025-03-15"), d("2027-01-02")), d("2026-03-15"));
    // A 29 February start: the anniversary is 28 February in 2025.
    assert_eq!(start(d("2024-02-29"), d("2025-02-28")), d("2025-02-28"));
    assert_eq!(start(d("2024-02-29"), d("2025-02-27")), d("2024-02-29"));
    assert_eq!(start(d("2024-02-29"), d("2028-03-01")), d("2028-02-29"));
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
            let mut items: Vec<(Ticket, &mut Vec<Credit>)> = batch
                .iter_mut()
                .map(|(t, customer, c)| {
                    let ticket = Ticket::from_value(serde_json::json!({
                        "id": "T",
                        "opened_at": t.to_rfc3339(),
                        "customer": {"id": format!("C-{customer}")},
                    }))
                    .unwrap();
                    (ticket, c)
                })
                .collect();
            apply_caps(&rules, &mut items).unwrap();
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

// ------------------------------------------------------- with the policy

const CONDITIONS: &str = r#"
[policy]
id = "conditions"
version = "1"
timezone = "Asia/Shanghai"

[[targets]]
metric = "resolve"
stop = "resolved"
target = "2h"

[warranty]
[warranty.components.main_unit]
period = "1 year"

[[credits]]
metric = "resolve"
kind = "compensation"
fixed = "30.00"
warranty = "covered"
when = 'ticket.channel == "phone" && warranty.status != "excluded"'

[[credits]]
metric = "resolve"
kind = "service_credit"
per_started_hour = "10.00"

[credit_caps]
per_ticket = "50.00"
"#;

fn resolve_late(id: &str, channel: &str, purchased_on: &str) -> Ticket {
    Ticket::from_value(serde_json::json!({
        "id": id,
        "opened_at": "2026-03-02T08:00:00+08:00",
        "channel": channel,
        "product": {"purchased_on": purchased_on},
        "fault": {"component": "main_unit"},
    }))
    .unwrap()
}

#[test]
fn credits_follow_their_when_condition_and_the_warranty_decision() {
    let policy = crate::policy::Policy::from_toml_str(CONDITIONS).unwrap();
    // Opened 08:00, due 10:00; as of 13:30 it is 3 h 30 min late: 4
    // started hours × 10.00 = 40.00 from credits[1].
    let as_of = DateTime::parse_from_rfc3339("2026-03-02T13:30:00+08:00")
        .unwrap()
        .to_utc();
    let amounts = |ticket: &Ticket| -> Vec<(String, String)> {
        policy
            .evaluate(ticket, as_of)
            .unwrap()
            .credits
            .iter()
            .map(|c| (c.source.clone().unwrap_or_default(), c.amount.to_string()))
            .collect()
    };
    let pair = |s: &str, a: &str| (s.to_string(), a.to_string());
    // By phone, in warranty (bought 2026-01-10): 30.00 + 40.00 = 70.00 >
    // the ticket cap 50.00 → 30.00, then 50.00 − 30.00 = 20.00.
    assert_eq!(
        amounts(&resolve_late("T-1", "phone", "2026-01-10")),
        vec![pair("credits[0]", "30.00"), pair("credits[1]", "20.00")]
    );
    // By e-mail: `when` is false, only 40.00.
    assert_eq!(
        amounts(&resolve_late("T-2", "email", "2026-01-10")),
        vec![pair("credits[1]", "40.00")]
    );
    // By phone, bought 2024-01-10: expired, the warranty filter refuses.
    assert_eq!(
        amounts(&resolve_late("T-3", "phone", "2024-01-10")),
        vec![pair("credits[1]", "40.00")]
    );
    // A `when` that gives no boolean fails the evaluation, naming it.
    let bad = CONDITIONS.replace(
        "when = 'ticket.channel == \"phone\" && warranty.status != \"excluded\"'",
        "when = 'ticket.channel'",
    );
    let policy = crate::policy::Policy::from_toml_str(&bad).unwrap();
    match policy.evaluate(&resolve_late("T-4", "phone", "2026-01-10"), as_of) {
        Err(Error::Rule {
            function, message, ..
        }) => {
            assert_eq!(function, "credits[0].when");
            assert!(message.contains("not true or false"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn credit_conditions_are_checked_with_their_location() {
    let bad = CONDITIONS.replace(
        "when = 'ticket.channel == \"phone\" && warranty.status != \"excluded\"'",
        "when = 'ticket.channel =='",
    );
    match crate::policy::Policy::from_toml_str(&bad) {
        Err(Error::Policy {
            location, message, ..
        }) => {
            assert_eq!(location.path, "credits[0].when");
            assert!(location.line.is_some(), "{location:?}");
            assert!(message.contains("Rhai syntax error"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let bad = CONDITIONS.replace("warranty = \"covered\"", "warranty = \"coverd\"");
    match crate::policy::Policy::from_toml_str(&bad) {
        // The entry's line in the manifest: `warranty = "coverd"` is line 20.
        Err(Error::Policy {
            location, message, ..
        }) => {
            assert_eq!(location.path, "credits[0].warranty");
            assert_eq!(location.line, Some(20), "{location:?}");
            assert!(
                message.contains("`coverd` is not a warranty status"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn cap_reasons_are_coded_and_render_in_chinese() {
    use crate::reason::Lang;
    let caps: CreditCapsSpec =
        toml::from_str("per_ticket = \"100.00\"\nper_ticket_percent_of_contract_fee = \"5\"")
            .unwrap();
    let entries: Vec<CreditSpec> = toml::from_str::<toml::Table>(
        "[[credits]]\nmetric = \"resolve\"\nkind = \"service_credit\"\nfixed = \"80.00\"\n\
         [[credits]]\nmetric = \"contact\"\nkind = \"compensation\"\nfixed = \"50.00\"",
    )
    .unwrap()["credits"]
        .clone()
        .try_into()
        .unwrap();
    let (rules, _) = CreditRules::compile_all("p", &entries, Some(&caps), "CNY");
    let rules = rules.unwrap();
    let t = Ticket::from_value(serde_json::json!({
        "id": "T-1", "opened_at": "2026-03-02T08:00:00+08:00",
        "attributes": {"contract_fee": "3000.00"},
    }))
    .unwrap();
    let mut sla = breached("resolve", 1);
    sla.extend(breached("contact", 1));
    let mut credits = rules.credits(&t, &sla).unwrap();
    rules.cap_ticket_total(&t, &mut credits).unwrap();
    // 5% of 3000.00 = 150.00, the lower is 100.00: 80.00, then 20.00.
    let reason = credits[1].because.last().unwrap();
    assert_eq!(reason.code(), "credits.reduced_ticket_cap");
    assert_eq!(
        reason.render(Lang::ZhCn),
        "由 50.00 减为 20.00：credit_caps 规定每张工单的全部赔付不超过 \
         100.00 与 合同费 3000.00 的 5% = 150.00 中较低者，前面的条目已赔付 80.00"
    );
}
