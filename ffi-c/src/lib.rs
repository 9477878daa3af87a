//! C ABI for the aftersales engine: the functions of `include/aftersales.h`.
//!
//! This crate holds no policy logic: every function is a thin shell over
//! the core's JSON façade ([`aftersales::api`]), so C, Python and the
//! command line answer byte for byte alike. What it adds is the boundary:
//!
//! - every exported function runs inside [`boundary::guard`]: a panic
//!   becomes [`aftersales_result::Panic`], never an unwind into C;
//! - every pointer is checked for NULL, text comes as a pointer and a
//!   length (no reliance on NUL bytes) and must be UTF-8;
//! - every function returns an [`aftersales_result`]; the details of a
//!   failure go into an [`aftersales_error`] the caller owns (never a
//!   static that threads share);
//! - strings the library hands out are freed with [`aftersales_string_free`].
//!
//! `unsafe` is allowed in this crate only; each block says why it is sound.

#![allow(non_camel_case_types)]

// The modules in the order the header gives their functions (cbindgen
// follows it): errors, loading a policy, evaluating, the strings answers
// come in, calendars.
mod error;

mod policy;

mod evaluate;

mod boundary;

mod calendar;

mod pool;

pub use boundary::aftersales_string_free;
pub use calendar::*;
pub use error::*;
pub use evaluate::*;
pub use policy::*;

/// The result of every function: `AFTERSALES_RESULT_OK` (0), one of the
/// engine's stable error codes (1–7, share/aftersales/errors.md), or a code of the C
/// boundary itself (from 100).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum aftersales_result {
    /// Success.
    Ok = 0,
    /// The policy manifest or its rules do not compile.
    Policy = 1,
    /// A ticket is invalid: a missing or malformed field.
    Ticket = 2,
    /// A Rhai rule failed, returned a value of the wrong shape or exceeded a
    /// limit (operations, call depth, sizes) while evaluating a ticket.
    Rule = 3,
    /// A calendar definition is invalid, an operation has no answer, or no
    /// calendar has the name asked for.
    Calendar = 4,
    /// A file could not be read.
    Io = 5,
    /// A request is malformed: not JSON, an instant out of range, unknown
    /// flags.
    Input = 6,
    /// A rule call ran past the wall-clock backstop: the machine stalled or a
    /// built-in function ran long; the same call may succeed when retried.
    Timeout = 7,
    /// A pointer argument that must not be NULL was NULL.
    NullParameter = 100,
    /// A text argument is not valid UTF-8.
    InvalidUtf8 = 101,
    /// The library panicked (a bug): the call was abandoned, nothing leaked
    /// into the caller's state. Please report it.
    Panic = 102,
    /// A caller's buffer is too small; what fitted was written.
    BufferTooSmall = 103,
}

impl aftersales_result {
    /// Every result, in code order.
    const ALL: [aftersales_result; 12] = [
        aftersales_result::Ok,
        aftersales_result::Policy,
        aftersales_result::Ticket,
        aftersales_result::Rule,
        aftersales_result::Calendar,
        aftersales_result::Io,
        aftersales_result::Input,
        aftersales_result::Timeout,
        aftersales_result::NullParameter,
        aftersales_result::InvalidUtf8,
        aftersales_result::Panic,
        aftersales_result::BufferTooSmall,
    ];

    /// The result for an engine error kind: the one with the kind's code
    /// (the core's table, `ErrorKind::ALL`; the test below holds the two
    /// alike, so no kind is ever reported under another's code).
    pub(crate) fn from_kind(kind: aftersales::ErrorKind) -> aftersales_result {
        aftersales_result::ALL
            .into_iter()
            .find(|result| *result as u32 == kind.code())
            .unwrap_or(aftersales_result::Input)
    }

    /// The stable name, as in the `kind` of the error JSON.
    pub(crate) fn name(self) -> &'static str {
        match self {
            aftersales_result::Ok => "ok",
            aftersales_result::Policy => "policy",
            aftersales_result::Ticket => "ticket",
            aftersales_result::Rule => "rule",
            aftersales_result::Calendar => "calendar",
            aftersales_result::Io => "io",
            aftersales_result::Input => "input",
            aftersales_result::Timeout => "timeout",
            aftersales_result::NullParameter => "null_parameter",
            aftersales_result::InvalidUtf8 => "invalid_utf8",
            aftersales_result::Panic => "panic",
            aftersales_result::BufferTooSmall => "buffer_too_small",
        }
    }

    /// The name as a C string.
    fn c_name(self) -> &'static std::ffi::CStr {
        match self {
            aftersales_result::Ok => c"ok",
            aftersales_result::Policy => c"policy",
            aftersales_result::Ticket => c"ticket",
            aftersales_result::Rule => c"rule",
            aftersales_result::Calendar => c"calendar",
            aftersales_result::Io => c"io",
            aftersales_result::Input => c"input",
            aftersales_result::Timeout => c"timeout",
            aftersales_result::NullParameter => c"null_parameter",
            aftersales_result::InvalidUtf8 => c"invalid_utf8",
            aftersales_result::Panic => c"panic",
            aftersales_result::BufferTooSmall => c"buffer_too_small",
        }
    }
}

/// The library's version, `MAJOR.MINOR.PATCH`, as a static NUL-terminated
/// string (never freed). Compare with `AFTERSALES_VERSION` to detect a
/// header and library that do not match.
#[no_mangle]
pub extern "C" fn aftersales_version() -> *const std::ffi::c_char {
    const VERSION: &std::ffi::CStr = match std::ffi::CStr::from_bytes_with_nul(
        concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes(),
    ) {
        Ok(version) => version,
        Err(_) => c"unknown",
    };
    VERSION.as_ptr()
}

/// The stable name of a result code (`"ok"`, `"policy"`, `"ticket"`,
/// `"rule"`, `"calendar"`, `"io"`, `"input"`, `"timeout"`, `"null_parameter"`,
/// `"invalid_utf8"`, `"panic"`, `"buffer_too_small"`), or `"unknown"`: a
/// static NUL-terminated string, never freed.
#[no_mangle]
pub extern "C" fn aftersales_result_name(code: u32) -> *const std::ffi::c_char {
    aftersales_result::ALL
        .into_iter()
        .find(|result| *result as u32 == code)
        .map_or(c"unknown", aftersales_result::c_name)
        .as_ptr()
}

#[cfg(test)]
mod tests {
    use super::aftersales_result;
    use aftersales::ErrorKind;

    /// The engine's codes (1–6) are the core's table, code for code and
    /// name for name; the boundary's own codes start at 100.
    #[test]
    fn the_result_codes_are_the_core_s_error_kinds() {
        for kind in ErrorKind::ALL {
            let result = aftersales_result::from_kind(kind);
            assert_eq!(result as u32, kind.code(), "{kind}");
            assert_eq!(result.name(), kind.as_str(), "{kind}");
        }
        let engine: Vec<u32> = aftersales_result::ALL
            .into_iter()
            .map(|r| r as u32)
            .filter(|code| (1..100).contains(code))
            .collect();
        let core: Vec<u32> = ErrorKind::ALL.into_iter().map(ErrorKind::code).collect();
        assert_eq!(engine, core);
    }
}
