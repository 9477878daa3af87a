//! Compiling `[[credits]]` and `[credit_caps]`: every value checked, an
//! error naming its TOML path (`credits[2].cap_per_ticket`), and the `when`
//! conditions compiled with the policy's rules.

use super::rules::{CapAmount, Entry, PeriodCap, TotalCaps};
use super::spec::{CreditCapsSpec, CreditSpec, Period, PeriodCapSpec};
use super::CreditRules;
use crate::calendar::Zone;
use crate::error::{Error, Result};
use crate::fees::Number;
use crate::money::{minor_units, Money};
use crate::rules::Rules;
use crate::warranty::WarrantyStatus;
use rust_decimal::Decimal;

impl CreditRules {
    /// Checks and compiles the `[[credits]]` entries for `currency`. An error
    /// names the TOML path (`credits[2].cap_per_ticket`).
    #[cfg(test)]
    pub(crate) fn compile(
        policy_id: &str,
        specs: &[CreditSpec],
        currency: &str,
    ) -> Result<CreditRules> {
        let (rules, errors) = Self::compile_all(policy_id, specs, None, currency);
        match (rules, errors.into_iter().next()) {
            (Some(rules), None) => Ok(rules),
            (_, Some(error)) => Err(error),
            (None, None) => Err(Error::policy(policy_id, "credits", "did not compile")),
        }
    }

    /// Compiles every entry and `[credit_caps]`, never stopping at the
    /// first bad one: the rules when all are good, and every error (one per
    /// bad entry).
    pub(crate) fn compile_all(
        policy_id: &str,
        specs: &[CreditSpec],
        caps: Option<&CreditCapsSpec>,
        currency: &str,
    ) -> (Option<CreditRules>, Vec<Error>) {
        let mut errors = Vec::new();
        let Some(minor) = minor_units(currency) else {
            errors.push(Error::policy(
                policy_id,
                "policy.currency",
                format!("`{currency}` is not an ISO 4217 currency code such as \"CNY\" or \"EUR\""),
            ));
            return (None, errors);
        };
        let mut entries = Vec::with_capacity(specs.len());
        for (i, spec) in specs.iter().enumerate() {
            match compile_entry(policy_id, i, spec) {
                Ok(entry) => entries.push(entry),
                Err(error) => errors.push(error),
            }
        }
        let caps = match caps {
            None => TotalCaps::default(),
            Some(spec) => match compile_caps(policy_id, spec) {
                Ok(caps) => caps,
                Err(error) => {
                    errors.push(error);
                    TotalCaps::default()
                }
            },
        };
        if !errors.is_empty() {
            return (None, errors);
        }
        (
            Some(CreditRules {
                policy: policy_id.to_string(),
                currency: currency.to_string(),
                minor,
                zone: Zone::Floating,
                entries,
                caps,
            }),
            errors,
        )
    }

    /// Compiles each entry's `when` condition with the policy's rules, as
    /// a Rhai expression over `ticket` and `warranty`; every error is
    /// returned, located at `credits[i].when`.
    pub(crate) fn compile_conditions(&mut self, rules: &mut Rules) -> Vec<Error> {
        let mut errors = Vec::new();
        for entry in &mut self.entries {
            if let Some((source, id)) = &mut entry.when {
                let path = format!("{}.when", entry.source);
                match rules.compile_expression(&path, source, &["ticket", "warranty"]) {
                    Ok(compiled) => *id = Some(compiled),
                    Err(error) => errors.push(error),
                }
            }
        }
        errors
    }
}

/// The amounts of one entry, each checked not negative; the percentages
/// are of the contract fee.
struct Amounts {
    fixed: Option<Decimal>,
    contract_fee: Option<Decimal>,
    per_hour: Option<Decimal>,
    per_day: Option<Decimal>,
    cap_ticket: Option<Decimal>,
    percent: Option<Decimal>,
    percent_per_hour: Option<Decimal>,
    percent_per_day: Option<Decimal>,
    cap_ticket_percent: Option<Decimal>,
    period_percent: Option<Decimal>,
}

