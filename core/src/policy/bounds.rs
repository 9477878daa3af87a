//! The bounds a policy declares and is held to: `[limits]` and the sizes
//! it bounds (targets, properties, table entries, the rules' bytes and
//! functions), checked before anything costly is compiled, and the limits
//! of a rule call (`rule_operation_limit`, `rule_time_limit`, the
//! operator's `AFTERSALES_RULE_TIME_LIMIT_MS`).

use super::compile::Compiler;
use super::manifest::{LimitsSection, Manifest, PolicySection, TargetValue};
use crate::duration::ServiceDuration;
use crate::error::{Error, Location};
use crate::rules::{limits, Rules};
use std::collections::BTreeMap;

/// The rules' limits: `rule_time_limit`, `rule_operation_limit`, and the
/// operator's backstop from the environment.
pub(super) fn rule_settings(c: &mut Compiler, section: &PolicySection, rules: &mut Rules) {
    if let Some(text) = &section.rule_time_limit {
        if let Some(limit) = rule_time_limit(c, text) {
            rules.set_time_limit(limit);
        }
    }
    if let Some(limit) = section.rule_operation_limit {
        match u64::try_from(limit) {
            Ok(limit) if (MIN_OPERATIONS..=limits::MAX_OPERATIONS).contains(&limit) => {
                rules.set_operation_limit(limit);
            }
            _ => c.at(
                "policy.rule_operation_limit",
                format!(
                    "{limit} is out of range; the operations one rule call may perform are a \
                     whole number from {MIN_OPERATIONS} to {} (default {})",
                    limits::MAX_OPERATIONS,
                    limits::OPERATIONS
                ),
            ),
        }
    }
    // The host's operator may widen every policy's backstop for a slow
    // environment (valgrind, sanitizers): it is a safety net, not a result.
    match operator_time_limit() {
        Ok(Some(limit)) => rules.set_time_limit(limit),
        Ok(None) => {}
        Err(message) => c.at(OPERATOR_TIME_LIMIT, message),
    }
}

/// The words of an error past a size bound: how many there are, the bound
/// and how to raise it.
pub(super) fn past_bound(what: &str, bound: u64, key: &str) -> String {
    format!(
        "{what}, more than the limit of {bound}; raise it with `[limits] {key}` (at most {})",
        maximum(key)
    )
}

/// The most `[limits]` may raise `key` to.
fn maximum(key: &str) -> u64 {
    let most = LimitsSection::MAXIMUM;
    match key {
        "targets" => most.targets,
        "properties" => most.properties,
        "functions" => most.functions,
        "script_bytes" => most.script_bytes,
        "ics_bytes" => most.ics_bytes,
        _ => most.table_entries,
    }
}

/// Checks `[limits]` itself and the sizes it bounds that are known from
/// the manifest alone: the numbers of targets and properties, the entries
/// of each target table. Each error is at the first entry past its bound.
/// `false` when a bound is passed, and compiling stops there: nothing
/// costly is done for a policy too large.
pub(super) fn within_bounds(manifest: &Manifest, bounds: &LimitsSection, c: &mut Compiler) -> bool {
    let mut within = true;
    if manifest.limits.is_some() {
        for (key, value) in [
            ("targets", bounds.targets),
            ("properties", bounds.properties),
            ("functions", bounds.functions),
            ("script_bytes", bounds.script_bytes),
            ("table_entries", bounds.table_entries),
            ("ics_bytes", bounds.ics_bytes),
        ] {
            if value == 0 || value > maximum(key) {
                c.at(
                    format!("limits.{key}"),
                    format!("{value} is out of range; from 1 to {}", maximum(key)),
                );
                within = false;
            }
        }
        if !within {
            return false;
        }
    }
    let over = |count: usize, bound: u64| u64::try_from(count).map_or(true, |n| n > bound);
    if over(manifest.targets.len(), bounds.targets) {
        c.at(
            format!("targets[{}]", bounds.targets),
            past_bound(
                &format!("the policy has {} `[[targets]]`", manifest.targets.len()),
                bounds.targets,
                "targets",
            ),
        );
        within = false;
    }
    if over(manifest.properties.len(), bounds.properties) {
        c.at(
            format!("properties[{}]", bounds.properties),
            past_bound(
                &format!(
                    "the policy has {} `[[properties]]`",
                    manifest.properties.len()
                ),
                bounds.properties,
                "properties",
            ),
        );
        within = false;
    }
    for (i, spec) in manifest.targets.iter().enumerate() {
        let entries = match &spec.target {
            Some(TargetValue::Table(table)) => table.len(),
            Some(TargetValue::Nested(table)) => table.values().map(BTreeMap::len).sum(),
            _ => 0,
        };
        if over(entries, bounds.table_entries) {
            c.at(
                format!("targets[{i}].target"),
                past_bound(
                    &format!("this target table has {entries} entries"),
                    bounds.table_entries,
                    "table_entries",
                ),
            );
            within = false;
        }
    }
    within
}

