"""Propose a correction: store it pending, with its preview, risk and version."""

from __future__ import annotations

from typing import Any

import structlog
from sqlmodel import Session, select

from opsgate.rules.audit.chain import record
from opsgate.rules.gate.kinds import spec_of
from opsgate.rules.gate.policy import default_risk
from opsgate.rules.gate.settings import GateSettings
from opsgate.rules.gate.versions import record_version
from opsgate.rules.store.statuses import ProposalKind, ProposalStatus, RiskLevel
from opsgate.rules.store.tables import Proposal

log = structlog.get_logger(__name__)


def propose(
    session: Session,
    *,
    kind: ProposalKind,
    summary: str,
    record_ref: str,
    params: dict[str, Any] | None = None,
    incident_id: int | None = None,
    rationale: str | None = None,
    risk: RiskLevel | None = None,
    proposed_by: str = "agent",
    settings: GateSettings | None = None,
) -> Proposal:
    """Store a pending proposal and audit it; the same one twice is one.

    The preview is computed now, from the record `record_ref` names, and
    its version is kept so that approval and execution refuse once the record
    has changed. Risk is the kind's default unless a higher one is given.
    """
    settings = settings or GateSettings()
    params = params or {}
    version = record_version(session, record_ref)
    level = _higher(default_risk(settings, kind), risk)
    existing = _same_pending(session, kind, record_ref, version, params, incident_id)
    if existing is not None and existing.risk == level:
        return existing
    preview = spec_of(kind, None).preview(session, params)
    proposal = Proposal(
        incident_id=incident_id,
        kind=kind,
        risk=level,
        summary=summary[:512],
        rationale=rationale,
        preview=preview,
        params=params,
        record_ref=record_ref,
        record_version=version,
        proposed_by=proposed_by,
    )
    session.add(proposal)
    session.flush()
    record(
        session,
        actor=proposed_by,
        action="proposal.proposed",
        subject=f"proposal:{proposal.id}",
        detail={
            "kind": kind.value,
            "risk": proposal.risk.value,
            "incident_id": incident_id,
            "record_ref": record_ref,
            "record_version": version,
        },
    )
    log.info("proposal.proposed", proposal_id=proposal.id, kind=kind.value)
    return proposal


def _same_pending(
    session: Session,
    kind: ProposalKind,
    record_ref: str,
    version: str,
    params: dict[str, Any],
    incident_id: int | None,
) -> Proposal | None:
    candidates = session.exec(
        select(Proposal).where(
            Proposal.kind == kind,
            Proposal.record_ref == record_ref,
            Proposal.record_version == version,
            Proposal.status == ProposalStatus.PENDING,
        )
    ).all()
    for candidate in candidates:
        if candidate.params == params and candidate.incident_id == incident_id:
            return candidate
    return None


_ORDER = [RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH]


def _higher(default: RiskLevel, asked: RiskLevel | None) -> RiskLevel:
    if asked is None:
        return default
    return max(default, asked, key=_ORDER.index)
