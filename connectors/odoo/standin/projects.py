"""Projects, tasks, employees and timesheets (`account.analytic.line`).

Recorded rules: a project with timesheets gets an analytic account of its
own; a timesheet row takes its analytic account from the project and its
sale line from the task, and costs −hours × the employee's `hourly_cost`; a
row for an archived employee is refused; a row with **no project** is
accepted as a plain analytic line (no account, amount 0) — the trap the
connector refuses before sending; a row on a done task is accepted; an
invoiced timesheet may be neither changed (in the fields the rule watches,
whether or not the value changes) nor deleted; an employee badge must be
alphanumeric.
"""

from __future__ import annotations

import re
from typing import Any

from opsgate.connectors.odoo.standin.behaviour import Behaviour, register
from opsgate.connectors.odoo.standin.faults import UserError, ValidationError
from opsgate.connectors.odoo.standin.orm import Env, Model

_WATCHED = (
    "unit_amount",
    "employee_id",
    "project_id",
    "task_id",
    "so_line",
    "amount",
    "date",
)
_BADGE = re.compile(r"^[A-Za-z0-9]{1,18}$")


def _project_after_create(env: Env, ids: list[int]) -> None:
    projects = Model(env, "project.project")
    for record_id in ids:
        row = projects.table[record_id]
        if row.get("allow_timesheets") and not row.get("account_id"):
            partner = env.db.table("res.partner").get(row.get("partner_id") or 0)
            name = row.get("name") or ""
            if partner is not None:
                name = f"{name} - {Model(env, 'res.partner').display_name(partner)}"
            account = Model(env, "account.analytic.account").create(
                {"name": name, "partner_id": row.get("partner_id") or False}
            )[0]
            env.db.update("project.project", record_id, {"account_id": account})


register(
    "project.project",
    Behaviour(
        required=("name",),
        order="sequence asc, name asc, id asc",
        defaults=lambda env, vals: {
            "allow_timesheets": True,
            "privacy_visibility": "portal",
            "billing_type": "not_billable",
            "last_update_status": "to_define",
            "rating_status": "stage",
            "rating_status_period": "monthly",
        },
        after_create=_project_after_create,
    ),
)


def _task_defaults(env: Env, vals: dict[str, Any]) -> dict[str, Any]:
    defaults: dict[str, Any] = {"state": "01_in_progress", "stage_id": 1}
    project = env.db.table("project.project").get(vals.get("project_id") or 0)
    if project is not None:
        defaults["partner_id"] = project.get("partner_id") or False
    line = env.db.table("sale.order.line").get(vals.get("sale_line_id") or 0)
    if line is not None:
        defaults["sale_order_id"] = line.get("order_id") or False
    return defaults


register(
    "project.task",
    Behaviour(
        required=("name",),
        order="priority desc, sequence asc, id desc",
        defaults=_task_defaults,
    ),
)


def _employee_check(env: Env, ids: list[int]) -> None:
    for record_id in ids:
        badge = env.db.table("hr.employee")[record_id].get("barcode")
        if badge and not _BADGE.match(str(badge)):
            raise ValidationError(
                "The Badge ID must be alphanumeric without any accents and no longer "
                "than 18 characters."
            )


register(
    "hr.employee",
    Behaviour(
        required=("name",),
        order="name asc",
        defaults=lambda env, vals: {
            "company_id": 1,
            "employee_type": "employee",
            "currency_id": 1,
            "resource_calendar_id": False,
        },
        check=_employee_check,
    ),
)


def _timesheet_derived(env: Env, row: dict[str, Any]) -> dict[str, Any]:
    """What Odoo fills in on a timesheet row from its project, task, employee."""
    project = env.db.table("project.project").get(row.get("project_id") or 0)
    if project is None:
        return {"account_id": False, "amount": 0.0, "so_line": False}
    task = env.db.table("project.task").get(row.get("task_id") or 0)
    employee = env.db.table("hr.employee").get(row.get("employee_id") or 0)
    hourly_cost = float((employee or {}).get("hourly_cost") or 0.0)
    so_line = (
        row.get("so_line")
        or (task or {}).get("sale_line_id")
        or project.get("sale_line_id")
    )
    return {
        "account_id": project.get("account_id") or False,
        "partner_id": row.get("partner_id") or project.get("partner_id") or False,
        "so_line": so_line or False,
        "amount": -float(row.get("unit_amount") or 0.0) * hourly_cost,
        "company_id": row.get("company_id") or 1,
    }


def _timesheet_before_create(env: Env, vals: dict[str, Any]) -> None:
    employee = env.db.table("hr.employee").get(vals.get("employee_id") or 0)
    if (
        vals.get("project_id")
        and employee is not None
        and not employee.get("active", True)
    ):
        raise ValidationError(
            "Timesheets must be created with an active employee in the selected companies."
        )


def _timesheet_after_create(env: Env, ids: list[int]) -> None:
    table = env.db.table("account.analytic.line")
    for record_id in ids:
        row = table[record_id]
        env.db.update("account.analytic.line", record_id, _timesheet_derived(env, row))


def _is_invoiced(env: Env, row: dict[str, Any]) -> bool:
    move = env.db.table("account.move").get(row.get("timesheet_invoice_id") or 0)
    return move is not None and move.get("state") != "cancel"


def _timesheet_before_write(env: Env, ids: list[int], vals: dict[str, Any]) -> None:
    table = env.db.table("account.analytic.line")
    if any(name in vals for name in _WATCHED) and any(
        _is_invoiced(env, table[i]) for i in ids
    ):
        raise UserError("You cannot modify timesheets that are already invoiced.")


def _timesheet_after_write(env: Env, ids: list[int], vals: dict[str, Any]) -> None:
    table = env.db.table("account.analytic.line")
    for record_id in ids:
        env.db.update(
            "account.analytic.line",
            record_id,
            _timesheet_derived(env, table[record_id]),
        )


def _timesheet_before_unlink(env: Env, ids: list[int]) -> None:
    table = env.db.table("account.analytic.line")
    if any(_is_invoiced(env, table[i]) for i in ids):
        raise UserError("You cannot remove a timesheet that has already been invoiced.")


def _invoice_type(env: Env, row: dict[str, Any]) -> Any:
    if not row.get("project_id"):
        return False
    return "billable_time" if row.get("so_line") else "non_billable"


register(
    "account.analytic.line",
    Behaviour(
        order="date desc, id desc",
        defaults=lambda env, vals: {
            "date": env.db.now.date(),
            "company_id": 1,
            "currency_id": 1,
            "amount": 0.0,
            "name": "/",
        },
        before_create=_timesheet_before_create,
        after_create=_timesheet_after_create,
        before_write=_timesheet_before_write,
        after_write=_timesheet_after_write,
        before_unlink=_timesheet_before_unlink,
        computed={"timesheet_invoice_type": _invoice_type},
    ),
)
register("account.analytic.account", Behaviour())
