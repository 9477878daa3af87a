//! A batch's answers as columns, one row per ticket, built while the batch
//! is evaluated: the figures `evaluate_arrow` and `evaluate_frame` give,
//! read from the core's `TicketRow` of each answer (no JSON written or
//! parsed), with
//! instants and durations as int64 microseconds and money as unscaled
//! 128-bit integers, ready to become Arrow buffers without a copy.

use crate::errors::input_error;
use aftersales::api::Answer;
use aftersales::Duration;
use aftersales::TicketRow;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList};
use rust_decimal::Decimal;

/// The bill's figures, in column order.
pub const MONEY: [&str; 5] = [
    "subtotal",
    "tax",
    "total",
    "covered_total",
    "warranty_total",
];

/// A column of text cells.
#[derive(Default)]
pub struct Texts(pub Vec<Option<String>>);

/// A column of int64 microseconds (instants since 1970-01-01T00:00Z, or
/// durations), with a validity bitmap in Arrow's bit order.
#[derive(Default)]
pub struct Micros {
    /// The values, little-endian; 0 where null.
    pub data: Vec<u8>,
    /// Bit `i` set when row `i` holds a value.
    pub validity: Vec<u8>,
    /// Rows without a value.
    pub nulls: usize,
    rows: usize,
}

impl Micros {
    fn push(&mut self, value: Option<i64>) {
        if self.rows % 8 == 0 {
            self.validity.push(0);
        }
        match value {
            Some(v) => {
                if let Some(byte) = self.validity.last_mut() {
                    *byte |= 1 << (self.rows % 8);
                }
                self.data.extend_from_slice(&v.to_le_bytes());
            }
            None => {
                self.nulls += 1;
                self.data.extend_from_slice(&0i64.to_le_bytes());
            }
        }
        self.rows += 1;
    }

    fn duration(&mut self, value: Option<Duration>) {
        self.push(value.and_then(|d| d.0.num_microseconds()));
    }
}

/// A column of decimals, turned into unscaled integers at one scale (the
/// largest any of its values has) when the batch is done.
#[derive(Default)]
pub struct Decimals(pub Vec<Option<Decimal>>);

/// The decimal column as Arrow's decimal128 wants it.
pub struct Unscaled {
    /// 16 bytes a row, little-endian.
    pub data: Vec<u8>,
    /// As [`Micros::validity`].
    pub validity: Vec<u8>,
    /// Rows without a value.
    pub nulls: usize,
    /// Digits after the point.
    pub scale: u32,
}

/// Arrow's decimal128 holds at most 38 digits.
const MAX_UNSCALED: i128 = 10i128.pow(38) - 1;

impl Decimals {
    /// The column at its common scale; `None` when a value has more than 38
    /// digits at that scale.
    pub fn unscaled(&self) -> Option<Unscaled> {
        let scale = self
            .0
            .iter()
            .flatten()
            .map(Decimal::scale)
            .max()
            .unwrap_or(0);
        let mut out = Unscaled {
            data: Vec::with_capacity(self.0.len() * 16),
            validity: vec![0; self.0.len().div_ceil(8)],
            nulls: 0,
            scale,
        };
        for (row, value) in self.0.iter().enumerate() {
            let unscaled = match value {
                Some(d) => {
                    let factor = 10i128.checked_pow(scale - d.scale())?;
                    let v = d.mantissa().checked_mul(factor)?;
                    if v.abs() > MAX_UNSCALED {
                        return None;
                    }
                    if let Some(byte) = out.validity.get_mut(row / 8) {
                        *byte |= 1 << (row % 8);
                    }
                    v
                }
                None => {
                    out.nulls += 1;
                    0
                }
            };
            out.data.extend_from_slice(&unscaled.to_le_bytes());
        }
        Some(out)
    }
}

/// One metric's clock columns.
#[derive(Default)]
pub struct Clock {
    /// Deadlines.
    pub deadline: Micros,
    /// Statuses.
    pub status: Texts,
    /// Counted time so far.
    pub elapsed: Micros,
    /// Counted time left.
    pub remaining: Micros,
    /// Counted time past the target.
    pub overdue: Micros,
}

