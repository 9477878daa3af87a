//! Laws every calendar obeys, checked with proptest over random calendars
//! (time zones with and without daylight saving, including Lord Howe's
//! 30-minute change and São Paulo's midnight change; split, whole-day and
//! overnight hours; holidays, recurring holidays, overrides and breaks) and
//! random instants between 1990 and 2060.
//!
//! The calendars' special dates are drawn near a random "focus" date and the
//! instants within about a year of it, so holidays, overrides and breaks meet
//! the instants often. Instants are whole seconds (every period boundary is a
//! whole second, so `is_open(t)` can be compared with one second of open
//! time) plus, for half of them, a millisecond part.

// Test code: a failed unwrap or index is a failed test (clippy.toml allows
// these only inside `#[test]` functions, not in this file's helpers).
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use aftersales::Calendar;
use aftersales::{CalendarSpec, HolidaySpec, OverrideSpec};
use chrono::{DateTime, Days, NaiveDate, Offset, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;
use std::collections::BTreeMap;

const ZONES: &[&str] = &[
    "Etc/UTC",
    "Europe/Berlin",
    "America/New_York",
    "Asia/Shanghai",
    "Australia/Lord_Howe",
    "America/Sao_Paulo",
    "floating",
];

const DAY_KEYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Minutes of the day as `HH:MM` (1440 is `24:00`).
fn clock(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn interval(start: u32, end: u32) -> String {
    format!("{}-{}", clock(start), clock(end % 1440))
}

/// One day's hours in minutes: `(start, end)` with `end > 1440` for an
/// overnight interval (written `start-(end-1440)`).
#[derive(Debug, Clone)]
struct DayHours(Vec<(u32, u32)>);

impl DayHours {
    fn texts(&self) -> Vec<String> {
        self.0
            .iter()
            .map(|&(s, e)| {
                if e == 1440 {
                    format!("{}-24:00", clock(s))
                } else {
                    interval(s, e)
                }
            })
            .collect()
    }

    /// How far past midnight the day's hours run (0 when they don't).
    fn spill(&self) -> u32 {
        self.0
            .iter()
            .map(|&(_, e)| e.saturating_sub(1440))
            .max()
            .unwrap_or(0)
    }
}

/// Disjoint intervals on a quarter-hour grid, from sorted cut points
/// taken in pairs; intervals may touch.
fn regular(points: Vec<u32>) -> Vec<(u32, u32)> {
    let mut points: Vec<u32> = points.into_iter().map(|q| q * 15).collect();
    points.sort_unstable();
    points
        .chunks(2)
        .filter_map(|pair| match pair {
            [s, e] if e > s => Some((*s, *e)),
            _ => None,
        })
        .collect()
}

fn day_hours() -> impl Strategy<Value = DayHours> {
    prop_oneof![
        // Closed.
        1 => Just(DayHours(vec![])),
        // Office hours, split by lunch.
        2 => Just(DayHours(vec![(540, 720), (780, 1080)])),
        // A whole day.
        1 => Just(DayHours(vec![(0, 1440)])),
        // Random intervals anywhere in the day, touching 24:00 sometimes.
        3 => prop::collection::vec(0u32..=96, 2..=6).prop_map(|p| DayHours(regular(p))),
        // Morning intervals, then an overnight one ending the next morning.
        2 => (
            prop::collection::vec(0u32..=48, 0..=4),
            52u32..=95,
            1u32..=48
        )
            .prop_map(|(p, start, end)| {
                let mut hours = regular(p);
                hours.push((start * 15, 1440 + end * 15));
                DayHours(hours)
            }),
    ]
}

/// Dates near the focus date, as day offsets.
fn offset() -> impl Strategy<Value = i64> {
    -40i64..420
}

fn date_text(focus: NaiveDate, offset: i64) -> String {
    let date = if offset >= 0 {
        focus.checked_add_days(Days::new(offset.unsigned_abs()))
    } else {
        focus.checked_sub_days(Days::new(offset.unsigned_abs()))
    };
    date.unwrap_or(focus).format("%Y-%m-%d").to_string()
}

#[derive(Debug, Clone)]
enum Override {
    Weekday(usize),
    Hours(DayHours),
}

#[derive(Debug, Clone)]
struct Plan {
    zone: &'static str,
    focus: NaiveDate,
    week: Vec<DayHours>,
    holidays: Vec<(i64, u64, bool)>,
    recurring: Vec<(u32, u32)>,
    overrides: Vec<(i64, Override)>,
    breaks: Vec<(i64, DayHours)>,
}

fn focus_date() -> impl Strategy<Value = NaiveDate> {
    // 1990-03-01 .. 2059-01-01, as days from 1990-01-01.
    (59u64..25_567).prop_map(|days| {
        NaiveDate::from_ymd_opt(1990, 1, 1)
            .and_then(|d| d.checked_add_days(Days::new(days)))
            .unwrap()
    })
}

fn month_day() -> impl Strategy<Value = (u32, u32)> {
    (1u32..=12, 1u32..=31).prop_map(|(m, d)| {
        // Clamp to a day that exists in a leap year (02-29 included).
        let last = match m {
            2 => 29,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        (m, d.min(last))
    })
}

fn plan() -> impl Strategy<Value = Plan> {
    (
        prop::sample::select(ZONES),
        focus_date(),
        prop::collection::vec(day_hours(), 7),
        prop::collection::vec((offset(), 0u64..6, any::<bool>()), 0..6),
        prop::collection::vec(month_day(), 0..4),
        prop::collection::vec(
            (
                offset(),
                prop_oneof![
                    (0usize..7).prop_map(Override::Weekday),
                    day_hours().prop_map(Override::Hours),
                ],
            ),
            0..5,
        ),
        // Breaks: any day's hours, overnight and whole-day ones included.
        prop::collection::vec((offset(), day_hours()), 0..4),
    )
        .prop_map(
            |(zone, focus, week, holidays, recurring, overrides, breaks)| Plan {
                zone,
                focus,
                week,
                holidays,
                recurring,
                overrides,
                breaks,
            },
        )
}

impl Plan {
    fn spec(&self) -> CalendarSpec {
        // An overnight interval may not run into the next day's first
        // interval: drop the next day's intervals that start too early.
        let mut week = self.week.clone();
        for i in 0..7 {
            let spill = week[i].spill();
            let next = &mut week[(i + 1) % 7];
            next.0.retain(|&(s, _)| s >= spill);
        }
        if week.iter().all(|d| d.0.is_empty()) {
            week[2] = DayHours(vec![(540, 1020)]);
        }
        let mut spec = CalendarSpec {
            timezone: Some(self.zone.to_string()),
            ..CalendarSpec::default()
        };
        for (key, hours) in DAY_KEYS.iter().zip(&week) {
            let slot = match *key {
                "mon" => &mut spec.mon,
                "tue" => &mut spec.tue,
                "wed" => &mut spec.wed,
                "thu" => &mut spec.thu,
                "fri" => &mut spec.fri,
                "sat" => &mut spec.sat,
                _ => &mut spec.sun,
            };
            *slot = Some(hours.texts());
        }
        spec.holidays = self
            .holidays
            .iter()
            .map(|&(offset, length, named)| {
                let first = date_text(self.focus, offset);
                let date = if length == 0 {
                    first
                } else {
                    format!("{first}..{}", date_text(self.focus, offset + length as i64))
                };
                if named {
                    HolidaySpec::Named {
                        date,
                        name: "Random Day".into(),
                    }
                } else {
                    HolidaySpec::Date(date)
                }
            })
            .collect();
        spec.recurring_holidays = self
            .recurring
            .iter()
            .map(|(m, d)| format!("{m:02}-{d:02}"))
            .collect();
        spec.overrides = self
            .overrides
            .iter()
            .map(|(offset, value)| {
                let value = match value {
                    Override::Weekday(i) => OverrideSpec::Weekday(DAY_KEYS[*i].to_string()),
                    Override::Hours(hours) => OverrideSpec::Intervals(hours.texts()),
                };
                (date_text(self.focus, *offset), value)
            })
            .collect::<BTreeMap<_, _>>();
        spec.breaks = self
            .breaks
            .iter()
            .map(|(offset, hours)| (date_text(self.focus, *offset), hours.texts()))
            .collect();
        spec
    }

    fn calendar(&self) -> Calendar {
        let spec = self.spec();
        match Calendar::new("random", &spec, None) {
            Ok(calendar) => calendar,
            Err(e) => panic!("generated calendar rejected: {e}\n{spec:#?}"),
        }
    }

    /// The instant of a [`Moment`], plus `millis` milliseconds.
    fn at(&self, moment: Moment, millis: i64) -> DateTime<Utc> {
        let midnight = |date: NaiveDate| date.and_hms_opt(0, 0, 0).unwrap().and_utc();
        let base = match moment {
            Moment::Focus(seconds) => midnight(self.focus) + TimeDelta::seconds(seconds),
            Moment::Change(index, seconds) => {
                let changes = self.offset_changes();
                if changes.is_empty() {
                    midnight(self.focus) + TimeDelta::seconds(seconds)
                } else {
                    midnight(changes[index.index(changes.len())]) + TimeDelta::seconds(seconds)
                }
            }
        };
        base + TimeDelta::milliseconds(millis)
    }

    /// The UTC dates, from 60 days before the focus date to 400 days after
    /// it, on which the zone's offset from UTC changes (daylight saving).
    fn offset_changes(&self) -> Vec<NaiveDate> {
        let Ok(tz) = self.zone.parse::<Tz>() else {
            return Vec::new();
        };
        let offset = |date: NaiveDate| {
            let noon = date.and_hms_opt(12, 0, 0).unwrap();
            tz.offset_from_utc_datetime(&noon).fix().local_minus_utc()
        };
        let first = self.focus - TimeDelta::days(60);
        (0..460)
            .map(|i| first + TimeDelta::days(i))
            .filter(|date| offset(*date - TimeDelta::days(1)) != offset(*date))
            .collect()
    }
}

/// Where an instant lies: some seconds from the focus date's UTC midnight,
/// or within a day and a half of one of the zone's offset changes, where
/// gaps, folds and shortened or lengthened intervals are.
#[derive(Debug, Clone, Copy)]
enum Moment {
    Focus(i64),
    Change(prop::sample::Index, i64),
}

/// Instants: 60 days before the focus date to 400 days after it, or near
/// an offset change, on a quarter-hour (where period boundaries are) or
/// not.
fn moment() -> impl Strategy<Value = Moment> {
    let near_change = prop_oneof![(-144i64..144).prop_map(|q| q * 900), -129_600i64..129_600,];
    prop_oneof![
        3 => (-60 * 86_400i64..400 * 86_400).prop_map(Moment::Focus),
        2 => (any::<prop::sample::Index>(), near_change)
            .prop_map(|(index, s)| Moment::Change(index, s)),
    ]
}

/// A millisecond part: none half of the time.
fn millis() -> impl Strategy<Value = i64> {
    prop_oneof![Just(0i64), 0i64..1000]
}

/// Amounts of open time: mostly up to two days of 24 hours, sometimes up to
/// about a year of office hours (2,500 h); whole seconds or milliseconds.
fn open_time() -> impl Strategy<Value = TimeDelta> {
    prop_oneof![
        3 => (0i64..172_800, millis()).prop_map(|(s, ms)| TimeDelta::seconds(s) + TimeDelta::milliseconds(ms)),
        1 => (0i64..9_000_000).prop_map(TimeDelta::seconds),
        1 => Just(TimeDelta::zero()),
    ]
}

/// `cases` per law, or `PROPTEST_CASES` when set (for a long hunt:
/// `PROPTEST_CASES=20000 cargo test --release --test calendar_laws`).
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(384))]

    /// `add` counts exactly `d`, lands on an open instant, and never earlier
    /// than `t + d` (open time cannot outrun elapsed time).
    #[test]
    fn add_then_between_gives_back_d(
        plan in plan(), s in moment(), ms in millis(), d in open_time()
    ) {
        let cal = plan.calendar();
        let t = plan.at(s, ms);
        let x = cal.add(t, d).unwrap();
        prop_assert_eq!(cal.between(t, x), d, "t={} x={}", t, x);
        prop_assert!(cal.is_open(x), "add landed on a closed instant {}", x);
        prop_assert!(x >= t + d, "x={} is before t+d", x);
    }

    /// `add` is monotone in its start and in the amount.
    #[test]
    fn add_is_monotone(
        plan in plan(), s in moment(), ms in millis(), gap in 0i64..400_000,
        d in open_time(), more in open_time()
    ) {
        let cal = plan.calendar();
        let (t1, t2) = (plan.at(s, ms), plan.at(s, ms) + TimeDelta::seconds(gap));
        let (a, b) = (cal.add(t1, d).unwrap(), cal.add(t2, d).unwrap());
        prop_assert!(a <= b, "add({t1}, d)={a} > add({t2}, d)={b}");
        let c = cal.add(t1, d + more).unwrap();
        prop_assert!(a <= c, "add(t, d)={a} > add(t, d+more)={c}");
    }

    /// `between` is additive over any three instants (in any order), and
    /// antisymmetric; on an ordered pair it lies in `[0, b - a]`.
    #[test]
    fn between_is_additive_and_antisymmetric(
        plan in plan(),
        sa in moment(), ma in millis(),
        sb in moment(), mb in millis(),
        sc in moment(), mc in millis(),
    ) {
        let cal = plan.calendar();
        let (a, b, c) = (plan.at(sa, ma), plan.at(sb, mb), plan.at(sc, mc));
        prop_assert_eq!(cal.between(a, b) + cal.between(b, c), cal.between(a, c));
        prop_assert_eq!(cal.between(b, a), -cal.between(a, b));
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let open = cal.between(lo, hi);
        prop_assert!(open >= TimeDelta::zero() && open <= hi - lo);
        prop_assert_eq!(cal.between(a, a), TimeDelta::zero());
    }

    /// An instant is open exactly when the next second is all open time.
    #[test]
    fn is_open_agrees_with_between(plan in plan(), s in moment()) {
        let cal = plan.calendar();
        let t = plan.at(s, 0);
        let second = TimeDelta::seconds(1);
        prop_assert_eq!(
            cal.is_open(t),
            cal.between(t, t + second) == second,
            "t={}", t
        );
    }

    /// `sub` counts exactly `d` back; `add` and `sub` undo each other up to
    /// the next opening: `add(sub(t, d), d)` and `sub(add(t, d), d)` are
    /// both `next_open(t)` for `d > 0`. A negative amount counts the other
    /// way.
    #[test]
    fn sub_and_add_round_trip(
        plan in plan(), s in moment(), ms in millis(), d in open_time()
    ) {
        let cal = plan.calendar();
        let t = plan.at(s, ms);
        let x = cal.sub(t, d).unwrap();
        prop_assert!(x <= t);
        prop_assert_eq!(cal.between(x, t), d, "t={} x={}", t, x);
        let y = cal.add(t, d).unwrap();
        if d > TimeDelta::zero() {
            // (For d = 0 the signs differ: add(t, 0) is the next opening,
            // sub(t, 0) the last close.)
            prop_assert_eq!(cal.add(t, -d), Ok(x));
            prop_assert_eq!(cal.sub(t, -d), Ok(y));
            let next = cal.next_open(t).unwrap();
            prop_assert_eq!(cal.add(x, d), Ok(next), "add(sub(t, d), d), t={}", t);
            prop_assert_eq!(cal.sub(y, d), Ok(next), "sub(add(t, d), d), t={}", t);
        }
    }

    /// `add(t, 0)` is `t` when open, else the next opening; `sub(t, 0)` is
    /// `t` when open, else the last close; no open time lies between either
    /// and `t`.
    #[test]
    fn zero_amounts_and_neighbours(plan in plan(), s in moment(), ms in millis()) {
        let cal = plan.calendar();
        let t = plan.at(s, ms);
        let next = cal.add(t, TimeDelta::zero()).unwrap();
        prop_assert_eq!(cal.next_open(t), Ok(next));
        prop_assert!(next >= t && cal.is_open(next));
        prop_assert_eq!(cal.between(t, next), TimeDelta::zero());
        let last = cal.sub(t, TimeDelta::zero()).unwrap();
        prop_assert_eq!(cal.prev_close(t), Ok(last));
        prop_assert!(last <= t);
        prop_assert_eq!(cal.between(last, t), TimeDelta::zero());
        if cal.is_open(t) {
            prop_assert_eq!(next, t);
            prop_assert_eq!(last, t);
        } else {
            // The last close: the instant just before it is open.
            prop_assert!(cal.is_open(last - TimeDelta::milliseconds(1)));
        }
        // The close of the period holding (or following) `t`: open all the
        // way from the period's start, closed at the close.
        let close = cal.next_close(t).unwrap();
        prop_assert!(close > next && !cal.is_open(close), "t={} close={}", t, close);
        prop_assert_eq!(cal.between(next, close), close - next);
    }

    /// `add_business_days` moves forward to an open instant, one business
    /// day at a time; `sub_business_days` moves back.
    #[test]
    fn business_days_move_forward_and_back(
        plan in plan(), s in moment(), ms in millis(), n in 0u32..12
    ) {
        let cal = plan.calendar();
        let t = plan.at(s, ms);
        let one = cal.add_business_days(t, n).unwrap();
        let two = cal.add_business_days(t, n + 1).unwrap();
        // `<=`, not `<`: the n-th date's wall time may be after its hours, and
        // the next opening is then the (n+1)-th date's at that same time.
        prop_assert!(t <= one && one <= two, "t={} n={} {} {}", t, n, one, two);
        prop_assert!(cal.is_open(one));
        if n == 0 {
            prop_assert_eq!(cal.next_open(t), Ok(one));
        }
        let back = cal.sub_business_days(t, n).unwrap();
        prop_assert!(back <= t, "t={} n={} back={}", t, n, back);
        let further = cal.sub_business_days(t, n + 1).unwrap();
        // Likewise the last close before two dates' wall times can coincide.
        prop_assert!(further <= back, "t={} n={} {} {}", t, n, further, back);
    }
}

