//! Evaluation: one ticket at one `as_of` instant, every decision with the
//! rule that made it. Assembles severity, SLA clocks, warranty, charges and
//! credits into the [`Evaluation`] shape of the specification.

use crate::calendar::show_in;
use crate::credits::Credit;
use crate::error::{Error, Result};
use crate::fees::{Charges, FeeLine};
use crate::policy::Policy;
use crate::reason::{Reason, Rendering};
pub use crate::rules::TraceEntry;
use crate::rules::{as_it_stood, ticket_value, RuleContext, Session};
use crate::settlement::Settlement;
use crate::sla::{clock_events, MetricResult};
use crate::ticket::Ticket;
use crate::warranty::WarrantyDecision;
use chrono::{DateTime, FixedOffset, Utc};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// The policy an evaluation was made with.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
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
#[non_exhaustive]
pub struct SeverityDecision {
    /// The level at `as_of`.
    pub level: String,
    /// Why.
    pub because: Vec<crate::reason::Reason>,
}

/// The answer for one ticket at one instant.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Evaluation {
    /// Ticket id.
    pub ticket: String,
    /// The policy that made it.
    pub policy: PolicyRef,
    /// The evaluation instant, at the policy's offset.
    #[serde(serialize_with = "crate::ticket::time_text::instant")]
    pub as_of: DateTime<FixedOffset>,
    /// The next instant at which the answer's state changes with time
    /// alone: the earliest `next_change_at` of its metrics; null when time
    /// alone changes nothing. Counters (`elapsed`, `remaining`, `overdue`,
    /// `held`) move all the time and are not state; the warranty,
    /// settlement and rules read the date of `as_of`, which this does not
    /// follow (see docs/policy.md, "When the answer next changes").
    #[serde(serialize_with = "crate::ticket::time_text::opt_instant")]
    pub next_change_at: Option<DateTime<FixedOffset>>,
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
    /// How the reasons were rendered, once they are.
    #[serde(skip)]
    #[schemars(skip)]
    rendering: Option<Rendering>,
    /// The credits before the caps that span tickets, kept when a ticket
    /// alone was capped as a portfolio of one, so that a [`crate::Portfolio`]
    /// caps them again given the tickets before it.
    #[serde(skip)]
    #[schemars(skip)]
    uncapped_credits: Option<Vec<Credit>>,
}

impl crate::reason::HasReasons for Evaluation {
    fn reasons_mut(&mut self) -> Vec<&mut crate::reason::Reason> {
        let mut reasons: Vec<&mut crate::reason::Reason> =
            self.severity.because.iter_mut().collect();
        for metric in &mut self.sla {
            reasons.extend(metric.reasons_mut());
        }
        reasons.extend(self.warranty.reasons_mut());
        if let Some(charges) = &mut self.charges {
            reasons.extend(charges.reasons_mut());
        }
        if let Some(settlement) = &mut self.settlement {
            reasons.extend(settlement.reasons_mut());
        }
        for credit in &mut self.credits {
            reasons.extend(credit.because.iter_mut());
        }
        reasons
    }
}

impl Evaluation {
    /// The result of a metric by name.
    pub fn metric(&self, name: &str) -> Option<&MetricResult> {
        self.sla.iter().find(|m| m.metric == name)
    }

    /// Puts every reason of the answer in the form `rendering` asks for:
    /// text in its language, codes (as evaluated), or none. Reasons added
    /// later (by a portfolio's caps) are rendered the same way.
    pub fn render(&mut self, rendering: Rendering) {
        self.rendering = Some(rendering);
        let mut lists: Vec<&mut Vec<Reason>> = vec![&mut self.severity.because];
        lists.extend(self.sla.iter_mut().map(|m| &mut m.because));
        let warranty = &mut self.warranty;
        lists.push(&mut warranty.because);
        lists.extend(warranty.components.iter_mut().map(|c| &mut c.because));
        lists.extend(warranty.replaced_parts.iter_mut().map(|p| &mut p.because));
        if let Some(charges) = &mut self.charges {
            lists.push(&mut charges.because);
            lists.extend(charges.lines.iter_mut().map(|l| &mut l.because));
        }
        if let Some(settlement) = &mut self.settlement {
            lists.push(&mut settlement.because);
            lists.extend(settlement.lines.iter_mut().map(|l| &mut l.because));
        }
        lists.extend(self.credits.iter_mut().map(|c| &mut c.because));
        for list in lists {
            crate::reason::render_all(list, rendering);
        }
    }

