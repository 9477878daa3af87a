//! Policies: the TOML manifest, compiled once into an immutable [`Policy`]
//! (`Send + Sync`, cheap to clone) that evaluates tickets.

mod appointment;
mod bounds;
mod compile;
mod diagnostic;
mod escalation;
mod locate;
pub mod manifest;
mod set;
mod targets;

use compile::RuleFiles;
pub use diagnostic::{Diagnostic, Level};
pub use manifest::{LimitsSection, Manifest};

use crate::calendar::{Calendar, Zone};
use crate::credits::CreditRules;
use crate::error::{Error, Result};
use crate::fees::FeeSchedule;
use crate::rules::{ExpressionId, Rules};
use crate::sla::Metric;
pub use crate::sla::Severity;
use crate::warranty::Warranty;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

/// A compiled policy. Clones share the compiled rules and calendars.
///
/// A policy set (a manifest whose top table is `[policy_set]`) compiles
/// into a `Policy` too: each ticket is evaluated by the version in force
/// for it, and the set's own id, versions and digest are what
/// [`Policy::id`], [`Policy::version`] and [`Policy::digest`] give; what
/// the versions share (currency, zone, metrics) and the rest of the
/// accessors are the latest version's.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The policy; for a set, its latest version's.
    pub(crate) inner: Arc<PolicyInner>,
    /// The versions, when the policy is a set.
    pub(crate) set: Option<Arc<set::PolicySet>>,
}

/// A compiled `[[properties]]` law.
#[derive(Debug)]
pub(crate) struct Property {
    /// Its name.
    pub name: String,
    /// The compiled `holds` predicate.
    pub id: ExpressionId,
    /// The predicate, as written.
    pub holds: String,
}

#[derive(Debug)]
pub(crate) struct PolicyInner {
    pub id: String,
    pub version: String,
    pub description: Option<String>,
    pub digest: String,
    pub currency: String,
    pub zone: Zone,
    pub calendars: BTreeMap<String, Calendar>,
    pub severity: Severity,
    pub metrics: Vec<Metric>,
    pub known_events: BTreeSet<String>,
    pub rules: Rules,
    pub properties: Vec<Property>,
    pub kpis: Vec<crate::kpi::Kpi>,
    pub warranty: Option<Warranty>,
    pub fees: Option<FeeSchedule>,
    pub settlement: Option<crate::settlement::SettlementTerms>,
    pub credits: CreditRules,
    /// What the policy was compiled from: the vocabulary of generated
    /// tickets (`testing`) is read from it.
    #[cfg_attr(not(feature = "testing"), allow(dead_code))]
    pub manifest: Manifest,
    pub warnings: Vec<Diagnostic>,
}

/// Where a policy comes from: a file, or its texts as a host holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicySource {
    /// A manifest file; `policy.rules` is read from its directory.
    Path(std::path::PathBuf),
    /// Manifest text and the texts of its rule files by name.
    Text {
        /// The TOML manifest.
        toml: String,
        /// Rule files by the name `policy.rules` gives.
        rules: BTreeMap<String, String>,
    },
}

/// The default largest policy file (a manifest, a rule file or an ICS
/// text), in bytes: 4 MiB, some 350 times the largest example pack, with
/// room for a generated table of 100,000 entries (about 1.5 MB); a file
/// past it is refused before it is parsed.
pub const MAX_POLICY_BYTES: u64 = 4 << 20;

/// The most [`MAX_POLICY_BYTES_VARIABLE`] may raise the limit to: 1 GiB.
pub const MAX_POLICY_BYTES_CEILING: u64 = 1 << 30;

/// The environment variable that raises (or lowers) the largest policy
/// file read, in bytes, from 1 to [`MAX_POLICY_BYTES_CEILING`].
pub const MAX_POLICY_BYTES_VARIABLE: &str = "AFTERSALES_MAX_POLICY_BYTES";

