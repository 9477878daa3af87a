//! Reading a stream of tickets: JSON lines or one JSON array, from any
//! reader, a ticket at a time. Each ticket is read on its own, so invalid
//! UTF-8, a JSON syntax error or a bad field costs only that ticket.
//!
//! Nothing is dropped: every byte of the input is part of a ticket or of
//! an error entry that names its line and column.
//!
//! - The input is **one JSON array** when its first non-blank character is
//!   `[`, and then it must be exactly one array: anything but blanks after
//!   its closing `]` is one error entry (`data after the JSON array`) and
//!   is not read further.
//! - Otherwise it is **JSON lines**: each non-blank line is one ticket; a
//!   line that holds more than one JSON value (`{…} {…}`, `{…} garbage`)
//!   is an error entry for that line.
//! - A line (or an array element) longer than the limit
//!   ([`MAX_LINE_BYTES`] by default, [`TicketReader::with_max_line_bytes`])
//!   is an error entry, and the rest of the input is not read: memory
//!   stays bounded whatever the input (`/dev/zero` answers at once).

use crate::error::{Error, Location};
use crate::ticket::Ticket;
use std::io::BufRead;

/// The default longest line of JSON lines (or element of a JSON array),
/// in bytes: 1 MiB, some hundred times a large ticket.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// The most a line limit may be raised to, in bytes: 1 GiB.
pub const MAX_LINE_BYTES_CEILING: usize = 1 << 30;

/// The environment variable that sets the line limit of every call that
/// does not give one (the C library, the Python wheel, and the command
/// line's `--max-line-bytes` default), from 1 to [`MAX_LINE_BYTES_CEILING`].
pub const MAX_LINE_BYTES_VARIABLE: &str = "AFTERSALES_MAX_LINE_BYTES";

/// The line limit of a call that does not give one:
/// [`MAX_LINE_BYTES_VARIABLE`] when set, else [`MAX_LINE_BYTES`]; a value
/// that is not a whole number of bytes in range is an error naming the
/// variable (never a default taken in its place).
pub fn max_line_bytes() -> Result<usize, String> {
    let refused = |text: &str| {
        format!(
            "{MAX_LINE_BYTES_VARIABLE} `{text}` is not a whole number of bytes from 1 to {MAX_LINE_BYTES_CEILING}"
        )
    };
    match std::env::var(MAX_LINE_BYTES_VARIABLE) {
        Err(std::env::VarError::NotPresent) => Ok(MAX_LINE_BYTES),
        Err(std::env::VarError::NotUnicode(_)) => Err(refused("(not UTF-8)")),
        Ok(text) => text
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|bytes| (1..=MAX_LINE_BYTES_CEILING).contains(bytes))
            .ok_or_else(|| refused(&text)),
    }
}

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
    /// After the array's closing `]`: only blanks may follow.
    AfterArray,
    Done,
}

/// A place in the input: 1-based line and byte column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Place {
    line: u64,
    column: u64,
}

/// An iterator over the tickets of a reader holding JSON lines or a JSON
/// array (detected from the first character; a UTF-8 byte-order mark is
/// skipped). Memory holds one ticket at a time, at most the line limit.
pub struct TicketReader<R> {
    reader: R,
    shape: Shape,
    position: u64,
    /// Line breaks consumed so far.
    line: u64,
    /// Bytes consumed since the last line break.
    column: u64,
    buffer: Vec<u8>,
    max_line_bytes: usize,
}

/// One line read from JSON lines.
enum Piece {
    /// A ticket's bytes, starting at a place.
    Ticket(Place, Vec<u8>),
    /// A line longer than the limit, starting at a place.
    TooLong(Place),
}

/// Whether a byte is blank between JSON values.
fn is_blank(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r')
}

/// The place of `offset` in `bytes`, which start at `start`.
fn place_of(start: Place, bytes: &[u8], offset: usize) -> Place {
    let before = bytes.get(..offset).unwrap_or(bytes);
    match before.iter().rposition(|&b| b == b'\n') {
        Some(last) => Place {
            line: start.line + before.iter().filter(|&&b| b == b'\n').count() as u64,
            column: (offset - last) as u64,
        },
        None => Place {
            line: start.line,
            column: start.column + offset as u64,
        },
    }
}

/// A place as a location in the request text.
fn location(place: Place) -> Location {
    Location {
        path: String::new(),
        line: u32::try_from(place.line).ok(),
        column: u32::try_from(place.column).ok(),
    }
}

