//! `cn-7day-return`: return without reason of goods bought at a distance.
//!
//! Legal source:
//! - Consumer Protection Law of the People's Republic of China (1993,
//!   amended 2013) art. 25: goods sold online, on TV, by phone or by mail
//!   may be returned without reason within seven days of receipt, except
//!   goods made to order, fresh and perishable goods, audio-visual products
//!   and software downloaded online or unsealed by the consumer, and
//!   newspapers and periodicals delivered (para. 1); other goods unsuited
//!   to return by their nature, when the consumer confirmed this at
//!   purchase (para. 2); the goods returned must be intact, and the seller
//!   refunds the price within seven days of receiving them (para. 3).
//! - SAMR 《网络购买商品七日无理由退货暂行办法》 (Interim Measures for the
//!   7-day no-reason return of goods bought online; SAIC Order No. 90 of
//!   2017, revised by SAMR Order No. 31 of 2020): art. 6 (the excluded
//!   goods), art. 7 (goods excluded when the consumer confirms at
//!   purchase), art. 8 (what "intact" means).
//! - Day counting: PRC Civil Code arts. 201-203 — the day of sign-for is
//!   not counted, the period ends at 24:00 of its last day, a last day on
//!   a rest day moves to the next day.
//!
//! As implemented: a ticket qualifies when `product.sold_via` is one of
//! the distance channels (`online`, `phone`, `tv`, `mail` by default); the
//! sign-for date is `product.signed_for_on`, else the date of
//! `product.signed_for_at`, else `product.delivered_on`; the claim is the
//! ticket's opening (its date, and for `168h` counting its instant). The
//! rule set refuses, naming the reason: an excluded category, goods the
//! customer confirmed at checkout as not returnable
//! (`product.no_return_confirmed`), a claim after the window, goods not
//! intact (`product.intact = false`; unknown counts as intact, subject to
//! the seller's check). When it grants the return, the remedy's deadline
//! is the window's last day, and an event `return_received` adds the
//! refund due date (received + 7 days) to `because`.

use super::{Claim, Finding};
use crate::duration::CalendarPeriod;
use crate::error::{Error, Result};
use crate::reason::{Arg, Reason, Term};
use crate::ticket::{local_date, local_time};
use crate::warranty::counting::{days_between, instant_text};
use crate::warranty::decision::{Remedy, RemedyKind};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeDelta};
use serde::{Deserialize, Serialize};

/// The name a policy opts in with.
pub const NAME: &str = "cn-7day-return";

/// The basis given with a granted return.
const BASIS: &str = "Consumer Protection Law of the PRC art. 25; SAMR Interim Measures for \
                     the 7-day no-reason return of goods bought online (2017, revised 2020): \
                     return without reason within 7 days of sign-for";

/// Settings of `cn-7day-return`: `[warranty.cn_7day_return]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SevenDayReturnSpec {
    /// How the window is counted: `next-day` (default) or `168h`.
    #[serde(default)]
    pub counting: SevenDayCounting,
    /// The length of the window in days (at least the statutory 7).
    #[serde(default = "seven")]
    pub days: u32,
    /// The `product.sold_via` values that are sales at a distance.
    #[serde(default = "default_channels")]
    pub channels: Vec<String>,
    /// Product categories never returnable without reason (CPL art. 25
    /// para. 1; measures art. 6). Replaces the default list.
    #[serde(default = "default_excluded_categories")]
    pub excluded_categories: Vec<String>,
    /// Product categories not returnable once opened (audio-visual
    /// products, software): named in `because` when `product.intact` is false.
    #[serde(default = "default_excluded_if_opened")]
    pub excluded_if_opened: Vec<String>,
    /// Days the seller has to refund after receiving the return (at most 7).
    #[serde(default = "seven")]
    pub refund_days: u32,
}

impl Default for SevenDayReturnSpec {
    fn default() -> Self {
        SevenDayReturnSpec {
            counting: SevenDayCounting::default(),
            days: seven(),
            channels: default_channels(),
            excluded_categories: default_excluded_categories(),
            excluded_if_opened: default_excluded_if_opened(),
            refund_days: seven(),
        }
    }
}

fn seven() -> u32 {
    7
}

fn default_channels() -> Vec<String> {
    ["online", "phone", "tv", "mail"].map(String::from).to_vec()
}

fn default_excluded_categories() -> Vec<String> {
    [
        "made_to_order",
        "perishable",
        "digital_download",
        "newspaper",
        "periodical",
    ]
    .map(String::from)
    .to_vec()
}

