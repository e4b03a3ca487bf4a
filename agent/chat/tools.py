"""Read-only tools over the store; each result names the query it ran and the ids it rests on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from opsgate.agent.anomalies.pricing import row_currency, row_rates
from opsgate.agent.llm import ReadOnlyTool, ToolResult
from opsgate.connectors.errors import RETRYABLE_CATEGORIES
from opsgate.rules.billing.facts import load_billing_facts
from opsgate.rules.incidents.open_tickets import open_tickets_of
from opsgate.rules.store.statuses import EventStatus, IncidentStatus
from opsgate.rules.store.tables import DeadLetter, Delivery, Event, Incident


def _incident_row(incident: Incident) -> dict[str, Any]:
    tickets = open_tickets_of(incident)
    row: dict[str, Any] = {
        "id": f"incident:{incident.id}",
        "title": incident.title,
        "category": str(incident.category),
        "status": str(incident.status),
        "control": incident.control,
        "customer": incident.customer,
        "project": incident.project,
        "amount_at_risk": float(incident.amount_at_risk)
        if incident.amount_at_risk
        else None,
        "currency": incident.currency,
        "event_id": incident.event_id,
        "dead_letter_id": incident.dead_letter_id,
    }
    if tickets:
        row["open_tickets"] = {"count": tickets["count"], "keys": tickets["keys"]}
    return row


def _mentions(data: dict[str, Any] | None, name: str) -> bool:
    if not data:
        return False
    wanted = name.lower()
    return any(
        isinstance(value, str) and wanted in value.lower()
        for key, value in data.items()
        if key in ("customer_name", "name", "customer_key", "subject")
    )


def contract_events() -> Any:
    """The condition for events carrying a contract, held ones included.

    A deal a workflow control holds keeps its source type while it waits.
    """
    held_deal = (col(Event.status) == EventStatus.HELD) & (
        col(Event.workflow) == "lead-to-project"
    )
    return col(Event.type).startswith("opsgate.contract.") | held_deal


def deal_status(session: Session, customer: str) -> ToolResult:
    """Why a customer's deal did (not) become a project: its events, deliveries, incidents."""
    query = "contract events whose customer or name mentions the customer"
    params = {"customer": customer}
    events = [
        e
        for e in session.exec(select(Event).where(contract_events())).all()
        if _mentions(e.data, customer)
    ]
    if not events:
        return ToolResult("no_data", query, params)
    rows = []
    for event in events:
        deliveries = session.exec(
            select(Delivery).where(Delivery.event_id == event.id)
        ).all()
        dead = session.exec(
            select(DeadLetter).where(DeadLetter.event_id == event.id)
        ).all()
        incidents = session.exec(
            select(Incident).where(Incident.event_id == event.id)
        ).all()
        rows.append(
            {
                "event_id": f"event:{event.id}",
                "deal": (event.data or {}).get("name"),
                "status": str(event.status),
                "deliveries": [
                    {
                        "id": f"delivery:{d.id}",
                        "target": d.target,
                        "operation": d.operation,
                        "status": str(d.status),
                    }
                    for d in deliveries
                ],
                "dead_letters": [
                    {
                        "id": f"dead_letter:{d.id}",
                        "category": str(d.category),
                        "reason": d.reason,
                    }
                    for d in dead
                ],
                "incidents": [_incident_row(i) for i in incidents],
            }
        )
    return ToolResult("ok", query, params, rows)


def customer_failures(session: Session, customer: str, since: datetime) -> ToolResult:
    """Incidents and dead letters about a customer since a moment."""
    query = "incidents opened since the moment whose customer or event mentions the customer"
    params = {"customer": customer, "since": since.isoformat()}
    found = []
    for incident in session.exec(
        select(Incident).where(Incident.opened_at >= since).order_by(col(Incident.id))
    ).all():
        event = session.get(Event, incident.event_id) if incident.event_id else None
        if (incident.customer and customer.lower() in incident.customer.lower()) or (
            event is not None and _mentions(event.data, customer)
        ):
            found.append(_incident_row(incident))
    return ToolResult("ok" if found else "no_data", query, params, found)


