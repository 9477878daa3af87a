//! `[[targets]]` → metrics: each target's calendar, clock events, keys,
//! target (a duration, a rule, a table keyed by one field or two), warning
//! and condition, every finding reported into the one collector.

use super::compile::{require_function, Compiler, BUILT_IN_EVENTS, NOT_APPLICABLE};
use super::manifest::{EventKinds, Manifest, TargetBy, TargetSpec, TargetValue, WarnAtSpec};
use super::Severity;
use crate::calendar::{Calendar, ALWAYS_OPEN};
use crate::duration::ServiceDuration;
use crate::rules::condition::Condition;
use crate::rules::{RuleContext, Rules};
use crate::sla::{Breach, Dimension, Metric, OnReopen, Recompute, TargetRule, WarnAt};
use std::collections::{BTreeMap, BTreeSet};

/// Every `[[targets]]` entry as a metric, and the metric names.
pub(super) fn compile_targets(
    c: &mut Compiler,
    manifest: &Manifest,
    calendars: &BTreeMap<String, Calendar>,
    severity: &Severity,
    known_events: &BTreeSet<String>,
    rules: &mut Rules,
) -> (Vec<Metric>, BTreeSet<String>) {
    let mut metrics = Vec::new();
    let mut names = BTreeSet::new();
    for (i, spec) in manifest.targets.iter().enumerate() {
        let path = format!("targets[{i}]");
        if !names.insert(spec.metric.clone()) {
            c.at(
                format!("{path}.metric"),
                format!("metric `{}` is defined twice", spec.metric),
            );
        }
        if let Some(metric) =
            compile_target(c, spec, &path, calendars, severity, known_events, rules)
        {
            metrics.push(metric);
        }
    }
    (metrics, names)
}

fn kinds(
    c: &mut Compiler,
    path: &str,
    value: Option<&EventKinds>,
    default: &str,
    known: &BTreeSet<String>,
) -> Vec<String> {
    let list = value
        .map(EventKinds::to_vec)
        .unwrap_or_else(|| vec![default.to_string()]);
    for kind in &list {
        if !known.contains(kind) {
            c.at(
                path,
                format!(
                    "unknown event kind `{kind}`; built-in kinds are {}; declare others in [policy] events",
                    BUILT_IN_EVENTS.join(", ")
                ),
            );
        }
    }
    list
}

fn duration(c: &mut Compiler, path: &str, text: &str) -> Option<ServiceDuration> {
    match ServiceDuration::parse_non_negative(text) {
        Ok(d) => Some(d),
        Err(message) => {
            c.at(path, message);
            None
        }
    }
}

/// The targets a metric can have that are known before evaluation, each
/// with the words saying which (`""`, `" for critical"`).
fn known_targets(target: &TargetRule) -> Vec<(String, ServiceDuration)> {
    match target {
        TargetRule::Fixed(d, _) => vec![(String::new(), *d)],
        TargetRule::Table {
            entries, fallback, ..
        } => entries
            .iter()
            .map(|(key, (d, _))| (format!(" for `{key}`"), *d))
            .chain(fallback.map(|d| (" for `*`".to_string(), d)))
            .collect(),
        TargetRule::Table2 { entries, .. } => entries
            .iter()
            .filter_map(|((a, b), (d, _))| Some((format!(" for `{a}`, `{b}`"), (*d)?)))
            .collect(),
        TargetRule::None | TargetRule::Rule(_) => Vec::new(),
    }
}

