#!/usr/bin/env bash
# Runs every test of the project: formatting, lints, the Rust test suites.
# (The C and Python suites join this script with the C API and the wheel.)
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== cargo test"
cargo test --workspace --locked
