"""Invoices and payments as the facts billing checks compare against time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from opsgate.rules.canonical import Invoice, InvoiceState, Payment


@dataclass(frozen=True)
class InvoiceLineFact:
    """One invoice line: what was billed for which project."""

    project_key: str | None
    quantity: float
    """Hours for time-based lines, 1 for a lump sum or milestone."""
    unit_price: float
    description: str

    @property
    def amount(self) -> float:
        """Quantity times unit price."""
        return self.quantity * self.unit_price


@dataclass(frozen=True)
class InvoiceFact:
    """One customer invoice."""

    key: str
    """Record id (`<source>:<source_key>`)."""
    event_id: str | None
    number: str
    customer: str | None
    state: InvoiceState
    invoice_date: date | None
    amount_total: float
    currency: str
    lines: tuple[InvoiceLineFact, ...]


@dataclass(frozen=True)
class PaymentFact:
    """One registered payment."""

    key: str
    event_id: str | None
    amount: float
    currency: str
    payment_date: date
    invoice_numbers: tuple[str, ...]
    customer: str | None
    reference: str | None


def invoice_fact(invoice: Invoice, event_id: str | None) -> InvoiceFact:
    """Return the facts of `invoice`."""
    return InvoiceFact(
        key=f"{invoice.source}:{invoice.source_key}",
        event_id=event_id,
        number=invoice.number,
        customer=invoice.customer_name or invoice.customer_key,
        state=invoice.state,
        invoice_date=invoice.invoice_date,
        amount_total=float(invoice.amount_total),
        currency=invoice.currency,
        lines=tuple(
            InvoiceLineFact(
                project_key=line.project_key,
                quantity=float(line.quantity),
                unit_price=float(line.unit_price),
                description=line.description,
            )
            for line in invoice.lines
        ),
    )


def payment_fact(payment: Payment, event_id: str | None) -> PaymentFact:
    """Return the facts of `payment`."""
    return PaymentFact(
        key=f"{payment.source}:{payment.source_key}",
        event_id=event_id,
        amount=float(payment.amount),
        currency=payment.currency,
        payment_date=payment.payment_date,
        invoice_numbers=payment.invoice_numbers,
        customer=payment.customer_key,
        reference=payment.reference,
    )
