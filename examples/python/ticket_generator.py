"""A seeded generator of a year of hot-water and heat meter tickets.

The tickets follow examples/policies/hot_water_meter.toml and look like
examples/tickets/hot_water_meter.jsonl: households and industrial sites
(district heating, hospitals, factories) in the call-out zones A, B and C,
industrial customers on the ``key_account`` or ``standard`` service tier;
hotline, WeChat, app and e-mail reports; repairs and consultations; the
CRM's events (answered, contacted, visit_booked with its slot, arrived,
paused / resumed for parts, resolved, followed_up, closed) and the work
done (labour, visits with their distance, parts).

The delays are drawn from plausible distributions: log-normal reaction
and repair times (most tickets are quick, a tail is late), more reports in
the heating season (October to March) and in office hours, engineers
arriving around the booked slot. The same seed gives the same tickets.

    from ticket_generator import generate
    tickets = generate(10_000, seed=2026)  # a list of dicts (JSON-ready)
"""

from __future__ import annotations

import json
import math
import random
import sys
from datetime import date, datetime, timedelta, timezone
from typing import Any

SHANGHAI = timezone(timedelta(hours=8))
YEAR = 2026
#: The instant the year's tickets are evaluated at: the last second of it.
AS_OF = datetime(YEAR, 12, 31, 23, 59, 59, tzinfo=SHANGHAI)

# Relative ticket volume per month: meters fail and get read in winter.
MONTH_WEIGHT = [1.6, 1.5, 1.3, 1.0, 0.7, 0.6, 0.6, 0.6, 0.8, 1.1, 1.4, 1.6]
# Relative volume per hour of the day (a hotline open day and night).
HOUR_WEIGHT = [0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 1.2, 2.0, 2.2, 2.1, 1.8,
               1.3, 1.8, 2.0, 1.9, 1.7, 1.4, 1.2, 1.0, 0.9, 0.7, 0.5, 0.3]  # fmt: skip

HOUSEHOLD_MODELS = ["HWM-15", "HWM-20", "HWM-25"]
INDUSTRIAL_MODELS = ["HM-DN50-U", "HM-DN65-U", "HM-DN80-U", "HM-DN100-E"]
SITES = ["District Heating, substation", "Hospital, boiler house", "Factory, plant room",
         "University, heating centre", "Hotel, basement"]  # fmt: skip

# Fault code -> (component, weight); the cause and complexity are drawn apart.
FAULTS = {
    "no_reading": [("battery", 3), ("mbus_module", 2), ("calculator_board", 1), ("flow_sensor", 1)],
    "leak": [("body", 2), ("connection_nut", 3), ("valve", 1)],
    "display_error": [("display", 3), ("calculator_board", 2)],
    "valve_stuck": [("valve", 1)],
    "wrong_reading": [("flow_sensor", 3), ("temperature_sensor", 2), ("calculator_board", 1)],
}
FAULT_WEIGHT = {
    "no_reading": 4,
    "leak": 2,
    "display_error": 2,
    "valve_stuck": 1,
    "wrong_reading": 2,
}
CAUSES = [("defect", 45), ("wear", 30), ("configuration", 12), ("freezing", 5),
          ("broken_seal", 3), ("water_damage", 3), ("unauthorised_repair", 2)]  # fmt: skip
# Parts by component: (sku, catalogue price in CNY).
PARTS = {
    "battery": ("BAT-36-D", "38.00"),
    "mbus_module": ("MBUS-2", "120.00"),
    "calculator_board": ("CALC-B3", "310.00"),
    "flow_sensor": ("FS-25", "180.00"),
    "temperature_sensor": ("PT1000-PAIR", "95.00"),
    "display": ("LCD-20", "95.00"),
    "body": ("HWM-20-BODY", "260.00"),
    "connection_nut": ("NUT-DN20", "6.50"),
    "valve": ("VALVE-DN20", "145.00"),
}
INDUSTRIAL_PARTS = {"flow_sensor": ("FS-DN80", "860.00"), "body": ("HM-BODY-DN80", "2400.00")}


def _pick(rng: random.Random, weighted: list[tuple[Any, float]]) -> Any:
    values = [v for v, _ in weighted]
    weights = [w for _, w in weighted]
    return rng.choices(values, weights)[0]


def _lognormal(rng: random.Random, median: timedelta, sigma: float) -> timedelta:
    """A log-normal delay with that median: most are near it, a tail is long."""
    return median * math.exp(rng.gauss(0.0, sigma))


