//! Fuzzing a policy (cargo feature `testing`): proptest strategies that
//! generate tickets fitting a policy, the engine's built-in invariants, the
//! policy's own `[[properties]]`, and [`fuzz`], which runs them all and
//! shrinks a failure to a small counter-example.
//!
//! A policy author fuzzes a policy from Rust with one `proptest!` block:
//!
//! ```
//! use aftersales::testing::{check, tickets_with_as_of};
//! use proptest::prelude::*;
//!
//! let policy = aftersales::Policy::from_path("../examples/policies/hot_water_meter.toml").unwrap();
//! proptest!(ProptestConfig::with_cases(16), |((ticket, as_of) in tickets_with_as_of(&policy))| {
//!     if let Err(violation) = check(&policy, &ticket, as_of) {
//!         return Err(TestCaseError::fail(violation.to_string()));
//!     }
//! });
//! ```
//!
//! or from the command line: `aftersales fuzz POLICY --cases 1000 --seed 7`.

// Tickets are built as JSON objects here and filled by key; indexing an
// object by a string key inserts, it cannot panic.
#![allow(clippy::indexing_slicing)]

use crate::error::ErrorObject;
use crate::evaluation::Evaluation;
use crate::policy::manifest::{Manifest, TargetBy, TargetValue};
use crate::policy::Policy;
use crate::ticket::Ticket;
use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration as StdDuration, Instant};

/// The longest one evaluation may take before the time bound is broken.
pub const TIME_BOUND: StdDuration = StdDuration::from_secs(1);

/// The words a policy uses, which generated tickets draw from.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// Severity levels.
    pub severities: Vec<String>,
    /// Customer tiers.
    pub tiers: Vec<String>,
    /// Channels.
    pub channels: Vec<String>,
    /// Ticket kinds.
    pub kinds: Vec<String>,
    /// Product categories.
    pub categories: Vec<String>,
    /// Components.
    pub components: Vec<String>,
    /// Call-out zones.
    pub zones: Vec<String>,
    /// Fault causes.
    pub causes: Vec<String>,
    /// Event kinds the policy knows.
    pub events: Vec<String>,
}

fn with(base: &[&str], more: impl IntoIterator<Item = String>) -> Vec<String> {
    let set: BTreeSet<String> = base.iter().map(|s| s.to_string()).chain(more).collect();
    set.into_iter().collect()
}

/// Keys of the target tables keyed by `by` (either key of a two-key table).
fn table_keys(manifest: &Manifest, by: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for target in &manifest.targets {
        let dimensions: Vec<&str> = match &target.target_by {
            None => vec!["severity"],
            Some(TargetBy::One(field)) => vec![field.as_str()],
            Some(TargetBy::Two(fields)) => fields.iter().map(String::as_str).collect(),
        };
        match &target.target {
            Some(TargetValue::Table(table)) if dimensions.first() == Some(&by) => {
                keys.extend(table.keys().cloned());
            }
            Some(TargetValue::Nested(table)) => {
                if dimensions.first() == Some(&by) {
                    keys.extend(table.keys().cloned());
                }
                if dimensions.get(1) == Some(&by) {
                    keys.extend(table.values().flat_map(|inner| inner.keys().cloned()));
                }
            }
            _ => {}
        }
    }
    keys.into_iter().filter(|k| k != "*").collect()
}

