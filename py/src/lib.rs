//! Python bindings for the aftersales engine: the native module
//! `aftersales._aftersales`, wrapped by the `aftersales` package.
//!
//! Everything goes through the core façade ([`aftersales::api`]): tickets go
//! in as JSON text and answers come out as the façade's JSON, so Python
//! answers byte for byte as the command line and the C library do. The GIL
//! is released while a policy compiles and while a batch is evaluated.

use aftersales::api;
use aftersales::{Calendar as CoreCalendar, Error, ErrorKind, ErrorObject, EvaluateOptions};
use aftersales::{Policy as CorePolicy, PolicySource, Portfolio};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
mod columns;
mod json_text;

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyTypeError};
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyList, PyString, PyType};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::PathBuf;

create_exception!(
    _aftersales,
    AftersalesError,
    PyException,
    "The root of every error the engine raises."
);
create_exception!(
    _aftersales,
    PolicyError,
    AftersalesError,
    "The policy manifest or its rules do not compile (code 1)."
);
create_exception!(
    _aftersales,
    TicketError,
    AftersalesError,
    "A ticket is invalid: a missing or malformed field (code 2)."
);
create_exception!(
    _aftersales,
    RuleError,
    AftersalesError,
    "A Rhai rule failed while evaluating a ticket (code 3)."
);
create_exception!(
    _aftersales,
    CalendarError,
    AftersalesError,
    "A calendar is invalid, or a calendar operation has no answer (code 4)."
);
create_exception!(
    _aftersales,
    IoError,
    AftersalesError,
    "A file could not be read (code 5)."
);
create_exception!(
    _aftersales,
    InputError,
    AftersalesError,
    "A request is malformed: not JSON, a naive datetime, a bad option (code 6)."
);
create_exception!(
    _aftersales,
    RuleTimeoutError,
    AftersalesError,
    "A rule call ran past the wall-clock backstop: the machine stalled or a built-in function ran long; retrying may succeed (code 7)."
);

/// Where in a policy (TOML path or Rhai function, line, column) or in the
/// request text a problem is.
#[pyclass(frozen, eq, module = "aftersales._aftersales")]
#[derive(Clone, PartialEq)]
struct Location {
    /// TOML path (`targets[2].target.critical`) or Rhai function name.
    #[pyo3(get)]
    path: String,
    /// 1-based line, when known.
    #[pyo3(get)]
    line: Option<u32>,
    /// 1-based column, when known.
    #[pyo3(get)]
    column: Option<u32>,
}

#[pymethods]
impl Location {
    #[new]
    #[pyo3(signature = (path, line=None, column=None))]
    fn new(path: String, line: Option<u32>, column: Option<u32>) -> Self {
        Location { path, line, column }
    }

    fn __repr__(&self) -> String {
        let show = |v: Option<u32>| v.map_or("None".to_string(), |n| n.to_string());
        format!(
            "Location(path={:?}, line={}, column={})",
            self.path,
            show(self.line),
            show(self.column)
        )
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyResult<Bound<'_, PyAny>> {
        let py = slf.py();
        let items = (slf.path.clone(), slf.line, slf.column).into_pyobject(py)?;
        items.into_any().try_iter().map(Bound::into_any)
    }
}

