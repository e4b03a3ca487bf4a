"""Re-queue dead letters (by id or by filter) and bring retries forward.

People call these through `opsgate replay`; the approval gate calls them to
execute an approved `retry` or `replay_with_patch` proposal. A replay keeps
the delivery's idempotency key, so a target that did apply an earlier
attempt treats the replay as a repeat. Every replay is audited with its actor.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import structlog
from sqlalchemy import update
from sqlmodel import Session, col, select

from opsgate.connectors.errors import ErrorCategory
from opsgate.rules.audit.chain import record
from opsgate.rules.store.statuses import DeliveryStatus
from opsgate.rules.store.tables import DeadLetter, Delivery, utcnow

log = structlog.get_logger(__name__)

Action = Literal["requeued", "would_requeue", "skipped"]


@dataclass(frozen=True)
class ReplayItem:
    """What happened (or would happen) to one dead letter or delivery."""

    delivery_id: int | None
    dead_letter_id: int | None
    action: Action
    target: str | None = None
    category: ErrorCategory | None = None
    reason: str | None = None
    """Why it was skipped."""
    payload: dict[str, Any] | None = None
    """The payload the next attempt sends (the patch applied)."""


@dataclass(frozen=True)
class ReplayReport:
    """The outcome of one replay or retry request."""

    dry_run: bool
    items: list[ReplayItem] = field(default_factory=list)

    @property
    def requeued(self) -> list[ReplayItem]:
        """Items re-queued (or, in a dry run, that would be)."""
        return [item for item in self.items if item.action != "skipped"]

    @property
    def skipped(self) -> list[ReplayItem]:
        """Items left as they were, each with its reason."""
        return [item for item in self.items if item.action == "skipped"]


def merge_patch(document: Any, patch: Any) -> Any:
    """Return `document` with the JSON merge patch (RFC 7396) `patch` applied."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(document) if isinstance(document, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def replay_dead_letters(
    session: Session,
    dead_letter_ids: Iterable[int],
    *,
    actor: str,
    patch: dict[str, Any] | None = None,
    dry_run: bool = False,
) -> ReplayReport:
    """Re-queue the named dead letters with a fresh attempt budget.

    `patch` is a JSON merge patch applied to each delivery's payload. With
    `dry_run` nothing changes; the report says what would happen.
    """
    report = ReplayReport(dry_run=dry_run)
    for dead_letter_id in dead_letter_ids:
        report.items.append(
            _replay_one(
                session, dead_letter_id, actor=actor, patch=patch, dry_run=dry_run
            )
        )
    return report


def _replay_one(
    session: Session,
    dead_letter_id: int,
    *,
    actor: str,
    patch: dict[str, Any] | None,
    dry_run: bool,
) -> ReplayItem:
    dead_letter = session.get(DeadLetter, dead_letter_id)
    if dead_letter is None:
        return ReplayItem(
            None, dead_letter_id, "skipped", reason=f"No dead letter {dead_letter_id}."
        )
    delivery = session.get(Delivery, dead_letter.delivery_id)
    if delivery is None or delivery.status is not DeliveryStatus.DEAD:
        status = delivery.status.value if delivery is not None else "missing"
        return ReplayItem(
            dead_letter.delivery_id,
            dead_letter_id,
            "skipped",
            target=dead_letter.target,
            category=dead_letter.category,
            reason=f"Delivery {dead_letter.delivery_id} is {status}, not dead: "
            "nothing to replay.",
        )
    payload = merge_patch(delivery.payload, patch) if patch else delivery.payload
    item = ReplayItem(
        delivery.id,
        dead_letter_id,
        "would_requeue" if dry_run else "requeued",
        target=delivery.target,
        category=dead_letter.category,
        payload=payload,
    )
    if dry_run:
        return item
    _requeue(session, delivery, payload, reset_attempts=True)
    dead_letter.replayed_at = utcnow()
    dead_letter.replay_count += 1
    session.add(dead_letter)
    record(
        session,
        actor=actor,
        action="dead_letter.replayed",
        subject=f"dead_letter:{dead_letter_id}",
        detail={
            "delivery_id": delivery.id,
            "category": dead_letter.category.value,
            "patch": patch,
        },
    )
    log.info(
        "dead_letter.replayed",
        dead_letter_id=dead_letter_id,
        delivery_id=delivery.id,
        target=delivery.target,
        actor=actor,
        patched=patch is not None,
    )
    return item