impl Vocabulary {
    /// The vocabulary of a policy: its levels, event kinds, the keys of its
    /// target tables, its warranty components and categories, its call-out
    /// zones and credit tiers, plus the common words of the ticket format.
    pub fn of(policy: &Policy) -> Vocabulary {
        let manifest = policy.manifest();
        let warranty = manifest.warranty.as_ref();
        Vocabulary {
            severities: policy.severity().levels.clone(),
            tiers: with(
                &["standard", "vip"],
                manifest
                    .credits
                    .iter()
                    .flat_map(|c| c.tiers.clone())
                    .chain(table_keys(manifest, "tier")),
            ),
            channels: with(
                &["hotline", "online", "email", "app", "social", "onsite"],
                table_keys(manifest, "channel"),
            ),
            kinds: with(
                &[
                    "repair",
                    "consultation",
                    "complaint",
                    "return",
                    "exchange",
                    "installation",
                ],
                table_keys(manifest, "kind"),
            ),
            categories: with(
                &["household"],
                warranty
                    .map(|w| w.categories.keys().cloned().collect::<Vec<_>>())
                    .unwrap_or_default()
                    .into_iter()
                    .chain(table_keys(manifest, "product.category")),
            ),
            components: with(
                &["main_unit"],
                warranty
                    .map(|w| w.components.keys().cloned().collect::<Vec<_>>())
                    .unwrap_or_default(),
            ),
            zones: with(
                &[],
                manifest
                    .fees
                    .as_ref()
                    .and_then(|f| f.callout.as_ref())
                    .map(|c| c.zones.keys().cloned().collect::<Vec<_>>())
                    .unwrap_or_default(),
            ),
            causes: with(
                &["defect", "misuse", "water_damage", "unauthorised_repair"],
                warranty
                    .map(|w| {
                        w.exclusions
                            .iter()
                            .map(|e| e.cause.clone())
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default(),
            ),
            events: policy.known_events().iter().cloned().collect(),
        }
    }
}

fn one_of(words: &[String]) -> BoxedStrategy<Option<String>> {
    if words.is_empty() {
        return Just(None).boxed();
    }
    let words = words.to_vec();
    prop_oneof![
        1 => Just(None),
        6 => (0..words.len()).prop_map(move |i| words.get(i).cloned()),
    ]
    .boxed()
}

fn word(words: &[String]) -> BoxedStrategy<String> {
    let words = if words.is_empty() {
        vec!["x".to_string()]
    } else {
        words.to_vec()
    };
    (0..words.len())
        .prop_map(move |i| words.get(i).cloned().unwrap_or_default())
        .boxed()
}

fn instant(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Tickets that fit `policy`: its severities, tiers, channels, event
/// kinds, components, zones and parts; events in time order from the
/// opening, in any sequence (a resume with no pause, a stop before a
/// start), so both sensible and odd histories are tried.
pub fn tickets(policy: &Policy) -> BoxedStrategy<Ticket> {
    tickets_with_as_of(policy).prop_map(|(t, _)| t).boxed()
}

// Long because it joins one proptest strategy per ticket field: a list more than logic.
/// Tickets that fit `policy` (as [`tickets`]) with an instant to evaluate
/// them at, from the opening to ten days after it.
pub fn tickets_with_as_of(policy: &Policy) -> BoxedStrategy<(Ticket, DateTime<Utc>)> {
    let v = Vocabulary::of(policy);
    let base = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    let event = (
        0i64..3 * 24 * 60,
        word(&v.events),
        one_of(&v.severities),
        0i64..3 * 24 * 60,
    );
    let part = (word(&v.components), 1u32..4, 0i64..50_000);
    let header = (
        0i64..365 * 24 * 60,
        one_of(&v.channels),
        one_of(&v.kinds),
        one_of(&v.severities),
        (0u8..12, one_of(&v.tiers), one_of(&v.zones)),
    );
    let product = (
        one_of(&v.categories),
        0i64..1_200,
        0i64..10,
        0i64..500_000,
        any::<bool>(),
    );
    let fault = (word(&v.components), one_of(&v.causes), any::<bool>());
    let work = (
        0u32..20,
        any::<bool>(),
        prop::collection::vec(part, 0..3),
        prop::collection::vec(one_of(&v.zones), 0..2),
    );
    (
        header,
        product,
        fault,
        work,
        prop::collection::vec(event, 0..8),
        0i64..10 * 24 * 60,
    )
        .prop_map(
            move |(
                (opened, channel, kind, severity, (customer, tier, zone)),
                (category, bought_days, delivered_days, price_cents, with_product),
                (component, cause, simple),
                (labor_quarters, after_hours, parts, visits),
                events,
                as_of_minutes,
            )| {
                let opened_at = base + TimeDelta::minutes(opened);
                let mut at = opened_at;
                let events: Vec<Value> = events
                    .into_iter()
                    .map(|(gap, kind, to, slot)| {
                        at += TimeDelta::minutes(gap);
                        let mut event = json!({"at": instant(at), "kind": kind});
                        if kind == "severity_changed" {
                            if let Some(to) = &to {
                                event["to"] = json!(to);
                            }
                        }
                        if kind == "status" {
                            // A status the policy's targets may not list:
                            // stray statuses are no error and change nothing.
                            event["to"] = json!(to.as_deref().unwrap_or("open"));
                        }
                        if kind == "visit_booked" {
                            event["slot"] = json!(instant(at + TimeDelta::minutes(slot)));
                        }
                        event
                    })
                    .collect();
                let mut ticket = json!({
                    "id": format!("FZ-{opened}"),
                    "opened_at": instant(opened_at),
                    "events": events,
                    "customer": {"id": format!("C-{customer}")},
                });
                for (key, value) in [("channel", channel), ("kind", kind), ("severity", severity)] {
                    if let Some(value) = value {
                        ticket[key] = json!(value);
                    }
                }
                if let Some(tier) = tier {
                    ticket["customer"]["tier"] = json!(tier);
                }
                if let Some(zone) = &zone {
                    ticket["customer"]["zone"] = json!(zone);
                }
                if with_product {
                    let bought = opened_at.date_naive() - TimeDelta::days(bought_days);
                    let mut product = json!({
                        "purchased_on": bought.to_string(),
                        "delivered_on": (bought + TimeDelta::days(delivered_days)).to_string(),
                        "price": rust_decimal::Decimal::new(price_cents, 2).to_string(),
                    });
                    if let Some(category) = category {
                        product["category"] = json!(category);
                    }
                    ticket["product"] = product;
                }
                let mut fault = json!({"component": component,
                    "complexity": if simple { "simple" } else { "complex" }});
                if let Some(cause) = cause {
                    fault["cause"] = json!(cause);
                }
                ticket["fault"] = fault;
                let parts: Vec<Value> = parts
                    .into_iter()
                    .enumerate()
                    .map(|(i, (component, qty, cents))| {
                        json!({"sku": format!("P-{i}"), "component": component, "qty": qty,
                               "unit_price": rust_decimal::Decimal::new(cents, 2).to_string()})
                    })
                    .collect();
                let visits: Vec<Value> = visits
                    .into_iter()
                    .map(|zone| match zone {
                        Some(zone) => json!({"zone": zone, "at": instant(opened_at)}),
                        None => json!({"at": instant(opened_at)}),
                    })
                    .collect();
                ticket["work"] = json!({
                    "labor": format!("{}m", labor_quarters * 15),
                    "after_hours": after_hours,
                    "parts": parts,
                    "visits": visits,
                });
                let as_of = opened_at + TimeDelta::minutes(as_of_minutes);
                (ticket, as_of)
            },
        )
        .prop_filter_map("a generated ticket is always valid", |(value, as_of)| {
            Ticket::from_value(value).ok().map(|t| (t, as_of))
        })
        .boxed()
}

/// A law that does not hold for a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The law: a built-in invariant or a `[[properties]]` name.
    pub property: String,
    /// What was seen.
    pub detail: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.property, self.detail)
    }
}

