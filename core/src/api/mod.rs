//! The JSON façade: what the C library, the Python wheel and the command
//! line all call, so that they answer byte for byte alike.
//!
//! - A policy comes from a [`PolicySource`]: a path, or TOML text plus its
//!   rule files as named texts.
//! - A ticket is JSON text; a batch is JSON lines or a JSON array, read a
//!   ticket at a time ([`TicketReader`]). A ticket may carry its own
//!   `as_of`, which wins over the call's.
//! - Every answer is one JSON object per ticket ([`answer_json`]): the
//!   evaluation itself, or `{"position", "ticket", "error": {kind, code,
//!   message, policy, location, ticket, field}}`. A bad ticket gets its
//!   error in its place and nothing else is lost.
//! - A batch goes through a [`Portfolio`], so per-period credit caps hold
//!   across the whole stream however it is chunked, and ends with a
//!   [`Report`].

mod explain;
mod input;
mod overrides;

pub use explain::{explain, explain_in};
pub use input::{
    max_line_bytes, Entry, Raw, TicketReader, MAX_LINE_BYTES, MAX_LINE_BYTES_CEILING,
    MAX_LINE_BYTES_VARIABLE,
};
pub use overrides::{override_toml, with_overrides};

use crate::error::{Error, ErrorObject};
use crate::evaluation::{EvaluateOptions, Evaluation};
use crate::policy::{Policy, PolicySource};
use crate::portfolio::{Portfolio, Report};
use crate::ticket::Ticket;
use chrono::{DateTime, Utc};
use rayon::prelude::*;
use serde::Serialize;
use std::io::BufRead;

/// The JSON Schema of a policy manifest, the file `schemas/policy.schema.json`
/// is generated from: what an editor or a policy generator checks a policy
/// against before compiling it.
///
/// # Examples
///
/// ```
/// let schema = aftersales::api::policy_schema();
/// assert_eq!(schema["title"], "Manifest");
/// assert!(schema["properties"]["policy"].is_object());
/// ```
pub fn policy_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(crate::policy::Manifest)).unwrap_or_default()
}

/// The answer for one ticket: its evaluation, or the error that stopped it.
pub type Answer = Result<Evaluation, ErrorObject>;

/// Tickets evaluated together between writes in [`evaluate_stream`]: large
/// enough to keep every core busy, small enough to keep memory flat.
pub const CHUNK: usize = 1_024;

/// The most tickets evaluated together between writes (a larger chunk
/// is this one): memory holds a chunk of tickets and answers.
pub const MAX_CHUNK: usize = 1_000_000;

/// How a stream is read and evaluated: `chunk` tickets evaluated
/// together between writes (at least 1; the answers do not depend on it)
/// and the longest line (or array element) read, `max_line_bytes`
/// (a longer one is an error entry that ends the stream, see
/// [`TicketReader`]). A `usize` converts into the default with that chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Batching {
    /// Tickets evaluated together between writes.
    pub chunk: usize,
    /// The longest line (or array element) read, in bytes, from 1 to
    /// [`MAX_LINE_BYTES_CEILING`].
    pub max_line_bytes: usize,
}

impl Default for Batching {
    fn default() -> Self {
        Batching {
            chunk: CHUNK,
            max_line_bytes: MAX_LINE_BYTES,
        }
    }
}

impl Batching {
    /// `chunk` with the line limit of a call that gives none
    /// ([`max_line_bytes`]: `AFTERSALES_MAX_LINE_BYTES` when set); an error
    /// naming the variable when it holds no valid limit.
    pub fn from_environment(chunk: usize) -> Result<Batching, String> {
        Ok(Batching {
            chunk,
            max_line_bytes: max_line_bytes()?,
        })
    }
}

impl From<usize> for Batching {
    fn from(chunk: usize) -> Self {
        Batching {
            chunk,
            ..Batching::default()
        }
    }
}

/// Loads a policy; the error names the policy and where it is wrong.
pub fn load_policy(source: &PolicySource) -> Result<Policy, Box<ErrorObject>> {
    Policy::from_source(source).map_err(|e| Box::new(ErrorObject::from(&e)))
}

