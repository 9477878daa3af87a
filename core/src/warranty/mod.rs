//! Warranty scope: which components a ticket's fault is covered for, until
//! when, and what remedy the customer is owed — under the policy's
//! contractual warranty (`[warranty]`) and the statutory rule sets it opts
//! into ([`statutory`]).
//!
//! The module owns:
//! - [`spec`]: the TOML form of `[warranty]`;
//! - the compiled [`Warranty`] and its [`Warranty::decide`];
//! - [`statutory`]: the opt-in statutory rule sets, one file each;
//! - [`decision`]: the answer's shape, [`WarrantyDecision`].
//!
//! How a decision is made for a ticket (see `docs/warranty.md`):
//! 1. The claim date is the local date of the ticket's `opened_at` (in the
//!    offset the CRM sent), or the evaluation date when that is earlier: a
//!    fault reported on the last day of cover stays covered when the
//!    ticket is evaluated later.
//! 2. The product's category picks `[warranty.categories.NAME]` if there
//!    is one; the start is found (start date, fallback, cap, or the
//!    replacement date when the period restarts).
//! 3. Every component gets its last day of cover: the period under the
//!    counting rule, the earlier of two ends, the days out of service, and
//!    a replacement's minimum. A component covers the fault when the claim
//!    date is on or before that day and no exclusion matches.
//! 4. The component that judges the fault (`fault.component`, an entry
//!    that `includes` it, or the default component) gives the status:
//!    `in_warranty` (remedy: free repair), `expired`, `excluded`, or
//!    `not_applicable` when no start date is known.
//! 5. Each statutory rule set proposes a remedy; a stronger one than the
//!    contractual remedy wins and sets the status to `statutory_return` or
//!    `statutory_exchange`.

mod counting;
pub mod decision;
mod exclusions;
mod parts;
pub mod spec;
pub mod statutory;
mod term;

#[cfg(test)]
mod tests;

pub use decision::{ComponentCover, Remedy, RemedyKind, WarrantyDecision, WarrantyStatus};
pub use spec::WarrantySpec;

use crate::error::{Error, Result};
use crate::reason::{Reason, Term};
use crate::ticket::{Product, Ticket};
use chrono::{DateTime, FixedOffset, NaiveDate};
use counting::Counting;
use exclusions::Exclusion;
use statutory::{Claim, ContractView, RuleSet};
use std::collections::BTreeMap;
use term::{Claimed, ComponentRule, Extension, Replacement, Scope, StartRule};

/// The days one repair of `history.repairs` kept the product out of
/// service, counted as the warranty counts them when it extends a period:
/// the CRM's `days_in_repair`, else the instants `received_at` ..
/// `resolved_at` under the partial-day rule, else the dates `received_on`
/// .. `resolved_on`. `None` when the repair says none of these.
pub(crate) fn days_out_of_service(
    repair: &crate::ticket::Repair,
    partial: spec::PartialDay,
) -> Option<u32> {
    counting::repair_days(repair, partial).map(|(days, _)| days)
}

/// A policy's warranty, compiled from its [`WarrantySpec`]: immutable,
/// shared across threads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warranty {
    counting: Counting,
    base: Scope,
    categories: BTreeMap<String, Scope>,
    exclusions: Vec<Exclusion>,
    extension: Option<Extension>,
    replacement: Replacement,
    replaced_parts: Option<parts::ReplacedParts>,
    statutory: Vec<RuleSet>,
    /// The `[warranty] rule` hook, a Rhai function `fn NAME(ticket, decision)`.
    rule: Option<String>,
}

