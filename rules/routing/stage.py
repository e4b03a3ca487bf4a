"""The routing stage: take accepted events in batches and apply their decisions.

route_batch(session, catalog, systems)      one transaction, one batch
run_routing(engine, catalog, systems, stop) the loop `opsgate run` starts

Support-desk events (Jira, Zendesk) route nowhere; in the same transaction
their tickets are tracked (`opsgate.rules.support.tracking`), which re-scores
the incidents they name.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import structlog
from sqlalchemy import Engine, bindparam, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from opsgate.connectors.errors import ErrorCategory
from opsgate.rules.catalog.model import Catalog
from opsgate.rules.incidents.opening import open_incident
from opsgate.rules.routing.decision import (
    Decision,
    Held,
    Ignored,
    Rejected,
    Routed,
    WorkflowControls,
    decide,
)
from opsgate.rules.routing.enqueue import NewDelivery, enqueue_deliveries
from opsgate.rules.routing.holding import hold_event
from opsgate.rules.routing.ownership import SystemsOfRecord
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.statuses import EventStatus
from opsgate.rules.store.tables import Event
from opsgate.rules.support.tracking import track_tickets

log = structlog.get_logger(__name__)

_EVENT = Event.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class RoutingReport:
    """What one batch did."""

    routed: int = 0
    rejected: int = 0
    held: int = 0
    ignored: int = 0
    deliveries: int = 0

    @property
    def events(self) -> int:
        """Events the batch took."""
        return self.routed + self.rejected + self.held + self.ignored


def route_batch(
    session: Session,
    catalog: Catalog,
    systems: SystemsOfRecord,
    *,
    limit: int = 500,
    controls: WorkflowControls | None = None,
) -> RoutingReport:
    """Route up to `limit` accepted events, oldest first, in the caller's transaction."""
    rows = session.execute(
        sa_select(
            _EVENT.c.id,
            _EVENT.c.source,
            _EVENT.c.type,
            _EVENT.c.subject,
            _EVENT.c.raw_body,
        )
        .where(_EVENT.c.status == EventStatus.ACCEPTED)
        .order_by(_EVENT.c.accepted_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    decisions = [
        (
            row[0],
            row[1],
            decide(
                catalog,
                systems,
                event_id=row[0],
                source=row[1],
                event_type=row[2],
                subject=row[3],
                raw_body=row[4],
                controls=controls,
            ),
        )
        for row in rows
    ]
    report = _apply(session, decisions)
    track_tickets(session, [(row[0], row[1], row[4]) for row in rows])
    return report


def _apply(
    session: Session, decisions: Sequence[tuple[str, str, Decision]]
) -> RoutingReport:
    routed: list[dict[str, Any]] = []
    others: list[dict[str, Any]] = []
    deliveries: list[NewDelivery] = []
    rejected: list[tuple[str, str, Rejected]] = []
    held: list[tuple[str, str, Held]] = []
    for event_id, source, decision in decisions:
        if isinstance(decision, Routed):
            routed.append(_routed_values(event_id, decision))
            deliveries.extend(decision.deliveries)
        elif isinstance(decision, Held):
            waiting = replace(
                decision.routed, type=decision.source_type or decision.routed.type
            )
            routed.append(_routed_values(event_id, waiting, EventStatus.HELD))
            held.append((event_id, source, decision))
        elif isinstance(decision, Ignored):
            others.append(_status_values(event_id, EventStatus.IGNORED, None))
        else:
            others.append(
                _status_values(event_id, EventStatus.REJECTED, decision.workflow)
            )
            rejected.append((event_id, source, decision))
    if routed:
        session.execute(_ROUTED_UPDATE, routed)
    if others:
        session.execute(_STATUS_UPDATE, others)
    enqueue_deliveries(session, deliveries)
    for event_id, source, decision in rejected:
        _open_rejection(session, event_id, source, decision)
    for event_id, source, hold in held:
        _open_holds(session, event_id, source, hold)
    report = RoutingReport(
        routed=len(routed) - len(held),
        rejected=len(rejected),
        held=len(held),
        ignored=len(others) - len(rejected),
        deliveries=len(deliveries),
    )
    if report.events:
        log.info("events.routed", **report.__dict__)
    return report


_ROUTED_UPDATE = (
    update(_EVENT)
    .where(_EVENT.c.id == bindparam("b_id"))
    .values(
        status=bindparam("b_status"),
        data=bindparam("b_data"),
        type=bindparam("b_type"),
        subject=bindparam("b_subject"),
        workflow=bindparam("b_workflow"),
        schema_version=bindparam("b_schema_version"),
    )
)
_STATUS_UPDATE = (
    update(_EVENT)
    .where(_EVENT.c.id == bindparam("b_id"))
    .values(status=bindparam("b_status"), workflow=bindparam("b_workflow"))
)


def _routed_values(
    event_id: str, decision: Routed, status: EventStatus = EventStatus.ROUTED
) -> dict[str, Any]:
    return {
        "b_id": event_id,
        "b_status": status,
        "b_data": decision.data,
        "b_type": decision.type[:128],
        "b_subject": decision.subject[:256],
        "b_workflow": decision.workflow,
        "b_schema_version": decision.schema_version,
    }


def _status_values(
    event_id: str, status: EventStatus, workflow: str | None
) -> dict[str, Any]:
    return {"b_id": event_id, "b_status": status, "b_workflow": workflow}


def _open_rejection(
    session: Session, event_id: str, source: str, decision: Rejected
) -> None:
    open_incident(
        session,
        category=decision.category,
        title=decision.message[:512],
        detail=decision.message,
        fingerprint=decision.fingerprint[:128],
        workflow=decision.workflow,
        source=source,
        event_id=event_id,
        context=decision.context,
    )
    log.error(
        "event.rejected",
        event_id=event_id,
        source=source,
        category=decision.category.value,
        reason=decision.message,
    )


def _open_holds(session: Session, event_id: str, source: str, hold: Held) -> None:
    hold_event(session, event_id, source, hold)


def run_routing(
    engine: Engine,
    catalog: Catalog,
    systems: SystemsOfRecord,
    stop: threading.Event,
    *,
    batch_size: int = 500,
    poll_interval_s: float = 0.2,
    controls: WorkflowControls | None = None,
) -> None:
    """Route accepted events until `stop` is set; a failing batch never ends the loop.

    `controls`, when given, is asked about every mapped event; an event whose
    workflow controls do not all pass is held (see `decision.Held`).
    """
    log.info("routing.started", batch_size=batch_size)
    while not stop.is_set():
        try:
            with session_scope(engine) as session:
                report = route_batch(
                    session, catalog, systems, limit=batch_size, controls=controls
                )
        except Exception:
            log.exception("routing.batch_failed")
            handled = _route_one_by_one(engine, catalog, systems, batch_size, controls)
        else:
            handled = report.events
        if handled < batch_size:
            stop.wait(poll_interval_s)
    log.info("routing.stopped")


def _route_one_by_one(
    engine: Engine,
    catalog: Catalog,
    systems: SystemsOfRecord,
    limit: int,
    controls: WorkflowControls | None,
) -> int:
    """Route a failed batch event by event; an event that still fails is rejected."""
    with session_scope(engine) as session:
        ids = session.exec(
            select(Event.id)
            .where(Event.status == EventStatus.ACCEPTED)
            .order_by(col(Event.accepted_at))
            .limit(limit)
        ).all()
    for event_id in ids:
        try:
            with session_scope(engine) as session:
                row = session.get(Event, event_id)
                if row is None or row.status != EventStatus.ACCEPTED:
                    continue
                track_tickets(session, [(row.id, row.source, row.raw_body)])
                _apply(
                    session,
                    [
                        (
                            row.id,
                            row.source,
                            decide(
                                catalog,
                                systems,
                                event_id=row.id,
                                source=row.source,
                                event_type=row.type,
                                subject=row.subject,
                                raw_body=row.raw_body,
                                controls=controls,
                            ),
                        )
                    ],
                )
        except Exception as exc:
            log.exception("routing.event_failed", event_id=event_id)
            with session_scope(engine) as session:
                source = session.exec(
                    select(Event.source).where(Event.id == event_id)
                ).one()
                _apply(
                    session,
                    [
                        (
                            event_id,
                            source,
                            Rejected(
                                ErrorCategory.UNKNOWN,
                                f"Routing of event {event_id!r} failed unexpectedly: {exc!r}.",
                                f"unknown:routing:{type(exc).__name__}",
                            ),
                        )
                    ],
                )
    return len(ids)
