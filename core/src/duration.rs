//! Durations as policy authors and CRMs write them.
//!
//! Two spellings are accepted everywhere a duration is expected:
//! unit strings (`"90s"`, `"15m"`, `"1.5h"`, `"1d"`, `"2bd"`) and ISO 8601
//! (`"PT1H30M"`, `"P1DT2H"`, `"P1W"`). `s`, `m`, `h` and `d` are amounts of
//! counted time (a `d` is 24 hours of it); `bd` is a number of business days,
//! counted on a calendar with [`crate::Calendar::add_business_days`].
//! Calendar periods used by warranties (`days`, `months`, `years`) live in
//! [`CalendarPeriod`].
//!
//! Limits (see `docs/policy.md`, "Limits"): counted time is at most
//! [`MAX_DAYS`] days either way, a business-day count at most
//! [`MAX_BUSINESS_DAYS`], a calendar period at most [`MAX_PERIOD_YEARS`]
//! years. A negative duration is one number and unit (`"-30m"`) or a negative
//! ISO 8601 duration (`"-PT30M"`): a sign inside a compound duration
//! (`"1h-30m"`, `"-1h 2h"`) is refused, since it reads two ways.

use chrono::TimeDelta;
use std::fmt;

/// The longest counted time, either way, in days (about 274 years): longer
/// than any instant range the engine supports, short enough that sums of
/// durations never overflow.
pub const MAX_DAYS: i64 = 100_000;

/// The most business days a duration may count (about 38 years of working days).
pub const MAX_BUSINESS_DAYS: u32 = 10_000;

/// The longest calendar period, in years (warranties, statutory terms).
pub const MAX_PERIOD_YEARS: u32 = 1_000;

const MAX_MS: i64 = MAX_DAYS * 86_400_000;

/// Counted time of `ms` milliseconds, `None` beyond [`MAX_DAYS`] either way.
pub fn milliseconds(ms: i64) -> Option<TimeDelta> {
    if !(-MAX_MS..=MAX_MS).contains(&ms) {
        return None;
    }
    TimeDelta::try_milliseconds(ms)
}

/// Counted time of `ms` milliseconds, or the error naming the limit.
fn bounded(text: &str, ms: i64) -> Result<TimeDelta, String> {
    milliseconds(ms).ok_or_else(|| too_large(text))
}

fn too_large(text: &str) -> String {
    format!("`{text}`: duration too large; at most {MAX_DAYS} days (2,400,000h) either way")
}

/// Checks a business-day count against [`MAX_BUSINESS_DAYS`].
pub fn business_days(days: u64) -> Result<u32, String> {
    u32::try_from(days)
        .ok()
        .filter(|d| *d <= MAX_BUSINESS_DAYS)
        .ok_or_else(|| {
            format!(
                "{days} business days is too many; at most {MAX_BUSINESS_DAYS} (about 38 years)"
            )
        })
}

/// A service duration: an amount of counted time, or a number of business days.
///
/// # Examples
///
/// ```
/// use aftersales::ServiceDuration;
///
/// assert_eq!(ServiceDuration::parse("2bd").unwrap(), ServiceDuration::BusinessDays(2));
/// assert_eq!(ServiceDuration::parse("4h").unwrap().to_string(), "PT4H");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServiceDuration {
    /// Counted (open) time, in milliseconds.
    Time(TimeDelta),
    /// Whole business days (`"2bd"`).
    BusinessDays(u32),
}

