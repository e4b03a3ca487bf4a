"""The crash test: worker processes are SIGKILLed at random while 10,000 flow.

Two worker processes share the outbox; at random moments one of them is
killed with SIGKILL and a new one started in its place. Afterwards every
delivery is delivered, every idempotency key arrived at the target, and the
target applied each key exactly once with its own payload.
"""

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import col

from opsgate.rules.store.db import create_store_engine
from opsgate.rules.store.statuses import DeliveryStatus
from opsgate.rules.store.tables import Delivery
from tests.rules.delivery.crash_worker import open_ledger
from tests.rules.delivery.outbox_seeding import seed_deliveries

EVENTS = 10_000
KILLS = 8
WORKER_SCRIPT = Path(__file__).with_name("crash_worker.py")


def _start_worker(database_url: str, ledger_path: Path, log: Path) -> subprocess.Popen:
    with log.open("ab") as stderr:
        return subprocess.Popen(
            [sys.executable, str(WORKER_SCRIPT), database_url, str(ledger_path)],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )


def _delivered(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(
            select(func.count()).where(col(Delivery.status) == DeliveryStatus.DELIVERED)
        ).scalar_one()


@pytest.mark.slow
def test_sigkilled_workers_lose_nothing_and_apply_each_delivery_once(
    store_url, tmp_path
):
    ledger_path = tmp_path / "target-ledger.db"
    open_ledger(str(ledger_path)).close()
    engine = create_store_engine(store_url)
    keys = seed_deliveries(engine, EVENTS, target="ledger")
    rng = random.Random(20261203)
    logs = [tmp_path / f"worker-{slot}.log" for slot in range(2)]
    workers = [_start_worker(store_url, ledger_path, log) for log in logs]
    kills, deadline = 0, time.monotonic() + 240
    try:
        while _delivered(engine) < EVENTS and time.monotonic() < deadline:
            time.sleep(rng.uniform(0.05, 0.5))
            if kills < KILLS:
                slot = rng.randrange(len(workers))
                workers[slot].send_signal(signal.SIGKILL)
                workers[slot].wait()
                kills += 1
                workers[slot] = _start_worker(store_url, ledger_path, logs[slot])
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=60)
    errors = [log.read_text() for log in logs]

    ledger = open_ledger(str(ledger_path))
    arrived = {key for (key,) in ledger.execute("SELECT DISTINCT key FROM arrival")}
    applied = dict(ledger.execute("SELECT key, payload FROM applied"))
    ledger.close()
    delivered = _delivered(engine)
    engine.dispose()
    assert kills == KILLS
    assert [worker.returncode for worker in workers] == [0, 0], errors
    assert delivered == EVENTS
    assert arrived == set(keys)
    assert applied == {
        key: json.dumps({"n": n}, sort_keys=True) for n, key in enumerate(keys)
    }
