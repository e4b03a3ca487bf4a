"""The invoicing and payment wizards of the contract-to-cash workflow.

`sale.advance.payment.inv` (create with `advance_payment_method: delivered`
and the orders, then `create_invoices`) invoices the timesheet hours not yet
invoiced, marks those timesheets invoiced, and returns a window action whose
`res_id` is the draft invoice — with a `null` inside its context, so XML-RPC
answers the marshal fault *after* the invoice exists, as recorded.
`account.payment.register` (create `{}` with `active_model`/`active_ids` in
the context, then `action_create_payments`) pays the invoice in full at once.
Known limitation: down payments (`percentage`, `fixed`) are not modelled.
"""

from __future__ import annotations

from typing import Any

from opsgate.connectors.odoo.standin.accounting import BANK_JOURNAL_ID, _total
from opsgate.connectors.odoo.standin.behaviour import Behaviour, register
from opsgate.connectors.odoo.standin.faults import UserError
from opsgate.connectors.odoo.standin.orm import Env, Model

_HELP = (
    '<p class="o_view_nocontent_smiling_face">\n                Create a customer invoice\n'
    "              </p><p>\n                Create invoices, register payments and keep "
    "track of the discussions with your customers.\n              </p>\n            "
)


def _wizard_defaults(env: Env, vals: dict[str, Any]) -> dict[str, Any]:
    if "sale_order_ids" in vals or env.context.get("active_model") != "sale.order":
        return {"advance_payment_method": "delivered"}
    return {
        "advance_payment_method": "delivered",
        "sale_order_ids": [[6, 0, list(env.context.get("active_ids") or [])]],
    }


def _uninvoiced_timesheets(env: Env, line_id: int) -> list[dict[str, Any]]:
    return [
        ts
        for ts in env.db.table("account.analytic.line").values()
        if ts.get("so_line") == line_id and not ts.get("timesheet_invoice_id")
    ]


def _invoiced_on_order(env: Env, line: dict[str, Any]) -> bool:
    """Whether the line's product bills the ordered quantity (`invoice_policy` order)."""
    product = env.db.table("product.product").get(line.get("product_id") or 0) or {}
    return product.get("invoice_policy") == "order"


def _invoice_order(env: Env, order: dict[str, Any]) -> int | None:
    lines = []
    invoiced: list[int] = []
    for line in env.db.table("sale.order.line").values():
        if line.get("order_id") != order["id"]:
            continue
        if _invoiced_on_order(env, line):
            # Fixed price: the ordered quantity is billed, whatever time was spent.
            sheets = []
            hours = float(line.get("product_uom_qty") or 0.0) - float(
                line.get("qty_invoiced") or 0.0
            )
        else:
            sheets = _uninvoiced_timesheets(env, line["id"])
            hours = sum(float(ts.get("unit_amount") or 0.0) for ts in sheets)
        if hours <= 0:
            continue
        invoiced += [ts["id"] for ts in sheets]
        env.db.update(
            "sale.order.line",
            line["id"],
            {"qty_invoiced": float(line.get("qty_invoiced") or 0.0) + hours},
        )
        lines.append(
            [
                0,
                0,
                {
                    "product_id": line.get("product_id") or False,
                    "name": line.get("name") or "/",
                    "quantity": hours,
                    "price_unit": float(line.get("price_unit") or 0.0),
                    "sale_line_ids": [[6, 0, [line["id"]]]],
                },
            ]
        )
    if not lines:
        raise UserError(
            "There is no invoiceable line. If a product has a control policy based on "
            "received quantity, please make sure that a quantity has been received."
        )
    move_id = Model(env, "account.move").create(
        {
            "move_type": "out_invoice",
            "partner_id": order.get("partner_id") or False,
            "invoice_origin": order.get("name") or False,
            "ref": order.get("client_order_ref") or False,
            "invoice_line_ids": lines,
        }
    )[0]
    for ts_id in invoiced:
        env.db.update("account.analytic.line", ts_id, {"timesheet_invoice_id": move_id})
    current = list(order.get("invoice_ids") or [])
    env.db.update("sale.order", order["id"], {"invoice_ids": [*current, move_id]})
    return move_id


