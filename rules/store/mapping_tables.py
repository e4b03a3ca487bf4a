"""Value mappings a person approved: a source system's value → the target's."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from opsgate.rules.store.tables import _ts


class ValueMapping(SQLModel, table=True):
    """One mapped value, such as a HubSpot country code to an Odoo country id."""

    __tablename__ = "value_mapping"
    __table_args__ = (
        UniqueConstraint("namespace", "source_value", name="uq_value_mapping_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    namespace: str = Field(max_length=128, index=True)
    """What is mapped (`hubspot.country→res.country`, `legal_entity`)."""
    source_value: str = Field(max_length=256)
    target_value: str = Field(max_length=256)
    created_by: str = Field(max_length=128)
    """Who approved it (the proposal's approvers, joined)."""
    proposal_id: int | None = Field(default=None, foreign_key="proposal.id")
    created_at: datetime = _ts()
