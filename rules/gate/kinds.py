"""What each kind of proposal writes: its preview and its executor.

A kind is known to the gate only when it is registered here with both. The
preview is computed once, at proposal time, and is exactly what the executor
writes; the executor recomputes nothing the approver did not see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from opsgate.rules.gate import redelivery
from opsgate.rules.gate.errors import GateRefusal, RefusalReason
from opsgate.rules.gate.patch import apply_patch, diff_lines
from opsgate.rules.store.mapping_tables import ValueMapping
from opsgate.rules.store.statuses import IncidentStatus, ProposalKind
from opsgate.rules.store.tables import Incident, Proposal, utcnow

Preview = Callable[[Session, dict[str, Any]], dict[str, Any]]
Executor = Callable[[Session, Proposal, str], dict[str, Any]]


@dataclass(frozen=True)
class KindSpec:
    """How the gate previews and executes one kind of proposal."""

    preview: Preview
    execute: Executor


def _write(where: str, what: dict[str, Any]) -> dict[str, Any]:
    return {"where": where, "what": what}


def _preview_retry(session: Session, params: dict[str, Any]) -> dict[str, Any]:
    delivery = redelivery.delivery_of(session, params)
    return {
        "writes": [
            _write(
                f"{delivery.target} {delivery.operation}",
                {"delivery_id": delivery.id, "payload": delivery.payload},
            )
        ]
    }


def _preview_replay(session: Session, params: dict[str, Any]) -> dict[str, Any]:
    delivery = redelivery.delivery_of(session, params)
    patch = _patch(params)
    preview = _preview_retry(session, params)
    preview["writes"][0]["what"]["payload"] = apply_patch(delivery.payload, patch)
    preview["diff"] = diff_lines(delivery.payload, patch)
    return preview


def _preview_mapping(session: Session, params: dict[str, Any]) -> dict[str, Any]:
    for key in ("namespace", "source_value", "target_value"):
        _required(params, key)
    writes = [
        _write(
            "opsgate value_mapping",
            {k: params[k] for k in ("namespace", "source_value", "target_value")},
        )
    ]
    return {"writes": writes, "then_replay": params.get("replay_delivery_ids", [])}


def _preview_reference(session: Session, params: dict[str, Any]) -> dict[str, Any]:
    for key in ("event_id", "target", "operation", "row"):
        _required(params, key)
    writes = [_write(f"{params['target']} {params['operation']}", params["row"])]
    return {"writes": writes, "then_replay": params.get("replay_delivery_ids", [])}


def _preview_skip(session: Session, params: dict[str, Any]) -> dict[str, Any]:
    _required(params, "reason")
    return {
        "writes": [],
        "marks": {"incident": "resolved", "resolution": f"skipped: {params['reason']}"},
    }


def _preview_escalate(session: Session, params: dict[str, Any]) -> dict[str, Any]:
    return {"writes": [], "marks": {"incident": "acknowledged"}, "to": params.get("to")}


def _execute_retry(session: Session, proposal: Proposal, actor: str) -> dict[str, Any]:
    delivery = redelivery.delivery_of(session, proposal.params or {})
    return redelivery.requeue(session, delivery_id=int(delivery.id or 0), actor=actor)


def _execute_replay(session: Session, proposal: Proposal, actor: str) -> dict[str, Any]:
    params = proposal.params or {}
    delivery = redelivery.delivery_of(session, params)
    return redelivery.requeue(
        session, delivery_id=int(delivery.id or 0), actor=actor, patch=_patch(params)
    )


def _execute_mapping(
    session: Session, proposal: Proposal, actor: str
) -> dict[str, Any]:
    params = proposal.params or {}
    existing = session.exec(
        select(ValueMapping).where(
            ValueMapping.namespace == params["namespace"],
            ValueMapping.source_value == params["source_value"],
        )
    ).first()
    mapping = existing or ValueMapping(
        namespace=params["namespace"],
        source_value=params["source_value"],
        target_value=params["target_value"],
        created_by=actor,
        proposal_id=proposal.id,
    )
    mapping.target_value = params["target_value"]
    session.add(mapping)
    session.flush()
    return {"mapping_id": mapping.id, "replayed": _replay_all(session, params, actor)}


def _execute_reference(
    session: Session, proposal: Proposal, actor: str
) -> dict[str, Any]:
    params = proposal.params or {}
    queued = redelivery.enqueue(
        session,
        event_id=params["event_id"],
        target=params["target"],
        operation=params["operation"],
        payload=params["row"],
        idempotency_key=f"proposal:{proposal.id}:create_reference",
        actor=actor,
    )
    return {**queued, "replayed": _replay_all(session, params, actor)}


def _execute_skip(session: Session, proposal: Proposal, actor: str) -> dict[str, Any]:
    incident = _incident(session, proposal)
    incident.status = IncidentStatus.RESOLVED
    incident.resolved_at = utcnow()
    incident.resolution = f"skipped: {(proposal.params or {}).get('reason')}"
    session.add(incident)
    return {"incident_id": incident.id, "status": incident.status.value}


def _execute_escalate(
    session: Session, proposal: Proposal, actor: str
) -> dict[str, Any]:
    incident = _incident(session, proposal)
    if incident.status == IncidentStatus.OPEN:
        incident.status = IncidentStatus.ACKNOWLEDGED
        incident.acknowledged_at = utcnow()
        session.add(incident)
    return {
        "incident_id": incident.id,
        "escalated_to": (proposal.params or {}).get("to"),
    }


def _replay_all(session: Session, params: dict[str, Any], actor: str) -> list[int]:
    replayed = []
    for delivery_id in params.get("replay_delivery_ids", []):
        redelivery.requeue(session, delivery_id=int(delivery_id), actor=actor)
        replayed.append(int(delivery_id))
    return replayed


def _incident(session: Session, proposal: Proposal) -> Incident:
    incident = (
        session.get(Incident, proposal.incident_id) if proposal.incident_id else None
    )
    if incident is None:
        raise GateRefusal(
            f"Proposal {proposal.id} names no existing incident.",
            reason=RefusalReason.BAD_INPUT,
            proposal_id=proposal.id,
        )
    return incident


def _patch(params: dict[str, Any]) -> list[dict[str, Any]]:
    patch = params.get("patch")
    if not isinstance(patch, list) or not patch:
        raise GateRefusal(
            f"A replay_with_patch needs a non-empty JSON Patch list; got {patch!r}.",
            reason=RefusalReason.BAD_INPUT,
            proposal_id=None,
        )
    return patch


def _required(params: dict[str, Any], key: str) -> None:
    if params.get(key) in (None, ""):
        raise GateRefusal(
            f"Proposal params lack {key!r}: got {params!r}.",
            reason=RefusalReason.BAD_INPUT,
            proposal_id=None,
        )


KINDS: dict[str, KindSpec] = {
    ProposalKind.RETRY: KindSpec(_preview_retry, _execute_retry),
    ProposalKind.REPLAY_WITH_PATCH: KindSpec(_preview_replay, _execute_replay),
    ProposalKind.ADD_MAPPING: KindSpec(_preview_mapping, _execute_mapping),
    ProposalKind.CREATE_REFERENCE: KindSpec(_preview_reference, _execute_reference),
    ProposalKind.SKIP_WITH_REASON: KindSpec(_preview_skip, _execute_skip),
    ProposalKind.ESCALATE: KindSpec(_preview_escalate, _execute_escalate),
}
"""Registered kinds; other parts add theirs with `register_kind`."""


def register_kind(kind: str, spec: KindSpec) -> None:
    """Teach the gate a new kind (for example an insights correction)."""
    KINDS[kind] = spec


def spec_of(kind: str, proposal_id: int | None) -> KindSpec:
    """Return the spec of `kind`, refusing kinds the gate does not know."""
    spec = KINDS.get(kind)
    if spec is None:
        raise GateRefusal(
            f"Proposal kind {kind!r} is unknown to the gate; it cannot be previewed "
            "or executed.",
            reason=RefusalReason.UNKNOWN_KIND,
            proposal_id=proposal_id,
        )
    return spec