/// Compiles the entry `credits[i]`; an error names `credits[i].FIELD`.
fn compile_entry(policy_id: &str, i: usize, spec: &CreditSpec) -> Result<Entry> {
    let base = format!("credits[{i}]");
    let fail =
        |field: &str, message: String| Error::policy(policy_id, format!("{base}.{field}"), message);
    if spec.metric.trim().is_empty() {
        return Err(fail("metric", "must name a metric of [[targets]]".into()));
    }
    let amounts = compile_amounts(&fail, spec)?;
    check_amounts(&fail, policy_id, &base, spec, &amounts)?;
    let cap_period = spec
        .cap_per_period
        .as_ref()
        .map(|cap| compile_period_cap(&fail, cap, amounts.period_percent))
        .transpose()?;
    let warranty = warranty_filter(&fail, &spec.warranty)?;
    let when = when_condition(&fail, spec.when.as_deref())?;
    Ok(Entry {
        source: base.as_str().into(),
        metric: spec.metric.as_str().into(),
        kind: spec.kind,
        fixed: amounts.fixed,
        percent: amounts.percent,
        contract_fee: amounts.contract_fee,
        per_hour: amounts.per_hour,
        per_day: amounts.per_day,
        percent_per_hour: amounts.percent_per_hour,
        percent_per_day: amounts.percent_per_day,
        rule: spec.rule.clone(),
        cap_ticket: amounts.cap_ticket,
        cap_ticket_percent: amounts.cap_ticket_percent,
        cap_period,
        rounding: spec.rounding.unwrap_or_default(),
        tiers: spec.tiers.clone(),
        plans: spec.plans.clone(),
        warranty,
        when: when.map(|w| (w, None)),
    })
}

/// Reads an entry's amounts, refusing a negative one.
fn compile_amounts(fail: &impl Fn(&str, String) -> Error, spec: &CreditSpec) -> Result<Amounts> {
    let money = |field: &str, value: Option<Money>| -> Result<Option<Decimal>> {
        match value {
            Some(m) if m.0.is_sign_negative() && !m.0.is_zero() => {
                Err(fail(field, format!("{m} is negative")))
            }
            other => Ok(other.map(|m| m.0)),
        }
    };
    let fixed = money("fixed", spec.fixed)?;
    let contract_fee = money("contract_fee", spec.contract_fee)?;
    let per_hour = money("per_started_hour", spec.per_started_hour)?;
    let per_day = money("per_started_day", spec.per_started_day)?;
    let cap_ticket = money("cap_per_ticket", spec.cap_per_ticket)?;
    let percent_field = |field: &str, value: Option<Number>| match value {
        Some(p) if p.0.is_sign_negative() && !p.0.is_zero() => {
            Err(fail(field, format!("{} is negative", p.0)))
        }
        other => Ok(other.map(|p| p.0)),
    };
    let percent = percent_field("percent_of_contract_fee", spec.percent_of_contract_fee)?;
    let percent_per_hour = percent_field(
        "percent_of_contract_fee_per_started_hour",
        spec.percent_of_contract_fee_per_started_hour,
    )?;
    let percent_per_day = percent_field(
        "percent_of_contract_fee_per_started_day",
        spec.percent_of_contract_fee_per_started_day,
    )?;
    let cap_ticket_percent = percent_field(
        "cap_per_ticket_percent_of_contract_fee",
        spec.cap_per_ticket_percent_of_contract_fee,
    )?;
    let period_percent = match &spec.cap_per_period {
        Some(cap) => percent_field(
            "cap_per_period.percent_of_contract_fee",
            cap.percent_of_contract_fee,
        )?,
        None => None,
    };
    Ok(Amounts {
        fixed,
        contract_fee,
        per_hour,
        per_day,
        cap_ticket,
        percent,
        percent_per_hour,
        percent_per_day,
        cap_ticket_percent,
        period_percent,
    })
}

