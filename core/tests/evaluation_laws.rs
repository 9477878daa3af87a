//! Laws every evaluation obeys, over random tickets against the SLA test
//! policy (`tests/data/sla_policy.toml`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use aftersales::MetricStatus;
use aftersales::{Policy, Ticket};
use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::sync::OnceLock;

fn policy() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    POLICY.get_or_init(|| {
        Policy::from_path(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/sla_policy.toml"),
        )
        .unwrap()
    })
}

const KINDS: &[&str] = &[
    "answered",
    "contacted",
    "responded",
    "resolved",
    "customer_message",
    "arrived",
    "severity_changed",
    "visit_booked",
];

/// Metrics whose cycle starts at a booked slot, which may lie after `as_of`.
const BOOKED: &[&str] = &["onsite", "onsite_critical"];
/// Metrics whose breach is recomputed (`breach = "recomputed"`); the others keep theirs.
const RECOMPUTED: &[&str] = &["resolve_recomputed"];
const LEVELS: &[&str] = &["critical", "high", "normal"];

fn base() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap()
}

/// A random ticket: opened within a fortnight of 2026-03-01, with events
/// minutes after it (on half-hour steps, so that events often share an
/// instant); pauses come in (pause, resume) pairs so the ticket is valid.
/// Severity changes go to a random level (sometimes the one in force), and
/// bookings name a slot up to ten hours after the booking.
fn ticket() -> impl Strategy<Value = (Value, i64)> {
    // A pause may stay open (no resume) so that tickets paused at as_of occur.
    (
        0i64..20_160,
        prop::sample::select(LEVELS),
        prop::collection::vec(
            (
                (0i64..200).prop_map(|m| m * 30),
                prop::sample::select(KINDS),
                prop::sample::select(LEVELS),
                0i64..600,
            ),
            0..6,
        ),
        prop::option::of((0i64..3_000, 1i64..3_000, any::<bool>())),
        prop::sample::select(&["hotline", "email", "online"][..]),
        0i64..10_000,
    )
        .prop_map(|(opened, level, events, pause, channel, as_of)| {
            let opened_at = base() + Duration::minutes(opened);
            let mut list: Vec<Value> = events
                .into_iter()
                .map(|(m, kind, to, slot)| {
                    let at = opened_at + Duration::minutes(m);
                    match kind {
                        "severity_changed" => json!({"at": at.to_rfc3339(), "kind": kind, "to": to}),
                        "visit_booked" => json!({"at": at.to_rfc3339(), "kind": kind,
                            "attributes": {"slot": (at + Duration::minutes(slot)).to_rfc3339()}}),
                        _ => json!({"at": at.to_rfc3339(), "kind": kind}),
                    }
                })
                .collect();
            if let Some((from, length, resumed)) = pause {
                list.push(json!({"at": (opened_at + Duration::minutes(from)).to_rfc3339(), "kind": "paused"}));
                if resumed {
                    list.push(json!({"at": (opened_at + Duration::minutes(from + length)).to_rfc3339(), "kind": "resumed"}));
                }
            }
            let ticket = json!({"id": "P", "opened_at": opened_at.to_rfc3339(), "severity": level,
                                "channel": channel, "events": list});
            (ticket, opened + as_of)
        })
}

