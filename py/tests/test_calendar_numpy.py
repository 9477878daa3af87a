"""The numpy forms of Calendar: datetime64 / timedelta64 arrays in and out.

One office calendar, worked by hand: Asia/Shanghai (UTC+8, no DST),
Monday to Friday 09:00-17:00 local, i.e. 01:00-09:00 UTC; Wednesday
2026-03-04 is a holiday. 2026-03-02 is a Monday. numpy values are UTC.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest

import aftersales

TOML = """
[policy]
id = "office"
version = "1"
timezone = "Asia/Shanghai"

[severity]
levels = ["normal"]
default = "normal"

[calendars.office]
timezone = "Asia/Shanghai"
mon = ["09:00-17:00"]
tue = ["09:00-17:00"]
wed = ["09:00-17:00"]
thu = ["09:00-17:00"]
fri = ["09:00-17:00"]
sat = []
sun = []
holidays = ["2026-03-04"]
"""

NAT = np.datetime64("NaT", "ns")


@pytest.fixture(scope="module")
def office() -> aftersales.Calendar:
    return aftersales.Policy.from_str(TOML).calendar("office")


def utc(*texts: str) -> np.ndarray:
    return np.array(texts, dtype="datetime64[ns]")


def test_add_array_of_durations(office: aftersales.Calendar) -> None:
    starts = utc("2026-03-02T00:00", "2026-03-03T08:00", "2026-03-06T07:00", "NaT")
    durations = np.array([2, 3, 8, 1], dtype="timedelta64[h]")
    got = office.add(starts, durations)
    # 1. Mon 08:00 local, closed: opens 09:00 local (01:00Z), + 2h = 03:00Z.
    # 2. Tue 16:00 local: 1h to 17:00; Wed holiday; Thu 09:00 + 2h = 11:00
    #    local = Thu 03:00Z.
    # 3. Fri 15:00 local: 2h to 17:00; weekend; Mon 09:00 + 6h = 15:00 local
    #    = Mon 2026-03-09 07:00Z.
    # 4. NaT stays NaT.
    expected = utc("2026-03-02T03:00", "2026-03-05T03:00", "2026-03-09T07:00", "NaT")
    assert got.dtype == np.dtype("datetime64[ns]")
    np.testing.assert_array_equal(got, expected)


def test_add_one_timedelta_broadcasts(office: aftersales.Calendar) -> None:
    starts = utc("2026-03-02T08:30", "2026-03-03T20:00")
    got = office.add(starts, timedelta(hours=1))
    # Mon 16:30 local: 30 min to 17:00, Tue 09:00 + 30 min = Tue 01:30Z.
    # Tue 20:00Z is Wed 04:00 local, the holiday: Thu 09:00 + 1h = 10:00
    # local = Thu 02:00Z.
    np.testing.assert_array_equal(got, utc("2026-03-03T01:30", "2026-03-05T02:00"))


def test_time_used_up_at_a_close_gives_the_next_opening(office: aftersales.Calendar) -> None:
    # docs/calendar.md: `add` ending exactly at a close answers the next
    # opening. Mon 16:00 local (08:00Z) + 1h ends at the 17:00 close: Tue
    # 09:00 local = Tue 01:00Z. Fri 16:30 local + 30 min: Mon 09:00 local.
    got = office.add(
        utc("2026-03-02T08:00", "2026-03-06T08:30"), np.array([60, 30], dtype="timedelta64[m]")
    )
    np.testing.assert_array_equal(got, utc("2026-03-03T01:00", "2026-03-09T01:00"))


def test_sub_array(office: aftersales.Calendar) -> None:
    ends = utc("2026-03-05T02:00")
    # Thu 10:00 local back 2h: 1h to Thu 09:00, Wed holiday, Tue 17:00 - 1h
    # = Tue 16:00 local = Tue 08:00Z.
    got = office.sub(ends, np.array([2], dtype="timedelta64[h]"))
    np.testing.assert_array_equal(got, utc("2026-03-03T08:00"))


def test_between_arrays(office: aftersales.Calendar) -> None:
    a = utc("2026-03-02T00:00", "2026-03-03T05:00", "2026-03-05T02:00", "NaT")
    b = utc("2026-03-02T10:00", "2026-03-05T02:00", "2026-03-03T05:00", "2026-03-05T02:00")
    got = office.between(a, b)
    # Mon 08:00-18:00 local: 09:00-17:00 open = 8h.
    # Tue 13:00 local to Thu 10:00 local: Tue 4h + Wed holiday 0 + Thu 1h = 5h.
    # The same pair reversed: -5h. NaT in: NaT out.
    expected = np.array([8 * 3600, 5 * 3600, -5 * 3600, "NaT"], dtype="timedelta64[s]")
    assert got.dtype == np.dtype("timedelta64[ns]")
    np.testing.assert_array_equal(got, expected.astype("timedelta64[ns]"))


def test_is_open_array(office: aftersales.Calendar) -> None:
    t = utc(
        "2026-03-02T01:00",  # Mon 09:00 local: open
        "2026-03-02T08:59:59",  # Mon 16:59:59 local: open
        "2026-03-04T03:00",  # Wed 11:00 local, the holiday: closed
        "2026-03-07T03:00",  # Sat 11:00 local: closed
        "2026-03-02T00:59",  # Mon 08:59 local: closed
        "NaT",
    )
    got = office.is_open(t)
    assert got.dtype == np.dtype(bool)
    assert got.tolist() == [True, True, False, False, False, False]


def test_next_open_array(office: aftersales.Calendar) -> None:
    t = utc("2026-03-03T10:00", "2026-03-02T03:00", "2026-03-06T12:00")
    got = office.next_open(t)
    # Tue 18:00 local: Wed holiday, Thu 09:00 local = Thu 01:00Z.
    # Mon 11:00 local is open: itself. Fri 20:00 local: Mon 09:00 = 01:00Z.
    expected = utc("2026-03-05T01:00", "2026-03-02T03:00", "2026-03-09T01:00")
    np.testing.assert_array_equal(got, expected)


def test_shapes_units_and_scalars(office: aftersales.Calendar) -> None:
    # Seconds in, nanoseconds out; a 2x1 shape is kept.
    starts = np.array([["2026-03-02T00:00:00"], ["2026-03-06T07:00:00"]], dtype="datetime64[s]")
    got = office.add(starts, np.timedelta64(1, "h"))
    # Mon 08:00 local -> 09:00 + 1h = 02:00Z; Fri 15:00 local + 1h = 16:00
    # local = 08:00Z.
    assert got.shape == (2, 1)
    np.testing.assert_array_equal(got, utc("2026-03-02T02:00", "2026-03-06T08:00").reshape(2, 1))
    # A numpy scalar gives a numpy scalar.
    one = office.next_open(np.datetime64("2026-03-03T10:00"))
    assert one == np.datetime64("2026-03-05T01:00", "ns")
    # An aware datetime beside an array is one instant for all: Tue 15:30
    # local + 1h = 16:30 local = 08:30Z; + 2h = 1.5h on Tue, Wed holiday,
    # Thu 09:30 local = 01:30Z.
    start = datetime(2026, 3, 3, 15, 30, tzinfo=timezone(timedelta(hours=8)))
    got = office.add(start, np.array([1, 2], dtype="timedelta64[h]"))
    np.testing.assert_array_equal(got, utc("2026-03-03T08:30", "2026-03-05T01:30"))


def test_zone_aware_pandas_column_is_converted_to_utc(office: aftersales.Calendar) -> None:
    # 08:00 local in Shanghai is 00:00Z; opens at 01:00Z, + 2h = 03:00Z.
    column = pd.Series(pd.to_datetime(["2026-03-02 08:00"]).tz_localize("Asia/Shanghai"))
    np.testing.assert_array_equal(office.add(column, timedelta(hours=2)), utc("2026-03-02T03:00"))


def test_the_same_answers_as_the_scalar_forms(office: aftersales.Calendar) -> None:
    starts = np.arange(
        np.datetime64("2026-03-01T00:00"),
        np.datetime64("2026-03-10T00:00"),
        np.timedelta64(47, "m"),
    ).astype("datetime64[ns]")
    d = timedelta(hours=5, minutes=13)
    added = office.add(starts, d)
    epoch = datetime(1970, 1, 1, tzinfo=timezone.utc)
    for s, a in zip(starts.tolist(), added.tolist()):
        start = epoch + timedelta(microseconds=s // 1000)
        assert office.add(start, d) == epoch + timedelta(microseconds=a // 1000)


def test_wrong_dtypes_are_input_errors(office: aftersales.Calendar) -> None:
    with pytest.raises(aftersales.InputError) as info:
        office.add(np.array([1, 2]), timedelta(hours=1))
    assert info.value.field == "start"
    assert info.value.code == 6
    with pytest.raises(aftersales.InputError) as info:
        office.add(utc("2026-03-02T00:00"), np.array([1.5]))
    assert info.value.field == "duration"
    with pytest.raises(ValueError):  # numpy's broadcasting error
        office.between(
            utc("2026-03-02", "2026-03-03"), utc("2026-03-02", "2026-03-03", "2026-03-04")
        )


def test_out_of_range_answer_is_an_input_error(office: aftersales.Calendar) -> None:
    # 2261-12-31 plus a year of open time ends past datetime64[ns]'s 2262.
    with pytest.raises(aftersales.AftersalesError) as info:
        office.add(utc("2026-03-02T00:00", "2261-12-31T00:00"), np.timedelta64(3000, "h"))
    assert "index 1" in str(info.value)


def test_the_gil_is_released(office: aftersales.Calendar) -> None:
    starts = np.repeat(utc("2026-03-02T00:00"), 400_000)
    ticks = 0
    done = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1

    thread = threading.Thread(target=count)
    thread.start()
    try:
        office.add(starts, np.timedelta64(100, "h"))
    finally:
        done.set()
        thread.join()
    assert ticks > 0
