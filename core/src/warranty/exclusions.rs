//! Exclusions: fault causes the warranty does not cover, matched with the
//! ticket's `fault.cause` (and, for `no_proof_of_purchase`, with
//! `product.proof_of_purchase = false`).

use super::spec::ExclusionSpec;
use crate::error::{Error, Result};
use crate::reason::{Arg, Code, Reason, Term};
use crate::ticket::Ticket;
use std::sync::Arc;

/// The cause code that also matches a ticket without proof of purchase.
pub(crate) const NO_PROOF_OF_PURCHASE: &str = "no_proof_of_purchase";

/// One exclusion, compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Exclusion {
    pub cause: Arc<str>,
    /// The policy's words, or the engine's (translated) for a common cause.
    pub description: Arg,
    /// Component entries that lose cover; all when empty.
    pub components: Vec<String>,
    /// `warranty.exclusions[N]`.
    pub path: Arc<str>,
}

impl Exclusion {
    /// Compiles `[[warranty.exclusions]]` entry `index`; `known` tells
    /// whether a component name exists anywhere in the policy.
    pub fn compile(
        policy_id: &str,
        index: usize,
        spec: &ExclusionSpec,
        known: &dyn Fn(&str) -> bool,
    ) -> Result<Exclusion> {
        let path = format!("warranty.exclusions[{index}]");
        let cause = spec.cause.trim();
        if cause.is_empty() {
            return Err(Error::policy(
                policy_id,
                format!("{path}.cause"),
                "name the cause code, e.g. cause = \"water_damage\"",
            ));
        }
        for (i, component) in spec.components.iter().enumerate() {
            if !known(component) {
                return Err(Error::policy(
                    policy_id,
                    format!("{path}.components[{i}]"),
                    format!("`{component}` is not a component in warranty.components"),
                ));
            }
        }
        let description = spec
            .description
            .clone()
            .filter(|d| !d.trim().is_empty())
            .map(Arg::from)
            .unwrap_or_else(|| default_description(cause));
        Ok(Exclusion {
            cause: cause.into(),
            description,
            components: spec.components.clone(),
            path: path.into(),
        })
    }

    /// How this exclusion matches the ticket, in words; `None` when it
    /// does not.
    pub fn matches(&self, ticket: &Ticket) -> Option<Reason> {
        let cause = ticket
            .fault
            .as_ref()
            .and_then(|f| f.cause.as_deref())
            .map(str::trim);
        if cause == Some(&*self.cause) {
            return Some(crate::reason!(WarrantyExclusionCause, &self.cause));
        }
        let no_proof = ticket.product.as_ref().and_then(|p| p.proof_of_purchase) == Some(false);
        if &*self.cause == NO_PROOF_OF_PURCHASE && no_proof {
            return Some(Reason::coded(Code::WarrantyExclusionNoProof, Vec::new()));
        }
        None
    }

    /// Whether this exclusion takes cover away from a component entry.
    pub fn voids(&self, component: &str) -> bool {
        self.components.is_empty() || self.components.iter().any(|c| c == component)
    }

    /// What excludes the fault: `water damage (fault.cause …, warranty.exclusions[0])`.
    pub fn explain(&self, how: &Reason) -> Reason {
        Reason::coded(
            Code::WarrantyExclusion,
            vec![
                self.description.clone(),
                how.clone().into(),
                Arc::clone(&self.path).into(),
            ],
        )
    }
}

/// Words for the common cause codes.
fn default_description(cause: &str) -> Arg {
    match cause {
        "misuse" => Term::CauseMisuse.into(),
        "water_damage" => Term::CauseWater.into(),
        "freezing" => Term::CauseFreezing.into(),
        "broken_seal" => Term::CauseBrokenSeal.into(),
        "unauthorised_repair" | "unauthorized_repair" => Term::CauseUnauthorisedRepair.into(),
        NO_PROOF_OF_PURCHASE => Term::CauseNoProof.into(),
        "force_majeure" => Term::CauseForceMajeure.into(),
        "accident" => Term::CauseAccident.into(),
        "normal_wear" => Term::CauseNormalWear.into(),
        "cosmetic" => Term::CauseCosmetic.into(),
        other => other.replace('_', " ").into(),
    }
}
