"""Open support tickets about an incident's customer or project.

An incident counts the open tickets (`rules/store/ticket_tables.py`) that name
its customer or its project, ignoring case. `context["open_tickets"]` holds
their count, keys (`jira:TES-41`, `zendesk:35436`) and priorities for the
drill-down, and the score gets `impact.ticket_boost` for them. Tickets are
counted when the incident opens and again whenever a ticket that names its
customer or project arrives, changes or closes
(`opsgate.rules.support.tracking`); a resolved incident is left as it was.

Known limitation: the re-count after a ticket changes finds incidents with
the database's `lower()`, which on SQLite folds ASCII letters only, so an
incident whose customer has a non-ASCII capital (`Émile SA`) is re-counted
only when the ticket's value is spelt with the same capitals.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy import and_, func, or_
from sqlmodel import Session, col, select

from opsgate.rules.incidents.impact import impact_score, ticket_boost
from opsgate.rules.store.statuses import IncidentStatus
from opsgate.rules.store.tables import Incident, utcnow
from opsgate.rules.store.ticket_tables import SupportTicket, SupportTicketReference

log = structlog.get_logger(__name__)

MAX_LISTED_TICKETS = 50
"""Ticket keys (and priorities) an incident lists in `context.open_tickets`; the
count goes on."""

REFERENCE_LENGTH = 256
"""Reference values are kept to this many characters (the column's width)."""


@dataclass(frozen=True)
class OpenTickets:
    """The open tickets that name one customer or project."""

    keys: tuple[str, ...] = ()
    """`<desk>:<ticket key>`, in key order."""
    priorities: tuple[str | None, ...] = ()
    """Each ticket's priority, in the same order."""

    def as_context(self) -> dict[str, Any]:
        """The incident's `context.open_tickets` entry."""
        return {
            "count": len(self.keys),
            "keys": list(self.keys[:MAX_LISTED_TICKETS]),
            # Fifty tickets of any priority already reach the boost's cap.
            "priorities": list(self.priorities[:MAX_LISTED_TICKETS]),
            "boost": ticket_boost(self.priorities),
        }


def open_tickets_of(incident: Incident) -> dict[str, Any] | None:
    """The incident's counted open tickets (`count`, `keys`, ...), or None."""
    counted = (incident.context or {}).get("open_tickets")
    return counted if isinstance(counted, dict) and counted.get("count") else None


def describe_open_tickets(incident: Incident) -> str | None:
    """`2 open support tickets: jira:TES-41, zendesk:35436`, or None without any."""
    counted = open_tickets_of(incident)
    if counted is None:
        return None
    count = int(counted["count"])
    keys = list(counted.get("keys") or [])
    more = f" and {count - len(keys)} more" if count > len(keys) else ""
    noun = "ticket" if count == 1 else "tickets"
    return f"{count} open support {noun}: {', '.join(keys)}{more}"


def reference_value(value: str) -> str:
    """A customer or project value as tickets and incidents are matched on it."""
    return value.strip().lower()[:REFERENCE_LENGTH]


def open_tickets_for(
    session: Session, customer: str | None, project: str | None
) -> OpenTickets:
    """The open tickets naming `customer` or `project` (either may be None)."""
    conditions = [
        and_(
            col(SupportTicketReference.kind) == kind,
            col(SupportTicketReference.value) == reference_value(value),
        )
        for kind, value in (("customer", customer), ("project", project))
        if value and value.strip()
    ]
    if not conditions:
        return OpenTickets()
    rows = session.exec(
        select(SupportTicket.source, SupportTicket.ticket_key, SupportTicket.priority)
        .join(
            SupportTicketReference,
            col(SupportTicketReference.ticket_id) == col(SupportTicket.id),
        )
        .where(col(SupportTicket.is_open).is_(True), or_(*conditions))
        .distinct()
        .order_by(col(SupportTicket.source), col(SupportTicket.ticket_key))
    ).all()
    return OpenTickets(
        keys=tuple(f"{source}:{key}" for source, key, _ in rows),
        priorities=tuple(priority for _, _, priority in rows),
    )


def weigh_open_tickets(session: Session, incident: Incident) -> None:
    """Count the open tickets about `incident` and score it with them."""
    tickets = open_tickets_for(session, incident.customer, incident.project)
    context = dict(incident.context or {})
    if tickets.keys:
        context["open_tickets"] = tickets.as_context()
    else:
        context.pop("open_tickets", None)
    incident.context = context
    incident.impact_score = score(incident)


def score(incident: Incident) -> float:
    """The incident's impact score from its columns and its counted tickets."""
    counted = open_tickets_of(incident) or {}
    return impact_score(
        blocks=incident.blocks,
        amount_at_risk=incident.amount_at_risk,
        hours_at_risk=incident.hours_at_risk,
        due_date=incident.due_date,
        today=utcnow().date(),
        ticket_priorities=counted.get("priorities") or (),
    )


def reweigh_incidents_naming(
    session: Session, *, customers: Collection[str], projects: Collection[str]
) -> list[int]:
    """Re-count tickets on every unresolved incident of these customers or projects.

    `customers` and `projects` are reference values (`reference_value`).
    Returns the ids of the incidents whose score or ticket list changed.
    """
    conditions = []
    if customers:
        conditions.append(func.lower(col(Incident.customer)).in_(sorted(customers)))
    if projects:
        conditions.append(func.lower(col(Incident.project)).in_(sorted(projects)))
    if not conditions:
        return []
    incidents = session.exec(
        select(Incident).where(
            col(Incident.status) != IncidentStatus.RESOLVED, or_(*conditions)
        )
    ).all()
    changed: list[int] = []
    for incident in incidents:
        before = (incident.impact_score, (incident.context or {}).get("open_tickets"))
        weigh_open_tickets(session, incident)
        after = (incident.impact_score, (incident.context or {}).get("open_tickets"))
        if before == after:
            continue
        session.add(incident)
        changed.append(incident.id or 0)
        log.info(
            "incident.rescored",
            incident_id=incident.id,
            impact_score=incident.impact_score,
            open_tickets=(after[1] or {}).get("count", 0),
        )
    session.flush()
    return changed