def unbilled_time(session: Session, project: str, as_of: datetime) -> ToolResult:
    """Approved, billable, uninvoiced hours on a project and what they are worth."""
    query = "approved billable timesheet lines not invoiced, for the project"
    params = {"project": project}
    facts = load_billing_facts(session, as_of=as_of.date())
    lines = facts.lines
    wanted = project.lower()
    codes = [i for i, name in enumerate(lines.projects) if name.lower() == wanted]
    known = {t.name.lower() for t in facts.terms.values()} | {
        k.lower() for k in facts.terms
    }
    if not codes and wanted not in known:
        return ToolResult("no_data", query, params, {"known_project": False})
    rates = row_rates(facts)
    rows = [
        r
        for r in range(len(lines))
        if int(lines.project[r]) in codes
        and lines.approved[r]
        and lines.billable[r]
        and not lines.invoiced[r]
    ]
    by_currency: dict[str, dict[str, float]] = {}
    for r in rows:
        money = by_currency.setdefault(
            row_currency(facts, r) or "unknown", {"hours": 0.0, "value": 0.0}
        )
        money["hours"] = round(money["hours"] + float(lines.hours[r]), 2)
        money["value"] = round(money["value"] + float(lines.hours[r] * rates[r]), 2)
    return ToolResult(
        "ok",
        query,
        params,
        {
            "known_project": True,
            "lines": len(rows),
            "by_currency": by_currency,
            "event_ids": [
                f"event:{lines.event_ids[r]}" for r in rows if lines.event_ids[r]
            ],
        },
    )


def replayable_dead_letters(session: Session) -> ToolResult:
    """Dead letters not yet replayed, split by whether a plain replay can succeed."""
    query = "dead letters not replayed; safe when the category is retryable"
    rows = []
    for dead in session.exec(
        select(DeadLetter)
        .where(col(DeadLetter.replayed_at).is_(None))
        .order_by(col(DeadLetter.id))
    ).all():
        rows.append(
            {
                "id": f"dead_letter:{dead.id}",
                "event_id": f"event:{dead.event_id}",
                "target": dead.target,
                "category": str(dead.category),
                "reason": dead.reason,
                "safe_to_replay": dead.category in RETRYABLE_CATEGORIES,
            }
        )
    return ToolResult("ok" if rows else "no_data", query, {}, rows)


def incident_detail(session: Session, incident_id: int) -> ToolResult:
    """One incident with its context."""
    incident = session.get(Incident, incident_id)
    query = "incident by id"
    if incident is None:
        return ToolResult("no_data", query, {"incident_id": incident_id})
    return ToolResult(
        "ok",
        query,
        {"incident_id": incident_id},
        {
            **_incident_row(incident),
            "detail": incident.detail,
            "resolution": incident.resolution,
        },
    )


def open_incidents(session: Session, limit: int = 5) -> ToolResult:
    """The open incidents with the highest impact."""
    rows = session.exec(
        select(Incident)
        .where(Incident.status != IncidentStatus.RESOLVED)
        .order_by(col(Incident.impact_score).desc(), col(Incident.id))
        .limit(limit)
    ).all()
    return ToolResult(
        "ok" if rows else "no_data",
        "open incidents by impact",
        {"limit": limit},
        [_incident_row(i) for i in rows],
    )


def read_only_tools(engine: Engine, now: datetime) -> list[ReadOnlyTool]:
    """Return the tools a model may call, each opening its own read session."""

    def bound(fn: Callable[..., ToolResult]) -> Callable[..., ToolResult]:
        def run(**arguments: Any) -> ToolResult:
            with Session(engine) as session:
                return fn(session, **arguments)

        return run

    def string(name: str) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {name: {"type": "string"}},
            "required": [name],
        }

    return [
        ReadOnlyTool(
            "deal_status",
            "Why a customer's deal did or did not become a project.",
            string("customer"),
            bound(deal_status),
        ),
        ReadOnlyTool(
            "customer_failures",
            "Incidents about a customer in the last 7 days.",
            string("customer"),
            bound(
                lambda s, customer: customer_failures(s, customer, _week_before(now))
            ),
        ),
        ReadOnlyTool(
            "unbilled_time",
            "Approved time not invoiced on a project (code or name).",
            string("project"),
            bound(lambda s, project: unbilled_time(s, project, now)),
        ),
        ReadOnlyTool(
            "replayable_dead_letters",
            "Dead letters and whether each is safe to replay.",
            {"type": "object", "properties": {}},
            bound(replayable_dead_letters),
        ),
        ReadOnlyTool(
            "incident_detail",
            "One incident by its number.",
            {
                "type": "object",
                "properties": {"incident_id": {"type": "integer"}},
                "required": ["incident_id"],
            },
            bound(incident_detail),
        ),
        ReadOnlyTool(
            "open_incidents",
            "The open incidents with the highest impact.",
            {"type": "object", "properties": {}},
            bound(open_incidents),
        ),
    ]


def _week_before(now: datetime) -> datetime:
    return now - timedelta(days=7)
