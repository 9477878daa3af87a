//! Compiled credit rules: from a ticket's SLA results to the credits owed.
//!
//! For each `[[credits]]` entry that applies to the ticket (`tiers`,
//! `plans`, `warranty`, `when`) and whose metric was breached:
//! 1. every breached cycle of the metric (completed cycles and the current
//!    one) is one breach; its amount is the sum of the entry's parts: `fixed`,
//!    `percent_of_contract_fee` × the contract fee / 100, `per_started_hour`
//!    × started hours late, `per_started_day` × started days late, and the
//!    percentages of the fee per started hour or day. "Late" is the cycle's
//!    `overdue` (counted time on the metric's calendar); a breach counts at
//!    least one started hour or day;
//! 2. the breaches are summed exactly and rounded once to the minor unit;
//! 3. `cap_per_ticket` and `cap_per_ticket_percent_of_contract_fee` cap the
//!    sum (the lower wins);
//! 4. `[credit_caps] per_ticket` caps all entries of the ticket together
//!    (see `caps.rs`, which also holds the caps across tickets: per period
//!    and per incident).

use super::because;
use super::spec::{CapScope, CreditKind, Period};
use super::Credit;
use crate::calendar::Zone;
use crate::error::{Error, Result};
use crate::money::{Money, Rounding};
use crate::reason::{Arg, Reason, Sep, Term};
use crate::rules::ExpressionId;
use crate::sla::{Cycle, MetricResult, MetricStatus};
use crate::ticket::Ticket;
use crate::warranty::{WarrantyDecision, WarrantyStatus};
use rust_decimal::Decimal;
use serde_json::Value;
use std::sync::Arc;

const MS_PER_HOUR: i64 = 3_600_000;
const MS_PER_DAY: i64 = 86_400_000;

/// Compiled `[[credits]]` entries. `Send + Sync`, immutable.
#[derive(Debug, Clone)]
pub struct CreditRules {
    pub(super) policy: String,
    pub(super) currency: String,
    pub(super) minor: u32,
    pub(super) zone: Zone,
    pub(super) entries: Vec<Entry>,
    pub(super) caps: TotalCaps,
}

#[derive(Debug, Clone)]
pub(super) struct Entry {
    pub(super) source: Arc<str>,
    pub(super) metric: Arc<str>,
    pub(super) kind: CreditKind,
    pub(super) fixed: Option<Decimal>,
    pub(super) percent: Option<Decimal>,
    pub(super) contract_fee: Option<Decimal>,
    pub(super) per_hour: Option<Decimal>,
    pub(super) per_day: Option<Decimal>,
    pub(super) percent_per_hour: Option<Decimal>,
    pub(super) percent_per_day: Option<Decimal>,
    pub(super) rule: Option<String>,
    pub(super) cap_ticket: Option<Decimal>,
    pub(super) cap_ticket_percent: Option<Decimal>,
    pub(super) cap_period: Option<PeriodCap>,
    pub(super) rounding: Rounding,
    pub(super) tiers: Vec<String>,
    pub(super) plans: Vec<String>,
    pub(super) warranty: Vec<WarrantyStatus>,
    /// The `when` condition as written, and its compiled form once the
    /// policy's rules have compiled it.
    pub(super) when: Option<(String, Option<ExpressionId>)>,
}

#[derive(Debug, Clone)]
pub(super) struct PeriodCap {
    /// The cap: an amount, or a percentage of the contract fee.
    pub(super) amount: CapAmount,
    pub(super) period: Period,
    pub(super) per: CapScope,
    pub(super) zone: Option<Zone>,
    pub(super) paid_attribute: Option<String>,
}

/// A cap written as an amount or as a percentage of the contract fee.
#[derive(Debug, Clone, Copy)]
pub(super) enum CapAmount {
    Amount(Decimal),
    PercentOfFee(Decimal),
}

