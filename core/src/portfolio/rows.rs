//! One row per ticket: the figures that CSV, the table output, pandas and
//! Arrow all read, taken once from a typed answer. The command line's
//! ticket × metric lines ([`TicketRow::lines`]) and the Python wheel's
//! per-ticket columns are two layouts of this one row.

use crate::duration::{format_human, Duration};
use crate::error::ErrorObject;
use crate::evaluation::Evaluation;
use crate::money::Money;
use crate::sla::MetricStatus;
use crate::warranty::WarrantyStatus;
use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde::Serialize;

/// One ticket's row, built from its answer by [`TicketRow::from_answer`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct TicketRow {
    /// 1-based place of the ticket in its input, when it came from a stream.
    pub position: Option<u64>,
    /// The ticket's id; `None` when a failed ticket had none readable.
    pub ticket: Option<String>,
    /// Severity at `as_of`.
    pub severity: Option<String>,
    /// Each metric's current cycle, in the answer's order.
    pub clocks: Vec<ClockRow>,
    /// The warranty status.
    pub warranty: Option<WarrantyStatus>,
    /// The bill, when the policy charges.
    pub bill: Option<BillRow>,
    /// The credits owed, summed; `None` for a failed ticket, and for a sum
    /// beyond the decimal range (about 7.9e28), which no single ticket's
    /// capped credits reach in practice.
    pub credited: Option<Money>,
    /// Why the ticket could not be evaluated.
    pub error: Option<String>,
}

/// One metric's current cycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ClockRow {
    /// The metric.
    pub metric: String,
    /// Where it stands.
    pub status: MetricStatus,
    /// Its deadline.
    pub deadline: Option<DateTime<FixedOffset>>,
    /// Counted time so far.
    pub elapsed: Option<Duration>,
    /// Counted time left.
    pub remaining: Option<Duration>,
    /// Counted time past the target.
    pub overdue: Option<Duration>,
}

/// The bill's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct BillRow {
    /// The bill's currency.
    pub currency: String,
    /// Before tax.
    pub subtotal: Money,
    /// The tax.
    pub tax: Money,
    /// What the customer pays.
    pub total: Money,
    /// What the cover takes on.
    pub covered_total: Money,
    /// What the warranty takes on.
    pub warranty_total: Money,
}

/// The names of the cells of [`TicketRow::lines`], in order.
pub const COLUMNS: [&str; 11] = [
    "ticket",
    "severity",
    "metric",
    "status",
    "deadline",
    "elapsed",
    "remaining",
    "overdue",
    "warranty",
    "payable",
    "error",
];

impl TicketRow {
    /// The row of one answer (`position` is the ticket's place in its
    /// input, when it has one).
    pub fn from_answer(
        position: Option<u64>,
        answer: &Result<Evaluation, ErrorObject>,
    ) -> TicketRow {
        match answer {
            Ok(evaluation) => TicketRow::from_evaluation(position, evaluation),
            Err(error) => TicketRow {
                position,
                ticket: error.ticket.clone(),
                severity: None,
                clocks: Vec::new(),
                warranty: None,
                bill: None,
                credited: None,
                error: Some(error.message.clone()),
            },
        }
    }

    fn from_evaluation(position: Option<u64>, evaluation: &Evaluation) -> TicketRow {
        let clocks = evaluation
            .sla
            .iter()
            .map(|metric| ClockRow {
                metric: metric.metric.clone(),
                status: metric.current.status,
                deadline: metric.current.deadline,
                elapsed: metric.current.elapsed,
                remaining: metric.current.remaining,
                overdue: metric.current.overdue,
            })
            .collect();
        let bill = evaluation.charges.as_ref().map(|c| BillRow {
            currency: c.currency.clone(),
            subtotal: c.subtotal,
            tax: c.tax,
            total: c.total,
            covered_total: c.covered_total,
            warranty_total: c.warranty_total,
        });
        let credited = evaluation
            .credits
            .iter()
            .try_fold(Decimal::ZERO, |sum, c| sum.checked_add(c.amount.0))
            .map(Money);
        TicketRow {
            position,
            ticket: Some(evaluation.ticket.clone()),
            severity: Some(evaluation.severity.level.clone()),
            clocks,
            warranty: Some(evaluation.warranty.status),
            bill,
            credited,
            error: None,
        }
    }

    /// The metric's cycle, when the answer has that metric.
    pub fn clock(&self, metric: &str) -> Option<&ClockRow> {
        self.clocks.iter().find(|c| c.metric == metric)
    }

