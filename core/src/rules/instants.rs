//! Helpers that read durations and instants as numbers, and do date
//! arithmetic on local days, so that rules never parse ISO strings or slice
//! text.
//!
//! Values as rules receive them: a duration is a string, ISO 8601
//! (`"PT1H30M"`, as in metric maps) or with units (`"1.5h"`, as in
//! `work.labor`); an instant is an RFC 3339 string with its offset; a date
//! is `"YYYY-MM-DD"`; a zone is an IANA name (`"Europe/Berlin"`) or
//! `"floating"`. Instants returned are RFC 3339 strings at the offset of
//! the zone asked for (or of the instant given). Every helper fails with a
//! message naming itself and the bad value; none panics.

use crate::calendar::{range, Zone};
use crate::duration::ServiceDuration;
use chrono::{DateTime, Days, FixedOffset, NaiveDate, NaiveTime, TimeDelta, Utc};
use rhai::{Dynamic, Engine, EvalAltResult, Position, FLOAT, INT};

type Fallible<T> = Result<T, Box<EvalAltResult>>;

fn failure(message: String) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorRuntime(
        Dynamic::from(message),
        Position::NONE,
    ))
}

/// A duration's counted time; business days have no fixed length.
fn duration(name: &str, text: &str) -> Fallible<TimeDelta> {
    match ServiceDuration::parse(text) {
        Ok(ServiceDuration::Time(t)) => Ok(t),
        Ok(ServiceDuration::BusinessDays(_)) => Err(failure(format!(
            "{name}(\"{text}\"): business days have no fixed length in time"
        ))),
        Err(message) => Err(failure(format!("{name}(\"{text}\"): {message}"))),
    }
}

/// An RFC 3339 instant inside the engine's range.
fn instant(name: &str, text: &str) -> Fallible<DateTime<FixedOffset>> {
    let t = DateTime::parse_from_rfc3339(text).map_err(|e| {
        failure(format!(
            "{name}: `{text}` is not an RFC 3339 instant (such as 2026-03-02T09:00:00+08:00): {e}"
        ))
    })?;
    range::check(t.with_timezone(&Utc)).map_err(|m| failure(format!("{name}: {m}")))?;
    Ok(t)
}

fn zone(name: &str, text: &str) -> Fallible<Zone> {
    Zone::parse(text).map_err(|m| failure(format!("{name}: {m}")))
}

fn date(name: &str, text: &str) -> Fallible<NaiveDate> {
    let d = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| failure(format!("{name}: `{text}` is not a date (YYYY-MM-DD)")))?;
    range::check_date(d).map_err(|m| failure(format!("{name}: {m}")))?;
    Ok(d)
}

/// An instant shown at the zone's offset, refused outside the range.
fn shown(name: &str, zone: Zone, t: DateTime<Utc>) -> Fallible<String> {
    range::check(t).map_err(|m| failure(format!("{name}: {m}")))?;
    Ok(crate::calendar::show_in(zone, t).to_rfc3339())
}

/// The first instant of a local date (midnight, or the end of a gap that
/// swallows it).
fn day_start(zone: Zone, day: NaiveDate) -> DateTime<Utc> {
    zone.resolve(day.and_time(NaiveTime::MIN))
}

fn milliseconds(d: TimeDelta) -> FLOAT {
    // Exact for any duration under 2^53 ms (about 285,000 years).
    d.num_milliseconds() as FLOAT
}

