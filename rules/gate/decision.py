"""Apply a person's decision sent to resume a waiting triage."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel
from sqlmodel import Session

from opsgate.rules.gate.approval import approve, reject
from opsgate.rules.gate.errors import GateRefusal, RefusalReason
from opsgate.rules.gate.result import GateResult
from opsgate.rules.gate.settings import GateSettings


class ResumeDecision(BaseModel):
    """What a person sends to resume a triage that waits for approval."""

    proposal_id: int
    """The proposal the decision is meant for."""
    decision: Literal["approved", "rejected"]
    approver: str
    reason: str


def apply_decision(
    session: Session,
    expected_proposal_id: int,
    decision: ResumeDecision,
    *,
    settings: GateSettings | None = None,
) -> GateResult:
    """Approve or reject, refusing a decision meant for another proposal."""
    if decision.proposal_id != expected_proposal_id:
        raise GateRefusal(
            f"Decision for proposal {decision.proposal_id} refused: this triage "
            f"waits for a decision on proposal {expected_proposal_id}.",
            reason=RefusalReason.WRONG_PROPOSAL,
            proposal_id=expected_proposal_id,
        )
    decide = approve if decision.decision == "approved" else reject
    return decide(
        session,
        expected_proposal_id,
        approver=decision.approver,
        reason=decision.reason,
        settings=settings,
    )
