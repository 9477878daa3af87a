//! `Evaluation`: one ticket's answer, held as the engine's typed value.
//! Its JSON (`to_json`) is written once, when asked for, by the façade's
//! one writer ([`api::answer_json`]); its dict (`to_dict`, attribute
//! access) is built from the typed value ([`crate::convert::to_python`]).

use crate::convert::to_python;
use aftersales::api;
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::{PyDict, PyList};
use std::sync::OnceLock;

/// The evaluation of one ticket, with attribute access to its fields
/// (typed: ids and text `str`, money `Decimal`, instants aware datetimes,
/// dates, durations timedeltas).
#[pyclass(frozen, module = "aftersales._aftersales")]
pub struct Evaluation {
    answer: api::Answer,
    json: OnceLock<String>,
    dict: GILOnceCell<Py<PyDict>>,
}

impl Evaluation {
    /// The Python object of an evaluation, rendered as the call asked.
    pub fn new(evaluation: aftersales::Evaluation) -> Self {
        Evaluation {
            answer: Ok(evaluation),
            json: OnceLock::new(),
            dict: GILOnceCell::new(),
        }
    }

    /// The dict, built once, for attribute access, `repr` and HTML.
    fn cached<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.dict
            .get_or_try_init(py, || {
                Ok::<_, PyErr>(self.build(py)?.downcast_into::<PyDict>()?.unbind())
            })
            .map(|d| d.bind(py).clone())
    }

    fn build<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match &self.answer {
            Ok(evaluation) => to_python(py, evaluation),
            Err(_) => Ok(PyDict::new(py).into_any()),
        }
    }

    /// The `aftersales._record` helpers.
    fn record(py: Python<'_>) -> PyResult<Bound<'_, PyModule>> {
        py.import("aftersales._record")
    }
}

#[pymethods]
impl Evaluation {
    /// The exact JSON the façade (and the command line) gives.
    fn to_json(&self) -> &str {
        self.json
            .get_or_init(|| api::answer_json(None, &self.answer))
    }

    /// The evaluation as a new dict of typed values: ids and text as
    /// `str`, money as `Decimal`, instants as aware datetimes at the
    /// offset the answer writes, dates as dates, durations as timedeltas.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.build(py)
    }

    fn __getattr__<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        let dict = self.cached(py)?;
        match dict.get_item(name)? {
            Some(value) => Evaluation::record(py)?.getattr("record")?.call1((value,)),
            None => Err(pyo3::exceptions::PyAttributeError::new_err(format!(
                "Evaluation has no field `{name}`"
            ))),
        }
    }

    fn __dir__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let keys: Vec<String> = self.cached(py)?.keys().extract()?;
        let mut names = vec!["to_dict".to_string(), "to_json".to_string()];
        names.extend(keys);
        PyList::new(py, names)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .downcast::<Evaluation>()
            .is_ok_and(|o| o.get().to_json() == self.to_json())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Evaluation::record(py)?
            .getattr("evaluation_repr")?
            .call1((self.cached(py)?,))?
            .extract()
    }

    fn _repr_html_(&self, py: Python<'_>) -> PyResult<String> {
        Evaluation::record(py)?
            .getattr("evaluation_html")?
            .call1((self.cached(py)?,))?
            .extract()
    }
}
