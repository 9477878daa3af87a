//! Working out one ticket's settlement: the refund of a return with its
//! deductions, the return freight, and the statutory payouts.

use super::compile::{Depreciation, Rate, SettlementTerms, FRAUD_55, SANBAO_REFUND};
use super::spec::{Party, ReturnReason};
use super::statement::{Settlement, SettlementLine};
use crate::error::{Error, Result};
use crate::money::Money;
use crate::reason::{Arg, Term};
use crate::ticket::Ticket;
use crate::warranty::spec::{PartialDay, ProductDate};
use crate::warranty::{RemedyKind, WarrantyDecision};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

/// The least `cn-fraud-55` pays, in yuan.
const FRAUD_MINIMUM: Decimal = Decimal::from_parts(500, 0, 0, false, 0);

/// The rule that grants the return of `cn-sanbao` in the warranty decision.
const SANBAO: &str = "cn-sanbao";

/// Returned goods: what was paid for them, line by line.
struct Goods {
    /// (description, units, unit price, amount).
    lines: Vec<(String, u32, Decimal, Decimal)>,
    /// The price paid for everything returned.
    returned: Decimal,
    /// The price paid for everything the customer keeps.
    kept: Decimal,
    /// Whether the customer keeps some units of the order (a partial
    /// return); false when the whole order comes back.
    partial: bool,
}

/// A return being settled: what the steps that refund and deduct share.
struct Refunding<'a> {
    /// The ticket.
    ticket: &'a Ticket,
    /// Why the goods come back.
    reason: ReturnReason,
    /// The goods and what was paid for them.
    goods: &'a Goods,
    /// The instant the settlement is worked out at.
    as_of: DateTime<Utc>,
    /// The refund of the goods not yet deducted: no deduction goes past it.
    left: Decimal,
}

impl SettlementTerms {
    /// The settlement of a ticket at `as_of`, given its warranty decision;
    /// `None` when nothing flows (no return is owed and no payout due).
    pub fn settle(
        &self,
        ticket: &Ticket,
        warranty: &WarrantyDecision,
        as_of: DateTime<Utc>,
    ) -> Result<Option<Settlement>> {
        let mut settlement = Settlement::empty(&self.currency);
        let reason = if crate::warranty::statutory::reports_fault(ticket) {
            ReturnReason::Quality
        } else {
            ReturnReason::ChangeOfMind
        };
        let goods = self
            .goods(ticket)
            .ok_or_else(|| self.too_large(ticket, "order.lines"))?;
        // A return is settled when the ticket asks for one and the decision
        // owes one: as its remedy, or among the remedies the customer may
        // choose (then the customer chose it).
        let asked = ticket.kind.as_deref().map(str::trim) == Some("return");
        let refund = warranty.remedy.as_ref().filter(|r| {
            asked && (r.kind == RemedyKind::Return || r.choices.contains(&RemedyKind::Return))
        });
        if let Some(remedy) = refund {
            let mut refunding = Refunding {
                ticket,
                reason,
                goods: &goods,
                as_of,
                left: goods.returned,
            };
            self.settle_return(&mut settlement, &mut refunding, remedy)?;
        }
        if self.fraud && ticket.order.as_ref().and_then(|o| o.fraud) == Some(true) {
            self.fraud_compensation(&mut settlement, ticket, &goods, refund.is_some())?;
        }
        if settlement.lines.is_empty() && settlement.reason.is_none() {
            return Ok(None);
        }
        let tax = self.sale_tax(ticket);
        self.totals(&mut settlement, tax.as_ref())
            .map_err(|(path, message)| Error::ticket(&ticket.id, path, message))?;
        Ok(Some(settlement))
    }

    /// The ticket error of a sum past the decimal range, at `field`.
    fn too_large(&self, ticket: &Ticket, field: &str) -> Error {
        Error::ticket(
            &ticket.id,
            field,
            crate::money::too_large_message(self.minor),
        )
    }