impl Warranty {
    /// Compiles the `[warranty]` table of policy `policy_id`. Every bad
    /// field is an [`Error::Policy`] naming its TOML path, e.g.
    /// `warranty.components.battery.period`.
    pub fn compile(policy_id: &str, spec: &WarrantySpec) -> Result<Warranty> {
        let counting = Counting::compile(policy_id, spec.counting, &spec.rest_days)?;
        let default_end = spec
            .ends_no_later_than
            .as_ref()
            .map(|end| {
                term::DateRule::compile(policy_id, end, "warranty.ends_no_later_than".into())
            })
            .transpose()?;
        let start = StartRule::compile(policy_id, &spec.start, "warranty.start")?;
        let mut components = BTreeMap::new();
        for (name, component) in &spec.components {
            components.insert(
                name.clone(),
                ComponentRule::compile(
                    policy_id,
                    name,
                    component,
                    format!("warranty.components.{name}"),
                    default_end.as_ref(),
                )?,
            );
        }
        if components.is_empty() && spec.statutory.is_empty() {
            return Err(Error::policy(
                policy_id,
                "warranty.components",
                "name at least one component (e.g. [warranty.components.main_unit] \
                 period = \"1 year\") or opt into a statutory rule set",
            ));
        }
        let base = Scope::finish(
            policy_id,
            start.clone(),
            components.clone(),
            spec.default_component.as_deref(),
            "warranty".into(),
        )?;
        let mut categories = BTreeMap::new();
        for (category, category_spec) in &spec.categories {
            let scope = compile_category(
                policy_id,
                spec,
                category,
                category_spec,
                &start,
                default_end.as_ref(),
            )?;
            categories.insert(category.clone(), scope);
        }
        let exclusions = compile_exclusions(policy_id, spec)?;
        let extension = spec
            .extension
            .as_ref()
            .filter(|e| e.out_of_service)
            .map(|e| Extension {
                partial_day: e.partial_day,
                sanbao: false,
            });
        let replacement = Replacement::compile(policy_id, spec.replacement.as_ref())?;
        let replaced_parts = spec
            .replaced_parts
            .as_ref()
            .map(|p| parts::ReplacedParts::compile(policy_id, p))
            .transpose()?;
        let statutory = statutory::compile(policy_id, spec)?;
        Ok(Warranty {
            counting,
            base,
            categories,
            exclusions,
            extension,
            replacement,
            replaced_parts,
            statutory,
            rule: spec.rule.clone(),
        })
    }

    /// The `[warranty] rule` hook, if the policy has one.
    pub(crate) fn rule(&self) -> Option<&str> {
        self.rule.as_deref()
    }

    /// The names of the statutory rule sets the policy opted into, in its
    /// order.
    #[cfg(test)]
    pub(crate) fn statutory_names(&self) -> Vec<&str> {
        self.statutory.iter().map(RuleSet::name).collect()
    }

    /// The warranty decision for a ticket, evaluated on `today` (the local
    /// date of the evaluation's `as_of`). The claim date is the date of the
    /// ticket's `opened_at`, or `today` when that is earlier. Never panics.
    pub fn decide(&self, ticket: &Ticket, today: NaiveDate) -> WarrantyDecision {
        let opened_on = crate::ticket::local_date(&ticket.opened_at);
        let (claimed_on, claimed_at) = if opened_on <= today {
            (opened_on, Some(ticket.opened_at))
        } else {
            (today, None)
        };
        self.decide_claim(ticket, today, claimed_on, claimed_at)
    }

    fn decide_claim(
        &self,
        ticket: &Ticket,
        today: NaiveDate,
        claimed_on: NaiveDate,
        claimed_at: Option<DateTime<FixedOffset>>,
    ) -> WarrantyDecision {
        let Some(product) = ticket.product.as_ref() else {
            return WarrantyDecision::not_applicable(crate::reason!(WarrantyNoProduct));
        };
        let mut because: Vec<crate::reason::Reason> = Vec::new();
        let scope = self.scope(product, &mut because);
        let sanbao = self.statutory.iter().find_map(|r| match r {
            RuleSet::Sanbao(s) if s.lists(product.category.as_deref()) => Some(s),
            _ => None,
        });
        let contract = self.contract(ticket, product, scope, sanbao.is_some(), claimed_on);
        because.extend(contract.because);

        let claim = Claim {
            ticket,
            product,
            today,
            claimed_on,
            claimed_at,
            counting: &self.counting,
        };
        let best = self.strongest_statutory(&claim, &contract.view, &mut because);
        let (status, mut remedy) = outrank(contract.status, contract.remedy, best, &mut because);
        answer_no_fault_request(ticket, status, &mut remedy, &mut because);
        let default_component = scope
            .default_component
            .and_then(|i| scope.components.get(i))
            .map(|c| c.name.clone());
        let mut decision = WarrantyDecision {
            status,
            starts_on: contract.starts_on,
            components: contract.components,
            default_component,
            remedy,
            replaced_parts: Vec::new(),
            because,
        };
        if let Some(parts) = &self.replaced_parts {
            let sanbao_extension = Extension {
                partial_day: Default::default(),
                sanbao: true,
            };
            let extension = self
                .extension
                .as_ref()
                .or(sanbao.is_some().then_some(&sanbao_extension));
            decision.replaced_parts =
                parts.covers(ticket, &decision, &self.counting, extension, today);
        }
        decision
    }

