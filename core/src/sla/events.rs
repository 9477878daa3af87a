//! The ticket's events as every metric's clock reads them.

use crate::ticket::Ticket;
use chrono::{DateTime, Utc};

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
    /// The new value, for changes (`severity_changed`, `tier_changed`, `status`).
    pub to: Option<&'a str>,
}

/// The event kind of a ticket's status change; `to` holds the new status.
pub const STATUS_EVENT: &str = "status";

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
            to: None,
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
                to: e.to.as_deref(),
            }),
    );
    events
}
