//! A compiled service promise (`[[targets]]`), how its cycles are read
//! from a ticket's events, and its result for a ticket: applicability, the
//! cycles, each on the clock against the target in force.

use super::clock::{
    run_cycle, Breach, Change, ClockInput, CycleOutcome, CycleSpan, Recompute, ResolvedTarget,
    WarnAt,
};
use super::events::ClockEvent;
use super::result::{Cycle, MetricResult, MetricStatus};
use super::timeline::{Standing, Timelines};
use crate::calendar::show_in;
use crate::calendar::Calendar;
use crate::duration::{format_iso, ServiceDuration};
use crate::error::{Error, Result};
use crate::reason::Reason;
use crate::rules::condition::Condition;
use crate::rules::Session;
use crate::Zone;
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
    /// Tolerance past the deadline before the promise is breached: counted
    /// time, or business days converted at the deadline; none when none is
    /// declared.
    pub grace: Option<ServiceDuration>,
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
    /// Escalation levels before or after the deadline, in the order listed.
    pub escalations: Vec<super::escalation::EscalationRule>,
    /// Whether a business-day target is due at the close of its last
    /// working day (`end_of_working_day = true`).
    pub end_of_working_day: bool,
    /// Ticket statuses (the `to` of `status` events) that pause the clock.
    pub pause_statuses: Vec<String>,
    /// Ticket statuses that hide the deadline without pausing the clock.
    pub hide_statuses: Vec<String>,
    /// Event kinds that reopen a stopped metric.
    pub reopen: Vec<String>,
    /// What a reopen does.
    pub on_reopen: OnReopen,
}

/// What a reopen event does to a metric whose clock has stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnReopen {
    /// Nothing (the default): only `start` and `stop` say when the clock runs.
    #[default]
    Ignore,
    /// The stop is undone: the same cycle runs on, the closed span (stop to
    /// reopen) counted as held.
    Continue,
    /// A new cycle starts at the reopen.
    NewCycle,
}

