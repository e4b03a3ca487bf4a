"""Read rows of Toggl Track's Detailed report export.

Columns (matched by name): User, Email, Client, Project, Task, Description,
Billable, Start date, Start time, End date, End time, Duration, Tags,
Amount (<currency>). Every export seen starts with a UTF-8 BOM; older ones
quote only where needed, newer ones quote everything. The money column is
`Amount (EUR)`, `Amount ()` when no currency is set, or absent.

Hours: the `Duration` column is authoritative, in whichever format the
user's profile exports it: classic/improved `HH:MM:SS` (`08:03:27`,
`0:47:06`), `MM:SS min`, or decimal hours (`0.79`). It already reflects any
rounding the report applied; Opsgate adds none. Without a duration, end
minus start is used. Toggl exports no rate: `hourly_rate` is derived as
amount / hours (2 decimals) when both are present; `Amount ()` gives no
currency. Toggl has no approval column, so `approved` is None (unknown).
"""

from decimal import ROUND_HALF_UP, Decimal

from opsgate.connectors.timesheet_export.columns import ColumnSpec
from opsgate.connectors.timesheet_export.entry import TimeEntry
from opsgate.connectors.timesheet_export.export_format import ExportFormat
from opsgate.connectors.timesheet_export.row import Row
from opsgate.connectors.timesheet_export.timed_entry import read_timed
from opsgate.connectors.timesheet_export.values import (
    currency_code,
    decimal,
    duration_hours,
)

COLUMNS = (
    ColumnSpec("user", ("User", "Member", "Username")),
    ColumnSpec("email", ("Email", "E-mail")),
    ColumnSpec("client", ("Client",)),
    ColumnSpec("project", ("Project",), required=True),
    ColumnSpec("task", ("Task",)),
    ColumnSpec("description", ("Description",)),
    ColumnSpec("billable", ("Billable",)),
    ColumnSpec("start_date", ("Start date", "Start Date"), required=True),
    ColumnSpec("start_time", ("Start time", "Start Time")),
    ColumnSpec("end_date", ("End date", "End Date")),
    ColumnSpec("end_time", ("End time", "End Time")),
    ColumnSpec("duration", ("Duration",), required=True),
    ColumnSpec("tags", ("Tags",)),
    ColumnSpec("amount", ("Amount",), money=True),
)


def read(row: Row) -> TimeEntry | None:
    """Read one Toggl row into a time entry, or None when it has issues."""
    hours = row.get("duration", duration_hours)
    amount = row.get("amount", decimal)
    label = row.columns.currency_labels.get("amount")
    rate = None
    if amount is not None and hours:
        rate = (amount / hours).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    values = {
        "billable_amount": amount,
        "hourly_rate": rate,
        "currency": currency_code(label),
        "currency_label": label,
        "approved": None,
    }
    return read_timed(row, hours=hours, hours_key="duration", values=values)


FORMAT = ExportFormat(
    source="toggl", columns=COLUMNS, date_keys=("start_date", "end_date"), read=read
)
"""Toggl Track's Detailed report export."""
