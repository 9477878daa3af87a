//! The warranty part of an evaluation.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The warranty status of a ticket at `as_of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WarrantyStatus {
    /// The fault is covered by the warranty.
    InWarranty,
    /// The warranty period has ended.
    Expired,
    /// A cause excludes the fault from cover.
    Excluded,
    /// A statutory rule entitles the customer to return the goods.
    StatutoryReturn,
    /// A statutory rule entitles the customer to an exchange.
    StatutoryExchange,
    /// The policy has no warranty section, or the ticket no product.
    NotApplicable,
}

impl WarrantyStatus {
    /// The status as written in JSON: `in_warranty`, `expired`, `excluded`,
    /// `statutory_return`, `statutory_exchange`, `not_applicable`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(aftersales::WarrantyStatus::InWarranty.as_str(), "in_warranty");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            WarrantyStatus::InWarranty => "in_warranty",
            WarrantyStatus::Expired => "expired",
            WarrantyStatus::Excluded => "excluded",
            WarrantyStatus::StatutoryReturn => "statutory_return",
            WarrantyStatus::StatutoryExchange => "statutory_exchange",
            WarrantyStatus::NotApplicable => "not_applicable",
        }
    }
}

impl From<WarrantyStatus> for crate::reason::Arg {
    /// The status as a reason shows it: `in_warranty` in English and with
    /// `because: codes`, `在保` in Chinese.
    fn from(status: WarrantyStatus) -> crate::reason::Arg {
        use crate::reason::Term;
        let term = match status {
            WarrantyStatus::InWarranty => Term::InWarranty,
            WarrantyStatus::Expired => Term::Expired,
            WarrantyStatus::Excluded => Term::Excluded,
            WarrantyStatus::StatutoryReturn => Term::StatutoryReturn,
            WarrantyStatus::StatutoryExchange => Term::StatutoryExchange,
            WarrantyStatus::NotApplicable => Term::NotApplicable,
        };
        crate::reason::Arg::Value(status.as_str(), term)
    }
}

impl std::fmt::Display for WarrantyStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Cover of one component.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct ComponentCover {
    /// Component name (`main_unit`, `battery`, …).
    pub component: String,
    /// Whether the ticket's fault is covered on this component.
    pub covered: bool,
    /// The last day of cover (inclusive), when a period applies.
    #[serde(serialize_with = "crate::ticket::time_text::opt_date")]
    pub until: Option<NaiveDate>,
    /// The component's own start, when the policy gives it one (the
    /// battery from delivery); else it starts with the product
    /// (`starts_on` of the decision).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "crate::ticket::time_text::opt_date")]
    pub starts_on: Option<NaiveDate>,
    /// Other fault components this entry covers (`includes` in the policy):
    /// a fault or a part on one of them is judged by this entry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub includes: Vec<String>,
    /// Why, in words a service manager reads.
    pub because: Vec<crate::reason::Reason>,
}

/// What the customer is owed, weakest first: the order ranks remedies
/// (a return outranks an exchange, which outranks a repair).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Deserialize,
    Serialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RemedyKind {
    /// Repair free of charge.
    Repair,
    /// Exchange for a new unit.
    Exchange,
    /// Return for a refund.
    Return,
}

impl RemedyKind {
    /// The remedy as written in JSON: `repair`, `exchange`, `return`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(aftersales::RemedyKind::Exchange.as_str(), "exchange");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            RemedyKind::Repair => "repair",
            RemedyKind::Exchange => "exchange",
            RemedyKind::Return => "return",
        }
    }
}

impl std::fmt::Display for RemedyKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A remedy, with its legal or contractual basis.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Remedy {
    /// Repair, exchange or return.
    pub kind: RemedyKind,
    /// The rule that grants it (`cn-sanbao`, `warranty`, …).
    pub rule: String,
    /// The basis, e.g. the article of law.
    pub basis: String,
    /// The last day on which the customer may claim it (inclusive).
    #[serde(serialize_with = "crate::ticket::time_text::opt_date")]
    pub deadline: Option<NaiveDate>,
    /// Every remedy the customer may choose under this rule, `kind` first
    /// (`cn-sanbao` art. 9: return, exchange or repair). Empty when `kind`
    /// is the only one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<RemedyKind>,
}

