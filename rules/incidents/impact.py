"""Rank incidents by what they cost the business.

Open support tickets about the incident's customer or project add to the
score (`ticket_boost`): a customer who is already calling about a problem
makes the failure behind it more urgent. The boost is capped, so tickets
reorder incidents of similar cost but never outweigh an order of magnitude
of money at risk.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

BLOCK_WEIGHTS: dict[str, float] = {
    "invoice": 3.0,
    "payment_status": 2.5,
    "project_creation": 2.5,
    "timesheet": 2.0,
    "staffing": 1.5,
    "master_data": 1.0,
}
"""How much it matters what an incident blocks, before money is counted."""


TICKET_POINTS = 3.0
"""Score one open ticket of normal priority adds (a tenfold amount adds 10)."""

MAX_TICKET_BOOST = 15.0
"""The most open tickets can add to one incident's score, whatever their number."""

TICKET_PRIORITY_WEIGHTS: dict[str, float] = {
    "highest": 2.0,
    "blocker": 2.0,
    "urgent": 2.0,
    "critical": 2.0,
    "high": 1.5,
    "medium": 1.0,
    "normal": 1.0,
    "low": 0.5,
    "lowest": 0.5,
    "minor": 0.5,
    "trivial": 0.5,
}
"""Multiplies `TICKET_POINTS` by the ticket's priority (Jira or Zendesk names,
lower-case); a ticket without a priority, or with another name, counts 1."""


def ticket_boost(priorities: Iterable[str | None]) -> float:
    """What open tickets of these priorities add to a score, capped."""
    total = sum(
        TICKET_POINTS * TICKET_PRIORITY_WEIGHTS.get((p or "").lower(), 1.0)
        for p in priorities
    )
    return round(min(total, MAX_TICKET_BOOST), 3)


def impact_score(
    *,
    blocks: str | None,
    amount_at_risk: Decimal | None,
    hours_at_risk: Decimal | None,
    due_date: date | None,
    today: date,
    ticket_priorities: Iterable[str | None] = (),
) -> float:
    """Return a ranking key: higher means a person should look sooner.

    Money dominates (log-scaled so one huge invoice does not hide everything
    else), hours stand in for money when no rate is known, what is blocked
    adds a floor, and a due date that is near or past multiplies the rest.
    Open support tickets about the same customer or project add
    `ticket_boost` after that.
    """
    money = float(amount_at_risk or 0)
    if money == 0 and hours_at_risk:
        money = float(hours_at_risk) * 100.0
    score = math.log10(1.0 + max(money, 0.0)) * 10.0
    score += BLOCK_WEIGHTS.get(blocks or "", 0.5) * 5.0
    if due_date is not None:
        days_left = (due_date - today).days
        if days_left <= 0:
            score *= 1.5
        elif days_left <= 7:
            score *= 1.25
    return round(score + ticket_boost(ticket_priorities), 3)
