"""Gather the facts of an incident from the store, read-only."""

from __future__ import annotations

import re
from typing import Any

from sqlmodel import Session, col, select

from opsgate.agent.classify.facts import IncidentFacts
from opsgate.rules.store.statuses import IncidentStatus
from opsgate.rules.store.tables import Attempt, DeadLetter, Delivery, Event, Incident

UNRESOLVED = (IncidentStatus.OPEN, IncidentStatus.ACKNOWLEDGED)


class IncidentNotFound(Exception):
    """Raised when a triage names an incident the store does not hold."""


def gather_facts(session: Session, incident_id: int) -> IncidentFacts:
    """Return what the store knows about one incident, with evidence ids."""
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise IncidentNotFound(f"Incident {incident_id!r} does not exist.")
    context: dict[str, Any] = dict(incident.context or {})
    evidence = [f"incident:{incident_id}"]
    dead = (
        session.get(DeadLetter, incident.dead_letter_id)
        if incident.dead_letter_id
        else None
    )
    delivery_id = incident.delivery_id or (dead.delivery_id if dead else None)
    delivery = session.get(Delivery, delivery_id) if delivery_id else None
    event = session.get(Event, incident.event_id) if incident.event_id else None
    attempt = _last_attempt(session, delivery.id) if delivery and delivery.id else None
    if event is not None:
        evidence.append(f"event:{event.id}")
    if delivery is not None:
        evidence.append(f"delivery:{delivery.id}")
    if dead is not None:
        evidence.append(f"dead_letter:{dead.id}")
    if attempt is not None:
        evidence.append(f"attempt:{attempt.id}")
    fault = dict(attempt.fault or {}) if attempt else dict(context.get("fault") or {})
    if attempt is not None and attempt.error_message and "message" not in fault:
        fault["message"] = attempt.error_message
    return IncidentFacts(
        incident_id=incident_id,
        title=incident.title,
        detail=incident.detail or "",
        source=incident.source or (event.source if event else None),
        target=incident.target or (delivery.target if delivery else None),
        operation=delivery.operation if delivery else context.get("operation"),
        workflow=incident.workflow,
        control=incident.control,
        stage=context.get("stage") or ("deliver" if delivery else None),
        reported_category=incident.category.value,
        http_status=fault.get("http_status") or context.get("http_status"),
        fault=fault,
        payload=dict(
            (delivery.payload if delivery else None)
            or (event.data if event else None)
            or {}
        ),
        customer=incident.customer,
        blocks=incident.blocks,
        amount_at_risk=str(incident.amount_at_risk)
        if incident.amount_at_risk
        else None,
        event_id=incident.event_id,
        evidence_ids=evidence,
        held_by=_holds_on(session, incident),
        upstream_dead_letters=_upstream_dead_letters(session, fault),
    )


def _holds_on(session: Session, incident: Incident) -> list[dict[str, Any]]:
    """Open control incidents of another workflow that hold this one's project.

    Time refused for a project Odoo does not have yet is often time on a deal
    that lead-to-project holds (an unsigned statement of work, an unmapped
    legal entity): the hold, not the time, is what a person must fix.
    """
    if not incident.project or incident.control:
        return []
    holds = session.exec(
        select(Incident)
        .where(
            col(Incident.control).is_not(None),
            Incident.project == incident.project,
            Incident.workflow != incident.workflow,
            col(Incident.status).in_(UNRESOLVED),
        )
        .order_by(col(Incident.id))
        .limit(5)
    ).all()
    return [
        {"incident_id": hold.id, "control": hold.control, "title": hold.title[:200]}
        for hold in holds
    ]


MISSING_EMPLOYEE = re.compile(r"no Odoo employee for '([^']+)'")


def _upstream_dead_letters(
    session: Session, fault: dict[str, Any]
) -> list[dict[str, Any]]:
    """Dead-lettered upserts of the employee refused time names, not yet replayed.

    Time for a consultant whose `hr.employee` upsert failed (schema drift, a
    timeout that ran out) is refused as "no Odoo employee": the employee's
    dead letter, not the time, is what to retry first.
    """
    found = MISSING_EMPLOYEE.search(str(fault.get("message") or ""))
    if found is None:
        return []
    name = found.group(1)
    rows = session.exec(
        select(DeadLetter, Delivery)
        .join(Delivery, col(Delivery.id) == col(DeadLetter.delivery_id))
        .join(Event, col(Event.id) == col(DeadLetter.event_id))
        .where(
            col(Event.type).startswith("opsgate.consultant."),
            col(Event.data)["name"].as_string() == name,
            col(DeadLetter.replayed_at).is_(None),
        )
        .order_by(col(DeadLetter.id))
        .limit(3)
    ).all()
    return [
        {
            "dead_letter_id": dead.id,
            "delivery_id": delivery.id,
            "operation": delivery.operation,
            "category": str(dead.category),
            "name": name,
        }
        for dead, delivery in rows
    ]


def _last_attempt(session: Session, delivery_id: int) -> Attempt | None:
    return session.exec(
        select(Attempt)
        .where(Attempt.delivery_id == delivery_id)
        .order_by(col(Attempt.number).desc())
        .limit(1)
    ).first()