/// The exception type of an error kind.
fn exception_type(py: Python<'_>, kind: ErrorKind) -> Bound<'_, PyType> {
    match kind {
        ErrorKind::Policy => py.get_type::<PolicyError>(),
        ErrorKind::Ticket => py.get_type::<TicketError>(),
        ErrorKind::Rule => py.get_type::<RuleError>(),
        ErrorKind::Calendar => py.get_type::<CalendarError>(),
        ErrorKind::Io => py.get_type::<IoError>(),
        ErrorKind::Input => py.get_type::<InputError>(),
        ErrorKind::Timeout => py.get_type::<RuleTimeoutError>(),
        _ => py.get_type::<AftersalesError>(),
    }
}

/// The exception instance of an error object, carrying its fields.
fn exception(py: Python<'_>, object: &ErrorObject, position: Option<u64>) -> PyResult<PyObject> {
    let value = exception_type(py, object.kind).call1((object.message.clone(),))?;
    value.setattr("code", object.code)?;
    value.setattr("kind", object.kind.as_str())?;
    value.setattr("message", object.message.clone())?;
    let location = object.location.as_ref().map(|l| Location {
        path: l.path.clone(),
        line: l.line,
        column: l.column,
    });
    value.setattr("location", location)?;
    value.setattr("policy", object.policy.clone())?;
    value.setattr("ticket", object.ticket.clone())?;
    value.setattr("field", object.field.clone())?;
    value.setattr("position", position)?;
    Ok(value.unbind())
}

/// The Python error of an error object.
fn raise(py: Python<'_>, object: &ErrorObject, position: Option<u64>) -> PyErr {
    match exception(py, object, position) {
        Ok(value) => PyErr::from_value(value.into_bound(py)),
        Err(e) => e,
    }
}

/// The Python error of a core error.
fn raise_error(py: Python<'_>, error: &Error) -> PyErr {
    raise(py, &ErrorObject::from(error), None)
}

/// An input error about `field`.
/// The evaluation options of the keyword arguments `lang` (`"en"`,
/// `"zh-CN"`) and `because` (`"text"`, `"codes"`, `"none"`).
fn options(py: Python<'_>, lang: &str, because: &str) -> PyResult<EvaluateOptions> {
    Ok(EvaluateOptions {
        lang: lang
            .parse()
            .map_err(|m: String| input_error(py, "lang", m))?,
        because: because
            .parse()
            .map_err(|m: String| input_error(py, "because", m))?,
        ..EvaluateOptions::default()
    })
}

fn input_error(py: Python<'_>, field: &str, message: impl Into<String>) -> PyErr {
    raise_error(py, &Error::input(field, message))
}

/// The `aftersales._convert` helper module (typed values).
fn convert(py: Python<'_>) -> PyResult<Bound<'_, PyModule>> {
    py.import("aftersales._convert")
}

/// An aware datetime as a UTC instant; a naive one is refused.
fn instant(py: Python<'_>, value: &Bound<'_, PyAny>, field: &str) -> PyResult<DateTime<Utc>> {
    let datetime = py.import("datetime")?;
    if !value.is_instance(&datetime.getattr("datetime")?)? {
        return Err(input_error(
            py,
            field,
            format!(
                "expected an aware datetime.datetime, got {}",
                value.get_type().name()?
            ),
        ));
    }
    if value.call_method0("utcoffset")?.is_none() {
        return Err(input_error(
            py,
            field,
            "a naive datetime has no time zone and is never guessed: give it a tzinfo \
             (datetime(..., tzinfo=ZoneInfo(\"Asia/Shanghai\")) or timezone.utc)",
        ));
    }
    let utc = datetime.getattr("timezone")?.getattr("utc")?;
    let u = value.call_method1("astimezone", (utc,))?;
    let get = |name: &str| -> PyResult<u32> { u.getattr(name)?.extract() };
    let year: i32 = u.getattr("year")?.extract()?;
    NaiveDate::from_ymd_opt(year, get("month")?, get("day")?)
        .and_then(|d| {
            d.and_hms_micro_opt(
                get("hour").ok()?,
                get("minute").ok()?,
                get("second").ok()?,
                get("microsecond").ok()?,
            )
        })
        .map(|naive| naive.and_utc())
        .ok_or_else(|| input_error(py, field, "the datetime is not a valid instant"))
}

/// An optional aware datetime.
fn optional_instant(
    py: Python<'_>,
    value: Option<&Bound<'_, PyAny>>,
    field: &str,
) -> PyResult<Option<DateTime<Utc>>> {
    match value {
        Some(v) if !v.is_none() => instant(py, v, field).map(Some),
        _ => Ok(None),
    }
}

/// A UTC instant as an aware `datetime` in UTC.
fn py_instant(py: Python<'_>, t: DateTime<Utc>) -> PyResult<PyObject> {
    let datetime = py.import("datetime")?;
    let utc = datetime.getattr("timezone")?.getattr("utc")?;
    let base = datetime
        .getattr("datetime")?
        .call1((1970, 1, 1, 0, 0, 0, 0, utc))?;
    let delta = py_delta(py, t.signed_duration_since(DateTime::UNIX_EPOCH))?;
    Ok(base.call_method1("__add__", (delta,))?.unbind())
}

/// A `timedelta` as a duration.
fn delta(py: Python<'_>, value: &Bound<'_, PyAny>, field: &str) -> PyResult<TimeDelta> {
    let datetime = py.import("datetime")?;
    if !value.is_instance(&datetime.getattr("timedelta")?)? {
        return Err(input_error(
            py,
            field,
            format!(
                "expected a datetime.timedelta, got {}",
                value.get_type().name()?
            ),
        ));
    }
    let days: i64 = value.getattr("days")?.extract()?;
    let seconds: i64 = value.getattr("seconds")?.extract()?;
    let micros: i64 = value.getattr("microseconds")?.extract()?;
    TimeDelta::try_days(days)
        .and_then(|d| d.checked_add(&TimeDelta::seconds(seconds)))
        .and_then(|d| d.checked_add(&TimeDelta::microseconds(micros)))
        .ok_or_else(|| input_error(py, field, "the timedelta is out of range"))
}

/// A duration as a `timedelta`.
fn py_delta(py: Python<'_>, d: TimeDelta) -> PyResult<PyObject> {
    let timedelta = py.import("datetime")?.getattr("timedelta")?;
    let seconds = d.num_seconds();
    let micros = d.subsec_nanos() / 1_000;
    Ok(timedelta.call1((0, seconds, micros))?.unbind())
}

/// A ticket as JSON text: a string is taken as it is, a mapping is written
/// as JSON (see [`json_text`]).
fn ticket_text(py: Python<'_>, ticket: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(text) = ticket.downcast::<PyString>() {
        return text.extract();
    }
    let mut out = Vec::with_capacity(1024);
    push_ticket(py, ticket, false, &mut out)?;
    String::from_utf8(out).map_err(|e| input_error(py, "", e.to_string()))
}

/// Appends a ticket (a mapping, or JSON text taken as it is) to `out`.
/// With `drop_nulls`, entries holding `None` or NaN are left out.
fn push_ticket(
    py: Python<'_>,
    ticket: &Bound<'_, PyAny>,
    drop_nulls: bool,
    out: &mut Vec<u8>,
) -> PyResult<()> {
    if let Ok(text) = ticket.downcast::<PyString>() {
        out.extend_from_slice(text.to_cow()?.as_bytes());
        return Ok(());
    }
    if !json_text::is_mapping(py, ticket)? {
        return Err(input_error(
            py,
            "",
            format!(
                "a ticket is a dict or JSON text, not {}",
                ticket.get_type().name()?
            ),
        ));
    }
    json_text::write(py, ticket, drop_nulls, out).map_err(|refused| match refused {
        json_text::Refused::Naive(field) => input_error(
            py,
            &field.to_string(),
            at(
                &field,
                "a naive datetime in a ticket has no time zone and is never guessed: give it a tzinfo",
            ),
        ),
        json_text::Refused::Type(field, message) => PyTypeError::new_err(at(&field, &message)),
        json_text::Refused::Python(error) => error,
    })
}

/// A message about the value at `field` (`attributes.tags[1]`), or about
/// the ticket itself.
fn at(field: &json_text::Field, message: &str) -> String {
    let field = field.to_string();
    if field.is_empty() {
        message.to_string()
    } else {
        format!("`{field}`: {message}")
    }
}

/// The columns as `_columns` hands them to Python.
fn column_list<'py>(py: Python<'py>, columns: &columns::Columns) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    let text = |name: &str, cells: &columns::Texts| -> PyResult<()> {
        out.append((name, "str", cells.0.clone(), py.None(), 0usize, 0u32))
    };
    let micros = |name: &str, kind: &str, column: &columns::Micros| -> PyResult<()> {
        out.append((
            name,
            kind,
            PyBytes::new(py, &column.data),
            PyBytes::new(py, &column.validity),
            column.nulls,
            0u32,
        ))
    };
    let decimals = |name: &str, column: &columns::Decimals| -> PyResult<()> {
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
    for (name, column) in columns::MONEY.iter().zip(&columns.money) {
        decimals(name, column)?;
    }
    decimals("credited", &columns.credited)?;
    Ok(out)
}

