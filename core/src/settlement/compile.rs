//! The compiled settlement terms: a checked [`SettlementSpec`] with every
//! amount a decimal and every statutory rule set known.

use super::spec::{
    DepreciationSpec, FreeShippingSpec, Party, ReturnReason, SanbaoRefundSpec, SettlementSpec,
};
use crate::error::{Error, Result};
use crate::fees::{Number, TaxSpec};
use crate::money::TaxMode;
use crate::money::{minor_units, Rounding};
use crate::warranty::spec::{PartialDay, ProductDate};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// `cn-fraud-55`: Consumer Rights Protection Law art. 55 para. 1.
pub const FRAUD_55: &str = "cn-fraud-55";
/// `cn-sanbao-refund`: the refunds of the three-guarantees return.
pub const SANBAO_REFUND: &str = "cn-sanbao-refund";
/// The rule sets a policy may opt into.
const STATUTORY: [&str; 2] = [FRAUD_55, SANBAO_REFUND];

/// A compiled `[settlement]` table. Immutable, `Send + Sync`.
///
/// [`SettlementTerms::settle`] works out a ticket's settlement;
/// [`SettlementTerms::retotal`] recomputes its totals after a rule.
#[derive(Debug, Clone)]
pub struct SettlementTerms {
    pub(super) policy: String,
    pub(super) currency: String,
    pub(super) minor: u32,
    pub(super) rounding: Rounding,
    pub(super) tax: Option<Tax>,
    pub(super) fraud: bool,
    pub(super) sanbao: Option<SanbaoRefund>,
    pub(super) freight: BTreeMap<ReturnReason, Party>,
    pub(super) deduct_benefits: BTreeSet<String>,
    pub(super) free_shipping: Option<FreeShipping>,
    pub(super) depreciation: Option<Depreciation>,
    /// The `[settlement] rule` hook, a Rhai function `fn NAME(ticket, settlement)`.
    pub(super) rule: Option<String>,
    /// How the warranty counts part of a day out of service
    /// (`[warranty.extension].partial_day`); the days in repair that are
    /// not days of use are counted the same way.
    pub(super) partial_day: PartialDay,
}

#[derive(Debug, Clone)]
pub(super) struct Tax {
    pub percent: Decimal,
    pub mode: TaxMode,
    pub rounding: Rounding,
    /// Whether the rate is the ticket's `order.tax` rather than the policy's.
    pub from_order: bool,
}

#[derive(Debug, Clone)]
pub(super) struct SanbaoRefund {
    pub daily_percent: Decimal,
    pub categories: BTreeMap<String, Decimal>,
}

#[derive(Debug, Clone)]
pub(super) struct FreeShipping {
    pub reasons: BTreeSet<ReturnReason>,
    pub threshold: Option<Decimal>,
    /// Whether a return of the whole order is clawed back too.
    pub whole_return: bool,
}

#[derive(Debug, Clone)]
pub(super) enum Rate {
    PerDay(Decimal),
    PerMonth(Decimal),
    Schedule(Vec<(u32, Decimal)>),
}

#[derive(Debug, Clone)]
pub(super) struct Depreciation {
    pub reasons: BTreeSet<ReturnReason>,
    pub from: Option<ProductDate>,
    pub free_days: u32,
    pub rate: Rate,
    pub max_percent: Decimal,
    pub exclude_repair_days: bool,
}

impl SettlementTerms {
    /// Checks a `[settlement]` table and compiles it for `currency`.
    /// `fee_rounding` and `fee_tax` are the policy's `[fees]` settings,
    /// which the settlement follows unless it states its own tax;
    /// `partial_day` is the warranty's rule for part of a day out of
    /// service (`[warranty.extension].partial_day`), with which the days in
    /// repair are counted as the warranty counts them. An error names the
    /// TOML path.
    pub fn compile(
        policy_id: &str,
        spec: &SettlementSpec,
        currency: &str,
        fee_rounding: Rounding,
        fee_tax: Option<&TaxSpec>,
        partial_day: PartialDay,
    ) -> Result<SettlementTerms> {
        let fail = &|path: &str, message: String| Error::policy(policy_id, path, message);
        let minor = minor_units(currency).ok_or_else(|| {
            fail(
                "policy.currency",
                format!("`{currency}` is not an ISO 4217 currency code; a settlement needs its minor unit"),
            )
        })?;
        let opted = opted_rule_sets(fail, spec)?;
        let fraud = opted.contains(FRAUD_55);
        if fraud && currency != "CNY" {
            return Err(fail(
                "settlement.statutory",
                format!(
                    "`{FRAUD_55}` pays at least 500 yuan: it needs policy.currency = \"CNY\", \
                     not `{currency}`"
                ),
            ));
        }
        let sanbao = compile_sanbao(fail, spec.cn_sanbao_refund.as_ref(), &opted)?;
        let tax = spec
            .tax
            .as_ref()
            .or(fee_tax)
            .map(|t| compile_tax(fail, t, fee_rounding))
            .transpose()?;
        let freight = freight_payers(spec);
        let deduct_benefits = deducted_benefits(fail, spec)?;
        let free_shipping = spec
            .free_shipping
            .as_ref()
            .map(|f| compile_free_shipping(fail, f))
            .transpose()?;
        let depreciation = spec
            .depreciation
            .as_ref()
            .map(|d| compile_depreciation(fail, d))
            .transpose()?;

        Ok(SettlementTerms {
            policy: policy_id.to_string(),
            currency: currency.to_string(),
            minor,
            rounding: fee_rounding,
            tax,
            fraud,
            sanbao,
            freight,
            deduct_benefits,
            free_shipping,
            depreciation,
            rule: spec.rule.clone(),
            partial_day,
        })
    }

