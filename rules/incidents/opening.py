"""Open incidents, once per failure signature while one is still open."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import structlog
from sqlmodel import Session, select

from opsgate.connectors.errors import ErrorCategory
from opsgate.rules.audit.chain import record
from opsgate.rules.incidents.assessment import assess, kind_of_event_type
from opsgate.rules.incidents.impact import impact_score
from opsgate.rules.store.statuses import IncidentStatus
from opsgate.rules.store.tables import Event, Incident, utcnow

log = structlog.get_logger(__name__)


def open_incident(
    session: Session,
    *,
    category: ErrorCategory,
    title: str,
    actor: str = "engine",
    detail: str | None = None,
    fingerprint: str | None = None,
    workflow: str | None = None,
    control: str | None = None,
    source: str | None = None,
    target: str | None = None,
    event_id: str | None = None,
    delivery_id: int | None = None,
    dead_letter_id: int | None = None,
    blocks: str | None = None,
    customer: str | None = None,
    project: str | None = None,
    hours_at_risk: Decimal | None = None,
    amount_at_risk: Decimal | None = None,
    currency: str | None = None,
    due_date: date | None = None,
    context: dict[str, Any] | None = None,
) -> Incident:
    """Open an incident in the caller's transaction and audit it.

    When `fingerprint` and `event_id` match an incident that is still open, that
    incident is returned instead, so a retried failure never opens a second one.
    Impact fields the caller leaves out are assessed from the event's canonical
    object, so every incident about an event says what it costs.
    """
    if fingerprint is not None and event_id is not None:
        existing = session.exec(
            select(Incident).where(
                Incident.fingerprint == fingerprint,
                Incident.event_id == event_id,
                Incident.status != IncidentStatus.RESOLVED,
            )
        ).first()
        if existing is not None:
            return existing
    if event_id is not None and blocks is None and amount_at_risk is None:
        event = session.get(Event, event_id)
        if event is not None:
            workflow = workflow or event.workflow
            impact = assess(kind_of_event_type(event.type), event.data)
            blocks, customer = impact.blocks, customer or impact.customer
            project = project or impact.project
            hours_at_risk = hours_at_risk or impact.hours_at_risk
            amount_at_risk, currency = (
                impact.amount_at_risk,
                currency or impact.currency,
            )
            due_date = due_date or impact.due_date
    now = utcnow()
    incident = Incident(
        category=category,
        title=title,
        detail=detail,
        fingerprint=fingerprint,
        workflow=workflow,
        control=control,
        source=source,
        target=target,
        event_id=event_id,
        delivery_id=delivery_id,
        dead_letter_id=dead_letter_id,
        opened_at=now,
        blocks=blocks,
        customer=customer,
        project=project,
        hours_at_risk=hours_at_risk,
        amount_at_risk=amount_at_risk,
        currency=currency,
        due_date=due_date,
        impact_score=impact_score(
            blocks=blocks,
            amount_at_risk=amount_at_risk,
            hours_at_risk=hours_at_risk,
            due_date=due_date,
            today=now.date(),
        ),
        context=context,
    )
    session.add(incident)
    session.flush()
    record(
        session,
        actor=actor,
        action="incident.opened",
        subject=f"incident:{incident.id}",
        detail={"category": category.value, "title": title, "event_id": event_id},
    )
    log.error(
        "incident.opened",
        incident_id=incident.id,
        category=category.value,
        workflow=workflow,
        event_id=event_id,
        amount_at_risk=str(amount_at_risk) if amount_at_risk is not None else None,
    )
    return incident
