//! The policy manifest as written in TOML, parsed with serde. Unknown keys
//! are refused with their path. See `docs/policy.md` for the authors' guide.

use crate::calendar::CalendarSpec;
use crate::credits::CreditSpec;
use crate::fees::FeeSpec;
use crate::kpi::KpiSpec;
use crate::warranty::WarrantySpec;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A whole policy manifest.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// `[policy]`: identity, currency, zone, rules.
    pub policy: PolicySection,
    /// `[calendars.NAME]`; `24x7` always exists.
    #[serde(default)]
    pub calendars: BTreeMap<String, CalendarSpec>,
    /// `[severity]`.
    #[serde(default)]
    pub severity: Option<SeveritySection>,
    /// `[[targets]]`: one per service promise.
    #[serde(default)]
    pub targets: Vec<TargetSpec>,
    /// `[warranty]`.
    #[serde(default)]
    pub warranty: Option<WarrantySpec>,
    /// `[fees]`.
    #[serde(default)]
    pub fees: Option<FeeSpec>,
    /// `[settlement]`: refunds, deductions, freight and statutory payouts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settlement: Option<crate::settlement::SettlementSpec>,
    /// `[[credits]]`.
    #[serde(default)]
    pub credits: Vec<CreditSpec>,
    /// `[credit_caps]`: caps over all `[[credits]]` entries of a ticket or
    /// an incident.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_caps: Option<crate::credits::CreditCapsSpec>,
    /// `[[kpis]]`: service goals a ticket set is judged against.
    #[serde(default)]
    pub kpis: Vec<KpiSpec>,
    /// `[[properties]]`: laws the author states about the policy.
    #[serde(default)]
    pub properties: Vec<PropertySpec>,
    /// `[limits]`: the policy's size bounds, when it needs more than the
    /// defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<LimitsSection>,
}

/// `[limits]`: how large a policy may be. Each bound has a default
/// ([`LimitsSection::DEFAULT`]); a policy that needs more raises it here,
/// up to [`LimitsSection::MAXIMUM`]. Past a bound, `check` reports an error
/// at the first entry beyond it, before compiling anything costly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsSection {
    /// `[[targets]]` entries.
    pub targets: u64,
    /// `[[properties]]` entries.
    pub properties: u64,
    /// Functions the Rhai rules define (`fn NAME`).
    pub functions: u64,
    /// Bytes of the Rhai rules (`rules` file or `script`).
    pub script_bytes: u64,
    /// Entries of one target table: keys of a table, or keys of all inner
    /// tables of a table keyed by two fields.
    pub table_entries: u64,
    /// Bytes of each calendar's `holidays_ics` file.
    pub ics_bytes: u64,
}

impl LimitsSection {
    /// The bounds of a policy without `[limits]`.
    pub const DEFAULT: LimitsSection = LimitsSection {
        targets: 1_000,
        properties: 1_000,
        functions: 2_000,
        script_bytes: 1 << 20,
        table_entries: 10_000,
        ics_bytes: crate::calendar::ics::DEFAULT_ICS_BYTES,
    };

    /// The most `[limits]` may raise each bound to.
    pub const MAXIMUM: LimitsSection = LimitsSection {
        targets: 100_000,
        properties: 100_000,
        functions: 20_000,
        script_bytes: 64 << 20,
        table_entries: 1_000_000,
        ics_bytes: 64 << 20,
    };
}

impl Default for LimitsSection {
    fn default() -> Self {
        LimitsSection::DEFAULT
    }
}

