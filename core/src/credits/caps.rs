//! Caps over several credits: all entries of one ticket (`[credit_caps]
//! per_ticket`, in the evaluation), and across tickets taken in input
//! order (a portfolio): each entry's `cap_per_period` per customer or for
//! the policy, by month, quarter, year or plan year, less what was paid
//! before; then `[credit_caps] per_incident`.
//!
//! Every cap reduces credits in the same way: in order, the first are paid
//! in full, the one that crosses the cap is reduced to what is left, later
//! ones to zero, and each reduced credit's `because` says so.

use super::because;
use super::rules::{contract_fee, CapAmount, PeriodCap};
use super::spec::{CapScope, Period};
use super::{Credit, CreditRules};
use crate::error::{Error, Result};
use crate::money::Money;
use crate::ticket::Ticket;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::HashMap;

/// Whose credits a period cap adds up.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Group {
    Customer(String),
    /// A ticket with no customer id: capped on its own.
    Item(u64),
    Policy,
}

/// What one entry has credited in one group's period.
#[derive(Debug, Clone, Copy, Default)]
struct Used {
    /// Paid before the tickets at hand (the largest the tickets declare).
    before: Decimal,
    /// Credited to the tickets at hand so far.
    batch: Decimal,
}

/// What each `[[credits]]` entry has credited so far, per customer (or for
/// the policy) and period, and what each incident has: the state of the
/// caps over a stream of tickets. Its size grows with the number of
/// customer-periods and incidents, not tickets.
#[derive(Debug, Clone, Default)]
pub(crate) struct PeriodLedger {
    used: HashMap<(usize, Group, String), Used>,
    incidents: HashMap<String, Decimal>,
    tickets: u64,
}

impl CreditRules {
    /// Caps all the credits of one ticket together (`[credit_caps]
    /// per_ticket` and `per_ticket_percent_of_contract_fee`), in entry
    /// order.
    pub(crate) fn cap_ticket_total(&self, ticket: &Ticket, credits: &mut [Credit]) -> Result<()> {
        let caps = &self.caps;
        if credits.is_empty() || (caps.per_ticket.is_none() && caps.per_ticket_percent.is_none()) {
            return Ok(());
        }
        let (cap, words) = self.total_cap(ticket, caps.per_ticket, caps.per_ticket_percent)?;
        let mut so_far = Decimal::ZERO;
        for (i, credit) in credits.iter_mut().enumerate() {
            let room = cap
                .checked_sub(so_far)
                .unwrap_or(Decimal::ZERO)
                .max(Decimal::ZERO);
            if credit.amount.0 > room {
                credit.because.push(because::reduced_by_ticket_cap(
                    credit.amount,
                    Money(self.rescaled(room)),
                    words.clone(),
                    Money(self.rescaled(so_far)),
                ));
                credit.amount = Money(self.rescaled(room));
            }
            so_far = self.sum(ticket, i, "credit_caps.per_ticket", so_far, credit.amount.0)?;
        }
        Ok(())
    }

    /// `so_far + amount` for the cap `what`, exactly; a
    /// sum too large to hold is an error naming the credit that overflowed
    /// it and the cap, never a saturated sum.
    fn sum(
        &self,
        ticket: &Ticket,
        credit: usize,
        what: &str,
        so_far: Decimal,
        amount: Decimal,
    ) -> Result<Decimal> {
        crate::money::exact_sum(so_far, amount).ok_or_else(|| {
            Error::ticket(
                &ticket.id,
                format!("credits[{credit}].amount"),
                format!(
                    "the credits counted against {what}: {}",
                    crate::money::too_large_message(self.minor)
                ),
            )
        })
    }

    /// Checks, for one ticket's credits, the ticket fields the caps across
    /// tickets will read (a plan year's contract start, what was paid
    /// before, the incident id, a contract fee), so that a bad one is an
    /// error of the ticket's evaluation and not of the portfolio.
    pub(crate) fn check_cap_inputs(&self, ticket: &Ticket, credits: &[Credit]) -> Result<()> {
        for credit in credits {
            let Some((_, entry)) = self.entry_of(credit) else {
                continue;
            };
            let Some(cap) = &entry.cap_period else {
                continue;
            };
            if cap.period == Period::PlanYear {
                contract_start(ticket)?;
            }
            if let CapAmount::PercentOfFee(_) = cap.amount {
                self.entry_fee(entry, ticket)?;
            }
            if let Some(key) = &cap.paid_attribute {
                paid_before(ticket, key)?;
            }
        }
        if !credits.is_empty()
            && (self.caps.per_incident.is_some() || self.caps.per_incident_percent.is_some())
        {
            incident_of(ticket, &self.caps.incident_attribute)?;
            if self.caps.per_incident_percent.is_some() {
                contract_fee(ticket, self.caps.contract_fee, "credit_caps")?;
            }
        }
        Ok(())
    }

