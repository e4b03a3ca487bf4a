"""Time-to-billing: approved time → account.analytic.line on project, task, employee.

Time arrives in batches (an import, a day's webhooks). Each entry is resolved
to the Odoo project (by project code), its billing task and the employee, and
checked before anything is sent:

- an unknown project is a `missing_reference` failure (an add_mapping fix);
- an archived employee, or time dated after the consultant left, is refused as
  `validation` — Odoo would refuse it too, one call later and less clearly;
- time Odoo already invoiced is frozen there; Odoo's refusal is kept as
  `validation` naming the entry.

The good entries of a batch go in one `load` (the client isolates a bad row and
resends the rest), so one bad entry never holds back the others.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date

from opsgate.connectors.errors import ConnectorError, ErrorCategory
from opsgate.connectors.odoo.client import OdooClient
from opsgate.connectors.odoo.upsert import RowOutcome
from opsgate.rules.canonical import Timesheet

WORKFLOW = "time-to-billing"
VERSION = "1"
MODEL = "account.analytic.line"


@dataclass(frozen=True)
class EmployeeStanding:
    """What time-to-billing needs to know of one employee."""

    employee_id: int
    active: bool
    left_on: date | None = None


@dataclass(frozen=True)
class TimesheetOutcome:
    """How one entry ended: the line's id, or the error that stopped it."""

    entry: Timesheet
    line_id: int | None = None
    unchanged: bool = False
    error: ConnectorError | None = None


Resolver = Callable[[str], int | None]
"""Look a business key up (project code → project id, ...)."""


async def load_timesheets(
    odoo: OdooClient,
    entries: Sequence[Timesheet],
    *,
    project_of: Resolver,
    billing_task_of: Resolver,
    employee_of: Callable[[Timesheet], EmployeeStanding | None],
) -> list[TimesheetOutcome]:
    """Send a batch of entries; return one outcome per entry, in order."""
    outcomes: list[TimesheetOutcome | None] = [None] * len(entries)
    rows, positions, departed = [], [], set()
    for index, entry in enumerate(entries):
        row_or_error = _row(entry, project_of, billing_task_of, employee_of)
        if isinstance(row_or_error, ConnectorError):
            outcomes[index] = TimesheetOutcome(entry, error=row_or_error)
            continue
        rows.append(row_or_error)
        positions.append(index)
        standing = employee_of(entry)
        if standing is not None and not standing.active:
            departed.add(standing.employee_id)
    if rows:
        async with _reopened(odoo, departed):
            results = (await odoo.upsert(MODEL, rows)).rows
        for index, result in zip(positions, results, strict=True):
            outcomes[index] = TimesheetOutcome(
                entries[index],
                line_id=result.record_id,
                unchanged=result.outcome is RowOutcome.UNCHANGED,
                error=result.error,
            )
    return [o for o in outcomes if o is not None]


@asynccontextmanager
async def _reopened(odoo: OdooClient, employee_ids: set[int]) -> AsyncIterator[None]:
    """Unarchive departed employees while their last time is loaded.

    Odoo refuses any timesheet for an archived employee, also time worked
    before they left that arrives after the HR system archived them. The
    entries were checked against the leaving date already; the employees are
    archived again however the load ends.
    """
    ids = sorted(employee_ids)
    if not ids:
        yield
        return
    await odoo.write("hr.employee", ids, {"active": True}, check=False)
    try:
        yield
    finally:
        await odoo.write("hr.employee", ids, {"active": False}, check=False)


def _row(
    entry: Timesheet,
    project_of: Resolver,
    billing_task_of: Resolver,
    employee_of: Callable[[Timesheet], EmployeeStanding | None],
) -> dict[str, str] | ConnectorError:
    code = entry.project_code or entry.project_name
    project_id = project_of(code)
    if project_id is None:
        return _refusal(
            entry,
            ErrorCategory.MISSING_REFERENCE,
            f"no Odoo project is mapped to project {code!r}",
            cause=f"no_project:{code}",
        )
    employee = employee_of(entry)
    person = entry.consultant_email or entry.consultant_name or entry.consultant_key
    if employee is None:
        return _refusal(
            entry,
            ErrorCategory.MISSING_REFERENCE,
            f"no Odoo employee for {person!r}",
            cause=f"no_employee:{person}",
        )
    if employee.left_on is not None and entry.work_date > employee.left_on:
        return _refusal(
            entry,
            ErrorCategory.VALIDATION,
            f"{person!r} left on {employee.left_on} but the entry is dated {entry.work_date}",
            cause=f"after_leaving:{employee.employee_id}",
            in_general=f"{person!r} left on {employee.left_on}; later time is not sent",
        )
    if not employee.active and employee.left_on is None:
        return _refusal(
            entry,
            ErrorCategory.VALIDATION,
            f"employee {person!r} is archived",
            cause=f"archived:{employee.employee_id}",
        )
    row = {
        "id": entry.external_id,
        "project_id/.id": str(project_id),
        "employee_id/.id": str(employee.employee_id),
        "date": entry.work_date.isoformat(),
        "unit_amount": str(entry.hours.normalize()),
        "name": entry.description or entry.task_name or "/",
    }
    task_id = billing_task_of(code)
    if task_id is not None:
        row["task_id/.id"] = str(task_id)
    return row


def _refusal(
    entry: Timesheet,
    category: ErrorCategory,
    why: str,
    *,
    cause: str,
    in_general: str | None = None,
) -> ConnectorError:
    return ConnectorError(
        f"Timesheet {entry.source}:{entry.source_key} of {entry.work_date} refused: {why}.",
        category=category,
        retryable=False,
        target="odoo",
        operation=f"upsert:{MODEL}",
        model=MODEL,
        failure_key=f"{WORKFLOW}:{cause}",
        cause=f"Time-to-billing refuses time entries: {in_general or why}.",
    )
