//! Hand-worked warranty cases. Each case gives the body of a `[warranty]`
//! table, a ticket, the evaluation date and what the decision must say;
//! the comment above it shows the date arithmetic. Statutory rule sets have
//! their own cases next to their code.

use super::*;
use proptest::prelude::*;

/// Helpers shared with the statutory rule sets' tests.
pub(crate) mod support {
    use super::super::*;

    /// Compiles the body of a `[warranty]` table.
    pub(crate) fn warranty(body: &str) -> Warranty {
        let spec: WarrantySpec = match toml::from_str(body) {
            Ok(spec) => spec,
            Err(e) => panic!("bad test policy: {e}\n{body}"),
        };
        match Warranty::compile("test", &spec) {
            Ok(w) => w,
            Err(e) => panic!("{e}"),
        }
    }

    /// The compile (or parse) error of a `[warranty]` body, as text.
    pub(crate) fn compile_error(body: &str) -> String {
        match toml::from_str::<WarrantySpec>(body) {
            Err(e) => e.to_string(),
            Ok(spec) => match Warranty::compile("test", &spec) {
                Ok(_) => panic!("expected an error for\n{body}"),
                Err(e) => e.to_string(),
            },
        }
    }

    /// A ticket from JSON.
    pub(crate) fn ticket(json: &str) -> crate::Ticket {
        match crate::Ticket::from_json(json) {
            Ok(t) => t,
            Err(e) => panic!("bad test ticket: {e}\n{json}"),
        }
    }

    /// Decides, and checks that the decision survives a JSON round trip:
    /// read back, it writes the same JSON.
    pub(crate) fn decide(
        w: &Warranty,
        t: &crate::Ticket,
        today: chrono::NaiveDate,
    ) -> WarrantyDecision {
        let decision = w.decide(t, today);
        let json = serde_json::to_value(&decision).unwrap();
        let back: WarrantyDecision = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(
            serde_json::to_value(&back).unwrap(),
            json,
            "round trip of {json}"
        );
        decision
    }
}

use support::{compile_error, decide, ticket, warranty};

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// One hand-worked case.
struct Case {
    name: &'static str,
    policy: &'static str,
    /// The ticket's `product` object; the ticket opens on `today`.
    product: &'static str,
    /// The ticket's `fault` and `history`, as JSON members (may be empty).
    extra: &'static str,
    today: &'static str,
    status: WarrantyStatus,
    /// A component and its expected last day of cover.
    until: Option<(&'static str, &'static str)>,
    because: &'static str,
}

const ONE_YEAR: &str = r#"
    [components.main_unit]
    period = "1 year"
"#;

const FALLBACK_AND_CAP: &str = r#"
    [start]
    date = "installed_on"
    fallback = { date = "delivered_on", plus = "60 days" }
    no_later_than = { date = "delivered_on", plus = "6 months" }
    [components.main_unit]
    period = "1 year"
"#;

const EARLIER_OF_TWO: &str = r#"
    start = "commissioned_on"
    [components.main_unit]
    period = "12 months"
    ends_no_later_than = { date = "delivered_on", plus = "18 months" }
"#;

const EXTENDED_STARTED: &str = r#"
    [components.main_unit]
    period = "1 year"
    [extension]
    partial_day = "started-24h"
"#;

const EXTENDED_WHOLE: &str = r#"
    [components.main_unit]
    period = "1 year"
    [extension]
    partial_day = "whole-24h"
"#;

const EXTENDED_CALENDAR: &str = r#"
    [components.main_unit]
    period = "1 year"
    [extension]
    partial_day = "calendar-days"
"#;

const EXCLUSIONS: &str = r#"
    [components.main_unit]
    period = "2 years"
    [components.battery]
    period = "6 months"
    [[exclusions]]
    cause = "misuse"
    [[exclusions]]
    cause = "water_damage"
    [[exclusions]]
    cause = "no_proof_of_purchase"
    [[exclusions]]
    cause = "swollen"
    description = "a swollen battery from third-party chargers"
    components = ["battery"]
"#;

const RESTART: &str = r#"
    [components.main_unit]
    period = "1 year"
    [replacement]
    rule = "restart"
"#;

const REMAINDER_OR_MINIMUM: &str = r#"
    [components.main_unit]
    period = "1 year"
    [replacement]
    rule = "remainder-or-minimum"
    minimum = "90 days"
"#;

const CATEGORIES: &str = r#"
    [components.main_unit]
    period = "1 year"
    [components.main_parts]
    period = "5 years"
    includes = ["compressor", "motor"]
    [categories.air_conditioner]
    start = "installed_on"
    [categories.air_conditioner.components.main_parts]
    period = "6 years"
    includes = ["compressor"]
"#;

