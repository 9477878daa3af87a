"""The Python wheel's throughput, beside zen-engine and workclock.

    .venv/bin/python benches/python/bench_wheel.py [--tickets 20000]

1. Tickets per second for ``Policy.evaluate`` (one call per ticket, dicts
   in), ``evaluate_many`` (the batch, without the GIL) and
   ``aftersales.evaluate_arrow`` (a pyarrow Table in and out) on the three
   example packs, their tickets replicated to ``--tickets``.
2. The same meter tickets through zen-engine (GoRules) ``evaluate`` and
   ``evaluate_batch`` on meter_decision.json: the meter pack's severity
   rule and its contact / resolve target tables as two decision tables,
   and through the same logic in plain Python. These do only the table;
   ``evaluate_many`` does the whole evaluation (clocks, warranty, fees,
   credits).
3. ``Calendar`` on numpy arrays (``add``, ``between``) beside workclock's
   ``add_many`` / ``between_many`` on the same calendar (Mon-Fri
   08:30-12:00 and 13:00-17:30, Asia/Shanghai, the office calendar of the
   meter pack without its holidays), and a plain-Python business-hours loop.

Not part of the tests: run by hand, the figures go to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from datetime import datetime, timedelta, timezone
from datetime import time as clock
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pyarrow as pa

import aftersales

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def best(run: Callable[[], Any], repeat: int = 3) -> float:
    """The best wall time of `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def packs() -> list[tuple[str, datetime]]:
    out = []
    for line in (ROOT / "examples" / "packs.txt").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, as_of = line.split()
            out.append((name, datetime.fromisoformat(as_of)))
    return out


def replicate(tickets: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    return [tickets[i % len(tickets)] for i in range(n)]


def row(name: str, count: int, seconds: float) -> None:
    print(f"| {name} | {count:,} | {seconds * 1000:,.1f} | {count / seconds:,.0f} |")


# -- the meter decision in plain Python ------------------------------------


def severity(ticket: dict[str, Any]) -> str:
    category = (ticket.get("product") or {}).get("category", "household")
    code = (ticket.get("fault") or {}).get("code", "")
    if ticket.get("kind") == "consultation":
        return "low"
    if category == "industrial":
        return "critical" if code in ("no_reading", "leak") else "high"
    return "high" if code == "leak" else "normal"


CONTACT = {"critical": 30, "high": 60, "normal": 120, "low": 120}
RESOLVE = {"critical": 480, "high": 720}


def decide(ticket: dict[str, Any]) -> dict[str, Any]:
    level = severity(ticket)
    if ticket.get("kind") == "consultation":
        return {"severity": level, "contact_minutes": 120, "resolve_minutes": None}
    simple = (ticket.get("fault") or {}).get("complexity") == "simple"
    return {
        "severity": level,
        "contact_minutes": CONTACT[level],
        "resolve_minutes": 60 if simple else RESOLVE.get(level, 1440),
    }


# -- a plain-Python business-hours loop ------------------------------------

SHANGHAI = timezone(timedelta(hours=8))
HOURS = ((clock(8, 30), clock(12)), (clock(13), clock(17, 30)))


def py_add(start: datetime, d: timedelta) -> datetime:
    """`d` of open time after `start`, walking the day's intervals."""
    t = start.astimezone(SHANGHAI)
    left = d
    while True:
        if t.weekday() < 5:
            for a, b in HOURS:
                lo = t.replace(hour=a.hour, minute=a.minute, second=0, microsecond=0)
                hi = t.replace(hour=b.hour, minute=b.minute, second=0, microsecond=0)
                if t >= hi:
                    continue
                t = max(t, lo)
                if t + left <= hi:
                    return t + left
                left -= hi - t
                t = hi
        t = (t + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=20_000)
    parser.add_argument("--single", type=int, default=2_000, help="tickets for `evaluate`")
    parser.add_argument("--instants", type=int, default=200_000, help="calendar batch size")
    args = parser.parse_args()
    n = args.tickets

    print(f"# {platform.platform()}, {os.cpu_count()} cores, load {os.getloadavg()}")
    print(f"# aftersales {aftersales.__version__}, Python {platform.python_version()}\n")
    print("| what | tickets | best run, ms | tickets/s |")
    print("|---|---:|---:|---:|")
    meter: list[dict[str, Any]] = []
    meter_as_of = None
    meter_policy = None
    for name, as_of in packs():
        policy = aftersales.Policy.from_path(ROOT / "examples" / "policies" / f"{name}.toml")
        lines = (ROOT / "examples" / "tickets" / f"{name}.jsonl").read_text().splitlines()
        base = [json.loads(line) for line in lines if line.strip()]
        tickets = replicate(base, n)
        if name == "hot_water_meter":
            meter, meter_as_of, meter_policy = tickets, as_of, policy
        single = tickets[: args.single]

        def one(policy=policy, single=single, as_of=as_of) -> None:
            for t in single:
                try:
                    policy.evaluate(t, as_of)
                except aftersales.AftersalesError:
                    pass

        row(f"{name}: `evaluate` (one call per ticket)", len(single), best(one))
        row(
            f"{name}: `evaluate_many`",
            n,
            best(lambda p=policy, t=tickets, a=as_of: p.evaluate_many(t, a, errors="collect")),
        )
        text = "\n".join(json.dumps(t) for t in tickets)
        row(
            f"{name}: `evaluate_many` (JSON lines text in)",
            n,
            best(lambda p=policy, t=text, a=as_of: p.evaluate_many(t, a, errors="collect")),
        )
        try:
            # Every field of every ticket (`from_pylist` reads the first row's only).
            arrow = pa.Table.from_struct_array(pa.array(tickets))
        except pa.ArrowInvalid as e:
            # A field that is an object in some tickets and text in others
            # (smart_home's booked `slot`) has no single Arrow type.
            print(f"| {name}: `evaluate_arrow` | skipped: {e} | | |")
            continue
        # The table must give the answers the dicts give: no ticket may fail
        # only because of how it went through Arrow.
        failed = sum(
            isinstance(a, Exception) for a in policy.evaluate_many(tickets, as_of, errors="collect")
        )
        table = aftersales.evaluate_arrow(policy, arrow, as_of)
        assert table.column("error").null_count == n - failed, name
        row(
            f"{name}: `evaluate_arrow`",
            n,
            best(lambda p=policy, t=arrow, a=as_of: aftersales.evaluate_arrow(p, t, a), 1),
        )

    # -- zen-engine and plain Python on the meter decision -----------------
    import zen

    content = (HERE / "meter_decision.json").read_text()
    engine = zen.ZenEngine(
        {"loader": {"type": "static", "content": {"meter": json.loads(content)}}}
    )
    decision = engine.create_decision(content)
    single = meter[: args.single]
    row(
        "zen-engine `evaluate` (table only)",
        len(single),
        best(lambda: [decision.evaluate(t) for t in single]),
    )
    requests = [{"key": "meter", "context": t} for t in meter]
    row(
        "zen-engine `evaluate_batch` (table only)", n, best(lambda: engine.evaluate_batch(requests))
    )
    row("plain Python (table only)", n, best(lambda: [decide(t) for t in meter]))
    assert meter_policy is not None
    # The three classify alike, but for tickets whose severity an event
    # changed later (the engine follows `severity_changed`; the tables don't).
    sample = meter[:21]
    engine_levels = [e.severity["level"] for e in meter_policy.evaluate_many(sample, meter_as_of)]
    zen_levels = [decision.evaluate(t)["result"]["severity"] for t in sample]
    py_levels = [decide(t)["severity"] for t in sample]
    plain = [
        i
        for i, t in enumerate(sample)
        if not any(e["kind"] == "severity_changed" for e in t.get("events") or [])
    ]
    agree = sum(engine_levels[i] == zen_levels[i] == py_levels[i] for i in plain)
    print(f"\n# severity: the three agree on {agree}/{len(plain)} example tickets without")
    print("# a severity_changed event (zen and plain Python agree on all 21: ", end="")
    print(f"{zen_levels == py_levels})\n")

    # -- the calendar ------------------------------------------------------
    import workclock

    policy = aftersales.Policy.from_str(
        '[policy]\nid = "bench"\nversion = "1"\ntimezone = "Asia/Shanghai"\n'
        '[severity]\nlevels = ["normal"]\ndefault = "normal"\n'
        '[calendars.office]\ntimezone = "Asia/Shanghai"\n'
        'weekdays = ["08:30-12:00", "13:00-17:30"]\n'
    )
    office = policy.calendar("office")
    schedule = workclock.Schedule(
        [workclock.WorkDay(clock(8, 30), clock(12)), workclock.WorkDay(clock(13), clock(17, 30))],
        time_zone="Asia/Shanghai",
    )
    m = args.instants
    rng = np.random.default_rng(2026)
    base = np.datetime64("2026-01-05T00:00", "ns")
    starts = base + rng.integers(0, 300 * 86400, m).astype("timedelta64[s]")
    durations = rng.integers(60, 40 * 3600, m).astype("timedelta64[s]").astype("timedelta64[ns]")
    ends = starts + rng.integers(0, 30 * 86400, m).astype("timedelta64[s]")
    ours = office.add(starts, durations)
    theirs = np.asarray(schedule.add_many(starts, durations), dtype="datetime64[ns]")
    same = int((ours == theirs).sum())
    print(f"# calendar: {m:,} instants; add answers equal to workclock's: {same:,}/{m:,}\n")
    print("| what | instants | best run, ms | instants/s |")
    print("|---|---:|---:|---:|")
    row("aftersales `Calendar.add` (numpy)", m, best(lambda: office.add(starts, durations)))
    row("workclock `add_many` (numpy)", m, best(lambda: schedule.add_many(starts, durations)))
    row("aftersales `Calendar.between` (numpy)", m, best(lambda: office.between(starts, ends)))
    row("workclock `between_many` (numpy)", m, best(lambda: schedule.between_many(starts, ends)))
    row("aftersales `Calendar.is_open` (numpy)", m, best(lambda: office.is_open(starts)))
    k = min(m, 20_000)
    aware = [
        datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(microseconds=int(s) // 1000)
        for s in starts[:k].view(np.int64)
    ]
    spans = [timedelta(seconds=int(d) // 10**9) for d in durations[:k].view(np.int64)]
    loop = [py_add(s, d) for s, d in zip(aware, spans)]
    agree = sum(
        np.datetime64(a.astimezone(timezone.utc).replace(tzinfo=None), "ns") == o
        for a, o in zip(loop, ours[:k])
    )
    seconds = best(lambda: [py_add(s, d) for s, d in zip(aware, spans)], 1)
    row(f"plain-Python loop `add` ({agree:,}/{k:,} equal)", k, seconds)


if __name__ == "__main__":
    main()