    /// The rendering of the reasons, once [`Evaluation::render`] ran.
    pub fn rendering(&self) -> Option<Rendering> {
        self.rendering
    }

    /// The credits as they stood before the caps that span tickets, and
    /// takes them back from the evaluation (see [`crate::Portfolio::add`]).
    pub(crate) fn take_uncapped_credits(&mut self) -> Option<Vec<Credit>> {
        self.uncapped_credits.take()
    }
}

/// What to include in an evaluation, and how its answer is written.
///
/// # Examples
///
/// ```
/// use aftersales::{Because, EvaluateOptions, Lang};
///
/// let policy = aftersales::Policy::from_toml_str(
///     "[policy]\nid = \"small\"\nversion = \"1\"\ntimezone = \"Asia/Shanghai\"\n\
///      [[targets]]\nmetric = \"respond\"\nstop = \"resolved\"\ntarget = \"2h\"\n",
/// )?;
/// let ticket = aftersales::Ticket::from_json(r#"{"id": "T-1", "opened_at": "2026-03-02T09:00:00+08:00"}"#)?;
/// let as_of = "2026-03-02T10:00:00+08:00".parse()?;
/// let options = EvaluateOptions { trace: true, lang: Lang::ZhCn, because: Because::Codes };
/// let evaluation = policy.evaluate_with(&ticket, as_of, options)?;
/// let json = serde_json::to_value(&evaluation)?;
/// assert!(json["sla"][0]["because"][0]["code"].is_string());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EvaluateOptions {
    /// Record every rule that fired in `trace`.
    pub trace: bool,
    /// The language of the reasons (English by default).
    pub lang: crate::reason::Lang,
    /// What `because` carries: text (the default), codes with arguments,
    /// or nothing.
    pub because: crate::reason::Because,
}

impl EvaluateOptions {
    /// How the answer's reasons are written.
    pub fn rendering(&self) -> Rendering {
        Rendering {
            lang: self.lang,
            because: self.because,
        }
    }
}

impl Policy {
    /// Evaluates a ticket at `as_of`.
    ///
    /// # Examples
    ///
    /// ```
    /// use aftersales::{MetricStatus, WarrantyStatus};
    ///
    /// let policy = aftersales::Policy::from_toml_str(
    ///     "[policy]\nid = \"small\"\nversion = \"1\"\ntimezone = \"Asia/Shanghai\"\n\
    ///      [[targets]]\nmetric = \"respond\"\nstop = \"resolved\"\ntarget = \"2h\"\n",
    /// )?;
    /// let ticket = aftersales::Ticket::from_json(r#"{"id": "T-1", "opened_at": "2026-03-02T09:00:00+08:00"}"#)?;
    /// let as_of = "2026-03-02T10:00:00+08:00".parse()?;
    /// let evaluation = policy.evaluate(&ticket, as_of)?;
    /// assert_eq!(evaluation.ticket, "T-1");
    /// assert_eq!(evaluation.sla[0].metric, "respond");
    /// assert_eq!(evaluation.sla[0].current.status, MetricStatus::Running);
    /// assert_eq!(evaluation.warranty.status, WarrantyStatus::NotApplicable);
    /// assert_eq!(evaluation.warranty.status.as_str(), "not_applicable");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
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

