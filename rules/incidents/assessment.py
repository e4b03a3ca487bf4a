"""Assess what an incident costs the business, from the event it concerns.

Every incident about an event is priced the same way, whoever opens it
(routing, delivery, a workflow control, the importers): what the failure
blocks, for which customer and project, how many hours and how much money are
at risk, and by when it matters.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

DEFAULT_HOURLY_RATE = Decimal("150")
"""Values an hour of time when neither the entry nor its contract names a rate."""

BLOCKS_BY_KIND = {
    "contract": "project_creation",
    "customer": "project_creation",
    "project": "project_creation",
    "consultant": "staffing",
    "timesheet": "invoice",
    "invoice": "payment_status",
    "payment": "payment_status",
}
"""What a failure on each canonical kind holds up."""


@dataclass(frozen=True)
class Impact:
    """The business side of an incident."""

    blocks: str | None = None
    customer: str | None = None
    project: str | None = None
    hours_at_risk: Decimal | None = None
    amount_at_risk: Decimal | None = None
    currency: str | None = None
    due_date: date | None = None


def assess(kind: str | None, data: dict[str, Any] | None) -> Impact:
    """Price a failure on one canonical object (`kind`, its fields as JSON data)."""
    if kind is None:
        return Impact()
    data = data or {}
    blocks = BLOCKS_BY_KIND.get(kind)
    if kind == "timesheet":
        return _timesheet(data, blocks)
    if kind == "contract":
        return Impact(
            blocks=blocks,
            customer=data.get("customer_name") or data.get("customer_key"),
            project=data.get("project_code") or data.get("name"),
            hours_at_risk=_decimal(data.get("hours")),
            amount_at_risk=_decimal(data.get("amount")),
            currency=data.get("currency"),
            due_date=_date(data.get("start_date")),
        )
    if kind == "invoice":
        return Impact(
            blocks=blocks,
            customer=data.get("customer_name") or data.get("customer_key"),
            amount_at_risk=_decimal(data.get("amount_residual"))
            or _decimal(data.get("amount_total")),
            currency=data.get("currency"),
            due_date=_date(data.get("due_date")),
        )
    if kind == "payment":
        return Impact(
            blocks=blocks,
            customer=data.get("customer_key"),
            amount_at_risk=_decimal(data.get("amount")),
            currency=data.get("currency"),
        )
    if kind == "project":
        return Impact(
            blocks=blocks,
            customer=data.get("customer_key"),
            project=data.get("code") or data.get("name"),
            due_date=_date(data.get("start_date")),
        )
    if kind == "customer":
        return Impact(blocks=blocks, customer=data.get("name"))
    return Impact(blocks=blocks)


def kind_of_event_type(event_type: str | None) -> str | None:
    """The canonical kind named by an event type (`opsgate.timesheet.approved`)."""
    if event_type and event_type.startswith("opsgate."):
        parts = event_type.split(".")
        if len(parts) >= 3 and parts[1] in BLOCKS_BY_KIND:
            return parts[1]
    return None


def _timesheet(data: dict[str, Any], blocks: str | None) -> Impact:
    hours = _decimal(data.get("hours"))
    rate = _decimal(data.get("hourly_rate")) or DEFAULT_HOURLY_RATE
    work_date = _date(data.get("work_date"))
    due = None
    if work_date is not None:
        last = calendar.monthrange(work_date.year, work_date.month)[1]
        due = date(work_date.year, work_date.month, last) + timedelta(days=5)
    billable = data.get("billable", True)
    return Impact(
        blocks=blocks if billable else "timesheet",
        customer=data.get("customer_name"),
        project=data.get("project_code") or data.get("project_name"),
        hours_at_risk=hours,
        amount_at_risk=(hours * rate).quantize(Decimal("0.01"))
        if hours is not None and billable
        else None,
        currency=data.get("currency"),
        due_date=due,
    )


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
