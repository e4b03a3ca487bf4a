"""Contract-to-cash: posted invoices and registered payments → CRM account status.

Odoo owns invoicing and payment; the CRM shows account managers where each
customer stands. Invoices and payments are pulled from Odoo by `write_date`
cursor and become events; each customer's standing is derived from all of
its open invoices and written to the CRM company. An invoice past its due date
and not paid opens an account-control incident.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from opsgate.connectors.odoo.many2one import many2one_label
from opsgate.rules.canonical import Invoice, InvoiceState, Payment

WORKFLOW = "contract-to-cash"
VERSION = "1"

INVOICE_FIELDS = (
    "name", "move_type", "state", "payment_state", "partner_id", "invoice_origin",
    "invoice_date", "invoice_date_due", "amount_total", "amount_residual",
    "currency_id", "write_date",
)  # fmt: skip
PAYMENT_FIELDS = (
    "name", "state", "amount", "payment_type", "partner_type", "partner_id", "date",
    "memo", "invoice_ids", "currency_id", "write_date",
)  # fmt: skip
INVOICE_DOMAIN = [("move_type", "=", "out_invoice"), ("state", "=", "posted")]
PAYMENT_DOMAIN = [("payment_type", "=", "inbound"), ("partner_type", "=", "customer")]


class AccountStatus(StrEnum):
    """A customer's standing, as the CRM shows it."""

    CURRENT = "current"
    """Invoices are open but none is past due."""
    OVERDUE = "overdue"
    """At least one invoice is past due and unpaid."""
    SETTLED = "settled"
    """Nothing is owed."""


@dataclass(frozen=True)
class Standing:
    """A customer's account status and what is owed."""

    status: AccountStatus
    open_amount: Decimal
    overdue_amount: Decimal
    overdue_invoices: tuple[str, ...]


def invoice_from_odoo(
    record: Mapping[str, Any], *, customer_key: str | None
) -> Invoice:
    """Map an `account.move` record read from Odoo to the canonical invoice."""
    payment_state = record.get("payment_state") or "not_paid"
    state = InvoiceState.POSTED
    if record.get("state") == "cancel":
        state = InvoiceState.CANCELLED
    elif payment_state in ("paid", "in_payment", "reversed"):
        state = InvoiceState.PAID
    elif payment_state == "partial":
        state = InvoiceState.PARTIAL
    return Invoice(
        source="odoo",
        source_key=str(record["id"]),
        number=str(record.get("name") or record["id"]),
        customer_key=customer_key,
        customer_name=many2one_label(record.get("partner_id")),
        state=state,
        invoice_date=_date(record.get("invoice_date")),
        due_date=_date(record.get("invoice_date_due")),
        amount_total=Decimal(str(record.get("amount_total") or 0)),
        amount_residual=Decimal(str(record.get("amount_residual") or 0)),
        currency=many2one_label(record.get("currency_id")) or "USD",
    )


def payment_from_odoo(
    record: Mapping[str, Any],
    *,
    customer_key: str | None,
    invoice_numbers: Iterable[str],
) -> Payment:
    """Map an `account.payment` record read from Odoo to the canonical payment."""
    return Payment(
        source="odoo",
        source_key=str(record["id"]),
        amount=Decimal(str(record["amount"])),
        currency=many2one_label(record.get("currency_id")) or "USD",
        payment_date=_date(record.get("date")) or date.today(),
        invoice_numbers=tuple(invoice_numbers),
        customer_key=customer_key,
        reference=record.get("memo") or record.get("name"),
    )


def standing(
    invoices: Iterable[Invoice], *, today: date, grace_days: int = 0
) -> Standing:
    """Derive a customer's account status from its invoices."""
    open_amount = Decimal(0)
    overdue_amount = Decimal(0)
    overdue: list[str] = []
    for invoice in invoices:
        if invoice.state in (InvoiceState.PAID, InvoiceState.CANCELLED):
            continue
        open_amount += invoice.amount_residual
        if is_overdue(invoice, today=today, grace_days=grace_days):
            overdue_amount += invoice.amount_residual
            overdue.append(invoice.number)
    if overdue:
        status = AccountStatus.OVERDUE
    elif open_amount > 0:
        status = AccountStatus.CURRENT
    else:
        status = AccountStatus.SETTLED
    return Standing(status, open_amount, overdue_amount, tuple(overdue))


def is_overdue(invoice: Invoice, *, today: date, grace_days: int = 0) -> bool:
    """True when an unpaid invoice is past its due date plus the grace days."""
    if invoice.state in (InvoiceState.PAID, InvoiceState.CANCELLED):
        return False
    if invoice.due_date is None or invoice.amount_residual <= 0:
        return False
    return today > invoice.due_date + timedelta(days=grace_days)


def _date(value: Any) -> date | None:
    if not value:
        return None
    return date.fromisoformat(str(value)[:10])
