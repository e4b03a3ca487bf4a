"""Put deliveries back in the outbox: the gate's only path to outside systems.

The gate never calls a connector. Executing a retry or replay re-queues the
delivery through the engine's replay (`rules/delivery/replay.py`); creating a
reference queues a new one; the engine's workers deliver them as they deliver
everything else, idempotently.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, select

from opsgate.rules.audit.chain import record
from opsgate.rules.delivery.replay import (
    ReplayReport,
    replay_dead_letters,
    retry_delivery,
)
from opsgate.rules.gate.errors import GateError, GateRefusal, RefusalReason
from opsgate.rules.gate.patch import PatchOp, apply_patch, as_merge_patch
from opsgate.rules.store.statuses import DeliveryStatus
from opsgate.rules.store.tables import DeadLetter, Delivery, utcnow


def requeue(
    session: Session,
    *,
    delivery_id: int,
    actor: str,
    patch: Sequence[PatchOp] | None = None,
) -> dict[str, Any]:
    """Re-queue one delivery through the engine's replay, optionally patched."""
    delivery = session.get(Delivery, delivery_id)
    if delivery is None:
        raise GateRefusal(
            f"Delivery {delivery_id!r} does not exist.",
            reason=RefusalReason.NOT_FOUND,
            proposal_id=None,
        )
    if delivery.status == DeliveryStatus.DELIVERED:
        return {"delivery_id": delivery_id, "requeued": False, "already": "delivered"}
    if patch:
        report = _replay_patched(session, delivery, actor, patch)
    else:
        report = retry_delivery(session, delivery_id, actor=actor)
    if report.skipped:
        raise GateError(str(report.skipped[0].reason))
    return {"delivery_id": delivery_id, "requeued": True, "patched": bool(patch)}


def _replay_patched(
    session: Session, delivery: Delivery, actor: str, patch: Sequence[PatchOp]
) -> ReplayReport:
    dead_letter_id = session.exec(
        select(DeadLetter.id).where(DeadLetter.delivery_id == delivery.id)
    ).first()
    if dead_letter_id is None:
        raise GateError(
            f"Delivery {delivery.id} has no dead letter; only a dead letter is "
            "replayed with a patch."
        )
    merge = as_merge_patch(delivery.payload, apply_patch(delivery.payload, patch))
    return replay_dead_letters(session, [dead_letter_id], actor=actor, patch=merge)


def enqueue(
    session: Session,
    *,
    event_id: str,
    target: str,
    operation: str,
    payload: dict[str, Any],
    idempotency_key: str,
    actor: str,
) -> dict[str, Any]:
    """Queue a new delivery once per idempotency key."""
    existing = session.exec(
        select(Delivery).where(Delivery.idempotency_key == idempotency_key)
    ).first()
    if existing is not None:
        return {"delivery_id": existing.id, "queued": False}
    delivery = Delivery(
        event_id=event_id,
        target=target,
        operation=operation,
        idempotency_key=idempotency_key,
        payload=payload,
        next_attempt_at=utcnow(),
    )
    session.add(delivery)
    session.flush()
    record(
        session,
        actor=actor,
        action="delivery.queued",
        subject=f"delivery:{delivery.id}",
        detail={"target": target, "operation": operation},
    )
    return {"delivery_id": delivery.id, "queued": True}


def delivery_of(session: Session, params: dict[str, Any]) -> Delivery:
    """Return the delivery a proposal's params name directly or by dead letter."""
    delivery_id = params.get("delivery_id")
    if delivery_id is None and params.get("dead_letter_id") is not None:
        dead = session.get(DeadLetter, params["dead_letter_id"])
        delivery_id = dead.delivery_id if dead else None
    delivery = session.get(Delivery, delivery_id) if delivery_id is not None else None
    if delivery is None:
        raise GateRefusal(
            f"No delivery found for params {params!r}: name an existing "
            "delivery_id or dead_letter_id.",
            reason=RefusalReason.BAD_INPUT,
            proposal_id=None,
        )
    return delivery
