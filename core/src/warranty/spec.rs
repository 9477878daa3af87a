//! The TOML form of a policy's `[warranty]` table, as policy authors write
//! it. Parse it with serde (unknown keys are refused), then compile it with
//! [`super::Warranty::compile`], which checks every period and name and
//! reports a bad one with its TOML path.
//!
//! ```toml
//! [warranty]
//! counting = "civil-code"                 # or "start-day-counts"
//! default_component = "main_unit"         # judges faults on unlisted components
//! statutory = ["cn-sanbao", "cn-7day-return"]
//!
//! [warranty.start]                        # or start = "purchased_on"
//! date = "installed_on"
//! fallback = { date = "delivered_on", plus = "60 days" }
//! no_later_than = { date = "delivered_on", plus = "6 months" }
//!
//! [warranty.components.main_unit]
//! period = "2 years"
//! ends_no_later_than = { date = "delivered_on", plus = "30 months" }   # whichever ends first
//!
//! [warranty.components.main_parts]
//! period = "5 years"
//! includes = ["compressor", "motor"]
//!
//! [[warranty.exclusions]]
//! cause = "water_damage"
//!
//! [warranty.extension]
//! partial_day = "started-24h"
//!
//! [warranty.replacement]
//! rule = "remainder-or-minimum"
//! minimum = "90 days"
//! ```
//!
//! `docs/warranty.md` describes every setting with a complete example.

pub use super::statutory::cn_7day_return::SevenDayReturnSpec;
pub use super::statutory::cn_sanbao::SanbaoSpec;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The body of a policy's `[warranty]` table.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WarrantySpec {
    /// When the warranty starts: a product date (`"delivered_on"`) or a
    /// table with a fallback and a cap. Defaults to `purchased_on`.
    #[serde(default)]
    pub start: StartSpec,
    /// How a period's last day is found (default `civil-code`: the
    /// starting day is not counted, so 1 year from 2025-03-01 ends on
    /// 2026-03-01).
    #[serde(default)]
    pub counting: DayCounting,
    /// A second end for every component that has none of its own: the
    /// warranty ends at whichever comes first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_no_later_than: Option<DateSpec>,
    /// The component that judges a fault on a component no entry names
    /// (or a fault with no component). Defaults to `main_unit` when there
    /// is such a component.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_component: Option<String>,
    /// Warranty periods per component, keyed by component name
    /// (`[warranty.components.battery]`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub components: BTreeMap<String, ComponentSpec>,
    /// Per product category (matched with `product.category`): its own
    /// start, end cap and components.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub categories: BTreeMap<String, CategorySpec>,
    /// Fault causes the warranty does not cover.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclusions: Vec<ExclusionSpec>,
    /// Extension of the period by the days the product was out of service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<ExtensionSpec>,
    /// The warranty of a replacement unit (`product.replaced_on`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replacement: Option<ReplacementSpec>,
    /// The warranty of the parts the ticket's repair replaces
    /// (`work.parts`), shown in the decision's `replaced_parts`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_parts: Option<ReplacedPartsSpec>,
    /// Statutory rule sets the policy opts into, by name:
    /// `"cn-7day-return"`, `"cn-sanbao"`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statutory: Vec<String>,
    /// Dates on which a statutory period may not end (PRC Civil Code
    /// art. 203: a last day that is a statutory holiday moves to the day
    /// after the holiday): `"YYYY-MM-DD"` or `"YYYY-MM-DD..YYYY-MM-DD"`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rest_days: Vec<String>,
    /// Settings of the `cn-7day-return` rule set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cn_7day_return: Option<SevenDayReturnSpec>,
    /// Settings of the `cn-sanbao` rule set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cn_sanbao: Option<SanbaoSpec>,
    /// A Rhai function `fn NAME(ticket, decision)` that may override the
    /// decision: it returns `()` to keep it, or the changed decision map.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

/// A date the ticket's product carries.
// Each variant is the product field it reads (`purchased_on`), as the
// manifest writes it.
#[allow(clippy::enum_variant_names)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProductDate {
    /// `product.purchased_on`, the sale.
    PurchasedOn,
    /// `product.delivered_on`.
    DeliveredOn,
    /// `product.signed_for_on` (or the date of `product.signed_for_at`).
    SignedForOn,
    /// `product.installed_on`.
    InstalledOn,
    /// `product.commissioned_on`.
    CommissionedOn,
}

