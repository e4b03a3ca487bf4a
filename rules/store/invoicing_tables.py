"""Time Odoo has invoiced: which timesheet lines an invoice took.

The time tools say whether an entry is invoiced only as far as they know;
the invoice is made in Odoo. The contract-to-cash pull records here each
Opsgate timesheet line (by external id) that Odoo has put on an invoice, so
unbilled time, the summary and chat stop counting it.
"""

from datetime import datetime

from sqlmodel import Field, SQLModel

from opsgate.rules.store.tables import _ts


class InvoicedTime(SQLModel, table=True):
    """One timesheet line Odoo has invoiced."""

    __tablename__ = "invoiced_time"

    external_id: str = Field(primary_key=True, max_length=256)
    """The line's Opsgate external id (`opsgate.harvest_timesheet_<key>`)."""
    odoo_line_id: int
    """The `account.analytic.line` id."""
    invoice_id: int
    """The `account.move` that invoiced it (`timesheet_invoice_id`)."""
    seen_at: datetime = _ts()
    """When the pull saw it invoiced."""