def _create_invoices(env: Env, ids: list[int]) -> dict[str, Any]:
    wizards = Model(env, "sale.advance.payment.inv")
    move_id: int | None = None
    order: dict[str, Any] = {}
    for wizard_id in wizards.ensure_exist(ids):
        for order_id in wizards.table[wizard_id].get("sale_order_ids") or []:
            order = env.db.table("sale.order")[order_id]
            move_id = _invoice_order(env, order)
    partner = order.get("partner_id") or False
    return {
        "id": 268,
        "name": "Invoices",
        "type": "ir.actions.act_window",
        "xml_id": "account.action_move_out_invoice_type",
        "path": "invoicing",
        "binding_model_id": False,
        "binding_type": "action",
        "binding_view_types": "list,form",
        "display_name": "Invoices",
        "domain": "[('move_type', 'in', ['out_invoice', 'out_refund'])]",
        "context": {
            "default_move_type": "out_invoice",
            "default_partner_id": partner,
            "default_partner_shipping_id": partner,
            "default_invoice_payment_term_id": None,
            "default_invoice_origin": order.get("name") or False,
        },
        "res_id": move_id,
        "res_model": "account.move",
        "target": "current",
        "view_mode": "list,kanban,form,activity",
        "mobile_view_mode": "kanban",
        "views": [[749, "form"], [742, "list"], [False, "kanban"], [False, "activity"]],
        "limit": 80,
        "groups_id": [],
        "search_view_id": [752, "account.invoice.select"],
        "embedded_action_ids": [],
        "filter": False,
        "help": _HELP,
        "view_id": [742, "account.out.invoice.list"],
    }


register(
    "sale.advance.payment.inv",
    Behaviour(defaults=_wizard_defaults, methods={"create_invoices": _create_invoices}),
)


def _register_defaults(env: Env, vals: dict[str, Any]) -> dict[str, Any]:
    if env.context.get("active_model") not in ("account.move", "account.move.line"):
        raise UserError(
            "The register payment wizard should only be called on account.move or "
            "account.move.line records."
        )
    invoices = env.db.table("account.move")
    total = sum(
        _total(env, invoices[i])
        for i in env.context.get("active_ids") or []
        if i in invoices
    )
    first = invoices.get((env.context.get("active_ids") or [0])[0]) or {}
    return {
        "journal_id": BANK_JOURNAL_ID,
        "amount": total,
        "payment_date": env.db.now.date(),
        "communication": first.get("name") or False,
    }


def _create_payments(env: Env, ids: list[int]) -> dict[str, Any]:
    wizards = Model(env, "account.payment.register")
    invoice_ids = [
        i
        for i in env.context.get("active_ids") or []
        if i in env.db.table("account.move")
    ]
    payment_id = 0
    for wizard_id in wizards.ensure_exist(ids):
        wizard = wizards.table[wizard_id]
        first = env.db.table("account.move")[invoice_ids[0]] if invoice_ids else {}
        payment_id = Model(env, "account.payment").create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": first.get("partner_id") or False,
                "amount": wizard.get("amount") or 0.0,
                "memo": wizard.get("communication") or False,
                "invoice_ids": [[6, 0, invoice_ids]],
            }
        )[0]
        env["account.payment"].behaviour.methods["action_post"](env, [payment_id])
        Model(env, "account.payment").touch(
            [payment_id],
            {
                "state": "paid",
                "is_reconciled": True,
                "reconciled_invoice_ids": invoice_ids,
            },
        )
        Model(env, "account.move").touch(invoice_ids, {"payment_state": "paid"})
    return {
        "name": "Payments",
        "type": "ir.actions.act_window",
        "res_model": "account.payment",
        "context": {"create": False},
        "view_mode": "form",
        "res_id": payment_id,
    }


register(
    "account.payment.register",
    Behaviour(
        defaults=_register_defaults,
        methods={"action_create_payments": _create_payments},
    ),
)
