//! Portfolios: what spans tickets. Evaluating one ticket is a pure function
//! of (policy, ticket, as_of); a [`Portfolio`] takes the answers of a stream
//! of tickets, in order, and
//! - caps credits per customer (or per policy) per month, quarter or year,
//!   tickets taken in the order they are added, so the result does not
//!   depend on how the stream is chunked; its memory grows with the number
//!   of customer-periods, not tickets;
//! - counts what the policy's `[[kpis]]` judge: per metric the statuses,
//!   on-time rate and lateness; the money charged, borne by warranty and
//!   credited; the survey measures;
//! - gives the one [`TicketRow`] per answer that CSV, tables, pandas and
//!   Arrow are all laid out from.

mod kpi;
mod rows;

pub use rows::{BillRow, ClockRow, TicketRow, COLUMNS};

use crate::credits::PeriodLedger;
use crate::error::Error;
use crate::evaluation::{Evaluation, PolicyRef};
use crate::kpi::{Kpi, SurveyMeasure};
use crate::money::Money;
use crate::policy::Policy;
use crate::ticket::Ticket;
use kpi::Tally;
use rust_decimal::Decimal;
use serde::Serialize;
use std::fmt::Write as _;

/// A stream of evaluations, folded: period caps across tickets, KPIs,
/// totals.
///
/// ```
/// # let policy = aftersales::Policy::from_path("../examples/policies/hot_water_meter.toml").unwrap();
/// use aftersales::{Portfolio, Ticket};
/// let as_of = "2026-03-04T12:00:00+08:00".parse().unwrap();
/// let mut portfolio = Portfolio::new(&policy);
/// for text in std::fs::read_to_string("../examples/tickets/hot_water_meter.jsonl").unwrap().lines() {
///     let ticket = Ticket::from_json(text).unwrap();
///     let mut answer = policy.evaluate(&ticket, as_of);
///     portfolio.add(&ticket, &mut answer);
/// }
/// let report = portfolio.report();
/// assert_eq!(report.errors, 0);
/// ```
#[derive(Debug, Clone)]
pub struct Portfolio {
    policy: Policy,
    ledger: PeriodLedger,
    tally: Tally,
}

impl Portfolio {
    /// An empty portfolio of `policy`'s answers.
    pub fn new(policy: &Policy) -> Portfolio {
        Portfolio {
            policy: policy.clone(),
            ledger: PeriodLedger::default(),
            tally: Tally::default(),
        }
    }

    /// Adds the next ticket's answer: caps its credits per period given
    /// the tickets added before it (changing `answer`'s credits and their
    /// `because`), then counts it.
    pub fn add(&mut self, ticket: &Ticket, answer: &mut Result<Evaluation, Error>) {
        match answer {
            Ok(evaluation) => {
                // A ticket evaluated alone was capped as a portfolio of
                // one: its credits are capped again from where they stood.
                if let Some(uncapped) = evaluation.take_uncapped_credits() {
                    evaluation.credits = uncapped;
                }
                if !evaluation.credits.is_empty() {
                    // A policy set's ticket is capped by its own version's
                    // rules, on the one ledger of the whole portfolio.
                    let capped = self.policy.for_ticket(ticket).and_then(|policy| {
                        policy.inner.credits.apply_period_caps(
                            &mut self.ledger,
                            ticket,
                            &mut evaluation.credits,
                        )
                    });
                    if let Err(error) = capped {
                        // The evaluation checked what the caps read, so
                        // this is not expected; if it happens, the ticket
                        // is an error rather than wrongly capped.
                        self.tally.add_error(&error);
                        *answer = Err(error);
                        return;
                    }
                }
                if let Some(rendering) = evaluation.rendering() {
                    evaluation.render(rendering);
                }
                self.tally.add(evaluation, ticket.survey.as_ref());
            }
            Err(error) => self.tally.add_error(error),
        }
    }

    /// Counts a ticket that could not even be read.
    pub fn add_error(&mut self, error: &Error) {
        self.tally.add_error(error);
    }

    /// Adds the counts of another portfolio of the same policy (a
    /// partition counted apart). Period caps are not merged: the tickets of
    /// one customer must be in one partition for their caps to hold.
    pub fn merge(&mut self, other: &Portfolio) {
        self.tally.merge(&other.tally);
    }

