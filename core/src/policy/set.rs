//! Policy sets: the versions of one policy, each in force from an instant.
//!
//! A manifest whose top table is `[policy_set]` lists `[[versions]]`, each
//! a whole policy manifest (`file`) with the instant it takes effect
//! (`effective_from`). It compiles into the one [`Policy`] type: each
//! ticket is evaluated by the version in force at its opening (or at the
//! ticket field `policy_set.select` names), so that every host loads a set
//! the way it loads a policy.

use super::compile::{self, parse_toml, Compiled, RuleFiles};
use super::diagnostic::{Diagnostic, Diagnostics, Level};
use super::Policy;
use crate::calendar::Zone;
use crate::error::{Error, Result};
use crate::ticket::Ticket;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Arc;

/// A policy set as its author writes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SetManifest {
    policy_set: SetSection,
    #[serde(default)]
    versions: Vec<VersionEntry>,
}

/// `[policy_set]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SetSection {
    /// The policy's id, which every version's `[policy] id` repeats.
    id: String,
    /// What the set is for.
    #[serde(default)]
    description: Option<String>,
    /// The zone of the versions' local dates and times.
    timezone: String,
    /// The ticket field whose instant selects the version (`opened_at`).
    #[serde(default)]
    select: Option<String>,
}

/// One `[[versions]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VersionEntry {
    /// The version's manifest, relative to the set's.
    file: String,
    /// The instant from which it is in force.
    effective_from: When,
    /// The instant at which it stops being in force (the next version's
    /// `effective_from`, or the end of the last).
    #[serde(default)]
    effective_until: Option<When>,
}

/// An instant as written: text, or a TOML date or date-time.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum When {
    Text(String),
    Toml(toml::value::Datetime),
}

impl When {
    fn text(&self) -> String {
        match self {
            When::Text(text) => text.clone(),
            When::Toml(datetime) => datetime.to_string(),
        }
    }
}

/// The instant of `text` in `zone`: a date is the first instant of that
/// local day, a local date-time is resolved as calendars resolve one (a
/// time in a spring-forward gap moves forward by the gap, an ambiguous one
/// takes its first occurrence), a date-time with an offset is that instant.
pub(crate) fn instant_in(zone: Zone, text: &str) -> std::result::Result<DateTime<Utc>, String> {
    let text = text.trim();
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(zone.resolve(date.and_time(chrono::NaiveTime::MIN)));
    }
    if let Ok(instant) = DateTime::parse_from_rfc3339(text) {
        return Ok(instant.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"] {
        if let Ok(local) = NaiveDateTime::parse_from_str(text, format) {
            return Ok(zone.resolve(local));
        }
    }
    Err(format!(
        "`{text}` is not a date (2026-01-01), a local date-time (2026-01-01T08:00:00) or an instant with an offset (2026-01-01T08:00:00+08:00)"
    ))
}

/// The ticket field whose instant selects the version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Select {
    /// `opened_at` (the default).
    OpenedAt,
    /// `product.purchased_on`: the first instant of that day in the set's zone.
    PurchasedOn,
    /// `attributes.NAME`: an instant with an offset, or a date.
    Attribute(String),
}

impl Select {
    fn parse(text: &str) -> std::result::Result<Select, String> {
        match text {
            "opened_at" => Ok(Select::OpenedAt),
            "product.purchased_on" => Ok(Select::PurchasedOn),
            _ => match text.strip_prefix("attributes.") {
                Some(name) if !name.is_empty() => Ok(Select::Attribute(name.to_string())),
                _ => Err(format!(
                    "`{text}` is not a ticket field a version can be selected by: \"opened_at\", \"product.purchased_on\" or \"attributes.NAME\""
                )),
            },
        }
    }

    /// The field's name in the ticket, as errors name it.
    fn field(&self) -> String {
        match self {
            Select::OpenedAt => "opened_at".to_string(),
            Select::PurchasedOn => "product.purchased_on".to_string(),
            Select::Attribute(name) => format!("attributes.{name}"),
        }
    }

