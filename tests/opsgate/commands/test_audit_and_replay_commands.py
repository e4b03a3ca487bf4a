import uuid

import pytest
from sqlalchemy import select, update
from sqlmodel import col
from typer.testing import CliRunner

from opsgate.cli import app
from opsgate.commands.replay import parse_since
from opsgate.connectors.errors import ErrorCategory
from opsgate.rules.audit.chain import record
from opsgate.rules.delivery.outbox import enqueue
from opsgate.rules.store.db import create_schema, create_store_engine, session_scope
from opsgate.rules.store.statuses import DeliveryStatus
from opsgate.rules.store.tables import AuditEntry, DeadLetter, Delivery, Event, utcnow

runner = CliRunner()


@pytest.fixture
def store(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = create_store_engine(url)
    create_schema(engine)
    yield url, engine
    engine.dispose()


def _dead_letter(engine, key: str, target: str = "odoo") -> int:
    event_id = str(uuid.uuid4())
    with session_scope(engine) as session:
        session.add(
            Event(id=event_id, source="t", source_event_id=key, type="t", raw_body=b"")
        )
        session.flush()
        enqueue(
            session,
            [
                {
                    "event_id": event_id,
                    "target": target,
                    "operation": "upsert:res.partner",
                    "idempotency_key": key,
                    "payload": {"name": "Acme"},
                }
            ],
        )
        delivery_id = session.exec(
            select(Delivery.id).where(col(Delivery.idempotency_key) == key)
        ).one()[0]
        session.connection().execute(
            update(Delivery)
            .where(col(Delivery.id) == delivery_id)
            .values(status=DeliveryStatus.DEAD, next_attempt_at=None)
        )
        dead_letter = DeadLetter(
            delivery_id=delivery_id,
            event_id=event_id,
            target=target,
            category=ErrorCategory.MISSING_REFERENCE,
            reason="No country 'XX'.",
        )
        session.add(dead_letter)
        session.flush()
        return dead_letter.id


def test_audit_verify_reports_an_intact_chain(store):
    url, engine = store
    with session_scope(engine) as session:
        record(session, actor="ana", action="test.done")

    result = runner.invoke(app, ["audit", "verify", "--database-url", url])

    assert result.exit_code == 0
    assert "Audit chain intact: 1 entries, head " in result.output


def test_audit_verify_exits_1_naming_the_broken_entry(store):
    url, engine = store
    with session_scope(engine) as session:
        for n in range(3):
            record(session, actor="ana", action="test.done", detail={"n": n})
    with engine.begin() as connection:
        connection.execute(
            update(AuditEntry).where(col(AuditEntry.id) == 2).values(actor="eve")
        )

    result = runner.invoke(app, ["audit", "verify", "--database-url", url])

    assert result.exit_code == 1
    assert "Audit chain broken at entry 2: Audit entry 2 was edited" in result.output


def test_a_kept_head_catches_entries_deleted_from_the_end(store):
    url, engine = store
    with session_scope(engine) as session:
        for n in range(3):
            record(session, actor="ana", action="test.done", detail={"n": n})
    first = runner.invoke(app, ["audit", "verify", "--database-url", url])
    head = first.output.split("head ")[1].split(".")[0]
    with session_scope(engine) as session:
        record(session, actor="ana", action="test.done", detail={"n": 3})

    later = runner.invoke(
        app, ["audit", "verify", "--database-url", url, "--expect-head", head]
    )
    with engine.begin() as connection:
        connection.execute(AuditEntry.__table__.delete().where(AuditEntry.id >= 3))
    cut = runner.invoke(
        app, ["audit", "verify", "--database-url", url, "--expect-head", head]
    )

    assert later.exit_code == 0
    assert "the kept head is entry 3" in later.output
    assert cut.exit_code == 1
    assert "cut short" in cut.output
    assert head in cut.output


def test_replay_dry_run_says_what_would_happen_and_changes_nothing(store):
    url, engine = store
    dead_letter_id = _dead_letter(engine, "k1")

    result = runner.invoke(
        app,
        [
            "replay",
            str(dead_letter_id),
            "--dry-run",
            "--database-url",
            url,
            "--patch",
            '{"country": "BE"}',
        ],
    )

    assert result.exit_code == 0, result.output
    assert "would re-queue delivery 1 to odoo (missing_reference)" in result.output
    assert '{"country": "BE", "name": "Acme"}' in result.output
    assert "dry run: nothing changed" in result.output
    with engine.connect() as connection:
        assert connection.execute(select(Delivery.status)).scalar_one() == "dead"


def test_replay_by_target_requeues_and_audits_the_actor(store):
    url, engine = store
    _dead_letter(engine, "k1", target="odoo")
    _dead_letter(engine, "k2", target="hubspot")

    result = runner.invoke(
        app, ["replay", "--target", "odoo", "--actor", "ana", "--database-url", url]
    )

    assert result.exit_code == 0, result.output
    assert "1 re-queued, 0 skipped." in result.output
    with engine.connect() as connection:
        statuses = dict(
            connection.execute(select(Delivery.idempotency_key, Delivery.status)).all()
        )
        actors = connection.execute(select(AuditEntry.actor)).scalars().all()
    assert statuses == {"k1": DeliveryStatus.PENDING, "k2": DeliveryStatus.DEAD}
    assert actors == ["ana"]


def test_replay_of_an_unknown_id_exits_1_naming_it(store):
    url, _ = store

    result = runner.invoke(app, ["replay", "42", "--database-url", url])

    assert result.exit_code == 1
    assert "dead letter 42: skipped: No dead letter 42." in result.output


def test_replay_without_ids_or_filters_is_refused(store):
    url, _ = store

    result = runner.invoke(app, ["replay", "--database-url", url])

    assert result.exit_code == 2
    assert "Name dead letters to replay" in result.output


def test_since_accepts_ages_and_iso_times():
    now = utcnow()

    assert (now - parse_since("90m", now=now)).total_seconds() == 5400
    assert parse_since("2026-12-03T09:00").isoformat() == "2026-12-03T09:00:00+00:00"


def test_since_names_a_value_it_cannot_read():
    import typer

    with pytest.raises(typer.BadParameter, match="'yesterday' is neither"):
        parse_since("yesterday")
