"""Columnar evaluation and what-if comparisons."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
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


def table_of(rows: list) -> pa.Table:
    """Rows as a Table whose schema holds every field of every row
    (`Table.from_pylist` reads the fields of the first row only)."""
    return pa.Table.from_struct_array(pa.array(rows))


def test_evaluate_frame_has_one_row_per_ticket_with_clock_columns() -> None:
    df = aftersales.evaluate_frame(POLICY, pd.DataFrame(ROWS), AS_OF)
    assert len(df) == len(ROWS)
    first = df.iloc[0]
    assert first["ticket"] == "HWM-260302-0001"
    # Answered 12 s after opening, of a 1 min target.
    assert first["answer_elapsed"] == timedelta(seconds=12)
    assert first["answer_status"] == "met"
    # Money is float64 in a frame (plots, sums); exact in Arrow.
    assert first["total"] == 0.0
    for name in ("subtotal", "tax", "total", "covered_total", "warranty_total", "credited"):
        assert df[name].dtype == "float64"
    for metric in POLICY.metrics:
        for field in ("deadline", "status", "elapsed", "remaining", "overdue"):
            assert f"{metric}_{field}" in df.columns


def test_evaluate_arrow_matches_the_frame() -> None:
    table = aftersales.evaluate_arrow(POLICY, table_of(ROWS), AS_OF)
    assert table.num_rows == len(ROWS)
    assert "severity" in table.column_names
    frame = aftersales.evaluate_frame(POLICY, pd.DataFrame(ROWS), AS_OF)
    assert table.column("ticket").to_pylist() == list(frame["ticket"])


def test_arrow_columns_hold_the_answers_figures_exactly() -> None:
    table = aftersales.evaluate_arrow(POLICY, table_of(ROWS), AS_OF)
    assert table.schema.field("answer_deadline").type == pa.timestamp("us", tz="UTC")
    assert table.schema.field("answer_elapsed").type == pa.duration("us")
    assert table.schema.field("total").type == pa.decimal128(38, 2)
    rows = table.to_pylist()
    utc = timezone.utc
    # HWM-260302-0001: opened 08:59:30 +08:00, answered 12 s later, a 1 min
    # target: deadline 09:00:30 +08:00 = 01:00:30 UTC, 48 s left, not overdue.
    first = rows[0]
    assert first["answer_deadline"] == datetime(2026, 3, 2, 1, 0, 30, tzinfo=utc)
    assert first["answer_elapsed"] == timedelta(seconds=12)
    assert first["answer_remaining"] == timedelta(seconds=48)
    assert first["answer_overdue"] is None
    # Every figure equals the one in the engine's JSON answer for the ticket.
    answers = [json.loads(a) for a in POLICY.evaluate_many_json(TEXT, AS_OF)]
    for row, answer in zip(rows, answers):
        assert row["ticket"] == answer["ticket"]
        assert row["severity"] == answer["severity"]["level"]
        assert row["warranty_status"] == answer["warranty"]["status"]
        charges = answer.get("charges") or {}
        for field in ("subtotal", "tax", "total", "covered_total", "warranty_total"):
            expected = charges.get(field)
            assert row[field] == (Decimal(expected) if expected is not None else None)
        credited = sum((Decimal(c["amount"]) for c in answer["credits"]), Decimal(0))
        assert row["credited"] == credited
        for clock in answer["sla"]:
            metric = clock["metric"]
            assert row[f"{metric}_status"] == clock["status"]
            deadline = clock.get("deadline")
            assert row[f"{metric}_deadline"] == (
                datetime.fromisoformat(deadline) if deadline else None
            )


def test_a_failed_ticket_is_a_row_with_its_error() -> None:
    bad = {"id": "BAD-1", "opened_at": "not a time"}
    table = aftersales.evaluate_arrow(POLICY, table_of([ROWS[0], bad]), AS_OF)
    rows = table.to_pylist()
    assert rows[1]["ticket"] == "BAD-1"
    assert "opened_at" in rows[1]["error"]
    assert rows[1]["total"] is None and rows[1]["answer_deadline"] is None
    assert rows[0]["error"] is None


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


def test_whatif_compare_is_numeric_and_plots() -> None:
    import matplotlib

    matplotlib.use("Agg")
    frame = whatif.compare({"today": POLICY}, ROWS, AS_OF)
    for name in ("on_time_rate", "goal", "charged", "warranty", "credited"):
        assert frame[name].dtype == "float64", name
    today = POLICY.report(TEXT, AS_OF)
    contact = next(m for m in today["metrics"] if m["metric"] == "contact")
    row = frame[frame.metric == "contact"].iloc[0]
    assert row["on_time_rate"] == float(contact["on_time_rate"])
    assert row["charged"] == float(today["money"]["charged"])
    axes = frame.plot(x="metric", y="on_time_rate")
    assert axes.get_lines()
