"""Shared fixtures: the repository root, the example packs and the CLI."""

from __future__ import annotations

import os
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def packs() -> list[tuple[str, str]]:
    """(pack, as_of) from examples/packs.txt."""
    out = []
    for line in (ROOT / "examples" / "packs.txt").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, as_of = line.split()
            out.append((name, as_of))
    return out


def cli() -> list[str]:
    """The command line: AFTERSALES_CLI, else target/debug/aftersales, else cargo."""
    given = os.environ.get("AFTERSALES_CLI")
    if given:
        return [given]
    built = ROOT / "target" / "debug" / "aftersales"
    if built.exists():
        return [str(built)]
    return ["cargo", "run", "-q", "-p", "aftersales-cli", "--"]


def run_cli(*args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [*cli(), *args], cwd=ROOT, capture_output=True, text=True, check=False, input=stdin
    )
    return done.stdout


@pytest.fixture
def root() -> Path:
    return ROOT


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
