"""Read the rows shared by Toggl and Clockify: entries with start and end times.

Both tools print start and end as wall-clock date and time in the exporting
user's profile time zone, which the importer takes from `--timezone`
(default UTC); `started_at`/`ended_at` are converted to UTC with it. The
entry's `work_date` is the start date as printed, so an entry crossing
midnight belongs to the day it started, and no time zone shifts it.
"""

from decimal import Decimal
from typing import Any

from opsgate.connectors.timesheet_export.entry import TimeEntry
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
        identity=(
            email or user,
            start.isoformat() if start else work_date.isoformat(),
            end.isoformat() if end else hours.normalize(),
            shared["customer_name"],
            project,
            shared["task_name"],
            shared["description"],
        ),
        state=(
            values.get("approved"),
            values.get("invoiced"),
            values["billable"],
            values.get("hourly_rate"),
            values.get("billable_amount"),
            values.get("cost_rate"),
        ),
        values=values,
    )


def _tags(cell: str | None) -> tuple[str, ...]:
    if cell is None:
        return ()
    return tuple(tag.strip() for tag in cell.split(",") if tag.strip())
