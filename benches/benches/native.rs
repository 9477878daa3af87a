//! The engine beside a hand-written Rust function computing the same:
//!
//! - **declarative**: `benches/policies/declarative.toml` (severity table,
//!   two tables keyed by two fields, `when` comparisons; no Rhai);
//! - **minimal Rhai**: `benches/policies/minimal_rhai.toml` (severity from a
//!   Rhai rule, two fixed targets, 24x7).
//!
//! The hand-written functions decide the severity, each target, its
//! deadline with the same `Calendar`, and its status from the stop event.
//! A test below checks they agree with the engine on every ticket, so the
//! two sides of each comparison compute the same thing.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use aftersales::{Calendar, Policy, Ticket};
use chrono::{DateTime, TimeDelta, Utc};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::Path;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn policy(name: &str) -> Policy {
    Policy::from_path(Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("policies/{name}.toml")))
        .unwrap()
}

/// 360 tickets: every combination of kind, category, fault, complexity
/// and zone, half of them contacted after 40 minutes and resolved after 5 h.
fn tickets() -> Vec<Ticket> {
    let mut out = Vec::new();
    let mut n = 0;
    for kind in ["repair", "consultation", "install"] {
        for category in ["", "household", "industrial"] {
            for code in ["", "leak", "no_reading", "battery"] {
                for complexity in ["", "simple"] {
                    for zone in ["", "A", "B", "C", "D"] {
                        n += 1;
                        let mut json = format!(
                            r#"{{"id":"T-{n}","opened_at":"2026-03-02T09:00:00+08:00","kind":"{kind}""#
                        );
                        if !category.is_empty() {
                            json += &format!(r#","product":{{"category":"{category}"}}"#);
                        }
                        match (code, complexity) {
                            ("", "") => {}
                            ("", c) => json += &format!(r#","fault":{{"complexity":"{c}"}}"#),
                            (f, "") => json += &format!(r#","fault":{{"code":"{f}"}}"#),
                            (f, c) => {
                                json += &format!(r#","fault":{{"code":"{f}","complexity":"{c}"}}"#)
                            }
                        }
                        if !zone.is_empty() {
                            json += &format!(r#","customer":{{"zone":"{zone}"}}"#);
                        }
                        if n % 2 == 0 {
                            json += r#","events":[{"at":"2026-03-02T09:40:00+08:00","kind":"contacted"},{"at":"2026-03-02T14:00:00+08:00","kind":"resolved"}]"#;
                        }
                        json += "}";
                        out.push(Ticket::from_json(&json).unwrap());
                    }
                }
            }
        }
    }
    out
}

fn as_of() -> DateTime<Utc> {
    "2026-03-03T04:00:00Z".parse().unwrap()
}

/// What both sides compute for one promise: target, deadline, status.
#[derive(Debug, PartialEq)]
pub struct Promise {
    target: Option<TimeDelta>,
    deadline: Option<DateTime<Utc>>,
    status: &'static str,
}

/// What both sides compute for one ticket.
#[derive(Debug, PartialEq)]
pub struct Decision {
    severity: &'static str,
    promises: [Promise; 2],
}

fn stop_of(ticket: &Ticket, kind: &str) -> Option<DateTime<Utc>> {
    ticket
        .events
        .iter()
        .find(|e| e.kind == kind)
        .map(|e| e.at_utc())
}

fn promise(
    calendar: &Calendar,
    ticket: &Ticket,
    target: Option<TimeDelta>,
    stop: &str,
    as_of: DateTime<Utc>,
) -> Promise {
    let Some(target) = target else {
        return Promise {
            target: None,
            deadline: None,
            status: "not_applicable",
        };
    };
    let deadline = calendar.add(ticket.opened_at_utc(), target).unwrap();
    let status = match stop_of(ticket, stop).filter(|t| *t <= as_of) {
        Some(t) if t <= deadline => "met",
        Some(_) => "breached",
        None if as_of > deadline => "breached",
        None => "running",
    };
    Promise {
        target: Some(target),
        deadline: Some(deadline),
        status,
    }
}

fn text(field: &Option<String>) -> &str {
    field.as_deref().unwrap_or("")
}

/// `declarative.toml`, by hand.
pub fn hand_declarative(calendar: &Calendar, ticket: &Ticket, as_of: DateTime<Utc>) -> Decision {
    let kind = text(&ticket.kind);
    let category = ticket.product.as_ref().map_or("", |p| text(&p.category));
    let code = ticket.fault.as_ref().map_or("", |f| text(&f.code));
    let complexity = ticket.fault.as_ref().map_or("", |f| text(&f.complexity));
    let zone = ticket.customer.as_ref().map_or("", |c| text(&c.zone));
    let severity = if kind == "consultation" {
        "low"
    } else if category == "industrial" && (code == "no_reading" || code == "leak") {
        "critical"
    } else if category == "industrial" || code == "leak" {
        "high"
    } else {
        "normal"
    };
    let contact = match (severity, zone) {
        ("critical", "A") => 30,
        ("critical", _) => 60,
        (_, "A") => 120,
        _ => 240,
    };
    let resolve = match (kind, complexity, severity) {
        ("consultation", _, _) => None,
        (_, "simple", _) => Some(1),
        (_, _, "critical") => Some(8),
        (_, _, "high") => Some(12),
        _ => Some(24),
    };
    Decision {
        severity,
        promises: [
            promise(
                calendar,
                ticket,
                Some(TimeDelta::minutes(contact)),
                "contacted",
                as_of,
            ),
            promise(
                calendar,
                ticket,
                resolve.map(TimeDelta::hours),
                "resolved",
                as_of,
            ),
        ],
    }
}

/// `minimal_rhai.toml`, by hand.
pub fn hand_minimal(calendar: &Calendar, ticket: &Ticket, as_of: DateTime<Utc>) -> Decision {
    let category = ticket
        .product
        .as_ref()
        .and_then(|p| p.category.as_deref())
        .unwrap_or("household");
    let code = ticket.fault.as_ref().map_or("", |f| text(&f.code));
    let severity = if text(&ticket.kind) == "consultation" {
        "low"
    } else if category == "industrial" && (code == "no_reading" || code == "leak") {
        "critical"
    } else if category == "industrial" || code == "leak" {
        "high"
    } else {
        "normal"
    };
    Decision {
        severity,
        promises: [
            promise(
                calendar,
                ticket,
                Some(TimeDelta::hours(2)),
                "contacted",
                as_of,
            ),
            promise(
                calendar,
                ticket,
                Some(TimeDelta::hours(24)),
                "resolved",
                as_of,
            ),
        ],
    }
}

/// The engine's answer in the same shape.
pub fn engine(policy: &Policy, ticket: &Ticket, as_of: DateTime<Utc>) -> Decision {
    let e = policy.evaluate(ticket, as_of).unwrap();
    let severity = ["critical", "high", "normal", "low"]
        .into_iter()
        .find(|l| *l == e.severity.level)
        .unwrap();
    let promise = |i: usize| {
        let m = &e.sla[i];
        Promise {
            target: m.target.as_deref().map(|t| {
                aftersales::ServiceDuration::parse(t)
                    .unwrap()
                    .as_time()
                    .unwrap()
            }),
            deadline: m.current.deadline.map(|d| d.with_timezone(&Utc)),
            status: ["not_applicable", "met", "breached", "running"]
                .into_iter()
                .find(|s| *s == m.current.status.as_str())
                .unwrap_or("other"),
        }
    };
    Decision {
        severity,
        promises: [promise(0), promise(1)],
    }
}

/// A hand-written policy.
type HandWritten = fn(&Calendar, &Ticket, DateTime<Utc>) -> Decision;

fn native(c: &mut Criterion) {
    let tickets = tickets();
    let as_of = as_of();
    let calendar = Calendar::always_open();
    let hand: [(&str, HandWritten); 2] = [
        ("declarative", hand_declarative),
        ("minimal_rhai", hand_minimal),
    ];
    for (name, hand) in hand {
        let policy = policy(name);
        for ticket in &tickets {
            assert_eq!(
                engine(&policy, ticket, as_of),
                hand(&calendar, ticket, as_of),
                "{}",
                ticket.id
            );
        }
        let mut group = c.benchmark_group(format!("native/{name}"));
        group.throughput(Throughput::Elements(tickets.len() as u64));
        group.bench_function("engine, evaluate", |b| {
            b.iter(|| {
                for ticket in &tickets {
                    std::hint::black_box(policy.evaluate(ticket, as_of).unwrap());
                }
            })
        });
        group.bench_function("hand-written Rust", |b| {
            b.iter(|| {
                for ticket in &tickets {
                    std::hint::black_box(hand(&calendar, ticket, as_of));
                }
            })
        });
        group.finish();
    }
}

criterion_group!(benches, native);
criterion_main!(benches);
