"""Staffing-to-delivery: HR employee records → hr.employee, and people onto projects.

HR is the system of record for a consultant's identity and employment; Odoo
gets a copy keyed by external id. A termination archives the employee (Odoo
keeps its timesheets); a rehire unarchives it.
"""

from __future__ import annotations

from decimal import Decimal

import structlog

from opsgate.connectors.odoo.client import OdooClient
from opsgate.rules.canonical import Consultant, EmploymentStatus

log = structlog.get_logger(__name__)

WORKFLOW = "staffing-to-delivery"
VERSION = "1"


def employee_row(consultant: Consultant) -> dict[str, str]:
    """The hr.employee `load` row for a consultant."""
    row = {
        "id": consultant.external_id,
        "name": consultant.name,
        "work_email": consultant.work_email or "",
        "job_title": consultant.job_title or "",
    }
    if consultant.cost_rate is not None:
        row["hourly_cost"] = str(consultant.cost_rate.quantize(Decimal("0.01")))
    return row


async def sync_employee(odoo: OdooClient, consultant: Consultant) -> int:
    """Create or update the consultant's employee; archive it when terminated."""
    (outcome,) = (await odoo.upsert("hr.employee", [employee_row(consultant)])).rows
    if outcome.error is not None:
        raise outcome.error
    employee_id = int(outcome.record_id or 0)
    active = consultant.status is not EmploymentStatus.TERMINATED
    current = await odoo.read(
        "hr.employee", [employee_id], fields=["active"], context={"active_test": False}
    )
    if current and bool(current[0]["active"]) != active:
        await odoo.write("hr.employee", [employee_id], {"active": active})
        log.info(
            "workflow.employee_archived"
            if not active
            else "workflow.employee_restored",
            workflow=WORKFLOW,
            consultant=consultant.source_key,
            employee_id=employee_id,
        )
    return employee_id


async def assign_to_project(
    odoo: OdooClient, *, employee_id: int, project_id: int, task_id: int
) -> None:
    """Put the employee's user on the project's billing task, when they have one.

    Odoo lets any active employee log time on a project; assignment makes the
    task show in their list. Employees without a user are left as they are.
    """
    (employee,) = await odoo.read("hr.employee", [employee_id], fields=["user_id"])
    user = employee.get("user_id")
    if not user:
        return
    user_id = user[0] if isinstance(user, list) else int(user)
    await odoo.write("project.task", [task_id], {"user_ids": [[4, user_id]]})
