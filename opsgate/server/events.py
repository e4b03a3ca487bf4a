"""`GET /events/{id}`: the CloudEvent and the status of each of its deliveries."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from sqlmodel import Session, col, select

from opsgate.rules.envelope.cloudevent import to_structured
from opsgate.rules.store.tables import Delivery, Event
from opsgate.server.problems import Problem
from opsgate.server.state import ServerState

router = APIRouter()


@router.get("/events/{event_id}", responses={404: {"description": "No such event."}})
async def get_event(event_id: str, request: Request) -> dict[str, Any]:
    """Return the event's envelope, status, raw body and deliveries."""
    state: ServerState = request.app.state.opsgate
    found = await asyncio.to_thread(_read, state, event_id)
    if found is None:
        raise Problem(
            404, "event-not-found", "Event not found", f"No event has id {event_id!r}."
        )
    return found


def _read(state: ServerState, event_id: str) -> dict[str, Any] | None:
    with Session(state.engine) as session:
        event = session.get(Event, event_id)
        if event is None:
            return None
        deliveries = session.exec(
            select(Delivery)
            .where(Delivery.event_id == event_id)
            .order_by(col(Delivery.id))
        ).all()
        return {
            "event": to_structured(event),
            "status": event.status,
            "workflow": event.workflow,
            "accepted_at": _utc_text(event.accepted_at),
            "raw_body": event.raw_body.decode("utf-8", errors="replace"),
            "deliveries": [
                {
                    "id": d.id,
                    "target": d.target,
                    "operation": d.operation,
                    "status": d.status,
                    "attempt_count": d.attempt_count,
                    "last_error_category": d.last_error_category,
                    "delivered_at": d.delivered_at.isoformat()
                    if d.delivered_at
                    else None,
                }
                for d in deliveries
            ],
        }


def _utc_text(moment: datetime | None) -> str | None:
    # SQLite hands timestamps back without their zone; the store writes UTC only.
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()
