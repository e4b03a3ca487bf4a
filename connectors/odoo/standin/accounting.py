"""Invoices (`account.move` and lines) and payments (`account.payment`).

Recorded rules: `action_post` numbers a draft invoice (`INV/<year>/000NN`)
and returns false; a posted invoice may not be deleted (UserError), and once
paid the message is about the reconciled entry; `account.payment.action_post`
posts the payment (state `in_process`) and returns None;
`account.move.js_assign_outstanding_line` reconciles it with the invoice
(both become paid) and returns None. Known limitation: taxes are a flat 15 %
on lines with a product, none on lines without (as the recorded invoices
show); no journals, lock dates or multi-currency.
"""

from __future__ import annotations

from typing import Any

from opsgate.connectors.odoo.standin.behaviour import Behaviour, register
from opsgate.connectors.odoo.standin.faults import UserError
from opsgate.connectors.odoo.standin.orm import Env, Model

TAX_RATE = 0.15
RECEIVABLE_ACCOUNT_ID = 7
OUTSTANDING_ACCOUNT_ID = 49
BANK_JOURNAL_ID = 6


def _move_lines(env: Env, row: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        line
        for line in env.db.table("account.move.line").values()
        if line.get("move_id") == row["id"]
        and line.get("display_type", "product") == "product"
    ]


def _line_subtotal(env: Env, line: dict[str, Any]) -> float:
    return float(line.get("quantity") or 0.0) * float(line.get("price_unit") or 0.0)


def _line_total(env: Env, line: dict[str, Any]) -> float:
    rate = TAX_RATE if line.get("product_id") else 0.0
    return round(_line_subtotal(env, line) * (1 + rate), 2)


def _untaxed(env: Env, row: dict[str, Any]) -> float:
    return round(sum(_line_subtotal(env, line) for line in _move_lines(env, row)), 2)


def _total(env: Env, row: dict[str, Any]) -> float:
    return round(sum(_line_total(env, line) for line in _move_lines(env, row)), 2)


def _residual(env: Env, row: dict[str, Any]) -> float:
    if row.get("state") != "posted" or row.get("payment_state") == "paid":
        return 0.0 if row.get("payment_state") == "paid" else _total(env, row)
    return _total(env, row)


def _move_display(env: Env, row: dict[str, Any]) -> str:
    name = row.get("name") if row.get("name") not in (None, False, "/") else None
    text = name or f"Draft Invoice (* {row['id']})"
    return f"{text} ({row['ref']})" if row.get("ref") else text


def _action_post(env: Env, ids: list[int]) -> bool:
    moves = Model(env, "account.move")
    for record_id in moves.ensure_exist(ids):
        row = moves.table[record_id]
        if row.get("state") != "draft":
            raise UserError(
                f"The entry {_move_display(env, row)} (id {record_id}) must be in draft."
            )
        number = env.db.next_id(f"account.move.{row.get('move_type')}")
        prefix = "INV" if row.get("move_type") == "out_invoice" else "MISC"
        year = env.db.now.year
        moves.touch(
            [record_id],
            {
                "state": "posted",
                "name": f"{prefix}/{year}/{number:05d}",
                "payment_state": "not_paid",
                "invoice_date": row.get("invoice_date") or env.db.now.date(),
                "invoice_date_due": row.get("invoice_date_due") or env.db.now.date(),
            },
        )
    return False


def _move_before_unlink(env: Env, ids: list[int]) -> None:
    table = env.db.table("account.move")
    for record_id in ids:
        row = table[record_id]
        if row.get("payment_state") == "paid":
            raise UserError(
                "You cannot do this modification on a reconciled journal entry. You can "
                "just change some non legal fields or you must unreconcile first.\n"
                f"Journal Entry (id): {row.get('name')} ({record_id})"
            )
        if row.get("state") == "posted":
            raise UserError(
                "You can't delete a posted journal item. Don\u2019t play games with your "
                "accounting records; reset the journal entry to draft before deleting it."
            )


