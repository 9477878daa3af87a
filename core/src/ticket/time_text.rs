//! Fast text for the ticket's dates and instants, the same text chrono's
//! serde gives (`2026-03-02`, `2026-03-02T08:59:30+08:00`). Tickets are
//! shown to rules once per evaluation, and chrono's general formatter was a
//! tenth of that cost. Anything outside the common shape (years beyond
//! 0000-9999, fractional seconds, offsets with seconds) goes to chrono.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike};
use serde::Serializer;

fn push_number(out: &mut String, value: u32, width: u32) {
    let mut divisor = 10u32.pow(width.saturating_sub(1));
    while divisor > 0 {
        out.push(char::from(b'0' + ((value / divisor) % 10) as u8));
        divisor /= 10;
    }
}

/// `YYYY-MM-DD`, or `None` outside years 0000-9999.
fn push_date(out: &mut String, date: NaiveDate) -> Option<()> {
    let year = u32::try_from(date.year()).ok().filter(|y| *y <= 9999)?;
    push_number(out, year, 4);
    out.push('-');
    push_number(out, date.month(), 2);
    out.push('-');
    push_number(out, date.day(), 2);
    Some(())
}

/// Serialises a date as `YYYY-MM-DD`, marked as [`crate::marker::DATE`].
pub fn date<S: Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
    let mut text = String::with_capacity(10);
    match push_date(&mut text, *date) {
        Some(()) => serializer.serialize_newtype_struct(crate::marker::DATE, &text),
        None => serializer.serialize_newtype_struct(crate::marker::DATE, date),
    }
}

/// Serialises an optional date (the field is skipped when `None`).
pub fn opt_date<S: Serializer>(
    value: &Option<NaiveDate>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(d) => date(d, serializer),
        None => serializer.serialize_none(),
    }
}

/// RFC 3339 as chrono's serde writes it, or `None` for the shapes left to chrono.
fn instant_text(t: &DateTime<FixedOffset>) -> Option<String> {
    instant_text_with(t, true)
}

/// RFC 3339; a zero offset as `Z` when `zulu`, else as `+00:00` (as
/// chrono's `to_rfc3339` writes it).
fn instant_text_with(t: &DateTime<FixedOffset>, zulu: bool) -> Option<String> {
    let offset = t.offset().local_minus_utc();
    let local = t.naive_local();
    if local.nanosecond() != 0 || offset % 60 != 0 {
        return None;
    }
    let mut text = String::with_capacity(25);
    push_date(&mut text, local.date())?;
    text.push('T');
    push_number(&mut text, local.hour(), 2);
    text.push(':');
    push_number(&mut text, local.minute(), 2);
    text.push(':');
    push_number(&mut text, local.second(), 2);
    if offset == 0 && zulu {
        text.push('Z');
    } else {
        let minutes = offset.unsigned_abs() / 60;
        text.push(if offset < 0 { '-' } else { '+' });
        push_number(&mut text, minutes / 60, 2);
        text.push(':');
        push_number(&mut text, minutes % 60, 2);
    }
    Some(text)
}

/// Appends a date as `YYYY-MM-DD` (chrono's `Display`).
pub(crate) fn write_date(out: &mut String, date: NaiveDate) {
    let mark = out.len();
    if push_date(out, date).is_none() {
        out.truncate(mark);
        out.push_str(&date.to_string());
    }
}

/// Appends an instant as chrono's `to_rfc3339` writes it.
pub(crate) fn write_rfc3339(out: &mut String, t: &DateTime<FixedOffset>) {
    match instant_text_with(t, false) {
        Some(text) => out.push_str(&text),
        None => out.push_str(&t.to_rfc3339()),
    }
}

/// Appends a wall-clock time as `YYYY-MM-DD HH:MM`.
pub(crate) fn write_minute(out: &mut String, t: &chrono::NaiveDateTime) {
    let mark = out.len();
    if push_date(out, t.date()).is_none() {
        out.truncate(mark);
        out.push_str(&t.format("%Y-%m-%d %H:%M").to_string());
        return;
    }
    out.push(' ');
    push_number(out, t.hour(), 2);
    out.push(':');
    push_number(out, t.minute(), 2);
}

/// Serialises an instant as RFC 3339 with its offset, marked as
/// [`crate::marker::INSTANT`].
pub fn instant<S: Serializer>(t: &DateTime<FixedOffset>, serializer: S) -> Result<S::Ok, S::Error> {
    match instant_text(t) {
        Some(text) => serializer.serialize_newtype_struct(crate::marker::INSTANT, &text),
        None => serializer.serialize_newtype_struct(crate::marker::INSTANT, t),
    }
}

/// Serialises an optional instant (the field is skipped when `None`).
pub fn opt_instant<S: Serializer>(
    value: &Option<DateTime<FixedOffset>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(t) => instant(t, serializer),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Serialize)]
    struct Times {
        #[serde(serialize_with = "instant")]
        t: DateTime<FixedOffset>,
        #[serde(serialize_with = "date")]
        d: NaiveDate,
    }

    /// The writers for reasons give chrono's `Display`, `to_rfc3339` and
    /// `%Y-%m-%d %H:%M` text, inside and outside the fast shapes.
    #[test]
    fn reason_text_as_chrono() {
        for text in [
            "2026-03-02T08:59:30+08:00",
            "2026-03-02T00:00:00Z",
            "2028-02-29T23:59:59-03:30",
            "0001-01-01T00:00:00+14:00",
            "2026-03-02T08:59:30.250+08:00",
            "+10000-01-01T00:00:00Z",
        ] {
            let Ok(t) = DateTime::parse_from_rfc3339(text) else {
                // chrono's parser refuses the five-digit year; build it.
                let t = NaiveDate::from_ymd_opt(10_000, 1, 1)
                    .unwrap()
                    .and_hms_opt(0, 0, 0)
                    .unwrap()
                    .and_utc()
                    .fixed_offset();
                let mut out = String::new();
                write_rfc3339(&mut out, &t);
                assert_eq!(out, t.to_rfc3339());
                continue;
            };
            let mut out = String::new();
            write_rfc3339(&mut out, &t);
            assert_eq!(out, t.to_rfc3339(), "{text}");
            let mut out = String::new();
            write_date(&mut out, t.date_naive());
            assert_eq!(out, t.date_naive().to_string(), "{text}");
            let mut out = String::new();
            write_minute(&mut out, &t.naive_local());
            assert_eq!(
                out,
                t.naive_local().format("%Y-%m-%d %H:%M").to_string(),
                "{text}"
            );
        }
        let far = NaiveDate::from_ymd_opt(-5, 3, 1).unwrap();
        let mut out = String::new();
        write_date(&mut out, far);
        assert_eq!(out, far.to_string());
    }

    /// The fast text is exactly chrono's, for every shape chrono can give.
    #[test]
    fn same_text_as_chrono() {
        for text in [
            "2026-03-02T08:59:30+08:00",
            "2026-03-02T08:59:30-03:30",
            "2026-03-02T00:00:00Z",
            "0001-01-01T00:00:00+14:00",
            "9999-12-31T23:59:59-12:00",
            "2026-03-02T08:59:30.250+08:00",
            "2026-03-02T08:59:30+05:45",
        ] {
            let t = DateTime::parse_from_rfc3339(text).unwrap();
            let d = t.date_naive();
            let ours = serde_json::to_value(Times { t, d }).unwrap();
            let chrono = serde_json::json!({ "t": t, "d": d });
            assert_eq!(ours, chrono, "{text}");
        }
    }
}
