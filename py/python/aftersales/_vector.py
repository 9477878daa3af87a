"""The numpy forms of ``Calendar``: arrays in, arrays out.

``Calendar.add / sub / between / is_open / next_open`` come here when an
argument has a ``dtype`` (a numpy array or scalar, a pandas column). The
values go to the engine as int64 epoch nanoseconds and come back the same
way: the calendar arithmetic is the core's, on all cores, without the GIL.

- A ``datetime64`` value (any unit) is an instant in UTC, as in a
  ``datetime64[ns, UTC]`` column: numpy has no zone to refuse or guess.
  A zone-aware pandas column is converted to UTC first.
- An aware ``datetime`` beside an array is one instant for all (a naive
  one is refused, as everywhere).
- Durations are ``timedelta64`` (any unit), or one ``timedelta`` for all.
- Arguments broadcast as numpy does; answers keep the broadcast shape
  (``datetime64[ns]``, ``timedelta64[ns]``, ``bool``); a 0-d answer is a
  numpy scalar.
- NaT in gives NaT out (``is_open`` of NaT is ``False``).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import numpy as np

from ._aftersales import Calendar, InputError


def _input_error(field: str, message: str) -> InputError:
    error = InputError(message)
    error.message = message
    error.field = field
    return error


def _instants(value: Any, field: str) -> np.ndarray:
    """Epoch nanoseconds (UTC) of a datetime64 array-like, as int64."""
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            raise _input_error(field, "a naive datetime has no time zone and is never guessed")
        value = np.datetime64(value.astimezone(timezone.utc).replace(tzinfo=None), "us")
    dtype = getattr(value, "dtype", None)
    if getattr(dtype, "tz", None) is not None:
        # A zone-aware pandas column or index: the same instants in UTC.
        if hasattr(value, "dt"):
            value = value.dt.tz_convert("UTC").dt.tz_localize(None)
        else:
            value = value.tz_convert("UTC").tz_localize(None)
    array = np.asarray(value)
    if array.dtype.kind != "M":
        raise _input_error(
            field, f"expected numpy datetime64 values (read as UTC), got dtype {array.dtype}"
        )
    return array.astype("datetime64[ns]").view(np.int64)


def _durations(value: Any, field: str) -> np.ndarray:
    """Nanoseconds of a timedelta or a timedelta64 array-like, as int64."""
    if isinstance(value, timedelta):
        value = np.timedelta64(value)
    array = np.asarray(value)
    if array.dtype.kind != "m":
        raise _input_error(
            field, f"expected a timedelta or numpy timedelta64 values, got dtype {array.dtype}"
        )
    return array.astype("timedelta64[ns]").view(np.int64)


def _buffers(*arrays: np.ndarray) -> tuple[tuple[int, ...], list[bytes]]:
    shaped = np.broadcast_arrays(*arrays)
    shape = shaped[0].shape
    return shape, [np.ascontiguousarray(a, dtype=np.int64).tobytes() for a in shaped]


def _answer(raw: bytearray, dtype: str, shape: tuple[int, ...]) -> Any:
    out = np.frombuffer(raw, dtype=dtype).reshape(shape)
    return out[()] if out.ndim == 0 else out


def add(calendar: Calendar, start: Any, d: Any) -> Any:
    """``calendar.add`` elementwise: ``datetime64[ns]`` answers."""
    shape, (s, n) = _buffers(_instants(start, "start"), _durations(d, "duration"))
    return _answer(calendar.add_ns(s, n), "datetime64[ns]", shape)


def sub(calendar: Calendar, end: Any, d: Any) -> Any:
    """``calendar.sub`` elementwise: ``datetime64[ns]`` answers."""
    shape, (e, n) = _buffers(_instants(end, "end"), _durations(d, "duration"))
    return _answer(calendar.sub_ns(e, n), "datetime64[ns]", shape)


def between(calendar: Calendar, a: Any, b: Any) -> Any:
    """``calendar.between`` elementwise: ``timedelta64[ns]`` of open time."""
    shape, (x, y) = _buffers(_instants(a, "a"), _instants(b, "b"))
    return _answer(calendar.between_ns(x, y), "timedelta64[ns]", shape)


def is_open(calendar: Calendar, t: Any) -> Any:
    """``calendar.is_open`` elementwise: ``bool`` answers."""
    shape, (x,) = _buffers(_instants(t, "t"))
    return _answer(calendar.is_open_ns(x), "bool", shape)


def next_open(calendar: Calendar, t: Any) -> Any:
    """``calendar.next_open`` elementwise: ``datetime64[ns]`` answers."""
    shape, (x,) = _buffers(_instants(t, "t"))
    return _answer(calendar.next_open_ns(x), "datetime64[ns]", shape)
