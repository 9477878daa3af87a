//! The TOML form of a calendar, as written in a policy's `[calendars.NAME]`.
//!
//! ```toml
//! [calendars.office]
//! timezone = "Asia/Shanghai"            # IANA zone, or "floating"
//! weekdays = ["09:00-12:00", "13:00-18:00"]   # Monday to Friday
//! sat = []                              # a day key overrides `weekdays` / `daily`
//! holidays = ["2026-01-01", "2026-02-15..2026-02-23",
//!             { date = "2026-10-01", name = "National Day" }]
//! recurring_holidays = ["12-25"]        # MM-DD, every year
//!
//! [calendars.office.overrides]          # a date with its own hours
//! "2026-02-14" = "mon"                  # open with Monday's hours
//! "2026-12-24" = ["09:00-12:00"]
//!
//! [calendars.office.breaks]             # closed spans on given dates
//! "2026-03-03" = ["14:00-15:00"]
//! ```
//!
//! An interval `"22:00-06:00"` (end before start) is an overnight interval:
//! it belongs to the day it starts on and runs past midnight. `"00:00-24:00"`
//! is a whole day. Times are `HH:MM` or `HH:MM:SS` local wall-clock time.

use serde::Deserialize;
use std::collections::BTreeMap;

/// One calendar as written in TOML (or JSON): every field optional but the
/// hours. Parse it with serde, then compile it with [`super::Calendar::new`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarSpec {
    /// IANA time zone (`"Europe/Berlin"`), or `"floating"` for wall-clock
    /// time read in UTC with no daylight saving. Defaults to the policy's zone.
    #[serde(default)]
    pub timezone: Option<String>,
    /// Hours for every day of the week.
    #[serde(default)]
    pub daily: Option<Vec<String>>,
    /// Hours for Monday to Friday.
    #[serde(default)]
    pub weekdays: Option<Vec<String>>,
    /// Monday's hours (overrides `weekdays` and `daily`).
    #[serde(default)]
    pub mon: Option<Vec<String>>,
    /// Tuesday's hours.
    #[serde(default)]
    pub tue: Option<Vec<String>>,
    /// Wednesday's hours.
    #[serde(default)]
    pub wed: Option<Vec<String>>,
    /// Thursday's hours.
    #[serde(default)]
    pub thu: Option<Vec<String>>,
    /// Friday's hours.
    #[serde(default)]
    pub fri: Option<Vec<String>>,
    /// Saturday's hours.
    #[serde(default)]
    pub sat: Option<Vec<String>>,
    /// Sunday's hours.
    #[serde(default)]
    pub sun: Option<Vec<String>>,
    /// Whole dates closed: `"YYYY-MM-DD"`, a range `"YYYY-MM-DD..YYYY-MM-DD"`
    /// (both ends included), or `{ date = "…", name = "…" }`.
    #[serde(default)]
    pub holidays: Vec<HolidaySpec>,
    /// Dates closed every year, as `"MM-DD"`.
    #[serde(default)]
    pub recurring_holidays: Vec<String>,
    /// Dates with their own hours: a list of intervals, or a weekday name
    /// (`"mon"`) to open with that weekday's hours.
    #[serde(default)]
    pub overrides: BTreeMap<String, OverrideSpec>,
    /// Closed spans on given dates, as local intervals on that date.
    #[serde(default)]
    pub breaks: BTreeMap<String, Vec<String>>,
    /// An iCalendar (RFC 5545) file of holidays, relative to the policy
    /// file (or a text given by this name beside the rules): see
    /// [`super::ics`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holidays_ics: Option<String>,
    /// Which events of `holidays_ics` are working days:
    /// `"SUMMARY:TEXT"` or `"CATEGORIES:TEXT"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_days_from: Option<String>,
}

/// A holiday entry.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum HolidaySpec {
    /// `"2026-10-01"` or `"2026-10-01..2026-10-07"`.
    Date(String),
    /// `{ date = "2026-10-01", name = "National Day" }`; `date` may be a range.
    Named {
        /// The date or range.
        date: String,
        /// What the holiday is called, quoted in explanations.
        name: String,
    },
}

/// A date override: explicit intervals, or a weekday's hours.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum OverrideSpec {
    /// The date's own intervals (an empty list closes the date).
    Intervals(Vec<String>),
    /// `"mon"` … `"sun"`: open with that weekday's hours (an adjusted
    /// working weekend).
    Weekday(String),
}
