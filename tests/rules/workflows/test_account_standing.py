from datetime import date
from decimal import Decimal

from opsgate.rules.canonical import InvoiceState
from opsgate.rules.workflows.contract_to_cash import (
    AccountStatus,
    invoice_from_odoo,
    standing,
)

# The record shape of shared/odoo/corpus/136_invoice_read_posted_jsonrpc.json.
POSTED = {
    "id": 41,
    "name": "INV/2026/00012",
    "move_type": "out_invoice",
    "state": "posted",
    "payment_state": "not_paid",
    "partner_id": [1041, "Northwind Analytics Ltd"],
    "invoice_date": "2026-12-03",
    "invoice_date_due": "2026-12-03",
    "amount_total": 3680.0,
    "amount_residual": 3680.0,
    "currency_id": [1, "USD"],
}


def test_posted_odoo_invoice_maps_to_canonical_invoice():
    invoice = invoice_from_odoo(POSTED, customer_key="1001")

    assert invoice.number == "INV/2026/00012"
    assert invoice.state is InvoiceState.POSTED
    assert invoice.amount_residual == Decimal("3680.0")
    assert invoice.currency == "USD"
    assert invoice.customer_name == "Northwind Analytics Ltd"


def test_unpaid_invoice_past_due_makes_the_account_overdue():
    invoice = invoice_from_odoo(POSTED, customer_key="1001")

    result = standing([invoice], today=date(2026, 12, 10))

    assert result.status is AccountStatus.OVERDUE
    assert result.overdue_invoices == ("INV/2026/00012",)
    assert result.overdue_amount == Decimal("3680.0")


def test_grace_days_keep_a_late_invoice_current():
    invoice = invoice_from_odoo(POSTED, customer_key="1001")

    result = standing([invoice], today=date(2026, 12, 10), grace_days=14)

    assert result.status is AccountStatus.CURRENT


def test_paid_invoice_leaves_the_account_settled():
    paid = POSTED | {"payment_state": "paid", "amount_residual": 0.0}

    result = standing(
        [invoice_from_odoo(paid, customer_key="1001")], today=date(2027, 1, 1)
    )

    assert result.status is AccountStatus.SETTLED
    assert result.open_amount == 0
