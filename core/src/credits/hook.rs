//! The credits of one ticket: which entries apply (their filters and
//! `when` conditions), the `[[credits]]` data, then the entries whose
//! amount a Rhai `rule` works out from a breached metric, then the cap
//! over all entries of the ticket.

use super::{Credit, CreditRules};
use crate::error::{Error, Result};
use crate::money::Money;
use crate::rules::{as_text, shown_to_rules, Session};
use crate::sla::{MetricResult, MetricStatus};
use crate::warranty::WarrantyDecision;
use rhai::Dynamic;

impl CreditRules {
    /// Credits owed for the ticket's SLA results: from the `[[credits]]`
    /// data, and from their rules, in entry order; then capped together.
    pub(crate) fn evaluate(
        &self,
        session: &mut Session<'_>,
        sla: &[MetricResult],
        warranty: &WarrantyDecision,
    ) -> Result<Vec<Credit>> {
        let ticket = session.ticket;
        let eligible = self.eligible(session, sla, warranty)?;
        let is_eligible = |index: usize| eligible.get(index).copied().unwrap_or(false);
        let mut credits = self.credits_where(ticket, sla, &|index, _| is_eligible(index))?;
        for entry in self.rule_entries().filter(|e| is_eligible(e.index)) {
            let Some(metric) = sla.iter().find(|m| m.metric == entry.metric) else {
                continue;
            };
            let breached = metric
                .cycles
                .iter()
                .chain([&metric.current])
                .any(|c| c.status == MetricStatus::Breached);
            if !breached {
                continue;
            }
            let value = session.ticket_value();
            let metric_value =
                shown_to_rules(metric).map_err(|m| session.rule_error(entry.function, m))?;
            let result = session.call(entry.function, vec![value, metric_value])?;
            let label = format!("{}()", entry.function);
            session.record(&label, &result);
            let (amount, reason) = match result.clone().try_cast::<rhai::Array>() {
                Some(array) => (
                    array.first().cloned().unwrap_or(Dynamic::UNIT),
                    array.get(1).and_then(as_text),
                ),
                None => (result, None),
            };
            if amount.is_unit() {
                continue;
            }
            let amount = if let Some(d) = amount.clone().try_cast::<rust_decimal::Decimal>() {
                Money(d)
            } else if let Ok(i) = amount.as_int() {
                Money(rust_decimal::Decimal::from(i))
            } else if amount.is_string() {
                Money::parse(&amount.to_string())
                    .map_err(|m| session.rule_error(entry.function, m))?
            } else {
                return Err(session.rule_error(
                    entry.function,
                    format!(
                        "returned a {}, not an amount such as money(\"50.00\")",
                        amount.type_name()
                    ),
                ));
            };
            let because = vec![match reason {
                Some(reason) => crate::reason!(CreditsRule, entry.function.to_string(), reason),
                None => crate::reason!(
                    CreditsRuleBreach,
                    entry.function.to_string(),
                    entry.metric.to_string()
                ),
            }];
            credits.push(self.credit_from_rule(entry.index, ticket, amount, because)?);
        }
        credits.sort_by_key(|c| {
            c.source
                .as_deref()
                .and_then(|s| {
                    s.strip_prefix("credits[")?
                        .strip_suffix(']')?
                        .parse::<usize>()
                        .ok()
                })
                .unwrap_or(usize::MAX)
        });
        self.cap_ticket_total(ticket, &mut credits)?;
        self.check_cap_inputs(ticket, &credits)?;
        Ok(credits)
    }

    /// Which entries apply to the ticket: their `tiers`, `plans` and
    /// `warranty` filters, then their `when` condition, called only for an
    /// entry whose metric was breached (the others earn nothing anyway).
    fn eligible(
        &self,
        session: &mut Session<'_>,
        sla: &[MetricResult],
        warranty: &WarrantyDecision,
    ) -> Result<Vec<bool>> {
        let ticket = session.ticket;
        let mut warranty_value = None;
        let mut out = Vec::with_capacity(self.entries.len());
        for (index, entry) in self.entries.iter().enumerate() {
            if !self.applies_with(index, ticket, warranty) {
                out.push(false);
                continue;
            }
            let Some((source, Some(id))) = &entry.when else {
                out.push(true);
                continue;
            };
            let breached = sla.iter().any(|m| {
                *m.metric == *entry.metric
                    && m.cycles
                        .iter()
                        .chain([&m.current])
                        .any(|c| c.status == MetricStatus::Breached)
            });
            if !breached {
                out.push(false);
                continue;
            }
            let value = session.ticket_value();
            let decision = match &warranty_value {
                Some(v) => Clone::clone(v),
                None => {
                    let v = shown_to_rules(warranty).map_err(|m| {
                        Error::policy(session.policy, format!("{}.when", entry.source), m)
                    })?;
                    warranty_value = Some(v.clone());
                    v
                }
            };
            let rules = session.rules;
            let result = rules.evaluate(session.context, *id, vec![value, decision])?;
            let path = rules.expression_path(*id).to_string();
            let applies = session.truth(&result, &path, source)?;
            session.record(&path, applies);
            out.push(applies);
        }
        Ok(out)
    }
}
