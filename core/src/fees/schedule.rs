//! The compiled fee schedule: a checked [`FeeSpec`](super::FeeSpec) with every amount a
//! decimal, every calendar resolved and every line kind known.

use crate::calendar::Calendar;
use crate::money::{Rounding, TaxMode};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The kinds of line a fee schedule writes on a bill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LineKind {
    /// Labour time (`labor`).
    Labor,
    /// The fixed part of a site visit (`callout`).
    Callout,
    /// Distance travelled beyond what the call-out includes (`travel`).
    Travel,
    /// The diagnostic fee (`diagnostic`).
    Diagnostic,
    /// A part used (`part`).
    Part,
}

impl LineKind {
    /// Every kind, in the order they are listed in messages.
    pub const ALL: [LineKind; 5] = [
        LineKind::Labor,
        LineKind::Callout,
        LineKind::Travel,
        LineKind::Diagnostic,
        LineKind::Part,
    ];

    /// The line code on the bill (`labor`, `callout`, `travel`, `diagnostic`, `part`).
    pub fn code(self) -> &'static str {
        match self {
            LineKind::Labor => "labor",
            LineKind::Callout => "callout",
            LineKind::Travel => "travel",
            LineKind::Diagnostic => "diagnostic",
            LineKind::Part => "part",
        }
    }

    /// The kind of a line code.
    pub fn parse(code: &str) -> Option<LineKind> {
        LineKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

impl fmt::Display for LineKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A compiled `[fees]` table. Cheap to share: `Send + Sync`, immutable.
///
/// [`FeeSchedule::charge`] turns a ticket's work into a bill;
/// [`FeeSchedule::retotal`] recomputes the totals after a rule edited lines.
#[derive(Debug, Clone)]
pub struct FeeSchedule {
    pub(super) policy: String,
    pub(super) currency: String,
    pub(super) minor: u32,
    pub(super) rounding: Rounding,
    pub(super) labor: Option<Labor>,
    pub(super) multipliers: Option<Multipliers>,
    pub(super) callout: Option<Callout>,
    pub(super) diagnostic: Option<Diagnostic>,
    pub(super) parts: Option<Parts>,
    pub(super) plans: BTreeMap<String, Discount>,
    pub(super) tiers: BTreeMap<String, Discount>,
    pub(super) tax: Option<Tax>,
    /// The `[fees] rule` hook, a Rhai function `fn NAME(ticket, charges)`.
    pub(super) rule: Option<String>,
    pub(super) cards: Vec<RateCard>,
}

/// One field of a rate card's `when`: (field as written, its path, the
/// values that select the card).
pub(super) type CardCondition = (String, Vec<String>, BTreeSet<String>);

/// A compiled rate card: when it applies, and its own schedule.
#[derive(Debug, Clone)]
pub(super) struct RateCard {
    pub name: String,
    pub when: Vec<CardCondition>,
    pub schedule: FeeSchedule,
}

#[derive(Debug, Clone)]
pub(super) struct Labor {
    pub rate: Decimal,
    pub minimum_ms: i64,
    pub increment_ms: Option<i64>,
}

#[derive(Debug, Clone)]
pub(super) struct Multipliers {
    pub calendar: Option<Calendar>,
    pub after_hours: Option<Decimal>,
    pub holiday: Option<Decimal>,
    pub applies_to: BTreeSet<LineKind>,
}

#[derive(Debug, Clone)]
pub(super) struct Callout {
    pub default_zone: Option<String>,
    pub zones: BTreeMap<String, ZoneFee>,
}

#[derive(Debug, Clone)]
pub(super) struct ZoneFee {
    pub fee: Decimal,
    pub included_km: Decimal,
    pub per_km: Option<Decimal>,
}

#[derive(Debug, Clone)]
pub(super) struct Diagnostic {
    pub fee: Decimal,
    pub waived_when_repair_accepted: bool,
}

#[derive(Debug, Clone)]
pub(super) struct Parts {
    pub markup_percent: Decimal,
    pub markup_fixed: Decimal,
}

#[derive(Debug, Clone, Default)]
pub(super) struct Discount {
    pub waive: BTreeSet<LineKind>,
    pub percent_off: BTreeMap<LineKind, Decimal>,
}

#[derive(Debug, Clone)]
pub(super) struct Tax {
    pub percent: Decimal,
    pub mode: TaxMode,
    pub rounding: Rounding,
}

impl FeeSchedule {
    /// The `[fees] rule` hook, if the policy has one.
    pub(crate) fn rule(&self) -> Option<&str> {
        self.rule.as_deref()
    }

    /// The currency every amount is in.
    #[cfg(test)]
    pub(crate) fn currency(&self) -> &str {
        &self.currency
    }
}
