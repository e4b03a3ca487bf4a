"""The retry policy and its pure backoff computation."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """When a failed delivery is tried again, and how often at most."""

    initial_interval_s: float = 1.0
    """Seconds before the second attempt."""
    backoff_factor: float = 2.0
    """Each further wait is this many times the one before."""
    max_interval_s: float = 300.0
    """Seconds; no computed wait is longer."""
    max_attempts: int = 8
    """Attempts in all, the first one included."""
    jitter: float = 0.5
    """Fraction of the wait drawn at random: the wait falls in
    `[(1 - jitter) * w, w]`. 0 turns jitter off."""

    def allows_another(self, attempts_made: int) -> bool:
        """Tell whether one more attempt is allowed after `attempts_made`."""
        return attempts_made < self.max_attempts


def compute_backoff(policy: RetryPolicy, attempts_made: int, *, draw: float) -> float:
    """Return the seconds to wait after attempt number `attempts_made` failed.

    `draw` is a number in `[0, 1)` (from the caller's random source), so the
    function stays pure: the same inputs give the same wait.
    """
    exponent = max(attempts_made - 1, 0)
    wait = min(
        policy.initial_interval_s * policy.backoff_factor**exponent,
        policy.max_interval_s,
    )
    return wait * (1.0 - policy.jitter * draw)


def retry_delay(
    policy: RetryPolicy,
    attempts_made: int,
    *,
    draw: float,
    retry_after_s: float | None = None,
) -> float:
    """Return the wait before the next attempt, honouring a target's `Retry-After`.

    The target's request is a floor: the wait is never shorter than it, even
    when it exceeds `max_interval_s`.
    """
    wait = compute_backoff(policy, attempts_made, draw=draw)
    if retry_after_s is not None:
        return max(wait, retry_after_s)
    return wait
