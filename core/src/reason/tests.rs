//! Codes rendered in both languages against hand-written text, and the
//! three serialised forms.

use super::*;
use chrono::{NaiveDate, TimeDelta};
use rust_decimal::Decimal;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn both(reason: &Reason, en: &str, zh: &str) {
    assert_eq!(reason.render(Lang::En), en, "{:?}", reason.code());
    assert_eq!(reason.render(Lang::ZhCn), zh, "{:?}", reason.code());
}

#[test]
fn severity_reasons_in_both_languages() {
    both(
        &reason!(SeverityGiven, "P1"),
        "P1: given by the CRM",
        "P1：由 CRM 给定",
    );
    // The rule's own reason is free text: never translated.
    both(
        &reason!(SeverityRule, "severity()", "industrial meter, no reading"),
        "rule severity(): industrial meter, no reading",
        "规则 severity()：industrial meter, no reading",
    );
    let at: chrono::DateTime<chrono::FixedOffset> =
        "2026-03-02T09:00:00+08:00".parse().unwrap_or_default();
    both(
        &reason!(SeverityChanged, "critical", at),
        "changed to critical at 2026-03-02T09:00:00+08:00",
        "于 2026-03-02T09:00:00+08:00 改为 critical",
    );
}

#[test]
fn fee_reasons_in_both_languages() {
    both(
        &reason!(FeesDiagnostic, Decimal::new(8000, 2)),
        "[fees.diagnostic]: fee 80.00",
        "[fees.diagnostic]：检测费 80.00",
    );
    // 12 km travelled, 10 included: 2 beyond at 3.50/km.
    both(
        &reason!(
            FeesTravel,
            "A",
            Decimal::from(12),
            Decimal::from(10),
            Decimal::from(2),
            Decimal::new(350, 2)
        ),
        "[fees.callout.zones.A]: 12 km travelled, 10 km included, 2 km beyond at 3.50/km",
        "[fees.callout.zones.A]：行驶 12 公里，含 10 公里，超出 2 公里，每公里 3.50",
    );
    // 1h 30m worked, billed 1.5 h as worked at 120.00/h.
    both(
        &reason!(
            FeesLabor,
            TimeDelta::minutes(90),
            Decimal::new(15, 1),
            reason!(FeesLaborAsWorked),
            Decimal::new(12000, 2)
        ),
        "[fees.labor]: 1h 30m worked, billed 1.5 h (as worked) at 120.00/h",
        "[fees.labor]：实际工时 1h 30m，计费 1.5 小时（按实际工时），每小时 120.00",
    );
    both(
        &reason!(FeesNotCoveredStatus, Term::Expired),
        "not covered: warranty expired",
        "保修不承担：保修状态为已过保",
    );
    both(
        &reason!(
            FeesDiscountWaives,
            reason!(FeesPlan, "care"),
            Term::Callout,
            reason!(FeesPlanPath, "care")
        ),
        "plan `care` waives callout lines ([fees.plans.care].waive)",
        "服务套餐 `care`免收上门费（[fees.plans.care].waive）",
    );
    // 13% exclusive on 200.00 = 26.00, total 226.00.
    both(
        &reason!(
            FeesTaxExclusive,
            Decimal::from(13),
            Decimal::new(20000, 2),
            Decimal::new(2600, 2),
            Term::HalfUp,
            Decimal::new(22600, 2)
        ),
        "[fees.tax]: 13% exclusive on 200.00 = 26.00 (rounded half-up), added: total 226.00",
        "[fees.tax]：价外税 13%，200.00 计税 26.00（四舍五入），加计后合计 226.00",
    );
    both(
        &reason!(
            FeesHolidayNamed,
            date(2026, 2, 17),
            "春节",
            "cn-office",
            Term::WhenVisit
        ),
        "2026-02-17 (春节) is a holiday on calendar `cn-office` (the visit's arrival, work.visits[].at)",
        "2026-02-17（春节）是日历 `cn-office` 上的节假日（上门到达时间，work.visits[].at）",
    );
}

#[test]
fn free_text_is_never_translated() {
    both(&Reason::text("自定义原因"), "自定义原因", "自定义原因");
}

#[test]
fn a_coded_reason_equals_its_english_text() {
    // What a Rhai rule hands back is text: still the same reason.
    assert_eq!(
        reason!(FeesNoWork),
        Reason::text("the ticket reports no work: nothing to bill")
    );
    assert_ne!(reason!(FeesNoWork), reason!(FeesNoRateCard));
}