/// The largest policy file read: [`MAX_POLICY_BYTES_VARIABLE`] when set,
/// else [`MAX_POLICY_BYTES`]; a value that is not a whole number of
/// bytes in range is an error naming the variable.
pub fn max_policy_bytes() -> std::result::Result<u64, String> {
    match std::env::var(MAX_POLICY_BYTES_VARIABLE) {
        Err(std::env::VarError::NotPresent) => Ok(MAX_POLICY_BYTES),
        Err(std::env::VarError::NotUnicode(_)) => Err(format!(
            "{MAX_POLICY_BYTES_VARIABLE} is not a whole number of bytes from 1 to {MAX_POLICY_BYTES_CEILING}"
        )),
        Ok(text) => text
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|bytes| (1..=MAX_POLICY_BYTES_CEILING).contains(bytes))
            .ok_or_else(|| {
                format!(
                    "{MAX_POLICY_BYTES_VARIABLE} `{text}` is not a whole number of bytes from 1 to {MAX_POLICY_BYTES_CEILING}"
                )
            }),
    }
}

/// Reads a policy file (a manifest or a rule file) as text, reading at
/// most one byte more than [`max_policy_bytes`]: `/dev/zero` fails at
/// once. The error is the reason, without the path.
pub(crate) fn read_policy_file(path: &Path) -> std::result::Result<String, String> {
    use std::io::Read;
    let limit = max_policy_bytes()?;
    let most = usize::try_from(limit.saturating_add(1)).unwrap_or(usize::MAX);
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    // Room for the whole file at once: its size when it has one, else the
    // limit (`/dev/zero`), so that reading never holds two copies.
    let size = file
        .metadata()
        .ok()
        .filter(std::fs::Metadata::is_file)
        .and_then(|m| usize::try_from(m.len()).ok());
    let mut bytes: Vec<u8> =
        Vec::with_capacity(size.map_or(most, |size| size.saturating_add(1).min(most)));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "the file is larger than the limit of {limit} bytes (raise it with {MAX_POLICY_BYTES_VARIABLE})"
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "the file is not valid UTF-8 (byte {})",
            e.utf8_error().valid_up_to() + 1
        )
    })
}

/// Policy texts given in memory (a host's database) are held to the same
/// limit as files, so that a policy loads alike from a path or from its
/// texts: the manifest, then each rule text by name.
fn check_text_sizes(toml: &str, rules: &BTreeMap<String, String>) -> Result<()> {
    let limit = max_policy_bytes().map_err(|message| Error::policy("<text>", "", message))?;
    let too_long = |what: String, path: &str, bytes: usize| {
        Error::policy(
            "<text>",
            path,
            format!(
                "{what} is {bytes} bytes, larger than the limit of {limit} bytes (raise it with {MAX_POLICY_BYTES_VARIABLE})"
            ),
        )
    };
    if toml.len() as u64 > limit {
        return Err(too_long("the manifest".to_string(), "", toml.len()));
    }
    for (name, text) in rules {
        if text.len() as u64 > limit {
            return Err(too_long(
                format!("the rule text `{name}`"),
                "policy.rules",
                text.len(),
            ));
        }
    }
    Ok(())
}

/// [`read_policy_file`] with the error naming the file.
fn read_policy(path: &Path) -> Result<String> {
    read_policy_file(path).map_err(|message| Error::Io {
        path: path.display().to_string(),
        message,
    })
}

/// The directory a manifest's rule file is read from.
fn directory(path: &Path) -> RuleFiles<'_> {
    match path.parent() {
        Some(dir) => RuleFiles::Directory(dir),
        None => RuleFiles::Directory(Path::new(".")),
    }
}

/// The first error diagnostic as an error of policy `policy`, with its
/// kind, location and message.
fn first_error(policy: &str, diagnostics: &[Diagnostic]) -> Error {
    diagnostics
        .iter()
        .find(|d| d.level == Level::Error)
        .map(|d| d.to_error(policy))
        .unwrap_or_else(|| Error::policy(policy, "", "the policy did not compile"))
}

impl Policy {
    /// Compiles a policy from manifest text. A `rules` file cannot be
    /// resolved without a path: use [`Policy::from_path`], or inline `script`.
    pub fn from_toml_str(text: &str) -> Result<Policy> {
        check_text_sizes(text, &BTreeMap::new())?;
        let compiled = compile::compile(text, RuleFiles::None, "<text>");
        let id = compiled.id.unwrap_or_else(|| "<text>".to_string());
        compiled
            .policy
            .ok_or_else(|| first_error(&id, &compiled.diagnostics))
    }

