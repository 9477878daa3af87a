#!/usr/bin/env bash
# The Python suite: builds the wheel, installs it in .venv, checks lints and
# stubs, runs pytest on py/tests. Works from a clean clone.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=".venv"
if [ ! -x "$VENV/bin/python" ]; then
    echo "== creating $VENV"
    python3 -m venv "$VENV"
fi
PY="$VENV/bin/python"

echo "== pip install -r py/requirements-dev.txt -r py/requirements-scale.txt"
"$PY" -m pip install -q --disable-pip-version-check -r py/requirements-dev.txt \
    -r py/requirements-scale.txt

# PySpark runs on a JVM (tests/test_distributed.py starts Spark in local mode).
if ! command -v java >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        echo "== apt-get install openjdk-17-jre-headless (for PySpark)"
        apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q openjdk-17-jre-headless
    else
        echo "!! no java and not root: install openjdk-17-jre-headless for the Spark tests" >&2
    fi
fi

echo "== building the wheel"
rm -rf target/wheels/aftersales-*.whl
"$VENV/bin/maturin" build --release -q -m py/Cargo.toml
"$PY" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps target/wheels/aftersales-*.whl

echo "== the command line (the tests compare the wheel's answers with it)"
cargo build -q -p aftersales-cli

echo "== ruff"
"$VENV/bin/ruff" check --config py/pyproject.toml py examples/python benches/python

echo "== stubtest"
# From outside the source tree, so that the installed wheel is what is checked.
ROOT="$(pwd)"
(cd "${TMPDIR:-/tmp}" && "$ROOT/$PY" -m mypy.stubtest aftersales._aftersales \
    --allowlist "$ROOT/py/stubtest-allowlist.txt")

echo "== pytest"
"$PY" -m pytest -q py/tests "$@"
