//! Policy variants: the manifest with some values replaced by dotted path,
//! as analysts write them in what-if studies
//! (`{"targets.contact.target.normal": "1h", "fees.labor.rate": "132.00"}`).
//!
//! - A path is keys joined by dots; a key holding dots is quoted
//!   (`calendars.office.overrides."2026-01-04"`).
//! - In an array of tables (`[[targets]]`, `[[credits]]` …) a key selects
//!   the entry whose `metric`, `name`, `id` or `component` equals it, or
//!   the entry at that 0-based index: `targets.contact` is the
//!   `[[targets]]` entry with `metric = "contact"`.
//! - The value is text. It replaces a string as a string, an integer, a
//!   float or a boolean as that type (and must read as one); anything else
//!   (a table, an array, a date) it replaces with the TOML value the text
//!   reads as, or with the text as a string when it is not TOML
//!   (`target = { critical = "1h", … }` overridden by `"2h"`).
//! - Every key must exist: a typo is an error naming the path, not a new
//!   key the engine would then ignore or reject elsewhere.
//!
//! The manifest is edited in place, comments and layout kept, so the
//! variant's line numbers still match the original's.

use crate::error::{Error, ErrorObject};
use crate::policy::PolicySource;
use std::collections::BTreeMap;
use toml_edit::{DocumentMut, Item, TableLike, Value};

/// Keys that name an entry of an array of tables, in the order tried.
const ENTRY_KEYS: [&str; 4] = ["metric", "name", "id", "component"];

/// The manifest text with every override applied, in path order.
///
/// ```
/// use std::collections::BTreeMap;
/// let toml = "[policy]\nid = \"p\"\n\n[[targets]]\nmetric = \"contact\"\ntarget = \"2h\"\n";
/// let overrides = BTreeMap::from([("targets.contact.target".to_string(), "1h".to_string())]);
/// let edited = aftersales::api::override_toml(toml, &overrides).unwrap();
/// assert!(edited.contains("target = \"1h\""));
/// ```
pub fn override_toml(toml: &str, overrides: &BTreeMap<String, String>) -> Result<String, Error> {
    let mut document: DocumentMut = toml
        .parse()
        .map_err(|e: toml_edit::TomlError| Error::policy("", "", e.message().to_string()))?;
    // A policy's id, or a policy set's.
    let id = ["policy", "policy_set"]
        .iter()
        .find_map(|table| document.get(table)?.get("id")?.as_str())
        .unwrap_or_default()
        .to_string();
    for (path, text) in overrides {
        let keys = split_path(path).map_err(|m| Error::policy(&id, path.as_str(), m))?;
        let slot = locate(document.as_item_mut(), &keys)
            .map_err(|m| Error::policy(&id, path.as_str(), m))?;
        let value = replacement(slot, text).map_err(|m| Error::policy(&id, path.as_str(), m))?;
        match slot {
            Item::Value(old) => {
                let decor = old.decor().clone();
                *old = value;
                *old.decor_mut() = decor;
            }
            other => *other = Item::Value(value),
        }
    }
    Ok(document.to_string())
}

/// A variant of a policy source: its manifest with the overrides applied.
/// A source given by path comes back as text with its rule file read from
/// the manifest's directory, so the variant compiles like the original.
pub fn with_overrides(
    source: &PolicySource,
    overrides: &BTreeMap<String, String>,
) -> Result<PolicySource, Box<ErrorObject>> {
    let boxed = |e: Error| Box::new(ErrorObject::from(&e));
    match source {
        PolicySource::Text { toml, rules } => Ok(PolicySource::Text {
            toml: override_toml(toml, overrides).map_err(boxed)?,
            rules: rules.clone(),
        }),
        PolicySource::Path(path) => {
            let read = |p: &std::path::Path| {
                crate::policy::read_policy_file(p).map_err(|message| Error::Io {
                    path: p.display().to_string(),
                    message,
                })
            };
            let toml = read(path).map_err(boxed)?;
            let mut rules = BTreeMap::new();
            let dir = path.parent().unwrap_or_else(|| std::path::Path::new("."));
            rule_text(dir, &toml, &mut rules);
            // A policy set: each version's manifest and its rule file, by
            // the names the set and the version give them.
            let versions = toml.parse::<DocumentMut>().ok().and_then(|d| {
                let files = d.get("versions")?.as_array_of_tables()?;
                Some(
                    files
                        .iter()
                        .filter_map(|v| v.get("file")?.as_str().map(str::to_string))
                        .collect::<Vec<_>>(),
                )
            });
            for file in versions.unwrap_or_default() {
                // A version that cannot be read is reported when the set
                // compiles, at `versions[N].file`, as for the original.
                if let Ok(text) = read(&dir.join(&file)) {
                    let version_dir = dir.join(&file);
                    rule_text(version_dir.parent().unwrap_or(dir), &text, &mut rules);
                    rules.insert(file, text);
                }
            }
            Ok(PolicySource::Text {
                toml: override_toml(&toml, overrides).map_err(boxed)?,
                rules,
            })
        }
    }
}

