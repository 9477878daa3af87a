//! The panic boundary and the checks every argument goes through: NULL
//! pointers, lengths, UTF-8, and the strings handed to C.

use crate::aftersales_result;
use crate::error::{aftersales_error, Failure};
use std::ffi::{c_char, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Runs `body` so that nothing unwinds into C: a panic becomes
/// [`aftersales_result::Panic`]. On failure the error object goes to
/// `*error_out` when `error_out` is not NULL; `*error_out` is set to NULL
/// first, so a caller may free it unconditionally.
pub(crate) fn guard<F>(error_out: *mut *mut aftersales_error, body: F) -> aftersales_result
where
    F: FnOnce() -> Result<(), Failure>,
{
    if !error_out.is_null() {
        // SAFETY: the caller passes either NULL (checked above) or a pointer
        // to writable storage for one `aftersales_error*` (header contract).
        unsafe { error_out.write(std::ptr::null_mut()) };
    }
    let failure = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => return aftersales_result::Ok,
        Ok(Err(failure)) => failure,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Failure::boundary(
                aftersales_result::Panic,
                "",
                format!("the library panicked (please report this bug): {what}"),
            )
        }
    };
    let code = failure.code;
    if !error_out.is_null() {
        // Building the error object allocates; should that itself panic, the
        // code alone is returned.
        if let Ok(error) = catch_unwind(AssertUnwindSafe(|| failure.into_error())) {
            // SAFETY: as above, `error_out` is non-NULL and writable; the
            // pointer comes from `Box::into_raw` and is freed by
            // `aftersales_error_free`.
            unsafe { error_out.write(Box::into_raw(Box::new(error))) };
        }
    }
    code
}

/// Runs `body`, or returns `fallback` if it panics: for accessors that
/// return a value rather than a result code.
pub(crate) fn guard_value<T, F: FnOnce() -> T>(fallback: T, body: F) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

/// A NULL check: `Ok(())`, or the failure naming the argument.
pub(crate) fn not_null<T>(pointer: *const T, name: &str) -> Result<(), Failure> {
    if pointer.is_null() {
        Err(Failure::null(name))
    } else {
        Ok(())
    }
}

/// The bytes `(pointer, len)` designate.
///
/// # Safety
/// `pointer` is NULL (an error) or points to `len` readable bytes that stay
/// valid and unmodified for `'a`.
pub(crate) unsafe fn bytes<'a>(
    pointer: *const c_char,
    len: usize,
    name: &str,
) -> Result<&'a [u8], Failure> {
    not_null(pointer, name)?;
    if len > isize::MAX as usize {
        return Err(Failure::boundary(
            aftersales_result::Input,
            name,
            format!("`{name}`: a length of {len} bytes cannot be a buffer"),
        ));
    }
    // SAFETY: non-NULL (checked), `len` readable bytes valid for 'a (the
    // caller's contract), `len` at most isize::MAX (checked); `c_char` and
    // `u8` have the same size and alignment.
    Ok(unsafe { std::slice::from_raw_parts(pointer.cast::<u8>(), len) })
}

/// The UTF-8 text `(pointer, len)` designate.
///
/// # Safety
/// As [`bytes`].
pub(crate) unsafe fn text<'a>(
    pointer: *const c_char,
    len: usize,
    name: &str,
) -> Result<&'a str, Failure> {
    // SAFETY: the caller's contract is that of `bytes`.
    let bytes = unsafe { bytes(pointer, len, name) }?;
    std::str::from_utf8(bytes).map_err(|e| {
        Failure::boundary(
            aftersales_result::InvalidUtf8,
            name,
            format!(
                "`{name}` is not valid UTF-8: the bytes are valid up to byte {}",
                e.valid_up_to()
            ),
        )
    })
}

/// Writes `value` to `*out`.
///
/// # Safety
/// `out` is NULL (an error) or points to writable storage for a `T`.
pub(crate) unsafe fn write<T>(out: *mut T, value: T, name: &str) -> Result<(), Failure> {
    not_null(out, name)?;
    // SAFETY: non-NULL (checked) and writable (the caller's contract).
    unsafe { out.write(value) };
    Ok(())
}

/// A C string of `text`, with any NUL byte (JSON never has one) replaced so
/// that the string's length is its text's.
pub(crate) fn c_string(text: String) -> CString {
    CString::new(text).unwrap_or_else(|e| {
        let cleaned = String::from_utf8_lossy(&e.into_vec()).replace('\0', "\u{FFFD}");
        CString::new(cleaned).unwrap_or_default()
    })
}

/// Hands `text` to C: a NUL-terminated string in `*out` (freed with
/// [`aftersales_string_free`]) and its length without the NUL in `*len_out`
/// when `len_out` is not NULL.
///
/// # Safety
/// `out` and `len_out` are NULL or writable.
pub(crate) unsafe fn hand_out(
    text: String,
    out: *mut *mut c_char,
    len_out: *mut usize,
) -> Result<(), Failure> {
    not_null(out, "out")?;
    let text = c_string(text);
    let len = text.as_bytes().len();
    if !len_out.is_null() {
        // SAFETY: non-NULL (checked) and writable (the caller's contract).
        unsafe { len_out.write(len) };
    }
    // SAFETY: `out` is non-NULL (checked) and writable (the caller's contract).
    unsafe { out.write(text.into_raw()) };
    Ok(())
}

/// Frees a string this library returned (an answer, a batch, a report,
/// diagnostics). NULL is allowed and does nothing. Never pass a string to
/// the C library's `free`, nor free it twice.
///
/// # Safety
/// `string` is NULL or a string returned by this library and not yet freed.
#[no_mangle]
pub unsafe extern "C" fn aftersales_string_free(string: *mut c_char) {
    guard_value((), || {
        if !string.is_null() {
            // SAFETY: the pointer came from `CString::into_raw` in
            // `hand_out` (the caller's contract) and has not been freed; the
            // string holds no interior NUL (`c_string`), so the length
            // recomputed by `from_raw` is the allocated one.
            drop(unsafe { CString::from_raw(string) });
        }
    });
}
