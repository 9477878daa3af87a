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

use super::compile::{SettlementTerms, Tax};
use super::spec::{Party, ReturnReason};
use crate::error::{Error, Location, Result};
use crate::fees::Number;
use crate::money::Money;
use crate::money::TaxMode;
use crate::reason::Code;
use crate::ticket::Ticket;
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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
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
    /// Recomputes the totals of `ticket`'s settlement from its lines, after
    /// a rule added, removed or changed some: amounts are rounded to the
    /// minor unit and taxed as the ticket's sale was (`order.tax`, else the
    /// policy's). A settlement in another currency than the policy's, a
    /// negative amount, or a sum too large to hold, is an [`Error::Rule`]
    /// naming the field; the settlement is then left partly updated and
    /// must not be used.
    pub fn retotal(&self, ticket: &Ticket, settlement: &mut Settlement) -> Result<()> {
        let rule_error = |path: String, message: String| Error::Rule {
            policy: self.policy.clone(),
            function: "settlement".to_string(),
            location: Location::path(path),
            message,
        };
        if settlement.currency != self.currency {
            // A rule cannot convert money: the amounts would be read in the
            // wrong unit (and rounded to the wrong minor unit).
            return Err(rule_error(
                "settlement.currency".to_string(),
                format!(
                    "the settlement is in {}, the policy's currency; a rule cannot change it \
                     to `{}`",
                    self.currency, settlement.currency
                ),
            ));
        }
        let tax = self.sale_tax(ticket);
        self.totals(settlement, tax.as_ref())
            .map_err(|(path, message)| rule_error(path, message))
    }

    /// The tax of `ticket`'s original sale: its `order.tax`, which wins,
    /// else the policy's (`[settlement.tax]`, else `[fees.tax]`). The
    /// sale's tax is rounded with the policy's tax rounding mode.
    pub(super) fn sale_tax(&self, ticket: &Ticket) -> Option<Tax> {
        match ticket.order.as_ref().and_then(|o| o.tax.as_ref()) {
            None => self.tax.clone(),
            Some(sale) => Some(Tax {
                percent: sale.percent.0,
                mode: sale.mode,
                rounding: self.tax.as_ref().map_or(self.rounding, |t| t.rounding),
                from_order: true,
            }),
        }
    }

    /// The totals, taxed with `tax`; an error is `(path, message)`.
    pub(super) fn totals(
        &self,
        settlement: &mut Settlement,
        tax: Option<&Tax>,
    ) -> Result<(), (String, String)> {
        // Every figure is held at the minor unit exactly: an amount or a
        // sum the decimal type cannot hold there is an error naming it,
        // never a saturated or shortened value.
        let mut sums = self.sum_lines(settlement)?;
        let tax = self.bill_tax(settlement, tax, &mut sums)?;
        let Sums {
            customer, seller, ..
        } = sums;
        let net = crate::money::difference_at(customer, seller, self.minor)
            .ok_or_else(|| self.too_large_at("settlement.net"))?;
        settlement.to_customer = Money(customer);
        settlement.to_seller = Money(seller);
        settlement.tax = Money(tax);
        settlement.net = Money(net.abs());
        (settlement.payer, settlement.payee) = if net.is_zero() {
            (None, None)
        } else if net.is_sign_positive() {
            (Some(Party::Seller), Some(Party::Customer))
        } else {
            (Some(Party::Customer), Some(Party::Seller))
        };
        Ok(())
    }

    /// The error for a figure at `path` too large to hold at the minor unit.
    fn too_large_at(&self, path: &str) -> (String, String) {
        (
            path.to_string(),
            crate::money::too_large_message(self.minor),
        )
    }

    /// Rounds each line's amount and sums the lines by the side they flow
    /// to, and the taxable amount (customer lines less seller lines).
    fn sum_lines(&self, settlement: &mut Settlement) -> Result<Sums, (String, String)> {
        let minor = self.minor;
        let too_large = |path: &str| self.too_large_at(path);
        let zero = self.round(Decimal::ZERO);
        let (mut customer, mut seller, mut taxable) = (zero, zero, zero);
        for (i, line) in settlement.lines.iter_mut().enumerate() {
            let amount = self
                .rounding
                .round_exact(line.amount.0, minor)
                .ok_or_else(|| too_large(&format!("settlement.lines[{i}].amount")))?;
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
            *side = crate::money::sum_at(*side, amount, minor).ok_or_else(|| {
                too_large(match line.to {
                    Party::Customer => "settlement.to_customer",
                    Party::Seller => "settlement.to_seller",
                })
            })?;
            if line.taxable {
                taxable = match line.to {
                    Party::Customer => crate::money::sum_at(taxable, amount, minor),
                    Party::Seller => crate::money::difference_at(taxable, amount, minor),
                }
                .ok_or_else(|| too_large("settlement.tax"))?;
            }
        }
        Ok(Sums {
            customer,
            seller,
            taxable,
        })
    }

    /// The tax on the taxable amount, added to the side that pays it when
    /// the tax is exclusive, with its note (replacing an earlier one).
    fn bill_tax(
        &self,
        settlement: &mut Settlement,
        tax: Option<&Tax>,
        sums: &mut Sums,
    ) -> Result<Decimal, (String, String)> {
        let minor = self.minor;
        let too_large = |path: &str| self.too_large_at(path);
        let notes = [
            Code::SettleTaxExclusive,
            Code::SettleTaxInclusive,
            Code::SettleOrderTaxExclusive,
            Code::SettleOrderTaxInclusive,
        ];
        settlement.because.retain(|b| !b.is_one_of(&notes));
        let Some(tax) = tax else {
            settlement.tax_percent = None;
            settlement.tax_mode = None;
            return Ok(self.round(Decimal::ZERO));
        };
        settlement.tax_percent = Some(Number(tax.percent));
        settlement.tax_mode = Some(tax.mode);
        let taxable = sums.taxable;
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
        let amount = tax
            .rounding
            .round_exact(exact, minor)
            .ok_or_else(|| too_large("settlement.tax"))?;
        let rounding = crate::reason::Term::from(tax.rounding);
        match tax.mode {
            TaxMode::Exclusive => {
                let (side, whom) = if taxable.is_sign_negative() {
                    (&mut sums.seller, crate::reason::Term::TheSeller)
                } else {
                    (&mut sums.customer, crate::reason::Term::TheCustomer)
                };
                *side = crate::money::sum_at(*side, amount, minor)
                    .ok_or_else(|| too_large("settlement.tax"))?;
                settlement.because.push(if tax.from_order {
                    crate::reason!(SettleOrderTaxExclusive, rate, base, amount, rounding, whom)
                } else {
                    crate::reason!(SettleTaxExclusive, rate, base, amount, rounding, whom)
                });
            }
            TaxMode::Inclusive => settlement.because.push(if tax.from_order {
                crate::reason!(
                    SettleOrderTaxInclusive,
                    rate,
                    base,
                    gross.normalize(),
                    amount,
                    rounding
                )
            } else {
                crate::reason!(
                    SettleTaxInclusive,
                    rate,
                    base,
                    gross.normalize(),
                    amount,
                    rounding
                )
            }),
        }
        Ok(amount)
    }
}

/// The sums of a settlement's lines.
struct Sums {
    /// What flows to the customer.
    customer: Decimal,
    /// What flows to the seller.
    seller: Decimal,
    /// The taxable amount: customer lines less seller lines.
    taxable: Decimal,
}