impl ServiceDuration {
    /// Parses a unit string (`"1.5h"`, `"90m"`, `"2bd"`) or an ISO 8601
    /// duration (`"PT1H30M"`). The error says what was expected.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err(
                "empty duration; expected e.g. \"2h\", \"90m\", \"2bd\" or \"PT2H\"".into(),
            );
        }
        if text.starts_with('P') || text.starts_with("-P") {
            return parse_iso(text).map(ServiceDuration::Time);
        }
        if let Some(number) = text.strip_suffix("bd") {
            let days: u64 = number.trim().parse().map_err(|_| {
                format!("`{text}`: business days must be a whole number, e.g. \"2bd\"")
            })?;
            let days = business_days(days).map_err(|m| format!("`{text}`: {m}"))?;
            return Ok(ServiceDuration::BusinessDays(days));
        }
        // One or more number-unit pairs: "90m", "1.5h", "1h30m", "2h 15m".
        // Only a single pair may carry a sign: in "1h-30m" or "-1h 2h" it is
        // not clear what the sign applies to.
        let mut total: i64 = 0;
        let mut rest = text;
        let mut pairs = 0;
        let mut signed = false;
        while !rest.is_empty() {
            let split = rest
                .find(|c: char| c.is_ascii_alphabetic())
                .ok_or_else(|| format!("`{text}`: missing unit; expected one of s, m, h, d, bd"))?;
            let (number, after) = rest.split_at(split);
            let unit_end = after
                .find(|c: char| !c.is_ascii_alphabetic())
                .unwrap_or(after.len());
            let (unit, tail) = after.split_at(unit_end);
            let unit_ms: i64 = match unit {
                "s" => 1_000,
                "m" | "min" => 60_000,
                "h" => 3_600_000,
                "d" => 86_400_000,
                other => {
                    return Err(format!(
                        "`{text}`: unknown unit `{other}`; expected one of s, m, h, d, bd \
                         (warranty periods use days, months, years)"
                    ))
                }
            };
            let number = number.trim();
            signed |= number.starts_with(['-', '+']);
            pairs += 1;
            if signed && pairs > 1 {
                return Err(format!(
                    "`{text}`: a sign inside a compound duration is ambiguous; \
                     write a negative duration as one number and unit (\"-90m\") \
                     or in ISO 8601 (\"-PT1H30M\")"
                ));
            }
            let part = scaled_or_message(text, number, unit_ms)?;
            total = total.checked_add(part).ok_or_else(|| too_large(text))?;
            rest = tail.trim_start();
        }
        bounded(text, total).map(ServiceDuration::Time)
    }

    /// [`ServiceDuration::parse`] for a target or a lead time, which cannot
    /// be negative (a deadline before the clock started).
    pub fn parse_non_negative(text: &str) -> Result<Self, String> {
        match ServiceDuration::parse(text)? {
            ServiceDuration::Time(t) if t < TimeDelta::zero() => Err(format!(
                "`{}` is negative; a target or lead time is at least zero",
                text.trim()
            )),
            d => Ok(d),
        }
    }

    /// The counted time, when this is not a business-day duration.
    pub fn as_time(&self) -> Option<TimeDelta> {
        match self {
            ServiceDuration::Time(t) => Some(*t),
            ServiceDuration::BusinessDays(_) => None,
        }
    }
}

impl fmt::Display for ServiceDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServiceDuration::Time(t) => f.write_str(&format_iso(*t)),
            ServiceDuration::BusinessDays(n) => write!(f, "{n}bd"),
        }
    }
}

/// Why a number of a duration could not be read.
enum Scale {
    /// Not a decimal number.
    NotANumber,
    /// A fraction finer than a millisecond.
    TooFine,
    /// Beyond what counted time can hold.
    TooLarge,
}

/// [`scaled`], its failure worded for the duration `text`.
fn scaled_or_message(text: &str, number: &str, unit_ms: i64) -> Result<i64, String> {
    scaled(number, unit_ms).map_err(|why| match why {
        Scale::NotANumber => format!("`{text}`: `{number}` is not a number"),
        Scale::TooFine => format!(
            "`{text}`: `{number}` is finer than a millisecond; durations count whole \
             milliseconds (at most three decimals of a second, e.g. \"0.25s\")"
        ),
        Scale::TooLarge => too_large(text),
    })
}