/// The columns of a batch, one row per ticket in input order.
pub struct Columns {
    /// The policy's metrics, in manifest order.
    pub metrics: Vec<String>,
    /// Ticket ids.
    pub ticket: Texts,
    /// The message of a ticket that could not be evaluated.
    pub error: Texts,
    /// The severity at `as_of`.
    pub severity: Texts,
    /// The warranty status.
    pub warranty_status: Texts,
    /// Per metric, in `metrics` order.
    pub clocks: Vec<Clock>,
    /// The bill's figures, in [`MONEY`] order.
    pub money: [Decimals; 5],
    /// The credits owed, summed.
    pub credited: Decimals,
}

impl Columns {
    /// Empty columns for a policy with these metrics.
    pub fn new(metrics: Vec<String>) -> Columns {
        Columns {
            clocks: metrics.iter().map(|_| Clock::default()).collect(),
            metrics,
            ticket: Texts::default(),
            error: Texts::default(),
            severity: Texts::default(),
            warranty_status: Texts::default(),
            money: Default::default(),
            credited: Decimals::default(),
        }
    }

    /// Adds one answer's row: the core's [`TicketRow`], laid out as
    /// columns (the same row the command line writes as CSV lines).
    pub fn push(&mut self, answer: &Answer) {
        let row = TicketRow::from_answer(None, answer);
        self.ticket.0.push(row.ticket.clone());
        self.error.0.push(row.error.clone());
        self.severity.0.push(row.severity.clone());
        self.warranty_status
            .0
            .push(row.warranty.map(|w| w.as_str().to_string()));
        for (name, clock) in self.metrics.iter().zip(&mut self.clocks) {
            let cycle = row.clock(name);
            clock
                .deadline
                .push(cycle.and_then(|c| c.deadline).map(|d| d.timestamp_micros()));
            clock
                .status
                .0
                .push(cycle.map(|c| c.status.as_str().to_string()));
            clock.elapsed.duration(cycle.and_then(|c| c.elapsed));
            clock.remaining.duration(cycle.and_then(|c| c.remaining));
            clock.overdue.duration(cycle.and_then(|c| c.overdue));
        }
        let figures = row.bill.as_ref().map(|b| {
            [
                b.subtotal,
                b.tax,
                b.total,
                b.covered_total,
                b.warranty_total,
            ]
        });
        for (i, column) in self.money.iter_mut().enumerate() {
            column.0.push(figures.and_then(|f| f.get(i).map(|m| m.0)));
        }
        self.credited.0.push(row.credited.map(|m| m.0));
    }
}

/// The columns as `_columns` hands them to Python.
pub fn column_list<'py>(py: Python<'py>, columns: &Columns) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    let text = |name: &str, cells: &Texts| -> PyResult<()> {
        out.append((name, "str", cells.0.clone(), py.None(), 0usize, 0u32))
    };
    let micros = |name: &str, kind: &str, column: &Micros| -> PyResult<()> {
        out.append((
            name,
            kind,
            PyBytes::new(py, &column.data),
            PyBytes::new(py, &column.validity),
            column.nulls,
            0u32,
        ))
    };
    let decimals = |name: &str, column: &Decimals| -> PyResult<()> {
        let unscaled = column.unscaled().ok_or_else(|| {
            input_error(
                py,
                name,
                "a figure has more than 38 digits: Arrow's decimal128 cannot hold it",
            )
        })?;
        out.append((
            name,
            "decimal",
            PyBytes::new(py, &unscaled.data),
            PyBytes::new(py, &unscaled.validity),
            unscaled.nulls,
            unscaled.scale,
        ))
    };
    text("ticket", &columns.ticket)?;
    text("error", &columns.error)?;
    text("severity", &columns.severity)?;
    text("warranty_status", &columns.warranty_status)?;
    for (metric, clock) in columns.metrics.iter().zip(&columns.clocks) {
        micros(&format!("{metric}_deadline"), "timestamp", &clock.deadline)?;
        text(&format!("{metric}_status"), &clock.status)?;
        micros(&format!("{metric}_elapsed"), "duration", &clock.elapsed)?;
        micros(&format!("{metric}_remaining"), "duration", &clock.remaining)?;
        micros(&format!("{metric}_overdue"), "duration", &clock.overdue)?;
    }
    for (name, column) in MONEY.iter().zip(&columns.money) {
        decimals(name, column)?;
    }
    decimals("credited", &columns.credited)?;
    Ok(out)
}
