from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlmodel import col

from opsgate.connectors.errors import ErrorCategory
from opsgate.rules.delivery.replay import (
    merge_patch,
    replay_dead_letters,
    replay_matching,
    retry_delivery,
    select_dead_letters,
)
from opsgate.rules.delivery.targets import RecordingTarget
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.statuses import DeliveryStatus
from opsgate.rules.store.tables import AuditEntry, DeadLetter, Delivery, utcnow
from tests.rules.delivery.delivery_targets import FlakyTarget, unavailable
from tests.rules.delivery.outbox_seeding import run_until_settled, seed_deliveries


def invalid(command):
    return unavailable(command, category=ErrorCategory.VALIDATION, retryable=False)


async def _dead_letters(engine, count, *, target="recording", prefix="k"):
    seed_deliveries(engine, count, target=target, prefix=prefix)
    await run_until_settled(
        engine, [FlakyTarget(failures=99, make_error=invalid, name=target)]
    )
    with engine.connect() as connection:
        return (
            connection.execute(
                select(DeadLetter.id)
                .where(col(DeadLetter.target) == target)
                .order_by(col(DeadLetter.id))
            )
            .scalars()
            .all()
        )


def _deliveries(engine):
    with engine.connect() as connection:
        return connection.execute(select(Delivery).order_by(col(Delivery.id))).all()


def test_merge_patch_follows_rfc_7396():
    document = {"a": 1, "b": {"c": 2, "d": 3}}

    patched = merge_patch(document, {"b": {"c": None, "e": 4}, "f": [1]})

    assert patched == {"a": 1, "b": {"d": 3, "e": 4}, "f": [1]}
    assert document == {"a": 1, "b": {"c": 2, "d": 3}}


async def test_replayed_dead_letter_is_delivered_with_its_key(store_engine):
    (dead_letter_id,) = await _dead_letters(store_engine, 1)

    with session_scope(store_engine) as session:
        report = replay_dead_letters(session, [dead_letter_id], actor="ana")
    target = RecordingTarget()
    await run_until_settled(store_engine, [target])

    assert [i.action for i in report.items] == ["requeued"]
    assert list(target.applied) == ["k-0"]
    (delivery,) = _deliveries(store_engine)
    assert delivery.status is DeliveryStatus.DELIVERED
    with store_engine.connect() as connection:
        dead_letter = connection.execute(select(DeadLetter)).one()
        replayed = connection.execute(
            select(AuditEntry).where(col(AuditEntry.action) == "dead_letter.replayed")
        ).one()
    assert (dead_letter.replay_count, replayed.actor) == (1, "ana")


async def test_dry_run_replay_changes_nothing_and_previews_the_patch(store_engine):
    ids = await _dead_letters(store_engine, 2)
    before = _deliveries(store_engine)

    with session_scope(store_engine) as session:
        report = replay_dead_letters(
            session, ids, actor="ana", patch={"n": None, "fixed": True}, dry_run=True
        )

    assert [i.action for i in report.items] == ["would_requeue"] * 2
    assert [i.payload for i in report.items] == [{"fixed": True}] * 2
    assert _deliveries(store_engine) == before


async def test_replay_with_patch_sends_the_patched_payload(store_engine):
    (dead_letter_id,) = await _dead_letters(store_engine, 1)

    with session_scope(store_engine) as session:
        replay_dead_letters(
            session, [dead_letter_id], actor="ana", patch={"customer": "C-1"}
        )
    target = RecordingTarget()
    await run_until_settled(store_engine, [target])

    assert target.applied == {"k-0": {"n": 0, "customer": "C-1"}}


async def test_replay_skips_unknown_and_already_replayed_ids_naming_why(store_engine):
    (dead_letter_id,) = await _dead_letters(store_engine, 1)
    with session_scope(store_engine) as session:
        replay_dead_letters(session, [dead_letter_id], actor="ana")

    with session_scope(store_engine) as session:
        report = replay_dead_letters(session, [dead_letter_id, 999], actor="ana")

    assert [i.action for i in report.items] == ["skipped", "skipped"]
    assert "is pending, not dead" in report.items[0].reason
    assert report.items[1].reason == "No dead letter 999."


async def test_replay_by_filter_takes_only_matching_dead_letters(store_engine):
    await _dead_letters(store_engine, 2, target="odoo", prefix="o")
    hubspot = await _dead_letters(store_engine, 1, target="hubspot", prefix="h")
    with session_scope(store_engine) as session:
        assert select_dead_letters(session, target="hubspot") == hubspot
        assert select_dead_letters(session, category=ErrorCategory.TIMEOUT) == []
        assert select_dead_letters(session, since=utcnow() + timedelta(hours=1)) == []

    with session_scope(store_engine) as session:
        report = replay_matching(session, actor="ana", target="odoo")

    statuses = {d.idempotency_key: d.status for d in _deliveries(store_engine)}
    assert len(report.requeued) == 2
    assert statuses == {
        "o-0": DeliveryStatus.PENDING,
        "o-1": DeliveryStatus.PENDING,
        "h-0": DeliveryStatus.DEAD,
    }


async def test_retry_delivery_brings_a_waiting_retry_forward(store_engine):
    seed_deliveries(store_engine, 1)
    with store_engine.begin() as connection:
        connection.execute(
            update(Delivery).values(
                status=DeliveryStatus.RETRYING,
                attempt_count=2,
                next_attempt_at=utcnow() + timedelta(hours=1),
            )
        )
    (delivery,) = _deliveries(store_engine)

    with session_scope(store_engine) as session:
        report = retry_delivery(session, delivery.id, actor="ana")

    (after,) = _deliveries(store_engine)
    assert [i.action for i in report.items] == ["requeued"]
    assert after.attempt_count == 2
    assert after.next_attempt_at.replace(tzinfo=None) <= utcnow().replace(tzinfo=None)


async def test_retry_delivery_replays_a_dead_delivery(store_engine):
    await _dead_letters(store_engine, 1)
    (delivery,) = _deliveries(store_engine)

    with session_scope(store_engine) as session:
        report = retry_delivery(session, delivery.id, actor="ana")

    assert report.items[0].dead_letter_id is not None
    assert _deliveries(store_engine)[0].status is DeliveryStatus.PENDING


@pytest.mark.parametrize("status", [DeliveryStatus.DELIVERED, DeliveryStatus.IN_FLIGHT])
def test_retry_delivery_leaves_finished_and_claimed_ones_alone(sqlite_engine, status):
    seed_deliveries(sqlite_engine, 1)
    with sqlite_engine.begin() as connection:
        connection.execute(update(Delivery).values(status=status))

    with session_scope(sqlite_engine) as session:
        report = retry_delivery(session, 1, actor="ana")

    assert (
        report.skipped[0].reason == f"Delivery 1 is {status.value}: nothing to retry."
    )
