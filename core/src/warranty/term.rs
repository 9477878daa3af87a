//! The warranty term: when it starts for a ticket's product, and until when
//! each component is covered once the second end, the days out of service
//! and a replacement have been taken into account.

use super::counting::{
    add_days, is_zero, partial_day_words, period_after, repair_began, repair_days, Counting,
};
use super::spec::{
    ComponentSpec, DateSpec, PartialDay, ProductDate, ReplacementRule, ReplacementSpec, StartSpec,
};
use crate::duration::CalendarPeriod;
use crate::error::{Error, Result};
use crate::reason::{Arg, Code, Reason, Sep, Term};
use crate::ticket::{Product, Ticket};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Parses a calendar period, naming the TOML path when it is bad.
pub(crate) fn period(policy_id: &str, path: &str, text: &str) -> Result<CalendarPeriod> {
    CalendarPeriod::parse(text).map_err(|e| Error::policy(policy_id, path, e))
}

/// A product date moved by a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DateRule {
    pub date: ProductDate,
    pub plus: CalendarPeriod,
    /// TOML path, for `because`.
    pub path: Arc<str>,
}

impl DateRule {
    pub fn compile(policy_id: &str, spec: &DateSpec, path: String) -> Result<DateRule> {
        let plus = match &spec.plus {
            Some(text) => period(policy_id, &format!("{path}.plus"), text)?,
            None => CalendarPeriod::Days(0),
        };
        Ok(DateRule {
            date: spec.date,
            plus,
            path: path.into(),
        })
    }

    /// `product.delivered_on + 60 days`, or just the field.
    pub fn describe(&self) -> Arg {
        if is_zero(self.plus) {
            Arg::Static(self.date.field())
        } else {
            crate::reason!(WarrantyDatePlus, self.date.field(), self.plus).into()
        }
    }
}

/// When the warranty starts, compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StartRule {
    date: ProductDate,
    fallback: Vec<DateRule>,
    no_later_than: Option<DateRule>,
    path: Arc<str>,
}

impl StartRule {
    pub fn compile(policy_id: &str, spec: &StartSpec, path: &str) -> Result<StartRule> {
        let fallback = spec
            .fallback
            .iter()
            .enumerate()
            .map(|(i, f)| DateRule::compile(policy_id, f, format!("{path}.fallback[{i}]")))
            .collect::<Result<Vec<_>>>()?;
        if let Some((i, _)) = fallback
            .iter()
            .enumerate()
            .find(|(_, f)| f.date == spec.date)
        {
            return Err(Error::policy(
                policy_id,
                format!("{path}.fallback[{i}].date"),
                format!(
                    "the fallback is used when the ticket lacks `{}`, so it must name another date",
                    spec.date.field()
                ),
            ));
        }
        let no_later_than = spec
            .no_later_than
            .as_ref()
            .map(|c| DateRule::compile(policy_id, c, format!("{path}.no_later_than")))
            .transpose()?;
        Ok(StartRule {
            date: spec.date,
            fallback,
            no_later_than,
            path: path.into(),
        })
    }

    /// The start date for a product, with `because`; `Err` says why there
    /// is none.
    fn resolve(&self, product: &Product) -> std::result::Result<(NaiveDate, Vec<Reason>), Reason> {
        let mut because: Vec<Reason> = Vec::new();
        let start = match self.date.of(product) {
            Some(date) => {
                because.push(crate::reason!(
                    WarrantyStarts,
                    date,
                    self.date.field(),
                    &self.path
                ));
                date
            }
            None => {
                let found = self
                    .fallback
                    .iter()
                    .find_map(|f| f.date.of(product).map(|d| (f, d)));
                match found {
                    Some((rule, base)) => {
                        let date = period_after(rule.plus, base);
                        let plus =
                            (!is_zero(rule.plus)).then(|| crate::reason!(WarrantyPlus, rule.plus));
                        because.push(crate::reason!(
                            WarrantyStartsFallback,
                            self.date.field(),
                            date,
                            rule.date.field(),
                            base,
                            plus,
                            &rule.path
                        ));
                        date
                    }
                    None => {
                        let fields = std::iter::once(self.date.field())
                            .chain(self.fallback.iter().map(|f| f.date.field()))
                            .map(Arg::Static);
                        return Err(crate::reason!(
                            WarrantyNoStart,
                            Arg::list(fields, Sep::Nor),
                            &self.path
                        ));
                    }
                }
            }
        };
        if let Some(cap) = &self.no_later_than {
            if let Some(base) = cap.date.of(product) {
                let latest = period_after(cap.plus, base);
                if start > latest {
                    because.push(crate::reason!(
                        WarrantyStartsCapped,
                        latest,
                        start,
                        cap.describe(),
                        &cap.path
                    ));
                    return Ok((latest, because));
                }
            }
        }
        Ok((start, because))
    }
}

