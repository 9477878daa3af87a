//! Tickets as CRMs send them: JSON (or the equivalent Rust struct or Python
//! dict). Every field but `id` and `opened_at` is optional; data the engine
//! does not model goes in `attributes`, where rules can read it. Unknown
//! fields are refused with their path, so a misspelt field is never ignored.

use crate::calendar::range;
use crate::duration::Duration;
use crate::error::{Error, Result};
use crate::money::Money;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

pub(crate) mod time_text;
use serde_json::{Map, Value};

/// A service ticket.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ticket {
    /// The CRM's ticket id.
    pub id: String,
    /// When the ticket was opened (RFC 3339 with offset); the implicit
    /// first event, `opened`.
    #[serde(serialize_with = "time_text::instant")]
    pub opened_at: DateTime<FixedOffset>,
    /// `hotline`, `online`, `email`, `app`, `social`, `onsite`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// `repair`, `consultation`, `complaint`, `return`, `exchange`, `installation`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Severity given by the CRM; when absent the policy classifies the ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    /// The customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<Customer>,
    /// The product concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<Product>,
    /// The reported fault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault: Option<Fault>,
    /// Earlier service on the same unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<History>,
    /// Work done, for the bill.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work: Option<Work>,
    /// The order the goods came from, for a return's settlement: what was
    /// paid, what comes back, the benefits granted and the return freight.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<Order>,
    /// What happened to the ticket, in any order (sorted by time, stable).
    #[serde(default)]
    pub events: Vec<Event>,
    /// Anything else, visible to rules as `ticket.attributes` (always a
    /// map, empty when the CRM sends none).
    #[serde(default)]
    pub attributes: Map<String, Value>,
    /// The customer's answers to the satisfaction survey, for the
    /// portfolio's survey KPIs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survey: Option<Survey>,
    /// The instant to evaluate this ticket at, when it is not the call's:
    /// a replay of history gives each ticket its own. Wins over the `as_of`
    /// of a batch call.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "time_text::opt_instant"
    )]
    pub as_of: Option<DateTime<FixedOffset>>,
}

/// A customer's survey answers after the service.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Survey {
    /// Satisfaction on a scale of 1 (very dissatisfied) to 5 (very satisfied).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfaction: Option<u8>,
    /// Likelihood to recommend, 0 to 10 (net promoter score).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nps: Option<u8>,
    /// Whether the fault was resolved on the first contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_contact_resolution: Option<bool>,
}

/// The customer of a ticket.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Customer {
    /// Customer id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Service tier (`vip`, `gold`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
    /// Sales or service region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Call-out zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    /// The customer's segment (`household`, `business`, `utility`,
    /// `industrial`, …), for rate cards and rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
    /// Care plan or service contract the customer holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
}

/// The product concerned.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// Model number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Product category (`industrial`, `household`, `phone`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Serial number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial: Option<String>,
    /// How it was sold: `online`, `phone`, `tv`, `mail`, `store`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sold_via: Option<String>,
    /// Date of purchase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "time_text::opt_date")]
    pub purchased_on: Option<NaiveDate>,
    /// Date of delivery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "time_text::opt_date")]
    pub delivered_on: Option<NaiveDate>,
    /// Date the customer signed for the goods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "time_text::opt_date")]
    pub signed_for_on: Option<NaiveDate>,
    /// The instant the customer signed for the goods (RFC 3339), when the
    /// carrier records it; the `168h` counting of the 7-day return runs
    /// from it. Its date stands in for `signed_for_on` when that is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "time_text::opt_instant")]
    pub signed_for_at: Option<DateTime<FixedOffset>>,
    /// Date of installation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "time_text::opt_date")]
    pub installed_on: Option<NaiveDate>,
    /// Date of commissioning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "time_text::opt_date")]
    pub commissioned_on: Option<NaiveDate>,
    /// Price paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<Money>,
    /// Whether the customer holds proof of purchase (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proof_of_purchase: Option<bool>,
    /// Whether the goods are intact (packaging, seals, accessories) for a return.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intact: Option<bool>,
    /// Whether the customer confirmed at checkout that these goods are not
    /// returnable without reason (Consumer Protection Law art. 25 para. 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_return_confirmed: Option<bool>,
    /// Whether the unit is itself a replacement, and since when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "time_text::opt_date")]
    pub replaced_on: Option<NaiveDate>,
}