// Long because both keys' checks and each entry's reason read together, as in compile_table1.
/// A table keyed by two dimensions: every entry with its reason (worded
/// once, here), `"n/a"` kept as an entry without a duration.
fn compile_table2(
    c: &mut Compiler,
    path: &str,
    by: (Dimension, Dimension),
    table: &BTreeMap<String, BTreeMap<String, String>>,
    severity: &Severity,
) -> TargetRule {
    let changing = [&by.0, &by.1]
        .into_iter()
        .filter(|d| matches!(d, Dimension::Severity | Dimension::Tier))
        .count();
    if changing > 1 {
        c.at(
            format!("{path}.target_by"),
            "severity and tier both change during a ticket's life; a table may be keyed by \
             one of them and a ticket field",
        );
        return TargetRule::None;
    }
    let check_level = |c: &mut Compiler, dimension: &Dimension, key: &str, at: &str| {
        if *dimension == Dimension::Severity
            && key != "*"
            && !severity.levels.contains(&key.to_string())
        {
            c.at(
                at.to_string(),
                format!(
                    "`{key}` is not a severity level; levels are {:?}",
                    severity.levels
                ),
            );
        }
    };
    let mut entries = BTreeMap::new();
    for (outer, inner_table) in table {
        // `"*"` is quoted in paths, as TOML writes it.
        let quoted = |key: &str| {
            if key == "*" {
                "\"*\"".to_string()
            } else {
                key.to_string()
            }
        };
        let outer_path = format!("{path}.target.{}", quoted(outer));
        check_level(c, &by.0, outer, &outer_path);
        for (inner, text) in inner_table {
            let entry_path = format!("{outer_path}.{}", quoted(inner));
            check_level(c, &by.1, inner, &entry_path);
            // `"*"` reads "any" in the reason.
            let any = |key: &str| -> crate::reason::Arg {
                if key == "*" {
                    crate::reason::Term::Any.into()
                } else {
                    key.to_string().into()
                }
            };
            if text.trim() == NOT_APPLICABLE {
                let because = crate::reason!(
                    SlaNotApplicable2,
                    by.0.arg(),
                    any(outer),
                    by.1.arg(),
                    any(inner),
                    entry_path
                );
                entries.insert((outer.clone(), inner.clone()), (None, because));
                continue;
            }
            let Some(d) = duration(c, &entry_path, text) else {
                continue;
            };
            let because = crate::reason!(
                SlaTargetFor2,
                d,
                by.0.arg(),
                any(outer),
                by.1.arg(),
                any(inner),
                entry_path
            );
            entries.insert((outer.clone(), inner.clone()), (Some(d), because));
        }
    }
    TargetRule::Table2 { by, entries }
}

// Long because it assembles one metric field by field, in `[[targets]]` order.
fn compile_target(
    c: &mut Compiler,
    spec: &TargetSpec,
    path: &str,
    calendars: &BTreeMap<String, Calendar>,
    severity: &Severity,
    known: &BTreeSet<String>,
    rules: &mut Rules,
) -> Option<Metric> {
    let calendar_name = spec.calendar.as_deref().unwrap_or(ALWAYS_OPEN);
    let calendar = metric_calendar(c, path, calendar_name, calendars);
    let [start, stop, pause, resume] = clock_events(c, spec, path, known);

    let (by, then) = target_keys(c, spec, path);
    let target = compile_target_rule(c, spec, path, (by, then), severity, rules);
    if spec.target_by.is_some()
        && !matches!(
            spec.target,
            Some(TargetValue::Table(_) | TargetValue::Nested(_))
        )
    {
        c.warn(
            format!("{path}.target_by"),
            "only a table target is keyed; `target_by` has no effect here",
        );
    }
    // A `d` duration on a business calendar is 24 h of open time, rarely what is meant.
    if !calendar.is_always_open() {
        day_warnings(c, spec, path, calendar_name);
    }

    let warn_at = compile_warn_at(c, spec, path, &target, &calendar);
    let recompute = match spec.recompute.as_deref() {
        None | Some("from_start") => Recompute::FromStart,
        Some("from_change") => Recompute::FromChange,
        Some(other) => {
            c.at(
                format!("{path}.recompute"),
                format!("`{other}` is neither \"from_start\" nor \"from_change\""),
            );
            Recompute::FromStart
        }
    };
    let breach = match spec.breach.as_deref() {
        None | Some("kept") => Breach::Kept,
        Some("recomputed") => Breach::Recomputed,
        Some(other) => {
            c.at(
                format!("{path}.breach"),
                format!("`{other}` is neither \"kept\" nor \"recomputed\""),
            );
            Breach::Kept
        }
    };
    let when = compile_when(c, spec, path, rules);
    let appointment = super::appointment::compile(c, spec, path, &stop, &calendar);
    let escalations = super::escalation::compile(c, spec, path, &calendar);
    let end_of_working_day = super::escalation::end_of_working_day(c, spec, path, &calendar);
    let (pause_statuses, hide_statuses) = compile_statuses(c, spec, path);
    let (reopen, on_reopen) = compile_reopen(c, spec, path, known);
    if matches!(target, TargetRule::None) && spec.target.is_none() {
        c.warn(
            format!("{path}.target"),
            format!(
                "metric `{}` has no target: it is never applicable",
                spec.metric
            ),
        );
    }
    Some(Metric {
        name: spec.metric.clone(),
        path: path.to_string(),
        start,
        start_at: appointment.start_at,
        stop_at: appointment.stop_at,
        grace: appointment.grace,
        stop,
        pause,
        resume,
        calendar,
        target,
        warn_at,
        when,
        recompute,
        breach,
        repeat: spec.repeat,
        escalations,
        end_of_working_day,
        pause_statuses,
        hide_statuses,
        reopen,
        on_reopen,
    })
}