/// One component's period, compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ComponentRule {
    pub name: String,
    /// `name`, shared by the reasons.
    pub label: Arc<str>,
    /// `PATH.period: free repair within the warranty`, the basis of the
    /// free repair this entry grants.
    pub basis: String,
    pub period: CalendarPeriod,
    pub includes: Vec<String>,
    pub ends_no_later_than: Option<DateRule>,
    /// The component's own start, when it has one.
    pub start: Option<StartRule>,
    /// `warranty.components.NAME` or `warranty.categories.C.components.NAME`.
    pub path: Arc<str>,
}

impl ComponentRule {
    pub fn compile(
        policy_id: &str,
        name: &str,
        spec: &ComponentSpec,
        path: String,
        default_end: Option<&DateRule>,
    ) -> Result<ComponentRule> {
        if name.trim().is_empty() {
            return Err(Error::policy(policy_id, path, "a component needs a name"));
        }
        let period = period(policy_id, &format!("{path}.period"), &spec.period)?;
        for (i, include) in spec.includes.iter().enumerate() {
            if include.trim().is_empty() || include == name {
                return Err(Error::policy(
                    policy_id,
                    format!("{path}.includes[{i}]"),
                    format!("`{include}`: name another fault component than `{name}` itself"),
                ));
            }
        }
        let ends_no_later_than = match &spec.ends_no_later_than {
            Some(end) => Some(DateRule::compile(
                policy_id,
                end,
                format!("{path}.ends_no_later_than"),
            )?),
            None => default_end.cloned(),
        };
        let start = spec
            .start
            .as_ref()
            .map(|s| StartRule::compile(policy_id, s, &format!("{path}.start")))
            .transpose()?;
        Ok(ComponentRule {
            name: name.to_string(),
            label: name.into(),
            basis: format!("{path}.period: free repair within the warranty"),
            period,
            includes: spec.includes.clone(),
            ends_no_later_than,
            start,
            path: path.into(),
        })
    }
}

/// The rules that apply to one product category (or to all products).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Scope {
    pub start: StartRule,
    pub components: Vec<ComponentRule>,
    /// Index into `components` of the component that judges other faults.
    pub default_component: Option<usize>,
    /// `warranty` or `warranty.categories.NAME`.
    pub path: Arc<str>,
}

impl Scope {
    /// Checks that no fault component is claimed by two entries, and finds
    /// the default component.
    pub fn finish(
        policy_id: &str,
        start: StartRule,
        components: BTreeMap<String, ComponentRule>,
        default_component: Option<&str>,
        path: String,
    ) -> Result<Scope> {
        let components: Vec<ComponentRule> = components.into_values().collect();
        let mut claimed: BTreeMap<&str, &str> = BTreeMap::new();
        for component in &components {
            claimed.insert(component.name.as_str(), component.name.as_str());
        }
        for component in &components {
            for (i, include) in component.includes.iter().enumerate() {
                if let Some(other) = claimed.insert(include.as_str(), component.name.as_str()) {
                    return Err(Error::policy(
                        policy_id,
                        format!("{}.includes[{i}]", component.path),
                        format!(
                            "`{include}` is already covered by `{other}`; a fault component \
                             belongs to one entry"
                        ),
                    ));
                }
            }
        }
        let default_component = match default_component {
            Some(name) => Some(components.iter().position(|c| c.name == name).ok_or_else(
                || {
                    Error::policy(
                        policy_id,
                        "warranty.default_component",
                        format!(
                            "`{name}` is not a component in warranty.components{}",
                            if path == "warranty" {
                                String::new()
                            } else {
                                format!(" or {path}.components")
                            }
                        ),
                    )
                },
            )?),
            None => components.iter().position(|c| c.name == "main_unit"),
        };
        Ok(Scope {
            start,
            components,
            default_component,
            path: path.into(),
        })
    }