    /// Evaluates a ticket at `as_of` with options (a trace, the language
    /// and form of the reasons). The ticket is taken alone: credit caps
    /// that span tickets (per period, per incident) apply as to a
    /// portfolio of one, so what was paid before (as the ticket's own
    /// attributes say) counts, other tickets do not.
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = aftersales::Policy::from_toml_str(
    ///     "[policy]\nid = \"p\"\nversion = \"1\"\ntimezone = \"Asia/Shanghai\"\n\
    ///      [severity]\nlevels = [\"high\", \"normal\"]\ndefault = \"normal\"\n\
    ///      [[severity.table]]\nlevel = \"high\"\nwhen = 'ticket.channel == \"hotline\"'\n",
    /// )?;
    /// let ticket = aftersales::Ticket::from_json(
    ///     r#"{"id": "T-1", "opened_at": "2026-03-02T09:00:00+08:00", "channel": "hotline"}"#,
    /// )?;
    /// let options = aftersales::EvaluateOptions { trace: true, ..Default::default() };
    /// let evaluation = policy.evaluate_with(&ticket, "2026-03-02T10:00:00+08:00".parse()?, options)?;
    /// assert!(evaluation.trace.iter().any(|entry| entry.rule.starts_with("severity")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn evaluate_with(
        &self,
        ticket: &Ticket,
        as_of: DateTime<Utc>,
        options: EvaluateOptions,
    ) -> Result<Evaluation> {
        if self.set.is_some() {
            return self
                .for_ticket(ticket)?
                .evaluate_with(ticket, as_of, options);
        }
        let mut evaluation = self.assess(ticket, as_of, options.trace)?;
        let credits = &self.inner.credits;
        if !evaluation.credits.is_empty() && credits.caps_across_tickets() {
            evaluation.uncapped_credits = Some(evaluation.credits.clone());
            credits.apply_period_caps(
                &mut crate::credits::PeriodLedger::default(),
                ticket,
                &mut evaluation.credits,
            )?;
        }
        evaluation.render(options.rendering());
        Ok(evaluation)
    }

    /// One ticket's evaluation before the caps that span tickets, its
    /// reasons not yet rendered: what a [`crate::Portfolio`] takes.
    pub(crate) fn assess(
        &self,
        ticket: &Ticket,
        as_of: DateTime<Utc>,
        trace: bool,
    ) -> Result<Evaluation> {
        if self.set.is_some() {
            return self.for_ticket(ticket)?.assess(ticket, as_of, trace);
        }
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
            if event.kind == crate::sla::STATUS_EVENT
                && event.to.as_deref().is_none_or(str::is_empty)
            {
                return Err(Error::ticket(
                    &ticket.id,
                    format!("events[{i}].to"),
                    "a `status` event needs `to`, the ticket's new status (a non-empty name)",
                ));
            }
        }
        let context = RuleContext {
            today: inner.zone.local(as_of).date(),
        };
        let mut session = Session::new(&inner.rules, &inner.id, ticket, as_of, context, trace);
        let zone = inner.zone;
        let events = clock_events(ticket, as_of);
        let standing = inner.severity.standing(&mut session, &events, zone)?;
        let mut sla = Vec::with_capacity(inner.metrics.len());
        for metric in &inner.metrics {
            sla.push(metric.evaluate(&mut session, &events, &standing, zone)?);
        }
        let warranty = self.warranty(&mut session)?;
        let charges = self.charges(&mut session, &warranty)?;
        let settlement = self.settlement(&mut session, &warranty)?;
        let credits = inner.credits.evaluate(&mut session, &sla, &warranty)?;

