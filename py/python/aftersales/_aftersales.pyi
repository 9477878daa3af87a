"""Type stubs of the native module (checked by ``python -m mypy.stubtest``)."""

from datetime import datetime, timedelta
from os import PathLike
from typing import Any, Iterable, Iterator, Literal, Mapping, Optional, Union, final, overload

import numpy as np
import numpy.typing as npt

__version__: str

__all__ = [
    "AftersalesError",
    "Calendar",
    "CalendarError",
    "Evaluation",
    "InputError",
    "IoError",
    "Location",
    "Policy",
    "PolicyError",
    "RuleError",
    "TicketError",
]

_TicketLike = Union[str, Mapping[str, Any]]
# The language of reasons (`"en"`, `"zh-CN"`) and what `because` carries.
_Lang = Literal["en", "zh-CN"]
_Because = Literal["text", "codes", "none"]
# numpy forms of Calendar: datetime64 values (read as UTC), timedelta64
# values or one timedelta; anything with a dtype (arrays, pandas columns).
_Instants = Union[npt.NDArray[np.datetime64], np.datetime64, Any]
_Durations = Union[npt.NDArray[np.timedelta64], np.timedelta64, timedelta, Any]

@final
class Location:
    """Where in a policy (TOML path or Rhai function) or request a problem is."""

    @property
    def path(self) -> str: ...
    @property
    def line(self) -> Optional[int]: ...
    @property
    def column(self) -> Optional[int]: ...
    def __new__(
        cls, path: str, line: Optional[int] = None, column: Optional[int] = None
    ) -> Location: ...
    def __iter__(self) -> Iterator[Any]: ...

class AftersalesError(Exception):
    """The root of every error the engine raises."""

    kind: Optional[str]
    code: Optional[int]
    message: Optional[str]
    location: Optional[Location]
    policy: Optional[str]
    ticket: Optional[str]
    field: Optional[str]
    position: Optional[int]

class PolicyError(AftersalesError):
    """The policy manifest or its rules do not compile (code 1)."""

class TicketError(AftersalesError):
    """A ticket is invalid (code 2)."""

class RuleError(AftersalesError):
    """A Rhai rule failed while evaluating a ticket (code 3)."""

class CalendarError(AftersalesError):
    """A calendar is invalid, or an operation has no answer (code 4)."""

class IoError(AftersalesError):
    """A file could not be read (code 5)."""

class InputError(AftersalesError):
    """A request is malformed: not JSON, a naive datetime, a bad option (code 6)."""

