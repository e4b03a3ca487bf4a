"""The outbox: deliveries are enqueued with their event and claimed by workers.

A claim is one statement. On PostgreSQL the rows are picked with
`FOR UPDATE SKIP LOCKED`, so workers on many machines share the work without
waiting on each other; on SQLite the `UPDATE ... RETURNING` runs under the
database's single write lock, which makes it atomic by itself.

A claimed delivery is `in_flight` with `next_attempt_at` set to the end of its
lease. When the worker dies the lease simply runs out and the same range scan
that finds due deliveries finds it again.

Known limitation: due times and leases come from each worker's own clock.
With workers on several machines (PostgreSQL), keep their clocks in sync
(NTP); a clock running ahead reclaims leases early, which the claim token
makes harmless but wasteful.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select, update
from sqlmodel import Session, col

from opsgate.rules.delivery.targets import DeliveryCommand
from opsgate.rules.store.bulk import insert_rows
from opsgate.rules.store.statuses import DeliveryStatus
from opsgate.rules.store.tables import Delivery, utcnow

CLAIMABLE = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING, DeliveryStatus.IN_FLIGHT)
"""Statuses a due delivery may have; `in_flight` ones are due once their lease ran out."""

_ENQUEUED_FIELDS = (
    "event_id",
    "target",
    "operation",
    "idempotency_key",
    "payload",
)


def _row(delivery: Delivery | Mapping[str, Any], now: datetime) -> dict[str, Any]:
    if isinstance(delivery, Delivery):
        values = {name: getattr(delivery, name) for name in _ENQUEUED_FIELDS}
    else:
        values = {name: delivery.get(name) for name in _ENQUEUED_FIELDS}
    values.update(
        status=DeliveryStatus.PENDING,
        attempt_count=0,
        next_attempt_at=now,
        created_at=now,
    )
    return values


def enqueue(
    session: Session | Connection,
    deliveries: Iterable[Delivery | Mapping[str, Any]],
) -> int:
    """Insert `deliveries` as pending, due now, in the caller's transaction.

    Each item is a `Delivery` (only `event_id`, `target`, `operation`,
    `idempotency_key` and `payload` are read) or a mapping with those keys.
    The rows go in as one multi-row insert. Returns how many were enqueued.
    """
    now = utcnow()
    rows = [_row(delivery, now) for delivery in deliveries]
    if not rows:
        return 0
    connection = _connection(session)
    insert_rows(connection, Delivery, rows)
    return len(rows)


def _connection(session: Session | Connection) -> Connection:
    if isinstance(session, Session):
        session.flush()
        return session.connection()
    return session


@dataclass(frozen=True, slots=True)
class ClaimedBatch:
    """Deliveries one worker claimed in one statement, under one claim token."""

    token: str
    """Written to `claimed_by`: outcomes are only recorded while it is still there."""
    commands: list[DeliveryCommand]
    lease_expires_at: datetime


def new_claim_token(worker: str) -> str:
    """Return a token unique to one claim by `worker`."""
    return f"{worker}/{uuid.uuid4().hex[:12]}"


def claim(
    connection: Connection,
    *,
    worker: str,
    limit: int,
    lease_s: float,
    now: datetime | None = None,
    exclude_targets: Sequence[str] = (),
    only: tuple[str, str] | None = None,
    token: str | None = None,
) -> ClaimedBatch:
    """Claim up to `limit` due deliveries for `lease_s` seconds, in one statement.

    The caller commits. Each claim counts as an attempt (`attempt_count` goes
    up), so a delivery that kills every worker that takes it still runs out
    of attempts. `only` = (target, operation) claims deliveries of that one
    operation; `token` adds them to a claim made before in the transaction.
    """
    now = now or utcnow()
    lease_expires_at = now + timedelta(seconds=lease_s)
    token = token or new_claim_token(worker)
    due = (
        select(col(Delivery.id))
        .where(
            col(Delivery.next_attempt_at) <= now,
            col(Delivery.status).in_(CLAIMABLE),
        )
        .order_by(col(Delivery.next_attempt_at))
        .limit(limit)
    )
    if exclude_targets:
        due = due.where(col(Delivery.target).not_in(list(exclude_targets)))
    if only is not None:
        due = due.where(
            col(Delivery.target) == only[0], col(Delivery.operation) == only[1]
        )
    if connection.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    statement = (
        update(Delivery)
        .where(col(Delivery.id).in_(due.scalar_subquery()))
        .values(
            status=DeliveryStatus.IN_FLIGHT,
            attempt_count=col(Delivery.attempt_count) + 1,
            claimed_by=token,
            lease_expires_at=lease_expires_at,
            next_attempt_at=lease_expires_at,
        )
        .returning(
            *(
                col(column)
                for column in (
                    Delivery.id,
                    Delivery.event_id,
                    Delivery.target,
                    Delivery.operation,
                    Delivery.idempotency_key,
                    Delivery.payload,
                    Delivery.attempt_count,
                )
            )
        )
    )
    commands = [
        DeliveryCommand(
            delivery_id=row.id,
            event_id=row.event_id,
            target=row.target,
            operation=row.operation,
            idempotency_key=row.idempotency_key,
            payload=row.payload,
            attempt=row.attempt_count,
        )
        for row in connection.execute(statement)
    ]
    commands.sort(key=lambda command: command.delivery_id)
    return ClaimedBatch(
        token=token, commands=commands, lease_expires_at=lease_expires_at
    )
