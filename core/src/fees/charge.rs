//! Turning a ticket's work into a bill: one line per fee, then coverage
//! (waiver, warranty, plan or tier), then the totals and tax.
//!
//! The order of operations, per line:
//! 1. the unit price: the schedule's price (or the catalogue price with its
//!    markup) times the time-window multiplier, kept exact;
//! 2. `amount = quantity × unit price`, rounded once to the currency's minor
//!    unit with the policy's rounding mode;
//! 3. who bears it, first that applies: a waiver (the diagnostic fee when
//!    the repair is accepted), the warranty (the whole amount), else the
//!    larger of the plan's and the tier's discount (a percentage, rounded
//!    to the minor unit, or the whole amount when waived);
//! 4. `payable = amount − covered`.
//!
//! Then the payable amounts are summed and the tax is worked out once on
//! that sum (see [`super::totals`]).

use super::charges::{Charges, FeeLine};
use super::schedule::{Callout, Discount, FeeSchedule, LineKind, Multipliers, ZoneFee};
use super::spec::Number;
use crate::error::{Error, Result};
use crate::money::Money;
use crate::reason;
use crate::reason::{Arg, Lang, Reason, Term};
use crate::ticket::{Ticket, Visit, Work};
use crate::warranty::{WarrantyDecision, WarrantyStatus};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

const MS_PER_HOUR: i64 = 3_600_000;

/// What the bill needs to know about a ticket, looked up once.
struct Context<'a> {
    ticket: &'a Ticket,
    warranty: &'a WarrantyDecision,
    fault_component: Option<&'a str>,
    /// When the work started: `work.labor_started_at`, else the earliest visit.
    work_started: Option<(DateTime<Utc>, Term)>,
    /// `work.after_hours` as set by the CRM.
    forced_after_hours: bool,
}

impl Context<'_> {
    fn too_large(&self, field: &str) -> Error {
        Error::ticket(
            &self.ticket.id,
            field,
            "the amount is too large to compute exactly",
        )
    }
}

/// A visit's trip, for its travel line.
#[derive(Clone, Copy)]
struct Trip<'a> {
    /// The visit's field, `work.visits[i]`.
    field: &'a str,
    /// The zone's name.
    zone_name: &'a str,
    /// The zone's fees.
    zone: &'a ZoneFee,
    /// The zone's price per kilometre.
    per_km: Decimal,
    /// The distance travelled, in kilometres.
    distance: Decimal,
    /// When the visit was, for the window.
    arrival: Option<(DateTime<Utc>, Term)>,
}

/// The zone a visit is billed in (its own, else the customer's, else the
/// default) and why; an error when none is priced.
fn visit_zone(
    cx: &Context,
    callout: &Callout,
    i: usize,
    visit: &Visit,
    customer_zone: Option<&str>,
) -> Result<(String, Vec<Reason>)> {
    let (given, from_visit) = match (&visit.zone, customer_zone) {
        (Some(z), _) => (Some(z.as_str()), true),
        (None, Some(z)) => (Some(z), false),
        (None, None) => (None, false),
    };
    let source = || -> Arg {
        if from_visit {
            reason!(FieldVisitZone, i).into()
        } else {
            Arg::Static("customer.zone")
        }
    };
    if let Some(z) = given.filter(|z| callout.zones.contains_key(*z)) {
        return Ok((
            z.to_string(),
            vec![reason!(FeesZone, z.to_string(), source())],
        ));
    }
    let Some(default) = &callout.default_zone else {
        let known: Vec<&str> = callout.zones.keys().map(String::as_str).collect();
        let (field, message) = match given {
            Some(z) => (
                source().to_string(),
                format!(
                    "no call-out fee for zone `{z}`: [fees.callout.zones] lists {} \
                     and there is no default_zone",
                    known.join(", ")
                ),
            ),
            None => (
                format!("work.visits[{i}].zone"),
                "no zone: neither the visit nor customer.zone names one, and \
                 [fees.callout] has no default_zone"
                    .to_string(),
            ),
        };
        return Err(Error::ticket(&cx.ticket.id, field, message));
    };
    let because = match given {
        Some(z) => reason!(FeesZoneDefault, z.to_string(), source(), default),
        None => reason!(FeesNoZone, default),
    };
    Ok((default.clone(), vec![because]))
}

