//! Settlement tests: every expected figure is worked out by hand from the
//! rule in the comment above it.

use super::spec::{Party, ReturnReason};
use super::*;
use crate::error::Error;
use crate::evaluation::Evaluation;
use crate::policy::Policy;
use crate::ticket::Ticket;
use chrono::{DateTime, Utc};

const HEAD: &str = r#"
[policy]
id = "settle"
version = "1"
currency = "CNY"
timezone = "Asia/Shanghai"

[[targets]]
metric = "answer"
stop = "responded"
target = "1h"
"#;

fn policy(body: &str) -> Policy {
    match Policy::from_toml_str(&format!("{HEAD}{body}")) {
        Ok(p) => p,
        Err(e) => panic!("policy: {e}"),
    }
}

fn policy_error(body: &str) -> String {
    match Policy::from_toml_str(&format!("{HEAD}{body}")) {
        Ok(_) => panic!("the policy compiled"),
        Err(e) => e.to_string(),
    }
}

fn evaluate(policy: &Policy, json: &str, as_of: &str) -> Evaluation {
    let ticket = match Ticket::from_json(json) {
        Ok(t) => t,
        Err(e) => panic!("ticket: {e}"),
    };
    let as_of: DateTime<Utc> = match as_of.parse() {
        Ok(t) => t,
        Err(e) => panic!("as_of: {e}"),
    };
    match policy.evaluate(&ticket, as_of) {
        Ok(e) => e,
        Err(e) => panic!("evaluate: {e}"),
    }
}

fn settlement(evaluation: &Evaluation) -> &Settlement {
    match &evaluation.settlement {
        Some(s) => s,
        None => panic!("no settlement: {:?}", evaluation.warranty),
    }
}

/// (code, to, amount) of every line.
fn lines(s: &Settlement) -> Vec<(String, &'static str, String)> {
    s.lines
        .iter()
        .map(|l| (l.code.clone(), l.to.as_str(), l.amount.to_string()))
        .collect()
}

fn owned(expected: &[(&str, &'static str, &str)]) -> Vec<(String, &'static str, String)> {
    expected
        .iter()
        .map(|(c, t, a)| (c.to_string(), *t, a.to_string()))
        .collect()
}

/// (to_customer, to_seller, tax, net, payer).
fn totals(s: &Settlement) -> (String, String, String, String, Option<&'static str>) {
    (
        s.to_customer.to_string(),
        s.to_seller.to_string(),
        s.tax.to_string(),
        s.net.to_string(),
        s.payer.map(Party::as_str),
    )
}

fn t(
    a: &str,
    b: &str,
    c: &str,
    d: &str,
    payer: Option<&'static str>,
) -> (String, String, String, String, Option<&'static str>) {
    (a.into(), b.into(), c.into(), d.into(), payer)
}

const SEVEN_DAY: &str = r#"
[warranty]
statutory = ["cn-7day-return"]
[warranty.components.main_unit]
period = "1 year"

[fees.tax]
percent = "13"
mode = "inclusive"

[settlement.free_shipping]
threshold = "99.00"
"#;

#[test]
fn a_seven_day_return_refunds_the_lines_returned_less_the_gift_kept_and_free_delivery() {
    // Delivered 03-02, claimed 03-05 (day 3 of 7), no fault: change of mind.
    // Refund of the headphones: 1 × 299.00 = 299.00. The cables stay:
    // kept 2 × 29.90 = 59.80 < the threshold 99.00, so the free delivery
    // (8.00) is clawed back. The pouch (gift, 15.00) is kept: deducted; the
    // coupon is given back: nothing. The customer paid the return carrier
    // and bears the freight of a change of mind: no line.
    // Taxable net 299.00 − 15.00 − 8.00 = 276.00; the sale's prices
    // contained 13%: 276.00 × 13 / 113 = 31.7522… → 31.75 (contained, not
    // added). The seller pays the customer 276.00.
    let p = policy(SEVEN_DAY);
    let e = evaluate(
        &p,
        r#"{"id": "R-1", "opened_at": "2026-03-05T10:00:00+08:00", "kind": "return",
            "product": {"model": "WH-CH720N", "sold_via": "online", "purchased_on": "2026-03-01",
                        "delivered_on": "2026-03-02", "intact": true},
            "order": {"lines": [{"sku": "WH-CH720N", "description": "Headphones", "qty": 1, "unit_price": "299.00"},
                                {"sku": "USB-C", "qty": 2, "unit_price": "29.90", "returned": 0}],
                      "benefits": [{"kind": "gift", "description": "travel pouch", "value": "15.00"},
                                   {"kind": "coupon", "value": "10.00", "returned": true}],
                      "free_shipping": "8.00",
                      "return_shipping": {"cost": "12.00", "paid_by": "customer"}}}"#,
        "2026-03-05T12:00:00+08:00",
    );
    let s = settlement(&e);
    assert_eq!(s.reason, Some(ReturnReason::ChangeOfMind));
    assert_eq!(
        lines(s),
        owned(&[
            ("refund", "customer", "299.00"),
            ("benefit", "seller", "15.00"),
            ("free_shipping", "seller", "8.00"),
        ])
    );
    assert_eq!(
        totals(s),
        t("299.00", "23.00", "31.75", "276.00", Some("seller"))
    );
    assert_eq!(s.payee, Some(Party::Customer));
    let text = s
        .because
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        text.contains("the customer bears the return freight"),
        "{text}"
    );
    assert!(text.contains("CPL art. 25"), "{text}");
}

