import threading
from datetime import timedelta

from sqlalchemy import select, update

from opsgate.rules.delivery.attempts import AttemptResult
from opsgate.rules.delivery.outbox import claim
from opsgate.rules.delivery.outcomes import Decision, Verdict, record_outcomes
from opsgate.rules.store.db import write_transaction
from opsgate.rules.store.statuses import AttemptOutcome, DeliveryStatus
from opsgate.rules.store.tables import Delivery, utcnow
from tests.rules.delivery.outbox_seeding import seed_deliveries


def _claim(engine, *, limit=100, lease_s=60.0, now=None, exclude=()):
    with write_transaction(engine) as connection:
        return claim(
            connection,
            worker="w",
            limit=limit,
            lease_s=lease_s,
            now=now,
            exclude_targets=exclude,
        )


def _statuses(engine):
    with engine.connect() as connection:
        return dict(connection.execute(select(Delivery.id, Delivery.status)).all())


def test_claim_takes_due_deliveries_and_puts_them_in_flight(store_engine):
    seed_deliveries(store_engine, 3)

    batch = _claim(store_engine)

    assert [c.attempt for c in batch.commands] == [1, 1, 1]
    assert set(_statuses(store_engine).values()) == {DeliveryStatus.IN_FLIGHT}


def test_claim_respects_the_batch_limit(store_engine):
    seed_deliveries(store_engine, 10)

    assert len(_claim(store_engine, limit=4).commands) == 4
    assert len(_claim(store_engine, limit=100).commands) == 6


def test_claimed_delivery_is_not_claimed_again_while_its_lease_lasts(store_engine):
    seed_deliveries(store_engine, 5)
    _claim(store_engine)

    assert _claim(store_engine).commands == []


def test_expired_lease_makes_a_delivery_claimable_again(store_engine):
    seed_deliveries(store_engine, 2)
    first = _claim(store_engine, lease_s=5)

    later = _claim(store_engine, now=utcnow() + timedelta(seconds=6))

    assert {c.delivery_id for c in later.commands} == {
        c.delivery_id for c in first.commands
    }
    assert [c.attempt for c in later.commands] == [2, 2]


def test_delivery_not_yet_due_is_not_claimed(store_engine):
    seed_deliveries(store_engine, 1)
    with write_transaction(store_engine) as connection:
        connection.execute(
            update(Delivery).values(next_attempt_at=utcnow() + timedelta(hours=1))
        )

    assert _claim(store_engine).commands == []


def test_claim_skips_excluded_targets(store_engine):
    seed_deliveries(store_engine, 2, target="odoo", prefix="o")
    seed_deliveries(store_engine, 2, target="hubspot", prefix="h")

    batch = _claim(store_engine, exclude=["odoo"])

    assert {c.target for c in batch.commands} == {"hubspot"}


def test_concurrent_claims_never_hand_out_a_delivery_twice(store_engine):
    seed_deliveries(store_engine, 400)
    claimed: list[list[int]] = []
    lock = threading.Lock()

    def worker() -> None:
        while True:
            batch = _claim(store_engine, limit=7)
            if not batch.commands:
                return
            with lock:
                claimed.append([c.delivery_id for c in batch.commands])

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    ids = [i for batch in claimed for i in batch]
    assert len(ids) == 400
    assert len(set(ids)) == 400


def test_outcome_of_a_lost_lease_changes_nothing(store_engine):
    seed_deliveries(store_engine, 1)
    stale = _claim(store_engine, lease_s=1)
    fresh = _claim(store_engine, now=utcnow() + timedelta(seconds=2))
    (command,) = stale.commands
    result = AttemptResult(command, AttemptOutcome.SUCCEEDED, 0.01)

    with write_transaction(store_engine) as connection:
        counts = record_outcomes(
            connection, stale.token, [Decision(command, Verdict.DELIVERED, result)]
        )

    assert (counts.delivered, counts.fenced) == (0, 1)
    with store_engine.connect() as connection:
        row = connection.execute(select(Delivery)).one()
    assert row.status is DeliveryStatus.IN_FLIGHT
    assert row.claimed_by == fresh.token