/// Adds the rule file a manifest names (`policy.rules`), read from `dir`,
/// to `rules` by that name. A rule file that cannot be read is reported
/// when the variant compiles, at `policy.rules`, as for the original.
fn rule_text(dir: &std::path::Path, toml: &str, rules: &mut BTreeMap<String, String>) {
    let named = toml
        .parse::<DocumentMut>()
        .ok()
        .and_then(|d| d.get("policy")?.get("rules")?.as_str().map(str::to_string));
    if let Some(name) = named {
        if let Ok(text) = crate::policy::read_policy_file(&dir.join(&name)) {
            rules.insert(name, text);
        }
    }
}

/// The keys of a dotted path; a quoted key may hold dots.
fn split_path(path: &str) -> Result<Vec<String>, String> {
    let mut keys = Vec::new();
    let mut key = String::new();
    let mut quoted = false;
    let mut was_quoted = false;
    for c in path.chars() {
        match (c, quoted) {
            ('"', _) => {
                quoted = !quoted;
                was_quoted = true;
            }
            ('.', false) => {
                if key.is_empty() && !was_quoted {
                    return Err("the path has an empty key".to_string());
                }
                keys.push(std::mem::take(&mut key));
                was_quoted = false;
            }
            (c, _) => key.push(c),
        }
    }
    if quoted {
        return Err("the path has an unclosed quote".to_string());
    }
    if key.is_empty() && !was_quoted {
        return Err("the path is empty or ends with a dot".to_string());
    }
    keys.push(key);
    Ok(keys)
}

/// A place on the way down a path: an item, or an entry of an array.
enum Node<'a> {
    Item(&'a mut Item),
    Table(&'a mut dyn TableLike),
}

/// The index of the entry named `key` (by [`ENTRY_KEYS`] or position).
fn entry_index<'t>(
    entries: impl Iterator<Item = Option<&'t dyn TableLike>>,
    key: &str,
) -> Option<usize> {
    let entries: Vec<Option<&dyn TableLike>> = entries.collect();
    let named = entries.iter().position(|entry| {
        entry.is_some_and(|table| {
            ENTRY_KEYS
                .iter()
                .any(|k| table.get(k).and_then(Item::as_str) == Some(key))
        })
    });
    named.or_else(|| key.parse::<usize>().ok().filter(|n| *n < entries.len()))
}

/// The item at `keys`, every key existing.
fn locate<'a>(root: &'a mut Item, keys: &[String]) -> Result<&'a mut Item, String> {
    let mut node = Node::Item(root);
    let mut walked: Vec<&str> = Vec::new();
    for key in keys {
        let here = if walked.is_empty() {
            "the manifest".to_string()
        } else {
            format!("`{}`", walked.join("."))
        };
        let no_entry = || {
            format!(
                "{here} has no entry `{key}`: name one by its {} or its 0-based index",
                ENTRY_KEYS.join(", ")
            )
        };
        node = match node {
            Node::Table(table) => Node::Item(
                table
                    .get_mut(key)
                    .ok_or_else(|| format!("{here} has no key `{key}`"))?,
            ),
            Node::Item(Item::ArrayOfTables(array)) => {
                let at = entry_index(array.iter().map(|t| Some(t as &dyn TableLike)), key)
                    .ok_or_else(no_entry)?;
                Node::Table(array.get_mut(at).ok_or_else(no_entry)?)
            }
            Node::Item(Item::Value(Value::Array(array))) => {
                let at = entry_index(
                    array
                        .iter()
                        .map(|v| v.as_inline_table().map(|t| t as &dyn TableLike)),
                    key,
                )
                .ok_or_else(no_entry)?;
                match array.get_mut(at) {
                    Some(Value::InlineTable(table)) => Node::Table(table),
                    _ => {
                        return Err(format!(
                            "{here}[{at}] is a value, not a table: override the whole array"
                        ))
                    }
                }
            }
            Node::Item(item) => match item.as_table_like_mut() {
                Some(table) => Node::Item(
                    table
                        .get_mut(key)
                        .ok_or_else(|| format!("{here} has no key `{key}`"))?,
                ),
                None => {
                    return Err(format!(
                        "{here} is a value, not a table: it has no key `{key}`"
                    ))
                }
            },
        };
        walked.push(key);
    }
    match node {
        Node::Item(item) => Ok(item),
        Node::Table(_) => Err(format!(
            "`{}` is a whole entry: name a key inside it",
            walked.join(".")
        )),
    }
}

