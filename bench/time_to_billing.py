"""Import a 100,000-row Harvest export through time-to-billing into the Odoo stand-in.

    .venv/bin/python bench/time_to_billing.py [ROWS]

Runs the demo's staffing and deals phases first (so projects, tasks and
employees exist in Odoo), then times the `time` phase end to end: parse,
accept, route, deliver in batched `load` calls, until nothing is owed. Prints
rows/s and the process's peak RSS. The demo's faults stay in (two
rate-limited loads, a consultant who left, held projects), as in a real month.

Last measured on the 2-core machine shared with other work (load 2-3.6):
100,000 rows in 121.8 s, 821 rows/s, 64,165 lines landed (the rest refused
with incidents), peak RSS 741 MiB for the whole process, stand-ins included
(440 MiB at 10,000 rows). Before the stand-in's indexes, whole-batch
coalescing, batched dead letters and smaller SQLite caches: 169 rows/s,
590 s, 1,252 MiB. What is left is one interpreter parsing, routing and
delivering at once, and the stand-in keeping every record in memory; see
README's benchmark section.
"""

import asyncio
import logging
import resource
import sys
import tempfile
from pathlib import Path

import structlog
from sqlmodel import func, select

from opsgate.demo.runner import DemoOptions, run_demo
from opsgate.rules.store.db import create_store_engine, session_scope
from opsgate.rules.store.statuses import DeliveryStatus
from opsgate.rules.store.tables import Delivery


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(logging.ERROR)
    )
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        options = DemoOptions(
            workdir=workdir,
            phases=("staffing", "deals", "time"),
            time_rows=rows,
            settle_timeout_s=3600.0,
        )
        report = asyncio.run(run_demo(options))
        engine = create_store_engine(f"sqlite:///{workdir / 'demo.db'}")
        with session_scope(engine) as session:
            delivered = session.exec(
                select(func.count()).where(
                    Delivery.operation == "upsert:account.analytic.line",
                    Delivery.status == DeliveryStatus.DELIVERED,
                )
            ).one()
    seconds = report.phases["time"]
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rows in export        {rows:,}")
    print(f"timesheet lines in Odoo {delivered:,} (the rest refused, with incidents)")
    print(f"time phase            {seconds:.1f} s")
    print(f"end to end            {rows / seconds:,.0f} rows/s")
    print(f"peak RSS (process)    {peak_mib:,.0f} MiB")


if __name__ == "__main__":
    main()