fn cases() -> Vec<Case> {
    use WarrantyStatus::*;
    vec![
        // 2025-03-01 + 1 year = 2026-03-01, the last day (the purchase day is not counted).
        Case {
            name: "last day of cover",
            policy: ONE_YEAR,
            product: r#"{"purchased_on": "2025-03-01"}"#,
            extra: "",
            today: "2026-03-01",
            status: InWarranty,
            until: Some(("main_unit", "2026-03-01")),
            because: "main_unit: covered: the claim on 2026-03-01 is within cover until 2026-03-01",
        },
        Case {
            name: "the day after",
            policy: ONE_YEAR,
            product: r#"{"purchased_on": "2025-03-01"}"#,
            extra: "",
            today: "2026-03-02",
            status: Expired,
            until: Some(("main_unit", "2026-03-01")),
            because: "main_unit: expired: cover ended 2026-03-01, the claim is on 2026-03-02",
        },
        // 2024-02-29 + 1 year: 2025 has no 29 February, so 2025-02-28.
        Case {
            name: "leap day + 1 year, last day",
            policy: ONE_YEAR,
            product: r#"{"purchased_on": "2024-02-29"}"#,
            extra: "",
            today: "2025-02-28",
            status: InWarranty,
            until: Some(("main_unit", "2025-02-28")),
            because: "main_unit: 1 year from 2024-02-29, last day 2025-02-28 (warranty.components.main_unit.period)",
        },
        Case {
            name: "leap day + 1 year, day after",
            policy: ONE_YEAR,
            product: r#"{"purchased_on": "2024-02-29"}"#,
            extra: "",
            today: "2025-03-01",
            status: Expired,
            until: Some(("main_unit", "2025-02-28")),
            because: "cover ended 2025-02-28",
        },
        // 2025-01-31 + 1 month: February 2025 has 28 days, so 2025-02-28.
        Case {
            name: "month end clamps",
            policy: r#"
                [components.main_unit]
                period = "1 month"
            "#,
            product: r#"{"purchased_on": "2025-01-31"}"#,
            extra: "",
            today: "2025-03-01",
            status: Expired,
            until: Some(("main_unit", "2025-02-28")),
            because: "1 month from 2025-01-31, last day 2025-02-28",
        },
        // The starting day counts: 2025-03-01 + 1 year - 1 day = 2026-02-28.
        Case {
            name: "start day counts",
            policy: r#"
                counting = "start-day-counts"
                [components.main_unit]
                period = "1 year"
            "#,
            product: r#"{"purchased_on": "2025-03-01"}"#,
            extra: "",
            today: "2026-03-01",
            status: Expired,
            until: Some(("main_unit", "2026-02-28")),
            because: "cover ended 2026-02-28",
        },
        // No installed_on: 2025-01-10 + 60 days = 2025-03-11 (21 days to 31 Jan,
        // 28 in Feb, 11 in Mar); + 1 year = 2026-03-11.
        Case {
            name: "fallback start",
            policy: FALLBACK_AND_CAP,
            product: r#"{"delivered_on": "2025-01-10"}"#,
            extra: "",
            today: "2026-03-11",
            status: InWarranty,
            until: Some(("main_unit", "2026-03-11")),
            because: "no product.installed_on: warranty starts 2025-03-11 = product.delivered_on 2025-01-10 + 60 days (warranty.start.fallback[0])",
        },
        // Installed 2025-09-01, later than 2025-01-10 + 6 months = 2025-07-10:
        // starts 2025-07-10, + 1 year = 2026-07-10.
        Case {
            name: "capped start",
            policy: FALLBACK_AND_CAP,
            product: r#"{"delivered_on": "2025-01-10", "installed_on": "2025-09-01"}"#,
            extra: "",
            today: "2026-07-11",
            status: Expired,
            until: Some(("main_unit", "2026-07-10")),
            because: "warranty starts 2025-07-10, not 2025-09-01: never later than product.delivered_on + 6 months = 2025-07-10 (warranty.start.no_later_than)",
        },
        // Commissioned 2025-09-01 + 12 months = 2026-09-01; delivered 2025-01-15
        // + 18 months = 2026-07-15, which ends first.
        Case {
            name: "earlier of two: delivery ends first",
            policy: EARLIER_OF_TWO,
            product: r#"{"delivered_on": "2025-01-15", "commissioned_on": "2025-09-01"}"#,
            extra: "",
            today: "2026-07-16",
            status: Expired,
            until: Some(("main_unit", "2026-07-15")),
            because: "main_unit: ends 2026-07-15 = product.delivered_on 2025-01-15 + 18 months, before 2026-09-01: whichever ends first (warranty.components.main_unit.ends_no_later_than)",
        },
        // Commissioned 2025-03-01 + 12 months = 2026-03-01, before 2026-07-15.
        Case {
            name: "earlier of two: commissioning ends first",
            policy: EARLIER_OF_TWO,
            product: r#"{"delivered_on": "2025-01-15", "commissioned_on": "2025-03-01"}"#,
            extra: "",
            today: "2026-03-01",
            status: InWarranty,
            until: Some(("main_unit", "2026-03-01")),
            because: "12 months from 2025-03-01, last day 2026-03-01",
        },
        // 2025-05-01 20:00 to 2025-05-03 09:00 is 37 h: 2 started days.
        // 2026-03-01 + 2 = 2026-03-03.
        Case {
            name: "extension, each started 24 h",
            policy: EXTENDED_STARTED,
            product: r#"{"purchased_on": "2025-03-01"}"#,
            extra: r#", "history": {"repairs": [{"received_at": "2025-05-01T20:00:00+08:00", "resolved_at": "2025-05-03T09:00:00+08:00"}]}"#,
            today: "2026-03-03",
            status: InWarranty,
            until: Some(("main_unit", "2026-03-03")),
            because: "main_unit: extended by 2 days out of service (history.repairs[0]: 2 days (37 h from received_at to resolved_at)) to 2026-03-03 (warranty.extension, each started 24 h counts as a day)",
        },
        // 37 h is 1 whole day: 2026-03-02.
        Case {
            name: "extension, whole 24 h",
            policy: EXTENDED_WHOLE,
            product: r#"{"purchased_on": "2025-03-01"}"#,
            extra: r#", "history": {"repairs": [{"received_at": "2025-05-01T20:00:00+08:00", "resolved_at": "2025-05-03T09:00:00+08:00"}]}"#,
            today: "2026-03-03",
            status: Expired,
            until: Some(("main_unit", "2026-03-02")),
            because: "only whole 24 h count",
        },
        // 1, 2 and 3 May are 3 calendar days: 2026-03-04.
        Case {
            name: "extension, calendar days",
            policy: EXTENDED_CALENDAR,
            product: r#"{"purchased_on": "2025-03-01"}"#,
            extra: r#", "history": {"repairs": [{"received_at": "2025-05-01T20:00:00+08:00", "resolved_at": "2025-05-03T09:00:00+08:00"}]}"#,
            today: "2026-03-04",
            status: InWarranty,
            until: Some(("main_unit", "2026-03-04")),
            because: "every calendar day out of service counts",
        },
        // days_in_repair 10 + dates 06-01..06-06 (5 days); a repair begun after
        // the period (2026-04-01 > 2026-03-16) does not count: 2026-03-01 + 15.
        Case {
            name: "extension adds only repairs inside the period",
            policy: EXTENDED_STARTED,
            product: r#"{"purchased_on": "2025-03-01"}"#,
            extra: r#", "history": {"repairs": [
                {"received_on": "2025-04-01", "days_in_repair": 10},
                {"received_on": "2025-06-01", "resolved_on": "2025-06-06"},
                {"received_on": "2026-04-01", "days_in_repair": 30}]}"#,
            today: "2026-03-16",
            status: InWarranty,
            until: Some(("main_unit", "2026-03-16")),
            because: "extended by 15 days out of service",
        },
        Case {
            name: "exclusion by cause",
            policy: EXCLUSIONS,
            product: r#"{"purchased_on": "2025-03-01"}"#,
            extra: r#", "fault": {"component": "main_unit", "cause": "water_damage"}"#,
            today: "2025-06-01",
            status: Excluded,
            until: Some(("main_unit", "2027-03-01")),
            because: "main_unit: not covered: excluded: water or liquid damage (fault.cause `water_damage`, warranty.exclusions[1])",
        },
        Case {
            name: "no proof of purchase",
            policy: EXCLUSIONS,
            product: r#"{"purchased_on": "2025-03-01", "proof_of_purchase": false}"#,
            extra: r#", "fault": {"component": "main_unit", "cause": "defect"}"#,
            today: "2025-06-01",
            status: Excluded,
            until: Some(("main_unit", "2027-03-01")),
            because: "excluded: no proof of purchase (product.proof_of_purchase = false, warranty.exclusions[2])",
        },
        // An exclusion limited to the battery leaves the main unit covered.
        Case {
            name: "exclusion for one component",
            policy: EXCLUSIONS,
            product: r#"{"purchased_on": "2025-03-01"}"#,
            extra: r#", "fault": {"component": "main_unit", "cause": "swollen"}"#,
            today: "2025-06-01",
            status: InWarranty,
            until: Some(("battery", "2025-09-01")),
            because: "battery: not covered: excluded: a swollen battery from third-party chargers (fault.cause `swollen`, warranty.exclusions[3])",
        },
        // Replaced 2026-01-10, restart: 2026-01-10 + 1 year = 2027-01-10.
        Case {
            name: "replacement restarts",
            policy: RESTART,
            product: r#"{"purchased_on": "2025-03-01", "replaced_on": "2026-01-10"}"#,
            extra: "",
            today: "2027-01-10",
            status: InWarranty,
            until: Some(("main_unit", "2027-01-10")),
            because: "every period starts again on 2026-01-10 (warranty.replacement.rule = \"restart\")",
        },
        // Original cover to 2026-03-01; 2026-01-10 + 90 days = 2026-04-10
        // (21 to 31 Jan, 28 in Feb, 31 in Mar, 10 in Apr) is later.
        Case {
            name: "replacement: the minimum is later",
            policy: REMAINDER_OR_MINIMUM,
            product: r#"{"purchased_on": "2025-03-01", "replaced_on": "2026-01-10"}"#,
            extra: "",
            today: "2026-04-10",
            status: InWarranty,
            until: Some(("main_unit", "2026-04-10")),
            because: "main_unit: replacement unit covered until 2026-04-10 = 2026-01-10 + 90 days, later than the remainder ending 2026-03-01 (warranty.replacement.minimum)",
        },
        // 2025-06-01 + 90 days = 2025-08-30, earlier than 2026-03-01: the remainder stands.
        Case {
            name: "replacement: the remainder is longer",
            policy: REMAINDER_OR_MINIMUM,
            product: r#"{"purchased_on": "2025-03-01", "replaced_on": "2025-06-01"}"#,
            extra: "",
            today: "2026-03-02",
            status: Expired,
            until: Some(("main_unit", "2026-03-01")),
            because: "the remainder ending 2026-03-01 is longer than the minimum (2025-06-01 + 90 days = 2025-08-30",
        },
        // Air conditioners start at installation: 2025-05-20 + 6 years.
        Case {
            name: "category start and components",
            policy: CATEGORIES,
            product: r#"{"category": "air_conditioner", "purchased_on": "2025-05-01", "installed_on": "2025-05-20"}"#,
            extra: r#", "fault": {"component": "compressor"}"#,
            today: "2030-06-01",
            status: InWarranty,
            until: Some(("main_parts", "2031-05-20")),
            because: "fault.component `compressor` is covered as `main_parts` (warranty.categories.air_conditioner.components.main_parts.includes)",
        },
        // Other products start at purchase; the motor is a main part: 2025-05-01 + 5 years.
        Case {
            name: "default category, included component",
            policy: CATEGORIES,
            product: r#"{"category": "fridge", "purchased_on": "2025-05-01", "installed_on": "2025-05-20"}"#,
            extra: r#", "fault": {"component": "motor"}"#,
            today: "2030-05-02",
            status: Expired,
            until: Some(("main_parts", "2030-05-01")),
            because: "main_parts: expired: cover ended 2030-05-01",
        },
        // A sensor has no entry: judged as the main unit.
        Case {
            name: "unlisted component falls to the main unit",
            policy: CATEGORIES,
            product: r#"{"purchased_on": "2025-05-01"}"#,
            extra: r#", "fault": {"component": "sensor"}"#,
            today: "2025-06-01",
            status: InWarranty,
            until: Some(("main_unit", "2026-05-01")),
            because: "fault.component `sensor` has no entry of its own: judged as `main_unit` (the default component)",
        },
        Case {
            name: "unlisted component, no default",
            policy: r#"
                [components.battery]
                period = "6 months"
            "#,
            product: r#"{"purchased_on": "2025-05-01"}"#,
            extra: r#", "fault": {"component": "sensor"}"#,
            today: "2025-06-01",
            status: Excluded,
            until: Some(("battery", "2025-11-01")),
            because: "fault.component `sensor` has no warranty",
        },
        Case {
            name: "no start date",
            policy: FALLBACK_AND_CAP,
            product: r#"{"purchased_on": "2025-05-01"}"#,
            extra: "",
            today: "2025-06-01",
            status: NotApplicable,
            until: None,
            because: "no start date: the ticket has no product.installed_on nor product.delivered_on (warranty.start)",
        },
        // No start date, but water damage is excluded whatever the dates.
        Case {
            name: "no start date, excluded cause",
            policy: r#"
                start = "installed_on"
                [components.main_unit]
                period = "1 year"
                [[exclusions]]
                cause = "water_damage"
            "#,
            product: r#"{"purchased_on": "2025-05-01"}"#,
            extra: r#", "fault": {"cause": "water_damage"}"#,
            today: "2025-06-01",
            status: Excluded,
            until: None,
            because: "excluded: water or liquid damage (fault.cause `water_damage`, warranty.exclusions[0])",
        },
        Case {
            name: "a component with no warranty",
            policy: r#"
                [components.main_unit]
                period = "1 year"
                [components.filter]
                period = "0 days"
            "#,
            product: r#"{"purchased_on": "2025-05-01"}"#,
            extra: r#", "fault": {"component": "filter"}"#,
            today: "2025-06-01",
            status: Excluded,
            until: None,
            because: "filter: no warranty (warranty.components.filter.period = \"0 days\")",
        },
    ]
}

