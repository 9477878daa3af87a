//! Reading tickets: JSON lines or a JSON array, from a file or stdin. Each
//! ticket is parsed on its own, so one bad ticket does not lose the others.

use aftersales::{Error, Ticket};
use serde_json::Value;
use std::io::Read;

/// One input ticket, or the reason it could not be read, with its place.
pub struct Entry {
    /// 1-based line (JSON lines) or array position (JSON array).
    pub position: usize,
    /// The ticket, or the error for it.
    pub ticket: Result<Ticket, Error>,
}

/// Reads `path` (`-` for stdin) whole.
pub fn read_text(path: &str) -> Result<String, String> {
    if path == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("cannot read tickets from stdin: {e}"))?;
        return Ok(text);
    }
    std::fs::read_to_string(path).map_err(|e| format!("cannot read `{path}`: {e}"))
}

/// Parses tickets from JSON lines or a JSON array.
pub fn parse_tickets(text: &str) -> Result<Vec<Entry>, String> {
    if text.trim_start().starts_with('[') {
        let values: Vec<Value> = serde_json::from_str(text)
            .map_err(|e| format!("the tickets are not a valid JSON array: {e}"))?;
        return Ok(values
            .into_iter()
            .enumerate()
            .map(|(i, value)| Entry {
                position: i + 1,
                ticket: Ticket::from_value(value),
            })
            .collect());
    }
    Ok(text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| Entry {
            position: i + 1,
            ticket: Ticket::from_json(line),
        })
        .collect())
}