@final
class Evaluation:
    """One ticket's evaluation, held as the engine's typed answer: ``to_json``
    writes the façade's JSON, ``to_dict`` and attribute access give typed
    values (text ``str``, money ``Decimal``, instants aware ``datetime``,
    dates ``date``, durations ``timedelta``)."""

    def to_json(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    def __getattr__(self, name: str) -> Any: ...
    def __eq__(self, value: object, /) -> bool: ...
    def _repr_html_(self) -> str: ...

@final
class Calendar:
    """A business calendar of a policy; instants are aware datetimes, or numpy
    ``datetime64`` arrays read as UTC (``add``, ``sub``, ``between``,
    ``is_open``, ``next_open``)."""

    @property
    def name(self) -> str: ...
    @property
    def zone(self) -> str: ...
    @overload
    def add(self, start: datetime, d: timedelta) -> datetime: ...
    @overload
    def add(self, start: _Instants, d: _Durations) -> npt.NDArray[np.datetime64]: ...
    @overload
    def sub(self, end: datetime, d: timedelta) -> datetime: ...
    @overload
    def sub(self, end: _Instants, d: _Durations) -> npt.NDArray[np.datetime64]: ...
    @overload
    def between(self, a: datetime, b: datetime) -> timedelta: ...
    @overload
    def between(self, a: _Instants, b: _Instants) -> npt.NDArray[np.timedelta64]: ...
    @overload
    def is_open(self, t: datetime) -> bool: ...
    @overload
    def is_open(self, t: _Instants) -> npt.NDArray[np.bool_]: ...
    def is_holiday(self, t: datetime) -> bool: ...
    @overload
    def next_open(self, t: datetime) -> datetime: ...
    @overload
    def next_open(self, t: _Instants) -> npt.NDArray[np.datetime64]: ...
    def prev_close(self, t: datetime) -> datetime: ...
    def next_close(self, t: datetime) -> datetime: ...
    def add_business_days(self, t: datetime, n: int) -> datetime: ...
    def sub_business_days(self, t: datetime, n: int) -> datetime: ...
    def add_many_ns(self, starts: Iterable[int], durations: Iterable[int]) -> list[int]: ...
    def between_many_ns(self, a: Iterable[int], b: Iterable[int]) -> list[int]: ...
    def add_ns(self, starts: bytes, durations: bytes) -> bytearray: ...
    def sub_ns(self, ends: bytes, durations: bytes) -> bytearray: ...
    def between_ns(self, a: bytes, b: bytes) -> bytearray: ...
    def is_open_ns(self, t: bytes) -> bytearray: ...
    def next_open_ns(self, t: bytes) -> bytearray: ...

@final
class Policy:
    """A compiled policy; evaluations answer as the command line does."""

    @staticmethod
    def from_path(path: Union[str, PathLike[str]]) -> Policy: ...
    @staticmethod
    def from_str(toml: str, rules: Optional[Mapping[str, str]] = None) -> Policy: ...
    @property
    def id(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def digest(self) -> str: ...
    @property
    def currency(self) -> str: ...
    @property
    def metrics(self) -> list[str]: ...
    def check(self) -> list[dict[str, Any]]: ...
    def evaluate(
        self,
        ticket: _TicketLike,
        as_of: Optional[datetime] = None,
        *,
        lang: _Lang = "en",
        because: _Because = "text",
    ) -> Evaluation: ...
    def evaluate_many(
        self,
        tickets: Union[str, Iterable[_TicketLike]],
        as_of: Optional[datetime] = None,
        *,
        errors: Literal["raise", "collect"] = "raise",
        lang: _Lang = "en",
        because: _Because = "text",
    ) -> list[Union[Evaluation, AftersalesError]]: ...
    def evaluate_many_json(
        self,
        tickets: Union[str, Iterable[_TicketLike]],
        as_of: Optional[datetime] = None,
        *,
        lang: _Lang = "en",
        because: _Because = "text",
    ) -> list[str]: ...
    def _columns(
        self,
        tickets: Union[str, Iterable[_TicketLike]],
        as_of: Optional[datetime] = None,
        *,
        drop_nulls: bool = False,
    ) -> list[tuple[str, str, Any, Optional[bytes], int, int]]: ...
    def report(
        self, tickets: Union[str, Iterable[_TicketLike]], as_of: Optional[datetime] = None
    ) -> dict[str, Any]: ...
    def report_json(
        self, tickets: Union[str, Iterable[_TicketLike]], as_of: Optional[datetime] = None
    ) -> str: ...
    def source(self) -> tuple[str, dict[str, str]]: ...
    def evaluate_partition(
        self,
        tickets: Union[str, Iterable[_TicketLike]],
        as_of: Optional[datetime] = None,
        positions: Optional[list[Optional[int]]] = None,
        *,
        lang: _Lang = "en",
        because: _Because = "text",
    ) -> tuple[list[tuple[Optional[str], Optional[int], str]], str]: ...
    @staticmethod
    def partition_key(ticket: str) -> Optional[str]: ...
    def report_partials_json(self, partials: list[str]) -> str: ...
    def report_partials(self, partials: list[str]) -> dict[str, Any]: ...
    def with_overrides(self, overrides: Mapping[str, Any]) -> Policy: ...
    def calendar(self, name: str) -> Calendar: ...