#[test]
fn hand_worked_cases() {
    for case in cases() {
        let w = warranty(case.policy);
        let t = ticket(&format!(
            r#"{{"id": "T", "opened_at": "{}T10:00:00+08:00", "product": {} {}}}"#,
            case.today, case.product, case.extra
        ));
        let d = decide(&w, &t, date(case.today));
        let mut text = d
            .because
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n");
        for c in &d.components {
            text.push('\n');
            text.push_str(
                &c.because
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
        }
        assert_eq!(d.status, case.status, "{}:\n{text}", case.name);
        assert!(text.contains(case.because), "{}:\n{text}", case.name);
        if let Some((component, until)) = case.until {
            let cover = d
                .components
                .iter()
                .find(|c| c.component == component)
                .unwrap_or_else(|| panic!("{}: no component {component}", case.name));
            assert_eq!(cover.until, Some(date(until)), "{}:\n{text}", case.name);
        }
        match case.status {
            WarrantyStatus::InWarranty => {
                let remedy = d.remedy.as_ref().unwrap();
                assert_eq!(remedy.kind, RemedyKind::Repair, "{}", case.name);
                assert_eq!(remedy.rule, "warranty", "{}", case.name);
            }
            _ => assert!(d.remedy.is_none(), "{}: {:?}", case.name, d.remedy),
        }
    }
}

#[test]
fn a_claim_stays_covered_when_evaluated_later() {
    // Claimed on the last day (2026-03-01), evaluated a week later.
    let w = warranty(ONE_YEAR);
    let t = ticket(
        r#"{"id": "T", "opened_at": "2026-03-01T23:00:00+08:00",
            "product": {"purchased_on": "2025-03-01"}}"#,
    );
    let d = decide(&w, &t, date("2026-03-08"));
    assert_eq!(d.status, WarrantyStatus::InWarranty);
    // Evaluated before the ticket opened: judged on the evaluation date.
    let t = ticket(
        r#"{"id": "T", "opened_at": "2026-03-05T09:00:00+08:00",
            "product": {"purchased_on": "2025-03-01"}}"#,
    );
    assert_eq!(
        decide(&w, &t, date("2026-03-01")).status,
        WarrantyStatus::InWarranty
    );
}