/// Parses façade JSON with Python's `json` and types the values.
fn typed(py: Python<'_>, json: &str) -> PyResult<PyObject> {
    Ok(convert(py)?.getattr("typed")?.call1((json,))?.unbind())
}

/// The error object of an error envelope, when the answer is one.
fn envelope_error(answer: &str) -> Option<(ErrorObject, Option<u64>)> {
    if !answer.starts_with("{\"position\"") {
        return None;
    }
    let value: serde_json::Value = serde_json::from_str(answer).ok()?;
    let error = value.get("error")?;
    let text = |key: &str| error.get(key).and_then(|v| v.as_str()).map(str::to_string);
    let kind = error
        .get("code")
        .and_then(serde_json::Value::as_u64)
        .and_then(|c| u32::try_from(c).ok())
        .and_then(ErrorKind::from_code)
        .unwrap_or(ErrorKind::Input);
    let mut object = ErrorObject::from(&Error::input("", text("message").unwrap_or_default()));
    object.kind = kind;
    object.code = kind.code();
    object.message = text("message").unwrap_or_default();
    object.policy = text("policy");
    object.ticket = text("ticket");
    object.field = text("field");
    object.location =
        error
            .get("location")
            .filter(|l| !l.is_null())
            .map(|l| aftersales::Location {
                path: l
                    .get("path")
                    .and_then(|p| p.as_str())
                    .unwrap_or_default()
                    .to_string(),
                line: l
                    .get("line")
                    .and_then(serde_json::Value::as_u64)
                    .and_then(|n| u32::try_from(n).ok()),
                column: l
                    .get("column")
                    .and_then(serde_json::Value::as_u64)
                    .and_then(|n| u32::try_from(n).ok()),
            });
    let position = value.get("position").and_then(serde_json::Value::as_u64);
    Some((object, position))
}

