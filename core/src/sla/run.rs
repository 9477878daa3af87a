//! One metric of one ticket at `as_of`: its applicability, its cycles read
//! from the ticket's events, each cycle's clock against the target in force.

use super::clock::{run_cycle, Change, ClockInput, ResolvedTarget};
use super::metric::{ClockEvent, Dimension, Metric};
use super::result::{Cycle, MetricResult, MetricStatus};
use super::timeline::{Severity, Timelines};
use crate::calendar::{show_in, Zone};
use crate::duration::format_iso;
use crate::error::Result;
use crate::rules::Session;
use crate::ticket::Ticket;
use chrono::{DateTime, Utc};

/// The ticket's events up to `as_of` as the clocks read them, sorted
/// (stable), the implicit `opened` first; a ticket evaluated before it
/// opened has no events yet.
pub(crate) fn clock_events(ticket: &Ticket, as_of: DateTime<Utc>) -> Vec<ClockEvent<'_>> {
    let mut events: Vec<ClockEvent<'_>> = Vec::with_capacity(ticket.events.len() + 1);
    if ticket.opened_at_utc() <= as_of {
        events.push(ClockEvent {
            index: None,
            at: ticket.opened_at_utc(),
            kind: "opened",
            attributes: None,
        });
    }
    let mut indexed: Vec<(usize, &crate::ticket::Event)> =
        ticket.events.iter().enumerate().collect();
    indexed.sort_by_key(|(_, e)| e.at_utc());
    events.extend(
        indexed
            .iter()
            .filter(|(_, e)| e.at_utc() <= as_of)
            .map(|(i, e)| ClockEvent {
                index: Some(*i),
                at: e.at_utc(),
                kind: e.kind.as_str(),
                attributes: Some(&e.attributes),
            }),
    );
    events
}

/// The severity at `as_of`, why, and the severity and tier timelines.
pub(crate) struct Standing {
    /// The severity level at `as_of`.
    pub level: String,
    /// Why: the opening level, then each change.
    pub because: Vec<crate::reason::Reason>,
    /// Severity and tier over time.
    pub timelines: Timelines,
}

impl Severity {
    /// Works out the ticket's severity and tier over time from its events.
    pub(crate) fn standing(
        &self,
        session: &mut Session<'_>,
        events: &[ClockEvent<'_>],
        zone: Zone,
    ) -> Result<Standing> {
        let ticket = session.ticket;
        let (initial, mut because) = self.initial(session)?;
        let initial_tier = ticket
            .customer
            .as_ref()
            .and_then(|c| c.tier.clone())
            .unwrap_or_default();
        let (severity_changes, same_levels) =
            self.changes(ticket, events, "severity_changed", &initial, true)?;
        let (tier_changes, _) =
            self.changes(ticket, events, "tier_changed", &initial_tier, false)?;
        let level = severity_changes
            .last()
            .map(|c| c.to.clone())
            .unwrap_or_else(|| initial.clone());
        for change in &severity_changes {
            because.push(crate::reason!(
                SeverityChanged,
                &change.to,
                show_in(zone, change.at)
            ));
        }
        for (at, to) in same_levels {
            because.push(crate::reason!(SeverityUnchanged, to, show_in(zone, at)));
        }
        Ok(Standing {
            level,
            because,
            timelines: Timelines {
                severity: (initial, severity_changes),
                tier: (initial_tier, tier_changes),
            },
        })
    }
}

impl Metric {
    /// The metric's result for the ticket at `session.as_of`, its times
    /// shown in `zone`.
    pub(crate) fn evaluate(
        &self,
        session: &mut Session<'_>,
        events: &[ClockEvent<'_>],
        standing: &Standing,
        zone: Zone,
    ) -> Result<MetricResult> {
        let as_of = session.as_of;
        let policy: &str = session.policy;
        let ticket: &Ticket = session.ticket;
        let timelines = &standing.timelines;
        let level = standing.level.as_str();
        let mut result = MetricResult {
            metric: self.name.clone(),
            calendar: self.calendar.name().to_string(),
            target: None,
            grace: None,
            current: Cycle::empty(MetricStatus::NotApplicable),
            current_target: None,
            current_deadline: None,
            cycles: Vec::new(),
            because: Vec::new(),
        };
        if let Some(condition) = &self.when {
            let source = &condition.source;
            let applies = condition.evaluate(session, level)?;
            let path = session.rules.expression_path(condition.id).to_string();
            let applies = session.truth(&applies, &path, source)?;
            session.record(&path, applies);
            if !applies {
                result
                    .because
                    .push(crate::reason!(SlaDoesNotApply, source, path));
                return Ok(result);
            }
        }

        let by_tier = self.target.changing() == Some(&Dimension::Tier);
        let (initial, changes): (&str, &[Change]) = match self.target.changing() {
            Some(Dimension::Tier) => (&timelines.tier.0, &timelines.tier.1),
            Some(_) => (&timelines.severity.0, &timelines.severity.1),
            None => (&timelines.severity.0, &[]),
        };
        let cycles = self.cycles(&ticket.id, events)?;
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
            let in_force = if by_tier {
                timelines.tier.1.last().map_or(initial, |c| c.to.as_str())
            } else {
                level
            };
            let resolved = resolve(in_force)?;
            result.target = resolved.duration.map(|d| d.to_string());
            result.grace = self
                .grace
                .filter(|_| resolved.duration.is_some())
                .map(format_iso);
            result.current = Cycle::empty(if resolved.duration.is_some() {
                MetricStatus::Pending
            } else {
                MetricStatus::NotApplicable
            });
            result.because.push(resolved.because);
            let opened_at = ticket.opened_at_utc();
            if resolved.duration.is_some() && opened_at > as_of {
                result
                    .because
                    .push(crate::reason!(SlaOpensLater, show_in(zone, opened_at)));
            } else if resolved.duration.is_some() {
                let events: Vec<std::sync::Arc<str>> =
                    self.start.iter().map(|k| k.as_str().into()).collect();
                result.because.push(crate::reason!(
                    SlaWaiting,
                    crate::reason::Arg::Either(events.into())
                ));
            }
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
            grace: self.grace.unwrap_or_default(),
            output_zone: &output,
            location: (policy, &self.path),
        };
        let count = cycles.len();
        for (i, span) in cycles.iter().enumerate() {
            let mut outcome = run_cycle(span, &input, &mut resolve)?;
            // A booked start still ahead: pending, with its deadline shown
            // (unless the metric has no target, and so never applies).
            if span.start > as_of && span.stop.is_none() && outcome.target.is_some() {
                outcome.cycle.status = MetricStatus::Pending;
                outcome.because.push(match &self.start_at {
                    Some(attribute) => {
                        crate::reason!(SlaStartsBooked, output(span.start), attribute)
                    }
                    None => crate::reason!(SlaStarts, output(span.start)),
                });
            }
            if i + 1 == count {
                result.target = outcome.target.map(format_iso);
                result.grace = self
                    .grace
                    .filter(|_| outcome.target.is_some())
                    .map(format_iso);
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
        session.record(
            format_args!("{} ({})", self.path, self.name),
            result.current.status,
        );
        Ok(result)
    }
}
