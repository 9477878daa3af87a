//! Evaluation: one ticket at one `as_of` instant, every decision with the
//! rule that made it. Assembles severity, SLA clocks, warranty, charges and
//! credits into the [`Evaluation`] shape of the specification.

use crate::credits::Credit;
use crate::duration::{format_iso, ServiceDuration};
use crate::error::{Error, Result};
use crate::fees::{Charges, FeeLine};
use crate::money::Money;
use crate::policy::Policy;
use crate::rules::{as_text, ticket_value, RuleContext};
use crate::settlement::Settlement;
use crate::sla::{
    in_zone, run_cycle, Change, ClockEvent, ClockInput, Cycle, Dimension, Metric, MetricResult,
    MetricStatus, ResolvedTarget, TargetRule,
};
use crate::ticket::Ticket;
use crate::warranty::WarrantyDecision;
use crate::Zone;
use chrono::{DateTime, FixedOffset, Utc};
use rayon::prelude::*;
use rhai::Dynamic;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;

/// The policy an evaluation was made with.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
pub struct PolicyRef {
    /// Policy id.
    pub id: String,
    /// Policy version.
    pub version: String,
    /// `sha256:` digest of the policy's canonical source.
    pub digest: String,
}

/// The severity decision.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
pub struct SeverityDecision {
    /// The level at `as_of`.
    pub level: String,
    /// Why.
    pub because: Vec<String>,
}

/// One rule that fired, in order.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
pub struct TraceEntry {
    /// The rule: a Rhai function (`severity()`) or a TOML path (`targets[2].when`).
    pub rule: String,
    /// What it gave.
    pub result: String,
}

/// The answer for one ticket at one instant.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Evaluation {
    /// Ticket id.
    pub ticket: String,
    /// The policy that made it.
    pub policy: PolicyRef,
    /// The evaluation instant, at the policy's offset.
    pub as_of: DateTime<FixedOffset>,
    /// Severity.
    pub severity: SeverityDecision,
    /// One entry per metric, in manifest order.
    pub sla: Vec<MetricResult>,
    /// Warranty decision.
    pub warranty: WarrantyDecision,
    /// The bill, when the policy has a fee schedule.
    pub charges: Option<Charges>,
    /// Money both ways beside the bill: the refund of a return with its
    /// deductions, the return freight and statutory payouts, and who pays
    /// whom; absent when the policy has no `[settlement]` or nothing flows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settlement: Option<Settlement>,
    /// Credits owed for breaches.
    pub credits: Vec<Credit>,
    /// Every rule that fired, in order, when asked for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trace: Vec<TraceEntry>,
}

impl Evaluation {
    /// The result of a metric by name.
    pub fn metric(&self, name: &str) -> Option<&MetricResult> {
        self.sla.iter().find(|m| m.metric == name)
    }
}

/// What to include in an evaluation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EvaluateOptions {
    /// Record every rule that fired in `trace`.
    pub trace: bool,
}

/// State of one evaluation: the ticket's Rhai value, the rule context, the trace.
struct Run<'a> {
    policy: &'a Policy,
    ticket: &'a Ticket,
    as_of: DateTime<Utc>,
    value: Option<Dynamic>,
    context: RuleContext,
    trace: Option<Vec<TraceEntry>>,
}

impl Run<'_> {
    /// Records a rule that fired; formats nothing unless a trace was asked for.
    fn record(&mut self, rule: impl std::fmt::Display, result: impl std::fmt::Display) {
        if let Some(trace) = self.trace.as_mut() {
            trace.push(TraceEntry {
                rule: rule.to_string(),
                result: result.to_string(),
            });
        }
    }

    /// The ticket as Rhai sees it (as it stood at `as_of`), converted on
    /// first use and then shared.
    fn ticket_value(&mut self) -> Result<Dynamic> {
        if let Some(value) = &self.value {
            return Ok(value.clone());
        }
        let value = ticket_value(&as_it_stood(self.ticket, self.as_of))?;
        self.value = Some(value.clone());
        Ok(value)
    }

    fn show(&self, t: DateTime<Utc>) -> DateTime<FixedOffset> {
        show_in(self.policy.zone(), t)
    }
}