    /// Caps one ticket's credits per period, given what earlier tickets
    /// were credited (`ledger`), and adds them to the ledger; then caps
    /// them per incident. The ticket's `opened_at` decides its period. A
    /// credit that would take its entry's total for the period (per
    /// customer, or for the policy) beyond `cap_per_period` is reduced to
    /// what is left, and its `because` says so. Tickets are taken in the
    /// order they are given, so the result does not depend on how a stream
    /// of tickets is chunked.
    pub(crate) fn apply_period_caps(
        &self,
        ledger: &mut PeriodLedger,
        ticket: &Ticket,
        credits: &mut [Credit],
    ) -> Result<()> {
        ledger.tickets = ledger.tickets.saturating_add(1);
        let item = ledger.tickets;
        for (i, credit) in credits.iter_mut().enumerate() {
            let Some((index, entry)) = self.entry_of(credit) else {
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
            let period = self.period_of(cap, ticket)?;
            let whose = match &group {
                Group::Customer(id) => Some(crate::reason!(CreditsForCustomer, id)),
                Group::Item(_) => Some(crate::reason!(CreditsForTicket)),
                Group::Policy => None,
            };
            let amount = match cap.amount {
                CapAmount::Amount(amount) => amount,
                CapAmount::PercentOfFee(percent) => {
                    self.percent_cap(ticket, percent, self.entry_fee(entry, ticket)?)?
                }
            };
            let paid = match &cap.paid_attribute {
                Some(key) => paid_before(ticket, key)?,
                None => Decimal::ZERO,
            };
            let used = ledger
                .used
                .entry((index, group, period.clone()))
                .or_default();
            used.before = used.before.max(paid);
            let what = format!("{}.cap_per_period", entry.source);
            let so_far = self.sum(ticket, i, &what, used.before, used.batch)?;
            let room = amount
                .checked_sub(so_far)
                .unwrap_or(Decimal::ZERO)
                .max(Decimal::ZERO);
            if credit.amount.0 > room {
                let before = match &cap.paid_attribute {
                    Some(key) if !used.before.is_zero() => {
                        Some(because::paid_before(Money(self.rescaled(used.before)), key))
                    }
                    _ => None,
                };
                credit.because.push(crate::reason!(
                    CreditsReducedPeriodCap,
                    credit.amount,
                    Money(self.rescaled(room)),
                    &entry.source,
                    Money(self.rescaled(amount)),
                    period_word(cap.period),
                    whose,
                    period.clone(),
                    Money(self.rescaled(so_far)),
                    before
                ));
                credit.amount = Money(self.rescaled(room));
            }
            used.batch = self.sum(ticket, i, &what, used.batch, credit.amount.0)?;
        }
        // A ticket without a customer id is its own group: nothing later
        // can add to it, so it need not be remembered.
        ledger
            .used
            .retain(|(_, group, _), _| !matches!(group, Group::Item(_)));
        self.apply_incident_cap(ledger, ticket, credits)
    }

    /// `[credit_caps] per_incident`: all the credits of the tickets that
    /// share an incident id, in input order.
    fn apply_incident_cap(
        &self,
        ledger: &mut PeriodLedger,
        ticket: &Ticket,
        credits: &mut [Credit],
    ) -> Result<()> {
        let caps = &self.caps;
        if credits.is_empty()
            || (caps.per_incident.is_none() && caps.per_incident_percent.is_none())
        {
            return Ok(());
        }
        let incident = incident_of(ticket, &caps.incident_attribute)?;
        let (cap, words) = self.total_cap(ticket, caps.per_incident, caps.per_incident_percent)?;
        let mut so_far = incident
            .as_ref()
            .and_then(|id| ledger.incidents.get(id))
            .copied()
            .unwrap_or(Decimal::ZERO);
        for (i, credit) in credits.iter_mut().enumerate() {
            let room = cap
                .checked_sub(so_far)
                .unwrap_or(Decimal::ZERO)
                .max(Decimal::ZERO);
            if credit.amount.0 > room {
                credit.because.push(because::reduced_by_incident_cap(
                    credit.amount,
                    Money(self.rescaled(room)),
                    words.clone(),
                    incident.as_deref(),
                    Money(self.rescaled(so_far)),
                ));
                credit.amount = Money(self.rescaled(room));
            }
            so_far = self.sum(
                ticket,
                i,
                "credit_caps.per_incident",
                so_far,
                credit.amount.0,
            )?;
        }
        if let Some(id) = incident {
            ledger.incidents.insert(id, so_far);
        }
        Ok(())
    }

    /// A cap over all entries: the lower of an amount and a percentage of
    /// the ticket's contract fee, and how it was set, in words.
    fn total_cap(
        &self,
        ticket: &Ticket,
        amount: Option<Decimal>,
        percent: Option<Decimal>,
    ) -> Result<(Decimal, crate::reason::Arg)> {
        let by_percent = match percent {
            Some(p) => {
                let fee = contract_fee(ticket, self.caps.contract_fee, "credit_caps")?;
                Some((p, fee, self.percent_cap(ticket, p, fee)?))
            }
            None => None,
        };
        let cap = match (amount, by_percent) {
            (Some(a), Some((_, _, c))) => a.min(c),
            (Some(a), None) => a,
            (None, Some((_, _, c))) => c,
            (None, None) => Decimal::MAX,
        };
        let words = because::cap_words(
            amount.map(|a| Money(self.rescaled(a))),
            by_percent.map(|(p, fee, c)| (p, self.shown(fee), Money(c))),
        );
        Ok((cap, words))
    }

    /// The entry that made a credit, and its position.
    fn entry_of(&self, credit: &Credit) -> Option<(usize, &super::rules::Entry)> {
        let source = credit.source.as_deref()?;
        self.entries
            .iter()
            .enumerate()
            .find(|(_, e)| &*e.source == source)
    }

    /// The period of a ticket under a cap, as a label (`2026-03`,
    /// `2026-Q1`, `2026`, `plan year from 2026-03-15`).
    fn period_of(&self, cap: &PeriodCap, ticket: &Ticket) -> Result<String> {
        let local = cap
            .zone
            .unwrap_or(self.zone)
            .local(ticket.opened_at_utc())
            .date();
        Ok(match cap.period {
            Period::Month => format!("{:04}-{:02}", local.year(), local.month()),
            Period::Quarter => format!("{:04}-Q{}", local.year(), (local.month() - 1) / 3 + 1),
            Period::Year => format!("{:04}", local.year()),
            Period::PlanYear => {
                let start = contract_start(ticket)?;
                format!("plan year from {}", plan_year_start(start, local))
            }
        })
    }
}

/// The first day of the plan year `on` falls in, for a contract that
/// started on `start`: the last anniversary on or before `on`. A 29
/// February start has its anniversary on 28 February in other years.
pub(super) fn plan_year_start(start: NaiveDate, on: NaiveDate) -> NaiveDate {
    let anniversary = |year: i32| {
        start
            .with_year(year)
            .or_else(|| NaiveDate::from_ymd_opt(year, 2, 28))
            .unwrap_or(start)
    };
    let this_year = anniversary(on.year());
    if this_year <= on {
        this_year
    } else {
        anniversary(on.year() - 1)
    }
}

/// `attributes.contract_start`, the first day of the contract.
fn contract_start(ticket: &Ticket) -> Result<NaiveDate> {
    let field = "attributes.contract_start";
    match ticket.attributes.get("contract_start") {
        Some(Value::String(text)) => {
            let start = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
                Error::ticket(
                    &ticket.id,
                    field,
                    format!("`{text}` is not a date such as \"2026-03-15\""),
                )
            })?;
            // Like every date of a ticket: years 1900 through 2200.
            crate::calendar::range::check_date(start)
                .map_err(|m| Error::ticket(&ticket.id, field, m))?;
            Ok(start)
        }
        None | Some(Value::Null) => Err(Error::ticket(
            &ticket.id,
            field,
            "missing: a cap per plan year counts from the contract's start date \
             (\"YYYY-MM-DD\")",
        )),
        Some(_) => Err(Error::ticket(
            &ticket.id,
            field,
            "expected a date such as \"2026-03-15\"",
        )),
    }
}

