//! The deadline settings of a `[[targets]]` entry that count from the
//! deadline or reach its working day: escalation levels
//! (`[[targets.escalations]]`) and `end_of_working_day`, each checked at its
//! TOML path.

use super::diagnostic::Diagnostics;
use super::manifest::{EscalationSpec, TargetSpec, TargetValue};
use crate::calendar::Calendar;
use crate::duration::ServiceDuration;
use crate::sla::{EscalationRule, Offset, Side};
use std::collections::BTreeSet;

/// At most this many escalation levels per target.
pub(super) const MAX_ESCALATIONS: usize = 100;

/// The words for a calendar on which business days cannot be counted, or
/// `None` when they can: one with weekly hours (`24x7` has them every day).
pub(super) fn no_business_days(calendar: &Calendar) -> Option<String> {
    (!calendar.has_weekly_hours()).then(|| {
        format!(
            "calendar `{}` has no working days of the week (only dated overrides), so \
             business days cannot be counted on it; use counted time such as \"8h\"",
            calendar.name()
        )
    })
}

/// Every `[[targets.escalations]]` entry of the target at `path`.
pub(super) fn compile(
    c: &mut Diagnostics,
    spec: &TargetSpec,
    path: &str,
    calendar: &Calendar,
) -> Vec<EscalationRule> {
    if spec.escalations.len() > MAX_ESCALATIONS {
        c.at(
            format!("{path}.escalations[{MAX_ESCALATIONS}]"),
            format!("a target has at most {MAX_ESCALATIONS} escalation levels"),
        );
        return Vec::new();
    }
    let mut names = BTreeSet::new();
    let mut rules = Vec::new();
    for (i, entry) in spec.escalations.iter().enumerate() {
        let at = format!("{path}.escalations[{i}]");
        if entry.name.trim().is_empty() {
            c.at(format!("{at}.name"), "an escalation needs a name");
        } else if !names.insert(entry.name.as_str()) {
            c.at(
                format!("{at}.name"),
                format!(
                    "escalation `{}` is defined twice in `{}`",
                    entry.name, spec.metric
                ),
            );
        }
        if let Some(rule) = one(c, entry, &at, calendar) {
            rules.push(rule);
        }
    }
    rules
}

/// One escalation: exactly one of `before` and `after`, a non-negative
/// duration, measured on the calendar or the wall clock.
fn one(
    c: &mut Diagnostics,
    entry: &EscalationSpec,
    at: &str,
    calendar: &Calendar,
) -> Option<EscalationRule> {
    let (side, key, text) = match (&entry.before, &entry.after) {
        (Some(text), None) => (Side::Before, "before", text),
        (None, Some(text)) => (Side::After, "after", text),
        (None, None) => {
            c.at(
                at.to_string(),
                "an escalation needs an offset from the deadline: `before = \"1h\"` or \
                 `after = \"3bd\"`",
            );
            return None;
        }
        (Some(_), Some(_)) => {
            c.at(
                format!("{at}.after"),
                "an escalation is either `before` or `after` the deadline, not both",
            );
            return None;
        }
    };
    let key_path = format!("{at}.{key}");
    let wall = match entry.measure.as_deref() {
        None | Some("calendar") => false,
        Some("wall") => true,
        Some(other) => {
            c.at(
                format!("{at}.measure"),
                format!("`{other}` is neither \"calendar\" nor \"wall\""),
            );
            return None;
        }
    };
    let offset = match ServiceDuration::parse_non_negative(text) {
        Err(message) => {
            c.at(key_path, message);
            return None;
        }
        Ok(ServiceDuration::Time(t)) if wall => Offset::Wall(t),
        Ok(ServiceDuration::Time(t)) => Offset::Counted(t),
        Ok(ServiceDuration::BusinessDays(_)) if wall => {
            c.at(
                format!("{at}.measure"),
                format!(
                    "`{}` is business days, which the wall clock does not count; \
                     give wall time such as \"24h\", or leave `measure` out",
                    text.trim()
                ),
            );
            return None;
        }
        Ok(ServiceDuration::BusinessDays(n)) => {
            if let Some(message) = no_business_days(calendar) {
                c.at(key_path, message);
                return None;
            }
            Offset::BusinessDays(n)
        }
    };
    Some(EscalationRule {
        name: entry.name.clone(),
        side,
        offset,
    })
}

/// `end_of_working_day`: only for a target that can be business days, on a
/// calendar with working days.
pub(super) fn end_of_working_day(
    c: &mut Diagnostics,
    spec: &TargetSpec,
    path: &str,
    calendar: &Calendar,
) -> bool {
    if !spec.end_of_working_day {
        return false;
    }
    let key = format!("{path}.end_of_working_day");
    let texts: Vec<&String> = match &spec.target {
        Some(TargetValue::Fixed(text)) => vec![text],
        Some(TargetValue::Table(table)) => table.values().collect(),
        Some(TargetValue::Nested(table)) => table.values().flat_map(|t| t.values()).collect(),
        // A rule may return business days; no target never applies.
        Some(TargetValue::Rule { .. }) | None => Vec::new(),
    };
    let business = |t: &&String| {
        matches!(
            ServiceDuration::parse(t),
            Ok(ServiceDuration::BusinessDays(_))
        )
    };
    if !texts.is_empty() && !texts.iter().any(business) {
        c.at(
            key,
            "`end_of_working_day` moves a business-day target (\"2bd\") to the close of its \
             last working day, but this target has none",
        );
        return false;
    }
    if let Some(message) = no_business_days(calendar) {
        c.at(key, message);
        return false;
    }
    true
}