/// The reported fault.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    /// Fault code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Component concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    /// Cause: `defect`, `misuse`, `water_damage`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// `simple` or `complex`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complexity: Option<String>,
    /// Whether it is a performance fault (for statutory remedies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub performance: Option<bool>,
}

/// Earlier service on the same unit.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct History {
    /// Earlier repairs.
    #[serde(default)]
    pub repairs: Vec<Repair>,
}

/// One earlier repair.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Repair {
    /// When the repair was received, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "time_text::opt_date")]
    pub received_on: Option<NaiveDate>,
    /// When it was resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "time_text::opt_date")]
    pub resolved_on: Option<NaiveDate>,
    /// The instant the product was received for repair (RFC 3339); with
    /// `resolved_at` it lets the warranty count partial days out of service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "time_text::opt_instant")]
    pub received_at: Option<DateTime<FixedOffset>>,
    /// The instant the repaired product was ready again (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "time_text::opt_instant")]
    pub resolved_at: Option<DateTime<FixedOffset>>,
    /// Component repaired.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    /// Fault code repaired.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault: Option<String>,
    /// Days the product was out of service (in repair or waiting for parts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_in_repair: Option<u32>,
    /// Whether the repair left the fault fixed (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<bool>,
}

/// Work done on the ticket.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Work {
    /// Labour time (`"1.5h"`, `"PT90M"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labor: Option<Duration>,
    /// When the labour started (decides after-hours multipliers when given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "time_text::opt_instant")]
    pub labor_started_at: Option<DateTime<FixedOffset>>,
    /// Whether the CRM marks the work as after hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_hours: Option<bool>,
    /// Whether the customer accepted the repair (waives the diagnostic fee).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repair_accepted: Option<bool>,
    /// Parts used.
    #[serde(default)]
    pub parts: Vec<Part>,
    /// Site visits.
    #[serde(default)]
    pub visits: Vec<Visit>,
}

/// A part used.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Part {
    /// Stock-keeping unit.
    pub sku: String,
    /// Component the part belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    /// Quantity (a whole number, at least 1).
    pub qty: u32,
    /// Catalogue unit price.
    pub unit_price: Money,
}

/// A site visit.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Visit {
    /// Call-out zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    /// When the engineer arrived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "time_text::opt_instant")]
    pub at: Option<DateTime<FixedOffset>>,
    /// Distance travelled, in km, as a decimal string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_km: Option<Money>,
}

/// The order the goods of a return came from (`ticket.order`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Order {
    /// The CRM's order number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The lines of the order. Without lines, `product.price` stands for
    /// one line of one unit, returned.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<OrderLine>,
    /// Gifts and coupons that came with the order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub benefits: Vec<Benefit>,
    /// What delivering the order cost the seller when the customer got it
    /// free (a free-shipping benefit a policy may claw back).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub free_shipping: Option<Money>,
    /// The shipping of the goods back to the seller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_shipping: Option<ReturnShipping>,
    /// Whether the seller was found to have defrauded the customer in this
    /// sale (Consumer Rights Protection Law art. 55).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fraud: Option<bool>,
    /// The tax of the original sale, when it differs from the policy's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax: Option<SaleTax>,
}

impl Order {
    /// Checks quantities, amounts and words; an error names the field.
    fn validate(&self, ticket: &str) -> Result<()> {
        let fail = |field: String, message: &str| Err(Error::ticket(ticket, field, message));
        let negative = |m: Money| m.0.is_sign_negative() && !m.0.is_zero();
        for (i, line) in self.lines.iter().enumerate() {
            if line.qty == 0 {
                return fail(format!("order.lines[{i}].qty"), "must be at least 1");
            }
            if line.returned.is_some_and(|r| r > line.qty) {
                return fail(
                    format!("order.lines[{i}].returned"),
                    "must not be more than the units bought (`qty`)",
                );
            }
            if negative(line.unit_price) {
                return fail(
                    format!("order.lines[{i}].unit_price"),
                    "must not be negative",
                );
            }
        }
        for (i, benefit) in self.benefits.iter().enumerate() {
            if !matches!(benefit.kind.as_str(), "gift" | "coupon") {
                return fail(
                    format!("order.benefits[{i}].kind"),
                    "must be `gift` or `coupon`",
                );
            }
            if negative(benefit.value) {
                return fail(format!("order.benefits[{i}].value"), "must not be negative");
            }
        }
        if self.free_shipping.is_some_and(negative) {
            return fail("order.free_shipping".into(), "must not be negative");
        }
        if let Some(shipping) = &self.return_shipping {
            if negative(shipping.cost) {
                return fail("order.return_shipping.cost".into(), "must not be negative");
            }
            if !matches!(shipping.paid_by.as_str(), "customer" | "seller") {
                return fail(
                    "order.return_shipping.paid_by".into(),
                    "must be `customer` or `seller`",
                );
            }
        }
        if self.tax.as_ref().is_some_and(|t| negative(t.percent)) {
            return fail("order.tax.percent".into(), "must not be negative");
        }
        if self
            .tax
            .as_ref()
            .is_some_and(|t| t.percent.0 > rust_decimal::Decimal::ONE_HUNDRED)
        {
            return fail(
                "order.tax.percent".into(),
                "must be a percentage from 0 to 100",
            );
        }
        Ok(())
    }
}

