"""A delivery worker process for the crash test.

Run as `python crash_worker.py DATABASE_URL LEDGER_PATH`. The target is a
SQLite ledger (its own file) that logs every arrival and applies each
idempotency key once: a repeated key is a no-op, as at a real idempotent
target. SIGTERM stops the worker gracefully; SIGKILL (what the test sends)
stops it anywhere.
"""

from __future__ import annotations

import asyncio
import json
import signal
import sqlite3
import sys

import structlog

from opsgate.rules.delivery.settings import DeliverySettings
from opsgate.rules.delivery.targets import DeliveryCommand
from opsgate.rules.delivery.worker import run_workers
from opsgate.rules.store.db import create_store_engine

SETTINGS = DeliverySettings(
    lease_s=3.0,
    attempt_timeout_s=1.0,
    batch_size=100,
    parallel_attempts=50,
    concurrency=2,
    poll_interval_s=0.05,
    initial_backoff_s=0.05,
    max_attempts=100,
    circuit_failure_threshold=10_000,
)

LEDGER_SCHEMA = """
CREATE TABLE IF NOT EXISTS arrival (n INTEGER PRIMARY KEY, key TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS applied (key TEXT PRIMARY KEY, payload TEXT NOT NULL);
"""


def open_ledger(path: str) -> sqlite3.Connection:
    ledger = sqlite3.connect(path, isolation_level=None, timeout=30)
    ledger.execute("PRAGMA journal_mode=WAL")
    ledger.executescript(LEDGER_SCHEMA)
    return ledger


class LedgerTarget:
    """Counts arrivals by idempotency key and applies each key once."""

    name = "ledger"

    def __init__(self, path: str) -> None:
        self.ledger = open_ledger(path)

    async def deliver(self, command: DeliveryCommand) -> None:
        payload = json.dumps(command.payload, sort_keys=True)
        self.ledger.execute("BEGIN IMMEDIATE")
        self.ledger.execute(
            "INSERT INTO arrival (key) VALUES (?)", (command.idempotency_key,)
        )
        self.ledger.execute(
            "INSERT INTO applied (key, payload) VALUES (?, ?) "
            "ON CONFLICT (key) DO NOTHING",
            (command.idempotency_key, payload),
        )
        self.ledger.execute("COMMIT")


async def main(database_url: str, ledger_path: str) -> None:
    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(40)  # errors only
    )
    engine = create_store_engine(database_url)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await run_workers(
        engine, [LedgerTarget(ledger_path)], stop_event=stop, settings=SETTINGS
    )
    engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
