//! The calendar fast path: business-time arithmetic on Unix seconds for a
//! named calendar of a loaded policy, with no JSON.

use crate::aftersales_result;
use crate::boundary::{guard, text, write};
use crate::error::{aftersales_error, Failure};
use crate::policy::{aftersales_policy, get};
use aftersales::{Calendar, CalendarError, Error};
use chrono::{DateTime, TimeDelta, Utc};
use std::ffi::c_char;

/// A business calendar of a loaded policy (`[calendars.NAME]`, or the
/// built-in `24x7`). Borrowed from the policy: never freed on its own,
/// valid until `aftersales_policy_free`, usable from many threads at once.
pub struct aftersales_calendar {
    _private: [u8; 0],
}

/// The calendar behind `calendar`.
///
/// # Safety
/// `calendar` is NULL (an error) or came from `aftersales_policy_calendar`
/// on a policy that is still alive.
unsafe fn calendar<'a>(calendar: *const aftersales_calendar) -> Result<&'a Calendar, Failure> {
    // SAFETY: `aftersales_calendar` is an opaque name for `Calendar`: every
    // such pointer is a `&Calendar` cast in `aftersales_policy_calendar`,
    // borrowed from a policy that outlives it (the caller's contract).
    unsafe { calendar.cast::<Calendar>().as_ref() }.ok_or_else(|| Failure::null("calendar"))
}

/// An instant from Unix seconds.
fn instant(seconds: i64, argument: &str) -> Result<DateTime<Utc>, Failure> {
    DateTime::from_timestamp(seconds, 0).ok_or_else(|| {
        Failure::boundary(
            aftersales_result::Input,
            argument,
            format!("`{argument}` {seconds} is outside the representable range of instants"),
        )
    })
}

/// A calendar error as the engine reports it.
fn failed(error: CalendarError) -> Failure {
    Failure::engine(&Error::Calendar(error).to_object())
}

/// The calendar named `name` (`name_len` bytes of UTF-8) of `policy` into
/// `*calendar_out`: borrowed from the policy, valid until
/// `aftersales_policy_free`, never freed on its own. An unknown name is
/// `AFTERSALES_RESULT_CALENDAR`, the message listing the policy's
/// calendars.
///
/// # Safety
/// `policy` is a live policy; `name` points to `name_len` readable bytes;
/// `calendar_out` is writable; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn aftersales_policy_calendar(
    policy: *const aftersales_policy,
    name: *const c_char,
    name_len: usize,
    calendar_out: *mut *const aftersales_calendar,
    error_out: *mut *mut aftersales_error,
) -> aftersales_result {
    guard(error_out, || {
        // SAFETY: the caller's contract.
        let policy = &unsafe { get(policy) }?.policy;
        // SAFETY: the caller's contract.
        let name = unsafe { text(name, name_len, "name") }?;
        let Some(found) = policy.calendar(name) else {
            let known = policy.calendar_names();
            return Err(Failure::boundary(
                aftersales_result::Calendar,
                "name",
                format!(
                    "policy `{}` has no calendar `{name}` (its calendars: {})",
                    policy.id(),
                    known.join(", ")
                ),
            ));
        };
        let pointer = (found as *const Calendar).cast::<aftersales_calendar>();
        // SAFETY: the caller's contract.
        unsafe { write(calendar_out, pointer, "calendar_out") }
    })
}

/// `seconds` of open time as a duration, or an input error naming it.
fn open_time(seconds: i64) -> Result<TimeDelta, Failure> {
    TimeDelta::try_seconds(seconds).ok_or_else(|| {
        Failure::boundary(
            aftersales_result::Input,
            "seconds",
            format!("`seconds` {seconds} is outside the representable range of durations"),
        )
    })
}

/// The instant `seconds` of open time after `start` (Unix seconds) into
/// `*deadline_out`: the SLA deadline arithmetic. A negative `seconds`
/// counts back as `aftersales_calendar_sub` does.
///
/// # Safety
/// `calendar` came from `aftersales_policy_calendar` on a live policy;
/// `deadline_out` is writable; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn aftersales_calendar_add(
    calendar: *const aftersales_calendar,
    start: i64,
    seconds: i64,
    deadline_out: *mut i64,
    error_out: *mut *mut aftersales_error,
) -> aftersales_result {
    guard(error_out, || {
        // SAFETY: the caller's contract.
        let calendar = unsafe { self::calendar(calendar) }?;
        let start = instant(start, "start")?;
        let duration = open_time(seconds)?;
        let deadline = calendar.add(start, duration).map_err(failed)?;
        // SAFETY: the caller's contract.
        unsafe { write(deadline_out, deadline.timestamp(), "deadline_out") }
    })
}