/// One line of an order.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderLine {
    /// Stock-keeping unit.
    pub sku: String,
    /// What the customer reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Units bought (a whole number, at least 1).
    pub qty: u32,
    /// The price paid per unit, after the order's discounts, as the sale
    /// was taxed (tax included or not).
    pub unit_price: Money,
    /// Units coming back; the whole line (`qty`) when absent. A line that
    /// stays with the customer says `0`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returned: Option<u32>,
}

impl OrderLine {
    /// Units coming back: `returned`, or the whole line.
    pub fn returned_qty(&self) -> u32 {
        self.returned.unwrap_or(self.qty)
    }
}

/// A gift or a coupon that came with an order.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Benefit {
    /// `gift` or `coupon`.
    pub kind: String,
    /// What it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Its value as stated at the sale.
    pub value: Money,
    /// Whether the customer gives it back (a gift returned, a coupon
    /// unused and withdrawn). Default false.
    #[serde(default)]
    pub returned: bool,
}

/// The shipping of returned goods.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnShipping {
    /// What it cost.
    pub cost: Money,
    /// Who paid the carrier: `customer` or `seller`.
    pub paid_by: String,
}

/// The tax of an original sale.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SaleTax {
    /// The rate in percent, as a decimal string (`"13"`).
    pub percent: Money,
    /// `inclusive` (prices contained the tax) or `exclusive` (tax was added).
    pub mode: crate::money::TaxMode,
}

/// Something that happened to a ticket.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// When (RFC 3339 with offset).
    #[serde(serialize_with = "time_text::instant")]
    pub at: DateTime<FixedOffset>,
    /// What: `answered`, `contacted`, `paused`, `resumed`, `resolved`,
    /// `severity_changed`, `tier_changed`, or any kind the policy names.
    pub kind: String,
    /// Why (for pauses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The new value (for `severity_changed` and `tier_changed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Anything else about the event.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub attributes: Map<String, Value>,
}

impl Event {
    /// The event's instant in UTC.
    pub fn at_utc(&self) -> DateTime<Utc> {
        self.at.with_timezone(&Utc)
    }
}