    /// The return owed by `remedy`: why, the refund of each line, then the
    /// deductions (depreciation, benefits kept, free delivery clawed back)
    /// and the return freight.
    fn settle_return(
        &self,
        settlement: &mut Settlement,
        refunding: &mut Refunding<'_>,
        remedy: &crate::warranty::Remedy,
    ) -> Result<()> {
        let chosen_return = remedy.kind != RemedyKind::Return;
        let reason = refunding.reason;
        settlement.reason = Some(reason);
        settlement.because.push(if chosen_return {
            crate::reason!(SettleChoseReturn, &remedy.rule)
        } else {
            crate::reason!(SettleReturnOwed, &remedy.rule)
        });
        settlement.because.push(match reason {
            ReturnReason::Quality => crate::reason!(SettleQuality),
            ReturnReason::ChangeOfMind => crate::reason!(SettleChangeOfMind),
        });
        let goods = refunding.goods;
        if goods.lines.is_empty() {
            settlement.because.push(crate::reason!(SettleNoPrice));
        }
        for (what, units, unit_price, amount) in &goods.lines {
            settlement.lines.push(SettlementLine {
                code: "refund".to_string(),
                description: format!("Refund: {what} × {units} at {}", Money(*unit_price)),
                to: Party::Customer,
                amount: Money(*amount),
                taxable: true,
                because: vec![crate::reason!(SettlePricePaid, *units)],
            });
        }
        self.deduct_wear(settlement, refunding, &remedy.rule, chosen_return)?;
        if let Some(order) = &refunding.ticket.order {
            self.deduct_benefits(settlement, refunding, order);
            self.claw_back_free_shipping(settlement, refunding, order);
            if let Some(shipping) = &order.return_shipping {
                self.return_freight(settlement, reason, order, shipping);
            }
        }
        Ok(())
    }

    /// The deduction for wear: `cn-sanbao`'s depreciation of a return the
    /// customer chose (a return it grants outright is refunded in full), or
    /// the policy's `[settlement.depreciation]` for the return's reason.
    fn deduct_wear(
        &self,
        settlement: &mut Settlement,
        refunding: &mut Refunding<'_>,
        rule: &str,
        chosen_return: bool,
    ) -> Result<()> {
        let (ticket, goods, as_of) = (refunding.ticket, refunding.goods, refunding.as_of);
        if let Some(rates) = self.sanbao.as_ref().filter(|_| rule == SANBAO) {
            if chosen_return {
                let line = self.sanbao_depreciation(ticket, rates, goods, as_of)?;
                self.deduct(settlement, &mut refunding.left, line);
            } else {
                settlement
                    .because
                    .push(crate::reason!(SettleSanbaoFull, SANBAO_REFUND));
            }
        } else if let Some(depreciation) = self
            .depreciation
            .as_ref()
            .filter(|d| d.reasons.contains(&refunding.reason))
        {
            let line = self.depreciation(ticket, depreciation, goods, as_of)?;
            self.deduct(settlement, &mut refunding.left, line);
        }
        Ok(())
    }

    /// A deduction for each benefit of the order (a gift, points) that the
    /// customer keeps and the policy deducts.
    fn deduct_benefits(
        &self,
        settlement: &mut Settlement,
        refunding: &mut Refunding<'_>,
        order: &crate::ticket::Order,
    ) {
        for (i, benefit) in order.benefits.iter().enumerate() {
            if benefit.returned || !self.deduct_benefits.contains(&benefit.kind) {
                continue;
            }
            let what = benefit
                .description
                .clone()
                .unwrap_or_else(|| benefit.kind.clone());
            let line = SettlementLine {
                code: "benefit".to_string(),
                description: format!("{} not given back: {what}", capitalised(&benefit.kind)),
                to: Party::Seller,
                amount: Money(self.round(benefit.value.0)),
                taxable: true,
                because: vec![crate::reason!(SettleBenefitKept, i, &benefit.kind)],
            };
            self.deduct(settlement, &mut refunding.left, Some(line));
        }
    }

