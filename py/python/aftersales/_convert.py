"""Typed values for the façade's JSON.

The engine answers in JSON; this module turns that JSON into the types a
Python user expects, by the shape of each value:

- an RFC 3339 instant (``2026-03-02T09:00:30+08:00``) becomes an aware
  ``datetime`` in the offset it was written in;
- a date (``2026-11-20``) becomes a ``date``;
- an ISO 8601 duration of counted time (``PT20M30S``) becomes a
  ``timedelta`` (business-day targets such as ``2bd`` stay text);
- a decimal number written as text (money, ``tax_percent``, rates) becomes
  a ``decimal.Decimal``, except under the keys that name things
  (``version``, ``id``, ``ticket``, ``digest``).
"""

from __future__ import annotations

import html
import json
import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Iterator, Mapping

_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DURATION = re.compile(
    r"^(-)?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)
_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
_NAMES = frozenset({"version", "id", "ticket", "digest", "policy", "position"})


def parse_instant(text: str) -> datetime:
    """An RFC 3339 instant as an aware datetime (nanoseconds cut to micro)."""
    text = text.replace("Z", "+00:00")
    match = re.match(r"^(.*T\d{2}:\d{2}:\d{2})(\.\d+)?(.*)$", text)
    if match and match.group(2):
        text = match.group(1) + match.group(2)[:7].ljust(7, "0") + match.group(3)
    return datetime.fromisoformat(text)


def parse_duration(text: str) -> timedelta | None:
    """An ISO 8601 duration of counted time, or None when it is not one."""
    match = _DURATION.match(text)
    if not match or text in ("P", "PT", "-P", "-PT") or text.endswith("T"):
        return None
    sign, weeks, days, hours, minutes, seconds = match.groups()
    delta = timedelta(
        weeks=int(weeks or 0),
        days=int(days or 0),
        hours=int(hours or 0),
        minutes=int(minutes or 0),
        seconds=float(Decimal(seconds or 0)),
    )
    return -delta if sign else delta


def typed_value(value: Any, key: str | None = None) -> Any:
    """A JSON value with its strings typed by shape (see the module doc)."""
    if isinstance(value, dict):
        return {k: typed_value(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [typed_value(v, key) for v in value]
    if not isinstance(value, str) or key in _NAMES:
        return value
    if _INSTANT.match(value):
        return parse_instant(value)
    if _DATE.match(value):
        return date.fromisoformat(value)
    if value.startswith(("P", "-P")):
        delta = parse_duration(value)
        if delta is not None:
            return delta
    if _DECIMAL.match(value):
        return Decimal(value)
    return value


def typed(text: str) -> Any:
    """The façade's JSON text as typed Python values."""
    return typed_value(json.loads(text))


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


__all__ = ["Record", "record", "typed", "typed_value", "parse_instant"]
_ = timezone
