"""Sale orders and their lines, products.

Recorded rules: a new order is a quotation (`draft`) named `S000NN`;
`action_confirm` turns it into a sale order and, for products tracked
`task_in_project`, creates one project (named after the client reference,
the order and the template) with its own analytic account and one task per
line linked to its sale line; confirming twice is a UserError; a confirmed
order may not be deleted; `action_lock`/`action_unlock` return None (which
XML-RPC cannot marshal). Known limitation: taxes are a flat 15 % on product
lines (the recorded demo company's default sales tax), no fiscal positions.
"""

from __future__ import annotations

from typing import Any

from opsgate.connectors.odoo.standin.behaviour import Behaviour, register
from opsgate.connectors.odoo.standin.faults import UserError
from opsgate.connectors.odoo.standin.orm import Env, Model

TAX_RATE = 0.15
TEMPLATE_NAME = "Sales Order"


def _order_defaults(env: Env, vals: dict[str, Any]) -> dict[str, Any]:
    number = env.db.next_id("sale.order.name")
    partner = vals.get("partner_id") or False
    return {
        "name": f"S{number:05d}",
        "state": "draft",
        "date_order": env.db.now,
        "company_id": 1,
        "currency_id": 1,
        "partner_invoice_id": partner if isinstance(partner, int) else False,
        "partner_shipping_id": partner if isinstance(partner, int) else False,
        "locked": False,
        "user_id": env.uid,
    }


def _lines(env: Env, row: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        line
        for line in env.db.table("sale.order.line").values()
        if line.get("order_id") == row["id"]
    ]


def _untaxed(env: Env, row: dict[str, Any]) -> float:
    return sum(_line_subtotal(env, line) for line in _lines(env, row))


def _line_subtotal(env: Env, line: dict[str, Any]) -> float:
    return float(line.get("product_uom_qty") or 0.0) * float(
        line.get("price_unit") or 0.0
    )


def _line_defaults(env: Env, vals: dict[str, Any]) -> dict[str, Any]:
    product = env.db.table("product.product").get(vals.get("product_id") or 0) or {}
    return {
        "name": product.get("name") or "/",
        "price_unit": product.get("list_price") or 0.0,
        "product_uom_qty": 1.0,
        "customer_lead": 0.0,
        "product_uom": product.get("uom_id") or False,
    }


def _line_display(env: Env, line: dict[str, Any]) -> str:
    order = env.db.table("sale.order").get(line.get("order_id") or 0) or {}
    partner = env.db.table("res.partner").get(order.get("partner_id") or 0) or {}
    text = f"{order.get('name', '')} - {line.get('name') or ''}"
    return f"{text} ({partner['ref']})" if partner.get("ref") else text


def _action_confirm(env: Env, ids: list[int]) -> bool:
    orders = Model(env, "sale.order")
    ids = orders.ensure_exist(ids)
    if any(orders.table[i].get("state") not in ("draft", "sent") for i in ids):
        raise UserError("Some orders are not in a state requiring confirmation.")
    for record_id in ids:
        orders.touch([record_id], {"state": "sale"})
        _create_project_and_tasks(env, orders.table[record_id])
    return True


def _create_project_and_tasks(env: Env, order: dict[str, Any]) -> None:
    products = env.db.table("product.product")
    tracked = [
        line
        for line in _lines(env, order)
        if (products.get(line.get("product_id") or 0) or {}).get("service_tracking")
        == "task_in_project"
    ]
    if not tracked:
        return
    prefix = f"{order['client_order_ref']} - " if order.get("client_order_ref") else ""
    project_id = Model(env, "project.project").create(
        {
            "name": f"{prefix}{order['name']} - {TEMPLATE_NAME}",
            "partner_id": order.get("partner_id") or False,
            "sale_order_id": order["id"],
            "sale_line_id": tracked[0]["id"],
            "allow_billable": True,
            "allow_timesheets": True,
            "company_id": 1,
        }
    )[0]
    _name_project_account(env, project_id, order)
    for line in tracked:
        Model(env, "project.task").create(
            {
                "name": line.get("name") or "/",
                "project_id": project_id,
                "sale_line_id": line["id"],
                "sale_order_id": order["id"],
                "partner_id": order.get("partner_id") or False,
                "allocated_hours": float(line.get("product_uom_qty") or 0.0),
            }
        )
    env.db.update("sale.order", order["id"], {"project_id": project_id})


