//! Finds where a TOML path (`warranty.components.battery.period`,
//! `credits[2].cap_per_ticket`, `targets[0].target.*`) is written in the
//! manifest text, so that every compile finding carries a line and column.

use toml_edit::{Array, ArrayOfTables, ImDocument, InlineTable, Item, Value};

/// A parsed TOML document that keeps the byte spans of its keys and values.
pub(crate) struct SourceMap {
    document: Option<ImDocument<String>>,
}

/// One step of a TOML path.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// Splits `a.b[2].c` into keys and indexes. A key may itself be quoted
/// (`target."*"`).
fn steps(path: &str) -> Vec<Step<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, rest) = match part.find('[') {
            Some(i) => (part.get(..i).unwrap_or(""), part.get(i..).unwrap_or("")),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(Step::Key(key.trim_matches('"')));
        }
        for index in rest.split('[').filter(|s| !s.is_empty()) {
            if let Ok(i) = index.trim_end_matches(']').parse::<usize>() {
                out.push(Step::Index(i));
            }
        }
    }
    out
}

/// Where the walk along a path is.
#[derive(Clone, Copy)]
enum Cursor<'a> {
    Table(&'a toml_edit::Table),
    Inline(&'a InlineTable),
    Tables(&'a ArrayOfTables),
    Array(&'a Array),
    Leaf,
}

impl<'a> Cursor<'a> {
    fn of_item(item: &'a Item) -> Cursor<'a> {
        match item {
            Item::Table(t) => Cursor::Table(t),
            Item::ArrayOfTables(a) => Cursor::Tables(a),
            Item::Value(v) => Cursor::of_value(v),
            Item::None => Cursor::Leaf,
        }
    }

    fn of_value(value: &'a Value) -> Cursor<'a> {
        match value {
            Value::InlineTable(t) => Cursor::Inline(t),
            Value::Array(a) => Cursor::Array(a),
            _ => Cursor::Leaf,
        }
    }
}

impl SourceMap {
    /// Reads `text`; an unreadable text gives an empty map (its parse
    /// error has its own location).
    pub fn new(text: &str) -> SourceMap {
        SourceMap {
            document: ImDocument::parse(text.to_string()).ok(),
        }
    }

    /// The byte offset that best shows `path`: where its value is written
    /// (an inline value, an array element), else its key or table header,
    /// else where the deepest part of the path that exists is.
    pub fn offset(&self, path: &str) -> Option<usize> {
        let document = self.document.as_ref()?;
        let mut cursor = Cursor::Table(document.as_table());
        let mut best = None;
        for step in steps(path) {
            let (span, next) = match (step, cursor) {
                (Step::Key(key), Cursor::Table(t)) => {
                    let Some((k, item)) = t.get_key_value(key) else {
                        break;
                    };
                    let span = match item {
                        Item::Value(v) => v.span().or_else(|| k.span()),
                        Item::Table(t) => t.span().or_else(|| k.span()),
                        _ => k.span(),
                    };
                    (span, Cursor::of_item(item))
                }
                (Step::Key(key), Cursor::Inline(t)) => {
                    let Some((k, v)) = t.get_key_value(key) else {
                        break;
                    };
                    let Some(v) = v.as_value() else { break };
                    (v.span().or_else(|| k.span()), Cursor::of_value(v))
                }
                (Step::Index(i), Cursor::Tables(tables)) => {
                    let Some(table) = tables.get(i) else { break };
                    (table.span(), Cursor::Table(table))
                }
                (Step::Index(i), Cursor::Array(array)) => {
                    let Some(v) = array.get(i) else { break };
                    (v.span(), Cursor::of_value(v))
                }
                _ => break,
            };
            best = span.map(|s| s.start).or(best);
            cursor = next;
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_found_at_its_value() {
        // "a = 1\n" is bytes 0-5, "[b.d]\n" 6-11, "c = [1, 2]": `[` at 16,
        // `1` at 17, `2` at 20.
        let map = SourceMap::new("a = 1\n[b.d]\nc = [1, 2]\n");
        assert_eq!(map.offset("b.d.c[1]"), Some(20));
        assert_eq!(map.offset("b.d.c"), Some(16));
        // A key that is not written: the deepest part that is, the header
        // `[b.d]` at byte 6.
        assert_eq!(map.offset("b.d.e"), Some(6));
        assert_eq!(map.offset("x"), None);
    }
}
