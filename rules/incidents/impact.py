"""Rank incidents by what they cost the business."""

from __future__ import annotations

import math
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


def impact_score(
    *,
    blocks: str | None,
    amount_at_risk: Decimal | None,
    hours_at_risk: Decimal | None,
    due_date: date | None,
    today: date,
) -> float:
    """Return a ranking key: higher means a person should look sooner.

    Money dominates (log-scaled so one huge invoice does not hide everything
    else), hours stand in for money when no rate is known, what is blocked
    adds a floor, and a due date that is near or past multiplies the rest.
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
    return round(score, 3)
