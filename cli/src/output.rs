//! Formatting answers: JSON lines (the façade's envelopes), CSV and an
//! aligned table (the portfolio's rows).

use crate::Format;
use aftersales::api::{write_answer, Answer};
use aftersales::{TicketRow, COLUMNS};
use std::io::{self, Write};

/// Renders an answer as a JSON line, the way [`Writer`] writes JSON lines.
pub fn render(position: u64, answer: &Answer, out: &mut Vec<u8>) {
    write_answer(out, Some(position), answer);
    out.push(b'\n');
}

/// How answers are written: the format, and whether CSV cells are written
/// raw (no formula neutralising). Reasons come rendered with the answers.
#[derive(Clone, Copy)]
pub struct Options {
    /// The output format.
    pub format: Format,
    /// Write CSV cells as they are (`--csv-raw`).
    pub csv_raw: bool,
}

/// Whether a cell is a plain number (`-5.00`, `+3`, `12`): spreadsheets
/// read it as a number, never as a formula, so it is left as it is.
fn is_number(cell: &str) -> bool {
    let digits = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// A CSV cell a spreadsheet cannot run as a formula (OWASP, "CSV
/// injection"): a cell that starts with `=`, `+`, `-`, `@`, tab or CR and
/// is not a plain number gets a leading `'`.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_number(cell) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// Whether a character must not reach a terminal as it is: control
/// characters (ANSI escapes, CR, line breaks, DEL, C1) and the
/// bidirectional overrides that reorder what is shown.
fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A table cell safe to print: every control character written as an
/// escape (`\r`, `\n`, `\t`, `\u{1b}`), everything else as it is.
pub fn escape_control(cell: &str) -> std::borrow::Cow<'_, str> {
    if !cell.chars().any(is_unsafe) {
        return std::borrow::Cow::Borrowed(cell);
    }
    let mut out = String::with_capacity(cell.len() + 8);
    for c in cell.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Writes answers in one format.
pub struct Writer<W: Write> {
    format: Format,
    csv_raw: bool,
    out: W,
    line: Vec<u8>,
    table: Vec<[String; 11]>,
}

impl<W: Write> Writer<W> {
    /// A writer into `out` as `options` say.
    pub fn new(options: Options, out: W) -> io::Result<Self> {
        let Options { format, csv_raw } = options;
        let mut writer = Writer {
            format,
            csv_raw,
            out,
            line: Vec::with_capacity(8_192),
            table: Vec::new(),
        };
        if let Format::Csv = format {
            writer.write_csv(&[COLUMNS.map(str::to_string)])?;
        }
        Ok(writer)
    }

    /// Whether answers are written as rendered by [`render`], so that they
    /// can be rendered on the worker threads ([`Writer::write_rendered`]).
    pub fn renders(&self) -> bool {
        matches!(self.format, Format::Jsonl)
    }

    /// Writes an answer rendered by [`render`].
    pub fn write_rendered(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)
    }

    /// Writes one ticket's answer.
    pub fn write(&mut self, position: u64, answer: &Answer) -> io::Result<()> {
        match self.format {
            Format::Jsonl => {
                self.line.clear();
                write_answer(&mut self.line, Some(position), answer);
                self.line.push(b'\n');
                self.out.write_all(&self.line)
            }
            Format::Csv => {
                let lines = TicketRow::from_answer(Some(position), answer).lines();
                self.write_csv(&lines)
            }
            Format::Table => {
                self.table.extend(
                    TicketRow::from_answer(Some(position), answer)
                        .lines()
                        .into_iter()
                        .map(|line| line.map(|cell| escape_control(&cell).into_owned())),
                );
                Ok(())
            }
        }
    }

    fn write_csv(&mut self, rows: &[[String; 11]]) -> io::Result<()> {
        let raw = self.csv_raw;
        let mut writer = csv::Writer::from_writer(&mut self.out);
        for row in rows {
            if raw {
                writer.write_record(row)?;
            } else {
                writer.write_record(
                    row.iter()
                        .map(|cell| neutralise(cell))
                        .map(|c| c.into_owned()),
                )?;
            }
        }
        writer.flush()
    }

    /// Writes what is held back (the table is aligned over all rows) and flushes.
    pub fn finish(mut self) -> io::Result<()> {
        if let Format::Table = self.format {
            let used: Vec<usize> = (0..COLUMNS.len())
                .filter(|&c| {
                    self.table
                        .iter()
                        .any(|r| r.get(c).is_some_and(|v| !v.is_empty()))
                })
                .collect();
            let width = |c: usize| {
                self.table
                    .iter()
                    .filter_map(|r| r.get(c))
                    .map(|v| v.chars().count())
                    .chain(COLUMNS.get(c).map(|h| h.len()))
                    .max()
                    .unwrap_or(0)
            };
            let widths: Vec<usize> = used.iter().map(|&c| width(c)).collect();
            let mut text = String::new();
            let mut line = |cells: Vec<&str>| {
                let padded: Vec<String> = cells
                    .iter()
                    .zip(&widths)
                    .map(|(cell, w)| format!("{cell:<w$}"))
                    .collect();
                text.push_str(padded.join("  ").trim_end());
                text.push('\n');
            };
            line(
                used.iter()
                    .filter_map(|&c| COLUMNS.get(c).copied())
                    .collect(),
            );
            for row in &self.table {
                line(
                    used.iter()
                        .filter_map(|&c| row.get(c).map(String::as_str))
                        .collect(),
                );
            }
            self.out.write_all(text.as_bytes())?;
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        assert_eq!(neutralise("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(neutralise("+1+1"), "'+1+1");
        assert_eq!(neutralise("-2+3"), "'-2+3");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("\rx"), "'\rx");
        assert_eq!(neutralise("-5.00"), "-5.00");
        assert_eq!(neutralise("+3"), "+3");
        assert_eq!(neutralise("-"), "'-");
        assert_eq!(neutralise("-.5"), "'-.5");
        assert_eq!(neutralise("A-1"), "A-1");
        assert_eq!(neutralise(""), "");
    }

    #[test]
    fn control_characters_are_escaped_for_the_terminal() {
        assert_eq!(escape_control("T-1"), "T-1");
        assert_eq!(escape_control("维修"), "维修");
        assert_eq!(
            escape_control("\u{1b}[31mred\r\n\t\u{7f}\u{202e}"),
            "\\u{1b}[31mred\\r\\n\\t\\u{7f}\\u{202e}"
        );
    }
}
