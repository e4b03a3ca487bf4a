"""Read-only tools over the store: incidents, events, attempts, proposals.

Each tool opens its own session and rolls it back, so even a bug in a tool
cannot write. Results carry the exact query and parameters they ran.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from opsgate.agent.llm.tools import ReadOnlyTool, ToolResult
from opsgate.rules.store.tables import Attempt, Event, Incident, Proposal

MAX_ROWS = 20
"""Rows any one tool returns at most."""


def _read(engine: Engine) -> Session:
    return Session(engine, autoflush=False, expire_on_commit=False)


def _incident(engine: Engine, incident_id: int) -> ToolResult:
    query = f"incident {incident_id}"
    with _read(engine) as session:
        row = session.get(Incident, incident_id)
        data = row.model_dump(mode="json", exclude={"context"}) if row else None
        session.rollback()
    if data is None:
        return ToolResult("no_data", query, {"incident_id": incident_id})
    return ToolResult("ok", query, {"incident_id": incident_id}, data)


def _event(engine: Engine, event_id: str) -> ToolResult:
    query = f"event {event_id}"
    with _read(engine) as session:
        row = session.get(Event, event_id)
        data = (
            row.model_dump(mode="json", exclude={"raw_body", "raw_headers"})
            if row
            else None
        )
        session.rollback()
    if data is None:
        return ToolResult("no_data", query, {"event_id": event_id})
    return ToolResult("ok", query, {"event_id": event_id}, data)


def _attempts(engine: Engine, delivery_id: int) -> ToolResult:
    query = f"attempts of delivery {delivery_id}, newest first"
    with _read(engine) as session:
        rows = session.exec(
            select(Attempt)
            .where(Attempt.delivery_id == delivery_id)
            .order_by(col(Attempt.number).desc())
            .limit(MAX_ROWS)
        ).all()
        data: list[dict[str, Any]] = [r.model_dump(mode="json") for r in rows]
        session.rollback()
    if not data:
        return ToolResult("no_data", query, {"delivery_id": delivery_id})
    return ToolResult("ok", query, {"delivery_id": delivery_id}, data)


def _proposals(engine: Engine, incident_id: int) -> ToolResult:
    query = f"proposals for incident {incident_id}"
    with _read(engine) as session:
        rows = session.exec(
            select(Proposal).where(Proposal.incident_id == incident_id).limit(MAX_ROWS)
        ).all()
        data = [r.model_dump(mode="json", exclude={"params"}) for r in rows]
        session.rollback()
    if not data:
        return ToolResult("no_data", query, {"incident_id": incident_id})
    return ToolResult("ok", query, {"incident_id": incident_id}, data)


def _int_schema(name: str) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {name: {"type": "integer"}},
        "required": [name],
    }


def store_tools(engine: Engine) -> list[ReadOnlyTool]:
    """Return the read-only store tools bound to `engine`."""
    return [
        ReadOnlyTool(
            "get_incident",
            "Read one incident by id.",
            _int_schema("incident_id"),
            lambda incident_id: _incident(engine, int(incident_id)),
        ),
        ReadOnlyTool(
            "get_event",
            "Read one event (its canonical data) by id.",
            {
                "type": "object",
                "properties": {"event_id": {"type": "string"}},
                "required": ["event_id"],
            },
            lambda event_id: _event(engine, str(event_id)),
        ),
        ReadOnlyTool(
            "list_attempts",
            "List a delivery's attempts, newest first.",
            _int_schema("delivery_id"),
            lambda delivery_id: _attempts(engine, int(delivery_id)),
        ),
        ReadOnlyTool(
            "list_proposals",
            "List the proposals made for an incident.",
            _int_schema("incident_id"),
            lambda incident_id: _proposals(engine, int(incident_id)),
        ),
    ]