impl Metric {
    /// Reads the metric's cycles from events sorted by time and already cut
    /// at `as_of`. A resume without a pause is a ticket error; a metric that
    /// never pauses (`pause = []`) has nothing to resume and ignores resumes.
    /// A stop keeps its own instant, even before a booked start (an early
    /// arrival); the clock counts nothing before the start.
    ///
    /// Each event applies in turn, in the order listed: its stop, its
    /// reopen, its start, then its pause, resume or status. The clock is
    /// paused while an explicit pause is open or the ticket's status is one
    /// of `pause_statuses`.
    pub fn cycles(&self, ticket_id: &str, events: &[ClockEvent<'_>]) -> Result<Vec<CycleSpan>> {
        let mut reading = Reading {
            metric: self,
            cycles: Vec::new(),
            running: None,
            paused_since: None,
            status: None,
        };
        for (order, event) in events.iter().enumerate() {
            reading.read(ticket_id, order, event)?;
        }
        Ok(reading.finish())
    }

    /// The ticket error for a resume of a clock that is not paused.
    fn stray_resume(&self, ticket_id: &str, event: &ClockEvent<'_>) -> Error {
        let field = event
            .index
            .map(|i| format!("events[{i}].kind"))
            .unwrap_or_else(|| "events".into());
        Error::ticket(
            ticket_id,
            field,
            format!(
                "`{}` at {} resumes a clock that is not paused (no `{}` before it)",
                event.kind,
                event.at.to_rfc3339(),
                self.pause.join("` or `")
            ),
        )
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

impl Metric {
    /// The metric's result for the ticket at `session.as_of`, its times
    /// shown in `zone`: not applicable, not started, or its cycles on the
    /// clock.
    pub(crate) fn evaluate(
        &self,
        session: &mut Session<'_>,
        events: &[ClockEvent<'_>],
        standing: &Standing,
        zone: Zone,
    ) -> Result<MetricResult> {
        let mut result = self.empty_result();
        if let Some(reason) = self.excluded(session, &standing.level)? {
            result.because.push(reason);
            return Ok(result);
        }
        let (as_of, policy) = (session.as_of, session.policy);
        let opened_at = session.ticket.opened_at_utc();
        let cycles = self.cycles(&session.ticket.id, events)?;
        let (initial, changes) = self.key_timeline(&standing.timelines);
        // A ticket has a few severity (or tier) values at most: a list is
        // quicker than a hash map.
        let mut cache: Vec<(String, ResolvedTarget)> = Vec::new();
        let mut resolve = |key: &str| -> Result<ResolvedTarget> {
            if let Some((_, hit)) = cache.iter().find(|(k, _)| k == key) {
                return Ok(hit.clone());
            }
            let resolved = self.resolve_target(session, key)?;
            cache.push((key.to_string(), resolved.clone()));
            Ok(resolved)
        };
        if cycles.is_empty() {
            let in_force = match self.target.changing() {
                Some(Dimension::Tier) => changes.last().map_or(initial, |c| c.to.as_str()),
                _ => standing.level.as_str(),
            };
            let resolved = resolve(in_force)?;
            let opens_later = (opened_at > as_of).then_some(opened_at);
            self.not_started(&mut result, resolved, opens_later, zone);
            result.next_change_at =
                super::next::next_change_at(&result, &self.calendar, as_of, opens_later, |t| {
                    show_in(zone, t)
                });
            return Ok(result);
        }
        let output = move |t: DateTime<Utc>| show_in(zone, t);
        let input = ClockInput {
            calendar: &self.calendar,
            as_of,
            initial,
            changes,
            recompute: self.recompute,
            breach: self.breach,
            warn_at: self.warn_at,
            grace: self.grace.and_then(|g| g.as_time()).unwrap_or_default(),
            grace_business_days: match self.grace {
                Some(ServiceDuration::BusinessDays(n)) => n,
                _ => 0,
            },
            output_zone: &output,
            location: (policy, &self.path),
            escalations: &self.escalations,
            end_of_working_day: self.end_of_working_day,
        };
        self.clock_cycles(&mut result, &cycles, &input, &mut resolve)?;
        result.next_change_at =
            super::next::next_change_at(&result, &self.calendar, as_of, None, output);
        session.record(
            format_args!("{} ({})", self.path, self.name),
            result.current.status,
        );
        Ok(result)
    }

    /// A result with no fields yet: not applicable, no reasons.
    fn empty_result(&self) -> MetricResult {
        MetricResult {
            metric: self.name.clone(),
            calendar: self.calendar.name().to_string(),
            target: None,
            grace: None,
            current: Cycle::empty(MetricStatus::NotApplicable),
            current_target: None,
            current_deadline: None,
            cycles: Vec::new(),
            next_change_at: None,
            because: Vec::new(),
        }
    }

    /// Runs each cycle on the clock: the last one gives the metric's own
    /// fields, the earlier ones are listed in `cycles`.
    fn clock_cycles(
        &self,
        result: &mut MetricResult,
        cycles: &[CycleSpan],
        input: &ClockInput<'_>,
        resolve: &mut dyn FnMut(&str) -> Result<ResolvedTarget>,
    ) -> Result<()> {
        let count = cycles.len();
        for (i, span) in cycles.iter().enumerate() {
            let mut outcome = run_cycle(span, input, resolve)?;
            // A booked start still ahead: pending, with its deadline shown
            // (unless the metric has no target, and so never applies).
            if span.start > input.as_of && span.stop.is_none() && outcome.target.is_some() {
                outcome.cycle.status = MetricStatus::Pending;
                outcome.because.push(match &self.start_at {
                    Some(attribute) => {
                        crate::reason!(SlaStartsBooked, (input.output_zone)(span.start), attribute)
                    }
                    None => crate::reason!(SlaStarts, (input.output_zone)(span.start)),
                });
            }
            if i + 1 == count {
                self.take_current(result, outcome);
            } else {
                result.cycles.push(outcome.cycle);
            }
        }
        if self.repeat && count > 1 {
            let breached = result
                .cycles
                .iter()
                .filter(|c| c.status == MetricStatus::Breached)
                .count();
            result
                .because
                .push(crate::reason!(SlaCycles, count, count - 1, breached));
        }
        Ok(())
    }

    /// Why the metric does not apply to the ticket, when its `when` is false.
    fn excluded(&self, session: &mut Session<'_>, level: &str) -> Result<Option<Reason>> {
        let Some(condition) = &self.when else {
            return Ok(None);
        };
        let source = &condition.source;
        let applies = condition.evaluate(session, level)?;
        let path = session.rules.expression_path(condition.id).to_string();
        let applies = session.truth(&applies, &path, source)?;
        session.record(&path, applies);
        Ok((!applies).then(|| crate::reason!(SlaDoesNotApply, source, path)))
    }

    /// The value the target is keyed by before any change, and its changes:
    /// the tier's, the severity's, or none for a target that never changes.
    fn key_timeline<'t>(&self, timelines: &'t Timelines) -> (&'t str, &'t [Change]) {
        match self.target.changing() {
            Some(Dimension::Tier) => (&timelines.tier.0, &timelines.tier.1),
            Some(_) => (&timelines.severity.0, &timelines.severity.1),
            None => (&timelines.severity.0, &[]),
        }
    }

    /// A metric with no cycle yet: pending under a target, waiting for its
    /// start (or for the ticket to open), else not applicable.
    fn not_started(
        &self,
        result: &mut MetricResult,
        resolved: ResolvedTarget,
        opens_later: Option<DateTime<Utc>>,
        zone: Zone,
    ) {
        let applies = resolved.duration.is_some();
        result.target = resolved.duration.map(|d| d.to_string());
        result.grace = self.grace.filter(|_| applies).map(|g| g.to_string());
        result.current = Cycle::empty(if applies {
            MetricStatus::Pending
        } else {
            MetricStatus::NotApplicable
        });
        result.because.push(resolved.because);
        if !applies {
            return;
        }
        result.because.push(match opens_later {
            Some(opened_at) => crate::reason!(SlaOpensLater, show_in(zone, opened_at)),
            None => {
                let events: Vec<std::sync::Arc<str>> =
                    self.start.iter().map(|k| k.as_str().into()).collect();
                crate::reason!(SlaWaiting, crate::reason::Arg::Either(events.into()))
            }
        });
    }

    /// Makes the last cycle the metric's own fields.
    fn take_current(&self, result: &mut MetricResult, outcome: CycleOutcome) {
        result.target = outcome.target.map(format_iso);
        result.grace = match (self.grace, outcome.grace_counted) {
            (_, Some(counted)) => Some(format_iso(counted)),
            (grace, None) => grace
                .filter(|_| outcome.target.is_some())
                .map(|g| g.to_string()),
        };
        result.current_target = outcome.current_target.map(format_iso);
        result.current_deadline = outcome.current_deadline;
        result.current = outcome.cycle;
        result.because.extend(outcome.because);
        if !self.calendar.is_always_open() {
            result.because.push(crate::reason!(
                SlaCalendar,
                self.calendar.name().to_string()
            ));
        }
    }
}

/// The state of the clock while a metric's cycles are read from the events.
struct Reading<'m, 'e> {
    metric: &'m Metric,
    /// Cycles read to the end (stopped).
    cycles: Vec<CycleSpan>,
    /// The cycle running, if any.
    running: Option<CycleSpan>,
    /// Since when an explicit pause (a `pause` kind) is open.
    paused_since: Option<DateTime<Utc>>,
    /// The ticket's status and since when it has had it (a repeated status
    /// keeps the first instant).
    status: Option<(&'e str, DateTime<Utc>)>,
}

impl<'e> Reading<'_, 'e> {
    /// Whether the clock is paused: an explicit pause is open, or the
    /// status is one that pauses.
    fn paused(&self) -> bool {
        self.paused_since.is_some()
            || self
                .status
                .is_some_and(|(s, _)| self.metric.pause_statuses.iter().any(|p| p == s))
    }

    /// Applies one event: stop, reopen, start, then pause, resume or status.
    fn read(&mut self, ticket_id: &str, order: usize, event: &ClockEvent<'e>) -> Result<()> {
        let metric = self.metric;
        let has = |list: &[String]| list.iter().any(|k| k == event.kind);
        let was_paused = self.paused();
        if has(&metric.stop) {
            if let Some(mut cycle) = self.running.take() {
                let stop = metric.stop_instant(ticket_id, event)?;
                end_pauses_at(&mut cycle, stop);
                cycle.stop = Some(stop);
                cycle.stop_order = Some(order);
                self.cycles.push(cycle);
            }
        }
        if has(&metric.reopen) && self.running.is_none() {
            self.reopen(event.at, was_paused);
        }
        if has(&metric.start) && self.running.is_none() && (metric.repeat || self.cycles.is_empty())
        {
            let start = metric.start_instant(ticket_id, event)?;
            self.begin(start, was_paused);
        }
        if has(&metric.pause) && self.paused_since.is_none() {
            self.paused_since = Some(event.at);
        } else if !metric.pause.is_empty()
            && has(&metric.resume)
            && self.paused_since.take().is_none()
        {
            return Err(metric.stray_resume(ticket_id, event));
        }
        if event.kind == super::events::STATUS_EVENT {
            if let Some(to) = event.to {
                if self.status.is_none_or(|(s, _)| s != to) {
                    self.status = Some((to, event.at));
                }
            }
        }
        self.turn(event.at, was_paused);
        Ok(())
    }

    /// Starts a cycle, paused from its start when the clock is paused.
    fn begin(&mut self, start: DateTime<Utc>, paused: bool) {
        let pauses = paused.then_some((start, None)).into_iter().collect();
        self.running = Some(CycleSpan {
            start,
            stop: None,
            stop_order: None,
            pauses,
            hidden_since: None,
        });
    }

    /// A reopen of a stopped metric: under `continue` the last cycle runs
    /// on, held from its stop to the reopen (or on, while paused); under
    /// `new_cycle` a cycle starts at the reopen. Before any stop it does nothing.
    fn reopen(&mut self, at: DateTime<Utc>, paused: bool) {
        match self.metric.on_reopen {
            OnReopen::Ignore => {}
            OnReopen::Continue => {
                if let Some(mut cycle) = self.cycles.pop() {
                    let stop = cycle.stop.take().unwrap_or(at).max(cycle.start);
                    cycle.stop_order = None;
                    let until = (!paused).then_some(at.max(stop));
                    cycle.pauses.push((stop, until));
                    self.running = Some(cycle);
                }
            }
            OnReopen::NewCycle => {
                if !self.cycles.is_empty() {
                    self.begin(at, paused);
                }
            }
        }
    }

    /// Opens or ends a pause of the running cycle when the event paused or
    /// resumed the clock.
    fn turn(&mut self, at: DateTime<Utc>, was_paused: bool) {
        let now_paused = self.paused();
        let Some(cycle) = self.running.as_mut() else {
            return;
        };
        if now_paused && !was_paused {
            cycle.pauses.push((at.max(cycle.start), None));
        } else if was_paused && !now_paused {
            if let Some(last) = cycle.pauses.last_mut() {
                if last.1.is_none() {
                    last.1 = Some(at.max(last.0));
                }
            }
        }
    }

    /// The cycles read, the running one last, with the instant its deadline
    /// has been hidden since (the status that hides it, from the start).
    fn finish(self) -> Vec<CycleSpan> {
        let hidden = self
            .status
            .filter(|(s, _)| self.metric.hide_statuses.iter().any(|h| h == s))
            .map(|(_, since)| since);
        let mut cycles = self.cycles;
        cycles.extend(self.running.map(|mut cycle| {
            cycle.hidden_since = hidden.map(|since| since.max(cycle.start));
            cycle
        }));
        cycles
    }
}

/// Ends a cycle's pauses at its stop (never before its start): a pause open
/// at the stop ends there, and a pause that began after it does nothing to
/// the cycle. Only a stop read from an attribute (an offered slot earlier
/// than its event) can come before pauses already read.
fn end_pauses_at(cycle: &mut CycleSpan, stop: DateTime<Utc>) {
    let end = stop.max(cycle.start);
    cycle.pauses.retain(|(from, _)| *from <= end);
    for (from, until) in &mut cycle.pauses {
        *until = Some(until.map_or(end, |u| u.min(end)).max(*from));
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
