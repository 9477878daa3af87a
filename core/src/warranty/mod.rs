//! Warranty scope: which components a ticket's fault is covered for, until
//! when, and what remedy the customer is owed.

mod decision;

pub use decision::{ComponentCover, Remedy, RemedyKind, WarrantyDecision, WarrantyStatus};