/// The statuses that pause the clock and those that hide its deadline:
/// names non-empty, no status in both lists.
fn compile_statuses(c: &mut Compiler, spec: &TargetSpec, path: &str) -> (Vec<String>, Vec<String>) {
    let pause = spec.pause_statuses.clone().unwrap_or_default();
    let hide = spec.hide_statuses.clone().unwrap_or_default();
    for (key, list) in [("pause_statuses", &pause), ("hide_statuses", &hide)] {
        if let Some(i) = list.iter().position(|s| s.trim().is_empty()) {
            c.at(
                format!("{path}.{key}"),
                format!("entry {} is an empty status name", i + 1),
            );
        }
    }
    if let Some(both) = hide.iter().find(|s| pause.contains(s)) {
        c.at(
            format!("{path}.hide_statuses"),
            format!(
                "status `{both}` both pauses the clock (`pause_statuses`) and hides the \
                 deadline; a status does one or the other"
            ),
        );
    }
    (pause, hide)
}

/// The event kinds that reopen a stopped metric (default `reopened`), and
/// what a reopen does (default `ignore`).
fn compile_reopen(
    c: &mut Compiler,
    spec: &TargetSpec,
    path: &str,
    known: &BTreeSet<String>,
) -> (Vec<String>, OnReopen) {
    let reopen = kinds(
        c,
        &format!("{path}.reopen"),
        spec.reopen.as_ref(),
        "reopened",
        known,
    );
    let on_reopen = match spec.on_reopen.as_deref() {
        None | Some("ignore") => OnReopen::Ignore,
        Some("continue") => OnReopen::Continue,
        Some("new_cycle") => OnReopen::NewCycle,
        Some(other) => {
            c.at(
                format!("{path}.on_reopen"),
                format!("`{other}` is none of \"ignore\", \"continue\" and \"new_cycle\""),
            );
            OnReopen::Ignore
        }
    };
    if spec.reopen.is_some() && on_reopen == OnReopen::Ignore {
        c.warn(
            format!("{path}.reopen"),
            "without `on_reopen = \"continue\"` or `\"new_cycle\"` a reopen does nothing; `reopen` has no effect here",
        );
    }
    (reopen, on_reopen)
}

