//! The error object a failing call hands to its caller: code, message,
//! location and the JSON error object, owned by the caller and freed with
//! `aftersales_error_free`.

use crate::aftersales_result;
use crate::boundary::{c_string, guard_value};
use aftersales::ErrorObject;
use serde::Serialize;
use std::ffi::{c_char, CString};

/// The JSON error object of a boundary failure: the core's
/// `ErrorObject` keys, with the boundary's kind and code.
#[derive(Serialize)]
struct BoundaryObject<'a> {
    kind: &'a str,
    code: u32,
    message: &'a str,
    policy: Option<&'a str>,
    location: Option<&'a str>,
    ticket: Option<&'a str>,
    field: Option<&'a str>,
}

/// Why a call failed, on its way to becoming an [`aftersales_error`].
#[derive(Debug)]
pub(crate) struct Failure {
    /// The result code the call returns.
    pub code: aftersales_result,
    message: String,
    location: String,
    json: String,
}

impl Failure {
    /// A failure of the boundary itself (NULL, UTF-8, panic, buffer) or of
    /// an argument the engine never saw; `argument` names the argument.
    pub fn boundary(code: aftersales_result, argument: &str, message: String) -> Failure {
        let field = (!argument.is_empty()).then_some(argument);
        // The keys of the core's error object, in its order.
        let json = serde_json::to_string(&BoundaryObject {
            kind: code.name(),
            code: code as u32,
            message: &message,
            policy: None,
            location: None,
            ticket: None,
            field,
        })
        .unwrap_or_default();
        Failure {
            code,
            message,
            location: argument.to_string(),
            json,
        }
    }

    /// A NULL argument.
    pub fn null(argument: &str) -> Failure {
        Failure::boundary(
            aftersales_result::NullParameter,
            argument,
            format!("`{argument}` is NULL"),
        )
    }

    /// An error of the engine, as the façade reports it.
    pub fn engine(object: &ErrorObject) -> Failure {
        let location = match (&object.location, &object.field) {
            (Some(location), _) => location.to_string().replace('`', ""),
            (None, Some(field)) => field.clone(),
            (None, None) => String::new(),
        };
        Failure {
            code: aftersales_result::from_kind(object.kind),
            message: object.message.clone(),
            location,
            json: serde_json::to_string(object).unwrap_or_default(),
        }
    }

    /// The error object handed to C.
    pub fn into_error(self) -> aftersales_error {
        aftersales_error {
            code: self.code,
            message: c_string(self.message),
            location: c_string(self.location),
            json: c_string(self.json),
        }
    }
}

/// The details of a failed call: its code, message, location and JSON
/// error object. Created by the library in a function's `error_out`,
/// owned by the caller, freed once with `aftersales_error_free`. Each call
/// makes its own: an error object is never shared between threads by the
/// library.
pub struct aftersales_error {
    code: aftersales_result,
    message: CString,
    location: CString,
    json: CString,
}

/// The error object behind `error`, or `None` for NULL.
///
/// # Safety
/// `error` is NULL or an error object from this library, not yet freed.
unsafe fn get<'a>(error: *const aftersales_error) -> Option<&'a aftersales_error> {
    // SAFETY: NULL gives None; otherwise the pointer came from
    // `Box::into_raw` in `guard` and is still alive (the caller's contract).
    unsafe { error.as_ref() }
}

/// The result code of a failure (the code the failing function returned).
/// NULL, the error of a successful call, gives `AFTERSALES_RESULT_OK`.
///
/// # Safety
/// `error` is NULL or an error object from this library, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn aftersales_error_code(
    error: *const aftersales_error,
) -> aftersales_result {
    // SAFETY: the caller's contract is `get`'s.
    guard_value(aftersales_result::Panic, || match unsafe { get(error) } {
        Some(error) => error.code,
        None => aftersales_result::Ok,
    })
}

/// The message of a failure, naming the field and place, as a
/// NUL-terminated UTF-8 string owned by `error` (valid until
/// `aftersales_error_free`). NULL gives `""`.
///
/// # Safety
/// `error` is NULL or an error object from this library, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn aftersales_error_message(error: *const aftersales_error) -> *const c_char {
    // SAFETY: the caller's contract is `get`'s.
    guard_value(c"".as_ptr(), || match unsafe { get(error) } {
        Some(error) => error.message.as_ptr(),
        None => c"".as_ptr(),
    })
}