const SANBAO: &str = r#"
[warranty]
statutory = ["cn-sanbao"]
[warranty.components.main_unit]
period = "1 year"

[settlement]
statutory = ["cn-sanbao-refund"]
[settlement.tax]
percent = "13"
mode = "exclusive"
[settlement.cn_sanbao_refund]
daily_percent = "0.1"
categories = { phone = "0.2" }
"#;

#[test]
fn a_quality_return_in_the_first_days_is_refunded_in_full_with_the_freight() {
    // Sold 03-01, a performance fault on 03-05 (day 4 ≤ 7): cn-sanbao art. 9
    // return. cn-sanbao-refund: refunded in full, no depreciation. A
    // quality fault: the seller bears the freight, which the customer paid
    // (20.00): reimbursed, not taxed. The sale's tax was added (exclusive):
    // 13% of 1000.00 = 130.00, to the customer.
    // To the customer 1000.00 + 20.00 + 130.00 = 1150.00.
    let p = policy(SANBAO);
    let e = evaluate(
        &p,
        r#"{"id": "R-2", "opened_at": "2026-03-05T10:00:00+08:00", "kind": "return",
            "product": {"model": "Pad 7", "category": "tablet", "purchased_on": "2026-03-01", "price": "1000.00"},
            "fault": {"code": "no_display", "performance": true},
            "order": {"return_shipping": {"cost": "20.00", "paid_by": "customer"}}}"#,
        "2026-03-05T12:00:00+08:00",
    );
    let s = settlement(&e);
    assert_eq!(s.reason, Some(ReturnReason::Quality));
    assert_eq!(
        lines(s),
        owned(&[
            ("refund", "customer", "1000.00"),
            ("freight", "customer", "20.00")
        ])
    );
    assert_eq!(
        totals(s),
        t("1150.00", "0.00", "130.00", "1150.00", Some("seller"))
    );
    assert!(
        s.because.iter().any(|b| b.contains("art. 9")),
        "{:?}",
        s.because
    );
}

#[test]
fn a_return_chosen_after_failed_repairs_bears_the_art_13_depreciation() {
    // Sold 2025-06-01; the fault `no_signal` was repaired twice (10 and 5
    // days in repair) and is back on 2025-12-01: exchange, or a return
    // (arts. 11 and 13); the customer chose the return (kind = "return").
    // Days from the invoice to the claim: June 30 + July 31 + Aug 31 +
    // Sept 30 + Oct 31 + Nov 30 = 183, less 15 in repair = 168. A phone:
    // the category's rate 0.2% a day → 168 × 0.2 = 33.6%.
    // 33.6% of 2000.00 = 672.00. Net refund 2000.00 − 672.00 = 1328.00,
    // plus the exclusive tax 13% of 1328.00 = 172.64: 1500.64 net to the
    // customer (their side: 2000.00 + 172.64 = 2172.64; the seller's 672.00).
    let p = policy(SANBAO);
    let e = evaluate(
        &p,
        r#"{"id": "R-3", "opened_at": "2025-12-01T10:00:00+08:00", "kind": "return",
            "product": {"model": "Phone 9", "category": "phone", "purchased_on": "2025-06-01", "price": "2000.00"},
            "fault": {"code": "no_signal"},
            "history": {"repairs": [
                {"received_on": "2025-08-01", "resolved_on": "2025-08-11", "fault": "no_signal", "days_in_repair": 10},
                {"received_on": "2025-10-01", "resolved_on": "2025-10-06", "fault": "no_signal", "days_in_repair": 5}]}}"#,
        "2025-12-01T12:00:00+08:00",
    );
    let s = settlement(&e);
    assert_eq!(
        lines(s),
        owned(&[
            ("refund", "customer", "2000.00"),
            ("depreciation", "seller", "672.00")
        ])
    );
    assert_eq!(
        totals(s),
        t("2172.64", "672.00", "172.64", "1500.64", Some("seller"))
    );
    let why = s
        .lines
        .iter()
        .flat_map(|l| &l.because)
        .cloned()
        .collect::<Vec<_>>()
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(why.contains("168 days × 0.2%"), "{why}");
}

