"""Checks shared by approval and execution: existence, status, staleness."""

from __future__ import annotations

from sqlmodel import Session, select

from opsgate.rules.gate.errors import GateRefusal, RefusalReason
from opsgate.rules.gate.versions import record_version
from opsgate.rules.store.statuses import Decision, ProposalStatus
from opsgate.rules.store.tables import Approval, Proposal


def load(session: Session, proposal_id: int) -> Proposal:
    """Return the proposal, refusing an id that does not exist."""
    proposal = session.get(Proposal, proposal_id)
    if proposal is None:
        raise GateRefusal(
            f"Proposal {proposal_id!r} does not exist.",
            reason=RefusalReason.NOT_FOUND,
            proposal_id=proposal_id,
        )
    return proposal


def require_reason(reason: str, *, verb: str, proposal_id: int) -> None:
    """Refuse a decision without a reason."""
    if not reason or not reason.strip():
        raise GateRefusal(
            f"{verb.capitalize()} of proposal {proposal_id} refused: a reason is "
            "required.",
            reason=RefusalReason.BAD_INPUT,
            proposal_id=proposal_id,
        )


def require_pending(proposal: Proposal, *, verb: str) -> None:
    """Refuse a decision on a proposal that is no longer pending."""
    if proposal.status == ProposalStatus.PENDING:
        return
    raise GateRefusal(
        f"{verb.capitalize()} of proposal {proposal.id} refused: it is already "
        f"{proposal.status.value}.",
        reason=RefusalReason.ALREADY_DECIDED,
        proposal_id=proposal.id,
    )


def require_fresh(session: Session, proposal: Proposal, *, verb: str) -> None:
    """Refuse when the record the proposal was computed against has changed."""
    if proposal.record_ref is None:
        return
    current = record_version(session, proposal.record_ref)
    if current == proposal.record_version:
        return
    raise GateRefusal(
        f"{verb.capitalize()} of proposal {proposal.id} refused: it is stale, "
        f"{proposal.record_ref} changed since it was proposed (version "
        f"{proposal.record_version!r}, now {current!r}). Triage it again.",
        reason=RefusalReason.STALE,
        proposal_id=proposal.id,
    )


def approvers(session: Session, proposal_id: int) -> list[str]:
    """Return the names that approved the proposal, in order."""
    rows = session.exec(
        select(Approval).where(
            Approval.proposal_id == proposal_id,
            Approval.decision == Decision.APPROVED,
        )
    ).all()
    return [row.approver for row in sorted(rows, key=lambda row: row.id or 0)]