impl ProductDate {
    /// The ticket field, as `because` names it (`product.delivered_on`).
    pub fn field(self) -> &'static str {
        match self {
            ProductDate::PurchasedOn => "product.purchased_on",
            ProductDate::DeliveredOn => "product.delivered_on",
            ProductDate::SignedForOn => "product.signed_for_on",
            ProductDate::InstalledOn => "product.installed_on",
            ProductDate::CommissionedOn => "product.commissioned_on",
        }
    }

    /// This date of a product, when the ticket gives it.
    pub fn of(self, product: &crate::ticket::Product) -> Option<NaiveDate> {
        match self {
            ProductDate::PurchasedOn => product.purchased_on,
            ProductDate::DeliveredOn => product.delivered_on,
            ProductDate::SignedForOn => product.signed_for_on.or_else(|| {
                product
                    .signed_for_at
                    .as_ref()
                    .map(crate::ticket::local_date)
            }),
            ProductDate::InstalledOn => product.installed_on,
            ProductDate::CommissionedOn => product.commissioned_on,
        }
    }
}

impl fmt::Display for ProductDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.field())
    }
}

/// A product date moved by a calendar period:
/// `{ date = "delivered_on", plus = "60 days" }`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DateSpec {
    /// The product date.
    pub date: ProductDate,
    /// The period added to it (`"60 days"`, `"18 months"`); none adds nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plus: Option<String>,
}

/// When the warranty starts. Written as a product date
/// (`start = "delivered_on"`) or a table:
///
/// ```toml
/// [warranty.start]
/// date = "installed_on"                                   # the start event
/// fallback = [{ date = "delivered_on", plus = "60 days" }] # tried in order when the ticket lacks it
/// no_later_than = { date = "delivered_on", plus = "6 months" } # the start is never later than this
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StartSpec {
    /// The start event.
    pub date: ProductDate,
    /// Used in order when the ticket lacks `date`; one table or a list.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fallback: Vec<DateSpec>,
    /// A cap: the warranty never starts later than this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_later_than: Option<DateSpec>,
}

impl Default for StartSpec {
    fn default() -> Self {
        StartSpec {
            date: ProductDate::PurchasedOn,
            fallback: Vec::new(),
            no_later_than: None,
        }
    }
}

/// The table form of [`StartSpec`].
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct StartTable {
    date: ProductDate,
    #[serde(default, deserialize_with = "one_or_many")]
    #[schemars(with = "OneOrMany<DateSpec>")]
    fallback: Vec<DateSpec>,
    #[serde(default)]
    no_later_than: Option<DateSpec>,
}

impl schemars::JsonSchema for StartSpec {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "StartSpec".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let date = generator.subschema_for::<ProductDate>();
        let table = generator.subschema_for::<StartTable>();
        schemars::json_schema!({ "anyOf": [date, table] })
    }
}

impl<'de> Deserialize<'de> for StartSpec {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = StartSpec;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a product date such as \"delivered_on\", or a table with `date`, \
                     `fallback` and `no_later_than`",
                )
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<StartSpec, E> {
                let date =
                    ProductDate::deserialize(serde::de::value::StrDeserializer::<E>::new(v))?;
                Ok(StartSpec {
                    date,
                    ..StartSpec::default()
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<StartSpec, A::Error> {
                let table =
                    StartTable::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(StartSpec {
                    date: table.date,
                    fallback: table.fallback,
                    no_later_than: table.no_later_than,
                })
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// Reads one table or a list of tables.
/// The schema of a field that takes one value or a list of them.
#[derive(schemars::JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<DateSpec>, D::Error> {
    struct Visitor;
    impl<'de> serde::de::Visitor<'de> for Visitor {
        type Value = Vec<DateSpec>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a table `{ date = \"…\", plus = \"…\" }` or a list of them")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Vec<DateSpec>, A::Error> {
            let mut out = Vec::new();
            while let Some(item) = seq.next_element()? {
                out.push(item);
            }
            Ok(out)
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            map: A,
        ) -> Result<Vec<DateSpec>, A::Error> {
            Ok(vec![DateSpec::deserialize(
                serde::de::value::MapAccessDeserializer::new(map),
            )?])
        }
    }
    deserializer.deserialize_any(Visitor)
}

/// How the last day of a period is found.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum DayCounting {
    /// PRC Civil Code arts. 201-202: the starting day is not counted, the
    /// period ends at 24:00 of its last day, a month period ends on the
    /// corresponding day or the month's last day. 1 year from 2024-02-29
    /// ends on 2025-02-28; 7 days from 2026-03-01 end on 2026-03-08.
    #[default]
    CivilCode,
    /// The starting day counts as the first day: every period ends one
    /// day earlier than under `civil-code` (7 days from 2026-03-01 end on
    /// 2026-03-07).
    StartDayCounts,
}

/// One component's warranty: `[warranty.components.battery]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ComponentSpec {
    /// The period from the start (`"6 months"`, `"2 years"`); `"0 days"`
    /// lists a component with no warranty.
    pub period: String,
    /// Other fault components this entry covers (`includes = ["compressor"]`
    /// under `main_parts`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub includes: Vec<String>,
    /// A second end: the component's warranty ends at whichever comes
    /// first (delivery + 18 months or commissioning + 12 months).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_no_later_than: Option<DateSpec>,
    /// The component's own start event (the battery from delivery, the
    /// workmanship from installation), written like `[warranty] start`;
    /// else the product's start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<StartSpec>,
}