/// The ticket as it stood at `as_of`: events after it had not happened yet,
/// so rules, conditions and properties do not see them (replay).
fn as_it_stood(ticket: &Ticket, as_of: DateTime<Utc>) -> Cow<'_, Ticket> {
    if ticket.events.iter().all(|e| e.at_utc() <= as_of) {
        return Cow::Borrowed(ticket);
    }
    let mut seen = ticket.clone();
    seen.events.retain(|e| e.at_utc() <= as_of);
    Cow::Owned(seen)
}

fn show_in(zone: Zone, t: DateTime<Utc>) -> DateTime<FixedOffset> {
    match zone {
        Zone::Floating => t.fixed_offset(),
        Zone::Tz(tz) => in_zone(&tz, t),
    }
}

impl Policy {
    /// Evaluates a ticket at `as_of`.
    pub fn evaluate(&self, ticket: &Ticket, as_of: DateTime<Utc>) -> Result<Evaluation> {
        self.evaluate_with(ticket, as_of, EvaluateOptions::default())
    }

    /// Evaluates tickets in parallel; one bad ticket yields an error in its
    /// place and the others are evaluated. Each ticket is evaluated on its
    /// own: caps that span tickets (credits per customer per month) are the
    /// [`crate::Portfolio`]'s.
    pub fn evaluate_many(
        &self,
        tickets: &[Ticket],
        as_of: DateTime<Utc>,
    ) -> Vec<Result<Evaluation>> {
        self.evaluate_many_with(tickets, as_of, EvaluateOptions::default())
    }

    /// [`Policy::evaluate_many`] with options.
    pub fn evaluate_many_with(
        &self,
        tickets: &[Ticket],
        as_of: DateTime<Utc>,
        options: EvaluateOptions,
    ) -> Vec<Result<Evaluation>> {
        tickets
            .par_iter()
            .map(|ticket| self.evaluate_with(ticket, as_of, options))
            .collect()
    }

