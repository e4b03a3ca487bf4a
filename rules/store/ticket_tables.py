"""Support-desk tickets as the last event about each left them.

    SupportTicket (one per source and ticket key: `jira` `TES-41`)
     └──< SupportTicketReference (a customer or project value the ticket names)

A ticket is never written anywhere; it only informs the impact of incidents
(see `opsgate.rules.support`). References are kept lower-case, so an
incident's customer or project is matched ignoring case through the index.
"""

from datetime import datetime

from sqlalchemy import Column, DateTime, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from opsgate.rules.store.tables import _ts


class SupportTicket(SQLModel, table=True):
    """One Jira issue or Zendesk ticket, as the newest event about it says."""

    __tablename__ = "support_ticket"
    __table_args__ = (
        UniqueConstraint("source", "ticket_key", name="uq_support_ticket_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=64)
    """The support desk (`jira`, `zendesk`)."""
    ticket_key: str = Field(max_length=128)
    """The desk's id for the ticket: a Jira issue key (`TES-41`), a Zendesk id."""
    title: str | None = Field(default=None, max_length=512)
    """The issue summary or ticket subject."""
    status: str | None = Field(default=None, max_length=64)
    """The desk's own status name (`In Progress`, `pending`, `deleted`)."""
    is_open: bool = Field(default=True, index=True)
    """False once resolved, solved, closed or deleted: it no longer counts."""
    priority: str | None = Field(default=None, max_length=64)
    """The desk's priority name (`High`, `urgent`), lower-case."""
    last_event_id: str = Field(foreign_key="event.id", max_length=64)
    """The event whose state the row holds."""
    changed_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    """When that event happened at the desk; an older event does not overwrite."""
    updated_at: datetime = _ts()


class SupportTicketReference(SQLModel, table=True):
    """A value in a ticket that may name a customer or a project."""

    __tablename__ = "support_ticket_reference"
    __table_args__ = (
        Index("ix_support_ticket_reference_value", "kind", "value"),
        UniqueConstraint(
            "ticket_id", "kind", "value", name="uq_support_ticket_reference"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="support_ticket.id")
    kind: str = Field(max_length=16)
    """`customer` or `project`."""
    value: str = Field(max_length=256)
    """The value, lower-case (`acme corporation`, `p-08`)."""
