//! Compiled credit rules: from a ticket's SLA results to the credits owed.
//!
//! For each `[[credits]]` entry whose metric was breached:
//! 1. every breached cycle of the metric (completed cycles and the current
//!    one) is one breach; its amount is the sum of the entry's parts: `fixed`,
//!    `percent_of_contract_fee` × the contract fee / 100, `per_started_hour`
//!    × started hours late, `per_started_day` × started days late. "Late" is
//!    the cycle's `overdue` (counted time on the metric's calendar); a
//!    breach counts at least one started hour or day;
//! 2. the breaches are summed exactly and rounded once to the minor unit;
//! 3. `cap_per_ticket` caps the sum;
//! 4. across a batch, [`CreditRules::apply_period_caps`] caps the sum per
//!    customer (or for the whole policy) per month, quarter or year, taking
//!    tickets in time order: the first credits are paid in full, the one
//!    that crosses the cap is reduced to what is left, later ones to zero.

use super::spec::{CapScope, CreditKind, CreditSpec, Period};
use super::Credit;
use crate::calendar::Zone;
use crate::duration::format_human;
use crate::error::{Error, Result};
use crate::money::{minor_units, Money, Rounding};
use crate::sla::{Cycle, MetricResult, MetricStatus};
use crate::ticket::Ticket;
use chrono::{DateTime, Datelike, Utc};
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::HashMap;

const MS_PER_HOUR: i64 = 3_600_000;
const MS_PER_DAY: i64 = 86_400_000;

/// Compiled `[[credits]]` entries. `Send + Sync`, immutable.
#[derive(Debug, Clone)]
pub struct CreditRules {
    policy: String,
    currency: String,
    minor: u32,
    zone: Zone,
    entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
struct Entry {
    source: String,
    metric: String,
    kind: CreditKind,
    fixed: Option<Decimal>,
    percent: Option<Decimal>,
    contract_fee: Option<Decimal>,
    per_hour: Option<Decimal>,
    per_day: Option<Decimal>,
    rule: Option<String>,
    cap_ticket: Option<Decimal>,
    cap_period: Option<PeriodCap>,
    rounding: Rounding,
    tiers: Vec<String>,
    plans: Vec<String>,
}

#[derive(Debug, Clone)]
struct PeriodCap {
    amount: Decimal,
    period: Period,
    per: CapScope,
    zone: Option<Zone>,
}

/// A `[[credits]]` entry whose amount a Rhai function computes: the policy
/// engine runs `function` when `metric` is breached, then passes the result
/// to [`CreditRules::credit_from_rule`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleEntry<'a> {
    /// Position of the entry in `[[credits]]`.
    pub index: usize,
    /// The metric.
    pub metric: &'a str,
    /// The Rhai function.
    pub function: &'a str,
}

/// Whose credits a period cap adds up.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Group {
    Customer(String),
    /// A ticket with no customer id: capped on its own.
    Item(u64),
    Policy,
}

/// What each `[[credits]]` entry has credited so far, per customer (or for
/// the policy) and period: the state of per-period caps over a stream of
/// tickets. Its size grows with the number of customer-periods, not tickets.
#[derive(Debug, Clone, Default)]
pub(crate) struct PeriodLedger {
    used: HashMap<(usize, Group, String), Decimal>,
    tickets: u64,
}

impl CreditRules {
    /// Checks and compiles the `[[credits]]` entries for `currency`. An error
    /// names the TOML path (`credits[2].cap_per_ticket`).
    pub fn compile(policy_id: &str, specs: &[CreditSpec], currency: &str) -> Result<CreditRules> {
        let (rules, errors) = Self::compile_all(policy_id, specs, currency);
        match (rules, errors.into_iter().next()) {
            (Some(rules), None) => Ok(rules),
            (_, Some(error)) => Err(error),
            (None, None) => Err(Error::policy(policy_id, "credits", "did not compile")),
        }
    }