impl Ticket {
    /// Parses one ticket from JSON; an error names the failing field.
    ///
    /// # Examples
    ///
    /// ```
    /// let ticket = aftersales::Ticket::from_json(
    ///     r#"{"id": "T-1", "opened_at": "2026-03-02T09:00:00+08:00", "channel": "hotline"}"#,
    /// )
    /// .unwrap();
    /// assert_eq!(ticket.id, "T-1");
    /// assert!(aftersales::Ticket::from_json(r#"{"id": "T-2"}"#).is_err());
    /// ```
    pub fn from_json(text: &str) -> Result<Ticket> {
        // A ticket is an object: serde would also read an array as the
        // fields in order, so anything else is refused before reading.
        if !text
            .trim_start_matches([' ', '\t', '\n', '\r'])
            .starts_with('{')
        {
            return Err(not_an_object(text));
        }
        // Most tickets are well formed: read them directly, and only read a
        // failing one again with its path tracked, to name the field.
        if let Ok(ticket) = serde_json::from_str::<Ticket>(text) {
            ticket.validate()?;
            return Ok(ticket);
        }
        let mut de = serde_json::Deserializer::from_str(text);
        let ticket: Ticket = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            if matches!(
                e.inner().classify(),
                serde_json::error::Category::Syntax | serde_json::error::Category::Eof
            ) {
                return syntax_error(e.inner());
            }
            let id = serde_json::from_str::<Value>(text)
                .ok()
                .and_then(|v| v.get("id").and_then(Value::as_str).map(str::to_string))
                .unwrap_or_default();
            path_error(&id, e)
        })?;
        de.end().map_err(|e| syntax_error(&e))?;
        ticket.validate()?;
        Ok(ticket)
    }

    /// Builds a ticket from a JSON value; an error names the failing field.
    pub fn from_value(value: Value) -> Result<Ticket> {
        if !value.is_object() {
            return Err(Error::input(
                "",
                format!(
                    "the ticket is {}, not an object: a ticket is a JSON object with at least `id` and `opened_at`",
                    json_kind(&value)
                ),
            ));
        }
        let id = value
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let ticket: Ticket =
            serde_path_to_error::deserialize(value).map_err(|e| path_error(&id, e))?;
        ticket.validate()?;
        Ok(ticket)
    }

    /// `opened_at` in UTC.
    pub fn opened_at_utc(&self) -> DateTime<Utc> {
        self.opened_at.with_timezone(&Utc)
    }

    // Long because it makes one check per ticket field, in field order.
    /// Checks what the types cannot: a non-empty id, every instant and date
    /// in the supported range (years 1900 through 2200), no event before the ticket opened,
    /// positive part quantities, non-negative prices.
    pub fn validate(&self) -> Result<()> {
        if self.id.trim().is_empty() {
            return Err(Error::ticket("", "id", "must not be empty"));
        }
        self.validate_range()?;
        let opened = self.opened_at_utc();
        for (i, event) in self.events.iter().enumerate() {
            if event.at_utc() < opened {
                return Err(Error::ticket(
                    &self.id,
                    format!("events[{i}].at"),
                    format!(
                        "`{}` event at {} is before the ticket opened at {}",
                        event.kind,
                        event.at.to_rfc3339(),
                        self.opened_at.to_rfc3339()
                    ),
                ));
            }
            if event.kind.trim().is_empty() {
                return Err(Error::ticket(
                    &self.id,
                    format!("events[{i}].kind"),
                    "must not be empty",
                ));
            }
        }
        if let Some(survey) = &self.survey {
            if survey.satisfaction.is_some_and(|s| !(1..=5).contains(&s)) {
                return Err(Error::ticket(
                    &self.id,
                    "survey.satisfaction",
                    "must be a score from 1 to 5",
                ));
            }
            if survey.nps.is_some_and(|s| s > 10) {
                return Err(Error::ticket(
                    &self.id,
                    "survey.nps",
                    "must be a score from 0 to 10",
                ));
            }
        }
        if let Some(order) = &self.order {
            order.validate(&self.id)?;
        }
        if let Some(price) = self.product.as_ref().and_then(|p| p.price) {
            if price.0.is_sign_negative() {
                return Err(Error::ticket(
                    &self.id,
                    "product.price",
                    "must not be negative",
                ));
            }
        }
        if let Some(work) = &self.work {
            if let Some(labor) = work.labor {
                if labor.0 < chrono::TimeDelta::zero() {
                    return Err(Error::ticket(
                        &self.id,
                        "work.labor",
                        "must not be negative",
                    ));
                }
            }
            for (i, part) in work.parts.iter().enumerate() {
                if part.qty == 0 {
                    return Err(Error::ticket(
                        &self.id,
                        format!("work.parts[{i}].qty"),
                        "must be at least 1",
                    ));
                }
                if part.unit_price.0.is_sign_negative() {
                    return Err(Error::ticket(
                        &self.id,
                        format!("work.parts[{i}].unit_price"),
                        "must not be negative",
                    ));
                }
            }
            for (i, visit) in work.visits.iter().enumerate() {
                if visit.distance_km.is_some_and(|d| d.0.is_sign_negative()) {
                    return Err(Error::ticket(
                        &self.id,
                        format!("work.visits[{i}].distance_km"),
                        "must not be negative",
                    ));
                }
            }
        }
        Ok(())
    }

    /// Every instant and date of the ticket, with its field, must lie in
    /// the supported range.
    fn validate_range(&self) -> Result<()> {
        // Field names are worded only for the field that is out of range.
        let mut instants: Vec<(Place, &DateTime<FixedOffset>)> =
            vec![(Place::Field("opened_at"), &self.opened_at)];
        let mut dates: Vec<(Place, NaiveDate)> = Vec::new();
        for (i, event) in self.events.iter().enumerate() {
            instants.push((Place::Item("events", i, "at"), &event.at));
        }
        if let Some(product) = &self.product {
            let named = [
                ("product.purchased_on", product.purchased_on),
                ("product.delivered_on", product.delivered_on),
                ("product.signed_for_on", product.signed_for_on),
                ("product.installed_on", product.installed_on),
                ("product.commissioned_on", product.commissioned_on),
                ("product.replaced_on", product.replaced_on),
            ];
            for (name, date) in named {
                if let Some(date) = date {
                    dates.push((Place::Field(name), date));
                }
            }
            if let Some(t) = &product.signed_for_at {
                instants.push((Place::Field("product.signed_for_at"), t));
            }
        }
        for (i, repair) in self
            .history
            .iter()
            .flat_map(|h| h.repairs.iter())
            .enumerate()
        {
            for (name, date) in [
                ("received_on", repair.received_on),
                ("resolved_on", repair.resolved_on),
            ] {
                if let Some(date) = date {
                    dates.push((Place::Item("history.repairs", i, name), date));
                }
            }
            for (name, t) in [
                ("received_at", &repair.received_at),
                ("resolved_at", &repair.resolved_at),
            ] {
                if let Some(t) = t {
                    instants.push((Place::Item("history.repairs", i, name), t));
                }
            }
        }
        if let Some(work) = &self.work {
            if let Some(t) = &work.labor_started_at {
                instants.push((Place::Field("work.labor_started_at"), t));
            }
            for (i, visit) in work.visits.iter().enumerate() {
                if let Some(t) = &visit.at {
                    instants.push((Place::Item("work.visits", i, "at"), t));
                }
            }
        }
        for (field, t) in instants {
            let utc = t.with_timezone(&Utc);
            if !range::contains(utc) {
                // An instant built in Rust near chrono's ends may have no
                // local time at its offset (`to_rfc3339` would panic): show UTC.
                let text = match t.naive_utc().checked_add_offset(*t.offset()) {
                    Some(_) => t.to_rfc3339(),
                    None => utc.to_rfc3339(),
                };
                return Err(Error::ticket(&self.id, field.name(), range::outside(&text)));
            }
        }
        for (field, date) in dates {
            range::check_date(date).map_err(|m| Error::ticket(&self.id, field.name(), m))?;
        }
        Ok(())
    }

    /// The events sorted by time; events at the same instant keep their order.
    pub fn sorted_events(&self) -> Vec<&Event> {
        let mut events: Vec<&Event> = self.events.iter().collect();
        events.sort_by_key(|e| e.at_utc());
        events
    }
}