/// The instant a ticket is evaluated at: its own `as_of`, else the call's.
pub fn as_of_for(ticket: &Ticket, default: Option<DateTime<Utc>>) -> Result<DateTime<Utc>, Error> {
    match (ticket.as_of, default) {
        (Some(own), _) => Ok(own.with_timezone(&Utc)),
        (None, Some(default)) => Ok(default),
        (None, None) => Err(Error::Ticket {
            ticket: ticket.id.clone(),
            field: "as_of".to_string(),
            message: "no instant to evaluate at: give the ticket an `as_of`, or the call one (`--as-of` on the command line, `as_of` in C and Python)"
                .to_string(),
        }),
    }
}

/// Evaluates one ticket alone at its `as_of` (or `default`)
/// ([`Policy::evaluate_with`]).
pub fn evaluate_ticket(
    policy: &Policy,
    ticket: &Ticket,
    default: Option<DateTime<Utc>>,
    options: EvaluateOptions,
) -> Result<Evaluation, Error> {
    let as_of = as_of_for(ticket, default)?;
    policy.evaluate_with(ticket, as_of, options)
}

/// One ticket of a stream at its `as_of` (or `default`), before the caps
/// that span tickets, its reasons not yet rendered: what the stream's
/// portfolio takes.
fn assess_ticket(
    policy: &Policy,
    ticket: &Ticket,
    default: Option<DateTime<Utc>>,
    options: EvaluateOptions,
) -> Result<Evaluation, Error> {
    let as_of = as_of_for(ticket, default)?;
    policy.assess(ticket, as_of, options.trace)
}

/// The error object of a failed ticket, naming the policy and the ticket.
pub fn error_object(policy: &Policy, ticket: Option<&str>, error: &Error) -> ErrorObject {
    let object = ErrorObject::from(error).with_policy(policy.id());
    match ticket {
        Some(id) => object.with_ticket(id),
        None => object,
    }
}

/// Evaluates one ticket given as JSON text, alone: the typed answer (the
/// evaluation with its reasons rendered as `options` say, or the error
/// object naming the policy and the ticket). The same answer as the ticket
/// gets in a batch of one ([`evaluate_batch_json`], `aftersales eval`):
/// caps that span tickets apply as to a portfolio of one.
///
/// ```
/// let policy = aftersales::Policy::from_path("../examples/policies/hot_water_meter.toml").unwrap();
/// let answer = aftersales::api::evaluate(
///     &policy,
///     r#"{"id": "T-1", "opened_at": "2026-03-02T08:59:30+08:00", "channel": "hotline"}"#,
///     Some("2026-03-02T09:30:00+08:00".parse().unwrap()),
///     aftersales::EvaluateOptions::default(),
/// );
/// let evaluation = answer.unwrap();
/// assert_eq!(evaluation.ticket, "T-1");
/// assert_eq!(evaluation.severity.level, "normal");
/// ```
// The answer is the typed value every host matches on; its error is as
// large as the evaluation's own fields, and boxing it would cost an
// allocation per failed ticket for nothing.
#[allow(clippy::result_large_err)]
pub fn evaluate(
    policy: &Policy,
    ticket: &str,
    default: Option<DateTime<Utc>>,
    options: EvaluateOptions,
) -> Answer {
    let limit = match max_line_bytes() {
        Ok(limit) => limit,
        Err(message) => return Err(error_object(policy, None, &Error::input("", message))),
    };
    if ticket.len() > limit {
        let message = format!(
            "the ticket is {} bytes, longer than the limit of {limit} bytes (max_line_bytes)",
            ticket.len()
        );
        return Err(error_object(policy, None, &Error::input("", message)));
    }
    match Ticket::from_json(ticket) {
        Ok(ticket) => evaluate_ticket(policy, &ticket, default, options)
            .map_err(|e| error_object(policy, Some(&ticket.id), &e)),
        Err(e) => Err(error_object(policy, None, &e)),
    }
}