fn thirty_day(depreciation: &str) -> Policy {
    policy(&format!(
        r#"
[warranty]
statutory = ["cn-7day-return"]
[warranty.components.main_unit]
period = "1 year"
[warranty.cn_7day_return]
days = 30

[settlement.depreciation]
{depreciation}
"#
    ))
}

const USED: &str = r#"{"id": "R-4", "opened_at": "2026-03-20T10:00:00+08:00", "kind": "return",
    "product": {"model": "Robot vacuum", "sold_via": "online", "purchased_on": "2026-02-27",
                "delivered_on": "2026-03-01", "price": "1500.00"},
    "order": {"return_shipping": {"cost": "30.00", "paid_by": "seller"}}}"#;

#[test]
fn declared_depreciation_per_day_per_month_and_by_schedule() {
    // Delivered 03-01, claimed 03-20: 19 days of use (the delivery day not
    // counted). The seller's courier collected the goods (30.00) but a
    // change of mind is the customer's to bear: 30.00 to the seller.
    // No tax anywhere.
    //
    // Per day, 7 free: (19 − 7) × 0.5% = 6%, capped at 5% → 75.00.
    // Net 1500.00 − 75.00 − 30.00 = 1395.00 to the customer.
    let s = evaluate(
        &thirty_day("free_days = 7\npercent_per_day = \"0.5\"\nmax_percent = \"5\""),
        USED,
        "2026-03-20T12:00:00+08:00",
    );
    let s = settlement(&s);
    assert_eq!(
        lines(s),
        owned(&[
            ("refund", "customer", "1500.00"),
            ("depreciation", "seller", "75.00"),
            ("freight", "seller", "30.00"),
        ])
    );
    assert_eq!(
        totals(s),
        t("1500.00", "105.00", "0.00", "1395.00", Some("seller"))
    );
    assert_eq!(s.tax_mode, None);

    // Per started month of 30 days: 19 days → 1 month × 3% = 3% → 45.00.
    let e = evaluate(
        &thirty_day("percent_per_month = \"3\""),
        USED,
        "2026-03-20T12:00:00+08:00",
    );
    assert_eq!(
        settlement(&e)
            .lines
            .get(1)
            .map(|l| l.amount.to_string())
            .as_deref(),
        Some("45.00")
    );

    // Schedule: day 19 is past the step from day 15 (10%) → 150.00.
    let e = evaluate(
        &thirty_day(
            "schedule = [{ from_day = 1, percent = \"0\" }, { from_day = 15, percent = \"10\" }]",
        ),
        USED,
        "2026-03-20T12:00:00+08:00",
    );
    assert_eq!(
        settlement(&e)
            .lines
            .get(1)
            .map(|l| l.amount.to_string())
            .as_deref(),
        Some("150.00")
    );
}

#[test]
fn deductions_never_exceed_the_refund() {
    // Refund 10.00; a kept gift stated at 25.00 is capped at 10.00: the
    // refund nets to 0.00 and nobody pays.
    let p = policy(SEVEN_DAY);
    let e = evaluate(
        &p,
        r#"{"id": "R-5", "opened_at": "2026-03-05T10:00:00+08:00", "kind": "return",
            "product": {"sold_via": "online", "delivered_on": "2026-03-02", "price": "10.00"},
            "order": {"benefits": [{"kind": "gift", "value": "25.00"}]}}"#,
        "2026-03-05T12:00:00+08:00",
    );
    let s = settlement(&e);
    assert_eq!(
        lines(s),
        owned(&[
            ("refund", "customer", "10.00"),
            ("benefit", "seller", "10.00")
        ])
    );
    assert_eq!(totals(s), t("10.00", "10.00", "0.00", "0.00", None));
}

