"""The Odoo target: deliveries to Odoo carried out as workflow steps.

    lead_to_project                  a won contract → customer, order, project
    upsert:hr.employee               a consultant → hr.employee (archived if gone)
    upsert:account.analytic.line     approved time → timesheet lines, in batches

Each step is idempotent; what a step learns (which Odoo project a project
code names, which employee an HR id is) is remembered in the store so later
steps can resolve their references.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy import Engine

from opsgate.connectors.errors import ConnectorError, ErrorCategory
from opsgate.connectors.odoo.client import OdooClient
from opsgate.rules.canonical import (
    Consultant,
    Contract,
    Customer,
    EmploymentStatus,
    Project,
    Timesheet,
)
from opsgate.rules.delivery.targets import DeliveryCommand
from opsgate.rules.store.db import session_scope
from opsgate.rules.workflows.batching import Coalescer
from opsgate.rules.workflows.lead_to_project import (
    ProjectCreated,
    create_project,
    upsert_one,
)
from opsgate.rules.workflows.references import (
    load_references,
    name_kind,
    remember_name,
    remember_reference,
    resolve,
)
from opsgate.rules.workflows.settings import WorkflowSettings
from opsgate.rules.workflows.staff_directory import StaffDirectory
from opsgate.rules.workflows.staffing import assign_to_project, sync_employee
from opsgate.rules.workflows.time_to_billing import (
    EmployeeStanding,
    TimesheetOutcome,
    load_timesheets,
)

Step = Callable[[DeliveryCommand], Awaitable[None]]

TIMESHEETS = "upsert:account.analytic.line"
"""The operation that carries approved time; its deliveries are coalesced."""


PROJECT_KINDS = (
    "project",
    "billing_task",
    name_kind("project"),
    name_kind("billing_task"),
)
"""References a timesheet's project resolves through: by code, then by name."""