fn violation(property: &str, detail: impl Into<String>) -> Violation {
    Violation {
        property: property.to_string(),
        detail: detail.into(),
    }
}

/// Evaluates once, catching a panic and timing the call.
fn evaluate(
    policy: &Policy,
    ticket: &Ticket,
    as_of: DateTime<Utc>,
) -> Result<Result<Evaluation, crate::Error>, Violation> {
    let started = Instant::now();
    let answer = catch_unwind(AssertUnwindSafe(|| policy.evaluate(ticket, as_of)))
        .map_err(|_| violation("no panic", "the evaluation panicked"))?;
    let took = started.elapsed();
    if took > TIME_BOUND {
        return Err(violation(
            "every call under its time bound",
            format!("the evaluation took {took:?}, over {TIME_BOUND:?}"),
        ));
    }
    Ok(answer)
}

/// Checks the engine's built-in invariants and the policy's `[[properties]]`
/// on one ticket at `as_of`:
/// - no panic, and every call under [`TIME_BOUND`];
/// - an error names where it is (a field, a rule or a TOML path);
/// - evaluation is deterministic;
/// - no deadline before its start; a pause never pulls a deadline earlier;
/// - `breached` has `overdue` and no `remaining`; `met` and `running` have no `overdue`;
/// - money is never negative; a fully covered line is never payable; the
///   payable lines add up to the subtotal; credits are never negative;
/// - every `[[properties]]` law holds.
pub fn check(policy: &Policy, ticket: &Ticket, as_of: DateTime<Utc>) -> Result<(), Violation> {
    let evaluation = match evaluate(policy, ticket, as_of)? {
        Ok(evaluation) => evaluation,
        Err(error) => {
            let object = ErrorObject::from(&error);
            let located = object.field.is_some()
                || object
                    .location
                    .as_ref()
                    .is_some_and(|l| !l.path.is_empty() || l.line.is_some());
            return if located {
                Ok(())
            } else {
                Err(violation("errors are located", object.message))
            };
        }
    };
    match evaluate(policy, ticket, as_of)? {
        Ok(again) if again == evaluation => {}
        _ => {
            return Err(violation(
                "evaluation is deterministic",
                "a second evaluation differed",
            ))
        }
    }
    for metric in &evaluation.sla {
        let cycle = &metric.current;
        if let (Some(start), Some(deadline)) = (cycle.started_at, cycle.deadline) {
            if deadline < start {
                return Err(violation(
                    "deadlines never before starts",
                    format!(
                        "{}: deadline {deadline} before start {start}",
                        metric.metric
                    ),
                ));
            }
        }
        use crate::sla::MetricStatus::*;
        let consistent = match cycle.status {
            Breached => cycle.overdue.is_some() && cycle.remaining.is_none(),
            Met | Running => cycle.overdue.is_none(),
            _ => true,
        };
        if !consistent {
            return Err(violation(
                "statuses agree with their fields",
                format!(
                    "{}: {} with remaining {:?} and overdue {:?}",
                    metric.metric, cycle.status, cycle.remaining, cycle.overdue
                ),
            ));
        }
    }
    check_pause(policy, ticket, as_of, &evaluation)?;
    check_money(&evaluation)?;
    match policy.check_properties(ticket, &evaluation) {
        Ok(violations) => match violations.first() {
            Some(v) => Err(violation(
                &v.name,
                format!("does not hold: {}", v.holds.trim()),
            )),
            None => Ok(()),
        },
        Err(e) => Err(violation("properties evaluate", e.to_string())),
    }
}

