//! Totals and tax of a bill, recomputed from its lines.
//!
//! Every line's `amount` and `covered` are rounded to the minor unit
//! (already so for lines the schedule wrote), `payable = amount − covered`,
//! and the payable amounts are summed into `subtotal`. The tax is then
//! worked out **once, on that sum**, and rounded once with the tax rounding
//! mode — never per line, so the tax on a bill does not depend on how its
//! lines are split:
//! - exclusive: `tax = round(subtotal × rate / 100)`, `total = subtotal + tax`;
//! - inclusive: the prices contain the tax, `tax = round(subtotal × rate /
//!   (100 + rate))`, `total = subtotal`.
//!
//! What the warranty bore (`warranty_total`) gets its tax the same way,
//! once on that sum: `warranty_tax` and `warranty_gross`.

use super::charges::Charges;
use super::schedule::FeeSchedule;
use super::spec::Number;
use crate::error::{Error, Location, Result};
use crate::money::Money;
use crate::money::TaxMode;
use crate::reason;
use crate::reason::Code;
use rust_decimal::Decimal;

impl FeeSchedule {
    /// Recomputes `subtotal`, `tax`, `total`, `covered_total` and
    /// `warranty_total` from the lines, after a rule added, removed or
    /// changed some. `amount` and `covered` are the source of each line:
    /// both are rounded to the minor unit and `payable` is recomputed as
    /// `amount − covered` (to waive a line, set `covered` to its `amount`).
    ///
    /// A bill in another currency than the policy's, a line whose
    /// `covered` is not between zero and its `amount`, or payable lines that
    /// sum below zero, are an [`Error::Rule`] naming the field; the bill is
    /// then left partly updated and must not be used.
    pub fn retotal(&self, charges: &mut Charges) -> Result<()> {
        if charges.currency != self.currency {
            // A rule cannot convert money: the amounts would be read in the
            // wrong unit (and rounded to the wrong minor unit).
            return Err(Error::Rule {
                policy: self.policy.clone(),
                function: "charges".to_string(),
                location: Location::path("charges.currency"),
                message: format!(
                    "the bill is in {}, the policy's currency; a rule cannot change it to `{}`",
                    self.currency, charges.currency
                ),
            });
        }
        // The bill's own rate card decides its tax.
        let schedule = charges
            .rate_card
            .as_deref()
            .and_then(|name| self.cards.iter().find(|c| c.name == name))
            .map_or(self, |card| &card.schedule);
        schedule
            .totals(charges)
            .map_err(|(path, message)| Error::Rule {
                policy: self.policy.clone(),
                function: "charges".to_string(),
                location: Location::path(path),
                message,
            })
    }

    /// The totals; an error is `(path, message)`.
    pub(super) fn totals(&self, charges: &mut Charges) -> Result<(), (String, String)> {
        // Every figure is held at the minor unit exactly: an amount or a
        // sum the decimal type cannot hold there is an error naming it,
        // never a saturated or shortened value.
        let sums = self.sum_lines(charges)?;
        charges
            .because
            .retain(|b| !b.is_one_of(&[Code::FeesTaxExclusive, Code::FeesTaxInclusive]));
        let (tax, total) = self.bill_tax(charges, sums.subtotal)?;
        (charges.warranty_tax, charges.warranty_gross) = self.warranty_tax(sums.warranty)?;
        charges.subtotal = Money(sums.subtotal);
        charges.tax = Money(tax);
        charges.total = Money(total);
        charges.covered_total = Money(sums.covered);
        charges.warranty_total = Money(sums.warranty);
        Ok(())
    }

    /// The error of a figure past the decimal range at the minor unit.
    fn too_large(&self, path: impl Into<String>) -> (String, String) {
        (path.into(), crate::money::too_large_message(self.minor))
    }

    /// Rounds each line's `amount` and `covered`, checks that `covered`
    /// lies between zero and the amount, sets `payable`, and sums the
    /// lines; a bill whose payable amounts sum below zero is an error.
    fn sum_lines(&self, charges: &mut Charges) -> Result<Sums, (String, String)> {
        let minor = self.minor;
        let sum = |a: Decimal, b: Decimal| crate::money::sum_at(a, b, minor);
        let zero = self.round(Decimal::ZERO);
        let mut sums = Sums {
            subtotal: zero,
            covered: zero,
            warranty: zero,
        };
        for (i, line) in charges.lines.iter_mut().enumerate() {
            let amount = self
                .rounding
                .round_exact(line.amount.0, minor)
                .ok_or_else(|| self.too_large(format!("charges.lines[{i}].amount")))?;
            let covered = self
                .rounding
                .round_exact(line.covered.0, minor)
                .ok_or_else(|| self.too_large(format!("charges.lines[{i}].covered")))?;
            let (low, high) = if amount.is_sign_negative() {
                (amount, Decimal::ZERO)
            } else {
                (Decimal::ZERO, amount)
            };
            if covered < low || covered > high {
                return Err((
                    format!("charges.lines[{i}].covered"),
                    format!(
                        "covered {} is not between 0 and the line's amount {} (line `{}`)",
                        Money(covered),
                        Money(amount),
                        line.code
                    ),
                ));
            }
            let payable = crate::money::difference_at(amount, covered, minor)
                .ok_or_else(|| self.too_large(format!("charges.lines[{i}].payable")))?;
            line.amount = Money(amount);
            line.covered = Money(covered);
            line.payable = Money(payable);
            sums.subtotal =
                sum(sums.subtotal, payable).ok_or_else(|| self.too_large("charges.subtotal"))?;
            sums.covered = sum(sums.covered, covered)
                .ok_or_else(|| self.too_large("charges.covered_total"))?;
            if line.covered_by.as_deref() == Some("warranty") {
                sums.warranty = sum(sums.warranty, covered)
                    .ok_or_else(|| self.too_large("charges.warranty_total"))?;
            }
        }
        if sums.subtotal.is_sign_negative() && !sums.subtotal.is_zero() {
            return Err((
                "charges.subtotal".into(),
                format!(
                    "the payable amounts sum to {}: a bill is never below zero",
                    Money(sums.subtotal)
                ),
            ));
        }
        Ok(sums)
    }

