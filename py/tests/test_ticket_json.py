"""Tickets given as dicts reach the engine as the JSON text they stand for."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

import aftersales
from aftersales._record import Record

# The severity rule quotes what rules read of the ticket, as JSON.
POLICY = """[policy]
id = "echo"
version = "1"
timezone = "Asia/Shanghai"
script = '''
fn severity(ticket) {
    #{ level: "normal", because: ticket.opened_at + " " + ticket.product.to_json()
        + " " + ticket.attributes.to_json() }
}
'''

[severity]
levels = ["normal"]
default = "normal"
rule = "severity"
"""

AS_OF = datetime(2026, 3, 3, 12, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def policy() -> aftersales.Policy:
    return aftersales.Policy.from_str(POLICY)


def seen(policy: aftersales.Policy, ticket: object) -> str:
    return policy.evaluate(ticket, AS_OF).severity.because[0]


def test_python_values_are_written_as_their_json_text(policy: aftersales.Policy) -> None:
    ticket = {
        "id": "T-1",
        # isoformat() of an aware datetime: the offset it carries.
        "opened_at": datetime(2026, 3, 2, 8, 59, 30, tzinfo=ZoneInfo("Asia/Shanghai")),
        "product": Record({"category": "household", "purchased_on": date(2028, 2, 29)}),
        "attributes": {
            "price": Decimal("12.50"),
            "wait": timedelta(minutes=90),
            "tags": ("a", "b"),
            "ratio": 0.25,
            "count": 3,
            "flag": True,
            "none": None,
            "name": "热水表 \"DN50\"",
            7: "seven",
        },
    }
    # Decimal as text, timedelta as PT<seconds>S (5400 s), tuple as a list,
    # the int key as "7"; Rhai's to_json lists keys in order.
    assert seen(policy, ticket) == (
        "rule severity(): 2026-03-02T08:59:30+08:00 "
        '{"category":"household","purchased_on":"2028-02-29"} '
        '{"7":"seven","count":3,"flag":true,"name":"热水表 \\"DN50\\"","none":null,'
        '"price":"12.50","ratio":0.25,"tags":["a","b"],"wait":"PT5400S"}'
    )


def test_a_dict_and_its_json_text_give_the_same_answer(policy: aftersales.Policy) -> None:
    ticket = {
        "id": "T-2",
        "opened_at": "2026-03-02T08:59:30+08:00",
        "product": {"category": "industrial"},
        "attributes": {"big": 2**70, "small": -1.5e-7},
    }
    as_dict = policy.evaluate_many_json([ticket], AS_OF)
    as_text = policy.evaluate_many_json([json.dumps(ticket)], AS_OF)
    assert as_dict == as_text


def test_a_naive_datetime_is_refused(policy: aftersales.Policy) -> None:
    ticket = {"id": "T-3", "opened_at": datetime(2026, 3, 2, 9)}
    with pytest.raises(aftersales.InputError, match="naive datetime") as caught:
        policy.evaluate(ticket, AS_OF)
    assert caught.value.field == "opened_at"
    nested = {"id": "T-3", "events": [{"kind": "contacted", "at": datetime(2026, 3, 2, 9)}]}
    with pytest.raises(aftersales.InputError, match="naive datetime") as caught:
        policy.evaluate(nested, AS_OF)
    assert caught.value.field == "events[0].at"
    with pytest.raises(aftersales.InputError, match="naive datetime"):
        policy.evaluate_many([ticket], AS_OF)


def test_values_json_cannot_hold_are_type_errors(policy: aftersales.Policy) -> None:
    with pytest.raises(TypeError, match=r"^`attributes\.s`: set is not JSON serialisable$"):
        policy.evaluate({"id": "T-4", "attributes": {"s": {1}}}, AS_OF)
    with pytest.raises(TypeError, match=r"^`attributes\.tags\[1\]`: set is not"):
        policy.evaluate({"id": "T-4", "attributes": {"tags": ["a", {2}]}}, AS_OF)
    with pytest.raises(TypeError, match="keys must be str"):
        policy.evaluate({"id": "T-4", "attributes": {(1, 2): "pair"}}, AS_OF)


def test_a_ticket_that_is_not_a_mapping_is_an_input_error(policy: aftersales.Policy) -> None:
    with pytest.raises(aftersales.InputError, match="not list"):
        policy.evaluate([1, 2], AS_OF)


def test_a_circular_ticket_is_refused_not_a_crash(policy: aftersales.Policy) -> None:
    ticket: dict[str, object] = {"id": "T-5"}
    ticket["attributes"] = {"self": ticket}
    with pytest.raises(ValueError, match="circular"):
        policy.evaluate(ticket, AS_OF)