/// An element of the array as read: its first byte's place, its bytes,
/// whether `]` closed the array after it and whether the input ended.
enum Element {
    Read {
        start: Place,
        bytes: Vec<u8>,
        closed: bool,
        ended: bool,
    },
    TooLong(Place),
}

impl<R: BufRead> TicketReader<R> {
    /// Reads tickets from `reader`, each line (or array element) at most
    /// [`MAX_LINE_BYTES`] long.
    pub fn new(reader: R) -> Self {
        TicketReader {
            reader,
            shape: Shape::Unknown,
            position: 0,
            line: 0,
            column: 0,
            buffer: Vec::new(),
            max_line_bytes: MAX_LINE_BYTES,
        }
    }

    /// The same reader with lines (or array elements) of at most `bytes`
    /// bytes, from 1 to [`MAX_LINE_BYTES_CEILING`] (a value outside is
    /// brought inside; hosts validate what their users give).
    pub fn with_max_line_bytes(mut self, bytes: usize) -> Self {
        self.max_line_bytes = bytes.clamp(1, MAX_LINE_BYTES_CEILING);
        self
    }

    /// The longest line (or array element) read, in bytes.
    pub fn max_line_bytes(&self) -> usize {
        self.max_line_bytes
    }

    /// The place of the next byte.
    fn here(&self) -> Place {
        Place {
            line: self.line + 1,
            column: self.column + 1,
        }
    }

    /// Skips blanks: the next non-blank byte (not consumed), `None` at the end.
    fn skip_blanks(&mut self) -> std::io::Result<Option<u8>> {
        loop {
            let available = self.reader.fill_buf()?;
            if available.is_empty() {
                return Ok(None);
            }
            let mut used = 0;
            let mut found = None;
            for &byte in available {
                if !is_blank(byte) {
                    found = Some(byte);
                    break;
                }
                used += 1;
                if byte == b'\n' {
                    self.line += 1;
                    self.column = 0;
                } else {
                    self.column += 1;
                }
            }
            self.reader.consume(used);
            if found.is_some() {
                return Ok(found);
            }
        }
    }

    /// Skips a byte-order mark and blanks and decides the shape of the
    /// input from its first character.
    fn detect(&mut self) -> std::io::Result<()> {
        if self.reader.fill_buf()?.starts_with(b"\xEF\xBB\xBF") {
            self.reader.consume(3);
        }
        self.shape = match self.skip_blanks()? {
            None => Shape::Done,
            Some(b'[') => {
                self.reader.consume(1);
                self.column += 1;
                Shape::Array
            }
            Some(_) => Shape::Lines,
        };
        Ok(())
    }

    /// The next non-blank line without its line break and surrounding
    /// blanks, with the place of its first byte; `None` at the end.
    fn next_line(&mut self) -> std::io::Result<Option<Piece>> {
        loop {
            self.buffer.clear();
            let start = self.here();
            let mut ended_line = false;
            loop {
                let available = self.reader.fill_buf()?;
                if available.is_empty() {
                    break;
                }
                let (take, newline) = match available.iter().position(|&b| b == b'\n') {
                    Some(at) => (at, true),
                    None => (available.len(), false),
                };
                if take > self.max_line_bytes.saturating_sub(self.buffer.len()) {
                    self.shape = Shape::Done;
                    return Ok(Some(Piece::TooLong(start)));
                }
                self.buffer
                    .extend_from_slice(available.get(..take).unwrap_or_default());
                self.reader.consume(take + usize::from(newline));
                if newline {
                    self.line += 1;
                    self.column = 0;
                    ended_line = true;
                    break;
                }
                self.column += take as u64;
            }
            let leading = self.buffer.iter().take_while(|&&b| is_blank(b)).count();
            let text = self.buffer.trim_ascii();
            if !text.is_empty() {
                let start = Place {
                    column: start.column + leading as u64,
                    ..start
                };
                return Ok(Some(Piece::Ticket(start, text.to_vec())));
            }
            if !ended_line {
                self.shape = Shape::Done;
                return Ok(None);
            }
        }
    }

