"""Read the rows shared by Toggl and Clockify: entries with start and end times.

Both tools print start and end as wall-clock date and time in the exporting
user's profile time zone, which the importer takes from `--timezone`
(default UTC); `started_at`/`ended_at` are converted to UTC with it. The
entry's `work_date` is the start date as printed, so an entry crossing
midnight belongs to the day it started, and no time zone shifts it.
"""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from opsgate.connectors.timesheet_export.entry import TimeEntry
from opsgate.connectors.timesheet_export.entry_key import tracked_identity
from opsgate.connectors.timesheet_export.row import Row
from opsgate.connectors.timesheet_export.values import boolean, round_hours

TIMED_KEYS = (
    "user",
    "email",
    "client",
    "project",
    "task",
    "description",
    "billable",
    "start_date",
    "start_time",
    "end_date",
    "end_time",
    "tags",
)
"""Column keys both formats use with the same meaning."""


def read_timed(
    row: Row, *, hours: Decimal | None, hours_key: str, values: dict[str, Any]
) -> TimeEntry | None:
    """Build the entry from the shared columns plus the tool's own `values`.

    `hours` is the tool's own duration when the row has one; otherwise the
    span from start to end is used.
    """
    work_date = row.day("start_date")
    project = row.required("project", "the project")
    start = row.wall_clock("start_date", "start_time")
    end = row.wall_clock("end_date", "end_time") if row.cell("end_date") else None
    started_at, ended_at = row.in_utc(start), row.in_utc(end)
    if hours is None and started_at and ended_at:
        hours = round_hours(Decimal((ended_at - started_at).total_seconds()) / 3600)
    hours = row.check_hours(hours_key, hours)
    if hours is None and row.cell(hours_key) is None:
        row.flag(hours_key, "", "the duration is empty and start/end are incomplete")
    email, user = row.cell("email"), row.cell("user")
    if email is None and user is None:
        row.flag("user", "", "the person (User, Email) is empty")
    shared = {
        "consultant_name": user,
        "consultant_email": email,
        "customer_name": row.cell("client"),
        "task_name": row.cell("task"),
        "description": row.cell("description"),
        "billable": row.get("billable", boolean),
        "tags": _tags(row.cell("tags")),
    }
    if row.issues or work_date is None or project is None or hours is None:
        return None
    values = {**shared, **values}
    return TimeEntry(
        work_date=work_date,
        hours=hours,
        project_name=project,
        started_at=started_at,
        ended_at=ended_at,
        identity=_identity(
            email or user, started_at, (work_date, hours, project), shared
        ),
        state=timed_state(
            approved=values.get("approved"),
            invoiced=values.get("invoiced"),
            billable=values["billable"],
            hourly_rate=values.get("hourly_rate"),
            billable_amount=values.get("billable_amount"),
            cost_rate=values.get("cost_rate"),
            ended_at=ended_at,
            hours=hours,
            customer=shared["customer_name"],
            project=project,
            task=shared["task_name"],
            description=shared["description"],
        ),
        values=values,
    )


def timed_state(
    *,
    approved: bool | None,
    invoiced: bool | None,
    billable: bool | None,
    hourly_rate: Decimal | None,
    billable_amount: Decimal | None,
    cost_rate: Decimal | None,
    ended_at: datetime | None,
    hours: Decimal,
    customer: object,
    project: str,
    task: object,
    description: object,
) -> tuple[object, ...]:
    """What may change on a Toggl or Clockify entry, in one order for every channel.

    A CSV row and an entry read back after a webhook that say the same thing
    give the same state, so the second is the same event (already imported).
    """
    return (
        approved,
        invoiced,
        billable,
        hourly_rate,
        billable_amount,
        cost_rate,
        ended_at.astimezone(UTC).isoformat() if ended_at else None,
        hours.normalize(),
        customer,
        project,
        task,
        description,
    )


def _identity(
    person: str | None,
    started_at: datetime | None,
    content: tuple[date, Decimal, str],
    shared: dict[str, Any],
) -> tuple[object, ...]:
    """The person, start instant and work; the row's content without a start time."""
    work_date, hours, project = content
    if person and started_at:
        return tracked_identity(
            person,
            started_at,
            project=project,
            task=shared["task_name"],
            description=shared["description"],
        )
    return (
        person,
        work_date.isoformat(),
        hours.normalize(),
        shared["customer_name"],
        project,
        shared["task_name"],
        shared["description"],
    )


def _tags(cell: str | None) -> tuple[str, ...]:
    if cell is None:
        return ()
    return tuple(tag.strip() for tag in cell.split(",") if tag.strip())