/// The evaluation of one ticket: the façade's JSON, with attribute access
/// to its fields (typed: aware datetimes, timedeltas, Decimals).
#[pyclass(frozen, module = "aftersales._aftersales")]
struct Evaluation {
    json: String,
    dict: GILOnceCell<PyObject>,
}

impl Evaluation {
    fn new(json: String) -> Self {
        Evaluation {
            json,
            dict: GILOnceCell::new(),
        }
    }

    fn cached<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.dict
            .get_or_try_init(py, || typed(py, &self.json))
            .map(|d| d.bind(py).clone())
    }
}

#[pymethods]
impl Evaluation {
    /// The exact JSON the façade (and the command line) gives.
    fn to_json(&self) -> &str {
        &self.json
    }

    /// The evaluation as a dict of typed values: instants as aware
    /// datetimes, durations as timedeltas, money as Decimals.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let copy = py.import("copy")?;
        copy.getattr("deepcopy")?.call1((self.cached(py)?,))
    }

    fn __getattr__<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        let dict = self.cached(py)?;
        let dict = dict.downcast::<PyDict>()?;
        match dict.get_item(name)? {
            Some(value) => convert(py)?.getattr("record")?.call1((value,)),
            None => Err(pyo3::exceptions::PyAttributeError::new_err(format!(
                "Evaluation has no field `{name}`"
            ))),
        }
    }

    fn __dir__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let dict = self.cached(py)?;
        let keys: Vec<String> = dict.downcast::<PyDict>()?.keys().extract()?;
        let mut names = vec!["to_dict".to_string(), "to_json".to_string()];
        names.extend(keys);
        PyList::new(py, names)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .downcast::<Evaluation>()
            .is_ok_and(|o| o.get().json == self.json)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        convert(py)?
            .getattr("evaluation_repr")?
            .call1((self.cached(py)?,))?
            .extract()
    }

    fn _repr_html_(&self, py: Python<'_>) -> PyResult<String> {
        convert(py)?
            .getattr("evaluation_html")?
            .call1((self.cached(py)?,))?
            .extract()
    }
}

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
struct Calendar {
    inner: CoreCalendar,
}