/// `[credit_caps]`, compiled.
#[derive(Debug, Clone, Default)]
pub(super) struct TotalCaps {
    pub(super) per_ticket: Option<Decimal>,
    pub(super) per_ticket_percent: Option<Decimal>,
    pub(super) per_incident: Option<Decimal>,
    pub(super) per_incident_percent: Option<Decimal>,
    pub(super) incident_attribute: String,
    pub(super) contract_fee: Option<Decimal>,
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

impl CreditRules {
    /// Sets the time zone of period boundaries for caps that name none:
    /// the policy's `[policy].timezone`. Without it, periods are read in UTC.
    pub fn with_zone(mut self, zone: Zone) -> CreditRules {
        self.zone = zone;
        self
    }

    /// The metrics the entries name, in order, so that the policy can check
    /// that each is a metric of `[[targets]]`.
    pub fn metrics(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| &*e.metric)
    }

    /// The entries whose amount a Rhai function computes, whatever the
    /// ticket.
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
    /// ticket. Entries with a `rule` are left to the policy engine, and so
    /// are entries with a `warranty` or `when` filter (they need the
    /// evaluation's warranty decision and rules). A percentage of a contract
    /// fee that the ticket does not carry (and the entry does not set) is a
    /// ticket error naming `attributes.contract_fee`.
    #[cfg(test)]
    pub(crate) fn credits(&self, ticket: &Ticket, sla: &[MetricResult]) -> Result<Vec<Credit>> {
        self.credits_where(ticket, sla, &|_, entry: &Entry| {
            applies(entry, ticket) && entry.warranty.is_empty() && entry.when.is_none()
        })
    }

