//! Target resolution: the target of a metric for a severity, a tier or
//! another ticket field, from a fixed value, a table or a rule.

use super::clock::ResolvedTarget;
use super::metric::{Dimension, Metric, TargetRule};
use crate::duration::ServiceDuration;
use crate::error::Result;
use crate::reason::Reason;
use crate::rules::field::Field;
use crate::rules::{as_text, field_value, Session};
use rhai::Dynamic;
use std::collections::BTreeMap;

impl Metric {
    /// The target of the metric for a severity or tier value `key`.
    pub(crate) fn resolve_target(
        &self,
        session: &mut Session<'_>,
        key: &str,
    ) -> Result<ResolvedTarget> {
        match &self.target {
            TargetRule::None => Ok(ResolvedTarget {
                duration: None,
                because: crate::reason!(SlaNoTarget, &self.name, &self.path),
            }),
            TargetRule::Fixed(d, because) => Ok(ResolvedTarget {
                duration: Some(*d),
                because: because.clone(),
            }),
            TargetRule::Table {
                by,
                entries,
                fallback,
            } => {
                let key = dimension_key(session, by, key)?;
                Ok(match (entries.get(&key), fallback) {
                    (Some((d, because)), _) => ResolvedTarget {
                        duration: Some(*d),
                        because: because.clone(),
                    },
                    (None, Some(d)) => ResolvedTarget {
                        duration: Some(*d),
                        because: crate::reason!(SlaTargetFallback, *d, by.arg(), key, &self.path),
                    },
                    (None, None) => ResolvedTarget {
                        duration: None,
                        because: crate::reason!(
                            SlaTableNoTarget,
                            by.arg(),
                            key,
                            &self.path,
                            &self.name
                        ),
                    },
                })
            }
            TargetRule::Table2 { by, entries } => self.two_key_target(session, by, entries, key),
            TargetRule::Rule(function) => rule_target(session, function, key),
        }
    }

    /// The target from a table keyed by two dimensions: the most specific
    /// entry (both keys, the outer with `"*"`, `"*"` with the inner, `"*"`
    /// twice).
    fn two_key_target(
        &self,
        session: &mut Session<'_>,
        by: &(Dimension, Dimension),
        entries: &Table2Entries,
        key: &str,
    ) -> Result<ResolvedTarget> {
        let outer = dimension_key(session, &by.0, key)?;
        let inner = dimension_key(session, &by.1, key)?;
        let star = || "*".to_string();
        let found = [
            (outer.clone(), inner.clone()),
            (outer.clone(), star()),
            (star(), inner.clone()),
            (star(), star()),
        ]
        .into_iter()
        .find_map(|k| entries.get(&k));
        Ok(match found {
            Some((duration, because)) => ResolvedTarget {
                duration: *duration,
                because: because.clone(),
            },
            None => ResolvedTarget {
                duration: None,
                because: crate::reason!(
                    SlaTable2NoTarget,
                    by.0.arg(),
                    outer,
                    by.1.arg(),
                    inner,
                    &self.path,
                    &self.name
                ),
            },
        })
    }
}

/// The entries of a table keyed by two dimensions.
type Table2Entries = BTreeMap<(String, String), (Option<ServiceDuration>, Reason)>;

/// The target a Rhai rule `fn NAME(ticket, severity)` returns for `key`: a
/// duration, or `()` when the metric does not apply.
fn rule_target(session: &mut Session<'_>, function: &str, key: &str) -> Result<ResolvedTarget> {
    let value = session.ticket_value();
    let result = session.call(function, vec![value, Dynamic::from(key.to_string())])?;
    let label = format!("{function}()");
    let text = as_text(&result);
    session.record(&label, text.as_deref().unwrap_or("()"));
    match text {
        None => Ok(ResolvedTarget {
            duration: None,
            because: crate::reason!(SlaRuleNoTarget, function.to_string(), key.to_string()),
        }),
        Some(_) if !result.is_string() => Err(session.rule_error(
            function,
            format!(
                "returned a {}, not a duration such as hours(2) or \"2h\"",
                result.type_name()
            ),
        )),
        Some(text) => {
            let d = ServiceDuration::parse_non_negative(&text)
                .map_err(|m| session.rule_error(function, format!("returned {m}")))?;
            Ok(ResolvedTarget {
                duration: Some(d),
                because: crate::reason!(SlaRuleTarget, d, function.to_string(), key.to_string()),
            })
        }
    }
}

/// A table's key for `dimension`: the severity or tier in force (`key`),
/// or the ticket's field as text (`""` when absent).
fn dimension_key(session: &mut Session<'_>, dimension: &Dimension, key: &str) -> Result<String> {
    Ok(match dimension {
        Dimension::Field(field) => {
            match Field::resolve_path(field).and_then(|f| f.key(session.ticket)) {
                Some(key) => key.into_owned(),
                None => field_value(&session.ticket_value(), field).unwrap_or_default(),
            }
        }
        Dimension::Severity | Dimension::Tier => key.to_string(),
    })
}