/// [`evaluate`], the answer as JSON ([`answer_json`]): the evaluation, or
/// the error envelope.
///
/// ```
/// let policy = aftersales::Policy::from_path("../examples/policies/hot_water_meter.toml").unwrap();
/// let answer = aftersales::api::evaluate_json(
///     &policy,
///     r#"{"id": "T-1", "opened_at": "2026-03-02T08:59:30+08:00", "channel": "hotline"}"#,
///     Some("2026-03-02T09:30:00+08:00".parse().unwrap()),
///     aftersales::EvaluateOptions::default(),
/// );
/// assert!(answer.starts_with(r#"{"ticket":"T-1","#));
/// ```
pub fn evaluate_json(
    policy: &Policy,
    ticket: &str,
    default: Option<DateTime<Utc>>,
    options: EvaluateOptions,
) -> String {
    answer_json(None, &evaluate(policy, ticket, default, options))
}

/// The error envelope of an answer.
#[derive(Serialize)]
struct ErrorEnvelope<'a> {
    position: Option<u64>,
    ticket: Option<&'a str>,
    error: &'a ErrorObject,
}

/// One answer as JSON (no line break): the evaluation as rendered, or the
/// error envelope `{"position", "ticket", "error"}`. The one place answers
/// become JSON: the command line, the C library and the Python wheel all
/// write answers through it. An evaluation's first key is `ticket`; an
/// error envelope's is `position`, and only an error envelope has the key
/// `error` (docs/api.md, "Answers on the wire").
pub fn answer_json(position: Option<u64>, answer: &Answer) -> String {
    let mut out = Vec::with_capacity(4_096);
    write_answer(&mut out, position, answer);
    String::from_utf8(out).unwrap_or_default()
}

/// [`answer_json`] into `out`.
pub fn write_answer(out: &mut Vec<u8>, position: Option<u64>, answer: &Answer) {
    let written = match answer {
        Ok(evaluation) => serde_json::to_writer(&mut *out, evaluation),
        Err(error) => serde_json::to_writer(
            &mut *out,
            &ErrorEnvelope {
                position,
                ticket: error.ticket.as_deref(),
                error,
            },
        ),
    };
    if let Err(e) = written {
        // Serialising our own types cannot fail but for a broken invariant:
        // say so in the envelope rather than lose the ticket.
        out.clear();
        let fallback = ErrorObject::from(&Error::input(
            "",
            format!("cannot serialise the answer: {e}"),
        ));
        let _ = serde_json::to_writer(
            &mut *out,
            &ErrorEnvelope {
                position,
                ticket: None,
                error: &fallback,
            },
        );
    }
}

/// Evaluates a stream of tickets (JSON lines or a JSON array) in chunks of
/// [`CHUNK`] on all cores, passes every answer in input order through one
/// [`Portfolio`] (caps across tickets, KPIs) and then to `sink`, and returns
/// the portfolio's report. `sink` failing (a closed pipe) stops the stream
/// with that error.
pub fn evaluate_stream<R, F>(
    policy: &Policy,
    reader: R,
    default: Option<DateTime<Utc>>,
    options: EvaluateOptions,
    sink: F,
) -> std::io::Result<Report>
where
    R: BufRead,
    F: FnMut(u64, Answer) -> std::io::Result<()>,
{
    let batching = Batching::from_environment(CHUNK).map_err(invalid_input)?;
    evaluate_stream_chunked(policy, reader, default, options, batching, sink)
}

/// A setting that holds no valid value, as the stream calls report it.
fn invalid_input(message: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidInput, message)
}