/// Where the failure is, as one line of text: the policy's TOML path or
/// Rhai function with line and column (`targets[2].target (line 40,
/// column 1)`), else the ticket field (`events[3].at`) or the argument
/// (`ticket`), else `""`. It is the JSON error object's `location` object
/// (`{"path","line","column"}`) written as text, or its `field` when the
/// location is null: read the JSON for the parts. Owned by `error`, valid
/// until `aftersales_error_free`. NULL gives `""`.
///
/// # Safety
/// `error` is NULL or an error object from this library, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn aftersales_error_location(
    error: *const aftersales_error,
) -> *const c_char {
    // SAFETY: the caller's contract is `get`'s.
    guard_value(c"".as_ptr(), || match unsafe { get(error) } {
        Some(error) => error.location.as_ptr(),
        None => c"".as_ptr(),
    })
}

/// The failure as the JSON error object every adapter reports:
/// `{"kind","code","message","policy","location","ticket","field"}`.
/// Owned by `error`, valid until `aftersales_error_free`. NULL gives `""`.
///
/// # Safety
/// `error` is NULL or an error object from this library, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn aftersales_error_json(error: *const aftersales_error) -> *const c_char {
    // SAFETY: the caller's contract is `get`'s.
    guard_value(c"".as_ptr(), || match unsafe { get(error) } {
        Some(error) => error.json.as_ptr(),
        None => c"".as_ptr(),
    })
}

/// Copies the message into the caller's buffer `buf` of `buf_len` bytes,
/// NUL-terminated, as `snprintf` does. `*len_out` (when not NULL) gets the
/// message's full length in bytes without the NUL. NULL `error` is the
/// empty message, as for `aftersales_error_message`.
///
/// - To ask for the length only, pass `buf` NULL and `buf_len` 0: the
///   result is `AFTERSALES_RESULT_OK` with the length in `*len_out`;
///   allocate `*len_out + 1` bytes and call again.
/// - When the buffer is too small, what fits (cut at a character boundary)
///   is written, NUL-terminated (nothing when `buf_len` is 0), and the
///   result is `AFTERSALES_RESULT_BUFFER_TOO_SMALL`.
/// - `buf` NULL with `buf_len` above 0 is `AFTERSALES_RESULT_NULL_PARAMETER`.
///
/// # Safety
/// `error` is NULL or an error object from this library, not yet freed;
/// `buf` is NULL or points to `buf_len` writable bytes; `len_out` is NULL
/// or writable.
#[no_mangle]
pub unsafe extern "C" fn aftersales_error_message_copy(
    error: *const aftersales_error,
    buf: *mut c_char,
    buf_len: usize,
    len_out: *mut usize,
) -> aftersales_result {
    // Failures of this function are reported by code only.
    crate::boundary::guard(std::ptr::null_mut(), || {
        // SAFETY: the caller's contract is `get`'s.
        let message = match unsafe { get(error) } {
            Some(error) => error.message.to_str().unwrap_or_default(),
            None => "",
        };
        if !len_out.is_null() {
            // SAFETY: non-NULL (checked) and writable (the caller's contract).
            unsafe { len_out.write(message.len()) };
        }
        if buf.is_null() {
            return if buf_len == 0 {
                Ok(())
            } else {
                Err(Failure::null("buf"))
            };
        }
        let too_small = || {
            Failure::boundary(
                aftersales_result::BufferTooSmall,
                "buf",
                format!(
                    "`buf` holds {buf_len} bytes; the message needs {}",
                    message.len() + 1
                ),
            )
        };
        let Some(room) = buf_len.checked_sub(1) else {
            return Err(too_small());
        };
        let mut cut = message.len().min(room);
        while !message.is_char_boundary(cut) {
            cut -= 1;
        }
        let fitted = message.get(..cut).unwrap_or_default();
        // SAFETY: `buf` is non-NULL (checked) with `buf_len` writable bytes
        // (the caller's contract); `cut + 1 <= buf_len`; the source is our
        // own string, which cannot overlap the caller's buffer.
        unsafe {
            std::ptr::copy_nonoverlapping(fitted.as_ptr(), buf.cast::<u8>(), cut);
            buf.add(cut).write(0);
        }
        if cut < message.len() {
            Err(too_small())
        } else {
            Ok(())
        }
    })
}

/// Frees an error object. NULL is allowed and does nothing; free each
/// error object once.
///
/// # Safety
/// `error` is NULL or an error object from this library, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn aftersales_error_free(error: *mut aftersales_error) {
    guard_value((), || {
        if !error.is_null() {
            // SAFETY: the pointer came from `Box::into_raw` in `guard` and
            // has not been freed (the caller's contract).
            drop(unsafe { Box::from_raw(error) });
        }
    });
}
