"""The customer: a company the firm sells to."""

from typing import Annotated

from pydantic import EmailStr, Field

from opsgate.rules.canonical.base import CanonicalObject


class Customer(CanonicalObject):
    """A client company, with the legal entity of the firm that serves it."""

    kind = "customer"

    name: Annotated[str, Field(min_length=1, max_length=256)]
    """Legal or trading name."""
    email: EmailStr | None = None
    """Billing contact address, if known."""
    phone: str | None = None
    """Main phone number, if known."""
    country_code: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    """ISO 3166-1 alpha-2 country."""
    vat: str | None = None
    """Tax id, as the customer gives it."""
    legal_entity: str | None = None
    """The firm's legal entity that contracts with this customer."""
    account_status: str | None = None
    """Account standing as the ERP reports it (`current`, `overdue`, ...)."""