/// Where a field is, worded only when an error names it.
enum Place {
    /// A field by its path: `opened_at`, `product.purchased_on`.
    Field(&'static str),
    /// A field of a list item: `events[3].at` is `Item("events", 3, "at")`.
    Item(&'static str, usize, &'static str),
}

impl Place {
    fn name(&self) -> String {
        match self {
            Place::Field(path) => (*path).to_string(),
            Place::Item(list, i, field) => format!("{list}[{i}].{field}"),
        }
    }
}

/// A ticket text that is not JSON: an input error with its line and column.
/// What a JSON value is, with its article: `an array`, `a string` …
fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The error for a text that does not start with `{`: malformed JSON is
/// reported as such; well-formed JSON that is not an object says what it is.
fn not_an_object(text: &str) -> Error {
    let value = match serde_json::from_str::<Value>(text) {
        Ok(value) => value,
        Err(e) => return syntax_error(&e),
    };
    let blank = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
    let skipped = text.len() - text.trim_start_matches(blank).len();
    let before = text.get(..skipped).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let column = skipped - before.rfind('\n').map_or(0, |at| at + 1) + 1;
    Error::Input {
        field: String::new(),
        location: crate::error::Location {
            path: String::new(),
            line: u32::try_from(line).ok(),
            column: u32::try_from(column).ok(),
        },
        message: format!(
            "the ticket is {}, not an object: a ticket is a JSON object with at least `id` and `opened_at` (line {line}, column {column})",
            json_kind(&value)
        ),
    }
}

fn syntax_error(e: &serde_json::Error) -> Error {
    let message = e.to_string();
    // serde_json appends " at line L column C"; the location carries them.
    let message = match message.rfind(" at line ") {
        Some(at) => message.get(..at).unwrap_or(&message).to_string(),
        None => message,
    };
    Error::Input {
        field: String::new(),
        location: crate::error::Location {
            path: String::new(),
            line: u32::try_from(e.line()).ok(),
            column: u32::try_from(e.column()).ok(),
        },
        message: format!(
            "the ticket is not valid JSON: {message} (line {}, column {})",
            e.line(),
            e.column()
        ),
    }
}

fn path_error<E: std::fmt::Display>(id: &str, e: serde_path_to_error::Error<E>) -> Error {
    let field = e.path().to_string();
    let field = if field == "." { String::new() } else { field };
    let message = e.inner().to_string();
    // "missing field `opened_at`" names the field in words only: name it in `field`.
    let field = match message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        Some(missing) if field.is_empty() => missing.to_string(),
        Some(missing) => format!("{field}.{missing}"),
        None => field,
    };
    // serde reports "invalid value: integer `-1`, expected u32" for a negative quantity.
    let message = if message.contains("expected u32") {
        format!("{message} (a whole number, not negative)")
    } else {
        message
    };
    Error::ticket(id, field, message)
}

