//! `Policy`: a compiled policy and the calls that evaluate through the
//! core façade ([`aftersales::api`]): one ticket, a batch (typed answers,
//! or the façade's JSON lines), the portfolio report, partitions, columns
//! for frames, variants and calendars. The GIL is released while a policy
//! compiles and while a batch is evaluated.

use crate::calendar::Calendar;
use crate::columns;
use crate::convert::{optional_instant, push_ticket, ticket_text, to_python};
use crate::errors::{exception, input_error, raise, raise_error};
use crate::evaluation::Evaluation;
use aftersales::api;
use aftersales::{Error, EvaluateOptions, Report};
use aftersales::{Policy as CorePolicy, PolicySource, Portfolio};
use chrono::{DateTime, Utc};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use std::collections::BTreeMap;
use std::path::PathBuf;

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

/// A compiled policy. Evaluations go through the core façade and answer
/// as the command line does.
#[pyclass(frozen, module = "aftersales._aftersales")]
pub struct Policy {
    inner: CorePolicy,
    source: PolicySource,
}

/// One answer of a partition: the ticket id (None when the ticket had
/// none readable), the error code (None for an evaluation), the JSON.
type PartitionAnswer = (Option<String>, Option<u32>, String);

/// Answers of a batch, typed, with their places, and the report.
struct Batch {
    answers: Vec<(u64, api::Answer)>,
    report: Report,
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

    /// The report of partitions' tallies merged.
    fn merged(&self, py: Python<'_>, partials: &[String]) -> PyResult<Report> {
        let mut portfolio = Portfolio::new(&self.inner);
        for partial in partials {
            if let Err(error) = portfolio.merge_partial_json(partial) {
                return Err(raise_error(py, &error));
            }
        }
        Ok(portfolio.report())
    }

    /// Evaluates a batch through one portfolio without the GIL: the typed
    /// answers (kept when `keep`) and the report.
    fn run(
        &self,
        py: Python<'_>,
        tickets: String,
        as_of: Option<DateTime<Utc>>,
        options: EvaluateOptions,
        keep: bool,
    ) -> PyResult<Batch> {
        let policy = self.inner.clone();
        let result = py.allow_threads(move || {
            let mut answers = Vec::new();
            let report =
                api::evaluate_stream(&policy, tickets.as_bytes(), as_of, options, |p, answer| {
                    if keep {
                        answers.push((p, answer));
                    }
                    Ok(())
                })?;
            Ok::<Batch, std::io::Error>(Batch { answers, report })
        });
        result.map_err(|e| input_error(py, "tickets", e.to_string()))
    }

