//! Exclusions: fault causes the warranty does not cover, matched with the
//! ticket's `fault.cause` (and, for `no_proof_of_purchase`, with
//! `product.proof_of_purchase = false`).

use super::spec::ExclusionSpec;
use crate::error::{Error, Result};
use crate::ticket::Ticket;

/// The cause code that also matches a ticket without proof of purchase.
pub(crate) const NO_PROOF_OF_PURCHASE: &str = "no_proof_of_purchase";

/// One exclusion, compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Exclusion {
    pub cause: String,
    pub description: String,
    /// Component entries that lose cover; all when empty.
    pub components: Vec<String>,
    /// `warranty.exclusions[N]`.
    pub path: String,
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
            .unwrap_or_else(|| default_description(cause));
        Ok(Exclusion {
            cause: cause.to_string(),
            description,
            components: spec.components.clone(),
            path,
        })
    }

    /// How this exclusion matches the ticket, in words; `None` when it
    /// does not.
    pub fn matches(&self, ticket: &Ticket) -> Option<String> {
        let cause = ticket
            .fault
            .as_ref()
            .and_then(|f| f.cause.as_deref())
            .map(str::trim);
        if cause == Some(self.cause.as_str()) {
            return Some(format!("fault.cause `{}`", self.cause));
        }
        let no_proof = ticket.product.as_ref().and_then(|p| p.proof_of_purchase) == Some(false);
        if self.cause == NO_PROOF_OF_PURCHASE && no_proof {
            return Some("product.proof_of_purchase = false".to_string());
        }
        None
    }

    /// Whether this exclusion takes cover away from a component entry.
    pub fn voids(&self, component: &str) -> bool {
        self.components.is_empty() || self.components.iter().any(|c| c == component)
    }

    /// The `because` line of a match.
    pub fn explain(&self, how: &str) -> String {
        format!("excluded: {} ({how}, {})", self.description, self.path)
    }
}

/// Words for the common cause codes.
fn default_description(cause: &str) -> String {
    match cause {
        "misuse" => "misuse: damage from use, care or storage contrary to the instructions".into(),
        "water_damage" => "water or liquid damage".into(),
        "freezing" => "frost damage".into(),
        "broken_seal" => "the warranty seal is broken".into(),
        "unauthorised_repair" | "unauthorized_repair" => {
            "opened or repaired by someone not authorised to".into()
        }
        NO_PROOF_OF_PURCHASE => "no proof of purchase".into(),
        "force_majeure" => "force majeure (fire, flood, lightning, earthquake …)".into(),
        "accident" => "accidental damage (drop, impact)".into(),
        "normal_wear" => "normal wear and tear".into(),
        "cosmetic" => "cosmetic damage that does not affect function".into(),
        other => other.replace('_', " "),
    }
}