/// The value `text` stands for in place of `old`.
fn replacement(old: &Item, text: &str) -> Result<Value, String> {
    let typed = |what: &str| format!("`{text}` is not {what}, as the value it replaces is");
    match old.as_value() {
        Some(Value::String(_)) => Ok(Value::from(text)),
        Some(Value::Integer(_)) => text
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| typed("an integer")),
        Some(Value::Float(_)) => text
            .trim()
            .parse::<f64>()
            .map(Value::from)
            .map_err(|_| typed("a number")),
        Some(Value::Boolean(_)) => match text.trim() {
            "true" => Ok(Value::from(true)),
            "false" => Ok(Value::from(false)),
            _ => Err(typed("`true` or `false`")),
        },
        _ => Ok(text.parse::<Value>().unwrap_or_else(|_| Value::from(text))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOML: &str = r#"[policy]
id = "p" # the id

[fees.labor]
rate = "120.00"
minimum = 2
round = true

[[targets]]
metric = "answer"
target = "1m"

[[targets]]
metric = "contact"
target = { high = "30m", normal = "2h" }
"#;

    fn apply(pairs: &[(&str, &str)]) -> Result<String, Error> {
        let overrides = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        override_toml(TOML, &overrides)
    }

    #[test]
    fn targets_are_selected_by_metric_and_values_keep_their_type() {
        let edited = apply(&[
            ("targets.contact.target.normal", "1h"),
            ("fees.labor.rate", "132.00"),
            ("fees.labor.minimum", "3"),
            ("fees.labor.round", "false"),
        ])
        .unwrap();
        assert!(edited.contains(r#"target = { high = "30m", normal = "1h" }"#));
        assert!(edited.contains("rate = \"132.00\""));
        assert!(edited.contains("minimum = 3\n"));
        assert!(edited.contains("round = false\n"));
        // Comments and the other entries stay as they were.
        assert!(edited.contains("id = \"p\" # the id"));
        assert!(edited.contains("metric = \"answer\"\ntarget = \"1m\""));
    }

    #[test]
    fn an_index_selects_an_entry_and_a_table_is_replaced_by_text() {
        let edited = apply(&[("targets.1.target", "2h")]).unwrap();
        assert!(edited.contains("metric = \"contact\"\ntarget = \"2h\""));
    }

    #[test]
    fn a_bad_path_is_a_policy_error_at_that_path() {
        for (path, message) in [
            ("targets.reply.target", "`targets` has no entry `reply`"),
            ("fees.labour.rate", "`fees` has no key `labour`"),
            ("targets.contact", "`targets.contact` is a whole entry"),
            (
                "fees.labor.rate.x",
                "`fees.labor.rate` is a value, not a table",
            ),
            ("fees..rate", "empty key"),
        ] {
            let error = apply(&[(path, "1")]).unwrap_err();
            let object = ErrorObject::from(&error);
            assert_eq!(object.code, 1, "{path}");
            assert_eq!(object.location.map(|l| l.path), Some(path.to_string()));
            assert!(
                object.message.contains(message),
                "{path}: {}",
                object.message
            );
        }
        let error = apply(&[("fees.labor.minimum", "two")]).unwrap_err();
        assert!(error.to_string().contains("`two` is not an integer"));
    }
}
