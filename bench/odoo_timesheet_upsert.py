"""Upsert 10,000 timesheet lines into the Odoo stand-in: batched `load` vs one `create` each.

    .venv/bin/python bench/odoo_timesheet_upsert.py [--rows 10000] [--batch 500] [--paced]

Runs over JSON-2 (stand-in playing Odoo 19) and JSON-RPC (playing Odoo 18),
through `OdooClient`, and prints wall times, per-row times and the ratios.
`--paced` holds every answer back as long as the recorded real servers took
(`Pace.recorded`), to show the figures a user meets on a real Odoo (use fewer
rows: one create per line then takes 50-76 ms each). Also times the same rows
upserted again unchanged (the client skips them
after reading them back) and Odoo's own recorded figures for comparison.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import time
from typing import Any

import structlog

from opsgate.connectors.odoo import OdooClient, OdooSettings, RowOutcome
from opsgate.connectors.odoo.standin import OdooStandin, Pace

MODEL = "account.analytic.line"
PROJECT_ID = 1
EMPLOYEE_ID = 1

# Real Odoo on loopback, 2 cores (shared/odoo READMEs): seconds per record.
RECORDED = {
    "Odoo 18 JSON-RPC, load of 2,000 new rows": 5.0 / 2000,
    "Odoo 18 JSON-RPC, 2,000 single creates": 97.7 / 2000,
    "Odoo 18 JSON-RPC, re-load of 2,000 unchanged rows": 30.9 / 2000,
    "Odoo 19 JSON-2, load of 500 new rows": 2.43 / 500,
    "Odoo 19 JSON-2, 50 single creates": 3.81 / 50,
    "Odoo 19 JSON-2, re-load of 500 unchanged rows": 11.57 / 500,
}


def _rows(count: int, tag: str) -> list[dict[str, Any]]:
    return [
        {
            "id": f"bench_{tag}_{n:05d}",
            "project_id/.id": str(PROJECT_ID),
            "employee_id/.id": str(EMPLOYEE_ID),
            "date": f"2026-11-{1 + n % 28:02d}",
            "unit_amount": str(0.25 * (1 + n % 16)),
            "name": f"Bench entry {tag} {n}",
        }
        for n in range(count)
    ]


def _values(count: int, tag: str) -> list[dict[str, Any]]:
    return [
        {
            "project_id": PROJECT_ID,
            "employee_id": EMPLOYEE_ID,
            "date": f"2026-11-{1 + n % 28:02d}",
            "unit_amount": 0.25 * (1 + n % 16),
            "name": f"Bench single {tag} {n}",
        }
        for n in range(count)
    ]


async def _measure(
    version: int, transport: str, count: int, batch: int, paced: bool
) -> dict[str, float]:
    pace = Pace.recorded(version) if paced else None
    with OdooStandin(version=version, pace=pace) as standin:
        settings = OdooSettings(
            url=standin.url,
            database=standin.database,
            api_key=standin.api_key,
            transport=transport,
            load_batch_size=batch,
        )
        async with OdooClient(settings=settings) as client:
            await client.connect()
            await client.fields_get(MODEL)
            started = time.perf_counter()
            result = await client.upsert(MODEL, _rows(count, "load"))
            load_s = time.perf_counter() - started
            if result.failed:
                raise SystemExit(
                    f"{len(result.failed)} rows failed: {result.failed[0].error}"
                )
            started = time.perf_counter()
            again = await client.upsert(MODEL, _rows(count, "load"))
            again_s = time.perf_counter() - started
            started = time.perf_counter()
            for values in _values(count, "create"):
                await client.create(MODEL, values)
            create_s = time.perf_counter() - started
    return {
        "load_s": load_s,
        "load_calls": float(result.load_calls),
        "again_s": again_s,
        "again_unchanged": float(len(again.with_outcome(RowOutcome.UNCHANGED))),
        "create_s": create_s,
    }


def _report(label: str, count: int, figures: dict[str, float]) -> None:
    load, create, again = figures["load_s"], figures["create_s"], figures["again_s"]
    print(f"\n{label}, {count:,} timesheet lines")
    print(
        f"  batched load, {int(figures['load_calls']):3d} calls:   {load:8.2f} s  "
        f"{1000 * load / count:6.3f} ms/row"
    )
    print(
        f"  one create per line:            {create:8.2f} s  "
        f"{1000 * create / count:6.3f} ms/row"
    )
    print(
        f"  upsert again, unchanged:        {again:8.2f} s  "
        f"{1000 * again / count:6.3f} ms/row "
        f"({int(figures['again_unchanged']):,} rows found unchanged, not sent)"
    )
    print(f"  create / load ratio:            {create / load:8.1f} x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument(
        "--paced", action="store_true", help="answer as slowly as real Odoo"
    )
    args = parser.parse_args()
    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING)
    )
    for label, version, transport in (
        ("JSON-2 (stand-in as Odoo 19)", 19, "json2"),
        ("JSON-RPC (stand-in as Odoo 18)", 18, "jsonrpc"),
    ):
        figures = asyncio.run(
            _measure(version, transport, args.rows, args.batch, args.paced)
        )
        _report(
            f"{label}{', paced as recorded' if args.paced else ''}", args.rows, figures
        )
    print("\nRecorded real Odoo (loopback, 2 cores), per record:")
    for label, seconds in RECORDED.items():
        print(f"  {label}: {1000 * seconds:6.1f} ms")


if __name__ == "__main__":
    main()
