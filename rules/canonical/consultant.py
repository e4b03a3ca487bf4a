"""The consultant: a person whose time the firm sells."""

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import EmailStr, Field

from opsgate.rules.canonical.base import CanonicalObject


class EmploymentStatus(StrEnum):
    """Where a consultant stands with the firm."""

    ACTIVE = "active"
    ON_LEAVE = "on_leave"
    TERMINATED = "terminated"


class Consultant(CanonicalObject):
    """An employee or contractor as the HR system of record describes them."""

    kind = "consultant"

    name: Annotated[str, Field(min_length=1, max_length=256)]
    """Full name."""
    work_email: EmailStr | None = None
    """Work address; also how timesheet tools identify people."""
    job_title: str | None = None
    """Role or title."""
    department: str | None = None
    """Department or practice."""
    status: EmploymentStatus = EmploymentStatus.ACTIVE
    """Employment status; `terminated` archives the Odoo employee."""
    hire_date: date | None = None
    """First day of employment."""
    termination_date: date | None = None
    """Last day of employment, once terminated."""
    cost_rate: Decimal | None = Field(default=None, max_digits=12, decimal_places=2)
    """Hourly cost to the firm."""
    project_keys: tuple[str, ...] = ()
    """Projects the consultant is assigned to (source keys)."""