/// Checks that an entry's amounts make sense together: a contract fee only
/// with a percentage of it, and either a `rule` or the amount fields.
fn check_amounts(
    fail: &impl Fn(&str, String) -> Error,
    policy_id: &str,
    base: &str,
    spec: &CreditSpec,
    amounts: &Amounts,
) -> Result<()> {
    let Amounts {
        fixed,
        contract_fee,
        per_hour,
        per_day,
        percent,
        percent_per_hour,
        percent_per_day,
        cap_ticket_percent,
        period_percent,
        ..
    } = amounts;
    let reads_fee = percent.is_some()
        || percent_per_hour.is_some()
        || percent_per_day.is_some()
        || cap_ticket_percent.is_some()
        || period_percent.is_some();
    if contract_fee.is_some() && !reads_fee {
        return Err(fail(
            "contract_fee",
            "has no effect without a percentage of the contract fee".into(),
        ));
    }
    let has_amount = fixed.is_some()
        || percent.is_some()
        || per_hour.is_some()
        || per_day.is_some()
        || percent_per_hour.is_some()
        || percent_per_day.is_some();
    match (&spec.rule, has_amount) {
        (Some(_), true) => {
            return Err(fail(
                "rule",
                "a rule computes the whole amount: give either `rule` or the amount \
             fields (fixed, percent_of_contract_fee, per_started_hour, \
             per_started_day, percent_of_contract_fee_per_started_hour, \
             percent_of_contract_fee_per_started_day), not both"
                    .into(),
            ))
        }
        (Some(name), false) if name.trim().is_empty() => {
            return Err(fail("rule", "must name a Rhai function".into()))
        }
        (None, false) => {
            return Err(Error::policy(
                policy_id,
                base,
                "says nothing about the amount: give `fixed`, `percent_of_contract_fee`, \
             `per_started_hour`, `per_started_day`, \
             `percent_of_contract_fee_per_started_hour`, \
             `percent_of_contract_fee_per_started_day` or a `rule`",
            ))
        }
        _ => {}
    }
    Ok(())
}

/// Compiles an entry's `cap_per_period`: an amount or a percentage of the
/// contract fee, per calendar period or plan year.
fn compile_period_cap(
    fail: &impl Fn(&str, String) -> Error,
    cap: &PeriodCapSpec,
    period_percent: Option<Decimal>,
) -> Result<PeriodCap> {
    let amount = match (cap.amount, period_percent) {
        (Some(_), Some(_)) => {
            return Err(fail(
                "cap_per_period",
                "give either `amount` or `percent_of_contract_fee`, not both".into(),
            ))
        }
        (None, None) => {
            return Err(fail(
                "cap_per_period",
                "gives no cap: add `amount` or `percent_of_contract_fee`".into(),
            ))
        }
        (Some(a), None) => {
            if a.0.is_sign_negative() && !a.0.is_zero() {
                return Err(fail("cap_per_period.amount", format!("{a} is negative")));
            }
            CapAmount::Amount(a.0)
        }
        (None, Some(p)) => CapAmount::PercentOfFee(p),
    };
    let zone = cap
        .timezone
        .as_deref()
        .map(Zone::parse)
        .transpose()
        .map_err(|m| fail("cap_per_period.timezone", m))?;
    if cap.period == Period::PlanYear && cap.timezone.is_some() {
        return Err(fail(
            "cap_per_period.timezone",
            "a plan year runs on the contract's dates, read in the \
             policy's zone: give no `timezone`"
                .into(),
        ));
    }
    let paid_attribute = match cap.paid_attribute.as_deref() {
        Some(key) if key.trim().is_empty() => {
            return Err(fail(
                "cap_per_period.paid_attribute",
                "must name a key of ticket.attributes, such as \
                 \"credits_paid\""
                    .into(),
            ))
        }
        other => other.map(|k| k.trim().to_string()),
    };
    Ok(PeriodCap {
        amount,
        period: cap.period,
        per: cap.per,
        zone,
        paid_attribute,
    })
}

