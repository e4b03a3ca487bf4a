"""The tables of the store.

    Event ──< Delivery ──< Attempt
                 └── DeadLetter
    Incident ──< Proposal ──< Approval
    AuditEntry (hash-chained, append-only)
    QuarantinedInput, Cursor

Timestamps are timezone-aware UTC. JSON columns hold plain data only.
"""

from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Index,
    LargeBinary,
    Numeric,
    UniqueConstraint,
)
from sqlalchemy import (
    Enum as SAEnum,
)
from sqlmodel import Field, SQLModel

from opsgate.connectors.errors import ErrorCategory
from opsgate.rules.store.statuses import (
    AttemptOutcome,
    Decision,
    DeliveryStatus,
    EventStatus,
    IncidentStatus,
    ProposalKind,
    ProposalStatus,
    RiskLevel,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Constraint names are fixed, so migrations name the same thing on every database."""

SQLModel.metadata.naming_convention = NAMING_CONVENTION


def utcnow() -> datetime:
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def _ts(*, nullable: bool = False, index: bool = False) -> Any:
    column = Column(DateTime(timezone=True), nullable=nullable, index=index)
    if nullable:
        return Field(default=None, sa_column=column)
    return Field(default_factory=utcnow, sa_column=column)


def _json(*, nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(JSON, nullable=nullable))


def _enum(
    enum_type: type[StrEnum],
    length: int,
    *,
    default: StrEnum | None = None,
    nullable: bool = False,
    index: bool = False,
) -> Any:
    """A column holding a StrEnum's lower-case value as a plain VARCHAR.

    Values, not member names, are stored, and no native database enum type is
    created, so raw SQL reads naturally and a new member needs no migration of
    a type.
    """
    column_type = SAEnum(
        enum_type,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )
    column: Column[Any] = Column(column_type, nullable=nullable, index=index)
    if default is None and not nullable:
        return Field(sa_column=column)
    return Field(default=default, sa_column=column)


def _money() -> Any:
    return Field(default=None, sa_column=Column(Numeric(18, 4), nullable=True))


class Event(SQLModel, table=True):
    """Something that happened in a source system, in a CloudEvents envelope."""

    __tablename__ = "event"
    __table_args__ = (
        UniqueConstraint("source", "source_event_id", name="uq_event_source_event_id"),
        Index("ix_event_correlation_id", "correlation_id"),
        Index("ix_event_status_accepted_at", "status", "accepted_at"),
        Index("ix_event_unpublished", "published_at", "accepted_at"),
    )

    id: str = Field(primary_key=True, max_length=64)
    """The CloudEvents `id` (a UUID Opsgate assigns)."""
    source: str = Field(max_length=64)
    """The sending system (`hubspot`, `harvest`, `odoo`, ...)."""
    source_event_id: str = Field(max_length=256)
    """The sender's own id for the event; with `source`, the deduplication key."""
    type: str = Field(max_length=128)
    """CloudEvents `type` (`opsgate.contract.won`, ...)."""
    subject: str | None = Field(default=None, max_length=256)
    """CloudEvents `subject`: the business key the event is about."""
    time: datetime | None = _ts(nullable=True)
    """When it happened at the source."""
    accepted_at: datetime = _ts()
    """When Opsgate committed the raw body."""
    correlation_id: str | None = Field(default=None, max_length=128)
    """Ties together every event of one business flow (one deal, one month)."""
    causation_id: str | None = Field(default=None, max_length=128)
    """The event that caused this one, if any."""
    schema_version: str | None = Field(default=None, max_length=16)
    """Schema version of the canonical object in `data`."""
    workflow: str | None = Field(default=None, max_length=64)
    """The workflow (rule set) that routed it."""
    status: EventStatus = _enum(EventStatus, 16, default=EventStatus.ACCEPTED)
    content_type: str | None = Field(default=None, max_length=128)
    """Content type of the raw body as received."""
    raw_body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    """The body exactly as received."""
    raw_headers: dict[str, Any] | None = _json()
    """Received headers, with credentials and signatures removed."""
    data: dict[str, Any] | None = _json()
    """The canonical object, once mapped."""
    published_at: datetime | None = _ts(nullable=True)
    """When the relay published it to the event backbone; empty until then."""


class Delivery(SQLModel, table=True):
    """One event owed to one target: a row in the outbox."""

    __tablename__ = "delivery"
    __table_args__ = (Index("ix_delivery_claim", "next_attempt_at", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(foreign_key="event.id", index=True, max_length=64)
    target: str = Field(max_length=64, index=True)
    """The target system and endpoint (`odoo`, `hubspot`, `null`, ...)."""
    operation: str = Field(max_length=128)
    """What to do there (`upsert:res.partner`, `post:account_status`, ...)."""
    idempotency_key: str = Field(max_length=256, unique=True)
    """Sent with every attempt so the target applies the write once."""
    payload: dict[str, Any] | None = _json()
    """The command for the target, computed at routing time."""
    status: DeliveryStatus = _enum(DeliveryStatus, 16, default=DeliveryStatus.PENDING)
    attempt_count: int = 0
    next_attempt_at: datetime | None = Field(
        default_factory=utcnow,
        sa_column=Column(DateTime(timezone=True), nullable=True),
    )
    """Claimable from this instant on; empty once delivered or dead.

    While in flight it equals `lease_expires_at`, so a delivery whose worker
    died becomes claimable again through the same index range scan.
    """
    lease_expires_at: datetime | None = _ts(nullable=True)
    """While in flight: when the claim lapses if the worker died."""
    claimed_by: str | None = Field(default=None, max_length=128)
    created_at: datetime = _ts()
    delivered_at: datetime | None = _ts(nullable=True)
    last_error_category: ErrorCategory | None = _enum(ErrorCategory, 32, nullable=True)


class Attempt(SQLModel, table=True):
    """One try at a delivery."""

    __tablename__ = "attempt"

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="delivery.id", index=True)
    number: int
    """1 for the first attempt."""
    worker: str | None = Field(default=None, max_length=128)
    started_at: datetime = _ts()
    finished_at: datetime | None = _ts(nullable=True)
    outcome: AttemptOutcome = _enum(AttemptOutcome, 16)
    error_category: ErrorCategory | None = _enum(ErrorCategory, 32, nullable=True)
    error_message: str | None = None
    retryable: bool | None = None
    fault: dict[str, Any] | None = _json()
    """The connector's fault, secrets removed."""


class DeadLetter(SQLModel, table=True):
    """A delivery that will not be retried until a person replays it."""

    __tablename__ = "dead_letter"

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="delivery.id", unique=True)
    event_id: str = Field(foreign_key="event.id", index=True, max_length=64)
    target: str = Field(max_length=64)
    category: ErrorCategory = _enum(ErrorCategory, 32, index=True)
    reason: str
    """The last error's message."""
    created_at: datetime = _ts()
    replayed_at: datetime | None = _ts(nullable=True)
    replay_count: int = 0


class Incident(SQLModel, table=True):
    """A failure a person must know about, with what it costs the business."""

    __tablename__ = "incident"
    __table_args__ = (
        Index("ix_incident_status_impact", "status", "impact_score"),
        Index("ix_incident_fingerprint", "fingerprint"),
    )

    id: int | None = Field(default=None, primary_key=True)
    category: ErrorCategory = _enum(ErrorCategory, 32, index=True)
    status: IncidentStatus = _enum(IncidentStatus, 16, default=IncidentStatus.OPEN)
    title: str = Field(max_length=512)
    """One sentence: what is wrong, where."""
    detail: str | None = None
    """The full error message and context."""
    fingerprint: str | None = Field(default=None, max_length=128)
    """The failure signature: incidents with the same one share a cause."""
    workflow: str | None = Field(default=None, max_length=64)
    control: str | None = Field(default=None, max_length=128)
    """The workflow control that failed, when an event is held."""
    source: str | None = Field(default=None, max_length=64)
    target: str | None = Field(default=None, max_length=64)
    event_id: str | None = Field(default=None, foreign_key="event.id", max_length=64)
    delivery_id: int | None = Field(default=None, foreign_key="delivery.id")
    dead_letter_id: int | None = Field(default=None, foreign_key="dead_letter.id")
    opened_at: datetime = _ts()
    acknowledged_at: datetime | None = _ts(nullable=True)
    resolved_at: datetime | None = _ts(nullable=True)
    resolution: str | None = None
    blocks: str | None = Field(default=None, max_length=64)
    """What it blocks: `project_creation`, `timesheet`, `invoice`, `payment_status`."""
    customer: str | None = Field(default=None, max_length=256)
    project: str | None = Field(default=None, max_length=256)
    hours_at_risk: Decimal | None = _money()
    amount_at_risk: Decimal | None = _money()
    """Money blocked or at risk, in `currency`."""
    currency: str | None = Field(default=None, max_length=3)
    due_date: date | None = None
    impact_score: float = 0.0
    """Ranking key: higher is worse (derived from money, deadline, what it blocks)."""
    context: dict[str, Any] | None = _json()
    """Structured facts behind the incident (fault, ids, counts)."""


class Proposal(SQLModel, table=True):
    """A typed correction the agent suggests; it runs only through the gate."""

    __tablename__ = "proposal"

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int | None = Field(default=None, foreign_key="incident.id", index=True)
    kind: ProposalKind = _enum(ProposalKind, 32)
    status: ProposalStatus = _enum(ProposalStatus, 16, default=ProposalStatus.PENDING)
    risk: RiskLevel = _enum(RiskLevel, 8, default=RiskLevel.LOW)
    summary: str = Field(max_length=512)
    """One sentence a person reads before deciding."""
    rationale: str | None = None
    preview: dict[str, Any] | None = _json()
    """Exactly what would be written where."""
    params: dict[str, Any] | None = _json()
    """What `execute` needs (delivery ids, patch, mapping)."""
    record_ref: str | None = Field(default=None, max_length=256)
    """The record the proposal was computed against (`delivery:42`)."""
    record_version: str | None = Field(default=None, max_length=128)
    """Its version then; execution refuses if it changed."""
    proposed_by: str = Field(default="agent", max_length=128)
    created_at: datetime = _ts()
    executed_at: datetime | None = _ts(nullable=True)
    outcome: dict[str, Any] | None = _json()


class Approval(SQLModel, table=True):
    """A person's decision on a proposal."""

    __tablename__ = "approval"
    __table_args__ = (
        UniqueConstraint(
            "proposal_id", "approver", name="uq_approval_proposal_approver"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    approver: str = Field(max_length=128)
    role: str = Field(max_length=32)
    decision: Decision = _enum(Decision, 16)
    reason: str
    decided_at: datetime = _ts()


class AuditEntry(SQLModel, table=True):
    """An append-only record; each holds the hash of the one before it."""

    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    recorded_at: datetime = _ts()
    actor: str = Field(max_length=128)
    """Who did it: `engine`, `agent`, a person's name, a service account."""
    action: str = Field(max_length=64, index=True)
    """Stable `noun.past_tense` key (`event.accepted`, `proposal.approved`)."""
    subject: str | None = Field(default=None, max_length=256)
    """What it is about (`event:<id>`, `delivery:42`, `proposal:7`)."""
    detail: dict[str, Any] | None = _json()
    prev_hash: str = Field(max_length=64, unique=True)
    """The `hash` of the entry before; unique, so the chain can never fork."""
    hash: str = Field(max_length=64, unique=True)


class QuarantinedInput(SQLModel, table=True):
    """An input that could not become an event, kept for inspection."""

    __tablename__ = "quarantined_input"

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=64, index=True)
    channel: str = Field(max_length=32)
    """How it arrived: `webhook`, `import`, `pull`."""
    received_at: datetime = _ts()
    reason: str
    """What is wrong, and where."""
    location: str | None = Field(default=None, max_length=256)
    """Where in the input (`line 14`, `data.properties.amount`)."""
    raw_body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    raw_headers: dict[str, Any] | None = _json()
    incident_id: int | None = Field(default=None, foreign_key="incident.id")


class Cursor(SQLModel, table=True):
    """Where an incremental pull left off."""

    __tablename__ = "cursor"

    name: str = Field(primary_key=True, max_length=128)
    """The pull's name (`odoo:account.move`)."""
    value: dict[str, Any] | None = _json()
    updated_at: datetime = _ts()
