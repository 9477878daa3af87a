//! Formatting evaluations: JSON lines, CSV, an aligned table, and the
//! readable explanation of `explain`.

use crate::Format;
use aftersales::sla::MetricResult;
use aftersales::{Error, Evaluation};
use serde_json::json;
use std::fmt::Write as _;
use std::io::Write;

const COLUMNS: [&str; 11] = [
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

/// Writes evaluations in one format.
pub struct Writer<W: Write> {
    format: Format,
    out: W,
    rows: Vec<[String; 11]>,
}

fn duration(d: &Option<aftersales::Duration>) -> String {
    d.map(|d| aftersales::duration::format_human(d.0))
        .unwrap_or_default()
}

fn status(metric: &MetricResult) -> String {
    metric.current.status.to_string()
}

fn rows(position: usize, result: &Result<Evaluation, Error>) -> Vec<[String; 11]> {
    let evaluation = match result {
        Ok(e) => e,
        Err(e) => {
            let mut row: [String; 11] = Default::default();
            row[0] = match e {
                Error::Ticket { ticket, .. } if !ticket.is_empty() => ticket.clone(),
                _ => format!("#{position}"),
            };
            row[10] = e.to_string();
            return vec![row];
        }
    };
    let warranty = serde_json::to_value(evaluation.warranty.status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let payable = evaluation
        .charges
        .as_ref()
        .map(|c| format!("{} {}", c.total, c.currency))
        .unwrap_or_default();
    let mut out = Vec::new();
    for (i, metric) in evaluation.sla.iter().enumerate() {
        let first = i == 0;
        out.push([
            evaluation.ticket.clone(),
            evaluation.severity.level.clone(),
            metric.metric.clone(),
            status(metric),
            metric
                .current
                .deadline
                .map(|d| d.to_rfc3339())
                .unwrap_or_default(),
            duration(&metric.current.elapsed),
            duration(&metric.current.remaining),
            duration(&metric.current.overdue),
            if first {
                warranty.clone()
            } else {
                String::new()
            },
            if first {
                payable.clone()
            } else {
                String::new()
            },
            String::new(),
        ]);
    }
    out
}

fn write_error(e: impl std::fmt::Display) -> String {
    format!("cannot write the output: {e}")
}

impl<W: Write> Writer<W> {
    /// A writer for `format` into `out`.
    pub fn new(format: Format, out: W) -> Result<Self, String> {
        let mut writer = Writer {
            format,
            out,
            rows: Vec::new(),
        };
        if let Format::Csv = format {
            writer.write_csv(&[COLUMNS.map(str::to_string)])?;
        }
        Ok(writer)
    }

    /// Writes one ticket's evaluation or error.
    pub fn write(
        &mut self,
        position: usize,
        result: &Result<Evaluation, Error>,
    ) -> Result<(), String> {
        match self.format {
            Format::Jsonl => {
                let value = match result {
                    Ok(evaluation) => serde_json::to_value(evaluation).map_err(write_error)?,
                    Err(e) => json!({
                        "position": position,
                        "ticket": match e { Error::Ticket { ticket, .. } => ticket.clone(), _ => String::new() },
                        "error": { "kind": e.kind(), "message": e.to_string(),
                                   "field": match e { Error::Ticket { field, .. } => field.clone(), _ => String::new() } },
                    }),
                };
                writeln!(self.out, "{value}").map_err(write_error)
            }
            Format::Csv => self.write_csv(&rows(position, result)),
            Format::Table => {
                self.rows.extend(rows(position, result));
                Ok(())
            }
        }
    }

    fn write_csv(&mut self, rows: &[[String; 11]]) -> Result<(), String> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        for row in rows {
            writer.write_record(row).map_err(write_error)?;
        }
        let bytes = writer.into_inner().map_err(write_error)?;
        self.out.write_all(&bytes).map_err(write_error)
    }

    /// Flushes what is buffered (the table is aligned over all rows).
    pub fn finish(mut self) -> Result<(), String> {
        if let Format::Table = self.format {
            let used: Vec<usize> = (0..COLUMNS.len())
                .filter(|&c| {
                    self.rows
                        .iter()
                        .any(|r| r.get(c).is_some_and(|v| !v.is_empty()))
                })
                .collect();
            let width = |c: usize| {
                self.rows
                    .iter()
                    .filter_map(|r| r.get(c))
                    .map(|v| v.chars().count())
                    .chain(COLUMNS.get(c).map(|h| h.len()))
                    .max()
                    .unwrap_or(0)
            };
            let widths: Vec<usize> = used.iter().map(|&c| width(c)).collect();
            let header: Vec<String> = used
                .iter()
                .filter_map(|&c| COLUMNS.get(c).map(|h| h.to_string()))
                .collect();
            let mut text = String::new();
            let mut line = |cells: Vec<String>| {
                let padded: Vec<String> = cells
                    .iter()
                    .zip(&widths)
                    .map(|(cell, w)| format!("{cell:<w$}"))
                    .collect();
                let _ = writeln!(text, "{}", padded.join("  ").trim_end());
            };
            line(header);
            for row in &self.rows {
                line(used.iter().filter_map(|&c| row.get(c).cloned()).collect());
            }
            self.out.write_all(text.as_bytes()).map_err(write_error)?;
        }
        self.out.flush().map_err(write_error)
    }
}

/// The readable explanation of one evaluation.
pub fn explanation(evaluation: &Evaluation) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "Ticket {} — policy {} {} ({}), as of {}",
        evaluation.ticket,
        evaluation.policy.id,
        evaluation.policy.version,
        evaluation.policy.digest,
        evaluation.as_of.to_rfc3339()
    );
    let _ = writeln!(text, "\nSeverity: {}", evaluation.severity.level);
    for reason in &evaluation.severity.because {
        let _ = writeln!(text, "  - {reason}");
    }
    let _ = writeln!(text, "\nService promises:");
    for metric in &evaluation.sla {
        let c = &metric.current;
        let mut facts = Vec::new();
        if let Some(t) = &metric.target {
            facts.push(format!("target {t}"));
        }
        if let Some(d) = c.deadline {
            facts.push(format!("deadline {}", d.to_rfc3339()));
        }
        if let Some(w) = c.warn_at {
            facts.push(format!("warn at {}", w.to_rfc3339()));
        }
        for (label, value) in [
            ("elapsed", &c.elapsed),
            ("remaining", &c.remaining),
            ("overdue", &c.overdue),
        ] {
            if value.is_some() {
                facts.push(format!("{label} {}", duration(value)));
            }
        }
        let _ = writeln!(
            text,
            "  {} [{}]: {}{}",
            metric.metric,
            metric.calendar,
            status(metric),
            if facts.is_empty() {
                String::new()
            } else {
                format!(" — {}", facts.join(", "))
            }
        );
        for reason in &metric.because {
            let _ = writeln!(text, "      - {reason}");
        }
    }
    let _ = writeln!(
        text,
        "\nWarranty: {}",
        serde_json::to_value(evaluation.warranty.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    );
    for reason in &evaluation.warranty.because {
        let _ = writeln!(text, "  - {reason}");
    }
    for component in &evaluation.warranty.components {
        let _ = writeln!(
            text,
            "  {}: {}{}",
            component.component,
            if component.covered {
                "covered"
            } else {
                "not covered"
            },
            component
                .until
                .map(|d| format!(" until {d}"))
                .unwrap_or_default()
        );
        for reason in &component.because {
            let _ = writeln!(text, "      - {reason}");
        }
    }
    if let Some(remedy) = &evaluation.warranty.remedy {
        let _ = writeln!(
            text,
            "  remedy: {:?} under {} ({}){}",
            remedy.kind,
            remedy.rule,
            remedy.basis,
            remedy
                .deadline
                .map(|d| format!(", claim by {d}"))
                .unwrap_or_default()
        );
    }
    if let Some(charges) = &evaluation.charges {
        let _ = writeln!(text, "\nCharges ({}):", charges.currency);
        for line in &charges.lines {
            let _ = writeln!(
                text,
                "  {:<12} {:<40} amount {:>10}  covered {:>10}  payable {:>10}",
                line.code, line.description, line.amount, line.covered, line.payable
            );
            for reason in &line.because {
                let _ = writeln!(text, "      - {reason}");
            }
        }
        let _ = writeln!(
            text,
            "  subtotal {}, tax {}, total {} (warranty and plans bore {})",
            charges.subtotal, charges.tax, charges.total, charges.covered_total
        );
    }
    if !evaluation.credits.is_empty() {
        let _ = writeln!(text, "\nCredits:");
        for credit in &evaluation.credits {
            let _ = writeln!(
                text,
                "  {} {} {} for {}",
                credit.kind, credit.amount, credit.currency, credit.metric
            );
            for reason in &credit.because {
                let _ = writeln!(text, "      - {reason}");
            }
        }
    }
    if !evaluation.trace.is_empty() {
        let _ = writeln!(text, "\nRules that fired, in order:");
        for (i, entry) in evaluation.trace.iter().enumerate() {
            let _ = writeln!(text, "  {:>2}. {} → {}", i + 1, entry.rule, entry.result);
        }
    }
    text
}