// Long because it is the list of Rhai helpers registered, one registration each.
/// Registers the helpers on the engine.
pub(super) fn register(engine: &mut Engine) {
    let units: [(&str, FLOAT); 4] = [
        ("seconds", 1_000.0),
        ("minutes", 60_000.0),
        ("hours", 3_600_000.0),
        ("days", 86_400_000.0),
    ];
    for (name, unit_ms) in units {
        engine.register_fn(name, move |text: &str| -> Fallible<FLOAT> {
            Ok(milliseconds(duration(name, text)?) / unit_ms)
        });
        let between = match name {
            "seconds" => "seconds_between",
            "minutes" => "minutes_between",
            "hours" => "hours_between",
            // Whole days between dates are `days_between` (helpers.rs).
            _ => continue,
        };
        engine.register_fn(between, move |a: &str, b: &str| -> Fallible<FLOAT> {
            let (a, b) = (instant(between, a)?, instant(between, b)?);
            Ok(milliseconds(b - a) / unit_ms)
        });
    }
    for name in ["instant", "parse_instant"] {
        engine.register_fn(name, move |text: &str| -> Fallible<INT> {
            Ok(instant(name, text)?.timestamp())
        });
    }
    engine.register_fn("to_local", |text: &str, tz: &str| -> Fallible<String> {
        let t = instant("to_local", text)?;
        shown("to_local", zone("to_local", tz)?, t.with_timezone(&Utc))
    });
    engine.register_fn("local_date", |text: &str, tz: &str| -> Fallible<String> {
        let t = instant("local_date", text)?;
        Ok(zone("local_date", tz)?
            .local(t.with_timezone(&Utc))
            .date()
            .to_string())
    });
    engine.register_fn("start_of_day", |text: &str, tz: &str| -> Fallible<String> {
        let t = instant("start_of_day", text)?;
        let zone = zone("start_of_day", tz)?;
        let day = zone.local(t.with_timezone(&Utc)).date();
        shown("start_of_day", zone, day_start(zone, day))
    });
    engine.register_fn("end_of_day", |text: &str, tz: &str| -> Fallible<String> {
        let t = instant("end_of_day", text)?;
        let zone = zone("end_of_day", tz)?;
        let next = zone
            .local(t.with_timezone(&Utc))
            .date()
            .succ_opt()
            .ok_or_else(|| failure(format!("end_of_day: `{text}` has no next day")))?;
        shown("end_of_day", zone, day_start(zone, next))
    });
    engine.register_fn("add_days", |text: &str, n: INT| -> Fallible<String> {
        let d = date("add_days", text)?;
        shift(d, n)
            .filter(|d| range::contains_date(*d))
            .map(|d| d.to_string())
            .ok_or_else(|| {
                failure(format!(
                    "add_days(\"{text}\", {n}): the date is outside years {} through {}",
                    range::FIRST_YEAR,
                    range::LAST_YEAR
                ))
            })
    });
    engine.register_fn(
        "add_days",
        |text: &str, n: INT, tz: &str| -> Fallible<String> {
            let t = instant("add_days", text)?;
            let zone = zone("add_days", tz)?;
            let local = zone.local(t.with_timezone(&Utc));
            let moved = shift(local.date(), n)
                .map(|d| d.and_time(local.time()))
                .ok_or_else(|| {
                    failure(format!("add_days(\"{text}\", {n}, \"{tz}\"): out of range"))
                })?;
            shown("add_days", zone, zone.resolve(moved))
        },
    );
    engine.register_fn("add_duration", |text: &str, d: &str| -> Fallible<String> {
        let t = instant("add_duration", text)?;
        let d = duration("add_duration", d)?;
        let moved = t
            .checked_add_signed(d)
            .filter(|m| range::contains(m.with_timezone(&Utc)))
            .ok_or_else(|| {
                failure(format!(
                    "add_duration(\"{text}\", …): the instant is outside the supported range"
                ))
            })?;
        Ok(moved.to_rfc3339())
    });
}