    /// The component entry that judges the ticket's fault.
    pub fn claimed(&self, ticket: &Ticket) -> Claimed {
        let fault_component = ticket
            .fault
            .as_ref()
            .and_then(|f| f.component.as_deref())
            .map(str::trim)
            .filter(|c| !c.is_empty());
        let Some(name) = fault_component else {
            return match self.default_component {
                Some(index) => Claimed::Entry {
                    index,
                    how: self
                        .components
                        .get(index)
                        .map(|c| crate::reason!(WarrantyJudgedDefault, &c.label)),
                },
                None => Claimed::Whole,
            };
        };
        if let Some(index) = self.components.iter().position(|c| c.name == name) {
            return Claimed::Entry { index, how: None };
        }
        if let Some((index, c)) = self
            .components
            .iter()
            .enumerate()
            .find(|(_, c)| c.includes.iter().any(|i| i == name))
        {
            return Claimed::Entry {
                index,
                how: Some(crate::reason!(
                    WarrantyIncluded,
                    name.to_string(),
                    &c.label,
                    &c.path
                )),
            };
        }
        match self
            .default_component
            .and_then(|i| self.components.get(i).map(|c| (i, c)))
        {
            Some((index, c)) => Claimed::Entry {
                index,
                how: Some(crate::reason!(
                    WarrantyNoEntryDefault,
                    name.to_string(),
                    &c.label
                )),
            },
            None => Claimed::Unlisted(name.to_string()),
        }
    }
}

/// Which entry judges the ticket's fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Claimed {
    /// This entry, and how it was found (`None` when named directly).
    Entry { index: usize, how: Option<Reason> },
    /// The fault's component has no entry and there is no default.
    Unlisted(String),
    /// The fault names no component and there is no default: any covered
    /// component counts.
    Whole,
}

/// Extension by time out of service, compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Extension {
    pub partial_day: PartialDay,
    /// Where the rule comes from, for `because`: the policy's
    /// `warranty.extension`, or `cn-sanbao`.
    pub sanbao: bool,
}

/// What a replacement unit's warranty is, compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Replacement {
    pub rule: ReplacementRule,
    pub minimum: Option<CalendarPeriod>,
}

impl Replacement {
    pub fn compile(policy_id: &str, spec: Option<&ReplacementSpec>) -> Result<Replacement> {
        let Some(spec) = spec else {
            return Ok(Replacement {
                rule: ReplacementRule::Remainder,
                minimum: None,
            });
        };
        let minimum =
            match (&spec.minimum, spec.rule) {
                (Some(text), ReplacementRule::RemainderOrMinimum) => {
                    Some(period(policy_id, "warranty.replacement.minimum", text)?)
                }
                (None, ReplacementRule::RemainderOrMinimum) => return Err(Error::policy(
                    policy_id,
                    "warranty.replacement.minimum",
                    "rule = \"remainder-or-minimum\" needs a minimum, e.g. minimum = \"90 days\"",
                )),
                (Some(_), _) => {
                    return Err(Error::policy(
                        policy_id,
                        "warranty.replacement.minimum",
                        "a minimum is only used with rule = \"remainder-or-minimum\"",
                    ))
                }
                (None, _) => None,
            };
        Ok(Replacement {
            rule: spec.rule,
            minimum,
        })
    }
}

/// The start for one ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Start {
    pub on: NaiveDate,
    pub because: Vec<crate::reason::Reason>,
    /// Whether the periods start again on `replaced_on`.
    pub restarted: bool,
}

