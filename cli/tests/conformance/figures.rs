//! A case's figures file (`tests/conformance/README.md`, "figures.jsonl"):
//! the hand-worked figures of an example pack, each a JSON pointer into one
//! ticket's answer and the value found there, with the arithmetic as notes.

use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// What a figure expects at its pointer.
#[derive(Debug)]
pub enum Expect {
    /// Exactly this value; `null` also matches a pointer that leads nowhere.
    Value(Value),
    /// A string that contains these words.
    Contains(String),
}

/// One checked figure.
#[derive(Debug)]
pub struct Figure {
    /// The line of the figures file, from 1.
    pub line: usize,
    pub ticket: String,
    pub pointer: String,
    pub expect: Expect,
    /// Read in the case's batch answer rather than the ticket's answer alone.
    pub batch: bool,
}

/// A figures file: its tickets (id and `as_of`, in file order) and figures.
#[derive(Debug, Default)]
pub struct Figures {
    pub tickets: Vec<(String, String)>,
    pub figures: Vec<Figure>,
}

/// The statuses that must each occur among a pack's figures.
const STATUSES: &[&str] = &[
    "pending",
    "running",
    "paused",
    "met",
    "breached",
    "not_applicable",
];

fn text(object: &Map<String, Value>, key: &str, line: usize) -> Result<String, String> {
    match object.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        _ => Err(format!("line {line}: `{key}` is not a string")),
    }
}

/// Reads a figures file strictly: every line is a note, a ticket or a
/// figure; unknown keys, a figure before its ticket, a ticket listed twice
/// or a value not written as the engine writes it (compact JSON) fail.
pub fn parse(file: &str) -> Result<Figures, String> {
    let mut figures = Figures::default();
    let mut opened = BTreeSet::new();
    for (index, raw) in file.lines().enumerate() {
        let line = index + 1;
        let value: Value =
            serde_json::from_str(raw).map_err(|e| format!("line {line}: not JSON: {e}"))?;
        let Value::Object(object) = value else {
            return Err(format!("line {line}: not a JSON object"));
        };
        let keys: BTreeSet<&str> = object.keys().map(String::as_str).collect();
        if let Some(note) = object.get("note") {
            let lines = note.as_array().map(|a| a.iter().all(Value::is_string));
            if lines != Some(true) {
                return Err(format!("line {line}: `note` is not an array of strings"));
            }
        }
        let allowed: &[&str] = if keys.contains("pointer") {
            &["ticket", "pointer", "value", "contains", "batch", "note"]
        } else if keys.contains("as_of") {
            &["ticket", "as_of", "note"]
        } else {
            &["note"]
        };
        if let Some(key) = keys.iter().find(|k| !allowed.contains(k)) {
            return Err(format!("line {line}: unexpected key `{key}`"));
        }
        if keys.contains("pointer") {
            let ticket = text(&object, "ticket", line)?;
            if !opened.contains(&ticket) {
                return Err(format!("line {line}: no ticket line for {ticket} above"));
            }
            let expect = match (object.get("value"), object.get("contains")) {
                (Some(value), None) => {
                    let written = format!("\"value\":{}", serde_json::to_string(value).unwrap());
                    if !raw.contains(&written) {
                        return Err(format!("line {line}: write the value as {written}"));
                    }
                    Expect::Value(value.clone())
                }
                (None, Some(Value::String(words))) => Expect::Contains(words.clone()),
                _ => {
                    return Err(format!(
                        "line {line}: give `value` or `contains` (a string)"
                    ))
                }
            };
            let batch = match object.get("batch") {
                None => false,
                Some(Value::Bool(true)) => true,
                Some(_) => return Err(format!("line {line}: `batch` is only ever true")),
            };
            figures.figures.push(Figure {
                line,
                ticket,
                pointer: text(&object, "pointer", line)?,
                expect,
                batch,
            });
        } else if keys.contains("as_of") {
            let ticket = text(&object, "ticket", line)?;
            if !opened.insert(ticket.clone()) {
                return Err(format!("line {line}: {ticket} has a ticket line already"));
            }
            figures
                .tickets
                .push((ticket, text(&object, "as_of", line)?));
        } else if !keys.contains("note") {
            return Err(format!(
                "line {line}: neither a note, a ticket nor a figure"
            ));
        }
    }
    Ok(figures)
}

impl Figure {
    /// Checks the figure against an answer: `None` when it holds.
    pub fn check(&self, answer: &Value) -> Option<String> {
        let got = answer.pointer(&self.pointer);
        let holds = match (&self.expect, got) {
            (Expect::Value(Value::Null), None) => true,
            (Expect::Value(want), Some(got)) => got == want,
            (Expect::Contains(words), Some(Value::String(got))) => got.contains(words.as_str()),
            _ => false,
        };
        let want = match &self.expect {
            Expect::Value(value) => value.to_string(),
            Expect::Contains(words) => format!("a text containing {words:?}"),
        };
        let got = got.map_or("nothing".to_string(), Value::to_string);
        (!holds).then(|| {
            format!(
                "figure line {}: {} {} is {got}, expected {want}",
                self.line, self.ticket, self.pointer
            )
        })
    }
}

impl Figures {
    /// Checks every figure against one host's answers: each ticket's
    /// answer alone and the batch's answers, by ticket id.
    pub fn check(
        &self,
        alone: &BTreeMap<String, Value>,
        batch: &BTreeMap<String, Value>,
    ) -> Vec<String> {
        self.figures
            .iter()
            .filter_map(|figure| {
                let answers = if figure.batch { batch } else { alone };
                match answers.get(&figure.ticket) {
                    Some(answer) => figure.check(answer),
                    None => Some(format!(
                        "figure line {}: no answer for {}",
                        figure.line, figure.ticket
                    )),
                }
            })
            .collect()
    }

    /// Checks over the case data itself: every ticket of the pack has a
    /// ticket line, and across the pack every status occurs among the
    /// metrics' figures.
    pub fn coverage(&self, ticket_ids: &[String]) -> Vec<String> {
        let listed: BTreeSet<&String> = self.tickets.iter().map(|(id, _)| id).collect();
        let mut problems: Vec<String> = ticket_ids
            .iter()
            .filter(|id| !listed.contains(id))
            .map(|id| format!("ticket {id} has no figures"))
            .collect();
        let statuses: BTreeSet<&str> = self
            .figures
            .iter()
            .filter(|f| !f.batch && is_metric_status(&f.pointer))
            .filter_map(|f| match &f.expect {
                Expect::Value(Value::String(s)) => Some(s.as_str()),
                _ => None,
            })
            .collect();
        problems.extend(
            STATUSES
                .iter()
                .filter(|s| !statuses.contains(*s))
                .map(|s| format!("no metric's figures show the status {s}")),
        );
        problems
    }
}

/// `/sla/N/status`.
fn is_metric_status(pointer: &str) -> bool {
    let mut parts = pointer.split('/');
    parts.next() == Some("")
        && parts.next() == Some("sla")
        && parts
            .next()
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        && parts.next() == Some("status")
        && parts.next().is_none()
}