    /// The counts of this portfolio as JSON, to be merged elsewhere with
    /// [`Portfolio::merge_partial_json`]: how a partition evaluated in
    /// another process (a Spark executor, a Dask worker) hands over its
    /// tally. Named by the policy's digest; period caps are not carried
    /// (see [`Portfolio::merge`]).
    ///
    /// ```
    /// # let policy = aftersales::Policy::from_path("../examples/policies/hot_water_meter.toml").unwrap();
    /// let empty = aftersales::Portfolio::new(&policy);
    /// let mut merged = aftersales::Portfolio::new(&policy);
    /// merged.merge_partial_json(&empty.partial_json()).unwrap();
    /// assert_eq!(merged.report(), empty.report());
    /// ```
    pub fn partial_json(&self) -> String {
        let partial = Partial {
            digest: self.policy.digest().to_string(),
            tally: self.tally.to_data(),
        };
        serde_json::to_string(&partial).unwrap_or_default()
    }

    /// Adds the counts of a [`Portfolio::partial_json`] text. A text that
    /// is not a partial tally, or one of another policy (another digest),
    /// is an input error at `partial` and adds nothing.
    pub fn merge_partial_json(&mut self, text: &str) -> Result<(), Error> {
        let partial: Partial = serde_json::from_str(text)
            .map_err(|e| Error::input("partial", format!("not a partial tally: {e}")))?;
        if partial.digest != self.policy.digest() {
            return Err(Error::input(
                "partial",
                format!(
                    "a partial tally of policy {}, not of this policy ({})",
                    partial.digest,
                    self.policy.digest()
                ),
            ));
        }
        let tally = Tally::from_data(&partial.tally)
            .map_err(|m| Error::input("partial", format!("not a partial tally: {m}")))?;
        self.tally.merge(&tally);
        Ok(())
    }

    /// The report: KPIs, totals, on-time rates.
    pub fn report(&self) -> Report {
        Report {
            policy: PolicyRef {
                id: self.policy.id().to_string(),
                version: self.policy.version().to_string(),
                digest: self.policy.digest().to_string(),
            },
            tickets: self.tally.tickets + self.tally.errors.values().sum::<u64>(),
            evaluated: self.tally.tickets,
            errors: self.tally.errors.values().sum(),
            metrics: self.metric_reports(),
            surveys: self.survey_reports(),
            money: self.money_report(),
        }
    }

    /// Each metric's figures, with its on-time goal where a KPI sets one.
    fn metric_reports(&self) -> Vec<MetricReport> {
        let inner = &self.policy.inner;
        inner
            .metrics
            .iter()
            .map(|metric| {
                let figures = self.tally.metric_figures(&metric.name);
                let goal = inner.kpis.iter().find_map(|k| match k {
                    Kpi::OnTime {
                        metric: m, goal, ..
                    } if *m == metric.name => Some(*goal),
                    _ => None,
                });
                MetricReport {
                    metric: metric.name.clone(),
                    tickets: figures.tickets,
                    pending: figures.pending,
                    running: figures.running,
                    paused: figures.paused,
                    met: figures.met,
                    breached: figures.breached,
                    not_applicable: figures.not_applicable,
                    on_time_rate: figures.on_time_rate,
                    goal,
                    goal_met: goal.zip(figures.on_time_rate).map(|(g, r)| r >= g),
                    lateness_median_seconds: figures.lateness_median_seconds,
                    lateness_p90_seconds: figures.lateness_p90_seconds,
                }
            })
            .collect()
    }

    /// Each survey KPI's value against its goal.
    fn survey_reports(&self) -> Vec<SurveyReport> {
        self.policy
            .inner
            .kpis
            .iter()
            .filter_map(|k| match k {
                Kpi::Survey {
                    measure,
                    goal,
                    satisfied_from,
                    ..
                } => {
                    let (answers, value) = self.tally.surveys.value(*measure, *satisfied_from);
                    Some(SurveyReport {
                        measure: *measure,
                        answers,
                        value,
                        goal: *goal,
                        goal_met: value.map(|v| v >= *goal),
                    })
                }
                Kpi::OnTime { .. } => None,
            })
            .collect()
    }

    /// The money totals; a total that overflowed is absent and named in
    /// `overflow` (the credits' sum overflows with any of its kinds).
    fn money_report(&self) -> MoneyReport {
        let money = &self.tally.money;
        let mut overflow: Vec<String> = money.overflowed.iter().cloned().collect();
        let by_kind_overflowed = money
            .overflowed
            .iter()
            .any(|name| name.starts_with("credited_by_kind."));
        let credited_total = money
            .credited
            .values()
            .try_fold(Decimal::ZERO, |a, b| a.checked_add(*b))
            .filter(|_| !by_kind_overflowed);
        if credited_total.is_none() {
            overflow.push("credited".to_string());
        }
        MoneyReport {
            currency: self.policy.inner.currency.clone(),
            billed_tickets: money.billed,
            charged: money.total("charged", money.charged).map(Money),
            tax: money.total("tax", money.tax).map(Money),
            covered: money.total("covered", money.covered).map(Money),
            warranty: money.total("warranty", money.warranty).map(Money),
            credited: credited_total.map(Money),
            credited_by_kind: money
                .credited
                .iter()
                .map(|(k, v)| {
                    let total = money.total(&format!("credited_by_kind.{k}"), *v);
                    (k.clone(), total.map(Money))
                })
                .collect(),
            overflow,
        }
    }
}

