"""Put deliveries back in the outbox: the gate's only path to outside systems.

The gate never calls a connector. Executing a retry or replay re-queues the
delivery; creating a reference queues a new one; the engine's workers deliver
them as they deliver everything else, idempotently.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from opsgate.rules.audit.chain import record
from opsgate.rules.gate.errors import GateRefusal, RefusalReason
from opsgate.rules.gate.patch import PatchOp, apply_patch
from opsgate.rules.store.statuses import DeliveryStatus
from opsgate.rules.store.tables import DeadLetter, Delivery, utcnow
from sqlmodel import Session, select

# Known limitation: until engine-delivery's `replay_dead_letters` lands on this
# branch, re-queueing is done here with the same effect (status back to
# pending, due now, replay counted and audited). Swap the body of `requeue`
# for that call when merging; the call sites stay in this module only.


def requeue(
    session: Session,
    *,
    delivery_id: int,
    actor: str,
    patch: Sequence[PatchOp] | None = None,
) -> dict[str, Any]:
    """Re-queue one delivery (and its dead letter), optionally patched."""
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
        delivery.payload = apply_patch(delivery.payload, patch)
    delivery.status = DeliveryStatus.PENDING
    delivery.next_attempt_at = utcnow()
    delivery.lease_expires_at = None
    delivery.claimed_by = None
    dead = session.exec(
        select(DeadLetter).where(DeadLetter.delivery_id == delivery_id)
    ).first()
    if dead is not None:
        dead.replayed_at = utcnow()
        dead.replay_count += 1
        session.add(dead)
    session.add(delivery)
    record(
        session,
        actor=actor,
        action="dead_letter.replayed" if dead else "delivery.requeued",
        subject=f"delivery:{delivery_id}",
        detail={"patched": bool(patch)},
    )
    return {"delivery_id": delivery_id, "requeued": True, "patched": bool(patch)}


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