/// Finds the start, taking a replacement that restarts the warranty into
/// account. `force_restart` names the statutory rule that restarts it.
pub(crate) fn start(
    scope: &Scope,
    product: &Product,
    replacement: &Replacement,
    force_restart: Option<&'static str>,
) -> std::result::Result<Start, Reason> {
    let restart_source: Option<Arg> = match (replacement.rule, force_restart) {
        (ReplacementRule::Restart, _) => {
            Some(Arg::Static("warranty.replacement.rule = \"restart\""))
        }
        (_, Some(rule)) => Some(crate::reason!(WarrantyRestartRule, rule).into()),
        _ => None,
    };
    if let (Some(replaced_on), Some(source)) = (product.replaced_on, restart_source) {
        return Ok(Start {
            on: replaced_on,
            because: vec![crate::reason!(WarrantyRestart, replaced_on, source)],
            restarted: true,
        });
    }
    let (on, mut because) = scope.start.resolve(product)?;
    if let Some(replaced_on) = product.replaced_on {
        because.push(match replacement.rule {
            ReplacementRule::RemainderOrMinimum => {
                crate::reason!(WarrantyReplacementMinimum, replaced_on)
            }
            _ => crate::reason!(WarrantyReplacementRemainder, replaced_on),
        });
    }
    Ok(Start {
        on,
        because,
        restarted: false,
    })
}

/// One component's cover for one ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ComponentTerm {
    /// The last day of cover; `None` for a component with no warranty.
    pub until: Option<NaiveDate>,
    /// The component's own start, when it has a start rule of its own.
    pub starts_on: Option<NaiveDate>,
    /// The component has a start rule of its own and the ticket lacks its
    /// dates: no decision for it.
    pub no_start: bool,
    pub because: Vec<crate::reason::Reason>,
}

/// Until when a component is covered.
pub(crate) fn component_term(
    rule: &ComponentRule,
    start: &Start,
    ticket: &Ticket,
    product: &Product,
    counting: &Counting,
    extension: Option<&Extension>,
    replacement: &Replacement,
) -> ComponentTerm {
    let name = &rule.label;
    if is_zero(rule.period) {
        return no_period(rule);
    }
    let mut because: Vec<Reason> = Vec::new();
    // A component with its own start event: its periods run from there,
    // unless the whole unit's warranty restarted on a replacement.
    let own_start;
    let start = match (&rule.start, start.restarted) {
        (Some(own), false) => match own.resolve(product) {
            Ok((on, lines)) => {
                because.extend(lines.into_iter().map(|l| component_note(name, l)));
                own_start = Start {
                    on,
                    because: Vec::new(),
                    restarted: false,
                };
                &own_start
            }
            Err(why) => {
                because.push(component_note(name, why));
                return ComponentTerm {
                    until: None,
                    starts_on: None,
                    no_start: true,
                    because,
                };
            }
        },
        _ => start,
    };
    let starts_on = rule.start.as_ref().map(|_| start.on);
    let mut until = counting.last_day(start.on, rule.period);
    because.push(crate::reason!(
        WarrantyPeriod,
        name,
        rule.period,
        start.on,
        until,
        &rule.path
    ));
    if !start.restarted {
        until = ends_no_later_than(rule, product, counting, until, &mut because);
    }
    if let Some(extension) = extension {
        until = extended(name, ticket, start, until, extension, &mut because);
    }
    if !start.restarted {
        until = replacement_floor(name, product, counting, replacement, until, &mut because);
    }
    ComponentTerm {
        until: Some(until),
        starts_on,
        no_start: false,
        because,
    }
}

/// The term of a component whose period is zero: no cover at all.
fn no_period(rule: &ComponentRule) -> ComponentTerm {
    let zero = match rule.period {
        CalendarPeriod::Days(_) => "0 days",
        CalendarPeriod::Months(_) => "0 months",
        CalendarPeriod::Years(_) => "0 years",
    };
    ComponentTerm {
        until: None,
        starts_on: None,
        no_start: false,
        because: vec![crate::reason!(
            WarrantyNoPeriod,
            &rule.label,
            &rule.path,
            zero
        )],
    }
}

