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
