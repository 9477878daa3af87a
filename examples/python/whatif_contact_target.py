"""What if households were contacted within 1 hour, or labour cost 10% more?

A year of hot-water meter tickets (ticket_generator.py, seeded) replayed
under today's policy (examples/policies/hot_water_meter.toml) and two
variants made with ``Policy.with_overrides``:

- ``today``: the policy as it is (contact within 2 h for normal and low
  severities, 1 h high, 30 min critical);
- ``contact in 1h``: normal and low severities contacted within 1 hour;
- ``labour +10%``: the labour rate 120.00 → 132.00 an hour.

Prints the comparison table (``aftersales.whatif.compare``: per policy and
metric, breaches, on-time rate against the KPI goal, lateness, money) and
writes a PNG chart.

    python examples/python/whatif_contact_target.py --tickets 10000 --out /tmp

Needs ``pip install ./py`` (or the wheel) with pandas and matplotlib.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from ticket_generator import AS_OF, generate  # noqa: E402

import aftersales  # noqa: E402
from aftersales import whatif  # noqa: E402

POLICY = HERE.parent / "policies" / "hot_water_meter.toml"
COLUMNS = ["policy", "metric", "tickets", "breached", "on_time_rate", "goal", "goal_met",
           "lateness_median", "lateness_p90"]  # fmt: skip
MONEY = ["policy", "charged", "warranty", "credited"]


def variants(policy: aftersales.Policy) -> dict[str, aftersales.Policy]:
    """Today's policy and the two variants, by name."""
    return {
        "today": policy,
        "contact in 1h": policy.with_overrides(
            {"targets.contact.target.normal": "1h", "targets.contact.target.low": "1h"}
        ),
        "labour +10%": policy.with_overrides({"fees.labor.rate": "132.00"}),
    }


def chart(frame, path: Path) -> None:  # type: ignore[no-untyped-def]
    """Breaches per metric (left) and money per variant (right), as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    breaches = frame.pivot(index="metric", columns="policy", values="breached")
    breaches = breaches[list(dict.fromkeys(frame["policy"]))]
    breaches.plot(kind="bar", ax=left, rot=0)
    left.set_title("Breached promises per metric")
    left.set_ylabel("tickets")
    money = frame.drop_duplicates("policy").set_index("policy")[["charged", "credited"]]
    money.astype(float).plot(kind="bar", ax=right, rot=0)
    right.set_title("Money over the year (CNY)")
    right.set_ylabel("CNY")
    figure.suptitle("Hot-water meters: today's policy and two variants")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=10_000, help="tickets in the year")
    parser.add_argument("--seed", type=int, default=2026, help="the generator's seed")
    parser.add_argument("--out", type=Path, default=Path("."), help="directory of the chart")
    args = parser.parse_args(argv)

    tickets = generate(args.tickets, seed=args.seed)
    policies = variants(aftersales.Policy.from_path(POLICY))
    frame = whatif.compare(policies, tickets, AS_OF)

    import pandas as pd

    with pd.option_context("display.width", 160, "display.max_columns", 20):
        print(f"{len(tickets)} tickets of {AS_OF.year}, evaluated at {AS_OF.isoformat()}\n")
        print(frame[COLUMNS].to_string(index=False))
        print()
        print(frame.drop_duplicates("policy")[MONEY].to_string(index=False))
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "whatif_contact_target.png"
    chart(frame, path)
    print(f"\nchart: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
