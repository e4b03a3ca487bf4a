"""The invoice: what the customer is asked to pay, as Odoo posted it."""

from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from opsgate.rules.canonical.base import CanonicalObject, Currency


class InvoiceState(StrEnum):
    """The invoice's standing."""

    DRAFT = "draft"
    POSTED = "posted"
    PAID = "paid"
    PARTIAL = "partial"
    CANCELLED = "cancelled"


class InvoiceLine(BaseModel):
    """One line of an invoice."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str
    """Line label."""
    quantity: Decimal
    """Quantity (hours for time-based lines)."""
    unit_price: Decimal
    """Price per unit."""
    project_key: str | None = None
    """Project the line bills, when known."""


class Invoice(CanonicalObject):
    """A customer invoice."""

    kind = "invoice"

    number: str
    """Invoice number (`INV/2026/00012`)."""
    customer_key: str | None = None
    """Source key of the customer billed."""
    customer_name: str | None = None
    """Customer name."""
    state: InvoiceState
    """Draft, posted, paid, ..."""
    invoice_date: date | None = None
    """Date of issue."""
    due_date: date | None = None
    """Payment due date."""
    amount_total: Decimal = Field(max_digits=18, decimal_places=4)
    """Total including tax."""
    amount_residual: Decimal = Field(
        default=Decimal(0), max_digits=18, decimal_places=4
    )
    """Amount still unpaid."""
    currency: Currency
    """ISO 4217 code."""
    lines: tuple[InvoiceLine, ...] = ()
    """Invoice lines, when pulled."""
