import pytest

from opsgate.rules.delivery.policy import RetryPolicy, compute_backoff, retry_delay

POLICY = RetryPolicy(
    initial_interval_s=1.0, backoff_factor=2.0, max_interval_s=10.0, jitter=0.0
)


@pytest.mark.parametrize(("attempts", "wait"), [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0)])
def test_backoff_grows_by_the_factor_after_each_attempt(attempts, wait):
    assert compute_backoff(POLICY, attempts, draw=0.0) == wait


def test_backoff_never_exceeds_the_max_interval():
    assert compute_backoff(POLICY, 30, draw=0.0) == 10.0


@pytest.mark.parametrize("draw", [0.0, 0.25, 0.5, 0.999])
def test_jitter_keeps_the_wait_within_its_fraction(draw):
    policy = RetryPolicy(initial_interval_s=8.0, jitter=0.5)

    wait = compute_backoff(policy, 1, draw=draw)

    assert 4.0 <= wait <= 8.0
    assert wait == 8.0 * (1 - 0.5 * draw)


def test_same_inputs_give_the_same_backoff():
    assert compute_backoff(POLICY, 3, draw=0.3) == compute_backoff(POLICY, 3, draw=0.3)


def test_retry_after_is_a_floor_even_above_the_max_interval():
    assert retry_delay(POLICY, 1, draw=0.0, retry_after_s=120.0) == 120.0
    assert retry_delay(POLICY, 4, draw=0.0, retry_after_s=0.5) == 8.0


def test_policy_allows_attempts_up_to_the_maximum():
    policy = RetryPolicy(max_attempts=3)

    assert [policy.allows_another(n) for n in (1, 2, 3)] == [True, True, False]


def test_policy_is_frozen():
    with pytest.raises(AttributeError):
        POLICY.max_attempts = 1  # type: ignore[misc]
