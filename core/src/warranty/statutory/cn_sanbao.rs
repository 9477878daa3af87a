//! `cn-sanbao`: the "three guarantees" (三包) — repair, exchange, return —
//! of listed products.
//!
//! Legal source:
//! - 《部分商品修理更换退货责任规定》 (Provisions on the liability for repair,
//!   exchange and return of certain commodities; State Economic and Trade
//!   Commission, State Bureau of Technical Supervision, State
//!   Administration for Industry and Commerce, Ministry of Finance, 1995):
//!   art. 9 — a performance fault within 7 days of sale: the consumer
//!   chooses return, exchange or repair; art. 10 — within 15 days of sale:
//!   exchange or repair; art. 11 — repaired twice within the
//!   three-guarantee period and still not usable normally: a free exchange
//!   for the same model, or a return under art. 13 (with a depreciation
//!   charge for a used product when an exchange was possible); the
//!   three-guarantee period runs from the invoice, excludes the time in
//!   repair and waiting for parts, and starts again for an exchanged unit;
//!   when the producer supplies no spare parts and the product is not
//!   repaired more than 90 days after it was sent in, the seller exchanges
//!   it; the three guarantees do not apply to damage from misuse, repair
//!   by someone not responsible for the three guarantees, goods without
//!   the three-guarantee certificate and invoice, or force majeure.
//! - 《移动电话机商品修理更换退货责任规定》 and
//!   《微型计算机商品修理更换退货责任规定》 (2001): the same structure for
//!   mobile phones and microcomputers, with their own periods per
//!   component (phones: main unit 1 year, battery 6 months, charger 1
//!   year) and shorter waits, as commonly applied.
//! - Day counting: PRC Civil Code arts. 201-203 (the day of sale is not
//!   counted; "within 7 days" ends at 24:00 of the 7th day after it).
//!
//! As implemented: the sale is `product.purchased_on`; the
//! three-guarantee period is the contractual period of the component that
//! judges the fault (so set those periods to at least the statutory
//! ones); while this rule set applies, that period is extended by the days
//! out of service even when the policy has no `[warranty.extension]`, and
//! a replacement unit (`product.replaced_on`) starts it again. A
//! performance fault (`fault.performance = true`) is required for the 7-
//! and 15-day remedies. Exclusions of the policy, and a missing proof of
//! purchase, put the fault outside the three guarantees. The waits are
//! measured on the ticket itself: from its opening (the day the product
//! was sent in) to its `resolved` event or the evaluation date; a
//! `paused` event whose reason mentions parts makes it a wait for parts.

use super::{Claim, ContractView, Finding};
use crate::duration::CalendarPeriod;
use crate::error::{Error, Result};
use crate::reason::{Arg, Code, Reason, Sep, Term};
use crate::warranty::counting::{add_days, days_between};
use crate::warranty::decision::{Remedy, RemedyKind};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The name a policy opts in with.
pub const NAME: &str = "cn-sanbao";

/// The rules' short title, for `basis`.
const RULES: &str = "《部分商品修理更换退货责任规定》 (1995)";

/// Settings of `cn-sanbao`: `[warranty.cn_sanbao]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SanbaoSpec {
    /// The listed product categories (`product.category`) the rules apply
    /// to; every product when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    /// Days after sale with return, exchange or repair (at least 7).
    #[serde(default = "default_return_days")]
    pub return_days: u32,
    /// Days after sale with exchange or repair (at least 15).
    #[serde(default = "default_exchange_days")]
    pub exchange_days: u32,
    /// Repairs of the same fault in the period after which a recurrence
    /// entitles an exchange or return (at most 2).
    #[serde(default = "default_repair_attempts")]
    pub repair_attempts: u32,
    /// Which earlier repairs count towards `repair_attempts`: those of the
    /// `same-fault` (the default, art. 11) or of `any-fault` in the period.
    #[serde(default)]
    pub repairs_counted: RepairsCounted,
    /// Days waiting for spare parts after which the customer may have an
    /// exchange (at most 90).
    #[serde(default = "default_parts_wait_days")]
    pub parts_wait_exchange_days: u32,
    /// `parts_wait_exchange_days` per product category (`product.category`),
    /// each at most 90; the others keep `parts_wait_exchange_days`.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub parts_wait_exchange_days_by_category: std::collections::BTreeMap<String, u32>,
    /// Days in repair, not waiting for parts, after which the customer may
    /// have an exchange (30 under the commonly applied rule); none by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repair_wait_exchange_days: Option<u32>,
}

/// Which earlier repairs count towards the exchange after failed repairs.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum RepairsCounted {
    /// Repairs of the same fault (`fault.code`, else the same component when
    /// the fault has no code): the rules' art. 11.
    #[default]
    SameFault,
    /// Every repair in the period, whatever the fault: a policy more
    /// generous than the rules.
    AnyFault,
}

