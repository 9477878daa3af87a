//! A compiled service promise (`[[targets]]`) and how its cycles are read
//! from a ticket's events.

use super::clock::{Breach, CycleSpan, Recompute, WarnAt};
use crate::calendar::Calendar;
use crate::duration::ServiceDuration;
use crate::error::{Error, Result};
use crate::reason::Reason;
use crate::rules::condition::Condition;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// What a table target is keyed by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dimension {
    /// The ticket's severity (changes with `severity_changed`).
    Severity,
    /// The customer's tier (changes with `tier_changed`).
    Tier,
    /// Another ticket field, by path (`product.category`, `channel`).
    Field(Vec<String>),
}

impl Dimension {
    /// Parses `target_by`.
    pub fn parse(text: &str) -> Dimension {
        match text {
            "severity" => Dimension::Severity,
            "tier" | "customer.tier" => Dimension::Tier,
            other => Dimension::Field(other.split('.').map(str::to_string).collect()),
        }
    }

    /// The name as a reason argument: severity and tier translated, a
    /// field by its path.
    pub(crate) fn arg(&self) -> crate::reason::Arg {
        use crate::reason::{Arg, Term};
        match self {
            Dimension::Severity => Arg::Term(Term::Severity),
            Dimension::Tier => Arg::Term(Term::Tier),
            Dimension::Field(path) => Arg::Text(path.join(".").into()),
        }
    }
}

/// How the target of a metric is found.
#[derive(Debug, Clone, PartialEq)]
pub enum TargetRule {
    /// The metric has no target: it does not apply.
    None,
    /// One duration for every ticket, with its reason (worded once, at compile time).
    Fixed(ServiceDuration, Reason),
    /// A table keyed by a dimension; `fallback` is the `"*"` entry.
    Table {
        /// The key.
        by: Dimension,
        /// Entries, each with its reason (worded once, at compile time).
        entries: BTreeMap<String, (ServiceDuration, Reason)>,
        /// The `"*"` entry.
        fallback: Option<ServiceDuration>,
    },
    /// A Rhai function `fn NAME(ticket, severity)`.
    Rule(String),
    /// A table keyed by two dimensions (at most one of them severity or
    /// tier); each entry with its reason, `None` for `"n/a"`. Keys may be
    /// `"*"`.
    Table2 {
        /// The outer key and the inner key.
        by: (Dimension, Dimension),
        /// Entries by (outer, inner) key.
        entries: BTreeMap<(String, String), (Option<ServiceDuration>, Reason)>,
    },
}

impl TargetRule {
    /// The dimension whose changes over the ticket's life change the
    /// target: severity, tier, or none.
    pub(crate) fn changing(&self) -> Option<&Dimension> {
        match self {
            TargetRule::Table { by, .. } => match by {
                Dimension::Severity | Dimension::Tier => Some(by),
                Dimension::Field(_) => None,
            },
            TargetRule::Table2 { by: (a, b), .. } => [a, b]
                .into_iter()
                .find(|d| matches!(d, Dimension::Severity | Dimension::Tier)),
            TargetRule::Rule(_) => Some(&Dimension::Severity),
            TargetRule::None | TargetRule::Fixed(..) => None,
        }
    }
}

/// A compiled `[[targets]]` entry.
#[derive(Debug, Clone)]
pub struct Metric {
    /// Metric name.
    pub name: String,
    /// TOML path, `targets[i]`.
    pub path: String,
    /// Start event kinds.
    pub start: Vec<String>,
    /// Attribute of the start event holding the cycle's start instant.
    pub start_at: Option<String>,
    /// Stop event kinds.
    pub stop: Vec<String>,
    /// Attribute of the stop event holding the cycle's stop instant (an
    /// offered slot), instead of the event's time.
    pub stop_at: Option<String>,
    /// Tolerance past the deadline before the promise is breached (zero
    /// when none is declared).
    pub grace: Option<chrono::TimeDelta>,
    /// Pause event kinds.
    pub pause: Vec<String>,
    /// Resume event kinds.
    pub resume: Vec<String>,
    /// The calendar.
    pub calendar: Calendar,
    /// The target.
    pub target: TargetRule,
    /// When to warn.
    pub warn_at: Option<WarnAt>,
    /// Applicability condition.
    pub when: Option<Condition>,
    /// What a change does.
    pub recompute: Recompute,
    /// What becomes of a breach under a later, longer target.
    pub breach: Breach,
    /// Whether cycles repeat.
    pub repeat: bool,
}

/// An event as the clocks read it: instant, kind, and start-at attribute.
#[derive(Debug, Clone)]
pub struct ClockEvent<'a> {
    /// Index in the ticket's `events` (`None` for the implicit `opened`).
    pub index: Option<usize>,
    /// When.
    pub at: DateTime<Utc>,
    /// Kind.
    pub kind: &'a str,
    /// The event's attributes.
    pub attributes: Option<&'a serde_json::Map<String, serde_json::Value>>,
}