    /// Evaluates a ticket at `as_of` with options (e.g. a trace).
    pub fn evaluate_with(
        &self,
        ticket: &Ticket,
        as_of: DateTime<Utc>,
        options: EvaluateOptions,
    ) -> Result<Evaluation> {
        ticket.validate()?;
        crate::calendar::range::check(as_of).map_err(|m| Error::ticket(&ticket.id, "as_of", m))?;
        let inner = &self.inner;
        for (i, event) in ticket.events.iter().enumerate() {
            if !inner.known_events.contains(&event.kind) {
                return Err(Error::ticket(
                    &ticket.id,
                    format!("events[{i}].kind"),
                    format!(
                        "unknown event kind `{}`; this policy knows {}",
                        event.kind,
                        inner
                            .known_events
                            .iter()
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        }
        let mut run = Run {
            policy: self,
            ticket,
            as_of,
            value: None,
            context: RuleContext {
                today: inner.zone.local(as_of).date(),
            },
            trace: options.trace.then(Vec::new),
        };

        // Events up to as_of, sorted (stable), the implicit `opened` first;
        // a ticket evaluated before it opened has no events yet.
        let mut events: Vec<ClockEvent<'_>> = Vec::with_capacity(ticket.events.len() + 1);
        if ticket.opened_at_utc() <= as_of {
            events.push(ClockEvent {
                index: None,
                at: ticket.opened_at_utc(),
                kind: "opened",
                attributes: None,
            });
        }
        let mut indexed: Vec<(usize, &crate::ticket::Event)> =
            ticket.events.iter().enumerate().collect();
        indexed.sort_by_key(|(_, e)| e.at_utc());
        events.extend(
            indexed
                .iter()
                .filter(|(_, e)| e.at_utc() <= as_of)
                .map(|(i, e)| ClockEvent {
                    index: Some(*i),
                    at: e.at_utc(),
                    kind: e.kind.as_str(),
                    attributes: Some(&e.attributes),
                }),
        );

        let (initial, mut because) = self.initial_severity(&mut run)?;
        let initial_tier = ticket
            .customer
            .as_ref()
            .and_then(|c| c.tier.clone())
            .unwrap_or_default();
        let (severity_changes, same_levels) =
            self.changes(ticket, &events, "severity_changed", &initial, true)?;
        let (tier_changes, _) =
            self.changes(ticket, &events, "tier_changed", &initial_tier, false)?;
        let level = severity_changes
            .last()
            .map(|c| c.to.clone())
            .unwrap_or_else(|| initial.clone());
        for change in &severity_changes {
            because.push(format!(
                "changed to {} at {}",
                change.to,
                run.show(change.at).to_rfc3339()
            ));
        }
        for (at, to) in same_levels {
            because.push(format!(
                "`severity_changed` to {to} at {}: already {to}, not a change",
                run.show(at).to_rfc3339()
            ));
        }
        let timelines = Timelines {
            severity: (initial, severity_changes),
            tier: (initial_tier, tier_changes),
        };

        let mut sla = Vec::with_capacity(inner.metrics.len());
        for metric in &inner.metrics {
            sla.push(self.metric(&mut run, metric, &events, &timelines, &level, as_of)?);
        }
        let warranty = self.warranty(&mut run)?;
        let charges = self.charges(&mut run, &warranty)?;
        let settlement = self.settlement(&mut run, &warranty)?;
        let credits = self.credits(&mut run, &sla)?;

        Ok(Evaluation {
            ticket: ticket.id.clone(),
            policy: PolicyRef {
                id: inner.id.clone(),
                version: inner.version.clone(),
                digest: inner.digest.clone(),
            },
            as_of: run.show(as_of),
            severity: SeverityDecision { level, because },
            sla,
            warranty,
            charges,
            settlement,
            credits,
            trace: run.trace.take().unwrap_or_default(),
        })
    }

    /// The warranty decision, then the policy's warranty rule, if any.
    fn warranty(&self, run: &mut Run<'_>) -> Result<WarrantyDecision> {
        let Some(warranty) = &self.inner.warranty else {
            return Ok(WarrantyDecision::not_applicable(
                "the policy has no [warranty] section",
            ));
        };
        let decision = warranty.decide(run.ticket, run.context.today);
        let Some(rule) = self
            .inner
            .manifest
            .warranty
            .as_ref()
            .and_then(|w| w.rule.as_deref())
        else {
            return Ok(decision);
        };
        let changed: Option<WarrantyDecision> = self.hook(run, rule, &decision)?;
        Ok(match changed {
            None => decision,
            Some(mut new) => {
                if new.status != decision.status {
                    new.because.push(format!(
                        "rule {rule}() changed the status from {} to {}",
                        status_word(&decision.status),
                        status_word(&new.status)
                    ));
                } else if new != decision {
                    new.because
                        .push(format!("rule {rule}() changed the decision"));
                }
                new
            }
        })
    }

    /// The bill, then the policy's fee rule, if any; totals worked out again after a rule.
    fn charges(&self, run: &mut Run<'_>, warranty: &WarrantyDecision) -> Result<Option<Charges>> {
        let Some(schedule) = &self.inner.fees else {
            return Ok(None);
        };
        let charges = schedule.charge(run.ticket, warranty)?;
        let Some(rule) = self
            .inner
            .manifest
            .fees
            .as_ref()
            .and_then(|f| f.rule.as_deref())
        else {
            return Ok(Some(charges));
        };
        let Some(mut new) = self.hook::<Charges>(run, rule, &charges)? else {
            return Ok(Some(charges));
        };
        let key = |l: &FeeLine| (l.code.clone(), l.description.clone());
        for line in &mut new.lines {
            match charges.lines.iter().find(|old| key(old) == key(line)) {
                None => line.because.push(format!("added by rule {rule}()")),
                Some(old) if old != line => line.because.push(format!("changed by rule {rule}()")),
                Some(_) => {}
            }
        }
        for old in &charges.lines {
            if !new.lines.iter().any(|l| key(l) == key(old)) {
                new.because.push(format!(
                    "rule {rule}() removed the line {} ({})",
                    old.code, old.description
                ));
            }
        }
        schedule.retotal(&mut new).map_err(|e| match e {
            Error::Rule {
                policy,
                location,
                message,
                ..
            } => Error::Rule {
                policy,
                function: format!("{rule}()"),
                location,
                message,
            },
            other => other,
        })?;
        Ok(Some(new))
    }

    /// The settlement, then the policy's settlement rule, if any; totals
    /// worked out again after a rule. The rule sees an empty settlement
    /// when nothing flows, and may add lines to it.
    fn settlement(
        &self,
        run: &mut Run<'_>,
        warranty: &WarrantyDecision,
    ) -> Result<Option<Settlement>> {
        let Some(terms) = &self.inner.settlement else {
            return Ok(None);
        };
        let settled = terms.settle(run.ticket, warranty, run.as_of)?;
        let Some(rule) = self
            .inner
            .manifest
            .settlement
            .as_ref()
            .and_then(|s| s.rule.as_deref())
        else {
            return Ok(settled);
        };
        let shown = settled
            .clone()
            .unwrap_or_else(|| Settlement::empty(&self.inner.currency));
        let Some(mut new) = self.hook::<Settlement>(run, rule, &shown)? else {
            return Ok(settled);
        };
        if new == shown {
            return Ok(settled);
        }
        let key = |l: &crate::settlement::SettlementLine| (l.code.clone(), l.description.clone());
        for line in &mut new.lines {
            match shown.lines.iter().find(|old| key(old) == key(line)) {
                None => line.because.push(format!("added by rule {rule}()")),
                Some(old) if old != line => line.because.push(format!("changed by rule {rule}()")),
                Some(_) => {}
            }
        }
        for old in &shown.lines {
            if !new.lines.iter().any(|l| key(l) == key(old)) {
                new.because.push(format!(
                    "rule {rule}() removed the line {} ({})",
                    old.code, old.description
                ));
            }
        }
        terms.retotal(&mut new).map_err(|e| match e {
            Error::Rule {
                policy,
                location,
                message,
                ..
            } => Error::Rule {
                policy,
                function: format!("{rule}()"),
                location,
                message,
            },
            other => other,
        })?;
        Ok(Some(new))
    }

    /// Credits from the `[[credits]]` data, and from their rules.
    fn credits(&self, run: &mut Run<'_>, sla: &[MetricResult]) -> Result<Vec<Credit>> {
        let rules = &self.inner.credits;
        let mut credits = rules.credits(run.ticket, sla)?;
        for entry in rules.rule_entries_for(run.ticket) {
            let Some(metric) = sla.iter().find(|m| m.metric == entry.metric) else {
                continue;
            };
            let breached = metric
                .cycles
                .iter()
                .chain([&metric.current])
                .any(|c| c.status == MetricStatus::Breached);
            if !breached {
                continue;
            }
            let value = run.ticket_value()?;
            let metric_value = to_rhai(metric).map_err(|m| self.rule_error(entry.function, m))?;
            let result =
                self.inner
                    .rules
                    .call(run.context, entry.function, vec![value, metric_value])?;
            let label = format!("{}()", entry.function);
            run.record(&label, &result);
            let (amount, reason) = match result.clone().try_cast::<rhai::Array>() {
                Some(array) => (
                    array.first().cloned().unwrap_or(Dynamic::UNIT),
                    array.get(1).and_then(as_text),
                ),
                None => (result, None),
            };
            if amount.is_unit() {
                continue;
            }
            let amount = if let Some(d) = amount.clone().try_cast::<rust_decimal::Decimal>() {
                Money(d)
            } else if let Ok(i) = amount.as_int() {
                Money(rust_decimal::Decimal::from(i))
            } else if amount.is_string() {
                Money::parse(&amount.to_string()).map_err(|m| self.rule_error(entry.function, m))?
            } else {
                return Err(self.rule_error(
                    entry.function,
                    format!(
                        "returned a {}, not an amount such as money(\"50.00\")",
                        amount.type_name()
                    ),
                ));
            };
            let because = vec![match reason {
                Some(reason) => format!("rule {label}: {reason}"),
                None => format!("rule {label} for the breach of {}", entry.metric),
            }];
            credits.push(rules.credit_from_rule(entry.index, run.ticket, amount, because)?);
        }
        credits.sort_by_key(|c| {
            c.source
                .as_deref()
                .and_then(|s| {
                    s.strip_prefix("credits[")?
                        .strip_suffix(']')?
                        .parse::<usize>()
                        .ok()
                })
                .unwrap_or(usize::MAX)
        });
        Ok(credits)
    }

    /// Runs a hook `fn NAME(ticket, value)`: `()` keeps the value, a map replaces it.
    fn hook<T: Serialize + serde::de::DeserializeOwned>(
        &self,
        run: &mut Run<'_>,
        rule: &str,
        value: &T,
    ) -> Result<Option<T>> {
        let ticket = run.ticket_value()?;
        let argument = to_rhai(value).map_err(|m| self.rule_error(rule, m))?;
        let result = self
            .inner
            .rules
            .call(run.context, rule, vec![ticket, argument])?;
        let label = format!("{rule}()");
        if result.is_unit() {
            run.record(&label, "() (kept)");
            return Ok(None);
        }
        run.record(&label, "changed");
        let result = decimals_to_strings(result);
        rhai::serde::from_dynamic::<T>(&result)
            .map(Some)
            .map_err(|e| {
                self.rule_error(
                    rule,
                    format!("returned a value that is not a valid result: {e}"),
                )
            })
    }

    fn rule_error(&self, function: &str, message: String) -> Error {
        Error::Rule {
            policy: self.inner.id.clone(),
            function: format!("{function}()"),
            location: crate::Location::default(),
            message,
        }
    }

    /// The severity the ticket opened with: given by the CRM, else the rule, else the default.
    fn initial_severity(&self, run: &mut Run<'_>) -> Result<(String, Vec<String>)> {
        let severity = &self.inner.severity;
        if let Some(given) = &run.ticket.severity {
            if !severity.levels.contains(given) {
                return Err(Error::ticket(
                    &run.ticket.id,
                    "severity",
                    format!(
                        "`{given}` is not a level of this policy ({})",
                        severity.levels.join(", ")
                    ),
                ));
            }
            return Ok((given.clone(), vec![format!("{given}: given by the CRM")]));
        }
        if let Some(rule) = &severity.rule {
            let value = run.ticket_value()?;
            let result = self.inner.rules.call(run.context, rule, vec![value])?;
            let (level, reason) = severity_result(&result);
            let label = format!("{rule}()");
            match level {
                Some(level) if severity.levels.contains(&level) => {
                    run.record(&label, &level);
                    let because = match reason {
                        Some(reason) => format!("rule {label}: {reason}"),
                        None => format!("rule {label} classified the ticket as {level}"),
                    };
                    return Ok((level, vec![because]));
                }
                Some(level) => {
                    return Err(Error::Rule {
                        policy: self.inner.id.clone(),
                        function: label,
                        location: crate::Location::default(),
                        message: format!(
                            "returned `{level}`, which is not a level ({})",
                            severity.levels.join(", ")
                        ),
                    })
                }
                None => run.record(&label, "()"),
            }
        }
        Ok((
            severity.default.clone(),
            vec![format!(
                "{}: the default level ([severity] default)",
                severity.default
            )],
        ))
    }

    /// Changes of severity or tier from events (`to` holds the new value),
    /// in event order, each with its position among `events`. A change to
    /// the value already in force is not a change: it is returned apart.
    fn changes(
        &self,
        ticket: &Ticket,
        events: &[ClockEvent<'_>],
        kind: &str,
        initial: &str,
        is_severity: bool,
    ) -> Result<Changes> {
        let mut out: Vec<Change> = Vec::new();
        let mut same = Vec::new();
        for (order, event) in events.iter().enumerate().filter(|(_, e)| e.kind == kind) {
            let index = event.index.unwrap_or(0);
            let to = ticket
                .events
                .get(index)
                .and_then(|e| e.to.clone())
                .ok_or_else(|| {
                    Error::ticket(
                        &ticket.id,
                        format!("events[{index}].to"),
                        format!("a `{kind}` event needs `to`, the new value"),
                    )
                })?;
            if is_severity && !self.inner.severity.levels.contains(&to) {
                return Err(Error::ticket(
                    &ticket.id,
                    format!("events[{index}].to"),
                    format!(
                        "`{to}` is not a level of this policy ({})",
                        self.inner.severity.levels.join(", ")
                    ),
                ));
            }
            let in_force = out.last().map_or(initial, |c| c.to.as_str());
            if to == in_force {
                same.push((event.at, to));
                continue;
            }
            let what = if is_severity { "severity" } else { "tier" };
            out.push(Change {
                at: event.at,
                order,
                label: format!("{what} changed to {to}"),
                to,
            });
        }
        Ok((out, same))
    }

    fn metric(
        &self,
        run: &mut Run<'_>,
        metric: &Metric,
        events: &[ClockEvent<'_>],
        timelines: &Timelines,
        level: &str,
        as_of: DateTime<Utc>,
    ) -> Result<MetricResult> {
        let mut result = MetricResult {
            metric: metric.name.clone(),
            calendar: metric.calendar.name().to_string(),
            target: None,
            current: Cycle::empty(MetricStatus::NotApplicable),
            current_target: None,
            current_deadline: None,
            cycles: Vec::new(),
            because: Vec::new(),
        };
        if let Some((id, source)) = &metric.when {
            let value = run.ticket_value()?;
            let applies = self.inner.rules.evaluate(
                run.context,
                *id,
                vec![value, Dynamic::from(level.to_string())],
            )?;
            let path = self.inner.rules.expression_path(*id).to_string();
            let applies = applies.as_bool().map_err(|kind| Error::Rule {
                policy: self.inner.id.clone(),
                function: path.clone(),
                location: crate::Location::default(),
                message: format!("`{source}` gave a {kind}, not true or false"),
            })?;
            run.record(&path, applies);
            if !applies {
                result
                    .because
                    .push(format!("does not apply: `{source}` is false ({path})"));
                return Ok(result);
            }
        }

        let by_tier = matches!(
            &metric.target,
            TargetRule::Table {
                by: Dimension::Tier,
                ..
            }
        );
        let (initial, changes): (&str, &[Change]) = match &metric.target {
            TargetRule::Table {
                by: Dimension::Tier,
                ..
            } => (&timelines.tier.0, &timelines.tier.1),
            TargetRule::Table {
                by: Dimension::Severity,
                ..
            }
            | TargetRule::Rule(_) => (&timelines.severity.0, &timelines.severity.1),
            _ => (&timelines.severity.0, &[]),
        };
        let cycles = metric.cycles(&run.ticket.id, events)?;
        let mut cache: HashMap<String, ResolvedTarget> = HashMap::new();
        let mut resolve = |key: &str| -> Result<ResolvedTarget> {
            if let Some(hit) = cache.get(key) {
                return Ok(hit.clone());
            }
            let resolved = self.resolve_target(run, metric, key)?;
            cache.insert(key.to_string(), resolved.clone());
            Ok(resolved)
        };

        if cycles.is_empty() {
            let in_force = if by_tier {
                timelines.tier.1.last().map_or(initial, |c| c.to.as_str())
            } else {
                level
            };
            let resolved = resolve(in_force)?;
            result.target = resolved.duration.map(|d| d.to_string());
            result.current = Cycle::empty(if resolved.duration.is_some() {
                MetricStatus::Pending
            } else {
                MetricStatus::NotApplicable
            });
            result.because.push(resolved.because);
            let opened_at = run.ticket.opened_at_utc();
            if resolved.duration.is_some() && opened_at > as_of {
                result.because.push(format!(
                    "the ticket opens at {}, after as_of: no clock has started",
                    run.show(opened_at).to_rfc3339()
                ));
            } else if resolved.duration.is_some() {
                result.because.push(format!(
                    "waiting for `{}` to start the clock",
                    metric.start.join("` or `")
                ));
            }
            return Ok(result);
        }
        let zone = self.zone();
        let output = move |t: DateTime<Utc>| show_in(zone, t);
        let input = ClockInput {
            calendar: &metric.calendar,
            as_of,
            initial,
            changes,
            recompute: metric.recompute,
            breach: metric.breach,
            warn_at: metric.warn_at,
            output_zone: &output,
            location: (&self.inner.id, &metric.path),
        };
        let count = cycles.len();
        for (i, span) in cycles.iter().enumerate() {
            let mut outcome = run_cycle(span, &input, &mut resolve)?;
            // A booked start still ahead: pending, with its deadline shown
            // (unless the metric has no target, and so never applies).
            if span.start > as_of && span.stop.is_none() && outcome.target.is_some() {
                outcome.cycle.status = MetricStatus::Pending;
                outcome.because.push(match &metric.start_at {
                    Some(attribute) => format!(
                        "starts at {}, the booked `{attribute}`",
                        output(span.start).to_rfc3339()
                    ),
                    None => format!("starts at {}", output(span.start).to_rfc3339()),
                });
            }
            if i + 1 == count {
                result.target = outcome.target.map(format_iso);
                result.current_target = outcome.current_target.map(format_iso);
                result.current_deadline = outcome.current_deadline;
                result.current = outcome.cycle;
                result.because.extend(outcome.because);
                if !metric.calendar.is_always_open() {
                    result
                        .because
                        .push(format!("counted on calendar `{}`", metric.calendar.name()));
                }
            } else {
                result.cycles.push(outcome.cycle);
            }
        }
        if metric.repeat && count > 1 {
            let breached = result
                .cycles
                .iter()
                .filter(|c| c.status == MetricStatus::Breached)
                .count();
            result.because.push(format!(
                "cycle {count}; {} earlier cycles, {breached} breached",
                count - 1
            ));
        }
        run.record(
            format_args!("{} ({})", metric.path, metric.name),
            result.current.status,
        );
        Ok(result)
    }

    /// The target of a metric for a severity or tier value.
    fn resolve_target(
        &self,
        run: &mut Run<'_>,
        metric: &Metric,
        key: &str,
    ) -> Result<ResolvedTarget> {
        let path = &metric.path;
        Ok(match &metric.target {
            TargetRule::None => ResolvedTarget {
                duration: None,
                because: format!("`{}` has no target in this policy ({path})", metric.name),
            },
            TargetRule::Fixed(d, because) => ResolvedTarget {
                duration: Some(*d),
                because: because.clone(),
            },
            TargetRule::Table {
                by,
                entries,
                fallback,
            } => {
                let key = match by {
                    Dimension::Field(field) => {
                        field_value(&run.ticket_value()?, field).unwrap_or_default()
                    }
                    _ => key.to_string(),
                };
                match (entries.get(&key), fallback) {
                    (Some((d, because)), _) => ResolvedTarget {
                        duration: Some(*d),
                        because: because.clone(),
                    },
                    (None, Some(d)) => ResolvedTarget {
                        duration: Some(*d),
                        because: format!("target {d} for {} {key}: {path}.target.\"*\"", by.name()),
                    },
                    (None, None) => ResolvedTarget {
                        duration: None,
                        because: format!(
                            "no target for {} `{key}` in {path}.target: `{}` does not apply",
                            by.name(),
                            metric.name
                        ),
                    },
                }
            }
            TargetRule::Rule(function) => {
                let value = run.ticket_value()?;
                let result = self.inner.rules.call(
                    run.context,
                    function,
                    vec![value, Dynamic::from(key.to_string())],
                )?;
                let label = format!("{function}()");
                let text = as_text(&result);
                run.record(&label, text.as_deref().unwrap_or("()"));
                let rule_error = |message: String| Error::Rule {
                    policy: self.inner.id.clone(),
                    function: label.clone(),
                    location: crate::Location::default(),
                    message,
                };
                match text {
                    None => ResolvedTarget {
                        duration: None,
                        because: format!(
                            "rule {label} gives no target for severity {key}: does not apply"
                        ),
                    },
                    Some(_) if !result.is_string() => {
                        return Err(rule_error(format!(
                            "returned a {}, not a duration such as hours(2) or \"2h\"",
                            result.type_name()
                        )))
                    }
                    Some(text) => {
                        let d = ServiceDuration::parse_non_negative(&text)
                            .map_err(|m| rule_error(format!("returned {m}")))?;
                        ResolvedTarget {
                            duration: Some(d),
                            because: format!("target {d}: rule {label} for severity {key}"),
                        }
                    }
                }
            }
        })
    }
}

/// Changes that change something, and those to the value already in force
/// (when, to what), which change nothing.
type Changes = (Vec<Change>, Vec<(DateTime<Utc>, String)>);

/// Severity and tier over time: the value the ticket opened with, then its
/// changes in event order.
struct Timelines {
    severity: (String, Vec<Change>),
    tier: (String, Vec<Change>),
}

/// A ticket field by path, as text (`product.category`, `channel`,
/// `attributes.segment`), read from the ticket's Rhai map, which the
/// evaluation builds once and rules share.
fn field_value(node: &Dynamic, path: &[String]) -> Option<String> {
    let Some((first, rest)) = path.split_first() else {
        return as_text(node);
    };
    let map = node.read_lock::<rhai::Map>()?;
    field_value(map.get(first.as_str())?, rest)
}

/// Reads a severity rule's result: `"critical"`, `["critical", "why"]` or
/// `#{level: "critical", because: "why"}`.
fn severity_result(value: &Dynamic) -> (Option<String>, Option<String>) {
    if let Some(array) = value.clone().try_cast::<rhai::Array>() {
        let mut items = array.iter().map(as_text);
        return (items.next().flatten(), items.next().flatten());
    }
    if let Some(map) = value.clone().try_cast::<rhai::Map>() {
        return (
            map.get("level").and_then(as_text),
            map.get("because").and_then(as_text),
        );
    }
    (as_text(value), None)
}

/// A value as Rhai sees it (money as decimal strings, dates as ISO strings).
fn to_rhai<T: Serialize>(value: &T) -> std::result::Result<Dynamic, String> {
    rhai::serde::to_dynamic(value).map_err(|e| format!("cannot be shown to rules: {e}"))
}

/// Rules compute money as decimals; the evaluation's shapes read money as
/// decimal strings. Converts every decimal in a rule's result to its string.
fn decimals_to_strings(value: Dynamic) -> Dynamic {
    // `try_cast_result` hands the value back unchanged when the type differs,
    // so nothing is copied on the way down.
    let value = match value.try_cast_result::<rust_decimal::Decimal>() {
        Ok(d) => return Dynamic::from(d.to_string()),
        Err(value) => value,
    };
    let value = match value.try_cast_result::<rhai::Map>() {
        Ok(map) => {
            return Dynamic::from_map(
                map.into_iter()
                    .map(|(k, v)| (k, decimals_to_strings(v)))
                    .collect(),
            )
        }
        Err(value) => value,
    };
    match value.try_cast_result::<rhai::Array>() {
        Ok(array) => Dynamic::from_array(array.into_iter().map(decimals_to_strings).collect()),
        Err(value) => value,
    }
}

fn status_word(status: &crate::warranty::WarrantyStatus) -> String {
    status.as_str().to_string()
}

/// Evaluations are sent across threads.
const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Policy>();
    assert_send_sync::<Evaluation>();
};

/// A `[[properties]]` law that does not hold for a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PropertyViolation {
    /// The property's name.
    pub name: String,
    /// The ticket it fails on.
    pub ticket: String,
    /// The predicate, as written.
    pub holds: String,
}

impl Policy {
    /// Checks the policy's `[[properties]]` against one ticket and its
    /// evaluation; returns the laws that do not hold. Like every rule, a
    /// property sees the ticket as it stood at the evaluation's `as_of`.
    pub fn check_properties(
        &self,
        ticket: &Ticket,
        evaluation: &Evaluation,
    ) -> Result<Vec<PropertyViolation>> {
        let inner = &self.inner;
        if inner.properties.is_empty() {
            return Ok(Vec::new());
        }
        let context = RuleContext {
            today: inner
                .zone
                .local(evaluation.as_of.with_timezone(&Utc))
                .date(),
        };
        let ticket_value =
            ticket_value(&as_it_stood(ticket, evaluation.as_of.with_timezone(&Utc)))?;
        let evaluation_value = rhai::serde::to_dynamic(evaluation)
            .map(|v| v.into_read_only().into_shared())
            .map_err(|e| {
                Error::policy(
                    &inner.id,
                    "properties",
                    format!("cannot show the evaluation to rules: {e}"),
                )
            })?;
        let mut violations = Vec::new();
        for ((name, id), spec) in inner.properties.iter().zip(&inner.manifest.properties) {
            let result = inner.rules.evaluate(
                context,
                *id,
                vec![ticket_value.clone(), evaluation_value.clone()],
            )?;
            if !result.as_bool().unwrap_or(false) {
                violations.push(PropertyViolation {
                    name: name.clone(),
                    ticket: ticket.id.clone(),
                    holds: spec.holds.clone(),
                });
            }
        }
        Ok(violations)
    }
}