/// Without its pauses, no deadline of the ticket is later.
fn check_pause(
    policy: &Policy,
    ticket: &Ticket,
    as_of: DateTime<Utc>,
    evaluation: &Evaluation,
) -> Result<(), Violation> {
    if !ticket.events.iter().any(|e| e.kind == "paused") {
        return Ok(());
    }
    let mut unpaused = ticket.clone();
    unpaused
        .events
        .retain(|e| e.kind != "paused" && e.kind != "resumed");
    let Ok(without) = evaluate(policy, &unpaused, as_of)? else {
        return Ok(());
    };
    for (with, without) in evaluation.sla.iter().zip(&without.sla) {
        if let (Some(a), Some(b)) = (with.current.deadline, without.current.deadline) {
            if with.target == without.target && a < b {
                return Err(violation(
                    "a pause never pulls a deadline earlier",
                    format!("{}: deadline {a} with the pauses, {b} without", with.metric),
                ));
            }
        }
    }
    Ok(())
}

fn check_money(evaluation: &Evaluation) -> Result<(), Violation> {
    if let Some(charges) = &evaluation.charges {
        let mut sum = rust_decimal::Decimal::ZERO;
        for line in &charges.lines {
            if line.amount.0.is_sign_negative() && !line.amount.0.is_zero()
                || line.covered.0.is_sign_negative() && !line.covered.0.is_zero()
                || line.payable.0.is_sign_negative() && !line.payable.0.is_zero()
            {
                return Err(violation(
                    "money never negative",
                    format!(
                        "line {}: amount {}, covered {}, payable {}",
                        line.code, line.amount, line.covered, line.payable
                    ),
                ));
            }
            if line.covered.0 == line.amount.0
                && !line.amount.0.is_zero()
                && !line.payable.0.is_zero()
            {
                return Err(violation(
                    "covered lines never payable",
                    format!(
                        "line {}: covered {} of {}, payable {}",
                        line.code, line.covered, line.amount, line.payable
                    ),
                ));
            }
            sum += line.payable.0;
        }
        if sum != charges.subtotal.0 {
            return Err(violation(
                "totals add up",
                format!(
                    "payable lines add up to {sum}, subtotal is {}",
                    charges.subtotal
                ),
            ));
        }
        if charges.total.0.is_sign_negative() && !charges.total.0.is_zero() {
            return Err(violation(
                "money never negative",
                format!("total {}", charges.total),
            ));
        }
    }
    for credit in &evaluation.credits {
        if credit.amount.0.is_sign_negative() && !credit.amount.0.is_zero() {
            return Err(violation(
                "money never negative",
                format!("credit {} for {}", credit.amount, credit.metric),
            ));
        }
    }
    Ok(())
}

