//! Python tickets (dicts) written as JSON text, in Rust: the text the
//! engine reads, without a round through Python's `json` module.
//!
//! What `json.dumps` writes for JSON's own types (`dict`, `list`, `tuple`,
//! `str`, `int`, `float`, `bool`, `None`, and non-string dict keys as it
//! converts them), plus the values a Python user holds: an aware
//! `datetime` as RFC 3339 (`isoformat()`), a `date` as `YYYY-MM-DD`, a
//! `Decimal` as its text, a `timedelta` as `PT<seconds>S`, and any other
//! mapping (such as a `Record`) as an object, a numpy scalar or array as
//! its Python value (`tolist()`). A naive `datetime` is refused,
//! never guessed; anything else is a `TypeError`, as `json.dumps` gives.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};

/// How deep a ticket may nest (a cycle would never end).
const MAX_DEPTH: usize = 128;

/// The Python classes values are recognised by.
struct Classes {
    datetime: Py<PyType>,
    date: Py<PyType>,
    timedelta: Py<PyType>,
    decimal: Py<PyType>,
    mapping: Py<PyType>,
}

static CLASSES: GILOnceCell<Classes> = GILOnceCell::new();

fn classes(py: Python<'_>) -> PyResult<&Classes> {
    CLASSES.get_or_try_init(py, || {
        let datetime = py.import("datetime")?;
        let class = |module: &Bound<'_, PyModule>, name: &str| -> PyResult<Py<PyType>> {
            Ok(module.getattr(name)?.downcast_into::<PyType>()?.unbind())
        };
        Ok(Classes {
            datetime: class(&datetime, "datetime")?,
            date: class(&datetime, "date")?,
            timedelta: class(&datetime, "timedelta")?,
            decimal: class(&py.import("decimal")?, "Decimal")?,
            mapping: class(&py.import("collections.abc")?, "Mapping")?,
        })
    })
}

/// What went wrong writing a ticket, with the field it happened in.
pub enum Refused {
    /// A `datetime` without a time zone (the caller raises its own input
    /// error) at this field.
    Naive(Field),
    /// A value JSON cannot hold: a `TypeError` with this message.
    Type(Field, String),
    /// An error from Python, raised as it is.
    Python(PyErr),
}

/// Where in a ticket a value stands, collected innermost first while an
/// error unwinds (so a ticket written without error pays nothing for it).
#[derive(Default)]
pub struct Field(Vec<String>);

impl std::fmt::Display for Field {
    /// `attributes.tags[2]`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, step) in self.0.iter().rev().enumerate() {
            if i > 0 && !step.starts_with('[') {
                f.write_str(".")?;
            }
            f.write_str(step)?;
        }
        Ok(())
    }
}

impl Refused {
    /// The error, one step further out.
    fn within(mut self, step: impl FnOnce() -> String) -> Refused {
        if let Refused::Naive(field) | Refused::Type(field, _) = &mut self {
            field.0.push(step());
        }
        self
    }
}

impl From<PyErr> for Refused {
    fn from(error: PyErr) -> Refused {
        Refused::Python(error)
    }
}

