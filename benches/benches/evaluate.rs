//! `evaluate` and `evaluate_many` on the example policy packs: tickets per
//! second on one core and on all cores. Figures go to BENCHMARKS.md.
//!
//! Like the `aftersales` command line, the benchmark uses mimalloc.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use aftersales::{Policy, Ticket};
use chrono::{DateTime, Utc};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::{Path, PathBuf};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

/// (pack, as_of) from examples/packs.txt.
fn packs() -> Vec<(String, DateTime<Utc>)> {
    std::fs::read_to_string(examples().join("packs.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut parts = l.split_whitespace();
            (
                parts.next().unwrap().to_string(),
                parts.next().unwrap().parse().unwrap(),
            )
        })
        .collect()
}

fn tickets(pack: &str) -> Vec<Ticket> {
    let text = std::fs::read_to_string(examples().join(format!("tickets/{pack}.jsonl"))).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| Ticket::from_json(l).unwrap())
        .collect()
}

/// The pack's policy with only its service promises: the manifest without
/// `[warranty]`, `[fees]` and `[[credits]]` (the rules file is kept).
fn sla_only(pack: &str) -> Policy {
    let dir = examples().join("policies");
    let mut manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(dir.join(format!("{pack}.toml"))).unwrap())
            .unwrap();
    for section in ["warranty", "fees", "credits"] {
        manifest.remove(section);
    }
    let policy = manifest
        .get_mut("policy")
        .and_then(toml::Value::as_table_mut)
        .unwrap();
    if let Some(toml::Value::String(rules)) = policy.get("rules").cloned() {
        policy.insert(
            "rules".into(),
            toml::Value::String(dir.join(rules).display().to_string()),
        );
    }
    let path = std::env::temp_dir().join(format!("aftersales-bench-{pack}-sla.toml"));
    std::fs::write(&path, toml::to_string(&manifest).unwrap()).unwrap();
    Policy::from_path(&path).unwrap()
}

fn evaluate(c: &mut Criterion) {
    for (pack, as_of) in packs() {
        let tickets = tickets(&pack);
        let full = Policy::from_path(examples().join(format!("policies/{pack}.toml"))).unwrap();
        let mut group = c.benchmark_group(format!("evaluate/{pack}"));
        group.throughput(Throughput::Elements(tickets.len() as u64));
        for (name, policy) in [("SLA only", sla_only(&pack)), ("full", full.clone())] {
            group.bench_function(format!("{name}, one core, each example ticket"), |b| {
                b.iter(|| {
                    for ticket in &tickets {
                        std::hint::black_box(policy.evaluate(ticket, as_of).unwrap());
                    }
                })
            });
        }
        // The answer as the façade writes it: reasons rendered, JSON.
        group.bench_function("full, one core, answer written as JSON", |b| {
            let mut out = Vec::with_capacity(1 << 16);
            b.iter(|| {
                for ticket in &tickets {
                    out.clear();
                    let answer = full
                        .evaluate(ticket, as_of)
                        .map_err(|e| aftersales::ErrorObject::from(&e));
                    aftersales::api::write_answer(&mut out, None, &answer);
                    std::hint::black_box(&out);
                }
            })
        });
        // The meter pack's two lookup rules as tables (no Rhai).
        let declarative =
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("policies/{pack}_declarative.toml"));
        if declarative.exists() {
            let policy = Policy::from_path(&declarative).unwrap();
            group.bench_function("full, declarative, one core", |b| {
                b.iter(|| {
                    for ticket in &tickets {
                        std::hint::black_box(policy.evaluate(ticket, as_of).unwrap());
                    }
                })
            });
        }
        // A batch of 10 000 tickets (the examples repeated), all cores.
        let batch: Vec<Ticket> = tickets.iter().cycle().take(10_000).cloned().collect();
        group.throughput(Throughput::Elements(batch.len() as u64));
        group.sample_size(10);
        group.bench_function("full, evaluate_many, 10 000 tickets", |b| {
            b.iter(|| std::hint::black_box(full.evaluate_many(&batch, as_of)))
        });
        // Its overhead over a plain loop, both on one thread.
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        group.bench_function("full, evaluate_many, 10 000 tickets, one thread", |b| {
            b.iter(|| one.install(|| std::hint::black_box(full.evaluate_many(&batch, as_of))))
        });
        group.bench_function("full, plain loop, 10 000 tickets, one thread", |b| {
            b.iter(|| {
                for ticket in &batch {
                    std::hint::black_box(full.evaluate(ticket, as_of).unwrap());
                }
            })
        });
        group.finish();
    }
}

criterion_group!(benches, evaluate);
criterion_main!(benches);