/// The statuses of an entry's `warranty` filter, each once, in the order
/// written.
fn warranty_filter(
    fail: &impl Fn(&str, String) -> Error,
    words: &[String],
) -> Result<Vec<WarrantyStatus>> {
    let mut warranty = Vec::new();
    for (j, word) in words.iter().enumerate() {
        match status_words(word) {
            Some(statuses) => {
                for s in statuses {
                    if !warranty.contains(s) {
                        warranty.push(*s);
                    }
                }
            }
            None => {
                let path = if words.len() == 1 {
                    "warranty".to_string()
                } else {
                    format!("warranty[{j}]")
                };
                return Err(fail(
                    &path,
                    format!(
                        "`{word}` is not a warranty status: give `covered`, \
                         `in_warranty`, `expired`, `excluded`, \
                         `statutory_return`, `statutory_exchange` or \
                         `not_applicable`"
                    ),
                ));
            }
        }
    }
    Ok(warranty)
}

/// An entry's `when` condition as written; an empty one is refused.
fn when_condition(
    fail: &impl Fn(&str, String) -> Error,
    when: Option<&str>,
) -> Result<Option<String>> {
    match when {
        Some(w) if w.trim().is_empty() => Err(fail(
            "when",
            "is empty: give a Rhai condition such as \
             'warranty.status == \"in_warranty\"', or leave it out"
                .into(),
        )),
        other => Ok(other.map(str::to_string)),
    }
}

/// The statuses a word of an entry's `warranty` filter stands for.
fn status_words(word: &str) -> Option<&'static [WarrantyStatus]> {
    use WarrantyStatus as S;
    Some(match word.trim() {
        "covered" => &[S::InWarranty, S::StatutoryReturn, S::StatutoryExchange],
        "in_warranty" => &[S::InWarranty],
        "expired" => &[S::Expired],
        "excluded" => &[S::Excluded],
        "statutory_return" => &[S::StatutoryReturn],
        "statutory_exchange" => &[S::StatutoryExchange],
        "not_applicable" => &[S::NotApplicable],
        _ => return None,
    })
}

/// Compiles `[credit_caps]`; an error names `credit_caps.FIELD`.
fn compile_caps(policy_id: &str, spec: &CreditCapsSpec) -> Result<TotalCaps> {
    let fail = |field: &str, message: String| {
        Error::policy(policy_id, format!("credit_caps.{field}"), message)
    };
    let non_negative = |field: &str, value: Option<Decimal>| match value {
        Some(v) if v.is_sign_negative() && !v.is_zero() => {
            Err(fail(field, format!("{v} is negative")))
        }
        other => Ok(other),
    };
    let incident_attribute = match spec.incident_attribute.as_deref() {
        Some(key) if key.trim().is_empty() => {
            return Err(fail(
                "incident_attribute",
                "must name a key of ticket.attributes, such as \"incident\"".into(),
            ))
        }
        Some(key) => key.trim().to_string(),
        None => "incident".to_string(),
    };
    let caps = TotalCaps {
        per_ticket: non_negative("per_ticket", spec.per_ticket.map(|m| m.0))?,
        per_ticket_percent: non_negative(
            "per_ticket_percent_of_contract_fee",
            spec.per_ticket_percent_of_contract_fee.map(|p| p.0),
        )?,
        per_incident: non_negative("per_incident", spec.per_incident.map(|m| m.0))?,
        per_incident_percent: non_negative(
            "per_incident_percent_of_contract_fee",
            spec.per_incident_percent_of_contract_fee.map(|p| p.0),
        )?,
        incident_attribute,
        contract_fee: non_negative("contract_fee", spec.contract_fee.map(|m| m.0))?,
    };
    let reads_fee = caps.per_ticket_percent.is_some() || caps.per_incident_percent.is_some();
    if caps.contract_fee.is_some() && !reads_fee {
        return Err(fail(
            "contract_fee",
            "has no effect without a percentage of the contract fee".into(),
        ));
    }
    if spec.incident_attribute.is_some()
        && caps.per_incident.is_none()
        && caps.per_incident_percent.is_none()
    {
        return Err(fail(
            "incident_attribute",
            "has no effect without `per_incident` or `per_incident_percent_of_contract_fee`".into(),
        ));
    }
    Ok(caps)
}