/// A discount that may apply to a line: (covered_by prefix, name, who in
/// words, its path, the discount).
type Candidate<'a> = (&'a str, &'a str, Reason, Reason, &'a Discount);

/// Covers a line the warranty covers; else notes why it does not.
/// Whether it covered it.
fn warranty_settles(
    cx: &Context,
    line: &mut FeeLine,
    amount: Decimal,
    component: Option<&str>,
) -> bool {
    if cx.warranty.covers(component) {
        let why = match component {
            Some(c) => match cx.warranty.judged_by(c) {
                Some(entry) if entry.component != c.trim() => {
                    reason!(FeesCoveredComponentAs, c.to_string(), &entry.component)
                }
                _ => reason!(FeesCoveredComponent, c.to_string()),
            },
            None => reason!(FeesCoveredUnit),
        };
        cover(line, amount, "warranty", why);
        return true;
    }
    match (cx.warranty.status, component) {
        (WarrantyStatus::NotApplicable, _) => {}
        (WarrantyStatus::InWarranty, Some(c)) => line
            .because
            .push(reason!(FeesNotCoveredComponent, c.to_string())),
        (WarrantyStatus::InWarranty, None) => line.because.push(reason!(FeesNotCoveredNoComponent)),
        (status, _) => line
            .because
            .push(reason!(FeesNotCoveredStatus, status_term(status))),
    }
    false
}

/// The multipliers that apply at `at` (holiday first, so that it wins a
/// tie), each as (factor, name, reason), and whether a calendar wanted a
/// time the line does not have.
fn multipliers_found(
    m: &Multipliers,
    at: Option<(DateTime<Utc>, Term)>,
    forced_after_hours: bool,
) -> (Vec<(Decimal, Term, Reason)>, bool) {
    // (factor, name, reason); holiday first so that it wins a tie.
    let mut found: Vec<(Decimal, Term, Reason)> = Vec::new();
    let mut no_time = false;
    match (&m.calendar, at) {
        (Some(calendar), Some((t, what))) => {
            let local = calendar.zone().local(t);
            if let Some(factor) = m.holiday {
                if calendar.is_holiday(t) {
                    let date = local.date();
                    let why = match calendar.holiday_name(date) {
                        Some(name) => reason!(
                            FeesHolidayNamed,
                            date,
                            name.to_string(),
                            calendar.name().to_string(),
                            what
                        ),
                        None => {
                            reason!(FeesHoliday, date, calendar.name().to_string(), what)
                        }
                    };
                    found.push((factor, Term::Holiday, why));
                }
            }
            if let Some(factor) = m.after_hours {
                if forced_after_hours {
                    found.push((factor, Term::AfterHours, reason!(FeesAfterHoursSet)));
                } else if !calendar.is_open(t) {
                    found.push((
                        factor,
                        Term::AfterHours,
                        reason!(
                            FeesClosed,
                            calendar.name().to_string(),
                            Arg::Minute(local),
                            what
                        ),
                    ));
                }
            }
        }
        (calendar, _) => {
            no_time = calendar.is_some();
            if let (Some(factor), true) = (m.after_hours, forced_after_hours) {
                found.push((factor, Term::AfterHours, reason!(FeesAfterHoursSet)));
            }
        }
    }
    (found, no_time)
}

/// The multiplier chosen for one line.
struct Window {
    factor: Decimal,
    /// `after hours ×1.5`, for the description.
    label: Option<String>,
    because: Option<Reason>,
}