#[test]
fn no_product_is_not_applicable() {
    let w = warranty(ONE_YEAR);
    let t = ticket(r#"{"id": "T", "opened_at": "2026-03-01T10:00:00+08:00"}"#);
    let d = decide(&w, &t, date("2026-03-01"));
    assert_eq!(d.status, WarrantyStatus::NotApplicable);
    assert!(d.because[0].contains("no product"));
}

#[test]
fn statutory_outranks_repair_and_keeps_the_components() {
    let w = warranty(
        r#"
        statutory = ["cn-sanbao", "cn-7day-return"]
        [components.main_unit]
        period = "1 year"
        [components.battery]
        period = "6 months"
    "#,
    );
    assert_eq!(w.statutory_names(), vec!["cn-sanbao", "cn-7day-return"]);
    // Online sale, signed for 03-02; performance fault on day 3 after sale
    // (03-01): both grant a return; the 7-day one ends later (03-09 > 03-08).
    let t = ticket(
        r#"{"id": "T", "opened_at": "2026-03-04T10:00:00+08:00",
            "product": {"sold_via": "online", "purchased_on": "2026-03-01", "signed_for_on": "2026-03-02"},
            "fault": {"component": "main_unit", "performance": true}}"#,
    );
    let d = decide(&w, &t, date("2026-03-04"));
    assert_eq!(d.status, WarrantyStatus::StatutoryReturn);
    let remedy = d.remedy.clone().unwrap();
    assert_eq!(remedy.rule, "cn-7day-return");
    assert_eq!(remedy.deadline, Some(date("2026-03-09")));
    assert_eq!(d.components.len(), 2);
    assert!(d.components.iter().all(|c| c.covered));
    let text = d
        .because
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text.contains("cn-sanbao art. 9"), "{text}");
    assert!(
        text.contains("statutory return: return under cn-7day-return outranks the contractual repair while its window is open (claim by 2026-03-09)"),
        "{text}"
    );
}

#[test]
fn a_statutory_only_policy() {
    let w = warranty(r#"statutory = ["cn-7day-return"]"#);
    let t = ticket(
        r#"{"id": "T", "opened_at": "2026-03-04T10:00:00+08:00",
            "product": {"sold_via": "online", "signed_for_on": "2026-03-02"}}"#,
    );
    let d = decide(&w, &t, date("2026-03-04"));
    assert_eq!(d.status, WarrantyStatus::StatutoryReturn);
    assert!(d.components.is_empty());
    let t = ticket(
        r#"{"id": "T", "opened_at": "2026-03-04T10:00:00+08:00",
            "product": {"sold_via": "store", "purchased_on": "2026-03-02"}}"#,
    );
    let d = decide(&w, &t, date("2026-03-04"));
    assert_eq!(d.status, WarrantyStatus::NotApplicable);
    assert!(d
        .because
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
        .contains("no contractual warranty"));
}

