//! Evaluating one ticket, a batch, and a batch's portfolio report: JSON
//! in, JSON out, through the core's façade.

use crate::aftersales_result;
use crate::boundary::{bytes, guard, hand_out, not_null, text};
use crate::error::{aftersales_error, Failure};
use crate::policy::{aftersales_policy, get};
use crate::pool;
use aftersales::api::{self, Answer};
use aftersales::{Because, EvaluateOptions, Lang};
use chrono::{DateTime, Utc};
use std::ffi::c_char;

/// `as_of` value meaning "take the instant from the ticket's own `as_of`":
/// a ticket without one is then a ticket error.
pub const AFTERSALES_AS_OF_FROM_TICKET: i64 = i64::MIN;

/// Evaluation flag: record every rule that fired in the answer's `trace`.
pub const AFTERSALES_EVALUATE_TRACE: u32 = 1;
/// Evaluation flag: reasons in Simplified Chinese; English without it.
pub const AFTERSALES_EVALUATE_LANG_ZH_CN: u32 = 2;
/// Evaluation flag: each `because` as reason codes with their arguments
/// (`AFTERSALES_REASON_*`) rather than text.
pub const AFTERSALES_EVALUATE_BECAUSE_CODES: u32 = 4;
/// Evaluation flag: no reasons, the fastest answer.
/// Not with `AFTERSALES_EVALUATE_BECAUSE_CODES`.
pub const AFTERSALES_EVALUATE_BECAUSE_NONE: u32 = 8;

/// Every flag this library knows.
const KNOWN_FLAGS: u32 = AFTERSALES_EVALUATE_TRACE
    | AFTERSALES_EVALUATE_LANG_ZH_CN
    | AFTERSALES_EVALUATE_BECAUSE_CODES
    | AFTERSALES_EVALUATE_BECAUSE_NONE;

/// The call's default instant: Unix seconds, as every instant of this
/// library, or none for [`AFTERSALES_AS_OF_FROM_TICKET`].
fn default_as_of(as_of: i64) -> Result<Option<DateTime<Utc>>, Failure> {
    if as_of == AFTERSALES_AS_OF_FROM_TICKET {
        return Ok(None);
    }
    DateTime::from_timestamp(as_of, 0).map(Some).ok_or_else(|| {
        Failure::boundary(
            aftersales_result::Input,
            "as_of",
            format!(
                "`as_of` {as_of} (Unix seconds) is outside the representable range of instants"
            ),
        )
    })
}

/// The evaluation options for `flags`.
fn options(flags: u32) -> Result<EvaluateOptions, Failure> {
    if flags & !KNOWN_FLAGS != 0 {
        return Err(Failure::boundary(
            aftersales_result::Input,
            "flags",
            format!("`flags` {flags:#x} has bits this library does not know (known: AFTERSALES_EVALUATE_TRACE, AFTERSALES_EVALUATE_LANG_ZH_CN, AFTERSALES_EVALUATE_BECAUSE_CODES, AFTERSALES_EVALUATE_BECAUSE_NONE)"),
        ));
    }
    let codes = flags & AFTERSALES_EVALUATE_BECAUSE_CODES != 0;
    let none = flags & AFTERSALES_EVALUATE_BECAUSE_NONE != 0;
    let because = match (codes, none) {
        (true, true) => {
            return Err(Failure::boundary(
                aftersales_result::Input,
                "flags",
                "`flags` has both AFTERSALES_EVALUATE_BECAUSE_CODES and AFTERSALES_EVALUATE_BECAUSE_NONE: choose one".to_string(),
            ))
        }
        (true, false) => Because::Codes,
        (false, true) => Because::None,
        (false, false) => Because::Text,
    };
    Ok(EvaluateOptions {
        trace: flags & AFTERSALES_EVALUATE_TRACE != 0,
        lang: if flags & AFTERSALES_EVALUATE_LANG_ZH_CN != 0 {
            Lang::ZhCn
        } else {
            Lang::En
        },
        because,
    })
}

