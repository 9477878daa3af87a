//! The time zone a calendar reads wall-clock time in: an IANA zone, or
//! floating wall-clock time read in UTC.

use chrono::{DateTime, LocalResult, NaiveDateTime, Offset, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use std::fmt;

/// The time zone a calendar reads wall-clock time in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// Wall-clock time with no zone: read in UTC, no daylight saving.
    Floating,
    /// An IANA zone.
    Tz(Tz),
}

impl Zone {
    /// Parses an IANA zone name, or `"floating"`.
    pub fn parse(name: &str) -> Result<Zone, String> {
        if name.eq_ignore_ascii_case("floating") {
            return Ok(Zone::Floating);
        }
        name.parse::<Tz>().map(Zone::Tz).map_err(|_| {
            format!("unknown time zone `{name}`; expected an IANA name such as \"Asia/Shanghai\" or \"floating\"")
        })
    }

    /// Local wall-clock time of an instant. Within a day of either end of
    /// chrono's range the local time may not be representable; it is then
    /// the first or last representable wall-clock time.
    pub fn local(&self, t: DateTime<Utc>) -> NaiveDateTime {
        match self {
            Zone::Floating => t.naive_utc(),
            Zone::Tz(tz) => {
                // Not `with_timezone(tz).naive_local()`: that panics when the
                // offset pushes the wall-clock time past chrono's range.
                let utc = t.naive_utc();
                let offset = tz.offset_from_utc_datetime(&utc).fix();
                utc.checked_add_offset(offset)
                    .unwrap_or(if offset.local_minus_utc() > 0 {
                        NaiveDateTime::MAX
                    } else {
                        NaiveDateTime::MIN
                    })
            }
        }
    }

    /// The instant of a local wall-clock time: a time in a spring-forward gap
    /// is shifted forward by the gap, an ambiguous time takes its first
    /// occurrence.
    pub fn resolve(&self, local: NaiveDateTime) -> DateTime<Utc> {
        let tz = match self {
            Zone::Floating => return local.and_utc(),
            Zone::Tz(tz) => tz,
        };
        match tz.from_local_datetime(&local) {
            LocalResult::Single(t) => t.with_timezone(&Utc),
            LocalResult::Ambiguous(a, b) => a.with_timezone(&Utc).min(b.with_timezone(&Utc)),
            LocalResult::None => {
                // In a gap: the offset in force before the transition applies,
                // which moves the wall time forward by the gap's length.
                let offset_near = |days: i64| {
                    local
                        .checked_add_signed(TimeDelta::days(days))
                        .map(|n| tz.offset_from_utc_datetime(&n).fix().local_minus_utc())
                        .unwrap_or(0)
                };
                let widest = offset_near(-1).max(offset_near(1));
                let shifted =
                    |seconds: i32| local.checked_sub_signed(TimeDelta::seconds(i64::from(seconds)));
                let before = shifted(widest)
                    .map(|probe| tz.offset_from_utc_datetime(&probe).fix().local_minus_utc())
                    .unwrap_or(widest);
                shifted(before).unwrap_or(local).and_utc()
            }
        }
    }

    /// The zone's name (`"floating"` for floating time).
    pub fn name(&self) -> &str {
        match self {
            Zone::Floating => "floating",
            Zone::Tz(tz) => tz.name(),
        }
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
