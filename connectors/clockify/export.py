"""Read rows of Clockify's Detailed report export.

The column set moves between workspaces and versions (Export → Customize):
the classic Project, Client, Description, Task, User, Group, Email, Tags,
Billable, Start Date, Start Time, End Date, End Time, Duration (h), Duration
(decimal), Billable Rate (<cur>), Billable Amount (<cur>); optionally Cost
Rate / Cost Amount / Profit; newer `Type`, `Invoiced`, `Invoice ID`, `Date
of creation`; `Activity` instead of `Task`; `Approval`, `Approved by`; money
columns absent when amounts are hidden. All are matched by name, with
likely German, French and Spanish aliases. The bracket of a money header is
the workspace's own currency label (`EUR`, but also `CZ`): `currency` is set
only when it is an ISO code; the label is kept as `currency_label`.

Hours: `Duration (h)` (`HH:MM:SS`, to the second) is authoritative, then
`Duration (decimal)` (2 decimals), then end minus start. When the report's
rounding switch is on, Clockify exports rounded durations; they are taken as
exported, and Opsgate adds no rounding of its own. Dates follow the user's
settings (`DD/MM/YYYY`, `MM/DD/YYYY`) and are sniffed per file; times may
be 12 h (`11:00:00 AM`).
"""

from opsgate.connectors.timesheet_export.columns import ColumnSpec
from opsgate.connectors.timesheet_export.entry import TimeEntry
from opsgate.connectors.timesheet_export.export_format import ExportFormat
from opsgate.connectors.timesheet_export.row import Row
from opsgate.connectors.timesheet_export.timed_entry import read_timed
from opsgate.connectors.timesheet_export.values import (
    boolean,
    currency_code,
    decimal,
    duration_hours,
)

COLUMNS = (
    ColumnSpec("project", ("Project", "Projekt", "Projet", "Proyecto"), required=True),
    ColumnSpec("client", ("Client", "Kunde", "Cliente")),
    ColumnSpec("description", ("Description", "Beschreibung", "Descripción")),
    ColumnSpec("task", ("Task", "Activity", "Aufgabe", "Tâche", "Tarea")),
    ColumnSpec("user", ("User", "Benutzer", "Utilisateur", "Usuario")),
    ColumnSpec("group", ("Group", "Gruppe", "Groupe", "Grupo")),
    ColumnSpec("email", ("Email", "E-Mail", "Correo electrónico")),
    ColumnSpec("tags", ("Tags", "Étiquettes", "Etiquetas")),
    ColumnSpec("type", ("Type", "Typ", "Tipo")),
    ColumnSpec("billable", ("Billable", "Abrechenbar", "Facturable")),
    ColumnSpec("invoiced", ("Invoiced", "Abgerechnet", "Facturé", "Facturado")),
    ColumnSpec("invoice_id", ("Invoice ID",)),
    ColumnSpec(
        "start_date",
        ("Start Date", "Startdatum", "Date de début", "Fecha de inicio"),
        required=True,
    ),
    ColumnSpec(
        "start_time", ("Start Time", "Startzeit", "Heure de début", "Hora de inicio")
    ),
    ColumnSpec(
        "end_date", ("End Date", "Enddatum", "Date de fin", "Fecha de finalización")
    ),
    ColumnSpec(
        "end_time", ("End Time", "Endzeit", "Heure de fin", "Hora de finalización")
    ),
    ColumnSpec(
        "duration_h", ("Duration (h)", "Dauer (h)", "Durée (h)", "Duración (h)")
    ),
    ColumnSpec(
        "duration_decimal",
        (
            "Duration (decimal)",
            "Dauer (dezimal)",
            "Durée (décimal)",
            "Duración (decimal)",
        ),
    ),
    ColumnSpec(
        "billable_rate",
        (
            "Billable Rate",
            "Abrechenbarer Stundensatz",
            "Taux facturable",
            "Tarifa facturable",
        ),
        money=True,
    ),
    ColumnSpec(
        "billable_amount",
        (
            "Billable Amount",
            "Abrechenbarer Betrag",
            "Montant facturable",
            "Importe facturable",
        ),
        money=True,
    ),
    ColumnSpec("cost_rate", ("Cost Rate", "Kostensatz"), money=True),
    ColumnSpec("cost_amount", ("Cost Amount", "Kostenbetrag"), money=True),
    ColumnSpec("approval", ("Approval", "Genehmigung")),
    ColumnSpec("approved_by", ("Approved by", "Genehmigt von")),
    ColumnSpec("created", ("Date of creation",)),
)

_APPROVED = {"approved", "genehmigt", "approuvé", "aprobado"}


def read(row: Row) -> TimeEntry | None:
    """Read one Clockify row into a time entry, or None when it has issues."""
    hours_key = "duration_h" if row.cell("duration_h") else "duration_decimal"
    hours = row.get(hours_key, duration_hours)
    labels = row.columns.currency_labels
    label = labels.get("billable_rate") or labels.get("billable_amount")
    approval = row.cell("approval")
    values = {
        "hourly_rate": row.get("billable_rate", decimal),
        "billable_amount": row.get("billable_amount", decimal),
        "cost_rate": row.get("cost_rate", decimal),
        "cost_amount": row.get("cost_amount", decimal),
        "currency": currency_code(label),
        "currency_label": label,
        "group": row.cell("group"),
        "entry_type": row.cell("type"),
        "invoiced": row.get("invoiced", boolean),
        "invoice_id": row.cell("invoice_id"),
        "approved": None if approval is None else approval.casefold() in _APPROVED,
        "approval": approval,
        "approved_by": row.cell("approved_by"),
        "reported_hours_decimal": row.get("duration_decimal", decimal),
    }
    if not row.columns.has(hours_key) and not row.columns.has("duration_decimal"):
        hours_key = "end_time"
    return read_timed(row, hours=hours, hours_key=hours_key, values=values)


FORMAT = ExportFormat(
    source="clockify", columns=COLUMNS, date_keys=("start_date", "end_date"), read=read
)
"""Clockify's Detailed report export."""
