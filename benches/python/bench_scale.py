"""Scale out: tickets per second for N generated meter tickets (default
1,000,000) through one process, a Dask LocalCluster (2 worker processes)
and Spark in local mode (2 cores), each computing the rows and the
portfolio report, and each engine's overhead.

    .venv/bin/python benches/python/bench_scale.py [--tickets 1000000]

For each engine the script times:

- ``startup``: starting the cluster (JVM and Spark session; Dask's
  scheduler and worker processes);
- ``load``: turning the tickets into the engine's table (a pandas frame
  for one process, a persisted Dask DataFrame, a cached Spark DataFrame);
- ``evaluate``: every ticket evaluated into the portfolio report (KPIs,
  money, caps across tickets): ``Policy.report`` in one process,
  ``report_dask`` / ``report_spark`` (partitioned by customer, each
  partition's tally merged on the driver). The rows stay where they were
  made: collecting a million answers (a few kilobytes each) on the driver
  would measure the driver's memory, not the engines (a run that did
  so was killed for memory on this 24 GB machine).

The tickets come from examples/python/ticketgen.py (seeded). Not part of
the tests: run by hand, the figures go to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "examples" / "python"))

import ticketgen  # noqa: E402

from aftersales import Policy, distributed  # noqa: E402


def timed(label: str, run: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    value = run()
    took = time.perf_counter() - start
    print(f"  {label}: {took:.1f} s", flush=True)
    return value, took


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f} tickets/s"


def one_process(policy: Policy, tickets: list[str]) -> float:
    print("one process (Policy.report, all cores)")
    text, _ = timed("load", lambda: "\n".join(distributed._line(t) for t in tickets))
    report, took = timed("evaluate", lambda: policy.report(text, ticketgen.AS_OF))
    assert report["tickets"] == len(tickets), report["tickets"]
    print(f"  => {rate(len(tickets), took)}")
    return took


def dask(policy: Policy, tickets: list[str], partitions: int) -> float:
    import dask.dataframe as dd
    import pandas as pd
    from dask.distributed import Client, LocalCluster

    print(f"Dask LocalCluster (2 worker processes, {partitions} partitions)")
    def start() -> tuple[Any, Any]:
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None)
        return cluster, Client(cluster)

    (cluster, client), _ = timed("startup", start)
    try:
        frame = pd.DataFrame({"position": range(1, len(tickets) + 1), "ticket": tickets})
        ddf, _ = timed("load", lambda: dd.from_pandas(frame, npartitions=partitions).persist())
        report, took = timed(
            "evaluate",
            lambda: distributed.report_dask(ddf, policy, ticketgen.AS_OF, partitions=partitions),
        )
        assert report["tickets"] == len(tickets), report["tickets"]
        print(f"  => {rate(len(tickets), took)}")
        return took
    finally:
        client.close()
        cluster.close()


def spark(policy: Policy, tickets: list[str], partitions: int) -> float:
    import pandas as pd
    from pyspark.sql import SparkSession

    print(f"Spark local[2] ({partitions} partitions)")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session, _ = timed(
        "startup",
        lambda: SparkSession.builder.master("local[2]")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.memory", "4g")
        .config("spark.ui.enabled", "false")
        .getOrCreate(),
    )
    try:
        frame = pd.DataFrame({"position": range(1, len(tickets) + 1), "ticket": tickets})

        def load() -> Any:
            df = session.createDataFrame(frame).cache()
            df.count()
            return df

        df, _ = timed("load", load)
        report, took = timed(
            "evaluate",
            lambda: distributed.report_spark(df, policy, ticketgen.AS_OF, partitions=partitions),
        )
        assert report["tickets"] == len(tickets), report["tickets"]
        print(f"  => {rate(len(tickets), took)}")
        return took
    finally:
        session.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--engines", default="one,dask,spark")
    args = parser.parse_args()
    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.2f}; {args.tickets:,} tickets"
    )
    policy = Policy.from_path(ticketgen.POLICY)
    tickets, _ = timed("generate", lambda: list(ticketgen.tickets(args.tickets)))
    engines = args.engines.split(",")
    if "one" in engines:
        one_process(policy, tickets)
    if "dask" in engines:
        dask(policy, tickets, args.partitions)
    if "spark" in engines:
        spark(policy, tickets, args.partitions)


if __name__ == "__main__":
    main()
