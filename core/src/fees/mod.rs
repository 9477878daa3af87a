//! Fee schedules: what each line of the bill comes to, what the warranty
//! bore and what the customer pays.

mod charges;

pub use charges::{Charges, FeeLine};
