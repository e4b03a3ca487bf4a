"""How values read on screen: money, ages, rates and scores."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal


def money(amount: Decimal | float | None, currency: str | None = None) -> str:
    """Return `12,400 EUR`, or an en dash when there is no amount."""
    if amount is None:
        return "–"
    text = f"{Decimal(amount):,.0f}"
    return f"{text} {currency}" if currency else text


def amounts(by_currency: dict[str, Decimal]) -> str:
    """Return `12,400 EUR, 3,100 USD` (currencies apart, never added), or `0`."""
    shown = [money(v, c) for c, v in sorted(by_currency.items()) if v]
    return ", ".join(shown) or "0"


def age(then: datetime | None, now: datetime) -> str:
    """Return how long ago `then` was, in the largest sensible unit."""
    if then is None:
        return "–"
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m"
    if seconds < 86400:
        return f"{seconds // 3600}h{(seconds % 3600) // 60:02d}m"
    return f"{seconds // 86400}d{(seconds % 86400) // 3600}h"


def percent(share: float) -> str:
    """Return a share (0..1) as a percentage with one decimal."""
    return f"{share * 100:.1f}%"


def stamp(when: datetime | None) -> str:
    """Return a timestamp as `2026-03-02 09:30`."""
    return when.strftime("%Y-%m-%d %H:%M") if when else "–"