/// Parses a decimal number such as `1.5` and multiplies it by `unit_ms`,
/// exactly (no floating point). Fractions finer than a millisecond are refused.
fn scaled(number: &str, unit_ms: i64) -> Result<i64, Scale> {
    let (negative, digits) = match number.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, number),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() && fraction.is_empty() {
        return Err(Scale::NotANumber);
    }
    if !whole
        .chars()
        .chain(fraction.chars())
        .all(|c| c.is_ascii_digit())
    {
        return Err(Scale::NotANumber);
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| Scale::TooLarge)?
    };
    let mut total = whole.checked_mul(unit_ms).ok_or(Scale::TooLarge)?;
    let mut place = unit_ms;
    for digit in fraction.chars() {
        let d = i64::from(digit.to_digit(10).ok_or(Scale::NotANumber)?);
        if place % 10 != 0 {
            // Trailing zeros below the millisecond say nothing more.
            if d == 0 {
                continue;
            }
            return Err(Scale::TooFine);
        }
        place /= 10;
        total = d
            .checked_mul(place)
            .and_then(|part| total.checked_add(part))
            .ok_or(Scale::TooLarge)?;
    }
    Ok(if negative { -total } else { total })
}

/// Parses an ISO 8601 duration with days, hours, minutes, seconds and weeks.
/// Months and years are refused: they are calendar periods, not counted time.
pub fn parse_iso(text: &str) -> Result<TimeDelta, String> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let body = rest
        .strip_prefix('P')
        .ok_or_else(|| format!("`{text}`: an ISO 8601 duration starts with P"))?;
    let mut total: i64 = 0;
    let mut in_time = false;
    let mut number = String::new();
    let mut seen_any = false;
    for c in body.chars() {
        if c.is_ascii_digit() || c == '.' || c == ',' {
            number.push(if c == ',' { '.' } else { c });
            continue;
        }
        let unit_ms = match (c, in_time) {
            ('T', false) if number.is_empty() => {
                in_time = true;
                continue;
            }
            ('W', false) => 7 * 86_400_000,
            ('D', false) => 86_400_000,
            ('H', true) => 3_600_000,
            ('M', true) => 60_000,
            ('S', true) => 1_000,
            ('Y' | 'M', false) => {
                return Err(format!(
                    "`{text}`: months and years are calendar periods, not counted time; \
                     use days, hours, minutes or seconds"
                ))
            }
            _ => return Err(format!("`{text}`: unexpected `{c}` in ISO 8601 duration")),
        };
        let value = scaled_or_message(text, &number, unit_ms)?;
        total = total.checked_add(value).ok_or_else(|| too_large(text))?;
        number.clear();
        seen_any = true;
    }
    if !number.is_empty() || !seen_any {
        return Err(format!("`{text}`: incomplete ISO 8601 duration"));
    }
    bounded(text, if negative { -total } else { total })
}

/// Formats counted time as ISO 8601 (`PT1H15M30S`), hours not folded into
/// days, milliseconds as a decimal fraction of seconds, `PT0S` for zero.
pub fn format_iso(delta: TimeDelta) -> String {
    use std::fmt::Write as _;
    let ms = delta.num_milliseconds();
    let mut out = String::with_capacity(16);
    if ms < 0 {
        out.push('-');
    }
    out.push_str("PT");
    let ms = ms.unsigned_abs();
    let hours = ms / 3_600_000;
    let minutes = (ms / 60_000) % 60;
    let seconds = (ms / 1_000) % 60;
    let millis = ms % 1_000;
    // Writing into a String cannot fail.
    if hours > 0 {
        let _ = write!(out, "{hours}H");
    }
    if minutes > 0 {
        let _ = write!(out, "{minutes}M");
    }
    if millis > 0 {
        let fraction = format!("{millis:03}");
        let _ = write!(out, "{seconds}.{}S", fraction.trim_end_matches('0'));
    } else if seconds > 0 || (hours == 0 && minutes == 0) {
        let _ = write!(out, "{seconds}S");
    }
    out
}

/// Formats counted time the way people read it: `1h 15m 30s`.
pub fn format_human(delta: TimeDelta) -> String {
    let ms = delta.num_milliseconds();
    let sign = if ms < 0 { "-" } else { "" };
    let ms = ms.unsigned_abs();
    let (h, m, s, rest) = (
        ms / 3_600_000,
        (ms / 60_000) % 60,
        (ms / 1_000) % 60,
        ms % 1_000,
    );
    let mut parts = Vec::new();
    if h > 0 {
        parts.push(format!("{h}h"));
    }
    if m > 0 {
        parts.push(format!("{m}m"));
    }
    if rest > 0 {
        parts.push(format!("{s}.{rest:03}s"));
    } else if s > 0 || parts.is_empty() {
        parts.push(format!("{s}s"));
    }
    format!("{sign}{}", parts.join(" "))
}

