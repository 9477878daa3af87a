"""examples/python: the ticket generator, the what-if script and its notebook."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import aftersales
from conftest import ROOT

EXAMPLES = ROOT / "examples" / "python"
sys.path.insert(0, str(EXAMPLES))

from ticket_generator import AS_OF, generate  # noqa: E402

VARIANTS = ("today", "contact in 1h", "labour +10%")
PNG = b"\x89PNG\r\n\x1a\n"


def test_the_generator_is_seeded_and_its_tickets_are_valid() -> None:
    first = generate(300, seed=7)
    assert first == generate(300, seed=7)
    assert first != generate(300, seed=8)
    policy = aftersales.Policy.from_path(ROOT / "examples" / "policies" / "hot_water_meter.toml")
    report = policy.report(first, AS_OF)
    # Every generated ticket is one the engine accepts.
    assert report["errors"] == 0
    assert report["tickets"] == 300
    # Both kinds of customer, and the opening instants inside the year.
    categories = {t["product"]["category"] for t in first}
    assert categories == {"household", "industrial"}
    assert all(t["opened_at"].startswith("2026-") for t in first)


def test_the_script_prints_three_variants_and_writes_the_chart(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(EXAMPLES / "whatif_contact_target.py"),
            "--tickets",
            "400",
            "--out",
            str(tmp_path),
        ],  # fmt: skip
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    chart = tmp_path / "whatif_contact_target.png"
    assert chart.read_bytes()[:8] == PNG
    for name in VARIANTS:
        assert name in done.stdout
    # One table row per variant and metric of the meter pack.
    for name in VARIANTS:
        for metric in ("answer", "contact", "resolve", "onsite", "follow_up"):
            row = re.compile(rf"^\s*{re.escape(name)}\s+{metric}\s", re.MULTILINE)
            assert row.search(done.stdout), (name, metric)


def test_the_notebook_runs(tmp_path: Path) -> None:
    import nbclient
    import nbformat

    notebook = nbformat.read(EXAMPLES / "whatif.ipynb", as_version=4)
    env = {"WHATIF_TICKETS": "300", "WHATIF_OUT": str(tmp_path), "WHATIF_HERE": str(EXAMPLES)}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        client = nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3")
        client.execute(cwd=str(EXAMPLES))
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    assert (tmp_path / "whatif_contact_target.png").read_bytes()[:8] == PNG
    # The comparison cell shows the three variants.
    shown = "".join(
        str(output.get("data", {}).get("text/plain", ""))
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
    )
    for name in VARIANTS:
        assert name in shown
