//! Manifest → [`Policy`]: every check that can be made once, made once.
//! Problems are collected, not stopped at, so `check` can list them all.

use super::bounds::{rule_settings, script_within_bounds, within_bounds};
use super::diagnostic::{Diagnostic, Diagnostics};
use super::manifest::{Manifest, PolicySection, SeveritySection};
use super::{Policy, PolicyInner, Severity};
use crate::calendar::{Calendar, Zone, ALWAYS_OPEN};
use crate::credits::CreditRules;
use crate::error::{Error, Location};
use crate::fees::FeeSchedule;
use crate::rules::condition::Condition;
use crate::rules::Rules;
use crate::sla::SeverityCase;
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
    "status",
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
pub(super) type Compiler = Diagnostics;

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
    parse_toml(text, source_name)
}

/// Parses TOML text into `T`; a failure names the key path, line and column.
pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(
    text: &str,
    source_name: &str,
) -> Result<T, Error> {
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
///
/// Each calendar's ICS file follows, by calendar name, when there is one
/// (a policy without ICS files keeps the digest it had before they existed).
fn digest(text: &str, script: Option<&str>, ics: &[(String, String)]) -> String {
    let canonical = toml::from_str::<toml::Value>(text)
        .ok()
        .and_then(|v| serde_json::to_value(v).ok())
        .map(|v| v.to_string())
        .unwrap_or_else(|| text.to_string());
    let mut hasher = Sha256::new();
    hasher.update(canonical.as_bytes());
    hasher.update(b"\n--rules--\n");
    hasher.update(script.unwrap_or_default().as_bytes());
    for (calendar, text) in ics {
        hasher.update(format!("\n--ics {calendar} {}--\n", text.len()).as_bytes());
        hasher.update(text.as_bytes());
    }
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
///
/// A manifest whose top table is `[policy_set]` compiles as a policy set
/// (`set.rs`): its versions are found as the rule file is.
pub(crate) fn compile(text: &str, files: RuleFiles<'_>, source_name: &str) -> Compiled {
    if super::set::is_set(text) {
        return super::set::compile_set(text, files, source_name);
    }
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

// Long because it calls each manifest section in the order its findings are reported.
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

    let (mut rules, script) = compile_rules(c, section, files, &bounds)?;
    let (calendars, ics_texts) = compile_calendars(c, manifest, files, &bounds);
    let severity = compile_severity(c, manifest.severity.as_ref(), &mut rules);
    let known_events = known_events(c, section);
    let (metrics, names) = super::targets::compile_targets(
        c,
        manifest,
        &calendars,
        &severity,
        &known_events,
        &mut rules,
    );

    // KPIs.
    let kpis = crate::kpi::compile_kpis(&manifest.kpis, &names, &mut |path, message| {
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

    let digest = digest(text, script.as_deref(), &ics_texts);
    Some(Policy {
        set: None,
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

/// The built-in `24x7` calendar and every `[calendars.NAME]`, with the
/// texts of the ICS files they read (by calendar name, for the digest).
fn compile_calendars(
    c: &mut Compiler,
    manifest: &Manifest,
    files: RuleFiles<'_>,
    bounds: &super::manifest::LimitsSection,
) -> (BTreeMap<String, Calendar>, Vec<(String, String)>) {
    let section = &manifest.policy;
    let mut calendars = BTreeMap::new();
    let mut ics_texts = Vec::new();
    calendars.insert(ALWAYS_OPEN.to_string(), Calendar::always_open());
    for (name, spec) in &manifest.calendars {
        if name == ALWAYS_OPEN {
            c.at(
                format!("calendars.{name}"),
                "`24x7` is built in and cannot be redefined",
            );
            continue;
        }
        let text = spec
            .holidays_ics
            .as_deref()
            .and_then(|file| ics_text(name, file, files, bounds.ics_bytes, c));
        if let Some(text) = &text {
            warn_unmarked_working_days(c, name, spec, text);
            ics_texts.push((name.clone(), text.clone()));
        }
        let spec = match crate::calendar::ics::with_ics(name, spec, text.as_deref()) {
            Ok(spec) => spec,
            Err(e) => {
                c.error(Error::Calendar(e));
                continue;
            }
        };
        match Calendar::new(name, &spec, Some(&section.timezone)) {
            Ok(calendar) => {
                calendars.insert(name.clone(), calendar);
            }
            Err(e) => c.error(Error::Calendar(e)),
        }
    }
    (calendars, ics_texts)
}

/// Warns when calendar `name` reads an ICS file without
/// `working_days_from` and an event of the file reads as a Chinese
/// adjusted working day (`补班`): without the marker it would close as a
/// holiday.
fn warn_unmarked_working_days(
    c: &mut Compiler,
    name: &str,
    spec: &crate::calendar::CalendarSpec,
    text: &str,
) {
    if spec.working_days_from.is_some() {
        return;
    }
    let (Some(file), Some((line, summary))) = (
        spec.holidays_ics.as_deref(),
        crate::calendar::ics::unmarked_working_day(text),
    ) else {
        return;
    };
    c.warn(
        format!("calendars.{name}.holidays_ics"),
        format!(
            "`{file}`, line {line}: the event `{summary}` reads as an adjusted working day, \
             yet without `working_days_from` every event of the file is a holiday; add \
             `working_days_from = \"SUMMARY:{mark}\"` (or the marker the feed uses)",
            mark = crate::calendar::ics::WORKING_DAY_MARK
        ),
    );
}

/// The text of calendar `name`'s `holidays_ics` file, found as a rule
/// file is; `None` (with an error noted at `calendars.NAME.holidays_ics`)
/// when it cannot be had or is larger than `limit` bytes.
fn ics_text(
    name: &str,
    file: &str,
    files: RuleFiles<'_>,
    limit: u64,
    c: &mut Compiler,
) -> Option<String> {
    let path = format!("calendars.{name}.holidays_ics");
    let text = match files {
        RuleFiles::Directory(dir) => crate::calendar::ics::read_file(&dir.join(file), limit)
            .map_err(|e| format!("cannot read `{file}`: {e}")),
        RuleFiles::Texts(texts) => match texts.get(file) {
            Some(text) if text.len() as u64 > limit => Err(format!(
                "cannot read `{file}`: {}",
                crate::calendar::ics::too_large(limit)
            )),
            Some(text) => Ok(text.clone()),
            None => Err(format!(
                "no text named `{file}` was given (given: {})",
                if texts.is_empty() {
                    "none".to_string()
                } else {
                    texts.keys().cloned().collect::<Vec<_>>().join(", ")
                }
            )),
        },
        RuleFiles::None => Err(
            "an ICS file needs the policy to be loaded from a path, or its text given by name \
             beside the rules"
                .to_string(),
        ),
    };
    text.map_err(|message| c.at(path, message)).ok()
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

pub(super) fn require_function(
    c: &mut Compiler,
    rules: &Rules,
    path: &str,
    name: &str,
    arity: usize,
) {
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

/// The policy's rules, read and bounded, with their limits set, and their
/// source; `None` when they are past a size bound (nothing more is compiled).
fn compile_rules(
    c: &mut Compiler,
    section: &PolicySection,
    files: RuleFiles<'_>,
    bounds: &super::manifest::LimitsSection,
) -> Option<(Rules, Option<String>)> {
    let (script, script_name) = rule_source(c, section, files);
    if let Some(source) = &script {
        if !script_within_bounds(source, &script_name, section, bounds, c) {
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
    Some((rules, script))
}