impl Window {
    fn none() -> Window {
        Window {
            factor: Decimal::ONE,
            label: None,
            because: None,
        }
    }

    fn suffix(&self) -> String {
        self.label
            .as_ref()
            .map(|l| format!(" ({l})"))
            .unwrap_or_default()
    }
}

impl FeeSchedule {
    /// Bills a ticket's work under this schedule, given the ticket's
    /// warranty decision. Covered lines stay on the bill with their value
    /// and a zero payable amount. Never panics: an amount too large to
    /// compute exactly, or a visit in a zone the schedule does not know, is
    /// a ticket error naming the field.
    ///
    /// With rate cards, the first card whose `when` holds for the ticket
    /// bills it (the bill names it in `rate_card` and `because`); a ticket
    /// no card matches is billed by the default prices.
    pub fn charge(&self, ticket: &Ticket, warranty: &WarrantyDecision) -> Result<Charges> {
        if self.cards.is_empty() {
            return self.charge_with_prices(ticket, warranty);
        }
        // The ticket as JSON, only for a card field not read natively.
        let mut json = None;
        for (i, card) in self.cards.iter().enumerate() {
            if let Some(matched) = card.matches(ticket, &mut json) {
                let mut charges = card.schedule.charge_with_prices(ticket, warranty)?;
                charges.rate_card = Some(card.name.clone());
                charges
                    .because
                    .insert(0, reason!(FeesRateCard, &card.name, i, matched));
                return Ok(charges);
            }
        }
        let mut charges = self.charge_with_prices(ticket, warranty)?;
        charges.because.insert(0, reason!(FeesNoRateCard));
        Ok(charges)
    }

    /// Bills a ticket with this schedule's own prices.
    fn charge_with_prices(&self, ticket: &Ticket, warranty: &WarrantyDecision) -> Result<Charges> {
        let mut charges = Charges::empty(&self.currency);
        if let Some(tax) = &self.tax {
            charges.tax_percent = Some(Number(tax.percent));
            charges.tax_mode = Some(tax.mode);
        }
        let Some(work) = &ticket.work else {
            charges.because.push(reason!(FeesNoWork));
            self.totals(&mut charges)
                .map_err(|(field, message)| Error::ticket(&ticket.id, field, message))?;
            return Ok(charges);
        };
        let work_started = work
            .labor_started_at
            .map(|t| (t.to_utc(), Term::WhenLaborStarted))
            .or_else(|| {
                work.visits
                    .iter()
                    .filter_map(|v| v.at)
                    .map(|t| t.to_utc())
                    .min()
                    .map(|t| (t, Term::WhenFirstVisit))
            });
        let context = Context {
            ticket,
            warranty,
            fault_component: ticket.fault.as_ref().and_then(|f| f.component.as_deref()),
            work_started,
            forced_after_hours: work.after_hours == Some(true),
        };

        self.bill_diagnostic(&context, work, &mut charges)?;
        self.bill_visits(&context, work, &mut charges)?;
        self.bill_labor(&context, work, &mut charges)?;
        self.bill_parts(&context, work, &mut charges)?;

        self.totals(&mut charges)
            .map_err(|(field, message)| Error::ticket(&ticket.id, field, message))?;
        Ok(charges)
    }

    fn bill_diagnostic(&self, cx: &Context, work: &Work, charges: &mut Charges) -> Result<()> {
        let Some(diagnostic) = &self.diagnostic else {
            return Ok(());
        };
        let field = "work";
        let window = self.window(LineKind::Diagnostic, cx.work_started, cx.forced_after_hours);
        let unit = diagnostic
            .fee
            .checked_mul(window.factor)
            .ok_or_else(|| cx.too_large(field))?;
        let mut because = vec![reason!(FeesDiagnostic, self.price(diagnostic.fee))];
        because.extend(window.because.clone());
        let mut line = self.line(
            LineKind::Diagnostic,
            format!("Diagnostic{}", window.suffix()),
            Decimal::ONE,
            unit,
            unit,
            because,
        );
        let waiver = (diagnostic.waived_when_repair_accepted && work.repair_accepted == Some(true))
            .then(|| reason!(FeesDiagnosticWaived));
        self.settle(
            cx,
            &mut line,
            LineKind::Diagnostic,
            cx.fault_component,
            waiver,
        )?;
        charges.lines.push(line);
        Ok(())
    }

