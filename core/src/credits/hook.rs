//! The credits of one ticket: the `[[credits]]` data, then the entries
//! whose amount a Rhai `rule` works out from a breached metric.

use super::{Credit, CreditRules};
use crate::error::Result;
use crate::money::Money;
use crate::rules::{as_text, to_rhai, Session};
use crate::sla::{MetricResult, MetricStatus};
use rhai::Dynamic;

impl CreditRules {
    /// Credits owed for the ticket's SLA results: from the `[[credits]]`
    /// data, and from their rules, in entry order.
    pub(crate) fn evaluate(
        &self,
        session: &mut Session<'_>,
        sla: &[MetricResult],
    ) -> Result<Vec<Credit>> {
        let ticket = session.ticket;
        let mut credits = self.credits(ticket, sla)?;
        for entry in self.rule_entries_for(ticket) {
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
            let value = session.ticket_value()?;
            let metric_value =
                to_rhai(metric).map_err(|m| session.rule_error(entry.function, m))?;
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
                Some(reason) => crate::text!("rule {label}: {reason}"),
                None => crate::text!("rule {label} for the breach of {}", entry.metric),
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
        Ok(credits)
    }
}
