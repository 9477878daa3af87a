//! The charges part of an evaluation.

use super::spec::Number;
use crate::money::Money;
use crate::money::TaxMode;
use serde::{Deserialize, Serialize};

/// One line of the bill. Covered lines stay on the bill with their value
/// and a zero payable amount.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct FeeLine {
    /// Line code: `labor`, `callout`, `travel`, `diagnostic`, `part`, or a rule's own.
    pub code: String,
    /// What the customer reads on the invoice.
    pub description: String,
    /// Quantity (hours, pieces, km …).
    pub quantity: Money,
    /// Price per unit, after markup and multipliers.
    pub unit_price: Money,
    /// `quantity × unit_price`, rounded to the minor unit.
    pub amount: Money,
    /// The part of `amount` that the warranty, a plan or a waiver bore.
    /// A rule may leave it out of a line it adds: nothing is covered.
    #[serde(default)]
    pub covered: Money,
    /// What the customer pays for the line, before tax (`amount − covered`).
    /// Always recomputed after a rule, so a rule may leave it out.
    #[serde(default)]
    pub payable: Money,
    /// Who bore `covered`: `warranty`, `waiver`, `plan:NAME`, `tier:NAME`,
    /// or a rule's own word; none when nothing is covered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub covered_by: Option<String>,
    /// Why the line is there and why it is (not) covered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub because: Vec<crate::reason::Reason>,
}

/// The bill of an evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Charges {
    /// ISO 4217 currency code.
    pub currency: String,
    /// The rate card that priced the bill (`[[fees.rate_cards]]`), when
    /// one matched the ticket; none for the default `[fees]` prices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_card: Option<String>,
    /// The lines, in the order they were added.
    pub lines: Vec<FeeLine>,
    /// Sum of the payable amounts (before tax for exclusive tax, the tax-inclusive sum otherwise).
    pub subtotal: Money,
    /// Tax on the payable amounts.
    pub tax: Money,
    /// What the customer pays.
    pub total: Money,
    /// What the warranty, plans and waivers bore in all.
    pub covered_total: Money,
    /// What the warranty alone bore: the covered amounts of the lines
    /// whose `covered_by` is `warranty`.
    #[serde(default)]
    pub warranty_total: Money,
    /// The tax on what the warranty bore, worked out like the bill's (once,
    /// on `warranty_total`): added for exclusive tax, contained for
    /// inclusive; present when the policy taxes the bill.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warranty_tax: Option<Money>,
    /// What the warranty bore with its tax: `warranty_total + warranty_tax`
    /// for exclusive tax, `warranty_total` for inclusive; present when the
    /// policy taxes the bill.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warranty_gross: Option<Money>,
    /// The tax rate in percent, when the policy taxes the bill.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_percent: Option<Number>,
    /// Whether the tax was added to the prices or is contained in them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_mode: Option<TaxMode>,
    /// Notes on the bill as a whole: work the policy does not bill, and how
    /// the tax was worked out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub because: Vec<crate::reason::Reason>,
}

impl crate::reason::HasReasons for Charges {
    fn reasons_mut(&mut self) -> Vec<&mut crate::reason::Reason> {
        let lines = self.lines.iter_mut().flat_map(|l| l.because.iter_mut());
        self.because.iter_mut().chain(lines).collect()
    }
}

impl Charges {
    /// An empty bill in `currency`: no lines, every total zero.
    pub fn empty(currency: &str) -> Charges {
        Charges {
            currency: currency.to_string(),
            rate_card: None,
            lines: Vec::new(),
            subtotal: Money::ZERO,
            tax: Money::ZERO,
            total: Money::ZERO,
            covered_total: Money::ZERO,
            warranty_total: Money::ZERO,
            warranty_tax: None,
            warranty_gross: None,
            tax_percent: None,
            tax_mode: None,
            because: Vec::new(),
        }
    }
}