/// The instant `seconds` of open time before `end` (Unix seconds) into
/// `*start_out`. A negative `seconds` counts forward as
/// `aftersales_calendar_add` does.
///
/// # Safety
/// `calendar` came from `aftersales_policy_calendar` on a live policy;
/// `start_out` is writable; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn aftersales_calendar_sub(
    calendar: *const aftersales_calendar,
    end: i64,
    seconds: i64,
    start_out: *mut i64,
    error_out: *mut *mut aftersales_error,
) -> aftersales_result {
    guard(error_out, || {
        // SAFETY: the caller's contract.
        let calendar = unsafe { self::calendar(calendar) }?;
        let end = instant(end, "end")?;
        let duration = open_time(seconds)?;
        let start = calendar.sub(end, duration).map_err(failed)?;
        // SAFETY: the caller's contract.
        unsafe { write(start_out, start.timestamp(), "start_out") }
    })
}

/// The open time between `from` and `to` (Unix seconds) in whole seconds
/// into `*seconds_out`: negative when `to` is before `from`.
///
/// # Safety
/// `calendar` came from `aftersales_policy_calendar` on a live policy;
/// `seconds_out` is writable; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn aftersales_calendar_between(
    calendar: *const aftersales_calendar,
    from: i64,
    to: i64,
    seconds_out: *mut i64,
    error_out: *mut *mut aftersales_error,
) -> aftersales_result {
    guard(error_out, || {
        // SAFETY: the caller's contract.
        let calendar = unsafe { self::calendar(calendar) }?;
        let from = instant(from, "from")?;
        let to = instant(to, "to")?;
        let open = calendar.between(from, to);
        // SAFETY: the caller's contract.
        unsafe { write(seconds_out, open.num_seconds(), "seconds_out") }
    })
}

/// Whether the calendar is open at `at` (Unix seconds) into `*open_out`.
///
/// # Safety
/// `calendar` came from `aftersales_policy_calendar` on a live policy;
/// `open_out` is writable; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn aftersales_calendar_is_open(
    calendar: *const aftersales_calendar,
    at: i64,
    open_out: *mut bool,
    error_out: *mut *mut aftersales_error,
) -> aftersales_result {
    guard(error_out, || {
        // SAFETY: the caller's contract.
        let calendar = unsafe { self::calendar(calendar) }?;
        let at = instant(at, "at")?;
        // SAFETY: the caller's contract.
        unsafe { write(open_out, calendar.is_open(at), "open_out") }
    })
}

/// The first open instant at or after `at` (Unix seconds) into
/// `*open_at_out`; `at` itself when the calendar is open then.
///
/// # Safety
/// `calendar` came from `aftersales_policy_calendar` on a live policy;
/// `open_at_out` is writable; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn aftersales_calendar_next_open(
    calendar: *const aftersales_calendar,
    at: i64,
    open_at_out: *mut i64,
    error_out: *mut *mut aftersales_error,
) -> aftersales_result {
    guard(error_out, || {
        // SAFETY: the caller's contract.
        let calendar = unsafe { self::calendar(calendar) }?;
        let at = instant(at, "at")?;
        let open = calendar.next_open(at).map_err(failed)?;
        // SAFETY: the caller's contract.
        unsafe { write(open_at_out, open.timestamp(), "open_at_out") }
    })
}

/// The `days`-th following business day (a date with open hours) at the
/// same local wall-clock time as `at`, then the next opening at or after
/// it, into `*result_out` (Unix seconds). Zero days is
/// `aftersales_calendar_next_open`.
///
/// # Safety
/// `calendar` came from `aftersales_policy_calendar` on a live policy;
/// `result_out` is writable; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn aftersales_calendar_add_business_days(
    calendar: *const aftersales_calendar,
    at: i64,
    days: u32,
    result_out: *mut i64,
    error_out: *mut *mut aftersales_error,
) -> aftersales_result {
    guard(error_out, || {
        // SAFETY: the caller's contract.
        let calendar = unsafe { self::calendar(calendar) }?;
        let at = instant(at, "at")?;
        let result = calendar.add_business_days(at, days).map_err(failed)?;
        // SAFETY: the caller's contract.
        unsafe { write(result_out, result.timestamp(), "result_out") }
    })
}
