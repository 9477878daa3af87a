"""What-if on Dask: 1,000,000 generated tickets under today's policy and a
variant (contact within 1 h for normal tickets), each evaluated with
`aftersales.distributed` on a Dask LocalCluster of 2 worker processes,
printing the comparison table. Not run by the tests (minutes on 2 cores).

    python examples/python/dask_whatif.py [tickets]
"""

import sys
import time

import dask.dataframe as dd
import pandas as pd
import ticketgen
from dask.distributed import Client, LocalCluster

from aftersales import Policy, distributed

if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    today = Policy.from_path(ticketgen.POLICY)
    policies = {
        "today": today,
        "contact 1h": today.with_overrides({"targets.contact.target.normal": "1h"}),
    }
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        with Client(cluster):
            pdf = pd.DataFrame({"position": range(1, n + 1), "ticket": list(ticketgen.tickets(n))})
            ddf = dd.from_pandas(pdf, npartitions=8).persist()
            records = []
            for name, policy in policies.items():
                start = time.perf_counter()
                report = distributed.report_dask(ddf, policy, ticketgen.AS_OF, partitions=8)
                took = time.perf_counter() - start
                print(f"{name}: {n:,} tickets in {took:.1f} s ({n / took:,.0f} tickets/s)",
                      file=sys.stderr)
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
