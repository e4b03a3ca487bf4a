"""Keep each support ticket's state and re-score the incidents it names.

Routing hands every Jira and Zendesk event it takes to `track_tickets`, in the
same transaction. For an event about a ticket, the ticket's row is created or
brought up to date (an event older than the one the row holds changes
nothing; a partial one, such as a Jira comment, changes only what it carries),
its customer and project values are replaced, and every unresolved
incident named by the old or the new values is re-scored
(`opsgate.rules.incidents.open_tickets`): a ticket that opens raises them, one
that is resolved, closed or deleted lowers them again.

Nothing is written to any outside system. The event stays stored whatever
becomes of its ticket; a body that does not read as a ticket opens one
`validation` incident per desk (`validation:support:<desk>:unreadable_ticket`)
that counts them, and never stops routing.

Known limitation: tickets are tracked from the events routed after this was
deployed; events accepted before are not read again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import structlog
from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from opsgate.connectors.errors import ErrorCategory
from opsgate.rules.incidents.open_tickets import reweigh_incidents_naming
from opsgate.rules.incidents.opening import open_incident
from opsgate.rules.store.tables import utcnow
from opsgate.rules.store.ticket_tables import SupportTicket, SupportTicketReference
from opsgate.rules.support.matching import TicketReferences, ticket_references
from opsgate.rules.support.tickets import (
    NotATicket,
    Ticket,
    UnreadableTicket,
    read_ticket,
    reads_tickets,
)

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class TrackingReport:
    """What one batch of support-desk events did."""

    tickets: int = 0
    """Tickets created or brought up to date."""
    unreadable: int = 0
    rescored: int = 0
    """Incidents whose score or ticket list changed."""


def track_tickets(
    session: Session, events: Iterable[tuple[str, str, bytes]]
) -> TrackingReport:
    """Track the tickets of `(event id, source, stored body)`s, in the caller's transaction.

    Events of sources that are not support desks are passed over.
    """
    tickets = unreadable = 0
    rescored: set[int] = set()
    for event_id, source, body in events:
        if not reads_tickets(source):
            continue
        reading = read_ticket(source, body)
        if isinstance(reading, NotATicket):
            continue
        if isinstance(reading, UnreadableTicket):
            _keep_unreadable(session, event_id, source, reading)
            unreadable += 1
            continue
        named = _record(session, event_id, reading)
        if named is None:
            continue
        tickets += 1
        rescored.update(
            reweigh_incidents_naming(
                session, customers=named.customers, projects=named.projects
            )
        )
    report = TrackingReport(tickets, unreadable, len(rescored))
    if tickets or unreadable:
        log.info("tickets.tracked", **report.__dict__)
    return report


def _record(session: Session, event_id: str, ticket: Ticket) -> TicketReferences | None:
    """Store the ticket's state; return what it named before and now.

    Returns None when the row already holds a newer event.
    """
    row, created = _locked_row(session, event_id, ticket)
    if _older(ticket.changed_at, row.changed_at) and row.last_event_id != event_id:
        log.info(
            "ticket.update_skipped",
            source=ticket.source,
            ticket_key=ticket.key,
            event_id=event_id,
            reason="older than the stored state",
        )
        return None
    before = _stored_references(session, row.id or 0)
    now = ticket_references(session, ticket)
    if ticket.complete or created:
        row.title = ticket.title
        row.status = ticket.status
        row.priority = ticket.priority
        row.is_open = ticket.is_open
    else:
        # A partial event changes only what it carries.
        now = before | now
        row.title = ticket.title or row.title
        row.priority = ticket.priority or row.priority
        if ticket.status is not None:
            row.status, row.is_open = ticket.status, ticket.is_open
    row.last_event_id = event_id
    row.changed_at = ticket.changed_at or row.changed_at
    row.updated_at = utcnow()
    session.add(row)
    _replace_references(session, row.id or 0, before, now)
    session.flush()
    log.info(
        "ticket.updated",
        source=ticket.source,
        ticket_key=ticket.key,
        event_id=event_id,
        is_open=row.is_open,
        customers=sorted(now.customers)[:5],
        projects=sorted(now.projects)[:5],
    )
    return before | now


def _locked_row(
    session: Session, event_id: str, ticket: Ticket
) -> tuple[SupportTicket, bool]:
    """The ticket's row, locked, and whether this call created it."""
    # Insert-if-absent first, so two routing workers meeting on one new ticket
    # (PostgreSQL) wait for each other instead of one failing its batch.
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    table = SupportTicket.__table__  # type: ignore[attr-defined]
    inserted = session.connection().execute(
        insert(table)
        .values(
            source=ticket.source,
            ticket_key=ticket.key[:128],
            is_open=ticket.is_open,
            last_event_id=event_id,
            updated_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["source", "ticket_key"])
    )
    row = session.exec(
        select(SupportTicket)
        .where(
            SupportTicket.source == ticket.source,
            SupportTicket.ticket_key == ticket.key[:128],
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    return row, inserted.rowcount == 1


def _stored_references(session: Session, ticket_id: int) -> TicketReferences:
    rows = session.exec(
        select(SupportTicketReference.kind, SupportTicketReference.value).where(
            SupportTicketReference.ticket_id == ticket_id
        )
    ).all()
    return TicketReferences(
        frozenset(value for kind, value in rows if kind == "customer"),
        frozenset(value for kind, value in rows if kind == "project"),
    )


def _replace_references(
    session: Session, ticket_id: int, before: TicketReferences, now: TicketReferences
) -> None:
    if before == now:
        return
    session.execute(
        delete(SupportTicketReference).where(
            col(SupportTicketReference.ticket_id) == ticket_id
        )
    )
    session.add_all(
        SupportTicketReference(ticket_id=ticket_id, kind=kind, value=value)
        for kind, values in (("customer", now.customers), ("project", now.projects))
        for value in sorted(values)
    )


def _keep_unreadable(
    session: Session, event_id: str, source: str, reading: UnreadableTicket
) -> None:
    log.warning("ticket.unreadable", event_id=event_id, source=source)
    open_incident(
        session,
        category=ErrorCategory.VALIDATION,
        title=f"A {source} ticket event could not be read: {reading.reason}"[:512],
        detail=reading.reason,
        fingerprint=f"validation:support:{source}:unreadable_ticket",
        group=True,
        source=source,
        event_id=event_id,
        context={"reason": reading.reason},
    )


def _older(changed_at: datetime | None, stored: datetime | None) -> bool:
    if changed_at is None or stored is None:
        return False
    return _utc(changed_at) < _utc(stored)


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
