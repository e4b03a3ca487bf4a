"""What the gate answers when it did not refuse."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from opsgate.rules.store.statuses import ProposalStatus


@dataclass(frozen=True)
class GateResult:
    """The state of a proposal after a gate call."""

    proposal_id: int
    status: ProposalStatus
    message: str
    """One sentence for a person."""
    approvals: int = 0
    """Approvals recorded so far."""
    approvals_needed: int = 1
    """Approvals needed before execution."""
    outcome: dict[str, Any] = field(default_factory=dict)
    """What execution did, once executed."""
