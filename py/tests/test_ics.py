"""A policy loaded from texts whose calendar takes its holidays from an
iCalendar text given beside the rules (by the name ``holidays_ics`` gives),
and the warning for a Chinese feed read without its working-day marker.

Hand-worked deadline: calendar ``office``, Asia/Shanghai, weekdays
09:00-12:00 and 13:00-18:00; the ICS text closes Monday 2026-03-02. Opened
Friday 2026-02-27 16:00, target 4 h: Friday 16:00-18:00 is 2 h; Saturday
and Sunday are closed, Monday is the ICS holiday; Tuesday 09:00-11:00 is
the other 2 h: deadline Tuesday 2026-03-03 11:00+08:00 (without the
holiday, Monday 11:00). At Friday 17:00 the clock runs with 1 h elapsed,
no warning: the next change is the deadline.
"""

from datetime import datetime, timedelta, timezone

import aftersales

CST = timezone(timedelta(hours=8))

TOML = """
[policy]
id = "ics-py"
version = "1"
timezone = "Asia/Shanghai"

[calendars.office]
weekdays = ["09:00-12:00", "13:00-18:00"]
holidays_ics = "closures.ics"

[[targets]]
metric = "respond"
stop = "responded"
calendar = "office"
target = "4h"
"""

ICS = (
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    "PRODID:-//aftersales tests//closures//EN\r\n"
    "BEGIN:VEVENT\r\n"
    "DTSTART;VALUE=DATE:20260302\r\n"
    "SUMMARY:Stocktaking\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)

TICKET = {"id": "ICS-1", "opened_at": "2026-02-27T16:00:00+08:00"}


def test_a_deadline_crosses_the_ics_holiday() -> None:
    policy = aftersales.Policy.from_str(TOML, {"closures.ics": ICS})
    answer = policy.evaluate(TICKET, as_of=datetime(2026, 2, 27, 17, 0, tzinfo=CST))
    respond = answer.sla[0]
    assert respond.status == "running"
    assert respond.deadline == datetime(2026, 3, 3, 11, 0, tzinfo=CST)
    assert respond.elapsed == timedelta(hours=1)
    assert respond.next_change_at == datetime(2026, 3, 3, 11, 0, tzinfo=CST)
    assert answer.next_change_at == datetime(2026, 3, 3, 11, 0, tzinfo=CST)
    assert policy.calendar("office").is_holiday(datetime(2026, 3, 2, 10, 0, tzinfo=CST))


def test_a_chinese_feed_without_its_marker_is_warned_about() -> None:
    workday = ICS.replace("20260302", "20260214").replace("Stocktaking", "春节补班")
    policy = aftersales.Policy.from_str(TOML, {"closures.ics": workday})
    warnings = [
        d for d in policy.check() if d["location"]["path"] == "calendars.office.holidays_ics"
    ]
    assert len(warnings) == 1
    # The summary is on line 6 of the text.
    assert warnings[0]["message"].startswith("`closures.ics`, line 6: the event `春节补班`")
