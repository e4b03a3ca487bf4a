"""Approve or reject a proposal: people only, with a role that allows it."""

from __future__ import annotations

import structlog
from sqlmodel import Session, select

from opsgate.rules.audit.chain import record
from opsgate.rules.gate import checks
from opsgate.rules.gate.errors import GateRefusal, RefusalReason
from opsgate.rules.gate.policy import (
    approvals_needed,
    require_approver,
    require_role,
    resolve,
)
from opsgate.rules.gate.result import GateResult
from opsgate.rules.gate.settings import GateSettings
from opsgate.rules.store.statuses import Decision, ProposalStatus
from opsgate.rules.store.tables import Approval, Proposal, utcnow

log = structlog.get_logger(__name__)


def approve(
    session: Session,
    proposal_id: int,
    *,
    approver: str,
    reason: str,
    settings: GateSettings | None = None,
) -> GateResult:
    """Record `approver`'s approval; the proposal is approved once enough agree.

    Raises:
        GateRefusal: the approver is not a person or lacks the role, already
            approved it, the proposal is not pending, or it is stale.
    """
    settings = settings or GateSettings()
    proposal = checks.load(session, proposal_id)
    principal = resolve(settings, approver)
    require_approver(settings, principal, proposal)
    checks.require_reason(reason, verb="approval", proposal_id=proposal_id)
    checks.require_pending(proposal, verb="approval")
    earlier = checks.approvers(session, proposal_id)
    if approver in earlier:
        raise GateRefusal(
            f"Approval by {approver!r} refused: {approver!r} already approved "
            f"proposal {proposal_id}; a high-risk proposal needs a second, "
            "different approver.",
            reason=RefusalReason.ALREADY_APPROVED_BY,
            proposal_id=proposal_id,
        )
    checks.require_fresh(session, proposal, verb="approval")

    _decide(session, proposal, approver, principal.role, Decision.APPROVED, reason)
    count, needed = len(earlier) + 1, approvals_needed(settings, proposal)
    if count >= needed:
        proposal.status = ProposalStatus.APPROVED
        session.add(proposal)
    session.flush()
    message = (
        f"Proposal {proposal_id} approved by {', '.join([*earlier, approver])}."
        if count >= needed
        else f"Proposal {proposal_id} has {count} of {needed} approvals; it needs "
        "a second, different approver."
    )
    log.info("proposal.approved", proposal_id=proposal_id, approvals=count)
    return GateResult(proposal_id, proposal.status, message, count, needed)


def reject(
    session: Session,
    proposal_id: int,
    *,
    approver: str,
    reason: str,
    settings: GateSettings | None = None,
) -> GateResult:
    """Reject the proposal for good, with a reason."""
    settings = settings or GateSettings()
    proposal = checks.load(session, proposal_id)
    principal = resolve(settings, approver)
    if not principal.is_person:
        raise GateRefusal(
            f"Rejection by {approver!r} refused: only people decide on proposals.",
            reason=RefusalReason.NOT_A_PERSON,
            proposal_id=proposal_id,
        )
    require_role(
        principal, settings.reject_roles, verb="reject", proposal_id=proposal_id
    )
    checks.require_reason(reason, verb="rejection", proposal_id=proposal_id)
    checks.require_pending(proposal, verb="rejection")

    _decide(session, proposal, approver, principal.role, Decision.REJECTED, reason)
    proposal.status = ProposalStatus.REJECTED
    session.add(proposal)
    session.flush()
    log.info("proposal.rejected", proposal_id=proposal_id)
    return GateResult(
        proposal_id, proposal.status, f"Proposal {proposal_id} rejected by {approver}."
    )


def _decide(
    session: Session,
    proposal: Proposal,
    approver: str,
    role: object,
    decision: Decision,
    reason: str,
) -> None:
    # A person who approved a proposal still waiting for a second approver may
    # change their mind and reject it: their one decision row is replaced.
    earlier = session.exec(
        select(Approval).where(
            Approval.proposal_id == proposal.id, Approval.approver == approver
        )
    ).first()
    row = earlier or Approval(
        proposal_id=int(proposal.id or 0),
        approver=approver,
        role=str(role),
        decision=decision,
        reason=reason,
    )
    row.decision, row.reason, row.decided_at = decision, reason, utcnow()
    session.add(row)
    record(
        session,
        actor=approver,
        action=f"proposal.{decision.value}",
        subject=f"proposal:{proposal.id}",
        detail={"reason": reason, "role": str(role), "kind": proposal.kind.value},
    )
