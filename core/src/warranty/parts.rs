//! The warranty of the parts a repair fits (`[warranty.replaced_parts]`):
//! each part of `work.parts` gets its own period from the day of the
//! repair, combined with the rest of its component's cover as the policy
//! says, and the decision shows the new end date of each.

use super::counting::{add_days, instant_text, partial_day_words, repair_days, Counting};
use super::decision::{ComponentCover, PartCover, WarrantyDecision};
use super::spec::{ReplacedPartRule, ReplacedPartsSpec};
use super::term::{period, Extension};
use crate::duration::CalendarPeriod;
use crate::error::Result;
use crate::reason::{Arg, Code, Reason, Term};
use crate::ticket::{local_date, Repair, Ticket};
use chrono::NaiveDate;

/// `[warranty.replaced_parts]`, compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ReplacedParts {
    period: CalendarPeriod,
    rule: ReplacedPartRule,
}

impl ReplacedParts {
    /// Compiles the table; a bad period names
    /// `warranty.replaced_parts.period`.
    pub fn compile(policy_id: &str, spec: &ReplacedPartsSpec) -> Result<ReplacedParts> {
        Ok(ReplacedParts {
            period: period(policy_id, "warranty.replaced_parts.period", &spec.period)?,
            rule: spec.rule,
        })
    }

    /// The cover of each part the ticket's repair fits, given the
    /// decision's components. The day of the repair is the local date of
    /// the ticket's first `resolved` event, else `today`.
    ///
    /// With an `extension` (days out of service extend the periods), the
    /// rest of a component's cover also grows by this repair's own days
    /// out of service — from the ticket's `opened_at` to its first
    /// `resolved` event, counted as for `history.repairs` — as it will on
    /// the next ticket, whose history lists this repair.
    pub fn covers(
        &self,
        ticket: &Ticket,
        decision: &WarrantyDecision,
        counting: &Counting,
        extension: Option<&Extension>,
        today: NaiveDate,
    ) -> Vec<PartCover> {
        let Some(work) = &ticket.work else {
            return Vec::new();
        };
        let repair = ThisRepair::of(ticket, extension, today);
        let fault_component = ticket
            .fault
            .as_ref()
            .and_then(|f| f.component.as_deref())
            .map(str::trim)
            .filter(|c| !c.is_empty());
        work.parts
            .iter()
            .enumerate()
            .map(|(i, part)| {
                let name = part
                    .component
                    .as_deref()
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .or(fault_component);
                let cover = match name {
                    Some(name) => decision.judged_by(name),
                    None => decision
                        .default_component
                        .as_deref()
                        .and_then(|d| decision.judged_by(d)),
                };
                self.part_cover(i, &part.sku, cover, decision, counting, &repair)
            })
            .collect()
    }

    /// The cover of part `index` (`sku`), under its component's `cover`.
    fn part_cover(
        &self,
        index: usize,
        sku: &str,
        cover: Option<&ComponentCover>,
        decision: &WarrantyDecision,
        counting: &Counting,
        repair: &ThisRepair<'_>,
    ) -> PartCover {
        let replaced_on = repair.replaced_on;
        let own = counting.last_day(replaced_on, self.period);
        let mut because = vec![part_own_period(
            index,
            sku,
            self.period,
            replaced_on,
            repair.when,
            own,
        )];
        let remainder = cover.and_then(|c| {
            let until = c.until?;
            Some(repair.grow(c, decision, until, &mut because))
        });
        let until = match (self.rule, remainder) {
            (ReplacedPartRule::Period, _) => Some(own),
            (ReplacedPartRule::Remainder, r) => r,
            (ReplacedPartRule::PeriodOrRemainder, Some(r)) if r > own => Some(r),
            (ReplacedPartRule::PeriodOrRemainder, _) => Some(own),
        };
        because.push(part_until(
            self.rule,
            cover.map(|c| c.component.as_str()),
            remainder,
            until,
        ));
        PartCover {
            sku: sku.to_string(),
            component: cover.map(|c| c.component.clone()),
            replaced_on,
            until,
            because,
        }
    }
}

/// The ticket's own repair: the day it fits the parts, and its days out
/// of service when an extension counts them.
struct ThisRepair<'a> {
    /// The day of the repair.
    replaced_on: NaiveDate,
    /// Whether that day is the resolution or today (still open).
    when: Term,
    /// The local date the ticket opened.
    opened_on: NaiveDate,
    /// Days out of service (more than zero), how they were counted, and
    /// the extension that counts them.
    out_of_service: Option<(u32, Arg, &'a Extension)>,
}

