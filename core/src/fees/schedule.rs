//! The compiled fee schedule: a checked [`FeeSpec`] with every amount a
//! decimal, every calendar resolved and every line kind known.

use super::spec::{FeeSpec, Number};
use crate::calendar::{Calendar, ALWAYS_OPEN};
use crate::error::{Error, Result};
use crate::money::TaxMode;
use crate::money::{minor_units, Money, Rounding};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The kinds of line a fee schedule writes on a bill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LineKind {
    /// Labour time (`labor`).
    Labor,
    /// The fixed part of a site visit (`callout`).
    Callout,
    /// Distance travelled beyond what the call-out includes (`travel`).
    Travel,
    /// The diagnostic fee (`diagnostic`).
    Diagnostic,
    /// A part used (`part`).
    Part,
}

impl LineKind {
    /// Every kind, in the order they are listed in messages.
    pub const ALL: [LineKind; 5] = [
        LineKind::Labor,
        LineKind::Callout,
        LineKind::Travel,
        LineKind::Diagnostic,
        LineKind::Part,
    ];

    /// The line code on the bill (`labor`, `callout`, `travel`, `diagnostic`, `part`).
    pub fn code(self) -> &'static str {
        match self {
            LineKind::Labor => "labor",
            LineKind::Callout => "callout",
            LineKind::Travel => "travel",
            LineKind::Diagnostic => "diagnostic",
            LineKind::Part => "part",
        }
    }

    /// The kind of a line code.
    pub fn parse(code: &str) -> Option<LineKind> {
        LineKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

impl fmt::Display for LineKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A compiled `[fees]` table. Cheap to share: `Send + Sync`, immutable.
///
/// [`FeeSchedule::charge`] turns a ticket's work into a bill;
/// [`FeeSchedule::retotal`] recomputes the totals after a rule edited lines.
#[derive(Debug, Clone)]
pub struct FeeSchedule {
    pub(super) policy: String,
    pub(super) currency: String,
    pub(super) minor: u32,
    pub(super) rounding: Rounding,
    pub(super) labor: Option<Labor>,
    pub(super) multipliers: Option<Multipliers>,
    pub(super) callout: Option<Callout>,
    pub(super) diagnostic: Option<Diagnostic>,
    pub(super) parts: Option<Parts>,
    pub(super) plans: BTreeMap<String, Discount>,
    pub(super) tiers: BTreeMap<String, Discount>,
    pub(super) tax: Option<Tax>,
    /// The `[fees] rule` hook, a Rhai function `fn NAME(ticket, charges)`.
    pub(super) rule: Option<String>,
    pub(super) cards: Vec<RateCard>,
}

/// A compiled rate card: when it applies, and its own schedule.
#[derive(Debug, Clone)]
pub(super) struct RateCard {
    pub name: String,
    /// (field as written, its path, the values that select the card).
    pub when: Vec<(String, Vec<String>, BTreeSet<String>)>,
    pub schedule: FeeSchedule,
}

#[derive(Debug, Clone)]
pub(super) struct Labor {
    pub rate: Decimal,
    pub minimum_ms: i64,
    pub increment_ms: Option<i64>,
}

#[derive(Debug, Clone)]
pub(super) struct Multipliers {
    pub calendar: Option<Calendar>,
    pub after_hours: Option<Decimal>,
    pub holiday: Option<Decimal>,
    pub applies_to: BTreeSet<LineKind>,
}

#[derive(Debug, Clone)]
pub(super) struct Callout {
    pub default_zone: Option<String>,
    pub zones: BTreeMap<String, ZoneFee>,
}

#[derive(Debug, Clone)]
pub(super) struct ZoneFee {
    pub fee: Decimal,
    pub included_km: Decimal,
    pub per_km: Option<Decimal>,
}

#[derive(Debug, Clone)]
pub(super) struct Diagnostic {
    pub fee: Decimal,
    pub waived_when_repair_accepted: bool,
}

#[derive(Debug, Clone)]
pub(super) struct Parts {
    pub markup_percent: Decimal,
    pub markup_fixed: Decimal,
}

#[derive(Debug, Clone, Default)]
pub(super) struct Discount {
    pub waive: BTreeSet<LineKind>,
    pub percent_off: BTreeMap<LineKind, Decimal>,
}

#[derive(Debug, Clone)]
pub(super) struct Tax {
    pub percent: Decimal,
    pub mode: TaxMode,
    pub rounding: Rounding,
}

impl FeeSchedule {
    /// Checks a `[fees]` table and compiles it for `currency`. `calendars`
    /// are the policy's compiled calendars (`24x7` is always known). An
    /// error names the TOML path: an unknown calendar, a negative price, an
    /// unknown line kind, a currency without a known minor unit…
    pub fn compile(
        policy_id: &str,
        spec: &FeeSpec,
        currency: &str,
        calendars: &BTreeMap<String, Calendar>,
    ) -> Result<FeeSchedule> {
        let fail = |path: &str, message: String| Error::policy(policy_id, path, message);
        let minor = minor_units(currency).ok_or_else(|| {
            fail(
                "policy.currency",
                format!(
                    "`{currency}` is not an ISO 4217 currency code such as \"CNY\" or \"EUR\"; \
                     fees need its minor unit"
                ),
            )
        })?;

        let labor = match &spec.labor {
            None => None,
            Some(l) => {
                let rate = money_at_least_zero(&fail, "fees.labor.rate", l.rate)?;
                let minimum_ms = match l.minimum {
                    None => 0,
                    Some(d) if d.0 < chrono::TimeDelta::zero() => {
                        return Err(fail("fees.labor.minimum", "must not be negative".into()))
                    }
                    Some(d) => d.0.num_milliseconds(),
                };
                let increment_ms = match l.increment {
                    None => None,
                    Some(d) if d.0 <= chrono::TimeDelta::zero() => return Err(fail(
                        "fees.labor.increment",
                        "must be more than zero, e.g. \"30m\"; leave it out to bill time exactly"
                            .into(),
                    )),
                    Some(d) => Some(d.0.num_milliseconds()),
                };
                Some(Labor {
                    rate,
                    minimum_ms,
                    increment_ms,
                })
            }
        };

        let multipliers = match &spec.multipliers {
            None => None,
            Some(m) => {
                let calendar = match &m.calendar {
                    None => None,
                    Some(name) => Some(match calendars.get(name) {
                        Some(c) => c.clone(),
                        None if name == ALWAYS_OPEN => Calendar::always_open(),
                        None => {
                            let known: Vec<&str> = calendars
                                .keys()
                                .map(String::as_str)
                                .chain(
                                    (!calendars.contains_key(ALWAYS_OPEN)).then_some(ALWAYS_OPEN),
                                )
                                .collect();
                            return Err(fail(
                                "fees.multipliers.calendar",
                                format!(
                                    "unknown calendar `{name}`; the policy defines {}",
                                    known.join(", ")
                                ),
                            ));
                        }
                    }),
                };
                let after_hours = m
                    .after_hours
                    .map(|f| number_at_least_zero(&fail, "fees.multipliers.after_hours", f))
                    .transpose()?;
                let holiday = m
                    .holiday
                    .map(|f| number_at_least_zero(&fail, "fees.multipliers.holiday", f))
                    .transpose()?;
                if after_hours.is_none() && holiday.is_none() {
                    return Err(fail(
                        "fees.multipliers",
                        "sets neither `after_hours` nor `holiday`".into(),
                    ));
                }
                if holiday.is_some() && calendar.is_none() {
                    return Err(fail(
                        "fees.multipliers.calendar",
                        "missing: the holiday multiplier needs a calendar that lists the holidays"
                            .into(),
                    ));
                }
                let mut applies_to = BTreeSet::new();
                match &m.applies_to {
                    None => {
                        applies_to.insert(LineKind::Labor);
                    }
                    Some(list) => {
                        for (i, code) in list.iter().enumerate() {
                            let path = format!("fees.multipliers.applies_to[{i}]");
                            match LineKind::parse(code) {
                                Some(LineKind::Part) => {
                                    return Err(fail(
                                        &path,
                                        "a part's price does not depend on the time of the work; \
                                         expected labor, callout, travel or diagnostic"
                                            .into(),
                                    ))
                                }
                                Some(kind) => {
                                    applies_to.insert(kind);
                                }
                                None => {
                                    return Err(fail(
                                        &path,
                                        format!(
                                            "unknown line kind `{code}`; expected labor, callout, \
                                             travel or diagnostic"
                                        ),
                                    ))
                                }
                            }
                        }
                    }
                }
                Some(Multipliers {
                    calendar,
                    after_hours,
                    holiday,
                    applies_to,
                })
            }
        };

        let callout = match &spec.callout {
            None => None,
            Some(c) => {
                if c.zones.is_empty() {
                    return Err(fail(
                        "fees.callout.zones",
                        "lists no zone; add e.g. [fees.callout.zones.A] fee = \"50.00\"".into(),
                    ));
                }
                let mut zones = BTreeMap::new();
                for (name, z) in &c.zones {
                    let base = format!("fees.callout.zones.{name}");
                    let fee = money_at_least_zero(&fail, &format!("{base}.fee"), z.fee)?;
                    let included_km = z
                        .included_km
                        .map(|k| number_at_least_zero(&fail, &format!("{base}.included_km"), k))
                        .transpose()?
                        .unwrap_or(Decimal::ZERO);
                    let per_km = z
                        .per_km
                        .map(|p| money_at_least_zero(&fail, &format!("{base}.per_km"), p))
                        .transpose()?;
                    if z.included_km.is_some() && per_km.is_none() {
                        return Err(fail(
                            &format!("{base}.included_km"),
                            "has no effect without `per_km`, the price of each km beyond it".into(),
                        ));
                    }
                    zones.insert(
                        name.clone(),
                        ZoneFee {
                            fee,
                            included_km,
                            per_km,
                        },
                    );
                }
                if let Some(default) = &c.default_zone {
                    if !zones.contains_key(default) {
                        let known: Vec<&str> = zones.keys().map(String::as_str).collect();
                        return Err(fail(
                            "fees.callout.default_zone",
                            format!(
                                "`{default}` is not a zone of [fees.callout.zones] ({})",
                                known.join(", ")
                            ),
                        ));
                    }
                }
                Some(Callout {
                    default_zone: c.default_zone.clone(),
                    zones,
                })
            }
        };

        let diagnostic = match &spec.diagnostic {
            None => None,
            Some(d) => Some(Diagnostic {
                fee: money_at_least_zero(&fail, "fees.diagnostic.fee", d.fee)?,
                waived_when_repair_accepted: d.waived_when_repair_accepted,
            }),
        };

        let parts = match &spec.parts {
            None => None,
            Some(p) => Some(Parts {
                markup_percent: p
                    .markup_percent
                    .map(|m| number_at_least_zero(&fail, "fees.parts.markup_percent", m))
                    .transpose()?
                    .unwrap_or(Decimal::ZERO),
                markup_fixed: p
                    .markup_fixed
                    .map(|m| money_at_least_zero(&fail, "fees.parts.markup_fixed", m))
                    .transpose()?
                    .unwrap_or(Decimal::ZERO),
            }),
        };

        let mut plans = BTreeMap::new();
        for (name, d) in &spec.plans {
            plans.insert(
                name.clone(),
                compile_discount(&fail, &format!("fees.plans.{name}"), d)?,
            );
        }
        let mut tiers = BTreeMap::new();
        for (name, d) in &spec.tiers {
            tiers.insert(
                name.clone(),
                compile_discount(&fail, &format!("fees.tiers.{name}"), d)?,
            );
        }

        let tax = match &spec.tax {
            None => None,
            Some(t) => {
                let percent = number_at_least_zero(&fail, "fees.tax.percent", t.percent)?;
                if percent > Decimal::ONE_HUNDRED {
                    return Err(fail(
                        "fees.tax.percent",
                        format!("{} is more than 100 percent", t.percent),
                    ));
                }
                Some(Tax {
                    percent,
                    mode: t.mode,
                    rounding: t.rounding.unwrap_or(spec.rounding),
                })
            }
        };

        let mut cards: Vec<RateCard> = Vec::with_capacity(spec.rate_cards.len());
        for (i, card) in spec.rate_cards.iter().enumerate() {
            let path = format!("fees.rate_cards[{i}]");
            if card.name.trim().is_empty() {
                return Err(fail(&format!("{path}.name"), "must not be empty".into()));
            }
            if cards.iter().any(|c| c.name == card.name) {
                return Err(fail(
                    &format!("{path}.name"),
                    format!("rate card `{}` is defined twice", card.name),
                ));
            }
            if card.when.is_empty() {
                return Err(fail(
                    &format!("{path}.when"),
                    "name the ticket fields that select the card, e.g.                      when = { \"customer.segment\" = [\"industrial\"] }"
                        .into(),
                ));
            }
            let mut when = Vec::with_capacity(card.when.len());
            for (field, values) in &card.when {
                let segments: Vec<String> = field.split('.').map(str::to_string).collect();
                let known = [
                    "channel",
                    "kind",
                    "severity",
                    "customer",
                    "product",
                    "fault",
                    "attributes",
                ];
                if segments.iter().any(|s| s.is_empty())
                    || !segments
                        .first()
                        .is_some_and(|s| known.contains(&s.as_str()))
                {
                    return Err(fail(
                        &format!("{path}.when"),
                        format!(
                            "`{field}` is not a ticket field; write a path such as                              customer.segment, customer.tier, product.category or                              attributes.NAME"
                        ),
                    ));
                }
                if values.is_empty() {
                    return Err(fail(
                        &format!("{path}.when"),
                        format!("`{field}` lists no value"),
                    ));
                }
                when.push((field.clone(), segments, values.iter().cloned().collect()));
            }
            let merged = FeeSpec {
                rounding: spec.rounding,
                labor: card.labor.clone().or_else(|| spec.labor.clone()),
                multipliers: card
                    .multipliers
                    .clone()
                    .or_else(|| spec.multipliers.clone()),
                callout: card.callout.clone().or_else(|| spec.callout.clone()),
                diagnostic: card.diagnostic.clone().or_else(|| spec.diagnostic.clone()),
                parts: card.parts.clone().or_else(|| spec.parts.clone()),
                plans: spec.plans.clone(),
                tiers: spec.tiers.clone(),
                tax: card.tax.clone().or_else(|| spec.tax.clone()),
                rate_cards: Vec::new(),
                rule: None,
            };
            let schedule = FeeSchedule::compile(policy_id, &merged, currency, calendars).map_err(
                |e| match e {
                    Error::Policy {
                        policy,
                        mut location,
                        message,
                    } => {
                        if let Some(rest) = location.path.strip_prefix("fees.") {
                            location.path = format!("{path}.{rest}");
                        }
                        Error::Policy {
                            policy,
                            location,
                            message,
                        }
                    }
                    other => other,
                },
            )?;
            cards.push(RateCard {
                name: card.name.clone(),
                when,
                schedule,
            });
        }

        Ok(FeeSchedule {
            policy: policy_id.to_string(),
            currency: currency.to_string(),
            minor,
            rounding: spec.rounding,
            labor,
            multipliers,
            callout,
            diagnostic,
            parts,
            plans,
            tiers,
            tax,
            cards,
            rule: spec.rule.clone(),
        })
    }

    /// The `[fees] rule` hook, if the policy has one.
    pub(crate) fn rule(&self) -> Option<&str> {
        self.rule.as_deref()
    }

    /// The currency every amount is in.
    #[cfg(test)]
    pub(crate) fn currency(&self) -> &str {
        &self.currency
    }
}

fn money_at_least_zero(
    fail: &impl Fn(&str, String) -> Error,
    path: &str,
    value: Money,
) -> Result<Decimal> {
    if value.0.is_sign_negative() && !value.0.is_zero() {
        return Err(fail(
            path,
            format!("{value} is negative; prices are never below zero"),
        ));
    }
    Ok(value.0)
}

fn number_at_least_zero(
    fail: &impl Fn(&str, String) -> Error,
    path: &str,
    value: Number,
) -> Result<Decimal> {
    if value.0.is_sign_negative() && !value.0.is_zero() {
        return Err(fail(path, format!("{value} is negative")));
    }
    Ok(value.0)
}

fn compile_discount(
    fail: &impl Fn(&str, String) -> Error,
    base: &str,
    spec: &super::spec::DiscountSpec,
) -> Result<Discount> {
    let expected = LineKind::ALL
        .iter()
        .map(|k| k.code())
        .collect::<Vec<_>>()
        .join(", ");
    let mut discount = Discount::default();
    for (i, code) in spec.waive.iter().enumerate() {
        let kind = LineKind::parse(code).ok_or_else(|| {
            fail(
                &format!("{base}.waive[{i}]"),
                format!("unknown line kind `{code}`; expected one of {expected}"),
            )
        })?;
        discount.waive.insert(kind);
    }
    for (code, percent) in &spec.percent_off {
        let path = format!("{base}.percent_off.{code}");
        let kind = LineKind::parse(code).ok_or_else(|| {
            fail(
                &path,
                format!("unknown line kind `{code}`; expected one of {expected}"),
            )
        })?;
        if discount.waive.contains(&kind) {
            return Err(fail(
                &path,
                format!("`{code}` is also in `waive`; give one or the other"),
            ));
        }
        let value = number_at_least_zero(fail, &path, *percent)?;
        if value > Decimal::ONE_HUNDRED {
            return Err(fail(&path, format!("{percent} is more than 100 percent")));
        }
        discount.percent_off.insert(kind, value);
    }
    if discount.waive.is_empty() && discount.percent_off.is_empty() {
        return Err(fail(
            base,
            "takes nothing off: give `waive` or `percent_off`".into(),
        ));
    }
    Ok(discount)
}
