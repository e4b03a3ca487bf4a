"""Import a generated Harvest export into a fresh SQLite store; print rows/s and peak RSS.

    .venv/bin/python bench/timesheet_import.py [ROWS] [BAD_EVERY]

Measures the file import up to the store (parse, dedupe key, accept as
events, quarantine bad rows), not delivery to Odoo.
"""

import logging
import resource
import sys
import tempfile
import time
from pathlib import Path

import structlog

from opsgate.connectors.timesheet_export.importer import open_export
from opsgate.rules.catalog.loader import load_catalog
from opsgate.rules.imports.file_import import import_items
from opsgate.rules.store.db import create_store_engine, upgrade_to_head

HEADER = (
    "Date,Client,Project,Project Code,Task,Notes,Hours,Billable?,Invoiced?,Approved?,"
    "First Name,Last Name,Employee Id,Roles,Employee?,Billable Rate,Billable Amount,"
    "Cost Rate,Cost Amount,Currency,External Reference URL\n"
)


def write_export(path: Path, rows: int, bad_every: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for n in range(rows):
            day = f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}"
            hours = (
                "x"
                if bad_every and n % bad_every == bad_every - 1
                else f"{1 + n % 7}.25"
            )
            out.write(
                f'{day},"Client {n % 40}, Ltd",Project {n % 90},P-{n % 90},Consulting,'
                f"Entry {n},{hours},Yes,No,Yes,Person,{n % 40},{n % 40},,Yes,150.0,"
                "187.5,80.0,100.0,Euro - EUR,\n"
            )


def main() -> None:
    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(logging.ERROR)
    )
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    bad_every = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "harvest.csv"
        write_export(path, rows, bad_every)
        engine = create_store_engine(f"sqlite:///{folder}/bench.db")
        upgrade_to_head(engine)
        catalog = load_catalog([])
        started = time.perf_counter()
        reading = open_export(path)
        report = import_items(
            engine, catalog, reading.rows(), source="harvest", file=path.name
        )
        elapsed = time.perf_counter() - started
        again = time.perf_counter()
        repeat = import_items(
            engine, catalog, open_export(path).rows(), source="harvest", file=path.name
        )
        reimport_s = time.perf_counter() - again
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"rows: {report.rows}  accepted: {report.accepted}  rejected: {report.rejected}"
    )
    print(f"import: {elapsed:.2f} s  {report.rows / elapsed:,.0f} rows/s")
    print(
        f"re-import: {reimport_s:.2f} s  duplicates: {repeat.duplicates}  new: {repeat.accepted}"
    )
    print(f"peak RSS: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
