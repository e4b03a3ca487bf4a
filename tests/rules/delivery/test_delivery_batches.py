"""How a claimed batch is attempted and how its failures are recorded."""

from sqlalchemy import select

from opsgate.connectors.errors import ErrorCategory
from opsgate.rules.delivery.targets import DeliveryCommand
from opsgate.rules.store.statuses import DeliveryStatus
from opsgate.rules.store.tables import DeadLetter, Delivery, Incident
from tests.rules.delivery.delivery_targets import (
    CoalescingRecorder,
    FlakyTarget,
    unavailable,
)
from tests.rules.delivery.outbox_seeding import (
    FAST,
    run_until_settled,
    seed_deliveries,
)

ONE_LOOP = FAST.model_copy(
    update={"batch_size": 40, "parallel_attempts": 5, "concurrency": 1}
)


def _all(engine, table):
    with engine.connect() as connection:
        return connection.execute(select(table).order_by(table.id)).all()


async def test_coalesced_operation_is_attempted_as_one_whole_batch(store_engine):
    keys = seed_deliveries(store_engine, 40)
    target = CoalescingRecorder("post:test")

    stats = await run_until_settled(store_engine, [target], settings=ONE_LOOP)

    assert stats.delivered == 40
    assert set(target.applied) == set(keys)
    assert target.most_at_once == 40


async def test_batch_holding_a_coalesced_operation_is_topped_up(store_engine):
    keys = seed_deliveries(store_engine, 100)
    target = CoalescingRecorder("post:test")
    settings = ONE_LOOP.model_copy(
        update={"batch_size": 10, "coalesced_batch_size": 40}
    )

    stats = await run_until_settled(store_engine, [target], settings=settings)

    assert stats.delivered == 100
    assert set(target.applied) == set(keys)
    assert max(target.received.values()) == 1
    assert target.most_at_once == 40
    assert stats.batches == 3


async def test_other_operations_keep_parallel_attempts(store_engine):
    seed_deliveries(store_engine, 40)
    target = CoalescingRecorder("post:something-else")

    await run_until_settled(store_engine, [target], settings=ONE_LOOP)

    assert target.most_at_once == 5


async def test_dead_letters_of_one_batch_share_one_incident_per_cause(store_engine):
    seed_deliveries(store_engine, 30)

    def refused(command: DeliveryCommand):
        cause = "odd" if int(command.idempotency_key.split("-")[1]) % 2 else "even"
        return unavailable(
            command,
            category=ErrorCategory.VALIDATION,
            retryable=False,
            failure_key=f"test:{cause}",
        )

    target = FlakyTarget(failures=99, make_error=refused)

    stats = await run_until_settled(store_engine, [target], settings=ONE_LOOP)

    assert stats.dead == 30
    deliveries = _all(store_engine, Delivery)
    assert {d.status for d in deliveries} == {DeliveryStatus.DEAD}
    assert {d.last_error_category for d in deliveries} == {ErrorCategory.VALIDATION}
    dead_letters = _all(store_engine, DeadLetter)
    assert sorted(d.delivery_id for d in dead_letters) == sorted(
        d.id for d in deliveries
    )
    incidents = _all(store_engine, Incident)
    assert sorted(i.fingerprint for i in incidents) == ["test:even", "test:odd"]
    for incident in incidents:
        assert incident.context["occurrences"] == 15
        assert len(set(incident.context["event_ids"])) == 15
        assert incident.dead_letter_id in {d.id for d in dead_letters}
