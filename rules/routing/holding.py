"""Hold events whose workflow controls failed, and release them once fixed.

A held event keeps its canonical object. Each failed control opens an
incident that names it, and finance is told (a `finance.notified` audit
entry), once per event and control. Releasing puts the event back to `accepted`, so
the next routing pass runs the controls again: `opsgate release`, and every
few minutes in `opsgate run`, so a fixed mapping lets held events go on.
"""

from __future__ import annotations

from collections.abc import Sequence

import structlog
from sqlmodel import Session, col, select

from opsgate.rules.audit.chain import record
from opsgate.rules.incidents.assessment import assess, kind_of_event_type
from opsgate.rules.incidents.opening import open_incident, still_open
from opsgate.rules.routing.decision import Held
from opsgate.rules.store.statuses import EventStatus
from opsgate.rules.store.tables import Event

log = structlog.get_logger(__name__)


def hold_event(session: Session, event_id: str, source: str, decision: Held) -> None:
    """Open one incident per failed control and tell finance, in the caller's transaction.

    The incident is priced from the held canonical object: the stored event
    still carries its source type while it waits, so its type names no kind.
    """
    impact = assess(kind_of_event_type(decision.routed.type), decision.routed.data)
    for failure in decision.failures:
        fingerprint = f"control:{failure.control}"
        if still_open(session, fingerprint, event_id) is not None:
            continue  # held again on a later pass: finance was told already
        incident = open_incident(
            session,
            category=failure.category,
            title=failure.message[:512],
            detail=failure.message,
            fingerprint=fingerprint,
            workflow=decision.routed.workflow,
            control=failure.control,
            source=source,
            event_id=event_id,
            blocks=impact.blocks,
            customer=impact.customer,
            project=impact.project,
            hours_at_risk=impact.hours_at_risk,
            amount_at_risk=impact.amount_at_risk,
            currency=impact.currency,
            due_date=impact.due_date,
            context={"notify": "finance"},
        )
        record(
            session,
            actor="engine",
            action="finance.notified",
            subject=f"incident:{incident.id}",
            detail={
                "control": failure.control,
                "event_id": event_id,
                "message": failure.message,
            },
        )
    log.warning(
        "event.held",
        event_id=event_id,
        source=source,
        workflow=decision.routed.workflow,
        controls=[f.control for f in decision.failures],
    )


def release_held(
    session: Session, *, event_ids: Sequence[str] | None = None, actor: str
) -> list[str]:
    """Put held events (all, or those named) back to `accepted`; return their ids."""
    query = select(Event).where(Event.status == EventStatus.HELD)
    if event_ids is not None:
        query = query.where(col(Event.id).in_(list(event_ids)))
    released = []
    for event in session.exec(query).all():
        event.status = EventStatus.ACCEPTED
        session.add(event)
        released.append(event.id)
        record(
            session, actor=actor, action="event.released", subject=f"event:{event.id}"
        )
    session.flush()
    if released:
        log.info("events.released", count=len(released), actor=actor)
    return released
