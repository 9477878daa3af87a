//! Formatting answers: JSON lines (the façade's envelopes), CSV and an
//! aligned table (the portfolio's rows).

use crate::Format;
use aftersales::api::{write_answer, Answer};
use aftersales::portfolio::{rows, COLUMNS};
use std::io::{self, Write};

/// Renders an answer as a JSON line, the way [`Writer`] writes JSON lines.
pub fn render(position: u64, answer: &Answer, out: &mut Vec<u8>) {
    write_answer(out, Some(position), answer);
    out.push(b'\n');
}

/// Writes answers in one format.
pub struct Writer<W: Write> {
    format: Format,
    out: W,
    line: Vec<u8>,
    table: Vec<[String; 11]>,
}

impl<W: Write> Writer<W> {
    /// A writer for `format` into `out`.
    pub fn new(format: Format, out: W) -> io::Result<Self> {
        let mut writer = Writer {
            format,
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
                let cells: Vec<[String; 11]> = rows(Some(position), answer)
                    .iter()
                    .map(|r| r.cells())
                    .collect();
                self.write_csv(&cells)
            }
            Format::Table => {
                self.table
                    .extend(rows(Some(position), answer).iter().map(|r| r.cells()));
                Ok(())
            }
        }
    }

    fn write_csv(&mut self, rows: &[[String; 11]]) -> io::Result<()> {
        let mut writer = csv::Writer::from_writer(&mut self.out);
        for row in rows {
            writer.write_record(row)?;
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
