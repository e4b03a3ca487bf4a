"""Benchmark the whole triage graph on the embedded default, up to the interrupt.

    .venv/bin/python bench/triage_graph.py [--incidents 300]

Each incident is a dead-lettered delivery in a SQLite store; each run reads
it, classifies, assesses, proposes through the gate and checkpoints to a
SQLite file, stopping where it waits for approval (no LLM, no memory).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from sqlalchemy import Engine

from opsgate.agent.checkpoints import open_checkpointer
from opsgate.agent.classify import Classifier
from opsgate.agent.classify.model import TriageModel
from opsgate.agent.graphs.triage import build_triage_graph
from opsgate.agent.graphs.triage_runs import start_triage
from opsgate.agent.graphs.triage_state import TriageContext
from opsgate.connectors.errors import ErrorCategory
from opsgate.rules.store.db import create_schema, create_store_engine, session_scope
from opsgate.rules.store.statuses import AttemptOutcome, DeliveryStatus
from opsgate.rules.store.tables import Attempt, DeadLetter, Delivery, Event, Incident

FAULTS = [
    ("HubSpot answered 429 Too Many Requests.", ErrorCategory.RATE_LIMIT),
    ("You cannot modify timesheets that are already invoiced.", ErrorCategory.CONFLICT),
    ("Odoo did not answer load:res.partner within 10.0 s.", ErrorCategory.TIMEOUT),
    (
        "Value 'bogus' not found in selection field 'Address Type'",
        ErrorCategory.UNKNOWN,
    ),
]


def seed(engine: Engine, count: int) -> list[int]:
    ids = []
    with session_scope(engine) as session:
        for n in range(count):
            message, category = FAULTS[n % len(FAULTS)]
            session.add(
                Event(
                    id=f"evt-{n}",
                    source="hubspot",
                    source_event_id=str(n),
                    type="t",
                    raw_body=b"{}",
                    data={"n": n},
                )
            )
            session.flush()
            delivery = Delivery(
                event_id=f"evt-{n}",
                target="odoo",
                operation="load:res.partner",
                idempotency_key=f"k{n}",
                payload={"n": n},
                status=DeliveryStatus.DEAD,
            )
            session.add(delivery)
            session.flush()
            session.add(
                Attempt(
                    delivery_id=delivery.id,
                    number=3,
                    outcome=AttemptOutcome.FAILED,
                    error_message=message,
                    fault={"name": "x", "message": message},
                )
            )
            dead = DeadLetter(
                delivery_id=delivery.id,
                event_id=f"evt-{n}",
                target="odoo",
                category=category,
                reason=message,
            )
            session.add(dead)
            session.flush()
            incident = Incident(
                category=category,
                title=message,
                event_id=f"evt-{n}",
                delivery_id=delivery.id,
                dead_letter_id=dead.id,
            )
            session.add(incident)
            session.flush()
            ids.append(int(incident.id or 0))
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = create_store_engine(f"sqlite:///{Path(folder) / 'store.db'}")
        create_schema(engine)
        ids = seed(engine, args.incidents)
        context = TriageContext(
            engine=engine, classifier=Classifier(TriageModel.load())
        )
        with open_checkpointer(str(Path(folder) / "checkpoints.db")) as saver:
            graph = build_triage_graph(saver)
            started = time.perf_counter()
            waiting = sum(start_triage(graph, context, i).waiting for i in ids)
            elapsed = time.perf_counter() - started
        engine.dispose()
    print(
        f"triage graph to the interrupt: {len(ids)} incidents in {elapsed:.2f} s = "
        f"{len(ids) / elapsed:,.1f} incidents/s ({waiting} waiting for approval; "
        "SQLite store and checkpoints)"
    )


if __name__ == "__main__":
    main()