    /// The free delivery the order earned, clawed back when the return
    /// takes what is kept below the threshold (or for the return's reason);
    /// never for a whole return, unless the policy says so.
    fn claw_back_free_shipping(
        &self,
        settlement: &mut Settlement,
        refunding: &mut Refunding<'_>,
        order: &crate::ticket::Order,
    ) {
        let (Some(value), Some(rule)) = (order.free_shipping, &self.free_shipping) else {
            return;
        };
        let (goods, reason) = (refunding.goods, refunding.reason);
        let below = rule.threshold.is_none_or(|t| goods.kept < t);
        let applies = rule.reasons.contains(&reason) && !value.0.is_zero();
        if applies && !goods.partial && !rule.whole_return {
            // Nothing is kept: the order that earned free
            // delivery is undone, not cut below its threshold.
            settlement
                .because
                .push(crate::reason!(SettleFreeShippingWhole));
        } else if applies && below {
            let why = match rule.threshold {
                Some(t) => crate::reason!(SettleFreeShippingBelow, goods.kept, t),
                None => crate::reason!(SettleFreeShippingReturn, reason_term(reason)),
            };
            let line = SettlementLine {
                code: "free_shipping".to_string(),
                description: "Free delivery clawed back".to_string(),
                to: Party::Seller,
                amount: Money(self.round(value.0)),
                taxable: true,
                because: vec![why],
            };
            self.deduct(settlement, &mut refunding.left, Some(line));
        }
    }

    /// The return freight: settled when whoever paid it bears it, else a
    /// line that moves it to the party that bears it (the seller for a
    /// fraud under art. 55, else by the return's reason).
    fn return_freight(
        &self,
        settlement: &mut Settlement,
        reason: ReturnReason,
        order: &crate::ticket::Order,
        shipping: &crate::ticket::ReturnShipping,
    ) {
        // Fraud found under art. 55: the return is the seller's
        // doing, whatever the reason, and the seller bears it.
        let fraud = self.fraud && order.fraud == Some(true);
        let bearer = if fraud {
            Party::Seller
        } else {
            self.freight.get(&reason).copied().unwrap_or(Party::Seller)
        };
        let paid_by = if shipping.paid_by == "seller" {
            Party::Seller
        } else {
            Party::Customer
        };
        let law = match reason {
            ReturnReason::Quality => "CPL art. 24",
            ReturnReason::ChangeOfMind => "CPL art. 25",
        };
        let settled = paid_by == bearer || shipping.cost.0.is_zero();
        if fraud && settled {
            settlement.because.push(crate::reason!(
                SettleFreightFraudSettled,
                FRAUD_55,
                party_term(paid_by),
                shipping.cost
            ));
        } else if settled {
            settlement.because.push(crate::reason!(
                SettleFreightSettled,
                party_term(bearer),
                reason_term(reason),
                law,
                party_term(paid_by),
                shipping.cost
            ));
        } else {
            settlement.lines.push(SettlementLine {
                code: "freight".to_string(),
                description: match paid_by {
                    Party::Customer => "Return freight reimbursed".to_string(),
                    Party::Seller => "Return freight borne by the customer".to_string(),
                },
                to: paid_by,
                amount: Money(self.round(shipping.cost.0)),
                taxable: false,
                because: vec![if fraud {
                    crate::reason!(SettleFreightFraud, FRAUD_55, party_term(paid_by))
                } else {
                    crate::reason!(
                        SettleFreight,
                        party_term(bearer),
                        reason_term(reason),
                        law,
                        party_term(paid_by)
                    )
                }],
            });
        }
    }