/// Evaluates one ticket given as JSON (`ticket_len` bytes of UTF-8, no NUL
/// needed) at `as_of` (Unix seconds; a ticket's own `as_of` wins;
/// `AFTERSALES_AS_OF_FROM_TICKET` for none given: a ticket without its own
/// is then a ticket error). `flags` is 0 or
/// any of these, OR-ed:
///
/// - `AFTERSALES_EVALUATE_TRACE` (1): the rules that fired, in `trace`;
/// - `AFTERSALES_EVALUATE_LANG_ZH_CN` (2): reasons in Simplified Chinese;
/// - `AFTERSALES_EVALUATE_BECAUSE_CODES` (4): reasons as codes with
///   arguments (`AFTERSALES_REASON_*`) rather than text;
/// - `AFTERSALES_EVALUATE_BECAUSE_NONE` (8): no reasons (not with `_CODES`).
///
/// Other bits, or both `_CODES` and `_NONE`, are `AFTERSALES_RESULT_INPUT`.
///
/// The ticket is evaluated alone: credit caps that span tickets (per
/// period, per incident) apply as to a batch of one, counting what the
/// ticket says was paid before. `*answer_out` gets the answer as JSON —
/// exactly what `aftersales_evaluate_batch` (and the engine's command
/// line and Python interfaces) give for this ticket alone: the evaluation, or
/// `{"position":null,"ticket","error":{…}}` when the ticket cannot be
/// evaluated. Free it with `aftersales_string_free`; its length without
/// the NUL goes to `*answer_len_out` when not NULL.
///
/// Returns `AFTERSALES_RESULT_OK` for an evaluation; when the ticket fails
/// (`_TICKET`, `_RULE`, `_CALENDAR`, `_INPUT` for malformed JSON) the error
/// envelope is still in `*answer_out` and the error in `*error_out`. On a
/// boundary failure (NULL, invalid UTF-8, bad flags or `as_of`)
/// `*answer_out` is left unchanged.
///
/// # Safety
/// `policy` is a live policy; `ticket` points to `ticket_len` readable
/// bytes; `answer_out` is writable; `answer_len_out` and `error_out` are
/// NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn aftersales_evaluate(
    policy: *const aftersales_policy,
    ticket: *const c_char,
    ticket_len: usize,
    as_of: i64,
    flags: u32,
    answer_out: *mut *mut c_char,
    answer_len_out: *mut usize,
    error_out: *mut *mut aftersales_error,
) -> aftersales_result {
    guard(error_out, || {
        // SAFETY: the caller's contract.
        let policy = &unsafe { get(policy) }?.policy;
        // SAFETY: the caller's contract.
        let ticket = unsafe { text(ticket, ticket_len, "ticket") }?;
        not_null(answer_out, "answer_out")?;
        let default = default_as_of(as_of)?;
        let options = options(flags)?;
        // One ticket is evaluated on the calling thread: no parallel work,
        // no hop to the pool.
        let answer: Answer = api::evaluate(policy, ticket, default, options);
        let json = api::answer_json(None, &answer);
        // SAFETY: the caller's contract.
        unsafe { hand_out(json, answer_out, answer_len_out) }?;
        match &answer {
            Ok(_) => Ok(()),
            Err(object) => Err(Failure::engine(object)),
        }
    })
}

/// Evaluates a batch of tickets — JSON lines, or one JSON array — given as
/// `tickets_len` bytes, on the library's worker threads, at `as_of` and
/// with `flags` as in `aftersales_evaluate` (`AFTERSALES_EVALUATE_TRACE`,
/// `_LANG_ZH_CN`, `_BECAUSE_CODES`, `_BECAUSE_NONE`). Credit caps that span tickets hold across the
/// batch, in input order. `*answers_out` gets JSON lines, one answer per
/// ticket in input order, each line ending in `\n` — exactly what
/// the engine's command line prints for the same tickets. A bad ticket (not
/// JSON, not UTF-8, a missing field, a failing rule) gets its error
/// envelope `{"position","ticket","error"}` in its place and the others
/// are unaffected, so the call is `AFTERSALES_RESULT_OK`. Free the answers
/// with `aftersales_string_free`.
///
/// # Safety
/// `policy` is a live policy; `tickets` points to `tickets_len` readable
/// bytes; `answers_out` is writable; `answers_len_out` and `error_out` are
/// NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn aftersales_evaluate_batch(
    policy: *const aftersales_policy,
    tickets: *const c_char,
    tickets_len: usize,
    as_of: i64,
    flags: u32,
    answers_out: *mut *mut c_char,
    answers_len_out: *mut usize,
    error_out: *mut *mut aftersales_error,
) -> aftersales_result {
    guard(error_out, || {
        // SAFETY: the caller's contract.
        let policy = &unsafe { get(policy) }?.policy;
        // SAFETY: the caller's contract.
        let tickets = unsafe { bytes(tickets, tickets_len, "tickets") }?;
        not_null(answers_out, "answers_out")?;
        let default = default_as_of(as_of)?;
        let options = options(flags)?;
        let json = pool::run(|| api::evaluate_batch_json(policy, tickets, default, options));
        // SAFETY: the caller's contract.
        unsafe { hand_out(json, answers_out, answers_len_out) }
    })
}

/// The portfolio report of a batch (JSON lines or a JSON array) evaluated
/// at `as_of` (Unix seconds): counts, KPIs, credits with their period caps — the report
/// the command line's `report --json` prints, on one line rather than
/// indented.
/// Free it with `aftersales_string_free`.
///
/// # Safety
/// `policy` is a live policy; `tickets` points to `tickets_len` readable
/// bytes; `report_out` is writable; `report_len_out` and `error_out` are
/// NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn aftersales_report(
    policy: *const aftersales_policy,
    tickets: *const c_char,
    tickets_len: usize,
    as_of: i64,
    report_out: *mut *mut c_char,
    report_len_out: *mut usize,
    error_out: *mut *mut aftersales_error,
) -> aftersales_result {
    guard(error_out, || {
        // SAFETY: the caller's contract.
        let policy = &unsafe { get(policy) }?.policy;
        // SAFETY: the caller's contract.
        let tickets = unsafe { bytes(tickets, tickets_len, "tickets") }?;
        not_null(report_out, "report_out")?;
        let default = default_as_of(as_of)?;
        let json = pool::run(|| api::report_json(policy, tickets, default));
        // SAFETY: the caller's contract.
        unsafe { hand_out(json, report_out, report_len_out) }
    })
}
