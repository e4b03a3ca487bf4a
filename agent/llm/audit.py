"""Audit every model call in the store's hash-chained log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import col, select

from opsgate.rules.audit.chain import record
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.tables import AuditEntry

AuditSink = Callable[[str, dict[str, Any]], None]
"""Receives (action, detail) for every model call."""


def store_audit(engine: Engine, *, actor: str = "agent") -> AuditSink:
    """Return a sink that records each call as its own audit entry."""

    def sink(action: str, detail: dict[str, Any]) -> None:
        with session_scope(engine) as session:
            record(
                session,
                actor=actor,
                action=action,
                subject=f"model:{detail.get('model')}",
                detail=detail,
            )

    return sink


def tokens_spent_since(engine: Engine, since: datetime) -> int:
    """Return tokens recorded by `llm.called` entries since `since`."""
    with session_scope(engine) as session:
        rows = session.exec(
            select(AuditEntry.detail).where(
                AuditEntry.action == "llm.called",
                col(AuditEntry.recorded_at) >= since,
            )
        ).all()
    return sum(int((row or {}).get("total_tokens", 0)) for row in rows)
