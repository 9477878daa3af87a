"""Columnar evaluation: pandas and Arrow in, one row per ticket out.

Each ticket row has ``ticket``, ``error`` (the message of a failed ticket),
``severity``, ``warranty_status``, per SLA metric ``<metric>_deadline``,
``_status``, ``_elapsed``, ``_remaining``, ``_overdue`` (aware datetimes and
timedeltas), and the money figures ``subtotal``, ``tax``, ``total``,
``covered_total``, ``warranty_total`` and ``credited`` (Decimals). Every
figure comes from the engine's answer; nothing is recomputed here.
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from decimal import Decimal
from typing import Any, Iterable, Mapping, Optional

from ._aftersales import Policy
from ._convert import typed_value

MONEY = ("subtotal", "tax", "total", "covered_total", "warranty_total")
CLOCK = ("deadline", "status", "elapsed", "remaining", "overdue")


def _clean(value: Any) -> Any:
    """A cell as a JSON-ready value: numpy scalars unwrapped, NaN dropped."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            return value.item()
        except (TypeError, ValueError):
            return value
    return value


def _ticket(row: Mapping[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in row.items():
        value = _clean(value)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        out[key] = value
    return out


def rows(policy: Policy, tickets: Iterable[Any], as_of: Optional[datetime] = None) -> list[dict]:
    """One flat row per ticket from the engine's answers."""
    answers = policy.evaluate_many_json([_ticket(t) for t in tickets], as_of)
    metrics = policy.metrics
    out = []
    for text in answers:
        answer = json.loads(text)
        row: dict[str, Any] = {"ticket": None, "error": None, "severity": None}
        row["warranty_status"] = None
        if "error" in answer:
            row["ticket"] = answer.get("ticket")
            row["error"] = answer["error"]["message"]
        else:
            row["ticket"] = answer["ticket"]
            row["error"] = None
            row["severity"] = (answer.get("severity") or {}).get("level")
            row["warranty_status"] = (answer.get("warranty") or {}).get("status")
        clocks = {c["metric"]: c for c in answer.get("sla") or []}
        for metric in metrics:
            clock = clocks.get(metric) or {}
            for field in CLOCK:
                row[f"{metric}_{field}"] = typed_value(clock.get(field), field)
        charges = answer.get("charges") or {}
        for field in MONEY:
            value = charges.get(field)
            row[field] = Decimal(value) if value is not None else None
        credits = answer.get("credits")
        row["credited"] = (
            sum((Decimal(c.get("amount", "0")) for c in credits), Decimal(0))
            if credits is not None
            else None
        )
        out.append(row)
    return out


def evaluate_frame(policy: Policy, df: Any, as_of: Optional[datetime] = None) -> Any:
    """Evaluates a pandas DataFrame of tickets (one per row; nested fields
    as dicts and lists) into a DataFrame with one row per ticket."""
    import pandas as pd

    return pd.DataFrame(rows(policy, df.to_dict("records"), as_of))


def evaluate_arrow(policy: Policy, table: Any, as_of: Optional[datetime] = None) -> Any:
    """Evaluates a pyarrow Table of tickets into a pyarrow Table, one row per
    ticket (money as decimal128, instants as timestamps in UTC)."""
    import pyarrow as pa

    out = rows(policy, table.to_pylist(), as_of)
    return pa.Table.from_pylist(out)
