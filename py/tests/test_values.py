"""Typed values, round trips, variants, laws and the released GIL."""

from __future__ import annotations

import json
import threading
import time
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import aftersales
from conftest import ROOT, packs

HWM = ROOT / "examples" / "policies" / "hot_water_meter.toml"
HWM_TICKETS = (ROOT / "examples" / "tickets" / "hot_water_meter.jsonl").read_text()
FIRST = HWM_TICKETS.splitlines()[0]
SHANGHAI = ZoneInfo("Asia/Shanghai")
AS_OF = datetime(2026, 3, 3, 12, tzinfo=SHANGHAI)


@pytest.fixture(scope="module")
def policy() -> aftersales.Policy:
    return aftersales.Policy.from_path(HWM)


def test_evaluation_fields_are_typed(policy: aftersales.Policy) -> None:
    ev = policy.evaluate(FIRST, AS_OF)
    assert ev.ticket == "HWM-260302-0001"
    assert ev.as_of == AS_OF
    answer = ev.sla[0]
    assert answer.metric == "answer"
    # Opened 08:59:30, answered 08:59:42: 12 s elapsed of a 1 min target,
    # 48 s left, deadline 09:00:30.
    assert answer.elapsed == timedelta(seconds=12)
    assert answer.remaining == timedelta(seconds=48)
    # A target is the policy's text: it may count business days (`2bd`).
    assert answer.target == "PT1M"
    assert answer.deadline == datetime(2026, 3, 2, 9, 0, 30, tzinfo=SHANGHAI)
    assert answer.overdue is None
    assert ev.charges.total == Decimal("0.00")
    assert ev.charges.tax_percent == Decimal("13")
    # Battery: one year from 2024-11-20.
    assert ev.warranty.components[0].until == date(2025, 11, 20)
    assert ev.policy.version == "2026.1"
    d = ev.to_dict()
    assert d["sla"][0]["elapsed"] == timedelta(seconds=12)
    assert json.loads(ev.to_json())["sla"][0]["elapsed"] == "PT12S"
    assert repr(ev).startswith(
        "Evaluation(ticket='HWM-260302-0001', policy='hot-water-meter@2026.1'"
    )
    assert "answer: met" in repr(ev)
    assert "<table>" in ev._repr_html_()
    with pytest.raises(AttributeError):
        _ = ev.no_such_field


def test_a_dict_ticket_with_python_types_answers_as_its_json(policy: aftersales.Policy) -> None:
    ticket = json.loads(FIRST)
    ticket["opened_at"] = datetime.fromisoformat(ticket["opened_at"])
    assert policy.evaluate(ticket, AS_OF) == policy.evaluate(FIRST, AS_OF)


def test_as_of_in_any_zone_is_the_same_instant(policy: aftersales.Policy) -> None:
    utc = AS_OF.astimezone(timezone.utc)
    assert policy.evaluate(FIRST, utc).to_json() == policy.evaluate(FIRST, AS_OF).to_json()


def test_datetime_and_timedelta_round_trip_through_the_calendar(policy: aftersales.Policy) -> None:
    always = policy.calendar("24x7")
    # The engine counts open time in whole seconds (as the Rust laws do).
    t = datetime(2026, 3, 2, 8, 59, 30, tzinfo=SHANGHAI)
    d = timedelta(days=1, hours=2, seconds=5)
    # Always open: open time is elapsed time.
    assert always.add(t, d) == t + d
    assert always.sub(t + d, d) == t
    assert always.between(t, t + d) == d
    assert always.add(t, d).tzinfo is not None


def test_report_is_typed(policy: aftersales.Policy) -> None:
    report = policy.report(HWM_TICKETS, AS_OF)
    assert report["tickets"] == len(HWM_TICKETS.splitlines())
    assert isinstance(report["money"]["charged"], Decimal)


def test_with_overrides_changes_the_target_and_the_digest(policy: aftersales.Policy) -> None:
    variant = policy.with_overrides(
        {"targets.contact.target.critical": "1h", "fees.labor.rate": Decimal("132.00")}
    )
    assert variant.digest != policy.digest
    assert variant.id == policy.id
    contact = variant.evaluate(FIRST, AS_OF).sla[1]
    assert contact.metric == "contact"
    # Opened 08:59:30 on a 24x7 clock, critical target now 1 h: 09:59:30.
    assert contact.deadline == datetime(2026, 3, 2, 9, 59, 30, tzinfo=SHANGHAI)
    with pytest.raises(aftersales.PolicyError) as caught:
        policy.with_overrides({"targets.contcat.target": "1h"})
    assert caught.value.location.path == "targets.contcat.target"
    assert "no entry `contcat`" in str(caught.value)


@pytest.mark.parametrize("pack", [p for p, _ in packs()])
def test_with_overrides_on_every_example_pack(pack: str) -> None:
    policy = aftersales.Policy.from_path(ROOT / "examples" / "policies" / f"{pack}.toml")
    variant = policy.with_overrides({"policy.version": "variant"})
    assert (variant.id, variant.version) == (policy.id, "variant")
    assert variant.digest != policy.digest
    # The variant keeps the rule file: it compiles and evaluates like the original.
    tickets = (ROOT / "examples" / "tickets" / f"{pack}.jsonl").read_text()
    assert len(variant.evaluate_many(tickets, AS_OF, errors="collect")) == len(tickets.splitlines())


# Whole seconds, as core/tests/calendar_laws.rs draws them.
EPOCH = datetime(2020, 1, 1, tzinfo=timezone.utc)
instants = st.integers(0, 10 * 365 * 86_400).map(lambda s: EPOCH + timedelta(seconds=s))
open_time = st.integers(1, 20 * 86_400).map(lambda s: timedelta(seconds=s))


@settings(max_examples=150, deadline=None)
@given(a=instants, b=instants)
def test_between_is_antisymmetric(a: datetime, b: datetime) -> None:
    office = aftersales.Policy.from_path(
        ROOT / "examples" / "policies" / "online_retail.toml"
    ).calendar("office")
    assert office.between(a, b) == -office.between(b, a)


@settings(max_examples=150, deadline=None)
@given(t=instants, d=open_time)
def test_between_counts_back_what_add_added(t: datetime, d: timedelta) -> None:
    office = aftersales.Policy.from_path(
        ROOT / "examples" / "policies" / "online_retail.toml"
    ).calendar("office")
    end = office.add(t, d)
    assert end >= t
    assert office.between(t, end) == d
    # Used up exactly at a closing, `add` gives the next opening.
    assert office.is_open(end) or end == office.next_open(end)


def test_another_thread_runs_while_a_large_batch_is_evaluated(policy: aftersales.Policy) -> None:
    lines = [line for line in HWM_TICKETS.splitlines() if line.strip()]
    batch = "\n".join(lines * (6000 // len(lines) + 1))
    ticks: list[float] = []
    done = threading.Event()

    def count() -> None:
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    counter = threading.Thread(target=count)
    counter.start()
    time.sleep(0.01)
    start = time.perf_counter()
    answers = policy.evaluate_many_json(batch, AS_OF)
    end = time.perf_counter()
    done.set()
    counter.join()
    assert len(answers) == len(lines) * (6000 // len(lines) + 1)
    during = [t for t in ticks if start <= t <= end]
    # Were the GIL held through the evaluation, the counter would stall for
    # the whole call: no tick inside it and one gap as long as the call.
    assert len(during) >= 10, (len(during), end - start)
    gaps = [b - a for a, b in zip([start, *during], [*during, end])]
    assert max(gaps) < (end - start) / 2
