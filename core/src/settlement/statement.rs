//! The settlement part of an evaluation, and its totals.
//!
//! Every line flows one way (`to`: the party that receives it) and its
//! amount is never negative. The totals are worked out from the lines:
//! - the **taxable net** is what the taxable lines bring the customer
//!   (refunds of goods less the deductions from them);
//! - the tax follows the original sale, once on that net: exclusive, it is
//!   added to the side the net favours, `round(|net| × rate / 100)`;
//!   inclusive, the amounts contain it and `tax` reports
//!   `round(|net| × rate / (100 + rate))`;
//! - `to_customer` and `to_seller` sum each side (with an added tax), and
//!   `net` is their difference, paid by `payer`.

use super::compile::SettlementTerms;
use super::spec::{Party, ReturnReason};
use crate::error::{Error, Location, Result};
use crate::fees::{Number, TaxMode};
use crate::money::Money;
use crate::reason::Code;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One line of a settlement.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct SettlementLine {
    /// `refund`, `depreciation`, `benefit`, `free_shipping`, `freight`,
    /// `cn-fraud-55`, or a rule's own.
    pub code: String,
    /// What the customer reads.
    pub description: String,
    /// Who receives the amount.
    pub to: Party,
    /// The amount, never negative, rounded to the minor unit.
    pub amount: Money,
    /// Whether the line is part of the sale's price and so carries its tax
    /// (refunds and the deductions from them); payouts and freight do not.
    #[serde(default)]
    pub taxable: bool,
    /// Why the line is there.
    #[serde(
        default,
        skip_serializing_if = "crate::reason::omitted",
        serialize_with = "crate::reason::serialize_all"
    )]
    pub because: Vec<crate::reason::Reason>,
}

/// Money both ways for one ticket: refunds, deductions, freight and
/// payouts, and who pays whom in the end.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Settlement {
    /// ISO 4217 currency code.
    pub currency: String,
    /// Why goods come back, when they do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<ReturnReason>,
    /// The lines, in the order they were added.
    pub lines: Vec<SettlementLine>,
    /// What the customer receives in all (with an added tax).
    #[serde(default)]
    pub to_customer: Money,
    /// What the seller receives in all (with an added tax).
    #[serde(default)]
    pub to_seller: Money,
    /// The tax on the taxable lines' net: added (exclusive) or contained
    /// (inclusive).
    #[serde(default)]
    pub tax: Money,
    /// The tax rate in percent, when the sale was taxed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_percent: Option<Number>,
    /// Whether the tax was added to the sale's prices or contained in them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_mode: Option<TaxMode>,
    /// The difference of the two sides, never negative.
    #[serde(default)]
    pub net: Money,
    /// Who pays `net`; none when it is zero.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer: Option<Party>,
    /// Who receives `net`; none when it is zero.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee: Option<Party>,
    /// Notes on the settlement as a whole.
    #[serde(
        default,
        skip_serializing_if = "crate::reason::omitted",
        serialize_with = "crate::reason::serialize_all"
    )]
    pub because: Vec<crate::reason::Reason>,
}

impl crate::reason::HasReasons for Settlement {
    fn reasons_mut(&mut self) -> Vec<&mut crate::reason::Reason> {
        let lines = self.lines.iter_mut().flat_map(|l| l.because.iter_mut());
        self.because.iter_mut().chain(lines).collect()
    }
}

impl Settlement {
    /// An empty settlement in `currency`: no lines, every total zero.
    pub fn empty(currency: &str) -> Settlement {
        Settlement {
            currency: currency.to_string(),
            reason: None,
            lines: Vec::new(),
            to_customer: Money::ZERO,
            to_seller: Money::ZERO,
            tax: Money::ZERO,
            tax_percent: None,
            tax_mode: None,
            net: Money::ZERO,
            payer: None,
            payee: None,
            because: Vec::new(),
        }
    }
}