    /// The scope for the product's category, else the base scope.
    fn scope(&self, product: &Product, because: &mut Vec<Reason>) -> &Scope {
        match product
            .category
            .as_deref()
            .and_then(|c| self.categories.get(c.trim()).map(|s| (c, s)))
        {
            Some((category, scope)) => {
                because.push(crate::reason!(
                    WarrantyCategory,
                    category.to_string(),
                    &scope.path
                ));
                scope
            }
            None => &self.base,
        }
    }

    /// The statutory finding with the strongest remedy (kind, then
    /// deadline; the first on a tie), every rule set's lines noted.
    fn strongest_statutory(
        &self,
        claim: &Claim<'_>,
        view: &ContractView,
        because: &mut Vec<Reason>,
    ) -> Option<statutory::Finding> {
        let mut best: Option<statutory::Finding> = None;
        for rule_set in &self.statutory {
            let finding = rule_set.decide(claim, view);
            because.extend(finding.because.iter().cloned());
            let stronger = match (
                &finding.remedy,
                best.as_ref().and_then(|b| b.remedy.as_ref()),
            ) {
                (Some(_), None) => true,
                (Some(new), Some(old)) => (new.kind, new.deadline) > (old.kind, old.deadline),
                (None, _) => false,
            };
            if stronger {
                best = Some(finding);
            }
        }
        best
    }

    /// The contractual decision.
    fn contract(
        &self,
        ticket: &Ticket,
        product: &Product,
        scope: &Scope,
        sanbao: bool,
        claimed_on: NaiveDate,
    ) -> Contract {
        let sanbao_extension = Extension {
            partial_day: Default::default(),
            sanbao: true,
        };
        let extension = self
            .extension
            .as_ref()
            .or(sanbao.then_some(&sanbao_extension));
        let start = term::start(
            scope,
            product,
            &self.replacement,
            sanbao.then_some(statutory::cn_sanbao::NAME),
        );
        let matched: Vec<(&Exclusion, Reason)> = self
            .exclusions
            .iter()
            .filter_map(|e| e.matches(ticket).map(|how| (e, how)))
            .collect();
        if scope.components.is_empty() {
            return Contract::without_cover(
                WarrantyStatus::NotApplicable,
                Vec::new(),
                vec![crate::reason!(WarrantyNoComponents)],
                ContractView::default(),
            );
        }
        let start = match start {
            Ok(start) => start,
            Err(why) => return Self::without_start(ticket, scope, &matched, why),
        };

        let on = ClaimDay {
            ticket,
            product,
            start: &start,
            extension,
            claimed_on,
        };
        let judged = self.judge_components(&on, scope, &matched);
        let mut because = start.because.clone();
        let (status, remedy, view) = match &scope.claimed(ticket) {
            Claimed::Entry { index, how } => {
                because.extend(how.iter().cloned());
                match judged.get(*index) {
                    Some(entry) => claimed_entry(entry, scope, *index, start.on, &mut because),
                    None => (WarrantyStatus::NotApplicable, None, ContractView::default()),
                }
            }
            Claimed::Unlisted(name) => {
                because.push(crate::reason!(WarrantyUnlisted, name, &scope.path));
                let view = ContractView {
                    component: Some(name.clone()),
                    start: Some(start.on),
                    ..ContractView::default()
                };
                (WarrantyStatus::Excluded, None, view)
            }
            Claimed::Whole => claimed_whole(&judged, start.on, &mut because),
        };
        Contract {
            status,
            starts_on: Some(start.on),
            components: judged.into_iter().map(|j| j.cover).collect(),
            remedy,
            because,
            view,
        }
    }