    /// The instant that selects `ticket`'s version, or the ticket error
    /// naming the field.
    fn instant(&self, ticket: &Ticket, zone: Zone) -> Result<DateTime<Utc>> {
        let missing = || {
            Error::ticket(
                &ticket.id,
                self.field(),
                format!(
                    "the policy set selects each ticket's version by `{}`, which this ticket does not have",
                    self.field()
                ),
            )
        };
        match self {
            Select::OpenedAt => Ok(ticket.opened_at.with_timezone(&Utc)),
            Select::PurchasedOn => ticket
                .product
                .as_ref()
                .and_then(|p| p.purchased_on)
                .map(|date| zone.resolve(date.and_time(chrono::NaiveTime::MIN)))
                .ok_or_else(missing),
            Select::Attribute(name) => {
                let value = ticket.attributes.get(name).ok_or_else(missing)?;
                let text = value.as_str().ok_or_else(|| {
                    Error::ticket(
                        &ticket.id,
                        self.field(),
                        format!("{value} is not a date or an instant given as text"),
                    )
                })?;
                instant_in(zone, text).map_err(|m| Error::ticket(&ticket.id, self.field(), m))
            }
        }
    }
}

/// One version of a set, compiled.
#[derive(Debug)]
pub(crate) struct Version {
    /// Its manifest, as `[[versions]] file` names it.
    pub file: String,
    /// The instant from which it is in force.
    pub from: DateTime<Utc>,
    /// The instant at which it stops (the last version's `effective_until`).
    pub until: Option<DateTime<Utc>>,
    /// The compiled version.
    pub policy: Policy,
}

/// A compiled policy set.
#[derive(Debug)]
pub(crate) struct PolicySet {
    /// `policy_set.id`.
    pub id: String,
    /// `policy_set.description`.
    pub description: Option<String>,
    /// The versions' `policy.version`, joined by commas in their order.
    pub version: String,
    /// `sha256:` digest of the set manifest and each version's digest.
    pub digest: String,
    /// The zone of the versions' dates.
    pub zone: Zone,
    /// What selects a ticket's version.
    pub select: Select,
    /// The versions, in the order they take effect.
    pub versions: Vec<Version>,
    /// Every warning of the set and its versions.
    pub warnings: Vec<Diagnostic>,
}

impl PolicySet {
    /// The version in force for `ticket`, or the ticket error naming the
    /// field that selects it.
    pub fn version_for(&self, ticket: &Ticket) -> Result<&Policy> {
        let at = self.select.instant(ticket, self.zone)?;
        let index = self.versions.partition_point(|v| v.from <= at);
        let shown = |t: DateTime<Utc>| crate::calendar::show_in(self.zone, t).to_rfc3339();
        let Some(version) = index.checked_sub(1).and_then(|i| self.versions.get(i)) else {
            let first = self
                .versions
                .first()
                .map_or(String::new(), |v| shown(v.from));
            return Err(Error::ticket(
                &ticket.id,
                self.select.field(),
                format!(
                    "{} is before the first version of policy set `{}` takes effect ({first})",
                    shown(at),
                    self.id
                ),
            ));
        };
        if let Some(until) = version.until.filter(|until| at >= *until) {
            return Err(Error::ticket(
                &ticket.id,
                self.select.field(),
                format!(
                    "{} is after the last version of policy set `{}` ends ({})",
                    shown(at),
                    self.id,
                    shown(until)
                ),
            ));
        }
        Ok(&version.policy)
    }
}

/// Whether manifest text is a policy set: its top table is `[policy_set]`.
/// A cheap look at the lines first, so that a policy is parsed once.
pub(crate) fn is_set(text: &str) -> bool {
    text.lines()
        .any(|line| line.trim_start().starts_with("[policy_set"))
        && toml::from_str::<toml::Table>(text).is_ok_and(|t| t.contains_key("policy_set"))
}

/// Compiles a policy set; `files` finds its versions' manifests (and their
/// rule and ICS files) as they find a policy's rule file.
pub(crate) fn compile_set(text: &str, files: RuleFiles<'_>, source_name: &str) -> Compiled {
    let manifest: SetManifest = match parse_toml(text, source_name) {
        Ok(m) => m,
        Err(e) => {
            return Compiled {
                policy: None,
                id: None,
                diagnostics: vec![Diagnostic::from_error(&e)],
            }
        }
    };
    let section = &manifest.policy_set;
    let mut c = Diagnostics::new(&section.id);
    let set = build(&manifest, text, files, &mut c);
    let failed = c.has_errors();
    let diagnostics = c.located(text);
    let policy = set.filter(|_| !failed).map(|mut set| {
        set.warnings = diagnostics
            .iter()
            .filter(|d| d.level == Level::Warning)
            .cloned()
            .collect();
        let latest = set.versions.last().map(|v| v.policy.inner.clone());
        latest.map(|inner| Policy {
            inner,
            set: Some(Arc::new(set)),
        })
    });
    Compiled {
        policy: policy.flatten(),
        id: Some(section.id.clone()),
        diagnostics,
    }
}

