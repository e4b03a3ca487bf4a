"""Open incidents, once per failure signature while one is still open.

A failure seen again for the same event returns the incident already open.
With `group=True` (the caller knows the failure's cause, e.g. "no Odoo
project for P-08"), later events with the same fingerprint join that incident
instead of opening their own: it counts them and adds up what they put at
risk, so forty refused time entries of one project read as one problem.

A new incident counts the open support tickets that name its customer or
project (`open_tickets`), so a ticket that arrived first weighs on it from the
start.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import structlog
from sqlmodel import Session, col, select

from opsgate.connectors.errors import ErrorCategory
from opsgate.rules.audit.chain import record
from opsgate.rules.incidents.assessment import Impact, assess, kind_of_event_type
from opsgate.rules.incidents.open_tickets import score, weigh_open_tickets
from opsgate.rules.store.statuses import IncidentStatus
from opsgate.rules.store.tables import Event, Incident, utcnow

log = structlog.get_logger(__name__)

MAX_GROUPED_EVENTS = 500
"""Event ids an incident lists in `context.event_ids`; the count goes on."""


def open_incident(
    session: Session,
    *,
    category: ErrorCategory,
    title: str,
    actor: str = "engine",
    detail: str | None = None,
    fingerprint: str | None = None,
    group: bool = False,
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
    """Open (or join) an incident in the caller's transaction and audit it.

    Impact fields the caller leaves out are assessed from the event's canonical
    object, so every incident about an event says what it costs.
    """
    given = Impact(
        blocks, customer, project, hours_at_risk, amount_at_risk, currency, due_date
    )
    impact, workflow = _impact(session, event_id, given, workflow)
    existing = still_open(session, fingerprint, None if group else event_id)
    if existing is not None:
        if group:
            _join(existing, event_id, impact)
            session.add(existing)
            session.flush()
        return existing
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
        blocks=impact.blocks,
        customer=impact.customer,
        project=impact.project,
        hours_at_risk=impact.hours_at_risk,
        amount_at_risk=impact.amount_at_risk,
        currency=impact.currency,
        due_date=impact.due_date,
        context={**(context or {}), **(_occurrences(event_id) if group else {})},
    )
    weigh_open_tickets(session, incident)
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
        amount_at_risk=str(impact.amount_at_risk) if impact.amount_at_risk else None,
    )
    return incident


def _impact(
    session: Session, event_id: str | None, given: Impact, workflow: str | None
) -> tuple[Impact, str | None]:
    """Fill what the caller did not say from the event's canonical object."""
    if event_id is None or given.blocks is not None or given.amount_at_risk is not None:
        return given, workflow
    event = session.get(Event, event_id)
    if event is None:
        return given, workflow
    assessed = assess(kind_of_event_type(event.type), event.data)
    return (
        replace(
            assessed,
            customer=given.customer or assessed.customer,
            project=given.project or assessed.project,
            hours_at_risk=given.hours_at_risk or assessed.hours_at_risk,
            currency=given.currency or assessed.currency,
            due_date=given.due_date or assessed.due_date,
        ),
        workflow or event.workflow,
    )


def still_open(
    session: Session, fingerprint: str | None, event_id: str | None
) -> Incident | None:
    """The unresolved incident with `fingerprint` (and `event_id`, when given)."""
    if fingerprint is None:
        return None
    query = select(Incident).where(
        Incident.fingerprint == fingerprint, Incident.status != IncidentStatus.RESOLVED
    )
    if event_id is not None:
        query = query.where(Incident.event_id == event_id)
    return session.exec(query).first()


def join_incident(
    session: Session, incident: Incident, event_ids: Sequence[str]
) -> None:
    """Count more events against a grouped incident, as `open_incident` would.

    For many events of one cause at once (a batch's dead letters): their
    events are read in one query and the incident is written once.
    """
    if not event_ids:
        return
    events = {
        event.id: event
        for event in session.exec(
            select(Event).where(col(Event.id).in_(sorted(set(event_ids))))
        )
    }
    for event_id in event_ids:
        event = events.get(event_id)
        impact = (
            assess(kind_of_event_type(event.type), event.data)
            if event is not None
            else Impact()
        )
        _join(incident, event_id, impact)
    session.add(incident)
    session.flush()


def _join(incident: Incident, event_id: str | None, impact: Impact) -> None:
    """Count one more event against an open incident, once per event."""
    context = dict(incident.context or {})
    events = list(context.get("event_ids", []))
    if event_id is None or event_id in events or event_id == incident.event_id:
        return
    if len(events) < MAX_GROUPED_EVENTS:
        events.append(event_id)
    context.update(event_ids=events, occurrences=int(context.get("occurrences", 1)) + 1)
    incident.context = context
    incident.hours_at_risk = _add(incident.hours_at_risk, impact.hours_at_risk)
    incident.amount_at_risk = _add(incident.amount_at_risk, impact.amount_at_risk)
    if impact.due_date and (
        incident.due_date is None or impact.due_date < incident.due_date
    ):
        incident.due_date = impact.due_date
    incident.impact_score = score(incident)
    log.info(
        "incident.joined",
        incident_id=incident.id,
        event_id=event_id,
        occurrences=context["occurrences"],
    )


def _occurrences(event_id: str | None) -> dict[str, Any]:
    return {"event_ids": [event_id] if event_id else [], "occurrences": 1}


def _add(total: Decimal | None, more: Decimal | None) -> Decimal | None:
    if more is None:
        return total
    return (total or Decimal(0)) + more
