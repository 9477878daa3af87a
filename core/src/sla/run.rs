//! What every metric of an evaluation reads alike: the ticket's events as
//! the clocks read them, and instants shown at the policy's offset.

use super::clock::in_zone;
use super::metric::ClockEvent;
use crate::ticket::Ticket;
use crate::Zone;
use chrono::{DateTime, FixedOffset, Utc};

/// An instant shown at the policy's offset.
pub(crate) fn show_in(zone: Zone, t: DateTime<Utc>) -> DateTime<FixedOffset> {
    match zone {
        Zone::Floating => t.fixed_offset(),
        Zone::Tz(tz) => in_zone(&tz, t),
    }
}

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
