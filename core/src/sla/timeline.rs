//! Severity and tier over time: the value a ticket opened with (given by
//! the CRM, classified by the severity rule, or the default), then its
//! changes from `severity_changed` and `tier_changed` events.

use super::clock::Change;
use super::events::ClockEvent;
use crate::calendar::show_in;
use crate::error::{Error, Result};
use crate::rules::condition::Condition;
use crate::rules::{as_text, Session};
use crate::ticket::Ticket;
use crate::Zone;
use chrono::{DateTime, Utc};
use rhai::Dynamic;

/// Changes that change something, and those to the value already in force
/// (when, to what), which change nothing.
pub(crate) type Changes = (Vec<Change>, Vec<(DateTime<Utc>, String)>);

/// Severity and tier over time: the value the ticket opened with, then its
/// changes in event order.
pub(crate) struct Timelines {
    /// The opening severity and its changes.
    pub severity: (String, Vec<Change>),
    /// The opening tier and its changes.
    pub tier: (String, Vec<Change>),
}

/// Severity levels and how a ticket gets one.
#[derive(Debug, Clone)]
pub struct Severity {
    /// Levels, most severe first.
    pub levels: Vec<String>,
    /// The default level.
    pub default: String,
    /// The classifying Rhai function.
    pub rule: Option<String>,
    /// The decision table: the first row whose condition holds.
    pub table: Vec<SeverityCase>,
}

/// A row of the severity decision table, compiled.
#[derive(Debug, Clone)]
pub struct SeverityCase {
    /// The condition (native where it can be).
    pub when: Condition,
    /// The level it gives.
    pub level: String,
    /// Why, built once when the policy compiles.
    pub because: crate::reason::Reason,
    /// Its TOML path, for the trace.
    pub path: String,
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

    /// The severity the ticket opened with: given by the CRM, else the
    /// rule, else the default; with the reason.
    pub(crate) fn initial(
        &self,
        session: &mut Session<'_>,
    ) -> Result<(String, Vec<crate::reason::Reason>)> {
        if let Some(given) = &session.ticket.severity {
            if !self.levels.contains(given) {
                return Err(Error::ticket(
                    &session.ticket.id,
                    "severity",
                    format!(
                        "`{given}` is not a level of this policy ({})",
                        self.levels.join(", ")
                    ),
                ));
            }
            return Ok((given.clone(), vec![crate::reason!(SeverityGiven, given)]));
        }
        for case in &self.table {
            let holds = case.when.evaluate(session, &self.default)?;
            let holds = session.truth(
                &holds,
                format_args!("{}.when", case.path),
                &case.when.source,
            )?;
            if holds {
                session.record(&case.path, &case.level);
                return Ok((case.level.clone(), vec![case.because.clone()]));
            }
        }
        if let Some(rule) = &self.rule {
            let value = session.ticket_value();
            let result = session.call(rule, vec![value])?;
            let (level, reason) = severity_result(&result);
            let label = format!("{rule}()");
            match level {
                Some(level) if self.levels.contains(&level) => {
                    session.record(&label, &level);
                    let because = match reason {
                        Some(reason) => crate::reason!(SeverityRule, &label, reason),
                        None => crate::reason!(SeverityRuleLevel, &label, &level),
                    };
                    return Ok((level, vec![because]));
                }
                Some(level) => {
                    return Err(session.rule_error(
                        rule,
                        format!(
                            "returned `{level}`, which is not a level ({})",
                            self.levels.join(", ")
                        ),
                    ))
                }
                None => session.record(&label, "()"),
            }
        }
        Ok((
            self.default.clone(),
            vec![crate::reason!(SeverityDefault, &self.default)],
        ))
    }

    /// Changes of severity (`is_severity`) or tier from events of `kind`
    /// (`to` holds the new value), in event order, each with its position
    /// among `events`. A change to the value already in force is not a
    /// change: it is returned apart.
    pub(crate) fn changes(
        &self,
        ticket: &Ticket,
        events: &[ClockEvent<'_>],
        kind: &str,
        initial: &str,
        is_severity: bool,
    ) -> Result<Changes> {
        let mut out: Vec<Change> = Vec::new();
        let mut same = Vec::new();
        for (order, event) in events.iter().enumerate().filter(|(_, e)| e.kind == kind) {
            let index = event.index.unwrap_or(0);
            let to = ticket
                .events
                .get(index)
                .and_then(|e| e.to.clone())
                .ok_or_else(|| {
                    Error::ticket(
                        &ticket.id,
                        format!("events[{index}].to"),
                        format!("a `{kind}` event needs `to`, the new value"),
                    )
                })?;
            if is_severity && !self.levels.contains(&to) {
                return Err(Error::ticket(
                    &ticket.id,
                    format!("events[{index}].to"),
                    format!(
                        "`{to}` is not a level of this policy ({})",
                        self.levels.join(", ")
                    ),
                ));
            }
            let in_force = out.last().map_or(initial, |c| c.to.as_str());
            if to == in_force {
                same.push((event.at, to));
                continue;
            }
            let what = if is_severity {
                crate::reason::Term::Severity
            } else {
                crate::reason::Term::Tier
            };
            out.push(Change {
                at: event.at,
                order,
                label: crate::reason!(SlaChanged, what, &to),
                to,
            });
        }
        Ok((out, same))
    }
}

/// Reads a severity rule's result: `"critical"`, `["critical", "why"]` or
/// `#{level: "critical", because: "why"}`.
fn severity_result(value: &Dynamic) -> (Option<String>, Option<String>) {
    if let Some(array) = value.clone().try_cast::<rhai::Array>() {
        let mut items = array.iter().map(as_text);
        return (items.next().flatten(), items.next().flatten());
    }
    if let Some(map) = value.clone().try_cast::<rhai::Map>() {
        return (
            map.get("level").and_then(as_text),
            map.get("because").and_then(as_text),
        );
    }
    (as_text(value), None)
}