#[test]
fn a_statutory_return_outranks_an_exclusion() {
    // A no-reason return needs no fault: misuse excludes the repair, not the return.
    let w = warranty(
        r#"
        statutory = ["cn-7day-return"]
        [components.main_unit]
        period = "1 year"
        [[exclusions]]
        cause = "misuse"
    "#,
    );
    let t = ticket(
        r#"{"id": "T", "opened_at": "2026-03-04T10:00:00+08:00",
            "product": {"sold_via": "online", "signed_for_on": "2026-03-02", "purchased_on": "2026-03-01"},
            "fault": {"cause": "misuse"}}"#,
    );
    let d = decide(&w, &t, date("2026-03-04"));
    assert_eq!(d.status, WarrantyStatus::StatutoryReturn);
    assert!(d
        .because
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
        .contains("the contractual status `excluded`"));
}

#[test]
fn bad_fields_are_named() {
    let cases = [
        (
            r#"
            [components.battery]
            period = "6 monts"
        "#,
            "`warranty.components.battery.period`",
        ),
        (
            r#"
            statutory = ["cn-sanbao", "eu-warranty"]
            [components.main_unit]
            period = "1 year"
        "#,
            "`warranty.statutory[1]`",
        ),
        (
            r#"
            statutory = ["cn-sanbao", "cn-sanbao"]
        "#,
            "`warranty.statutory[1]`",
        ),
        (
            r#"
            start = { date = "installed_on", fallback = [{ date = "delivered_on", plus = "sixty days" }] }
            [components.main_unit]
            period = "1 year"
        "#,
            "`warranty.start.fallback[0].plus`",
        ),
        (
            r#"
            default_component = "unit"
            [components.main_unit]
            period = "1 year"
        "#,
            "`warranty.default_component`",
        ),
        (
            r#"
            [components.main_unit]
            period = "1 year"
            [replacement]
            rule = "remainder-or-minimum"
        "#,
            "`warranty.replacement.minimum`",
        ),
        (
            r#"
            [components.main_unit]
            period = "1 year"
            [[exclusions]]
            cause = "misuse"
            components = ["screen"]
        "#,
            "`warranty.exclusions[0].components[0]`",
        ),
        (
            r#"
            rest_days = ["2026-10-01..2026-09-01"]
            [components.main_unit]
            period = "1 year"
        "#,
            "`warranty.rest_days[0]`",
        ),
        (
            r#"
            [components.main_unit]
            period = "1 year"
            [categories.phone.components.battery]
            period = "half a year"
        "#,
            "`warranty.categories.phone.components.battery.period`",
        ),
        (
            r#"
            [components.main_parts]
            period = "5 years"
            includes = ["compressor"]
            [components.cooling]
            period = "3 years"
            includes = ["compressor"]
        "#,
            "includes[0]`",
        ),
        ("", "`warranty.components`"),
    ];
    for (body, path) in cases {
        let err = compile_error(body);
        assert!(err.contains(path), "expected {path} in: {err}");
    }
    // Unknown keys are refused by the TOML form itself.
    let err = compile_error(
        r#"
        [components.main_unit]
        period = "1 year"
        warranty_years = 2
    "#,
    );
    assert!(err.contains("warranty_years"), "{err}");
}

#[test]
fn the_spec_round_trips_through_toml_and_json() {
    let body = r#"
        start = { date = "installed_on", fallback = { date = "delivered_on", plus = "60 days" } }
        counting = "civil-code"
        statutory = ["cn-sanbao", "cn-7day-return"]
        rest_days = ["2026-10-01..2026-10-07"]
        [components.main_unit]
        period = "2 years"
        ends_no_later_than = { date = "delivered_on", plus = "30 months" }
        [[exclusions]]
        cause = "water_damage"
        [extension]
        partial_day = "started-24h"
        [replacement]
        rule = "remainder-or-minimum"
        minimum = "90 days"
        [cn_7day_return]
        counting = "168h"
        [cn_sanbao]
        parts_wait_exchange_days = 60
    "#;
    let spec: WarrantySpec = toml::from_str(body).unwrap();
    let again: WarrantySpec = toml::from_str(&toml::to_string(&spec).unwrap()).unwrap();
    assert_eq!(again, spec);
    let json: WarrantySpec = serde_json::from_value(serde_json::to_value(&spec).unwrap()).unwrap();
    assert_eq!(json, spec);
    assert!(Warranty::compile("test", &spec).is_ok());
}

#[test]
fn the_documented_example_compiles() {
    let doc = include_str!("../../../docs/warranty.md");
    let start = doc.find("```toml\n[warranty]").unwrap();
    let rest = &doc[start + "```toml\n".len()..];
    let example = &rest[..rest.find("```").unwrap()];
    #[derive(serde::Deserialize)]
    struct Manifest {
        warranty: WarrantySpec,
    }
    let manifest: Manifest = toml::from_str(example).unwrap();
    let w = Warranty::compile("example", &manifest.warranty).unwrap();
    assert_eq!(w.statutory_names(), vec!["cn-sanbao", "cn-7day-return"]);
}

// ---- decide never panics ----

fn any_date() -> impl Strategy<Value = Option<NaiveDate>> {
    prop_oneof![
        1 => Just(None),
        1 => Just(Some(NaiveDate::MIN)),
        1 => Just(Some(NaiveDate::MAX)),
        8 => (-40_000i64..40_000).prop_map(|d| Some(
            crate::warranty::counting::add_days(date("2026-01-01"), d)
        )),
    ]
}

fn any_instant() -> impl Strategy<Value = chrono::DateTime<chrono::FixedOffset>> {
    let east = |h: i32| chrono::FixedOffset::east_opt(h * 3600).unwrap();
    prop_oneof![
        1 => Just(chrono::DateTime::<chrono::Utc>::MIN_UTC.with_timezone(&east(-12))),
        1 => Just(chrono::DateTime::<chrono::Utc>::MAX_UTC.with_timezone(&east(14))),
        8 => (-2_000_000_000i64..4_000_000_000, -12i32..14).prop_map(move |(s, h)| {
            chrono::DateTime::from_timestamp(s, 0).unwrap().with_timezone(&east(h))
        }),
    ]
}

fn one_of(names: &'static [&'static str]) -> impl Strategy<Value = Option<String>> {
    proptest::option::of(proptest::sample::select(names).prop_map(String::from))
}