/// The calendar a metric's clock runs on; `24x7` after an error when it
/// is not defined.
fn metric_calendar(
    c: &mut Compiler,
    path: &str,
    calendar_name: &str,
    calendars: &BTreeMap<String, Calendar>,
) -> Calendar {
    match calendars.get(calendar_name) {
        Some(calendar) => calendar.clone(),
        None => {
            c.at(
                format!("{path}.calendar"),
                format!(
                    "unknown calendar `{calendar_name}`; defined: {}",
                    calendars.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            );
            Calendar::always_open()
        }
    }
}

/// The event kinds that start, stop, pause and resume a metric's clock,
/// each known; a warning when one kind both starts and stops a clock that
/// does not repeat.
fn clock_events(
    c: &mut Compiler,
    spec: &TargetSpec,
    path: &str,
    known: &BTreeSet<String>,
) -> [Vec<String>; 4] {
    let start = kinds(
        c,
        &format!("{path}.start"),
        spec.start.as_ref(),
        "opened",
        known,
    );
    let stop = kinds(c, &format!("{path}.stop"), Some(&spec.stop), "", known);
    let pause = kinds(
        c,
        &format!("{path}.pause"),
        spec.pause.as_ref(),
        "paused",
        known,
    );
    let resume = kinds(
        c,
        &format!("{path}.resume"),
        spec.resume.as_ref(),
        "resumed",
        known,
    );
    if let Some(kind) = start.iter().find(|k| stop.contains(k)) {
        if !spec.repeat {
            c.warn(
                format!("{path}.stop"),
                format!("`{kind}` both starts and stops `{}`; without `repeat` it runs once, from the first `{kind}` to the next", spec.metric),
            );
        }
    }
    [start, stop, pause, resume]
}

/// What a table target is keyed by: one field (severity by default) or two.
fn target_keys(c: &mut Compiler, spec: &TargetSpec, path: &str) -> (Dimension, Option<Dimension>) {
    match &spec.target_by {
        None => (Dimension::Severity, None),
        Some(TargetBy::One(field)) => (Dimension::parse(field), None),
        Some(TargetBy::Two(fields)) => match fields.as_slice() {
            [a, b] => (Dimension::parse(a), Some(Dimension::parse(b))),
            _ => {
                c.at(
                    format!("{path}.target_by"),
                    format!("a table is keyed by one field or two, not {}", fields.len()),
                );
                (Dimension::Severity, None)
            }
        },
    }
}

/// The target: a duration, a rule, a table keyed by one field or by two.
fn compile_target_rule(
    c: &mut Compiler,
    spec: &TargetSpec,
    path: &str,
    (by, then): (Dimension, Option<Dimension>),
    severity: &Severity,
    rules: &mut Rules,
) -> TargetRule {
    match &spec.target {
        Some(TargetValue::Nested(table)) => match then {
            Some(then) => compile_table2(c, path, (by.clone(), then), table, severity),
            None => {
                c.at(
                    format!("{path}.target"),
                    "a table of tables needs the two keys it is read by: \
                     `target_by = [\"severity\", \"customer.zone\"]`",
                );
                TargetRule::None
            }
        },
        Some(TargetValue::Table(_)) if then.is_some() => {
            c.at(
                format!("{path}.target"),
                "`target_by` names two keys: the target must be a table of tables, \
                 e.g. `{ critical = { A = \"1h\" } }`",
            );
            TargetRule::None
        }
        None => TargetRule::None,
        Some(TargetValue::Fixed(text)) => match duration(c, &format!("{path}.target"), text) {
            Some(d) => TargetRule::Fixed(d, crate::reason!(SlaTarget, d, format!("{path}.target"))),
            None => TargetRule::None,
        },
        Some(TargetValue::Rule { rule }) => {
            require_function(c, rules, &format!("{path}.target.rule"), rule, 2);
            TargetRule::Rule(rule.clone())
        }
        Some(TargetValue::Table(table)) => compile_table1(c, spec, path, &by, table, severity),
    }
}

// Long because an entry's checks ("n/a", the "*" fallback, its level) read together.
/// A table keyed by one field: each entry with its reason, `"*"` the
/// fallback, `"n/a"` a key the metric deliberately does not apply to.
fn compile_table1(
    c: &mut Compiler,
    spec: &TargetSpec,
    path: &str,
    by: &Dimension,
    table: &BTreeMap<String, String>,
    severity: &Severity,
) -> TargetRule {
    let mut entries = BTreeMap::new();
    let mut fallback = None;
    // Keys the author marked "n/a": the metric deliberately does not
    // apply to them (the same as leaving the key out, but said).
    let mut not_applicable = BTreeSet::new();
    for (key, text) in table {
        let entry_path = format!("{path}.target.{key}");
        if text.trim() == NOT_APPLICABLE {
            if key == "*" {
                c.at(
                    entry_path,
                    format!(
                        "\"*\" = \"{NOT_APPLICABLE}\" says nothing: keys without an \
                             entry do not apply anyway; remove it"
                    ),
                );
            } else if table.contains_key("*") {
                c.at(
                    entry_path,
                    format!(
                        "\"{NOT_APPLICABLE}\" cannot be combined with a \"*\" \
                             fallback; give every key that applies its own target instead"
                    ),
                );
            } else if *by == Dimension::Severity && !severity.levels.contains(key) {
                c.at(
                    entry_path,
                    format!(
                        "`{key}` is not a severity level; levels are {:?}",
                        severity.levels
                    ),
                );
            }
            not_applicable.insert(key.clone());
            continue;
        }
        let Some(d) = duration(c, &entry_path, text) else {
            continue;
        };
        if key == "*" {
            fallback = Some(d);
            continue;
        }
        if *by == Dimension::Severity && !severity.levels.contains(key) {
            c.at(
                entry_path.clone(),
                format!(
                    "`{key}` is not a severity level; levels are {:?}",
                    severity.levels
                ),
            );
        }
        let because = crate::reason!(SlaTargetFor, d, by.arg(), key, entry_path);
        entries.insert(key.clone(), (d, because));
    }
    if *by == Dimension::Severity {
        let missing: Vec<&String> = severity
            .levels
            .iter()
            .filter(|l| !entries.contains_key(*l) && !not_applicable.contains(*l))
            .collect();
        if fallback.is_none() && !missing.is_empty() && !entries.is_empty() {
            c.warn(
                    format!("{path}.target"),
                    format!("no target for severity {missing:?}: `{}` does not apply to those tickets (add \"*\" for a fallback, or `{} = \"{NOT_APPLICABLE}\"` when that is meant)", spec.metric, missing.first().map(|l| l.as_str()).unwrap_or("level")),
                );
        }
    }
    TargetRule::Table {
        by: by.clone(),
        entries,
        fallback,
    }
}

/// A `d` duration on a business calendar is 24 h of open time, rarely
/// what is meant: a warning for each.
fn day_warnings(c: &mut Compiler, spec: &TargetSpec, path: &str, calendar_name: &str) {
    let texts: Vec<&String> = match &spec.target {
        Some(TargetValue::Fixed(text)) => vec![text],
        Some(TargetValue::Table(table)) => table.values().collect(),
        Some(TargetValue::Nested(table)) => table.values().flat_map(|t| t.values()).collect(),
        _ => Vec::new(),
    };
    for text in texts {
        let t = text.trim();
        if t.ends_with('d') && !t.ends_with("bd") || t.starts_with('P') && t.contains('D') {
            c.warn(
                format!("{path}.target"),
                format!("`{text}` on calendar `{calendar_name}` is {text} × 24 h of open time; `bd` (business days) or `h` is probably meant"),
            );
        }
    }
}

/// `warn_at`: a share of the target, or a lead time no longer than any
/// target known now.
fn compile_warn_at(
    c: &mut Compiler,
    spec: &TargetSpec,
    path: &str,
    target: &TargetRule,
    calendar: &Calendar,
) -> Option<WarnAt> {
    match &spec.warn_at {
        None => None,
        Some(WarnAtSpec::Fraction(f)) if *f > 0.0 && *f < 1.0 => {
            // Basis points: the share is read to 0.01 %.
            Some(WarnAt::Fraction((f * 10_000.0).round() as i64))
        }
        Some(WarnAtSpec::Fraction(_)) => {
            c.at(
                format!("{path}.warn_at"),
                "a share of the target must lie between 0 and 1, e.g. 0.8",
            );
            None
        }
        Some(WarnAtSpec::Lead(text)) => match duration(c, &format!("{path}.warn_at"), text) {
            Some(ServiceDuration::Time(lead)) => {
                // A lead longer than a target known now would warn before
                // the clock starts: say so rather than never warn.
                let too_short = known_targets(target)
                    .into_iter()
                    .filter_map(|(key, d)| Some((key, d.as_time()?)))
                    .find(|(_, t)| lead > *t);
                if let Some((key, shorter)) = too_short {
                    c.at(
                        format!("{path}.warn_at"),
                        format!(
                            "the lead time `{text}` is longer than the target {}{key}: \
                             the warning would come before the clock starts",
                            crate::duration::format_iso(shorter),
                        ),
                    );
                }
                Some(WarnAt::Lead(lead))
            }
            Some(ServiceDuration::BusinessDays(n)) => {
                match super::escalation::no_business_days(calendar) {
                    Some(message) => {
                        c.at(format!("{path}.warn_at"), message);
                        None
                    }
                    None => Some(WarnAt::BusinessDays(n)),
                }
            }
            None => None,
        },
    }
}

/// `when`: the condition under which the metric applies; a warning when it
/// reads nothing and is always false.
fn compile_when(
    c: &mut Compiler,
    spec: &TargetSpec,
    path: &str,
    rules: &mut Rules,
) -> Option<Condition> {
    match &spec.when {
        None => None,
        Some(source) => {
            let when_path = format!("{path}.when");
            match rules.compile_expression(&when_path, source, &["ticket", "severity"]) {
                Ok(id) => {
                    // A condition that reads nothing is constant: if false, the metric never starts.
                    let reads = ["ticket", "severity", "today", "age_days"];
                    if !reads.iter().any(|name| source.contains(name)) {
                        let context = RuleContext {
                            today: chrono::NaiveDate::MIN,
                        };
                        let constant = rules
                            .evaluate(context, id, vec![rhai::Dynamic::UNIT, rhai::Dynamic::UNIT])
                            .ok()
                            .and_then(|v| v.as_bool().ok());
                        if constant == Some(false) {
                            c.warn(
                                when_path.clone(),
                                format!(
                                    "`{source}` is always false: metric `{}` can never start",
                                    spec.metric
                                ),
                            );
                        }
                    }
                    Some(crate::rules::condition::Condition::new(id, source))
                }
                Err(e) => {
                    c.error(e);
                    None
                }
            }
        }
    }
}
