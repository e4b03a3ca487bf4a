"""Lead-to-project: a closed-won deal becomes a customer, a sale order and a project.

    customer upsert (res.partner, by external id)
    → opportunity upsert (crm.lead) and mark won
    → sale order with the service product of the billing type (found or created once)
    → confirm: Odoo creates the project and one task per line
    → a staffing-review task on the project
    → the project code and billing task are remembered for time-to-billing

Every step is idempotent (external ids, or a search by the deal's client
reference before creating), so a retried or replayed delivery finishes the
work instead of duplicating it. The controls run before this, at routing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import structlog

from opsgate.connectors.errors import ConnectorError, ErrorCategory
from opsgate.connectors.odoo.client import OdooClient
from opsgate.rules.canonical import BillingType, Contract, Customer
from opsgate.rules.workflows.settings import WorkflowSettings

log = structlog.get_logger(__name__)

WORKFLOW = "lead-to-project"
VERSION = "1"


@dataclass(frozen=True)
class ProjectCreated:
    """What lead-to-project left in Odoo."""

    partner_id: int
    lead_id: int
    sale_order_id: int
    project_id: int
    billing_task_id: int
    staffing_task_id: int


def customer_of(contract: Contract) -> Customer:
    """The customer a contract is with, as the CRM described it on the deal."""
    return Customer(
        source=contract.source,
        source_key=contract.customer_key or f"deal-{contract.source_key}",
        name=contract.customer_name or contract.name,
        legal_entity=contract.legal_entity,
    )


async def create_project(
    odoo: OdooClient, contract: Contract, settings: WorkflowSettings
) -> ProjectCreated:
    """Run lead-to-project for one won contract; safe to run again."""
    customer = customer_of(contract)
    partner_id = await upsert_one(
        odoo,
        "res.partner",
        {"id": customer.external_id, "name": customer.name, "is_company": "1"},
    )
    lead_id = await upsert_one(
        odoo,
        "crm.lead",
        {
            "id": contract.external_id,
            "name": contract.name,
            "type": "opportunity",
            "partner_id/id": customer.external_id,
            "expected_revenue": str(contract.amount or 0),
        },
    )
    await odoo.call_method("crm.lead", "action_set_won", [lead_id])
    order_id = await _sale_order(odoo, contract, partner_id, lead_id, settings)
    project_id, billing_task_id = await _confirmed_project(odoo, contract, order_id)
    staffing_task_id = await _staffing_task(
        odoo, project_id, settings.staffing_review_task
    )
    log.info(
        "workflow.project_created",
        workflow=WORKFLOW,
        contract=contract.source_key,
        sale_order_id=order_id,
        project_id=project_id,
    )
    return ProjectCreated(
        partner_id, lead_id, order_id, project_id, billing_task_id, staffing_task_id
    )


def client_reference(contract: Contract) -> str:
    """The sale order's client reference, unique per deal (`HS-DEAL-3001`)."""
    return f"{contract.source[:2].upper()}-DEAL-{contract.source_key}"


async def upsert_one(odoo: OdooClient, model: str, row: dict[str, str]) -> int:
    """Upsert one row by its external id; return the record id or raise its error."""
    (outcome,) = (await odoo.upsert(model, [row])).rows
    if outcome.error is not None:
        raise outcome.error
    if outcome.record_id is None:
        raise ConnectorError(
            f"Odoo accepted the {model} row {row['id']!r} but returned no id.",
            category=ErrorCategory.UNKNOWN,
            retryable=False,
            target="odoo",
            operation=f"upsert:{model}",
            model=model,
        )
    return outcome.record_id


async def _sale_order(
    odoo: OdooClient,
    contract: Contract,
    partner_id: int,
    lead_id: int,
    settings: WorkflowSettings,
) -> int:
    reference = client_reference(contract)
    existing = await odoo.search_read(
        "sale.order", [("client_order_ref", "=", reference)], fields=["id"], limit=1
    )
    if existing:
        return int(existing[0]["id"])
    product_id = await _service_product(odoo, contract, settings)
    values = {
        "partner_id": partner_id,
        "opportunity_id": lead_id,
        "client_order_ref": reference,
        "origin": f"{contract.source} deal {contract.source_key}",
        "order_line": [[0, 0, _order_line(contract, product_id)]],
    }
    company_id = settings.legal_entities.get(contract.legal_entity or "")
    if company_id is not None:
        values["company_id"] = company_id
    return await odoo.create("sale.order", values)


def _order_line(contract: Contract, product_id: int) -> dict[str, object]:
    if contract.billing_type is BillingType.FIXED_PRICE:
        return {
            "product_id": product_id,
            "product_uom_qty": 1,
            "price_unit": float(contract.amount or Decimal(0)),
        }
    hours = contract.hours
    rate = contract.hourly_rate
    if hours is None and rate and contract.amount:
        hours = (contract.amount / rate).quantize(Decimal("0.01"))
    line: dict[str, object] = {
        "product_id": product_id,
        "product_uom_qty": float(hours or 1),
    }
    if rate is not None:
        line["price_unit"] = float(rate)
    return line


async def _service_product(
    odoo: OdooClient, contract: Contract, settings: WorkflowSettings
) -> int:
    billing = (contract.billing_type or BillingType.TIME_AND_MATERIALS).value
    name = settings.service_products.get(billing)
    found = await odoo.search_read(
        "product.product", [("name", "=", name)], fields=["id"], limit=1
    )
    if not found:
        raise ConnectorError(
            f"No Odoo service product named {name!r} for billing type {billing!r}; "
            "create it or change workflows.service_products.",
            category=ErrorCategory.MISSING_REFERENCE,
            retryable=False,
            target="odoo",
            operation="lead_to_project",
            model="product.product",
        )
    return int(found[0]["id"])


async def _confirmed_project(
    odoo: OdooClient, contract: Contract, order_id: int
) -> tuple[int, int]:
    (order,) = await odoo.read(
        "sale.order", [order_id], fields=["state", "project_ids", "tasks_ids"]
    )
    if order["state"] in ("draft", "sent"):
        await odoo.call_method("sale.order", "action_confirm", [order_id])
        (order,) = await odoo.read(
            "sale.order", [order_id], fields=["state", "project_ids", "tasks_ids"]
        )
    if not order["project_ids"] or not order["tasks_ids"]:
        raise ConnectorError(
            f"Sale order {order_id} for contract {contract.source_key} was confirmed but "
            "Odoo created no project; its product must create a task in a project.",
            category=ErrorCategory.VALIDATION,
            retryable=False,
            target="odoo",
            operation="lead_to_project",
            model="sale.order",
        )
    return int(order["project_ids"][0]), int(order["tasks_ids"][0])


async def _staffing_task(odoo: OdooClient, project_id: int, name: str) -> int:
    found = await odoo.search_read(
        "project.task",
        [("project_id", "=", project_id), ("name", "=", name)],
        fields=["id"],
        limit=1,
    )
    if found:
        return int(found[0]["id"])
    return await odoo.create("project.task", {"name": name, "project_id": project_id})
