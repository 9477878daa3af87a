//! The TOML form of a fee schedule, as written in a policy's `[fees]` table.
//!
//! ```toml
//! [fees]
//! rounding = "half-up"                  # half-up | half-even | up | down
//!
//! [fees.labor]
//! rate = "120.00"                       # per hour
//! minimum = "1h"                        # minimum billable time
//! increment = "30m"                     # then billed in steps of this, rounded up
//!
//! [fees.multipliers]
//! calendar = "office"                   # closed at the start of the work = after hours
//! after_hours = "1.5"
//! holiday = "2"
//! applies_to = ["labor"]                # labor | callout | travel | diagnostic
//!
//! [fees.callout]
//! default_zone = "B"                    # for visits in an unlisted (or no) zone
//! [fees.callout.zones.A]
//! fee = "50.00"
//! [fees.callout.zones.B]
//! fee = "80.00"
//! included_km = "20"                    # the fee covers this distance
//! per_km = "2.50"                       # each km beyond it
//!
//! [fees.diagnostic]
//! fee = "60.00"
//! waived_when_repair_accepted = true
//!
//! [fees.parts]
//! markup_percent = "15"                 # on the catalogue price
//! markup_fixed = "0.00"                 # per unit, after the percentage
//!
//! [fees.plans.care]                     # customer.plan = "care"
//! waive = ["labor", "callout", "travel", "diagnostic"]
//! percent_off = { part = "20" }
//!
//! [fees.tiers.vip]                      # customer.tier = "vip"
//! percent_off = { labor = "10" }
//!
//! [fees.tax]
//! percent = "13"
//! mode = "exclusive"                    # exclusive (added) | inclusive (in the prices)
//! rounding = "half-even"                # defaults to [fees].rounding
//! ```
//!
//! Money is a decimal string (`"120.00"`), never a TOML number. Other exact
//! numbers (percentages, multipliers, kilometres) are a decimal string or a
//! whole number; a TOML float is refused, because a binary float cannot hold
//! most decimals exactly. The spec is only the written form:
//! [`super::FeeSchedule::compile`] checks it and names the TOML path of any
//! problem.

use crate::duration::Duration;
use crate::money::{Money, Rounding, TaxMode};
use rust_decimal::Decimal;
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// The `[fees]` table of a policy.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FeeSpec {
    /// How every line amount is rounded to the currency's minor unit
    /// (default `half-up`); tax uses it too unless `[fees.tax].rounding` says
    /// otherwise.
    #[serde(default)]
    pub rounding: Rounding,
    /// Labour: rate per hour, minimum billable time, rounding increment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labor: Option<LaborSpec>,
    /// Time-window multipliers (after hours, holidays), decided by a calendar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multipliers: Option<MultiplierSpec>,
    /// Call-out fee per zone, with a per-km part beyond a distance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callout: Option<CalloutSpec>,
    /// Diagnostic fee, waivable when the repair is accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnostic: Option<DiagnosticSpec>,
    /// Parts at catalogue price with a markup.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parts: Option<PartsSpec>,
    /// Discounts by care plan (`customer.plan`), keyed by plan name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub plans: BTreeMap<String, DiscountSpec>,
    /// Discounts by customer tier (`customer.tier`), keyed by tier name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tiers: BTreeMap<String, DiscountSpec>,
    /// Tax rate and whether prices include it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax: Option<TaxSpec>,
    /// Rate cards per segment (customer segment, tier, plan, product
    /// category, any ticket field), tried in order: the first whose `when`
    /// holds bills the ticket with its own labour, call-out, multipliers,
    /// diagnostic, parts and tax, the sections it leaves out taken from
    /// this table. A ticket no card matches is billed by this table, the
    /// default card.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rate_cards: Vec<RateCardSpec>,
    /// A Rhai function `fn NAME(ticket, charges)` that may add, remove or
    /// change lines: it returns `()` to keep the bill, or the changed
    /// charges map; the totals are then worked out again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

/// `[[fees.rate_cards]]`: the prices of one customer segment.
///
/// ```toml
/// [[fees.rate_cards]]
/// name = "utility"
/// when = { "customer.segment" = ["utility", "industrial"] }
/// [fees.rate_cards.labor]
/// rate = "180.00"
/// [fees.rate_cards.tax]
/// percent = "6"
/// mode = "exclusive"
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RateCardSpec {
    /// The card's name, shown on the bill (`rate_card`).
    pub name: String,
    /// Ticket fields (`customer.segment`, `customer.tier`, `customer.plan`,
    /// `product.category`, `channel`, `attributes.NAME`, …) and the values
    /// any of which selects the card; every field listed must match.
    pub when: BTreeMap<String, Vec<String>>,
    /// Labour of this card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labor: Option<LaborSpec>,
    /// Multipliers of this card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multipliers: Option<MultiplierSpec>,
    /// Call-out zones of this card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callout: Option<CalloutSpec>,
    /// Diagnostic fee of this card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnostic: Option<DiagnosticSpec>,
    /// Parts markup of this card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parts: Option<PartsSpec>,
    /// Tax rate and mode of this card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax: Option<TaxSpec>,
}