    /// `cn-fraud-55`: three times the price paid for the goods concerned
    /// (those returned, else everything bought), at least 500 yuan.
    fn fraud_compensation(
        &self,
        settlement: &mut Settlement,
        ticket: &Ticket,
        goods: &Goods,
        refunded: bool,
    ) -> Result<()> {
        let (base, which) = if refunded && !goods.returned.is_zero() {
            (goods.returned, Term::ReturnedGoods)
        } else {
            (
                crate::money::sum_at(goods.returned, goods.kept, self.minor)
                    .ok_or_else(|| self.too_large(ticket, "order.lines"))?,
                Term::GoodsBought,
            )
        };
        let triple = base
            .checked_mul(Decimal::from(3))
            .ok_or_else(|| self.too_large(ticket, "order.lines"))?;
        let amount = triple.max(FRAUD_MINIMUM);
        settlement.lines.push(SettlementLine {
            code: FRAUD_55.to_string(),
            description: "Compensation for fraud: three times the price paid".to_string(),
            to: Party::Customer,
            amount: Money(self.round(amount)),
            taxable: false,
            because: vec![if triple < FRAUD_MINIMUM {
                crate::reason!(
                    SettleFraudMinimum,
                    FRAUD_55,
                    base,
                    which,
                    self.round(triple)
                )
            } else {
                crate::reason!(SettleFraud, FRAUD_55, base, which, self.round(triple))
            }],
        });
        Ok(())
    }

    /// The returned goods of a ticket: its order's lines, else its
    /// product's price as one unit. `None` when a sum overflows.
    fn goods(&self, ticket: &Ticket) -> Option<Goods> {
        let mut goods = Goods {
            lines: Vec::new(),
            returned: self.round(Decimal::ZERO),
            kept: self.round(Decimal::ZERO),
            partial: false,
        };
        let order_lines = ticket
            .order
            .as_ref()
            .map(|o| o.lines.as_slice())
            .unwrap_or_default();
        if order_lines.is_empty() {
            if let Some(product) = &ticket.product {
                if let Some(price) = product.price {
                    let what = product
                        .model
                        .clone()
                        .unwrap_or_else(|| "the product".into());
                    let amount = self.round_exact(price.0)?;
                    goods.lines.push((what, 1, price.0, amount));
                    goods.returned = amount;
                }
            }
            return Some(goods);
        }
        for line in order_lines {
            let returned = line.returned_qty();
            let kept = line.qty.saturating_sub(returned);
            goods.partial |= kept > 0;
            let kept_amount =
                self.round_exact(line.unit_price.0.checked_mul(Decimal::from(kept))?)?;
            goods.kept = crate::money::sum_at(goods.kept, kept_amount, self.minor)?;
            if returned == 0 {
                continue;
            }
            let amount =
                self.round_exact(line.unit_price.0.checked_mul(Decimal::from(returned))?)?;
            goods.returned = crate::money::sum_at(goods.returned, amount, self.minor)?;
            let what = line.description.clone().unwrap_or_else(|| line.sku.clone());
            goods
                .lines
                .push((what, returned, line.unit_price.0, amount));
        }
        Some(goods)
    }

    /// Adds a deduction from the refund, capped at what is left of it.
    fn deduct(
        &self,
        settlement: &mut Settlement,
        left: &mut Decimal,
        line: Option<SettlementLine>,
    ) {
        let Some(mut line) = line else { return };
        if line.amount.0 > *left {
            line.because.push(crate::reason!(SettleCapped, *left));
            line.amount = Money(*left);
        }
        // Never below zero: the line was capped at what is left.
        *left = left
            .checked_sub(line.amount.0)
            .unwrap_or(Decimal::ZERO)
            .max(Decimal::ZERO);
        if !line.amount.0.is_zero() || line.code == "depreciation" {
            settlement.lines.push(line);
        }
    }

