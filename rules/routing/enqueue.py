"""Create delivery rows in the outbox, once per idempotency key.

Known limitation: this inserts `Delivery` rows directly. The delivery package
(`opsgate.rules.delivery.outbox.enqueue`, branch engine-delivery) owns the
outbox; once it is merged, `enqueue_deliveries` should call it instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from opsgate.rules.store.statuses import DeliveryStatus
from opsgate.rules.store.tables import Delivery, utcnow


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


def enqueue_deliveries(session: Session, deliveries: Sequence[NewDelivery]) -> None:
    """Insert pending deliveries in the caller's transaction; existing keys are kept."""
    if not deliveries:
        return
    now = utcnow()
    rows = [
        {
            "event_id": item.event_id,
            "target": item.target,
            "operation": item.operation,
            "idempotency_key": item.idempotency_key,
            "payload": item.payload,
            "status": DeliveryStatus.PENDING,
            "attempt_count": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for item in deliveries
    ]
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(Delivery).on_conflict_do_nothing(
        index_elements=["idempotency_key"]
    )
    session.execute(statement, rows)
