"""Accept raw inputs as events: dedupe, store, audit, in the caller's transaction.

`accept_many` handles a batch with a few statements (the HTTP server's group
commit uses it); `accept` is the same for one input. Neither commits: the
caller commits, then acknowledges the sender.
"""

from __future__ import annotations

import functools
import random
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import structlog
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from opsgate.connectors.errors import REDACTED, ErrorCategory, redact
from opsgate.rules.accept.prepare import Prepared, Unfit, prepare
from opsgate.rules.accept.quarantine import quarantine
from opsgate.rules.audit.chain import AuditDraft, record_many
from opsgate.rules.catalog.model import Catalog
from opsgate.rules.store.statuses import EventStatus
from opsgate.rules.store.tables import Event, utcnow

log = structlog.get_logger(__name__)


class AcceptOutcome(StrEnum):
    """What became of one input."""

    ACCEPTED = "accepted"
    """A new event was stored."""
    DUPLICATE = "duplicate"
    """The same (source, source event id) was accepted before; nothing new stored."""
    QUARANTINED = "quarantined"
    """It cannot become an event; the raw body is kept in quarantine."""


@dataclass(frozen=True)
class AcceptRequest:
    """One raw input to accept."""

    source: str
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)
    message_id: str | None = None
    """The signature's message id (`webhook-id`); the event id when the catalog names none."""
    channel: str = "webhook"
    """How it arrived: `webhook`, `import`, `pull`."""
    content_type: str | None = None
    causation_id: str | None = None
    """The event that caused this input (a read-back caused by a notification)."""


@dataclass(frozen=True)
class AcceptResult:
    """The outcome of accepting one input."""

    outcome: AcceptOutcome
    event_id: str | None = None
    """The event (the first one, for a duplicate)."""
    source_event_id: str | None = None
    quarantine_id: int | None = None
    incident_id: int | None = None
    reason: str | None = None
    """Why it was quarantined."""
    location: str | None = None
    """Where in the input the problem is."""
    category: ErrorCategory | None = None
    """For a quarantined input: `validation` (not JSON) or `mapping` (unreadable)."""


def accept(
    session: Session,
    catalog: Catalog,
    *,
    source: str,
    body: bytes,
    headers: Mapping[str, str] | None = None,
    message_id: str | None = None,
    channel: str = "webhook",
    content_type: str | None = None,
    causation_id: str | None = None,
) -> AcceptResult:
    """Accept one input in the caller's transaction."""
    request = AcceptRequest(
        source,
        body,
        dict(headers or {}),
        message_id,
        channel,
        content_type,
        causation_id,
    )
    return accept_many(session, catalog, [request])[0]


def accept_many(
    session: Session, catalog: Catalog, requests: Sequence[AcceptRequest]
) -> list[AcceptResult]:
    """Accept a batch in the caller's transaction; results are in request order."""
    results: dict[int, AcceptResult] = {}
    fit: list[tuple[int, AcceptRequest, Prepared]] = []
    for index, request in enumerate(requests):
        prepared = _prepare(catalog, request)
        if isinstance(prepared, Unfit):
            results[index] = _quarantined(session, request, prepared)
        else:
            fit.append((index, request, prepared))
    if fit:
        results.update(_store(session, fit))
    return [results[index] for index in range(len(requests))]


def new_event_id() -> str:
    """Return a new random (version 4) UUID for an event, as text."""
    # NOTE: drawn from `random` rather than `os.urandom`: the id must be unique,
    # not secret, and `os.urandom` releases the GIL, which costs the group-commit
    # writer a wait of up to a switch interval per event under load.
    return str(uuid.UUID(int=random.getrandbits(128), version=4))


def _prepare(catalog: Catalog, request: AcceptRequest) -> Prepared | Unfit:
    entry = catalog.get(request.source)
    if entry is None:
        return Unfit(
            f"Source {request.source!r} is not in the catalog.", None, "mapping"
        )
    return prepare(
        entry, body=request.body, headers=request.headers, message_id=request.message_id
    )


def _quarantined(
    session: Session, request: AcceptRequest, unfit: Unfit
) -> AcceptResult:
    kept = quarantine(
        session,
        source=request.source,
        channel=request.channel,
        body=request.body,
        headers=request.headers,
        reason=unfit.reason,
        location=unfit.location,
        category=ErrorCategory(unfit.category),
    )
    return AcceptResult(
        AcceptOutcome.QUARANTINED,
        quarantine_id=kept.id,
        incident_id=kept.incident_id,
        reason=unfit.reason,
        location=unfit.location,
        category=ErrorCategory(unfit.category),
    )