/// A partition's tally as carried between processes.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Partial {
    /// The digest of the policy the tickets were evaluated by.
    digest: String,
    /// The counts.
    tally: kpi::TallyData,
}

/// The portfolio's answer: per metric, per survey goal, and the money.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Report {
    /// The policy.
    pub policy: PolicyRef,
    /// Tickets added, evaluated or not.
    pub tickets: u64,
    /// Tickets evaluated.
    pub evaluated: u64,
    /// Tickets that could not be evaluated.
    pub errors: u64,
    /// One entry per metric of the policy, in manifest order.
    pub metrics: Vec<MetricReport>,
    /// One entry per survey goal of the policy.
    pub surveys: Vec<SurveyReport>,
    /// Money totals.
    pub money: MoneyReport,
}

/// The figures of one metric over a portfolio. Statuses count cycles: one
/// per ticket for a one-shot metric, one per start for a repeating one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct MetricReport {
    /// The metric.
    pub metric: String,
    /// Tickets evaluated with this metric.
    pub tickets: u64,
    /// Cycles not started.
    pub pending: u64,
    /// Cycles counting at `as_of`.
    pub running: u64,
    /// Cycles paused at `as_of`.
    pub paused: u64,
    /// Cycles stopped on time.
    pub met: u64,
    /// Cycles past their deadline.
    pub breached: u64,
    /// Tickets the metric does not apply to.
    pub not_applicable: u64,
    /// `met / (met + breached)`, to 4 decimal places; none before any is decided.
    #[serde(serialize_with = "crate::marker::opt_number")]
    pub on_time_rate: Option<Decimal>,
    /// The `[[kpis]]` goal for the rate.
    #[serde(serialize_with = "crate::marker::opt_number")]
    pub goal: Option<Decimal>,
    /// Whether the rate reaches the goal.
    pub goal_met: Option<bool>,
    /// Median lateness of decided cycles in seconds: overdue positive,
    /// time left negative (exact below 2,048 s, within 0.1 % above).
    pub lateness_median_seconds: Option<i64>,
    /// 90th percentile of lateness, in seconds, as the median.
    pub lateness_p90_seconds: Option<i64>,
}

/// A survey goal over a portfolio.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct SurveyReport {
    /// The measure.
    pub measure: SurveyMeasure,
    /// Tickets with an answer.
    pub answers: u64,
    /// The measure: a share to 4 places, or an NPS to 1 place.
    #[serde(serialize_with = "crate::marker::opt_number")]
    pub value: Option<Decimal>,
    /// The goal.
    #[serde(serialize_with = "crate::marker::number")]
    pub goal: Decimal,
    /// Whether the value reaches the goal.
    pub goal_met: Option<bool>,
}

/// Money over a portfolio, in the policy's currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct MoneyReport {
    /// ISO 4217 code.
    pub currency: String,
    /// Tickets with a bill.
    pub billed_tickets: u64,
    /// What customers pay, tax included (`None` when the sum overflowed).
    pub charged: Option<Money>,
    /// The tax in it (`None` when the sum overflowed).
    pub tax: Option<Money>,
    /// What warranty, plans and waivers bore (`None` when the sum overflowed).
    pub covered: Option<Money>,
    /// What the warranty alone bore (`None` when the sum overflowed).
    pub warranty: Option<Money>,
    /// Credits owed for breaches, after caps (`None` when the sum overflowed).
    pub credited: Option<Money>,
    /// Credits by kind (`service_credit`, `compensation`); `None` for a
    /// kind whose sum overflowed.
    pub credited_by_kind: std::collections::BTreeMap<String, Option<Money>>,
    /// The totals whose sum left the decimal range (beyond
    /// ±79228162514264337593543950335): `charged`, `tax`, `covered`,
    /// `warranty`, `credited`, `credited_by_kind.KIND`. Each is `null`,
    /// never a saturated figure; the report is then in error (the CLI
    /// exits with 1). Left out of the JSON when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub overflow: Vec<String>,
}

