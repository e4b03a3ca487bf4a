"""Raise flags as `data_quality` incidents, each with its correction proposed at the gate."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import structlog
from sqlmodel import Session, col, select

from opsgate.agent.anomalies.flag import AnomalyKind, CorrectionAction, Flag
from opsgate.connectors.errors import ErrorCategory
from opsgate.rules.gate import GateError, propose
from opsgate.rules.incidents.opening import open_incident
from opsgate.rules.store.anomaly_tables import AnomalyFlagRecord, AnomalyStatus
from opsgate.rules.store.statuses import DeliveryStatus, ProposalKind, RiskLevel
from opsgate.rules.store.tables import Delivery, Incident

log = structlog.get_logger(__name__)

BLOCKS: dict[AnomalyKind, str] = {
    AnomalyKind.PAYMENT_UNMATCHED: "payment_status",
    AnomalyKind.PAYMENT_DUPLICATE: "payment_status",
    AnomalyKind.UNBILLED_TIME: "invoice",
    AnomalyKind.INVOICE_MISMATCH: "invoice",
    AnomalyKind.BILLING_TYPE_MISMATCH: "invoice",
}
"""What a flag blocks, for ranking; timesheet kinds block `timesheet`."""


@dataclass(frozen=True)
class RaisedFlag:
    """What became of one flag in the store."""

    fingerprint: str
    incident_id: int | None
    proposal_id: int | None
    outcome: str
    """`raised` (new incident), `known` (raised before) or `dismissed`."""


def raise_flags(
    session: Session, flags: Iterable[Flag], *, actor: str = "agent"
) -> list[RaisedFlag]:
    """Open an incident per new flag and propose its correction; skip known ones."""
    results = []
    for flag in flags:
        known = session.exec(
            select(AnomalyFlagRecord).where(
                AnomalyFlagRecord.fingerprint == flag.fingerprint
            )
        ).first()
        if known is not None:
            outcome = (
                "dismissed" if known.status == AnomalyStatus.DISMISSED else "known"
            )
            results.append(
                RaisedFlag(
                    flag.fingerprint, known.incident_id, known.proposal_id, outcome
                )
            )
            continue
        results.append(_raise(session, flag, actor))
    return results


def _raise(session: Session, flag: Flag, actor: str) -> RaisedFlag:
    incident = open_incident(
        session,
        category=ErrorCategory.DATA_QUALITY,
        title=flag.title[:512],
        actor=actor,
        detail="\n".join(flag.reasons),
        fingerprint=f"anomaly:{flag.fingerprint}",
        workflow="time-to-billing",
        event_id=flag.event_ids[0] if flag.event_ids else None,
        blocks=BLOCKS.get(flag.kind, "timesheet"),
        customer=flag.customer,
        project=flag.project,
        hours_at_risk=_decimal(flag.hours_at_risk),
        amount_at_risk=_decimal(flag.amount_at_risk),
        currency=flag.currency,
        context={"anomaly": flag.to_dict()},
    )
    proposal_id = _propose(session, flag, incident, actor)
    session.add(
        AnomalyFlagRecord(
            fingerprint=flag.fingerprint,
            kind=flag.kind.value,
            title=flag.title[:1024],
            records=list(flag.records),
            incident_id=incident.id,
            proposal_id=proposal_id,
            project=flag.project,
            amount_at_risk=_decimal(flag.amount_at_risk),
            currency=flag.currency,
            detail=flag.to_dict(),
        )
    )
    session.flush()
    log.info("anomaly.raised", kind=flag.kind.value, incident_id=incident.id)
    return RaisedFlag(flag.fingerprint, incident.id, proposal_id, "raised")


def _propose(
    session: Session, flag: Flag, incident: Incident, actor: str
) -> int | None:
    """Propose the flag's correction through the gate.

    A patched replay where a delivery carried the line to Odoo, else an
    escalation to the person who can correct it.
    """
    correction = flag.correction
    if correction is None:
        return None
    params: dict[str, Any] = {"action": correction.action.value, **correction.params}
    delivery = (
        _delivery_of(session, flag)
        if correction.action == CorrectionAction.ADJUST_LINE
        else None
    )
    if delivery is not None and "patch" in correction.params:
        replay = {
            **params,
            "delivery_id": delivery.id,
            "patch": _as_patch(correction.params["patch"]),
        }
        try:
            return _proposal_id(
                session,
                flag,
                incident,
                actor,
                ProposalKind.REPLAY_WITH_PATCH,
                RiskLevel.MEDIUM,
                f"delivery:{delivery.id}",
                replay,
            )
        except GateError as exc:
            log.warning(
                "anomaly.replay_not_proposed", incident_id=incident.id, error=str(exc)
            )
    held = correction.action == CorrectionAction.HOLD_INVOICE
    params["to"] = (
        "accounts" if held else correction.params.get("manager") or "project manager"
    )
    return _proposal_id(
        session,
        flag,
        incident,
        actor,
        ProposalKind.ESCALATE,
        RiskLevel.MEDIUM if held else RiskLevel.LOW,
        f"incident:{incident.id}",
        params,
    )


def _proposal_id(
    session: Session,
    flag: Flag,
    incident: Incident,
    actor: str,
    kind: ProposalKind,
    risk: RiskLevel,
    record_ref: str,
    params: dict[str, Any],
) -> int | None:
    assert flag.correction is not None
    proposal = propose(
        session,
        kind=kind,
        summary=flag.correction.summary,
        record_ref=record_ref,
        params=params,
        incident_id=incident.id,
        rationale=flag.title,
        risk=risk,
        proposed_by=actor,
    )
    return proposal.id


def _delivery_of(session: Session, flag: Flag) -> Delivery | None:
    """Return the delivery that carried the flagged line to Odoo, when there is one."""
    if len(flag.event_ids) != 1:
        return None
    return session.exec(
        select(Delivery)
        .where(Delivery.event_id == flag.event_ids[0])
        .where(
            col(Delivery.status).in_([DeliveryStatus.DELIVERED, DeliveryStatus.DEAD])
        )
        .order_by(col(Delivery.id).desc())
    ).first()


def _as_patch(patch: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"op": "replace", "path": f"/{key}", "value": value}
        for key, value in patch.items()
    ]


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(f"{value:.2f}")
