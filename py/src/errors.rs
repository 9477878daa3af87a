//! The exception tree and how the engine's typed errors become Python
//! exceptions: one class per [`ErrorKind`] under `AftersalesError`, each
//! instance carrying the error object's fields.

use aftersales::{Error, ErrorKind, ErrorObject};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyType;

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
pub struct Location {
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
pub fn exception_type(py: Python<'_>, kind: ErrorKind) -> Bound<'_, PyType> {
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

/// The exception instance of an error object, carrying its fields;
/// `position` is the ticket's place in its batch.
pub fn exception(
    py: Python<'_>,
    object: &ErrorObject,
    position: Option<u64>,
) -> PyResult<PyObject> {
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
pub fn raise(py: Python<'_>, object: &ErrorObject, position: Option<u64>) -> PyErr {
    match exception(py, object, position) {
        Ok(value) => PyErr::from_value(value.into_bound(py)),
        Err(e) => e,
    }
}

/// The Python error of a core error.
pub fn raise_error(py: Python<'_>, error: &Error) -> PyErr {
    raise(py, &ErrorObject::from(error), None)
}

/// An input error (code 6) about `field`.
pub fn input_error(py: Python<'_>, field: &str, message: impl Into<String>) -> PyErr {
    raise_error(py, &Error::input(field, message))
}

/// Adds the exception classes and [`Location`] to the module, with
/// class-level defaults so that every instance has every field even when
/// raised from Python: the code and kind of its class, and no location.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<Location>()?;
    m.add("AftersalesError", py.get_type::<AftersalesError>())?;
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
    Ok(())
}