fn default_excluded_if_opened() -> Vec<String> {
    ["audio_video", "software"].map(String::from).to_vec()
}

/// How the 7 days are counted.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema,
)]
pub enum SevenDayCounting {
    /// Calendar days: the day of sign-for is not counted, the window ends
    /// at 24:00 of the 7th day after it (Civil Code arts. 201-203). This is
    /// also what platforms mean by "00:00 of the next day plus 168 h".
    #[default]
    #[serde(rename = "next-day")]
    NextDay,
    /// 168 hours from the instant of sign-for (`product.signed_for_at`),
    /// as platforms count when the carrier records the time; with only a
    /// date, from 00:00 of the next day (the same as `next-day`).
    #[serde(rename = "168h")]
    Hours168,
}

/// `cn-7day-return`, compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SevenDayReturn {
    counting: SevenDayCounting,
    days: u32,
    channels: Vec<String>,
    excluded_categories: Vec<String>,
    excluded_if_opened: Vec<String>,
    refund_days: u32,
}

/// The day the goods were signed for and the field that says so: the
/// signing date, else the signing instant, else the delivery date.
fn signed_for(product: &crate::ticket::Product) -> Option<(NaiveDate, &'static str)> {
    product
        .signed_for_on
        .map(|d| (d, "product.signed_for_on"))
        .or_else(|| {
            product
                .signed_for_at
                .map(|t| (local_date(&t), "product.signed_for_at"))
        })
        .or_else(|| product.delivered_on.map(|d| (d, "product.delivered_on")))
}

impl SevenDayReturn {
    /// Compiles the settings (the defaults when the table is absent).
    pub fn compile(policy_id: &str, spec: Option<&SevenDayReturnSpec>) -> Result<SevenDayReturn> {
        let spec = spec.cloned().unwrap_or_default();
        let path = "warranty.cn_7day_return";
        if !(7..=366).contains(&spec.days) {
            return Err(Error::policy(
                policy_id,
                format!("{path}.days"),
                format!(
                    "{}: the law gives 7 days; a policy may give more (up to 366), never fewer",
                    spec.days
                ),
            ));
        }
        if !(1..=7).contains(&spec.refund_days) {
            return Err(Error::policy(
                policy_id,
                format!("{path}.refund_days"),
                format!(
                    "{}: the law gives the seller at most 7 days to refund",
                    spec.refund_days
                ),
            ));
        }
        if spec.channels.is_empty() {
            return Err(Error::policy(
                policy_id,
                format!("{path}.channels"),
                "name at least one channel, e.g. [\"online\", \"phone\", \"tv\", \"mail\"]",
            ));
        }
        for (field, list) in [
            ("channels", &spec.channels),
            ("excluded_categories", &spec.excluded_categories),
            ("excluded_if_opened", &spec.excluded_if_opened),
        ] {
            if let Some(i) = list.iter().position(|s| s.trim().is_empty()) {
                return Err(Error::policy(
                    policy_id,
                    format!("{path}.{field}[{i}]"),
                    "must not be empty",
                ));
            }
        }
        Ok(SevenDayReturn {
            counting: spec.counting,
            days: spec.days,
            channels: spec.channels,
            excluded_categories: spec.excluded_categories,
            excluded_if_opened: spec.excluded_if_opened,
            refund_days: spec.refund_days,
        })
    }