def _store(
    session: Session, fit: list[tuple[int, AcceptRequest, Prepared]]
) -> dict[int, AcceptResult]:
    # NOTE: insert first, skipping rows whose (source, source event id) exists;
    # RETURNING names the rows that went in. The transaction thus writes with
    # its first statement, and a duplicate that another process inserts at the
    # same moment is skipped instead of failing the batch.
    candidates: dict[tuple[str, str], dict[str, object]] = {}
    for _, request, prepared in fit:
        key = (request.source, prepared.source_event_id)
        if key not in candidates:
            candidates[key] = _event_row(new_event_id(), request, prepared)
    fresh = _insert_new(session, list(candidates.values()))
    inserted = [row for row in candidates.values() if row["id"] in fresh]
    stored = {
        key: str(row["id"]) for key, row in candidates.items() if row["id"] in fresh
    }
    stored.update(_stored_ids(session, set(candidates) - set(stored)))
    if inserted:
        _audit(session, inserted)
    results: dict[int, AcceptResult] = {}
    for index, request, prepared in fit:
        event_id = stored[(request.source, prepared.source_event_id)]
        first = event_id in fresh
        outcome = AcceptOutcome.ACCEPTED if first else AcceptOutcome.DUPLICATE
        results[index] = AcceptResult(outcome, event_id, prepared.source_event_id)
        fresh.discard(event_id)
    _log_accepted(inserted)
    return results


LOGGED_EVENT_IDS = 20
"""Event ids the INFO line of one committed group lists; DEBUG lists each."""


def _log_accepted(inserted: list[dict[str, object]]) -> None:
    # One INFO line per committed group (its first ids and the count), one
    # DEBUG line per event: a log write per event would halve webhook
    # throughput, and a 500-row import batch should not write 20 KB of ids.
    if not inserted:
        return
    log.info(
        "events.accepted",
        count=len(inserted),
        event_ids=[row["id"] for row in inserted[:LOGGED_EVENT_IDS]],
        sources=sorted({str(row["source"]) for row in inserted}),
    )
    for row in inserted:
        log.debug(
            "event.accepted",
            event_id=row["id"],
            source=row["source"],
            source_event_id=row["source_event_id"],
            type=row["type"],
        )


_EVENT_TABLE = Event.__table__  # type: ignore[attr-defined]


def _insert_new(session: Session, rows: list[dict[str, object]]) -> set[str]:
    """Insert `rows`, skipping existing keys; return the ids that went in."""
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(_EVENT_TABLE)
        .on_conflict_do_nothing(index_elements=["source", "source_event_id"])
        .returning(_EVENT_TABLE.c.id)
    )
    result = session.connection().execute(statement, rows)
    return set(map(str, result.scalars()))


def _stored_ids(
    session: Session, keys: set[tuple[str, str]]
) -> dict[tuple[str, str], str]:
    if not keys:
        return {}
    # NOTE: one `source = ? AND source_event_id IN (...)` query per source uses
    # the unique index; a row-value IN over both columns makes SQLite scan the
    # whole event table for every batch.
    by_source: dict[str, list[str]] = {}
    for source, source_event_id in keys:
        by_source.setdefault(source, []).append(source_event_id)
    stored: dict[tuple[str, str], str] = {}
    for source, ids in by_source.items():
        found = session.exec(
            select(Event.source_event_id, Event.id).where(
                Event.source == source, col(Event.source_event_id).in_(ids)
            )
        ).all()
        stored.update({(source, str(key)): str(id_) for key, id_ in found})
    return stored


def _event_row(
    event_id: str, request: AcceptRequest, prepared: Prepared
) -> dict[str, object]:
    return {
        "id": event_id,
        "source": request.source,
        "source_event_id": prepared.source_event_id,
        "type": prepared.type,
        "subject": prepared.subject,
        "time": prepared.time,
        "accepted_at": utcnow(),
        "correlation_id": prepared.correlation_id,
        "causation_id": request.causation_id,
        "status": EventStatus.ACCEPTED,
        "content_type": request.content_type,
        "raw_body": request.body,
        "raw_headers": _headers_kept(request.headers),
    }


def _headers_kept(headers: Mapping[str, str]) -> dict[str, str]:
    """Return the headers to store: credentials and signatures masked."""
    return {
        name: REDACTED if _names_a_secret(name) else value
        for name, value in headers.items()
    }


@functools.lru_cache(maxsize=1024)
def _names_a_secret(header: str) -> bool:
    # The same rule as `redact`, asked once per distinct header name.
    return bool(redact({header: ""})[header] == REDACTED)


def _audit(session: Session, rows: list[dict[str, object]]) -> None:
    record_many(
        session,
        [
            AuditDraft(
                actor="engine",
                action="event.accepted",
                subject=f"event:{row['id']}",
                detail={
                    "source": row["source"],
                    "source_event_id": row["source_event_id"],
                },
            )
            for row in rows
        ],
    )
