//! The names that mark typed values in the engine's serialisation.
//!
//! Money, exact numbers, instants, dates and durations are written as text
//! in JSON (`"12.50"`, `"2026-03-02T09:00:30+08:00"`, `"2026-11-20"`,
//! `"PT20M30S"`). So that a host can tell them from ids and other text
//! without guessing from the shape of a string, their `Serialize`
//! implementations wrap the text in a newtype struct named by one of these
//! constants (`Serializer::serialize_newtype_struct`). serde_json writes a
//! newtype struct as its inner value, so the JSON does not change; a
//! serializer of a host's own (the Python wheel's) reads the name and
//! builds the host's type (`Decimal`, `datetime`, `date`, `timedelta`).
//!
//! The inner value is always the text the JSON carries. The names are part
//! of the engine's contract with its hosts: they do not change.

use serde::{Serialize, Serializer};
use std::fmt::Display;

/// Money (`Money`): a decimal string such as `"12.50"`, its scale as the
/// policy rounds it.
pub const MONEY: &str = "aftersales::Money";

/// An exact decimal that is not money (a percentage, a rate, a factor): a
/// decimal string such as `"0.9375"`.
pub const NUMBER: &str = "aftersales::Number";

/// An instant: RFC 3339 with its UTC offset (`"2026-03-02T09:00:30+08:00"`).
pub const INSTANT: &str = "aftersales::Instant";

/// A calendar date: `"2026-11-20"`.
pub const DATE: &str = "aftersales::Date";

/// Counted time: ISO 8601 (`"PT20M30S"`, `"-PT5M"`).
pub const DURATION: &str = "aftersales::Duration";

/// Every marker name.
pub const ALL: [&str; 5] = [MONEY, NUMBER, INSTANT, DATE, DURATION];

/// A value written through its `Display`, as `collect_str` writes it.
struct Shown<'a, T: Display + ?Sized>(&'a T);

impl<T: Display + ?Sized> Serialize for Shown<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self.0)
    }
}

/// Writes `value`'s text marked as `name` (one of this module's constants).
pub(crate) fn marked<S: Serializer, T: Display + ?Sized>(
    serializer: S,
    name: &'static str,
    value: &T,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_newtype_struct(name, &Shown(value))
}

/// Serialises an exact decimal that is not money as a [`NUMBER`].
pub(crate) fn number<S: Serializer>(
    value: &rust_decimal::Decimal,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    marked(serializer, NUMBER, value)
}

/// [`number`] for an optional decimal (`null` when `None`).
pub(crate) fn opt_number<S: Serializer>(
    value: &Option<rust_decimal::Decimal>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(d) => number(d, serializer),
        None => serializer.serialize_none(),
    }
}
