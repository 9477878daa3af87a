//! The instants and dates the engine supports: years 1900 through 2200.
//!
//! Every instant a ticket, an `as_of` or a calendar operation gives the
//! engine lies in `[1900-01-01T00:00:00Z, 2201-01-01T00:00:00Z)`, and every
//! date in years 1900 through 2200; anything else is refused where it enters
//! with a located error. The range is three centuries wider than any service
//! history needs; what it buys is that every calendar walk is bounded (at
//! most about 9,030 chunks of 12.1 days) and every instant prints as
//! RFC 3339 with a four-digit year, whatever the zone's offset.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

/// The first supported year.
pub const FIRST_YEAR: i32 = 1900;

/// The last supported year.
pub const LAST_YEAR: i32 = 2200;

/// 1900-01-01T00:00:00Z, in milliseconds since the Unix epoch.
pub(crate) const FIRST_MS: i64 = -2_208_988_800_000;

/// 2201-01-01T00:00:00Z (the first instant past the range), in milliseconds.
pub(crate) const END_MS: i64 = 7_289_654_400_000;

/// Whether an instant, in milliseconds since the epoch, is supported.
pub(crate) fn contains_ms(ms: i64) -> bool {
    (FIRST_MS..END_MS).contains(&ms)
}

/// Whether an instant is supported (`1900-01-01T00:00:00Z` up to, not
/// including, `2201-01-01T00:00:00Z`).
pub fn contains(t: DateTime<Utc>) -> bool {
    contains_ms(t.timestamp_millis())
}

/// Whether a date is supported (years 1900 through 2200).
pub fn contains_date(date: NaiveDate) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&date.year())
}

/// The message for an instant outside the range, or `Ok`.
pub fn check(t: DateTime<Utc>) -> Result<(), String> {
    if contains(t) {
        return Ok(());
    }
    Err(outside(&t.to_rfc3339()))
}

/// The message for an instant, as written, outside the range.
pub(crate) fn outside(text: &str) -> String {
    format!(
        "`{text}` is outside the supported range of instants, years {FIRST_YEAR} through {LAST_YEAR} (UTC)"
    )
}

/// The message for a date outside the range, or `Ok`.
pub fn check_date(date: NaiveDate) -> Result<(), String> {
    if contains_date(date) {
        return Ok(());
    }
    Err(format!(
        "`{date}` is outside the supported range of dates, years {FIRST_YEAR} through {LAST_YEAR}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bounds_are_the_first_and_past_the_last_instant() {
        // 1900-01-01 is 70 years before the epoch, 17 of them leap years
        // (1904 … 1968): (70 × 365 + 17) days × 86,400,000 ms.
        assert_eq!(FIRST_MS, -(70 * 365 + 17) * 86_400_000);
        // 2201-01-01 is 231 years after it, with 56 leap years (1972 …
        // 2196, 57 multiples of 4, less 2100 which is not one).
        assert_eq!(END_MS, (231 * 365 + 56) * 86_400_000);
        let at = |text: &str| text.parse::<DateTime<Utc>>().unwrap_or_default();
        assert!(contains(at("1900-01-01T00:00:00Z")));
        assert!(!contains(at("1899-12-31T23:59:59.999Z")));
        assert!(contains(at("2200-12-31T23:59:59.999Z")));
        assert!(!contains(at("2201-01-01T00:00:00Z")));
        assert!(check(DateTime::<Utc>::MAX_UTC).is_err());
        assert!(check(DateTime::<Utc>::MIN_UTC).is_err());
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        assert!(contains_date(date(2200, 12, 31)));
        assert!(!contains_date(date(1899, 12, 31)));
        assert_eq!(
            check_date(date(2201, 1, 1)),
            Err(
                "`2201-01-01` is outside the supported range of dates, years 1900 through 2200"
                    .to_string()
            )
        );
    }
}
