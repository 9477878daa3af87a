//! The reasons this module adds to a credit's `because`, one function per
//! reason code (`docs/reasons.md`), so that each is built in one place.

use crate::money::Money;
use crate::reason::{Arg, Code, Reason, Term};
use rust_decimal::Decimal;

/// One part of a breach: a percentage of the contract fee per started
/// hour or day late (`3 started hours × 0.5% of the contract fee 1200.00 = 18`).
/// A part of the breach's line.
pub(super) fn percent_of_fee_per_started(
    count: i64,
    per_day: bool,
    percent: Decimal,
    fee: Money,
    part: Decimal,
) -> Reason {
    let unit = match (per_day, count == 1) {
        (false, true) => Term::StartedHour,
        (false, false) => Term::StartedHours,
        (true, true) => Term::StartedDay,
        (true, false) => Term::StartedDays,
    };
    Reason::coded(
        Code::CreditsPercentOfFeePerStarted,
        vec![
            count.into(),
            unit.into(),
            percent.normalize().into(),
            fee.into(),
            part.normalize().into(),
        ],
    )
}

/// An entry's credit capped at a percentage of the contract fee.
pub(super) fn capped_at_percent_per_ticket(
    cap: Money,
    source: &std::sync::Arc<str>,
    percent: Decimal,
    fee: Money,
    from: Money,
) -> Reason {
    Reason::coded(
        Code::CreditsCappedPercentPerTicket,
        vec![
            cap.into(),
            std::sync::Arc::clone(source).into(),
            percent.normalize().into(),
            fee.into(),
            from.into(),
        ],
    )
}

/// How a cap over all entries was set: `300.00`, or
/// `25% of the contract fee 1200.00 = 300.00`, or the lower of two.
pub(super) fn cap_words(amount: Option<Money>, percent: Option<(Decimal, Money, Money)>) -> Arg {
    let percent = percent.map(|(p, fee, cap)| {
        Reason::coded(
            Code::CreditsCapPercent,
            vec![p.normalize().into(), fee.into(), cap.into()],
        )
    });
    match (amount, percent) {
        (Some(a), Some(p)) => Reason::coded(Code::CreditsCapLower, vec![a.into(), p.into()]).into(),
        (Some(a), None) => a.into(),
        (None, Some(p)) => p.into(),
        (None, None) => Arg::Static(""),
    }
}

/// A credit reduced by `[credit_caps] per_ticket`.
pub(super) fn reduced_by_ticket_cap(from: Money, to: Money, cap: Arg, so_far: Money) -> Reason {
    Reason::coded(
        Code::CreditsReducedTicketCap,
        vec![from.into(), to.into(), cap, so_far.into()],
    )
}

/// A credit reduced by `[credit_caps] per_incident`.
pub(super) fn reduced_by_incident_cap(
    from: Money,
    to: Money,
    cap: Arg,
    incident: Option<&str>,
    so_far: Money,
) -> Reason {
    match incident {
        Some(id) => Reason::coded(
            Code::CreditsReducedIncidentCap,
            vec![
                from.into(),
                to.into(),
                id.to_string().into(),
                cap,
                so_far.into(),
            ],
        ),
        None => Reason::coded(
            Code::CreditsReducedLoneIncident,
            vec![from.into(), to.into(), cap, so_far.into()],
        ),
    }
}

/// What a period cap's total includes from before the tickets at hand: a
/// part of the period cap's line.
pub(super) fn paid_before(paid: Money, attribute: &str) -> Reason {
    Reason::coded(
        Code::CreditsPaidBefore,
        vec![paid.into(), attribute.to_string().into()],
    )
}