/// Checks the set's own section, compiles each version, and checks that
/// the versions follow one another without gap or overlap and agree where
/// a report across them needs it.
fn build(
    manifest: &SetManifest,
    text: &str,
    files: RuleFiles<'_>,
    c: &mut Diagnostics,
) -> Option<PolicySet> {
    let section = &manifest.policy_set;
    if section.id.trim().is_empty() {
        c.at("policy_set.id", "must not be empty");
    }
    let zone = Zone::parse(&section.timezone)
        .map_err(|message| c.at("policy_set.timezone", message))
        .ok();
    let select = Select::parse(section.select.as_deref().unwrap_or("opened_at"))
        .map_err(|message| c.at("policy_set.select", message))
        .ok();
    if manifest.versions.is_empty() {
        c.at(
            "policy_set",
            "a policy set lists at least one version (`[[versions]]` with `file` and `effective_from`)",
        );
    }
    let mut versions = Vec::new();
    for (i, entry) in manifest.versions.iter().enumerate() {
        let from = zone.and_then(|zone| {
            instant_in(zone, &entry.effective_from.text())
                .map_err(|m| c.at(format!("versions[{i}].effective_from"), m))
                .ok()
        });
        let until = match (&entry.effective_until, zone) {
            (Some(until), Some(zone)) => instant_in(zone, &until.text())
                .map_err(|m| c.at(format!("versions[{i}].effective_until"), m))
                .ok(),
            _ => None,
        };
        let policy = compile_version(i, &entry.file, files, c);
        if let (Some(from), Some(policy)) = (from, policy) {
            versions.push(Version {
                file: entry.file.clone(),
                from,
                until,
                policy,
            });
        }
    }
    let zone = zone?;
    if versions.len() != manifest.versions.len() {
        return None;
    }
    check_sequence(&versions, zone, c);
    check_agreement(section, &versions, c);
    let version = versions
        .iter()
        .map(|v| v.policy.version().to_string())
        .collect::<Vec<_>>()
        .join(",");
    Some(PolicySet {
        id: section.id.clone(),
        description: section.description.clone(),
        version,
        digest: set_digest(text, &versions),
        zone,
        select: select?,
        versions,
        warnings: Vec::new(),
    })
}

/// Reads and compiles version `i`'s manifest; its findings join the set's,
/// their paths prefixed by the file (their lines are the file's own).
fn compile_version(
    i: usize,
    file: &str,
    files: RuleFiles<'_>,
    c: &mut Diagnostics,
) -> Option<Policy> {
    let at = format!("versions[{i}].file");
    let (text, directory) = match files {
        RuleFiles::Directory(dir) => {
            let path = dir.join(file);
            match super::read_policy_file(&path) {
                Ok(text) => (text, path.parent().map(Path::to_path_buf)),
                Err(message) => {
                    c.at(at, format!("cannot read `{}`: {message}", path.display()));
                    return None;
                }
            }
        }
        RuleFiles::Texts(texts) => match texts.get(file) {
            Some(text) => (text.clone(), None),
            None => {
                let given: Vec<&str> = texts.keys().map(String::as_str).collect();
                c.at(
                    at,
                    format!(
                        "no text named `{file}` was given with the set (given: {})",
                        if given.is_empty() {
                            "none".to_string()
                        } else {
                            given.join(", ")
                        }
                    ),
                );
                return None;
            }
        },
        RuleFiles::None => {
            c.at(
                at,
                format!("a policy set given as text alone cannot read `{file}`: load it from its path, or give the versions' texts by name"),
            );
            return None;
        }
    };
    if is_set(&text) {
        c.at(
            at,
            format!("`{file}` is itself a policy set; a version is a policy manifest"),
        );
        return None;
    }
    let version_files = match (&directory, files) {
        (Some(dir), _) => RuleFiles::Directory(dir),
        (None, files) => files,
    };
    let compiled = compile::compile(&text, version_files, file);
    for mut d in compiled.diagnostics {
        d.location.path = if d.location.path.is_empty() {
            file.to_string()
        } else {
            format!("{file}: {}", d.location.path)
        };
        c.push(d);
    }
    compiled.policy
}