class OdooWorkflowTarget:
    """Carry out deliveries to Odoo as the workflow steps they stand for."""

    def __init__(
        self,
        *,
        odoo: OdooClient,
        engine: Engine,
        settings: WorkflowSettings,
        name: str = "odoo",
    ) -> None:
        self.name = name
        self._odoo = odoo
        self._engine = engine
        self._settings = settings
        self._timesheets: Coalescer[Timesheet, TimesheetOutcome] = Coalescer(
            self._load_timesheets
        )
        self._timesheet_lock = asyncio.Lock()
        self._steps: dict[str, Step] = {
            "lead_to_project": self._lead_to_project,
            "upsert:res.partner": self._upsert_customer,
            "upsert:project.project": self._upsert_project,
            "upsert:hr.employee": self._sync_employee,
            TIMESHEETS: self._timesheet,
        }

    def coalesces(self, operation: str) -> bool:
        """Timesheets of one import go to Odoo together, in batched `load` calls."""
        return operation == TIMESHEETS

    async def deliver(self, command: DeliveryCommand) -> None:
        """Run the step `command.operation` names, or refuse an unknown one."""
        step = self._steps.get(command.operation)
        if step is None:
            known = ", ".join(sorted(self._steps))
            raise ConnectorError(
                f"The Odoo target has no step {command.operation!r}; known: {known}.",
                category=ErrorCategory.MAPPING,
                retryable=False,
                target=self.name,
                operation=command.operation,
            )
        await step(command)

    async def _lead_to_project(self, command: DeliveryCommand) -> None:
        contract = Contract.model_validate(_object(command))
        created = await create_project(self._odoo, contract, self._settings)
        code = contract.project_code or client_reference_key(contract)
        await self._remember(
            [
                ("project", code, created.project_id),
                ("billing_task", code, created.billing_task_id),
                ("partner", contract.customer_key or "", created.partner_id),
                ("sale_order", contract.source_key, created.sale_order_id),
            ]
        )
        await asyncio.to_thread(self._remember_names, contract.name, created)

    async def _upsert_customer(self, command: DeliveryCommand) -> None:
        customer = Customer.model_validate(_object(command))
        row = {"id": customer.external_id, "name": customer.name, "is_company": "1"}
        row |= {
            k: v for k, v in (("email", customer.email), ("vat", customer.vat)) if v
        }
        partner_id = await upsert_one(self._odoo, "res.partner", row)
        await self._remember([("partner", customer.source_key, partner_id)])

    async def _upsert_project(self, command: DeliveryCommand) -> None:
        project = Project.model_validate(_object(command))
        row = {"id": project.external_id, "name": project.name, "allow_timesheets": "1"}
        if project.customer_key:
            customer_id = f"opsgate.{project.source}_customer_{project.customer_key}"
            row["partner_id/id"] = customer_id
        project_id = await upsert_one(self._odoo, "project.project", row)
        await self._remember(
            [("project", project.code or project.source_key, project_id)]
        )

    async def _sync_employee(self, command: DeliveryCommand) -> None:
        consultant = Consultant.model_validate(_object(command))
        employee_id = await sync_employee(self._odoo, consultant)
        await self._remember([("employee", consultant.source_key, employee_id)])
        if consultant.project_keys:
            references = await asyncio.to_thread(self._references)
            for code in consultant.project_keys:
                project_id = references.get(("project", code))
                task_id = references.get(("billing_task", code))
                if project_id is not None and task_id is not None:
                    await assign_to_project(
                        self._odoo,
                        employee_id=employee_id,
                        project_id=project_id,
                        task_id=task_id,
                    )

    async def _timesheet(self, command: DeliveryCommand) -> None:
        outcome = await self._timesheets.submit(
            Timesheet.model_validate(_object(command))
        )
        if outcome.error is not None:
            raise outcome.error

    async def _load_timesheets(
        self, entries: Sequence[Timesheet]
    ) -> list[TimesheetOutcome]:
        async with self._timesheet_lock:
            return await self._load_timesheets_now(entries)

    async def _load_timesheets_now(
        self, entries: Sequence[Timesheet]
    ) -> list[TimesheetOutcome]:
        # One batch at a time: a batch may unarchive departed employees while
        # it loads, and another batch must not archive them meanwhile.
        directory, references = await asyncio.to_thread(self._snapshot)

        def employee_of(entry: Timesheet) -> EmployeeStanding | None:
            consultant = directory.find(entry)
            if consultant is None:
                return None
            employee_id = references.get(("employee", consultant.source_key))
            if employee_id is None:
                return None
            active = consultant.status is not EmploymentStatus.TERMINATED
            return EmployeeStanding(employee_id, active, consultant.termination_date)

        return await load_timesheets(
            self._odoo,
            entries,
            project_of=lambda code: resolve(references, "project", code),
            billing_task_of=lambda code: resolve(references, "billing_task", code),
            employee_of=employee_of,
        )

    def _references(self) -> dict[tuple[str, str], int]:
        with session_scope(self._engine) as session:
            return load_references(session, "odoo", ("project", "billing_task"))

    def _snapshot(self) -> tuple[StaffDirectory, dict[tuple[str, str], int]]:
        with session_scope(self._engine) as session:
            return StaffDirectory.load(session), load_references(
                session, "odoo", (*PROJECT_KINDS, "employee")
            )

    def _remember_names(self, deal: str, created: ProjectCreated) -> None:
        """Time tools name projects, not codes: the deal's name finds its project."""
        with session_scope(self._engine) as session:
            remember_name(session, "odoo", "project", deal, created.project_id)
            remember_name(
                session, "odoo", "billing_task", deal, created.billing_task_id
            )

    async def _remember(self, references: list[tuple[str, str, int]]) -> None:
        def write() -> None:
            with session_scope(self._engine) as session:
                for kind, key, remote_id in references:
                    if key:
                        remember_reference(session, "odoo", kind, key, remote_id)

        await asyncio.to_thread(write)


def client_reference_key(contract: Contract) -> str:
    """The key a contract's project is remembered by when it has no project code."""
    return f"{contract.source}:{contract.source_key}"


def _object(command: DeliveryCommand) -> dict[str, Any]:
    payload = command.payload or {}
    data = payload.get("object")
    if not isinstance(data, dict):
        raise ConnectorError(
            f"Delivery {command.delivery_id} carries no canonical object to send.",
            category=ErrorCategory.MAPPING,
            retryable=False,
            target="odoo",
            operation=command.operation,
        )
    return data
