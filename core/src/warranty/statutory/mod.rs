//! Statutory remedies: built-in rule sets a policy opts into by name with
//! `statutory = ["cn-sanbao", "cn-7day-return"]` in `[warranty]`, each in
//! its own file with its legal source:
//!
//! - [`cn_7day_return`]: return without reason of goods bought online, by
//!   phone, TV or mail (Consumer Protection Law of the PRC art. 25; SAMR
//!   Measures for the 7-day no-reason return of online purchases, 2017,
//!   revised 2020);
//! - [`cn_sanbao`]: the "three guarantees" — repair, exchange, return — of
//!   listed products (《部分商品修理更换退货责任规定》 1995, and the 2001
//!   mobile phone and microcomputer rules as commonly applied).
//!
//! How they combine with the contractual warranty: every rule set that
//! applies proposes a remedy; the strongest one (return over exchange over
//! repair; on a tie, the later claim deadline, then the order in
//! `statutory`) replaces the contractual remedy when it is stronger, and
//! the status becomes `statutory_return` or `statutory_exchange`. The
//! components are still listed with their contractual cover. A rule set
//! that does not apply says why in `because`.

pub mod cn_7day_return;
pub mod cn_sanbao;

use super::counting::Counting;
use super::decision::Remedy;
use crate::error::{Error, Result};
use crate::ticket::{Product, Ticket};
use chrono::{DateTime, FixedOffset, NaiveDate};

/// The names of the built-in rule sets, as `statutory = [...]` spells them.
pub const RULE_SET_NAMES: [&str; 2] = [cn_7day_return::NAME, cn_sanbao::NAME];

/// One opted-in rule set, compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RuleSet {
    /// `cn-7day-return`.
    SevenDayReturn(cn_7day_return::SevenDayReturn),
    /// `cn-sanbao`.
    Sanbao(cn_sanbao::Sanbao),
}

impl RuleSet {
    /// The name the policy opted in with.
    pub fn name(&self) -> &'static str {
        match self {
            RuleSet::SevenDayReturn(_) => cn_7day_return::NAME,
            RuleSet::Sanbao(_) => cn_sanbao::NAME,
        }
    }

    /// What this rule set finds for a claim.
    pub fn decide(&self, claim: &Claim<'_>, contract: &ContractView) -> Finding {
        match self {
            RuleSet::SevenDayReturn(rules) => rules.decide(claim),
            RuleSet::Sanbao(rules) => rules.decide(claim, contract),
        }
    }
}

/// Compiles `statutory = [...]` with the rule sets' settings tables.
pub(crate) fn compile(policy_id: &str, spec: &super::spec::WarrantySpec) -> Result<Vec<RuleSet>> {
    let mut rule_sets: Vec<RuleSet> = Vec::new();
    for (i, name) in spec.statutory.iter().enumerate() {
        let path = format!("warranty.statutory[{i}]");
        if rule_sets.iter().any(|r| r.name() == name.as_str()) {
            return Err(Error::policy(
                policy_id,
                path,
                format!("`{name}` is listed twice"),
            ));
        }
        let rule_set = match name.as_str() {
            cn_7day_return::NAME => RuleSet::SevenDayReturn(
                cn_7day_return::SevenDayReturn::compile(policy_id, spec.cn_7day_return.as_ref())?,
            ),
            cn_sanbao::NAME => RuleSet::Sanbao(cn_sanbao::Sanbao::compile(
                policy_id,
                spec.cn_sanbao.as_ref(),
            )?),
            other => {
                return Err(Error::policy(
                    policy_id,
                    path,
                    format!(
                        "unknown statutory rule set `{other}`; known: {}",
                        RULE_SET_NAMES.join(", ")
                    ),
                ))
            }
        };
        rule_sets.push(rule_set);
    }
    let opted = |name: &str| spec.statutory.iter().any(|n| n == name);
    if spec.cn_7day_return.is_some() && !opted(cn_7day_return::NAME) {
        return Err(Error::policy(
            policy_id,
            "warranty.cn_7day_return",
            "settings for `cn-7day-return`, but it is not in warranty.statutory",
        ));
    }
    if spec.cn_sanbao.is_some() && !opted(cn_sanbao::NAME) {
        return Err(Error::policy(
            policy_id,
            "warranty.cn_sanbao",
            "settings for `cn-sanbao`, but it is not in warranty.statutory",
        ));
    }
    Ok(rule_sets)
}

/// The claim a ticket makes, as the rule sets see it.
#[derive(Debug, Clone)]
pub(crate) struct Claim<'a> {
    pub ticket: &'a Ticket,
    pub product: &'a Product,
    /// The evaluation's local date.
    pub today: NaiveDate,
    /// The day the customer claimed (the ticket's opening date).
    pub claimed_on: NaiveDate,
    /// The instant of the claim, when known.
    pub claimed_at: Option<DateTime<FixedOffset>>,
    pub counting: &'a Counting,
}

impl Claim<'_> {
    /// Whether the ticket is the repair of a fault: it reports a fault
    /// (`fault` with a code, component or cause, or marked as a performance
    /// fault) and its `kind` is `repair` or not given. Waits "in repair" are
    /// counted only for such tickets.
    pub fn is_fault_repair(&self) -> bool {
        reports_fault(self.ticket)
            && self
                .ticket
                .kind
                .as_deref()
                .is_none_or(|k| k.trim() == "repair")
    }
}

/// Whether a ticket reports a fault: `fault` with a code, a component or a
/// cause, or marked as a performance fault.
pub(crate) fn reports_fault(ticket: &Ticket) -> bool {
    let given = |field: &Option<String>| field.as_deref().is_some_and(|s| !s.trim().is_empty());
    ticket.fault.as_ref().is_some_and(|f| {
        given(&f.code) || given(&f.component) || given(&f.cause) || f.performance == Some(true)
    })
}

/// The request of a ticket that reports no fault and asks for a return or
/// an exchange (`kind` is `return` or `exchange`): a change of mind, not a
/// claim under the warranty.
pub(crate) fn no_fault_request(ticket: &Ticket) -> Option<&str> {
    if reports_fault(ticket) {
        return None;
    }
    ticket
        .kind
        .as_deref()
        .map(str::trim)
        .filter(|k| *k == "return" || *k == "exchange")
}

/// What the contractual warranty found for the ticket's fault, as the
/// statutory rule sets need it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ContractView {
    /// The component entry judging the fault.
    pub component: Option<String>,
    /// The start of the period.
    pub start: Option<NaiveDate>,
    /// The last day of the judging component's period.
    pub until: Option<NaiveDate>,
    /// Whether that component's period covers the claim date (exclusions aside).
    pub in_period: bool,
    /// The exclusion that takes cover away.
    pub excluded_by: Option<crate::reason::Reason>,
}

/// What one rule set found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Finding {
    /// The remedy it grants, if any.
    pub remedy: Option<Remedy>,
    /// Why, in words.
    pub because: Vec<crate::reason::Reason>,
}

impl Finding {
    /// A finding with no remedy and one reason.
    pub fn none(because: crate::reason::Reason) -> Finding {
        Finding {
            remedy: None,
            because: vec![because],
        }
    }
}