impl<'a> ThisRepair<'a> {
    /// The ticket's repair as the next ticket's history will list it.
    fn of(ticket: &Ticket, extension: Option<&'a Extension>, today: NaiveDate) -> ThisRepair<'a> {
        let resolved = ticket
            .sorted_events()
            .into_iter()
            .find(|e| e.kind == "resolved");
        let (replaced_on, when) = match resolved {
            Some(event) => (local_date(&event.at), Term::RepairResolved),
            None => (today, Term::RepairOpen),
        };
        let opened_on = local_date(&ticket.opened_at);
        // This repair as the next ticket's history will list it.
        let this_repair = match resolved {
            Some(event) => Repair {
                received_at: Some(ticket.opened_at),
                resolved_at: Some(event.at),
                ..Repair::default()
            },
            None => Repair {
                received_on: Some(opened_on),
                resolved_on: Some(today.max(opened_on)),
                ..Repair::default()
            },
        };
        let out_of_service = extension.and_then(|e| {
            let (days, _) = repair_days(&this_repair, e.partial_day)?;
            let how: Arg = match resolved {
                Some(event) => Reason::coded(
                    Code::WarrantyRepairOpenedResolved,
                    vec![
                        instant_text(&ticket.opened_at).into(),
                        instant_text(&event.at).into(),
                    ],
                )
                .into(),
                None => Reason::coded(
                    Code::WarrantyRepairOpenedToday,
                    vec![opened_on.into(), today.max(opened_on).into()],
                )
                .into(),
            };
            (days > 0).then_some((days, how, e))
        });
        ThisRepair {
            replaced_on,
            when,
            opened_on,
            out_of_service,
        }
    }

    /// The rest of component `c`'s cover (to `until`), grown by this
    /// repair's days out of service when the repair began inside it (as a
    /// repair of `history.repairs` extends a period).
    fn grow(
        &self,
        c: &ComponentCover,
        decision: &WarrantyDecision,
        until: NaiveDate,
        because: &mut Vec<Reason>,
    ) -> NaiveDate {
        let Some((days, how, e)) = &self.out_of_service else {
            return until;
        };
        let start = c.starts_on.or(decision.starts_on).unwrap_or(self.opened_on);
        if !(start <= self.opened_on && self.opened_on <= until) {
            return until;
        }
        let extended = add_days(until, i64::from(*days));
        because.push(Reason::coded(
            Code::WarrantyPartOwnRepair,
            vec![
                c.component.clone().into(),
                Arg::days(*days),
                how.clone(),
                extended.into(),
                if e.sanbao {
                    Term::SanbaoExtension.into()
                } else {
                    Arg::Static("warranty.extension")
                },
                partial_day_words(e.partial_day).into(),
            ],
        ));
        extended
    }
}

/// `work.parts[0] RV8-BM: its own 90 days from 2026-04-07, …: last day 2026-07-06`.
fn part_own_period(
    index: usize,
    sku: &str,
    period: CalendarPeriod,
    on: NaiveDate,
    when: Term,
    last: NaiveDate,
) -> Reason {
    Reason::coded(
        Code::WarrantyPartOwnPeriod,
        vec![
            index.into(),
            sku.to_string().into(),
            period.into(),
            on.into(),
            when.into(),
            last.into(),
        ],
    )
}

/// How the part's last day was chosen.
fn part_until(
    rule: ReplacedPartRule,
    component: Option<&str>,
    remainder: Option<NaiveDate>,
    until: Option<NaiveDate>,
) -> Reason {
    let rest = match (component, remainder) {
        (Some(c), Some(r)) => {
            Reason::coded(Code::WarrantyPartRest, vec![c.to_string().into(), r.into()])
        }
        (Some(c), None) => Reason::coded(Code::WarrantyPartNoRest, vec![c.to_string().into()]),
        (None, _) => Reason::coded(Code::WarrantyPartNoComponent, Vec::new()),
    };
    let until = match until {
        Some(u) => Reason::coded(Code::WarrantyPartCovered, vec![u.into()]),
        None => Reason::coded(Code::WarrantyPartNotCovered, Vec::new()),
    };
    let how = match rule {
        ReplacedPartRule::PeriodOrRemainder => Term::PeriodOrRemainder,
        ReplacedPartRule::Period => Term::PeriodOnly,
        ReplacedPartRule::Remainder => Term::RemainderOnly,
    };
    Reason::coded(
        Code::WarrantyPartUntil,
        vec![rest.into(), how.into(), until.into()],
    )
}
