"""Values come from the engine's types, not from the shape of text.

Ids and every other text stay ``str`` whatever they look like (``"0086"``,
``"1"``); money is ``Decimal`` with the answer's scale, instants aware
``datetime`` at the answer's offset, dates ``date``, durations
``timedelta``. The expected values are worked by hand in the comments.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Iterator
from zoneinfo import ZoneInfo

import pytest

import aftersales
from conftest import ROOT

SHANGHAI = ZoneInfo("Asia/Shanghai")
PLUS_8 = timezone(timedelta(hours=8))
AS_OF = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)

# Severity levels named "1" and "2", a 30-minute contact promise on the
# built-in 24x7 calendar.
NUMERIC_NAMES = """[policy]
id = "numeric-names"
version = "1"
timezone = "Asia/Shanghai"

[severity]
levels = ["1", "2"]
default = "1"

[[targets]]
metric = "contact"
stop = "contacted"
target = "30m"
"""

# Opened 09:00:00+08:00, contacted 09:20:00: 20 min elapsed of 30, deadline
# 09:30:00+08:00, met.
TICKET = {
    "id": "0086",
    "opened_at": "2026-03-02T09:00:00+08:00",
    "customer": {"id": "0086", "tier": "1"},
    "events": [{"at": "2026-03-02T09:20:00+08:00", "kind": "contacted"}],
    "attributes": {"code": "1", "zip": "0086"},
}


@pytest.fixture(scope="module")
def numeric() -> aftersales.Policy:
    return aftersales.Policy.from_str(NUMERIC_NAMES)


def leaves(value: Any) -> Iterator[Any]:
    """Every scalar inside dicts and lists."""
    if isinstance(value, dict):
        for v in value.values():
            yield from leaves(v)
    elif isinstance(value, list):
        for v in value:
            yield from leaves(v)
    else:
        yield value


def test_numeric_looking_ids_stay_strings_in_to_dict(numeric: aftersales.Policy) -> None:
    ev = numeric.evaluate(TICKET, AS_OF)
    d = ev.to_dict()
    assert d["ticket"] == "0086"
    assert d["severity"]["level"] == "1"
    assert ev.ticket == "0086"
    assert ev.severity.level == "1"
    # Nothing in the answer is a number that was text.
    assert not any(isinstance(v, Decimal) for v in leaves(d))
    assert json.loads(ev.to_json())["ticket"] == "0086"
    # The same through a batch and as codes.
    [batch] = numeric.evaluate_many([TICKET], AS_OF, because="codes")
    assert batch.to_dict()["ticket"] == "0086"
    assert batch.to_dict()["severity"]["level"] == "1"


def test_numeric_looking_ids_stay_strings_in_frames(numeric: aftersales.Policy) -> None:
    pd = pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    frame = aftersales.evaluate_frame(numeric, pd.DataFrame([TICKET]), AS_OF)
    assert frame["ticket"].tolist() == ["0086"]
    assert frame["severity"].tolist() == ["1"]
    table = aftersales.evaluate_arrow(numeric, pa.Table.from_pylist([TICKET]), AS_OF)
    assert table.schema.field("ticket").type == pa.string()
    assert table.schema.field("severity").type == pa.string()
    assert table.column("ticket").to_pylist() == ["0086"]
    assert table.column("severity").to_pylist() == ["1"]


def test_instants_durations_dates_and_money_are_typed_exactly() -> None:
    policy = aftersales.Policy.from_path(ROOT / "examples" / "policies" / "hot_water_meter.toml")
    first = (ROOT / "examples" / "tickets" / "hot_water_meter.jsonl").read_text().splitlines()[0]
    ev = policy.evaluate(first, datetime(2026, 3, 3, 12, tzinfo=SHANGHAI))
    d = ev.to_dict()
    answer = d["sla"][0]
    # Instant: opened 08:59:30+08:00, 1 minute on 24x7 -> 09:00:30 at the
    # answer's offset (+08:00), the same instant as 01:00:30Z.
    assert answer["deadline"] == datetime(2026, 3, 2, 9, 0, 30, tzinfo=PLUS_8)
    assert answer["deadline"].utcoffset() == timedelta(hours=8)
    assert answer["deadline"] == datetime(2026, 3, 2, 1, 0, 30, tzinfo=timezone.utc)
    # as_of 12:00 Shanghai, at the policy's offset.
    assert d["as_of"] == datetime(2026, 3, 3, 12, tzinfo=PLUS_8)
    # Duration: answered 08:59:42, 12 s after opening; 48 s of the minute left.
    assert answer["elapsed"] == timedelta(seconds=12)
    assert answer["remaining"] == timedelta(seconds=48)
    # A target is the policy's text (it may count business days, `2bd`).
    assert answer["target"] == "PT1M"
    # Date: the battery's year runs from installation on 2024-11-20.
    assert d["warranty"]["components"][0]["until"] == date(2025, 11, 20)
    # Money: the repair is under warranty, nothing to pay, at the scale of
    # cents (two places, as the answer writes "0.00").
    total = d["charges"]["total"]
    assert isinstance(total, Decimal)
    assert str(total) == "0.00"
    assert total.as_tuple().exponent == -2
    # VAT 13%: an exact number, not money.
    assert d["charges"]["tax_percent"] == Decimal("13")
    # Every money figure of the bill is a Decimal with the text's digits.
    text = json.loads(ev.to_json())
    for key in ("subtotal", "tax", "total", "covered_total", "warranty_total"):
        assert isinstance(d["charges"][key], Decimal)
        assert str(d["charges"][key]) == text["charges"][key]


def test_report_is_typed_from_the_engine() -> None:
    policy = aftersales.Policy.from_path(ROOT / "examples" / "policies" / "hot_water_meter.toml")
    tickets = (ROOT / "examples" / "tickets" / "hot_water_meter.jsonl").read_text()
    report = policy.report(tickets, datetime(2026, 3, 3, 12, tzinfo=SHANGHAI))
    text = json.loads(policy.report_json(tickets, datetime(2026, 3, 3, 12, tzinfo=SHANGHAI)))
    assert report["policy"]["version"] == "2026.1"
    assert isinstance(report["money"]["charged"], Decimal)
    assert str(report["money"]["charged"]) == text["money"]["charged"]
    for metric, written in zip(report["metrics"], text["metrics"]):
        rate = metric["on_time_rate"]
        assert (rate is None and written["on_time_rate"] is None) or (
            isinstance(rate, Decimal) and str(rate) == written["on_time_rate"]
        )


def test_an_unknown_calendar_is_a_calendar_error(numeric: aftersales.Policy) -> None:
    with pytest.raises(aftersales.CalendarError) as caught:
        numeric.calendar("nowhere")
    assert caught.value.code == 4
    assert caught.value.field == "name"