    /// Whether the customer may return the goods without reason.
    pub fn decide(&self, claim: &Claim<'_>) -> Finding {
        let product = claim.product;
        let Some(channel) = product.sold_via.as_deref().map(str::trim) else {
            return Finding::none(crate::reason!(Warranty7NoChannel));
        };
        if !self.channels.iter().any(|c| c == channel) {
            return Finding::none(crate::reason!(Warranty7NotDistance, channel.to_string()));
        }
        let Some((signed_on, signed_field)) = signed_for(product) else {
            return Finding::none(crate::reason!(Warranty7NoSignDate));
        };
        let category = product.category.as_deref().map(str::trim);
        if let Some(category) = category.filter(|c| self.excluded_categories.iter().any(|e| e == c))
        {
            return Finding::none(crate::reason!(
                Warranty7ExcludedCategory,
                category.to_string()
            ));
        }
        if product.no_return_confirmed == Some(true) {
            return Finding::none(crate::reason!(Warranty7NoReturnConfirmed));
        }
        let window = self.window(claim, signed_on);
        if !window.open {
            return Finding::none(crate::reason!(
                Warranty7TooLate,
                signed_on,
                signed_field,
                window.words,
                claim.claimed_on
            ));
        }
        if product.intact == Some(false) {
            let opened = category.filter(|c| self.excluded_if_opened.iter().any(|e| e == c));
            return Finding::none(match opened {
                Some(category) => crate::reason!(Warranty7Opened, category.to_string()),
                None => crate::reason!(Warranty7NotIntact),
            });
        }
        let day = days_between(signed_on, claim.claimed_on);
        let when = if day >= 1 {
            crate::reason!(Warranty7DayOf, day, self.days)
        } else {
            crate::reason!(Warranty7SignDay)
        };
        let mut because = vec![crate::reason!(
            Warranty7Open,
            channel.to_string(),
            signed_on,
            signed_field,
            claim.claimed_on,
            when,
            window.words,
            window.last_day
        )];
        if product.intact.is_none() {
            because.push(crate::reason!(Warranty7TakenIntact));
        }
        because.extend(self.refund_due(claim));
        Finding {
            remedy: Some(Remedy {
                kind: RemedyKind::Return,
                rule: NAME.to_string(),
                basis: BASIS.to_string(),
                deadline: Some(window.last_day),
                choices: Vec::new(),
            }),
            because,
        }
    }

    /// When the refund is due, once the ticket records the goods received
    /// back (`return_received`).
    fn refund_due(&self, claim: &Claim<'_>) -> Option<crate::reason::Reason> {
        let received = claim
            .ticket
            .sorted_events()
            .into_iter()
            .find(|e| e.kind == "return_received")
            .map(|e| local_date(&e.at))?;
        let (due, moved) = claim
            .counting
            .past_rest_days(crate::warranty::counting::add_days(
                received,
                i64::from(self.refund_days),
            ));
        Some(crate::reason!(
            Warranty7RefundDue,
            received,
            due,
            moved.map(|d| crate::reason!(WarrantyMovedRestDay, d)),
            self.refund_days
        ))
    }

    /// The window for goods signed for on `signed_on`.
    fn window(&self, claim: &Claim<'_>, signed_on: NaiveDate) -> Window {
        let hours = i64::from(self.days).saturating_mul(24);
        if let (SevenDayCounting::Hours168, Some(signed_at)) =
            (self.counting, claim.product.signed_for_at)
        {
            let end = signed_at.checked_add_signed(TimeDelta::hours(hours));
            let end_words: Arg = match &end {
                Some(end) => instant_arg(end),
                None => Term::Never.into(),
            };
            let last_day = end.map(last_day_of).unwrap_or(NaiveDate::MAX);
            let open = match (claim.claimed_at, end) {
                (_, None) => true,
                (Some(at), Some(end)) => at <= end,
                (None, Some(_)) => claim.claimed_on <= last_day,
            };
            return Window {
                open,
                last_day,
                words: crate::reason!(
                    Warranty7Window168h,
                    hours,
                    instant_arg(&signed_at),
                    end_words
                ),
            };
        }
        let plain =
            crate::warranty::counting::period_after(CalendarPeriod::Days(self.days), signed_on);
        let (last_day, moved) = claim.counting.past_rest_days(plain);
        let words = crate::reason!(
            Warranty7WindowDays,
            self.days,
            last_day,
            moved.map(|plain| crate::reason!(WarrantyMovedRestDay, plain)),
            (self.counting == SevenDayCounting::Hours168)
                .then(|| crate::reason!(Warranty7HoursFallback))
        );
        Window {
            open: claim.claimed_on <= last_day,
            last_day,
            words,
        }
    }
}

/// The return window for one ticket.
struct Window {
    open: bool,
    last_day: NaiveDate,
    words: Reason,
}

/// An instant for a reason, at its own offset (`instant_text` where the
/// local time is not representable).
fn instant_arg(at: &DateTime<FixedOffset>) -> Arg {
    match at.naive_utc().checked_add_offset(*at.offset()) {
        Some(_) => Arg::Instant(*at),
        None => Arg::Text(instant_text(at).into()),
    }
}

/// The last whole or part day before an end instant: an end at exactly
/// midnight closes the day before.
fn last_day_of(end: DateTime<FixedOffset>) -> NaiveDate {
    let local = local_time(&end);
    if local.time() == NaiveTime::MIN {
        local.date().pred_opt().unwrap_or(local.date())
    } else {
        local.date()
    }
}