/// Formats counted time the way people read it in `lang`: `1h 15m 30s`
/// in English, `1 小时 15 分 30 秒` in Chinese (`15 分钟` when no seconds
/// follow).
pub fn format_human_in(delta: TimeDelta, lang: crate::lang::Lang) -> String {
    if lang == crate::lang::Lang::En {
        return format_human(delta);
    }
    let ms = delta.num_milliseconds();
    let sign = if ms < 0 { "-" } else { "" };
    let ms = ms.unsigned_abs();
    let (h, m, s, rest) = (
        ms / 3_600_000,
        (ms / 60_000) % 60,
        (ms / 1_000) % 60,
        ms % 1_000,
    );
    let seconds = rest > 0 || s > 0 || (h == 0 && m == 0);
    let mut parts = Vec::new();
    if h > 0 {
        parts.push(format!("{h} 小时"));
    }
    if m > 0 {
        parts.push(format!("{m} {}", if seconds { "分" } else { "分钟" }));
    }
    if rest > 0 {
        parts.push(format!("{s}.{rest:03} 秒"));
    } else if seconds {
        parts.push(format!("{s} 秒"));
    }
    format!("{sign}{}", parts.join(" "))
}

impl ServiceDuration {
    /// The target as people read it in `lang`: as the policy's form in
    /// English (`PT4H`, `2bd`), in words in Chinese (`4 小时`, `2 个工作日`).
    pub fn render(&self, lang: crate::lang::Lang) -> String {
        match (self, lang) {
            (_, crate::lang::Lang::En) => self.to_string(),
            (ServiceDuration::Time(t), _) => format_human_in(*t, lang),
            (ServiceDuration::BusinessDays(n), _) => format!("{n} 个工作日"),
        }
    }
}

/// A calendar period for warranties and statutory terms: whole days, months
/// or years counted on local dates (`"15 days"`, `"18 months"`, `"2 years"`).
///
/// # Examples
///
/// ```
/// use aftersales::CalendarPeriod;
///
/// assert_eq!(CalendarPeriod::parse("18 months").unwrap(), CalendarPeriod::Months(18));
/// assert_eq!(CalendarPeriod::Years(1).to_string(), "1 year");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CalendarPeriod {
    /// Whole days.
    Days(u32),
    /// Whole months; the day clamps to the end of a shorter month.
    Months(u32),
    /// Whole years; 29 February clamps to 28 February.
    Years(u32),
}

impl CalendarPeriod {
    /// Parses `"N days"`, `"N months"`, `"N years"` (singular accepted).
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut parts = text.split_whitespace();
        let (Some(number), Some(unit), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(format!(
                "`{text}`: expected a whole number and a unit, e.g. \"15 days\", \"18 months\", \"2 years\""
            ));
        };
        let n: u32 = number
            .parse()
            .map_err(|_| format!("`{text}`: `{number}` is not a whole number"))?;
        // A year is at most 366 days; months and days bounded alike.
        let (most, limit) = match unit {
            "day" | "days" => (MAX_PERIOD_YEARS * 366, "days"),
            "month" | "months" => (MAX_PERIOD_YEARS * 12, "months"),
            _ => (MAX_PERIOD_YEARS, "years"),
        };
        if n > most {
            return Err(format!(
                "`{text}`: a period of at most {MAX_PERIOD_YEARS} years ({most} {limit})"
            ));
        }
        match unit {
            "day" | "days" => Ok(CalendarPeriod::Days(n)),
            "month" | "months" => Ok(CalendarPeriod::Months(n)),
            "year" | "years" => Ok(CalendarPeriod::Years(n)),
            other => Err(format!(
                "`{text}`: unknown unit `{other}`; expected days, months or years"
            )),
        }
    }

    /// The date this period after `from` (month ends clamp). `None` past
    /// the representable range.
    pub fn after(&self, from: chrono::NaiveDate) -> Option<chrono::NaiveDate> {
        use chrono::{Days, Months};
        match *self {
            CalendarPeriod::Days(n) => from.checked_add_days(Days::new(u64::from(n))),
            CalendarPeriod::Months(n) => from.checked_add_months(Months::new(n)),
            CalendarPeriod::Years(n) => from.checked_add_months(Months::new(n.checked_mul(12)?)),
        }
    }
}

