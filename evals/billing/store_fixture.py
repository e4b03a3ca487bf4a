"""Write a generated firm into a store as accepted events, the way the engine would."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime, time

from sqlmodel import Session

from opsgate.evals.billing.dataset import LabelledFirm
from opsgate.rules.canonical import CanonicalObject
from opsgate.rules.store.statuses import EventStatus
from opsgate.rules.store.tables import Event

WORKFLOW_OF_KIND = {
    "timesheet": "time-to-billing",
    "invoice": "contract-to-cash",
    "payment": "contract-to-cash",
    "project": "lead-to-project",
    "contract": "lead-to-project",
}
"""The workflow that routes each canonical kind in the generated store."""


def event_id_for(obj: CanonicalObject) -> str:
    """Return a stable event id for `obj`, so fixture stores are the same every time."""
    return str(
        uuid.uuid5(uuid.NAMESPACE_URL, f"{obj.source}/{obj.kind}/{obj.source_key}")
    )


def canonical_event(obj: CanonicalObject, *, at: datetime) -> Event:
    """Return the accepted, routed event that carries `obj`."""
    data = obj.model_dump(mode="json")
    body = json.dumps(data, sort_keys=True).encode()
    return Event(
        id=event_id_for(obj),
        source=obj.source,
        source_event_id=f"{obj.kind}:{obj.source_key}",
        type=f"opsgate.{obj.kind}.upserted",
        subject=obj.source_key,
        time=at,
        accepted_at=at,
        schema_version=obj.schema_version,
        workflow=WORKFLOW_OF_KIND.get(obj.kind),
        status=EventStatus.ROUTED,
        content_type="application/json",
        raw_body=body,
        data=data,
    )


def write_objects(
    session: Session, objects: Iterable[tuple[CanonicalObject, datetime]]
) -> int:
    """Add one event per object; return how many were written."""
    count = 0
    for obj, at in objects:
        session.add(canonical_event(obj, at=at))
        count += 1
    session.flush()
    return count


def write_firm(session: Session, firm: LabelledFirm) -> int:
    """Write the firm's projects, contracts, timesheets, invoices and payments."""
    start = datetime(2026, 1, 1, 8, tzinfo=UTC)

    def on(day: date | None) -> datetime:
        return datetime.combine(day, time(18), tzinfo=UTC) if day else start

    objects: list[tuple[CanonicalObject, datetime]] = [
        *((c, start) for c in firm.firm.contracts),
        *((p, start) for p in firm.firm.projects),
        *((t, on(t.work_date)) for t in firm.timesheets),
        *((i, on(i.invoice_date)) for i in firm.ledger.invoices),
        *((p, on(p.payment_date)) for p in firm.ledger.payments),
    ]
    return write_objects(session, objects)
