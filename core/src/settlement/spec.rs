//! The TOML form of a policy's `[settlement]` table: what goes back to the
//! customer when goods are returned, and the statutory payouts.
//!
//! ```toml
//! [settlement]
//! statutory = ["cn-sanbao-refund", "cn-fraud-55"]
//! rule = "settle"                       # fn settle(ticket, settlement), optional
//!
//! [settlement.tax]                      # defaults to [fees.tax]
//! percent = "13"
//! mode = "inclusive"
//!
//! [settlement.freight]                  # who bears the return shipping
//! change_of_mind = "customer"           # the default (CPL art. 25)
//! quality = "seller"                    # the default (CPL art. 24)
//!
//! [settlement.benefits]                 # gifts and coupons not given back
//! deduct = ["gift", "coupon"]           # the default
//!
//! [settlement.free_shipping]            # claw back free delivery
//! reasons = ["change_of_mind"]
//! threshold = "99.00"                   # only when what is kept falls below it
//! whole_return = false                  # the default: partial returns only
//!
//! [settlement.depreciation]
//! reasons = ["change_of_mind"]
//! from = "delivered_on"
//! free_days = 7
//! percent_per_day = "0.5"               # or percent_per_month, or schedule
//! max_percent = "30"
//!
//! [settlement.cn_sanbao_refund]
//! daily_percent = "0.1"
//! ```
//!
//! `docs/fees.md` ("Settlement") is the policy author's guide.

use crate::fees::{Number, TaxSpec};
use crate::money::Money;
use crate::warranty::spec::ProductDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The `[settlement]` table of a policy.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SettlementSpec {
    /// Statutory payout and refund rule sets the policy opts into:
    /// `"cn-fraud-55"`, `"cn-sanbao-refund"`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statutory: Vec<String>,
    /// The tax of the original sale; defaults to `[fees.tax]`. A ticket's
    /// `order.tax` wins over both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax: Option<TaxSpec>,
    /// Who bears the return shipping.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub freight: Option<FreightSpec>,
    /// Which benefits not given back are deducted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub benefits: Option<BenefitsSpec>,
    /// When a free-shipping benefit is clawed back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub free_shipping: Option<FreeShippingSpec>,
    /// Depreciation for use, deducted from the refund.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depreciation: Option<DepreciationSpec>,
    /// Settings of `cn-sanbao-refund`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cn_sanbao_refund: Option<SanbaoRefundSpec>,
    /// A Rhai function `fn NAME(ticket, settlement)` that may add, remove or
    /// change lines: it returns `()` to keep the settlement, or the changed
    /// settlement map; the totals are then worked out again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

/// Why goods come back: the ticket reports a fault (`quality`) or not
/// (`change_of_mind`).
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
pub enum ReturnReason {
    /// The ticket reports a fault.
    Quality,
    /// The ticket reports no fault: the customer changed their mind.
    ChangeOfMind,
}

impl ReturnReason {
    /// The reason as written (`quality`, `change_of_mind`).
    pub fn as_str(self) -> &'static str {
        match self {
            ReturnReason::Quality => "quality",
            ReturnReason::ChangeOfMind => "change_of_mind",
        }
    }
}

/// A party to the settlement.
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
pub enum Party {
    /// The customer.
    Customer,
    /// The seller (or the service company).
    Seller,
}

impl Party {
    /// The party as written (`customer`, `seller`).
    pub fn as_str(self) -> &'static str {
        match self {
            Party::Customer => "customer",
            Party::Seller => "seller",
        }
    }

    /// The other party.
    pub fn other(self) -> Party {
        match self {
            Party::Customer => Party::Seller,
            Party::Seller => Party::Customer,
        }
    }
}

/// `[settlement.freight]`: who bears the return shipping, per reason.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FreightSpec {
    /// Who bears it for a change of mind; default `customer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_of_mind: Option<Party>,
    /// Who bears it for a quality fault; default `seller`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<Party>,
}

/// `[settlement.benefits]`: which benefits not given back are deducted.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BenefitsSpec {
    /// Benefit kinds whose value is deducted when kept: `gift`, `coupon`
    /// (default both); an empty list deducts none.
    #[serde(default = "both_benefits")]
    pub deduct: Vec<String>,
}

fn both_benefits() -> Vec<String> {
    vec!["gift".to_string(), "coupon".to_string()]
}

/// `[settlement.free_shipping]`: when the free-delivery benefit of an
/// order is clawed back from the refund.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FreeShippingSpec {
    /// The reasons it is clawed back for (default `["change_of_mind"]`).
    #[serde(default = "change_of_mind_only")]
    pub reasons: Vec<ReturnReason>,
    /// The order value that earned free delivery: it is clawed back only
    /// when the price of what the customer keeps falls below it. Without
    /// it, on every partial return of those reasons (and every return with
    /// `whole_return`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<Money>,
    /// Whether it is clawed back when the whole order comes back too
    /// (default false: only on a partial return, when the customer keeps
    /// some of the goods, as stores do).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub whole_return: bool,
}

fn change_of_mind_only() -> Vec<ReturnReason> {
    vec![ReturnReason::ChangeOfMind]
}

/// `[settlement.depreciation]`: a deduction for the use the customer had
/// of the goods: a percentage of the price of the returned goods per day,
/// per started month (30 days), or from a schedule by days of use.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DepreciationSpec {
    /// The reasons it applies to (default `["change_of_mind"]`).
    #[serde(default = "change_of_mind_only")]
    pub reasons: Vec<ReturnReason>,
    /// The product date use counts from (default `delivered_on`, falling
    /// back to `purchased_on`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<ProductDate>,
    /// The first days of use that cost nothing (default 0); only
    /// `percent_per_day` and `percent_per_month` count past them.
    #[serde(default)]
    pub free_days: u32,
    /// Percent of the price per day of use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent_per_day: Option<Number>,
    /// Percent of the price per started month (30 days) of use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent_per_month: Option<Number>,
    /// Steps by days of use: the step with the largest `from_day` at most
    /// the days of use gives the percent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schedule: Vec<DepreciationStep>,
    /// The most the depreciation may take, in percent (default 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_percent: Option<Number>,
    /// Whether the days the product spent in repair (`history.repairs`,
    /// counted as the warranty counts them) are not days of use (default
    /// true).
    #[serde(default = "yes")]
    pub exclude_repair_days: bool,
}

fn yes() -> bool {
    true
}

/// One step of a depreciation schedule.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DepreciationStep {
    /// The first day of use the step applies from (day 1 is the day after `from`).
    pub from_day: u32,
    /// The percent of the price deducted.
    pub percent: Number,
}

/// `[settlement.cn_sanbao_refund]`: the depreciation rate of the
/// three-guarantees return after failed repairs (art. 13).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SanbaoRefundSpec {
    /// The daily depreciation rate in percent of the invoice price, as the
    /// product's catalogue entry gives it.
    pub daily_percent: Number,
    /// Rates of particular product categories (`product.category`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub categories: BTreeMap<String, Number>,
}