    /// Each component's term and cover on `claimed_on`, with its reasons:
    /// covered within its period unless an exclusion voids it.
    fn judge_components(
        &self,
        on: &ClaimDay<'_>,
        scope: &Scope,
        matched: &[(&Exclusion, Reason)],
    ) -> Vec<Judged> {
        let ClaimDay {
            ticket,
            product,
            start,
            extension,
            claimed_on,
        } = *on;
        let mut judged = Vec::with_capacity(scope.components.len());
        for rule in &scope.components {
            let term = term::component_term(
                rule,
                start,
                ticket,
                product,
                &self.counting,
                extension,
                &self.replacement,
            );
            let mut lines = term.because;
            let excluded = matched.iter().find(|(e, _)| e.voids(&rule.name));
            let in_period = term.until.is_some_and(|u| claimed_on <= u);
            let covered = in_period && excluded.is_none();
            let exclusion = excluded.map(|(e, how)| e.explain(how));
            match (&exclusion, term.until) {
                (Some(exclusion), _) => lines.push(not_covered(&rule.label, exclusion)),
                (None, Some(until)) if in_period => lines.push(if claimed_on < start.on {
                    crate::reason!(
                        WarrantyCoveredBeforeStart,
                        &rule.label,
                        claimed_on,
                        start.on,
                        until
                    )
                } else {
                    crate::reason!(WarrantyCovered, &rule.label, claimed_on, until)
                }),
                (None, Some(until)) => lines.push(crate::reason!(
                    WarrantyExpired,
                    &rule.label,
                    until,
                    claimed_on
                )),
                (None, None) => {}
            }
            judged.push(Judged {
                cover: ComponentCover {
                    component: rule.name.clone(),
                    covered,
                    until: term.until,
                    starts_on: term.starts_on,
                    includes: rule.includes.clone(),
                    because: lines,
                },
                in_period,
                exclusion,
                no_start: term.no_start,
            });
        }
        judged
    }
}

/// What every component is judged against: the ticket and its product,
/// the start of the warranty, its extension, the claim date.
#[derive(Clone, Copy)]
struct ClaimDay<'a> {
    /// The ticket.
    ticket: &'a Ticket,
    /// Its product.
    product: &'a Product,
    /// The start of the warranty, with its reasons.
    start: &'a term::Start,
    /// The extension of terms, when the policy (or `cn-sanbao`) has one.
    extension: Option<&'a Extension>,
    /// The date of the claim.
    claimed_on: NaiveDate,
}

/// One component judged on the claim date.
struct Judged {
    /// Its cover, with its reasons.
    cover: ComponentCover,
    /// Whether the claim date falls within its period.
    in_period: bool,
    /// Why an exclusion voids it, when one does.
    exclusion: Option<Reason>,
    /// Whether its period has no start date to count from.
    no_start: bool,
}

/// The decision for a claim on one listed component (`index` in the
/// scope): its status, a free repair while it is covered, and what the
/// statutory rules see.
fn claimed_entry(
    entry: &Judged,
    scope: &Scope,
    index: usize,
    start: NaiveDate,
    because: &mut Vec<Reason>,
) -> (WarrantyStatus, Option<Remedy>, ContractView) {
    let cover = &entry.cover;
    because.extend(cover.because.iter().cloned());
    let status = if entry.exclusion.is_some() {
        WarrantyStatus::Excluded
    } else if entry.no_start {
        WarrantyStatus::NotApplicable
    } else if cover.until.is_none() {
        WarrantyStatus::Excluded
    } else if cover.covered {
        WarrantyStatus::InWarranty
    } else {
        WarrantyStatus::Expired
    };
    let remedy = cover.covered.then(|| Remedy {
        kind: RemedyKind::Repair,
        rule: "warranty".to_string(),
        basis: scope
            .components
            .get(index)
            .map(|c| c.basis.clone())
            .unwrap_or_default(),
        deadline: cover.until,
        choices: Vec::new(),
    });
    let view = ContractView {
        component: Some(cover.component.clone()),
        start: Some(start),
        until: cover.until,
        in_period: entry.in_period,
        excluded_by: entry.exclusion.clone(),
    };
    (status, remedy, view)
}