#[test]
fn serialised_as_the_thread_rendering_says() {
    let reasons = vec![reason!(FeesDiagnostic, Decimal::new(8000, 2))];
    #[derive(serde::Serialize)]
    struct Holder<'a> {
        #[serde(serialize_with = "serialize_all")]
        because: &'a [Reason],
    }
    let json = |rendering| {
        with_rendering(rendering, || {
            serde_json::to_string(&Holder { because: &reasons }).unwrap_or_default()
        })
    };
    assert_eq!(
        json(Rendering::default()),
        r#"{"because":["[fees.diagnostic]: fee 80.00"]}"#
    );
    assert_eq!(
        json(Rendering {
            lang: Lang::ZhCn,
            because: Because::Text
        }),
        r#"{"because":["[fees.diagnostic]：检测费 80.00"]}"#
    );
    assert_eq!(
        json(Rendering {
            lang: Lang::En,
            because: Because::Codes
        }),
        r#"{"because":[{"code":"fees.diagnostic","args":{"fee":"80.00"}}]}"#
    );
    assert_eq!(
        json(Rendering {
            lang: Lang::En,
            because: Because::None
        }),
        r#"{"because":[]}"#
    );
    // The scope is restored: English text again.
    assert_eq!(rendering(), Rendering::default());
}

#[test]
fn languages_and_forms_parse() {
    assert_eq!("zh-CN".parse::<Lang>(), Ok(Lang::ZhCn));
    assert_eq!("zh_cn".parse::<Lang>(), Ok(Lang::ZhCn));
    assert_eq!("en".parse::<Lang>(), Ok(Lang::En));
    assert!("fr".parse::<Lang>().is_err());
    assert_eq!(Lang::ZhCn.to_string(), "zh-CN");
    assert_eq!("codes".parse::<Because>(), Ok(Because::Codes));
    assert_eq!("none".parse::<Because>(), Ok(Because::None));
    assert!("all".parse::<Because>().is_err());
}

#[test]
fn sla_reasons_in_both_languages() {
    let at: chrono::DateTime<chrono::FixedOffset> =
        "2026-03-02T09:30:00+08:00".parse().unwrap_or_default();
    let four_hours = crate::duration::ServiceDuration::Time(TimeDelta::hours(4));
    let target = reason!(
        SlaTargetFor,
        four_hours,
        Term::Severity,
        "critical",
        "targets[1].target.critical"
    );
    both(
        &target,
        "target PT4H for severity critical: targets[1].target.critical",
        "严重级别 critical 的目标为 PT4H：targets[1].target.critical",
    );
    // A reason inside a reason, each in the chosen language; 90 minutes
    // already elapsed shows as `1h 30m`.
    both(
        &reason!(
            SlaChangeFromChange,
            reason!(SlaChanged, Term::Severity, "critical"),
            at,
            target,
            TimeDelta::minutes(90)
        ),
        "severity changed to critical at 2026-03-02T09:30:00+08:00: target PT4H for severity critical: targets[1].target.critical (from_change: counts from the change, 1h 30m already elapsed)",
        "2026-03-02T09:30:00+08:00 严重级别改为 critical：严重级别 critical 的目标为 PT4H：targets[1].target.critical（from_change：自变更时起计，此前已用 1h 30m）",
    );
    let kinds: Vec<Arc<str>> = vec!["visit_booked".into(), "dispatched".into()];
    both(
        &reason!(SlaWaiting, Arg::Either(kinds.into())),
        "waiting for `visit_booked` or `dispatched` to start the clock",
        "等待 `visit_booked` 或 `dispatched` 开始计时",
    );
}

#[test]
fn settlement_reasons_in_both_languages() {
    // The seller bears the freight of a quality return; the customer paid
    // the carrier, so the seller reimburses it.
    both(
        &reason!(
            SettleFreight,
            Term::Seller,
            Term::Quality,
            "CPL art. 24",
            Term::Customer
        ),
        "the seller bears the return freight of a quality return ([settlement.freight]; CPL art. 24); the customer paid the carrier",
        "质量问题退货的退货运费由商家承担（[settlement.freight]；CPL art. 24）；运费由客户支付给承运人",
    );
    // 40 days of use, the first 7 free: 33 days charged × 0.5% = 16.5%.
    let how = reason!(SettlePerDay, 33i64, Decimal::new(5, 1));
    both(
        &reason!(
            SettleDepreciation,
            40i64,
            "product.delivered_on",
            date(2026, 1, 1),
            "ticket.opened_at",
            date(2026, 2, 10),
            Arg::Static(""),
            reason!(SettleFirstFree, 7u32),
            how,
            Decimal::new(165, 1),
            Arg::Static("")
        ),
        "[settlement.depreciation]: 40 days of use from product.delivered_on (2026-01-01) to ticket.opened_at (2026-02-10), the first 7 free: 33 days charged × 0.5% a day = 16.5%",
        "[settlement.depreciation]：自 product.delivered_on（2026-01-01）至 ticket.opened_at（2026-02-10）使用 40 天，前 7 天免计：计 33 天 × 每天 0.5% = 16.5%",
    );
}