impl MoneyReport {
    /// The error of the totals that overflowed, naming them; `None` when
    /// every total is a figure.
    pub fn overflow_error(&self) -> Option<Error> {
        (!self.overflow.is_empty()).then(|| {
            Error::input(
                "money",
                format!(
                    "the total{} {} overflowed the decimal range (at most {}): no figure is reported for {}",
                    if self.overflow.len() == 1 { "" } else { "s" },
                    self.overflow
                        .iter()
                        .map(|name| format!("`money.{name}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    Decimal::MAX,
                    if self.overflow.len() == 1 { "it" } else { "them" },
                ),
            )
        })
    }
}

impl Report {
    /// The report as a readable table.
    pub fn to_table(&self) -> String {
        let mut text = String::new();
        let _ = writeln!(
            text,
            "policy {} {} ({}): {} ticket(s), {} evaluated, {} error(s)",
            self.policy.id,
            self.policy.version,
            self.policy.digest,
            self.tickets,
            self.evaluated,
            self.errors
        );
        write_aligned(&mut text, &self.metric_rows());
        for survey in &self.surveys {
            let _ = writeln!(text, "{}", survey_line(survey));
        }
        self.write_money(&mut text);
        text
    }

    /// The metrics table of [`Report::to_table`]: a header row, then one
    /// row per metric.
    fn metric_rows(&self) -> Vec<[String; 11]> {
        let mut rows = vec![[
            "metric", "tickets", "met", "breached", "open", "n/a", "on time", "goal", "", "median",
            "p90",
        ]
        .map(str::to_string)];
        for m in &self.metrics {
            rows.push([
                m.metric.clone(),
                m.tickets.to_string(),
                m.met.to_string(),
                m.breached.to_string(),
                (m.pending + m.running + m.paused).to_string(),
                m.not_applicable.to_string(),
                percent(m.on_time_rate),
                percent(m.goal),
                goal_mark(m.goal_met, "ok", "MISSED").to_string(),
                lateness(m.lateness_median_seconds),
                lateness(m.lateness_p90_seconds),
            ]);
        }
        rows
    }

    /// The money line of [`Report::to_table`], and the overflow error if a
    /// total overflowed.
    fn write_money(&self, text: &mut String) {
        let m = &self.money;
        let figure = |total: &Option<Money>| match total {
            Some(money) => money.to_string(),
            None => "OVERFLOW".to_string(),
        };
        let _ = writeln!(
            text,
            "money ({}): charged {} (tax {}) on {} bill(s); warranty and plans bore {} (warranty {}); credited {}",
            m.currency,
            figure(&m.charged),
            figure(&m.tax),
            m.billed_tickets,
            figure(&m.covered),
            figure(&m.warranty),
            figure(&m.credited)
        );
        if let Some(error) = m.overflow_error() {
            let _ = writeln!(text, "error: {error}");
        }
    }
}

/// Rows written in columns as wide as their widest cell, two spaces apart,
/// trailing spaces trimmed.
fn write_aligned(text: &mut String, rows: &[[String; 11]]) {
    let widths: Vec<usize> = (0..11)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|v| v.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        let _ = writeln!(text, "{}", line.join("  ").trim_end());
    }
}

/// One survey's line of [`Report::to_table`].
fn survey_line(s: &SurveyReport) -> String {
    let value = match (s.measure, s.value) {
        (SurveyMeasure::Nps, Some(v)) => v.to_string(),
        (_, v) => percent(v),
    };
    let goal = match s.measure {
        SurveyMeasure::Nps => s.goal.to_string(),
        _ => percent(Some(s.goal)),
    };
    format!(
        "survey {}: {} over {} answer(s), goal at least {}{}",
        s.measure,
        if value.is_empty() { "-" } else { &value },
        s.answers,
        goal,
        goal_mark(s.goal_met, ": ok", ": MISSED")
    )
}

/// A goal's mark: `met` when met, `missed` when missed, empty without a
/// goal.
fn goal_mark(goal_met: Option<bool>, met: &'static str, missed: &'static str) -> &'static str {
    match goal_met {
        Some(true) => met,
        Some(false) => missed,
        None => "",
    }
}

/// A lateness in seconds as the table shows it: `2 h late`, `on the dot`,
/// `30 min left`; empty when there is none.
fn lateness(seconds: Option<i64>) -> String {
    match seconds {
        None => String::new(),
        Some(s) if s > 0 => format!(
            "{} late",
            crate::duration::format_human(chrono::TimeDelta::seconds(s))
        ),
        Some(0) => "on the dot".to_string(),
        Some(s) => format!(
            "{} left",
            crate::duration::format_human(chrono::TimeDelta::seconds(s.saturating_neg()))
        ),
    }
}

/// A rate as a percentage with at most two decimals (`97.5%`); empty when
/// there is none.
fn percent(rate: Option<Decimal>) -> String {
    rate.map(|d| format!("{}%", (d * Decimal::ONE_HUNDRED).round_dp(2).normalize()))
        .unwrap_or_default()
}