/// The decision for a claim on the whole product: covered while any
/// component is (the longest cover gives the deadline), else excluded
/// (an exclusion within the period), expired, or not applicable.
fn claimed_whole(
    judged: &[Judged],
    start: NaiveDate,
    because: &mut Vec<Reason>,
) -> (WarrantyStatus, Option<Remedy>, ContractView) {
    because.push(crate::reason!(WarrantyWhole));
    let covered = judged
        .iter()
        .filter(|j| j.cover.covered)
        .max_by_key(|j| j.cover.until);
    let in_period = judged.iter().any(|j| j.in_period);
    let excluded = judged.iter().find_map(|j| j.exclusion.clone());
    for entry in judged {
        because.extend(entry.cover.because.iter().cloned());
    }
    match covered {
        Some(entry) => (
            WarrantyStatus::InWarranty,
            Some(Remedy {
                kind: RemedyKind::Repair,
                rule: "warranty".to_string(),
                basis: "warranty.components: free repair within the warranty".to_string(),
                deadline: entry.cover.until,
                choices: Vec::new(),
            }),
            ContractView {
                component: None,
                start: Some(start),
                until: entry.cover.until,
                in_period: true,
                excluded_by: None,
            },
        ),
        None => (
            if excluded.is_some() && in_period {
                WarrantyStatus::Excluded
            } else if judged.is_empty() {
                WarrantyStatus::NotApplicable
            } else {
                WarrantyStatus::Expired
            },
            None,
            ContractView {
                component: None,
                start: Some(start),
                until: judged.iter().filter_map(|j| j.cover.until).max(),
                in_period,
                excluded_by: excluded,
            },
        ),
    }
}

impl Warranty {
    /// The contractual decision when no start date is known: nothing is
    /// covered, but an exclusion still decides (`excluded`), since it
    /// does not depend on dates.
    fn without_start(
        ticket: &Ticket,
        scope: &Scope,
        matched: &[(&Exclusion, Reason)],
        why: Reason,
    ) -> Contract {
        let voiding = |name: &str| {
            matched
                .iter()
                .find(|(e, _)| e.voids(name))
                .map(|(e, how)| e.explain(how))
        };
        let components = scope
            .components
            .iter()
            .map(|c| ComponentCover {
                component: c.name.clone(),
                covered: false,
                until: None,
                starts_on: None,
                includes: c.includes.clone(),
                because: std::iter::once(crate::reason!(
                    WarrantyComponentNote,
                    &c.label,
                    why.clone()
                ))
                .chain(voiding(&c.name).map(|e| not_covered(&c.label, &e)))
                .collect(),
            })
            .collect();
        let mut because: Vec<Reason> = vec![why];
        let (status, view) = match scope.claimed(ticket) {
            Claimed::Entry { index, how } => {
                if let Some(how) = how {
                    because.push(how);
                }
                let name = scope.components.get(index).map(|c| c.name.clone());
                let excluded_by = name.as_deref().and_then(voiding);
                let status = match &excluded_by {
                    Some(exclusion) => {
                        because.push(crate::reason!(WarrantyExcluded, exclusion.clone()));
                        WarrantyStatus::Excluded
                    }
                    None => WarrantyStatus::NotApplicable,
                };
                let view = ContractView {
                    component: name,
                    excluded_by,
                    ..ContractView::default()
                };
                (status, view)
            }
            Claimed::Unlisted(name) => {
                because.push(crate::reason!(WarrantyUnlisted, name, &scope.path));
                (WarrantyStatus::Excluded, ContractView::default())
            }
            Claimed::Whole => {
                let excluded_by = matched
                    .iter()
                    .find(|(e, _)| e.components.is_empty())
                    .map(|(e, how)| e.explain(how));
                let status = match &excluded_by {
                    Some(exclusion) => {
                        because.push(crate::reason!(WarrantyExcluded, exclusion.clone()));
                        WarrantyStatus::Excluded
                    }
                    None => WarrantyStatus::NotApplicable,
                };
                (
                    status,
                    ContractView {
                        excluded_by,
                        ..ContractView::default()
                    },
                )
            }
        };
        Contract::without_cover(status, components, because, view)
    }
}