const FRAUD: &str = r#"
[settlement]
statutory = ["cn-fraud-55"]
"#;

#[test]
fn fraud_pays_three_times_the_price_and_at_least_500() {
    // No return is owed (no warranty section); fraud found: 3 × 120.00 =
    // 360.00 < 500: 500.00 to the customer, not taxed.
    let p = policy(FRAUD);
    let e = evaluate(
        &p,
        r#"{"id": "F-1", "opened_at": "2026-03-05T10:00:00+08:00", "kind": "complaint",
            "product": {"price": "120.00"}, "order": {"fraud": true}}"#,
        "2026-03-05T12:00:00+08:00",
    );
    let s = settlement(&e);
    assert_eq!(lines(s), owned(&[("cn-fraud-55", "customer", "500.00")]));
    assert_eq!(
        totals(s),
        t("500.00", "0.00", "0.00", "500.00", Some("seller"))
    );
    assert_eq!(s.reason, None);

    // 3 × (2 × 150.00) = 900.00 ≥ 500.
    let e = evaluate(
        &p,
        r#"{"id": "F-2", "opened_at": "2026-03-05T10:00:00+08:00", "kind": "complaint",
            "order": {"fraud": true, "lines": [{"sku": "X", "qty": 2, "unit_price": "150.00", "returned": 0}]}}"#,
        "2026-03-05T12:00:00+08:00",
    );
    assert_eq!(
        lines(settlement(&e)),
        owned(&[("cn-fraud-55", "customer", "900.00")])
    );

    // Without fraud nothing flows: no settlement.
    // (A return owed but not asked for is not settled either: see
    // `a_return_owed_is_settled_only_when_asked_for`.)
    let e = evaluate(
        &p,
        r#"{"id": "F-3", "opened_at": "2026-03-05T10:00:00+08:00", "product": {"price": "120.00"}}"#,
        "2026-03-05T12:00:00+08:00",
    );
    assert_eq!(e.settlement, None);
}