    /// A call-out line for each site visit, and a travel line for the
    /// distance beyond what the zone includes.
    fn bill_visits(&self, cx: &Context, work: &Work, charges: &mut Charges) -> Result<()> {
        if work.visits.is_empty() {
            return Ok(());
        }
        let Some(callout) = &self.callout else {
            charges
                .because
                .push(reason!(FeesVisitsNotBilled, work.visits.len()));
            return Ok(());
        };
        let customer_zone = cx.ticket.customer.as_ref().and_then(|c| c.zone.as_deref());
        for (i, visit) in work.visits.iter().enumerate() {
            let field = format!("work.visits[{i}]");
            let (zone_name, because) = visit_zone(cx, callout, i, visit, customer_zone)?;
            let Some(zone) = callout.zones.get(&zone_name) else {
                continue; // unreachable: the name was checked above
            };
            let arrival = visit.at.map(|t| (t.to_utc(), Term::WhenVisit));

            let window = self.window(LineKind::Callout, arrival, cx.forced_after_hours);
            let unit = zone
                .fee
                .checked_mul(window.factor)
                .ok_or_else(|| cx.too_large(&field))?;
            let mut because = because;
            because.extend(window.because.clone());
            let mut line = self.line(
                LineKind::Callout,
                format!("Call-out, zone {zone_name}{}", window.suffix()),
                Decimal::ONE,
                unit,
                unit,
                because,
            );
            self.settle(cx, &mut line, LineKind::Callout, cx.fault_component, None)?;
            let travel = match (zone.per_km, visit.distance_km) {
                (None, _) => None,
                (Some(_), None) => {
                    line.because.push(reason!(FeesNoDistance, i));
                    None
                }
                (Some(per_km), Some(distance)) => {
                    let trip = Trip {
                        field: &field,
                        zone_name: &zone_name,
                        zone,
                        per_km,
                        distance: distance.0,
                        arrival,
                    };
                    self.travel(cx, &trip, &mut line)?
                }
            };
            charges.lines.push(line);
            charges.lines.extend(travel);
        }
        Ok(())
    }

    /// The travel line of a visit for the distance beyond the zone's
    /// included kilometres; within them, a note on the call-out `line`.
    fn travel(&self, cx: &Context, trip: &Trip, line: &mut FeeLine) -> Result<Option<FeeLine>> {
        let Trip {
            field,
            zone_name,
            zone,
            per_km,
            distance,
            arrival,
        } = *trip;
        let beyond = distance
            .checked_sub(zone.included_km)
            .ok_or_else(|| cx.too_large(&format!("{field}.distance_km")))?;
        if beyond <= Decimal::ZERO {
            line.because.push(reason!(
                FeesTravelIncluded,
                distance.normalize(),
                zone.included_km.normalize()
            ));
            return Ok(None);
        }
        let window = self.window(LineKind::Travel, arrival, cx.forced_after_hours);
        let unit = per_km
            .checked_mul(window.factor)
            .ok_or_else(|| cx.too_large(field))?;
        let exact = beyond
            .checked_mul(unit)
            .ok_or_else(|| cx.too_large(&format!("{field}.distance_km")))?;
        let mut because = vec![reason!(
            FeesTravel,
            zone_name.to_string(),
            distance.normalize(),
            zone.included_km.normalize(),
            beyond.normalize(),
            self.price(per_km)
        )];
        because.extend(window.because.clone());
        let mut travel = self.line(
            LineKind::Travel,
            format!(
                "Travel {} km beyond {} km at {}/km{}",
                beyond.normalize(),
                zone.included_km.normalize(),
                self.price(unit),
                window.suffix()
            ),
            beyond,
            unit,
            exact,
            because,
        );
        self.settle(cx, &mut travel, LineKind::Travel, cx.fault_component, None)?;
        Ok(Some(travel))
    }

