"""What-if studies: the same tickets under several policies, side by side.

``compare({"today": p0, "contact 1h": p1}, tickets, as_of)`` gives one row
per policy and SLA metric from each policy's portfolio report (the engine's
KPIs, not recomputed here): tickets, met, breached, on-time rate, the
policy's goal and whether it is met, median and p90 lateness (time left is
negative lateness), and the money totals charged, borne by warranty and
credited. Rates, goals and money are ``float64`` so that the frame plots
(``compare(...).plot(y="on_time_rate")``); the exact figures are in each
policy's ``report``. ``plot(frame)`` draws breaches and on-time rates with matplotlib
(``pip install aftersales[plot]``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Iterable, Mapping, Optional

from ._aftersales import Policy


def _seconds(value: Any) -> Optional[timedelta]:
    return None if value is None else timedelta(seconds=int(value))


def _float(value: Any) -> float:
    """A report's exact figure as a float; none is NaN."""
    return float("nan") if value is None else float(value)


def compare(
    policies: Mapping[str, Policy], tickets: Iterable[Any] | str, as_of: Optional[datetime] = None
) -> Any:
    """A DataFrame: one row per (policy, metric) of each portfolio report."""
    import pandas as pd

    batch = tickets if isinstance(tickets, str) else list(tickets)
    records = []
    for name, policy in policies.items():
        report = policy.report(batch, as_of)
        money = report["money"]
        for metric in report["metrics"]:
            records.append(
                {
                    "policy": name,
                    "digest": report["policy"]["digest"],
                    "metric": metric["metric"],
                    "tickets": metric["tickets"],
                    "met": metric["met"],
                    "breached": metric["breached"],
                    "on_time_rate": _float(metric["on_time_rate"]),
                    "goal": _float(metric["goal"]),
                    "goal_met": metric["goal_met"],
                    "lateness_median": _seconds(metric["lateness_median_seconds"]),
                    "lateness_p90": _seconds(metric["lateness_p90_seconds"]),
                    "charged": _float(money["charged"]),
                    "warranty": _float(money["warranty"]),
                    "credited": _float(money["credited"]),
                    "errors": report["errors"],
                }
            )
    return pd.DataFrame.from_records(records)


def plot(frame: Any, path: Optional[str] = None) -> Any:
    """Breaches per metric and policy as a bar chart; saved when `path` is given."""
    import matplotlib

    matplotlib.use("Agg")
    pivot = frame.pivot(index="metric", columns="policy", values="breached")
    axes = pivot.plot(kind="bar", title="Breaches per metric", ylabel="breached tickets")
    figure = axes.get_figure()
    figure.tight_layout()
    if path is not None:
        figure.savefig(path)
    return axes