/// `[policy]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicySection {
    /// Stable identifier, echoed by every evaluation.
    pub id: String,
    /// Version, echoed by every evaluation.
    pub version: String,
    /// What the policy is for.
    #[serde(default)]
    pub description: Option<String>,
    /// ISO 4217 currency of fees and credits.
    #[serde(default = "default_currency")]
    pub currency: String,
    /// IANA zone of the policy: the default zone of its calendars, the zone
    /// of local dates (warranty, ticket age), and the offset of output times.
    pub timezone: String,
    /// Path of a `.rhai` file, relative to the manifest.
    #[serde(default)]
    pub rules: Option<String>,
    /// Inline Rhai source.
    #[serde(default)]
    pub script: Option<String>,
    /// Event kinds the CRM sends beyond the built-in ones.
    #[serde(default)]
    pub events: Vec<String>,
    /// Wall-clock backstop of one rule call (`"10s"`, the default; from
    /// `"1s"` to `"600s"`). Reaching it is a `timeout` error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_time_limit: Option<String>,
    /// Operations one rule call may perform: the deterministic bound on a
    /// rule's work (default 200,000; from 1,000 to 100,000,000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_operation_limit: Option<i64>,
}

fn default_currency() -> String {
    "CNY".to_string()
}

/// `[severity]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SeveritySection {
    /// Levels, most severe first.
    pub levels: Vec<String>,
    /// The level when neither the CRM nor the rule gives one.
    pub default: String,
    /// Name of a Rhai function `fn NAME(ticket)` that classifies a ticket.
    #[serde(default)]
    pub rule: Option<String>,
    /// A decision table instead of a rule: the first row whose `when`
    /// holds gives the level.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub table: Vec<SeverityRow>,
}

/// `[[severity.table]]`: one row of the severity decision table.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SeverityRow {
    /// A condition over `ticket`, as a target's `when`.
    pub when: String,
    /// The level it gives.
    pub level: String,
    /// Why, quoted in the evaluation.
    #[serde(default)]
    pub because: Option<String>,
}

/// One of `start`, `stop`, `pause`, `resume`: an event kind or several.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum EventKinds {
    /// One kind.
    One(String),
    /// Several kinds.
    Many(Vec<String>),
}

impl EventKinds {
    /// The kinds as a list.
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            EventKinds::One(kind) => vec![kind.clone()],
            EventKinds::Many(kinds) => kinds.clone(),
        }
    }
}

/// `warn_at`: a fraction of the target, or a lead time before the deadline.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum WarnAtSpec {
    /// A fraction of the target in `(0, 1)`, e.g. `0.8`.
    Fraction(f64),
    /// A lead time before the deadline, e.g. `"15m"`.
    Lead(String),
}

/// `target`: a duration, a table keyed by severity (or `target_by`), or a rule.
///
/// Read by hand rather than as an untagged enum, so that a value of none
/// of the four forms says which form was expected and what is wrong
/// (a third level of keys, durations mixed with tables, a number).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum TargetValue {
    /// One duration for every ticket: `"2h"`.
    Fixed(String),
    /// `{ rule = "resolve_target" }`: a Rhai function `fn NAME(ticket, severity)`
    /// returning a duration, or `()` when the metric does not apply.
    Rule {
        /// The function's name.
        rule: String,
    },
    /// `{ critical = "1h", normal = "4h", "*" = "8h" }`; a missing key
    /// means the metric does not apply; `"*"` is the fallback.
    Table(BTreeMap<String, String>),
    /// A table keyed by two fields (`target_by = ["severity",
    /// "customer.zone"]`): `{ critical = { A = "1h", "*" = "2h" }, "*" = {
    /// "*" = "8h" } }`. The most specific entry wins: both keys, then the
    /// first key with `"*"`, then `"*"` with the second key, then `"*"`
    /// twice; `"n/a"` says the metric does not apply.
    Nested(BTreeMap<String, BTreeMap<String, String>>),
}

/// What every target that is none of the four forms is told.
const TARGET_FORMS: &str = "a target takes one of four forms: a duration (\"2h\"), \
     a table of durations keyed by one field (`{ critical = \"1h\", \"*\" = \"4h\" }`), \
     a table of tables keyed by two fields (`{ critical = { A = \"1h\", \"*\" = \"2h\" } }` \
     with `target_by = [\"severity\", \"customer.zone\"]`), or a rule (`{ rule = \"NAME\" }`)";