    fn bill_labor(&self, cx: &Context, work: &Work, charges: &mut Charges) -> Result<()> {
        let Some(worked) = work.labor.filter(|d| d.0 > chrono::TimeDelta::zero()) else {
            return Ok(());
        };
        let Some(labor) = &self.labor else {
            charges.because.push(reason!(FeesLaborNotBilled, worked.0));
            return Ok(());
        };
        let field = "work.labor";
        let worked_ms = worked.0.num_milliseconds();
        let (billed_ms, how) = if worked_ms <= labor.minimum_ms {
            (labor.minimum_ms, reason!(FeesLaborMinimum))
        } else {
            match labor.increment_ms {
                None if labor.minimum_ms > 0 => (
                    worked_ms,
                    reason!(FeesLaborAboveMinimum, hours_shown(labor.minimum_ms)),
                ),
                None => (worked_ms, reason!(FeesLaborAsWorked)),
                Some(step) => {
                    let beyond = worked_ms - labor.minimum_ms;
                    let mut steps = beyond / step;
                    if beyond % step != 0 {
                        steps += 1;
                    }
                    let billed = steps
                        .checked_mul(step)
                        .and_then(|b| b.checked_add(labor.minimum_ms))
                        .ok_or_else(|| cx.too_large(field))?;
                    let how = if labor.minimum_ms > 0 {
                        reason!(
                            FeesLaborSteps,
                            hours_shown(labor.minimum_ms),
                            hours_shown(step)
                        )
                    } else {
                        reason!(FeesLaborStepsOnly, hours_shown(step))
                    };
                    (billed, how)
                }
            }
        };
        let window = self.window(LineKind::Labor, cx.work_started, cx.forced_after_hours);
        let unit = labor
            .rate
            .checked_mul(window.factor)
            .ok_or_else(|| cx.too_large(field))?;
        // The amount is worked out from the exact billed time, divided last.
        let exact = unit
            .checked_mul(Decimal::from(billed_ms))
            .and_then(|a| a.checked_div(Decimal::from(MS_PER_HOUR)))
            .ok_or_else(|| cx.too_large(field))?;
        let hours = hours_decimal(billed_ms);
        let mut because = vec![reason!(
            FeesLabor,
            worked.0,
            hours_shown(billed_ms),
            how,
            self.price(labor.rate)
        )];
        because.extend(window.because.clone());
        let mut line = self.line(
            LineKind::Labor,
            format!(
                "Labour {} h at {}/h{}",
                hours_text(billed_ms),
                self.price(unit),
                window.suffix()
            ),
            hours,
            unit,
            exact,
            because,
        );
        self.settle(cx, &mut line, LineKind::Labor, cx.fault_component, None)?;
        charges.lines.push(line);
        Ok(())
    }