/// Brings `until` forward to the component's `ends_no_later_than` bound.
fn ends_no_later_than(
    rule: &ComponentRule,
    product: &Product,
    counting: &Counting,
    until: NaiveDate,
    because: &mut Vec<Reason>,
) -> NaiveDate {
    let name = &rule.label;
    let Some(end) = &rule.ends_no_later_than else {
        return until;
    };
    let Some(base) = end.date.of(product) else {
        because.push(crate::reason!(
            WarrantyNoEndDate,
            name,
            end.date.field(),
            &end.path
        ));
        return until;
    };
    let other = counting.last_day(base, end.plus);
    if other >= until {
        return until;
    }
    because.push(crate::reason!(
        WarrantyEndsEarlier,
        name,
        other,
        end.date.field(),
        base,
        end.plus,
        until,
        &end.path
    ));
    other
}

/// Pushes `until` back by the repair days the extension adds.
fn extended(
    name: &Arc<str>,
    ticket: &Ticket,
    start: &Start,
    until: NaiveDate,
    extension: &Extension,
    because: &mut Vec<Reason>,
) -> NaiveDate {
    let (extended, days, parts) = extend(ticket, start, until, extension.partial_day);
    if days == 0 {
        return until;
    }
    let source: Arg = if extension.sanbao {
        Term::SanbaoExtension.into()
    } else {
        Arg::Static("warranty.extension")
    };
    because.push(crate::reason!(
        WarrantyExtended,
        name,
        Arg::days(i64::try_from(days).unwrap_or(i64::MAX)),
        Arg::list(parts, Sep::Semicolon),
        extended,
        source,
        partial_day_words(extension.partial_day)
    ));
    extended
}

/// Raises `until` to the minimum cover after a replacement, when the rule
/// is "remainder or minimum" and the minimum reaches further.
fn replacement_floor(
    name: &Arc<str>,
    product: &Product,
    counting: &Counting,
    replacement: &Replacement,
    until: NaiveDate,
    because: &mut Vec<Reason>,
) -> NaiveDate {
    let (Some(replaced_on), ReplacementRule::RemainderOrMinimum, Some(minimum)) =
        (product.replaced_on, replacement.rule, replacement.minimum)
    else {
        return until;
    };
    let floor = counting.last_day(replaced_on, minimum);
    if floor > until {
        because.push(crate::reason!(
            WarrantyReplacementFloor,
            name,
            floor,
            replaced_on,
            minimum,
            until
        ));
        floor
    } else {
        because.push(crate::reason!(
            WarrantyRemainderLonger,
            name,
            until,
            replaced_on,
            minimum,
            floor
        ));
        until
    }
}

/// Extends `until` by the repairs in `history` that began inside the
/// period (on or after the start, no later than the end reached so far).
/// Returns the new end, the days added and a description per repair.
fn extend(
    ticket: &Ticket,
    start: &Start,
    until: NaiveDate,
    partial: PartialDay,
) -> (NaiveDate, u64, Vec<Arg>) {
    let Some(history) = &ticket.history else {
        return (until, 0, Vec::new());
    };
    let mut repairs: Vec<(usize, Option<NaiveDate>)> = history
        .repairs
        .iter()
        .enumerate()
        .map(|(i, r)| (i, repair_began(r)))
        .collect();
    repairs.sort_by_key(|(i, began)| (*began, *i));
    let mut end = until;
    let mut total: u64 = 0;
    let mut parts = Vec::new();
    for (i, began) in repairs {
        if let Some(began) = began {
            if began < start.on || began > end {
                continue;
            }
        }
        let Some(repair) = history.repairs.get(i) else {
            continue;
        };
        let Some((days, how)) = repair_days(repair, partial) else {
            continue;
        };
        if days == 0 {
            continue;
        }
        end = add_days(end, i64::from(days));
        total = total.saturating_add(u64::from(days));
        parts.push(crate::reason!(WarrantyRepairDays, i, Arg::days(days), how).into());
    }
    (end, total, parts)
}

/// A line about one component, `battery: …`.
fn component_note(component: &Arc<str>, reason: Reason) -> Reason {
    Reason::coded(
        Code::WarrantyComponentNote,
        vec![Arc::clone(component).into(), reason.into()],
    )
}