impl fmt::Display for CalendarPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (n, unit) = match *self {
            CalendarPeriod::Days(n) => (n, "day"),
            CalendarPeriod::Months(n) => (n, "month"),
            CalendarPeriod::Years(n) => (n, "year"),
        };
        write!(f, "{n} {unit}{}", if n == 1 { "" } else { "s" })
    }
}

/// Counted time that serialises as ISO 8601 (`"PT1H30M"`) and reads either
/// spelling (`"1.5h"` or `"PT1H30M"`); business days are refused.
///
/// # Examples
///
/// ```
/// use aftersales::Duration;
///
/// let d: Duration = "PT1H30M".parse().unwrap();
/// assert_eq!(d.0.num_minutes(), 90);
/// let overdue: Duration = "-PT5M".parse().unwrap();
/// assert_eq!(overdue.0.num_seconds(), -300);
/// assert!("2bd".parse::<Duration>().is_err());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration(pub TimeDelta);

impl std::str::FromStr for Duration {
    type Err = String;

    /// Reads ISO 8601 text, the form a `Duration` serialises as
    /// (`"PT1H30M"`, `"-PT5M"`, `"P2D"`); months and years are refused.
    fn from_str(text: &str) -> Result<Duration, String> {
        parse_iso(text).map(Duration)
    }
}

impl serde::Serialize for Duration {
    /// ISO 8601 text, marked as [`crate::marker::DURATION`].
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(crate::marker::DURATION, &format_iso(self.0))
    }
}

