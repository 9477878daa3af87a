//! C ABI for the aftersales engine.
//!
//! The exported functions, the generated header `include/aftersales.h` and
//! the C test programs arrive with the C API issue; this crate already
//! builds as `cdylib` and `staticlib` so that the workspace layout is final.
