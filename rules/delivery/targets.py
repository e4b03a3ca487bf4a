"""What a delivery target is, plus the two targets Opsgate ships itself.

A target is anything with a `name` and an async `deliver(command)` that
returns when the target has applied the command and raises `ConnectorError`
when it has not. A target that can read back whether an uncertain write
landed also offers `verify(command)`; one that gathers concurrent deliveries
into one call says which operations with `coalesces(operation)`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True, slots=True)
class DeliveryCommand:
    """One attempt's worth of work for a target."""

    delivery_id: int
    event_id: str
    target: str
    operation: str
    """What to do at the target (`upsert:res.partner`, ...)."""
    idempotency_key: str
    """The same on every attempt and replay: the target applies it once."""
    payload: dict[str, Any] | None
    attempt: int
    """1 for the first attempt."""


class Target(Protocol):
    """A system deliveries are written to."""

    name: str

    async def deliver(self, command: DeliveryCommand) -> None:
        """Apply `command`, or raise `ConnectorError` saying why not."""


@runtime_checkable
class VerifyingTarget(Protocol):
    """A target that can read back whether a command was applied."""

    name: str

    async def deliver(self, command: DeliveryCommand) -> None:
        """Apply `command`, or raise `ConnectorError` saying why not."""

    async def verify(self, command: DeliveryCommand) -> bool:
        """Return True when the target holds what `command` would write."""


@runtime_checkable
class CoalescingTarget(Protocol):
    """A target that turns concurrent deliveries of some operations into one call.

    The worker attempts every claimed delivery of such an operation at once,
    instead of `parallel_attempts` at a time, so the target sees them together
    (a timesheet import becomes `load` calls of hundreds of rows, not dozens).
    """

    name: str

    async def deliver(self, command: DeliveryCommand) -> None:
        """Apply `command`, or raise `ConnectorError` saying why not."""

    def coalesces(self, operation: str) -> bool:
        """Return True when concurrent deliveries of `operation` share one call."""


class NullTarget:
    """A target that accepts everything and does nothing (benchmarks, dry runs)."""

    def __init__(self, name: str = "null") -> None:
        self.name = name

    async def deliver(self, command: DeliveryCommand) -> None:
        """Accept `command` and drop it."""


class RecordingTarget:
    """A target that applies each idempotency key once and counts every arrival.

    It stands in for an idempotent outside system in tests and demos:
    `received` counts arrivals per key (retries and replays included) and
    `applied` holds each key's payload the first time it arrived.
    """

    def __init__(self, name: str = "recording") -> None:
        self.name = name
        self.received: Counter[str] = Counter()
        self.applied: dict[str, dict[str, Any] | None] = {}

    async def deliver(self, command: DeliveryCommand) -> None:
        """Count `command` and apply it unless its key was applied before."""
        self.received[command.idempotency_key] += 1
        self.applied.setdefault(command.idempotency_key, command.payload)

    async def verify(self, command: DeliveryCommand) -> bool:
        """Return True when `command`'s key was applied."""
        return command.idempotency_key in self.applied
