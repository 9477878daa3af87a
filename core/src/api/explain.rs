//! The readable explanation of one evaluation: every decision and the rule
//! that made it, as `aftersales explain` prints it.

use crate::duration::format_human;
use crate::evaluation::Evaluation;
use std::fmt::Write as _;

fn duration(d: &Option<crate::duration::Duration>) -> String {
    d.map(|d| format_human(d.0)).unwrap_or_default()
}

/// The readable explanation of one evaluation.
pub fn explain(evaluation: &Evaluation) -> String {
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
            c.status,
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
    let _ = writeln!(text, "\nWarranty: {}", evaluation.warranty.status);
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
