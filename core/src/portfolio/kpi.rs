//! The tallies a portfolio keeps to judge its service goals
//! ([`crate::kpi`]): per metric, the count of each status and the spread of lateness;
//! per survey measure, the answers; per money figure, the totals.

use crate::credits::Credit;
use crate::error::Error;
use crate::evaluation::Evaluation;
use crate::kpi::SurveyMeasure;
use crate::sla::{Cycle, MetricStatus};
use crate::ticket::Survey;
use hdrhistogram::Histogram;
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::{BTreeMap, BTreeSet};

/// Lateness of decided cycles of one metric, in whole seconds: overdue is
/// positive, time left negative. Two histograms (3 significant digits, so a
/// quantile is exact below 2,048 s and within 0.1 % above), merged exactly.
#[derive(Debug, Clone, Default)]
pub(crate) struct Lateness {
    early: Counts,
    late: Counts,
}

/// Distinct values kept exactly before they are folded into a histogram.
const SPARSE_VALUES: usize = 256;

/// The values recorded on one side of [`Lateness`]: exact `(value, count)`
/// pairs while there are few of them (one ticket records one value per
/// metric, and a histogram costs tens of kilobytes however little it
/// holds), a histogram past [`SPARSE_VALUES`] distinct values. Quantiles
/// and steps are read from the histogram the values make, so the answers
/// are the same either way; memory grows with what is recorded.
#[derive(Debug, Clone, Default)]
struct Counts {
    sparse: BTreeMap<u64, u64>,
    dense: Option<Histogram<u64>>,
}

impl Counts {
    /// The histogram of the values recorded (made here while they are
    /// sparse), or `None` when nothing was recorded.
    fn histogram(&self) -> Option<std::borrow::Cow<'_, Histogram<u64>>> {
        if let Some(dense) = &self.dense {
            return Some(std::borrow::Cow::Borrowed(dense));
        }
        let mut histogram = None;
        for (value, count) in &self.sparse {
            record_dense(&mut histogram, *value, *count);
        }
        histogram.map(std::borrow::Cow::Owned)
    }
}

/// Records `value` in a histogram made on first use (3 significant
/// digits, auto-resizing, so every u64 can be recorded).
fn record_dense(histogram: &mut Option<Histogram<u64>>, value: u64, count: u64) {
    if histogram.is_none() {
        *histogram = Histogram::new(3).ok();
    }
    if let Some(h) = histogram {
        let _ = h.record_n(value, count);
    }
}

/// Records `value` `count` times.
fn record(counts: &mut Counts, value: u64, count: u64) {
    if counts.dense.is_some() {
        record_dense(&mut counts.dense, value, count);
        return;
    }
    let entry = counts.sparse.entry(value).or_insert(0);
    *entry = entry.saturating_add(count);
    if counts.sparse.len() > SPARSE_VALUES {
        let mut dense = None;
        for (value, count) in std::mem::take(&mut counts.sparse) {
            record_dense(&mut dense, value, count);
        }
        counts.dense = dense;
    }
}

fn merge(into: &mut Counts, from: &Counts) {
    match &from.dense {
        Some(dense) => {
            for step in dense.iter_recorded() {
                record(into, step.value_iterated_to(), step.count_at_value());
            }
        }
        None => {
            for (value, count) in &from.sparse {
                record(into, *value, *count);
            }
        }
    }
}

fn len(counts: &Counts) -> u64 {
    match &counts.dense {
        Some(h) => h.len(),
        None => counts
            .sparse
            .values()
            .fold(0u64, |sum, count| sum.saturating_add(*count)),
    }
}

impl Lateness {
    fn record(&mut self, seconds: i64) {
        if seconds > 0 {
            record(&mut self.late, seconds.unsigned_abs(), 1);
        } else {
            record(&mut self.early, seconds.unsigned_abs(), 1);
        }
    }

    fn merge(&mut self, other: &Lateness) {
        merge(&mut self.early, &other.early);
        merge(&mut self.late, &other.late);
    }

    /// The lateness at quantile `q` (nearest rank), or `None` with no cycles.
    fn quantile(&self, q: Decimal) -> Option<i64> {
        let early = len(&self.early);
        let late = len(&self.late);
        let n = early.checked_add(late)?;
        if n == 0 {
            return None;
        }
        let rank = (q * Decimal::from(n))
            .round_dp_with_strategy(0, RoundingStrategy::ToPositiveInfinity)
            .try_into()
            .unwrap_or(1u64)
            .clamp(1, n);
        if rank <= early {
            // Ascending lateness runs from the earliest (largest time left) down.
            let value = value_at_rank(&*self.early.histogram()?, early - rank + 1)?;
            Some(-i64::try_from(value).unwrap_or(i64::MAX))
        } else {
            let value = value_at_rank(&*self.late.histogram()?, rank - early)?;
            Some(i64::try_from(value).unwrap_or(i64::MAX))
        }
    }
}