#[test]
fn a_rule_may_add_lines_and_the_totals_follow() {
    // The rule adds a goodwill voucher of 50.00 to the fraud payout of
    // 500.00 (3 × 100.00 = 300.00 < 500): 550.00 to the customer.
    let text = format!(
        "{HEAD}{}",
        r#"
[settlement]
statutory = ["cn-fraud-55"]
rule = "settle"
"#
    )
    .replace(
        "timezone = \"Asia/Shanghai\"",
        "timezone = \"Asia/Shanghai\"\nscript = '''\nfn settle(ticket, s) {\n  s.lines.push(#{code: \"goodwill\", description: \"Voucher\", to: \"customer\", amount: \"50.00\"});\n  s\n}\nfn bad(ticket, s) {\n  s.lines.push(#{code: \"oops\", description: \"x\", to: \"seller\", amount: \"-1.00\"});\n  s\n}\n'''",
    );
    let p = match Policy::from_toml_str(&text) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    };
    let ticket = r#"{"id": "F-4", "opened_at": "2026-03-05T10:00:00+08:00", "product": {"price": "100.00"}, "order": {"fraud": true}}"#;
    let e = evaluate(&p, ticket, "2026-03-05T12:00:00+08:00");
    let s = settlement(&e);
    assert_eq!(
        lines(s),
        owned(&[
            ("cn-fraud-55", "customer", "500.00"),
            ("goodwill", "customer", "50.00")
        ])
    );
    assert_eq!(
        totals(s),
        t("550.00", "0.00", "0.00", "550.00", Some("seller"))
    );

    let bad = match Policy::from_toml_str(&text.replace("rule = \"settle\"", "rule = \"bad\"")) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    };
    let ticket = match Ticket::from_json(ticket) {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    };
    let as_of: DateTime<Utc> = "2026-03-05T04:00:00Z".parse().unwrap_or_default();
    match bad.evaluate(&ticket, as_of) {
        Err(Error::Rule {
            function,
            location,
            message,
            ..
        }) => {
            assert_eq!(function, "bad()");
            assert_eq!(location.path, "settlement.lines[1].amount");
            assert!(message.contains("below zero"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn bad_settlement_tables_are_refused_with_their_path() {
    let e = policy_error("[settlement]\nstatutory = [\"cn-fraud-56\"]\n");
    assert!(
        e.contains("settlement.statutory[0]") && e.contains("cn-fraud-56"),
        "{e}"
    );
    let e = policy_error("[settlement]\nstatutory = [\"cn-sanbao-refund\"]\n");
    assert!(
        e.contains("settlement.cn_sanbao_refund") && e.contains("daily_percent"),
        "{e}"
    );
    let e = policy_error("[settlement.cn_sanbao_refund]\ndaily_percent = \"0.1\"\n");
    assert!(e.contains("does not opt into"), "{e}");
    let e = policy_error(
        "[settlement.depreciation]\npercent_per_day = \"1\"\npercent_per_month = \"3\"\n",
    );
    assert!(e.contains("exactly one of"), "{e}");
    let e = policy_error("[settlement.depreciation]\npercent_per_day = \"101\"\n");
    assert!(e.contains("settlement.depreciation.percent_per_day"), "{e}");
    let eur = format!("{HEAD}{FRAUD}").replace("currency = \"CNY\"", "currency = \"EUR\"");
    let e = Policy::from_toml_str(&eur)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("500 yuan"), "{e}");
}

#[test]
fn bad_orders_are_refused_with_their_field() {
    let bad = [
        (
            r#"{"lines": [{"sku": "A", "qty": 1, "unit_price": "1.00", "returned": 2}]}"#,
            "order.lines[0].returned",
        ),
        (
            r#"{"lines": [{"sku": "A", "qty": 0, "unit_price": "1.00"}]}"#,
            "order.lines[0].qty",
        ),
        (
            r#"{"benefits": [{"kind": "voucher", "value": "1.00"}]}"#,
            "order.benefits[0].kind",
        ),
        (
            r#"{"return_shipping": {"cost": "1.00", "paid_by": "courier"}}"#,
            "order.return_shipping.paid_by",
        ),
        (r#"{"free_shipping": "-1.00"}"#, "order.free_shipping"),
        (
            r#"{"tax": {"percent": "113", "mode": "exclusive"}}"#,
            "order.tax.percent",
        ),
    ];
    let p = policy(FRAUD);
    for (order, field) in bad {
        let json =
            format!(r#"{{"id": "B", "opened_at": "2026-03-05T10:00:00+08:00", "order": {order}}}"#);
        // Parsing checks the ticket; so does evaluating one built in code.
        let error = Ticket::from_json(&json)
            .and_then(|ticket| p.evaluate(&ticket, ticket.opened_at_utc()))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains(field), "{field}: {error}");
    }
}

#[test]
fn a_return_owed_is_settled_only_when_asked_for() {
    // The same art. 9 return as above, on a complaint: owed, not asked for.
    let p = policy(SANBAO);
    let e = evaluate(
        &p,
        r#"{"id": "R-6", "opened_at": "2026-03-05T10:00:00+08:00", "kind": "complaint",
            "product": {"purchased_on": "2026-03-01", "price": "1000.00"},
            "fault": {"code": "no_display", "performance": true}}"#,
        "2026-03-05T12:00:00+08:00",
    );
    assert_eq!(
        e.warranty.remedy.map(|r| r.kind),
        Some(crate::warranty::RemedyKind::Return)
    );
    assert_eq!(e.settlement, None);
}

// ------------------------------------------------ issue 20: money defects

#[test]
fn the_sales_own_tax_wins_over_the_policys() {
    // The policy taxes at 13% inclusive ([fees.tax]); the ticket's sale
    // was taxed 6% exclusive (order.tax), which wins (docs/fees.md,
    // "Totals and tax"). A whole return (nothing kept), change of mind,
    // within 7 days: refund 2 × 100.00 = 200.00, no deduction (the free
    // delivery is not clawed back on a whole return).
    // Taxable net 200.00; exclusive 6%: 200.00 × 6 / 100 = 12.00, added to
    // the customer's side: 212.00. (At the policy's 13% inclusive it would
    // have been 200.00 × 13 / 113 = 23.01, contained: 200.00.)
    let p = policy(SEVEN_DAY);
    let e = evaluate(
        &p,
        r#"{"id": "R-T", "opened_at": "2026-03-05T10:00:00+08:00", "kind": "return",
            "product": {"sold_via": "online", "delivered_on": "2026-03-02"},
            "order": {"lines": [{"sku": "A", "qty": 2, "unit_price": "100.00"}],
                      "free_shipping": "8.00",
                      "tax": {"percent": "6", "mode": "exclusive"}}}"#,
        "2026-03-05T12:00:00+08:00",
    );
    let s = settlement(&e);
    assert_eq!(lines(s), owned(&[("refund", "customer", "200.00")]));
    assert_eq!(
        totals(s),
        t("212.00", "0.00", "12.00", "212.00", Some("seller"))
    );
    assert_eq!(
        s.tax_percent
            .map(|p| p.0.normalize().to_string())
            .as_deref(),
        Some("6")
    );
    assert_eq!(s.tax_mode, Some(crate::money::TaxMode::Exclusive));
    let codes: Vec<&str> = s.because.iter().map(|b| b.code()).collect();
    assert!(
        codes.contains(&"settlement.order_tax_exclusive"),
        "{codes:?}"
    );
}

#[test]
fn the_sales_own_tax_also_totals_a_rule_edited_settlement() {
    // The rule adds a taxable goodwill refund of 50.00 to the customer;
    // the totals are worked out again with the sale's 6% exclusive:
    // taxable net 200.00 + 50.00 = 250.00, tax 250.00 × 6 / 100 = 15.00;
    // to the customer 250.00 + 15.00 = 265.00.
    let text = format!("{HEAD}{SEVEN_DAY}\n[settlement]\nrule = \"settle\"\n").replace(
        "timezone = \"Asia/Shanghai\"",
        "timezone = \"Asia/Shanghai\"\nscript = '''\nfn settle(ticket, s) {\n  s.lines.push(#{code: \"goodwill\", description: \"Goodwill\", to: \"customer\", amount: \"50.00\", taxable: true});\n  s\n}\n'''",
    );
    let p = match Policy::from_toml_str(&text) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    };
    let e = evaluate(
        &p,
        r#"{"id": "R-T2", "opened_at": "2026-03-05T10:00:00+08:00", "kind": "return",
            "product": {"sold_via": "online", "delivered_on": "2026-03-02"},
            "order": {"lines": [{"sku": "A", "qty": 2, "unit_price": "100.00"}],
                      "tax": {"percent": "6", "mode": "exclusive"}}}"#,
        "2026-03-05T12:00:00+08:00",
    );
    assert_eq!(
        totals(settlement(&e)),
        t("265.00", "0.00", "15.00", "265.00", Some("seller"))
    );
}

