"""The payment: money received against an invoice."""

from datetime import date
from decimal import Decimal

from pydantic import Field

from opsgate.rules.canonical.base import CanonicalObject, Currency


class Payment(CanonicalObject):
    """A registered customer payment."""

    kind = "payment"

    amount: Decimal = Field(gt=0, max_digits=18, decimal_places=4)
    """Amount paid."""
    currency: Currency
    """ISO 4217 code."""
    payment_date: date
    """Date the payment was registered."""
    invoice_numbers: tuple[str, ...] = ()
    """Invoices this payment settles, as the ERP reconciled them."""
    customer_key: str | None = None
    """Source key of the paying customer."""
    reference: str | None = None
    """Bank or processor reference."""