prop_compose! {
    fn any_repair()(
        received_on in any_date(), resolved_on in any_date(),
        days_in_repair in proptest::option::of(any::<u32>()),
        received_at in proptest::option::of(any_instant()),
        resolved_at in proptest::option::of(any_instant()),
        fault in one_of(&["E1", "E2"]),
        component in one_of(&["main_unit", "battery"]),
        fixed in proptest::option::of(any::<bool>()),
    ) -> crate::ticket::Repair {
        crate::ticket::Repair {
            received_on, resolved_on, received_at, resolved_at,
            component, fault, days_in_repair, fixed,
        }
    }
}

prop_compose! {
    fn any_event()(
        at in any_instant(),
        kind in proptest::sample::select(&["paused", "resolved", "return_received", "resumed"][..]),
        reason in one_of(&["awaiting_parts", "customer"]),
    ) -> crate::ticket::Event {
        crate::ticket::Event {
            at, kind: kind.to_string(), reason, to: None, attributes: Default::default(),
        }
    }
}

prop_compose! {
    fn any_ticket()(
        opened_at in any_instant(),
        dates in proptest::collection::vec(any_date(), 6),
        signed_for_at in proptest::option::of(any_instant()),
        category in one_of(&["phone", "perishable", "air_conditioner", "software"]),
        sold_via in one_of(&["online", "store", "tv"]),
        flags in proptest::collection::vec(proptest::option::of(any::<bool>()), 4),
        component in one_of(&["main_unit", "battery", "compressor", "sensor", ""]),
        cause in one_of(&["defect", "misuse", "water_damage", "no_proof_of_purchase"]),
        code in one_of(&["E1", "E2"]),
        with_product in proptest::bool::weighted(0.9),
        repairs in proptest::collection::vec(any_repair(), 0..4),
        events in proptest::collection::vec(any_event(), 0..4),
    ) -> crate::Ticket {
        let product = crate::ticket::Product {
            category, sold_via, signed_for_at,
            purchased_on: dates[0], delivered_on: dates[1], signed_for_on: dates[2],
            installed_on: dates[3], commissioned_on: dates[4], replaced_on: dates[5],
            proof_of_purchase: flags[0], intact: flags[1], no_return_confirmed: flags[2],
            ..Default::default()
        };
        crate::Ticket {
            id: "P".into(), opened_at, channel: None, kind: None, severity: None, customer: None,
            product: with_product.then_some(product),
            fault: Some(crate::ticket::Fault {
                code, component, cause, complexity: None, performance: flags[3],
            }),
            history: Some(crate::ticket::History { repairs }),
            work: None, order: None, events, attributes: Default::default(), survey: None, as_of: None,
        }
    }
}

const RICH: &str = r#"
    statutory = ["cn-sanbao", "cn-7day-return"]
    rest_days = ["2026-10-01..2026-10-07"]
    ends_no_later_than = { date = "delivered_on", plus = "3 years" }
    [start]
    date = "installed_on"
    fallback = [{ date = "delivered_on", plus = "60 days" }, { date = "purchased_on" }]
    no_later_than = { date = "delivered_on", plus = "30 months" }
    [components.main_unit]
    period = "2 years"
    [components.battery]
    period = "6 months"
    [components.main_parts]
    period = "10 years"
    includes = ["compressor"]
    [categories.air_conditioner]
    start = "commissioned_on"
    [[exclusions]]
    cause = "water_damage"
    [[exclusions]]
    cause = "no_proof_of_purchase"
    [extension]
    partial_day = "calendar-days"
    [replacement]
    rule = "remainder-or-minimum"
    minimum = "90 days"
    [cn_7day_return]
    counting = "168h"
    [cn_sanbao]
    repair_wait_exchange_days = 30
"#;

const LEAN: &str = r#"
    counting = "start-day-counts"
    statutory = ["cn-7day-return"]
    [components.battery]
    period = "6 months"
    [replacement]
    rule = "restart"
"#;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn decide_never_panics(t in any_ticket(), today in any_date(), lean in any::<bool>()) {
        // Built as structs, so even tickets `Ticket::validate` would refuse get here.
        let w = warranty(if lean { LEAN } else { RICH });
        let today = today.unwrap_or(NaiveDate::MAX);
        let d = decide(&w, &t, today);
        prop_assert!(!d.because.is_empty());
        if let Some(remedy) = &d.remedy {
            prop_assert!(matches!(
                (d.status, remedy.kind),
                (WarrantyStatus::InWarranty, RemedyKind::Repair)
                    | (WarrantyStatus::StatutoryExchange, RemedyKind::Exchange)
                    | (WarrantyStatus::StatutoryReturn, RemedyKind::Return)
            ), "{:?}", d);
        }
    }
}

#[test]
fn remedy_kinds_read_as_in_json() {
    for (kind, text) in [
        (RemedyKind::Repair, "repair"),
        (RemedyKind::Exchange, "exchange"),
        (RemedyKind::Return, "return"),
    ] {
        assert_eq!(kind.as_str(), text);
        assert_eq!(kind.to_string(), text);
        assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{text}\""));
    }
}

// ------------------------------------------------ a start per component

const PER_COMPONENT_START: &str = r#"
    [start]
    date = "installed_on"
    [components.main_unit]
    period = "2 years"
    [components.workmanship]
    period = "1 year"
    [components.battery]
    period = "2 years"
    start = { date = "delivered_on", fallback = { date = "installed_on" } }
"#;