#[cfg(test)]
mod tests {
    use crate::warranty::tests::support::{decide, ticket, warranty};
    use crate::warranty::{RemedyKind, WarrantyStatus};

    const POLICY: &str = r#"
        statutory = ["cn-7day-return"]
        [components.main_unit]
        period = "1 year"
    "#;

    const POLICY_168H: &str = r#"
        statutory = ["cn-7day-return"]
        cn_7day_return = { counting = "168h" }
        [components.main_unit]
        period = "1 year"
    "#;

    /// Sold online, signed for on 2026-03-01.
    fn online(opened_at: &str, extra: &str) -> crate::Ticket {
        ticket(&format!(
            r#"{{"id": "T", "opened_at": "{opened_at}",
                "product": {{"sold_via": "online", "purchased_on": "2026-02-27",
                            "signed_for_on": "2026-03-01" {extra}}}}}"#
        ))
    }

    struct Case {
        name: &'static str,
        policy: &'static str,
        opened_at: &'static str,
        extra: &'static str,
        returnable: bool,
        because: &'static str,
    }

    #[test]
    fn seven_day_return_cases() {
        let cases = [
            // Signed 03-01; day 1 is 03-02, day 7 is 03-08 (01 + 7), open until 24:00.
            Case {
                name: "day 7",
                policy: POLICY,
                opened_at: "2026-03-08T23:59:00+08:00",
                extra: "",
                returnable: true,
                because: "claim on 2026-03-08 is day 7 of 7",
            },
            // 03-09 is day 8.
            Case {
                name: "day 8",
                policy: POLICY,
                opened_at: "2026-03-09T00:01:00+08:00",
                extra: "",
                returnable: false,
                because: "end at 24:00 on 2026-03-08; the claim on 2026-03-09 is too late",
            },
            // Signed at 03-01 15:00; 168 h later is 03-08 15:00: 14:59 is inside.
            Case {
                name: "168h inside",
                policy: POLICY_168H,
                opened_at: "2026-03-08T14:59:00+08:00",
                extra: r#", "signed_for_at": "2026-03-01T15:00:00+08:00""#,
                returnable: true,
                because: "168 h from signing at 2026-03-01T15:00:00+08:00 end at 2026-03-08T15:00:00+08:00",
            },
            // ... and 15:01 is outside, though next-day counting would allow the whole of 03-08.
            Case {
                name: "168h outside",
                policy: POLICY_168H,
                opened_at: "2026-03-08T15:01:00+08:00",
                extra: r#", "signed_for_at": "2026-03-01T15:00:00+08:00""#,
                returnable: false,
                because: "too late",
            },
            Case {
                name: "next-day with the same instant",
                policy: POLICY,
                opened_at: "2026-03-08T15:01:00+08:00",
                extra: r#", "signed_for_at": "2026-03-01T15:00:00+08:00""#,
                returnable: true,
                because: "day 7 of 7",
            },
            // 168h with only a date: 00:00 of 03-02 + 168 h = 00:00 of 03-09, so 03-08 is the last day.
            Case {
                name: "168h, date only",
                policy: POLICY_168H,
                opened_at: "2026-03-08T20:00:00+08:00",
                extra: "",
                returnable: true,
                because: "168 h from 00:00 of the next day",
            },
            Case {
                name: "broken seal",
                policy: POLICY,
                opened_at: "2026-03-03T10:00:00+08:00",
                extra: r#", "intact": false"#,
                returnable: false,
                because: "not intact (product.intact = false)",
            },
            Case {
                name: "excluded category",
                policy: POLICY,
                opened_at: "2026-03-03T10:00:00+08:00",
                extra: r#", "category": "perishable""#,
                returnable: false,
                because: "category `perishable` is never returnable without reason",
            },
            Case {
                name: "opened software",
                policy: POLICY,
                opened_at: "2026-03-03T10:00:00+08:00",
                extra: r#", "category": "software", "intact": false"#,
                returnable: false,
                because: "`software` goods were opened",
            },
            Case {
                name: "confirmed at checkout",
                policy: POLICY,
                opened_at: "2026-03-03T10:00:00+08:00",
                extra: r#", "no_return_confirmed": true"#,
                returnable: false,
                because: "confirmed at checkout",
            },
        ];
        for case in cases {
            let w = warranty(case.policy);
            let t = online(case.opened_at, case.extra);
            let today = t.opened_at.date_naive();
            let d = decide(&w, &t, today);
            let text = d
                .because
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n");
            assert!(text.contains(case.because), "{}: {text}", case.name);
            if case.returnable {
                assert_eq!(
                    d.status,
                    WarrantyStatus::StatutoryReturn,
                    "{}: {text}",
                    case.name
                );
                let remedy = d.remedy.clone().unwrap();
                assert_eq!(remedy.kind, RemedyKind::Return, "{}", case.name);
                assert_eq!(remedy.rule, "cn-7day-return", "{}", case.name);
                assert_eq!(
                    remedy.deadline,
                    Some("2026-03-08".parse().unwrap()),
                    "{}",
                    case.name
                );
            } else {
                assert_ne!(
                    d.status,
                    WarrantyStatus::StatutoryReturn,
                    "{}: {text}",
                    case.name
                );
            }
        }
    }

    #[test]
    fn store_sales_and_missing_dates_get_no_return() {
        let w = warranty(POLICY);
        let t = ticket(
            r#"{"id": "T", "opened_at": "2026-03-03T10:00:00+08:00",
                "product": {"sold_via": "store", "purchased_on": "2026-03-01"}}"#,
        );
        let d = decide(&w, &t, "2026-03-03".parse().unwrap());
        assert_eq!(d.status, WarrantyStatus::InWarranty);
        assert!(d
            .because
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
            .contains("sold via `store`, not at a distance"));
        let t = ticket(
            r#"{"id": "T", "opened_at": "2026-03-03T10:00:00+08:00",
                "product": {"sold_via": "online", "purchased_on": "2026-03-01"}}"#,
        );
        let d = decide(&w, &t, "2026-03-03".parse().unwrap());
        assert!(d
            .because
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
            .contains("cannot be counted"));
    }

    #[test]
    fn delivery_stands_in_for_sign_for_and_refund_is_due_seven_days_after_receipt() {
        let w = warranty(POLICY);
        // Delivered 03-01, claimed 03-05 (day 4); the return arrived 03-10,
        // refund due 03-10 + 7 = 03-17. Re-evaluated on 03-11, after the window.
        let t = ticket(
            r#"{"id": "T", "opened_at": "2026-03-05T10:00:00+08:00",
                "product": {"sold_via": "phone", "delivered_on": "2026-03-01"},
                "events": [{"at": "2026-03-10T09:00:00+08:00", "kind": "return_received"}]}"#,
        );
        let d = decide(&w, &t, "2026-03-11".parse().unwrap());
        assert_eq!(d.status, WarrantyStatus::StatutoryReturn);
        let text = d
            .because
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n");
        assert!(text.contains("(product.delivered_on)"), "{text}");
        assert!(text.contains("day 4 of 7"), "{text}");
        assert!(text.contains("refund due by 2026-03-17"), "{text}");
    }

    #[test]
    fn a_last_day_on_a_rest_day_moves_on() {
        // Signed 2026-09-30: the 7th day is 10-07, inside the National Day
        // holiday 10-01..10-07, so the last day moves to 10-08 (art. 203).
        let w = warranty(
            r#"
            statutory = ["cn-7day-return"]
            rest_days = ["2026-10-01..2026-10-07"]
            [components.main_unit]
            period = "1 year"
        "#,
        );
        let t = ticket(
            r#"{"id": "T", "opened_at": "2026-10-08T10:00:00+08:00",
                "product": {"sold_via": "online", "signed_for_on": "2026-09-30"}}"#,
        );
        let d = decide(&w, &t, "2026-10-08".parse().unwrap());
        assert_eq!(d.status, WarrantyStatus::StatutoryReturn, "{:?}", d.because);
        assert_eq!(
            d.remedy.unwrap().deadline,
            Some("2026-10-08".parse().unwrap())
        );
    }

    #[test]
    fn bad_settings_name_their_field() {
        let err = crate::warranty::tests::support::compile_error(
            r#"
            statutory = ["cn-7day-return"]
            cn_7day_return = { days = 5 }
        "#,
        );
        assert!(err.contains("warranty.cn_7day_return.days"), "{err}");
        let err = crate::warranty::tests::support::compile_error(
            r#"
            cn_7day_return = { counting = "next-day" }
            [components.main_unit]
            period = "1 year"
        "#,
        );
        assert!(err.contains("`warranty.cn_7day_return`"), "{err}");
    }
}
