"""Finance at work in Odoo: invoice the delivered time, record some payments.

This is what the firm's accountants do in Odoo at month end; the demo does it
through the same external API so that contract-to-cash has something to pull.
Invoices are dated so that some fall due before the demo's "today" and stay
unpaid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from opsgate.connectors.odoo.client import OdooClient


@dataclass(frozen=True)
class FinanceReport:
    """What finance did."""

    invoices_posted: int
    invoices_paid: int


async def close_the_month(
    odoo: OdooClient,
    sale_order_ids: list[int],
    *,
    invoice_date: date,
    pay_every: int = 2,
) -> FinanceReport:
    """Invoice each order's delivered time, post it, pay every `pay_every`-th."""
    posted = paid = 0
    for index, order_id in enumerate(sale_order_ids):
        invoice_id = await _invoice(odoo, order_id)
        if invoice_id is None:
            continue
        await odoo.write(
            "account.move",
            [invoice_id],
            {
                "invoice_date": invoice_date.isoformat(),
                "invoice_date_due": invoice_date.isoformat(),
            },
            check=False,
        )
        await odoo.call_method("account.move", "action_post", [invoice_id])
        posted += 1
        if index % pay_every == 0:
            await _pay(odoo, invoice_id)
            paid += 1
    return FinanceReport(posted, paid)


async def _invoice(odoo: OdooClient, order_id: int) -> int | None:
    (order,) = await odoo.read("sale.order", [order_id], fields=["invoice_status"])
    if order.get("invoice_status") != "to invoice":
        return None
    wizard = await odoo.create(
        "sale.advance.payment.inv",
        {"advance_payment_method": "delivered", "sale_order_ids": [[6, 0, [order_id]]]},
        check=False,
    )
    await odoo.call_method("sale.advance.payment.inv", "create_invoices", [wizard])
    (order,) = await odoo.read("sale.order", [order_id], fields=["invoice_ids"])
    return int(order["invoice_ids"][-1]) if order["invoice_ids"] else None


async def _pay(odoo: OdooClient, invoice_id: int) -> None:
    context = {"active_model": "account.move", "active_ids": [invoice_id]}
    wizard = await odoo.call_method(
        "account.payment.register",
        "create",
        params={"vals_list": [{}]},
        context=context,
    )
    wizard_id = wizard[0] if isinstance(wizard, list) else wizard
    await odoo.call_method(
        "account.payment.register",
        "action_create_payments",
        [wizard_id],
        context=context,
    )