/// A date moved by `n` days either way.
fn shift(d: NaiveDate, n: INT) -> Option<NaiveDate> {
    let days = Days::new(n.unsigned_abs());
    if n >= 0 {
        d.checked_add_days(days)
    } else {
        d.checked_sub_days(days)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use rhai::Dynamic;

    fn eval(expression: &str) -> Result<String, String> {
        super::super::new_engine(super::super::limits::OPERATIONS)
            .eval::<Dynamic>(expression)
            .map(|v| v.to_string())
            .map_err(|e| e.to_string())
    }

    fn ok(expression: &str) -> String {
        eval(expression).unwrap_or_else(|e| panic!("{expression}: {e}"))
    }

    fn fails(expression: &str, words: &str) {
        match eval(expression) {
            Err(message) => assert!(message.contains(words), "{expression}: {message}"),
            Ok(v) => panic!("{expression} gave {v}, expected an error"),
        }
    }

    #[test]
    fn durations_read_as_numbers() {
        // PT1H30M = 90 min = 1.5 h = 5400 s; PT36H = 1.5 days of 24 h.
        assert_eq!(ok(r#"hours("PT1H30M")"#), "1.5");
        assert_eq!(ok(r#"minutes("1.5h")"#), "90.0");
        assert_eq!(ok(r#"seconds("90m")"#), "5400.0");
        assert_eq!(ok(r#"days("PT36H")"#), "1.5");
        // A constructor and a reader round-trip: hours(2) is "PT2H", 2 h.
        assert_eq!(ok("hours(hours(2))"), "2.0");
        // Numbers compare with integers: 1.5 h > 1.
        assert_eq!(ok(r#"hours("PT1H30M") > 1"#), "true");
        fails(r#"hours("2bd")"#, "business days have no fixed length");
        fails(r#"minutes("soon")"#, "minutes(\"soon\")");
    }

    #[test]
    fn instants_read_as_seconds_since_1970() {
        // 2026-03-02T08:00:00+08:00 is 2026-03-02T00:00:00Z: 56 years from
        // 1970 with 14 leap days (1972 … 2024) = 20,454 days to 2026-01-01,
        // plus Jan (31), Feb (28) and 1 day to 03-02 = 20,514 days × 86,400 s
        // = 1,772,409,600.
        assert_eq!(ok(r#"instant("2026-03-02T08:00:00+08:00")"#), "1772409600");
        assert_eq!(
            ok(r#"parse_instant("2026-03-02T00:00:00Z") == instant("2026-03-02T08:00:00+08:00")"#),
            "true"
        );
        fails(r#"instant("2026-03-02")"#, "not an RFC 3339 instant");
        fails(r#"instant("2201-01-01T00:00:00Z")"#, "2201");
    }

    #[test]
    fn a_dst_day_in_berlin_is_23_hours_long() {
        // 2026-03-29: Berlin goes from +01:00 to +02:00 at 02:00 local
        // (01:00Z). The day starts at 00:00+01:00 (2026-03-28T23:00Z) and
        // ends at 00:00+02:00 on the 30th (2026-03-29T22:00Z): 23 h.
        let noon = r#""2026-03-29T12:00:00+02:00""#;
        assert_eq!(
            ok(&format!(r#"start_of_day({noon}, "Europe/Berlin")"#)),
            "2026-03-29T00:00:00+01:00"
        );
        assert_eq!(
            ok(&format!(r#"end_of_day({noon}, "Europe/Berlin")"#)),
            "2026-03-30T00:00:00+02:00"
        );
        assert_eq!(
            ok(&format!(
                r#"hours_between(start_of_day({noon}, "Europe/Berlin"), end_of_day({noon}, "Europe/Berlin"))"#
            )),
            "23.0"
        );
        // 02:30 on the 28th plus one local day is 02:30 on the 29th, which
        // does not exist: shifted forward by the gap, 03:30+02:00, so only
        // 23 h of real time later.
        assert_eq!(
            ok(r#"add_days("2026-03-28T02:30:00+01:00", 1, "Europe/Berlin")"#),
            "2026-03-29T03:30:00+02:00"
        );
        assert_eq!(
            ok(
                r#"hours_between("2026-03-28T02:30:00+01:00", add_days("2026-03-28T02:30:00+01:00", 1, "Europe/Berlin"))"#
            ),
            "24.0"
        );
        // 23:30Z on the 28th is already the 29th in Berlin (00:30+01:00).
        assert_eq!(
            ok(r#"local_date("2026-03-28T23:30:00Z", "Europe/Berlin")"#),
            "2026-03-29"
        );
        assert_eq!(
            ok(r#"to_local("2026-03-29T01:00:00Z", "Europe/Berlin")"#),
            "2026-03-29T03:00:00+02:00"
        );
    }

    #[test]
    fn a_leap_day() {
        // 2028 is a leap year: 02-28 + 1 day = 02-29, + 2 days = 03-01;
        // February 2028 has 29 days.
        assert_eq!(ok(r#"add_days("2028-02-28", 1)"#), "2028-02-29");
        assert_eq!(ok(r#"add_days("2028-03-01", -1)"#), "2028-02-29");
        assert_eq!(ok(r#"days_between("2028-02-01", "2028-03-01")"#), "29");
        assert_eq!(
            ok(r#"add_days("2028-02-29T10:00:00+01:00", 1, "Europe/Berlin")"#),
            "2028-03-01T10:00:00+01:00"
        );
        // 24 h after 2028-02-28 12:00Z is the leap day itself.
        assert_eq!(
            ok(r#"add_duration("2028-02-28T12:00:00Z", "24h")"#),
            "2028-02-29T12:00:00+00:00"
        );
        assert_eq!(
            ok(r#"minutes_between("2028-02-28T23:00:00Z", "2028-03-01T01:00:00Z")"#),
            // 1 h to midnight + the 24 h leap day + 1 h = 26 h = 1560 min.
            "1560.0"
        );
    }

    #[test]
    fn date_helpers_refuse_dates_outside_the_documented_range() {
        // Helpers take dates in years 1900 through 2200 (docs/policy.md):
        // from 0001-01-01 to 9999-12-31 is not 3,652,058 days but an error
        // naming the helper and the date.
        fails(
            r#"days_between("0001-01-01", "9999-12-31")"#,
            "days_between: `9999-12-31` is outside the supported range of dates, years 1900 through 2200",
        );
        fails(
            r#"days_between("0001-01-01", "2026-01-01")"#,
            "days_between: `0001-01-01` is outside",
        );
        fails(
            r#"age_days("1899-12-31")"#,
            "age_days: `1899-12-31` is outside",
        );
        fails(
            r#"days_between("2026-13-01", "2026-01-01")"#,
            "days_between: `2026-13-01` is not a date",
        );
        // The ends of the range are inside: 1900-01-01 to 2200-12-31 is
        // 301 years, 73 of them leap (1904 … 2196 are 74 multiples of 4,
        // less 2100): 301 × 365 + 73 = 109,938 days, less one as the last
        // day is the end (Dec 31, not Jan 1): 109,937.
        assert_eq!(ok(r#"days_between("1900-01-01", "2200-12-31")"#), "109937");
    }

    #[test]
    fn bad_input_is_a_clear_error() {
        fails(
            r#"to_local("2026-03-02T08:00:00Z", "Mars/Olympus")"#,
            "to_local",
        );
        fails(
            r#"start_of_day("yesterday", "UTC")"#,
            "start_of_day: `yesterday`",
        );
        fails(r#"add_days("2028-02-30", 1)"#, "not a date");
        fails(
            r#"add_days("2200-12-31", 1)"#,
            "outside years 1900 through 2200",
        );
        fails(
            r#"add_days("2026-03-02T08:00:00Z", 9223372036854775807, "UTC")"#,
            "out of range",
        );
        fails(
            r#"add_duration("2200-12-31T12:00:00Z", "24h")"#,
            "outside the supported range",
        );
        fails(
            r#"hours_between("2026-03-02T08:00:00Z", 5)"#,
            "hours_between",
        );
    }
}
