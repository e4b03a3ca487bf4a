"""How a claimed batch is attempted and how its failures are recorded."""

from tests.rules.delivery.delivery_targets import CoalescingRecorder
from tests.rules.delivery.outbox_seeding import (
    FAST,
    run_until_settled,
    seed_deliveries,
)

ONE_LOOP = FAST.model_copy(
    update={"batch_size": 40, "parallel_attempts": 5, "concurrency": 1}
)


async def test_coalesced_operation_is_attempted_as_one_whole_batch(store_engine):
    keys = seed_deliveries(store_engine, 40)
    target = CoalescingRecorder("post:test")

    stats = await run_until_settled(store_engine, [target], settings=ONE_LOOP)

    assert stats.delivered == 40
    assert set(target.applied) == set(keys)
    assert target.most_at_once == 40


async def test_other_operations_keep_parallel_attempts(store_engine):
    seed_deliveries(store_engine, 40)
    target = CoalescingRecorder("post:something-else")

    await run_until_settled(store_engine, [target], settings=ONE_LOOP)

    assert target.most_at_once == 5
