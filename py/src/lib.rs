//! Python bindings for the aftersales engine: the native module
//! `aftersales._aftersales`, wrapped by the `aftersales` package.
//!
//! Everything goes through the core façade ([`aftersales::api`]). Answers
//! stay the engine's typed values: an `Evaluation` writes its JSON through
//! the façade's one writer when asked (byte for byte as the command line
//! and the C library), and builds its dict from the typed value. The GIL is
//! released while a policy compiles and while a batch is evaluated.
//!
//! One file per job: [`errors`] (the exception tree), [`convert`] (Python
//! ↔ Rust values), [`policy`], [`calendar`], [`evaluation`], [`columns`]
//! (frames and Arrow), [`json_text`] (tickets written as JSON).

mod calendar;
mod columns;
mod convert;
mod errors;
mod evaluation;
mod json_text;
mod policy;

use pyo3::prelude::*;

/// The native module.
#[pymodule]
fn _aftersales(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<policy::Policy>()?;
    m.add_class::<evaluation::Evaluation>()?;
    m.add_class::<calendar::Calendar>()?;
    errors::register(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add(
        "__all__",
        vec![
            "AftersalesError",
            "Calendar",
            "CalendarError",
            "Evaluation",
            "InputError",
            "IoError",
            "Location",
            "Policy",
            "PolicyError",
            "RuleError",
            "RuleTimeoutError",
            "TicketError",
        ],
    )?;
    Ok(())
}