/// The words for the type of a TOML value, as the reader wrote it.
fn toml_type(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => format!("the text \"{s}\""),
        toml::Value::Integer(i) => format!("the number {i}"),
        toml::Value::Float(f) => format!("the number {f}"),
        toml::Value::Boolean(b) => format!("the boolean {b}"),
        toml::Value::Datetime(d) => format!("the date {d}"),
        toml::Value::Array(_) => "a list".to_string(),
        toml::Value::Table(_) => "a table".to_string(),
    }
}

impl TargetValue {
    // Long because it holds a target's four forms and the words for every departure from them.
    /// Reads a target from its TOML value; the error says which of the
    /// four forms was expected and where the value departs from them.
    fn from_toml(value: toml::Value) -> Result<TargetValue, String> {
        let table = match value {
            toml::Value::String(text) => return Ok(TargetValue::Fixed(text)),
            toml::Value::Table(table) => table,
            other => {
                return Err(format!(
                    "{} is not a target; {TARGET_FORMS}",
                    toml_type(&other)
                ))
            }
        };
        if let Some(rule) = table.get("rule") {
            return match (rule, table.len()) {
                (toml::Value::String(name), 1) => Ok(TargetValue::Rule { rule: name.clone() }),
                (toml::Value::String(_), _) => Err(format!(
                    "a rule target has the one key `rule`; {TARGET_FORMS}"
                )),
                (other, _) => Err(format!(
                    "`rule` is {}, not the name of a function; {TARGET_FORMS}",
                    toml_type(other)
                )),
            };
        }
        let first_is_table = table.values().next().is_some_and(toml::Value::is_table);
        if !first_is_table {
            let mut entries = BTreeMap::new();
            for (key, value) in table {
                match value {
                    toml::Value::String(text) => {
                        entries.insert(key, text);
                    }
                    toml::Value::Table(_) => {
                        return Err(format!(
                            "`{key}` is a table while earlier entries are durations: in one \
                             target table every entry is a duration (one key) or every entry \
                             a table of durations (two keys); {TARGET_FORMS}"
                        ))
                    }
                    other => {
                        return Err(format!(
                        "`{key}` is {}, not a duration such as \"2h\" or \"n/a\"; {TARGET_FORMS}",
                        toml_type(&other)
                    ))
                    }
                }
            }
            return Ok(TargetValue::Table(entries));
        }
        let mut nested = BTreeMap::new();
        for (outer, value) in table {
            let toml::Value::Table(inner) = value else {
                return Err(format!(
                    "`{outer}` is {} while earlier entries are tables: in one target table \
                     every entry is a duration (one key) or every entry a table of durations \
                     (two keys); {TARGET_FORMS}",
                    toml_type(&value)
                ));
            };
            let mut entries = BTreeMap::new();
            for (key, value) in inner {
                match value {
                    toml::Value::String(text) => {
                        entries.insert(key, text);
                    }
                    toml::Value::Table(_) => {
                        return Err(format!(
                            "`{outer}.{key}` is a table: a target table is keyed by at most \
                             two fields, so its entries are durations; {TARGET_FORMS}"
                        ))
                    }
                    other => {
                        return Err(format!(
                            "`{outer}.{key}` is {}, not a duration such as \"2h\" or \"n/a\"; \
                             {TARGET_FORMS}",
                            toml_type(&other)
                        ))
                    }
                }
            }
            nested.insert(outer, entries);
        }
        Ok(TargetValue::Nested(nested))
    }
}

impl<'de> Deserialize<'de> for TargetValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = toml::Value::deserialize(deserializer)?;
        TargetValue::from_toml(value).map_err(serde::de::Error::custom)
    }
}

/// `target_by`: one field, or two for a table of tables.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum TargetBy {
    /// `"severity"`, `"tier"`, `"channel"`, `"product.category"`, …
    One(String),
    /// `["severity", "customer.zone"]`: the outer key, then the inner one.
    Two(Vec<String>),
}