    /// Compiles a policy from manifest text and its rule files given as
    /// texts by name: `[policy] rules = "meter.rhai"` is looked up in
    /// `rules`. This is how a host that keeps policies in a database, with
    /// no file system, loads a policy with rules.
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// let toml = r#"
    /// [policy]
    /// id = "p"
    /// version = "1"
    /// currency = "CNY"
    /// timezone = "Asia/Shanghai"
    /// rules = "p.rhai"
    /// [severity]
    /// levels = ["high", "normal"]
    /// default = "normal"
    /// rule = "severity"
    /// "#;
    /// let rules = BTreeMap::from([(
    ///     "p.rhai".to_string(),
    ///     r#"fn severity(ticket) { if ticket.channel == "hotline" { "high" } else { () } }"#.to_string(),
    /// )]);
    /// let policy = aftersales::Policy::from_toml_with_rules(toml, &rules).unwrap();
    /// assert_eq!(policy.id(), "p");
    /// ```
    pub fn from_toml_with_rules(text: &str, rules: &BTreeMap<String, String>) -> Result<Policy> {
        check_text_sizes(text, rules)?;
        let compiled = compile::compile(text, RuleFiles::Texts(rules), "<text>");
        let id = compiled.id.unwrap_or_else(|| "<text>".to_string());
        compiled
            .policy
            .ok_or_else(|| first_error(&id, &compiled.diagnostics))
    }

    /// Compiles a policy from a [`PolicySource`].
    pub fn from_source(source: &PolicySource) -> Result<Policy> {
        match source {
            PolicySource::Path(path) => Policy::from_path(path),
            PolicySource::Text { toml, rules } => Policy::from_toml_with_rules(toml, rules),
        }
    }