impl Default for SanbaoSpec {
    fn default() -> Self {
        SanbaoSpec {
            categories: Vec::new(),
            return_days: default_return_days(),
            exchange_days: default_exchange_days(),
            repair_attempts: default_repair_attempts(),
            repairs_counted: RepairsCounted::default(),
            parts_wait_exchange_days: default_parts_wait_days(),
            parts_wait_exchange_days_by_category: Default::default(),
            repair_wait_exchange_days: None,
        }
    }
}

fn default_return_days() -> u32 {
    7
}
fn default_exchange_days() -> u32 {
    15
}
fn default_repair_attempts() -> u32 {
    2
}
fn default_parts_wait_days() -> u32 {
    90
}

/// `cn-sanbao`, compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sanbao {
    categories: Vec<String>,
    return_days: u32,
    exchange_days: u32,
    repair_attempts: u32,
    repairs_counted: RepairsCounted,
    parts_wait_days: u32,
    parts_wait_by_category: std::collections::BTreeMap<String, CategoryWait>,
    repair_wait_days: Option<u32>,
    /// The `basis` of each remedy, worded once at load.
    bases: Bases,
}

/// The wait for parts of one category.
#[derive(Debug, Clone, PartialEq, Eq)]
struct CategoryWait {
    days: u32,
    category: Arc<str>,
    basis: String,
}

/// The `basis` texts of the remedies, which depend on the settings only.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Bases {
    art9: String,
    art10: String,
    repeated: String,
    any_fault: String,
    free_repair: String,
    parts_wait: String,
    repair_wait: String,
}

/// The basis of an exchange after a long wait.
fn wait_basis(threshold: u32, what: &str) -> String {
    format!(
        "{RULES}: not repaired more than {threshold} days after it was sent in \
         ({what}): free exchange"
    )
}

/// Checks the day counts against what the rules give: return and
/// exchange days no fewer, repairs and the parts wait no more.
fn check_days(spec: &SanbaoSpec, bad: &dyn Fn(&str, String) -> Error) -> Result<()> {
    if !(7..=366).contains(&spec.return_days) {
        return Err(bad(
            "return_days",
            format!(
                "{}: the rules give 7 days; a policy may give more (up to 366), never fewer",
                spec.return_days
            ),
        ));
    }
    if spec.exchange_days < 15 || spec.exchange_days < spec.return_days || spec.exchange_days > 366
    {
        return Err(bad(
            "exchange_days",
            format!(
                "{}: the rules give 15 days; a policy may give more (up to 366, and no \
                 fewer than return_days), never fewer",
                spec.exchange_days
            ),
        ));
    }
    if !(1..=2).contains(&spec.repair_attempts) {
        return Err(bad(
            "repair_attempts",
            format!(
                "{}: the rules allow two repairs; a policy may allow one, not more",
                spec.repair_attempts
            ),
        ));
    }
    if !(1..=90).contains(&spec.parts_wait_exchange_days) {
        return Err(bad(
            "parts_wait_exchange_days",
            format!(
                "{}: the rules set 90 days; a policy may set fewer (at least 1), never more",
                spec.parts_wait_exchange_days
            ),
        ));
    }
    Ok(())
}

/// Checks the per-category parts waits, the repair wait and the listed
/// categories.
fn check_categories(spec: &SanbaoSpec, bad: &dyn Fn(&str, String) -> Error) -> Result<()> {
    for (category, days) in &spec.parts_wait_exchange_days_by_category {
        if category.trim().is_empty() {
            return Err(bad(
                "parts_wait_exchange_days_by_category",
                "a category needs a name".to_string(),
            ));
        }
        if !(1..=90).contains(days) {
            return Err(bad(
                &format!("parts_wait_exchange_days_by_category.{category}"),
                format!(
                    "{days}: the rules set 90 days; a policy may set fewer (at least 1), \
                     never more"
                ),
            ));
        }
    }
    if spec.repair_wait_exchange_days == Some(0) {
        return Err(bad(
            "repair_wait_exchange_days",
            "must be at least 1 day".to_string(),
        ));
    }
    if let Some(i) = spec.categories.iter().position(|c| c.trim().is_empty()) {
        return Err(bad(
            &format!("categories[{i}]"),
            "must not be empty".to_string(),
        ));
    }
    Ok(())
}

