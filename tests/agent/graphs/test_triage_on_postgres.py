"""The triage graph with its store and its checkpoints on PostgreSQL."""

import os
import uuid

import psycopg
import pytest

from opsgate.agent.checkpoints import open_checkpointer
from opsgate.agent.graphs.triage import build_triage_graph
from opsgate.agent.graphs.triage_runs import resume_triage, start_triage
from opsgate.agent.graphs.triage_state import TriageContext
from opsgate.rules.store.db import create_schema, create_store_engine
from tests.agent.graphs.triage_seed import GATE, seed_incident

ADMIN_URL = os.environ.get(
    "OPSGATE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture
def postgres_url():
    try:
        with psycopg.connect(ADMIN_URL, connect_timeout=3):
            pass
    except psycopg.OperationalError as exc:
        message = f"PostgreSQL not reachable at {ADMIN_URL!r}: {exc}".strip()
        if os.environ.get("OPSGATE_TEST_REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    name = f"opsgate_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
def test_waiting_triage_resumes_from_a_postgres_checkpoint(postgres_url, classifier):
    engine = create_store_engine(postgres_url)
    create_schema(engine)
    context = TriageContext(engine=engine, classifier=classifier, gate=GATE)
    incident_id, _ = seed_incident(engine)

    with open_checkpointer(postgres_url) as saver:
        waiting = start_triage(build_triage_graph(saver), context, incident_id)
    with open_checkpointer(postgres_url) as saver:
        done = resume_triage(
            build_triage_graph(saver),
            context,
            incident_id,
            {
                "proposal_id": waiting.proposal_id,
                "decision": "approved",
                "approver": "ana",
                "reason": "ok",
            },
        )
    engine.dispose()

    assert waiting.waiting
    assert done.outcome == "verified"