impl Metric {
    /// Reads the metric's cycles from events sorted by time and already cut
    /// at `as_of`. A resume without a pause is a ticket error; a metric that
    /// never pauses (`pause = []`) has nothing to resume and ignores resumes.
    /// A stop keeps its own instant, even before a booked start (an early
    /// arrival); the clock counts nothing before the start.
    pub fn cycles(&self, ticket_id: &str, events: &[ClockEvent<'_>]) -> Result<Vec<CycleSpan>> {
        let has = |list: &[String], kind: &str| list.iter().any(|k| k == kind);
        let mut cycles: Vec<CycleSpan> = Vec::new();
        let mut running: Option<CycleSpan> = None;
        let mut paused_since: Option<DateTime<Utc>> = None;
        for (order, event) in events.iter().enumerate() {
            if has(&self.stop, event.kind) {
                if let Some(mut cycle) = running.take() {
                    let stop = self.stop_instant(ticket_id, event)?;
                    if let Some(last) = cycle.pauses.last_mut() {
                        if last.1.is_none() {
                            last.1 = Some(stop.max(last.0));
                        }
                    }
                    cycle.stop = Some(stop);
                    cycle.stop_order = Some(order);
                    cycles.push(cycle);
                }
            }
            if has(&self.start, event.kind)
                && running.is_none()
                && (self.repeat || cycles.is_empty())
            {
                let start = self.start_instant(ticket_id, event)?;
                let pauses = paused_since.map(|_| (start, None)).into_iter().collect();
                running = Some(CycleSpan {
                    start,
                    stop: None,
                    stop_order: None,
                    pauses,
                });
            }
            if has(&self.pause, event.kind) && paused_since.is_none() {
                paused_since = Some(event.at);
                if let Some(cycle) = running.as_mut() {
                    cycle.pauses.push((event.at.max(cycle.start), None));
                }
            } else if !self.pause.is_empty() && has(&self.resume, event.kind) {
                if paused_since.take().is_none() {
                    let field = event
                        .index
                        .map(|i| format!("events[{i}].kind"))
                        .unwrap_or_else(|| "events".into());
                    return Err(Error::ticket(
                        ticket_id,
                        field,
                        format!(
                            "`{}` at {} resumes a clock that is not paused (no `{}` before it)",
                            event.kind,
                            event.at.to_rfc3339(),
                            self.pause.join("` or `")
                        ),
                    ));
                }
                if let Some(cycle) = running.as_mut() {
                    if let Some(last) = cycle.pauses.last_mut() {
                        if last.1.is_none() {
                            last.1 = Some(event.at.max(last.0));
                        }
                    }
                }
            }
        }
        cycles.extend(running);
        Ok(cycles)
    }

    fn start_instant(&self, ticket_id: &str, event: &ClockEvent<'_>) -> Result<DateTime<Utc>> {
        match &self.start_at {
            None => Ok(event.at),
            Some(attribute) => self.attribute_instant(ticket_id, event, attribute, "starts"),
        }
    }

    fn stop_instant(&self, ticket_id: &str, event: &ClockEvent<'_>) -> Result<DateTime<Utc>> {
        match &self.stop_at {
            None => Ok(event.at),
            Some(attribute) => self.attribute_instant(ticket_id, event, attribute, "stops"),
        }
    }

    /// The instant held by an attribute of an event: an RFC 3339 string, or
    /// a slot object whose `start` is one (`{"start": "…", "end": "…"}`).
    fn attribute_instant(
        &self,
        ticket_id: &str,
        event: &ClockEvent<'_>,
        attribute: &str,
        verb: &str,
    ) -> Result<DateTime<Utc>> {
        let field = format!(
            "events[{}].attributes.{attribute}",
            event.index.map(|i| i.to_string()).unwrap_or_default()
        );
        let value = event
            .attributes
            .and_then(|a| a.get(attribute))
            .filter(|v| !v.is_null())
            .ok_or_else(|| {
                Error::ticket(
                    ticket_id,
                    field.clone(),
                    format!(
                        "metric `{}` {verb} at this attribute, which is missing",
                        self.name
                    ),
                )
            })?;
        let text = match value {
            serde_json::Value::String(text) => text.as_str(),
            serde_json::Value::Object(slot) => match slot.get("start") {
                Some(serde_json::Value::String(text)) => text.as_str(),
                _ => {
                    return Err(Error::ticket(
                        ticket_id,
                        format!("{field}.start"),
                        format!(
                            "metric `{}` {verb} at this slot's `start`, which is missing or \
                             not an RFC 3339 instant string",
                            self.name
                        ),
                    ))
                }
            },
            other => {
                return Err(Error::ticket(
                    ticket_id,
                    field,
                    format!(
                        "metric `{}` {verb} at this attribute, which must be an RFC 3339 \
                         instant or a slot `{{\"start\": instant}}`, not {}",
                        self.name,
                        json_kind(other)
                    ),
                ))
            }
        };
        let instant = DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| {
                Error::ticket(
                    ticket_id,
                    field.clone(),
                    format!("`{text}` is not an RFC 3339 instant: {e}"),
                )
            })?;
        if !crate::calendar::range::contains(instant) {
            return Err(Error::ticket(
                ticket_id,
                field,
                crate::calendar::range::outside(text),
            ));
        }
        Ok(instant)
    }
}

/// The JSON type of a value, in words.
fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}
