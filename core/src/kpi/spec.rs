//! What a policy author writes about goals a ticket set is judged against
//! (`[[kpis]]`).

use serde::{Deserialize, Serialize};

/// A figure from the customers' survey answers (`ticket.survey`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SurveyMeasure {
    /// The share of answers at or above the satisfied score (default 4 of 5).
    Satisfaction,
    /// Net promoter score: the percentage of promoters (9–10) minus that of
    /// detractors (0–6), from −100 to 100.
    Nps,
    /// The share of answered tickets resolved on the first contact.
    FirstContactResolution,
}

impl SurveyMeasure {
    /// The measure as written in the manifest.
    pub fn as_str(self) -> &'static str {
        match self {
            SurveyMeasure::Satisfaction => "satisfaction",
            SurveyMeasure::Nps => "nps",
            SurveyMeasure::FirstContactResolution => "first_contact_resolution",
        }
    }
}

impl std::fmt::Display for SurveyMeasure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `[[kpis]]`: a service goal. Either an on-time goal of a metric
/// (`metric` + `on_time`), or a survey goal (`survey` + `at_least`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KpiSpec {
    /// The metric judged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<String>,
    /// The share of tickets that must meet it, in `[0, 1]` (e.g. `0.98`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_time: Option<f64>,
    /// The survey figure judged: `satisfaction` (share of answers at or
    /// above `satisfied_from`), `nps` (net promoter score, −100 to 100) or
    /// `first_contact_resolution` (share resolved on the first contact).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survey: Option<SurveyMeasure>,
    /// The least the survey figure may be: a share in `[0, 1]`, or a score
    /// in `[-100, 100]` for `nps`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    /// The lowest satisfaction score (1–5) that counts as satisfied; default 4.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfied_from: Option<u8>,
    /// What the goal is, for people.
    #[serde(default)]
    pub description: Option<String>,
}