/// Checks the size of the rules and the number of functions they define,
/// before Rhai compiles them (its parser looks up every name among the
/// functions defined before it, so its time grows with their square).
pub(super) fn script_within_bounds(
    source: &str,
    script_name: &str,
    section: &PolicySection,
    bounds: &LimitsSection,
    c: &mut Compiler,
) -> bool {
    let path = if section.rules.is_some() {
        "policy.rules"
    } else {
        "policy.script"
    };
    if u64::try_from(source.len()).map_or(true, |n| n > bounds.script_bytes) {
        c.at(
            path,
            past_bound(
                &format!("the rules in `{script_name}` have {} bytes", source.len()),
                bounds.script_bytes,
                "script_bytes",
            ),
        );
        return false;
    }
    let functions = crate::rules::definitions::every_definition(source);
    let limit = usize::try_from(bounds.functions).unwrap_or(usize::MAX);
    if let Some((name, (line, column))) = functions.get(limit) {
        c.error(Error::Policy {
            policy: c.policy.clone(),
            location: Location {
                path: script_name.to_string(),
                line: Some(*line),
                column: Some(*column),
            },
            message: past_bound(
                &format!(
                    "the rules define {} functions (`{name}` is the first past the limit)",
                    functions.len()
                ),
                bounds.functions,
                "functions",
            ),
        });
        return false;
    }
    true
}

/// The environment variable that sets every policy's wall-clock backstop.
pub(crate) const OPERATOR_TIME_LIMIT: &str = "AFTERSALES_RULE_TIME_LIMIT_MS";

/// The fewest operations a policy may allow one rule call.
const MIN_OPERATIONS: u64 = 1_000;

/// `AFTERSALES_RULE_TIME_LIMIT_MS`: unset, or a whole number of
/// milliseconds from [`limits::MIN_TIME`] to [`limits::MAX_TIME`], the
/// backstop of every rule call of every policy loaded after it is set,
/// whatever the policy declares. Any other value is refused with a message
/// naming the variable and the range.
fn operator_time_limit() -> Result<Option<std::time::Duration>, String> {
    let value = match std::env::var(OPERATOR_TIME_LIMIT) {
        Ok(value) => value,
        Err(std::env::VarError::NotPresent) => return Ok(None),
        Err(std::env::VarError::NotUnicode(raw)) => raw.to_string_lossy().into_owned(),
    };
    operator_time_limit_from(&value).map(Some)
}

/// Reads the value of `AFTERSALES_RULE_TIME_LIMIT_MS`.
pub(crate) fn operator_time_limit_from(value: &str) -> Result<std::time::Duration, String> {
    let least = limits::MIN_TIME.as_millis();
    let most = limits::MAX_TIME.as_millis();
    value
        .trim()
        .parse::<u64>()
        .ok()
        .filter(|ms| (u128::from(*ms) >= least) && (u128::from(*ms) <= most))
        .map(std::time::Duration::from_millis)
        .ok_or_else(|| {
            format!(
                "{OPERATOR_TIME_LIMIT}=`{value}` is not accepted: it is the wall-clock backstop \
                 of every rule call, a whole number of milliseconds from {least} to {most}; \
                 unset it for the default of {} ms",
                limits::TIME.as_millis()
            )
        })
}

/// `[policy] rule_time_limit`: from [`limits::MIN_TIME`] to
/// [`limits::MAX_TIME`].
fn rule_time_limit(c: &mut Compiler, text: &str) -> Option<std::time::Duration> {
    let path = "policy.rule_time_limit";
    let least = limits::MIN_TIME.as_secs();
    let most = limits::MAX_TIME.as_secs();
    let range = format!(
        "the wall-clock backstop of a rule call is from \"{least}s\" to \"{most}s\" \
         (default \"{}s\")",
        limits::TIME.as_secs()
    );
    let time = match ServiceDuration::parse(text) {
        Ok(ServiceDuration::Time(t)) => t,
        Ok(ServiceDuration::BusinessDays(_)) => {
            c.at(path, format!("`{text}` is business days; {range}"));
            return None;
        }
        Err(message) => {
            c.at(path, format!("{message}; {range}"));
            return None;
        }
    };
    match time.to_std() {
        Ok(limit) if limit >= limits::MIN_TIME && limit <= limits::MAX_TIME => Some(limit),
        _ => {
            c.at(path, format!("`{text}` is out of range; {range}"));
            None
        }
    }
}
