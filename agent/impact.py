"""Assess what an incident blocks and what it costs, in one sentence.

Open support tickets counted on the incident (`rules/incidents/open_tickets.py`)
are named in the sentence and listed under `open_tickets`.
"""

from __future__ import annotations

from typing import Any

from opsgate.rules.incidents.open_tickets import describe_open_tickets, open_tickets_of
from opsgate.rules.store.tables import Incident

_BLOCKED = {
    "project_creation": "project creation",
    "timesheet": "timesheets reaching Odoo",
    "invoice": "invoicing",
    "payment_status": "payment status updates",
    "staffing": "staffing",
    "master_data": "master data sync",
}


def assess(incident: Incident) -> dict[str, Any]:
    """Return the business impact of `incident` as plain data."""
    blocked = _BLOCKED.get(incident.blocks or "", incident.blocks or "nothing named")
    money = (
        f"{incident.amount_at_risk:,.2f} {incident.currency or ''}".strip()
        if incident.amount_at_risk
        else "no amount known"
    )
    parts = [f"Blocks {blocked}"]
    if incident.customer:
        parts.append(f"for {incident.customer}")
    sentence = " ".join(parts) + f": {money} at risk"
    if incident.due_date:
        sentence += f", due {incident.due_date.isoformat()}"
    tickets = describe_open_tickets(incident)
    if tickets:
        sentence += f"; {tickets}"
    counted = open_tickets_of(incident)
    return {
        "blocks": incident.blocks,
        "customer": incident.customer,
        "amount_at_risk": str(incident.amount_at_risk)
        if incident.amount_at_risk
        else None,
        "currency": incident.currency,
        "due_date": incident.due_date.isoformat() if incident.due_date else None,
        "impact_score": incident.impact_score,
        "open_tickets": {"count": counted["count"], "keys": counted["keys"]}
        if counted
        else None,
        "summary": sentence + ".",
    }