    /// The `[settlement] rule` hook, if the policy has one.
    pub(crate) fn rule(&self) -> Option<&str> {
        self.rule.as_deref()
    }

    /// Rounds to the currency's minor unit with the policy's mode.
    pub(super) fn round(&self, amount: Decimal) -> Decimal {
        self.rounding.round(amount, self.minor)
    }

    /// Rounds to exactly the currency's minor unit; `None` when the
    /// decimal type cannot hold the amount there.
    pub(super) fn round_exact(&self, amount: Decimal) -> Option<Decimal> {
        self.rounding.round_exact(amount, self.minor)
    }
}

/// The statutory rule sets `settlement.statutory` opts into; an unknown
/// one is refused.
fn opted_rule_sets<'a>(
    fail: &dyn Fn(&str, String) -> Error,
    spec: &'a SettlementSpec,
) -> Result<BTreeSet<&'a str>> {
    let mut opted = BTreeSet::new();
    for (i, name) in spec.statutory.iter().enumerate() {
        if !STATUTORY.contains(&name.as_str()) {
            return Err(fail(
                &format!("settlement.statutory[{i}]"),
                format!(
                    "unknown rule set `{name}`; the settlement knows {}",
                    STATUTORY.join(", ")
                ),
            ));
        }
        opted.insert(name.as_str());
    }
    Ok(opted)
}

/// Compiles `[settlement.cn_sanbao_refund]`, which goes with opting into
/// `cn-sanbao-refund`: the daily depreciation rate and its categories.
fn compile_sanbao(
    fail: &dyn Fn(&str, String) -> Error,
    spec: Option<&SanbaoRefundSpec>,
    opted: &BTreeSet<&str>,
) -> Result<Option<SanbaoRefund>> {
    match (spec, opted.contains(SANBAO_REFUND)) {
        (None, false) => Ok(None),
        (None, true) => Err(fail(
            "settlement.cn_sanbao_refund",
            format!(
                "`{SANBAO_REFUND}` needs the daily depreciation rate of the product's \
                     catalogue entry: [settlement.cn_sanbao_refund] daily_percent = \"0.1\""
            ),
        )),
        (Some(_), false) => Err(fail(
            "settlement.cn_sanbao_refund",
            format!(
                "settings of a rule set the policy does not opt into; add \
                     \"{SANBAO_REFUND}\" to settlement.statutory"
            ),
        )),
        (Some(s), true) => {
            let path = "settlement.cn_sanbao_refund";
            let daily_percent = percent(fail, &format!("{path}.daily_percent"), s.daily_percent)?;
            let mut categories = BTreeMap::new();
            for (name, rate) in &s.categories {
                categories.insert(
                    name.clone(),
                    percent(fail, &format!("{path}.categories.{name}"), *rate)?,
                );
            }
            Ok(Some(SanbaoRefund {
                daily_percent,
                categories,
            }))
        }
    }
}

/// Compiles the settlement's tax (`[settlement.tax]`, or the fees' one):
/// the rounding is the fees' when left out.
fn compile_tax(
    fail: &dyn Fn(&str, String) -> Error,
    t: &TaxSpec,
    fee_rounding: Rounding,
) -> Result<Tax> {
    Ok(Tax {
        percent: percent(fail, "settlement.tax.percent", t.percent)?,
        mode: t.mode,
        rounding: t.rounding.unwrap_or(fee_rounding),
        from_order: false,
    })
}