    /// The declared depreciation of returned goods.
    fn depreciation(
        &self,
        ticket: &Ticket,
        rule: &Depreciation,
        goods: &Goods,
        as_of: DateTime<Utc>,
    ) -> Result<Option<SettlementLine>> {
        let (from, since) = use_since(ticket, rule)?;
        let (claim, claim_field) = claim_date(ticket, as_of);
        let (days, repair_days) = days_of_use(
            ticket,
            since,
            claim,
            rule.exclude_repair_days,
            self.partial_day,
        );
        let charged = days.saturating_sub(i64::from(rule.free_days));
        let hundred = Decimal::ONE_HUNDRED;
        let (percent, how) = rate_percent(&rule.rate, days, charged);
        let capped = percent.min(rule.max_percent);
        let amount = goods
            .returned
            .checked_mul(capped)
            .and_then(|a| a.checked_div(hundred))
            .ok_or_else(|| {
                Error::ticket(
                    &ticket.id,
                    "order.lines",
                    "the amount is too large to compute exactly",
                )
            })?;
        let less = if repair_days > 0 {
            crate::reason!(SettleLessRepair, repair_days).into()
        } else {
            Arg::Static("")
        };
        let free = if rule.free_days > 0 {
            crate::reason!(SettleFirstFree, rule.free_days).into()
        } else {
            Arg::Static("")
        };
        let cap = if capped < percent {
            crate::reason!(SettleCappedAt, rule.max_percent.normalize()).into()
        } else {
            Arg::Static("")
        };
        let mut because = vec![crate::reason!(
            SettleDepreciation,
            days,
            from.field(),
            since,
            claim_field,
            claim,
            less,
            free,
            how,
            percent.normalize(),
            cap
        )];
        because.push(crate::reason!(
            SettlePercentOf,
            capped.normalize(),
            goods.returned
        ));
        Ok(Some(SettlementLine {
            code: "depreciation".to_string(),
            description: format!("Depreciation for {days} days of use"),
            to: Party::Seller,
            amount: Money(self.round(amount)),
            taxable: true,
            because,
        }))
    }

    /// The depreciation of a three-guarantees return after failed repairs
    /// (art. 13): invoice price × daily rate × days from the invoice to the
    /// return, less the days in repair.
    fn sanbao_depreciation(
        &self,
        ticket: &Ticket,
        rates: &super::compile::SanbaoRefund,
        goods: &Goods,
        as_of: DateTime<Utc>,
    ) -> Result<Option<SettlementLine>> {
        let Some(since) = ticket.product.as_ref().and_then(|p| p.purchased_on) else {
            return Err(Error::ticket(
                &ticket.id,
                "product.purchased_on",
                "the three-guarantees depreciation counts from the invoice date, which the \
                 ticket does not give",
            ));
        };
        let category = ticket.product.as_ref().and_then(|p| p.category.as_deref());
        let (daily, whose) = match category.and_then(|c| rates.categories.get(c).map(|r| (c, r))) {
            Some((c, rate)) => (*rate, crate::reason!(SettleCategoryRate, c.to_string())),
            None => (rates.daily_percent, crate::reason!(SettleDailyRate)),
        };
        let (claim, claim_field) = claim_date(ticket, as_of);
        let (days, repair_days) = days_of_use(ticket, since, claim, true, self.partial_day);
        let hundred = Decimal::ONE_HUNDRED;
        let percent = daily
            .checked_mul(Decimal::from(days))
            .unwrap_or(hundred)
            .min(hundred);
        let amount = goods
            .returned
            .checked_mul(percent)
            .and_then(|a| a.checked_div(hundred))
            .ok_or_else(|| {
                Error::ticket(
                    &ticket.id,
                    "order.lines",
                    "the amount is too large to compute exactly",
                )
            })?;
        Ok(Some(SettlementLine {
            code: "depreciation".to_string(),
            description: format!("Depreciation for {days} days of use"),
            to: Party::Seller,
            amount: Money(self.round(amount)),
            taxable: true,
            because: vec![
                crate::reason!(
                    SettleSanbaoDepreciation,
                    SANBAO_REFUND,
                    since,
                    claim_field,
                    claim,
                    repair_days,
                    days,
                    daily.normalize(),
                    whose,
                    percent.normalize()
                ),
                crate::reason!(SettlePercentOf, percent.normalize(), goods.returned),
            ],
        }))
    }
}