def _name_project_account(env: Env, project_id: int, order: dict[str, Any]) -> None:
    project = env.db.table("project.project")[project_id]
    partner = env.db.table("res.partner").get(order.get("partner_id") or 0) or {}
    ref = f"[{order['client_order_ref']}] " if order.get("client_order_ref") else ""
    env.db.update(
        "account.analytic.account",
        project["account_id"],
        {"name": f"{ref}{order['name']} - {partner.get('name', '')}"},
    )


def _set_locked(locked: bool) -> Any:
    def method(env: Env, ids: list[int]) -> None:
        orders = Model(env, "sale.order")
        orders.touch(orders.ensure_exist(ids), {"locked": locked})

    return method


def _order_before_unlink(env: Env, ids: list[int]) -> None:
    table = env.db.table("sale.order")
    if any(table[i].get("state") in ("sale", "sent") for i in ids):
        raise UserError(
            "You can not delete a sent quotation or a confirmed sales order. You must "
            "first cancel it."
        )


def _order_ids(model: str, key: str) -> Any:
    def compute(env: Env, row: dict[str, Any]) -> list[int]:
        return sorted(
            rid
            for rid, other in env.db.table(model).items()
            if other.get(key) == row["id"]
        )

    return compute


def _invoice_status(env: Env, row: dict[str, Any]) -> str:
    if row.get("state") != "sale":
        return "no"
    delivered = sum(
        _to_invoice(env, line) - float(line.get("qty_invoiced") or 0.0)
        for line in _lines(env, row)
    )
    return "to invoice" if delivered > 0 else "no"


def _to_invoice(env: Env, line: dict[str, Any]) -> float:
    product = env.db.table("product.product").get(line.get("product_id") or 0) or {}
    if product.get("invoice_policy") == "order":
        return float(line.get("product_uom_qty") or 0.0)
    return _delivered(env, line)


def _delivered(env: Env, line: dict[str, Any]) -> float:
    return sum(
        float(ts.get("unit_amount") or 0.0)
        for ts in env.db.table("account.analytic.line").values()
        if ts.get("so_line") == line["id"]
    )


register(
    "sale.order",
    Behaviour(
        required=("partner_id",),
        order="date_order desc, id desc",
        defaults=_order_defaults,
        before_unlink=_order_before_unlink,
        computed={
            "amount_untaxed": _untaxed,
            "amount_tax": lambda env, row: round(_untaxed(env, row) * TAX_RATE, 2),
            "amount_total": lambda env, row: round(
                _untaxed(env, row) * (1 + TAX_RATE), 2
            ),
            "project_ids": _order_ids("project.project", "sale_order_id"),
            "tasks_ids": _order_ids("project.task", "sale_order_id"),
            "invoice_status": _invoice_status,
        },
        methods={
            "action_confirm": _action_confirm,
            "action_lock": _set_locked(True),
            "action_unlock": _set_locked(False),
        },
    ),
)
register(
    "sale.order.line",
    Behaviour(
        required=("order_id",),
        order="order_id asc, sequence asc, id asc",
        defaults=_line_defaults,
        display_name=_line_display,
        computed={
            "price_subtotal": _line_subtotal,
            "price_total": lambda env, line: round(
                _line_subtotal(env, line) * (1 + TAX_RATE), 2
            ),
            "qty_delivered": _delivered,
        },
    ),
)
register("product.product", Behaviour(order="default_code asc, name asc, id asc"))