    /// The façade's JSON lines of a batch, written on the worker threads.
    fn run_json(
        &self,
        py: Python<'_>,
        tickets: String,
        as_of: Option<DateTime<Utc>>,
        options: EvaluateOptions,
    ) -> PyResult<Vec<String>> {
        let policy = self.inner.clone();
        let result = py.allow_threads(move || {
            let mut answers = Vec::new();
            let render = move |position: u64, answer: &api::Answer, out: &mut Vec<u8>| {
                api::write_answer(out, Some(position), answer);
            };
            let batching = api::Batching::from_environment(api::CHUNK)
                .map_err(|m| std::io::Error::new(std::io::ErrorKind::InvalidInput, m))?;
            api::evaluate_stream_rendered(
                &policy,
                tickets.as_bytes(),
                as_of,
                options,
                batching,
                &render,
                |_, _, bytes| {
                    answers.push(String::from_utf8_lossy(bytes).into_owned());
                    Ok(())
                },
            )?;
            Ok::<_, std::io::Error>(answers)
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
        // The error boxed across the thread boundary (it is large).
        let answer = py
            .allow_threads(move || api::evaluate(&policy, &text, as_of, options).map_err(Box::new));
        match answer {
            Ok(evaluation) => Ok(Evaluation::new(evaluation)),
            Err(object) => Err(raise(py, &object, None)),
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
        let batch = self.run(py, text, as_of, options, true)?;
        let out = PyList::empty(py);
        for (position, answer) in batch.answers {
            match answer {
                Ok(evaluation) => out.append(Evaluation::new(evaluation))?,
                Err(object) if collect => out.append(exception(py, &object, Some(position))?)?,
                Err(object) => return Err(raise(py, &object, Some(position))),
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
        self.run_json(py, text, as_of, options)
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
        columns::column_list(py, &columns)
    }

    /// The portfolio report of a batch (KPIs, lateness, money), as a dict
    /// of typed values.
    #[pyo3(signature = (tickets, as_of=None))]
    fn report<'py>(
        &self,
        py: Python<'py>,
        tickets: &Bound<'py, PyAny>,
        as_of: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let as_of = optional_instant(py, as_of, "as_of")?;
        let text = Policy::batch_text(py, tickets)?;
        let batch = self.run(py, text, as_of, EvaluateOptions::default(), false)?;
        to_python(py, &batch.report)
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
        let batch = self.run(py, text, as_of, EvaluateOptions::default(), false)?;
        serde_json::to_string(&batch.report).map_err(|e| input_error(py, "tickets", e.to_string()))
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
    /// `evaluate_many_json`) through one portfolio: (one `(ticket id or
    /// None, error code or None, the façade's answer JSON)` per ticket in
    /// input order, the partition's tally as JSON for `report_partials`).
    /// `positions`, one per ticket (or None), are written into the error
    /// envelopes in place of the position in this partition. `lang` and
    /// `because` as for `evaluate`.
    #[pyo3(signature = (tickets, as_of=None, positions=None, *, lang="en", because="text"))]
    fn evaluate_partition(
        &self,
        py: Python<'_>,
        tickets: &Bound<'_, PyAny>,
        as_of: Option<&Bound<'_, PyAny>>,
        positions: Option<Vec<Option<u64>>>,
        lang: &str,
        because: &str,
    ) -> PyResult<(Vec<PartitionAnswer>, String)> {
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
                    let json = String::from_utf8_lossy(&line).into_owned();
                    answers.push(match &answer {
                        Ok(evaluation) => (Some(evaluation.ticket.clone()), None, json),
                        Err(error) => (error.ticket.clone(), Some(error.code), json),
                    });
                    Ok(())
                },
            )?;
            Ok::<_, std::io::Error>((answers, portfolio.partial_json()))
        });
        result.map_err(|e| input_error(py, "tickets", e.to_string()))
    }

    /// The key that keeps a ticket's partition: its customer id (the key
    /// of the credit caps across tickets), read by the engine from the
    /// ticket's JSON text; None when it has none or cannot be read.
    #[staticmethod]
    fn partition_key(ticket: &str) -> Option<String> {
        api::partition_key(ticket)
    }

    /// The portfolio report of partitions evaluated apart, from their
    /// tallies (`evaluate_partition`'s second value), as the façade's JSON.
    fn report_partials_json(&self, py: Python<'_>, partials: Vec<String>) -> PyResult<String> {
        let report = self.merged(py, &partials)?;
        serde_json::to_string(&report).map_err(|e| input_error(py, "partials", e.to_string()))
    }

    /// `report_partials_json` as a dict of typed values (as `report`).
    fn report_partials<'py>(
        &self,
        py: Python<'py>,
        partials: Vec<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let report = self.merged(py, &partials)?;
        to_python(py, &report)
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

    /// The calendar of that name; an unknown name raises `CalendarError`
    /// (code 4) naming the calendars the policy has.
    fn calendar(&self, py: Python<'_>, name: &str) -> PyResult<Calendar> {
        match api::calendar(&self.inner, name) {
            Ok(calendar) => Ok(Calendar::new(calendar.clone())),
            Err(object) => Err(raise(py, &object, None)),
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
