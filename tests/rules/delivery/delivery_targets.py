"""Test targets that fail in chosen ways, counting by idempotency key."""

from __future__ import annotations

import asyncio

from opsgate.connectors.errors import ConnectorError, ErrorCategory, RetryLater
from opsgate.rules.delivery.targets import DeliveryCommand, RecordingTarget


def unavailable(command: DeliveryCommand, **kwargs) -> ConnectorError:
    kwargs.setdefault("category", ErrorCategory.UNAVAILABLE)
    kwargs.setdefault("retryable", True)
    return ConnectorError(
        f"{command.target} answered 503.",
        target=command.target,
        operation=command.operation,
        **kwargs,
    )


class FlakyTarget(RecordingTarget):
    """Fails the first `failures` attempts of every key with `error`."""

    def __init__(self, failures: int, make_error=unavailable, name="recording"):
        super().__init__(name)
        self.failures = failures
        self.make_error = make_error
        self.calls: dict[str, int] = {}

    async def deliver(self, command: DeliveryCommand) -> None:
        self.calls[command.idempotency_key] = (
            self.calls.get(command.idempotency_key, 0) + 1
        )
        if self.calls[command.idempotency_key] <= self.failures:
            raise self.make_error(command)
        await super().deliver(command)


class UncertainTarget(RecordingTarget):
    """Applies the write, then reports that it cannot tell whether it did."""

    async def deliver(self, command: DeliveryCommand) -> None:
        await super().deliver(command)
        raise unavailable(command, outcome_uncertain=True)


class UncertainWithoutReadBack:
    """Like `UncertainTarget`, but offers no `verify`."""

    def __init__(self, name="recording"):
        self.name = name
        self.calls = 0

    async def deliver(self, command: DeliveryCommand) -> None:
        self.calls += 1
        raise unavailable(command, outcome_uncertain=True)


class SlowTarget(RecordingTarget):
    async def deliver(self, command: DeliveryCommand) -> None:
        await asyncio.sleep(5)


class BrokenTarget:
    """A target with a defect: it raises something that is no ConnectorError."""

    def __init__(self, name="recording"):
        self.name = name

    async def deliver(self, command: DeliveryCommand) -> None:
        raise KeyError("customer_id")


class RateLimitedOnce(RecordingTarget):
    def __init__(self, delay_s: float, name="recording"):
        super().__init__(name)
        self.delay_s = delay_s
        self.seen: set[str] = set()

    async def deliver(self, command: DeliveryCommand) -> None:
        if command.idempotency_key not in self.seen:
            self.seen.add(command.idempotency_key)
            raise RetryLater(
                "429 Too Many Requests.",
                delay_s=self.delay_s,
                target=command.target,
                operation=command.operation,
            )
        await super().deliver(command)


class CoalescingRecorder(RecordingTarget):
    """Coalesces one operation: counts how many of its attempts run at once."""

    def __init__(self, operation: str, name="recording"):
        super().__init__(name)
        self.operation = operation
        self.running = 0
        self.most_at_once = 0

    def coalesces(self, operation: str) -> bool:
        return operation == self.operation

    async def deliver(self, command: DeliveryCommand) -> None:
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        await asyncio.sleep(0.01)
        self.running -= 1
        await super().deliver(command)
