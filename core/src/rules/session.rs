//! One evaluation's rule calls: the ticket as rules see it (converted once,
//! as it stood at `as_of`), the rule context, and the trace of every rule
//! that fired. Each domain's run-time code calls its rules through it.

use super::view::TicketView;
use super::{RuleContext, Rules};
use crate::error::{Error, Result};
use crate::reason::{HasReasons, SetAside};
use crate::ticket::Ticket;
use chrono::{DateTime, Utc};
use rhai::Dynamic;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// One rule that fired, in order.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct TraceEntry {
    /// The rule: a Rhai function (`severity()`) or a TOML path (`targets[2].when`).
    pub rule: String,
    /// What it gave.
    pub result: String,
}

/// The state of one evaluation's rule calls.
pub(crate) struct Session<'a> {
    /// The policy's compiled rules.
    pub rules: &'a Rules,
    /// The policy's id, for errors.
    pub policy: &'a str,
    /// The ticket evaluated.
    pub ticket: &'a Ticket,
    /// The evaluation instant.
    pub as_of: DateTime<Utc>,
    /// What every rule sees besides its arguments.
    pub context: RuleContext,
    value: Option<Dynamic>,
    trace: Option<Vec<TraceEntry>>,
}

impl<'a> Session<'a> {
    /// A session for `ticket` at `as_of`; `trace` records every rule that fires.
    pub fn new(
        rules: &'a Rules,
        policy: &'a str,
        ticket: &'a Ticket,
        as_of: DateTime<Utc>,
        context: RuleContext,
        trace: bool,
    ) -> Session<'a> {
        Session {
            rules,
            policy,
            ticket,
            as_of,
            context,
            value: None,
            trace: trace.then(Vec::new),
        }
    }

    /// Records a rule that fired; formats nothing unless a trace was asked for.
    pub fn record(&mut self, rule: impl std::fmt::Display, result: impl std::fmt::Display) {
        if let Some(trace) = self.trace.as_mut() {
            trace.push(TraceEntry {
                rule: rule.to_string(),
                result: result.to_string(),
            });
        }
    }

    /// The trace recorded so far (empty unless asked for).
    pub fn take_trace(&mut self) -> Vec<TraceEntry> {
        self.trace.take().unwrap_or_default()
    }

    /// The ticket as Rhai sees it (as it stood at `as_of`), converted on
    /// first use and then shared.
    pub fn ticket_value(&mut self) -> Dynamic {
        if let Some(value) = &self.value {
            return value.clone();
        }
        let seen = as_it_stood(self.ticket, self.as_of).into_owned();
        let value = Dynamic::from(TicketView::new(std::sync::Arc::new(seen)));
        self.value = Some(value.clone());
        value
    }

    /// Calls a script function.
    pub fn call(&self, function: &str, args: Vec<Dynamic>) -> Result<Dynamic> {
        self.rules.call(self.context, function, args)
    }

    /// A condition's value (`when`, a table row) as true or false;
    /// anything else fails the evaluation with an error naming the
    /// condition at `path`.
    pub fn truth(
        &self,
        value: &Dynamic,
        path: impl std::fmt::Display,
        source: &str,
    ) -> Result<bool> {
        value.as_bool().map_err(|kind| Error::Rule {
            policy: self.policy.to_string(),
            function: path.to_string(),
            location: crate::Location::default(),
            message: format!("`{source}` gave a {kind}, not true or false"),
        })
    }

    /// An error in what rule `function` returned, located at the
    /// function's definition in the script.
    pub fn rule_error(&self, function: &str, message: String) -> Error {
        Error::Rule {
            policy: self.policy.to_string(),
            function: format!("{function}()"),
            location: self.rules.function_location(function),
            message,
        }
    }

    /// Runs a hook `fn NAME(ticket, value)`: `()` keeps the value, a map
    /// replaces it. The rule sees every reason as `#{code, args}`; a
    /// reason it returns unchanged is the reason it was shown (see
    /// [`crate::reason::SetAside`]).
    pub fn hook<T>(&mut self, rule: &str, value: &T) -> Result<Option<T>>
    where
        T: Serialize + serde::de::DeserializeOwned + Clone + HasReasons,
    {
        let ticket = self.ticket_value();
        let (masked, aside) = SetAside::new(value);
        let argument = to_rhai(&masked)
            .and_then(|shown| aside.show(shown))
            .map_err(|m| self.rule_error(rule, m))?;
        let result = self.call(rule, vec![ticket, argument])?;
        let label = format!("{rule}()");
        if result.is_unit() {
            self.record(&label, "() (kept)");
            return Ok(None);
        }
        self.record(&label, "changed");
        let result = decimals_to_strings(result);
        let mut new: T =
            serde_path_to_error::deserialize(rhai::serde::DynamicDeserializer::new(&result))
                .map_err(|e| {
                    let path = e.path().to_string();
                    let at = if path == "." {
                        String::new()
                    } else {
                        format!(" at `{path}`")
                    };
                    self.rule_error(
                        rule,
                        format!(
                            "returned a value that is not a valid result{at}: {}",
                            e.inner()
                        ),
                    )
                })?;
        aside.restore(&mut new);
        Ok(Some(new))
    }
}

/// The ticket as it stood at `as_of`: events after it had not happened yet,
/// so rules, conditions and properties do not see them (replay).
pub(crate) fn as_it_stood(ticket: &Ticket, as_of: DateTime<Utc>) -> Cow<'_, Ticket> {
    if ticket.events.iter().all(|e| e.at_utc() <= as_of) {
        return Cow::Borrowed(ticket);
    }
    let mut seen = ticket.clone();
    seen.events.retain(|e| e.at_utc() <= as_of);
    Cow::Owned(seen)
}

/// A value as Rhai sees it (money as decimal strings, dates as ISO strings).
pub(crate) fn to_rhai<T: Serialize>(value: &T) -> std::result::Result<Dynamic, String> {
    rhai::serde::to_dynamic(value).map_err(|e| format!("cannot be shown to rules: {e}"))
}

/// A value as Rhai sees it, every reason in it as `#{code, args}` (see
/// [`crate::reason::SetAside`]).
pub(crate) fn shown_to_rules<T: Serialize + Clone + HasReasons>(
    value: &T,
) -> std::result::Result<Dynamic, String> {
    let (masked, aside) = SetAside::new(value);
    aside.show(to_rhai(&masked)?)
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

/// A ticket field by path, as text (`product.category`, `channel`,
/// `attributes.segment`), read as rules read it.
pub(crate) fn field_value(ticket: &Dynamic, path: &[String]) -> Option<String> {
    ticket.read_lock::<TicketView>()?.text_at(path)
}
