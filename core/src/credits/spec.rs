//! The TOML form of a breach credit, one `[[credits]]` entry.
//!
//! ```toml
//! [[credits]]
//! metric = "resolve"                    # the [[targets]] metric
//! kind = "service_credit"               # service_credit | compensation
//! fixed = "50.00"                       # per breach
//! per_started_hour = "20.00"            # per started hour late (counted time)
//! cap_per_ticket = "200.00"
//! cap_per_period = { amount = "500.00", period = "month" }   # per customer
//!
//! [[credits]]
//! metric = "contact"
//! kind = "compensation"
//! percent_of_contract_fee = "5"         # of ticket.attributes.contract_fee
//! contract_fee = "1200.00"              # when the ticket carries none
//! tiers = ["vip"]                       # only for these tiers
//! ```
//!
//! The amount of one breach is the sum of the parts given: `fixed`,
//! `percent_of_contract_fee`, `per_started_hour`, `per_started_day`; or a
//! Rhai function named by `rule` (run by the policy engine) instead.

use crate::fees::Number;
use crate::money::{Money, Rounding};
use serde::{Deserialize, Serialize};

/// One `[[credits]]` entry: what a breach of one metric costs.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditSpec {
    /// The metric whose breach earns the credit.
    pub metric: String,
    /// Who receives it.
    pub kind: CreditKind,
    /// A fixed amount per breach.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<Money>,
    /// A percentage of the contract fee per breach; the fee is the ticket's
    /// `attributes.contract_fee` (a decimal string), else `contract_fee`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent_of_contract_fee: Option<Number>,
    /// The contract fee when the ticket carries none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_fee: Option<Money>,
    /// An amount per started hour late (at least one hour per breach).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_started_hour: Option<Money>,
    /// An amount per started day late, a day being 24 hours of the
    /// metric's counted time (at least one day per breach).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_started_day: Option<Money>,
    /// A Rhai function that returns the amount of the credit instead of the
    /// fields above; the caps still apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The most one ticket earns from this entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap_per_ticket: Option<Money>,
    /// The most this entry pays per calendar period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap_per_period: Option<PeriodCapSpec>,
    /// How the amount is rounded to the currency's minor unit (default `half-up`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounding: Option<Rounding>,
    /// Only tickets of these customer tiers earn the credit (default: all).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<String>,
    /// Only tickets of customers holding these plans earn it (default: all).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plans: Vec<String>,
}

/// Who a credit is paid to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CreditKind {
    /// A service credit to the contract holder (against the next invoice).
    ServiceCredit,
    /// Compensation paid to the customer.
    Compensation,
}

impl CreditKind {
    /// `service_credit` or `compensation`.
    pub fn as_str(self) -> &'static str {
        match self {
            CreditKind::ServiceCredit => "service_credit",
            CreditKind::Compensation => "compensation",
        }
    }
}

impl std::fmt::Display for CreditKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `cap_per_period`: the most an entry pays per calendar period.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PeriodCapSpec {
    /// The cap.
    pub amount: Money,
    /// `month`, `quarter` or `year`, on local dates.
    pub period: Period,
    /// Whose credits add up: each `customer`'s (the default) or the whole `policy`'s.
    #[serde(default)]
    pub per: CapScope,
    /// The time zone of the period boundaries (default: the policy's zone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
}

/// A calendar period of a cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// A calendar month.
    Month,
    /// A calendar quarter (January–March, …).
    Quarter,
    /// A calendar year.
    Year,
}

/// Whose credits a period cap adds up.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CapScope {
    /// Each customer's (`customer.id`) credits separately.
    #[default]
    Customer,
    /// All the policy's credits together.
    Policy,
}
