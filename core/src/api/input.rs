//! Reading a stream of tickets: JSON lines or one JSON array, from any
//! reader, a ticket at a time. Each ticket is read on its own, so invalid
//! UTF-8, a JSON syntax error or a bad field costs only that ticket.

use crate::error::{Error, Location};
use crate::ticket::Ticket;
use std::io::BufRead;

/// One ticket of a stream, or why it could not be read, with its place.
#[derive(Debug)]
pub struct Entry {
    /// 1-based line (JSON lines) or element (JSON array).
    pub position: u64,
    /// The ticket, or the error for it.
    pub ticket: Result<Ticket, Error>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Unknown,
    Lines,
    Array,
    Done,
}

/// An iterator over the tickets of a reader holding JSON lines or a JSON
/// array (detected from the first character; a UTF-8 byte-order mark is
/// skipped). Memory holds one ticket at a time.
pub struct TicketReader<R> {
    reader: R,
    shape: Shape,
    position: u64,
    line: u64,
    buffer: Vec<u8>,
}

impl<R: BufRead> TicketReader<R> {
    /// Reads tickets from `reader`.
    pub fn new(reader: R) -> Self {
        TicketReader {
            reader,
            shape: Shape::Unknown,
            position: 0,
            line: 0,
            buffer: Vec::new(),
        }
    }

    /// Reads up to the first non-blank byte, skipping a byte-order mark,
    /// and decides the shape of the input.
    fn detect(&mut self) -> std::io::Result<()> {
        let mut first = true;
        loop {
            let available = self.reader.fill_buf()?;
            if available.is_empty() {
                self.shape = Shape::Done;
                return Ok(());
            }
            if first && available.starts_with(b"\xEF\xBB\xBF") {
                self.reader.consume(3);
                first = false;
                continue;
            }
            first = false;
            let mut used = 0;
            for &byte in available {
                if byte == b'[' {
                    self.reader.consume(used + 1);
                    self.shape = Shape::Array;
                    return Ok(());
                }
                if !byte.is_ascii_whitespace() {
                    self.shape = Shape::Lines;
                    self.reader.consume(used);
                    return Ok(());
                }
                if byte == b'\n' {
                    self.line += 1;
                }
                used += 1;
            }
            self.reader.consume(used);
        }
    }

    /// The next non-blank line, as bytes without its line break.
    fn next_line(&mut self) -> Option<std::io::Result<(u64, Vec<u8>)>> {
        loop {
            self.buffer.clear();
            match self.reader.read_until(b'\n', &mut self.buffer) {
                Ok(0) => {
                    self.shape = Shape::Done;
                    return None;
                }
                Ok(_) => {
                    self.line += 1;
                    let text = self.buffer.trim_ascii();
                    if !text.is_empty() {
                        return Some(Ok((self.line, text.to_vec())));
                    }
                }
                Err(e) => {
                    self.shape = Shape::Done;
                    return Some(Err(e));
                }
            }
        }
    }

    /// The next element of the array: the bytes up to a comma or the
    /// closing bracket at depth zero, outside strings. `None` at the end.
    fn next_element(&mut self) -> Option<std::io::Result<(u64, Vec<u8>, bool)>> {
        self.buffer.clear();
        let mut depth = 0u32;
        let mut in_string = false;
        let mut escaped = false;
        let start_line = self.line + 1;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(a) => a,
                Err(e) => {
                    self.shape = Shape::Done;
                    return Some(Err(e));
                }
            };
            if available.is_empty() {
                // Input ended inside the array: what was read is the last element.
                self.shape = Shape::Done;
                let text = self.buffer.trim_ascii().to_vec();
                return Some(Ok((start_line, text, false)));
            }
            let mut used = 0;
            let mut end = None;
            for &byte in available {
                used += 1;
                if byte == b'\n' {
                    self.line += 1;
                }
                if in_string {
                    if escaped {
                        escaped = false;
                    } else if byte == b'\\' {
                        escaped = true;
                    } else if byte == b'"' {
                        in_string = false;
                    }
                    continue;
                }
                match byte {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' if depth > 0 => depth -= 1,
                    b']' => {
                        end = Some(true);
                        break;
                    }
                    b',' if depth == 0 => {
                        end = Some(false);
                        break;
                    }
                    _ => {}
                }
            }
            let chunk_len = if end.is_some() { used - 1 } else { used };
            self.buffer
                .extend_from_slice(available.get(..chunk_len).unwrap_or_default());
            self.reader.consume(used);
            if let Some(closed) = end {
                if closed {
                    self.shape = Shape::Done;
                }
                let text = self.buffer.trim_ascii().to_vec();
                return Some(Ok((start_line, text, closed)));
            }
        }
    }
}