/// A counter-example found by [`fuzz`], shrunk.
#[derive(Debug, Clone)]
pub struct CounterExample {
    /// The law that failed.
    pub violation: Violation,
    /// The smallest ticket found that breaks it (none when no ticket
    /// could be generated).
    pub ticket: Option<Ticket>,
    /// The instant it was evaluated at.
    pub as_of: Option<DateTime<Utc>>,
    /// Its evaluation, when there is one.
    pub evaluation: Option<Evaluation>,
}

/// Runs the invariants and the policy's properties on `cases` generated
/// tickets, seeded by `seed` (the same seed gives the same tickets).
/// `progress` is called after each case. On failure, the counter-example is
/// shrunk to a small ticket. Without a time budget: see [`fuzz_within`].
pub fn fuzz(
    policy: &Policy,
    cases: u32,
    seed: u64,
    progress: &(dyn Fn(u32) + Sync),
) -> Result<u32, Box<CounterExample>> {
    fuzz_within(policy, cases, seed, None, progress)
}

/// The default time budget of `aftersales fuzz` (`--time-limit`).
pub const DEFAULT_BUDGET: StdDuration = StdDuration::from_secs(300);

/// [`fuzz`] within a total time `budget`, shrinking included: once the
/// budget is spent no further case is checked (`Ok` gives how many were),
/// and shrinking stops with the smallest counter-example found so far.
/// The ticket generator rejects some of what it draws (a ticket that does
/// not parse); a generator that cannot produce enough tickets is reported
/// as the law `generation`, with no ticket, never as a property failure.
pub fn fuzz_within(
    policy: &Policy,
    cases: u32,
    seed: u64,
    budget: Option<StdDuration>,
    progress: &(dyn Fn(u32) + Sync),
) -> Result<u32, Box<CounterExample>> {
    let started = Instant::now();
    let mut seed_bytes = [0u8; 32];
    for (i, byte) in seed.to_le_bytes().iter().enumerate() {
        if let Some(slot) = seed_bytes.get_mut(i) {
            *slot = *byte;
        }
    }
    let shrink_ms = budget.map_or(0, |b| u32::try_from(b.as_millis()).unwrap_or(u32::MAX));
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 2_000,
        // Rejects accumulate over the run: about one draw in six is not a
        // valid ticket, so a fixed 65,536 failed runs of 350,000 cases.
        max_local_rejects: cases.saturating_mul(4).max(65_536),
        ..Config::default()
    };
    let config = if budget.is_some() {
        Config {
            max_shrink_time: shrink_ms.max(1),
            ..config
        }
    } else {
        config
    };
    let mut runner = TestRunner::new_with_rng(
        config,
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes),
    );
    let done = std::sync::atomic::AtomicU32::new(0);
    let checked = std::sync::atomic::AtomicU32::new(0);
    let out_of_time = || budget.is_some_and(|b| started.elapsed() >= b);
    let result = runner.run(&tickets_with_as_of(policy), |(ticket, as_of)| {
        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        progress(n.min(cases));
        if out_of_time() {
            return Ok(());
        }
        checked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        check(policy, &ticket, as_of).map_err(|v| TestCaseError::fail(v.to_string()))
    });
    match result {
        Ok(()) => Ok(checked
            .load(std::sync::atomic::Ordering::Relaxed)
            .min(cases)),
        Err(TestError::Fail(_, (ticket, as_of))) => {
            let violation = check(policy, &ticket, as_of)
                .err()
                .unwrap_or_else(|| violation("unknown", "the failure did not repeat"));
            let evaluation = policy.evaluate(&ticket, as_of).ok();
            Err(Box::new(CounterExample {
                violation,
                ticket: Some(ticket),
                as_of: Some(as_of),
                evaluation,
            }))
        }
        Err(TestError::Abort(reason)) => Err(Box::new(CounterExample {
            violation: violation(
                "generation",
                format!(
                    "the ticket generator could not draw enough valid tickets ({reason}); \
                     this is not a failure of the policy"
                ),
            ),
            ticket: None,
            as_of: None,
            evaluation: None,
        })),
    }
}