impl Calendar {
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

/// A compiled policy. Evaluations go through the core façade and answer
/// as the command line does.
#[pyclass(frozen, module = "aftersales._aftersales")]
struct Policy {
    inner: CorePolicy,
    source: PolicySource,
}

/// Answers of a batch: the JSON of each, in input order, and the report.
struct Batch {
    answers: Vec<String>,
    report: String,
}

impl Policy {
    fn load(py: Python<'_>, source: PolicySource) -> PyResult<Policy> {
        let loaded = py.allow_threads(|| api::load_policy(&source));
        match loaded {
            Ok(inner) => Ok(Policy { inner, source }),
            Err(object) => Err(raise(py, &object, None)),
        }
    }

    /// Tickets as one JSON array (a str is a JSON lines or array text).
    fn batch_text(py: Python<'_>, tickets: &Bound<'_, PyAny>) -> PyResult<String> {
        Policy::batch_text_with(py, tickets, false)
    }

    /// [`Policy::batch_text`]; with `drop_nulls`, `None` and NaN entries of
    /// the tickets' objects are left out (rows of a table).
    fn batch_text_with(
        py: Python<'_>,
        tickets: &Bound<'_, PyAny>,
        drop_nulls: bool,
    ) -> PyResult<String> {
        if let Ok(text) = tickets.downcast::<PyString>() {
            return text.extract();
        }
        let mut out = Vec::with_capacity(1024);
        out.push(b'[');
        for (i, ticket) in tickets.try_iter()?.enumerate() {
            if i > 0 {
                out.push(b',');
            }
            push_ticket(py, &ticket?, drop_nulls, &mut out)?;
        }
        out.push(b']');
        String::from_utf8(out).map_err(|e| input_error(py, "", e.to_string()))
    }

    fn run(
        &self,
        py: Python<'_>,
        tickets: String,
        as_of: Option<DateTime<Utc>>,
        options: EvaluateOptions,
    ) -> PyResult<Batch> {
        let policy = self.inner.clone();
        let result = py.allow_threads(move || {
            let mut answers = Vec::new();
            // Answers are written on the worker threads, in parallel.
            let render = move |position: u64, answer: &api::Answer, out: &mut Vec<u8>| {
                api::write_answer(out, Some(position), answer);
            };
            let report = api::evaluate_stream_rendered(
                &policy,
                tickets.as_bytes(),
                as_of,
                options,
                api::CHUNK,
                &render,
                |_, _, bytes| {
                    answers.push(String::from_utf8_lossy(bytes).into_owned());
                    Ok(())
                },
            )?;
            let report = serde_json::to_string(&report).map_err(std::io::Error::other)?;
            Ok::<Batch, std::io::Error>(Batch { answers, report })
        });
        result.map_err(|e| input_error(py, "tickets", e.to_string()))
    }
}

#[pymethods]
impl Policy {
    /// Reads and compiles a policy file; its `rules` file is read from
    /// the same directory.
    #[staticmethod]
    fn from_path(py: Python<'_>, path: PathBuf) -> PyResult<Policy> {
        Policy::load(py, PolicySource::Path(path))
    }

    /// Compiles a policy from TOML text and its rule files' texts by name.
    #[staticmethod]
    #[pyo3(signature = (toml, rules=None))]
    fn from_str(
        py: Python<'_>,
        toml: String,
        rules: Option<BTreeMap<String, String>>,
    ) -> PyResult<Policy> {
        Policy::load(
            py,
            PolicySource::Text {
                toml,
                rules: rules.unwrap_or_default(),
            },
        )
    }

    /// The policy's id.
    #[getter]
    fn id(&self) -> &str {
        self.inner.id()
    }

    /// The policy's version.
    #[getter]
    fn version(&self) -> &str {
        self.inner.version()
    }

    /// The digest of the manifest and its rules (`sha256:…`).
    #[getter]
    fn digest(&self) -> &str {
        self.inner.digest()
    }

    /// The currency of its money.
    #[getter]
    fn currency(&self) -> &str {
        self.inner.currency()
    }

    /// The SLA metrics, in manifest order.
    #[getter]
    fn metrics(&self) -> Vec<String> {
        self.inner
            .metric_names()
            .into_iter()
            .map(str::to_string)
            .collect()
    }