/// `[[targets]]`: one service promise.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetSpec {
    /// Metric name (`answer`, `contact`, `resolve`, …), unique in the policy.
    pub metric: String,
    /// What the promise is, for people.
    #[serde(default)]
    pub description: Option<String>,
    /// Event kind(s) that start the clock; default `opened`.
    #[serde(default)]
    pub start: Option<EventKinds>,
    /// Take the cycle's start from this attribute of the start event (an
    /// RFC 3339 instant, e.g. a booked slot) instead of the event's time.
    #[serde(default)]
    pub start_at: Option<String>,
    /// Event kind(s) that stop it.
    pub stop: EventKinds,
    /// Take the cycle's stop from this attribute of the stop event (an
    /// RFC 3339 instant, or a slot object whose `start` is one) instead of
    /// the event's time: "the first offered slot starts within 4 hours".
    #[serde(default)]
    pub stop_at: Option<String>,
    /// A declared tolerance past the deadline (`"15m"`, counted time on the
    /// metric's calendar): the promise is met up to the deadline plus the
    /// grace, and breached only after it.
    #[serde(default)]
    pub grace: Option<String>,
    /// Event kind(s) that pause it; default `paused`.
    #[serde(default)]
    pub pause: Option<EventKinds>,
    /// Event kind(s) that resume it; default `resumed`.
    #[serde(default)]
    pub resume: Option<EventKinds>,
    /// The calendar the clock runs on; default `24x7`.
    #[serde(default)]
    pub calendar: Option<String>,
    /// The target; absent = the metric does not apply.
    #[serde(default)]
    pub target: Option<TargetValue>,
    /// What a table target is keyed by: `severity` (default), `tier`,
    /// `channel`, `kind`, or a ticket path such as `product.category`.
    #[serde(default)]
    pub target_by: Option<TargetBy>,
    /// When to warn.
    #[serde(default)]
    pub warn_at: Option<WarnAtSpec>,
    /// Rhai condition over `ticket` and `severity`; the metric applies only when true.
    #[serde(default)]
    pub when: Option<String>,
    /// What a severity or tier change does: `from_start` (default) or `from_change`.
    #[serde(default)]
    pub recompute: Option<String>,
    /// What becomes of a breach when a later severity or tier change gives a
    /// longer target: `kept` (default: a breach is a fact, the target now in
    /// force is shown beside it) or `recomputed` (the target in force decides
    /// everything, and a breach can disappear).
    #[serde(default)]
    pub breach: Option<String>,
    /// Whether each start after a stop opens a new cycle.
    #[serde(default)]
    pub repeat: bool,
    /// Ticket statuses (the `to` of `status` events) that pause the clock
    /// while the ticket sits in one.
    #[serde(default)]
    pub pause_statuses: Option<Vec<String>>,
    /// Ticket statuses that hide the deadline without pausing the clock.
    #[serde(default)]
    pub hide_statuses: Option<Vec<String>>,
    /// Event kind(s) that reopen a stopped metric; default `reopened`.
    #[serde(default)]
    pub reopen: Option<EventKinds>,
    /// What a reopen does: `ignore` (default), `continue` or `new_cycle`.
    #[serde(default)]
    pub on_reopen: Option<String>,
    /// Whether a business-day target is due at the close of its last
    /// working day ("within 2 business days" = by the close of the second
    /// working day) rather than at the same wall-clock time.
    #[serde(default)]
    pub end_of_working_day: bool,
    /// `[[targets.escalations]]`: escalation levels before or after the
    /// deadline, in order (level 1 first).
    #[serde(default)]
    pub escalations: Vec<EscalationSpec>,
}

/// `[[targets.escalations]]`: one escalation level of a target, at an
/// offset `before` or `after` its deadline.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EscalationSpec {
    /// Its name (`team_lead`, `service_manager`), unique within the target.
    pub name: String,
    /// How long before the deadline: counted time (`"1h"`), or business
    /// days (`"1bd"`).
    #[serde(default)]
    pub before: Option<String>,
    /// How long after the deadline: counted time (`"30m"`), or business
    /// days (`"3bd"`).
    #[serde(default)]
    pub after: Option<String>,
    /// What a counted-time offset is measured on: `calendar` (default: the
    /// metric's calendar and pauses) or `wall` (the wall clock).
    #[serde(default)]
    pub measure: Option<String>,
}