/// The basis of each remedy, in words, with the policy's day counts.
fn bases(spec: &SanbaoSpec) -> Bases {
    Bases {
        art9: format!(
            "{RULES} art. 9: a performance fault within {} days of sale \
             entitles return, exchange or repair",
            spec.return_days
        ),
        art10: format!(
            "{RULES} art. 10: a performance fault within {} days of sale \
             entitles exchange or repair",
            spec.exchange_days
        ),
        repeated: format!(
            "{RULES} arts. 11 and 13: repaired {} times in the period and still not \
             usable: free exchange, or return",
            spec.repair_attempts
        ),
        any_fault: format!(
            "{RULES} arts. 11 and 13, as the policy applies them to any fault: repaired \
             {} times in the period and still not usable: free exchange, or return",
            spec.repair_attempts
        ),
        free_repair: format!("{RULES}: free repair within the three-guarantee period"),
        parts_wait: wait_basis(spec.parts_wait_exchange_days, "waiting for spare parts"),
        repair_wait: wait_basis(
            spec.repair_wait_exchange_days.unwrap_or_default(),
            "in repair",
        ),
    }
}

/// The parts wait of each category that sets its own.
fn category_waits(spec: &SanbaoSpec) -> std::collections::BTreeMap<String, CategoryWait> {
    spec.parts_wait_exchange_days_by_category
        .iter()
        .map(|(c, d)| {
            let category = c.trim();
            (
                category.to_string(),
                CategoryWait {
                    days: *d,
                    category: category.into(),
                    basis: wait_basis(*d, "waiting for spare parts"),
                },
            )
        })
        .collect()
}

impl Sanbao {
    /// Compiles the settings (the defaults when the table is absent).
    pub fn compile(policy_id: &str, spec: Option<&SanbaoSpec>) -> Result<Sanbao> {
        let spec = spec.cloned().unwrap_or_default();
        let bad = |field: &str, why: String| {
            Error::policy(policy_id, format!("warranty.cn_sanbao.{field}"), why)
        };
        check_days(&spec, &bad)?;
        check_categories(&spec, &bad)?;
        Ok(Sanbao {
            bases: bases(&spec),
            parts_wait_by_category: category_waits(&spec),
            categories: spec.categories,
            return_days: spec.return_days,
            exchange_days: spec.exchange_days,
            repair_attempts: spec.repair_attempts,
            repairs_counted: spec.repairs_counted,
            parts_wait_days: spec.parts_wait_exchange_days,
            repair_wait_days: spec.repair_wait_exchange_days,
        })
    }

    /// Whether the rules apply to a product category (a listed product).
    pub fn lists(&self, category: Option<&str>) -> bool {
        self.categories.is_empty()
            || category.is_some_and(|c| self.categories.iter().any(|l| l == c.trim()))
    }

    /// The three guarantees for a claim.
    pub fn decide(&self, claim: &Claim<'_>, contract: &ContractView) -> Finding {
        if let Some(refused) = self.refused(claim, contract) {
            return refused;
        }
        let Some(sale) = claim.product.purchased_on else {
            return Finding::none(crate::reason!(SanbaoNoSale));
        };
        let day = claim.counting.day_number(sale, claim.claimed_on).max(0);
        let mut because: Vec<crate::reason::Reason> = Vec::new();
        let mut candidates: Vec<Remedy> = Vec::new();
        if i64::from(self.exchange_days) >= day {
            candidates.extend(self.early_remedy(claim, sale, day, &mut because));
        }
        self.period_remedies(claim, contract, day, &mut because, &mut candidates);
        // The strongest remedy; among equals the first found.
        let mut best: Option<Remedy> = None;
        for remedy in candidates {
            if best.as_ref().is_none_or(|b| remedy.kind > b.kind) {
                best = Some(remedy);
            }
        }
        Finding {
            remedy: best,
            because,
        }
    }

    /// Why the rules do not apply to the claim at all: an unlisted
    /// product, no proof of purchase, or an exclusion.
    fn refused(&self, claim: &Claim<'_>, contract: &ContractView) -> Option<Finding> {
        let product = claim.product;
        let category = product.category.as_deref();
        if !self.lists(category) {
            return Some(Finding::none(crate::reason!(
                SanbaoNotListed,
                match category {
                    Some(c) => Arg::from(c.to_string()),
                    None => Term::NoCategory.into(),
                }
            )));
        }
        if product.proof_of_purchase == Some(false) {
            return Some(Finding::none(crate::reason!(SanbaoNoProof)));
        }
        contract
            .excluded_by
            .as_ref()
            .map(|exclusion| Finding::none(crate::reason!(SanbaoExcluded, exclusion.clone())))
    }

