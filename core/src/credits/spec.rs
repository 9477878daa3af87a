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
//! `percent_of_contract_fee`, `per_started_hour`, `per_started_day`,
//! `percent_of_contract_fee_per_started_hour`,
//! `percent_of_contract_fee_per_started_day`; or a Rhai function named by
//! `rule` (run by the policy engine) instead.
//!
//! An entry applies to a ticket when every filter given holds: `tiers`,
//! `plans`, `warranty` (the warranty decision's status, or `covered`) and
//! `when` (a Rhai condition over `ticket` and `warranty`). `[credit_caps]`
//! caps the sum of all entries per ticket and per incident.

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
    /// A percentage of the contract fee per started hour late (at least
    /// one hour per breach).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent_of_contract_fee_per_started_hour: Option<Number>,
    /// A percentage of the contract fee per started day late (24 hours of
    /// counted time; at least one day per breach).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent_of_contract_fee_per_started_day: Option<Number>,
    /// A Rhai function that returns the amount of the credit instead of the
    /// fields above; the caps still apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The most one ticket earns from this entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap_per_ticket: Option<Money>,
    /// The most one ticket earns from this entry, as a percentage of the
    /// contract fee; with `cap_per_ticket` too, the lower cap applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap_per_ticket_percent_of_contract_fee: Option<Number>,
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
    /// Only tickets whose warranty decision has one of these statuses earn
    /// it (`in_warranty`, `expired`, `excluded`, `statutory_return`,
    /// `statutory_exchange`, `not_applicable`, or `covered` for the first,
    /// fourth and fifth); one status or a list (default: all).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "one_or_many"
    )]
    #[schemars(with = "OneOrMany")]
    pub warranty: Vec<String>,
    /// A Rhai condition over `ticket` and `warranty` (the decision map):
    /// the entry applies only when it gives `true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
}

/// The schema of a field that takes one word or a list of them.
#[derive(schemars::JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    struct Visitor;
    impl<'de> serde::de::Visitor<'de> for Visitor {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a warranty status such as \"covered\", or a list of them")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Vec<String>, E> {
            Ok(vec![v.to_string()])
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Vec<String>, A::Error> {
            let mut out = Vec::new();
            while let Some(item) = seq.next_element::<String>()? {
                out.push(item);
            }
            Ok(out)
        }
    }
    deserializer.deserialize_any(Visitor)
}

/// `[credit_caps]`: caps over all `[[credits]]` entries together.
///
/// ```toml
/// [credit_caps]
/// per_ticket = "300.00"                         # all entries of one ticket
/// per_ticket_percent_of_contract_fee = "25"     # the lower of the two applies
/// per_incident = "800.00"                       # all tickets of one incident
/// incident_attribute = "incident"               # ticket.attributes.incident (the default)
/// ```
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditCapsSpec {
    /// The most all entries together pay for one ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_ticket: Option<Money>,
    /// The same, as a percentage of the ticket's contract fee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_ticket_percent_of_contract_fee: Option<Number>,
    /// The most all entries together pay for the tickets of one incident,
    /// taken in input order (a portfolio or batch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_incident: Option<Money>,
    /// The same, as a percentage of the contract fee of the ticket capped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_incident_percent_of_contract_fee: Option<Number>,
    /// The key of `ticket.attributes` holding the incident id (default
    /// `incident`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident_attribute: Option<String>,
    /// The contract fee for the percentages when the ticket carries none
    /// in `attributes.contract_fee`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_fee: Option<Money>,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    /// The cap as a percentage of the contract fee of the ticket capped
    /// (instead of `amount`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent_of_contract_fee: Option<Number>,
    /// `month`, `quarter`, `year` on local dates, or `plan_year`: the year
    /// from the anniversary of `ticket.attributes.contract_start`.
    pub period: Period,
    /// A key of `ticket.attributes` holding what this entry already paid
    /// in the ticket's period before the tickets at hand (a decimal string):
    /// it is taken off what the cap leaves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_attribute: Option<String>,
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
    /// A plan year: from the contract start date
    /// (`ticket.attributes.contract_start`, `YYYY-MM-DD`) to the day before
    /// its next anniversary; a 29 February start has its anniversary on
    /// 28 February in other years.
    PlanYear,
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