/// `[[properties]]`: a law about the policy, checked by `fuzz`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PropertySpec {
    /// Short name.
    pub name: String,
    /// Rhai predicate over `ticket` and `evaluation` that must hold.
    pub holds: String,
    /// What the law means, for people.
    #[serde(default)]
    pub description: Option<String>,
}

/// Every shape error of a manifest that does not read as a [`Manifest`]:
/// each `[[targets]]`, `[[credits]]`, `[[kpis]]`, `[[properties]]` entry,
/// each calendar and each other section read on its own, so that one bad
/// value does not hide the others. Each is its TOML path and message; the
/// caller locates the path in the text. Empty when the text is not TOML.
pub(crate) fn shape_errors(text: &str) -> Vec<(String, String)> {
    let Ok(table) = toml::from_str::<toml::Table>(text) else {
        return Vec::new();
    };
    let mut errors = Vec::new();
    for (key, value) in table {
        match key.as_str() {
            "policy" => shape::<PolicySection>(&mut errors, "policy", value),
            "severity" => shape::<SeveritySection>(&mut errors, "severity", value),
            "warranty" => shape::<WarrantySpec>(&mut errors, "warranty", value),
            "fees" => shape::<FeeSpec>(&mut errors, "fees", value),
            "settlement" => {
                shape::<crate::settlement::SettlementSpec>(&mut errors, "settlement", value)
            }
            "credit_caps" => {
                shape::<crate::credits::CreditCapsSpec>(&mut errors, "credit_caps", value)
            }
            "calendars" => match value {
                toml::Value::Table(calendars) => {
                    for (name, spec) in calendars {
                        shape::<CalendarSpec>(&mut errors, &format!("calendars.{name}"), spec);
                    }
                }
                other => shape::<BTreeMap<String, CalendarSpec>>(&mut errors, "calendars", other),
            },
            "targets" => entries::<TargetSpec>(&mut errors, "targets", value),
            "credits" => entries::<CreditSpec>(&mut errors, "credits", value),
            "kpis" => entries::<KpiSpec>(&mut errors, "kpis", value),
            "properties" => entries::<PropertySpec>(&mut errors, "properties", value),
            "limits" => shape::<LimitsSection>(&mut errors, "limits", value),
            other => errors.push((
                other.to_string(),
                format!(
                    "unknown section `{other}`, expected one of `policy`, `calendars`, \
                     `severity`, `targets`, `warranty`, `fees`, `settlement`, `credits`, \
                     `credit_caps`, `kpis`, `properties`, `limits`"
                ),
            )),
        }
    }
    errors
}

/// Reads one section as `T`, noting its error at `path`.
fn shape<T: serde::de::DeserializeOwned>(
    errors: &mut Vec<(String, String)>,
    path: &str,
    value: toml::Value,
) {
    if let Err(e) = serde_path_to_error::deserialize::<_, T>(value) {
        let inner = e.path().to_string();
        let full = if inner == "." || inner.is_empty() {
            path.to_string()
        } else if inner.starts_with('[') {
            format!("{path}{inner}")
        } else {
            format!("{path}.{inner}")
        };
        errors.push((full, e.into_inner().message().to_string()));
    }
}

/// Reads each entry of an array of tables as `T`.
fn entries<T: serde::de::DeserializeOwned>(
    errors: &mut Vec<(String, String)>,
    path: &str,
    value: toml::Value,
) {
    match value {
        toml::Value::Array(items) => {
            for (i, item) in items.into_iter().enumerate() {
                shape::<T>(errors, &format!("{path}[{i}]"), item);
            }
        }
        other => shape::<Vec<T>>(errors, path, other),
    }
}