#[test]
fn a_settlement_rule_cannot_change_the_currency() {
    // As for a fee rule (charges.currency): the amounts are yuan; a rule
    // that relabels them dollars is refused, naming settlement.currency.
    let text = format!("{HEAD}{FRAUD}rule = \"usd\"\n").replace(
        "timezone = \"Asia/Shanghai\"",
        "timezone = \"Asia/Shanghai\"\nscript = '''\nfn usd(ticket, s) {\n  s.currency = \"USD\";\n  s\n}\n'''",
    );
    let p = match Policy::from_toml_str(&text) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    };
    let ticket = match Ticket::from_json(
        r#"{"id": "F-U", "opened_at": "2026-03-05T10:00:00+08:00", "product": {"price": "100.00"}, "order": {"fraud": true}}"#,
    ) {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    };
    match p.evaluate(&ticket, ticket.opened_at_utc()) {
        Err(Error::Rule {
            function,
            location,
            message,
            ..
        }) => {
            assert_eq!(function, "usd()");
            assert_eq!(location.path, "settlement.currency");
            assert!(
                message.contains("CNY") && message.contains("USD"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
}

/// A phone repaired twice for the same fault, the repairs given by their
/// instants only.
const REPAIRED_BY_INSTANTS: &str = r#"{"id": "R-3i", "opened_at": "2025-12-01T10:00:00+08:00", "kind": "return",
    "product": {"model": "Phone 9", "category": "phone", "purchased_on": "2025-06-01", "price": "2000.00"},
    "fault": {"code": "no_signal"},
    "history": {"repairs": [
        {"received_at": "2025-08-01T10:00:00+08:00", "resolved_at": "2025-08-08T10:00:00+08:00", "fault": "no_signal"},
        {"received_at": "2025-10-01T10:00:00+08:00", "resolved_at": "2025-10-08T09:00:00+08:00", "fault": "no_signal"}]}}"#;

#[test]
fn sanbao_days_in_repair_are_counted_from_the_repairs_instants_as_the_warranty_counts_them() {
    // As `a_return_chosen_after_failed_repairs_bears_the_art_13_depreciation`,
    // but the CRM sends the repairs' instants, not `days_in_repair`:
    //   2025-08-01 10:00 .. 2025-08-08 10:00 = 7 × 24 h          → 7 days
    //   2025-10-01 10:00 .. 2025-10-08 09:00 = 6 d 23 h, started  → 7 days
    // (cn-sanbao's extension counts each started 24 h as a day). 14 days
    // in repair. Days from the invoice (2025-06-01) to the claim
    // (2025-12-01): 30 + 31 + 31 + 30 + 31 + 30 = 183, less 14 = 169;
    // a phone, 0.2% a day: 169 × 0.2 = 33.8%; 33.8% of 2000.00 = 676.00.
    // Net 2000.00 − 676.00 = 1324.00; exclusive 13%: 172.12; the
    // customer's side 2000.00 + 172.12 = 2172.12, net 2172.12 − 676.00 =
    // 1496.12. The warranty, in the same evaluation, extends the main
    // unit's year (to 2026-06-01) by the same 14 days: 2026-06-15.
    let p = policy(SANBAO);
    let e = evaluate(&p, REPAIRED_BY_INSTANTS, "2025-12-01T12:00:00+08:00");
    let main_unit = e
        .warranty
        .components
        .iter()
        .find(|c| c.component == "main_unit")
        .and_then(|c| c.until)
        .map(|d| d.to_string());
    assert_eq!(main_unit.as_deref(), Some("2026-06-15"));
    let s = settlement(&e);
    assert_eq!(
        lines(s),
        owned(&[
            ("refund", "customer", "2000.00"),
            ("depreciation", "seller", "676.00")
        ])
    );
    assert_eq!(
        totals(s),
        t("2172.12", "676.00", "172.12", "1496.12", Some("seller"))
    );
    let why = s
        .lines
        .iter()
        .flat_map(|l| &l.because)
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        why.contains("less 14 days in repair = 169 days × 0.2%"),
        "{why}"
    );

    // The policy counts only whole 24 h ([warranty.extension] partial_day =
    // "whole-24h"): 7 + 6 = 13 days, for the warranty (2026-06-01 + 13 =
    // 2026-06-14) and the refund alike: 183 − 13 = 170 days × 0.2% = 34%;
    // 34% of 2000.00 = 680.00.
    let whole = policy(&SANBAO.replace(
        "[settlement]",
        "[warranty.extension]\npartial_day = \"whole-24h\"\n\n[settlement]",
    ));
    let e = evaluate(&whole, REPAIRED_BY_INSTANTS, "2025-12-01T12:00:00+08:00");
    let main_unit = e
        .warranty
        .components
        .iter()
        .find(|c| c.component == "main_unit")
        .and_then(|c| c.until)
        .map(|d| d.to_string());
    assert_eq!(main_unit.as_deref(), Some("2026-06-14"));
    assert_eq!(
        lines(settlement(&e)),
        owned(&[
            ("refund", "customer", "2000.00"),
            ("depreciation", "seller", "680.00")
        ])
    );
}

#[test]
fn free_delivery_is_clawed_back_on_a_partial_return_only_unless_the_policy_says_so() {
    // Both lines come back (nothing kept, 0.00 < the threshold 99.00):
    // the whole order is undone, and by default the free delivery (8.00)
    // is not clawed back. Refund 299.00 + 2 × 29.90 = 59.80: 358.80; the
    // sale's 13% inclusive: 358.80 × 13 / 113 = 41.2779… → 41.28.
    let ticket = r#"{"id": "R-W", "opened_at": "2026-03-05T10:00:00+08:00", "kind": "return",
            "product": {"sold_via": "online", "delivered_on": "2026-03-02"},
            "order": {"lines": [{"sku": "WH-CH720N", "qty": 1, "unit_price": "299.00"},
                                {"sku": "USB-C", "qty": 2, "unit_price": "29.90"}],
                      "free_shipping": "8.00"}}"#;
    let e = evaluate(&policy(SEVEN_DAY), ticket, "2026-03-05T12:00:00+08:00");
    let s = settlement(&e);
    assert_eq!(
        lines(s),
        owned(&[
            ("refund", "customer", "299.00"),
            ("refund", "customer", "59.80")
        ])
    );
    assert_eq!(
        totals(s),
        t("358.80", "0.00", "41.28", "358.80", Some("seller"))
    );
    let codes: Vec<&str> = s.because.iter().map(|b| b.code()).collect();
    assert!(
        codes.contains(&"settlement.free_shipping_whole"),
        "{codes:?}"
    );

    // whole_return = true: clawed back on a whole return too. Net 358.80 −
    // 8.00 = 350.80; 350.80 × 13 / 113 = 40.3575… → 40.36.
    let all = SEVEN_DAY.replace(
        "threshold = \"99.00\"",
        "threshold = \"99.00\"\nwhole_return = true",
    );
    let e = evaluate(&policy(&all), ticket, "2026-03-05T12:00:00+08:00");
    let s = settlement(&e);
    assert_eq!(
        lines(s),
        owned(&[
            ("refund", "customer", "299.00"),
            ("refund", "customer", "59.80"),
            ("free_shipping", "seller", "8.00")
        ])
    );
    assert_eq!(
        totals(s),
        t("358.80", "8.00", "40.36", "350.80", Some("seller"))
    );
    // The partial return of the first test is unchanged: 59.80 kept < 99.00.
}

