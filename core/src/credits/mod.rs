//! Breach credits: what a missed promise costs the company.

use crate::money::Money;
use serde::{Deserialize, Serialize};

/// A credit owed for a breach.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Credit {
    /// The metric whose breach earns the credit.
    pub metric: String,
    /// `service_credit` (to the contract holder) or `compensation` (to the customer).
    pub kind: String,
    /// The amount, after caps.
    pub amount: Money,
    /// ISO 4217 currency code.
    pub currency: String,
    /// How it was worked out, and which cap applied.
    pub because: Vec<String>,
}