    /// The tax on the subtotal and the total, worked out once and rounded
    /// once, with its reason; the bill records the rate and mode.
    fn bill_tax(
        &self,
        charges: &mut Charges,
        subtotal: Decimal,
    ) -> Result<(Decimal, Decimal), (String, String)> {
        let minor = self.minor;
        let Some(tax) = &self.tax else {
            charges.tax_percent = None;
            charges.tax_mode = None;
            return Ok((self.round(Decimal::ZERO), subtotal));
        };
        charges.tax_percent = Some(Number(tax.percent));
        charges.tax_mode = Some(tax.mode);
        let rate = tax.percent.normalize();
        let rounding = crate::reason::Term::from(tax.rounding);
        match tax.mode {
            TaxMode::Exclusive => {
                let exact = subtotal
                    .checked_mul(tax.percent)
                    .and_then(|t| t.checked_div(Decimal::ONE_HUNDRED))
                    .ok_or_else(|| self.too_large("charges.tax"))?;
                let amount = tax
                    .rounding
                    .round_exact(exact, minor)
                    .ok_or_else(|| self.too_large("charges.tax"))?;
                let total = crate::money::sum_at(subtotal, amount, minor)
                    .ok_or_else(|| self.too_large("charges.total"))?;
                charges.because.push(reason!(
                    FeesTaxExclusive,
                    rate,
                    Money(subtotal),
                    Money(amount),
                    rounding,
                    Money(total)
                ));
                Ok((amount, total))
            }
            TaxMode::Inclusive => {
                let exact = Decimal::ONE_HUNDRED
                    .checked_add(tax.percent)
                    .and_then(|gross| subtotal.checked_mul(tax.percent)?.checked_div(gross))
                    .ok_or_else(|| self.too_large("charges.tax"))?;
                let amount = tax
                    .rounding
                    .round_exact(exact, minor)
                    .ok_or_else(|| self.too_large("charges.tax"))?;
                charges.because.push(reason!(
                    FeesTaxInclusive,
                    rate,
                    Money(subtotal),
                    Decimal::ONE_HUNDRED
                        .checked_add(tax.percent)
                        .unwrap_or_default()
                        .normalize(),
                    Money(amount),
                    rounding
                ));
                Ok((amount, subtotal))
            }
        }
    }

    /// The tax on what the warranty bore, once on that sum, and the sum
    /// with its tax: `(warranty_tax, warranty_gross)`; none without a tax.
    fn warranty_tax(
        &self,
        warranty_total: Decimal,
    ) -> Result<(Option<Money>, Option<Money>), (String, String)> {
        let Some(tax) = &self.tax else {
            return Ok((None, None));
        };
        let divisor = match tax.mode {
            TaxMode::Exclusive => Some(Decimal::ONE_HUNDRED),
            TaxMode::Inclusive => Decimal::ONE_HUNDRED.checked_add(tax.percent),
        };
        let exact = divisor
            .and_then(|d| warranty_total.checked_mul(tax.percent)?.checked_div(d))
            .ok_or_else(|| self.too_large("charges.warranty_tax"))?;
        let amount = tax
            .rounding
            .round_exact(exact, self.minor)
            .ok_or_else(|| self.too_large("charges.warranty_tax"))?;
        let gross = match tax.mode {
            TaxMode::Exclusive => crate::money::sum_at(warranty_total, amount, self.minor)
                .ok_or_else(|| self.too_large("charges.warranty_gross"))?,
            TaxMode::Inclusive => warranty_total,
        };
        Ok((Some(Money(amount)), Some(Money(gross))))
    }
}

/// The sums of a bill's lines.
struct Sums {
    /// The payable amounts.
    subtotal: Decimal,
    /// The covered amounts.
    covered: Decimal,
    /// The amounts the warranty covered.
    warranty: Decimal,
}
