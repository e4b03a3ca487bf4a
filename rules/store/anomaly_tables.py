"""The anomaly flags raised as incidents, and which of them a person dismissed.

AnomalyFlagRecord (one per fingerprint: kind + the records it covers)
 ├── Incident (the data_quality incident it opened)
 └── Proposal (the correction proposed through the gate, if any)
"""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Numeric
from sqlmodel import Field, SQLModel

from opsgate.rules.store.tables import utcnow


class AnomalyStatus(StrEnum):
    """Where a raised flag stands."""

    RAISED = "raised"
    """An incident is open (or was) for it."""
    DISMISSED = "dismissed"
    """A person said it is not a problem; it is not raised again for the same records."""


class AnomalyFlagRecord(SQLModel, table=True):
    """One billing anomaly flag that was raised, by its fingerprint."""

    __tablename__ = "anomaly_flag"

    id: int | None = Field(default=None, primary_key=True)
    fingerprint: str = Field(max_length=64, unique=True)
    """Hash of the kind and the sorted record ids: the same flag on the same lines."""
    kind: str = Field(max_length=64, index=True)
    title: str = Field(max_length=1024)
    records: list[str] = Field(sa_column=Column(JSON, nullable=False))
    """Ids of the lines, invoices or payments the flag covers."""
    status: AnomalyStatus = Field(default=AnomalyStatus.RAISED, max_length=16)
    incident_id: int | None = Field(default=None, foreign_key="incident.id", index=True)
    proposal_id: int | None = Field(default=None, foreign_key="proposal.id")
    project: str | None = Field(default=None, max_length=256, index=True)
    amount_at_risk: Decimal | None = Field(
        default=None, sa_column=Column(Numeric(18, 4), nullable=True)
    )
    currency: str | None = Field(default=None, max_length=3)
    raised_at: datetime = Field(
        default_factory=utcnow,
        sa_column=Column(DateTime(timezone=True), nullable=False),
    )
    dismissed_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    dismissed_by: str | None = Field(default=None, max_length=128)
    dismissal_reason: str | None = None
    detail: dict[str, Any] | None = Field(
        default=None, sa_column=Column(JSON, nullable=True)
    )
    """The flag as plain data: reasons, features, correction."""