    /// Compiles every entry, never stopping at the first bad one: the
    /// rules when all are good, and every error (one per bad entry).
    pub(crate) fn compile_all(
        policy_id: &str,
        specs: &[CreditSpec],
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
            let entry = (|| -> Result<Entry> {
                let base = format!("credits[{i}]");
                let fail = |field: &str, message: String| {
                    Error::policy(policy_id, format!("{base}.{field}"), message)
                };
                if spec.metric.trim().is_empty() {
                    return Err(fail("metric", "must name a metric of [[targets]]".into()));
                }
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
                let percent = match spec.percent_of_contract_fee {
                    Some(p) if p.0.is_sign_negative() && !p.0.is_zero() => {
                        return Err(fail("percent_of_contract_fee", format!("{p} is negative")))
                    }
                    other => other.map(|p| p.0),
                };
                if contract_fee.is_some() && percent.is_none() {
                    return Err(fail(
                        "contract_fee",
                        "has no effect without `percent_of_contract_fee`".into(),
                    ));
                }
                let has_amount =
                    fixed.is_some() || percent.is_some() || per_hour.is_some() || per_day.is_some();
                match (&spec.rule, has_amount) {
                    (Some(_), true) => {
                        return Err(fail(
                            "rule",
                            "a rule computes the whole amount: give either `rule` or the amount \
                         fields (fixed, percent_of_contract_fee, per_started_hour, \
                         per_started_day), not both"
                                .into(),
                        ))
                    }
                    (Some(name), false) if name.trim().is_empty() => {
                        return Err(fail("rule", "must name a Rhai function".into()))
                    }
                    (None, false) => return Err(Error::policy(
                        policy_id,
                        base.clone(),
                        "says nothing about the amount: give `fixed`, `percent_of_contract_fee`, \
                         `per_started_hour`, `per_started_day` or a `rule`",
                    )),
                    _ => {}
                }
                let cap_period = match &spec.cap_per_period {
                    None => None,
                    Some(cap) => {
                        if cap.amount.0.is_sign_negative() && !cap.amount.0.is_zero() {
                            return Err(fail(
                                "cap_per_period.amount",
                                format!("{} is negative", cap.amount),
                            ));
                        }
                        let zone = cap
                            .timezone
                            .as_deref()
                            .map(Zone::parse)
                            .transpose()
                            .map_err(|m| fail("cap_per_period.timezone", m))?;
                        Some(PeriodCap {
                            amount: cap.amount.0,
                            period: cap.period,
                            per: cap.per,
                            zone,
                        })
                    }
                };
                Ok(Entry {
                    source: base.clone(),
                    metric: spec.metric.clone(),
                    kind: spec.kind,
                    fixed,
                    percent,
                    contract_fee,
                    per_hour,
                    per_day,
                    rule: spec.rule.clone(),
                    cap_ticket,
                    cap_period,
                    rounding: spec.rounding.unwrap_or_default(),
                    tiers: spec.tiers.clone(),
                    plans: spec.plans.clone(),
                })
            })();
            match entry {
                Ok(entry) => entries.push(entry),
                Err(error) => errors.push(error),
            }
        }
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
            }),
            errors,
        )
    }

    /// Sets the time zone of period boundaries for caps that name none:
    /// the policy's `[policy].timezone`. Without it, periods are read in UTC.
    pub fn with_zone(mut self, zone: Zone) -> CreditRules {
        self.zone = zone;
        self
    }

    /// The metrics the entries name, in order, so that the policy can check
    /// that each is a metric of `[[targets]]`.
    pub fn metrics(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| e.metric.as_str())
    }

    /// The entries whose amount a Rhai function computes and that apply to
    /// `ticket`: an entry's `tiers` and `plans` filters hold for its rule as
    /// for its amount fields, so the rule of an entry the ticket is not
    /// eligible for is never called.
    pub fn rule_entries_for<'a>(
        &'a self,
        ticket: &'a Ticket,
    ) -> impl Iterator<Item = RuleEntry<'a>> + 'a {
        self.rule_entries().filter(move |entry| {
            self.entries
                .get(entry.index)
                .is_some_and(|e| applies(e, ticket))
        })
    }

    /// The entries whose amount a Rhai function computes, whatever the
    /// ticket (for checking the policy: use
    /// [`CreditRules::rule_entries_for`] when evaluating).
    pub fn rule_entries(&self) -> impl Iterator<Item = RuleEntry<'_>> {
        self.entries.iter().enumerate().filter_map(|(index, e)| {
            e.rule.as_deref().map(|function| RuleEntry {
                index,
                metric: &e.metric,
                function,
            })
        })
    }

    /// The credits one ticket earns from its SLA results, each capped per
    /// ticket. Entries with a `rule` are left to the policy engine. A
    /// percentage of a contract fee that the ticket does not carry (and the
    /// entry does not set) is a ticket error naming `attributes.contract_fee`.
    pub fn credits(&self, ticket: &Ticket, sla: &[MetricResult]) -> Result<Vec<Credit>> {
        let mut credits = Vec::new();
        for entry in &self.entries {
            if entry.rule.is_some() || !applies(entry, ticket) {
                continue;
            }
            let Some(result) = sla.iter().find(|m| m.metric == entry.metric) else {
                continue;
            };
            let breaches: Vec<&Cycle> = result
                .cycles
                .iter()
                .chain(std::iter::once(&result.current))
                .filter(|c| c.status == MetricStatus::Breached)
                .collect();
            if breaches.is_empty() {
                continue;
            }
            let too_large = || {
                Error::ticket(
                    &ticket.id,
                    "attributes.contract_fee",
                    format!(
                        "the credit of {} is too large to compute exactly",
                        entry.source
                    ),
                )
            };
            let fee = match entry.percent {
                Some(_) => Some(self.contract_fee(entry, ticket)?),
                None => None,
            };
            let mut exact = Decimal::ZERO;
            let mut because: Vec<crate::reason::Reason> = Vec::new();
            for cycle in breaches {
                let (amount, why) = self.breach(entry, cycle, fee).ok_or_else(too_large)?;
                exact = exact.checked_add(amount).ok_or_else(too_large)?;
                because.push(why.into());
            }
            let credit = self.finish(entry, ticket, exact, because);
            credits.push(credit);
        }
        Ok(credits)
    }

    /// Makes the credit of a `rule` entry from the amount its Rhai function
    /// returned: rounded to the minor unit and capped per ticket like any
    /// other. `index` is the entry's position in `[[credits]]`.
    pub fn credit_from_rule(
        &self,
        index: usize,
        ticket: &Ticket,
        amount: Money,
        because: Vec<crate::reason::Reason>,
    ) -> Result<Credit> {
        let entry = self.entries.get(index).ok_or_else(|| {
            Error::policy(
                &self.policy,
                format!("credits[{index}]"),
                "no such [[credits]] entry",
            )
        })?;
        if amount.0.is_sign_negative() && !amount.0.is_zero() {
            return Err(Error::Rule {
                policy: self.policy.clone(),
                function: entry.rule.clone().unwrap_or_default(),
                location: crate::error::Location::path(format!("{}.rule", entry.source)),
                message: format!("returned {amount}: a credit is never negative"),
            });
        }
        Ok(self.finish(entry, ticket, amount.0, because))
    }

    /// Caps one ticket's credits per period, given what earlier tickets
    /// were credited (`ledger`), and adds them to the ledger. `at` is the
    /// ticket's `opened_at`, which decides its period. A credit that would
    /// take its entry's total for the period (per customer, or for the
    /// policy) beyond `cap_per_period` is reduced to what is left, and its
    /// `because` says so. Tickets are taken in the order they are given, so
    /// the result does not depend on how a stream of tickets is chunked.
    pub(crate) fn apply_period_caps(
        &self,
        ledger: &mut PeriodLedger,
        at: DateTime<Utc>,
        credits: &mut [Credit],
    ) {
        ledger.tickets = ledger.tickets.saturating_add(1);
        let item = ledger.tickets;
        for credit in credits.iter_mut() {
            let Some((index, entry)) = credit
                .source
                .as_deref()
                .and_then(|s| self.entries.iter().enumerate().find(|(_, e)| e.source == s))
            else {
                continue;
            };
            let Some(cap) = &entry.cap_period else {
                continue;
            };
            let group = match (cap.per, &credit.customer) {
                (CapScope::Policy, _) => Group::Policy,
                (CapScope::Customer, Some(id)) => Group::Customer(id.clone()),
                (CapScope::Customer, None) => Group::Item(item),
            };
            let period = period_label(cap.period, cap.zone.unwrap_or(self.zone), at);
            let whose = match &group {
                Group::Customer(id) => format!(" for customer {id}"),
                Group::Item(_) => " for this ticket (no customer id)".to_string(),
                Group::Policy => String::new(),
            };
            let so_far = ledger
                .used
                .entry((index, group, period.clone()))
                .or_insert(Decimal::ZERO);
            let room = cap
                .amount
                .checked_sub(*so_far)
                .unwrap_or(Decimal::ZERO)
                .max(Decimal::ZERO);
            if credit.amount.0 > room {
                credit.because.push(crate::text!(
                    "reduced from {} to {}: {}.cap_per_period is {} per {}{whose} \
                     ({period}), {} already credited",
                    credit.amount,
                    Money(self.rescaled(room)),
                    entry.source,
                    Money(self.rescaled(cap.amount)),
                    period_word(cap.period),
                    Money(self.rescaled(*so_far)),
                ));
                credit.amount = Money(self.rescaled(room));
            }
            *so_far = so_far.checked_add(credit.amount.0).unwrap_or(Decimal::MAX);
        }
        // A ticket without a customer id is its own group: nothing later
        // can add to it, so it need not be remembered.
        ledger
            .used
            .retain(|(_, group, _), _| !matches!(group, Group::Item(_)));
    }

    /// One breach: its amount, exact, and why.
    fn breach(
        &self,
        entry: &Entry,
        cycle: &Cycle,
        fee: Option<Decimal>,
    ) -> Option<(Decimal, String)> {
        let overdue_ms = cycle
            .overdue
            .map(|d| d.0.num_milliseconds())
            .unwrap_or(0)
            .max(0);
        let started = |unit: i64| -> i64 {
            let whole = overdue_ms / unit;
            let started = if overdue_ms % unit == 0 {
                whole
            } else {
                whole + 1
            };
            started.max(1)
        };
        let mut amount = Decimal::ZERO;
        let mut parts = Vec::new();
        if let Some(fixed) = entry.fixed {
            amount = amount.checked_add(fixed)?;
            parts.push(format!("{} fixed", self.shown(fixed)));
        }
        if let (Some(percent), Some(fee)) = (entry.percent, fee) {
            let part = fee
                .checked_mul(percent)?
                .checked_div(Decimal::ONE_HUNDRED)?;
            amount = amount.checked_add(part)?;
            parts.push(format!(
                "{}% of the contract fee {} = {}",
                percent.normalize(),
                self.shown(fee),
                part.normalize()
            ));
        }
        if let Some(rate) = entry.per_hour {
            let hours = started(MS_PER_HOUR);
            let part = rate.checked_mul(Decimal::from(hours))?;
            amount = amount.checked_add(part)?;
            parts.push(format!(
                "{hours} started hour{} × {} = {}",
                if hours == 1 { "" } else { "s" },
                self.shown(rate),
                self.shown(part)
            ));
        }
        if let Some(rate) = entry.per_day {
            let days = started(MS_PER_DAY);
            let part = rate.checked_mul(Decimal::from(days))?;
            amount = amount.checked_add(part)?;
            parts.push(format!(
                "{days} started day{} (24 h of counted time) × {} = {}",
                if days == 1 { "" } else { "s" },
                self.shown(rate),
                self.shown(part)
            ));
        }
        let when = cycle
            .breached_at
            .map(|t| format!(" at {}", t.to_rfc3339()))
            .unwrap_or_default();
        let late = format_human(chrono::TimeDelta::milliseconds(overdue_ms));
        Some((
            amount,
            format!(
                "{}: `{}` breached{when}, {late} late: {}",
                entry.source,
                entry.metric,
                parts.join(" + ")
            ),
        ))
    }

    /// Rounds, caps per ticket and fills in the credit.
    fn finish(
        &self,
        entry: &Entry,
        ticket: &Ticket,
        exact: Decimal,
        mut because: Vec<crate::reason::Reason>,
    ) -> Credit {
        let mut amount = entry.rounding.round(exact, self.minor);
        if amount != exact {
            because.push(crate::text!(
                "{} rounded {} to {}",
                exact.normalize(),
                entry.rounding.word(),
                Money(amount)
            ));
        }
        if let Some(cap) = entry.cap_ticket {
            if amount > cap {
                because.push(crate::text!(
                    "capped at {} per ticket ({}.cap_per_ticket), from {}",
                    Money(self.rescaled(cap)),
                    entry.source,
                    Money(amount)
                ));
                amount = self.rescaled(cap);
            }
        }
        Credit {
            metric: entry.metric.clone(),
            kind: entry.kind.as_str().to_string(),
            amount: Money(amount),
            currency: self.currency.clone(),
            because,
            source: Some(entry.source.clone()),
            customer: ticket.customer.as_ref().and_then(|c| c.id.clone()),
        }
    }

    /// The contract fee for a percentage: the ticket's
    /// `attributes.contract_fee`, else the entry's `contract_fee`.
    fn contract_fee(&self, entry: &Entry, ticket: &Ticket) -> Result<Decimal> {
        let field = "attributes.contract_fee";
        match ticket.attributes.get("contract_fee") {
            Some(Value::String(text)) => {
                let fee = Money::parse(text).map_err(|m| Error::ticket(&ticket.id, field, m))?;
                if fee.0.is_sign_negative() && !fee.0.is_zero() {
                    return Err(Error::ticket(&ticket.id, field, "must not be negative"));
                }
                Ok(fee.0)
            }
            Some(Value::Null) | None => entry.contract_fee.ok_or_else(|| {
                Error::ticket(
                    &ticket.id,
                    field,
                    format!(
                        "missing: {} is a percentage of the contract fee, and the policy sets \
                         no `contract_fee` for tickets that carry none",
                        entry.source
                    ),
                )
            }),
            Some(Value::Number(n)) => Err(Error::ticket(
                &ticket.id,
                field,
                format!("{n} is a number; money is a decimal string such as \"1200.00\""),
            )),
            Some(_) => Err(Error::ticket(
                &ticket.id,
                field,
                "expected a decimal string such as \"1200.00\"",
            )),
        }
    }

    fn rescaled(&self, amount: Decimal) -> Decimal {
        let mut shown = amount;
        shown.rescale(self.minor);
        shown
    }

    /// A money figure as shown: at least the minor unit's places.
    fn shown(&self, amount: Decimal) -> Money {
        let mut shown = amount.normalize();
        if shown.scale() < self.minor {
            shown.rescale(self.minor);
        }
        Money(shown)
    }
}

fn applies(entry: &Entry, ticket: &Ticket) -> bool {
    let customer = ticket.customer.as_ref();
    let tier_ok = entry.tiers.is_empty()
        || customer
            .and_then(|c| c.tier.as_deref())
            .is_some_and(|t| entry.tiers.iter().any(|x| x == t));
    let plan_ok = entry.plans.is_empty()
        || customer
            .and_then(|c| c.plan.as_deref())
            .is_some_and(|p| entry.plans.iter().any(|x| x == p));
    tier_ok && plan_ok
}

fn period_label(period: Period, zone: Zone, at: DateTime<Utc>) -> String {
    let local = zone.local(at);
    match period {
        Period::Month => format!("{:04}-{:02}", local.year(), local.month()),
        Period::Quarter => format!("{:04}-Q{}", local.year(), (local.month() - 1) / 3 + 1),
        Period::Year => format!("{:04}", local.year()),
    }
}

fn period_word(period: Period) -> &'static str {
    match period {
        Period::Month => "month",
        Period::Quarter => "quarter",
        Period::Year => "year",
    }
}
