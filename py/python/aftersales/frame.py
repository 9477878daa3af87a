"""Columnar evaluation: pandas and Arrow in, one row per ticket out.

Each ticket row has ``ticket``, ``error`` (the message of a failed ticket),
``severity``, ``warranty_status``, per SLA metric ``<metric>_deadline``,
``_status``, ``_elapsed``, ``_remaining``, ``_overdue`` (instants in UTC,
durations), and the money figures ``subtotal``, ``tax``, ``total``,
``covered_total``, ``warranty_total`` and ``credited``. The
engine builds the columns while it evaluates (``Policy._columns``); nothing
is recomputed here. A field that is null (or NaN) in a row reads as absent:
a table pads the fields one ticket lacks with nulls.

Money is exact in Arrow (``evaluate_arrow``: ``decimal128(38, s)``, ``s`` the
largest scale in the column) and ``float64`` in pandas (``evaluate_frame``),
so that a frame's money columns plot, sum and aggregate as numbers; the
exact figures are the Arrow table's (or ``Evaluation.to_dict()``'s
``Decimal``s).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from ._aftersales import Policy


def _arrow_table(policy: Policy, tickets: list, as_of: Optional[datetime]) -> Any:
    """The engine's columns as a pyarrow Table: the instant, duration and
    money columns wrap the buffers the engine wrote (no copy, no Python
    object per cell)."""
    import pyarrow as pa

    arrays = {}
    n = len(tickets)
    for name, kind, data, validity, nulls, scale in policy._columns(
        tickets, as_of, drop_nulls=True
    ):
        if kind == "str":
            arrays[name] = pa.array(data, type=pa.string())
            continue
        if kind == "timestamp":
            type_ = pa.timestamp("us", tz="UTC")
        elif kind == "duration":
            type_ = pa.duration("us")
        else:
            type_ = pa.decimal128(38, scale)
        mask = pa.py_buffer(validity) if nulls else None
        arrays[name] = pa.Array.from_buffers(type_, n, [mask, pa.py_buffer(data)], null_count=nulls)
    return pa.table(arrays)


def _money_as_float(table: Any) -> Any:
    """The table with its decimal128 (money) columns as float64."""
    import pyarrow as pa

    fields = [
        pa.field(f.name, pa.float64()) if pa.types.is_decimal(f.type) else f
        for f in table.schema
    ]
    return table.cast(pa.schema(fields))


def evaluate_frame(policy: Policy, df: Any, as_of: Optional[datetime] = None) -> Any:
    """Evaluates a pandas DataFrame of tickets (one per row; nested fields
    as dicts and lists) into a DataFrame with one row per ticket (instants
    as UTC timestamps, durations as timedeltas, money as float64; the exact
    decimals are ``evaluate_arrow``'s)."""
    return _money_as_float(_arrow_table(policy, df.to_dict("records"), as_of)).to_pandas()


def evaluate_arrow(policy: Policy, table: Any, as_of: Optional[datetime] = None) -> Any:
    """Evaluates a pyarrow Table of tickets into a pyarrow Table, one row per
    ticket (money as decimal128, instants as timestamps in UTC, durations
    in microseconds)."""
    return _arrow_table(policy, table.to_pylist(), as_of)
