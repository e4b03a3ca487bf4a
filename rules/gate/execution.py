"""Execute an approved proposal through its kind's executor, exactly once."""

from __future__ import annotations

import structlog
from sqlmodel import Session

from opsgate.rules.audit.chain import record
from opsgate.rules.gate import checks
from opsgate.rules.gate.errors import GateError, GateRefusal, RefusalReason
from opsgate.rules.gate.kinds import spec_of
from opsgate.rules.gate.policy import (
    approvals_needed,
    needs_approval,
    require_role,
    resolve,
)
from opsgate.rules.gate.result import GateResult
from opsgate.rules.gate.roles import MACHINE_ACTORS
from opsgate.rules.gate.settings import GateSettings
from opsgate.rules.store.statuses import ProposalStatus
from opsgate.rules.store.tables import Proposal, utcnow

log = structlog.get_logger(__name__)


def execute(
    session: Session,
    proposal_id: int,
    *,
    actor: str,
    settings: GateSettings | None = None,
) -> GateResult:
    """Run the proposal's write, if its approvals allow it, and audit it.

    Raises:
        GateRefusal: the actor may not execute, the proposal lacks the
            approvals it needs, was already executed, or is stale.
    """
    settings = settings or GateSettings()
    proposal = checks.load(session, proposal_id)
    _require_executor(settings, actor, proposal_id)
    _require_approved(session, settings, proposal)
    checks.require_fresh(session, proposal, verb="execution")
    spec = spec_of(proposal.kind, proposal_id)

    try:
        with session.begin_nested():
            outcome = spec.execute(session, proposal, actor)
    except GateError as exc:
        return _failed(session, proposal, actor, str(exc))
    proposal.status = ProposalStatus.EXECUTED
    proposal.executed_at = utcnow()
    proposal.outcome = outcome
    session.add(proposal)
    record(
        session,
        actor=actor,
        action="proposal.executed",
        subject=f"proposal:{proposal_id}",
        detail={"kind": proposal.kind.value, "outcome": outcome},
    )
    log.info("proposal.executed", proposal_id=proposal_id, kind=proposal.kind.value)
    return GateResult(
        proposal_id,
        proposal.status,
        f"Proposal {proposal_id} executed.",
        outcome=outcome,
    )


def _require_executor(settings: GateSettings, actor: str, proposal_id: int) -> None:
    if actor == "agent":
        return
    if actor in MACHINE_ACTORS:
        raise GateRefusal(
            f"Execution by {actor!r} refused: the chat can only propose.",
            reason=RefusalReason.ROLE_NOT_ALLOWED,
            proposal_id=proposal_id,
        )
    principal = resolve(settings, actor)
    require_role(
        principal, settings.execute_roles, verb="execute", proposal_id=proposal_id
    )


def _require_approved(
    session: Session, settings: GateSettings, proposal: Proposal
) -> None:
    if proposal.status not in {ProposalStatus.PENDING, ProposalStatus.APPROVED}:
        raise GateRefusal(
            f"Execution of proposal {proposal.id} refused: it is already "
            f"{proposal.status.value}.",
            reason=RefusalReason.ALREADY_DECIDED,
            proposal_id=proposal.id,
        )
    if not needs_approval(settings, proposal.kind):
        return
    # NOTE: the status alone is not trusted; the approvals themselves are
    # counted again, so a row edited to `approved` cannot bypass the gate.
    given = len(set(checks.approvers(session, int(proposal.id or 0))))
    needed = approvals_needed(settings, proposal)
    if proposal.status != ProposalStatus.APPROVED or given < needed:
        raise GateRefusal(
            f"Execution of proposal {proposal.id} refused: it has {given} of "
            f"{needed} approvals needed.",
            reason=RefusalReason.NOT_APPROVED,
            proposal_id=proposal.id,
        )


def _failed(session: Session, proposal: Proposal, actor: str, why: str) -> GateResult:
    proposal.status = ProposalStatus.FAILED
    proposal.executed_at = utcnow()
    proposal.outcome = {"error": why}
    session.add(proposal)
    record(
        session,
        actor=actor,
        action="proposal.failed",
        subject=f"proposal:{proposal.id}",
        detail={"error": why},
    )
    log.error("proposal.failed", proposal_id=proposal.id, error=why)
    return GateResult(
        int(proposal.id or 0),
        proposal.status,
        f"Proposal {proposal.id} failed: {why}",
        outcome={"error": why},
    )
