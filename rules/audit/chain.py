"""Record audit entries and verify the hash chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from opsgate.rules.store.tables import AuditEntry, utcnow

GENESIS_HASH = "0" * 64
"""The `prev_hash` of the first entry."""


def entry_hash(
    prev_hash: str,
    recorded_at: datetime,
    actor: str,
    action: str,
    subject: str | None,
    detail: dict[str, Any] | None,
) -> str:
    """Return the SHA-256 of an entry's content and the hash before it."""
    body = json.dumps(
        [prev_hash, recorded_at.isoformat(), actor, action, subject, detail],
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    subject: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an entry in the caller's transaction, chained to the last one."""
    last = session.exec(
        select(AuditEntry.hash).order_by(col(AuditEntry.id).desc()).limit(1)
    ).first()
    prev_hash = last or GENESIS_HASH
    recorded_at = utcnow()
    entry = AuditEntry(
        recorded_at=recorded_at,
        actor=actor,
        action=action,
        subject=subject,
        detail=detail,
        prev_hash=prev_hash,
        hash=entry_hash(prev_hash, recorded_at, actor, action, subject, detail),
    )
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class ChainVerdict:
    """The outcome of verifying the chain."""

    ok: bool
    entries_checked: int
    first_broken_id: int | None = None
    reason: str | None = None