/// The contractual part of a decision.
struct Contract {
    status: WarrantyStatus,
    starts_on: Option<NaiveDate>,
    components: Vec<ComponentCover>,
    remedy: Option<Remedy>,
    because: Vec<crate::reason::Reason>,
    view: ContractView,
}

impl Contract {
    /// A contractual decision that covers nothing.
    fn without_cover(
        status: WarrantyStatus,
        components: Vec<ComponentCover>,
        because: Vec<crate::reason::Reason>,
        view: ContractView,
    ) -> Contract {
        Contract {
            status,
            starts_on: None,
            components,
            remedy: None,
            because,
            view,
        }
    }
}

fn kind_words(kind: RemedyKind) -> Term {
    match kind {
        RemedyKind::Repair => Term::Repair,
        RemedyKind::Exchange => Term::Exchange,
        RemedyKind::Return => Term::Return,
    }
}

fn status_words(status: WarrantyStatus) -> Term {
    match status {
        WarrantyStatus::InWarranty => Term::StatusInWarranty,
        WarrantyStatus::Expired => Term::StatusExpired,
        WarrantyStatus::Excluded => Term::StatusExcluded,
        WarrantyStatus::StatutoryReturn => Term::StatutoryReturn,
        WarrantyStatus::StatutoryExchange => Term::StatutoryExchange,
        WarrantyStatus::NotApplicable => Term::StatusNone,
    }
}

/// The status and remedy once a statutory remedy that outranks the
/// contract's has taken its place, with the status line.
fn outrank(
    contract_status: WarrantyStatus,
    contract_remedy: Option<Remedy>,
    best: Option<statutory::Finding>,
    because: &mut Vec<Reason>,
) -> (WarrantyStatus, Option<Remedy>) {
    let contract_kind = contract_remedy.as_ref().map(|r| r.kind);
    let Some(statutory_remedy) = best
        .and_then(|b| b.remedy)
        .filter(|r| Some(r.kind) > contract_kind)
    else {
        because.push(status_line(contract_status, contract_remedy.as_ref()));
        return (contract_status, contract_remedy);
    };
    let status = match statutory_remedy.kind {
        RemedyKind::Return => WarrantyStatus::StatutoryReturn,
        RemedyKind::Exchange => WarrantyStatus::StatutoryExchange,
        RemedyKind::Repair => WarrantyStatus::InWarranty,
    };
    because.push(crate::reason!(
        WarrantyOutranks,
        status_words(status),
        kind_words(statutory_remedy.kind),
        &statutory_remedy.rule,
        match contract_kind {
            Some(kind) => crate::reason!(WarrantyContractualRemedy, kind_words(kind)),
            None => crate::reason!(WarrantyContractualStatus, contract_status.as_str()),
        },
        statutory_remedy
            .deadline
            .map(|d| crate::reason!(WarrantyWindowOpen, d))
    ));
    (status, Some(statutory_remedy))
}

