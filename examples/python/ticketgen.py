"""A seeded generator of after-sales tickets for the scale-out examples and
tests: the tickets of examples/tickets/hot_water_meter.jsonl as templates,
each copy with its own id, one of `customers` customers (keeping the
template's tier, so service credits and their monthly caps apply), and its
instants moved back by up to three years (whole minutes). Every
`bad_every`-th ticket is broken on purpose (an `opened_at` that is not an
instant), and the one after it is not JSON at all.

    python examples/python/ticketgen.py 1000000 > tickets.jsonl
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).resolve().parents[2] / "examples" / "tickets" / "hot_water_meter.jsonl"
POLICY = Path(__file__).resolve().parents[2] / "examples" / "policies" / "hot_water_meter.toml"
#: The instant every generated ticket is evaluated at.
AS_OF = datetime.fromisoformat("2026-04-01T00:00:00+08:00")


def _shift(value: Any, by: timedelta, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _shift(v, by, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_shift(v, by, key) for v in value]
    if isinstance(value, str) and (key == "at" or key.endswith("_at")) and "T" in value:
        try:
            return (datetime.fromisoformat(value) + by).isoformat()
        except ValueError:
            return value
    return value


def tickets(n: int, seed: int = 13, customers: int = 500, bad_every: int = 9_973) -> Iterator[str]:
    """`n` tickets as JSON texts, the same for the same arguments."""
    rng = random.Random(seed)
    templates = [json.loads(line) for line in TEMPLATES.read_text().splitlines() if line.strip()]
    for i in range(1, n + 1):
        if bad_every and i % bad_every == 1 and i > 1:
            yield f'{{"id": "GEN-BROKEN-{i}", "opened_at": '
            continue
        template = templates[rng.randrange(len(templates))]
        by = -timedelta(days=rng.randrange(1_095), minutes=rng.randrange(600))
        ticket = _shift(template, by)
        ticket["id"] = f"GEN-{i:08d}"
        customer = dict(ticket.get("customer") or {})
        customer["id"] = f"C-{rng.randrange(customers):05d}"
        ticket["customer"] = customer
        if bad_every and i % bad_every == 0:
            ticket["opened_at"] = "last Tuesday"
        yield json.dumps(ticket, separators=(",", ":"))


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000
    for text in tickets(count):
        print(text)
