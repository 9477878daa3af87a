//! The warranty of the parts a repair fits (`[warranty.replaced_parts]`):
//! each part of `work.parts` gets its own period from the day of the
//! repair, combined with the rest of its component's cover as the policy
//! says, and the decision shows the new end date of each.

use super::counting::{local_date, Counting};
use super::decision::{PartCover, WarrantyDecision};
use super::spec::{ReplacedPartRule, ReplacedPartsSpec};
use super::term::period;
use crate::duration::CalendarPeriod;
use crate::error::Result;
use crate::reason::{Code, Reason, Term};
use crate::ticket::Ticket;
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
    pub fn covers(
        &self,
        ticket: &Ticket,
        decision: &WarrantyDecision,
        counting: &Counting,
        today: NaiveDate,
    ) -> Vec<PartCover> {
        let Some(work) = &ticket.work else {
            return Vec::new();
        };
        let (replaced_on, when) = match ticket
            .sorted_events()
            .into_iter()
            .find(|e| e.kind == "resolved")
        {
            Some(event) => (local_date(&event.at), Term::RepairResolved),
            None => (today, Term::RepairOpen),
        };
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
                let remainder = cover.and_then(|c| c.until);
                let own = counting.last_day(replaced_on, self.period);
                let mut because = vec![part_own_period(
                    i,
                    &part.sku,
                    self.period,
                    replaced_on,
                    when,
                    own,
                )];
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
                    sku: part.sku.clone(),
                    component: cover.map(|c| c.component.clone()),
                    replaced_on,
                    until,
                    because,
                }
            })
            .collect()
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