#[test]
fn the_seller_bears_the_return_freight_of_a_fraudulent_sale() {
    // A change of mind (no fault reported) within 7 days, but the sale was
    // found fraudulent: under cn-fraud-55 (CPL art. 55) the seller bears
    // the return freight, which the customer paid (12.00): reimbursed, not
    // taxed. Refund 100.00 (the whole order, one unit); the fraud payout
    // 3 × 100.00 = 300.00 < 500: 500.00, not taxed. Tax 13% inclusive of
    // 100.00: 100.00 × 13 / 113 = 11.504… → 11.50, contained.
    // To the customer 100.00 + 12.00 + 500.00 = 612.00.
    let body = SEVEN_DAY.replace(
        "[settlement.free_shipping]",
        "[settlement]\nstatutory = [\"cn-fraud-55\"]\n[settlement.free_shipping]",
    );
    let ticket = |fraud: bool| {
        format!(
            r#"{{"id": "R-F", "opened_at": "2026-03-05T10:00:00+08:00", "kind": "return",
                "product": {{"sold_via": "online", "delivered_on": "2026-03-02", "price": "100.00"}},
                "order": {{"fraud": {fraud}, "return_shipping": {{"cost": "12.00", "paid_by": "customer"}}}}}}"#
        )
    };
    let p = policy(&body);
    let e = evaluate(&p, &ticket(true), "2026-03-05T12:00:00+08:00");
    let s = settlement(&e);
    assert_eq!(s.reason, Some(ReturnReason::ChangeOfMind));
    assert_eq!(
        lines(s),
        owned(&[
            ("refund", "customer", "100.00"),
            ("freight", "customer", "12.00"),
            ("cn-fraud-55", "customer", "500.00")
        ])
    );
    assert_eq!(
        totals(s),
        t("612.00", "0.00", "11.50", "612.00", Some("seller"))
    );
    let freight = s
        .lines
        .get(1)
        .map(|l| l.because.iter().map(|b| b.code()).collect::<Vec<_>>());
    assert_eq!(freight, Some(vec!["settlement.freight_fraud"]));
    // Without fraud, a change of mind's freight is the customer's: no line.
    let e = evaluate(&p, &ticket(false), "2026-03-05T12:00:00+08:00");
    assert_eq!(
        lines(settlement(&e)),
        owned(&[("refund", "customer", "100.00")])
    );
}

#[test]
fn a_settlement_sum_too_large_to_hold_to_the_cent_is_an_error() {
    // Fraud on everything bought: 2 × 400000000000000000000000000.00 =
    // 8e26, beyond the largest 2-place amount (792281625142643375935439503.35):
    // an error naming order.lines, never a rounded or saturated sum.
    let p = policy(FRAUD);
    let ticket = match Ticket::from_json(
        r#"{"id": "F-O", "opened_at": "2026-03-05T10:00:00+08:00", "kind": "complaint",
            "order": {"fraud": true, "lines": [
                {"sku": "X", "qty": 2, "unit_price": "400000000000000000000000000.00", "returned": 0}]}}"#,
    ) {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    };
    match p.evaluate(&ticket, ticket.opened_at_utc()) {
        Err(Error::Ticket { field, message, .. }) => {
            assert_eq!(field, "order.lines");
            assert!(
                message.contains("792281625142643375935439503.35"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
}
