//! What a policy author writes about goals a ticket set is judged against.

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
