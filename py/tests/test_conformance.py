"""The conformance cases (tests/conformance/) through the wheel.

Every case's tickets as one batch must give the case's expected answers byte
for byte; every ticket of a case with an `alone` file, evaluated alone and
as a batch of one, must give its line of that file. The Rust runner
(cli/tests/conformance.rs) and the C suite (scripts/test-c.sh) hold the
command line, the façade and the C library to the same files.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import aftersales
from conftest import ROOT, instant

CASES = sorted(p for p in (ROOT / "tests" / "conformance" / "cases").iterdir() if p.is_dir())


def case(directory: Path) -> dict:
    return json.loads((directory / "case.json").read_text())


def test_every_case_is_found() -> None:
    # Three example packs and six small cases: a case that disappears fails.
    assert len(CASES) >= 9


@pytest.mark.parametrize("directory", CASES, ids=[p.name for p in CASES])
def test_a_case_as_one_batch_gives_the_expected_bytes(directory: Path) -> None:
    spec = case(directory)
    policy = aftersales.Policy.from_path(directory / spec["policy"])
    expected = (directory / spec["expected"]).read_text()
    try:
        text = (directory / spec["tickets"]).read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        pytest.skip("the case's tickets are not UTF-8: a Python str cannot hold them")
    got = policy.evaluate_many_json(text, instant(spec["as_of"]))
    assert "".join(line + "\n" for line in got) == expected


PACKS = [p for p in CASES if "alone" in case(p)]


@pytest.mark.parametrize("directory", PACKS, ids=[p.name for p in PACKS])
def test_every_ticket_alone_and_as_a_batch_of_one(directory: Path) -> None:
    spec = case(directory)
    policy = aftersales.Policy.from_path(directory / spec["policy"])
    as_of = instant(spec["as_of"])
    lines = [
        line for line in (directory / spec["tickets"]).read_text().splitlines() if line.strip()
    ]
    alone = (directory / spec["alone"]).read_text().splitlines()
    assert len(alone) == len(lines)
    for line, expected in zip(lines, alone):
        assert policy.evaluate(line, as_of).to_json() == expected
        assert [e.to_json() for e in policy.evaluate_many([line], as_of)] == [expected]
        assert policy.evaluate(json.loads(line), as_of).to_json() == expected

