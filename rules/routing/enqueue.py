"""Hand routed deliveries to the outbox, one per event, target and operation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from opsgate.rules.delivery.outbox import enqueue


@dataclass(frozen=True)
class NewDelivery:
    """One delivery an event owes, as routing decided it."""

    event_id: str
    target: str
    operation: str
    payload: dict[str, Any]

    @property
    def idempotency_key(self) -> str:
        """The key the target applies once: event, target and operation."""
        return f"{self.event_id}:{self.target}:{self.operation}"[:256]


def enqueue_deliveries(session: Session, deliveries: Sequence[NewDelivery]) -> int:
    """Enqueue pending deliveries in the caller's transaction; return how many."""
    count: int = enqueue(
        session,
        (
            {
                "event_id": item.event_id,
                "target": item.target,
                "operation": item.operation,
                "idempotency_key": item.idempotency_key,
                "payload": item.payload,
            }
            for item in deliveries
        ),
    )
    return count