/// Each version takes effect after the one before it; an
/// `effective_until` meets the next `effective_from` exactly (earlier is a
/// gap, later an overlap) and comes after its own `effective_from`.
fn check_sequence(versions: &[Version], zone: Zone, c: &mut Diagnostics) {
    let shown = |t: DateTime<Utc>| crate::calendar::show_in(zone, t).to_rfc3339();
    for (i, (before, after)) in versions.iter().zip(versions.iter().skip(1)).enumerate() {
        if after.from == before.from {
            c.at(
                format!("versions[{}].effective_from", i + 1),
                format!(
                    "versions[{i}] and versions[{}] both take effect at {}: two versions in force at once (an overlap)",
                    i + 1,
                    shown(after.from)
                ),
            );
        } else if after.from < before.from {
            c.at(
                format!("versions[{}].effective_from", i + 1),
                format!(
                    "{} is before versions[{i}]'s effective_from {}: list the versions in the order they take effect",
                    shown(after.from),
                    shown(before.from)
                ),
            );
        }
    }
    for (i, version) in versions.iter().enumerate() {
        let Some(until) = version.until else { continue };
        let path = format!("versions[{i}].effective_until");
        if until <= version.from {
            c.at(
                path,
                format!(
                    "{} is not after the version's effective_from {}",
                    shown(until),
                    shown(version.from)
                ),
            );
        } else if let Some(next) = versions.get(i + 1) {
            if until < next.from {
                c.at(
                    path,
                    format!(
                        "a gap: no version is in force from {} to {} (versions[{}].effective_from)",
                        shown(until),
                        shown(next.from),
                        i + 1
                    ),
                );
            } else if until > next.from {
                c.at(path, format!("an overlap: versions[{i}] and versions[{}] are both in force from {} to {}", i + 1, shown(next.from), shown(until)));
            }
        }
    }
}

/// Every version is a version of the set's policy (its id), with its own
/// `policy.version`, and agrees with the first on what a report across
/// versions adds up: the currency, the zone and the metrics in order.
fn check_agreement(section: &SetSection, versions: &[Version], c: &mut Diagnostics) {
    let Some(first) = versions.first() else {
        return;
    };
    let names = |p: &Policy| p.metric_names().join(", ");
    for (i, version) in versions.iter().enumerate() {
        let at = format!("versions[{i}].file");
        let policy = &version.policy;
        if policy.id() != section.id {
            c.at(&at, format!("`{}` is policy `{}`, not a version of `{}` (its `[policy] id` must be the set's id)", version.file, policy.id(), section.id));
        }
        if let Some(j) = versions
            .iter()
            .take(i)
            .position(|v| v.policy.version() == policy.version())
        {
            c.at(&at, format!("`{}` has the same `[policy] version` `{}` as versions[{j}]: each version names itself", version.file, policy.version()));
        }
        if i == 0 {
            continue;
        }
        let differs = |what: &str, mine: String, theirs: String| {
            format!("`{}` has {what} {mine}, versions[0] `{}` has {theirs}: the versions of a set share it, so that a report across them adds up", version.file, first.file)
        };
        if policy.currency() != first.policy.currency() {
            c.at(
                &at,
                differs(
                    "currency",
                    policy.currency().to_string(),
                    first.policy.currency().to_string(),
                ),
            );
        }
        if policy.zone() != first.policy.zone() {
            c.at(
                &at,
                differs(
                    "timezone",
                    policy.zone().name().to_string(),
                    first.policy.zone().name().to_string(),
                ),
            );
        }
        if names(policy) != names(&first.policy) {
            c.at(
                &at,
                differs(
                    "the metrics",
                    format!("[{}]", names(policy)),
                    format!("[{}]", names(&first.policy)),
                ),
            );
        }
    }
}

/// The digest of a set: SHA-256 of its manifest as canonical JSON, then
/// each version's file name and digest in order.
fn set_digest(text: &str, versions: &[Version]) -> String {
    let canonical = toml::from_str::<toml::Value>(text)
        .ok()
        .and_then(|v| serde_json::to_value(v).ok())
        .map(|v| v.to_string())
        .unwrap_or_else(|| text.to_string());
    let mut hasher = Sha256::new();
    hasher.update(canonical.as_bytes());
    for version in versions {
        hasher.update(format!("\n--version {}--\n", version.file).as_bytes());
        hasher.update(version.policy.digest().as_bytes());
    }
    let hex: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256:{hex}")
}

#[cfg(test)]
#[path = "set_tests.rs"]
mod tests;