/// Who pays the return freight for each reason: the customer for a change
/// of mind, the seller for a quality fault, unless `[settlement.freight]`
/// says otherwise.
fn freight_payers(spec: &SettlementSpec) -> BTreeMap<ReturnReason, Party> {
    let freight = spec.freight.clone().unwrap_or_default();
    BTreeMap::from([
        (
            ReturnReason::ChangeOfMind,
            freight.change_of_mind.unwrap_or(Party::Customer),
        ),
        (
            ReturnReason::Quality,
            freight.quality.unwrap_or(Party::Seller),
        ),
    ])
}

/// The benefit kinds a refund deducts (`gift` and `coupon` when left out).
fn deducted_benefits(
    fail: &dyn Fn(&str, String) -> Error,
    spec: &SettlementSpec,
) -> Result<BTreeSet<String>> {
    Ok(match &spec.benefits {
        None => ["gift", "coupon"].map(String::from).into(),
        Some(b) => {
            for (i, kind) in b.deduct.iter().enumerate() {
                if kind != "gift" && kind != "coupon" {
                    return Err(fail(
                        &format!("settlement.benefits.deduct[{i}]"),
                        format!("unknown benefit kind `{kind}`; use `gift` or `coupon`"),
                    ));
                }
            }
            b.deduct.iter().cloned().collect()
        }
    })
}

/// Compiles `[settlement.free_shipping]`: the reasons, the threshold and
/// whether a whole return is clawed back.
fn compile_free_shipping(
    fail: &dyn Fn(&str, String) -> Error,
    f: &FreeShippingSpec,
) -> Result<FreeShipping> {
    Ok(FreeShipping {
        reasons: f.reasons.iter().copied().collect(),
        threshold: match f.threshold {
            Some(t) if t.0.is_sign_negative() && !t.0.is_zero() => {
                return Err(fail(
                    "settlement.free_shipping.threshold",
                    "must not be negative".into(),
                ))
            }
            t => t.map(|t| t.0),
        },
        whole_return: f.whole_return,
    })
}

/// Compiles `[settlement.depreciation]`: its rate, cap and days.
fn compile_depreciation(
    fail: &dyn Fn(&str, String) -> Error,
    d: &DepreciationSpec,
) -> Result<Depreciation> {
    let path = "settlement.depreciation";
    let given = [
        d.percent_per_day.is_some(),
        d.percent_per_month.is_some(),
        !d.schedule.is_empty(),
    ]
    .iter()
    .filter(|g| **g)
    .count();
    if given != 1 {
        return Err(fail(
            path,
            "give exactly one of percent_per_day, percent_per_month or schedule".into(),
        ));
    }
    let rate = depreciation_rate(fail, path, d)?;
    let max_percent = match d.max_percent {
        None => Decimal::ONE_HUNDRED,
        Some(m) => percent(fail, &format!("{path}.max_percent"), m)?,
    };
    Ok(Depreciation {
        reasons: d.reasons.iter().copied().collect(),
        from: d.from,
        free_days: d.free_days,
        rate,
        max_percent,
        exclude_repair_days: d.exclude_repair_days,
    })
}

/// The rate of `[settlement.depreciation]`: per day, per month or a
/// schedule of steps by increasing day.
fn depreciation_rate(
    fail: &dyn Fn(&str, String) -> Error,
    path: &str,
    d: &DepreciationSpec,
) -> Result<Rate> {
    if let Some(p) = d.percent_per_day {
        Ok(Rate::PerDay(percent(
            fail,
            &format!("{path}.percent_per_day"),
            p,
        )?))
    } else if let Some(p) = d.percent_per_month {
        Ok(Rate::PerMonth(percent(
            fail,
            &format!("{path}.percent_per_month"),
            p,
        )?))
    } else {
        let mut steps = Vec::with_capacity(d.schedule.len());
        let mut last = None;
        for (i, step) in d.schedule.iter().enumerate() {
            if last.is_some_and(|l| step.from_day <= l) {
                return Err(fail(
                    &format!("{path}.schedule[{i}].from_day"),
                    "steps must be listed by increasing from_day".into(),
                ));
            }
            last = Some(step.from_day);
            steps.push((
                step.from_day,
                percent(fail, &format!("{path}.schedule[{i}].percent"), step.percent)?,
            ));
        }
        Ok(Rate::Schedule(steps))
    }
}

/// A percentage between 0 and 100.
fn percent(fail: &dyn Fn(&str, String) -> Error, path: &str, value: Number) -> Result<Decimal> {
    if value.0.is_sign_negative() && !value.0.is_zero() || value.0 > Decimal::ONE_HUNDRED {
        return Err(fail(
            path,
            format!("{value} is not a percentage from 0 to 100"),
        ));
    }
    Ok(value.0)
}
