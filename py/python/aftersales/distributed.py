"""Scale out: evaluate tickets on the Spark and Dask clusters a team runs.

``pip install aftersales[spark]`` / ``aftersales[dask]``.

Input: a DataFrame with a ``ticket`` column (one ticket as JSON text per
row) and optionally ``position`` (an integer: the ticket's place in the
whole set, 1-based) and ``customer`` (the key of the credit caps; taken
from the ticket's ``customer.id`` when absent).

Output (``SCHEMA``), one row per ticket:

============  ========  ====================================================
column        type      meaning
============  ========  ====================================================
position      int64     the input's ``position`` (null without one)
ticket_id     string    the ticket's ``id`` (null when it could not be read)
customer      string    the partition key
ok            bool      false for a ticket that failed
error_code    int32     the error's code (2 ticket, 3 rule …), null when ok
answer        string    the façade's answer JSON, as ``evaluate_many_json``
============  ========  ====================================================

A bad ticket becomes an error row (``ok`` false, the error envelope in
``answer``, with the input's position); no partition fails for it.

The policy travels as its texts (``Policy.source()``) with its digest; each
executor / worker process compiles it once (a cache keyed by digest) and
refuses texts whose digest differs.

Credit caps per customer per period need every ticket of a customer in one
partition, taken in input order: the frame is repartitioned by ``customer``
(hash) and each partition is evaluated in ``position`` order through one
portfolio. The portfolio report is merged from each partition's tally in
Rust (``Policy.report_partials``); KPIs, lateness quantiles and totals are
exactly those of one process over all tickets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterator, Optional

from ._aftersales import Policy, PolicyError

#: Columns of a result row (see the module's documentation).
COLUMNS = ("position", "ticket_id", "customer", "ok", "error_code", "answer")

_POLICIES: dict[str, Policy] = {}


@dataclass(frozen=True)
class ShippedPolicy:
    """A policy as it travels to executors: its texts and digest."""

    digest: str
    toml: str
    rules: dict[str, str]

    @staticmethod
    def of(policy: Policy) -> ShippedPolicy:
        toml, rules = policy.source()
        return ShippedPolicy(policy.digest, toml, dict(rules))

    def load(self) -> Policy:
        """The compiled policy, once per process; a digest that differs
        from the texts' is a ``PolicyError``."""
        policy = _POLICIES.get(self.digest)
        if policy is None:
            policy = Policy.from_str(self.toml, self.rules)
            if policy.digest != self.digest:
                raise PolicyError(
                    f"the shipped policy's texts have digest {policy.digest}, not {self.digest}"
                )
            _POLICIES[self.digest] = policy
        return policy


def _schema() -> Any:
    import pyarrow as pa

    return pa.schema(
        [
            ("position", pa.int64()),
            ("ticket_id", pa.string()),
            ("customer", pa.string()),
            ("ok", pa.bool_()),
            ("error_code", pa.int32()),
            ("answer", pa.string()),
            ("partial", pa.string()),
        ]
    )


def customer_of(text: Optional[str]) -> Optional[str]:
    """The partition key of a ticket's JSON text (its ``customer.id``, read
    by the engine: ``Policy.partition_key``), or None."""
    return None if text is None else Policy.partition_key(text)


def _line(text: Optional[str]) -> str:
    """A ticket text as one JSON line: an object on one line; anything else
    as a JSON string, which the engine refuses as that ticket's error."""
    if text is not None and text.lstrip().startswith("{"):
        return text.replace("\r", " ").replace("\n", " ")
    return json.dumps(text)


