//! Fee schedules: what each line of the bill comes to, what the warranty
//! bore and what the customer pays.
//!
//! A policy's `[fees]` table is read into a [`FeeSpec`] and compiled into a
//! [`FeeSchedule`]; [`FeeSchedule::charge`] bills a ticket's work, and
//! [`FeeSchedule::retotal`] recomputes the totals after a rule edited the
//! lines. All money is [`rust_decimal::Decimal`]: amounts are rounded per
//! line to the currency's minor unit with the policy's mode, and the tax once
//! on the payable sum. `docs/fees.md` is the policy author's guide.

mod charge;
mod charges;
mod compile;
mod schedule;
mod spec;
mod totals;

pub use charges::{Charges, FeeLine};
pub use schedule::FeeSchedule;
pub use spec::{FeeSpec, Number, TaxSpec};

#[cfg(test)]
mod tests;
