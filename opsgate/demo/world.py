"""The outside world of the demo: Odoo, HubSpot, BambooHR and Toggl stand-ins.

The CRM holds the firm's clients and won deals, the HR system its people,
Toggl Track the workspace of the team that moved to it.
Odoo starts as a fresh database with its demo data. The month's faults that
live outside Opsgate (Odoo rate limiting, a renamed field) are injected here.
"""

from __future__ import annotations

from dataclasses import dataclass

from opsgate.connectors.bamboohr.standin import BambooHRStandin
from opsgate.connectors.hubspot.standin import HubSpotStandin
from opsgate.connectors.odoo.standin import FaultRule, OdooStandin
from opsgate.connectors.toggl.standin import TogglStandin
from opsgate.demo.firm import TASKS, FirmMonth, toggl_entries, toggl_team
from opsgate.demo.inputs import (
    TOGGL_WORKSPACE_ID,
    bamboohr_employee,
    hubspot_company,
    hubspot_deal,
)


@dataclass
class DemoWorld:
    """The stand-ins the demo runs against."""

    hubspot: HubSpotStandin
    bamboohr: BambooHRStandin
    toggl: TogglStandin
    odoo: OdooStandin | None
    """None when the demo runs against a real Odoo."""

    def stop(self) -> None:
        """Stop every stand-in."""
        self.hubspot.stop()
        self.bamboohr.stop()
        self.toggl.stop()
        if self.odoo is not None:
            self.odoo.stop()


def start_world(month: FirmMonth, *, odoo_version: int | None = 19) -> DemoWorld:
    """Start the stand-ins and seed them with the firm's month."""
    hubspot = HubSpotStandin()
    for client in month.clients:
        hubspot.add_company(client.key, hubspot_company(client))
    for deal in month.deals:
        hubspot.add_deal(deal.key, hubspot_deal(deal), deal.client_key)
    bamboohr = BambooHRStandin()
    for person in month.consultants:
        bamboohr.put_employee(person.key, bamboohr_employee(person))
    odoo = OdooStandin(version=odoo_version).start() if odoo_version else None
    return DemoWorld(hubspot.start(), bamboohr.start(), _toggl(month).start(), odoo)


def _toggl(month: FirmMonth) -> TogglStandin:
    """Toggl's workspace: the team's people, their project and its tasks."""
    toggl = TogglStandin()
    workspace = str(TOGGL_WORKSPACE_ID)
    tracked = toggl_entries(month)
    people = {t.entry.consultant_key: t.user_id for t in tracked}
    for key, user_id in sorted(people.items()):
        person = month.consultant(key)
        toggl.add_user(workspace, user_id, person.email, person.name)
    deal = toggl_team(month)
    client = month.client(deal.client_key)
    if tracked:
        toggl.add_project(
            workspace,
            tracked[0].project_id,
            deal.name,
            client=(9_000 + month.clients.index(client), client.name),
        )
    for n, task in enumerate(TASKS):
        toggl.add_task(workspace, 5_500 + n, task)
    return toggl


def inject_odoo_faults(odoo: OdooStandin) -> None:
    """Odoo throttles the first timesheet loads and renames a field for a while."""
    odoo.inject(
        FaultRule(
            kind="rate_limit",
            model="account.analytic.line",
            method="load",
            times=2,
            retry_after_s=0.5,
        )
    )


def rename_employee_cost(odoo: OdooStandin) -> FaultRule:
    """Odoo answers as if `hr.employee.hourly_cost` were renamed (schema drift)."""
    return odoo.inject(
        FaultRule(
            kind="rename_field",
            model="hr.employee",
            field="hourly_cost",
            renamed_to="x_hourly_cost",
        )
    )