def evaluate_table(shipped: ShippedPolicy, table: Any, as_of: Optional[str]) -> Any:
    """One partition (a pyarrow Table of ``ticket``, ``position``,
    ``customer``) through one portfolio: the result rows, then one row that
    carries only the partition's tally in ``partial``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    policy = shipped.load()
    names = table.column_names
    if "position" in names and table.num_rows:
        table = table.take(pc.sort_indices(table, [("position", "ascending")]))
    texts = table.column("ticket").to_pylist()
    n = len(texts)
    positions = table.column("position").to_pylist() if "position" in names else [None] * n
    customers = table.column("customer").to_pylist() if "customer" in names else [None] * n
    instant = None if as_of is None else datetime.fromisoformat(as_of)
    answers, partial = policy.evaluate_partition(
        "\n".join(_line(t) for t in texts), instant, positions
    )
    ids = [ticket_id for ticket_id, _, _ in answers]
    codes = [code for _, code, _ in answers]
    texts = [text for _, _, text in answers]
    return pa.table(
        {
            "position": positions + [None],
            "ticket_id": ids + [None],
            "customer": customers + [None],
            "ok": [code is None for code in codes] + [None],
            "error_code": codes + [None],
            "answer": texts + [None],
            "partial": [None] * len(answers) + [partial],
        },
        schema=_schema(),
    )


def _as_of_text(as_of: Optional[datetime]) -> Optional[str]:
    if as_of is not None and as_of.tzinfo is None:
        from ._aftersales import InputError

        raise InputError("as_of: a naive datetime is refused; give a time zone")
    return None if as_of is None else as_of.isoformat()


# --------------------------------------------------------------------- Spark


def _spark_with_customer(df: Any) -> Any:
    """The frame with a ``customer`` column read by the engine from each
    ticket's text (``Policy.partition_key``), as Dask and pandas read it."""
    from pyspark.sql.types import StringType, StructField, StructType

    def keyed(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        for batch in batches:
            customers = [customer_of(t) for t in batch.column("ticket").to_pylist()]
            yield pa.RecordBatch.from_arrays(
                [*batch.columns, pa.array(customers, pa.string())],
                names=[*batch.schema.names, "customer"],
            )

    schema = StructType(df.schema.fields + [StructField("customer", StringType())])
    return df.mapInArrow(keyed, schema)


def _spark_all(df: Any, policy: Policy, as_of: Optional[datetime], partitions: Optional[int]):
    from pyspark.sql import functions as F

    shipped = ShippedPolicy.of(policy)
    instant = _as_of_text(as_of)
    if "customer" not in df.columns:
        df = _spark_with_customer(df)
    keep = [c for c in ("ticket", "position", "customer") if c in df.columns]
    df = df.select(*keep)
    if "position" in df.columns:
        df = df.withColumn("position", F.col("position").cast("long"))
    n = partitions or df.sparkSession.sparkContext.defaultParallelism
    df = df.repartition(n, "customer")

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        table = pa.Table.from_batches(list(batches))
        if table.num_rows == 0:
            return
        yield from evaluate_table(shipped, table, instant).to_batches(max_chunksize=10_000)

    ddl = (
        "position long, ticket_id string, customer string, ok boolean, "
        "error_code int, answer string, partial string"
    )
    return df.mapInArrow(run, ddl)


def evaluate_spark(
    df: Any, policy: Policy, as_of: Optional[datetime] = None, *, partitions: Optional[int] = None
) -> Any:
    """The result rows (``COLUMNS``) of a Spark DataFrame of tickets,
    evaluated with ``mapInArrow`` in ``partitions`` partitions by customer
    (default: the context's parallelism)."""
    from pyspark.sql import functions as F

    out = _spark_all(df, policy, as_of, partitions)
    return out.where(F.col("partial").isNull()).drop("partial")


def evaluate_and_report_spark(
    df: Any, policy: Policy, as_of: Optional[datetime] = None, *, partitions: Optional[int] = None
) -> tuple[Any, Any]:
    """(result rows, portfolio report dict) from one evaluation: the rows
    are cached (unpersist them when done); the report merges every
    partition's tally."""
    from pyspark.sql import functions as F

    out = _spark_all(df, policy, as_of, partitions).cache()
    partials = [r[0] for r in out.where(F.col("partial").isNotNull()).select("partial").collect()]
    rows = out.where(F.col("partial").isNull()).drop("partial")
    return rows, policy.report_partials(partials)


def report_spark(
    df: Any, policy: Policy, as_of: Optional[datetime] = None, *, partitions: Optional[int] = None
) -> Any:
    """The portfolio report (as ``Policy.report``) of a Spark DataFrame."""
    from pyspark.sql import functions as F

    out = _spark_all(df, policy, as_of, partitions)
    partials = [r[0] for r in out.where(F.col("partial").isNotNull()).select("partial").collect()]
    return policy.report_partials(partials)


# ---------------------------------------------------------------------- Dask


def _dask_all(ddf: Any, policy: Policy, as_of: Optional[datetime], partitions: Optional[int]):
    import pandas as pd

    shipped = ShippedPolicy.of(policy)
    instant = _as_of_text(as_of)
    if "customer" not in ddf.columns:
        ddf = ddf.assign(customer=ddf["ticket"].map(customer_of, meta=("customer", "object")))
    keep = [c for c in ("ticket", "position", "customer") if c in ddf.columns]
    ddf = ddf[keep]
    ddf = ddf.shuffle("customer", npartitions=partitions or ddf.npartitions)

    def run(frame: Any) -> Any:
        import pyarrow as pa

        table = pa.Table.from_pandas(frame, preserve_index=False)
        if table.num_rows == 0:
            return _schema().empty_table().to_pandas()
        return evaluate_table(shipped, table, instant).to_pandas()

    meta = pd.DataFrame(
        {
            "position": pd.Series([], dtype="Int64"),
            "ticket_id": pd.Series([], dtype="object"),
            "customer": pd.Series([], dtype="object"),
            "ok": pd.Series([], dtype="object"),
            "error_code": pd.Series([], dtype="Int32"),
            "answer": pd.Series([], dtype="object"),
            "partial": pd.Series([], dtype="object"),
        }
    )
    return ddf.map_partitions(run, meta=meta)


def evaluate_dask(
    ddf: Any, policy: Policy, as_of: Optional[datetime] = None, *, partitions: Optional[int] = None
) -> Any:
    """The result rows (``COLUMNS``) of a Dask DataFrame of tickets,
    evaluated with ``map_partitions`` after a shuffle by customer."""
    out = _dask_all(ddf, policy, as_of, partitions)
    return out[out["partial"].isna()].drop(columns=["partial"])


def evaluate_and_report_dask(
    ddf: Any, policy: Policy, as_of: Optional[datetime] = None, *, partitions: Optional[int] = None
) -> tuple[Any, Any]:
    """(result rows as a pandas DataFrame, portfolio report dict) from one
    evaluation on the current client."""
    out = _dask_all(ddf, policy, as_of, partitions).compute()
    tallies = out["partial"].notna()
    rows = out[~tallies].drop(columns=["partial"]).reset_index(drop=True)
    return rows, policy.report_partials(list(out.loc[tallies, "partial"]))


def report_dask(
    ddf: Any, policy: Policy, as_of: Optional[datetime] = None, *, partitions: Optional[int] = None
) -> Any:
    """The portfolio report (as ``Policy.report``) of a Dask DataFrame."""
    out = _dask_all(ddf, policy, as_of, partitions)
    # Dask's Series has `notnull` (pandas' `notna` is not mirrored).
    partials = out[out["partial"].notnull()]["partial"].compute()
    return policy.report_partials(list(partials))
