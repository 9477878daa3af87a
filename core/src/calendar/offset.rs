//! Instants shown at the offset a zone has at that instant: how every
//! instant of an answer is written (`2026-03-02T17:00:00+08:00`).

use super::Zone;
use chrono::{DateTime, FixedOffset, Offset, TimeZone, Utc};

/// Shows a UTC instant at the offset a zone has at that instant.
fn in_zone<Z: TimeZone>(zone: &Z, t: DateTime<Utc>) -> DateTime<FixedOffset> {
    let offset = zone.offset_from_utc_datetime(&t.naive_utc()).fix();
    t.with_timezone(&offset)
}

/// An instant shown at the policy's offset: at UTC for a floating zone.
pub(crate) fn show_in(zone: Zone, t: DateTime<Utc>) -> DateTime<FixedOffset> {
    match zone {
        Zone::Floating => t.fixed_offset(),
        Zone::Tz(tz) => in_zone(&tz, t),
    }
}
