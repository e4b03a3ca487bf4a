"""The contract: what was sold, on what terms (a won deal with its SOW)."""

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from opsgate.rules.canonical.base import CanonicalObject, Currency


class BillingType(StrEnum):
    """How the work under a contract is billed."""

    TIME_AND_MATERIALS = "time_and_materials"
    FIXED_PRICE = "fixed_price"


class Contract(CanonicalObject):
    """A signed or pending commercial agreement with a customer."""

    kind = "contract"

    name: Annotated[str, Field(min_length=1, max_length=256)]
    """Deal or contract name."""
    customer_key: str | None = None
    """Source key of the customer."""
    customer_name: str | None = None
    """Customer name, as the source states it."""
    stage: str | None = None
    """Pipeline stage in the CRM (`closedwon`, `Closed Won`, ...)."""
    won: bool = False
    """True when the deal is closed-won."""
    amount: Decimal | None = Field(default=None, max_digits=18, decimal_places=4)
    """Contract value in `currency`."""
    currency: Currency | None = None
    """ISO 4217 code of `amount`."""
    billing_type: BillingType | None = None
    """Time and materials or fixed price."""
    start_date: date | None = None
    """Contracted start of delivery."""
    sow_signed: bool | None = None
    """Whether the statement of work is signed."""
    legal_entity: str | None = None
    """The firm's legal entity on the contract."""
    project_code: str | None = None
    """Code of the project the contract funds (`P-12`), when the CRM names one."""
    service_product: str | None = None
    """The service product sold (maps to an Odoo product)."""
    hourly_rate: Decimal | None = Field(default=None, max_digits=18, decimal_places=4)
    """Contracted hourly rate for time-and-materials work."""
    hours: Decimal | None = Field(default=None, max_digits=12, decimal_places=2)
    """Hours sold, when the contract states them."""
    weekend_work_allowed: bool = False
    """Whether time on weekends and holidays may be billed."""