impl SettlementTerms {
    /// Recomputes the totals from the lines, after a rule added, removed
    /// or changed some: amounts are rounded to the minor unit; a negative
    /// amount is an [`Error::Rule`] naming the line.
    pub fn retotal(&self, settlement: &mut Settlement) -> Result<()> {
        self.totals(settlement)
            .map_err(|(path, message)| Error::Rule {
                policy: self.policy.clone(),
                function: "settlement".to_string(),
                location: Location::path(path),
                message,
            })
    }

    /// The totals; an error is `(path, message)`.
    pub(super) fn totals(&self, settlement: &mut Settlement) -> Result<(), (String, String)> {
        let too_large = |path: &str| {
            (
                path.to_string(),
                "the amount is too large to compute exactly".to_string(),
            )
        };
        let zero = self.round(Decimal::ZERO);
        let (mut customer, mut seller, mut taxable) = (zero, zero, zero);
        for (i, line) in settlement.lines.iter_mut().enumerate() {
            let amount = self.round(line.amount.0);
            if amount.is_sign_negative() && !amount.is_zero() {
                return Err((
                    format!("settlement.lines[{i}].amount"),
                    format!(
                        "{} is below zero (line `{}`): a line flows one way, `to` says which",
                        Money(amount),
                        line.code
                    ),
                ));
            }
            line.amount = Money(amount);
            let side = match line.to {
                Party::Customer => &mut customer,
                Party::Seller => &mut seller,
            };
            *side = side
                .checked_add(amount)
                .ok_or_else(|| too_large("settlement.lines"))?;
            if line.taxable {
                taxable = match line.to {
                    Party::Customer => taxable.checked_add(amount),
                    Party::Seller => taxable.checked_sub(amount),
                }
                .ok_or_else(|| too_large("settlement.lines"))?;
            }
        }
        settlement
            .because
            .retain(|b| !b.is_one_of(&[Code::SettleTaxExclusive, Code::SettleTaxInclusive]));
        let tax = match &self.tax {
            None => {
                settlement.tax_percent = None;
                settlement.tax_mode = None;
                zero
            }
            Some(tax) => {
                settlement.tax_percent = Some(Number(tax.percent));
                settlement.tax_mode = Some(tax.mode);
                let base = taxable.abs();
                let rate = tax.percent.normalize();
                let gross = Decimal::ONE_HUNDRED
                    .checked_add(tax.percent)
                    .ok_or_else(|| too_large("settlement.tax"))?;
                let divisor = match tax.mode {
                    TaxMode::Exclusive => Decimal::ONE_HUNDRED,
                    TaxMode::Inclusive => gross,
                };
                let exact = base
                    .checked_mul(tax.percent)
                    .and_then(|t| t.checked_div(divisor))
                    .ok_or_else(|| too_large("settlement.tax"))?;
                let amount = tax.rounding.round(exact, self.minor);
                let rounding = tax.rounding.term();
                match tax.mode {
                    TaxMode::Exclusive => {
                        let (side, whom) = if taxable.is_sign_negative() {
                            (&mut seller, crate::reason::Term::TheSeller)
                        } else {
                            (&mut customer, crate::reason::Term::TheCustomer)
                        };
                        *side = side
                            .checked_add(amount)
                            .ok_or_else(|| too_large("settlement.tax"))?;
                        settlement.because.push(crate::reason!(
                            SettleTaxExclusive,
                            rate,
                            base,
                            amount,
                            rounding,
                            whom
                        ));
                    }
                    TaxMode::Inclusive => settlement.because.push(crate::reason!(
                        SettleTaxInclusive,
                        rate,
                        base,
                        gross.normalize(),
                        amount,
                        rounding
                    )),
                }
                amount
            }
        };
        let net = customer
            .checked_sub(seller)
            .ok_or_else(|| too_large("settlement.net"))?;
        settlement.to_customer = Money(customer);
        settlement.to_seller = Money(seller);
        settlement.tax = Money(tax);
        settlement.net = Money(self.round(net.abs()));
        (settlement.payer, settlement.payee) = if net.is_zero() {
            (None, None)
        } else if net.is_sign_positive() {
            (Some(Party::Seller), Some(Party::Customer))
        } else {
            (Some(Party::Customer), Some(Party::Seller))
        };
        Ok(())
    }
}
