//! Compiling a `[fees]` table into a [`FeeSchedule`]: every amount checked
//! and made a decimal, every calendar resolved, every line kind known, and
//! an error naming its TOML path (`fees.callout.zones.A.fee`).

use super::schedule::{
    Callout, CardCondition, Diagnostic, Discount, FeeSchedule, Labor, LineKind, Multipliers, Parts,
    RateCard, Tax, ZoneFee,
};
use super::spec::{
    CalloutSpec, DiagnosticSpec, DiscountSpec, FeeSpec, LaborSpec, MultiplierSpec, Number,
    PartsSpec, RateCardSpec, TaxSpec,
};
use crate::calendar::{Calendar, ALWAYS_OPEN};
use crate::error::{Error, Result};
use crate::money::{minor_units, Money};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

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
        let fail = &|path: &str, message: String| Error::policy(policy_id, path, message);
        let minor = minor_units(currency).ok_or_else(|| {
            fail(
                "policy.currency",
                format!(
                    "`{currency}` is not an ISO 4217 currency code such as \"CNY\" or \"EUR\"; \
                     fees need its minor unit"
                ),
            )
        })?;

        let labor = spec
            .labor
            .as_ref()
            .map(|l| compile_labor(fail, l))
            .transpose()?;
        let multipliers = spec
            .multipliers
            .as_ref()
            .map(|m| compile_multipliers(fail, m, calendars))
            .transpose()?;
        let callout = spec
            .callout
            .as_ref()
            .map(|c| compile_callout(fail, c))
            .transpose()?;

        let diagnostic = spec
            .diagnostic
            .as_ref()
            .map(|d| compile_diagnostic(fail, d))
            .transpose()?;
        let parts = spec
            .parts
            .as_ref()
            .map(|p| compile_parts(fail, p))
            .transpose()?;

        let plans = compile_discounts(fail, "fees.plans", &spec.plans)?;
        let tiers = compile_discounts(fail, "fees.tiers", &spec.tiers)?;
        let tax = spec
            .tax
            .as_ref()
            .map(|t| compile_tax(fail, t, spec))
            .transpose()?;
        let cards = compile_rate_cards(fail, policy_id, spec, currency, calendars)?;

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
}

/// Compiles `[fees.labor]`: the rate, the minimum and the billing increment.
fn compile_labor(fail: &impl Fn(&str, String) -> Error, l: &LaborSpec) -> Result<Labor> {
    let rate = money_at_least_zero(fail, "fees.labor.rate", l.rate)?;
    let minimum_ms = match l.minimum {
        None => 0,
        Some(d) if d.0 < chrono::TimeDelta::zero() => {
            return Err(fail("fees.labor.minimum", "must not be negative".into()))
        }
        Some(d) => d.0.num_milliseconds(),
    };
    let increment_ms = match l.increment {
        None => None,
        Some(d) if d.0 <= chrono::TimeDelta::zero() => {
            return Err(fail(
                "fees.labor.increment",
                "must be more than zero, e.g. \"30m\"; leave it out to bill time exactly".into(),
            ))
        }
        Some(d) => Some(d.0.num_milliseconds()),
    };
    Ok(Labor {
        rate,
        minimum_ms,
        increment_ms,
    })
}

/// Compiles `[fees.multipliers]`: the calendar, the factors and the line
/// kinds they apply to.
fn compile_multipliers(
    fail: &impl Fn(&str, String) -> Error,
    m: &MultiplierSpec,
    calendars: &BTreeMap<String, Calendar>,
) -> Result<Multipliers> {
    let calendar = m
        .calendar
        .as_ref()
        .map(|name| multiplier_calendar(fail, name, calendars))
        .transpose()?;
    let after_hours = m
        .after_hours
        .map(|f| number_at_least_zero(fail, "fees.multipliers.after_hours", f))
        .transpose()?;
    let holiday = m
        .holiday
        .map(|f| number_at_least_zero(fail, "fees.multipliers.holiday", f))
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
            "missing: the holiday multiplier needs a calendar that lists the holidays".into(),
        ));
    }
    let applies_to = multiplied_kinds(fail, m.applies_to.as_deref())?;
    Ok(Multipliers {
        calendar,
        after_hours,
        holiday,
        applies_to,
    })
}

/// The calendar `[fees.multipliers] calendar` names: one of the policy's,
/// or `24x7`.
fn multiplier_calendar(
    fail: &impl Fn(&str, String) -> Error,
    name: &String,
    calendars: &BTreeMap<String, Calendar>,
) -> Result<Calendar> {
    match calendars.get(name) {
        Some(c) => Ok(c.clone()),
        None if name == ALWAYS_OPEN => Ok(Calendar::always_open()),
        None => {
            let known: Vec<&str> = calendars
                .keys()
                .map(String::as_str)
                .chain((!calendars.contains_key(ALWAYS_OPEN)).then_some(ALWAYS_OPEN))
                .collect();
            Err(fail(
                "fees.multipliers.calendar",
                format!(
                    "unknown calendar `{name}`; the policy defines {}",
                    known.join(", ")
                ),
            ))
        }
    }
}