fn evaluate(value: &Value, as_of_minutes: i64) -> aftersales::Evaluation {
    let ticket = Ticket::from_value(value.clone()).unwrap();
    policy()
        .evaluate(&ticket, base() + Duration::minutes(as_of_minutes))
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    #[test]
    fn deadlines_never_precede_the_start((ticket, as_of) in ticket()) {
        let evaluation = evaluate(&ticket, as_of);
        for metric in &evaluation.sla {
            for cycle in metric.cycles.iter().chain([&metric.current]) {
                if let (Some(start), Some(deadline)) = (cycle.started_at, cycle.deadline) {
                    prop_assert!(deadline >= start, "{}: {deadline} < {start}", metric.metric);
                }
            }
        }
    }

    #[test]
    fn a_pause_never_makes_a_deadline_earlier((ticket, as_of) in ticket(), from in 0i64..3_000, length in 1i64..3_000) {
        let mut paused = ticket.clone();
        if paused["events"].as_array().unwrap().iter().any(|e| e["kind"] == "paused") {
            return Ok(());
        }
        let opened: DateTime<Utc> = ticket["opened_at"].as_str().unwrap().parse().unwrap();
        let events = paused["events"].as_array_mut().unwrap();
        events.push(json!({"at": (opened + Duration::minutes(from)).to_rfc3339(), "kind": "paused"}));
        events.push(json!({"at": (opened + Duration::minutes(from + length)).to_rfc3339(), "kind": "resumed"}));
        let (plain, with_pause) = (evaluate(&ticket, as_of), evaluate(&paused, as_of));
        for (a, b) in plain.sla.iter().zip(&with_pause.sla) {
            if let (Some(before), Some(after)) = (a.current.deadline, b.current.deadline) {
                if a.current.started_at == b.current.started_at && a.cycles.len() == b.cycles.len() {
                    prop_assert!(after >= before, "{}: pause moved {before} to {after}", a.metric);
                }
            }
        }
    }

    #[test]
    fn a_higher_severity_never_gets_a_later_deadline((ticket, as_of) in ticket()) {
        // The policy's targets shrink as severity rises (critical < high < normal).
        // Without severity changes: a change to the level in force is no change,
        // so the opening level alone does not order deadlines once changes occur.
        let at = |level: &str| {
            let mut t = ticket.clone();
            t["severity"] = json!(level);
            t["events"].as_array_mut().unwrap().retain(|e| e["kind"] != "severity_changed");
            evaluate(&t, as_of)
        };
        let (critical, high, normal) = (at("critical"), at("high"), at("normal"));
        for i in 0..critical.sla.len() {
            let deadlines = [&critical, &high, &normal].map(|e| e.sla[i].current.deadline);
            if let [Some(c), Some(h), Some(n)] = deadlines {
                prop_assert!(c <= h && h <= n, "{}: {c} {h} {n}", critical.sla[i].metric);
            }
        }
    }

    #[test]
    fn evaluation_is_deterministic_and_self_consistent((ticket, as_of) in ticket()) {
        let (a, b) = (evaluate(&ticket, as_of), evaluate(&ticket, as_of));
        prop_assert_eq!(&a, &b);
        for metric in &a.sla {
            let c = &metric.current;
            // remaining and overdue are never both set; breached has a breach instant.
            prop_assert!(c.remaining.is_none() || c.overdue.is_none());
            prop_assert_eq!(c.status == MetricStatus::Breached, c.breached_at.is_some());
            if c.status == MetricStatus::Paused {
                prop_assert!(c.deadline.is_none());
            }
            // Counted time past the target is a breach, paused or not.
            if c.overdue.is_some() {
                prop_assert_eq!(c.status, MetricStatus::Breached, "{}", metric.metric);
            }
        }
    }

    #[test]
    fn every_status_agrees_with_its_fields((ticket, as_of) in ticket()) {
        let evaluation = evaluate(&ticket, as_of);
        let now = evaluation.as_of;
        for metric in &evaluation.sla {
            let name = &metric.metric;
            for c in metric.cycles.iter().chain([&metric.current]) {
                match c.status {
                    // A breach is counted against the target shown: overdue, nothing remaining.
                    MetricStatus::Breached => {
                        prop_assert!(c.overdue.is_some(), "{name}: breached without overdue");
                        prop_assert!(c.remaining.is_none(), "{name}: breached with remaining");
                        prop_assert_eq!(c.deadline, c.breached_at, "{}", name);
                    }
                    MetricStatus::Met | MetricStatus::Running | MetricStatus::Paused => {
                        prop_assert!(c.overdue.is_none(), "{name}: {} with overdue", c.status);
                    }
                    MetricStatus::Pending | MetricStatus::NotApplicable => {
                        prop_assert!(c.overdue.is_none() && c.breached_at.is_none(), "{name}");
                    }
                }
                // No instant after as_of but deadlines, warnings and booked slots.
                if !BOOKED.contains(&name.as_str()) {
                    prop_assert!(c.started_at.is_none_or(|t| t <= now), "{name}: started after as_of");
                }
                prop_assert!(c.stopped_at.is_none_or(|t| t <= now), "{name}: stopped after as_of");
                prop_assert!(c.breached_at.is_none_or(|t| t <= now), "{name}: breached after as_of");
                // Totals: counting starts at or after the start, by as_of; the
                // working time held never exceeds the wall time held.
                let start = c.started_at;
                prop_assert!(
                    c.counting_started_at.is_none_or(|t| start.is_some_and(|s| s <= t) && t <= now),
                    "{name}: counting started outside start..as_of"
                );
                prop_assert!(c.held.is_none_or(|h| h.working <= h.wall), "{name}: held");
            }
            if metric.current.status == MetricStatus::NotApplicable {
                prop_assert!(metric.current.started_at.is_none() && metric.current.deadline.is_none(), "{name}");
            }
            // The target in force is shown apart only beside a kept breach of another target.
            if metric.current_target.is_some() {
                prop_assert!(!RECOMPUTED.contains(&name.as_str()), "{name}");
                prop_assert_eq!(metric.current.status, MetricStatus::Breached, "{}", name);
                prop_assert_ne!(&metric.current_target, &metric.target, "{}", name);
            }
            prop_assert!(metric.current_deadline.is_none() || metric.current_target.is_some(), "{name}");
        }
    }

    #[test]
    fn a_kept_breach_stays_at_every_later_as_of((ticket, as_of) in ticket(), later in 0i64..6_000) {
        let (before, after) = (evaluate(&ticket, as_of), evaluate(&ticket, as_of + later));
        for (a, b) in before.sla.iter().zip(&after.sla) {
            let same_cycle = a.cycles.len() == b.cycles.len() && a.current.started_at == b.current.started_at;
            if RECOMPUTED.contains(&a.metric.as_str()) || !same_cycle || a.current.status != MetricStatus::Breached {
                continue;
            }
            prop_assert_eq!(b.current.status, MetricStatus::Breached, "{}", a.metric);
            prop_assert_eq!(b.current.breached_at, a.current.breached_at, "{}", a.metric);
            prop_assert_eq!(&b.target, &a.target, "{}", a.metric);
        }
    }

    #[test]
    fn a_recomputed_breach_is_judged_by_the_target_in_force((ticket, as_of) in ticket()) {
        // resolve and resolve_recomputed differ only in `breach`: when the recomputed one is
        // breached, so is the kept one; when the kept one shows a target in force beside its
        // breach, that is the recomputed one's target.
        let evaluation = evaluate(&ticket, as_of);
        let (kept, recomputed) = (evaluation.metric("resolve").unwrap(), evaluation.metric("resolve_recomputed").unwrap());
        if recomputed.current.status == MetricStatus::Breached {
            prop_assert_eq!(kept.current.status, MetricStatus::Breached);
        }
        let in_force = kept.current_target.as_ref().or(kept.target.as_ref());
        prop_assert_eq!(in_force, recomputed.target.as_ref());
        if kept.current_target.is_some() && recomputed.current.status != MetricStatus::Breached {
            prop_assert_eq!(kept.current_deadline, recomputed.current.deadline);
        }
    }

    #[test]
    fn no_input_panics(text in "\\PC{0,200}", raw in prop::collection::vec(any::<u8>(), 0..64)) {
        let _ = Ticket::from_json(&text);
        let _ = Ticket::from_json(&String::from_utf8_lossy(&raw));
        let shaped = format!(r#"{{"id":"Z","opened_at":"2026-03-01T00:00:00Z","events":[{{"at":"{text}","kind":"answered"}}]}}"#);
        if let Ok(ticket) = Ticket::from_json(&shaped) {
            let _ = policy().evaluate(&ticket, base());
        }
    }
}