/// Instants at and near the ends of chrono's range: every operation answers
/// (`Ok` or `Err`) without panicking, on calendars of every kind.
#[test]
fn extreme_instants_never_panic() {
    let calendars = [
        Calendar::always_open(),
        Calendar::from_toml_str(
            "office",
            "timezone = \"Europe/Berlin\"\nweekdays = [\"09:00-12:00\", \"13:00-18:00\"]\n\
             recurring_holidays = [\"01-01\", \"02-29\", \"12-31\"]",
        )
        .unwrap(),
        Calendar::from_toml_str(
            "nights",
            "timezone = \"Australia/Lord_Howe\"\ndaily = [\"22:00-06:00\"]",
        )
        .unwrap(),
        Calendar::from_toml_str(
            "whole days",
            "timezone = \"America/Sao_Paulo\"\nmon = [\"00:00-24:00\"]\nsat = [\"00:00-24:00\"]",
        )
        .unwrap(),
        Calendar::from_toml_str(
            "floating",
            "timezone = \"floating\"\nweekdays = [\"09:00-17:00\"]",
        )
        .unwrap(),
        Calendar::from_toml_str(
            "one day",
            "timezone = \"Asia/Shanghai\"\n[overrides]\n\"2026-02-14\" = [\"09:00-18:00\"]",
        )
        .unwrap(),
    ];
    let (min, max) = (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC);
    let day = TimeDelta::days(1);
    let instants = [
        min,
        min + TimeDelta::milliseconds(1),
        min + day,
        min + TimeDelta::days(400),
        max,
        max - TimeDelta::milliseconds(1),
        max - day,
        max - TimeDelta::days(400),
    ];
    let amounts = [
        TimeDelta::zero(),
        TimeDelta::hours(1),
        TimeDelta::hours(-1),
        TimeDelta::days(30),
        TimeDelta::days(-30),
        TimeDelta::MAX,
        TimeDelta::MIN,
    ];
    for cal in &calendars {
        for &t in &instants {
            let _ = cal.is_open(t);
            let _ = cal.is_holiday(t);
            let _ = cal.next_open(t);
            let _ = cal.prev_close(t);
            let _ = cal.next_close(t);
            let _ = cal.add_business_days(t, 3);
            let _ = cal.sub_business_days(t, 3);
            let _ = cal.between(t, t);
            for &d in &amounts {
                let _ = cal.add(t, d);
                let _ = cal.sub(t, d);
            }
            for &u in &instants {
                // Spans of at most 400 days: between walks every chunk of a span.
                if (u - t).abs() <= TimeDelta::days(400) {
                    let _ = cal.between(t, u);
                }
            }
        }
        // Far amounts from an ordinary instant end in an error, not a walk to
        // the end of time.
        let now = DateTime::parse_from_rfc3339("2026-03-02T09:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        for d in [TimeDelta::MAX, TimeDelta::MIN] {
            let _ = cal.add(now, d);
            let _ = cal.sub(now, d);
        }
    }
}
