"""The project: an engagement delivered for a customer."""

from datetime import date
from typing import Annotated

from pydantic import Field

from opsgate.rules.canonical.base import CanonicalObject
from opsgate.rules.canonical.contract import BillingType


class Project(CanonicalObject):
    """A delivery project, billed under one contract."""

    kind = "project"

    name: Annotated[str, Field(min_length=1, max_length=256)]
    """Project name as people know it."""
    code: str | None = None
    """Short project code (`P-12`), if the firm uses them."""
    customer_key: str | None = None
    """Source key of the customer the project is for."""
    contract_key: str | None = None
    """Source key of the contract that funds it."""
    billing_type: BillingType | None = None
    """How the project is billed."""
    start_date: date | None = None
    """First day of delivery."""
    end_date: date | None = None
    """Planned last day of delivery."""
    manager_key: str | None = None
    """Source key of the consultant who manages the project."""
    active: bool = True
    """False once the project is closed."""