    /// Every warning and error of the policy's source, as dicts of
    /// `level`, `location`, `message` (the façade's `check`).
    fn check<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let source = self.source.clone();
        let json = py.allow_threads(move || api::check_json(&source));
        py.import("json")?.getattr("loads")?.call1((json,))
    }

    /// Evaluates one ticket (a dict or JSON text) at its own `as_of`, else
    /// at `as_of` (an aware datetime). `lang` (`"en"`, `"zh-CN"`) is the
    /// language of the reasons; `because` is `"text"` (the default),
    /// `"codes"` (each reason as `{"code", "args"}`) or `"none"`.
    #[pyo3(signature = (ticket, as_of=None, *, lang="en", because="text"))]
    fn evaluate(
        &self,
        py: Python<'_>,
        ticket: &Bound<'_, PyAny>,
        as_of: Option<&Bound<'_, PyAny>>,
        lang: &str,
        because: &str,
    ) -> PyResult<Evaluation> {
        let options = options(py, lang, because)?;
        let as_of = optional_instant(py, as_of, "as_of")?;
        let text = ticket_text(py, ticket)?;
        let policy = self.inner.clone();
        let answer = py.allow_threads(move || api::evaluate_json(&policy, &text, as_of, options));
        match envelope_error(&answer) {
            Some((object, _)) => Err(raise(py, &object, None)),
            None => Ok(Evaluation::new(answer)),
        }
    }

