from datetime import timedelta

from sqlalchemy import select
from sqlmodel import col

from opsgate.connectors.errors import ErrorCategory
from opsgate.rules.delivery.targets import RecordingTarget
from opsgate.rules.store.statuses import AttemptOutcome, DeliveryStatus
from opsgate.rules.store.tables import (
    Attempt,
    AuditEntry,
    DeadLetter,
    Delivery,
    Incident,
    utcnow,
)
from tests.rules.delivery.delivery_targets import (
    BrokenTarget,
    FlakyTarget,
    RateLimitedOnce,
    SlowTarget,
    UncertainTarget,
    UncertainWithoutReadBack,
    unavailable,
)
from tests.rules.delivery.outbox_seeding import (
    FAST,
    open_deliveries,
    run_until_settled,
    seed_deliveries,
)


def _all(engine, table):
    with engine.connect() as connection:
        return connection.execute(select(table).order_by(table.id)).all()


def _actions(engine):
    with engine.connect() as connection:
        return (
            connection.execute(select(AuditEntry.action).order_by(col(AuditEntry.id)))
            .scalars()
            .all()
        )


async def test_worker_delivers_every_delivery_once(store_engine):
    keys = seed_deliveries(store_engine, 120)
    target = RecordingTarget()

    stats = await run_until_settled(store_engine, [target])

    assert stats.delivered == 120
    assert set(target.applied) == set(keys)
    assert max(target.received.values()) == 1
    deliveries = _all(store_engine, Delivery)
    assert {d.status for d in deliveries} == {DeliveryStatus.DELIVERED}
    assert all(d.next_attempt_at is None and d.delivered_at for d in deliveries)


async def test_each_outcome_is_audited_and_attempted(store_engine):
    seed_deliveries(store_engine, 3)

    await run_until_settled(store_engine, [RecordingTarget()])

    with store_engine.connect() as connection:
        entries = connection.execute(select(AuditEntry)).all()
    assert {e.action for e in entries} == {"delivery.delivered"}
    assert sorted(i for e in entries for i in e.detail["delivery_ids"]) == [1, 2, 3]
    attempts = _all(store_engine, Attempt)
    assert [(a.number, a.outcome) for a in attempts] == [
        (1, AttemptOutcome.SUCCEEDED)
    ] * 3


async def test_retryable_error_schedules_next_attempt_with_backoff(store_engine):
    seed_deliveries(store_engine, 1)
    target = FlakyTarget(failures=1)

    def waiting_for_retry(engine):
        return any(d.status is DeliveryStatus.RETRYING for d in _all(engine, Delivery))

    settings = FAST.model_copy(update={"initial_backoff_s": 60.0})
    before = utcnow()
    await run_until_settled(
        store_engine, [target], settings=settings, settled=waiting_for_retry
    )

    (delivery,) = _all(store_engine, Delivery)
    assert delivery.status is DeliveryStatus.RETRYING
    assert delivery.last_error_category is ErrorCategory.UNAVAILABLE
    assert delivery.next_attempt_at.replace(tzinfo=None) >= (
        before + timedelta(seconds=59)
    ).replace(tzinfo=None)
    assert _actions(store_engine) == ["delivery.retry_scheduled"]


async def test_retried_delivery_arrives_after_transient_failures(store_engine):
    keys = seed_deliveries(store_engine, 5)
    target = FlakyTarget(failures=2)

    await run_until_settled(store_engine, [target])

    assert set(target.applied) == set(keys)
    attempts = _all(store_engine, Attempt)
    assert sorted({a.number for a in attempts}) == [1, 2, 3]


async def test_delivery_becomes_dead_letter_after_last_attempt(store_engine):
    seed_deliveries(store_engine, 1)
    target = FlakyTarget(failures=99)

    stats = await run_until_settled(store_engine, [target])

    assert stats.dead == 1
    (delivery,) = _all(store_engine, Delivery)
    (dead_letter,) = _all(store_engine, DeadLetter)
    (incident,) = _all(store_engine, Incident)
    assert delivery.status is DeliveryStatus.DEAD
    assert delivery.attempt_count == FAST.max_attempts
    assert dead_letter.category is ErrorCategory.UNAVAILABLE
    assert "Gave up after 3 attempt(s)." in dead_letter.reason
    assert incident.category is ErrorCategory.UNAVAILABLE
    assert (incident.delivery_id, incident.dead_letter_id) == (
        delivery.id,
        dead_letter.id,
    )
    assert _actions(store_engine)[-3:] == [
        "delivery.retry_scheduled",
        "incident.opened",
        "delivery.dead_lettered",
    ]


