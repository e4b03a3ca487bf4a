"""Settings of the four workflows."""

from datetime import time
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl


class WorkflowSettings(BaseModel):
    """What the workflows need to know about the firm's Odoo set-up."""

    model_config = ConfigDict(extra="forbid")

    legal_entities: dict[str, int] = Field(
        default_factory=lambda: {
            "Opsgate Consulting Inc.": 1,
            "Opsgate Consulting Ltd": 1,
        }
    )
    """The firm's legal entities by name, each mapped to an Odoo company id."""
    service_products: dict[str, str] = Field(
        default_factory=lambda: {
            "time_and_materials": "Senior Architect (Invoice on Timesheets)",
            "fixed_price": "Website Redesign Service (project & task)",
        }
    )
    """The Odoo service product sold for each billing type, by product name."""
    staffing_review_task: str = "Staffing review"
    """Name of the task created on every new project for the delivery lead."""
    billing_cycle_days: int = 30
    """Approved time older than this and still not invoiced counts as overdue."""
    overdue_grace_days: int = 0
    """Days past an invoice's due date before it opens an account-control incident."""
    finance_webhook_url: HttpUrl | None = None
    """Slack-compatible incoming webhook where finance is told of held deals."""
    pull_interval_s: float = Field(default=300.0, gt=0)
    """Seconds between contract-to-cash pulls from Odoo while `opsgate run` runs."""
    reconcile_at_utc: time = time(2, 0)
    """Time of day (UTC) of the nightly reconciliation in `opsgate run`."""
    default_hourly_rate: Decimal = Decimal("150")
    """Rate used to value time when neither the contract nor the entry has one."""
