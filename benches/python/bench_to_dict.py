"""Typed answers in Python: ``Evaluation.to_dict()`` against ``json.loads``.

    .venv/bin/python benches/python/bench_to_dict.py [--tickets 20000]

The meter pack's tickets (examples/tickets/hot_water_meter.jsonl) repeated
to ``--tickets`` with distinct ids, evaluated at the pack's ``as_of``
(examples/packs.txt) with ``evaluate_many``; then, on the same answers in
one run, each the best of 5 runs taken in turn (so that a machine shared
with other work weighs on all alike), in CPU seconds of this process
(``time.process_time``) and in wall seconds:

- ``json.loads`` of each answer's JSON text (plain dicts of text);
- ``to_dict()`` of each answer (dicts built in Rust from the typed answer:
  ``Decimal``, ``datetime``, ``date``, ``timedelta``, ids ``str``);
- before: the former conversion, ``json.loads`` and then typing every
  string by its shape (``_convert.typed``, removed; copied here);
- ``evaluate_frame`` on the same tickets: money as float64 (now) and the
  former frame (money as ``Decimal`` objects).

Not part of the tests: run by hand, the figures go to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import aftersales
from aftersales.frame import _arrow_table

ROOT = Path(__file__).resolve().parents[2]

# The former conversion (py/python/aftersales/_convert.py), for "before".
_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DURATION = re.compile(
    r"^(-)?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)
_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
_NAMES = frozenset({"version", "id", "ticket", "digest", "policy", "position"})


def _parse_duration(text: str) -> timedelta | None:
    match = _DURATION.match(text)
    if not match or text in ("P", "PT", "-P", "-PT") or text.endswith("T"):
        return None
    sign, weeks, days, hours, minutes, seconds = match.groups()
    delta = timedelta(
        weeks=int(weeks or 0),
        days=int(days or 0),
        hours=int(hours or 0),
        minutes=int(minutes or 0),
        seconds=float(Decimal(seconds or 0)),
    )
    return -delta if sign else delta


def former_typed(value: Any, key: str | None = None) -> Any:
    """The former typing of a JSON value by the shape of its strings."""
    if isinstance(value, dict):
        return {k: former_typed(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [former_typed(v, key) for v in value]
    if not isinstance(value, str) or key in _NAMES:
        return value
    if _INSTANT.match(value):
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    if _DATE.match(value):
        return date.fromisoformat(value)
    if value.startswith(("P", "-P")):
        delta = _parse_duration(value)
        if delta is not None:
            return delta
    if _DECIMAL.match(value):
        return Decimal(value)
    return value


def best(runs: dict[str, Callable[[], Any]], repeat: int = 5) -> dict[str, tuple[float, float]]:
    """The best (CPU, wall) seconds of each run over `repeat` rounds, the
    runs taken in turn within each round."""
    out = {name: (float("inf"), float("inf")) for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            cpu, wall = time.process_time(), time.perf_counter()
            run()
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            out[name] = (min(out[name][0], cpu), min(out[name][1], wall))
    return out


def meter_tickets(n: int) -> tuple[list[dict[str, Any]], datetime]:
    lines = (ROOT / "examples" / "tickets" / "hot_water_meter.jsonl").read_text().splitlines()
    base = [json.loads(line) for line in lines if line.strip()]
    tickets = []
    for i in range(n):
        ticket = dict(base[i % len(base)])
        ticket["id"] = f"{ticket['id']}-{i}"
        tickets.append(ticket)
    as_of = next(
        datetime.fromisoformat(line.split()[1])
        for line in (ROOT / "examples" / "packs.txt").read_text().splitlines()
        if line.startswith("hot_water_meter")
    )
    return tickets, as_of


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=20_000)
    args = parser.parse_args()
    import pandas as pd

    policy = aftersales.Policy.from_path(ROOT / "examples" / "policies" / "hot_water_meter.toml")
    tickets, as_of = meter_tickets(args.tickets)
    answers = policy.evaluate_many(tickets, as_of)
    texts = [a.to_json() for a in answers]
    size = sum(len(t) for t in texts)
    print(f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cpus")
    print(f"{len(answers)} meter answers, {size / len(texts):.0f} bytes of JSON each")
    frame = pd.DataFrame(tickets)
    times = best(
        {
            "json.loads": lambda: [json.loads(t) for t in texts],
            "to_dict (typed, in Rust)": lambda: [a.to_dict() for a in answers],
            "before: loads + by shape": lambda: [former_typed(json.loads(t)) for t in texts],
            "evaluate_frame (float64)": lambda: aftersales.evaluate_frame(policy, frame, as_of),
            "before: frame of Decimals": lambda: _arrow_table(
                policy, frame.to_dict("records"), as_of
            ).to_pandas(),
        }
    )
    loads = times["json.loads"][0]
    print(f"{'':28}{'CPU s':>8}{'wall s':>8}  CPU / json.loads")
    for name, (cpu, wall) in times.items():
        print(f"{name:28}{cpu:8.3f}{wall:8.3f}  {cpu / loads:.2f}x")


if __name__ == "__main__":
    main()