    /// Arts. 9 and 10: a return (or an exchange) for a performance fault
    /// claimed on `day` after the `sale`, within the exchange days.
    fn early_remedy(
        &self,
        claim: &Claim<'_>,
        sale: NaiveDate,
        day: i64,
        because: &mut Vec<Reason>,
    ) -> Option<Remedy> {
        let when = if day == 0 {
            crate::reason!(SanbaoSaleDay, sale)
        } else {
            crate::reason!(SanbaoDayAfterSale, day, sale)
        };
        let performance = claim.ticket.fault.as_ref().and_then(|f| f.performance) == Some(true);
        if !performance {
            because.push(crate::reason!(SanbaoNotPerformance, when));
            return None;
        }
        let (kind, choices, code, days, basis) = if i64::from(self.return_days) >= day {
            (
                RemedyKind::Return,
                vec![RemedyKind::Return, RemedyKind::Exchange, RemedyKind::Repair],
                Code::SanbaoArt9,
                self.return_days,
                &self.bases.art9,
            )
        } else {
            (
                RemedyKind::Exchange,
                vec![RemedyKind::Exchange, RemedyKind::Repair],
                Code::SanbaoArt10,
                self.exchange_days,
                &self.bases.art10,
            )
        };
        let (deadline, moved) = claim
            .counting
            .statutory_last_day(sale, CalendarPeriod::Days(days));
        because.push(Reason::coded(
            code,
            vec![
                when.into(),
                deadline.into(),
                moved
                    .map(|d| crate::reason!(WarrantyMovedRestDay, d))
                    .into(),
            ],
        ));
        Some(Remedy {
            kind,
            rule: NAME.to_string(),
            basis: basis.clone(),
            deadline: Some(deadline),
            choices,
        })
    }

    /// The remedies inside the three-guarantee period (repeated failure,
    /// a long wait, free repair), or why there are none after the
    /// exchange days.
    fn period_remedies(
        &self,
        claim: &Claim<'_>,
        contract: &ContractView,
        day: i64,
        because: &mut Vec<Reason>,
        candidates: &mut Vec<Remedy>,
    ) {
        match (contract.in_period, contract.until) {
            (true, Some(until)) => {
                let component: Arg = match &contract.component {
                    Some(c) => c.into(),
                    None => Term::TheProduct.into(),
                };
                if let Some(finding) = self.repeated_failure(claim, contract, until) {
                    because.push(finding.0);
                    candidates.push(finding.1);
                }
                if claim.is_fault_repair() {
                    if let Some(finding) = self.long_wait(claim, until) {
                        because.push(finding.0);
                        candidates.push(finding.1);
                    }
                }
                because.push(crate::reason!(SanbaoFreeRepair, component, until));
                candidates.push(Remedy {
                    kind: RemedyKind::Repair,
                    rule: NAME.to_string(),
                    basis: self.bases.free_repair.clone(),
                    deadline: Some(until),
                    choices: Vec::new(),
                });
            }
            (_, Some(until)) if day > i64::from(self.exchange_days) => {
                because.push(crate::reason!(SanbaoPeriodEnded, until))
            }
            (_, None) if day > i64::from(self.exchange_days) => because.push(crate::reason!(
                SanbaoNoPeriod,
                match &contract.component {
                    Some(c) => Arg::from(c),
                    None => Term::TheProduct.into(),
                },
                self.exchange_days
            )),
            _ => {}
        }
    }

    /// Art. 11: the same fault repaired `repair_attempts` times in the
    /// period and back again.
    fn repeated_failure(
        &self,
        claim: &Claim<'_>,
        contract: &ContractView,
        until: NaiveDate,
    ) -> Option<(crate::reason::Reason, Remedy)> {
        let fault = claim.ticket.fault.as_ref()?;
        let code = fault
            .code
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        let component = fault
            .component
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        let history = claim.ticket.history.as_ref()?;
        let start = contract.start.unwrap_or(NaiveDate::MIN);
        let same: Vec<Arg> = history
            .repairs
            .iter()
            .enumerate()
            .filter(|(_, r)| match (self.repairs_counted, code, component) {
                (RepairsCounted::AnyFault, _, _) => true,
                (_, Some(code), _) => r.fault.as_deref().map(str::trim) == Some(code),
                (_, None, Some(component)) => {
                    r.fault.is_none() && r.component.as_deref().map(str::trim) == Some(component)
                }
                (_, None, None) => false,
            })
            .filter(|(_, r)| {
                crate::warranty::counting::repair_began(r).is_none_or(|d| d >= start && d <= until)
            })
            .map(|(i, r)| {
                let on: Arg = match crate::warranty::counting::repair_began(r) {
                    Some(d) => d.into(),
                    None => Term::Undated.into(),
                };
                crate::reason!(SanbaoRepairOn, i, on).into()
            })
            .collect();
        if same.len() < usize::try_from(self.repair_attempts).unwrap_or(usize::MAX) {
            return None;
        }
        if self.repairs_counted == RepairsCounted::AnyFault {
            return Some(any_fault_repeated(&self.bases.any_fault, same, until));
        }
        let what = match code {
            Some(code) => crate::reason!(SanbaoFaultCode, code.to_string()),
            None => crate::reason!(SanbaoFaultOn, component.unwrap_or_default().to_string()),
        };
        Some((
            crate::reason!(
                SanbaoRepeated,
                what,
                same.len(),
                Arg::list(same, Sep::Comma),
                until
            ),
            Remedy {
                kind: RemedyKind::Exchange,
                rule: NAME.to_string(),
                basis: self.bases.repeated.clone(),
                deadline: Some(until),
                choices: vec![RemedyKind::Exchange, RemedyKind::Return],
            },
        ))
    }