/// [`evaluate_stream`] with `chunk` tickets evaluated together between
/// writes (at least 1; or a [`Batching`] that also sets the line limit).
/// The answers, their credits and the report do not
/// depend on `chunk`: the portfolio takes the answers in input order
/// whatever the chunking; only memory and parallelism do.
///
/// ```
/// # let policy = aftersales::Policy::from_path("../examples/policies/hot_water_meter.toml").unwrap();
/// let tickets = std::fs::read("../examples/tickets/hot_water_meter.jsonl").unwrap();
/// let as_of = Some("2026-03-03T04:00:00Z".parse().unwrap());
/// let options = aftersales::EvaluateOptions::default();
/// let report = |chunk| {
///     aftersales::api::evaluate_stream_chunked(&policy, &tickets[..], as_of, options, chunk, |_, _| Ok(()))
///         .map(|r| serde_json::to_string(&r).unwrap())
///         .unwrap()
/// };
/// assert_eq!(report(1usize), report(1_024usize));
/// ```
pub fn evaluate_stream_chunked<R, F>(
    policy: &Policy,
    reader: R,
    default: Option<DateTime<Utc>>,
    options: EvaluateOptions,
    chunk: impl Into<Batching>,
    sink: F,
) -> std::io::Result<Report>
where
    R: BufRead,
    F: FnMut(u64, Answer) -> std::io::Result<()>,
{
    fold_stream(
        policy,
        reader,
        default,
        options,
        Flow::batched(chunk.into()),
        adapt(sink),
    )
    .map(|p| p.report())
}

/// Renders one answer to bytes (e.g. [`write_answer`] and a line break).
pub type Render<'a> = &'a (dyn Fn(u64, &Answer, &mut Vec<u8>) + Sync);

/// [`evaluate_stream_chunked`] that also renders every answer with
/// `render` on the worker threads, in parallel, and hands `sink` the
/// answer with its bytes, in input order. Reading, parsing, evaluating
/// and rendering use every core; only the portfolio's tally (caps across
/// tickets, in input order) and `sink` run on the calling thread.
pub fn evaluate_stream_rendered<R, F>(
    policy: &Policy,
    reader: R,
    default: Option<DateTime<Utc>>,
    options: EvaluateOptions,
    chunk: impl Into<Batching>,
    render: Render<'_>,
    sink: F,
) -> std::io::Result<Report>
where
    R: BufRead,
    F: FnMut(u64, Answer, &[u8]) -> std::io::Result<()>,
{
    let flow = Flow {
        render: Some(render),
        ..Flow::batched(chunk.into())
    };
    fold_stream(policy, reader, default, options, flow, sink).map(|p| p.report())
}

/// A sink of answers as a sink of rendered answers.
fn adapt<F>(mut sink: F) -> impl FnMut(u64, Answer, &[u8]) -> std::io::Result<()>
where
    F: FnMut(u64, Answer) -> std::io::Result<()>,
{
    move |position, answer, _| sink(position, answer)
}

/// [`evaluate_stream`] that returns the [`Portfolio`] itself rather than
/// its report: a partition of a larger set, whose tally is handed over
/// with [`Portfolio::partial_json`] and merged with the others'
/// ([`Portfolio::merge_partial_json`]). Period caps hold within the
/// stream only: a customer's tickets must all be in one partition.
pub fn evaluate_partition<R, F>(
    policy: &Policy,
    reader: R,
    default: Option<DateTime<Utc>>,
    options: EvaluateOptions,
    sink: F,
) -> std::io::Result<Portfolio>
where
    R: BufRead,
    F: FnMut(u64, Answer) -> std::io::Result<()>,
{
    fold_stream(
        policy,
        reader,
        default,
        options,
        Flow::from_environment()?,
        adapt(sink),
    )
}

/// [`evaluate_partition`] for a partition of a table, one ticket per row:
/// `positions` gives each ticket's place in the whole set (in input order;
/// `None` keeps its place in the partition), which its answer and its
/// errors' messages and lines then use, so that an error names the row
/// wherever it was evaluated.
pub fn evaluate_partition_numbered<R, F>(
    policy: &Policy,
    reader: R,
    default: Option<DateTime<Utc>>,
    options: EvaluateOptions,
    positions: &[Option<u64>],
    sink: F,
) -> std::io::Result<Portfolio>
where
    R: BufRead,
    F: FnMut(u64, Answer) -> std::io::Result<()>,
{
    let flow = Flow {
        positions: Some(positions),
        ..Flow::from_environment()?
    };
    fold_stream(policy, reader, default, options, flow, adapt(sink))
}

