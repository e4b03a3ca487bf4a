"""Status and kind vocabularies of the stored records, as lower-case StrEnums."""

from enum import StrEnum


class EventStatus(StrEnum):
    """Where an accepted event stands on its path."""

    ACCEPTED = "accepted"
    """Raw body stored; not mapped yet."""
    ROUTED = "routed"
    """Mapped, validated and routed; its deliveries exist."""
    HELD = "held"
    """Waiting for a workflow control to pass; an incident names the control."""
    REJECTED = "rejected"
    """Mapping, validation or ownership failed; an incident says why."""
    IGNORED = "ignored"
    """Valid, but no rule routes it anywhere."""


class DeliveryStatus(StrEnum):
    """The state of one event owed to one target."""

    PENDING = "pending"
    IN_FLIGHT = "in_flight"
    RETRYING = "retrying"
    DELIVERED = "delivered"
    DEAD = "dead"


class AttemptOutcome(StrEnum):
    """How one attempt at a delivery ended."""

    SUCCEEDED = "succeeded"
    FAILED = "failed"
    TIMED_OUT = "timed_out"
    UNCERTAIN = "uncertain"
    """The target may have applied the change; read back before retrying."""


class IncidentStatus(StrEnum):
    """The life of an incident."""

    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class ProposalKind(StrEnum):
    """The typed corrections the agent may propose."""

    RETRY = "retry"
    REPLAY_WITH_PATCH = "replay_with_patch"
    ADD_MAPPING = "add_mapping"
    CREATE_REFERENCE = "create_reference"
    SKIP_WITH_REASON = "skip_with_reason"
    ESCALATE = "escalate"


class ProposalStatus(StrEnum):
    """Where a proposal stands at the gate."""

    PENDING = "pending"
    """Waiting for approval (or a second approval)."""
    APPROVED = "approved"
    """Approved; not executed yet."""
    REJECTED = "rejected"
    EXECUTED = "executed"
    FAILED = "failed"
    """Executed, and the outcome check failed."""
    STALE = "stale"
    """The record it was computed against has changed since."""


class RiskLevel(StrEnum):
    """How much harm a wrong execution of a proposal could do."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Decision(StrEnum):
    """A person's decision on a proposal."""

    APPROVED = "approved"
    REJECTED = "rejected"