    fn bill_parts(&self, cx: &Context, work: &Work, charges: &mut Charges) -> Result<()> {
        if work.parts.is_empty() {
            return Ok(());
        }
        let Some(parts) = &self.parts else {
            charges
                .because
                .push(reason!(FeesPartsNotBilled, work.parts.len()));
            return Ok(());
        };
        let hundred = Decimal::ONE_HUNDRED;
        for (i, part) in work.parts.iter().enumerate() {
            let field = format!("work.parts[{i}]");
            let catalogue = part.unit_price.0;
            let unit = catalogue
                .checked_mul(
                    hundred
                        .checked_add(parts.markup_percent)
                        .ok_or_else(|| cx.too_large(&field))?,
                )
                .and_then(|u| u.checked_div(hundred))
                .and_then(|u| u.checked_add(parts.markup_fixed))
                .ok_or_else(|| cx.too_large(&format!("{field}.unit_price")))?;
            let quantity = Decimal::from(part.qty);
            let exact = unit
                .checked_mul(quantity)
                .ok_or_else(|| cx.too_large(&format!("{field}.qty")))?;
            let shown = self.price(catalogue);
            let because = vec![
                match (parts.markup_percent.is_zero(), parts.markup_fixed.is_zero()) {
                    (true, true) => reason!(FeesPart, shown),
                    (false, true) => reason!(
                        FeesPartPercent,
                        shown,
                        parts.markup_percent.normalize(),
                        self.price(unit)
                    ),
                    (true, false) => reason!(
                        FeesPartFixed,
                        shown,
                        self.price(parts.markup_fixed),
                        self.price(unit)
                    ),
                    (false, false) => reason!(
                        FeesPartPercentFixed,
                        shown,
                        parts.markup_percent.normalize(),
                        self.price(parts.markup_fixed),
                        self.price(unit)
                    ),
                },
            ];
            let component = part.component.as_deref().or(cx.fault_component);
            let mut line = self.line(
                LineKind::Part,
                format!(
                    "Part {}{} × {} at {}",
                    part.sku,
                    component.map(|c| format!(" ({c})")).unwrap_or_default(),
                    part.qty,
                    self.price(unit)
                ),
                quantity,
                unit,
                exact,
                because,
            );
            self.settle(cx, &mut line, LineKind::Part, component, None)?;
            charges.lines.push(line);
        }
        Ok(())
    }

    /// A new line: `amount` is `exact` rounded once; nothing covered yet.
    fn line(
        &self,
        kind: LineKind,
        description: String,
        quantity: Decimal,
        unit_price: Decimal,
        exact: Decimal,
        because: Vec<Reason>,
    ) -> FeeLine {
        let amount = self.round(exact);
        FeeLine {
            code: kind.code().to_string(),
            description,
            quantity: Money(quantity_shown(quantity)),
            unit_price: self.price(unit_price),
            amount: Money(amount),
            covered: Money(self.round(Decimal::ZERO)),
            payable: Money(amount),
            covered_by: None,
            because,
        }
    }

    /// Decides who bears a line: a waiver, else the warranty, else the
    /// larger of the plan's and the tier's discount.
    fn settle(
        &self,
        cx: &Context,
        line: &mut FeeLine,
        kind: LineKind,
        component: Option<&str>,
        waiver: Option<Reason>,
    ) -> Result<()> {
        let amount = line.amount.0;
        if let Some(why) = waiver {
            cover(line, amount, "waiver", why);
            return Ok(());
        }
        if warranty_settles(cx, line, amount, component) {
            return Ok(());
        }
        let candidates = self.discounts(cx);
        // (value taken off, covered_by, words, why)
        let mut best: Option<(Decimal, String, Reason, Reason)> = None;
        let mut passed_over: Vec<(Decimal, Reason)> = Vec::new();
        for (prefix, name, words, path, discount) in candidates {
            let who = format!("{prefix}:{name}");
            let (value, why) = if discount.waive.contains(&kind) {
                (
                    amount,
                    reason!(FeesDiscountWaives, words.clone(), kind_term(kind), path),
                )
            } else if let Some(percent) = discount.percent_off.get(&kind) {
                let value = amount
                    .checked_mul(*percent)
                    .and_then(|v| v.checked_div(Decimal::ONE_HUNDRED))
                    .map(|v| self.round(v))
                    .ok_or_else(|| cx.too_large("work"))?;
                (
                    value,
                    reason!(
                        FeesDiscountPercent,
                        words.clone(),
                        percent.normalize(),
                        Money(amount),
                        Money(value),
                        path,
                        kind.code()
                    ),
                )
            } else {
                continue;
            };
            match &best {
                Some((best_value, ..)) if value <= *best_value => passed_over.push((value, words)),
                _ => {
                    if let Some((previous_value, _, previous_words, _)) = best.take() {
                        passed_over.push((previous_value, previous_words));
                    }
                    best = Some((value, who, words, why));
                }
            }
        }
        if let Some((value, who, _, why)) = best {
            cover(line, value, &who, why);
            for (other, words) in passed_over {
                line.because
                    .push(reason!(FeesDiscountPassedOver, words, Money(other)));
            }
        }
        Ok(())
    }