    /// The credits of the entries `eligible` accepts (given each entry's
    /// position), leaving `rule` entries to the policy engine.
    pub(super) fn credits_where(
        &self,
        ticket: &Ticket,
        sla: &[MetricResult],
        eligible: &dyn Fn(usize, &Entry) -> bool,
    ) -> Result<Vec<Credit>> {
        let mut credits = Vec::new();
        for (index, entry) in self.entries.iter().enumerate() {
            if entry.rule.is_some() || !eligible(index, entry) {
                continue;
            }
            let Some(result) = sla.iter().find(|m| *m.metric == *entry.metric) else {
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
            let fee = if entry.percent.is_some()
                || entry.percent_per_hour.is_some()
                || entry.percent_per_day.is_some()
            {
                Some(self.entry_fee(entry, ticket)?)
            } else {
                None
            };
            let mut exact = Decimal::ZERO;
            let mut because: Vec<Reason> = Vec::new();
            for cycle in breaches {
                let (amount, why) = self.breach(entry, cycle, fee).ok_or_else(too_large)?;
                exact = exact.checked_add(amount).ok_or_else(too_large)?;
                because.push(why);
            }
            let credit = self.finish(entry, ticket, exact, because)?;
            credits.push(credit);
        }
        Ok(credits)
    }

    /// Whether an entry applies to a ticket given its warranty decision:
    /// its `tiers`, `plans` and `warranty` filters (not its `when`, which
    /// the policy engine decides).
    pub(super) fn applies_with(
        &self,
        index: usize,
        ticket: &Ticket,
        warranty: &WarrantyDecision,
    ) -> bool {
        self.entries.get(index).is_some_and(|entry| {
            applies(entry, ticket)
                && (entry.warranty.is_empty() || entry.warranty.contains(&warranty.status))
        })
    }

    /// Makes the credit of a `rule` entry from the amount its Rhai function
    /// returned: rounded to the minor unit and capped per ticket like any
    /// other. `index` is the entry's position in `[[credits]]`.
    pub fn credit_from_rule(
        &self,
        index: usize,
        ticket: &Ticket,
        amount: Money,
        because: Vec<Reason>,
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
        self.finish(entry, ticket, amount.0, because)
    }

    /// One breach: its amount, exact, and why.
    fn breach(
        &self,
        entry: &Entry,
        cycle: &Cycle,
        fee: Option<Decimal>,
    ) -> Option<(Decimal, Reason)> {
        let overdue_ms = cycle
            .overdue
            .map(|d| d.0.num_milliseconds())
            .unwrap_or(0)
            .max(0);
        let mut sum = Sum {
            amount: Decimal::ZERO,
            parts: Vec::new(),
        };
        self.flat_parts(entry, fee, &mut sum)?;
        self.started_parts(entry, fee, overdue_ms, &mut sum)?;
        let Sum { amount, parts } = sum;
        let when = cycle
            .breached_at
            .map(|t| crate::reason!(CreditsBreachedAt, t));
        let late = chrono::TimeDelta::milliseconds(overdue_ms);
        Some((
            amount,
            crate::reason!(
                CreditsBreach,
                &entry.source,
                &entry.metric,
                when,
                late,
                Arg::list(parts, Sep::Plus)
            ),
        ))
    }

    /// The parts of a breach that do not grow with the time late: a fixed
    /// amount and a percent of the fee.
    fn flat_parts(&self, entry: &Entry, fee: Option<Decimal>, sum: &mut Sum) -> Option<()> {
        if let Some(fixed) = entry.fixed {
            sum.add(fixed, crate::reason!(CreditsFixed, self.shown(fixed)))?;
        }
        if let (Some(percent), Some(fee)) = (entry.percent, fee) {
            let part = fee
                .checked_mul(percent)?
                .checked_div(Decimal::ONE_HUNDRED)?;
            sum.add(
                part,
                crate::reason!(
                    CreditsPercentOfFee,
                    percent.normalize(),
                    self.shown(fee),
                    part.normalize()
                ),
            )?;
        }
        Some(())
    }

    /// The parts of a breach per started hour or day late (`overdue_ms`,
    /// at least one): amounts and percents of the fee.
    fn started_parts(
        &self,
        entry: &Entry,
        fee: Option<Decimal>,
        overdue_ms: i64,
        sum: &mut Sum,
    ) -> Option<()> {
        let started = |unit: i64| -> i64 {
            let whole = overdue_ms / unit;
            let started = if overdue_ms % unit == 0 {
                whole
            } else {
                whole + 1
            };
            started.max(1)
        };
        if let Some(rate) = entry.per_hour {
            let hours = started(MS_PER_HOUR);
            let part = rate.checked_mul(Decimal::from(hours))?;
            sum.add(
                part,
                crate::reason!(
                    CreditsPerStarted,
                    hours,
                    if hours == 1 {
                        Term::StartedHour
                    } else {
                        Term::StartedHours
                    },
                    self.shown(rate),
                    self.shown(part)
                ),
            )?;
        }
        if let Some(rate) = entry.per_day {
            let days = started(MS_PER_DAY);
            let part = rate.checked_mul(Decimal::from(days))?;
            sum.add(
                part,
                crate::reason!(
                    CreditsPerStarted,
                    days,
                    if days == 1 {
                        Term::StartedDay
                    } else {
                        Term::StartedDays
                    },
                    self.shown(rate),
                    self.shown(part)
                ),
            )?;
        }
        if let (Some(percent), Some(fee)) = (entry.percent_per_hour, fee) {
            let hours = started(MS_PER_HOUR);
            let part = fee
                .checked_mul(percent)?
                .checked_div(Decimal::ONE_HUNDRED)?
                .checked_mul(Decimal::from(hours))?;
            sum.add(
                part,
                because::percent_of_fee_per_started(hours, false, percent, self.shown(fee), part),
            )?;
        }
        if let (Some(percent), Some(fee)) = (entry.percent_per_day, fee) {
            let days = started(MS_PER_DAY);
            let part = fee
                .checked_mul(percent)?
                .checked_div(Decimal::ONE_HUNDRED)?
                .checked_mul(Decimal::from(days))?;
            sum.add(
                part,
                because::percent_of_fee_per_started(days, true, percent, self.shown(fee), part),
            )?;
        }
        Some(())
    }

    /// Rounds, caps per ticket and fills in the credit.
    fn finish(
        &self,
        entry: &Entry,
        ticket: &Ticket,
        exact: Decimal,
        mut because: Vec<Reason>,
    ) -> Result<Credit> {
        let mut amount = entry
            .rounding
            .round_exact(exact, self.minor)
            .ok_or_else(|| {
                Error::ticket(
                    &ticket.id,
                    format!("{}.amount", entry.source),
                    crate::money::too_large_message(self.minor),
                )
            })?;
        if amount != exact {
            because.push(crate::reason!(
                CreditsRounded,
                exact.normalize(),
                Term::from(entry.rounding),
                Money(amount)
            ));
        }
        if let Some(cap) = entry.cap_ticket {
            if amount > cap {
                because.push(crate::reason!(
                    CreditsCappedPerTicket,
                    Money(self.rescaled(cap)),
                    &entry.source,
                    Money(amount)
                ));
                amount = self.rescaled(cap);
            }
        }
        if let Some(percent) = entry.cap_ticket_percent {
            let fee = self.entry_fee(entry, ticket)?;
            let cap = self.percent_cap(ticket, percent, fee)?;
            if amount > cap {
                because.push(because::capped_at_percent_per_ticket(
                    Money(cap),
                    &entry.source,
                    percent,
                    self.shown(fee),
                    Money(amount),
                ));
                amount = cap;
            }
        }
        Ok(Credit {
            metric: entry.metric.to_string(),
            kind: entry.kind.as_str().to_string(),
            amount: Money(amount),
            currency: self.currency.clone(),
            because,
            source: Some(entry.source.to_string()),
            customer: ticket.customer.as_ref().and_then(|c| c.id.clone()),
        })
    }

    /// A cap that is `percent` of `fee`, rounded down to the minor unit
    /// (a cap never pays more than the percentage says). A fee too large
    /// for the product is an error naming `attributes.contract_fee`, never
    /// a cap saturated at the decimal type's maximum.
    pub(super) fn percent_cap(
        &self,
        ticket: &Ticket,
        percent: Decimal,
        fee: Decimal,
    ) -> Result<Decimal> {
        fee.checked_mul(percent)
            .and_then(|v| v.checked_div(Decimal::ONE_HUNDRED))
            .and_then(|exact| Rounding::Down.round_exact(exact, self.minor))
            .ok_or_else(|| {
                Error::ticket(
                    &ticket.id,
                    "attributes.contract_fee",
                    format!(
                        "{percent}% of the contract fee: {}",
                        crate::money::too_large_message(self.minor)
                    ),
                )
            })
    }

    /// The contract fee an entry reads: the ticket's
    /// `attributes.contract_fee`, else the entry's `contract_fee`.
    pub(super) fn entry_fee(&self, entry: &Entry, ticket: &Ticket) -> Result<Decimal> {
        contract_fee(ticket, entry.contract_fee, &entry.source)
    }

    pub(super) fn rescaled(&self, amount: Decimal) -> Decimal {
        let mut shown = amount;
        shown.rescale(self.minor);
        shown
    }

    /// A money figure as shown: at least the minor unit's places.
    pub(super) fn shown(&self, amount: Decimal) -> Money {
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

/// The contract fee a percentage reads: the ticket's
/// `attributes.contract_fee` (a decimal string), else `fallback`; `whose`
/// (`credits[0]`, `credit_caps`) names the setting in the error when
/// neither is there.
pub(super) fn contract_fee(
    ticket: &Ticket,
    fallback: Option<Decimal>,
    whose: &str,
) -> Result<Decimal> {
    let field = "attributes.contract_fee";
    match ticket.attributes.get("contract_fee") {
        Some(Value::String(text)) => {
            let fee = Money::parse(text).map_err(|m| Error::ticket(&ticket.id, field, m))?;
            if fee.0.is_sign_negative() && !fee.0.is_zero() {
                return Err(Error::ticket(&ticket.id, field, "must not be negative"));
            }
            Ok(fee.0)
        }
        Some(Value::Null) | None => fallback.ok_or_else(|| {
            Error::ticket(
                &ticket.id,
                field,
                format!(
                    "missing: {whose} is a percentage of the contract fee, and the policy sets \
                     no `contract_fee` for tickets that carry none"
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

/// A breach's amount so far and the parts that make it.
struct Sum {
    /// The exact amount.
    amount: Decimal,
    /// Each part, in words.
    parts: Vec<Arg>,
}

impl Sum {
    /// Adds a part and its words; `None` when the amount overflows.
    fn add(&mut self, part: Decimal, why: impl Into<Arg>) -> Option<()> {
        self.amount = self.amount.checked_add(part)?;
        self.parts.push(why.into());
        Some(())
    }
}
