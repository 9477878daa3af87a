//! Money: exact decimals, written as strings, rounded explicitly.
//!
//! Amounts are [`rust_decimal::Decimal`]. In JSON and TOML they are decimal
//! strings (`"1299.00"`); a number where money belongs is an error, because
//! a binary float cannot hold most prices exactly.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// An exact decimal amount that serialises as a string.
///
/// # Examples
///
/// ```
/// let price = aftersales::Money::parse("199.90").unwrap();
/// assert_eq!(price.0.to_string(), "199.90");
/// assert!(aftersales::Money::parse("a lot").is_err());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(pub Decimal);

impl Money {
    /// Zero.
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// Parses a decimal string such as `"12.50"`.
    pub fn parse(text: &str) -> Result<Money, String> {
        let trimmed = text.trim();
        if trimmed.is_empty()
            || !trimmed
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == '+')
        {
            return Err(format!(
                "`{text}` is not a decimal amount such as \"12.50\""
            ));
        }
        trimmed
            .parse::<Decimal>()
            .map(Money)
            .map_err(|_| format!("`{text}` is not a decimal amount such as \"12.50\""))
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Serialize for Money {
    /// The decimal string, marked as [`crate::marker::MONEY`].
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        crate::marker::marked(serializer, crate::marker::MONEY, &self.0)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = Money;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal string such as \"12.50\" (money is never a number)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Money, E> {
                Money::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// How an amount is rounded to the currency's minor unit.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Rounding {
    /// Half away from zero (commercial rounding), the default.
    #[default]
    HalfUp,
    /// Half to even (banker's rounding).
    HalfEven,
    /// Always away from zero.
    Up,
    /// Always toward zero.
    Down,
}

impl Rounding {
    /// The mode as written in a policy (`half-up`, `half-even`, `up`, `down`).
    pub fn word(self) -> &'static str {
        match self {
            Rounding::HalfUp => "half-up",
            Rounding::HalfEven => "half-even",
            Rounding::Up => "up",
            Rounding::Down => "down",
        }
    }

    /// Rounds `amount` to exactly `places` decimal places; `None` when the
    /// rounded amount cannot be held at that scale: with 2 places, at most
    /// 792281625142643375935439503.35.
    pub fn round_exact(self, amount: Decimal, places: u32) -> Option<Decimal> {
        at_scale(self.round(amount, places), places)
    }

    /// Rounds `amount` to `places` decimal places. An amount too large to
    /// hold at that scale keeps fewer places: where the figure is shown or
    /// summed, use [`Rounding::round_exact`], which refuses it instead.
    ///
    /// # Examples
    ///
    /// ```
    /// use aftersales::{Money, Rounding};
    ///
    /// let amount = Money::parse("10.125").unwrap().0;
    /// assert_eq!(Rounding::HalfEven.round(amount, 2).to_string(), "10.12");
    /// assert_eq!(Rounding::HalfUp.round(amount, 2).to_string(), "10.13");
    /// assert_eq!(Rounding::Down.word(), "down");
    /// ```
    pub fn round(self, amount: Decimal, places: u32) -> Decimal {
        let strategy = match self {
            Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
            Rounding::Up => RoundingStrategy::AwayFromZero,
            Rounding::Down => RoundingStrategy::ToZero,
        };
        let mut rounded = amount.round_dp_with_strategy(places, strategy);
        rounded.rescale(places);
        rounded
    }
}

/// `amount` written with exactly `places` decimal places (`0` as `0.00`),
/// or `None` when the decimal type cannot hold it at that scale: its 96
/// bits hold 28 or 29 digits, so with 2 places an amount is at most
/// [`largest`]`(2)` = 792281625142643375935439503.35. An amount with more
/// places than `places` is not rounded: it is `None` too (round it first).
pub fn at_scale(amount: Decimal, places: u32) -> Option<Decimal> {
    if amount.scale() == places {
        return Some(amount);
    }
    let mut scaled = amount;
    scaled.rescale(places);
    (scaled.scale() == places && scaled == amount).then_some(scaled)
}

/// `a + b` with exactly `places` decimal places; `None` when the sum
/// overflows or cannot be held at that scale. Never saturates, never
/// drops a place.
pub fn sum_at(a: Decimal, b: Decimal, places: u32) -> Option<Decimal> {
    at_scale(a.checked_add(b)?, places)
}

/// `a + b` exactly, at the larger scale of the two; `None` when the sum
/// overflows or the decimal type would have to drop a place to hold it.
pub fn exact_sum(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_add(b)
        .filter(|sum| sum.scale() >= a.scale().max(b.scale()))
}

/// `a − b` with exactly `places` decimal places; `None` as [`sum_at`].
pub fn difference_at(a: Decimal, b: Decimal, places: u32) -> Option<Decimal> {
    at_scale(a.checked_sub(b)?, places)
}

