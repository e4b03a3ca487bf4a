"""What a time tracker's webhook says, before the entry is read back.

Toggl Track and Clockify notify about a time entry with the tool's own ids
(user, project, task); the time-to-billing workflow needs names and the
person's e-mail. A `TrackedEntry` is the notification as received; the
`toggl`/`clockify` delivery target resolves the ids and accepts the entry
as a `Timesheet` under the key CSV imports give the same entry. A
`TimeApproval` is Clockify's approval of one person's timesheet for a
period, after which that period's entries are read and accepted as approved.

Neither is a timesheet: billing, reconciliation and chat read
`opsgate.timesheet.*` events only, so a notification is never counted as time.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import Field

from opsgate.rules.canonical.base import CanonicalObject


class TrackedEntry(CanonicalObject):
    """A time tracker's notification about one of its entries (id is `source_key`)."""

    kind = "tracked_entry"

    action: str
    """`created`, `updated`, `deleted` or `running` (a timer still going)."""
    workspace_id: str
    """The tool's workspace the entry belongs to."""
    user_id: str
    """The person's id in the tool."""
    user_name: str | None = None
    """The person's name, when the notification carries it."""
    user_email: str | None = None
    """The person's e-mail, when the notification carries it."""
    started_at: datetime
    """Start, timezone-aware."""
    ended_at: datetime | None = None
    """End, when the timer has stopped."""
    hours: Annotated[Decimal, Field(ge=0, le=24, decimal_places=4)] | None = None
    """The tool's duration in hours, when stopped."""
    project_id: str | None = None
    project_name: str | None = None
    customer_id: str | None = None
    customer_name: str | None = None
    task_id: str | None = None
    task_name: str | None = None
    description: str | None = None
    billable: bool = True
    approved: bool | None = None
    """The tool's approval state; None when the tool records none."""
    hourly_rate: Decimal | None = None
    currency: str | None = None
    tags: tuple[str, ...] = ()


class TimeApproval(CanonicalObject):
    """A person's timesheet for a period, approved (or not) in the tool."""

    kind = "time_approval"

    workspace_id: str
    user_id: str
    user_name: str | None = None
    state: str
    """The tool's state (`APPROVED`, `PENDING`, `REJECTED`, `WITHDRAWN`)."""
    period_start: date
    period_end: date
