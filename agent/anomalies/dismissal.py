"""Dismiss a flag: resolve its incident and never raise it again for the same records."""

from __future__ import annotations

import structlog
from sqlmodel import Session, col, select

from opsgate.rules.audit.chain import record
from opsgate.rules.store.anomaly_tables import AnomalyFlagRecord, AnomalyStatus
from opsgate.rules.store.statuses import IncidentStatus
from opsgate.rules.store.tables import Incident, utcnow

log = structlog.get_logger(__name__)


class UnknownFlagError(LookupError):
    """Raised when a dismissal names a fingerprint that was never raised."""


def dismiss_flag(
    session: Session, fingerprint: str, *, by: str, reason: str
) -> AnomalyFlagRecord:
    """Mark the flag dismissed, resolve its incident, and audit who and why."""
    found = session.exec(
        select(AnomalyFlagRecord).where(
            col(AnomalyFlagRecord.fingerprint).startswith(fingerprint)
        )
    ).all()
    if len(found) != 1:
        raise UnknownFlagError(
            f"No single raised flag has fingerprint {fingerprint!r}: "
            f"{len(found)} match. Run `opsgate anomalies` to list them."
        )
    flag = found[0]
    now = utcnow()
    flag.status = AnomalyStatus.DISMISSED
    flag.dismissed_at, flag.dismissed_by, flag.dismissal_reason = now, by, reason
    incident = session.get(Incident, flag.incident_id) if flag.incident_id else None
    if incident is not None and incident.status != IncidentStatus.RESOLVED:
        incident.status = IncidentStatus.RESOLVED
        incident.resolved_at = now
        incident.resolution = f"Anomaly dismissed by {by}: {reason}"
    session.add(flag)
    record(
        session,
        actor=by,
        action="anomaly.dismissed",
        subject=f"anomaly:{flag.fingerprint}",
        detail={"kind": flag.kind, "reason": reason, "incident_id": flag.incident_id},
    )
    log.info("anomaly.dismissed", fingerprint=flag.fingerprint, by=by)
    return flag


def dismissed_fingerprints(session: Session) -> set[str]:
    """Return the fingerprints people dismissed."""
    rows = session.exec(
        select(AnomalyFlagRecord.fingerprint).where(
            AnomalyFlagRecord.status == AnomalyStatus.DISMISSED
        )
    ).all()
    return set(rows)