        Ok(Evaluation {
            ticket: ticket.id.clone(),
            policy: PolicyRef {
                id: inner.id.clone(),
                version: inner.version.clone(),
                digest: inner.digest.clone(),
            },
            as_of: show_in(zone, as_of),
            next_change_at: sla.iter().filter_map(|m| m.next_change_at).min(),
            severity: SeverityDecision {
                level: standing.level,
                because: standing.because,
            },
            sla,
            warranty,
            charges,
            settlement,
            credits,
            trace: session.take_trace(),
            rendering: None,
            uncapped_credits: None,
        })
    }

    /// The warranty decision, then the policy's warranty rule, if any.
    fn warranty(&self, session: &mut Session<'_>) -> Result<WarrantyDecision> {
        let Some(warranty) = &self.inner.warranty else {
            return Ok(WarrantyDecision::not_applicable(crate::reason!(
                WarrantyNoSection
            )));
        };
        let decision = warranty.decide(session.ticket, session.context.today);
        let Some(rule) = warranty.rule() else {
            return Ok(decision);
        };
        let changed: Option<WarrantyDecision> = session.hook(rule, &decision)?;
        Ok(match changed {
            None => decision,
            Some(mut new) => {
                if new.status != decision.status {
                    new.because.push(crate::reason!(
                        RuleChangedStatus,
                        rule.to_string(),
                        decision.status,
                        new.status
                    ));
                } else if new != decision {
                    new.because
                        .push(crate::reason!(RuleChangedDecision, rule.to_string()));
                }
                new
            }
        })
    }

    /// The bill, then the policy's fee rule, if any; totals worked out again after a rule.
    fn charges(
        &self,
        session: &mut Session<'_>,
        warranty: &WarrantyDecision,
    ) -> Result<Option<Charges>> {
        let Some(schedule) = &self.inner.fees else {
            return Ok(None);
        };
        let charges = schedule.charge(session.ticket, warranty)?;
        let Some(rule) = schedule.rule() else {
            return Ok(Some(charges));
        };
        let Some(mut new) = session.hook::<Charges>(rule, &charges)? else {
            return Ok(Some(charges));
        };
        let removed = note_rule_edits(
            rule,
            &charges.lines,
            &mut new.lines,
            |l: &FeeLine| (l.code.clone(), l.description.clone()),
            |l: &mut FeeLine| &mut l.because,
        );
        new.because.extend(removed);
        schedule
            .retotal(&mut new)
            .map_err(|e| named_after(rule, e))?;
        Ok(Some(new))
    }

    /// The settlement, then the policy's settlement rule, if any; totals
    /// worked out again after a rule. The rule sees an empty settlement
    /// when nothing flows, and may add lines to it.
    fn settlement(
        &self,
        session: &mut Session<'_>,
        warranty: &WarrantyDecision,
    ) -> Result<Option<Settlement>> {
        let Some(terms) = &self.inner.settlement else {
            return Ok(None);
        };
        let settled = terms.settle(session.ticket, warranty, session.as_of)?;
        let Some(rule) = terms.rule() else {
            return Ok(settled);
        };
        let shown = settled
            .clone()
            .unwrap_or_else(|| Settlement::empty(&self.inner.currency));
        let Some(mut new) = session.hook::<Settlement>(rule, &shown)? else {
            return Ok(settled);
        };
        if new == shown {
            return Ok(settled);
        }
        let removed = note_rule_edits(
            rule,
            &shown.lines,
            &mut new.lines,
            |l: &crate::settlement::SettlementLine| (l.code.clone(), l.description.clone()),
            |l: &mut crate::settlement::SettlementLine| &mut l.because,
        );
        new.because.extend(removed);
        terms
            .retotal(session.ticket, &mut new)
            .map_err(|e| named_after(rule, e))?;
        Ok(Some(new))
    }
}

/// Notes on each line what a rule did to it (added, changed), and returns
/// the notes of the lines it removed. Lines are matched by `key` (their
/// code and description).
fn note_rule_edits<L: PartialEq>(
    rule: &str,
    old: &[L],
    new: &mut [L],
    key: impl Fn(&L) -> (String, String),
    because: impl Fn(&mut L) -> &mut Vec<crate::reason::Reason>,
) -> Vec<crate::reason::Reason> {
    let rule: std::sync::Arc<str> = rule.into();
    for line in new.iter_mut() {
        let note = match old.iter().find(|o| key(o) == key(line)) {
            None => Some(crate::reason!(RuleAddedLine, &rule)),
            Some(o) if o != &*line => Some(crate::reason!(RuleChangedLine, &rule)),
            Some(_) => None,
        };
        if let Some(note) = note {
            because(line).push(note);
        }
    }
    old.iter()
        .filter(|o| !new.iter().any(|l| key(l) == key(o)))
        .map(|o| {
            let (code, description) = key(o);
            crate::reason!(RuleRemovedLine, &rule, code, description)
        })
        .collect()
}

/// A rule error from re-totalling a rule's result, named after the rule.
fn named_after(rule: &str, error: Error) -> Error {
    match error {
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
    }
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
        if self.set.is_some() {
            return self
                .for_ticket(ticket)?
                .check_properties(ticket, evaluation);
        }
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
        let ticket_value = ticket_value(&as_it_stood(ticket, evaluation.as_of.with_timezone(&Utc)));
        let evaluation_value = crate::rules::shown_to_rules(evaluation)
            .map(|v| v.into_read_only().into_shared())
            .map_err(|e| {
                Error::policy(
                    &inner.id,
                    "properties",
                    format!("cannot show the evaluation to rules: {e}"),
                )
            })?;
        let mut violations = Vec::new();
        for property in &inner.properties {
            let result = inner.rules.evaluate(
                context,
                property.id,
                vec![ticket_value.clone(), evaluation_value.clone()],
            )?;
            if !result.as_bool().unwrap_or(false) {
                violations.push(PropertyViolation {
                    name: property.name.clone(),
                    ticket: ticket.id.clone(),
                    holds: property.holds.clone(),
                });
            }
        }
        Ok(violations)
    }
}