/// Parses one ticket's bytes; `line` is where they start in the input.
fn parse(position: u64, line: u64, bytes: &[u8]) -> Result<Ticket, Error> {
    let text = std::str::from_utf8(bytes).map_err(|e| Error::Input {
        field: String::new(),
        location: Location {
            path: String::new(),
            line: u32::try_from(line).ok(),
            column: u32::try_from(e.valid_up_to() + 1).ok(),
        },
        message: format!(
            "ticket {position} is not valid UTF-8 (byte {} of line {line})",
            e.valid_up_to() + 1
        ),
    })?;
    Ticket::from_json(text).map_err(|e| match e {
        // Syntax errors are placed in the whole input.
        Error::Input {
            field,
            location,
            message,
        } => Error::Input {
            field,
            location: Location {
                line: location.line.and_then(|l| {
                    u32::try_from(line.saturating_add(u64::from(l)).saturating_sub(1)).ok()
                }),
                ..location
            },
            message: {
                let message = match message.rfind(" (line ") {
                    Some(at) => message.get(..at).unwrap_or(&message).to_string(),
                    None => message,
                };
                match (location.line, location.column) {
                    (Some(l), Some(c)) => format!(
                        "ticket {position}: {message} (line {}, column {c})",
                        line.saturating_add(u64::from(l)).saturating_sub(1)
                    ),
                    _ => format!("ticket {position} (line {line}): {message}"),
                }
            },
        },
        other => other,
    })
}

/// One ticket's bytes as read from the stream, not yet parsed: the
/// reading is sequential, the parsing can run on any thread.
#[derive(Debug)]
pub struct Raw {
    position: u64,
    what: RawKind,
}

#[derive(Debug)]
enum RawKind {
    /// A ticket's bytes starting at `line`.
    Ticket { line: u64, bytes: Vec<u8> },
    /// The last element of an array that is not closed.
    Unclosed { line: u64, bytes: Vec<u8> },
    /// The input could not be read here.
    Failed(Error),
}

impl Raw {
    /// Gives the ticket another place: `position` in a larger set whose
    /// tickets are one per line or row (a partition of a table), used in
    /// its answer and in its errors' messages and lines.
    pub fn renumber(&mut self, position: u64) {
        self.position = position;
        if let RawKind::Ticket { line, .. } | RawKind::Unclosed { line, .. } = &mut self.what {
            *line = position;
        }
    }

    /// Parses the ticket.
    pub fn parse(self) -> Entry {
        let position = self.position;
        let ticket = match self.what {
            RawKind::Ticket { line, bytes } => parse(position, line, &bytes),
            RawKind::Unclosed { line, bytes } => parse(position, line, &bytes).and_then(|_| {
                Err(Error::input(
                    format!("tickets[{}]", position - 1),
                    "the JSON array is not closed with `]`",
                ))
            }),
            RawKind::Failed(e) => Err(e),
        };
        Entry { position, ticket }
    }
}

