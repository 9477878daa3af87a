//! Manifest → [`Policy`]: every check that can be made once, made once.
//! Problems are collected, not stopped at, so `check` can list them all.

use super::diagnostic::{Diagnostic, Diagnostics};
use super::manifest::{
    EventKinds, Manifest, PolicySection, SeveritySection, TargetBy, TargetSpec, TargetValue,
    WarnAtSpec,
};
use super::{Policy, PolicyInner, Severity};
use crate::calendar::{Calendar, Zone, ALWAYS_OPEN};
use crate::credits::CreditRules;
use crate::duration::ServiceDuration;
use crate::error::{Error, Location};
use crate::fees::FeeSchedule;
use crate::rules::condition::Condition;
use crate::rules::{limits, RuleContext, Rules};
use crate::sla::{Breach, Dimension, Metric, Recompute, SeverityCase, TargetRule, WarnAt};
use crate::warranty::Warranty;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

/// Event kinds every policy knows.
pub const BUILT_IN_EVENTS: &[&str] = &[
    "opened",
    "answered",
    "contacted",
    "responded",
    "customer_replied",
    "updated",
    "paused",
    "resumed",
    "visit_booked",
    "arrived",
    "resolved",
    "followed_up",
    "closed",
    "reopened",
    "escalated",
    "severity_changed",
    "tier_changed",
    "return_received",
];

/// The target table entry that says a metric deliberately does not apply
/// to a key (`target = { critical = "1h", low = "n/a" }`).
pub(crate) const NOT_APPLICABLE: &str = "n/a";

