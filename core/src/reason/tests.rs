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
        "[fees.labor]：实际工时 1 小时 30 分钟，计费 1.5 小时（按实际工时），每小时 120.00",
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
fn a_coded_reason_never_equals_free_text() {
    // Reasons are compared by code and arguments, never by their words.
    assert_ne!(
        reason!(FeesNoWork),
        Reason::text("the ticket reports no work: nothing to bill")
    );
    assert_eq!(reason!(FeesNoWork), reason!(FeesNoWork));
    assert_ne!(reason!(FeesNoWork), reason!(FeesNoRateCard));
    assert!(reason!(FeesNoWork).is_one_of(&[Code::FeesNoRateCard, Code::FeesNoWork]));
    assert!(!Reason::text("[fees.tax]: 13%").is_one_of(&[Code::FeesTaxExclusive]));
}

#[test]
fn rendered_as_the_options_say() {
    let reasons = vec![reason!(FeesDiagnostic, Decimal::new(8000, 2))];
    let json = |rendering| {
        let mut because = reasons.clone();
        render_all(&mut because, rendering);
        serde_json::to_string(&because).unwrap_or_default()
    };
    // Not rendered: the code and its arguments, whatever the thread.
    assert_eq!(
        serde_json::to_string(&reasons).unwrap_or_default(),
        r#"[{"code":"fees.diagnostic","args":{"fee":"80.00"}}]"#
    );
    assert_eq!(
        json(Rendering::default()),
        r#"["[fees.diagnostic]: fee 80.00"]"#
    );
    assert_eq!(
        json(Rendering {
            lang: Lang::ZhCn,
            because: Because::Text
        }),
        r#"["[fees.diagnostic]：检测费 80.00"]"#
    );
    assert_eq!(
        json(Rendering {
            lang: Lang::En,
            because: Because::Codes
        }),
        r#"[{"code":"fees.diagnostic","args":{"fee":"80.00"}}]"#
    );
    assert_eq!(
        json(Rendering {
            lang: Lang::En,
            because: Because::None
        }),
        "[]"
    );
    // Rendered once, a reason keeps its code and its words: rendering it
    // again in another language changes nothing.
    let mut because = reasons.clone();
    render_all(&mut because, Rendering::default());
    render_all(
        &mut because,
        Rendering {
            lang: Lang::ZhCn,
            because: Because::Text,
        },
    );
    assert_eq!(
        serde_json::to_string(&because).unwrap_or_default(),
        r#"["[fees.diagnostic]: fee 80.00"]"#
    );
    assert_eq!(because.first().map(Reason::code), Some("fees.diagnostic"));
    // Free text from a policy: as text when rendered, as `text` in codes.
    let mut free = vec![Reason::text("goodwill")];
    assert_eq!(
        serde_json::to_string(&free).unwrap_or_default(),
        r#"[{"code":"text","args":{"text":"goodwill"}}]"#
    );
    render_all(&mut free, Rendering::default());
    assert_eq!(
        serde_json::to_string(&free).unwrap_or_default(),
        r#"["goodwill"]"#
    );
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
        "严重级别 critical 的目标为 4 小时：targets[1].target.critical",
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
        "2026-03-02T09:30:00+08:00 严重级别改为 critical：严重级别 critical 的目标为 4 小时：targets[1].target.critical（from_change：自变更时起计，此前已用 1 小时 30 分钟）",
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

#[test]
fn warranty_reasons_in_both_languages() {
    // Two repairs of 3 days each extend a 1-year period ending 2026-09-10
    // by 3 + 3 = 6 days, to 2026-09-16.
    let repair = |i: usize| -> Arg {
        reason!(
            WarrantyRepairDays,
            i,
            Arg::days(3),
            Arg::Static("days_in_repair")
        )
        .into()
    };
    both(
        &reason!(
            WarrantyExtended,
            "main_unit",
            Arg::days(6),
            Arg::list([repair(0), repair(1)], Sep::Semicolon),
            date(2026, 9, 16),
            Term::SanbaoExtension,
            Term::Started24h
        ),
        "main_unit: extended by 6 days out of service (history.repairs[0]: 3 days (days_in_repair); history.repairs[1]: 3 days (days_in_repair)) to 2026-09-16 (cn-sanbao: the three-guarantee period excludes time in repair, each started 24 h counts as a day)",
        "main_unit：停用 6 天（history.repairs[0]：3 天（days_in_repair）；history.repairs[1]：3 天（days_in_repair）），保修顺延至 2026-09-16（cn-sanbao：三包有效期不含维修占用时间；不足 24 小时按一日计）",
    );
    // One day is singular in English.
    both(
        &reason!(
            WarrantyRepairDays,
            0usize,
            Arg::days(1),
            Arg::Static("days_in_repair")
        ),
        "history.repairs[0]: 1 day (days_in_repair)",
        "history.repairs[0]：1 天（days_in_repair）",
    );
    // A period in the policy's words, and in Chinese units.
    both(
        &reason!(
            WarrantyPeriod,
            "battery",
            crate::duration::CalendarPeriod::Months(6),
            date(2026, 2, 9),
            date(2026, 8, 9),
            "warranty.components.battery"
        ),
        "battery: 6 months from 2026-02-09, last day 2026-08-09 (warranty.components.battery.period)",
        "battery：自 2026-02-09 起 6 个月，最后一日 2026-08-09（warranty.components.battery.period）",
    );
    // An exclusion with the engine's words for a common cause.
    let exclusion = reason!(
        WarrantyExclusion,
        Term::CauseWater,
        reason!(WarrantyExclusionCause, "water_damage"),
        "warranty.exclusions[0]"
    );
    both(
        &reason!(WarrantyNotCovered, "main_unit", reason!(WarrantyExcluded, exclusion)),
        "main_unit: not covered: excluded: water or liquid damage (fault.cause `water_damage`, warranty.exclusions[0])",
        "main_unit：不在保修范围内：不予保修：进水或液体损坏（fault.cause `water_damage`，warranty.exclusions[0]）",
    );
    // The status line, with and without a deadline.
    both(
        &reason!(
            WarrantyStatusRemedy,
            Term::StatusInWarranty,
            Term::FreeRepair,
            "warranty",
            Some(reason!(WarrantyClaimBy, date(2027, 2, 9)))
        ),
        "in warranty: free repair under warranty, to be claimed by 2027-02-09",
        "在保修期内：依 warranty 免费维修，须于 2027-02-09 前主张",
    );
    both(
        &reason!(WarrantyStatus, Term::StatusExpired),
        "expired: the fault is not covered",
        "已过保：故障不在保修范围内",
    );
    // No start date: the fields joined by `nor`.
    both(
        &reason!(
            WarrantyNoStart,
            Arg::list(
                [
                    Arg::Static("product.purchased_on"),
                    Arg::Static("product.delivered_on")
                ],
                Sep::Nor
            ),
            "warranty.start"
        ),
        "no start date: the ticket has no product.purchased_on nor product.delivered_on (warranty.start)",
        "无起始日期：工单没有 product.purchased_on，也没有 product.delivered_on（warranty.start）",
    );
    // A refund due date moved past a rest day.
    both(
        &reason!(
            Warranty7RefundDue,
            date(2026, 3, 2),
            date(2026, 3, 9),
            Some(reason!(WarrantyMovedRestDay, date(2026, 3, 8))),
            7u32
        ),
        "cn-7day-return: return received on 2026-03-02 (event `return_received`): refund due by 2026-03-09 (moved from 2026-03-08, a rest day: Civil Code art. 203) (within 7 days, Consumer Protection Law art. 25 para. 3)",
        "cn-7day-return：2026-03-02 收到退货（事件 `return_received`）：应于 2026-03-09（原为 2026-03-08，逢休息日顺延：《民法典》第二百零三条）前退款（7 日内，《消费者权益保护法》第二十五条第三款）",
    );
    // Art. 11: the same fault repaired twice; an undated repair says so.
    both(
        &reason!(
            SanbaoRepeated,
            reason!(SanbaoFaultCode, "fingerprint_fail"),
            2usize,
            Arg::list(
                [
                    reason!(SanbaoRepairOn, 0usize, date(2025, 12, 2)).into(),
                    reason!(SanbaoRepairOn, 1usize, Term::Undated).into()
                ],
                Sep::Comma
            ),
            date(2026, 9, 16)
        ),
        "cn-sanbao arts. 11 and 13: fault `fingerprint_fail` was repaired 2 times in the three-guarantee period (history.repairs[0] 2025-12-02, history.repairs[1] undated) and is back: exchange for the same model, or return (a used product may bear a depreciation charge), until 2026-09-16",
        "cn-sanbao 第十一、十三条：三包有效期内，`fingerprint_fail` 故障已维修 2 次（history.repairs[0] 2025-12-02、history.repairs[1] 日期不明），故障再次出现：可换同型号产品或退货（已使用的产品可收取折旧费），至 2026-09-16",
    );
}

#[test]
fn credit_reasons_in_both_languages() {
    // 2h 10m late: 3 started hours × 50.00 = 150.00, plus 10.00 fixed.
    let at: chrono::DateTime<chrono::FixedOffset> =
        "2026-03-02T13:00:00+08:00".parse().unwrap_or_default();
    let money = |units: i64| crate::money::Money(Decimal::new(units, 2));
    both(
        &reason!(
            CreditsBreach,
            "credits[0]",
            "resolve",
            Some(reason!(CreditsBreachedAt, at)),
            TimeDelta::minutes(130),
            Arg::list(
                [
                    reason!(CreditsFixed, money(1000)).into(),
                    reason!(CreditsPerStarted, 3i64, Term::StartedHours, money(5000), money(15000))
                        .into()
                ],
                Sep::Plus
            )
        ),
        "credits[0]: `resolve` breached at 2026-03-02T13:00:00+08:00, 2h 10m late: 10.00 fixed + 3 started hours × 50.00 = 150.00",
        "credits[0]：`resolve` 于 2026-03-02T13:00:00+08:00 超时，逾期 2 小时 10 分钟：固定 10.00 + 3 个起算小时 × 50.00 = 150.00",
    );
    // 12.345 rounded half-up to the cent: 12.35.
    both(
        &reason!(
            CreditsRounded,
            Decimal::new(12345, 3),
            Term::from(crate::money::Rounding::HalfUp),
            money(1235)
        ),
        "12.345 rounded half-up to 12.35",
        "12.345 舍入为 12.35（四舍五入）",
    );
    // A period cap of 300.00 a month for a customer, 280.00 already
    // credited: 50.00 is reduced to 300.00 − 280.00 = 20.00.
    both(
        &reason!(
            CreditsReducedPeriodCap,
            money(5000),
            money(2000),
            "credits[1]",
            money(30000),
            Term::Month,
            Some(reason!(CreditsForCustomer, "C-42")),
            "2026-03",
            money(28000),
            Arg::Empty
        ),
        "reduced from 50.00 to 20.00: credits[1].cap_per_period is 300.00 per month for customer C-42 (2026-03), 280.00 already credited",
        "由 50.00 减为 20.00：credits[1].cap_per_period 规定客户 C-42 每月不超过 300.00（2026-03），已赔付 280.00",
    );
}

#[test]
fn templates_are_cut_into_text_and_argument_places() {
    use super::{cut, Piece};
    let show = |pieces: Vec<Piece>| -> Vec<String> {
        pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => format!("text {t}"),
                Piece::Arg(i, name) => format!("arg {i} {name}"),
            })
            .collect()
    };
    // Two known places, an unknown name kept as text, an unclosed brace.
    assert_eq!(
        show(cut("a {x} b {y}{z} c {open", &["y", "x"])),
        [
            "text a ",
            "arg 1 {x}",
            "text  b ",
            "arg 0 {y}",
            "text {z}",
            "text  c {open"
        ]
    );
    assert_eq!(show(cut("{x}", &["x"])), ["arg 0 {x}"]);
    assert_eq!(show(cut("", &[])), Vec::<String>::new());
}

#[test]
fn a_warranty_status_argument_is_its_json_value_in_english_and_a_word_in_chinese() {
    use crate::warranty::WarrantyStatus;
    both(
        &reason!(
            RuleChangedStatus,
            "adjust_warranty",
            WarrantyStatus::Expired,
            WarrantyStatus::InWarranty
        ),
        "rule adjust_warranty() changed the status from expired to in_warranty",
        "规则 adjust_warranty() 将保修状态由已过保改为在保",
    );
}