/// What was paid before, from `attributes.KEY` (none when absent).
fn paid_before(ticket: &Ticket, key: &str) -> Result<Decimal> {
    let field = format!("attributes.{key}");
    match ticket.attributes.get(key) {
        None | Some(Value::Null) => Ok(Decimal::ZERO),
        Some(Value::String(text)) => {
            let paid = Money::parse(text).map_err(|m| Error::ticket(&ticket.id, &field, m))?;
            if paid.0.is_sign_negative() && !paid.0.is_zero() {
                return Err(Error::ticket(&ticket.id, &field, "must not be negative"));
            }
            Ok(paid.0)
        }
        Some(Value::Number(n)) => Err(Error::ticket(
            &ticket.id,
            &field,
            format!("{n} is a number; money is a decimal string such as \"150.00\""),
        )),
        Some(_) => Err(Error::ticket(
            &ticket.id,
            &field,
            "expected a decimal string such as \"150.00\"",
        )),
    }
}

/// The ticket's incident id, from `attributes.KEY` (a string or a whole
/// number); none when absent or empty.
fn incident_of(ticket: &Ticket, key: &str) -> Result<Option<String>> {
    match ticket.attributes.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) if text.trim().is_empty() => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.trim().to_string())),
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => Ok(Some(n.to_string())),
        Some(_) => Err(Error::ticket(
            &ticket.id,
            format!("attributes.{key}"),
            "expected an incident id: a string or a whole number",
        )),
    }
}

fn period_word(period: Period) -> crate::reason::Term {
    use crate::reason::Term;
    match period {
        Period::Month => Term::Month,
        Period::Quarter => Term::Quarter,
        Period::Year => Term::Year,
        Period::PlanYear => Term::PlanYear,
    }
}
