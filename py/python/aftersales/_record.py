"""Attribute access, ``repr`` and HTML for answers.

The values themselves are typed by the engine (``Evaluation.to_dict()`` is
built in Rust from the typed evaluation: ids and text ``str``, money
``Decimal``, instants aware ``datetime``, dates ``date``, durations
``timedelta``); this module only wraps dicts for attribute access and shows
an evaluation.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any, Iterator, Mapping


class Record(Mapping[str, Any]):
    """A read-only JSON object with attribute access (``sla[0].deadline``)."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = dict(data)

    def __getattr__(self, name: str) -> Any:
        try:
            return record(self._data[name])
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __dir__(self) -> list[str]:
        return list(self._data)

    def to_dict(self) -> dict[str, Any]:
        """The plain dict."""
        return dict(self._data)

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self._data.items() if k != "because")
        return f"Record({inner})"


def record(value: Any) -> Any:
    """Dicts (also inside lists) wrapped for attribute access."""
    if isinstance(value, dict):
        return Record(value)
    if isinstance(value, list):
        return [record(v) for v in value]
    return value


def evaluation_repr(data: Mapping[str, Any]) -> str:
    """``Evaluation(ticket=…, policy=…, severity=…, sla=[…], total=…)``."""
    policy = data.get("policy") or {}
    severity = (data.get("severity") or {}).get("level")
    sla = ", ".join(f"{m.get('metric')}: {m.get('status')}" for m in data.get("sla") or [])
    charges = data.get("charges") or {}
    warranty = (data.get("warranty") or {}).get("status")
    return (
        f"Evaluation(ticket={data.get('ticket')!r}, "
        f"policy='{policy.get('id')}@{policy.get('version')}', "
        f"as_of={_show(data.get('as_of'))}, severity={severity!r}, "
        f"sla=[{sla}], warranty={warranty!r}, "
        f"total={_show(charges.get('total'))} {charges.get('currency', '')})"
    )


def _show(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def evaluation_html(data: Mapping[str, Any]) -> str:
    """A small HTML table of the SLA clocks for notebooks."""
    e = html.escape
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{e(_show(m.get(k)))}</td>"
            for k in ("metric", "status", "deadline", "elapsed", "remaining", "overdue")
        )
        + "</tr>"
        for m in data.get("sla") or []
    )
    head = "".join(
        f"<th>{h}</th>" for h in ("metric", "status", "deadline", "elapsed", "remaining", "overdue")
    )
    return (
        f"<div><b>{e(str(data.get('ticket')))}</b> under "
        f"{e(str((data.get('policy') or {}).get('id')))}: severity "
        f"{e(str((data.get('severity') or {}).get('level')))}, warranty "
        f"{e(str((data.get('warranty') or {}).get('status')))}"
        f"<table><tr>{head}</tr>{rows}</table></div>"
    )


__all__ = ["Record", "record", "evaluation_html", "evaluation_repr"]
