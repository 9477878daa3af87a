//! The appointment settings of a `[[targets]]` entry: which attributes of
//! the start and stop events hold the cycle's instants (`start_at`,
//! `stop_at`), and the grace period past the deadline (`grace`).

use super::diagnostic::Diagnostics;
use super::escalation::no_business_days;
use super::manifest::TargetSpec;
use crate::duration::ServiceDuration;
use chrono::TimeDelta;

/// The compiled settings.
pub(super) struct Appointment {
    /// Attribute of the start event holding the start instant.
    pub start_at: Option<String>,
    /// Attribute of the stop event holding the stop instant.
    pub stop_at: Option<String>,
    /// Tolerance past the deadline (counted time or business days); `None`
    /// when not declared.
    pub grace: Option<ServiceDuration>,
}

/// Whether `name` can name an event attribute: letters, digits, `_`, `-`.
fn is_attribute_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn attribute(c: &mut Diagnostics, path: &str, key: &str, value: Option<&String>) -> Option<String> {
    let name = value?;
    if is_attribute_name(name) {
        return Some(name.clone());
    }
    c.at(
        format!("{path}.{key}"),
        format!(
            "`{name}` is not an attribute name: `{key}` names one key of the event's \
             `attributes` (letters, digits, `_` or `-`), e.g. \"slot\""
        ),
    );
    None
}

/// Reads `start_at`, `stop_at` and `grace` of the entry at `path`, whose
/// stop event kinds are `stop`.
pub(super) fn compile(
    c: &mut Diagnostics,
    spec: &TargetSpec,
    path: &str,
    stop: &[String],
    calendar: &crate::calendar::Calendar,
) -> Appointment {
    let start_at = attribute(c, path, "start_at", spec.start_at.as_ref());
    let stop_at = attribute(c, path, "stop_at", spec.stop_at.as_ref());
    if stop_at.is_some() && stop.is_empty() {
        c.at(
            format!("{path}.stop_at"),
            "`stop_at` reads an attribute of the stop event, but `stop` lists no event kind",
        );
    }
    let grace = spec.grace.as_ref().and_then(|text| {
        let grace_path = format!("{path}.grace");
        match ServiceDuration::parse(text) {
            Ok(ServiceDuration::Time(t)) if t < TimeDelta::zero() => {
                c.at(
                    grace_path,
                    format!(
                        "`{}` is negative; a grace period is at least zero",
                        text.trim()
                    ),
                );
                None
            }
            Ok(d @ ServiceDuration::Time(_)) => Some(d),
            Ok(d @ ServiceDuration::BusinessDays(_)) => match no_business_days(calendar) {
                Some(message) => {
                    c.at(grace_path, message);
                    None
                }
                None => Some(d),
            },
            Err(message) => {
                c.at(grace_path, message);
                None
            }
        }
    });
    Appointment {
        start_at,
        stop_at,
        grace,
    }
}
