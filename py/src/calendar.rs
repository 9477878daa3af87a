//! `Calendar`: a policy's business calendar, on aware datetimes and
//! timedeltas, and on numpy arrays of `datetime64`/`timedelta64` (int64
//! buffers computed on all cores without the GIL).

use crate::convert::{delta, instant, py_delta, py_instant};
use crate::errors::{input_error, raise, raise_error};
use aftersales::{Calendar as CoreCalendar, Error, ErrorObject};
use chrono::{DateTime, TimeDelta, Utc};
use pyo3::prelude::*;
use pyo3::types::PyByteArray;
use rayon::prelude::*;

/// NaT: numpy's missing `datetime64` / `timedelta64`.
const NAT: i64 = i64::MIN;

/// Why one element of a vectorised calendar operation has no answer.
enum Fail {
    /// The calendar has none (no open time ahead, out of its range).
    Calendar(aftersales::CalendarError),
    /// The answer is outside `datetime64[ns]` (years 1678 to 2261).
    Range,
}

/// Whether a value goes the numpy way: not a datetime or timedelta, but
/// something with a `dtype` (an array, a pandas column, a numpy scalar).
fn is_array(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<bool> {
    let datetime = py.import("datetime")?;
    if value.is_instance(&datetime.getattr("datetime")?)?
        || value.is_instance(&datetime.getattr("timedelta")?)?
    {
        return Ok(false);
    }
    value.hasattr("dtype")
}

/// The numpy form of a calendar operation, in `aftersales._vector`.
fn vector<'py>(
    py: Python<'py>,
    name: &str,
    calendar: &Bound<'py, Calendar>,
    args: &[&Bound<'py, PyAny>],
) -> PyResult<PyObject> {
    let module = py.import("aftersales._vector")?;
    let mut all = vec![calendar.clone().into_any()];
    all.extend(args.iter().map(|a| (*a).clone()));
    let tuple = pyo3::types::PyTuple::new(py, all)?;
    Ok(module.getattr(name)?.call1(tuple)?.unbind())
}

/// The int64 values of a native-endian buffer.
fn ns_values(py: Python<'_>, bytes: &[u8], field: &str) -> PyResult<Vec<i64>> {
    if bytes.len() % 8 != 0 {
        return Err(input_error(
            py,
            field,
            "an int64 buffer's length is a multiple of 8",
        ));
    }
    Ok(bytes
        .chunks_exact(8)
        .map(|c| <[u8; 8]>::try_from(c).map_or(NAT, i64::from_ne_bytes))
        .collect())
}

/// An elementwise operation over int64 buffers of equal length, on all
/// cores without the GIL; NaT in any operand gives NaT.
fn vector_ns<'py, const N: usize, F>(
    py: Python<'py>,
    inputs: [&[u8]; N],
    op: F,
) -> PyResult<Bound<'py, PyByteArray>>
where
    F: Fn([i64; N]) -> Result<i64, Fail> + Sync,
{
    let columns = inputs
        .iter()
        .map(|b| ns_values(py, b, "values"))
        .collect::<PyResult<Vec<_>>>()?;
    let n = columns.first().map_or(0, Vec::len);
    if columns.iter().any(|c| c.len() != n) {
        return Err(input_error(py, "values", "the arrays differ in length"));
    }
    let result = py.allow_threads(|| {
        (0..n)
            .into_par_iter()
            .map(|i| {
                let row: [i64; N] = std::array::from_fn(|k| {
                    columns
                        .get(k)
                        .and_then(|c| c.get(i))
                        .copied()
                        .unwrap_or(NAT)
                });
                if row.contains(&NAT) {
                    return Ok(NAT);
                }
                op(row).map_err(|f| (i, f))
            })
            .collect::<Result<Vec<i64>, (usize, Fail)>>()
    });
    match result {
        Ok(values) => {
            let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_ne_bytes()).collect();
            Ok(PyByteArray::new(py, &bytes))
        }
        Err((i, Fail::Calendar(e))) => {
            let mut object = ErrorObject::from(&Error::Calendar(e));
            object.message = format!("at index {i}: {}", object.message);
            Err(raise(py, &object, None))
        }
        Err((i, Fail::Range)) => Err(input_error(
            py,
            "values",
            format!("at index {i}: the answer is outside datetime64[ns] (years 1678 to 2261)"),
        )),
    }
}

/// A business calendar of a policy: open hours in its zone, holidays,
/// overrides. Instants are aware datetimes (answers in UTC); durations are
/// timedeltas of open time.
#[pyclass(frozen, module = "aftersales._aftersales")]
pub struct Calendar {
    inner: CoreCalendar,
}

impl Calendar {
    /// The Python object of a calendar.
    pub fn new(inner: CoreCalendar) -> Self {
        Calendar { inner }
    }

    fn answer(
        &self,
        py: Python<'_>,
        result: Result<DateTime<Utc>, aftersales::CalendarError>,
    ) -> PyResult<PyObject> {
        match result {
            Ok(t) => py_instant(py, t),
            Err(e) => Err(raise_error(py, &Error::Calendar(e))),
        }
    }
}