/// The line kinds of `[fees.multipliers] applies_to` (labour when left
/// out); a part is refused, its price does not depend on the time.
fn multiplied_kinds(
    fail: &impl Fn(&str, String) -> Error,
    list: Option<&[String]>,
) -> Result<BTreeSet<LineKind>> {
    let mut applies_to = BTreeSet::new();
    match list {
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
    Ok(applies_to)
}

/// Compiles `[fees.callout]`: its zones and the default zone.
fn compile_callout(fail: &impl Fn(&str, String) -> Error, c: &CalloutSpec) -> Result<Callout> {
    if c.zones.is_empty() {
        return Err(fail(
            "fees.callout.zones",
            "lists no zone; add e.g. [fees.callout.zones.A] fee = \"50.00\"".into(),
        ));
    }
    let mut zones = BTreeMap::new();
    for (name, z) in &c.zones {
        let base = format!("fees.callout.zones.{name}");
        let fee = money_at_least_zero(fail, &format!("{base}.fee"), z.fee)?;
        let included_km = z
            .included_km
            .map(|k| number_at_least_zero(fail, &format!("{base}.included_km"), k))
            .transpose()?
            .unwrap_or(Decimal::ZERO);
        let per_km = z
            .per_km
            .map(|p| money_at_least_zero(fail, &format!("{base}.per_km"), p))
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
    Ok(Callout {
        default_zone: c.default_zone.clone(),
        zones,
    })
}

/// Compiles `[fees.diagnostic]`: the fee and whether an accepted repair
/// waives it.
fn compile_diagnostic(
    fail: &impl Fn(&str, String) -> Error,
    d: &DiagnosticSpec,
) -> Result<Diagnostic> {
    Ok(Diagnostic {
        fee: money_at_least_zero(fail, "fees.diagnostic.fee", d.fee)?,
        waived_when_repair_accepted: d.waived_when_repair_accepted,
    })
}

/// Compiles `[fees.parts]`: the markup, a percentage and a fixed amount
/// (zero when left out).
fn compile_parts(fail: &impl Fn(&str, String) -> Error, p: &PartsSpec) -> Result<Parts> {
    Ok(Parts {
        markup_percent: p
            .markup_percent
            .map(|m| number_at_least_zero(fail, "fees.parts.markup_percent", m))
            .transpose()?
            .unwrap_or(Decimal::ZERO),
        markup_fixed: p
            .markup_fixed
            .map(|m| money_at_least_zero(fail, "fees.parts.markup_fixed", m))
            .transpose()?
            .unwrap_or(Decimal::ZERO),
    })
}

/// Compiles the `[fees.plans]` or `[fees.tiers]` discounts, each at
/// `BASE.NAME`.
fn compile_discounts(
    fail: &impl Fn(&str, String) -> Error,
    base: &str,
    specs: &BTreeMap<String, DiscountSpec>,
) -> Result<BTreeMap<String, Discount>> {
    let mut discounts = BTreeMap::new();
    for (name, d) in specs {
        discounts.insert(
            name.clone(),
            compile_discount(fail, &format!("{base}.{name}"), d)?,
        );
    }
    Ok(discounts)
}

/// Compiles `[fees.tax]`: the percentage, the mode and the rounding (the
/// schedule's when left out).
fn compile_tax(fail: &impl Fn(&str, String) -> Error, t: &TaxSpec, spec: &FeeSpec) -> Result<Tax> {
    let percent = number_at_least_zero(fail, "fees.tax.percent", t.percent)?;
    if percent > Decimal::ONE_HUNDRED {
        return Err(fail(
            "fees.tax.percent",
            format!("{} is more than 100 percent", t.percent),
        ));
    }
    Ok(Tax {
        percent,
        mode: t.mode,
        rounding: t.rounding.unwrap_or(spec.rounding),
    })
}

/// Compiles `[[fees.rate_cards]]`: each card's `when` and its own schedule,
/// the card's tables over the schedule's.
fn compile_rate_cards(
    fail: &impl Fn(&str, String) -> Error,
    policy_id: &str,
    spec: &FeeSpec,
    currency: &str,
    calendars: &BTreeMap<String, Calendar>,
) -> Result<Vec<RateCard>> {
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
        let when = card_when(fail, &path, card)?;
        let merged = merged_spec(spec, card);
        let schedule =
            FeeSchedule::compile(policy_id, &merged, currency, calendars).map_err(|e| match e {
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
            })?;
        cards.push(RateCard {
            name: card.name.clone(),
            when,
            schedule,
        });
    }
    Ok(cards)
}

/// A rate card's `when`: (field as written, its path, the values that
/// select the card).
fn card_when(
    fail: &impl Fn(&str, String) -> Error,
    path: &str,
    card: &RateCardSpec,
) -> Result<Vec<CardCondition>> {
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
    Ok(when)
}

/// A rate card's tables over the schedule's: what the card leaves out, the
/// schedule gives; plans and tiers are the schedule's.
fn merged_spec(spec: &FeeSpec, card: &RateCardSpec) -> FeeSpec {
    FeeSpec {
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