/// Whether `value` is a mapping (a `dict`, a `Record`, …).
pub fn is_mapping(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<bool> {
    Ok(value.is_instance_of::<PyDict>() || value.is_instance(classes(py)?.mapping.bind(py))?)
}

/// Appends `value` as JSON to `out`. With `drop_nulls`, an object's
/// entries holding `None` or NaN are left out, as absent (a table's rows
/// pad the fields one row lacks with nulls).
pub fn write(
    py: Python<'_>,
    value: &Bound<'_, PyAny>,
    drop_nulls: bool,
    out: &mut Vec<u8>,
) -> Result<(), Refused> {
    let classes = classes(py)?;
    Writer {
        py,
        classes,
        drop_nulls,
        out,
    }
    .value(value, 0)
}

struct Writer<'a, 'py> {
    py: Python<'py>,
    classes: &'a Classes,
    drop_nulls: bool,
    out: &'a mut Vec<u8>,
}

/// Whether a value stands for "nothing": `None` or a float NaN.
fn is_null(value: &Bound<'_, PyAny>) -> bool {
    value.is_none()
        || (value.is_instance_of::<PyFloat>() && value.extract::<f64>().is_ok_and(f64::is_nan))
}

impl Writer<'_, '_> {
    fn text(&mut self, text: &str) {
        // Writing to a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *self.out, text);
    }

    fn python_text(&mut self, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let text = value.downcast::<PyString>()?.to_cow()?;
        self.text(&text);
        Ok(())
    }

    fn raw(&mut self, text: &str) {
        self.out.extend_from_slice(text.as_bytes());
    }

    fn value(&mut self, value: &Bound<'_, PyAny>, depth: usize) -> Result<(), Refused> {
        if depth > MAX_DEPTH {
            return Err(Refused::Python(PyValueError::new_err(format!(
                "a ticket nests more than {MAX_DEPTH} levels deep (a circular reference?)"
            ))));
        }
        if let Ok(text) = value.downcast::<PyString>() {
            self.text(&text.to_cow()?);
        } else if value.is_none() {
            self.raw("null");
        } else if let Ok(flag) = value.downcast::<PyBool>() {
            self.raw(if flag.is_true() { "true" } else { "false" });
        } else if value.is_instance_of::<PyInt>() {
            self.raw(&value.str()?.to_cow()?);
        } else if value.is_instance_of::<PyFloat>() {
            self.float(value)?;
        } else if let Ok(dict) = value.downcast::<PyDict>() {
            self.object(dict.iter(), depth)?;
        } else if let Ok(list) = value.downcast::<PyList>() {
            self.array(list.iter(), depth)?;
        } else if let Ok(tuple) = value.downcast::<PyTuple>() {
            self.array(tuple.iter(), depth)?;
        } else {
            self.other(value, depth)?;
        }
        Ok(())
    }

    fn float(&mut self, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let number: f64 = value.extract()?;
        if number.is_nan() {
            self.raw("NaN");
        } else if number.is_infinite() {
            self.raw(if number > 0.0 {
                "Infinity"
            } else {
                "-Infinity"
            });
        } else {
            self.raw(&value.repr()?.to_cow()?);
        }
        Ok(())
    }

    fn object<'py>(
        &mut self,
        items: impl Iterator<Item = (Bound<'py, PyAny>, Bound<'py, PyAny>)>,
        depth: usize,
    ) -> Result<(), Refused> {
        self.raw("{");
        let mut first = true;
        for (key, item) in items {
            if self.drop_nulls && is_null(&item) {
                continue;
            }
            if !std::mem::take(&mut first) {
                self.raw(",");
            }
            self.key(&key)?;
            self.raw(":");
            self.value(&item, depth + 1)
                .map_err(|e| e.within(|| key.to_string()))?;
        }
        self.raw("}");
        Ok(())
    }

    /// A dict key as `json.dumps` writes it: text as it is, numbers,
    /// booleans and `None` as their JSON text.
    fn key(&mut self, key: &Bound<'_, PyAny>) -> Result<(), Refused> {
        if key.is_instance_of::<PyString>() {
            return Ok(self.python_text(key)?);
        }
        let text = if key.is_none() {
            "null".to_string()
        } else if let Ok(flag) = key.downcast::<PyBool>() {
            flag.is_true().to_string()
        } else if key.is_instance_of::<PyInt>() {
            key.str()?.to_cow()?.into_owned()
        } else if key.is_instance_of::<PyFloat>() {
            key.repr()?.to_cow()?.into_owned()
        } else {
            return Err(Refused::Type(
                Field::default(),
                format!(
                    "keys must be str, int, float, bool or None, not {}",
                    key.get_type().name()?
                ),
            ));
        };
        self.text(&text);
        Ok(())
    }

    fn array<'py>(
        &mut self,
        items: impl Iterator<Item = Bound<'py, PyAny>>,
        depth: usize,
    ) -> Result<(), Refused> {
        self.raw("[");
        for (i, item) in items.enumerate() {
            if i > 0 {
                self.raw(",");
            }
            self.value(&item, depth + 1)
                .map_err(|e| e.within(|| format!("[{i}]")))?;
        }
        self.raw("]");
        Ok(())
    }

    /// Dates, instants, decimals, durations and other mappings.
    fn other(&mut self, value: &Bound<'_, PyAny>, depth: usize) -> Result<(), Refused> {
        let py = self.py;
        let classes = self.classes;
        if value.is_instance(classes.datetime.bind(py))? {
            if value.call_method0("utcoffset")?.is_none() {
                return Err(Refused::Naive(Field::default()));
            }
            self.python_text(&value.call_method0("isoformat")?)?;
        } else if value.is_instance(classes.date.bind(py))? {
            self.python_text(&value.call_method0("isoformat")?)?;
        } else if value.is_instance(classes.decimal.bind(py))? {
            self.text(&value.str()?.to_cow()?);
        } else if value.is_instance(classes.timedelta.bind(py))? {
            let seconds = value.call_method0("total_seconds")?;
            let text = PyString::new(py, "PT{:g}S").call_method1("format", (seconds,))?;
            self.python_text(&text)?;
        } else if value.is_instance(classes.mapping.bind(py))? {
            let items: Vec<(Bound<'_, PyAny>, Bound<'_, PyAny>)> = value
                .call_method0("items")?
                .try_iter()?
                .map(|item| item.and_then(|pair| pair.extract()))
                .collect::<PyResult<_>>()?;
            self.object(items.into_iter(), depth)?;
        } else if value.hasattr("tolist")? && value.hasattr("dtype")? {
            // A numpy scalar or array: its Python value.
            self.value(&value.call_method0("tolist")?, depth + 1)?;
        } else {
            return Err(Refused::Type(
                Field::default(),
                format!("{} is not JSON serialisable", value.get_type().name()?),
            ));
        }
        Ok(())
    }
}
