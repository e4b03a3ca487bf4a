"""Look up and remember which outside record stands for a business key."""

from __future__ import annotations

from sqlmodel import Session, select

from opsgate.rules.store.reference_tables import ExternalReference
from opsgate.rules.store.tables import utcnow


def find_reference(session: Session, system: str, kind: str, key: str) -> int | None:
    """Return the remote id recorded for `key`, or None."""
    return session.exec(
        select(ExternalReference.remote_id).where(
            ExternalReference.system == system,
            ExternalReference.kind == kind,
            ExternalReference.key == key,
        )
    ).first()


def remember_reference(
    session: Session,
    system: str,
    kind: str,
    key: str,
    remote_id: int,
    *,
    label: str | None = None,
    created_by: str = "engine",
) -> None:
    """Record (or move) the reference for `key` in the caller's transaction."""
    existing = session.exec(
        select(ExternalReference).where(
            ExternalReference.system == system,
            ExternalReference.kind == kind,
            ExternalReference.key == key,
        )
    ).first()
    if existing is None:
        session.add(
            ExternalReference(
                system=system,
                kind=kind,
                key=key,
                remote_id=remote_id,
                label=label,
                created_by=created_by,
            )
        )
    else:
        existing.remote_id = remote_id
        existing.label = label or existing.label
        existing.updated_at = utcnow()
        session.add(existing)
    session.flush()