#[test]
fn each_component_may_start_on_its_own_event() {
    let w = warranty(PER_COMPONENT_START);
    // Delivered 2024-01-15 (the battery's start), installed 2024-09-01
    // (everything else's). Civil-code counting: battery 2024-01-15 + 2 years
    // = 2026-01-15; main_unit 2024-09-01 + 2 years = 2026-09-01;
    // workmanship 2024-09-01 + 1 year = 2025-09-01. A battery fault claimed
    // 2026-02-20 has expired, though the unit is in warranty.
    let t = ticket(
        r#"{"id": "T", "opened_at": "2026-02-20T10:00:00+08:00",
            "product": {"purchased_on": "2024-01-10", "delivered_on": "2024-01-15", "installed_on": "2024-09-01"},
            "fault": {"component": "battery"}}"#,
    );
    let d = decide(&w, &t, date("2026-02-20"));
    assert_eq!(d.status, WarrantyStatus::Expired, "{:?}", d.because);
    assert_eq!(d.starts_on, Some(date("2024-09-01")));
    let cover = |name: &str| d.components.iter().find(|c| c.component == name).unwrap();
    assert_eq!(cover("battery").until, Some(date("2026-01-15")));
    assert_eq!(cover("battery").starts_on, Some(date("2024-01-15")));
    assert_eq!(cover("main_unit").until, Some(date("2026-09-01")));
    assert_eq!(cover("main_unit").starts_on, None);
    assert_eq!(cover("workmanship").until, Some(date("2025-09-01")));
    assert!(
        cover("battery").because.iter().any(|b| b
            == "battery: warranty starts 2024-01-15: product.delivered_on \
                (warranty.components.battery.start.date)"),
        "{:?}",
        cover("battery").because
    );
    // Without a delivery date, the battery falls back to the installation:
    // 2024-09-01 + 2 years = 2026-09-01, covered.
    let t = ticket(
        r#"{"id": "T", "opened_at": "2026-02-20T10:00:00+08:00",
            "product": {"installed_on": "2024-09-01"}, "fault": {"component": "battery"}}"#,
    );
    let d = decide(&w, &t, date("2026-02-20"));
    assert_eq!(d.status, WarrantyStatus::InWarranty, "{:?}", d.because);
    assert_eq!(d.remedy.unwrap().deadline, Some(date("2026-09-01")));
}

#[test]
fn a_component_without_its_start_date_has_no_decision() {
    let w = warranty(
        r#"
        [components.main_unit]
        period = "2 years"
        [components.battery]
        period = "2 years"
        start = "delivered_on"
    "#,
    );
    // Bought 2025-03-01, no delivery date: the battery cannot be judged
    // (not_applicable, not `excluded`); the main unit runs to 2027-03-01.
    let t = ticket(
        r#"{"id": "T", "opened_at": "2026-02-20T10:00:00+08:00",
            "product": {"purchased_on": "2025-03-01"}, "fault": {"component": "battery"}}"#,
    );
    let d = decide(&w, &t, date("2026-02-20"));
    assert_eq!(d.status, WarrantyStatus::NotApplicable, "{:?}", d.because);
    let battery = d
        .components
        .iter()
        .find(|c| c.component == "battery")
        .unwrap();
    assert_eq!(battery.until, None);
    assert!(battery.because.iter().any(|b| b.contains(
        "battery: no start date: the ticket has no product.delivered_on \
         (warranty.components.battery.start)"
    )));
    let main = d
        .components
        .iter()
        .find(|c| c.component == "main_unit")
        .unwrap();
    assert_eq!(main.until, Some(date("2027-03-01")));
    // A bad start names its path.
    let err = compile_error(
        r#"
        [components.battery]
        period = "2 years"
        start = { date = "delivered_on", fallback = { date = "delivered_on" } }
    "#,
    );
    assert!(
        err.contains("warranty.components.battery.start.fallback[0].date"),
        "{err}"
    );
}

// ------------------------------------------------------- replaced parts

const REPLACED_PARTS: &str = r#"
    [components.main_unit]
    period = "2 years"
    [components.battery]
    period = "6 months"
    [replaced_parts]
    period = "90 days"
"#;

fn repair_with_parts(resolved: &str) -> crate::Ticket {
    ticket(&format!(
        r#"{{"id": "T", "opened_at": "2026-03-10T10:00:00+08:00",
            "product": {{"purchased_on": "2025-06-01"}}, "fault": {{"component": "main_unit"}},
            "work": {{"parts": [
                {{"sku": "MB-1", "component": "main_unit", "qty": 1, "unit_price": "300.00"}},
                {{"sku": "BAT-2", "component": "battery", "qty": 1, "unit_price": "40.00"}},
                {{"sku": "SCREW", "qty": 4, "unit_price": "0.50"}}]}}
            {resolved}}}"#
    ))
}

#[test]
fn replaced_parts_get_their_own_cover_from_the_repair() {
    // Bought 2025-06-01: main_unit until 2027-06-01, battery until
    // 2025-12-01. Repaired (resolved) 2026-03-12: 90 days from 03-12 under
    // the civil code = 03-12 + 19 (to 03-31) + 30 + 31 + 10 = 2026-06-10.
    let t = repair_with_parts(
        r#", "events": [{"at": "2026-03-12T15:00:00+08:00", "kind": "resolved"}]"#,
    );
    let parts = |policy: &str| {
        decide(&warranty(policy), &t, date("2026-03-20"))
            .replaced_parts
            .iter()
            .map(|p| {
                (
                    p.sku.clone(),
                    p.component.clone().unwrap_or_default(),
                    p.replaced_on.to_string(),
                    p.until.map(|u| u.to_string()).unwrap_or_default(),
                )
            })
            .collect::<Vec<_>>()
    };
    let row = |sku: &str, c: &str, on: &str, until: &str| {
        (
            sku.to_string(),
            c.to_string(),
            on.to_string(),
            until.to_string(),
        )
    };
    // Whichever ends later: the main unit's rest (2027-06-01) beats 06-10;
    // the expired battery's part gets its 90 days; the screw has no
    // component: the fault's (main_unit).
    assert_eq!(
        parts(REPLACED_PARTS),
        vec![
            row("MB-1", "main_unit", "2026-03-12", "2027-06-01"),
            row("BAT-2", "battery", "2026-03-12", "2026-06-10"),
            row("SCREW", "main_unit", "2026-03-12", "2027-06-01"),
        ]
    );
    // Its own period only: 2026-06-10 for every part.
    let period = REPLACED_PARTS.replace(
        "period = \"90 days\"",
        "period = \"90 days\"\nrule = \"period\"",
    );
    assert_eq!(
        parts(&period),
        vec![
            row("MB-1", "main_unit", "2026-03-12", "2026-06-10"),
            row("BAT-2", "battery", "2026-03-12", "2026-06-10"),
            row("SCREW", "main_unit", "2026-03-12", "2026-06-10"),
        ]
    );
    // The rest of the component's cover only: the battery's ended 2025-12-01.
    let remainder = REPLACED_PARTS.replace(
        "period = \"90 days\"",
        "period = \"90 days\"\nrule = \"remainder\"",
    );
    assert_eq!(
        parts(&remainder),
        vec![
            row("MB-1", "main_unit", "2026-03-12", "2027-06-01"),
            row("BAT-2", "battery", "2026-03-12", "2025-12-01"),
            row("SCREW", "main_unit", "2026-03-12", "2027-06-01"),
        ]
    );
    let d = decide(&warranty(REPLACED_PARTS), &t, date("2026-03-20"));
    let battery = d.replaced_parts.get(1).unwrap();
    assert_eq!(
        battery.because,
        [
            "work.parts[1] BAT-2: its own 90 days from 2026-03-12, the day the repair was \
             resolved: last day 2026-06-10 (warranty.replaced_parts.period)",
            "the rest of the cover of battery ends 2025-12-01; whichever ends later \
             (warranty.replaced_parts.rule): covered until 2026-06-10",
        ]
    );
}