/// The local date of an instant in its own offset. Unlike
/// `DateTime::date_naive`, never panics: at the very ends of chrono's
/// range, where the local time is not representable, the UTC date.
pub(crate) fn local_date(at: &DateTime<FixedOffset>) -> NaiveDate {
    local_time(at).date()
}

/// The local date and time of an instant in its own offset (the UTC time
/// where the local one is not representable).
pub(crate) fn local_time(at: &DateTime<FixedOffset>) -> NaiveDateTime {
    at.naive_utc()
        .checked_add_offset(*at.offset())
        .unwrap_or_else(|| at.naive_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(json: &str) -> (String, String) {
        match Ticket::from_json(json) {
            Err(Error::Ticket { field, message, .. }) => (field, message),
            other => unreachable!("expected a ticket error, got {other:?}"),
        }
    }

    #[test]
    fn minimal_ticket() {
        let t = Ticket::from_json(r#"{"id":"T-1","opened_at":"2026-03-02T08:59:30+08:00"}"#);
        assert_eq!(
            t.map(|t| t.opened_at_utc().to_rfc3339()).ok().as_deref(),
            Some("2026-03-02T00:59:30+00:00")
        );
    }

    #[test]
    fn bad_tickets_name_the_field() {
        assert!(field_of(r#"{"id":"T-1"}"#)
            .1
            .starts_with("missing field `opened_at`"));
        let (field, _) = field_of(
            r#"{"id":"T-1","opened_at":"2026-03-02T08:00:00Z","work":{"parts":[{"sku":"A","qty":-1,"unit_price":"1.00"}]}}"#,
        );
        assert_eq!(field, "work.parts[0].qty");
        let (field, message) =
            field_of(r#"{"id":"T-1","opened_at":"2026-03-02T08:00:00Z","product":{"price":12.5}}"#);
        assert_eq!(field, "product.price");
        assert!(message.contains("never a number"), "{message}");
        let (field, message) = field_of(
            r#"{"id":"T-1","opened_at":"2026-03-02T08:00:00Z","events":[{"at":"2026-03-02T07:00:00Z","kind":"answered"}]}"#,
        );
        assert_eq!(field, "events[0].at");
        assert!(message.contains("before the ticket opened"), "{message}");
        let (field, _) =
            field_of(r#"{"id":"T-1","opened_at":"2026-03-02T08:00:00Z","priority":"high"}"#);
        assert_eq!(field, "priority");
    }

    /// A ticket built in Rust at chrono's last instant, at UTC+14 (whose
    /// local time does not exist), is refused without a panic.
    #[test]
    fn an_instant_without_a_local_time_is_refused_in_utc() {
        let mut ticket =
            Ticket::from_json(r#"{"id":"T-1","opened_at":"2026-03-02T08:00:00Z"}"#).unwrap();
        let plus_14 = FixedOffset::east_opt(14 * 3600).unwrap();
        ticket.opened_at = DateTime::<Utc>::MAX_UTC.with_timezone(&plus_14);
        match ticket.validate() {
            Err(Error::Ticket { field, message, .. }) => {
                assert_eq!(field, "opened_at");
                assert!(message.contains("outside the supported range"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }
}