/// The value of the `rank`-th smallest recorded value (1-based).
fn value_at_rank(histogram: &Histogram<u64>, rank: u64) -> Option<u64> {
    let mut seen = 0u64;
    for step in histogram.iter_recorded() {
        seen = seen.saturating_add(step.count_at_value());
        if seen >= rank {
            return Some(histogram.highest_equivalent(step.value_iterated_to()));
        }
    }
    None
}

/// Counts of one metric.
#[derive(Debug, Clone, Default)]
pub(crate) struct MetricTally {
    pub tickets: u64,
    pub statuses: BTreeMap<&'static str, u64>,
    pub lateness: Lateness,
}

impl MetricTally {
    fn add_cycle(&mut self, cycle: &Cycle) {
        *self.statuses.entry(cycle.status.as_str()).or_insert(0) += 1;
        if matches!(cycle.status, MetricStatus::Met | MetricStatus::Breached) {
            let seconds = match (&cycle.overdue, &cycle.remaining) {
                (Some(overdue), _) => overdue.0.num_seconds(),
                (None, Some(remaining)) => -remaining.0.num_seconds(),
                (None, None) => 0,
            };
            self.lateness.record(seconds);
        }
    }

    fn merge(&mut self, other: &MetricTally) {
        self.tickets += other.tickets;
        for (status, count) in &other.statuses {
            *self.statuses.entry(status).or_insert(0) += count;
        }
        self.lateness.merge(&other.lateness);
    }

    fn count(&self, status: MetricStatus) -> u64 {
        self.statuses.get(status.as_str()).copied().unwrap_or(0)
    }
}

/// Survey answers.
#[derive(Debug, Clone, Default)]
pub(crate) struct SurveyTally {
    /// Answers per satisfaction score 1–5.
    pub satisfaction: [u64; 5],
    /// Answers per likelihood to recommend 0–10.
    pub nps: [u64; 11],
    /// First-contact resolution: (yes, no).
    pub first_contact: (u64, u64),
}

impl SurveyTally {
    fn add(&mut self, survey: &Survey) {
        if let Some(slot) = survey
            .satisfaction
            .and_then(|s| self.satisfaction.get_mut(usize::from(s).wrapping_sub(1)))
        {
            *slot += 1;
        }
        if let Some(slot) = survey.nps.and_then(|s| self.nps.get_mut(usize::from(s))) {
            *slot += 1;
        }
        match survey.first_contact_resolution {
            Some(true) => self.first_contact.0 += 1,
            Some(false) => self.first_contact.1 += 1,
            None => {}
        }
    }

    fn merge(&mut self, other: &SurveyTally) {
        for (a, b) in self.satisfaction.iter_mut().zip(other.satisfaction) {
            *a += b;
        }
        for (a, b) in self.nps.iter_mut().zip(other.nps) {
            *a += b;
        }
        self.first_contact.0 += other.first_contact.0;
        self.first_contact.1 += other.first_contact.1;
    }

    /// (answers, value) of a measure.
    pub fn value(&self, measure: SurveyMeasure, satisfied_from: u8) -> (u64, Option<Decimal>) {
        match measure {
            SurveyMeasure::Satisfaction => {
                let answers: u64 = self.satisfaction.iter().sum();
                let satisfied: u64 = self
                    .satisfaction
                    .iter()
                    .skip(usize::from(satisfied_from.saturating_sub(1)))
                    .sum();
                (answers, share(satisfied, answers))
            }
            SurveyMeasure::Nps => {
                let answers: u64 = self.nps.iter().sum();
                let promoters: u64 = self.nps.iter().skip(9).sum();
                let detractors: u64 = self.nps.iter().take(7).sum();
                let value = (answers > 0).then(|| {
                    ((Decimal::from(promoters) - Decimal::from(detractors)) * Decimal::ONE_HUNDRED
                        / Decimal::from(answers))
                    .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
                });
                (answers, value)
            }
            SurveyMeasure::FirstContactResolution => {
                let (yes, no) = self.first_contact;
                (yes + no, share(yes, yes + no))
            }
        }
    }
}

/// `part / whole` to 4 decimal places (half away from zero), `None` when
/// `whole` is 0.
pub(crate) fn share(part: u64, whole: u64) -> Option<Decimal> {
    (whole > 0).then(|| {
        (Decimal::from(part) / Decimal::from(whole))
            .round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero)
    })
}

