"""Every case of tests/data/calendar_cases.json through the Python API.

The neutral calendar JSON is mapped onto the manifest's calendar TOML as
core/tests/calendar_cases.rs maps it onto ``CalendarSpec``: ``tz`` (or
``floating``) as ``timezone``, ``weekly`` days as ``mon`` … ``sun`` interval
lists, ``holidays``, ``recurring_holidays``, ``date_overrides`` as
``overrides`` and ``breaks``. The calendars are compiled in one policy and
reached with ``policy.calendar(name)``.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

import aftersales
from conftest import ROOT

DATA = json.loads((ROOT / "tests" / "data" / "calendar_cases.json").read_text())
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _intervals(pairs: list[list[str]]) -> list[str]:
    return [f"{s}-{e}" for s, e in pairs]


def calendar_toml(name: str, spec: dict) -> str:
    lines = [f"[calendars.{name}]", f"timezone = {json.dumps(spec.get('tz') or 'floating')}"]
    weekly = spec.get("weekly") or {}
    for day in DAYS:
        lines.append(f"{day} = {json.dumps(_intervals(weekly.get(day) or []))}")
    lines.append(f"holidays = {json.dumps(spec.get('holidays') or [])}")
    lines.append(f"recurring_holidays = {json.dumps(spec.get('recurring_holidays') or [])}")
    for table, key in (("overrides", "date_overrides"), ("breaks", "breaks")):
        dated = spec.get(key) or {}
        inner = ", ".join(
            f"{json.dumps(d)} = {json.dumps(_intervals(v))}" for d, v in dated.items()
        )
        lines.append(f"{table} = {{ {inner} }}")
    return "\n".join(lines)


POLICY_TOML = "\n\n".join(
    [
        '[policy]\nid = "calendar-cases"\nversion = "1"\ntimezone = "Etc/UTC"',
        '[severity]\nlevels = ["normal"]\ndefault = "normal"',
        *(calendar_toml(name, spec) for name, spec in DATA["calendars"].items()),
    ]
)


@pytest.fixture(scope="module")
def policy() -> aftersales.Policy:
    return aftersales.Policy.from_str(POLICY_TOML)


def instant(text: str) -> datetime:
    """RFC 3339, or a naive wall-clock time read as UTC (floating calendars),
    as the Rust suite reads it."""
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def run(calendar: aftersales.Calendar, case: dict) -> object:
    op = case["op"]
    start = instant(case["start"])
    if op in ("add", "sub"):
        return getattr(calendar, op)(start, timedelta(seconds=case["duration_seconds"]))
    if op in ("add_business_days", "sub_business_days"):
        return getattr(calendar, op)(start, case["business_days"])
    if op == "between":
        return calendar.between(start, instant(case["end"]))
    return getattr(calendar, op)(start)


def expected(case: dict) -> object:
    want = case["expected"]
    if case["op"] == "between":
        return timedelta(seconds=want)
    if isinstance(want, str):
        return instant(want)
    return want


def test_the_file_holds_120_cases() -> None:
    assert len(DATA["cases"]) == 120


@pytest.mark.parametrize("case", DATA["cases"], ids=[c["id"] for c in DATA["cases"]])
def test_calendar_case(policy: aftersales.Policy, case: dict) -> None:
    calendar = policy.calendar(case["calendar"])
    assert run(calendar, case) == expected(case)
