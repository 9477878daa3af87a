"""Reasons in Simplified Chinese and as codes: the wheel answers as the
command line's ``--lang zh-CN`` and ``--because`` byte for byte."""

from __future__ import annotations

import json

import pytest

import aftersales
from conftest import ROOT, instant, run_cli

PACK = "hot_water_meter"
AS_OF = "2026-03-03T12:00:00+08:00"
POLICY = f"examples/policies/{PACK}.toml"
TICKETS = f"examples/tickets/{PACK}.jsonl"


def policy() -> aftersales.Policy:
    return aftersales.Policy.from_path(ROOT / POLICY)


def lines() -> list[str]:
    return [line for line in (ROOT / TICKETS).read_text().splitlines() if line.strip()]


@pytest.mark.parametrize("because", ["text", "codes", "none"])
def test_chinese_answers_match_the_cli(because: str) -> None:
    cli = run_cli(
        "eval", POLICY, TICKETS, "--as-of", AS_OF, "--lang", "zh-CN", "--because", because
    ).splitlines()
    assert len(cli) == len(lines())
    ours = policy().evaluate_many_json(
        (ROOT / TICKETS).read_text(), instant(AS_OF), lang="zh-CN", because=because
    )
    assert ours == cli
    many = policy().evaluate_many(
        (ROOT / TICKETS).read_text(),
        instant(AS_OF),
        errors="collect",
        lang="zh-CN",
        because=because,
    )
    assert [e.to_json() for e in many] == cli
    answers, _ = policy().evaluate_partition(
        (ROOT / TICKETS).read_text(), instant(AS_OF), lang="zh-CN", because=because
    )
    assert [text for _, _, text in answers] == cli
    # One ticket alone, as the CLI given it alone on stdin.
    first = lines()[0]
    alone = run_cli(
        "eval", POLICY, "-", "--as-of", AS_OF, "--lang", "zh-CN", "--because", because, stdin=first
    )
    answer = policy().evaluate(first, instant(AS_OF), lang="zh-CN", because=because)
    assert answer.to_json() == alone.rstrip("\n")


def test_sla_reasons_read_in_chinese_or_as_codes() -> None:
    first = lines()[0]
    # targets[0] (answer) has the fixed target "1m": shown as PT1M in
    # English and as "1 分钟" in Chinese, from targets[0].target.
    zh = json.loads(policy().evaluate(first, instant(AS_OF), lang="zh-CN").to_json())
    answer = next(m for m in zh["sla"] if m["metric"] == "answer")
    assert answer["because"] == ["目标 1 分钟：targets[0].target"]
    en = json.loads(policy().evaluate(first, instant(AS_OF)).to_json())
    answer = next(m for m in en["sla"] if m["metric"] == "answer")
    assert answer["because"] == ["target PT1M: targets[0].target"]
    codes = json.loads(policy().evaluate(first, instant(AS_OF), because="codes").to_json())
    answer = next(m for m in codes["sla"] if m["metric"] == "answer")
    assert answer["because"] == [
        {"code": "sla.target", "args": {"target": "PT1M", "path": "targets[0].target"}}
    ]
    # The severity given by the CRM is the ticket's `severity`; the
    # contact table gives critical "30m".
    contact = next(m for m in codes["sla"] if m["metric"] == "contact")
    assert contact["because"][0] == {
        "code": "sla.target_for",
        "args": {
            "target": "PT30M",
            "by": "severity",
            "key": "critical",
            "path": "targets[1].target.critical",
        },
    }


def test_no_reasons() -> None:
    answer = json.loads(policy().evaluate(lines()[0], instant(AS_OF), because="none").to_json())
    assert all(not m.get("because") for m in answer["sla"])
    assert not answer["severity"].get("because")


def test_unknown_language_or_form_is_an_input_error() -> None:
    with pytest.raises(aftersales.InputError, match="unknown language `fr`"):
        policy().evaluate(lines()[0], lang="fr")  # type: ignore[arg-type]
    with pytest.raises(aftersales.InputError, match="unknown `because` form `all`"):
        policy().evaluate_many_json(lines()[:1], because="all")  # type: ignore[arg-type]
