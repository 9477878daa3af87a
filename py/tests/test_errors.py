"""Each exception with its code, location, ticket and field."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

import aftersales
from aftersales import Location

AS_OF = datetime(2026, 3, 2, tzinfo=timezone.utc)
# Lines 1-8; a section appended after it starts on line 10 (line 9 blank).
BASE = """[policy]
id = "p"
version = "1"
timezone = "Asia/Shanghai"

[severity]
levels = ["normal"]
default = "normal"
"""


def test_the_tree_is_rooted_at_aftersales_error_and_carries_codes() -> None:
    kinds = {
        aftersales.PolicyError: (1, "policy"),
        aftersales.TicketError: (2, "ticket"),
        aftersales.RuleError: (3, "rule"),
        aftersales.CalendarError: (4, "calendar"),
        aftersales.IoError: (5, "io"),
        aftersales.InputError: (6, "input"),
        aftersales.RuleTimeoutError: (7, "timeout"),
    }
    for cls, (code, kind) in kinds.items():
        assert issubclass(cls, aftersales.AftersalesError)
        assert not issubclass(cls, RuntimeError)
        assert (cls.code, cls.kind) == (code, kind)


def test_policy_error_names_the_toml_path_line_and_column() -> None:
    toml = BASE + '\n[[targets]]\nmetric = "contact"\nstop = "contacted"\ntarget = "banana"\n'
    with pytest.raises(aftersales.PolicyError) as caught:
        aftersales.Policy.from_str(toml)
    e = caught.value
    # `target = "banana"` is line 13 (8 + blank + [[targets]], metric, stop,
    # target); the value's opening quote is column 10 (`target = ` is 9 wide).
    assert e.code == 1
    assert e.location == Location("targets[0].target", 13, 10)
    assert tuple(e.location) == ("targets[0].target", 13, 10)
    assert e.policy == "p"
    assert (e.ticket, e.field) == (None, None)
    assert "unknown unit `banana`" in str(e)


def test_rule_error_names_the_script_line_and_the_ticket() -> None:
    toml = BASE.replace(
        'timezone = "Asia/Shanghai"\n',
        'timezone = "Asia/Shanghai"\n'
        "script = '''\nfn severity(ticket) {\n    throw \"boom\";\n}\n'''\n",
    ).replace('default = "normal"\n', 'default = "normal"\nrule = "severity"\n')
    policy = aftersales.Policy.from_str(toml)
    with pytest.raises(aftersales.RuleError) as caught:
        policy.evaluate({"id": "T-1", "opened_at": "2026-03-02T09:00:00+08:00"}, AS_OF)
    e = caught.value
    # `throw` is on the script's line 2, column 5 (after four spaces).
    assert (e.code, e.ticket, e.policy) == (3, "T-1", "p")
    assert e.location == Location("policy.script", 2, 5)
    assert "boom" in str(e)


def test_calendar_error_names_the_calendar_field() -> None:
    with pytest.raises(aftersales.CalendarError) as caught:
        aftersales.Policy.from_str(BASE + "\n[calendars.never]\nweekdays = []\n")
    assert caught.value.code == 4
    assert caught.value.location == Location("calendars.never.hours")


def test_ticket_error_names_the_ticket_and_field() -> None:
    policy = aftersales.Policy.from_str(BASE)
    with pytest.raises(aftersales.TicketError) as caught:
        policy.evaluate('{"id": "T-2"}', AS_OF)
    e = caught.value
    assert (e.code, e.ticket, e.field, e.policy, e.location) == (2, "T-2", "opened_at", "p", None)


def test_input_error_for_text_that_is_not_json() -> None:
    policy = aftersales.Policy.from_str(BASE)
    with pytest.raises(aftersales.InputError) as caught:
        policy.evaluate("not json", AS_OF)
    # `n` at column 1 starts a literal; the parser fails at column 2.
    assert caught.value.code == 6
    assert caught.value.location == Location("", 1, 2)


def test_naive_datetimes_are_refused_never_guessed() -> None:
    policy = aftersales.Policy.from_str(BASE)
    with pytest.raises(aftersales.InputError, match="naive datetime") as caught:
        policy.evaluate('{"id": "T-2"}', datetime(2026, 3, 2))
    assert caught.value.field == "as_of"
    with pytest.raises(aftersales.InputError, match="naive datetime"):
        policy.evaluate({"id": "T-3", "opened_at": datetime(2026, 3, 2)}, AS_OF)
    calendar = policy.calendar("24x7")
    with pytest.raises(aftersales.InputError, match="naive datetime"):
        calendar.is_open(datetime(2026, 3, 2))


def test_io_error_names_the_path() -> None:
    with pytest.raises(aftersales.IoError) as caught:
        aftersales.Policy.from_path("/nonexistent/p.toml")
    assert caught.value.code == 5
    assert caught.value.location == Location("/nonexistent/p.toml")


def test_unknown_calendar_is_a_calendar_error_as_in_c() -> None:
    policy = aftersales.Policy.from_str(BASE)
    with pytest.raises(aftersales.CalendarError, match="no calendar `office`") as caught:
        policy.calendar("office")
    assert (caught.value.code, caught.value.policy) == (4, "p")


def test_collect_puts_the_error_in_place_and_raise_gives_its_position() -> None:
    policy = aftersales.Policy.from_str(BASE)
    good = {"id": "T-1", "opened_at": "2026-03-02T09:00:00+08:00"}
    answers = policy.evaluate_many([good, '{"id": "T-2"}', good], AS_OF, errors="collect")
    assert isinstance(answers[0], aftersales.Evaluation)
    assert isinstance(answers[1], aftersales.TicketError)
    # Positions are the façade's: 1-based, so the second ticket is 2.
    assert (answers[1].position, answers[1].ticket) == (2, "T-2")
    assert answers[2] == answers[0]
    with pytest.raises(aftersales.TicketError) as caught:
        policy.evaluate_many([good, '{"id": "T-2"}'], AS_OF)
    assert caught.value.position == 2
    with pytest.raises(aftersales.InputError, match="`ignore` is not"):
        policy.evaluate_many([good], AS_OF, errors="ignore")


def test_the_line_limit_comes_from_the_environment_alone_and_in_a_batch(monkeypatch) -> None:
    # AFTERSALES_MAX_LINE_BYTES, as the command line reads it: 60 bytes
    # holds the 52-byte ticket, not the 100-byte one (its id padded).
    policy = aftersales.Policy.from_str(BASE)
    small = '{"id":"A-1","opened_at":"2026-03-02T09:00:00+08:00"}'
    big = small.replace("A-1", "B-" + "x" * 49)
    assert (len(small), len(big)) == (52, 100)
    monkeypatch.setenv("AFTERSALES_MAX_LINE_BYTES", "60")
    answers = policy.evaluate_many([small, big], AS_OF, errors="collect")
    assert isinstance(answers[0], aftersales.Evaluation)
    assert isinstance(answers[1], aftersales.InputError)
    assert "is longer than the limit of 60 bytes (max_line_bytes)" in str(answers[1])
    with pytest.raises(aftersales.InputError, match="the ticket is 100 bytes, longer than"):
        policy.evaluate(big, AS_OF)
    monkeypatch.setenv("AFTERSALES_MAX_LINE_BYTES", "abc")
    with pytest.raises(aftersales.InputError, match="AFTERSALES_MAX_LINE_BYTES `abc` is not"):
        policy.evaluate(small, AS_OF)
    with pytest.raises(aftersales.InputError, match="AFTERSALES_MAX_LINE_BYTES `abc` is not"):
        policy.evaluate_many([small], AS_OF)