/// The date goods came back: a `return_received` event up to `as_of`, else
/// the ticket's opening (the claim), in the offset the CRM sent.
fn claim_date(ticket: &Ticket, as_of: DateTime<Utc>) -> (NaiveDate, &'static str) {
    ticket
        .events
        .iter()
        .filter(|e| e.kind == "return_received" && e.at_utc() <= as_of)
        .map(|e| e.at.date_naive())
        .min()
        .map(|d| (d, "the return's receipt"))
        .unwrap_or((ticket.opened_at.date_naive(), "the claim"))
}

/// Days of use from `since` to `claim` (the day of `since` not counted),
/// less the days in repair when asked; and those days in repair. A
/// repair's days are counted as the warranty counts them
/// ([`crate::warranty::days_out_of_service`]: `days_in_repair`, else its
/// instants under the `partial` rule, else its dates).
fn days_of_use(
    ticket: &Ticket,
    since: NaiveDate,
    claim: NaiveDate,
    exclude_repairs: bool,
    partial: PartialDay,
) -> (i64, i64) {
    let days = claim.signed_duration_since(since).num_days().max(0);
    if !exclude_repairs {
        return (days, 0);
    }
    let repair: i64 = ticket
        .history
        .as_ref()
        .map(|h| {
            h.repairs
                .iter()
                .filter_map(|r| crate::warranty::days_out_of_service(r, partial))
                .map(i64::from)
                .fold(0_i64, i64::saturating_add)
        })
        .unwrap_or(0);
    (days.saturating_sub(repair).max(0), repair)
}

fn reason_term(reason: ReturnReason) -> Term {
    match reason {
        ReturnReason::Quality => Term::Quality,
        ReturnReason::ChangeOfMind => Term::ChangeOfMind,
    }
}

fn party_term(party: Party) -> Term {
    match party {
        Party::Customer => Term::Customer,
        Party::Seller => Term::Seller,
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The date use is counted from and its field: the rule's date (the
/// delivery date by default, then the purchase date when none is named).
fn use_since(ticket: &Ticket, rule: &Depreciation) -> Result<(ProductDate, NaiveDate)> {
    let dates = [rule.from.unwrap_or(ProductDate::DeliveredOn)];
    let fallback = if rule.from.is_none() {
        vec![ProductDate::PurchasedOn]
    } else {
        Vec::new()
    };
    dates
        .iter()
        .chain(&fallback)
        .find_map(|d| Some((*d, d.of(ticket.product.as_ref()?)?)))
        .ok_or_else(|| {
            Error::ticket(
                &ticket.id,
                rule.from.unwrap_or(ProductDate::DeliveredOn).field(),
                "the depreciation of a return counts use from this date, which the ticket \
                 does not give",
            )
        })
}

/// The percent of the goods a rate takes after `days` of use, `charged`
/// of them past the free days, and how it was reached.
fn rate_percent(rate: &Rate, days: i64, charged: i64) -> (Decimal, crate::reason::Reason) {
    let hundred = Decimal::ONE_HUNDRED;
    match rate {
        Rate::PerDay(p) => (
            p.checked_mul(Decimal::from(charged)).unwrap_or(hundred),
            crate::reason!(SettlePerDay, charged, p.normalize()),
        ),
        Rate::PerMonth(p) => {
            let months = (charged + 29) / 30;
            (
                p.checked_mul(Decimal::from(months)).unwrap_or(hundred),
                crate::reason!(SettlePerMonth, months, charged, p.normalize()),
            )
        }
        Rate::Schedule(steps) => {
            let step = steps
                .iter()
                .rev()
                .find(|(from_day, _)| i64::from(*from_day) <= days);
            match step {
                Some((from_day, p)) => (
                    *p,
                    crate::reason!(SettleScheduleStep, *from_day, p.normalize()),
                ),
                None => (Decimal::ZERO, crate::reason!(SettleBeforeSchedule)),
            }
        }
    }
}