    /// The wait for parts (or for the repair itself) on this ticket, which
    /// must be the repair of a fault ([`Claim::is_fault_repair`]): a return
    /// requested without a fault is not "in repair", however long it stays open.
    fn long_wait(&self, claim: &Claim<'_>, until: NaiveDate) -> Option<(Reason, Remedy)> {
        let events = claim.ticket.sorted_events();
        let resolved = events
            .iter()
            .find(|e| e.kind == "resolved")
            .map(|e| crate::ticket::local_date(&e.at));
        let end = resolved.unwrap_or(claim.today).max(claim.claimed_on);
        let waited = days_between(claim.claimed_on, end);
        let for_parts = events.iter().any(|e| {
            e.kind == "paused"
                && e.reason
                    .as_deref()
                    .is_some_and(|r| r.to_ascii_lowercase().contains("part"))
        });
        let category = claim.product.category.as_deref().map(str::trim);
        let by_category = category.and_then(|c| self.parts_wait_by_category.get(c));
        let (threshold, field, what, basis): (u32, Arg, Term, &String) = if for_parts {
            match by_category {
                Some(wait) => (
                    wait.days,
                    crate::reason!(SanbaoCategoryField, &wait.category).into(),
                    Term::WaitingForParts,
                    &wait.basis,
                ),
                None => (
                    self.parts_wait_days,
                    Arg::Static("parts_wait_exchange_days"),
                    Term::WaitingForParts,
                    &self.bases.parts_wait,
                ),
            }
        } else {
            (
                self.repair_wait_days?,
                Arg::Static("repair_wait_exchange_days"),
                Term::InRepair,
                &self.bases.repair_wait,
            )
        };
        if waited <= i64::from(threshold) {
            return None;
        }
        let deadline = add_days(until, waited);
        Some((
            crate::reason!(
                SanbaoLongWait,
                what,
                waited,
                claim.claimed_on,
                threshold,
                field,
                deadline
            ),
            Remedy {
                kind: RemedyKind::Exchange,
                rule: NAME.to_string(),
                basis: basis.clone(),
                deadline: Some(deadline),
                choices: Vec::new(),
            },
        ))
    }
}

/// The finding of `repairs_counted = "any-fault"`: `repairs` earlier
/// repairs of any fault in the period, and the product is back.
fn any_fault_repeated(basis: &str, repairs: Vec<Arg>, until: NaiveDate) -> (Reason, Remedy) {
    (
        Reason::coded(
            Code::WarrantySanbaoAnyFault,
            vec![
                repairs.len().into(),
                Arg::list(repairs, Sep::Comma),
                until.into(),
            ],
        ),
        Remedy {
            kind: RemedyKind::Exchange,
            rule: NAME.to_string(),
            basis: basis.to_string(),
            deadline: Some(until),
            choices: vec![RemedyKind::Exchange, RemedyKind::Return],
        },
    )
}

#[cfg(test)]
mod tests {
    use crate::warranty::tests::support::{decide, ticket, warranty};
    use crate::warranty::{RemedyKind, WarrantyStatus};
    use chrono::NaiveDate;