/// The warranty decision of an evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct WarrantyDecision {
    /// Overall status.
    pub status: WarrantyStatus,
    /// The date the warranty started from, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "crate::ticket::time_text::opt_date")]
    pub starts_on: Option<NaiveDate>,
    /// Per component.
    pub components: Vec<ComponentCover>,
    /// The entry that judges a component no entry names or includes
    /// (`default_component` in the policy, or `main_unit`), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_component: Option<String>,
    /// The remedy owed, if any.
    pub remedy: Option<Remedy>,
    /// The parts this ticket's repair fits (`work.parts`) and until when
    /// each is covered after the repair, when the policy has
    /// `[warranty.replaced_parts]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replaced_parts: Vec<PartCover>,
    /// Why, in words a service manager reads.
    pub because: Vec<crate::reason::Reason>,
}

/// The cover of a part the repair fits, after the repair.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct PartCover {
    /// The part's SKU (`work.parts[i].sku`).
    pub sku: String,
    /// The component entry that judges the part (its own `component`, else
    /// the fault's), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    /// The day of the repair: the ticket's `resolved` event, else the
    /// evaluation date.
    #[serde(serialize_with = "crate::ticket::time_text::date")]
    pub replaced_on: NaiveDate,
    /// The part's last day of cover (inclusive), when it has any.
    #[serde(serialize_with = "crate::ticket::time_text::opt_date")]
    pub until: Option<NaiveDate>,
    /// Why, in words a service manager reads.
    pub because: Vec<crate::reason::Reason>,
}

impl crate::reason::HasReasons for WarrantyDecision {
    fn reasons_mut(&mut self) -> Vec<&mut crate::reason::Reason> {
        let components = self
            .components
            .iter_mut()
            .flat_map(|c| c.because.iter_mut());
        let parts = self
            .replaced_parts
            .iter_mut()
            .flat_map(|p| p.because.iter_mut());
        self.because
            .iter_mut()
            .chain(components)
            .chain(parts)
            .collect()
    }
}

impl WarrantyDecision {
    /// The decision when a policy has no warranty section.
    pub fn not_applicable(because: impl Into<crate::reason::Reason>) -> Self {
        WarrantyDecision {
            status: WarrantyStatus::NotApplicable,
            starts_on: None,
            components: Vec::new(),
            default_component: None,
            remedy: None,
            replaced_parts: Vec::new(),
            because: vec![because.into()],
        }
    }

    /// Whether a component (or the whole unit, when `component` is `None`)
    /// is covered. A component is judged on its own, as the warranty would
    /// judge a fault on it: by the entry of that name, else the entry that
    /// `includes` it, else the default component. The overall `status`
    /// (which the fault's component decides) does not enter into it: a
    /// part whose own component is in warranty is covered even when the
    /// fault's component has expired or is excluded.
    pub fn covers(&self, component: Option<&str>) -> bool {
        match component {
            Some(name) => self.judged_by(name).map(|c| c.covered).unwrap_or(false),
            None => self.components.iter().any(|c| c.covered),
        }
    }

    /// The entry that judges a fault component: the entry of that name, the
    /// entry that includes it, or the default component.
    pub fn judged_by(&self, component: &str) -> Option<&ComponentCover> {
        let name = component.trim();
        self.components
            .iter()
            .find(|c| c.component == name)
            .or_else(|| {
                self.components
                    .iter()
                    .find(|c| c.includes.iter().any(|i| i == name))
            })
            .or_else(|| {
                let default = self.default_component.as_deref()?;
                self.components.iter().find(|c| c.component == default)
            })
    }
}
