"""`opsgate incidents`: unresolved incidents, highest impact first.

Each line gives the id, impact score, category, what the incident blocks, the
customer and project, the money at risk and the due date; a second line names
the open support tickets counted on it, when there are any.
"""

from __future__ import annotations

from typing import Annotated

import typer
from sqlmodel import Session, col, select

from opsgate.commands.store_access import DEFAULT_DATABASE_URL, DatabaseUrl, open_store
from opsgate.rules.incidents.open_tickets import describe_open_tickets
from opsgate.rules.store.statuses import IncidentStatus
from opsgate.rules.store.tables import Incident

Limit = Annotated[int, typer.Option(min=1, help="Show at most this many.")]


def incidents(
    limit: Limit = 20, database_url: DatabaseUrl = DEFAULT_DATABASE_URL
) -> None:
    """List unresolved incidents by impact, with the support tickets about them."""
    with Session(open_store(database_url)) as session:
        rows = session.exec(
            select(Incident)
            .where(col(Incident.status) != IncidentStatus.RESOLVED)
            .order_by(col(Incident.impact_score).desc(), col(Incident.id).desc())
            .limit(limit)
        ).all()
    if not rows:
        typer.echo("No unresolved incidents.")
    for row in rows:
        typer.echo(_line(row))
        tickets = describe_open_tickets(row)
        if tickets:
            typer.echo(f"{'':>8}{tickets}")


def _line(incident: Incident) -> str:
    money = (
        f"{incident.amount_at_risk:,.2f} {incident.currency or ''}".strip()
        if incident.amount_at_risk
        else "–"
    )
    return (
        f"{incident.id:>6}  {incident.impact_score:6.1f}  "
        f"{incident.category.value:<17} {incident.blocks or '–':<16} "
        f"{incident.customer or '–'} / {incident.project or '–'} · {money} · "
        f"due {incident.due_date or '–'} · {incident.title}"
    )