impl<'de> serde::Deserialize<'de> for Duration {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Duration;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a duration string such as \"1.5h\", \"90m\" or \"PT1H30M\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Duration, E> {
                match ServiceDuration::parse(v).map_err(E::custom)? {
                    ServiceDuration::Time(t) => Ok(Duration(t)),
                    ServiceDuration::BusinessDays(_) => Err(E::custom(format!(
                        "`{v}`: business days are not an amount of time here; use h or m"
                    ))),
                }
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

impl schemars::JsonSchema for Duration {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Duration".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "Counted time: unit string (\"1.5h\", \"90m\", \"1h30m\") or ISO 8601 (\"PT1H30M\")."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(text: &str) -> i64 {
        match ServiceDuration::parse(text) {
            Ok(ServiceDuration::Time(t)) => t.num_milliseconds(),
            other => unreachable!("{text}: {other:?}"),
        }
    }

    #[test]
    fn durations_read_in_chinese() {
        use crate::lang::Lang;
        let zh = |ms: i64| format_human_in(TimeDelta::milliseconds(ms), Lang::ZhCn);
        assert_eq!(zh(90_000), "1 分 30 秒");
        assert_eq!(zh(60_000), "1 分钟");
        assert_eq!(zh(30_000), "30 秒");
        assert_eq!(zh(0), "0 秒");
        assert_eq!(zh(8_400_000), "2 小时 20 分钟");
        assert_eq!(zh(3_601_500), "1 小时 1.500 秒");
        assert_eq!(zh(-90_000), "-1 分 30 秒");
        assert_eq!(
            format_human_in(TimeDelta::milliseconds(90_000), Lang::En),
            "1m 30s"
        );
        assert_eq!(
            ServiceDuration::BusinessDays(2).render(Lang::ZhCn),
            "2 个工作日"
        );
        assert_eq!(ServiceDuration::BusinessDays(2).render(Lang::En), "2bd");
        assert_eq!(ms_target("4h").render(Lang::ZhCn), "4 小时");
        assert_eq!(ms_target("4h").render(Lang::En), "PT4H");
    }

    fn ms_target(text: &str) -> ServiceDuration {
        ServiceDuration::parse(text).unwrap_or(ServiceDuration::BusinessDays(0))
    }

    #[test]
    fn unit_strings() {
        assert_eq!(ms("90s"), 90_000);
        assert_eq!(ms("15m"), 900_000);
        assert_eq!(ms("1.5h"), 5_400_000);
        assert_eq!(ms("1d"), 86_400_000);
        assert_eq!(ms("0.25s"), 250);
        assert_eq!(ms("1h10m"), 4_200_000);
        assert_eq!(ms("2h 15m"), 8_100_000);
        assert_eq!(
            ServiceDuration::parse("2bd"),
            Ok(ServiceDuration::BusinessDays(2))
        );
    }

    #[test]
    fn iso_strings() {
        assert_eq!(ms("PT1H30M"), 5_400_000);
        assert_eq!(ms("P1DT2H"), 93_600_000);
        assert_eq!(ms("P1W"), 604_800_000);
        assert_eq!(ms("PT0.5S"), 500);
        assert!(ServiceDuration::parse("P1M").is_err());
        assert!(ServiceDuration::parse("PT").is_err());
    }

    #[test]
    fn bad_strings_name_the_problem() {
        let err = ServiceDuration::parse("2 weeks").unwrap_err();
        assert!(err.contains("unknown unit `weeks`"), "{err}");
        assert!(ServiceDuration::parse("1.5bd").is_err());
        assert!(ServiceDuration::parse("h").is_err());
        assert!(ServiceDuration::parse("0.0001s").is_err());
    }

    #[test]
    fn iso_formatting() {
        assert_eq!(format_iso(TimeDelta::seconds(4530)), "PT1H15M30S");
        assert_eq!(format_iso(TimeDelta::zero()), "PT0S");
        assert_eq!(format_iso(TimeDelta::hours(26)), "PT26H");
        assert_eq!(format_iso(TimeDelta::milliseconds(-1500)), "-PT1.5S");
        assert_eq!(format_human(TimeDelta::seconds(4530)), "1h 15m 30s");
    }

    #[test]
    fn calendar_periods_clamp_to_month_end() {
        let d = |s: &str| s.parse::<chrono::NaiveDate>().unwrap_or_default();
        let year = CalendarPeriod::parse("1 year").unwrap_or(CalendarPeriod::Days(0));
        assert_eq!(year.after(d("2024-02-29")), Some(d("2025-02-28")));
        let month = CalendarPeriod::parse("1 month").unwrap_or(CalendarPeriod::Days(0));
        assert_eq!(month.after(d("2025-01-31")), Some(d("2025-02-28")));
        assert_eq!(
            CalendarPeriod::parse("2 years"),
            Ok(CalendarPeriod::Years(2))
        );
        assert!(CalendarPeriod::parse("2y").is_err());
    }

    #[test]
    fn calendar_periods_are_bounded() {
        // 1,000 years = 12,000 months; 366 days a year at most = 366,000 days.
        assert_eq!(
            CalendarPeriod::parse("1000 years"),
            Ok(CalendarPeriod::Years(1_000))
        );
        assert_eq!(
            CalendarPeriod::parse("12000 months"),
            Ok(CalendarPeriod::Months(12_000))
        );
        assert_eq!(
            CalendarPeriod::parse("366000 days"),
            Ok(CalendarPeriod::Days(366_000))
        );
        for text in [
            "1001 years",
            "12001 months",
            "366001 days",
            "4000000000 years",
        ] {
            let err = CalendarPeriod::parse(text).unwrap_err();
            assert!(err.contains("at most 1000 years"), "{text}: {err}");
        }
    }

    #[test]
    fn helpers_bound_counted_time() {
        // 100,000 days × 86,400,000 ms.
        assert_eq!(
            milliseconds(8_640_000_000_000),
            Some(TimeDelta::days(100_000))
        );
        assert_eq!(milliseconds(-8_640_000_000_001), None);
        assert_eq!(milliseconds(i64::MIN), None);
        assert_eq!(business_days(10_000), Ok(10_000));
        assert!(business_days(u64::MAX).is_err());
    }
}
