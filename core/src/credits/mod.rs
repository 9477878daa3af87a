//! Breach credits: what a missed promise costs the company.
//!
//! A policy's `[[credits]]` entries are read into [`CreditSpec`]s and
//! compiled into [`CreditRules`]. [`CreditRules::credits`] works out, for one
//! ticket, the credit each entry owes from the ticket's SLA results, capped
//! per entry and (`[credit_caps]`) for all entries of the ticket; the
//! portfolio then caps the credits of a stream of tickets per month,
//! quarter, year or plan year and per incident through a ledger
//! (`caps.rs`). `docs/fees.md` is the policy author's guide.

mod because;
mod caps;
mod compile;
mod hook;
mod rules;
mod spec;

pub(crate) use caps::PeriodLedger;
pub use rules::CreditRules;
pub use spec::{CreditCapsSpec, CreditSpec};

use crate::money::Money;
use serde::{Deserialize, Serialize};

/// A credit owed for a breach.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Credit {
    /// The metric whose breach earns the credit.
    pub metric: String,
    /// `service_credit` (to the contract holder) or `compensation` (to the customer).
    pub kind: String,
    /// The amount, after caps.
    pub amount: Money,
    /// ISO 4217 currency code.
    pub currency: String,
    /// How it was worked out, and which cap applied.
    pub because: Vec<crate::reason::Reason>,
    /// The `[[credits]]` entry that made it, as a TOML path (`credits[0]`);
    /// per-period caps find their entry through it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The ticket's customer (`customer.id`), whose credits a per-customer
    /// period cap adds up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
}

#[cfg(test)]
mod tests;

impl CreditRules {
    /// Whether some cap spans tickets (`cap_per_period`, `[credit_caps]
    /// per_incident`): a ticket alone is then capped as a portfolio of one,
    /// and a portfolio caps it again given the tickets before it.
    pub(crate) fn caps_across_tickets(&self) -> bool {
        self.entries.iter().any(|e| e.cap_period.is_some())
            || self.caps.per_incident.is_some()
            || self.caps.per_incident_percent.is_some()
    }
}
