"""Benchmark: chat answer latency without a model over the demo-sized fixture store.

The store holds the chat fixture plus one generated firm's year (about 9,000
timesheet, invoice and payment events). Asks every eval question `ROUNDS`
times and prints p50 and p99 in milliseconds.
Run: `.venv/bin/python bench/chat_latency.py [ROUNDS]`.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from opsgate.agent.chat.answer import answer
from opsgate.evals.billing.dataset import build_labelled_firm
from opsgate.evals.billing.store_fixture import write_firm
from opsgate.evals.chat.fixture import NOW
from opsgate.evals.chat.harness import fixture_engine
from opsgate.rules.store.db import session_scope


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as folder:
        engine, cases = fixture_engine(Path(folder) / "chat.db")
        with session_scope(engine) as session:
            events = write_firm(session, build_labelled_firm(31, "train"))
        print(f"store: fixture plus {events:,} firm events")
        timings = []
        for _ in range(rounds):
            for case in cases:
                started = time.perf_counter()
                answer(case.question, engine=engine, now=NOW)
                timings.append((time.perf_counter() - started) * 1000)
        engine.dispose()
    timings.sort()
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    print(f"questions answered: {len(timings)}")
    print(f"p50: {statistics.median(timings):.1f} ms")
    print(f"p99: {p99:.1f} ms")


if __name__ == "__main__":
    main()