    /// The customer's plan and tier discounts, each as (covered_by
    /// prefix, name, who in words, its path, the discount).
    fn discounts<'s>(&'s self, cx: &Context<'s>) -> Vec<Candidate<'s>> {
        let customer = cx.ticket.customer.as_ref();
        let mut candidates: Vec<Candidate<'s>> = Vec::new();
        if let Some(plan) = customer.and_then(|c| c.plan.as_deref()) {
            if let Some(d) = self.plans.get(plan) {
                candidates.push((
                    "plan",
                    plan,
                    reason!(FeesPlan, plan.to_string()),
                    reason!(FeesPlanPath, plan.to_string()),
                    d,
                ));
            }
        }
        if let Some(tier) = customer.and_then(|c| c.tier.as_deref()) {
            if let Some(d) = self.tiers.get(tier) {
                candidates.push((
                    "tier",
                    tier,
                    reason!(FeesTier, tier.to_string()),
                    reason!(FeesTierPath, tier.to_string()),
                    d,
                ));
            }
        }
        candidates
    }

    /// The multiplier for a line of `kind` whose time is `at`, the highest
    /// of those that apply.
    fn window(
        &self,
        kind: LineKind,
        at: Option<(DateTime<Utc>, Term)>,
        forced_after_hours: bool,
    ) -> Window {
        let Some(m) = &self.multipliers else {
            return Window::none();
        };
        if !m.applies_to.contains(&kind) {
            return Window::none();
        }
        let (found, no_time) = multipliers_found(m, at, forced_after_hours);
        let mut best: Option<&(Decimal, Term, Reason)> = None;
        for candidate in &found {
            if best.is_none_or(|b| candidate.0 > b.0) {
                best = Some(candidate);
            }
        }
        let Some((factor, name, reason)) = best else {
            return Window {
                factor: Decimal::ONE,
                label: None,
                because: no_time.then(|| reason!(FeesNoTime, kind_term(kind))),
            };
        };
        let key = match name {
            Term::Holiday => "holiday",
            _ => "after_hours",
        };
        // At most two multipliers apply (holiday, after hours): one other.
        let because = match found.iter().find(|c| c.1 != *name) {
            None => reason!(FeesMultiplier, key, factor.normalize(), reason.clone()),
            Some(other) => reason!(
                FeesMultiplierAlso,
                key,
                factor.normalize(),
                reason.clone(),
                other.1,
                other.0.normalize()
            ),
        };
        Window {
            factor: *factor,
            label: Some(format!("{} ×{}", name.render(Lang::En), factor.normalize())),
            because: Some(because),
        }
    }

    /// Rounds an amount to the minor unit with the policy's mode.
    pub(super) fn round(&self, amount: Decimal) -> Decimal {
        self.rounding.round(amount, self.minor)
    }

    /// A unit price as shown: exact, with at least the minor unit's places.
    fn price(&self, price: Decimal) -> Money {
        let mut shown = price.normalize();
        if shown.scale() < self.minor {
            shown.rescale(self.minor);
        }
        Money(shown)
    }
}

