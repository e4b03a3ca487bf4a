"""The per-day token budget of model calls."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime


class TokenBudget:
    """Count tokens per UTC day and refuse calls once the day's budget is spent."""

    def __init__(
        self,
        max_tokens_per_day: int,
        *,
        spent_today: int = 0,
        today: Callable[[], date] | None = None,
    ) -> None:
        self._limit = max_tokens_per_day
        self._today = today or (lambda: datetime.now(UTC).date())
        self._day = self._today()
        self._spent = spent_today
        self._lock = threading.Lock()

    def allows(self, estimate: int) -> bool:
        """Return whether a call of about `estimate` tokens still fits today."""
        with self._lock:
            self._roll()
            return self._spent + estimate <= self._limit

    def spend(self, tokens: int) -> None:
        """Count `tokens` against today's budget."""
        with self._lock:
            self._roll()
            self._spent += max(tokens, 0)

    @property
    def spent(self) -> int:
        """Tokens spent today."""
        with self._lock:
            self._roll()
            return self._spent

    def _roll(self) -> None:
        today = self._today()
        if today != self._day:
            self._day, self._spent = today, 0