async def test_non_retryable_error_dead_letters_at_once(store_engine):
    seed_deliveries(store_engine, 1)

    def invalid(command):
        return unavailable(command, category=ErrorCategory.VALIDATION, retryable=False)

    target = FlakyTarget(failures=99, make_error=invalid)

    await run_until_settled(store_engine, [target])

    (dead_letter,) = _all(store_engine, DeadLetter)
    assert dead_letter.category is ErrorCategory.VALIDATION
    assert target.calls == {"k-0": 1}


async def test_retry_after_from_the_target_is_honoured(store_engine):
    seed_deliveries(store_engine, 1)
    target = RateLimitedOnce(delay_s=3600)

    def waiting(engine):
        return _all(engine, Delivery)[0].status is DeliveryStatus.RETRYING

    before = utcnow()
    await run_until_settled(store_engine, [target], settled=waiting)

    (delivery,) = _all(store_engine, Delivery)
    assert delivery.last_error_category is ErrorCategory.RATE_LIMIT
    assert delivery.next_attempt_at.replace(tzinfo=None) >= (
        before + timedelta(seconds=3599)
    ).replace(tzinfo=None)


async def test_uncertain_outcome_without_read_back_is_never_retried(store_engine):
    seed_deliveries(store_engine, 1)
    target = UncertainWithoutReadBack()

    await run_until_settled(store_engine, [target])

    assert target.calls == 1
    (dead_letter,) = _all(store_engine, DeadLetter)
    assert "The outcome is uncertain" in dead_letter.reason
    (attempt,) = _all(store_engine, Attempt)
    assert attempt.outcome is AttemptOutcome.UNCERTAIN


async def test_uncertain_outcome_read_back_as_applied_counts_as_delivered(
    store_engine,
):
    seed_deliveries(store_engine, 1)
    target = UncertainTarget()

    await run_until_settled(store_engine, [target])

    (delivery,) = _all(store_engine, Delivery)
    assert delivery.status is DeliveryStatus.DELIVERED
    assert target.received == {"k-0": 1}


async def test_attempt_that_outlasts_its_timeout_is_retried_as_timeout(store_engine):
    seed_deliveries(store_engine, 1)
    settings = FAST.model_copy(update={"attempt_timeout_s": 0.05, "max_attempts": 2})

    await run_until_settled(store_engine, [SlowTarget()], settings=settings)

    attempts = _all(store_engine, Attempt)
    assert [a.outcome for a in attempts] == [AttemptOutcome.TIMED_OUT] * 2
    (dead_letter,) = _all(store_engine, DeadLetter)
    assert dead_letter.category is ErrorCategory.TIMEOUT


async def test_defective_target_dead_letters_and_the_worker_goes_on(store_engine):
    seed_deliveries(store_engine, 2, target="broken", prefix="b")
    seed_deliveries(store_engine, 2, target="recording", prefix="r")
    good = RecordingTarget()

    await run_until_settled(store_engine, [BrokenTarget(name="broken"), good])

    assert set(good.applied) == {"r-0", "r-1"}
    dead = _all(store_engine, DeadLetter)
    assert [d.category for d in dead] == [ErrorCategory.UNKNOWN] * 2
    assert "KeyError" in dead[0].reason


async def test_delivery_to_an_unknown_target_dead_letters_naming_it(store_engine):
    seed_deliveries(store_engine, 1, target="nowhere")

    await run_until_settled(store_engine, [RecordingTarget()])

    (dead_letter,) = _all(store_engine, DeadLetter)
    assert dead_letter.category is ErrorCategory.MAPPING
    assert "'nowhere'" in dead_letter.reason


async def test_open_circuit_holds_deliveries_without_spending_attempts(store_engine):
    seed_deliveries(store_engine, 10)
    target = FlakyTarget(failures=99)
    settings = FAST.model_copy(
        update={
            "circuit_failure_threshold": 2,
            "circuit_open_s": 3600,
            "batch_size": 10,
            "parallel_attempts": 1,
            "concurrency": 1,
            "max_attempts": 50,
        }
    )

    def circuit_holds_all(engine):
        rows = _all(engine, Delivery)
        return all(r.status is not DeliveryStatus.IN_FLIGHT for r in rows)

    stats = await run_until_settled(
        store_engine, [target], settings=settings, settled=circuit_holds_all
    )

    assert sum(target.calls.values()) == 2
    assert stats.released == 8
    assert open_deliveries(store_engine) == 10
    rows = _all(store_engine, Delivery)
    assert sorted(r.attempt_count for r in rows) == [0] * 8 + [1, 1]