    // Long because it is a byte-level state machine (depth, string, escape) over one array element.
    /// The next element of the array: the bytes up to a comma or the
    /// closing bracket at depth zero, outside strings.
    fn next_element(&mut self) -> std::io::Result<Element> {
        self.buffer.clear();
        let mut depth = 0u32;
        let mut in_string = false;
        let mut escaped = false;
        let mut start: Option<Place> = None;
        loop {
            let available = self.reader.fill_buf()?;
            if available.is_empty() {
                // Input ended inside the array.
                self.shape = Shape::Done;
                let here = Place {
                    line: self.line + 1,
                    column: self.column + 1,
                };
                return Ok(Element::Read {
                    start: start.unwrap_or(here),
                    bytes: self.buffer.trim_ascii().to_vec(),
                    closed: false,
                    ended: true,
                });
            }
            let mut used = 0;
            let mut end = None;
            for &byte in available {
                let at_depth_zero = depth == 0 && !in_string;
                if at_depth_zero && (byte == b']' || byte == b',') {
                    end = Some(byte == b']');
                    used += 1;
                    self.column += 1;
                    break;
                }
                if start.is_none() && !is_blank(byte) {
                    start = Some(Place {
                        line: self.line + 1,
                        column: self.column + 1,
                    });
                }
                used += 1;
                if byte == b'\n' {
                    self.line += 1;
                    self.column = 0;
                } else {
                    self.column += 1;
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
                    b'{' | b'[' => depth = depth.saturating_add(1),
                    b'}' | b']' => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
            let chunk_len = if end.is_some() { used - 1 } else { used };
            if chunk_len > self.max_line_bytes.saturating_sub(self.buffer.len()) {
                self.shape = Shape::Done;
                let here = Place {
                    line: self.line + 1,
                    column: self.column + 1,
                };
                return Ok(Element::TooLong(start.unwrap_or(here)));
            }
            self.buffer
                .extend_from_slice(available.get(..chunk_len).unwrap_or_default());
            self.reader.consume(used);
            if let Some(closed) = end {
                if closed {
                    self.shape = Shape::AfterArray;
                }
                let here = Place {
                    line: self.line + 1,
                    column: self.column,
                };
                return Ok(Element::Read {
                    start: start.unwrap_or(here),
                    bytes: self.buffer.trim_ascii().to_vec(),
                    closed,
                    ended: false,
                });
            }
        }
    }
}

/// Parses one ticket's bytes, which start at `start` in the input; the
/// places in its errors are places in the whole input.
fn parse(position: u64, start: Place, bytes: &[u8]) -> Result<Ticket, Error> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let at = place_of(start, bytes, e.valid_up_to());
        Error::Input {
            field: String::new(),
            location: location(at),
            message: format!(
                "ticket {position} is not valid UTF-8 (byte {} of line {})",
                at.column, at.line
            ),
        }
    })?;
    Ticket::from_json(text).map_err(|e| match e {
        // Syntax errors are placed in the whole input.
        Error::Input {
            field,
            location:
                Location {
                    line: Some(line),
                    column: Some(column),
                    ..
                },
            message,
        } => {
            let at = if line <= 1 {
                Place {
                    line: start.line,
                    column: start.column + u64::from(column).saturating_sub(1),
                }
            } else {
                Place {
                    line: start.line + u64::from(line) - 1,
                    column: u64::from(column),
                }
            };
            let message = match message.rfind(" (line ") {
                Some(cut) => message.get(..cut).unwrap_or(&message).to_string(),
                None => message,
            };
            Error::Input {
                field,
                location: location(at),
                message: format!(
                    "ticket {position}: {message} (line {}, column {})",
                    at.line, at.column
                ),
            }
        }
        Error::Input {
            field,
            location,
            message,
        } => Error::Input {
            field,
            location,
            message: format!("ticket {position} (line {}): {message}", start.line),
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
    /// A ticket's bytes starting at a place.
    Ticket { start: Place, bytes: Vec<u8> },
    /// The last element of an array that is not closed.
    Unclosed { start: Place, bytes: Vec<u8> },
    /// A line or element longer than the limit.
    TooLong { start: Place, limit: usize },
    /// Data after the JSON array.
    Trailing { start: Place },
    /// The input could not be read here.
    Failed(Error),
}

impl Raw {
    /// Gives the ticket another place: `position` in a larger set whose
    /// tickets are one per line or row (a partition of a table), used in
    /// its answer and in its errors' messages and lines.
    pub fn renumber(&mut self, position: u64) {
        self.position = position;
        if let RawKind::Ticket { start, .. } | RawKind::Unclosed { start, .. } = &mut self.what {
            start.line = position;
        }
    }

    /// Parses the ticket.
    pub fn parse(self) -> Entry {
        let position = self.position;
        let ticket = match self.what {
            RawKind::Ticket { start, bytes } => parse(position, start, &bytes),
            RawKind::Unclosed { start, bytes } => {
                parse(position, start, &bytes).and_then(|_| Err(unclosed(position, start)))
            }
            RawKind::TooLong { start, limit } => Err(Error::Input {
                field: String::new(),
                location: location(start),
                message: format!(
                    "ticket {position} (line {}, column {}) is longer than the limit of {limit} bytes (max_line_bytes); the rest of the input is not read",
                    start.line, start.column
                ),
            }),
            RawKind::Trailing { start } => Err(Error::Input {
                field: String::new(),
                location: location(start),
                message: format!(
                    "data after the JSON array (line {}, column {}): a batch is one JSON array or JSON lines, not both; the rest of the input is not read",
                    start.line, start.column
                ),
            }),
            RawKind::Failed(e) => Err(e),
        };
        Entry { position, ticket }
    }
}

/// The error of an array that ends without `]`.
fn unclosed(position: u64, start: Place) -> Error {
    Error::Input {
        field: format!("tickets[{}]", position.saturating_sub(1)),
        location: location(start),
        message: "the JSON array is not closed with `]`".to_string(),
    }
}

impl<R: BufRead> TicketReader<R> {
    // Long because it is the reader's byte-level state machine, one arm per input shape.
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
        let limit = self.max_line_bytes;
        match self.shape {
            Shape::Unknown | Shape::Done => None,
            Shape::Lines => {
                let piece = match self.next_line() {
                    Ok(piece) => piece?,
                    Err(e) => {
                        self.shape = Shape::Done;
                        return Some(failed(self.line + 1, e));
                    }
                };
                self.position += 1;
                Some(match piece {
                    Piece::Ticket(start, bytes) => Raw {
                        position: start.line,
                        what: RawKind::Ticket { start, bytes },
                    },
                    Piece::TooLong(start) => Raw {
                        position: start.line,
                        what: RawKind::TooLong { start, limit },
                    },
                })
            }
            Shape::AfterArray => {
                self.shape = Shape::Done;
                match self.skip_blanks() {
                    Ok(None) => None,
                    Ok(Some(_)) => {
                        self.position += 1;
                        Some(Raw {
                            position: self.position,
                            what: RawKind::Trailing { start: self.here() },
                        })
                    }
                    Err(e) => Some(failed(self.position + 1, e)),
                }
            }
            Shape::Array => {
                let element = match self.next_element() {
                    Ok(element) => element,
                    Err(e) => {
                        self.shape = Shape::Done;
                        return Some(failed(self.position + 1, e));
                    }
                };
                let (start, bytes, closed, ended) = match element {
                    Element::TooLong(start) => {
                        self.position += 1;
                        return Some(Raw {
                            position: self.position,
                            what: RawKind::TooLong { start, limit },
                        });
                    }
                    Element::Read {
                        start,
                        bytes,
                        closed,
                        ended,
                    } => (start, bytes, closed, ended),
                };
                if bytes.is_empty() && closed {
                    // `[]`, or a `]` after a last comma: no element; only
                    // blanks may follow.
                    return self.next_raw();
                }
                self.position += 1;
                let position = self.position;
                let what = if ended && bytes.is_empty() {
                    RawKind::Failed(unclosed(position, start))
                } else if ended {
                    RawKind::Unclosed { start, bytes }
                } else if bytes.is_empty() {
                    RawKind::Failed(Error::Input {
                        field: format!("tickets[{}]", position - 1),
                        location: location(start),
                        message: "an empty element in the JSON array (two commas in a row?)"
                            .to_string(),
                    })
                } else {
                    RawKind::Ticket { start, bytes }
                };
                Some(Raw { position, what })
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

    /// Each entry's position and its ticket id, or its error message.
    fn messages(text: &[u8]) -> Vec<(u64, Result<String, String>)> {
        messages_of(TicketReader::new(text))
    }

    /// [`messages`] of a reader set up by the test.
    fn messages_of<R: BufRead>(reader: TicketReader<R>) -> Vec<(u64, Result<String, String>)> {
        reader
            .map(|e| {
                (
                    e.position,
                    e.ticket.map(|t| t.id).map_err(|e| e.to_string()),
                )
            })
            .collect()
    }

    #[test]
    fn two_arrays_are_one_array_and_an_error_for_the_rest() {
        assert_eq!(
            messages(b"[{}][{}]"),
            vec![
                (1, Err("a ticket without an id, field `id`: missing field `id` at line 1 column 2".into())),
                (2, Err("data after the JSON array (line 1, column 5): a batch is one JSON array or JSON lines, not both; the rest of the input is not read".into())),
            ]
        );
    }

    #[test]
    fn an_array_then_json_lines_is_an_error_for_the_lines() {
        let text = format!("[{A}]\n{B}\n");
        assert_eq!(
            messages(text.as_bytes()),
            vec![
                (1, Ok("A".into())),
                (2, Err("data after the JSON array (line 2, column 1): a batch is one JSON array or JSON lines, not both; the rest of the input is not read".into())),
            ]
        );
    }

    #[test]
    fn blanks_after_the_array_are_nothing() {
        let text = format!("[{A}]  \r\n\n");
        assert_eq!(messages(text.as_bytes()), vec![(1, Ok("A".into()))]);
        assert!(messages(b"[] \n").is_empty());
    }

    #[test]
    fn a_lone_bracket_is_an_unclosed_array() {
        assert_eq!(
            messages(b"["),
            vec![(
                1,
                Err("`tickets[0]`: the JSON array is not closed with `]`".into())
            )]
        );
    }

    #[test]
    fn a_line_with_data_after_its_ticket_is_an_error_for_that_line() {
        let text = format!("{A}\n{B} garbage\n{A}\n");
        assert_eq!(
            messages(text.as_bytes()),
            vec![
                (1, Ok("A".into())),
                (2, Err("ticket 2: the ticket is not valid JSON: trailing characters (line 2, column 52)".into())),
                (3, Ok("A".into())),
            ]
        );
    }

    #[test]
    fn an_array_element_that_is_not_an_object_is_refused() {
        assert_eq!(
            messages(b"[\"A-1\", 7]"),
            vec![
                (1, Err("ticket 1: the ticket is a string, not an object: a ticket is a JSON object with at least `id` and `opened_at` (line 1, column 2)".into())),
                (2, Err("ticket 2: the ticket is a number, not an object: a ticket is a JSON object with at least `id` and `opened_at` (line 1, column 9)".into())),
            ]
        );
    }

    #[test]
    fn a_line_that_is_an_array_is_refused_as_a_ticket() {
        let text = format!("{A}\n  [1, 2]\n");
        assert_eq!(
            messages(text.as_bytes()),
            vec![
                (1, Ok("A".into())),
                (2, Err("ticket 2: the ticket is an array, not an object: a ticket is a JSON object with at least `id` and `opened_at` (line 2, column 3)".into())),
            ]
        );
    }

    #[test]
    fn a_syntax_error_in_an_element_is_placed_in_the_input() {
        // `{"id": "X" "opened_at": 1}` starts at line 2, column 2; the
        // second string is its 12th byte: column 13 of line 2.
        let text = format!("[{A},\n {{\"id\": \"X\" \"opened_at\": 1}}]");
        assert_eq!(
            messages(text.as_bytes()),
            vec![
                (1, Ok("A".into())),
                (2, Err("ticket 2: the ticket is not valid JSON: expected `,` or `}` (line 2, column 13)".into())),
            ]
        );
    }

    #[test]
    fn a_line_longer_than_the_limit_ends_the_stream_with_an_error() {
        let long = r#"{"id":"LONG","opened_at":"2026-03-02T09:00:00+08:00"}"#;
        let text = format!("{A}\n{long}\n{A}\n");
        let read = messages_of(TicketReader::new(text.as_bytes()).with_max_line_bytes(A.len()));
        assert_eq!(
            read,
            vec![
                (1, Ok("A".into())),
                (2, Err(format!("ticket 2 (line 2, column 1) is longer than the limit of {} bytes (max_line_bytes); the rest of the input is not read", A.len()))),
            ]
        );
    }

    #[test]
    fn an_element_longer_than_the_limit_ends_the_stream_with_an_error() {
        // The element's bytes run from the comma to the comma, blanks included.
        let long = r#"{"id":"LONG","opened_at":"2026-03-02T09:00:00+08:00"}"#;
        let text = format!("[{A},{long}, {A}]");
        let read = messages_of(TicketReader::new(text.as_bytes()).with_max_line_bytes(A.len()));
        assert_eq!(
            read,
            vec![
                (1, Ok("A".into())),
                (2, Err(format!("ticket 2 (line 1, column 53) is longer than the limit of {} bytes (max_line_bytes); the rest of the input is not read", A.len()))),
            ]
        );
    }

    #[test]
    fn endless_zeros_read_at_most_the_limit() {
        let zeros = std::io::BufReader::new(std::io::repeat(0));
        let read: Vec<Entry> = TicketReader::new(zeros)
            .with_max_line_bytes(4_096)
            .collect();
        assert_eq!(read.len(), 1);
        assert_eq!(
            read.first().map(|e| e.ticket.as_ref().map_err(ToString::to_string).err()),
            Some(Some("ticket 1 (line 1, column 1) is longer than the limit of 4096 bytes (max_line_bytes); the rest of the input is not read".to_string()))
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