#[test]
fn an_unresolved_repair_counts_from_today_and_no_table_shows_nothing() {
    // Not resolved: from the evaluation date 2026-03-20; 90 days = 2026-06-18.
    let t = repair_with_parts("");
    let d = decide(&warranty(REPLACED_PARTS), &t, date("2026-03-20"));
    let battery = d.replaced_parts.get(1).unwrap();
    assert_eq!(battery.replaced_on, date("2026-03-20"));
    assert_eq!(battery.until, Some(date("2026-06-18")));
    // Without [warranty.replaced_parts], the decision lists no parts.
    let d = decide(&warranty(ONE_YEAR), &t, date("2026-03-20"));
    assert!(d.replaced_parts.is_empty());
    // A bad period or rule names its path.
    let err = compile_error(&REPLACED_PARTS.replace("\"90 days\"", "\"ninety\""));
    assert!(err.contains("warranty.replaced_parts.period"), "{err}");
    let err = compile_error(&format!("{REPLACED_PARTS}\nrule = \"longest\""));
    assert!(err.contains("period-or-remainder"), "{err}");
}

#[test]
fn replaced_part_reasons_are_coded_and_render_in_chinese() {
    use crate::reason::Lang;
    let t = repair_with_parts(
        r#", "events": [{"at": "2026-03-12T15:00:00+08:00", "kind": "resolved"}]"#,
    );
    let d = decide(&warranty(REPLACED_PARTS), &t, date("2026-03-20"));
    let battery = d.replaced_parts.get(1).unwrap();
    let codes: Vec<&str> = battery.because.iter().map(|r| r.code()).collect();
    assert_eq!(codes, ["warranty.part_own_period", "warranty.part_until"]);
    assert_eq!(
        battery.because[1].render(Lang::ZhCn),
        "battery 的剩余保修期至 2025-12-01；取较晚结束者（warranty.replaced_parts.rule）：\
         保修至 2026-06-10"
    );
}

#[test]
fn a_replaced_parts_rest_of_cover_counts_its_own_repairs_days_out_of_service() {
    // With [extension] (started-24h), the repair that fits the parts keeps
    // the product out of service from opened_at 2026-03-10 10:00 to the
    // resolved event 2026-03-12 15:00: 2 d 5 h, 3 started days. The main
    // unit's cover (2025-06-01 + 2 years = 2027-06-01) began before the
    // repair and runs past it, so its rest grows by 3 days: 2027-06-04, as
    // it will on the next ticket, whose history lists this repair. MB-1 and
    // the screw (the fault's main_unit) take the later of 2027-06-04 and
    // their own 90 days (2026-06-10); the battery's cover had ended
    // (2025-12-01, before the repair began): not extended, 2026-06-10.
    let policy = format!("{REPLACED_PARTS}\n[extension]\npartial_day = \"started-24h\"\n");
    let t = repair_with_parts(
        r#", "events": [{"at": "2026-03-12T15:00:00+08:00", "kind": "resolved"}]"#,
    );
    let d = decide(&warranty(&policy), &t, date("2026-03-20"));
    let until: Vec<(String, String)> = d
        .replaced_parts
        .iter()
        .map(|p| {
            (
                p.sku.clone(),
                p.until.map(|u| u.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        until,
        [
            ("MB-1".to_string(), "2027-06-04".to_string()),
            ("BAT-2".to_string(), "2026-06-10".to_string()),
            ("SCREW".to_string(), "2027-06-04".to_string()),
        ]
    );
    let board = d.replaced_parts.first().unwrap();
    let codes: Vec<&str> = board.because.iter().map(|r| r.code()).collect();
    assert_eq!(
        codes,
        [
            "warranty.part_own_period",
            "warranty.part_own_repair",
            "warranty.part_until"
        ]
    );
    assert_eq!(
        board.because[1].to_string(),
        "this repair kept the product out of service 3 days (opened_at \
         2026-03-10T10:00:00+08:00 to the first resolved event 2026-03-12T15:00:00+08:00): \
         the rest of the cover of main_unit runs to 2027-06-04 (warranty.extension, each \
         started 24 h counts as a day)"
    );

    // The next ticket lists the repair in its history: the main unit's
    // cover is the same 2027-06-04.
    let next = ticket(
        r#"{"id": "T2", "opened_at": "2026-04-01T10:00:00+08:00",
            "product": {"purchased_on": "2025-06-01"}, "fault": {"component": "main_unit"},
            "history": {"repairs": [{"received_at": "2026-03-10T10:00:00+08:00",
                                     "resolved_at": "2026-03-12T15:00:00+08:00"}]}}"#,
    );
    let d = decide(&warranty(&policy), &next, date("2026-04-01"));
    let main_unit = d
        .components
        .iter()
        .find(|c| c.component == "main_unit")
        .and_then(|c| c.until);
    assert_eq!(main_unit, Some(date("2027-06-04")));

    // Without [extension] nothing grows (the first test): 2027-06-01.
    let d = decide(&warranty(REPLACED_PARTS), &t, date("2026-03-20"));
    assert_eq!(
        d.replaced_parts.first().and_then(|p| p.until),
        Some(date("2027-06-01"))
    );
}
