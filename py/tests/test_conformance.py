"""The conformance cases (tests/conformance/) through the wheel.

Every case's tickets as one batch must give the case's expected answers byte
for byte; every ticket of a case with an `alone` file, evaluated alone and
as a batch of one, must give its line of that file; every figure of a case's
`figures` file (an example pack's hand-worked figures) must hold in the
wheel's answers. The Rust runner
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


FIGURED = [p for p in CASES if "figures" in case(p)]
STATUSES = {"pending", "running", "paused", "met", "breached", "not_applicable"}
_ABSENT = object()


def at(document: object, pointer: str) -> object:
    """The value at a JSON pointer (RFC 6901), or _ABSENT when it leads nowhere."""
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(document, dict) and token in document:
            document = document[token]
        elif isinstance(document, list) and token.isdigit() and int(token) < len(document):
            document = document[int(token)]
        else:
            return _ABSENT
    return document


def wrong_figures(figures: list[dict], alone: dict, batch: dict) -> list[str]:
    """The figures that do not hold: each read in its ticket's answer alone,
    or in the batch's answer when it says so; `null` matches nothing there."""
    wrong = []
    for figure in figures:
        answers = batch if figure.get("batch") else alone
        got = at(answers[figure["ticket"]], figure["pointer"])
        if "contains" in figure:
            holds = isinstance(got, str) and figure["contains"] in got
        elif figure["value"] is None:
            holds = got is None or got is _ABSENT
        else:
            holds = got == figure["value"] and type(got) is type(figure["value"])
        if not holds:
            wrong.append(f"{figure['ticket']} {figure['pointer']}: {got!r}, expected {figure}")
    return wrong


@pytest.mark.parametrize("directory", FIGURED, ids=[p.name for p in FIGURED])
def test_every_figure_holds(directory: Path) -> None:
    spec = case(directory)
    policy = aftersales.Policy.from_path(directory / spec["policy"])
    lines = [
        line for line in (directory / spec["tickets"]).read_text().splitlines() if line.strip()
    ]
    by_id = {json.loads(line)["id"]: line for line in lines}
    entries = [json.loads(line) for line in (directory / spec["figures"]).read_text().splitlines()]
    tickets = [e for e in entries if "as_of" in e]
    figures = [e for e in entries if "pointer" in e]
    assert sorted(e["ticket"] for e in tickets) == sorted(by_id)
    assert {f["value"] for f in figures if f["pointer"].endswith("/status")} >= STATUSES
    alone = {
        e["ticket"]: json.loads(policy.evaluate(by_id[e["ticket"]], instant(e["as_of"])).to_json())
        for e in tickets
    }
    batch = {
        answer["ticket"]: answer
        for answer in map(
            json.loads, policy.evaluate_many_json("\n".join(lines), instant(spec["as_of"]))
        )
    }
    assert len(figures) > 500
    assert wrong_figures(figures, alone, batch) == []


def test_a_wrong_figure_is_caught() -> None:
    answer = {"sla": [{"status": "met", "deadline": None}]}
    answers = {"T": answer}

    def holds(**figure: object) -> bool:
        return wrong_figures([{"ticket": "T", **figure}], answers, answers) == []

    assert holds(pointer="/sla/0/status", value="met")
    assert not holds(pointer="/sla/0/status", value="breached")
    assert holds(pointer="/sla/0/deadline", value=None)
    assert holds(pointer="/sla/1", value=None)
    assert not holds(pointer="/sla/0", value=None)
    assert holds(pointer="/sla/0/status", contains="me")
    assert not holds(pointer="/sla/0/status", contains="x")
