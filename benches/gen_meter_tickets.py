#!/usr/bin/env python3
"""Writes N hot-water-meter tickets as JSON lines to stdout, for the CLI
benchmark (benches/cli.sh).

Each ticket is one of the 21 example tickets (examples/tickets/
hot_water_meter.jsonl), taken in a seeded random order, with its own id
and its customer's tier and region drawn from the values the examples use,
so the evaluations differ but every ticket is valid. Same seed, same file.

Usage: benches/gen_meter_tickets.py N [SEED] > tickets.jsonl
"""

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    n = int(sys.argv[1])
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 2026
    rng = random.Random(seed)
    source = ROOT / "examples" / "tickets" / "hot_water_meter.jsonl"
    examples = [json.loads(l) for l in source.read_text().splitlines() if l.strip()]
    tiers = sorted({t["customer"].get("tier") for t in examples if t["customer"].get("tier")})
    regions = sorted({t["customer"].get("region") for t in examples if t["customer"].get("region")})
    out = sys.stdout
    for i in range(n):
        ticket = dict(rng.choice(examples))
        ticket["id"] = f"HWM-GEN-{i:07d}"
        customer = dict(ticket["customer"])
        customer["tier"] = rng.choice(tiers)
        customer["region"] = rng.choice(regions)
        ticket["customer"] = customer
        out.write(json.dumps(ticket, ensure_ascii=False, separators=(",", ":")))
        out.write("\n")


if __name__ == "__main__":
    main()