#[pymethods]
impl Calendar {
    /// The calendar's name in the policy.
    #[getter]
    fn name(&self) -> &str {
        self.inner.name()
    }

    /// The IANA zone its hours are read in (`floating` for wall-clock time).
    #[getter]
    fn zone(&self) -> String {
        self.inner.zone().name().to_string()
    }

    /// The instant `d` of open time after `start`; on numpy arrays
    /// (`datetime64`, `timedelta64`, broadcast), an array.
    fn add(
        slf: &Bound<'_, Self>,
        py: Python<'_>,
        start: &Bound<'_, PyAny>,
        d: &Bound<'_, PyAny>,
    ) -> PyResult<PyObject> {
        if is_array(py, start)? || is_array(py, d)? {
            return vector(py, "add", slf, &[start, d]);
        }
        let (t, d) = (instant(py, start, "start")?, delta(py, d, "duration")?);
        slf.get().answer(py, slf.get().inner.add(t, d))
    }

    /// The instant `d` of open time before `end`; on numpy arrays, an array.
    fn sub(
        slf: &Bound<'_, Self>,
        py: Python<'_>,
        end: &Bound<'_, PyAny>,
        d: &Bound<'_, PyAny>,
    ) -> PyResult<PyObject> {
        if is_array(py, end)? || is_array(py, d)? {
            return vector(py, "sub", slf, &[end, d]);
        }
        let (t, d) = (instant(py, end, "end")?, delta(py, d, "duration")?);
        slf.get().answer(py, slf.get().inner.sub(t, d))
    }

    /// Open time in `[a, b)`; negative when `b` is before `a`. On numpy
    /// `datetime64` arrays, a `timedelta64[ns]` array.
    fn between(
        slf: &Bound<'_, Self>,
        py: Python<'_>,
        a: &Bound<'_, PyAny>,
        b: &Bound<'_, PyAny>,
    ) -> PyResult<PyObject> {
        if is_array(py, a)? || is_array(py, b)? {
            return vector(py, "between", slf, &[a, b]);
        }
        let (a, b) = (instant(py, a, "a")?, instant(py, b, "b")?);
        py_delta(py, slf.get().inner.between(a, b))
    }

    /// Whether `t` is inside open hours; on a `datetime64` array, a bool
    /// array.
    fn is_open(slf: &Bound<'_, Self>, py: Python<'_>, t: &Bound<'_, PyAny>) -> PyResult<PyObject> {
        if is_array(py, t)? {
            return vector(py, "is_open", slf, &[t]);
        }
        let open = slf.get().inner.is_open(instant(py, t, "t")?);
        Ok(pyo3::types::PyBool::new(py, open)
            .to_owned()
            .into_any()
            .unbind())
    }

    /// Whether the local date of `t` is a holiday.
    fn is_holiday(&self, py: Python<'_>, t: &Bound<'_, PyAny>) -> PyResult<bool> {
        Ok(self.inner.is_holiday(instant(py, t, "t")?))
    }

    /// The first open instant at or after `t`; on a `datetime64` array, an
    /// array.
    fn next_open(
        slf: &Bound<'_, Self>,
        py: Python<'_>,
        t: &Bound<'_, PyAny>,
    ) -> PyResult<PyObject> {
        if is_array(py, t)? {
            return vector(py, "next_open", slf, &[t]);
        }
        let t = instant(py, t, "t")?;
        slf.get().answer(py, slf.get().inner.next_open(t))
    }

    /// The last open instant at or before `t`.
    fn prev_close(&self, py: Python<'_>, t: &Bound<'_, PyAny>) -> PyResult<PyObject> {
        let t = instant(py, t, "t")?;
        self.answer(py, self.inner.prev_close(t))
    }

    /// The end of the open period holding `t`, else of the next one.
    fn next_close(&self, py: Python<'_>, t: &Bound<'_, PyAny>) -> PyResult<PyObject> {
        let t = instant(py, t, "t")?;
        self.answer(py, self.inner.next_close(t))
    }

    /// The `n`-th following business day at the same wall-clock time, then
    /// the next opening.
    fn add_business_days(
        &self,
        py: Python<'_>,
        t: &Bound<'_, PyAny>,
        n: u32,
    ) -> PyResult<PyObject> {
        let t = instant(py, t, "t")?;
        self.answer(py, self.inner.add_business_days(t, n))
    }

    /// The close of the `n`-th following business day: the end of the last
    /// open period belonging to that date (`end_of_working_day` targets).
    fn close_of_business_days(
        &self,
        py: Python<'_>,
        t: &Bound<'_, PyAny>,
        n: u32,
    ) -> PyResult<PyObject> {
        let t = instant(py, t, "t")?;
        self.answer(py, self.inner.close_of_business_days(t, n))
    }

    /// The `n`-th preceding business day at the same wall-clock time, then
    /// the last close at or before it.
    fn sub_business_days(
        &self,
        py: Python<'_>,
        t: &Bound<'_, PyAny>,
        n: u32,
    ) -> PyResult<PyObject> {
        let t = instant(py, t, "t")?;
        self.answer(py, self.inner.sub_business_days(t, n))
    }