    /// Reads and compiles a policy file; `rules` is relative to its directory.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Policy> {
        let path = path.as_ref();
        let text = read_policy(path)?;
        let name = path.display().to_string();
        let compiled = compile::compile(&text, directory(path), &name);
        let id = compiled.id.unwrap_or(name);
        compiled
            .policy
            .ok_or_else(|| first_error(&id, &compiled.diagnostics))
    }

    /// Lints manifest text: every error and warning, with locations,
    /// without stopping at the first. `base` resolves a `rules` file.
    pub fn check_source(text: &str, base: Option<&Path>) -> Vec<Diagnostic> {
        if let Err(e) = check_text_sizes(text, &BTreeMap::new()) {
            return vec![Diagnostic::from_error(&e)];
        }
        let files = base.map_or(RuleFiles::None, RuleFiles::Directory);
        compile::compile(text, files, "<text>").diagnostics
    }

    /// Lints a [`PolicySource`]: every error and warning, with locations.
    pub fn check_policy_source(source: &PolicySource) -> Vec<Diagnostic> {
        match source {
            PolicySource::Path(path) => Policy::check_path(path),
            PolicySource::Text { toml, rules } => match check_text_sizes(toml, rules) {
                Ok(()) => compile::compile(toml, RuleFiles::Texts(rules), "<text>").diagnostics,
                Err(e) => vec![Diagnostic::from_error(&e)],
            },
        }
    }

    /// Lints a policy file.
    pub fn check_path(path: impl AsRef<Path>) -> Vec<Diagnostic> {
        let path = path.as_ref();
        match read_policy(path) {
            Ok(text) => {
                compile::compile(&text, directory(path), &path.display().to_string()).diagnostics
            }
            Err(e) => vec![Diagnostic::from_error(&e)],
        }
    }

    /// The warnings found when the policy compiled (a compiled policy has no errors).
    pub fn check(&self) -> Vec<Diagnostic> {
        match &self.set {
            Some(set) => set.warnings.clone(),
            None => self.inner.warnings.clone(),
        }
    }

    /// The policy's id.
    pub fn id(&self) -> &str {
        match &self.set {
            Some(set) => &set.id,
            None => &self.inner.id,
        }
    }

    /// The policy's version; for a policy set, its versions' `policy.version`
    /// joined by commas, in the order they take effect.
    pub fn version(&self) -> &str {
        match &self.set {
            Some(set) => &set.version,
            None => &self.inner.version,
        }
    }

    /// What the policy is for.
    pub fn description(&self) -> Option<&str> {
        match &self.set {
            Some(set) => set.description.as_deref(),
            None => self.inner.description.as_deref(),
        }
    }

    /// The policy that evaluates `ticket`: this one, or for a policy set
    /// the version in force at the ticket's selecting field (`opened_at`
    /// unless `policy_set.select` names another); a ticket no version
    /// covers is a ticket error naming that field.
    pub(crate) fn for_ticket(&self, ticket: &crate::ticket::Ticket) -> Result<&Policy> {
        match &self.set {
            Some(set) => set.version_for(ticket),
            None => Ok(self),
        }
    }

    /// The operations one rule call of this policy may perform (`[policy]
    /// rule_operation_limit`, default [`crate::rule_limits::OPERATIONS`]);
    /// for a policy set, its latest version's.
    pub fn rule_operation_limit(&self) -> u64 {
        self.inner.rules.operation_limit()
    }

    /// The most operations any one rule call (rule, condition or property)
    /// of this policy has performed so far in this process: how close the
    /// policy comes to [`Policy::rule_operation_limit`].
    pub fn peak_rule_operations(&self) -> u64 {
        match &self.set {
            // A set's rules are its versions': the most any of them used.
            Some(set) => set
                .versions
                .iter()
                .map(|v| v.policy.inner.rules.peak_operations())
                .max()
                .unwrap_or_default(),
            None => self.inner.rules.peak_operations(),
        }
    }

    /// `sha256:` digest of the canonical manifest and rules; for a policy
    /// set, of the set's manifest and each version's digest.
    pub fn digest(&self) -> &str {
        match &self.set {
            Some(set) => &set.digest,
            None => &self.inner.digest,
        }
    }

    /// ISO 4217 currency.
    pub fn currency(&self) -> &str {
        &self.inner.currency
    }

    /// The policy's time zone.
    pub fn zone(&self) -> Zone {
        self.inner.zone
    }

    /// A calendar by name (`24x7` always exists).
    pub fn calendar(&self, name: &str) -> Option<&Calendar> {
        self.inner.calendars.get(name)
    }

    /// The names of the policy's calendars, sorted (`24x7` among them):
    /// what [`Policy::calendar`] finds.
    ///
    /// ```
    /// let policy = aftersales::Policy::from_toml_str(
    ///     "[policy]\nid = \"p\"\nversion = \"1\"\ntimezone = \"UTC\"\n\
    ///      [calendars.office]\nweekdays = [\"09:00-18:00\"]\n",
    /// )?;
    /// assert_eq!(policy.calendar_names(), ["24x7", "office"]);
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn calendar_names(&self) -> Vec<&str> {
        self.inner.calendars.keys().map(String::as_str).collect()
    }

    /// The severity levels, most severe first (`[severity] levels`).
    ///
    /// ```
    /// let policy = aftersales::Policy::from_toml_str(
    ///     "[policy]\nid = \"p\"\nversion = \"1\"\ntimezone = \"UTC\"\n\
    ///      [severity]\nlevels = [\"P1\", \"P2\"]\ndefault = \"P2\"\n",
    /// )?;
    /// assert_eq!(policy.severity_levels(), ["P1", "P2"]);
    /// assert_eq!(policy.default_severity(), "P2");
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn severity_levels(&self) -> Vec<&str> {
        self.inner
            .severity
            .levels
            .iter()
            .map(String::as_str)
            .collect()
    }

    /// The level a ticket has when neither the CRM, the table nor the rule
    /// gives one (`[severity] default`).
    pub fn default_severity(&self) -> &str {
        &self.inner.severity.default
    }

    /// Severity levels, default, rule and table, compiled.
    #[cfg(feature = "testing")]
    pub(crate) fn severity(&self) -> &Severity {
        &self.inner.severity
    }

    /// The metrics' names, in manifest order.
    pub fn metric_names(&self) -> Vec<&str> {
        self.inner.metrics.iter().map(|m| m.name.as_str()).collect()
    }

    /// Event kinds this policy accepts on tickets.
    pub fn known_events(&self) -> &BTreeSet<String> {
        &self.inner.known_events
    }

    /// The names of the laws the author states about the policy
    /// (`[[properties]]`), in manifest order: what `aftersales fuzz`
    /// checks on generated tickets besides the engine's own invariants.
    pub fn property_names(&self) -> Vec<&str> {
        self.inner
            .properties
            .iter()
            .map(|p| p.name.as_str())
            .collect()
    }

    /// How many service goals (`[[kpis]]`) a portfolio of this policy's
    /// answers is judged against.
    pub fn kpi_count(&self) -> usize {
        self.inner.kpis.len()
    }

    /// The manifest the policy was compiled from.
    #[cfg(feature = "testing")]
    pub(crate) fn manifest(&self) -> &Manifest {
        &self.inner.manifest
    }
}

#[cfg(test)]
mod tests;