impl<R: BufRead> TicketReader<R> {
    /// The next ticket's bytes, unparsed.
    pub fn next_raw(&mut self) -> Option<Raw> {
        let failed = |position: u64, e: std::io::Error| Raw {
            position,
            what: RawKind::Failed(Error::input(
                "tickets",
                format!("cannot read the tickets: {e}"),
            )),
        };
        if self.shape == Shape::Unknown {
            if let Err(e) = self.detect() {
                self.shape = Shape::Done;
                return Some(failed(self.position + 1, e));
            }
        }
        match self.shape {
            Shape::Unknown | Shape::Done => None,
            Shape::Lines => {
                let (line, bytes) = match self.next_line()? {
                    Ok(found) => found,
                    Err(e) => return Some(failed(self.position + 1, e)),
                };
                self.position += 1;
                Some(Raw {
                    position: line,
                    what: RawKind::Ticket { line, bytes },
                })
            }
            Shape::Array => {
                let (line, bytes, closed) = match self.next_element()? {
                    Ok(found) => found,
                    Err(e) => return Some(failed(self.position + 1, e)),
                };
                if bytes.is_empty() && (closed || self.shape == Shape::Done) && self.position == 0 {
                    // `[]`: no tickets.
                    return None;
                }
                if bytes.is_empty() && closed {
                    // A trailing `]` after the last comma-less element.
                    return None;
                }
                self.position += 1;
                let position = self.position;
                if !closed && self.shape == Shape::Done && !bytes.is_empty() {
                    return Some(Raw {
                        position,
                        what: RawKind::Unclosed { line, bytes },
                    });
                }
                if bytes.is_empty() {
                    return Some(Raw {
                        position,
                        what: RawKind::Failed(Error::input(
                            format!("tickets[{}]", position - 1),
                            "an empty element in the JSON array (two commas in a row?)",
                        )),
                    });
                }
                Some(Raw {
                    position,
                    what: RawKind::Ticket { line, bytes },
                })
            }
        }
    }
}

impl<R: BufRead> Iterator for TicketReader<R> {
    type Item = Entry;

    fn next(&mut self) -> Option<Entry> {
        self.next_raw().map(Raw::parse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &[u8]) -> Vec<(u64, Result<String, String>)> {
        TicketReader::new(text)
            .map(|e| {
                (
                    e.position,
                    e.ticket.map(|t| t.id).map_err(|e| e.kind().to_string()),
                )
            })
            .collect()
    }

    const A: &str = r#"{"id":"A","opened_at":"2026-03-02T08:00:00+08:00"}"#;
    const B: &str = r#"{"id":"B","opened_at":"2026-03-02T09:00:00+08:00"}"#;

    #[test]
    fn json_lines_with_blank_lines_and_a_bom() {
        let text = format!("\u{feff}{A}\n\n{B}\r\n");
        assert_eq!(
            read(text.as_bytes()),
            vec![(1, Ok("A".into())), (3, Ok("B".into()))]
        );
    }

    #[test]
    fn invalid_utf8_costs_only_its_line() {
        let mut text = format!("{A}\n").into_bytes();
        text.extend_from_slice(b"{\"id\":\"\xff\"}\n");
        text.extend_from_slice(format!("{B}\n").as_bytes());
        assert_eq!(
            read(&text),
            vec![
                (1, Ok("A".into())),
                (2, Err("input".into())),
                (3, Ok("B".into()))
            ]
        );
    }

    #[test]
    fn array_with_a_syntax_error_in_one_element() {
        let text = format!("[\n {A},\n {{\"id\": \"X\" \"opened_at\": 1}},\n {B}\n]");
        assert_eq!(
            read(text.as_bytes()),
            vec![
                (1, Ok("A".into())),
                (2, Err("input".into())),
                (3, Ok("B".into()))
            ]
        );
    }

    #[test]
    fn array_with_strings_holding_brackets_and_commas() {
        let c = r#"{"id":"C,]}","opened_at":"2026-03-02T08:00:00+08:00","attributes":{"note":"a \" ] , ["}}"#;
        let text = format!("[{c}, {A}]");
        assert_eq!(
            read(text.as_bytes()),
            vec![(1, Ok("C,]}".into())), (2, Ok("A".into()))]
        );
    }

    #[test]
    fn empty_array_and_empty_input() {
        assert!(read(b"[]").is_empty());
        assert!(read(b"  \n").is_empty());
        assert!(read(b"").is_empty());
    }

    #[test]
    fn unclosed_array_is_an_error_in_the_last_place() {
        let text = format!("[{A}, {B}");
        assert_eq!(
            read(text.as_bytes()),
            vec![(1, Ok("A".into())), (2, Err("input".into()))]
        );
    }

    #[test]
    fn a_missing_opened_at_names_the_field() {
        let e = TicketReader::new(&br#"{"id":"T-1"}"#[..])
            .next()
            .map(|e| e.ticket);
        match e {
            Some(Err(Error::Ticket { ticket, field, .. })) => {
                assert_eq!(ticket, "T-1");
                assert_eq!(field, "opened_at");
            }
            other => unreachable!("{other:?}"),
        }
    }
}