    /// Evaluates a batch (an iterable of dicts or JSON texts, or one JSON
    /// lines / array text) on all cores without the GIL. `errors="raise"`
    /// raises the first failed ticket's error (with its `position`);
    /// `errors="collect"` puts the exception instance in its place.
    /// `lang` and `because` as for `evaluate`.
    #[pyo3(signature = (tickets, as_of=None, *, errors="raise", lang="en", because="text"))]
    fn evaluate_many<'py>(
        &self,
        py: Python<'py>,
        tickets: &Bound<'py, PyAny>,
        as_of: Option<&Bound<'py, PyAny>>,
        errors: &str,
        lang: &str,
        because: &str,
    ) -> PyResult<Bound<'py, PyList>> {
        let options = options(py, lang, because)?;
        let collect = match errors {
            "raise" => false,
            "collect" => true,
            other => {
                return Err(input_error(
                    py,
                    "errors",
                    format!("`{other}` is not `raise` or `collect`"),
                ))
            }
        };
        let as_of = optional_instant(py, as_of, "as_of")?;
        let text = Policy::batch_text(py, tickets)?;
        let batch = self.run(py, text, as_of, options)?;
        let out = PyList::empty(py);
        for answer in batch.answers {
            match envelope_error(&answer) {
                Some((object, position)) if collect => {
                    out.append(exception(py, &object, position)?)?
                }
                Some((object, position)) => return Err(raise(py, &object, position)),
                None => out.append(Evaluation::new(answer))?,
            }
        }
        Ok(out)
    }

    /// The façade's JSON lines of a batch, as the command line prints them
    /// (`lang` and `because` as for `evaluate`, `--lang` and `--because`
    /// there).
    #[pyo3(signature = (tickets, as_of=None, *, lang="en", because="text"))]
    fn evaluate_many_json(
        &self,
        py: Python<'_>,
        tickets: &Bound<'_, PyAny>,
        as_of: Option<&Bound<'_, PyAny>>,
        lang: &str,
        because: &str,
    ) -> PyResult<Vec<String>> {
        let options = options(py, lang, because)?;
        let as_of = optional_instant(py, as_of, "as_of")?;
        let text = Policy::batch_text(py, tickets)?;
        Ok(self.run(py, text, as_of, options)?.answers)
    }

    /// A batch's figures as columns, one row per ticket (what
    /// `evaluate_arrow` and `evaluate_frame` build their tables from): a
    /// list of `(name, kind, data, validity, nulls, scale)`. `kind` is
    /// `"str"` (`data` a list of str or None), `"timestamp"` or `"duration"`
    /// (`data` int64 microseconds, little-endian bytes), or `"decimal"`
    /// (`data` 128-bit unscaled integers at `scale`); `validity` is an
    /// Arrow validity bitmap (bytes), `nulls` the rows without a value.
    /// With `drop_nulls`, entries of the tickets' objects holding `None`
    /// or NaN are read as absent (rows of a table, padded with nulls).
    #[pyo3(signature = (tickets, as_of=None, *, drop_nulls=false))]
    fn _columns<'py>(
        &self,
        py: Python<'py>,
        tickets: &Bound<'py, PyAny>,
        as_of: Option<&Bound<'py, PyAny>>,
        drop_nulls: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        let as_of = optional_instant(py, as_of, "as_of")?;
        let text = Policy::batch_text_with(py, tickets, drop_nulls)?;
        let policy = self.inner.clone();
        let metrics = self.metrics();
        let built = py.allow_threads(move || {
            let mut columns = columns::Columns::new(metrics);
            api::evaluate_stream(
                &policy,
                text.as_bytes(),
                as_of,
                EvaluateOptions::default(),
                |_, answer| {
                    columns.push(&answer);
                    Ok(())
                },
            )
            .map(|_| columns)
        });
        let columns = built.map_err(|e| {
            raise_error(
                py,
                &Error::Io {
                    path: String::new(),
                    message: e.to_string(),
                },
            )
        })?;
        column_list(py, &columns)
    }

    /// The portfolio report of a batch (KPIs, lateness, money), as a dict
    /// of typed values.
    #[pyo3(signature = (tickets, as_of=None))]
    fn report<'py>(
        &self,
        py: Python<'py>,
        tickets: &Bound<'py, PyAny>,
        as_of: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<PyObject> {
        let json = self.report_json(py, tickets, as_of)?;
        typed(py, &json)
    }

    /// The portfolio report of a batch as the façade's JSON.
    #[pyo3(signature = (tickets, as_of=None))]
    fn report_json(
        &self,
        py: Python<'_>,
        tickets: &Bound<'_, PyAny>,
        as_of: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        let as_of = optional_instant(py, as_of, "as_of")?;
        let text = Policy::batch_text(py, tickets)?;
        Ok(self
            .run(py, text, as_of, EvaluateOptions::default())?
            .report)
    }

    /// The policy's texts: (manifest TOML, rule files' texts by name), as
    /// `Policy.from_str` takes them, with the same digest. How a policy is
    /// shipped to processes that do not share this file system.
    fn source(&self, py: Python<'_>) -> PyResult<(String, BTreeMap<String, String>)> {
        let source = self.source.clone();
        match py.allow_threads(move || api::source_texts(&source)) {
            Ok(texts) => Ok(texts),
            Err(object) => Err(raise(py, &object, None)),
        }
    }

    /// Evaluates one partition of a larger set (tickets as for
    /// `evaluate_many_json`) through one portfolio: (the façade's answers
    /// in input order, the partition's tally as JSON for
    /// `report_partials`). `positions`, one per ticket (or None), are
    /// written into the error envelopes in place of the position in this
    /// partition. `lang` and `because` as for `evaluate`.
    #[pyo3(signature = (tickets, as_of=None, positions=None, *, lang="en", because="text"))]
    fn evaluate_partition(
        &self,
        py: Python<'_>,
        tickets: &Bound<'_, PyAny>,
        as_of: Option<&Bound<'_, PyAny>>,
        positions: Option<Vec<Option<u64>>>,
        lang: &str,
        because: &str,
    ) -> PyResult<(Vec<String>, String)> {
        let options = options(py, lang, because)?;
        let as_of = optional_instant(py, as_of, "as_of")?;
        let text = Policy::batch_text(py, tickets)?;
        let policy = self.inner.clone();
        let result = py.allow_threads(move || {
            let mut answers = Vec::new();
            let mut line = Vec::with_capacity(4_096);
            let given: Vec<Option<u64>> = positions.clone().unwrap_or_default();
            let mut index = 0usize;
            let portfolio = api::evaluate_partition_numbered(
                &policy,
                text.as_bytes(),
                as_of,
                options,
                &given,
                |position, answer| {
                    // The ticket's place in the whole set (renumbered by the
                    // façade); a ticket given no place has none.
                    let shown = match &positions {
                        Some(given) => given.get(index).copied().flatten(),
                        None => Some(position),
                    };
                    index += 1;
                    line.clear();
                    api::write_answer(&mut line, shown, &answer);
                    answers.push(String::from_utf8_lossy(&line).into_owned());
                    Ok(())
                },
            )?;
            Ok::<_, std::io::Error>((answers, portfolio.partial_json()))
        });
        result.map_err(|e| input_error(py, "tickets", e.to_string()))
    }

    /// The portfolio report of partitions evaluated apart, from their
    /// tallies (`evaluate_partition`'s second value), as the façade's JSON.
    fn report_partials_json(&self, py: Python<'_>, partials: Vec<String>) -> PyResult<String> {
        let mut portfolio = Portfolio::new(&self.inner);
        for partial in &partials {
            if let Err(error) = portfolio.merge_partial_json(partial) {
                return Err(raise_error(py, &error));
            }
        }
        serde_json::to_string(&portfolio.report())
            .map_err(|e| input_error(py, "partials", e.to_string()))
    }

    /// `report_partials_json` as a dict of typed values (as `report`).
    fn report_partials(&self, py: Python<'_>, partials: Vec<String>) -> PyResult<PyObject> {
        let json = self.report_partials_json(py, partials)?;
        typed(py, &json)
    }

    /// A variant: the manifest with values replaced by dotted path
    /// (`targets.contact.target.normal`, `fees.labor.rate`). Values are
    /// given as text (numbers and Decimals are written out).
    fn with_overrides(&self, py: Python<'_>, overrides: &Bound<'_, PyDict>) -> PyResult<Policy> {
        let mut map = BTreeMap::new();
        for (key, value) in overrides.iter() {
            let key: String = key.extract()?;
            let text = match value.downcast::<PyString>() {
                Ok(s) => s.extract()?,
                Err(_) if value.is_instance_of::<pyo3::types::PyBool>() => {
                    if value.is_truthy()? { "true" } else { "false" }.to_string()
                }
                Err(_) => value.str()?.extract()?,
            };
            map.insert(key, text);
        }
        let source = self.source.clone();
        let variant = py.allow_threads(move || api::with_overrides(&source, &map));
        match variant {
            Ok(source) => Policy::load(py, source),
            Err(object) => Err(raise(py, &object, None)),
        }
    }

    /// The calendar of that name.
    fn calendar(&self, py: Python<'_>, name: &str) -> PyResult<Calendar> {
        match self.inner.calendar(name) {
            Some(calendar) => Ok(Calendar {
                inner: calendar.clone(),
            }),
            None => Err(raise_error(
                py,
                &Error::policy(
                    self.inner.id(),
                    format!("calendars.{name}"),
                    format!(
                        "no calendar `{name}`; the policy has: {}",
                        self.inner
                            .calendars()
                            .keys()
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ),
            )),
        }
    }

    fn __repr__(&self) -> String {
        format!(
            "Policy(id={:?}, version={:?}, digest={:?})",
            self.inner.id(),
            self.inner.version(),
            self.inner.digest()
        )
    }
}

/// The native module.
#[pymodule]
fn _aftersales(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<Policy>()?;
    m.add_class::<Evaluation>()?;
    m.add_class::<Calendar>()?;
    m.add_class::<Location>()?;
    m.add("AftersalesError", py.get_type::<AftersalesError>())?;
    // Class-level defaults, so that every instance has every field even when
    // raised from Python: the code of its kind, and no location.
    let root = py.get_type::<AftersalesError>();
    for name in [
        "kind", "code", "message", "location", "policy", "ticket", "field", "position",
    ] {
        root.setattr(name, py.None())?;
    }
    for kind in ErrorKind::ALL {
        let class = exception_type(py, kind);
        class.setattr("code", kind.code())?;
        class.setattr("kind", kind.as_str())?;
        m.add(class.name()?.extract::<String>()?, class)?;
    }
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add(
        "__all__",
        vec![
            "AftersalesError",
            "Calendar",
            "CalendarError",
            "Evaluation",
            "InputError",
            "IoError",
            "Location",
            "Policy",
            "PolicyError",
            "RuleError",
            "RuleTimeoutError",
            "TicketError",
        ],
    )?;
    Ok(())
}
