//! The flattened ticket × metric rows that CSV, tables, pandas and Arrow
//! share: one row per metric of each evaluation, one row per failed ticket.

use crate::duration::{format_human, Duration};
use crate::error::ErrorObject;
use crate::evaluation::Evaluation;
use crate::money::Money;
use crate::sla::MetricStatus;
use crate::warranty::WarrantyStatus;
use chrono::{DateTime, FixedOffset};
use serde::Serialize;

/// One ticket × metric row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Row {
    /// 1-based place of the ticket in its input, when it came from a stream.
    pub position: Option<u64>,
    /// Ticket id (`#position` when the ticket had none readable).
    pub ticket: String,
    /// Severity at `as_of`.
    pub severity: Option<String>,
    /// The metric.
    pub metric: Option<String>,
    /// Where the metric stands.
    pub status: Option<MetricStatus>,
    /// Its deadline.
    pub deadline: Option<DateTime<FixedOffset>>,
    /// Counted time so far.
    pub elapsed: Option<Duration>,
    /// Counted time left.
    pub remaining: Option<Duration>,
    /// Counted time past the target.
    pub overdue: Option<Duration>,
    /// The warranty status (on the ticket's first row).
    pub warranty: Option<WarrantyStatus>,
    /// What the customer pays (on the ticket's first row).
    pub payable: Option<Money>,
    /// The bill's currency (on the ticket's first row).
    pub currency: Option<String>,
    /// Why the ticket could not be evaluated.
    pub error: Option<String>,
}

/// The names of [`Row::cells`], in order.
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

impl Row {
    /// The row as text cells, in [`COLUMNS`] order: instants in RFC 3339,
    /// durations in words (`1h 30m`), the payable amount with its currency.
    pub fn cells(&self) -> [String; 11] {
        let duration = |d: &Option<Duration>| d.map(|d| format_human(d.0)).unwrap_or_default();
        [
            self.ticket.clone(),
            self.severity.clone().unwrap_or_default(),
            self.metric.clone().unwrap_or_default(),
            self.status
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            self.deadline.map(|d| d.to_rfc3339()).unwrap_or_default(),
            duration(&self.elapsed),
            duration(&self.remaining),
            duration(&self.overdue),
            self.warranty
                .map(|w| w.as_str().to_string())
                .unwrap_or_default(),
            match (&self.payable, &self.currency) {
                (Some(amount), Some(currency)) => format!("{amount} {currency}"),
                _ => String::new(),
            },
            self.error.clone().unwrap_or_default(),
        ]
    }
}

/// The rows of one answer: one per metric of an evaluation (warranty and
/// payable on the first), or one carrying the error.
pub fn rows(position: Option<u64>, answer: &Result<Evaluation, ErrorObject>) -> Vec<Row> {
    let evaluation = match answer {
        Ok(evaluation) => evaluation,
        Err(error) => {
            return vec![Row {
                position,
                ticket: error
                    .ticket
                    .clone()
                    .unwrap_or_else(|| position.map(|p| format!("#{p}")).unwrap_or_default()),
                severity: None,
                metric: None,
                status: None,
                deadline: None,
                elapsed: None,
                remaining: None,
                overdue: None,
                warranty: None,
                payable: None,
                currency: None,
                error: Some(error.message.clone()),
            }]
        }
    };
    evaluation
        .sla
        .iter()
        .enumerate()
        .map(|(i, metric)| {
            let first = i == 0;
            Row {
                position,
                ticket: evaluation.ticket.clone(),
                severity: Some(evaluation.severity.level.clone()),
                metric: Some(metric.metric.clone()),
                status: Some(metric.current.status),
                deadline: metric.current.deadline,
                elapsed: metric.current.elapsed,
                remaining: metric.current.remaining,
                overdue: metric.current.overdue,
                warranty: first.then_some(evaluation.warranty.status),
                payable: evaluation
                    .charges
                    .as_ref()
                    .filter(|_| first)
                    .map(|c| c.total),
                currency: evaluation
                    .charges
                    .as_ref()
                    .filter(|_| first)
                    .map(|c| c.currency.clone()),
                error: None,
            }
        })
        .collect()
}