def _at(t: datetime) -> str:
    return t.astimezone(SHANGHAI).replace(microsecond=0).isoformat()


class _Customers:
    """A fixed population of customers, so that customers come back."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.industrial = [
            {
                "id": f"C-IND-{i:04d}",
                "tier": "key_account" if rng.random() < 0.4 else "standard",
                "region": rng.choice(["north", "east", "south", "west"]),
                "zone": _pick(rng, [("A", 5), ("B", 4), ("C", 1)]),
                "site": f"{rng.choice(SITES)} {rng.randint(1, 30)}",
            }
            for i in range(1, 241)
        ]

    def pick(self, industrial: bool) -> dict[str, Any]:
        rng = self.rng
        if industrial:
            c = rng.choice(self.industrial)
            return {k: c[k] for k in ("id", "tier", "region", "zone")} | {"_site": c["site"]}
        return {
            "id": f"C-HH-{rng.randint(1, 400_000):06d}",
            "region": rng.choice(["north", "east", "south", "west"]),
            "zone": _pick(rng, [("A", 5), ("B", 3), ("C", 2)]),
        }


def _opened_at(rng: random.Random) -> datetime:
    month = rng.choices(range(1, 13), MONTH_WEIGHT)[0]
    first = date(YEAR, month, 1)
    days = ((date(YEAR + 1, 1, 1) if month == 12 else date(YEAR, month + 1, 1)) - first).days
    day = first + timedelta(days=rng.randrange(days))
    hour = rng.choices(range(24), HOUR_WEIGHT)[0]
    return datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60),
                    tzinfo=SHANGHAI)  # fmt: skip


def _ticket(rng: random.Random, customers: _Customers, number: int) -> dict[str, Any]:
    opened = _opened_at(rng)
    industrial = rng.random() < 0.18
    customer = customers.pick(industrial)
    site = customer.pop("_site", None)
    channel = _pick(rng, [("hotline", 55), ("wechat", 20), ("app", 15), ("email", 10)])
    kind = "consultation" if rng.random() < 0.12 else "repair"
    installed = opened.date() - timedelta(days=rng.randint(20, 6 * 365))
    model = rng.choice(INDUSTRIAL_MODELS if industrial else HOUSEHOLD_MODELS)
    product = {
        "model": model,
        "category": "industrial" if industrial else "household",
        "serial": f"{model.replace('-', '')}-{installed:%y%m}-{rng.randint(0, 99999):05d}",
        "purchased_on": (installed - timedelta(days=rng.randint(3, 40))).isoformat(),
        "installed_on": installed.isoformat(),
    }
    ticket: dict[str, Any] = {
        "id": f"HWM-{opened:%y%m%d}-{number:05d}",
        "opened_at": _at(opened),
        "channel": channel,
        "kind": kind,
        "customer": customer,
        "product": product,
    }
    if site:
        ticket["attributes"] = {"site": site}
    events: list[dict[str, Any]] = []

    def event(t: datetime, what: str, **extra: Any) -> None:
        events.append({"at": _at(t), "kind": what, **extra})

    t = opened
    if channel == "hotline":
        # The switchboard: most calls in 10-30 s, a few queue past a minute.
        t = opened + _lognormal(rng, timedelta(seconds=18), 0.7)
        event(t, "answered")
    # Contact: industrial sites are called back sooner; written channels wait.
    median = timedelta(minutes=12 if industrial else 30 if channel == "hotline" else 45)
    t = max(t, opened + _lognormal(rng, median, 0.6))
    event(t, "contacted")
    if kind == "consultation":
        event(t + timedelta(minutes=rng.randint(5, 40)), "closed")
        ticket["events"] = events
        return _cut(ticket, events)

    code = _pick(rng, list(FAULT_WEIGHT.items()))
    component = _pick(rng, FAULTS[code])
    complexity = (
        "simple"
        if code in ("no_reading", "display_error") and rng.random() < 0.55
        else ("simple" if rng.random() < 0.15 else "complex")
    )
    ticket["fault"] = {
        "code": code,
        "component": component,
        "cause": _pick(rng, CAUSES),
        "complexity": complexity,
    }
    work: dict[str, Any] = {"repair_accepted": rng.random() < 0.93}
    visits: list[dict[str, Any]] = []
    parts: list[dict[str, Any]] = []
    if complexity == "simple" and rng.random() < 0.85:
        # Fixed remotely or by phone (reset, settings) within the hour, mostly.
        done = t + _lognormal(rng, timedelta(minutes=12), 0.5)
        work["labor"] = f"{rng.randint(10, 40)}m"
        work["labor_started_at"] = _at(t)
    else:
        # A visit: booked at contact, for a slot a few hours on (next morning
        # when the evening is near).
        slot = t + timedelta(hours=rng.choice([1, 2, 2, 3, 4]))
        if slot.hour >= 20 or slot.hour < 7:
            slot = (slot + timedelta(days=1 if slot.hour >= 20 else 0)).replace(hour=9, minute=0)
        slot = slot.replace(minute=(slot.minute // 15) * 15, second=0)
        event(
            t + timedelta(minutes=rng.randint(2, 15)),
            "visit_booked",
            attributes={"slot": _at(slot)},
        )
        arrived = slot + timedelta(minutes=rng.gauss(-3, 9))
        event(arrived, "arrived")
        zone = customer["zone"]
        visit: dict[str, Any] = {"zone": zone, "at": _at(arrived)}
        if zone != "A":
            visit["distance_km"] = str(rng.randint(8, 45 if zone == "B" else 80))
        visits.append(visit)
        worked = _lognormal(rng, timedelta(minutes=50 if complexity == "simple" else 100), 0.5)
        work["labor"] = f"{max(10, int(worked.total_seconds() // 60))}m"
        work["labor_started_at"] = _at(arrived + timedelta(minutes=5))
        done = arrived + worked
        if complexity == "complex" and rng.random() < 0.25:
            # The part is not in the van: paused until it comes, a second visit.
            event(done, "paused", reason="awaiting_parts")
            back = done + _lognormal(rng, timedelta(days=2), 0.5)
            back = back.replace(hour=rng.randint(9, 15), minute=0, second=0)
            back = max(back, done + timedelta(hours=2))
            event(back - timedelta(minutes=30), "resumed")
            event(back - timedelta(minutes=25), "visit_booked", attributes={"slot": _at(back)})
            second = back + timedelta(minutes=rng.gauss(-2, 8))
            event(second, "arrived")
            visits.append(
                {"zone": zone, "at": _at(second)}
                | ({"distance_km": visit["distance_km"]} if "distance_km" in visit else {})
            )
            done = second + _lognormal(rng, timedelta(minutes=45), 0.4)
        if work["repair_accepted"] and component in PARTS and rng.random() < 0.7:
            sku, price = (INDUSTRIAL_PARTS if industrial else PARTS).get(
                component, PARTS[component]
            )
            parts.append({"sku": sku, "component": component, "qty": 1, "unit_price": price})
            if rng.random() < 0.2:
                parts.append({"sku": "SEAL-KIT", "qty": 1, "unit_price": "12.00"})
    event(done, "resolved")
    # The follow-up call: usually the next day, sometimes forgotten a while.
    follow = done + _lognormal(rng, timedelta(hours=20), 0.6)
    event(follow, "followed_up")
    event(follow + timedelta(minutes=rng.randint(1, 30)), "closed")
    if visits:
        work["visits"] = visits
    if parts:
        work["parts"] = parts
    ticket["work"] = work
    return _cut(ticket, events)


def _cut(ticket: dict[str, Any], events: list[dict[str, Any]]) -> dict[str, Any]:
    """Events in time order, none after the evaluation instant (open tickets)."""
    last = _at(AS_OF)
    ordered = sorted(events, key=lambda e: datetime.fromisoformat(e["at"]))
    ticket["events"] = [e for e in ordered if datetime.fromisoformat(e["at"]) <= AS_OF]
    work = ticket.get("work")
    if work is not None and any(e["at"] > last for e in ordered):
        # Work still under way at the end of the year is not billed yet.
        del ticket["work"]
    return ticket


def generate(n: int, seed: int = 2026) -> list[dict[str, Any]]:
    """``n`` tickets of the year, in the order they were opened."""
    rng = random.Random(seed)
    customers = _Customers(rng)
    tickets = [_ticket(rng, customers, i + 1) for i in range(n)]
    tickets.sort(key=lambda t: t["opened_at"])
    return tickets


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    for ticket in generate(count):
        print(json.dumps(ticket, ensure_ascii=False))
