"""Benchmark (a): accept -> delivered to a null target, on SQLite.

    .venv/bin/python bench/pipeline_sqlite.py [--events 100000]

An accept process stores events (raw body + canonical data) and their
deliveries in batched transactions while a worker process claims and delivers
them to `NullTarget` through the real outbox, outcomes, attempts and audit
chain. Prints events/s end to end (first accept to last delivery), each
side's own rate, and peak RSS of both processes.

Accept here is a batched insert of events and deliveries (`enqueue`), not the
HTTP server, mapping or routing: those are measured by benchmark (b).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing
import resource
import tempfile
import time
import uuid
from pathlib import Path

import orjson
import structlog
from sqlalchemy import func, select
from sqlmodel import col

from opsgate.rules.delivery.outbox import enqueue
from opsgate.rules.delivery.settings import DeliverySettings
from opsgate.rules.delivery.targets import NullTarget
from opsgate.rules.delivery.worker import run_workers
from opsgate.rules.store.bulk import insert_rows
from opsgate.rules.store.db import create_schema, create_store_engine, write_transaction
from opsgate.rules.store.statuses import DeliveryStatus, EventStatus
from opsgate.rules.store.tables import Delivery, Event, utcnow

ACCEPT_BATCH = 1000
SETTINGS = DeliverySettings(
    batch_size=1000,
    parallel_attempts=1,
    attempt_timeout_s=0.05,
    lease_s=120,
    concurrency=1,
    poll_interval_s=0.01,
)


def _quiet_logs() -> None:
    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING),
        cache_logger_on_first_use=True,
    )


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _events(start: int, count: int) -> tuple[list[dict], list[dict]]:
    now = utcnow()
    events, deliveries = [], []
    for n in range(start, start + count):
        event_id = str(uuid.uuid4())
        data = {"id": f"C-{n}", "name": f"Customer {n}", "country": "BE", "vat": None}
        events.append(
            {
                "id": event_id,
                "source": "bench",
                "source_event_id": str(n),
                "type": "opsgate.customer.upserted",
                "accepted_at": now,
                "status": EventStatus.ROUTED,
                "content_type": "application/json",
                "raw_body": orjson.dumps({"event": "customer.updated", "data": data}),
                "data": data,
            }
        )
        deliveries.append(
            {
                "event_id": event_id,
                "target": "null",
                "operation": "upsert:customer",
                "idempotency_key": f"bench-{n}",
                "payload": data,
            }
        )
    return events, deliveries


def accept(url: str, total: int, started: multiprocessing.Event, out) -> None:
    _quiet_logs()
    engine = create_store_engine(url)
    started.wait()
    t0, cpu0 = time.perf_counter(), time.process_time()
    for start in range(0, total, ACCEPT_BATCH):
        events, deliveries = _events(start, min(ACCEPT_BATCH, total - start))
        with write_transaction(engine) as connection:
            insert_rows(connection, Event, events)
            enqueue(connection, deliveries)
    cpu = time.process_time() - cpu0
    out.put(("accept", time.perf_counter() - t0, cpu, _peak_rss_mib()))
    engine.dispose()


def deliver(url: str, total: int, started: multiprocessing.Event, out) -> None:
    _quiet_logs()
    engine = create_store_engine(url)

    async def main() -> None:
        stop = asyncio.Event()

        async def watch() -> None:
            while True:
                await asyncio.sleep(0.25)
                if await asyncio.to_thread(_delivered, engine) >= total:
                    stop.set()
                    return

        started.wait()
        t0, cpu0 = time.perf_counter(), time.process_time()
        watcher = asyncio.create_task(watch())
        await run_workers(engine, [NullTarget()], stop_event=stop, settings=SETTINGS)
        await watcher
        cpu = time.process_time() - cpu0
        out.put(("deliver", time.perf_counter() - t0, cpu, _peak_rss_mib()))

    asyncio.run(main())
    engine.dispose()


def _delivered(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(
            select(func.count()).where(col(Delivery.status) == DeliveryStatus.DELIVERED)
        ).scalar_one()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        engine = create_store_engine(url)
        create_schema(engine)
        engine.dispose()
        started = multiprocessing.Event()
        out: multiprocessing.Queue = multiprocessing.Queue()
        procs = [
            multiprocessing.Process(target=f, args=(url, args.events, started, out))
            for f in (accept, deliver)
        ]
        for proc in procs:
            proc.start()
        time.sleep(1.0)  # both processes imported and connected
        t0 = time.perf_counter()
        started.set()
        results = {}
        for _ in procs:
            name, seconds, cpu, rss = out.get()
            results[name] = (seconds, cpu, rss)
        wall = time.perf_counter() - t0
        for proc in procs:
            proc.join()
    accept_s, accept_cpu, accept_rss = results["accept"]
    deliver_s, deliver_cpu, deliver_rss = results["deliver"]
    print(f"events:                 {args.events}")
    print(f"end to end:             {args.events / wall:,.0f} events/s ({wall:.2f} s)")
    print(f"accept side alone:      {args.events / accept_s:,.0f} events/s")
    print(f"delivery side:          {args.events / deliver_s:,.0f} deliveries/s")
    print(f"accept CPU per event:   {accept_cpu / args.events * 1e6:.1f} us")
    print(f"worker CPU per event:   {deliver_cpu / args.events * 1e6:.1f} us")
    print(f"peak RSS accept:        {accept_rss:.0f} MiB")
    print(f"peak RSS worker:        {deliver_rss:.0f} MiB")


if __name__ == "__main__":
    main()
