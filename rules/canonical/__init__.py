"""Canonical business objects: the shared definitions every source maps into.

Each object carries a `schema_version`; events name it in their
`schemaversion` extension so consumers can refuse what they do not know.
"""

from opsgate.rules.canonical.base import CanonicalObject, Money
from opsgate.rules.canonical.consultant import Consultant, EmploymentStatus
from opsgate.rules.canonical.contract import BillingType, Contract
from opsgate.rules.canonical.customer import Customer
from opsgate.rules.canonical.invoice import Invoice, InvoiceLine, InvoiceState
from opsgate.rules.canonical.payment import Payment
from opsgate.rules.canonical.project import Project
from opsgate.rules.canonical.timesheet import Timesheet
from opsgate.rules.canonical.tracked_time import TimeApproval, TrackedEntry

CANONICAL_TYPES: dict[str, type[CanonicalObject]] = {
    cls.kind: cls
    for cls in (
        Customer,
        Project,
        Consultant,
        Contract,
        Timesheet,
        Invoice,
        Payment,
        TrackedEntry,
        TimeApproval,
    )
}
"""Canonical object classes by their `kind` (`customer`, `project`, ...)."""

__all__ = [
    "CANONICAL_TYPES",
    "BillingType",
    "CanonicalObject",
    "Consultant",
    "Contract",
    "Customer",
    "EmploymentStatus",
    "Invoice",
    "InvoiceLine",
    "InvoiceState",
    "Money",
    "Payment",
    "Project",
    "TimeApproval",
    "Timesheet",
    "TrackedEntry",
]