/// Money figures of a portfolio.
#[derive(Debug, Clone, Default)]
pub(crate) struct MoneyTally {
    pub billed: u64,
    pub charged: Decimal,
    pub tax: Decimal,
    pub covered: Decimal,
    pub warranty: Decimal,
    pub credited: BTreeMap<String, Decimal>,
    /// The totals whose sum left the decimal range (`charged`,
    /// `credited_by_kind.service_credit` …): never a saturated figure.
    pub overflowed: BTreeSet<String>,
}

/// Adds `amount` to the total `name`; a sum beyond the decimal range
/// marks the total as overflowed (it is then reported as no figure).
fn add_to(total: &mut Decimal, amount: Decimal, name: &str, overflowed: &mut BTreeSet<String>) {
    match total.checked_add(amount) {
        Some(sum) => *total = sum,
        None => {
            overflowed.insert(name.to_string());
        }
    }
}

impl MoneyTally {
    fn add(&mut self, evaluation: &Evaluation) {
        let overflowed = &mut self.overflowed;
        if let Some(charges) = &evaluation.charges {
            self.billed += 1;
            add_to(&mut self.charged, charges.total.0, "charged", overflowed);
            add_to(&mut self.tax, charges.tax.0, "tax", overflowed);
            add_to(
                &mut self.covered,
                charges.covered_total.0,
                "covered",
                overflowed,
            );
            add_to(
                &mut self.warranty,
                charges.warranty_total.0,
                "warranty",
                overflowed,
            );
        }
        for Credit { kind, amount, .. } in &evaluation.credits {
            let sum = self.credited.entry(kind.clone()).or_insert(Decimal::ZERO);
            add_to(
                sum,
                amount.0,
                &format!("credited_by_kind.{kind}"),
                overflowed,
            );
        }
    }

    fn merge(&mut self, other: &MoneyTally) {
        let overflowed = &mut self.overflowed;
        overflowed.extend(other.overflowed.iter().cloned());
        self.billed += other.billed;
        add_to(&mut self.charged, other.charged, "charged", overflowed);
        add_to(&mut self.tax, other.tax, "tax", overflowed);
        add_to(&mut self.covered, other.covered, "covered", overflowed);
        add_to(&mut self.warranty, other.warranty, "warranty", overflowed);
        for (kind, amount) in &other.credited {
            let sum = self.credited.entry(kind.clone()).or_insert(Decimal::ZERO);
            add_to(
                sum,
                *amount,
                &format!("credited_by_kind.{kind}"),
                overflowed,
            );
        }
    }

    /// A total as reported: `None` when its sum overflowed.
    pub fn total(&self, name: &str, value: Decimal) -> Option<Decimal> {
        (!self.overflowed.contains(name)).then_some(value)
    }
}

/// Everything a portfolio counts; merging two tallies is the tally of both
/// ticket sets, so partitions can be counted apart and merged.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tally {
    pub tickets: u64,
    pub errors: BTreeMap<&'static str, u64>,
    pub metrics: BTreeMap<String, MetricTally>,
    pub surveys: SurveyTally,
    pub money: MoneyTally,
}

impl Tally {
    pub fn add(&mut self, evaluation: &Evaluation, survey: Option<&Survey>) {
        self.tickets += 1;
        for metric in &evaluation.sla {
            let tally = self.metrics.entry(metric.metric.clone()).or_default();
            tally.tickets += 1;
            for cycle in &metric.cycles {
                tally.add_cycle(cycle);
            }
            tally.add_cycle(&metric.current);
        }
        if let Some(survey) = survey {
            self.surveys.add(survey);
        }
        self.money.add(evaluation);
    }

    pub fn add_error(&mut self, error: &Error) {
        *self.errors.entry(error.kind().as_str()).or_insert(0) += 1;
    }

    pub fn merge(&mut self, other: &Tally) {
        self.tickets += other.tickets;
        for (kind, count) in &other.errors {
            *self.errors.entry(kind).or_insert(0) += count;
        }
        for (name, tally) in &other.metrics {
            self.metrics.entry(name.clone()).or_default().merge(tally);
        }
        self.surveys.merge(&other.surveys);
        self.money.merge(&other.money);
    }

    pub fn metric_figures(&self, name: &str) -> MetricFigures {
        let tally = self.metrics.get(name).cloned().unwrap_or_default();
        let met = tally.count(MetricStatus::Met);
        let breached = tally.count(MetricStatus::Breached);
        MetricFigures {
            tickets: tally.tickets,
            pending: tally.count(MetricStatus::Pending),
            running: tally.count(MetricStatus::Running),
            paused: tally.count(MetricStatus::Paused),
            met,
            breached,
            not_applicable: tally.count(MetricStatus::NotApplicable),
            on_time_rate: share(met, met + breached),
            lateness_median_seconds: tally.lateness.quantile(Decimal::new(5, 1)),
            lateness_p90_seconds: tally.lateness.quantile(Decimal::new(9, 1)),
        }
    }
}

