"""Columnar evaluation and what-if comparisons."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal

import pandas as pd
import pyarrow as pa

import aftersales
from aftersales import whatif
from conftest import ROOT

POLICY = aftersales.Policy.from_path(ROOT / "examples" / "policies" / "hot_water_meter.toml")
TEXT = (ROOT / "examples" / "tickets" / "hot_water_meter.jsonl").read_text()
ROWS = [json.loads(line) for line in TEXT.splitlines() if line.strip()]
AS_OF = datetime.fromisoformat("2026-03-03T12:00:00+08:00")


def test_evaluate_frame_has_one_row_per_ticket_with_clock_columns() -> None:
    df = aftersales.evaluate_frame(POLICY, pd.DataFrame(ROWS), AS_OF)
    assert len(df) == len(ROWS)
    first = df.iloc[0]
    assert first["ticket"] == "HWM-260302-0001"
    # Answered 12 s after opening, of a 1 min target.
    assert first["answer_elapsed"] == timedelta(seconds=12)
    assert first["answer_status"] == "met"
    assert first["total"] == Decimal("0.00")
    for metric in POLICY.metrics:
        for field in ("deadline", "status", "elapsed", "remaining", "overdue"):
            assert f"{metric}_{field}" in df.columns


def test_evaluate_arrow_matches_the_frame() -> None:
    table = aftersales.evaluate_arrow(POLICY, pa.Table.from_pylist(ROWS), AS_OF)
    assert table.num_rows == len(ROWS)
    assert "severity" in table.column_names
    frame = aftersales.evaluate_frame(POLICY, pd.DataFrame(ROWS), AS_OF)
    assert table.column("ticket").to_pylist() == list(frame["ticket"])


def test_whatif_compare_reads_the_portfolio_reports() -> None:
    variant = POLICY.with_overrides({"targets.contact.target.critical": "10m"})
    frame = whatif.compare({"today": POLICY, "contact 10m": variant}, ROWS, AS_OF)
    assert list(frame["policy"].unique()) == ["today", "contact 10m"]
    assert len(frame) == 2 * len(POLICY.metrics)
    today = POLICY.report(TEXT, AS_OF)
    row = frame[(frame.policy == "today") & (frame.metric == "contact")].iloc[0]
    contact = next(m for m in today["metrics"] if m["metric"] == "contact")
    assert row["breached"] == contact["breached"]
    # The first ticket (critical) was contacted after 20 min 30 s: met
    # within 30 min, breached within 10 min; a shorter target never breaches less.
    tighter = frame[(frame.policy == "contact 10m") & (frame.metric == "contact")].iloc[0]
    assert tighter["breached"] >= row["breached"] + 1
    assert variant.evaluate(TEXT.splitlines()[0], AS_OF).sla[1].status == "breached"
