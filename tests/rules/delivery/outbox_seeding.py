"""Seed events with deliveries and run workers until the outbox settles."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable

from sqlalchemy import Engine, func, insert, select
from sqlmodel import col

from opsgate.rules.delivery.outbox import enqueue
from opsgate.rules.delivery.settings import DeliverySettings
from opsgate.rules.delivery.worker import WorkerStats, run_workers
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.statuses import DeliveryStatus, EventStatus
from opsgate.rules.store.tables import Delivery, Event, utcnow

FAST = DeliverySettings(
    initial_backoff_s=0.01,
    jitter=0.0,
    max_attempts=3,
    attempt_timeout_s=0.5,
    lease_s=30,
    poll_interval_s=0.01,
    batch_size=50,
    concurrency=2,
    circuit_failure_threshold=1000,
)


def seed_deliveries(
    engine: Engine, count: int, *, target: str = "recording", prefix: str = "k"
) -> list[str]:
    """Insert `count` events, each with one delivery to `target`; return the keys."""
    now = utcnow()
    events = [
        {
            "id": str(uuid.uuid4()),
            "source": "test",
            "source_event_id": f"{prefix}-{n}",
            "type": "opsgate.test.happened",
            "raw_body": b"{}",
            "accepted_at": now,
            "status": EventStatus.ROUTED,
        }
        for n in range(count)
    ]
    keys = [f"{prefix}-{n}" for n in range(count)]
    with session_scope(engine) as session:
        connection = session.connection()
        connection.execute(insert(Event), events)
        enqueue(
            session,
            [
                {
                    "event_id": event["id"],
                    "target": target,
                    "operation": "post:test",
                    "idempotency_key": key,
                    "payload": {"n": n},
                }
                for n, (event, key) in enumerate(zip(events, keys, strict=True))
            ],
        )
    return keys


def open_deliveries(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(
            select(func.count()).where(
                col(Delivery.status).in_(
                    [
                        DeliveryStatus.PENDING,
                        DeliveryStatus.RETRYING,
                        DeliveryStatus.IN_FLIGHT,
                    ]
                )
            )
        ).scalar_one()


async def run_until_settled(
    engine: Engine,
    targets,
    *,
    settings: DeliverySettings = FAST,
    settled: Callable[[Engine], bool] | None = None,
    timeout_s: float = 20.0,
) -> WorkerStats:
    """Run workers until no delivery is open (or `settled` says so)."""
    stop = asyncio.Event()
    settled = settled or (lambda e: open_deliveries(e) == 0)

    async def watch() -> None:
        try:
            async with asyncio.timeout(timeout_s):
                while not await asyncio.to_thread(settled, engine):
                    await asyncio.sleep(0.02)
        finally:
            stop.set()

    watcher = asyncio.create_task(watch())
    stats = await run_workers(engine, targets, stop_event=stop, settings=settings)
    await watcher
    return stats
