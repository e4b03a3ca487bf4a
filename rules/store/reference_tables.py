"""Cross-references: which record in an outside system stands for a business key."""

from datetime import datetime

from sqlalchemy import Column, DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel

from opsgate.rules.store.tables import utcnow


class ExternalReference(SQLModel, table=True):
    """One business key (a project code, a consultant id) mapped to a remote record."""

    __tablename__ = "external_reference"
    __table_args__ = (
        UniqueConstraint("system", "kind", "key", name="uq_external_reference_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    system: str = Field(max_length=32)
    """The outside system (`odoo`, `hubspot`)."""
    kind: str = Field(max_length=64)
    """What the key names there (`project`, `billing_task`, `employee`, `partner`)."""
    key: str = Field(max_length=256)
    """Our business key (`P-01`, `bamboohr:5001`)."""
    remote_id: int
    """The record's id in the outside system."""
    label: str | None = Field(default=None, max_length=256)
    """A readable name, for people."""
    created_by: str = Field(default="engine", max_length=128)
    """`engine`, or the person whose approved proposal added it."""
    updated_at: datetime = Field(
        default_factory=utcnow,
        sa_column=Column(DateTime(timezone=True), nullable=False),
    )
