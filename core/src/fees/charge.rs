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
use super::schedule::{Discount, FeeSchedule, LineKind};
use super::spec::Number;
use crate::duration::format_human;
use crate::error::{Error, Result};
use crate::money::Money;
use crate::ticket::{Ticket, Work};
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
    work_started: Option<(DateTime<Utc>, &'static str)>,
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

/// The multiplier chosen for one line.
struct Window {
    factor: Decimal,
    /// `after hours ×1.5`, for the description.
    label: Option<String>,
    because: Option<String>,
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
        let value = serde_json::to_value(ticket).unwrap_or_default();
        for (i, card) in self.cards.iter().enumerate() {
            if let Some(matched) = card.matches(&value) {
                let mut charges = card.schedule.charge_with_prices(ticket, warranty)?;
                charges.rate_card = Some(card.name.clone());
                charges.because.insert(
                    0,
                    format!(
                        "rate card `{}` (fees.rate_cards[{i}]): {matched}",
                        card.name
                    ),
                );
                return Ok(charges);
            }
        }
        let mut charges = self.charge_with_prices(ticket, warranty)?;
        charges.because.insert(
            0,
            "no rate card matches the ticket: the default [fees] prices".to_string(),
        );
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
            charges
                .because
                .push("the ticket reports no work: nothing to bill".into());
            self.totals(&mut charges)
                .map_err(|(field, message)| Error::ticket(&ticket.id, field, message))?;
            return Ok(charges);
        };
        let work_started = work
            .labor_started_at
            .map(|t| (t.to_utc(), "the start of the work, work.labor_started_at"))
            .or_else(|| {
                work.visits
                    .iter()
                    .filter_map(|v| v.at)
                    .map(|t| t.to_utc())
                    .min()
                    .map(|t| (t, "the start of the work, the first visit's arrival"))
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
        let mut because = vec![format!(
            "[fees.diagnostic]: fee {}",
            self.price(diagnostic.fee)
        )];
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
            .then(|| {
                "waived: the customer accepted the repair \
                 ([fees.diagnostic].waived_when_repair_accepted)"
                    .to_string()
            });
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

    fn bill_visits(&self, cx: &Context, work: &Work, charges: &mut Charges) -> Result<()> {
        if work.visits.is_empty() {
            return Ok(());
        }
        let Some(callout) = &self.callout else {
            charges.because.push(format!(
                "{} visit(s) not billed: the policy has no [fees.callout]",
                work.visits.len()
            ));
            return Ok(());
        };
        let customer_zone = cx.ticket.customer.as_ref().and_then(|c| c.zone.as_deref());
        for (i, visit) in work.visits.iter().enumerate() {
            let field = format!("work.visits[{i}]");
            let (given, source) = match (&visit.zone, customer_zone) {
                (Some(z), _) => (Some(z.as_str()), format!("{field}.zone")),
                (None, Some(z)) => (Some(z), "customer.zone".to_string()),
                (None, None) => (None, String::new()),
            };
            let mut because = Vec::new();
            let zone_name = match given {
                Some(z) if callout.zones.contains_key(z) => {
                    because.push(format!("[fees.callout.zones.{z}]: zone {z} ({source})"));
                    z.to_string()
                }
                other => {
                    let Some(default) = &callout.default_zone else {
                        let known: Vec<&str> = callout.zones.keys().map(String::as_str).collect();
                        let (field, message) = match other {
                            Some(z) => (
                                source,
                                format!(
                                    "no call-out fee for zone `{z}`: [fees.callout.zones] lists {} \
                                     and there is no default_zone",
                                    known.join(", ")
                                ),
                            ),
                            None => (
                                format!("{field}.zone"),
                                "no zone: neither the visit nor customer.zone names one, and \
                                 [fees.callout] has no default_zone"
                                    .to_string(),
                            ),
                        };
                        return Err(Error::ticket(&cx.ticket.id, field, message));
                    };
                    because.push(match other {
                        Some(z) => format!(
                            "zone `{z}` ({source}) is not listed: default zone {default} \
                             ([fees.callout].default_zone)"
                        ),
                        None => format!(
                            "no zone given: default zone {default} ([fees.callout].default_zone)"
                        ),
                    });
                    default.clone()
                }
            };
            let Some(zone) = callout.zones.get(&zone_name) else {
                continue; // unreachable: the name was checked above
            };
            let arrival = visit
                .at
                .map(|t| (t.to_utc(), "the visit's arrival, work.visits[].at"));

            let window = self.window(LineKind::Callout, arrival, cx.forced_after_hours);
            let unit = zone
                .fee
                .checked_mul(window.factor)
                .ok_or_else(|| cx.too_large(&field))?;
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
            let mut travel = None;
            if let Some(per_km) = zone.per_km {
                match visit.distance_km {
                    None => line
                        .because
                        .push(format!("{field}.distance_km not given: no travel billed")),
                    Some(distance) => {
                        let beyond = distance
                            .0
                            .checked_sub(zone.included_km)
                            .ok_or_else(|| cx.too_large(&format!("{field}.distance_km")))?;
                        if beyond > Decimal::ZERO {
                            let window =
                                self.window(LineKind::Travel, arrival, cx.forced_after_hours);
                            let unit = per_km
                                .checked_mul(window.factor)
                                .ok_or_else(|| cx.too_large(&field))?;
                            let exact = beyond
                                .checked_mul(unit)
                                .ok_or_else(|| cx.too_large(&format!("{field}.distance_km")))?;
                            let mut because = vec![format!(
                                "[fees.callout.zones.{zone_name}]: {} km travelled, {} km included, \
                                 {} km beyond at {}/km",
                                distance.0.normalize(),
                                zone.included_km.normalize(),
                                beyond.normalize(),
                                self.price(per_km)
                            )];
                            because.extend(window.because.clone());
                            let mut line = self.line(
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
                            self.settle(cx, &mut line, LineKind::Travel, cx.fault_component, None)?;
                            travel = Some(line);
                        } else {
                            line.because.push(format!(
                                "{} km travelled, within the {} km included",
                                distance.0.normalize(),
                                zone.included_km.normalize()
                            ));
                        }
                    }
                }
            }
            charges.lines.push(line);
            charges.lines.extend(travel);
        }
        Ok(())
    }

    fn bill_labor(&self, cx: &Context, work: &Work, charges: &mut Charges) -> Result<()> {
        let Some(worked) = work.labor.filter(|d| d.0 > chrono::TimeDelta::zero()) else {
            return Ok(());
        };
        let Some(labor) = &self.labor else {
            charges.because.push(format!(
                "work.labor {} not billed: the policy has no [fees.labor]",
                format_human(worked.0)
            ));
            return Ok(());
        };
        let field = "work.labor";
        let worked_ms = worked.0.num_milliseconds();
        let (billed_ms, how) = if worked_ms <= labor.minimum_ms {
            (labor.minimum_ms, "the minimum".to_string())
        } else {
            match labor.increment_ms {
                None if labor.minimum_ms > 0 => (
                    worked_ms,
                    format!(
                        "above the minimum of {} h, as worked",
                        hours_text(labor.minimum_ms)
                    ),
                ),
                None => (worked_ms, "as worked".to_string()),
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
                        format!(
                            "minimum {} h, then {} h steps, rounded up",
                            hours_text(labor.minimum_ms),
                            hours_text(step)
                        )
                    } else {
                        format!("{} h steps, rounded up", hours_text(step))
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
        let mut because = vec![format!(
            "[fees.labor]: {} worked, billed {} h ({how}) at {}/h",
            format_human(worked.0),
            hours_text(billed_ms),
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
            charges.because.push(format!(
                "{} part line(s) not billed: the policy has no [fees.parts]",
                work.parts.len()
            ));
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
            let mut markup = Vec::new();
            if !parts.markup_percent.is_zero() {
                markup.push(format!("{}%", parts.markup_percent.normalize()));
            }
            if !parts.markup_fixed.is_zero() {
                markup.push(format!("{} per unit", self.price(parts.markup_fixed)));
            }
            let because = vec![if markup.is_empty() {
                format!(
                    "[fees.parts]: catalogue price {}, no markup",
                    self.price(catalogue)
                )
            } else {
                format!(
                    "[fees.parts]: catalogue price {} + {} = {}",
                    self.price(catalogue),
                    markup.join(" + "),
                    self.price(unit)
                )
            }];
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
        because: Vec<String>,
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
        waiver: Option<String>,
    ) -> Result<()> {
        let amount = line.amount.0;
        if let Some(why) = waiver {
            cover(line, amount, "waiver", why);
            return Ok(());
        }
        if cx.warranty.covers(component) {
            let what = match component {
                Some(c) => match cx.warranty.judged_by(c) {
                    Some(entry) if entry.component != c.trim() => {
                        format!("component `{c}` is in warranty (as `{}`)", entry.component)
                    }
                    _ => format!("component `{c}` is in warranty"),
                },
                None => "the unit is in warranty".to_string(),
            };
            cover(
                line,
                amount,
                "warranty",
                format!("covered by the warranty: {what}"),
            );
            return Ok(());
        }
        match (cx.warranty.status, component) {
            (WarrantyStatus::NotApplicable, _) => {}
            (WarrantyStatus::InWarranty, Some(c)) => line
                .because
                .push(format!("not covered: the warranty does not cover `{c}`")),
            (WarrantyStatus::InWarranty, None) => line
                .because
                .push("not covered: no component of the unit is covered".into()),
            (status, _) => line
                .because
                .push(format!("not covered: warranty {}", status_word(status))),
        }

        let customer = cx.ticket.customer.as_ref();
        let mut candidates: Vec<(String, String, &Discount)> = Vec::new();
        if let Some(plan) = customer.and_then(|c| c.plan.as_deref()) {
            if let Some(d) = self.plans.get(plan) {
                candidates.push((format!("plan:{plan}"), format!("fees.plans.{plan}"), d));
            }
        }
        if let Some(tier) = customer.and_then(|c| c.tier.as_deref()) {
            if let Some(d) = self.tiers.get(tier) {
                candidates.push((format!("tier:{tier}"), format!("fees.tiers.{tier}"), d));
            }
        }
        // (value taken off, covered_by, words, why)
        let mut best: Option<(Decimal, String, String, String)> = None;
        let mut passed_over: Vec<(Decimal, String)> = Vec::new();
        for (who, path, discount) in candidates {
            let words = who.replacen(':', " `", 1) + "`";
            let (value, why) = if discount.waive.contains(&kind) {
                (
                    amount,
                    format!("{words} waives {kind} lines ([{path}].waive)"),
                )
            } else if let Some(percent) = discount.percent_off.get(&kind) {
                let value = amount
                    .checked_mul(*percent)
                    .and_then(|v| v.checked_div(Decimal::ONE_HUNDRED))
                    .map(|v| self.round(v))
                    .ok_or_else(|| cx.too_large("work"))?;
                (
                    value,
                    format!(
                        "{words}: {}% off {} = {} ([{path}].percent_off.{kind})",
                        percent.normalize(),
                        Money(amount),
                        Money(value)
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
                line.because.push(format!(
                    "{words} would take {} off: not added, discounts do not stack, the larger applies",
                    Money(other)
                ));
            }
        }
        Ok(())
    }

    /// The multiplier for a line of `kind` whose time is `at`, the highest
    /// of those that apply.
    fn window(
        &self,
        kind: LineKind,
        at: Option<(DateTime<Utc>, &'static str)>,
        forced_after_hours: bool,
    ) -> Window {
        let Some(m) = &self.multipliers else {
            return Window::none();
        };
        if !m.applies_to.contains(&kind) {
            return Window::none();
        }
        // (factor, name, reason); holiday first so that it wins a tie.
        let mut found: Vec<(Decimal, &str, String)> = Vec::new();
        let mut no_time = false;
        match (&m.calendar, at) {
            (Some(calendar), Some((t, what))) => {
                let local = calendar.zone().local(t);
                if let Some(factor) = m.holiday {
                    if calendar.is_holiday(t) {
                        let date = local.date();
                        let name = calendar
                            .holiday_name(date)
                            .map(|n| format!(" ({n})"))
                            .unwrap_or_default();
                        found.push((
                            factor,
                            "holiday",
                            format!(
                                "{date}{name} is a holiday on calendar `{}` ({what})",
                                calendar.name()
                            ),
                        ));
                    }
                }
                if let Some(factor) = m.after_hours {
                    if forced_after_hours {
                        found.push((
                            factor,
                            "after hours",
                            "work.after_hours is set by the CRM".to_string(),
                        ));
                    } else if !calendar.is_open(t) {
                        found.push((
                            factor,
                            "after hours",
                            format!(
                                "calendar `{}` is closed at {} ({what})",
                                calendar.name(),
                                local.format("%Y-%m-%d %H:%M")
                            ),
                        ));
                    }
                }
            }
            (calendar, _) => {
                no_time = calendar.is_some();
                if let (Some(factor), true) = (m.after_hours, forced_after_hours) {
                    found.push((
                        factor,
                        "after hours",
                        "work.after_hours is set by the CRM".to_string(),
                    ));
                }
            }
        }
        let mut best: Option<&(Decimal, &str, String)> = None;
        for candidate in &found {
            if best.is_none_or(|b| candidate.0 > b.0) {
                best = Some(candidate);
            }
        }
        let Some((factor, name, reason)) = best else {
            return Window {
                factor: Decimal::ONE,
                label: None,
                because: no_time.then(|| {
                    format!(
                        "[fees.multipliers]: no time for this {kind} line, so the calendar \
                         decides no multiplier"
                    )
                }),
            };
        };
        let mut because = format!(
            "[fees.multipliers].{} ×{}: {reason}",
            name.replace(' ', "_"),
            factor.normalize()
        );
        let others: Vec<String> = found
            .iter()
            .filter(|c| c.1 != *name)
            .map(|c| format!("{} ×{}", c.1, c.0.normalize()))
            .collect();
        if !others.is_empty() {
            because.push_str(&format!(
                "; {} also applies, the highest factor is used",
                others.join(", ")
            ));
        }
        Window {
            factor: *factor,
            label: Some(format!("{name} ×{}", factor.normalize())),
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

fn cover(line: &mut FeeLine, covered: Decimal, by: &str, why: String) {
    let covered = covered.min(line.amount.0).max(Decimal::ZERO);
    let mut zero = Decimal::ZERO;
    zero.rescale(line.amount.0.scale());
    line.covered = Money(covered);
    line.payable = Money(line.amount.0.checked_sub(covered).unwrap_or(zero));
    line.covered_by = Some(by.to_string());
    line.because.push(why);
}

fn status_word(status: WarrantyStatus) -> &'static str {
    match status {
        WarrantyStatus::InWarranty => "in warranty",
        WarrantyStatus::Expired => "expired",
        WarrantyStatus::Excluded => "excluded",
        WarrantyStatus::StatutoryReturn => "statutory return",
        WarrantyStatus::StatutoryExchange => "statutory exchange",
        WarrantyStatus::NotApplicable => "not applicable",
    }
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
    /// Whether the card applies to a ticket (its JSON): every field listed
    /// has one of the card's values. Says which, in words, when it does.
    pub(super) fn matches(&self, ticket: &serde_json::Value) -> Option<String> {
        let mut words = Vec::with_capacity(self.when.len());
        for (field, path, values) in &self.when {
            let mut node = ticket;
            for segment in path {
                node = node.get(segment.as_str())?;
            }
            let text = match node {
                serde_json::Value::String(s) => s.trim().to_string(),
                serde_json::Value::Bool(_) | serde_json::Value::Number(_) => node.to_string(),
                _ => return None,
            };
            if !values.contains(&text) {
                return None;
            }
            words.push(format!("{field} = {text}"));
        }
        Some(words.join(", "))
    }
}