/// `[fees.labor]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LaborSpec {
    /// Price of one hour of labour, before multipliers.
    pub rate: Money,
    /// Minimum billable time (`"1h"`); any work shorter is billed as this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<Duration>,
    /// Time beyond the minimum is billed in whole steps of this, rounded up
    /// (`"30m"`). Without it, time beyond the minimum is billed exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub increment: Option<Duration>,
}

/// `[fees.multipliers]`: surcharges for work out of hours or on holidays.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MultiplierSpec {
    /// The calendar that decides: closed at the start = after hours; the
    /// start's local date a holiday = holiday. Required for `holiday`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
    /// Factor for work out of the calendar's hours (or marked after hours by the CRM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_hours: Option<Number>,
    /// Factor for work on a holiday of the calendar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holiday: Option<Number>,
    /// Which line kinds the factor applies to: `labor` (the default),
    /// `callout`, `travel`, `diagnostic`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies_to: Option<Vec<String>>,
}

/// `[fees.callout]`: a fee per site visit, by zone.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CalloutSpec {
    /// The zone whose fees apply when a visit's zone (or the customer's) is
    /// not listed, or neither names one. Without it such a visit is an error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_zone: Option<String>,
    /// Fees per zone name.
    #[serde(default)]
    pub zones: BTreeMap<String, ZoneFeeSpec>,
}

/// `[fees.callout.zones.NAME]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ZoneFeeSpec {
    /// Call-out fee per visit.
    pub fee: Money,
    /// Distance (km) the fee includes; travel beyond it is billed per km.
    /// Default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub included_km: Option<Number>,
    /// Price per km beyond `included_km`. Without it, distance is not billed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_km: Option<Money>,
}

/// `[fees.diagnostic]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DiagnosticSpec {
    /// The fee, charged once on every ticket that reports work.
    pub fee: Money,
    /// Whether the fee is waived when `work.repair_accepted` is true (default true).
    #[serde(default = "yes")]
    pub waived_when_repair_accepted: bool,
}

fn yes() -> bool {
    true
}

/// `[fees.parts]`: parts at the ticket's catalogue price with a markup.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartsSpec {
    /// Markup in percent of the catalogue unit price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markup_percent: Option<Number>,
    /// Fixed markup per unit, added after the percentage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markup_fixed: Option<Money>,
}

/// `[fees.plans.NAME]` or `[fees.tiers.NAME]`: what a plan or tier takes off
/// each kind of line, before tax.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DiscountSpec {
    /// Line kinds waived entirely: `labor`, `callout`, `travel`,
    /// `diagnostic`, `part`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waive: Vec<String>,
    /// Percent taken off per line kind (`{ part = "20" }`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub percent_off: BTreeMap<String, Number>,
}

/// `[fees.tax]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TaxSpec {
    /// Tax rate in percent (`"13"`).
    pub percent: Number,
    /// Whether the tax is added to the prices or already in them.
    pub mode: TaxMode,
    /// How the tax is rounded; defaults to `[fees].rounding`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounding: Option<Rounding>,
}

/// An exact decimal number that is not money: a percentage, a factor or a
/// distance. Written as a decimal string (`"1.5"`) or a whole number (`2`);
/// a TOML or JSON float is refused with a message that says how to write it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Number(pub Decimal);

impl Number {
    /// Parses a decimal string such as `"1.5"`.
    pub fn parse(text: &str) -> Result<Number, String> {
        Money::parse(text)
            .map(|m| Number(m.0))
            .map_err(|_| format!("`{text}` is not a decimal number such as \"1.5\""))
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.normalize(), f)
    }
}

impl schemars::JsonSchema for Number {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Number".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "anyOf": [
                { "type": "string", "pattern": "^[+-]?[0-9]+(\\.[0-9]+)?$" },
                { "type": "integer" }
            ],
            "description": "An exact decimal (percentage, factor, kilometres): a decimal string or a whole number; never a float."
        })
    }
}

impl Serialize for Number {
    /// The decimal string, marked as [`crate::marker::NUMBER`].
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        crate::marker::marked(serializer, crate::marker::NUMBER, self)
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = Number;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal string such as \"1.5\" or a whole number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Number, E> {
                Number::parse(v).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Number, E> {
                Ok(Number(Decimal::from(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Number, E> {
                Ok(Number(Decimal::from(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Number, E> {
                Err(E::custom(format!(
                    "`{v}` is a float; write it as a string, \"{v}\", so that it is exact"
                )))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}
