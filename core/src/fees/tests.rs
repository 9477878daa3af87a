//! Fee schedule tests: the hand-worked cases of `tests/data/fee_cases.toml`
//! (at the repository's root), the errors a policy author or a CRM can make,
//! rules editing a bill, and the laws every bill obeys (proptest).

use super::*;
use crate::calendar::CalendarSpec;
use crate::error::Error;
use crate::money::{Money, Rounding};
use crate::ticket::Ticket;
use crate::warranty::{ComponentCover, WarrantyDecision, WarrantyStatus};
use crate::Calendar;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;

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
    #[serde(default = "cny")]
    currency: String,
    #[serde(default)]
    calendars: BTreeMap<String, CalendarSpec>,
    #[serde(default)]
    fees: FeeSpec,
    #[serde(default)]
    warranty: Option<WarrantySetup>,
    #[serde(default)]
    ticket: toml::Table,
    #[serde(default)]
    lines: Vec<ExpectedLine>,
    totals: ExpectedTotals,
}

fn cny() -> String {
    "CNY".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WarrantySetup {
    #[serde(default)]
    status: Option<WarrantyStatus>,
    #[serde(default)]
    covered: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedLine {
    code: String,
    description: Option<String>,
    quantity: Option<Money>,
    unit_price: Option<Money>,
    amount: Money,
    covered: Option<Money>,
    payable: Option<Money>,
    covered_by: Option<String>,
    because: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedTotals {
    subtotal: Money,
    tax: Money,
    total: Money,
    covered_total: Option<Money>,
    warranty_total: Option<Money>,
    because: Option<String>,
}

fn warranty_of(setup: Option<&WarrantySetup>) -> WarrantyDecision {
    match setup {
        None => WarrantyDecision::not_applicable("no warranty in this case"),
        Some(setup) => WarrantyDecision {
            status: setup.status.unwrap_or(WarrantyStatus::InWarranty),
            starts_on: None,
            components: setup
                .covered
                .iter()
                .map(|c| ComponentCover {
                    component: c.clone(),
                    covered: true,
                    until: None,
                    starts_on: None,
                    includes: Vec::new(),
                    because: Vec::new(),
                })
                .collect(),
            default_component: None,
            remedy: None,
            replaced_parts: Vec::new(),
            because: Vec::new(),
        },
    }
}

fn ticket_of(table: &toml::Table) -> Ticket {
    let mut value = serde_json::to_value(table).unwrap();
    let object = value.as_object_mut().unwrap();
    object.entry("id").or_insert("T-1".into());
    object
        .entry("opened_at")
        .or_insert("2026-03-02T08:00:00+08:00".into());
    Ticket::from_value(value).unwrap()
}

fn calendars_of(specs: &BTreeMap<String, CalendarSpec>) -> BTreeMap<String, Calendar> {
    specs
        .iter()
        .map(|(name, spec)| (name.clone(), Calendar::new(name, spec, None).unwrap()))
        .collect()
}

fn run(case: &Case) -> Result<(), String> {
    let calendars = calendars_of(&case.calendars);
    let schedule = FeeSchedule::compile("cases", &case.fees, &case.currency, &calendars)
        .map_err(|e| format!("compile: {e}"))?;
    let ticket = ticket_of(&case.ticket);
    let warranty = warranty_of(case.warranty.as_ref());
    let charges = schedule
        .charge(&ticket, &warranty)
        .map_err(|e| format!("charge: {e}"))?;
    let show = || serde_json::to_string_pretty(&charges).unwrap_or_default();
    let check = |what: String, want: &str, got: &str| {
        if want == got {
            Ok(())
        } else {
            Err(format!("{what}: expected {want}, got {got}\n{}", show()))
        }
    };
    if !case.lines.is_empty() && case.lines.len() != charges.lines.len() {
        return Err(format!(
            "expected {} lines, got {}\n{}",
            case.lines.len(),
            charges.lines.len(),
            show()
        ));
    }
    for (i, (want, got)) in case.lines.iter().zip(&charges.lines).enumerate() {
        check(format!("lines[{i}].code"), &want.code, &got.code)?;
        if let Some(d) = &want.description {
            check(format!("lines[{i}].description"), d, &got.description)?;
        }
        let money = |name: &str, want: Option<&Money>, got: &Money| match want {
            Some(w) => check(
                format!("lines[{i}].{name}"),
                &w.to_string(),
                &got.to_string(),
            ),
            None => Ok(()),
        };
        money("quantity", want.quantity.as_ref(), &got.quantity)?;
        money("unit_price", want.unit_price.as_ref(), &got.unit_price)?;
        money("amount", Some(&want.amount), &got.amount)?;
        money("covered", want.covered.as_ref(), &got.covered)?;
        money("payable", want.payable.as_ref(), &got.payable)?;
        if let Some(by) = &want.covered_by {
            check(
                format!("lines[{i}].covered_by"),
                by,
                got.covered_by.as_deref().unwrap_or("-"),
            )?;
        }
        if let Some(b) = &want.because {
            if !got.because.iter().any(|g| g.contains(b.as_str())) {
                return Err(format!("lines[{i}].because lacks {b:?}\n{}", show()));
            }
        }
    }
    let t = &case.totals;
    check(
        "subtotal".into(),
        &t.subtotal.to_string(),
        &charges.subtotal.to_string(),
    )?;
    check("tax".into(), &t.tax.to_string(), &charges.tax.to_string())?;
    check(
        "total".into(),
        &t.total.to_string(),
        &charges.total.to_string(),
    )?;
    if let Some(c) = &t.covered_total {
        check(
            "covered_total".into(),
            &c.to_string(),
            &charges.covered_total.to_string(),
        )?;
    }
    if let Some(w) = &t.warranty_total {
        check(
            "warranty_total".into(),
            &w.to_string(),
            &charges.warranty_total.to_string(),
        )?;
    }
    if let Some(b) = &t.because {
        if !charges.because.iter().any(|g| g.contains(b.as_str())) {
            return Err(format!("charges.because lacks {b:?}\n{}", show()));
        }
    }
    // The bill is its own fixed point: recomputing the totals changes nothing.
    let mut again = charges.clone();
    schedule.retotal(&mut again).map_err(|e| e.to_string())?;
    if again != charges {
        return Err(format!("retotal changed the bill\n{}", show()));
    }
    Ok(())
}

#[test]
fn fees_hand_worked_cases() {
    let cases: Cases = toml::from_str(include_str!("../../../tests/data/fee_cases.toml")).unwrap();
    assert!(cases.case.len() >= 30, "{} cases", cases.case.len());
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

// ---------------------------------------------------------- policy errors

fn compile_toml(toml_text: &str) -> Result<FeeSchedule, Error> {
    let spec: FeeSpec =
        toml::from_str(toml_text).map_err(|e| Error::policy("p", "fees", e.message()))?;
    let mut calendars = BTreeMap::new();
    calendars.insert(
        "office".to_string(),
        Calendar::from_toml_str(
            "office",
            "timezone = \"Asia/Shanghai\"\nweekdays = [\"09:00-18:00\"]",
        )
        .unwrap(),
    );
    FeeSchedule::compile("p", &spec, "CNY", &calendars)
}

fn policy_error(toml_text: &str) -> (String, String) {
    match compile_toml(toml_text) {
        Err(Error::Policy {
            location, message, ..
        }) => (location.path, message),
        other => panic!("expected a policy error, got {other:?}"),
    }
}

#[test]
fn fees_errors_name_the_toml_path() {
    let cases = [
        (
            "[multipliers]\ncalendar = \"night\"\nafter_hours = \"1.5\"",
            "fees.multipliers.calendar",
            "unknown calendar `night`; the policy defines office, 24x7",
        ),
        (
            "[labor]\nrate = \"-1.00\"",
            "fees.labor.rate",
            "-1.00 is negative",
        ),
        (
            "[labor]\nrate = \"100.00\"\nincrement = \"0m\"",
            "fees.labor.increment",
            "must be more than zero",
        ),
        (
            "[plans.care]\nwaive = [\"labour\"]",
            "fees.plans.care.waive[0]",
            "unknown line kind `labour`",
        ),
        (
            "[plans.care]\nwaive = [\"labor\"]\npercent_off = { labor = \"20\" }",
            "fees.plans.care.percent_off.labor",
            "also in `waive`",
        ),
        (
            "[tiers.vip]\npercent_off = { part = \"120\" }",
            "fees.tiers.vip.percent_off.part",
            "more than 100 percent",
        ),
        (
            "[multipliers]\nholiday = \"2\"",
            "fees.multipliers.calendar",
            "needs a calendar",
        ),
        (
            "[multipliers]\ncalendar = \"office\"\nafter_hours = \"1.5\"\napplies_to = [\"part\"]",
            "fees.multipliers.applies_to[0]",
            "does not depend on the time",
        ),
        (
            "[callout]\ndefault_zone = \"Z\"\n[callout.zones.A]\nfee = \"10.00\"",
            "fees.callout.default_zone",
            "`Z` is not a zone",
        ),
        (
            "[callout.zones.A]\nfee = \"10.00\"\nincluded_km = \"5\"",
            "fees.callout.zones.A.included_km",
            "no effect without `per_km`",
        ),
        (
            "[tax]\npercent = \"-13\"\nmode = \"exclusive\"",
            "fees.tax.percent",
            "negative",
        ),
    ];
    for (text, path, message) in cases {
        let (got_path, got_message) = policy_error(text);
        assert_eq!(got_path, path, "{text}");
        assert!(got_message.contains(message), "{text}: {got_message}");
    }
}

#[test]
fn fees_written_forms_refuse_floats_and_bad_words() {
    let err = |text: &str| toml::from_str::<FeeSpec>(text).unwrap_err().to_string();
    let e = err("[labor]\nrate = 120.0");
    assert!(e.contains("money is never a number"), "{e}");
    let e = err("[multipliers]\nafter_hours = 1.5");
    assert!(e.contains("write it as a string, \"1.5\""), "{e}");
    let e = err("rounding = \"nearest\"");
    assert!(e.contains("half-up"), "{e}");
    let e = err("[tax]\npercent = \"13\"");
    assert!(e.contains("missing field `mode`"), "{e}");
    let e = err("[labor]\nrate = \"1.00\"\nminimun = \"1h\"");
    assert!(e.contains("unknown field `minimun`"), "{e}");
    // Whole numbers are exact, so they are accepted where money is not.
    let spec: FeeSpec =
        toml::from_str("[multipliers]\nholiday = 2\ncalendar = \"office\"").unwrap();
    assert_eq!(
        spec.multipliers.and_then(|m| m.holiday),
        Some(Number(Decimal::TWO))
    );
    let schedule = compile_toml("[labor]\nrate = \"1.00\"");
    assert!(schedule.is_ok());
    let bad_currency = FeeSchedule::compile("p", &FeeSpec::default(), "yuan", &BTreeMap::new());
    assert!(
        matches!(bad_currency, Err(Error::Policy { location, .. }) if location.path == "policy.currency")
    );
}

// ---------------------------------------------------------- ticket errors

fn ticket(json: &str) -> Ticket {
    Ticket::from_json(json).unwrap()
}

#[test]
fn fees_unknown_zone_is_a_ticket_error() {
    let schedule = compile_toml("[callout.zones.A]\nfee = \"10.00\"").unwrap();
    let t = ticket(
        r#"{"id":"T-9","opened_at":"2026-03-02T08:00:00Z","work":{"visits":[{"zone":"Q"}]}}"#,
    );
    match schedule.charge(&t, &WarrantyDecision::not_applicable("-")) {
        Err(Error::Ticket { field, message, .. }) => {
            assert_eq!(field, "work.visits[0].zone");
            assert!(
                message.contains("no call-out fee for zone `Q`"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn fees_overflow_is_an_error_not_a_panic() {
    let schedule = compile_toml("[parts]\nmarkup_percent = \"50\"").unwrap();
    let t = ticket(
        r#"{"id":"T-9","opened_at":"2026-03-02T08:00:00Z","work":{"parts":[
            {"sku":"X","qty":4000000000,"unit_price":"79228162514264337593543950335"}]}}"#,
    );
    match schedule.charge(&t, &WarrantyDecision::not_applicable("-")) {
        Err(Error::Ticket { field, .. }) => assert!(field.starts_with("work.parts[0]"), "{field}"),
        other => panic!("{other:?}"),
    }
}

// ------------------------------------------------------ rules edit the bill

#[test]
fn fees_retotal_after_a_rule_edits_lines() {
    let schedule = compile_toml(
        "[labor]\nrate = \"120.00\"\n[parts]\n[tax]\npercent = \"13\"\nmode = \"exclusive\"",
    )
    .unwrap();
    let t = ticket(
        r#"{"id":"T-1","opened_at":"2026-03-02T08:00:00Z","work":{"labor":"2h",
            "parts":[{"sku":"BOARD","qty":1,"unit_price":"110.00"}]}}"#,
    );
    let mut charges = schedule
        .charge(&t, &WarrantyDecision::not_applicable("-"))
        .unwrap();
    // 240.00 + 110.00 = 350.00; tax 45.50; total 395.50
    assert_eq!(charges.total.to_string(), "395.50");

    // A rule waives the labour (covered = amount), adds a 20.00 disposal fee
    // and writes an amount with a fraction of a cent.
    let labor = &mut charges.lines[0];
    labor.covered = labor.amount;
    labor.covered_by = Some("goodwill".into());
    charges.lines.push(FeeLine {
        code: "disposal".into(),
        description: "Disposal of the old board".into(),
        quantity: Money(Decimal::ONE),
        unit_price: Money(Decimal::new(20_005, 3)),
        amount: Money(Decimal::new(20_005, 3)),
        covered: Money::ZERO,
        payable: Money::ZERO,
        covered_by: None,
        because: vec!["rule disposal()".into()],
    });
    schedule.retotal(&mut charges).unwrap();
    // labour payable 0.00; disposal 20.005 → 20.01 (half-up); 110.00 + 20.01 = 130.01
    // tax 13% of 130.01 = 16.9013 → 16.90; total 146.91
    assert_eq!(charges.lines[0].payable.to_string(), "0.00");
    assert_eq!(charges.lines[2].amount.to_string(), "20.01");
    assert_eq!(charges.lines[2].payable.to_string(), "20.01");
    assert_eq!(charges.subtotal.to_string(), "130.01");
    assert_eq!(charges.tax.to_string(), "16.90");
    assert_eq!(charges.total.to_string(), "146.91");
    assert_eq!(charges.covered_total.to_string(), "240.00");
    assert_eq!(charges.warranty_total.to_string(), "0.00");
    assert_eq!(
        charges
            .because
            .iter()
            .filter(|b| b.starts_with("[fees.tax]"))
            .count(),
        1
    );

    // A rule that covers more than the amount is refused, naming the line.
    charges.lines[1].covered = Money(Decimal::new(50_000, 2));
    match schedule.retotal(&mut charges) {
        Err(Error::Rule { location, .. }) => assert_eq!(location.path, "charges.lines[1].covered"),
        other => panic!("{other:?}"),
    }
    // A goodwill line that takes the bill below zero is refused too.
    charges.lines[1].covered = Money::ZERO;
    charges.lines.push(FeeLine {
        code: "goodwill".into(),
        description: "Goodwill".into(),
        quantity: Money(Decimal::ONE),
        unit_price: Money(Decimal::new(-100_000, 2)),
        amount: Money(Decimal::new(-100_000, 2)),
        covered: Money::ZERO,
        payable: Money::ZERO,
        covered_by: None,
        because: Vec::new(),
    });
    match schedule.retotal(&mut charges) {
        Err(Error::Rule { location, .. }) => assert_eq!(location.path, "charges.subtotal"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn fees_charges_serialise_money_as_strings() {
    let schedule = compile_toml("[labor]\nrate = \"120.00\"").unwrap();
    let t = ticket(r#"{"id":"T-1","opened_at":"2026-03-02T08:00:00Z","work":{"labor":"1.5h"}}"#);
    let charges = schedule
        .charge(&t, &WarrantyDecision::not_applicable("-"))
        .unwrap();
    let json = serde_json::to_value(&charges).unwrap();
    assert_eq!(json["lines"][0]["quantity"], "1.5");
    assert_eq!(json["lines"][0]["unit_price"], "120.00");
    assert_eq!(json["lines"][0]["amount"], "180.00");
    assert_eq!(json["total"], "180.00");
    let back: Charges = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(serde_json::to_value(&back).unwrap(), json);
}

// ------------------------------------------------------------------ laws

mod laws {
    use super::*;
    use proptest::prelude::*;

    fn cents(c: i64) -> Decimal {
        Decimal::new(c, 2)
    }

    #[derive(Debug, Clone)]
    struct Setup {
        rounding: Rounding,
        inclusive: bool,
        tax_tenths: i64,
        rate_cents: i64,
        markup_tenths: i64,
        labor_minutes: i64,
        parts: Vec<(u32, i64, bool)>,
        distance_tenths: Option<i64>,
        fault_covered: bool,
        plan: bool,
        accepted: bool,
    }

    fn setup() -> impl Strategy<Value = Setup> {
        (
            prop_oneof![
                Just(Rounding::HalfUp),
                Just(Rounding::HalfEven),
                Just(Rounding::Up),
                Just(Rounding::Down)
            ],
            any::<bool>(),
            0i64..300,
            0i64..50_000,
            0i64..1000,
            0i64..1000,
            prop::collection::vec((1u32..20, 0i64..200_000, any::<bool>()), 0..5),
            prop::option::of(0i64..2000),
            (any::<bool>(), any::<bool>(), any::<bool>()),
        )
            .prop_map(
                |(
                    rounding,
                    inclusive,
                    tax_tenths,
                    rate_cents,
                    markup_tenths,
                    labor_minutes,
                    parts,
                    distance_tenths,
                    (fault_covered, plan, accepted),
                )| Setup {
                    rounding,
                    inclusive,
                    tax_tenths,
                    rate_cents,
                    markup_tenths,
                    labor_minutes,
                    parts,
                    distance_tenths,
                    fault_covered,
                    plan,
                    accepted,
                },
            )
    }

    fn schedule_of(s: &Setup) -> FeeSchedule {
        let rounding = match s.rounding {
            Rounding::HalfUp => "half-up",
            Rounding::HalfEven => "half-even",
            Rounding::Up => "up",
            Rounding::Down => "down",
        };
        let text = format!(
            r#"rounding = "{rounding}"
[labor]
rate = "{rate}"
minimum = "1h"
increment = "15m"
[callout.zones.A]
fee = "45.50"
included_km = "10"
per_km = "1.35"
[diagnostic]
fee = "33.33"
[parts]
markup_percent = "{markup}"
[plans.care]
waive = ["labor"]
percent_off = {{ part = "17.5", callout = "33.3" }}
[tax]
percent = "{tax}"
mode = "{mode}"
"#,
            rate = cents(s.rate_cents),
            markup = Decimal::new(s.markup_tenths, 1),
            tax = Decimal::new(s.tax_tenths, 1),
            mode = if s.inclusive {
                "inclusive"
            } else {
                "exclusive"
            },
        );
        compile_toml(&text).unwrap()
    }

    fn ticket_of(s: &Setup) -> Ticket {
        let parts: Vec<serde_json::Value> = s
            .parts
            .iter()
            .enumerate()
            .map(|(i, (qty, price, own))| {
                serde_json::json!({
                    "sku": format!("P{i}"),
                    "component": if *own { "sensor" } else { "battery" },
                    "qty": qty,
                    "unit_price": cents(*price).to_string(),
                })
            })
            .collect();
        let mut visit = serde_json::json!({"zone": "A"});
        if let Some(d) = s.distance_tenths {
            visit["distance_km"] = Decimal::new(d, 1).to_string().into();
        }
        let value = serde_json::json!({
            "id": "T-P",
            "opened_at": "2026-03-02T08:00:00+08:00",
            "customer": {"plan": if s.plan { "care" } else { "none" }},
            "fault": {"component": if s.fault_covered { "sensor" } else { "display" }},
            "work": {
                "labor": format!("{}m", s.labor_minutes),
                "repair_accepted": s.accepted,
                "parts": parts,
                "visits": [visit],
            },
        });
        Ticket::from_value(value).unwrap()
    }

    fn warranty() -> WarrantyDecision {
        warranty_of(Some(&WarrantySetup {
            status: None,
            covered: vec!["sensor".into()],
        }))
    }

    /// The exact (unrounded) amount of each line the schedule should write,
    /// worked out from the setup independently of the schedule.
    fn exact_amounts(s: &Setup) -> Vec<Decimal> {
        let mut out = vec![Decimal::new(33_33, 2), Decimal::new(45_50, 2)];
        if let Some(d) = s.distance_tenths {
            let beyond = Decimal::new(d, 1) - Decimal::TEN;
            if beyond > Decimal::ZERO {
                out.push(beyond * Decimal::new(135, 2));
            }
        }
        if s.labor_minutes > 0 {
            let billed = if s.labor_minutes <= 60 {
                60
            } else {
                60 + (s.labor_minutes - 60 + 14) / 15 * 15
            };
            out.push(cents(s.rate_cents) * Decimal::from(billed) / Decimal::from(60));
        }
        for (qty, price, _) in &s.parts {
            let unit = cents(*price) * (Decimal::ONE_HUNDRED + Decimal::new(s.markup_tenths, 1))
                / Decimal::ONE_HUNDRED;
            out.push(unit * Decimal::from(*qty));
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn fees_bills_obey_the_laws(s in setup()) {
            let schedule = schedule_of(&s);
            let charges = schedule.charge(&ticket_of(&s), &warranty()).unwrap();
            let zero = Decimal::ZERO;
            let mut payable_sum = zero;
            for line in &charges.lines {
                // Charges are never negative.
                prop_assert!(line.amount.0 >= zero && line.covered.0 >= zero && line.payable.0 >= zero, "{line:?}");
                // payable = amount − covered, so a covered line is never payable.
                prop_assert_eq!(line.payable.0, line.amount.0 - line.covered.0);
                if line.covered == line.amount {
                    prop_assert!(line.payable.0.is_zero());
                }
                if line.covered_by.as_deref() == Some("warranty") {
                    prop_assert!(line.payable.0.is_zero());
                }
                // Every figure has exactly the minor unit's places.
                prop_assert_eq!(line.amount.0.scale(), 2);
                prop_assert_eq!(line.payable.0.scale(), 2);
                payable_sum += line.payable.0;
            }
            prop_assert!(charges.subtotal.0 >= zero && charges.tax.0 >= zero && charges.total.0 >= zero);
            prop_assert_eq!(charges.subtotal.0, payable_sum);
            if s.inclusive {
                prop_assert_eq!(charges.total.0, charges.subtotal.0);
                prop_assert!(charges.tax.0 <= charges.total.0);
            } else {
                prop_assert_eq!(charges.total.0, payable_sum + charges.tax.0);
            }
            // Rounding moves each line by at most half a minor unit (a whole
            // one for `up` and `down`), so the sum of the amounts is within
            // that many of the exact sum.
            let exact = exact_amounts(&s);
            prop_assert_eq!(exact.len(), charges.lines.len());
            let bound = match s.rounding {
                Rounding::HalfUp | Rounding::HalfEven => Decimal::new(5, 3),
                Rounding::Up | Rounding::Down => Decimal::new(1, 2),
            };
            let mut exact_sum = zero;
            let mut amount_sum = zero;
            for (line, exact) in charges.lines.iter().zip(&exact) {
                prop_assert!((line.amount.0 - exact).abs() <= bound, "{} vs {exact}", line.amount);
                exact_sum += exact;
                amount_sum += line.amount.0;
            }
            prop_assert!((amount_sum - exact_sum).abs() <= bound * Decimal::from(exact.len() as u32));
            // The bill is a fixed point of retotal.
            let mut again = charges.clone();
            schedule.retotal(&mut again).unwrap();
            prop_assert_eq!(again, charges);
        }
    }
}

// ------------------------------------------------------ the guide's examples

/// The first TOML block of `docs/fees.md` with a `[fees]` table, and the
/// one with `[[credits]]`, compile as written.
#[test]
fn fees_guide_examples_compile() {
    let guide = include_str!("../../../docs/fees.md");
    let blocks: Vec<&str> = guide
        .split("```toml\n")
        .skip(1)
        .filter_map(|b| b.split("```").next())
        .collect();
    let fees_block = blocks.iter().find(|b| b.contains("[fees]")).unwrap();
    let doc: toml::Table = toml::from_str(fees_block).unwrap();
    let zone = doc["policy"]["timezone"].as_str();
    let mut calendars = BTreeMap::new();
    for (name, spec) in doc["calendars"].as_table().unwrap() {
        let spec: CalendarSpec = spec.clone().try_into().unwrap();
        calendars.insert(name.clone(), Calendar::new(name, &spec, zone).unwrap());
    }
    let spec: FeeSpec = doc["fees"].clone().try_into().unwrap();
    let schedule = FeeSchedule::compile("guide", &spec, "CNY", &calendars).unwrap();
    assert_eq!(schedule.currency(), "CNY");

    let credits_block = blocks.iter().find(|b| b.contains("[[credits]]")).unwrap();
    let doc: toml::Table = toml::from_str(credits_block).unwrap();
    let specs: Vec<crate::credits::CreditSpec> = doc["credits"].clone().try_into().unwrap();
    let caps: crate::credits::CreditCapsSpec = doc["credit_caps"].clone().try_into().unwrap();
    let (rules, errors) =
        crate::credits::CreditRules::compile_all("guide", &specs, Some(&caps), "CNY");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        rules.unwrap().metrics().collect::<Vec<_>>(),
        ["resolve", "contact", "arrive", "reply", "resolve"]
    );
}

/// Compiled schedules and credit rules are shared across threads.
#[test]
fn fees_compiled_forms_are_send_sync_clone() {
    fn shareable<T: Send + Sync + Clone + std::fmt::Debug>() {}
    shareable::<FeeSchedule>();
    shareable::<crate::credits::CreditRules>();
}

#[test]
fn what_the_warranty_bore_gets_its_tax_and_gross() {
    // 1 h of labour at 100.00 on a covered main unit: the warranty bears
    // 100.00. Exclusive 13%: warranty_tax = 13.00, gross 113.00.
    // Inclusive 13%: 100.00 contains 100 × 13 / 113 = 11.504… → 11.50,
    // gross 100.00. Without a tax neither is shown.
    let policy = |tax: &str| {
        let text = format!(
            r#"
[policy]
id = "w"
version = "1"
timezone = "Asia/Shanghai"
[[targets]]
metric = "answer"
stop = "responded"
target = "1h"
[warranty.components.main_unit]
period = "1 year"
[fees.labor]
rate = "100.00"
{tax}
"#
        );
        crate::policy::Policy::from_toml_str(&text).map_err(|e| e.to_string())
    };
    let ticket = ticket(
        r#"{"id": "W", "opened_at": "2026-03-05T10:00:00+08:00",
            "product": {"purchased_on": "2026-01-01"}, "fault": {"component": "main_unit", "cause": "defect"},
            "work": {"labor": "1h"}}"#,
    );
    let as_of = ticket.opened_at_utc();
    let shown = |tax: &str| {
        let e = policy(tax).and_then(|p| p.evaluate(&ticket, as_of).map_err(|e| e.to_string()));
        let c = e.ok().and_then(|e| e.charges);
        c.map(|c| {
            (
                c.warranty_total.to_string(),
                c.warranty_tax.map(|m| m.to_string()),
                c.warranty_gross.map(|m| m.to_string()),
            )
        })
    };
    let some =
        |a: &str, b: &str, c: &str| Some((a.to_string(), Some(b.to_string()), Some(c.to_string())));
    assert_eq!(
        shown("[fees.tax]\npercent = \"13\"\nmode = \"exclusive\""),
        some("100.00", "13.00", "113.00")
    );
    assert_eq!(
        shown("[fees.tax]\npercent = \"13\"\nmode = \"inclusive\""),
        some("100.00", "11.50", "100.00")
    );
    assert_eq!(shown(""), Some(("100.00".to_string(), None, None)));
}

#[test]
fn rate_cards_price_each_segment_and_the_default_prices_the_rest() {
    let cards = r#"
[policy]
id = "cards"
version = "1"
timezone = "Asia/Shanghai"
[[targets]]
metric = "answer"
stop = "responded"
target = "1h"
[fees.labor]
rate = "100.00"
[fees.callout.zones.A]
fee = "50.00"
[fees.tax]
percent = "13"
mode = "exclusive"

[[fees.rate_cards]]
name = "utility"
when = { "customer.segment" = ["utility", "industrial"] }
[fees.rate_cards.labor]
rate = "180.00"
[fees.rate_cards.callout.zones.A]
fee = "120.00"
[fees.rate_cards.tax]
percent = "6"
mode = "exclusive"

[[fees.rate_cards]]
name = "vip-industrial"
when = { "customer.tier" = ["vip"], "product.category" = ["industrial"] }
[fees.rate_cards.labor]
rate = "150.00"
"#;
    let policy = match crate::policy::Policy::from_toml_str(cards) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    };
    let bill = |customer: &str, category: &str| {
        let t = ticket(&format!(
            r#"{{"id": "C", "opened_at": "2026-03-05T10:00:00+08:00", "customer": {customer},
                "product": {{"category": "{category}"}},
                "work": {{"labor": "1h", "visits": [{{"zone": "A"}}]}}}}"#
        ));
        let c = policy
            .evaluate(&t, t.opened_at_utc())
            .ok()
            .and_then(|e| e.charges);
        c.map(|c| {
            (
                c.rate_card.clone(),
                c.lines
                    .iter()
                    .map(|l| format!("{} {}", l.code, l.amount))
                    .collect::<Vec<_>>(),
                format!("{}/{}/{}", c.subtotal, c.tax, c.total),
                c.because
                    .first()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            )
        })
        .unwrap_or_default()
    };
    // Utility: its own labour 180.00 and call-out 120.00, its own tax 6%:
    // 300.00 + 18.00 = 318.00.
    let (card, lines, totals, because) = bill(r#"{"segment": "utility"}"#, "household");
    assert_eq!(card.as_deref(), Some("utility"));
    assert_eq!(lines, ["callout 120.00", "labor 180.00"]);
    assert_eq!(totals, "300.00/18.00/318.00");
    assert_eq!(
        because,
        "rate card `utility` (fees.rate_cards[0]): customer.segment = utility"
    );
    // VIP and industrial: labour 150.00, the default's call-out 50.00 and
    // tax 13%: 200.00 + 26.00 = 226.00.
    let (card, lines, totals, _) = bill(r#"{"tier": "vip"}"#, "industrial");
    assert_eq!(card.as_deref(), Some("vip-industrial"));
    assert_eq!(lines, ["callout 50.00", "labor 150.00"]);
    assert_eq!(totals, "200.00/26.00/226.00");
    // VIP but household: no card, the default 100.00 + 50.00 = 150.00 +
    // 13% 19.50 = 169.50.
    let (card, lines, totals, because) = bill(r#"{"tier": "vip"}"#, "household");
    assert_eq!(card, None);
    assert_eq!(lines, ["callout 50.00", "labor 100.00"]);
    assert_eq!(totals, "150.00/19.50/169.50");
    assert_eq!(
        because,
        "no rate card matches the ticket: the default [fees] prices"
    );

    // Bad cards name their path.
    let error = |from: &str, to: &str| {
        crate::policy::Policy::from_toml_str(&cards.replacen(from, to, 1))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    let e = error("\"customer.segment\" =", "\"segment\" =");
    assert!(
        e.contains("fees.rate_cards[0].when") && e.contains("not a ticket field"),
        "{e}"
    );
    let e = error("rate = \"180.00\"", "rate = \"-1.00\"");
    assert!(e.contains("fees.rate_cards[0].labor.rate"), "{e}");
    let e = error("name = \"vip-industrial\"", "name = \"utility\"");
    assert!(
        e.contains("fees.rate_cards[1].name") && e.contains("twice"),
        "{e}"
    );
}

// ------------------------------- issue 20: amounts keep the minor unit

fn rule_line(code: &str, amount: Decimal) -> FeeLine {
    FeeLine {
        code: code.into(),
        description: code.into(),
        quantity: Money(Decimal::ONE),
        unit_price: Money(amount),
        amount: Money(amount),
        covered: Money::ZERO,
        payable: Money::ZERO,
        covered_by: None,
        because: Vec::new(),
    }
}

#[test]
fn every_bill_figure_keeps_the_minor_unit_and_an_overflow_is_an_error() {
    let schedule = compile_toml("[labor]\nrate = \"120.00\"").unwrap();
    let t = ticket(r#"{"id":"T-M","opened_at":"2026-03-02T08:00:00Z"}"#);
    let mut charges = schedule
        .charge(&t, &WarrantyDecision::not_applicable("-"))
        .unwrap();

    // The largest amount with 2 places is 792281625142643375935439503.35
    // (96 bits hold 29 digits). A rule adds it and its negative: the
    // subtotal is 0, written in CNY's 2 places: "0.00".
    let largest = crate::money::largest(2);
    charges.lines = vec![rule_line("big", largest), rule_line("minus", -largest)];
    schedule.retotal(&mut charges).unwrap();
    let json = serde_json::to_value(&charges).unwrap();
    assert_eq!(json["subtotal"], "0.00");
    assert_eq!(json["total"], "0.00");
    assert_eq!(json["lines"][0]["amount"], "792281625142643375935439503.35");

    // The decimal type's maximum, 79228162514264337593543950335, cannot be
    // written with ".00": the line is refused, naming it, never written
    // without its places (nor is MAX + (−MAX) a subtotal of "0").
    charges.lines = vec![
        rule_line("max", Decimal::MAX),
        rule_line("minus_max", Decimal::MIN),
    ];
    match schedule.retotal(&mut charges) {
        Err(Error::Rule {
            location, message, ..
        }) => {
            assert_eq!(location.path, "charges.lines[0].amount");
            assert!(
                message.contains("792281625142643375935439503.35"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }

    // Two lines of 400000000000000000000000000.00 sum to 8e26, more than
    // the largest 2-place amount: the decimal type would drop a place and
    // round; the sum is an error naming the subtotal instead.
    let half = Decimal::from_i128_with_scale(40_000_000_000_000_000_000_000_000_000, 2);
    charges.lines = vec![rule_line("a", half), rule_line("b", half)];
    match schedule.retotal(&mut charges) {
        Err(Error::Rule { location, .. }) => assert_eq!(location.path, "charges.subtotal"),
        other => panic!("{other:?}"),
    }
}