/// How a stream flows: tickets evaluated together, their places in a
/// larger set, how answers are rendered.
struct Flow<'a> {
    batching: Batching,
    positions: Option<&'a [Option<u64>]>,
    render: Option<Render<'a>>,
}

impl Flow<'_> {
    /// [`CHUNK`] with the line limit of a call that gives none.
    fn from_environment() -> std::io::Result<Flow<'static>> {
        Batching::from_environment(CHUNK)
            .map(Flow::batched)
            .map_err(invalid_input)
    }

    fn batched(batching: Batching) -> Flow<'static> {
        Flow {
            batching,
            positions: None,
            render: None,
        }
    }
}

// Long because its read, evaluate, tally, render and hand-off share one chunk's buffers.
/// The stream through one portfolio, in input order: each chunk is read
/// (sequentially), parsed and evaluated (in parallel), tallied (in input
/// order), rendered (in parallel) and handed to `sink` (in input order).
fn fold_stream<R, F>(
    policy: &Policy,
    reader: R,
    default: Option<DateTime<Utc>>,
    options: EvaluateOptions,
    flow: Flow<'_>,
    mut sink: F,
) -> std::io::Result<Portfolio>
where
    R: BufRead,
    F: FnMut(u64, Answer, &[u8]) -> std::io::Result<()>,
{
    let Flow {
        batching,
        positions,
        render,
    } = flow;
    let size = batching.chunk.clamp(1, MAX_CHUNK);
    let mut portfolio = Portfolio::new(policy);
    let mut tickets = TicketReader::new(reader).with_max_line_bytes(batching.max_line_bytes);
    let mut raws = Vec::with_capacity(size.min(CHUNK));
    let mut read = 0usize;
    loop {
        raws.clear();
        raws.extend(std::iter::from_fn(|| tickets.next_raw()).take(size));
        if raws.is_empty() {
            break;
        }
        if let Some(positions) = positions {
            for raw in &mut raws {
                if let Some(Some(position)) = positions.get(read) {
                    raw.renumber(*position);
                }
                read += 1;
            }
        }
        let evaluated: Vec<(Entry, Option<Result<Evaluation, Error>>)> = raws
            .par_drain(..)
            .map(|raw| {
                let entry = raw.parse();
                let answer = entry
                    .ticket
                    .as_ref()
                    .ok()
                    .map(|ticket| assess_ticket(policy, ticket, default, options));
                (entry, answer)
            })
            .collect();
        let mut answers: Vec<(u64, Answer)> = evaluated
            .into_iter()
            .map(|(entry, answer)| {
                let answer = match (entry.ticket, answer) {
                    (Ok(ticket), Some(mut answer)) => {
                        portfolio.add(&ticket, &mut answer);
                        answer.map_err(|e| error_object(policy, Some(&ticket.id), &e))
                    }
                    (Ok(ticket), None) => {
                        // Not reachable: every readable ticket was evaluated.
                        let e = Error::input("", "the ticket was not evaluated");
                        portfolio.add_error(&e);
                        Err(error_object(policy, Some(&ticket.id), &e))
                    }
                    (Err(e), _) => {
                        portfolio.add_error(&e);
                        Err(error_object(policy, None, &e))
                    }
                };
                (entry.position, answer)
            })
            .collect();
        let rendering = options.rendering();
        answers.par_iter_mut().for_each(|(_, answer)| {
            if let Ok(evaluation) = answer {
                evaluation.render(rendering);
            }
        });
        match render {
            Some(render) => {
                let rendered: Vec<Vec<u8>> = answers
                    .par_iter()
                    .map(|(position, answer)| {
                        let mut out = Vec::with_capacity(2_048);
                        render(*position, answer, &mut out);
                        out
                    })
                    .collect();
                for ((position, answer), bytes) in answers.into_iter().zip(rendered) {
                    sink(position, answer, &bytes)?;
                }
            }
            None => {
                for (position, answer) in answers {
                    sink(position, answer, &[])?;
                }
            }
        }
    }
    Ok(portfolio)
}