    /// `add` over arrays of epoch nanoseconds (UTC) and nanosecond
    /// durations, without the GIL: the engine of the numpy forms.
    fn add_many_ns(
        &self,
        py: Python<'_>,
        starts: Vec<i64>,
        durations: Vec<i64>,
    ) -> PyResult<Vec<i64>> {
        if starts.len() != durations.len() {
            return Err(input_error(
                py,
                "durations",
                "starts and durations differ in length",
            ));
        }
        let calendar = self.inner.clone();
        let result = py.allow_threads(move || {
            starts
                .iter()
                .zip(&durations)
                .map(|(s, d)| {
                    let t = DateTime::from_timestamp_nanos(*s);
                    calendar
                        .add(t, TimeDelta::nanoseconds(*d))
                        .map(|r| r.timestamp_nanos_opt().unwrap_or(i64::MAX))
                })
                .collect::<Result<Vec<i64>, _>>()
        });
        result.map_err(|e| raise_error(py, &Error::Calendar(e)))
    }

    /// `between` over arrays of epoch nanoseconds (UTC): open nanoseconds.
    fn between_many_ns(&self, py: Python<'_>, a: Vec<i64>, b: Vec<i64>) -> PyResult<Vec<i64>> {
        if a.len() != b.len() {
            return Err(input_error(py, "b", "the two arrays differ in length"));
        }
        let calendar = self.inner.clone();
        Ok(py.allow_threads(move || {
            a.iter()
                .zip(&b)
                .map(|(x, y)| {
                    let d = calendar.between(
                        DateTime::from_timestamp_nanos(*x),
                        DateTime::from_timestamp_nanos(*y),
                    );
                    d.num_nanoseconds().unwrap_or(i64::MAX)
                })
                .collect()
        }))
    }

    /// `add` over native-endian int64 buffers of epoch nanoseconds (UTC)
    /// and nanosecond durations (NaT is `i64::MIN` and stays NaT), on all
    /// cores without the GIL: the engine of the numpy forms.
    fn add_ns<'py>(
        &self,
        py: Python<'py>,
        starts: &[u8],
        durations: &[u8],
    ) -> PyResult<Bound<'py, PyByteArray>> {
        let calendar = &self.inner;
        vector_ns(py, [starts, durations], |[s, d]| {
            calendar
                .add(DateTime::from_timestamp_nanos(s), TimeDelta::nanoseconds(d))
                .map_err(Fail::Calendar)
                .and_then(|t| t.timestamp_nanos_opt().ok_or(Fail::Range))
        })
    }

    /// `sub` over int64 buffers, as [`Calendar::add_ns`].
    fn sub_ns<'py>(
        &self,
        py: Python<'py>,
        ends: &[u8],
        durations: &[u8],
    ) -> PyResult<Bound<'py, PyByteArray>> {
        let calendar = &self.inner;
        vector_ns(py, [ends, durations], |[e, d]| {
            calendar
                .sub(DateTime::from_timestamp_nanos(e), TimeDelta::nanoseconds(d))
                .map_err(Fail::Calendar)
                .and_then(|t| t.timestamp_nanos_opt().ok_or(Fail::Range))
        })
    }

    /// `between` over int64 buffers: open nanoseconds.
    fn between_ns<'py>(
        &self,
        py: Python<'py>,
        a: &[u8],
        b: &[u8],
    ) -> PyResult<Bound<'py, PyByteArray>> {
        let calendar = &self.inner;
        vector_ns(py, [a, b], |[a, b]| {
            calendar
                .between(
                    DateTime::from_timestamp_nanos(a),
                    DateTime::from_timestamp_nanos(b),
                )
                .num_nanoseconds()
                .ok_or(Fail::Range)
        })
    }

    /// `is_open` over an int64 buffer: 1 open, 0 closed (NaT is 0).
    fn is_open_ns<'py>(&self, py: Python<'py>, t: &[u8]) -> PyResult<Bound<'py, PyByteArray>> {
        let values = ns_values(py, t, "t")?;
        let calendar = &self.inner;
        let open: Vec<u8> = py.allow_threads(|| {
            values
                .par_iter()
                .map(|t| {
                    u8::from(*t != NAT && calendar.is_open(DateTime::from_timestamp_nanos(*t)))
                })
                .collect()
        });
        Ok(PyByteArray::new(py, &open))
    }

    /// `next_open` over an int64 buffer.
    fn next_open_ns<'py>(&self, py: Python<'py>, t: &[u8]) -> PyResult<Bound<'py, PyByteArray>> {
        let calendar = &self.inner;
        vector_ns(py, [t], |[t]| {
            calendar
                .next_open(DateTime::from_timestamp_nanos(t))
                .map_err(Fail::Calendar)
                .and_then(|t| t.timestamp_nanos_opt().ok_or(Fail::Range))
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "Calendar(name={:?}, zone={:?})",
            self.inner.name(),
            self.inner.zone().name()
        )
    }
}
