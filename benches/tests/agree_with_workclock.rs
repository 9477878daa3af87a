//! aftersales and workclock agree on the benchmark calendar (Europe/Berlin,
//! Mon-Fri 09:00-12:00 and 13:00-18:00, Berlin's 2026-2027 holidays)
//! wherever both define the answer.
//!
//! One convention differs, and only for `add`: when the amount is used up
//! exactly at a close, workclock answers the close (the *earliest* instant
//! with that much open time) and aftersales the next opening (the *latest*
//! such instant, as zendesk/biz and pandas do, so that a stop at or before
//! the deadline is exactly a met promise). Both have the same open time
//! from the start, and no open time lies between the two answers. For a
//! zero amount workclock answers the start itself, aftersales the next
//! opening. `sub` of a positive amount and `between` agree exactly.

#[path = "../shared/berlin_office.rs"]
mod berlin_office;

use berlin_office::{aftersales_calendar, instant, instants, timestamp, workclock_schedule};
use chrono::{DateTime, TimeDelta, Utc};
use jiff::SignedDuration;

/// Instants over 2026 (whole minutes), plus every opening and close of a
/// week around Easter and of the week of 1 May, where answers land on
/// period edges and holidays.
fn starts() -> Vec<DateTime<Utc>> {
    let mut starts = instants(600);
    let calendar = aftersales_calendar();
    for first in ["2026-03-30T00:00:00Z", "2026-04-27T00:00:00Z"] {
        let mut t = DateTime::parse_from_rfc3339(first)
            .unwrap()
            .with_timezone(&Utc);
        for _ in 0..20 {
            let open = calendar.next_open(t).unwrap();
            let close = calendar.next_close(open).unwrap();
            starts.extend([open, close, close - TimeDelta::minutes(1)]);
            t = close;
        }
    }
    starts
}

fn amounts() -> Vec<TimeDelta> {
    [1, 30, 60, 180, 300, 480, 24 * 60, 40 * 60, 2_080 * 60]
        .into_iter()
        .map(TimeDelta::minutes)
        .chain([TimeDelta::seconds(1), TimeDelta::milliseconds(1_500)])
        .collect()
}

fn signed(d: TimeDelta) -> SignedDuration {
    SignedDuration::from_millis(d.num_milliseconds())
}

#[test]
fn between_agrees() {
    let calendar = aftersales_calendar();
    let schedule = workclock_schedule();
    let starts = starts();
    for (i, &a) in starts.iter().enumerate() {
        // Pair each instant with a few others, before and after it.
        for step in [1, 7, 101] {
            let b = starts[(i + step) % starts.len()];
            let ours = calendar.between(a, b);
            let theirs = schedule.between(timestamp(a), timestamp(b));
            assert_eq!(
                ours.num_milliseconds() as i128,
                theirs.as_millis(),
                "between({a}, {b})"
            );
        }
    }
}

#[test]
fn add_agrees_but_for_landing_on_a_close() {
    let calendar = aftersales_calendar();
    let schedule = workclock_schedule();
    let mut on_a_close = 0;
    for t in starts() {
        for d in amounts() {
            let ours = calendar.add(t, d).unwrap();
            let theirs = instant(schedule.add(timestamp(t), signed(d)).unwrap());
            if ours != theirs {
                // workclock answered the close where the amount was used up;
                // we answered the next opening.
                assert!(!calendar.is_open(theirs), "add({t}, {d}): {theirs} is open");
                assert!(calendar.is_open(theirs - TimeDelta::milliseconds(1)));
                assert_eq!(calendar.next_open(theirs), Ok(ours), "add({t}, {d})");
                on_a_close += 1;
            }
            assert_eq!(calendar.between(t, theirs), d);
        }
        // Zero: workclock stays at t, we go to the next opening.
        let theirs = schedule.add(timestamp(t), SignedDuration::ZERO).unwrap();
        assert_eq!(instant(theirs), t);
        assert_eq!(calendar.add(t, TimeDelta::zero()), calendar.next_open(t));
    }
    // The starts include openings, and 8 h from an opening ends on a close.
    assert!(on_a_close > 0);
}

#[test]
fn sub_agrees() {
    let calendar = aftersales_calendar();
    let schedule = workclock_schedule();
    for t in starts() {
        for d in amounts() {
            let ours = calendar.sub(t, d).unwrap();
            let theirs = instant(schedule.sub(timestamp(t), signed(d)).unwrap());
            assert_eq!(ours, theirs, "sub({t}, {d})");
        }
    }
}
