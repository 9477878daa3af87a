//! `evaluate` and `evaluate_many` on the example policy packs: tickets per
//! second on one core and on all cores. Figures go to BENCHMARKS.md.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use aftersales::{Policy, Ticket};
use chrono::{DateTime, Utc};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::path::Path;

/// (pack, as_of) as listed in examples/README.md.
const PACKS: &[(&str, &str)] = &[
    ("hot_water_meter", "2026-03-03T12:00:00+08:00"),
    ("smart_home", "2026-03-03T12:00:00+08:00"),
    ("online_retail", "2026-03-03T12:00:00+08:00"),
];

fn load(pack: &str) -> (Policy, Vec<Ticket>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let policy = Policy::from_path(root.join(format!("policies/{pack}.toml"))).unwrap();
    let text = std::fs::read_to_string(root.join(format!("tickets/{pack}.jsonl"))).unwrap();
    let tickets = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| Ticket::from_json(l).unwrap())
        .collect();
    (policy, tickets)
}

fn evaluate(c: &mut Criterion) {
    for (pack, as_of) in PACKS {
        let (policy, tickets) = load(pack);
        let as_of: DateTime<Utc> = as_of.parse().unwrap();
        let mut group = c.benchmark_group(format!("evaluate/{pack}"));
        group.throughput(Throughput::Elements(tickets.len() as u64));
        group.bench_function("one core, each example ticket", |b| {
            b.iter(|| {
                for ticket in &tickets {
                    std::hint::black_box(policy.evaluate(ticket, as_of).unwrap());
                }
            })
        });
        // A batch of 10 000 tickets (the examples repeated), all cores.
        let batch: Vec<Ticket> = tickets.iter().cycle().take(10_000).cloned().collect();
        group.throughput(Throughput::Elements(batch.len() as u64));
        group.sample_size(10);
        group.bench_function("evaluate_many, 10 000 tickets", |b| {
            b.iter_batched(
                || (),
                |_| std::hint::black_box(policy.evaluate_many(&batch, as_of)),
                BatchSize::PerIteration,
            )
        });
        group.finish();
    }
}

criterion_group!(benches, evaluate);
criterion_main!(benches);
