"""The wheel answers byte for byte as the command line, for every example pack."""

from __future__ import annotations

import pytest

import aftersales
from conftest import ROOT, instant, packs, run_cli

PACKS = packs()


@pytest.mark.parametrize("pack,as_of", PACKS, ids=[p for p, _ in PACKS])
def test_evaluate_many_matches_the_cli_json_lines(pack: str, as_of: str) -> None:
    policy_path = f"examples/policies/{pack}.toml"
    tickets_path = f"examples/tickets/{pack}.jsonl"
    cli_lines = run_cli("eval", policy_path, tickets_path, "--as-of", as_of).splitlines()
    assert len(cli_lines) > 0
    policy = aftersales.Policy.from_path(ROOT / policy_path)
    text = (ROOT / tickets_path).read_text()
    many = policy.evaluate_many(text, instant(as_of), errors="collect")
    assert [e.to_json() for e in many] == cli_lines
    # One ticket alone (no portfolio caps from earlier tickets): the CLI
    # given that ticket alone on stdin.
    for line in [line for line in text.splitlines() if line.strip()][:3]:
        alone = run_cli("eval", policy_path, "-", "--as-of", as_of, stdin=line)
        assert policy.evaluate(line, instant(as_of)).to_json() == alone.rstrip("\n")


@pytest.mark.parametrize("pack,as_of", PACKS, ids=[p for p, _ in PACKS])
def test_report_matches_the_cli_report(pack: str, as_of: str) -> None:
    import json

    policy_path = f"examples/policies/{pack}.toml"
    tickets_path = f"examples/tickets/{pack}.jsonl"
    cli = json.loads(run_cli("report", policy_path, tickets_path, "--as-of", as_of, "--json"))
    policy = aftersales.Policy.from_path(ROOT / policy_path)
    ours = json.loads(policy.report_json((ROOT / tickets_path).read_text(), instant(as_of)))
    assert ours == cli
