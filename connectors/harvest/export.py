"""Read rows of Harvest's Detailed time report export.

Columns (matched by name): Date, Client, Project, Project Code, Task, Notes,
Hours, Hours Rounded, Billable?, Invoiced?, Approved?, First Name, Last Name,
Employee Id, Roles, Employee?, Billable Rate, Billable Amount, Cost Rate,
Cost Amount, Currency, External Reference URL. Real exports often lack
`Hours Rounded`; any column but Date, Project and Hours may be missing.

Hours: `Hours` (as tracked) is authoritative. `Hours Rounded` is Harvest's
display/invoice rounding; it is kept as `hours_rounded` for reconciliation
and never used as the entry's hours. Harvest has no times of day: the date
is the entry's spent date in Harvest, taken as is, whatever `--timezone`.
"""

from opsgate.connectors.timesheet_export.columns import ColumnSpec
from opsgate.connectors.timesheet_export.entry import TimeEntry
from opsgate.connectors.timesheet_export.export_format import ExportFormat
from opsgate.connectors.timesheet_export.row import Row
from opsgate.connectors.timesheet_export.values import boolean, currency_code, decimal

COLUMNS = (
    ColumnSpec("date", ("Date", "Spent Date", "Datum"), required=True),
    ColumnSpec("client", ("Client", "Kunde")),
    ColumnSpec("project", ("Project", "Projekt"), required=True),
    ColumnSpec("project_code", ("Project Code",)),
    ColumnSpec("task", ("Task", "Aufgabe")),
    ColumnSpec("notes", ("Notes", "Note", "Notizen")),
    ColumnSpec("hours", ("Hours", "Stunden"), required=True),
    ColumnSpec("hours_rounded", ("Hours Rounded", "Rounded Hours")),
    ColumnSpec("billable", ("Billable?", "Billable")),
    ColumnSpec("invoiced", ("Invoiced?", "Invoiced")),
    ColumnSpec("approved", ("Approved?", "Approved")),
    ColumnSpec("first_name", ("First Name", "First name")),
    ColumnSpec("last_name", ("Last Name", "Last name")),
    ColumnSpec("employee_id", ("Employee Id", "Employee ID", "User Id")),
    ColumnSpec("roles", ("Roles",)),
    ColumnSpec("is_employee", ("Employee?",)),
    ColumnSpec("billable_rate", ("Billable Rate",), money=True),
    ColumnSpec("billable_amount", ("Billable Amount",), money=True),
    ColumnSpec("cost_rate", ("Cost Rate",), money=True),
    ColumnSpec("cost_amount", ("Cost Amount",), money=True),
    ColumnSpec("currency", ("Currency",)),
    ColumnSpec("external_reference", ("External Reference URL",)),
)


def read(row: Row) -> TimeEntry | None:
    """Read one Harvest row into a time entry, or None when it has issues."""
    work_date = row.day("date")
    project = row.required("project", "the project")
    hours = row.check_hours("hours", row.get("hours", decimal))
    if row.cell("hours") is None:
        row.flag("hours", "", "the hours are empty")
    name = " ".join(p for p in (row.cell("first_name"), row.cell("last_name")) if p)
    if not name and row.cell("employee_id") is None:
        row.flag("first_name", "", "the person (First Name, Last Name) is empty")
    values = {
        "consultant_name": name or None,
        "consultant_key": row.cell("employee_id"),
        "customer_name": row.cell("client"),
        "project_code": row.cell("project_code"),
        "task_name": row.cell("task"),
        "description": row.cell("notes"),
        "billable": row.get("billable", boolean),
        "invoiced": row.get("invoiced", boolean),
        "approved": row.get("approved", boolean),
        "hours_rounded": row.get("hours_rounded", decimal),
        "hourly_rate": row.get("billable_rate", decimal),
        "billable_amount": row.get("billable_amount", decimal),
        "cost_rate": row.get("cost_rate", decimal),
        "cost_amount": row.get("cost_amount", decimal),
        "currency": currency_code(row.cell("currency")),
        "currency_label": row.cell("currency"),
        "roles": row.cell("roles"),
        "external_reference": row.cell("external_reference"),
    }
    if row.issues or work_date is None or project is None or hours is None:
        return None
    person = row.cell("employee_id") or name
    return TimeEntry(
        work_date=work_date,
        hours=hours,
        project_name=project,
        identity=(
            work_date.isoformat(),
            person,
            values["customer_name"],
            project,
            values["task_name"],
            values["description"],
            hours.normalize(),
        ),
        state=(
            values["approved"],
            values["invoiced"],
            values["billable"],
            values["hourly_rate"],
            values["billable_amount"],
            values["cost_rate"],
        ),
        values=values,
    )


FORMAT = ExportFormat(source="harvest", columns=COLUMNS, date_keys=("date",), read=read)
"""Harvest's Detailed time report export."""
