"""Settings of the gate: who holds which role and what each risk needs."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from opsgate.rules.gate.roles import Role
from opsgate.rules.store.statuses import ProposalKind, RiskLevel


def _approve_roles() -> dict[RiskLevel, frozenset[Role]]:
    return {
        RiskLevel.LOW: frozenset({Role.OPERATOR, Role.APPROVER, Role.ADMIN}),
        RiskLevel.MEDIUM: frozenset({Role.APPROVER, Role.ADMIN}),
        RiskLevel.HIGH: frozenset({Role.APPROVER, Role.ADMIN}),
    }


def _risk_by_kind() -> dict[str, RiskLevel]:
    return {
        ProposalKind.RETRY: RiskLevel.LOW,
        ProposalKind.ESCALATE: RiskLevel.LOW,
        ProposalKind.SKIP_WITH_REASON: RiskLevel.MEDIUM,
        ProposalKind.REPLAY_WITH_PATCH: RiskLevel.MEDIUM,
        ProposalKind.ADD_MAPPING: RiskLevel.MEDIUM,
        ProposalKind.CREATE_REFERENCE: RiskLevel.HIGH,
    }


class GateSettings(BaseModel):
    """Who may decide at the gate, and what each risk level needs."""

    model_config = ConfigDict(extra="forbid")

    people: dict[str, Role] = Field(default_factory=dict)
    """People by login name, with their role."""
    service_accounts: dict[str, Role] = Field(
        default_factory=lambda: {"engine": Role.OPERATOR}
    )
    """Machine accounts with their role: they may execute, never approve."""
    approve_roles: dict[RiskLevel, frozenset[Role]] = Field(
        default_factory=_approve_roles
    )
    """Roles whose approval counts, per risk level."""
    execute_roles: frozenset[Role] = frozenset(
        {Role.OPERATOR, Role.APPROVER, Role.ADMIN}
    )
    """Roles that may execute an approved proposal (the agent may too)."""
    reject_roles: frozenset[Role] = frozenset(
        {Role.OPERATOR, Role.APPROVER, Role.ADMIN}
    )
    """Roles that may reject a proposal."""
    high_risk_approvals: int = 2
    """Different people who must approve a high-risk proposal."""
    no_approval_kinds: frozenset[str] = frozenset({ProposalKind.ESCALATE.value})
    """Kinds that write nothing outside and may run without approval.

    Any kind not named here, including one the gate does not know, needs one.
    """
    risk_by_kind: dict[str, RiskLevel] = Field(default_factory=_risk_by_kind)
    """Default risk of each kind; a kind not listed is high risk."""