/// Evaluates a batch given as text (JSON lines or a JSON array) into JSON
/// lines, one answer per ticket in input order.
pub fn evaluate_batch_json(
    policy: &Policy,
    tickets: &[u8],
    default: Option<DateTime<Utc>>,
    options: EvaluateOptions,
) -> String {
    let mut out = Vec::with_capacity(tickets.len().saturating_mul(2));
    let read = evaluate_stream(policy, tickets, default, options, |position, answer| {
        write_answer(&mut out, Some(position), &answer);
        out.push(b'\n');
        Ok(())
    });
    // The only error of a stream from memory into memory is a setting
    // that holds no valid value: one error entry says so.
    if let Err(e) = read {
        write_answer(
            &mut out,
            None,
            &Err(error_object(policy, None, &Error::input("", e.to_string()))),
        );
        out.push(b'\n');
    }
    String::from_utf8(out).unwrap_or_default()
}

/// The portfolio report of a batch (JSON lines or a JSON array), as JSON.
pub fn report_json(policy: &Policy, tickets: &[u8], default: Option<DateTime<Utc>>) -> String {
    match evaluate_stream(
        policy,
        tickets,
        default,
        EvaluateOptions::default(),
        |_, _| Ok(()),
    ) {
        Ok(report) => serde_json::to_string(&report).unwrap_or_default(),
        Err(e) => answer_json(
            None,
            &Err(ErrorObject::from(&Error::input("tickets", e.to_string()))),
        ),
    }
}

/// The texts of a policy source: its manifest and its rule files by name
/// (read from the manifest's directory for a path), so that a host can
/// ship a policy to processes that do not share its file system and load
/// it there with [`PolicySource::Text`] (the same digest).
pub fn source_texts(
    source: &PolicySource,
) -> Result<(String, std::collections::BTreeMap<String, String>), Box<ErrorObject>> {
    match source {
        PolicySource::Text { toml, rules } => Ok((toml.clone(), rules.clone())),
        PolicySource::Path(_) => {
            match with_overrides(source, &std::collections::BTreeMap::new())? {
                PolicySource::Text { toml, rules } => Ok((toml, rules)),
                PolicySource::Path(path) => Err(Box::new(ErrorObject::from(&Error::Io {
                    path: path.display().to_string(),
                    message: "the policy's texts could not be read".to_string(),
                }))),
            }
        }
    }
}

/// The key that keeps tickets together when a set is split into
/// partitions ([`evaluate_partition`]): the ticket's customer id, the key
/// of the credit caps across tickets. `None` when the ticket has no
/// customer id or cannot be read (it is then an error in any partition).
///
/// ```
/// let ticket = r#"{"id": "T-1", "opened_at": "2026-03-02T09:00:00+08:00", "customer": {"id": "0086"}}"#;
/// assert_eq!(aftersales::api::partition_key(ticket).as_deref(), Some("0086"));
/// assert_eq!(aftersales::api::partition_key("[1, 2"), None);
/// ```
pub fn partition_key(ticket: &str) -> Option<String> {
    Ticket::from_json(ticket).ok()?.customer?.id
}

/// The policy's calendar of that name; an unknown name is a calendar
/// error (code 4) naming the calendars the policy has, in every host.
pub fn calendar<'p>(
    policy: &'p Policy,
    name: &str,
) -> Result<&'p crate::calendar::Calendar, Box<ErrorObject>> {
    policy.calendar(name).ok_or_else(|| {
        let known = policy.calendar_names();
        let error = Error::Calendar(crate::calendar::CalendarError::Unknown {
            policy: policy.id().to_string(),
            calendar: name.to_string(),
            known: known.join(", "),
        });
        let mut object = ErrorObject::from(&error).with_policy(policy.id());
        object.field = Some("name".to_string());
        Box::new(object)
    })
}

/// Lints a policy: every error and warning, as a JSON array of
/// `{level, location, message}`.
pub fn check_json(source: &PolicySource) -> String {
    serde_json::to_string(&Policy::check_policy_source(source)).unwrap_or_else(|_| "[]".to_string())
}