/// The largest amount the decimal type holds with `places` decimal places.
pub fn largest(places: u32) -> Decimal {
    let mut largest = Decimal::MAX;
    // Dividing by ten keeps every digit but the last: exact, never fails.
    for _ in 0..places.min(28) {
        largest = largest
            .checked_div(Decimal::TEN)
            .map(|d| d.trunc_with_scale(places))
            .unwrap_or(largest);
    }
    largest
}

/// The message of an amount or sum [`at_scale`] cannot hold.
pub fn too_large_message(places: u32) -> String {
    format!(
        "the amount is too large to compute exactly to the minor unit (amounts are at most {})",
        largest(places)
    )
}

/// The number of minor-unit decimal places of an ISO 4217 currency.
pub fn minor_units(currency: &str) -> Option<u32> {
    match currency {
        "JPY" | "KRW" | "VND" | "CLP" | "ISK" | "UGX" | "XAF" | "XOF" | "PYG" => Some(0),
        "BHD" | "KWD" | "OMR" | "JOD" | "TND" | "LYD" | "IQD" => Some(3),
        code if code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase()) => Some(2),
        _ => None,
    }
}

impl schemars::JsonSchema for Money {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Money".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[+-]?[0-9]+(\\.[0-9]+)?$",
            "description": "An exact decimal amount written as a string, e.g. \"12.50\"; never a number."
        })
    }
}

/// Whether tax is added to the prices or contained in them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaxMode {
    /// Prices are net; tax is added on the payable sum.
    Exclusive,
    /// Prices are gross; the tax contained in the payable sum is reported.
    Inclusive,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str) -> Decimal {
        Money::parse(text).map(|m| m.0).unwrap_or_default()
    }

    #[test]
    fn rounding_modes() {
        assert_eq!(Rounding::HalfUp.round(dec("2.345"), 2), dec("2.35"));
        assert_eq!(Rounding::HalfEven.round(dec("2.345"), 2), dec("2.34"));
        assert_eq!(Rounding::Up.round(dec("2.341"), 2), dec("2.35"));
        assert_eq!(Rounding::Down.round(dec("2.349"), 2), dec("2.34"));
        assert_eq!(Rounding::HalfUp.round(dec("180"), 2).to_string(), "180.00");
    }

    #[test]
    fn money_is_a_string_never_a_number() {
        let ok: Result<Money, _> = serde_json::from_str("\"12.50\"");
        assert_eq!(ok.map(|m| m.to_string()).ok().as_deref(), Some("12.50"));
        let err = serde_json::from_str::<Money>("12.5")
            .err()
            .map(|e| e.to_string());
        assert!(err.unwrap_or_default().contains("never a number"));
        assert!(Money::parse("1e3").is_err());
    }

    #[test]
    fn amounts_keep_the_minor_unit_or_are_refused() {
        // 96 bits: 79228162514264337593543950335 (29 digits). With 2
        // places the largest is 792281625142643375935439503.35.
        assert_eq!(largest(2).to_string(), "792281625142643375935439503.35");
        assert_eq!(largest(0), Decimal::MAX);
        // Zero keeps its scale: 0 → 0.00.
        assert_eq!(
            at_scale(Decimal::ZERO, 2).map(|d| d.to_string()).as_deref(),
            Some("0.00")
        );
        // MAX cannot be written with .00: refused, never shown as "…335".
        assert_eq!(at_scale(Decimal::MAX, 2), None);
        assert_eq!(Rounding::HalfUp.round_exact(Decimal::MAX, 2), None);
        // MAX + (−MAX) = 0, written 0.00 (the scale is kept).
        assert_eq!(
            sum_at(Decimal::MAX, Decimal::MIN, 2)
                .map(|d| d.to_string())
                .as_deref(),
            Some("0.00")
        );
        // The largest two-place amount plus 0.01 overflows the scale: the
        // decimal type would drop a place (…503.4); refused instead.
        assert_eq!(sum_at(largest(2), dec("0.01"), 2), None);
        assert_eq!(
            difference_at(largest(2), dec("0.01"), 2)
                .map(|d| d.to_string())
                .as_deref(),
            Some("792281625142643375935439503.34")
        );
        // A sum beyond MAX itself is None, never MAX.
        assert_eq!(sum_at(Decimal::MAX, Decimal::ONE, 0), None);
        assert_eq!(exact_sum(Decimal::MAX, Decimal::ONE), None);
        assert_eq!(exact_sum(largest(2), dec("0.01")), None);
        assert_eq!(exact_sum(dec("250.005"), dec("1.00")), Some(dec("251.005")));
    }

    #[test]
    fn currencies() {
        assert_eq!(minor_units("CNY"), Some(2));
        assert_eq!(minor_units("JPY"), Some(0));
        assert_eq!(minor_units("KWD"), Some(3));
        assert_eq!(minor_units("yuan"), None);
    }
}
