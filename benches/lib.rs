//! Benchmarks for aftersales live in this crate's `benches/` targets; see
//! `BENCHMARKS.md` at the top of the repository for figures and commands.
