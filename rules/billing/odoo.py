"""Pull the billing facts from Odoo: a thin adapter over any client with `search_read`.

    project.project ── sale_line_id ──> sale.order.line (rate) ──> product (service policy)
    account.analytic.line (timesheets; invoiced when `timesheet_invoice_id` is set)
    account.move (posted customer invoices) ──< account.move.line ── sale_line_ids
    account.payment ── reconciled_invoice_ids

The client is `opsgate.connectors.odoo`'s, passed in; this module only names
models and fields and maps records into canonical objects. Odoo Community has
no timesheet approval, so every pulled line counts as approved.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from opsgate.rules.billing.facts import BillingFacts, build_billing_facts
from opsgate.rules.canonical import (
    BillingType,
    Contract,
    Invoice,
    InvoiceLine,
    InvoiceState,
    Payment,
    Project,
    Timesheet,
)

TIME_POLICIES = frozenset({"delivered_timesheet"})
"""Product service policies that bill by the hour; every other one is fixed price."""


class OdooReader(Protocol):
    """The one method the adapter needs from an Odoo client."""

    async def search_read(
        self,
        model: str,
        domain: Sequence[Any] = (),
        *,
        fields: Sequence[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Return the records of `model` matching `domain`."""
        ...


def _ref(value: Any) -> tuple[int | None, str | None]:
    """Split an Odoo many2one (`[id, "name"]` or False)."""
    if isinstance(value, list | tuple) and value:
        return int(value[0]), str(value[1]) if len(value) > 1 else None
    return None, None


async def pull_billing_facts(
    client: OdooReader, *, as_of: date, since: date | None = None
) -> BillingFacts:
    """Return the billing facts read from Odoo."""
    projects, contracts, by_sale_line = await _projects(client)
    domain: list[Any] = [["project_id", "!=", False]]
    if since is not None:
        domain.append(["date", ">=", since.isoformat()])
    lines = await client.search_read(
        "account.analytic.line",
        domain,
        fields=[
            "date",
            "unit_amount",
            "employee_id",
            "project_id",
            "task_id",
            "name",
            "timesheet_invoice_id",
        ],
    )
    names = {p.source_key: p.name for p in projects}
    timesheets = [(_timesheet(line, names), None) for line in lines if line.get("date")]
    return build_billing_facts(
        as_of=as_of,
        timesheets=timesheets,
        projects=projects,
        contracts=contracts,
        invoices=[(inv, None) for inv in await _invoices(client, by_sale_line)],
        payments=[(pay, None) for pay in await _payments(client)],
    )


async def _projects(
    client: OdooReader,
) -> tuple[list[Project], list[Contract], dict[int, str]]:
    records = await client.search_read(
        "project.project",
        [["allow_billable", "=", True]],
        fields=["name", "partner_id", "sale_line_id"],
    )
    line_ids = [i for i in (_ref(r.get("sale_line_id"))[0] for r in records) if i]
    sale_lines = (
        {
            int(s["id"]): s
            for s in await client.search_read(
                "sale.order.line",
                [["id", "in", line_ids]],
                fields=["price_unit", "currency_id", "product_id"],
            )
        }
        if line_ids
        else {}
    )
    products = {_ref(s.get("product_id"))[0] for s in sale_lines.values()} - {None}
    policies = (
        {
            int(p["id"]): str(p.get("service_policy") or "")
            for p in await client.search_read(
                "product.product",
                [["id", "in", sorted(products)]],
                fields=["service_policy"],
            )
        }
        if products
        else {}
    )
    projects, contracts, by_sale_line = [], [], {}
    for record in records:
        sale_line_id, _ = _ref(record.get("sale_line_id"))
        sale = sale_lines.get(sale_line_id or -1, {})
        product_id, _ = _ref(sale.get("product_id"))
        hourly = policies.get(product_id or -1) in TIME_POLICIES
        billing = BillingType.TIME_AND_MATERIALS if hourly else BillingType.FIXED_PRICE
        key = str(record["id"])
        contracts.append(
            Contract(
                source="odoo",
                source_key=f"sale_line-{sale_line_id or key}",
                name=str(record["name"]),
                customer_name=_ref(record.get("partner_id"))[1],
                won=True,
                billing_type=billing,
                hourly_rate=Decimal(str(sale["price_unit"]))
                if hourly and sale
                else None,
                currency=_ref(sale.get("currency_id"))[1] if sale else None,
            )
        )
        projects.append(
            Project(
                source="odoo",
                source_key=key,
                name=str(record["name"]),
                contract_key=contracts[-1].source_key,
                billing_type=billing,
            )
        )
        if sale_line_id:
            by_sale_line[sale_line_id] = str(record["name"])
    return projects, contracts, by_sale_line


