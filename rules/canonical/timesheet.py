"""The timesheet: one entry of time a consultant spent on a project."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import Field

from opsgate.rules.canonical.base import CanonicalObject, Currency


class Timesheet(CanonicalObject):
    """One time entry, as the time-tracking tool recorded it."""

    kind = "timesheet"

    work_date: date
    """The day the work was done, in the consultant's time zone."""
    hours: Annotated[Decimal, Field(ge=0, le=24, max_digits=6, decimal_places=4)]
    """Hours worked, unrounded."""
    consultant_email: str | None = None
    """How the tool identifies the person (email), when it does."""
    consultant_name: str | None = None
    """The person's name as the tool shows it."""
    consultant_key: str | None = None
    """The person's id in the tool or HR system, when present."""
    project_name: str
    """Project as named in the tool."""
    project_code: str | None = None
    """Project code, when the tool carries one."""
    customer_name: str | None = None
    """Client as named in the tool."""
    task_name: str | None = None
    """Task within the project."""
    description: str | None = None
    """What was done."""
    billable: bool = True
    """Whether the time is billable."""
    approved: bool = False
    """Whether the time was approved in the tool."""
    invoiced: bool = False
    """Whether the tool reports it invoiced already."""
    hourly_rate: Decimal | None = Field(default=None, max_digits=12, decimal_places=2)
    """Billable rate per hour, when exported."""
    currency: Currency | None = None
    """ISO 4217 code of the rate."""
