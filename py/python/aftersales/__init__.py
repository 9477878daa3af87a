"""aftersales: after-sales service policies for analysts.

Compile a policy (TOML + Rhai rules) and evaluate tickets against it: SLA
deadlines on business calendars, warranty, fees and credits. Every answer
comes from the Rust engine's façade, byte for byte as the command line gives
it (``Evaluation.to_json()``), and typed for Python (``to_dict()``).

>>> policy = Policy.from_path("examples/policies/hot_water_meter.toml")  # doctest: +SKIP
>>> policy.evaluate(ticket, as_of=datetime(2026, 3, 3, 12, tzinfo=timezone.utc))  # doctest: +SKIP
"""

from ._aftersales import (
    AftersalesError,
    Calendar,
    CalendarError,
    Evaluation,
    InputError,
    IoError,
    Location,
    Policy,
    PolicyError,
    RuleError,
    RuleTimeoutError,
    TicketError,
    __version__,
)
from ._record import Record
from .frame import evaluate_arrow, evaluate_frame

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
    "Record",
    "RuleError",
    "RuleTimeoutError",
    "TicketError",
    "__version__",
    "evaluate_arrow",
    "evaluate_frame",
]