/// A return or exchange asked for without a fault (a change of mind) is
/// answered with what was asked: a statutory return when one is owed, else
/// no remedy. The free repair is for a fault, which the ticket does not
/// report, so it replaces the status line.
fn answer_no_fault_request(
    ticket: &Ticket,
    status: WarrantyStatus,
    remedy: &mut Option<Remedy>,
    because: &mut Vec<Reason>,
) {
    let Some(kind) = statutory::no_fault_request(ticket) else {
        return;
    };
    let Some(repair) = remedy.take_if(|r| r.kind == RemedyKind::Repair) else {
        return;
    };
    because.pop();
    because.push(crate::reason!(
        WarrantyNoFaultRequest,
        if kind == "return" {
            "return"
        } else {
            "exchange"
        },
        if kind == "return" {
            Term::Return
        } else {
            Term::Exchange
        },
        status_words(status),
        &repair.rule,
        repair.deadline.map(|d| crate::reason!(WarrantyUntil, d))
    ));
}

/// Compiles the `[[warranty.exclusions]]`, each naming only components the
/// policy or one of its categories defines.
fn compile_exclusions(policy_id: &str, spec: &WarrantySpec) -> Result<Vec<Exclusion>> {
    let known = |name: &str| {
        spec.components.contains_key(name)
            || spec
                .categories
                .values()
                .any(|c| c.components.contains_key(name))
    };
    spec.exclusions
        .iter()
        .enumerate()
        .map(|(i, e)| Exclusion::compile(policy_id, i, e, &known))
        .collect()
}

/// Compiles one `[warranty.categories.*]` table into its scope: the
/// policy's components with the category's own replacing them, under the
/// category's start and end bound (else the policy's).
fn compile_category(
    policy_id: &str,
    spec: &WarrantySpec,
    category: &str,
    category_spec: &spec::CategorySpec,
    start: &StartRule,
    default_end: Option<&term::DateRule>,
) -> Result<Scope> {
    let path = format!("warranty.categories.{category}");
    if category.trim().is_empty() {
        return Err(Error::policy(policy_id, path, "a category needs a name"));
    }
    let category_start = match &category_spec.start {
        Some(s) => StartRule::compile(policy_id, s, &format!("{path}.start"))?,
        None => start.clone(),
    };
    let category_end = match &category_spec.ends_no_later_than {
        Some(end) => Some(term::DateRule::compile(
            policy_id,
            end,
            format!("{path}.ends_no_later_than"),
        )?),
        None => default_end.cloned(),
    };
    let mut merged = BTreeMap::new();
    for (name, component) in &spec.components {
        if category_spec.components.contains_key(name) {
            continue;
        }
        merged.insert(
            name.clone(),
            ComponentRule::compile(
                policy_id,
                name,
                component,
                format!("warranty.components.{name}"),
                category_end.as_ref(),
            )?,
        );
    }
    for (name, component) in &category_spec.components {
        merged.insert(
            name.clone(),
            ComponentRule::compile(
                policy_id,
                name,
                component,
                format!("{path}.components.{name}"),
                category_end.as_ref(),
            )?,
        );
    }
    Scope::finish(
        policy_id,
        category_start,
        merged,
        spec.default_component.as_deref(),
        path,
    )
}

/// The status line: `in warranty: free repair under warranty, to be
/// claimed by 2027-03-01`, or the status alone.
fn status_line(status: WarrantyStatus, remedy: Option<&Remedy>) -> Reason {
    match remedy {
        Some(r) => crate::reason!(
            WarrantyStatusRemedy,
            status_words(status),
            match r.kind {
                RemedyKind::Repair => Term::FreeRepair,
                RemedyKind::Exchange => Term::Exchange,
                RemedyKind::Return => Term::Return,
            },
            &r.rule,
            r.deadline.map(|d| crate::reason!(WarrantyClaimBy, d))
        ),
        None => crate::reason!(WarrantyStatus, status_words(status)),
    }
}

/// `battery: not covered: excluded: …`.
fn not_covered(component: &std::sync::Arc<str>, exclusion: &Reason) -> Reason {
    crate::reason!(
        WarrantyNotCovered,
        component,
        crate::reason!(WarrantyExcluded, exclusion.clone())
    )
}

#[cfg(test)]
const _: () = {
    const fn assert_shareable<T: Send + Sync + Clone + std::fmt::Debug>() {}
    assert_shareable::<Warranty>();
};
