"""Scale out on real local clusters: PySpark in local mode with 2 cores and
a Dask LocalCluster of 2 worker processes evaluate generated tickets
(examples/python/ticketgen.py) and must give exactly the rows and the
portfolio report of one process (`evaluate_many_json` + `report`).

AFTERSALES_SCALE_TICKETS sets the size (default 100,000)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from aftersales import AftersalesError, Policy

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "examples" / "python"))
import ticketgen  # noqa: E402

from aftersales import distributed  # noqa: E402

N = int(os.environ.get("AFTERSALES_SCALE_TICKETS", "100000"))


@pytest.fixture(scope="module")
def policy() -> Policy:
    return Policy.from_path(ticketgen.POLICY)


@pytest.fixture(scope="module")
def tickets() -> list[str]:
    return list(ticketgen.tickets(N))


@pytest.fixture(scope="module")
def single(policy, tickets):
    text = "\n".join(distributed._line(t) for t in tickets)
    return policy.evaluate_many_json(text, ticketgen.AS_OF), policy.report(text, ticketgen.AS_OF)


def _check(rows, single) -> None:
    answers, report = single
    rows = rows.sort_values("position").reset_index(drop=True)
    assert list(rows["position"]) == list(range(1, N + 1))
    # Byte for byte, errors included: an unreadable row's message and
    # location name its place in the whole set, not in its partition.
    assert list(rows["answer"]) == answers
    failed = [json.loads(a) for a in answers if a.startswith('{"position"')]
    # Every 9,973rd ticket has a bad `opened_at`, the one after it is cut off.
    assert len(failed) == 2 * ((N - 1) // 9_973)
    assert int((~rows["ok"].astype(bool)).sum()) == len(failed)
    bad = rows[~rows["ok"].astype(bool)]
    assert [int(c) for c in bad["error_code"]] == [f["error"]["code"] for f in failed]
    assert [None if x is None or x != x else x for x in bad["ticket_id"]] == [
        f["ticket"] for f in failed
    ]


def test_source_round_trips_with_the_same_digest(policy):
    toml, rules = policy.source()
    assert set(rules) == {"hot_water_meter.rhai"}
    assert Policy.from_str(toml, rules).digest == policy.digest


def test_shipped_policy_refuses_texts_of_another_digest(policy):
    toml, rules = policy.source()
    shipped = distributed.ShippedPolicy("sha256:" + "0" * 64, toml, rules)
    with pytest.raises(AftersalesError, match="digest"):
        shipped.load()


def test_partials_of_another_policy_are_refused(policy):
    other = policy.with_overrides({"fees.labor.rate": "1.00"})
    _, partial = other.evaluate_partition([], ticketgen.AS_OF)
    with pytest.raises(AftersalesError, match="not of this policy"):
        policy.report_partials_json([partial])


def test_caps_need_a_customers_tickets_in_one_partition(policy):
    # Customer C-00000 in the generated set: split its tickets over two
    # partitions and the monthly cap (1,200.00 per customer) no longer sees
    # both halves; by customer the merged report is that of one process.
    texts = [t for t in ticketgen.tickets(20_000) if '"id":"C-00' in t]
    whole = policy.report("\n".join(texts), ticketgen.AS_OF)
    by_customer: dict[str, list[str]] = {}
    for t in texts:
        by_customer.setdefault(distributed.customer_of(t) or "", []).append(t)
    partials = [
        policy.evaluate_partition("\n".join(ts), ticketgen.AS_OF)[1] for ts in by_customer.values()
    ]
    assert policy.report_partials(partials) == whole
    halves = [texts[0::2], texts[1::2]]
    split = [policy.evaluate_partition("\n".join(h), ticketgen.AS_OF)[1] for h in halves]
    # Without the customer's other tickets, caps bind later: more credited.
    assert policy.report_partials(split)["money"]["credited"] > whole["money"]["credited"]


def test_spark_local_two_cores_agrees_with_one_process(policy, tickets, single):
    pyspark = pytest.importorskip("pyspark")
    import pandas as pd
    from pyspark.sql import SparkSession

    # The workers run this interpreter (the one aftersales is installed in).
    os.environ["PYSPARK_PYTHON"] = sys.executable
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("aftersales-test")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "3g")
        # Task results (25,000 answers a partition) go back to the driver
        # directly, not through the block manager, which under memory
        # pressure dropped one before the driver fetched it (TaskResultLost).
        .config("spark.rpc.message.maxSize", "1024")
        .config("spark.task.maxDirectResultSize", str(1 << 30))
        .config("spark.driver.maxResultSize", "2g")
        .getOrCreate()
    )
    try:
        pdf = pd.DataFrame({"position": range(1, N + 1), "ticket": tickets})
        df = spark.createDataFrame(pdf)
        rows, report = distributed.evaluate_and_report_spark(
            df, policy, ticketgen.AS_OF, partitions=4
        )
        _check(rows.toPandas(), single)
        assert report == single[1]
        assert pyspark.__version__
    finally:
        spark.stop()


def test_dask_local_cluster_two_workers_agrees_with_one_process(policy, tickets, single):
    dd = pytest.importorskip("dask.dataframe")
    import pandas as pd
    from dask.distributed import Client, LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        with Client(cluster):
            pdf = pd.DataFrame({"position": range(1, N + 1), "ticket": tickets})
            ddf = dd.from_pandas(pdf, npartitions=4)
            rows, report = distributed.evaluate_and_report_dask(
                ddf, policy, ticketgen.AS_OF, partitions=4
            )
            _check(rows, single)
            assert report == single[1]
            # The report alone, rows left on the workers.
            assert distributed.report_dask(ddf, policy, ticketgen.AS_OF, partitions=4) == single[1]