/// What differs for one product category: `[warranty.categories.air_conditioner]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CategorySpec {
    /// The category's own start; else `[warranty] start`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<StartSpec>,
    /// The category's own second end; else `[warranty] ends_no_later_than`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_no_later_than: Option<DateSpec>,
    /// Components added or replaced (by name) for this category; the
    /// others keep `[warranty.components]`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub components: BTreeMap<String, ComponentSpec>,
}

/// A fault cause the warranty does not cover: `[[warranty.exclusions]]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExclusionSpec {
    /// The cause code, matched exactly with `fault.cause` (`misuse`,
    /// `water_damage`, `freezing`, `broken_seal`, `unauthorised_repair`,
    /// `force_majeure`, …). `no_proof_of_purchase` also matches a ticket
    /// whose `product.proof_of_purchase` is false.
    pub cause: String,
    /// Words for `because`; defaults to a description of the known codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Only these components lose cover; all of them when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<String>,
}

/// Extension of the warranty by time out of service: `[warranty.extension]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtensionSpec {
    /// Whether the days in `history.repairs` extend the period (default true).
    #[serde(default = "yes")]
    pub out_of_service: bool,
    /// How a repair measured in hours (`received_at` .. `resolved_at`)
    /// becomes days.
    #[serde(default)]
    pub partial_day: PartialDay,
}

fn yes() -> bool {
    true
}

/// How part of a day out of service counts.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum PartialDay {
    /// Each started 24 h counts as one day (25 h are 2 days).
    #[default]
    #[serde(rename = "started-24h")]
    Started24h,
    /// Only whole 24 h count (47 h are 1 day).
    #[serde(rename = "whole-24h")]
    Whole24h,
    /// Every local date the product spent out of service counts, the day
    /// it was received and the day it was ready included.
    CalendarDays,
}

/// The warranty of a replacement unit: `[warranty.replacement]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplacementSpec {
    /// `restart`, `remainder` or `remainder-or-minimum`.
    pub rule: ReplacementRule,
    /// The minimum cover of a replacement, from `product.replaced_on`
    /// (only with `remainder-or-minimum`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<String>,
}

/// What a replacement unit's warranty is.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ReplacementRule {
    /// Every period starts again on `product.replaced_on`.
    Restart,
    /// The replacement keeps what was left of the original warranty.
    #[default]
    Remainder,
    /// The later of the original warranty's end and `replaced_on + minimum`.
    RemainderOrMinimum,
}

/// The warranty of a part the repair fits: `[warranty.replaced_parts]`.
///
/// ```toml
/// [warranty.replaced_parts]
/// period = "90 days"              # the part's own cover from the repair
/// rule = "period-or-remainder"    # whichever ends later (the default)
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplacedPartsSpec {
    /// The part's own period, from the day of the repair (`"90 days"`).
    pub period: String,
    /// How the part's own period and the rest of its component's cover
    /// combine (default `period-or-remainder`: whichever ends later).
    #[serde(default)]
    pub rule: ReplacedPartRule,
}

/// How a replaced part's cover is found.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ReplacedPartRule {
    /// The part's own period or the rest of its component's cover,
    /// whichever ends later.
    #[default]
    PeriodOrRemainder,
    /// The part's own period only.
    Period,
    /// The rest of its component's cover only.
    Remainder,
}