def _timesheet(line: dict[str, Any], names: dict[str, str]) -> Timesheet:
    project_id, project_name = _ref(line.get("project_id"))
    _, employee = _ref(line.get("employee_id"))
    _, task = _ref(line.get("task_id"))
    return Timesheet(
        source="odoo",
        source_key=str(line["id"]),
        work_date=date.fromisoformat(str(line["date"])),
        hours=Decimal(str(line.get("unit_amount") or 0)),
        consultant_name=employee,
        consultant_key=employee,
        project_name=names.get(str(project_id), project_name or "unknown"),
        task_name=task,
        description=line.get("name") or None,
        approved=True,
        invoiced=bool(_ref(line.get("timesheet_invoice_id"))[0]),
    )


async def _invoices(client: OdooReader, by_sale_line: dict[int, str]) -> list[Invoice]:
    moves = await client.search_read(
        "account.move",
        [["move_type", "=", "out_invoice"], ["state", "=", "posted"]],
        fields=[
            "name",
            "invoice_date",
            "amount_total",
            "amount_residual",
            "currency_id",
            "partner_id",
            "invoice_line_ids",
        ],
    )
    line_ids = [i for move in moves for i in move.get("invoice_line_ids") or []]
    lines = (
        {
            int(line["id"]): line
            for line in await client.search_read(
                "account.move.line",
                [["id", "in", line_ids]],
                fields=["name", "quantity", "price_unit", "sale_line_ids"],
            )
        }
        if line_ids
        else {}
    )
    return [_invoice(move, lines, by_sale_line) for move in moves]


def _invoice(
    move: dict[str, Any], lines: dict[int, dict[str, Any]], by_sale_line: dict[int, str]
) -> Invoice:
    own = [lines[i] for i in move.get("invoice_line_ids") or [] if i in lines]
    return Invoice(
        source="odoo",
        source_key=str(move["id"]),
        number=str(move["name"]),
        customer_name=_ref(move.get("partner_id"))[1],
        state=InvoiceState.POSTED,
        invoice_date=date.fromisoformat(str(move["invoice_date"]))
        if move.get("invoice_date")
        else None,
        amount_total=Decimal(str(move.get("amount_total") or 0)),
        amount_residual=Decimal(str(move.get("amount_residual") or 0)),
        currency=_ref(move.get("currency_id"))[1] or "EUR",
        lines=tuple(
            InvoiceLine(
                description=str(line.get("name") or ""),
                quantity=Decimal(str(line.get("quantity") or 0)),
                unit_price=Decimal(str(line.get("price_unit") or 0)),
                project_key=next(
                    (
                        by_sale_line[s]
                        for s in line.get("sale_line_ids") or []
                        if s in by_sale_line
                    ),
                    None,
                ),
            )
            for line in own
        ),
    )


async def _payments(client: OdooReader) -> list[Payment]:
    records = await client.search_read(
        "account.payment",
        [["payment_type", "=", "inbound"], ["state", "!=", "draft"]],
        fields=[
            "amount",
            "date",
            "currency_id",
            "partner_id",
            "memo",
            "reconciled_invoice_ids",
        ],
    )
    invoice_ids = sorted(
        {i for r in records for i in r.get("reconciled_invoice_ids") or []}
    )
    numbers = (
        {
            int(m["id"]): str(m["name"])
            for m in await client.search_read(
                "account.move", [["id", "in", invoice_ids]], fields=["name"]
            )
        }
        if invoice_ids
        else {}
    )
    return [
        Payment(
            source="odoo",
            source_key=str(r["id"]),
            amount=Decimal(str(r["amount"])),
            currency=_ref(r.get("currency_id"))[1] or "EUR",
            payment_date=date.fromisoformat(str(r["date"])),
            invoice_numbers=tuple(
                numbers[i]
                for i in r.get("reconciled_invoice_ids") or []
                if i in numbers
            ),
            customer_key=_ref(r.get("partner_id"))[1],
            reference=r.get("memo") or None,
        )
        for r in records
        if float(r.get("amount") or 0) > 0 and r.get("date")
    ]
