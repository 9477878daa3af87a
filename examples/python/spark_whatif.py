"""What-if on Spark: 1,000,000 generated tickets under today's policy and a
variant (contact within 1 h for normal tickets), each evaluated with
`aftersales.distributed` on a local Spark (2 cores), printing the
comparison table. Not run by the tests (minutes on 2 cores).

    python examples/python/spark_whatif.py [tickets]
"""

import os
import sys
import time

import pandas as pd
import ticketgen
from pyspark.sql import SparkSession

from aftersales import Policy, distributed

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
today = Policy.from_path(ticketgen.POLICY)
policies = {
    "today": today,
    "contact 1h": today.with_overrides({"targets.contact.target.normal": "1h"}),
}

# The workers run this interpreter (the one aftersales is installed in).
os.environ["PYSPARK_PYTHON"] = sys.executable
spark = (
    SparkSession.builder.master("local[2]")
    .config("spark.sql.execution.arrow.pyspark.enabled", "true")
    .config("spark.driver.memory", "4g")
    .config("spark.ui.enabled", "false")
    .getOrCreate()
)
pdf = pd.DataFrame({"position": range(1, n + 1), "ticket": list(ticketgen.tickets(n))})
df = spark.createDataFrame(pdf).cache()
df.count()
records = []
for name, policy in policies.items():
    start = time.perf_counter()
    report = distributed.report_spark(df, policy, ticketgen.AS_OF, partitions=8)
    took = time.perf_counter() - start
    print(f"{name}: {n:,} tickets in {took:.1f} s ({n / took:,.0f} tickets/s)", file=sys.stderr)
    for metric in report["metrics"]:
        records.append({
            "policy": name,
            "metric": metric["metric"],
            "tickets": metric["tickets"],
            "met": metric["met"],
            "breached": metric["breached"],
            "on_time_rate": metric["on_time_rate"],
            "goal_met": metric["goal_met"],
            "charged": report["money"]["charged"],
            "credited": report["money"]["credited"],
            "errors": report["errors"],
        })
print(pd.DataFrame.from_records(records).to_string(index=False))
spark.stop()
