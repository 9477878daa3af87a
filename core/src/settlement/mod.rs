//! Settlement: money both ways beside the bill. When goods come back the
//! price paid is refunded, less the deductions a policy states (gifts and
//! coupons kept, a free-shipping benefit clawed back, depreciation for
//! use); the return freight is borne by the seller or the customer; and
//! statutory payouts (`cn-fraud-55`) are added. The lines flow each way
//! and a net figure says who pays whom.
//!
//! A policy's `[settlement]` table is read into a [`SettlementSpec`] and
//! compiled into [`SettlementTerms`]; [`SettlementTerms::settle`] works out
//! a ticket's [`Settlement`] from its warranty decision, and
//! [`SettlementTerms::retotal`] recomputes the totals after a rule edited
//! the lines. `docs/fees.md` ("Settlement") is the policy author's guide.

mod compile;
mod refund;
mod spec;
mod statement;

pub use compile::SettlementTerms;
pub use spec::SettlementSpec;
pub use statement::{Settlement, SettlementLine};

#[cfg(test)]
mod tests;
