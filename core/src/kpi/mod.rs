//! Service goals (`[[kpis]]`): what a policy author writes (`spec.rs`) and
//! the checked goals a compiled policy keeps, which a portfolio judges its
//! tickets against.

mod spec;

pub use spec::{KpiSpec, SurveyMeasure};

use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;
use std::collections::BTreeSet;

/// A compiled `[[kpis]]` entry.
#[derive(Debug, Clone, PartialEq)]
pub enum Kpi {
    /// The share of decided cycles of `metric` that must be met.
    OnTime {
        /// The metric.
        metric: String,
        /// The least on-time rate, in `[0, 1]`.
        goal: Decimal,
        /// What the goal is, for people.
        description: Option<String>,
    },
    /// The least value of a survey measure.
    Survey {
        /// The measure.
        measure: SurveyMeasure,
        /// The least value: a share in `[0, 1]`, or an NPS in `[-100, 100]`.
        goal: Decimal,
        /// The lowest satisfaction score that counts as satisfied.
        satisfied_from: u8,
        /// What the goal is, for people.
        description: Option<String>,
    },
}

/// Checks and compiles the `[[kpis]]` entries; `metrics` are the metrics the
/// targets define. Errors are reported through `error(path, message)`.
pub(crate) fn compile_kpis(
    specs: &[KpiSpec],
    metrics: &BTreeSet<String>,
    error: &mut dyn FnMut(String, String),
) -> Vec<Kpi> {
    let mut kpis = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let path = format!("kpis[{i}]");
        let kpi = match (&spec.metric, spec.on_time, spec.survey, spec.at_least) {
            (Some(metric), Some(on_time), None, None) => {
                on_time_kpi(spec, &path, metric, on_time, metrics, error)
            }
            (None, None, Some(measure), Some(at_least)) => {
                survey_kpi(spec, &path, measure, at_least, error)
            }
            _ => {
                error(
                    path,
                    "a goal is either `metric` with `on_time` (e.g. metric = \"contact\", on_time = 0.98) \
                     or `survey` with `at_least` (e.g. survey = \"satisfaction\", at_least = 0.95)"
                        .to_string(),
                );
                None
            }
        };
        kpis.extend(kpi);
    }
    kpis
}

/// A share between 0 and 1 at `{path}.{field}`, or an error.
fn share(
    path: &str,
    value: f64,
    field: &str,
    error: &mut dyn FnMut(String, String),
) -> Option<Decimal> {
    let decimal =
        Decimal::from_f64(value).filter(|d| (0.0..=1.0).contains(&value) && !d.is_sign_negative());
    if decimal.is_none() {
        error(
            format!("{path}.{field}"),
            "must be a share between 0 and 1, e.g. 0.98".to_string(),
        );
    }
    decimal
}

/// A goal of tickets on time for a metric the targets define.
fn on_time_kpi(
    spec: &KpiSpec,
    path: &str,
    metric: &str,
    on_time: f64,
    metrics: &BTreeSet<String>,
    error: &mut dyn FnMut(String, String),
) -> Option<Kpi> {
    if !metrics.contains(metric) {
        error(
            format!("{path}.metric"),
            format!("no target defines metric `{metric}`"),
        );
    }
    if spec.satisfied_from.is_some() {
        error(
            format!("{path}.satisfied_from"),
            "belongs to a `survey = \"satisfaction\"` goal".to_string(),
        );
    }
    let goal = share(path, on_time, "on_time", error)?;
    Some(Kpi::OnTime {
        metric: metric.to_string(),
        goal,
        description: spec.description.clone(),
    })
}

/// A goal for a survey measure: an NPS between -100 and 100, else a share.
fn survey_kpi(
    spec: &KpiSpec,
    path: &str,
    measure: SurveyMeasure,
    at_least: f64,
    error: &mut dyn FnMut(String, String),
) -> Option<Kpi> {
    let goal = if measure == SurveyMeasure::Nps {
        let goal = Decimal::from_f64(at_least).filter(|_| (-100.0..=100.0).contains(&at_least));
        if goal.is_none() {
            error(
                format!("{path}.at_least"),
                "an NPS goal lies between -100 and 100, e.g. 30".to_string(),
            );
        }
        goal
    } else {
        share(path, at_least, "at_least", error)
    };
    let satisfied_from = spec.satisfied_from.unwrap_or(4);
    if spec.satisfied_from.is_some() && measure != SurveyMeasure::Satisfaction {
        error(
            format!("{path}.satisfied_from"),
            "belongs to a `survey = \"satisfaction\"` goal".to_string(),
        );
    } else if !(1..=5).contains(&satisfied_from) {
        error(
            format!("{path}.satisfied_from"),
            "must be a score from 1 to 5".to_string(),
        );
    }
    Some(Kpi::Survey {
        measure,
        goal: goal?,
        satisfied_from,
        description: spec.description.clone(),
    })
}
