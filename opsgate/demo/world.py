"""The outside world of the demo: Odoo, HubSpot and BambooHR stand-ins, seeded.

The CRM holds the firm's clients and won deals, the HR system its people.
Odoo starts as a fresh database with its demo data. The month's faults that
live outside Opsgate (Odoo rate limiting, a renamed field) are injected here.
"""

from __future__ import annotations

from dataclasses import dataclass

from opsgate.connectors.bamboohr.standin import BambooHRStandin
from opsgate.connectors.hubspot.standin import HubSpotStandin
from opsgate.connectors.odoo.standin import FaultRule, OdooStandin
from opsgate.demo.firm import FirmMonth
from opsgate.demo.inputs import bamboohr_employee, hubspot_company, hubspot_deal


@dataclass
class DemoWorld:
    """The stand-ins the demo runs against."""

    hubspot: HubSpotStandin
    bamboohr: BambooHRStandin
    odoo: OdooStandin | None
    """None when the demo runs against a real Odoo."""

    def stop(self) -> None:
        """Stop every stand-in."""
        self.hubspot.stop()
        self.bamboohr.stop()
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
    return DemoWorld(hubspot.start(), bamboohr.start(), odoo)


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