/// The counted figures of one metric.
pub(crate) struct MetricFigures {
    pub tickets: u64,
    pub pending: u64,
    pub running: u64,
    pub paused: u64,
    pub met: u64,
    pub breached: u64,
    pub not_applicable: u64,
    pub on_time_rate: Option<Decimal>,
    pub lateness_median_seconds: Option<i64>,
    pub lateness_p90_seconds: Option<i64>,
}

/// A tally as data, to carry a partition's counts between processes (see
/// [`super::Portfolio::partial_json`]): histograms as their recorded
/// `(value, count)` steps, which merge back exactly.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TallyData {
    tickets: u64,
    errors: BTreeMap<String, u64>,
    metrics: BTreeMap<String, MetricData>,
    satisfaction: [u64; 5],
    nps: [u64; 11],
    first_contact: (u64, u64),
    billed: u64,
    charged: Decimal,
    tax: Decimal,
    covered: Decimal,
    warranty: Decimal,
    credited: BTreeMap<String, Decimal>,
    /// The totals that overflowed (left out when none did).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    overflowed: BTreeSet<String>,
}

/// One metric's counts as data.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct MetricData {
    tickets: u64,
    statuses: BTreeMap<String, u64>,
    early: Vec<(u64, u64)>,
    late: Vec<(u64, u64)>,
}

const STATUSES: [MetricStatus; 6] = [
    MetricStatus::Pending,
    MetricStatus::Running,
    MetricStatus::Paused,
    MetricStatus::Met,
    MetricStatus::Breached,
    MetricStatus::NotApplicable,
];

fn steps(counts: &Counts) -> Vec<(u64, u64)> {
    counts.histogram().map_or_else(Vec::new, |h| {
        h.iter_recorded()
            .map(|s| (s.value_iterated_to(), s.count_at_value()))
            .collect()
    })
}

fn from_steps(steps: &[(u64, u64)]) -> Counts {
    let mut counts = Counts::default();
    for (value, count) in steps {
        record(&mut counts, *value, *count);
    }
    counts
}

impl Tally {
    /// The tally as data.
    pub fn to_data(&self) -> TallyData {
        TallyData {
            tickets: self.tickets,
            errors: self
                .errors
                .iter()
                .map(|(k, v)| ((*k).to_string(), *v))
                .collect(),
            metrics: self
                .metrics
                .iter()
                .map(|(name, m)| {
                    let data = MetricData {
                        tickets: m.tickets,
                        statuses: m
                            .statuses
                            .iter()
                            .map(|(k, v)| ((*k).to_string(), *v))
                            .collect(),
                        early: steps(&m.lateness.early),
                        late: steps(&m.lateness.late),
                    };
                    (name.clone(), data)
                })
                .collect(),
            satisfaction: self.surveys.satisfaction,
            nps: self.surveys.nps,
            first_contact: self.surveys.first_contact,
            billed: self.money.billed,
            charged: self.money.charged,
            tax: self.money.tax,
            covered: self.money.covered,
            warranty: self.money.warranty,
            credited: self.money.credited.clone(),
            overflowed: self.money.overflowed.clone(),
        }
    }

    /// The tally of `data`; an unknown error kind or status is named.
    pub fn from_data(data: &TallyData) -> Result<Tally, String> {
        let mut errors = BTreeMap::new();
        for (kind, count) in &data.errors {
            let known = crate::error::ErrorKind::ALL
                .into_iter()
                .find(|k| k.as_str() == kind)
                .ok_or_else(|| format!("unknown error kind `{kind}`"))?;
            errors.insert(known.as_str(), *count);
        }
        let mut metrics = BTreeMap::new();
        for (name, m) in &data.metrics {
            let mut statuses = BTreeMap::new();
            for (status, count) in &m.statuses {
                let known = STATUSES
                    .into_iter()
                    .find(|s| s.as_str() == status)
                    .ok_or_else(|| format!("unknown status `{status}` of metric `{name}`"))?;
                statuses.insert(known.as_str(), *count);
            }
            let tally = MetricTally {
                tickets: m.tickets,
                statuses,
                lateness: Lateness {
                    early: from_steps(&m.early),
                    late: from_steps(&m.late),
                },
            };
            metrics.insert(name.clone(), tally);
        }
        Ok(Tally {
            tickets: data.tickets,
            errors,
            metrics,
            surveys: SurveyTally {
                satisfaction: data.satisfaction,
                nps: data.nps,
                first_contact: data.first_contact,
            },
            money: MoneyTally {
                billed: data.billed,
                charged: data.charged,
                tax: data.tax,
                covered: data.covered,
                warranty: data.warranty,
                credited: data.credited.clone(),
                overflowed: data.overflowed.clone(),
            },
        })
    }
}
