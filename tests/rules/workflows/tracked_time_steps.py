"""Steps the time-tracker workflow tests share: accept, route, deliver, read."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlmodel import col, select

from opsgate.connectors.inbound.record import SourceRecord
from opsgate.rules.accept.accept import accept
from opsgate.rules.catalog.model import Catalog
from opsgate.rules.delivery.targets import DeliveryCommand, Target
from opsgate.rules.routing.ownership import SystemsOfRecord
from opsgate.rules.routing.stage import route_batch
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.statuses import DeliveryStatus
from opsgate.rules.store.tables import Delivery, Event


def receive(engine: Engine, catalog: Catalog, records: list[SourceRecord]) -> None:
    """Accept records as a webhook would, then route everything accepted."""
    with session_scope(engine) as session:
        for record in records:
            accept(
                session,
                catalog,
                source=record.source,
                body=record.to_body(),
                content_type="application/json",
            )
    route(engine, catalog)


def route(engine: Engine, catalog: Catalog) -> None:
    with session_scope(engine) as session:
        route_batch(session, catalog, SystemsOfRecord())


async def deliver_pending(engine: Engine, catalog: Catalog, target: Target) -> int:
    """Deliver every pending delivery to `target` once, mark it done, route again."""
    with session_scope(engine) as session:
        rows = session.exec(
            select(Delivery)
            .where(
                Delivery.target == target.name,
                Delivery.status == DeliveryStatus.PENDING,
            )
            .order_by(col(Delivery.id))
        ).all()
        commands = [
            DeliveryCommand(
                delivery_id=row.id or 0,
                event_id=row.event_id,
                target=row.target,
                operation=row.operation,
                idempotency_key=row.idempotency_key,
                payload=row.payload,
                attempt=1,
            )
            for row in rows
        ]
    for command in commands:
        await target.deliver(command)
        with session_scope(engine) as session:
            delivery = session.get(Delivery, command.delivery_id)
            assert delivery is not None
            delivery.status = DeliveryStatus.DELIVERED
            session.add(delivery)
    route(engine, catalog)
    return len(commands)


def events(engine: Engine, prefix: str) -> list[Event]:
    with session_scope(engine) as session:
        found = session.exec(
            select(Event)
            .where(col(Event.type).startswith(prefix))
            .order_by(col(Event.accepted_at), col(Event.id))
        ).all()
        session.expunge_all()
        return list(found)


def deliveries(engine: Engine, target: str) -> list[tuple[str, str]]:
    """(operation, event type) of every delivery to `target`, oldest first."""
    with session_scope(engine) as session:
        rows = session.exec(
            select(Delivery.operation, Event.type)
            .join(Event, col(Event.id) == col(Delivery.event_id))
            .where(Delivery.target == target)
            .order_by(col(Delivery.id))
        ).all()
        return [(operation, kind) for operation, kind in rows]


def data(event: Event) -> dict[str, Any]:
    return dict(event.data or {})
