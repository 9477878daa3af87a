#!/usr/bin/env bash
# Runs every test of the project: formatting, lints, the Rust test suites,
# the C API's tests (under valgrind) and the Python wheel's tests.
# Works on a fresh Debian machine with a Rust toolchain, Python 3 and gcc:
# what else it needs (valgrind, pkg-config, g++, php-cli, the Python tools)
# it installs.
set -euo pipefail
cd "$(dirname "$0")/.."

# System tools the C tests need, from Debian's packages when missing.
missing=()
command -v valgrind > /dev/null || missing+=(valgrind)
command -v pkg-config > /dev/null || missing+=(pkg-config)
command -v cc > /dev/null || missing+=(gcc)
command -v c++ > /dev/null || missing+=(g++)
command -v php > /dev/null || missing+=(php-cli)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== apt-get install ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" > /dev/null
fi

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== cargo doc (warnings are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --locked -p aftersales

echo "== cargo test"
cargo test --workspace --locked

echo "== C API (scripts/test-c.sh)"
./scripts/test-c.sh

echo "== Python wheel (scripts/test-python.sh)"
./scripts/test-python.sh
