//! Calendar arithmetic, aftersales against workclock, on the same calendar
//! (Europe/Berlin, Mon-Fri 09:00-12:00 and 13:00-18:00, Berlin's 2026-2027
//! public holidays) from the same 1,024 instants spread over 2026.
//!
//! Each iteration takes the next instant, so a figure is the time of one
//! operation averaged over instants that are open, closed, on weekends and
//! on holidays. aftersales keeps the chunks of open periods it has built,
//! so these are warm figures; the `cold` group builds a fresh calendar
//! every iteration.
//!
//! Run: `cargo bench -p aftersales-benches --bench calendar`.

#[path = "../shared/berlin_office.rs"]
mod berlin_office;
#[path = "../shared/shanghai_office.rs"]
mod shanghai_office;

use berlin_office::{aftersales_calendar, instants, timestamp, workclock_schedule};
use chrono::TimeDelta;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use jiff::SignedDuration;
use std::hint::black_box;

const INSTANTS: i64 = 1_024;

fn operations(c: &mut Criterion) {
    let calendar = aftersales_calendar();
    let schedule = workclock_schedule();
    let starts = instants(INSTANTS);
    let stamps: Vec<_> = starts.iter().map(|t| timestamp(*t)).collect();
    let n = starts.len();

    let amounts = [("add 24h", 24), ("add 2080h (a year of open time)", 2_080)];
    for (name, hours) in amounts {
        let mut group = c.benchmark_group(name);
        let d = TimeDelta::hours(hours);
        let mut i = 0;
        group.bench_function("aftersales", |b| {
            b.iter(|| {
                i = (i + 1) % n;
                calendar.add(black_box(starts[i]), black_box(d))
            })
        });
        let d = SignedDuration::from_hours(hours);
        let mut i = 0;
        group.bench_function("workclock", |b| {
            b.iter(|| {
                i = (i + 1) % n;
                schedule.add(black_box(stamps[i]), black_box(d))
            })
        });
        group.finish();
    }

    let spans = [("between 1 day", 1), ("between 1 year", 365)];
    for (name, days) in spans {
        let mut group = c.benchmark_group(name);
        let span = TimeDelta::days(days);
        let mut i = 0;
        group.bench_function("aftersales", |b| {
            b.iter(|| {
                i = (i + 1) % n;
                calendar.between(black_box(starts[i]), black_box(starts[i] + span))
            })
        });
        let span = SignedDuration::from_hours(24 * days);
        let mut i = 0;
        group.bench_function("workclock", |b| {
            b.iter(|| {
                i = (i + 1) % n;
                schedule.between(black_box(stamps[i]), black_box(stamps[i] + span))
            })
        });
        group.finish();
    }
}

/// The first call on a new calendar builds the chunk (about 12 days of open
/// periods) it needs; later calls find it in the cache.
fn cold(c: &mut Criterion) {
    let starts = instants(INSTANTS);
    let n = starts.len();
    let mut group = c.benchmark_group("cold: new calendar, then add 24h");
    let mut i = 0;
    group.bench_function("aftersales", |b| {
        b.iter_batched(
            aftersales_calendar,
            |calendar| {
                i = (i + 1) % n;
                calendar.add(black_box(starts[i]), TimeDelta::hours(24))
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

/// The calendar figures on the Asia/Shanghai office calendar, each
/// beside workclock: warm `add` 24 h over 2026; a fresh calendar
/// (`Calendar::new` from its spec, or workclock's builder) and its first
/// `add`; `add` at random instants over 1900-2099.
fn shanghai(c: &mut Criterion) {
    use shanghai_office as sh;
    let spec = sh::aftersales_spec();
    let holidays = sh::holiday_dates();
    let calendar = sh::aftersales_calendar(&spec);
    let schedule = sh::workclock_schedule(&holidays);
    let d = TimeDelta::hours(24);
    let jd = SignedDuration::from_hours(24);

    let starts = sh::instants_2026(INSTANTS);
    let stamps: Vec<_> = starts.iter().map(|t| sh::timestamp(*t)).collect();
    let n = starts.len();
    let mut group = c.benchmark_group("shanghai: warm add 24h (2026)");
    let mut i = 0;
    group.bench_function("aftersales", |b| {
        b.iter(|| {
            i = (i + 1) % n;
            calendar.add(black_box(starts[i]), black_box(d))
        })
    });
    let mut i = 0;
    group.bench_function("workclock", |b| {
        b.iter(|| {
            i = (i + 1) % n;
            schedule.add(black_box(stamps[i]), black_box(jd))
        })
    });
    group.finish();

    let mut group = c.benchmark_group("shanghai: cold new calendar + first add 24h");
    let mut i = 0;
    group.bench_function("aftersales", |b| {
        b.iter(|| {
            i = (i + 1) % n;
            let calendar = sh::aftersales_calendar(black_box(&spec));
            calendar.add(black_box(starts[i]), black_box(d))
        })
    });
    let mut i = 0;
    group.bench_function("aftersales, Calendar::new only", |b| {
        b.iter(|| sh::aftersales_calendar(black_box(&spec)))
    });
    group.bench_function("aftersales, first add only", |b| {
        b.iter_batched(
            || sh::aftersales_calendar(&spec),
            |calendar| {
                i = (i + 1) % n;
                calendar.add(black_box(starts[i]), black_box(d))
            },
            BatchSize::SmallInput,
        )
    });
    let mut i = 0;
    group.bench_function("workclock", |b| {
        b.iter(|| {
            i = (i + 1) % n;
            let schedule = sh::workclock_schedule(black_box(&holidays));
            schedule.add(black_box(stamps[i]), black_box(jd))
        })
    });
    group.finish();

    let random = sh::instants_two_centuries(4_096);
    let stamps: Vec<_> = random.iter().map(|t| sh::timestamp(*t)).collect();
    let n = random.len();
    let mut group = c.benchmark_group("shanghai: add 24h at random instants 1900-2099");
    let mut i = 0;
    group.bench_function("aftersales", |b| {
        b.iter(|| {
            i = (i + 1) % n;
            calendar.add(black_box(random[i]), black_box(d))
        })
    });
    let mut i = 0;
    group.bench_function("workclock", |b| {
        b.iter(|| {
            i = (i + 1) % n;
            schedule.add(black_box(stamps[i]), black_box(jd))
        })
    });
    group.finish();
}

criterion_group!(calendar, operations, cold, shanghai);
criterion_main!(calendar);
