"""Complete thin notifications by reading the record from its system of record.

HubSpot and BambooHR notify with ids only. The notification is accepted as an
event like any other and routed to an `enrich:*` delivery; that delivery reads
the deal or the employee over the peer's REST API and accepts what it read as
a new event (caused by the first), which the catalog maps into its canonical
object. Retries, rate limits, dead letters and replay work as for any
delivery, and re-reading is harmless: the new event's id is derived from what
was read, so the same state accepted twice is one event.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import col, select

from opsgate.connectors.bamboohr.employees_api import BambooHREmployees
from opsgate.connectors.errors import ConnectorError, ErrorCategory
from opsgate.connectors.hubspot.crm_api import HubSpotCrm
from opsgate.connectors.inbound.record import SourceRecord
from opsgate.rules.accept.accept import accept
from opsgate.rules.canonical import Invoice
from opsgate.rules.catalog.model import Catalog
from opsgate.rules.delivery.targets import DeliveryCommand
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.tables import Event
from opsgate.rules.workflows.contract_to_cash import standing


class HubSpotTarget:
    """Deliveries to HubSpot: read a won deal, write an account's status."""

    name = "hubspot"

    def __init__(
        self,
        *,
        crm: HubSpotCrm,
        engine: Engine,
        catalog: Catalog,
        today: Callable[[], date] = lambda: datetime.now(UTC).date(),
    ) -> None:
        self._crm = crm
        self._engine = engine
        self._catalog = catalog
        self._today = today

    async def deliver(self, command: DeliveryCommand) -> None:
        """Run `enrich:deal` or `update:account_status`."""
        if command.operation == "enrich:deal":
            await self._enrich_deal(command)
        elif command.operation == "update:account_status":
            await self._update_account_status(command)
        else:
            raise _unknown(self.name, command)

    async def _enrich_deal(self, command: DeliveryCommand) -> None:
        deal_id = str(_object(command)["source_key"])
        deal = await self._crm.get_deal(deal_id)
        if not deal.get("company_ids"):
            raise ConnectorError(
                f"HubSpot deal {deal_id} has no associated company; associate one so "
                "Odoo knows the customer.",
                category=ErrorCategory.MISSING_REFERENCE,
                retryable=False,
                target=self.name,
                operation=command.operation,
            )
        company = await self._crm.get_company(deal["company_ids"][0])
        fields = {**deal, "company": company}
        record = SourceRecord(
            source="hubspot",
            source_event_id=f"deal.read:{deal_id}:{_digest(fields)}",
            event_type="deal.read",
            object_type="deal",
            object_id=deal_id,
            occurred_at=datetime.now(UTC),
            fields=fields,
            meta={"caused_by": command.event_id},
        )
        await accept_read_back(self._engine, self._catalog, record, command)

    async def _update_account_status(self, command: DeliveryCommand) -> None:
        company_id = _object(command).get("customer_key")
        if not company_id:
            raise ConnectorError(
                f"Delivery {command.delivery_id} names no HubSpot company: the Odoo "
                "partner has no known CRM counterpart; add an odoo.partner mapping.",
                category=ErrorCategory.MISSING_REFERENCE,
                retryable=False,
                target=self.name,
                operation=command.operation,
            )
        invoices = await asyncio.to_thread(self._invoices_of, str(company_id))
        current = standing(invoices, today=self._today())
        await self._crm.update_company(
            str(company_id),
            {
                "account_status": current.status.value,
                "open_amount": str(current.open_amount),
                "overdue_amount": str(current.overdue_amount),
            },
        )

    def _invoices_of(self, customer_key: str) -> list[Invoice]:
        """The latest known state of each of the customer's invoices, from the store."""
        with session_scope(self._engine) as session:
            rows = session.exec(
                select(Event.data)
                .where(
                    Event.type == "opsgate.invoice.changed",
                    col(Event.data)["customer_key"].as_string() == customer_key,
                )
                .order_by(col(Event.accepted_at))
            ).all()
        latest = {}
        for data in rows:
            invoice = Invoice.model_validate(data)
            latest[invoice.source_key] = invoice
        return list(latest.values())


class BambooHRTarget:
    """Deliveries to BambooHR: read an employee a thin notification named."""

    name = "bamboohr"

    def __init__(
        self, *, employees: BambooHREmployees, engine: Engine, catalog: Catalog
    ) -> None:
        self._employees = employees
        self._engine = engine
        self._catalog = catalog

    async def deliver(self, command: DeliveryCommand) -> None:
        """Run `enrich:employee`."""
        if command.operation != "enrich:employee":
            raise _unknown(self.name, command)
        employee_id = str(_object(command)["source_key"])
        fields = await self._employees.get_employee(employee_id)
        name = " ".join(
            str(fields[key]).strip()
            for key in ("firstName", "lastName")
            if fields.get(key)
        )
        cost_rate = str(fields.get("payRate") or "").split(" ")[0]
        if cost_rate:
            fields["costRate"] = cost_rate
        record = SourceRecord(
            source="bamboohr",
            source_event_id=f"employee.read:{employee_id}:{_digest(fields)}",
            event_type="employee.updated",
            object_type="employee",
            object_id=employee_id,
            occurred_at=datetime.now(UTC),
            fields={**fields, "name": name or f"Employee {employee_id}"},
            meta={"needs_pull": False, "caused_by": command.event_id},
        )
        await accept_read_back(self._engine, self._catalog, record, command)


async def accept_read_back(
    engine: Engine, catalog: Catalog, record: SourceRecord, command: DeliveryCommand
) -> None:
    """Accept what a delivery read from a peer as a new event, caused by its own."""

    def write() -> None:
        with session_scope(engine) as session:
            accept(
                session,
                catalog,
                source=record.source,
                body=record.to_body(),
                channel="pull",
                content_type="application/json",
                causation_id=command.event_id,
            )

    await asyncio.to_thread(write)


def _digest(fields: dict[str, Any]) -> str:
    text = json.dumps(fields, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _object(command: DeliveryCommand) -> dict[str, Any]:
    data = (command.payload or {}).get("object")
    if not isinstance(data, dict) or "source_key" not in data:
        raise ConnectorError(
            f"Delivery {command.delivery_id} carries no object to read back.",
            category=ErrorCategory.MAPPING,
            retryable=False,
            target=command.target,
            operation=command.operation,
        )
    return data


def _unknown(target: str, command: DeliveryCommand) -> ConnectorError:
    return ConnectorError(
        f"The {target} target has no operation {command.operation!r}.",
        category=ErrorCategory.MAPPING,
        retryable=False,
        target=target,
        operation=command.operation,
    )
