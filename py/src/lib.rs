//! Python bindings for the aftersales engine.
//!
//! The `pyo3` module arrives with the Python wheel issue; this crate already
//! builds so that the workspace layout is final.