def _assign_outstanding_line(env: Env, ids: list[int], line_id: int) -> None:
    moves = Model(env, "account.move")
    ids = moves.ensure_exist(ids)
    line = Model(env, "account.move.line")
    line.ensure_exist([line_id])
    payment_move = line.table[line_id].get("move_id")
    moves.touch(ids, {"payment_state": "paid"})
    line.touch([line_id], {"reconciled": True, "amount_residual": 0.0})
    payments = Model(env, "account.payment")
    for payment_id, payment in payments.table.items():
        if payment.get("move_id") == payment_move:
            payments.touch(
                [payment_id],
                {"state": "paid", "is_reconciled": True, "reconciled_invoice_ids": ids},
            )


register(
    "account.move",
    Behaviour(
        order="date desc, name desc, id desc",
        defaults=lambda env, vals: {
            "move_type": "entry",
            "state": "draft",
            "name": "/",
            "date": env.db.now.date(),
            "journal_id": 1,
            "currency_id": 1,
            "company_id": 1,
            "payment_state": "not_paid",
            "auto_post": "no",
        },
        before_unlink=_move_before_unlink,
        display_name=_move_display,
        computed={
            "amount_untaxed": _untaxed,
            "amount_tax": lambda env, row: round(
                _total(env, row) - _untaxed(env, row), 2
            ),
            "amount_total": _total,
            "amount_residual": _residual,
            "matched_payment_ids": lambda env, row: sorted(
                pid
                for pid, p in env.db.table("account.payment").items()
                if row["id"] in (p.get("invoice_ids") or [])
            ),
        },
        methods={
            "action_post": _action_post,
            "js_assign_outstanding_line": _assign_outstanding_line,
        },
    ),
)
register(
    "account.move.line",
    Behaviour(
        required=("move_id",),
        defaults=lambda env, vals: {
            "display_type": "product",
            "quantity": 1.0,
            "currency_id": 1,
            "account_id": 27 if vals.get("product_id") else False,
        },
        computed={
            "price_subtotal": _line_subtotal,
            "price_total": _line_total,
            "account_type": lambda env, row: (
                "asset_receivable"
                if row.get("account_id") == RECEIVABLE_ACCOUNT_ID
                else False
            ),
        },
    ),
)


def _payment_post(env: Env, ids: list[int]) -> None:
    payments = Model(env, "account.payment")
    for payment_id in payments.ensure_exist(ids):
        row = payments.table[payment_id]
        number = env.db.next_id("account.payment.name")
        name = f"PBNK1/{env.db.now.year}/{number:05d}"
        move_id = Model(env, "account.move").create(
            {
                "move_type": "entry",
                "ref": row.get("memo") or False,
                "journal_id": BANK_JOURNAL_ID,
            }
        )[0]
        env.db.update("account.move", move_id, {"name": name, "state": "posted"})
        amount = float(row.get("amount") or 0.0)
        Model(env, "account.move.line").create(
            {
                "move_id": move_id,
                "name": f"Manual Payment: {row.get('memo') or name}",
                "account_id": RECEIVABLE_ACCOUNT_ID,
                "debit": 0.0,
                "credit": amount,
                "amount_residual": -amount,
                "display_type": "payment_term",
            }
        )
        payments.touch(
            [payment_id],
            {
                "state": "in_process",
                "name": name,
                "move_id": move_id,
                "outstanding_account_id": OUTSTANDING_ACCOUNT_ID,
            },
        )


register(
    "account.payment",
    Behaviour(
        required=("payment_type",),
        defaults=lambda env, vals: {
            "state": "draft",
            "date": env.db.now.date(),
            "currency_id": 1,
            "journal_id": BANK_JOURNAL_ID,
            "payment_method_line_id": 1,
            "partner_type": "customer",
            "is_reconciled": False,
            "is_matched": False,
        },
        methods={"action_post": _payment_post},
    ),
)