/// The result of compiling: the policy when there was no error, and every finding.
pub(crate) struct Compiled {
    pub policy: Option<Policy>,
    /// The policy's id, when the manifest could be read.
    pub id: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Every domain's compile reports into the one collector.
type Compiler = Diagnostics;

/// Converts a byte offset in `text` to a 1-based line and column.
pub(crate) fn line_column(text: &str, offset: usize) -> (u32, u32) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

/// Parses the manifest; a failure names the key path, line and column.
pub(crate) fn parse_manifest(text: &str, source_name: &str) -> Result<Manifest, Error> {
    let deserializer = toml::Deserializer::new(text);
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let (line, column) = match inner.span() {
            Some(span) => {
                let (l, c) = line_column(text, span.start);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        Error::Policy {
            policy: source_name.to_string(),
            location: Location {
                path: if path == "." { String::new() } else { path },
                line,
                column,
            },
            message: inner.message().to_string(),
        }
    })
}

/// The digest of a policy: SHA-256 of its manifest as canonical JSON
/// (sorted keys, no comments or formatting) followed by its Rhai source.
fn digest(text: &str, script: Option<&str>) -> String {
    let canonical = toml::from_str::<toml::Value>(text)
        .ok()
        .and_then(|v| serde_json::to_value(v).ok())
        .map(|v| v.to_string())
        .unwrap_or_else(|| text.to_string());
    let mut hasher = Sha256::new();
    hasher.update(canonical.as_bytes());
    hasher.update(b"\n--rules--\n");
    hasher.update(script.unwrap_or_default().as_bytes());
    let bytes = hasher.finalize();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// Where the file named by `policy.rules` is found.
#[derive(Debug, Clone, Copy)]
pub(crate) enum RuleFiles<'a> {
    /// Nowhere: the policy was given as text alone.
    None,
    /// In this directory (the manifest's).
    Directory(&'a Path),
    /// Among these texts, by name, as a host holding policies in a database gives them.
    Texts(&'a BTreeMap<String, String>),
}

/// Compiles manifest text; `files` resolves `policy.rules`.
pub(crate) fn compile(text: &str, files: RuleFiles<'_>, source_name: &str) -> Compiled {
    let manifest = match parse_manifest(text, source_name) {
        Ok(m) => m,
        Err(e) => {
            // The first error as the whole manifest reads it, then every
            // other section's and entry's own, so that `check` lists them
            // all at once.
            let first = Diagnostic::from_error(&e);
            let mut others = Diagnostics::new(source_name);
            for (path, message) in super::manifest::shape_errors(text) {
                if path != first.location.path {
                    others.at(path, message);
                }
            }
            let mut diagnostics = vec![first];
            diagnostics.extend(others.located(text));
            return Compiled {
                policy: None,
                id: None,
                diagnostics,
            };
        }
    };
    let mut c = Diagnostics::new(&manifest.policy.id);
    let policy = build(&manifest, text, files, &mut c);
    let failed = c.has_errors();
    Compiled {
        policy: if failed { None } else { policy },
        id: Some(manifest.policy.id.clone()),
        diagnostics: c.located(text),
    }
}

fn build(
    manifest: &Manifest,
    text: &str,
    files: RuleFiles<'_>,
    c: &mut Compiler,
) -> Option<Policy> {
    let section = &manifest.policy;
    let bounds = manifest.limits.unwrap_or_default();
    if !within_bounds(manifest, &bounds, c) {
        return None;
    }
    if section.id.trim().is_empty() {
        c.at("policy.id", "must not be empty");
    }
    let zone = match Zone::parse(&section.timezone) {
        Ok(zone) => zone,
        Err(message) => {
            c.at("policy.timezone", message);
            Zone::Floating
        }
    };
    if crate::money::minor_units(&section.currency).is_none() {
        c.at(
            "policy.currency",
            format!(
                "`{}` is not an ISO 4217 currency code such as \"CNY\"",
                section.currency
            ),
        );
    }

    let (script, script_name) = rule_source(c, section, files);
    if let Some(source) = &script {
        if !script_within_bounds(source, &script_name, section, &bounds, c) {
            return None;
        }
    }
    let mut rules = match Rules::new(&c.policy, script.as_deref(), &script_name) {
        Ok(rules) => rules,
        Err(e) => {
            c.error(e);
            Rules::new(&c.policy, None, &script_name).ok()?
        }
    };

    rule_settings(c, section, &mut rules);
    let calendars = compile_calendars(c, manifest);
    let severity = compile_severity(c, manifest.severity.as_ref(), &mut rules);
    let known_events = known_events(c, section);
    let (metrics, names) = compile_targets(
        c,
        manifest,
        &calendars,
        &severity,
        &known_events,
        &mut rules,
    );

    // KPIs.
    let kpis = crate::portfolio::compile_kpis(&manifest.kpis, &names, &mut |path, message| {
        c.at(path, message)
    });
    // Warranty, fees and credits.
    let warranty = manifest.warranty.as_ref().and_then(|spec| {
        if let Some(rule) = &spec.rule {
            require_function(c, &rules, "warranty.rule", rule, 2);
        }
        Warranty::compile(&c.policy, spec)
            .map_err(|e| c.error(e))
            .ok()
    });
    let fees = manifest.fees.as_ref().and_then(|spec| {
        if let Some(rule) = &spec.rule {
            require_function(c, &rules, "fees.rule", rule, 2);
        }
        FeeSchedule::compile(&c.policy, spec, &section.currency, &calendars)
            .map_err(|e| c.error(e))
            .ok()
    });
    let settlement = compile_settlement(c, manifest, &rules);
    let credits = compile_credits(c, manifest, &names, zone, &mut rules);

    let properties = compile_properties(c, manifest, &mut rules);

    let digest = digest(text, script.as_deref());
    Some(Policy {
        inner: Arc::new(PolicyInner {
            id: section.id.clone(),
            version: section.version.clone(),
            description: section.description.clone(),
            digest,
            currency: section.currency.clone(),
            zone,
            calendars,
            severity,
            metrics,
            known_events,
            rules,
            properties,
            kpis,
            warranty,
            fees,
            settlement,
            credits: credits?,
            manifest: manifest.clone(),
            warnings: c.warnings(text),
        }),
    })
}

/// The rules' source and the name errors give it: a file beside the
/// manifest (or among the texts given), or inline.
fn rule_source(
    c: &mut Compiler,
    section: &PolicySection,
    files: RuleFiles<'_>,
) -> (Option<String>, String) {
    match (&section.rules, &section.script) {
        (Some(_), Some(_)) => {
            c.at(
                "policy.rules",
                "give either `rules` (a file) or `script` (inline), not both",
            );
            (None, String::new())
        }
        (Some(file), None) => match files {
            RuleFiles::Directory(dir) => match super::read_policy_file(&dir.join(file)) {
                Ok(source) => (Some(source), file.clone()),
                Err(e) => {
                    c.at("policy.rules", format!("cannot read `{file}`: {e}"));
                    (None, file.clone())
                }
            },
            RuleFiles::Texts(texts) => match texts.get(file.as_str()) {
                Some(source) => (Some(source.clone()), file.clone()),
                None => {
                    let given: Vec<&str> = texts.keys().map(String::as_str).collect();
                    c.at(
                        "policy.rules",
                        format!(
                            "no rule text named `{file}` was given (given: {})",
                            if given.is_empty() {
                                "none".to_string()
                            } else {
                                given.join(", ")
                            }
                        ),
                    );
                    (None, file.clone())
                }
            },
            RuleFiles::None => {
                c.at(
                    "policy.rules",
                    "a rules file needs the policy to be loaded from a path, or its text given by name; use `script` for inline rules",
                );
                (None, file.clone())
            }
        },
        (None, Some(source)) => (Some(source.clone()), "policy.script".to_string()),
        (None, None) => (None, String::new()),
    }
}

/// The rules' limits: `rule_time_limit`, `rule_operation_limit`, and the
/// operator's backstop from the environment.
fn rule_settings(c: &mut Compiler, section: &PolicySection, rules: &mut Rules) {
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

/// The built-in `24x7` calendar and every `[calendars.NAME]`.
fn compile_calendars(c: &mut Compiler, manifest: &Manifest) -> BTreeMap<String, Calendar> {
    let section = &manifest.policy;
    let mut calendars = BTreeMap::new();
    calendars.insert(ALWAYS_OPEN.to_string(), Calendar::always_open());
    for (name, spec) in &manifest.calendars {
        if name == ALWAYS_OPEN {
            c.at(
                format!("calendars.{name}"),
                "`24x7` is built in and cannot be redefined",
            );
            continue;
        }
        match Calendar::new(name, spec, Some(&section.timezone)) {
            Ok(calendar) => {
                calendars.insert(name.clone(), calendar);
            }
            Err(e) => c.error(Error::Calendar(e)),
        }
    }
    calendars
}

/// `[severity]`: its levels, default, rule or decision table; the one level
/// `normal` when the section is absent.
fn compile_severity(
    c: &mut Compiler,
    severity: Option<&SeveritySection>,
    rules: &mut Rules,
) -> Severity {
    match severity {
        Some(s) => {
            let mut seen = BTreeSet::new();
            for (i, level) in s.levels.iter().enumerate() {
                if !seen.insert(level.as_str()) {
                    c.at(
                        format!("severity.levels[{i}]"),
                        format!("`{level}` is listed twice"),
                    );
                }
            }
            if s.levels.is_empty() {
                c.at(
                    "severity.levels",
                    "must list at least one level, most severe first",
                );
            }
            if !s.levels.contains(&s.default) {
                c.at(
                    "severity.default",
                    format!("`{}` is not one of the levels {:?}", s.default, s.levels),
                );
            }
            if let Some(rule) = &s.rule {
                require_function(c, rules, "severity.rule", rule, 1);
                if !s.table.is_empty() {
                    c.at(
                        "severity.table",
                        "give either a `rule` or a `table` for the severity, not both",
                    );
                }
            }
            let mut table = Vec::with_capacity(s.table.len());
            for (i, row) in s.table.iter().enumerate() {
                let path = format!("severity.table[{i}]");
                if !s.levels.contains(&row.level) {
                    c.at(
                        format!("{path}.level"),
                        format!("`{}` is not one of the levels {:?}", row.level, s.levels),
                    );
                }
                let when_path = format!("{path}.when");
                match rules.compile_expression(&when_path, &row.when, &["ticket", "severity"]) {
                    Ok(id) => {
                        let because = match &row.because {
                            Some(why) => crate::reason!(SeverityTable, &row.level, why, &path),
                            None => {
                                crate::reason!(SeverityTableWhen, &row.level, &row.when, &path)
                            }
                        };
                        table.push(SeverityCase {
                            when: Condition::new(id, &row.when),
                            level: row.level.clone(),
                            because,
                            path,
                        });
                    }
                    Err(e) => c.error(e),
                }
            }
            Severity {
                levels: s.levels.clone(),
                default: s.default.clone(),
                rule: s.rule.clone(),
                table,
            }
        }
        None => Severity {
            levels: vec!["normal".into()],
            default: "normal".into(),
            rule: None,
            table: Vec::new(),
        },
    }
}

/// The built-in event kinds and those `[policy] events` declares.
fn known_events(c: &mut Compiler, section: &PolicySection) -> BTreeSet<String> {
    let mut known_events: BTreeSet<String> =
        BUILT_IN_EVENTS.iter().map(|s| s.to_string()).collect();
    for (i, kind) in section.events.iter().enumerate() {
        if kind.trim().is_empty() {
            c.at(format!("policy.events[{i}]"), "must not be empty");
        }
        known_events.insert(kind.clone());
    }
    known_events
}

/// Every `[[targets]]` entry as a metric, and the metric names.
fn compile_targets(
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

/// `[settlement]`, with the fees' rounding and tax and the warranty's
/// partial-day rule it follows.
fn compile_settlement(
    c: &mut Compiler,
    manifest: &Manifest,
    rules: &Rules,
) -> Option<crate::settlement::SettlementTerms> {
    let section = &manifest.policy;
    manifest.settlement.as_ref().and_then(|spec| {
        if let Some(rule) = &spec.rule {
            require_function(c, rules, "settlement.rule", rule, 2);
        }
        let fees = manifest.fees.as_ref();
        crate::settlement::SettlementTerms::compile(
            &c.policy,
            spec,
            &section.currency,
            fees.map(|f| f.rounding).unwrap_or_default(),
            fees.and_then(|f| f.tax.as_ref()),
            manifest
                .warranty
                .as_ref()
                .and_then(|w| w.extension.as_ref())
                // As the warranty: an extension that does not count days
                // out of service leaves cn-sanbao's default rule.
                .filter(|e| e.out_of_service)
                .map(|e| e.partial_day)
                .unwrap_or_default(),
        )
        .map_err(|e| {
            // A bad currency is already reported at policy.currency.
            if !matches!(&e, Error::Policy { location, .. } if location.path == "policy.currency") {
                c.error(e);
            }
        })
        .ok()
    })
}

/// `[[credits]]` and `[credit_caps]`: their conditions compiled, their
/// metrics and rules checked against the targets and the rules.
fn compile_credits(
    c: &mut Compiler,
    manifest: &Manifest,
    names: &BTreeSet<String>,
    zone: Zone,
    rules: &mut Rules,
) -> Option<CreditRules> {
    let section = &manifest.policy;
    let (credits, credit_errors) = CreditRules::compile_all(
        &c.policy,
        &manifest.credits,
        manifest.credit_caps.as_ref(),
        &section.currency,
    );
    for error in credit_errors {
        // A bad currency is already reported at policy.currency.
        if !matches!(&error, Error::Policy { location, .. } if location.path == "policy.currency") {
            c.error(error);
        }
    }
    match credits {
        Some(mut credits) => {
            for error in credits.compile_conditions(rules) {
                c.error(error);
            }
            for (i, metric) in credits.metrics().enumerate() {
                if !names.contains(metric) {
                    c.at(
                        format!("credits[{i}].metric"),
                        format!("no target defines metric `{metric}`"),
                    );
                }
            }
            for entry in credits.rule_entries() {
                require_function(
                    c,
                    rules,
                    &format!("credits[{}].rule", entry.index),
                    entry.function,
                    2,
                );
            }
            Some(credits.with_zone(zone))
        }
        None => None,
    }
}

/// `[[properties]]`: each `holds` compiled as an expression.
fn compile_properties(
    c: &mut Compiler,
    manifest: &Manifest,
    rules: &mut Rules,
) -> Vec<super::Property> {
    let mut properties = Vec::new();
    for (i, property) in manifest.properties.iter().enumerate() {
        let path = format!("properties[{i}].holds");
        match rules.compile_expression(&path, &property.holds, &["ticket", "evaluation"]) {
            Ok(id) => properties.push(super::Property {
                name: property.name.clone(),
                id,
                holds: property.holds.clone(),
            }),
            Err(e) => c.error(e),
        }
    }
    properties
}

/// The words of an error past a size bound: how many there are, the bound
/// and how to raise it.
fn past_bound(what: &str, bound: u64, key: &str) -> String {
    format!(
        "{what}, more than the limit of {bound}; raise it with `[limits] {key}` (at most {})",
        maximum(key)
    )
}

/// The most `[limits]` may raise `key` to.
fn maximum(key: &str) -> u64 {
    let most = super::manifest::LimitsSection::MAXIMUM;
    match key {
        "targets" => most.targets,
        "properties" => most.properties,
        "functions" => most.functions,
        "script_bytes" => most.script_bytes,
        _ => most.table_entries,
    }
}

/// Checks `[limits]` itself and the sizes it bounds that are known from
/// the manifest alone: the numbers of targets and properties, the entries
/// of each target table. Each error is at the first entry past its bound.
/// `false` when a bound is passed, and compiling stops there: nothing
/// costly is done for a policy too large.
fn within_bounds(
    manifest: &Manifest,
    bounds: &super::manifest::LimitsSection,
    c: &mut Compiler,
) -> bool {
    let mut within = true;
    if manifest.limits.is_some() {
        for (key, value) in [
            ("targets", bounds.targets),
            ("properties", bounds.properties),
            ("functions", bounds.functions),
            ("script_bytes", bounds.script_bytes),
            ("table_entries", bounds.table_entries),
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
fn script_within_bounds(
    source: &str,
    script_name: &str,
    section: &super::manifest::PolicySection,
    bounds: &super::manifest::LimitsSection,
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

fn require_function(c: &mut Compiler, rules: &Rules, path: &str, name: &str, arity: usize) {
    match rules.function_arity(name) {
        Some(n) if n == arity => {}
        Some(n) => c.at(
            path,
            format!("the rules define `{name}` with {n} parameters; it is called with {arity}"),
        ),
        None => c.at(
            path,
            format!("the rules define no function `{name}` (expected `fn {name}(…)` with {arity} parameters)"),
        ),
    }
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
    let calendar = match calendars.get(calendar_name) {
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
    };
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

    let warn_at = compile_warn_at(c, spec, path, &target);
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
    let appointment = super::appointment::compile(c, spec, path, &stop);
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
        description: spec.description.clone(),
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
    })
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
            Some(ServiceDuration::BusinessDays(_)) => {
                c.at(
                    format!("{path}.warn_at"),
                    "a lead time is counted time such as \"15m\", not business days",
                );
                None
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