fn cover(line: &mut FeeLine, covered: Decimal, by: &str, why: Reason) {
    let covered = covered.min(line.amount.0).max(Decimal::ZERO);
    let mut zero = Decimal::ZERO;
    zero.rescale(line.amount.0.scale());
    line.covered = Money(covered);
    line.payable = Money(line.amount.0.checked_sub(covered).unwrap_or(zero));
    line.covered_by = Some(by.to_string());
    line.because.push(why);
}

/// A warranty status as a word of the reasons.
pub(crate) fn status_term(status: WarrantyStatus) -> Term {
    match status {
        WarrantyStatus::InWarranty => Term::InWarranty,
        WarrantyStatus::Expired => Term::Expired,
        WarrantyStatus::Excluded => Term::Excluded,
        WarrantyStatus::StatutoryReturn => Term::StatutoryReturn,
        WarrantyStatus::StatutoryExchange => Term::StatutoryExchange,
        WarrantyStatus::NotApplicable => Term::NotApplicable,
    }
}

/// A line kind as a word of the reasons.
fn kind_term(kind: LineKind) -> Term {
    match kind {
        LineKind::Labor => Term::Labor,
        LineKind::Callout => Term::Callout,
        LineKind::Travel => Term::Travel,
        LineKind::Diagnostic => Term::Diagnostic,
        LineKind::Part => Term::Part,
    }
}

/// Hours as a quantity in a reason: `1.5`, `1`, at most 4 decimal places.
fn hours_shown(ms: i64) -> Decimal {
    quantity_shown(hours_decimal(ms))
}

/// Hours as a decimal: exact when it terminates, else 28 significant digits.
fn hours_decimal(ms: i64) -> Decimal {
    Decimal::from(ms)
        .checked_div(Decimal::from(MS_PER_HOUR))
        .unwrap_or_default()
}

/// Hours as people read them: `1.5`, `1`, at most 4 decimal places.
fn hours_text(ms: i64) -> String {
    quantity_shown(hours_decimal(ms)).to_string()
}

/// A quantity as shown on the bill: no trailing zeros, at most 4 decimal
/// places (an hour count such as 1/6 h does not terminate).
fn quantity_shown(quantity: Decimal) -> Decimal {
    let q = quantity.normalize();
    if q.scale() > 4 {
        q.round_dp(4).normalize()
    } else {
        q
    }
}

impl super::schedule::RateCard {
    /// Whether the card applies to a ticket: every field listed has one of
    /// the card's values. Says which, in words, when it does. Scalar fields
    /// are read natively; any other from the ticket's JSON, built into
    /// `json` on first need.
    pub(super) fn matches(
        &self,
        ticket: &Ticket,
        json: &mut Option<serde_json::Value>,
    ) -> Option<String> {
        use crate::rules::field::{Field, Read, Value};
        let mut words = Vec::with_capacity(self.when.len());
        for (field, path, values) in &self.when {
            let native = Field::resolve_path(path).and_then(|f| match f.read(ticket) {
                Read::NoParent | Read::Value(Value::Unit) => Some(None),
                Read::Value(Value::Str(s)) => Some(Some(s.trim().to_string())),
                Read::Value(Value::Bool(b)) => Some(Some(b.to_string())),
                Read::Value(Value::Int(i)) => Some(Some(i.to_string())),
                // Floats are written as JSON writes them: ask the JSON.
                Read::Value(Value::Float(_) | Value::Other) => None,
            });
            let text = match native {
                Some(text) => text?,
                None => {
                    let mut node: &serde_json::Value = json
                        .get_or_insert_with(|| serde_json::to_value(ticket).unwrap_or_default());
                    for segment in path {
                        node = node.get(segment.as_str())?;
                    }
                    match node {
                        serde_json::Value::String(s) => s.trim().to_string(),
                        serde_json::Value::Bool(_) | serde_json::Value::Number(_) => {
                            node.to_string()
                        }
                        _ => return None,
                    }
                }
            };
            if !values.contains(&text) {
                return None;
            }
            words.push(format!("{field} = {text}"));
        }
        Some(words.join(", "))
    }
}