def _requeue(
    session: Session,
    delivery: Delivery,
    payload: dict[str, Any] | None,
    *,
    reset_attempts: bool,
) -> None:
    values: dict[str, Any] = {
        "status": DeliveryStatus.PENDING if reset_attempts else delivery.status,
        "next_attempt_at": utcnow(),
        "lease_expires_at": None,
        "claimed_by": None,
        "payload": payload,
    }
    if reset_attempts:
        values["attempt_count"] = 0
    session.connection().execute(
        update(Delivery)
        .where(col(Delivery.id) == delivery.id, col(Delivery.status) == delivery.status)
        .values(**values)
    )
    session.expire(delivery)


def select_dead_letters(
    session: Session,
    *,
    target: str | None = None,
    category: ErrorCategory | None = None,
    since: datetime | None = None,
    limit: int | None = None,
) -> list[int]:
    """Return the ids of dead letters still dead, oldest first, that match."""
    query = (
        select(DeadLetter.id)
        .join(Delivery, col(Delivery.id) == col(DeadLetter.delivery_id))
        .where(col(Delivery.status) == DeliveryStatus.DEAD)
        .order_by(col(DeadLetter.created_at), col(DeadLetter.id))
    )
    if target is not None:
        query = query.where(col(DeadLetter.target) == target)
    if category is not None:
        query = query.where(col(DeadLetter.category) == category)
    if since is not None:
        query = query.where(col(DeadLetter.created_at) >= since)
    if limit is not None:
        query = query.limit(limit)
    return [int(i) for i in session.exec(query).all() if i is not None]


def replay_matching(
    session: Session,
    *,
    actor: str,
    target: str | None = None,
    category: ErrorCategory | None = None,
    since: datetime | None = None,
    limit: int | None = None,
    patch: dict[str, Any] | None = None,
    dry_run: bool = False,
) -> ReplayReport:
    """Replay every dead letter matching the filter (see `select_dead_letters`)."""
    ids = select_dead_letters(
        session, target=target, category=category, since=since, limit=limit
    )
    return replay_dead_letters(session, ids, actor=actor, patch=patch, dry_run=dry_run)


def retry_delivery(
    session: Session, delivery_id: int, *, actor: str, dry_run: bool = False
) -> ReplayReport:
    """Attempt a delivery again now: replay it if dead, else skip its wait.

    A delivery waiting for its next retry keeps its attempt count; one in
    flight or delivered is left alone, and the report says why.
    """
    delivery = session.get(Delivery, delivery_id)
    report = ReplayReport(dry_run=dry_run)
    if delivery is None:
        reason = f"No delivery {delivery_id}."
        report.items.append(ReplayItem(delivery_id, None, "skipped", reason=reason))
        return report
    if delivery.status is DeliveryStatus.DEAD:
        dead_letter_id = session.exec(
            select(DeadLetter.id).where(col(DeadLetter.delivery_id) == delivery_id)
        ).first()
        if dead_letter_id is not None:
            return replay_dead_letters(
                session, [dead_letter_id], actor=actor, dry_run=dry_run
            )
    if delivery.status in (DeliveryStatus.PENDING, DeliveryStatus.RETRYING):
        report.items.append(_retry_now(session, delivery, actor=actor, dry_run=dry_run))
        return report
    reason = f"Delivery {delivery_id} is {delivery.status.value}: nothing to retry."
    report.items.append(
        ReplayItem(delivery_id, None, "skipped", target=delivery.target, reason=reason)
    )
    return report


def _retry_now(
    session: Session, delivery: Delivery, *, actor: str, dry_run: bool
) -> ReplayItem:
    item = ReplayItem(
        delivery.id,
        None,
        "would_requeue" if dry_run else "requeued",
        target=delivery.target,
        category=delivery.last_error_category,
        payload=delivery.payload,
    )
    if dry_run:
        return item
    _requeue(session, delivery, delivery.payload, reset_attempts=False)
    record(
        session,
        actor=actor,
        action="delivery.retry_requested",
        subject=f"delivery:{delivery.id}",
        detail={"attempts_made": delivery.attempt_count},
    )
    log.info("delivery.retry_requested", delivery_id=delivery.id, actor=actor)
    return item
