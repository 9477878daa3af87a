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
    "RuleTimeoutError",
    "TicketError",
]

_TicketLike = Union[str, Mapping[str, Any]]
# The language of reasons (`"en"`, `"zh-CN"`) and what `because` carries.
_Lang = Literal["en", "zh-CN"]
_Because = Literal["text", "codes", "none"]
# BEGIN reason codes: generated from core/src/reason/codes.rs by
# core/tests/reasons.rs (UPDATE_REASONS=1); docs/reasons.md gives each
# code's arguments and templates.
# The `code` of a reason with `because="codes"`: a code of the engine,
# or "text" for the policy's own words.
ReasonCode = Literal[
    "text",
    "severity.given",
    "severity.rule",
    "severity.rule_level",
    "severity.default",
    "severity.changed",
    "severity.unchanged",
    "fees.rate_card",
    "fees.no_rate_card",
    "fees.no_work",
    "fees.diagnostic",
    "fees.diagnostic_waived",
    "fees.visits_not_billed",
    "field.visit_zone",
    "fees.zone",
    "fees.zone_default",
    "fees.no_zone",
    "fees.no_distance",
    "fees.travel",
    "fees.travel_included",
    "fees.labor_not_billed",
    "fees.labor",
    "fees.labor.minimum",
    "fees.labor.above_minimum",
    "fees.labor.as_worked",
    "fees.labor.steps",
    "fees.labor.steps_only",
    "fees.parts_not_billed",
    "fees.part",
    "fees.part_percent",
    "fees.part_fixed",
    "fees.part_percent_fixed",
    "fees.covered_component_as",
    "fees.covered_component",
    "fees.covered_unit",
    "fees.not_covered_component",
    "fees.not_covered_no_component",
    "fees.not_covered_status",
    "fees.plan",
    "fees.tier",
    "fees.plan_path",
    "fees.tier_path",
    "fees.discount_waives",
    "fees.discount_percent",
    "fees.discount_passed_over",
    "fees.no_time",
    "fees.multiplier",
    "fees.multiplier_also",
    "fees.holiday",
    "fees.holiday_named",
    "fees.after_hours_set",
    "fees.closed",
    "fees.tax_exclusive",
    "fees.tax_inclusive",
    "credits.percent_of_fee_per_started",
    "credits.capped_percent_per_ticket",
    "credits.cap_percent",
    "credits.cap_lower",
    "credits.reduced_ticket_cap",
    "credits.reduced_incident_cap",
    "credits.reduced_lone_incident",
    "credits.paid_before",
    "warranty.component_note",
    "warranty.part_own_period",
    "warranty.part_own_repair",
    "warranty.repair_opened_resolved",
    "warranty.repair_opened_today",
    "warranty.part_until",
    "warranty.part_rest",
    "warranty.part_no_rest",
    "warranty.part_no_component",
    "warranty.part_covered",
    "warranty.part_not_covered",
    "warranty.sanbao_any_fault",
    "sla.target",
    "sla.target_for",
    "sla.target_fallback",
    "sla.no_target",
    "sla.table_no_target",
    "sla.target_for2",
    "sla.not_applicable2",
    "sla.table2_no_target",
    "sla.rule_target",
    "sla.rule_no_target",
    "severity.table",
    "severity.table_when",
    "sla.does_not_apply",
    "sla.opens_after_as_of",
    "sla.waiting",
    "sla.starts_booked",
    "sla.starts",
    "sla.calendar",
    "sla.cycles",
    "sla.paused",
    "sla.paused_since",
    "sla.changed",
    "sla.change_no_target",
    "sla.change_from_start",
    "sla.change_from_change",
    "sla.breached_at_change",
    "sla.breach_kept",
    "sla.breach_kept_due",
    "sla.breach_recomputed",
    "rule.changed_status",
    "rule.changed_decision",
    "rule.added_line",
    "rule.changed_line",
    "rule.removed_line",
    "settlement.chose_return",
    "settlement.return_owed",
    "settlement.quality",
    "settlement.change_of_mind",
    "settlement.no_price",
    "settlement.price_paid",
    "settlement.sanbao_full",
    "settlement.benefit_kept",
    "settlement.free_shipping_below",
    "settlement.free_shipping_return",
    "settlement.freight_settled",
    "settlement.freight",
    "settlement.free_shipping_whole",
    "settlement.freight_fraud_settled",
    "settlement.freight_fraud",
    "settlement.fraud",
    "settlement.fraud_minimum",
    "settlement.capped",
    "settlement.depreciation",
    "settlement.less_repair",
    "settlement.first_free",
    "settlement.capped_at",
    "settlement.per_day",
    "settlement.per_month",
    "settlement.schedule_step",
    "settlement.before_schedule",
    "settlement.percent_of",
    "settlement.sanbao_depreciation",
    "settlement.category_rate",
    "settlement.daily_rate",
    "settlement.tax_exclusive",
    "settlement.tax_inclusive",
    "settlement.order_tax_exclusive",
    "settlement.order_tax_inclusive",
    "warranty.no_section",
    "warranty.no_product",
    "warranty.category",
    "warranty.outranks",
    "warranty.contractual_remedy",
    "warranty.contractual_status",
    "warranty.window_open",
    "warranty.status",
    "warranty.status_remedy",
    "warranty.claim_by",
    "warranty.no_fault_request",
    "warranty.until",
    "warranty.not_covered",
    "warranty.covered_before_start",
    "warranty.covered",
    "warranty.expired",
    "warranty.unlisted",
    "warranty.whole",
    "warranty.no_components",
    "warranty.excluded",
    "warranty.exclusion",
    "warranty.exclusion_cause",
    "warranty.exclusion_no_proof",
    "warranty.judged_default",
    "warranty.included",
    "warranty.no_entry_default",
    "warranty.starts",
    "warranty.starts_fallback",
    "warranty.plus",
    "warranty.no_start",
    "warranty.starts_capped",
    "warranty.date_plus",
    "warranty.restart",
    "warranty.restart_rule",
    "warranty.replacement_minimum",
    "warranty.replacement_remainder",
    "warranty.no_period",
    "warranty.period",
    "warranty.ends_earlier",
    "warranty.no_end_date",
    "warranty.extended",
    "warranty.repair_days",
    "warranty.repair_hours",
    "warranty.repair_hours_minutes",
    "warranty.repair_dates",
    "warranty.replacement_floor",
    "warranty.remainder_longer",
    "warranty.moved_rest_day",
    "warranty.7day.no_channel",
    "warranty.7day.not_distance",
    "warranty.7day.no_sign_date",
    "warranty.7day.excluded_category",
    "warranty.7day.no_return_confirmed",
    "warranty.7day.too_late",
    "warranty.7day.opened",
    "warranty.7day.not_intact",
    "warranty.7day.open",
    "warranty.7day.day_of",
    "warranty.7day.sign_day",
    "warranty.7day.taken_intact",
    "warranty.7day.refund_due",
    "warranty.7day.window_168h",
    "warranty.7day.window_days",
    "warranty.7day.168h_fallback",
    "warranty.sanbao.not_listed",
    "warranty.sanbao.no_proof",
    "warranty.sanbao.excluded",
    "warranty.sanbao.no_sale",
    "warranty.sanbao.sale_day",
    "warranty.sanbao.day_after_sale",
    "warranty.sanbao.art9",
    "warranty.sanbao.art10",
    "warranty.sanbao.not_performance",
    "warranty.sanbao.free_repair",
    "warranty.sanbao.period_ended",
    "warranty.sanbao.no_period",
    "warranty.sanbao.repeated",
    "warranty.sanbao.fault_code",
    "warranty.sanbao.fault_on",
    "warranty.sanbao.repair_on",
    "warranty.sanbao.long_wait",
    "warranty.sanbao.category_field",
    "credits.breach",
    "credits.breached_at",
    "credits.fixed",
    "credits.percent_of_fee",
    "credits.per_started",
    "credits.rounded",
    "credits.capped_per_ticket",
    "credits.reduced_period_cap",
    "credits.for_customer",
    "credits.for_ticket",
    "credits.rule",
    "credits.rule_breach",
]
# END reason codes
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

class RuleTimeoutError(AftersalesError):
    """A rule call ran past the wall-clock backstop; retrying may succeed (code 7)."""

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
    def close_of_business_days(self, t: datetime, n: int) -> datetime: ...
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