    const POLICY: &str = r#"
        statutory = ["cn-sanbao"]
        [components.main_unit]
        period = "1 year"
        [components.battery]
        period = "6 months"
    "#;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// A phone sold in a store on 2026-03-01 with a performance fault,
    /// claimed on `opened`.
    fn phone(opened: &str, extra: &str) -> crate::Ticket {
        ticket(&format!(
            r#"{{"id": "T", "opened_at": "{opened}T10:00:00+08:00",
                "product": {{"category": "phone", "sold_via": "store", "purchased_on": "2026-03-01"}},
                "fault": {{"code": "no_signal", "component": "main_unit", "cause": "defect", "performance": true}}
                {extra}}}"#
        ))
    }

    struct Case {
        name: &'static str,
        opened: &'static str,
        extra: &'static str,
        status: WarrantyStatus,
        kind: RemedyKind,
        deadline: &'static str,
        because: &'static str,
    }

    #[test]
    fn sanbao_cases() {
        let cases = [
            // Sale 03-01; day 5 is 03-06; art. 9 window ends 03-01 + 7 = 03-08.
            Case {
                name: "day 5: return",
                opened: "2026-03-06",
                extra: "",
                status: WarrantyStatus::StatutoryReturn,
                kind: RemedyKind::Return,
                deadline: "2026-03-08",
                because: "cn-sanbao art. 9: performance fault on day 5 after sale (2026-03-01): return, exchange or repair",
            },
            // Day 12 is 03-13; art. 10 window ends 03-01 + 15 = 03-16.
            Case {
                name: "day 12: exchange",
                opened: "2026-03-13",
                extra: "",
                status: WarrantyStatus::StatutoryExchange,
                kind: RemedyKind::Exchange,
                deadline: "2026-03-16",
                because: "cn-sanbao art. 10: performance fault on day 12 after sale (2026-03-01): exchange or repair",
            },
            // Day 40 is 04-10; the period runs to 03-01 + 1 year = 2027-03-01.
            Case {
                name: "day 40: repair",
                opened: "2026-04-10",
                extra: "",
                status: WarrantyStatus::InWarranty,
                kind: RemedyKind::Repair,
                deadline: "2027-03-01",
                because: "cn-sanbao: main_unit is within the three-guarantee period until 2027-03-01: free repair",
            },
            // Two repairs of `no_signal` (4 + 5 days out of service extend
            // the period to 2027-03-01 + 9 = 2027-03-10), the fault is back.
            Case {
                name: "third time: exchange or return",
                opened: "2026-07-01",
                extra: r#", "history": {"repairs": [
                    {"received_on": "2026-04-10", "resolved_on": "2026-04-14", "fault": "no_signal", "days_in_repair": 4},
                    {"received_on": "2026-05-20", "resolved_on": "2026-05-25", "fault": "no_signal", "days_in_repair": 5, "fixed": false}]}"#,
                status: WarrantyStatus::StatutoryExchange,
                kind: RemedyKind::Exchange,
                deadline: "2027-03-10",
                because: "cn-sanbao arts. 11 and 13: fault `no_signal` was repaired 2 times in the three-guarantee period",
            },
            // Sent in 06-01, waiting for parts, evaluated 09-05: 96 days > 90.
            // Deadline: period end 2027-03-01 + 96 days waited = 2027-06-05.
            Case {
                name: "parts wait over 90 days: exchange",
                opened: "2026-06-01",
                extra: r#", "events": [{"at": "2026-06-02T10:00:00+08:00", "kind": "paused", "reason": "awaiting_parts"}]"#,
                status: WarrantyStatus::StatutoryExchange,
                kind: RemedyKind::Exchange,
                deadline: "2027-06-05",
                because: "cn-sanbao: waiting for spare parts for 96 days since the product was sent in on 2026-06-01 (more than 90",
            },
        ];
        let w = warranty(POLICY);
        for case in cases {
            let t = phone(case.opened, case.extra);
            let today = if case.name.starts_with("parts") {
                date("2026-09-05")
            } else {
                date(case.opened)
            };
            let d = decide(&w, &t, today);
            let text = d
                .because
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n");
            assert_eq!(d.status, case.status, "{}: {text}", case.name);
            let remedy = d.remedy.clone().unwrap();
            assert_eq!(remedy.kind, case.kind, "{}: {text}", case.name);
            assert_eq!(
                remedy.deadline,
                Some(date(case.deadline)),
                "{}: {text}",
                case.name
            );
            assert!(text.contains(case.because), "{}: {text}", case.name);
            assert_eq!(
                d.components.len(),
                2,
                "{}: components still listed",
                case.name
            );
        }
    }

    #[test]
    fn day_boundaries_follow_the_civil_code() {
        let w = warranty(POLICY);
        // Day 7 (03-08) is still art. 9; day 8 (03-09) is art. 10; day 15
        // (03-16) is art. 10; day 16 (03-17) is repair only.
        for (opened, kind) in [
            ("2026-03-08", RemedyKind::Return),
            ("2026-03-09", RemedyKind::Exchange),
            ("2026-03-16", RemedyKind::Exchange),
            ("2026-03-17", RemedyKind::Repair),
        ] {
            let d = decide(&w, &phone(opened, ""), date(opened));
            assert_eq!(d.remedy.map(|r| r.kind), Some(kind), "{opened}");
        }
        // With the starting day counted, day 7 is 03-07 and 03-08 is day 8.
        let w = warranty(
            r#"
            statutory = ["cn-sanbao"]
            counting = "start-day-counts"
            [components.main_unit]
            period = "1 year"
        "#,
        );
        let d = decide(&w, &phone("2026-03-08", ""), date("2026-03-08"));
        assert_eq!(d.remedy.map(|r| r.kind), Some(RemedyKind::Exchange));
    }

    #[test]
    fn no_performance_fault_no_return() {
        let w = warranty(POLICY);
        let t = ticket(
            r#"{"id": "T", "opened_at": "2026-03-03T10:00:00+08:00",
                "product": {"category": "phone", "purchased_on": "2026-03-01"},
                "fault": {"component": "main_unit", "cause": "defect"}}"#,
        );
        let d = decide(&w, &t, date("2026-03-03"));
        assert_eq!(d.status, WarrantyStatus::InWarranty);
        assert_eq!(d.remedy.unwrap().kind, RemedyKind::Repair);
        assert!(d
            .because
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
            .contains("not marked as a performance fault"));
    }

    #[test]
    fn exclusions_and_missing_proof_put_the_fault_outside() {
        let w = warranty(
            r#"
            statutory = ["cn-sanbao"]
            [components.main_unit]
            period = "1 year"
            [[exclusions]]
            cause = "water_damage"
        "#,
        );
        let t = ticket(
            r#"{"id": "T", "opened_at": "2026-03-03T10:00:00+08:00",
                "product": {"purchased_on": "2026-03-01"},
                "fault": {"component": "main_unit", "cause": "water_damage", "performance": true}}"#,
        );
        let d = decide(&w, &t, date("2026-03-03"));
        assert_eq!(d.status, WarrantyStatus::Excluded);
        assert!(d.remedy.is_none());
        assert!(d
            .because
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
            .contains("outside the three guarantees"));
        let t = ticket(
            r#"{"id": "T", "opened_at": "2026-03-03T10:00:00+08:00",
                "product": {"purchased_on": "2026-03-01", "proof_of_purchase": false},
                "fault": {"component": "main_unit", "performance": true}}"#,
        );
        // This policy does not exclude a missing proof of purchase itself, so the
        // contractual repair stands; the three guarantees do not apply.
        let d = decide(&w, &t, date("2026-03-03"));
        assert_eq!(d.status, WarrantyStatus::InWarranty);
        assert_eq!(d.remedy.unwrap().rule, "warranty");
        assert!(d
            .because
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
            .contains("cn-sanbao: no proof of purchase"));
    }

    #[test]
    fn an_exchanged_unit_starts_again_and_repairs_extend_the_period() {
        // No [warranty.extension] and rule "remainder", but cn-sanbao
        // restarts the period on the exchange (2026-06-10 + 1 year =
        // 2027-06-10) and adds the 3 days in repair: 2027-06-13.
        let w = warranty(POLICY);
        let t = ticket(
            r#"{"id": "T", "opened_at": "2027-06-12T10:00:00+08:00",
                "product": {"category": "phone", "purchased_on": "2026-03-01", "replaced_on": "2026-06-10"},
                "fault": {"component": "main_unit", "performance": true},
                "history": {"repairs": [{"received_on": "2026-08-01", "resolved_on": "2026-08-04", "days_in_repair": 3}]}}"#,
        );
        let d = decide(&w, &t, date("2027-06-12"));
        assert_eq!(d.status, WarrantyStatus::InWarranty, "{:?}", d.because);
        let main = d
            .components
            .iter()
            .find(|c| c.component == "main_unit")
            .unwrap();
        assert_eq!(main.until, Some(date("2027-06-13")));
        assert_eq!(d.starts_on, Some(date("2026-06-10")));
    }

    #[test]
    fn unlisted_categories_are_left_alone() {
        let w = warranty(
            r#"
            statutory = ["cn-sanbao"]
            cn_sanbao = { categories = ["phone"] }
            [components.main_unit]
            period = "1 year"
        "#,
        );
        let t = ticket(
            r#"{"id": "T", "opened_at": "2026-03-03T10:00:00+08:00",
                "product": {"category": "furniture", "purchased_on": "2026-03-01"},
                "fault": {"component": "main_unit", "performance": true}}"#,
        );
        let d = decide(&w, &t, date("2026-03-03"));
        assert_eq!(d.status, WarrantyStatus::InWarranty);
        assert_eq!(d.remedy.unwrap().rule, "warranty");
        assert!(d
            .because
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
            .contains("not among the listed products"));
    }

    #[test]
    fn repairs_of_any_fault_count_when_the_policy_says_so() {
        // Two earlier repairs of other faults (a screen, a speaker), 4 + 5
        // days out of service: the period 2027-03-01 + 9 days = 2027-03-10.
        let extra = r#", "history": {"repairs": [
            {"received_on": "2026-04-10", "resolved_on": "2026-04-14", "fault": "dead_pixels", "days_in_repair": 4},
            {"received_on": "2026-05-20", "resolved_on": "2026-05-25", "fault": "no_sound", "days_in_repair": 5}]}"#;
        let t = phone("2026-07-01", extra);
        // Same fault (the default): `no_signal` was never repaired: a repair.
        let d = decide(&warranty(POLICY), &t, date("2026-07-01"));
        assert_eq!(d.status, WarrantyStatus::InWarranty, "{:?}", d.because);
        // Any fault: 2 repairs in the period, the phone is back: exchange or
        // return until 2027-03-10.
        let any = POLICY.replace(
            r#"statutory = ["cn-sanbao"]"#,
            "statutory = [\"cn-sanbao\"]\ncn_sanbao = { repairs_counted = \"any-fault\" }",
        );
        let d = decide(&warranty(&any), &t, date("2026-07-01"));
        assert_eq!(
            d.status,
            WarrantyStatus::StatutoryExchange,
            "{:?}",
            d.because
        );
        let remedy = d.remedy.clone().unwrap();
        assert_eq!(remedy.deadline, Some(date("2027-03-10")));
        assert_eq!(remedy.choices, [RemedyKind::Exchange, RemedyKind::Return]);
        assert!(
            d.because.iter().any(|b| b.contains(
                "repaired 2 times in the three-guarantee period (history.repairs[0] 2026-04-10, \
                 history.repairs[1] 2026-05-20), whatever the fault"
            )),
            "{:?}",
            d.because
        );
    }

    #[test]
    fn the_wait_for_parts_has_a_limit_per_category() {
        // Sent in 06-01, waiting for parts; phones wait at most 30 days.
        let policy = POLICY.replace(
            r#"statutory = ["cn-sanbao"]"#,
            "statutory = [\"cn-sanbao\"]\n\
             cn_sanbao = { parts_wait_exchange_days_by_category = { phone = 30, tv = 60 } }",
        );
        let w = warranty(&policy);
        let t = phone(
            "2026-06-01",
            r#", "events": [{"at": "2026-06-02T10:00:00+08:00", "kind": "paused", "reason": "awaiting_parts"}]"#,
        );
        // 07-01 is 30 days after 06-01: not more than 30, a repair.
        let d = decide(&w, &t, date("2026-07-01"));
        assert_eq!(d.status, WarrantyStatus::InWarranty, "{:?}", d.because);
        // 07-02 is 31 days: an exchange until 2027-03-01 + 31 = 2027-04-01.
        let d = decide(&w, &t, date("2026-07-02"));
        assert_eq!(
            d.status,
            WarrantyStatus::StatutoryExchange,
            "{:?}",
            d.because
        );
        let remedy = d.remedy.clone().unwrap();
        assert_eq!(remedy.deadline, Some(date("2027-04-01")));
        assert!(
            d.because.iter().any(|b| b.contains(
                "for 31 days since the product was sent in on 2026-06-01 (more than 30, \
                 warranty.cn_sanbao.parts_wait_exchange_days_by_category.phone)"
            )),
            "{:?}",
            d.because
        );
        // Another category keeps the 90 days: 31 days is still a repair.
        let tv = ticket(
            r#"{"id": "T", "opened_at": "2026-06-01T10:00:00+08:00",
                "product": {"category": "speaker", "purchased_on": "2026-03-01"},
                "fault": {"code": "no_sound", "component": "main_unit"},
                "events": [{"at": "2026-06-02T10:00:00+08:00", "kind": "paused", "reason": "awaiting_parts"}]}"#,
        );
        let d = decide(&w, &tv, date("2026-07-02"));
        assert_eq!(d.status, WarrantyStatus::InWarranty, "{:?}", d.because);
    }

    #[test]
    fn bad_per_category_waits_name_their_field() {
        let err = crate::warranty::tests::support::compile_error(
            r#"
            statutory = ["cn-sanbao"]
            cn_sanbao = { parts_wait_exchange_days_by_category = { phone = 91 } }
            [components.main_unit]
            period = "1 year"
        "#,
        );
        assert!(
            err.contains("warranty.cn_sanbao.parts_wait_exchange_days_by_category.phone"),
            "{err}"
        );
        let err = crate::warranty::tests::support::compile_error(
            r#"
            statutory = ["cn-sanbao"]
            cn_sanbao = { repairs_counted = "every-fault" }
            [components.main_unit]
            period = "1 year"
        "#,
        );
        assert!(err.contains("any-fault"), "{err}");
    }

    #[test]
    fn bad_settings_name_their_field() {
        let err = crate::warranty::tests::support::compile_error(
            r#"
            statutory = ["cn-sanbao"]
            cn_sanbao = { parts_wait_exchange_days = 120 }
            [components.main_unit]
            period = "1 year"
        "#,
        );
        assert!(
            err.contains("warranty.cn_sanbao.parts_wait_exchange_days"),
            "{err}"
        );
    }
}