    /// The row as ticket × metric lines of text cells, in [`COLUMNS`]
    /// order: one line per metric, with the warranty and the payable
    /// amount on the first; one line for a ticket without metrics or that
    /// failed. A ticket without a readable id reads `#position`. Instants
    /// are RFC 3339, durations in words (`1h 30m`), the payable amount is
    /// followed by its currency.
    pub fn lines(&self) -> Vec<[String; 11]> {
        let ticket = match (&self.ticket, self.position) {
            (Some(id), _) => id.clone(),
            (None, Some(p)) => format!("#{p}"),
            (None, None) => String::new(),
        };
        let text = |d: &Option<Duration>| d.map(|d| format_human(d.0)).unwrap_or_default();
        let warranty = self
            .warranty
            .map(|w| w.as_str().to_string())
            .unwrap_or_default();
        let payable = self
            .bill
            .as_ref()
            .map(|b| format!("{} {}", b.total, b.currency))
            .unwrap_or_default();
        let line = |clock: Option<&ClockRow>, first: bool| -> [String; 11] {
            let (warranty, payable) = if first {
                (warranty.clone(), payable.clone())
            } else {
                (String::new(), String::new())
            };
            [
                ticket.clone(),
                self.severity.clone().unwrap_or_default(),
                clock.map(|c| c.metric.clone()).unwrap_or_default(),
                clock
                    .map(|c| c.status.as_str().to_string())
                    .unwrap_or_default(),
                clock
                    .and_then(|c| c.deadline)
                    .map(|d| d.to_rfc3339())
                    .unwrap_or_default(),
                text(&clock.and_then(|c| c.elapsed)),
                text(&clock.and_then(|c| c.remaining)),
                text(&clock.and_then(|c| c.overdue)),
                warranty,
                payable,
                self.error.clone().unwrap_or_default(),
            ]
        };
        if self.clocks.is_empty() {
            return vec![line(None, true)];
        }
        self.clocks
            .iter()
            .enumerate()
            .map(|(i, clock)| line(Some(clock), i == 0))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;
    use crate::ticket::Ticket;
    use chrono::{DateTime, Utc};

    const POLICY: &str = r#"
[policy]
id = "rows"
version = "1"
currency = "CNY"
timezone = "Asia/Shanghai"

[[targets]]
metric = "answer"
stop = "responded"
target = "1h"

[[targets]]
metric = "resolve"
stop = "resolved"
target = "4h"
"#;

    fn at(text: &str) -> DateTime<Utc> {
        match DateTime::parse_from_rfc3339(text) {
            Ok(t) => t.with_timezone(&Utc),
            Err(e) => panic!("{text}: {e}"),
        }
    }

    #[allow(clippy::result_large_err)] // the answer type itself, as hosts get it
    fn answer(policy: &str, ticket: &str, as_of: &str) -> Result<Evaluation, ErrorObject> {
        let policy = match Policy::from_toml_str(policy) {
            Ok(p) => p,
            Err(e) => panic!("policy: {e}"),
        };
        let ticket = match Ticket::from_json(ticket) {
            Ok(t) => t,
            Err(e) => panic!("ticket: {e}"),
        };
        policy
            .evaluate(&ticket, at(as_of))
            .map_err(|e| crate::error::ErrorObject::from(&e))
    }

    #[test]
    fn one_line_per_metric_with_the_ticket_figures_on_the_first() {
        // Opened 09:00 +08:00 on the 24x7 calendar, answered 09:30, still
        // open at 11:00: answer met (30m used, 30m left, due 10:00); resolve
        // running with 2h used and 2h left of 4h, due 13:00.
        let row = TicketRow::from_answer(
            Some(3),
            &answer(
                POLICY,
                r#"{"id": "0086", "opened_at": "2026-03-02T09:00:00+08:00",
                    "events": [{"kind": "responded", "at": "2026-03-02T09:30:00+08:00"}]}"#,
                "2026-03-02T11:00:00+08:00",
            ),
        );
        assert_eq!(row.ticket.as_deref(), Some("0086"));
        assert_eq!(row.clocks.len(), 2);
        let resolve = row.clock("resolve").map(|c| c.status);
        assert_eq!(resolve, Some(MetricStatus::Running));
        let lines = row.lines();
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines.first().map(|l| [&l[0], &l[2], &l[3], &l[5], &l[6]]),
            Some([
                &"0086".to_string(),
                &"answer".to_string(),
                &"met".to_string(),
                &"30m".to_string(),
                &"30m".to_string()
            ])
        );
        assert_eq!(
            lines.get(1).map(|l| [&l[2], &l[3], &l[4], &l[5], &l[6]]),
            Some([
                &"resolve".to_string(),
                &"running".to_string(),
                &"2026-03-02T13:00:00+08:00".to_string(),
                &"2h".to_string(),
                &"2h".to_string()
            ])
        );
        // The policy has no [warranty]: `not_applicable`, on the first line only.
        assert_eq!(lines.first().map(|l| l[8].as_str()), Some("not_applicable"));
        assert_eq!(lines.get(1).map(|l| l[8].as_str()), Some(""));
    }

    #[test]
    fn a_ticket_without_metrics_still_has_its_line() {
        let no_metrics = r#"
[policy]
id = "rows"
version = "1"
timezone = "Asia/Shanghai"
"#;
        let row = TicketRow::from_answer(
            Some(1),
            &answer(
                no_metrics,
                r#"{"id": "A-1", "opened_at": "2026-03-02T09:00:00+08:00"}"#,
                "2026-03-02T11:00:00+08:00",
            ),
        );
        let lines = row.lines();
        assert_eq!(lines.len(), 1);
        assert_eq!(lines.first().map(|l| l[0].as_str()), Some("A-1"));
        assert_eq!(lines.first().map(|l| l[2].as_str()), Some(""));
    }

    #[test]
    fn a_failed_ticket_without_an_id_reads_its_position() {
        let error = crate::error::ErrorObject::from(&crate::error::Error::input(
            "",
            "expected value at line 1 column 1",
        ));
        let row = TicketRow::from_answer(Some(7), &Err(error));
        assert_eq!(row.ticket, None);
        assert_eq!(row.credited, None);
        let lines = row.lines();
        assert_eq!(lines.len(), 1);
        assert_eq!(lines.first().map(|l| l[0].as_str()), Some("#7"));
        assert_eq!(
            lines.first().map(|l| l[10].as_str()),
            Some("expected value at line 1 column 1")
        );
    }
}
