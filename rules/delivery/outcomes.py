"""Write what a batch of attempts came to, in one transaction.

For each attempt: an `attempt` row and the delivery's new state (delivered,
waiting for a retry, dead, or released untouched). Audit entries: one per
target for the batch's deliveries (their ids in the detail), one per retry
scheduled and one per dead letter. A dead delivery also gets a dead letter
and an incident with the error's category; the dead deliveries of a batch that
share a cause share one incident, opened (or joined) once for all of them.
Every state change is fenced by the claim token: a worker whose lease ran out
and whose deliveries were claimed again records its attempts but changes
nothing else.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import structlog
from sqlalchemy import Connection, bindparam, insert, select, update
from sqlmodel import Session, col

from opsgate.connectors.errors import ConnectorError, ErrorCategory
from opsgate.rules.audit.chain import AuditDraft, append_entries
from opsgate.rules.delivery.attempts import AttemptResult
from opsgate.rules.delivery.targets import DeliveryCommand
from opsgate.rules.incidents.opening import join_incident, open_incident
from opsgate.rules.store.bulk import insert_rows
from opsgate.rules.store.statuses import DeliveryStatus
from opsgate.rules.store.tables import Attempt, DeadLetter, Delivery, utcnow

log = structlog.get_logger(__name__)

ACTOR = "engine"
"""The audit actor of everything workers do."""


class Verdict(StrEnum):
    """What becomes of a claimed delivery after its attempt."""

    DELIVERED = "delivered"
    RETRY = "retry"
    DEAD = "dead"
    RELEASED = "released"
    """Not attempted (its target's circuit is open): handed back untouched."""


@dataclass(frozen=True, slots=True)
class Decision:
    """A claimed delivery's verdict, with what the store needs to record it."""

    command: DeliveryCommand
    verdict: Verdict
    result: AttemptResult | None = None
    """None when the delivery was released without an attempt."""
    not_before: datetime | None = None
    """For retries and releases: when it becomes claimable again."""
    reason: str | None = None
    """For dead letters: why it will not be retried."""

    @property
    def error(self) -> ConnectorError | None:
        """The attempt's error, if it failed."""
        return self.result.error if self.result is not None else None


@dataclass(slots=True)
class OutcomeCounts:
    """How many of each verdict a batch recorded."""

    delivered: int = 0
    retried: int = 0
    dead: int = 0
    released: int = 0
    fenced: int = 0
    """Deliveries whose lease had been lost to another worker."""


def record_outcomes(
    connection: Connection, token: str, decisions: Sequence[Decision]
) -> OutcomeCounts:
    """Record `decisions` of the claim `token` in the caller's transaction."""
    counts = OutcomeCounts()
    now = utcnow()
    _insert_attempts(connection, token, decisions, now)
    audit: list[AuditDraft] = []
    delivered = [d for d in decisions if d.verdict is Verdict.DELIVERED]
    if delivered:
        counts.delivered = _mark_delivered(connection, token, delivered, now)
        counts.fenced += len(delivered) - counts.delivered
        audit.extend(_delivered_audit(delivered, token))
    for decision in decisions:
        if decision.verdict is Verdict.RETRY:
            if _schedule_retry(connection, token, decision):
                counts.retried += 1
                audit.append(_retry_audit(decision))
            else:
                counts.fenced += 1
        elif decision.verdict is Verdict.RELEASED:
            counts.released += _release(connection, token, decision)
    append_entries(connection, audit)
    dead = [d for d in decisions if d.verdict is Verdict.DEAD]
    if dead:
        counts.dead = _dead_letters(connection, token, dead, now)
        counts.fenced += len(dead) - counts.dead
    return counts


def _insert_attempts(
    connection: Connection,
    token: str,
    decisions: Sequence[Decision],
    now: datetime,
) -> None:
    rows = []
    for decision in decisions:
        result = decision.result
        if result is None:
            continue
        error = result.error
        rows.append(
            {
                "delivery_id": decision.command.delivery_id,
                "number": decision.command.attempt,
                "worker": token,
                "started_at": now - timedelta(seconds=result.duration_s),
                "finished_at": now,
                "outcome": result.outcome,
                "error_category": error.category if error else None,
                "error_message": error.message if error else None,
                "retryable": error.retryable if error else None,
                "fault": error.fault if error else None,
            }
        )
    insert_rows(connection, Attempt, rows)


def _mark_delivered(
    connection: Connection, token: str, delivered: Sequence[Decision], now: datetime
) -> int:
    ids = [d.command.delivery_id for d in delivered]
    statement = (
        update(Delivery)
        .where(
            col(Delivery.id).in_(bindparam("ids", expanding=True)),
            col(Delivery.claimed_by) == token,
        )
        .values(
            status=DeliveryStatus.DELIVERED,
            delivered_at=now,
            next_attempt_at=None,
            lease_expires_at=None,
            claimed_by=None,
            last_error_category=None,
        )
    )
    return connection.execute(statement, {"ids": ids}).rowcount


def _fenced_update(connection: Connection, token: str, delivery_id: int) -> Any:
    return update(Delivery).where(
        col(Delivery.id) == delivery_id, col(Delivery.claimed_by) == token
    )


def _schedule_retry(connection: Connection, token: str, decision: Decision) -> bool:
    error = decision.error
    statement = _fenced_update(connection, token, decision.command.delivery_id).values(
        status=DeliveryStatus.RETRYING,
        next_attempt_at=decision.not_before,
        lease_expires_at=None,
        claimed_by=None,
        last_error_category=error.category if error else None,
    )
    return bool(connection.execute(statement).rowcount)


def _release(connection: Connection, token: str, decision: Decision) -> int:
    command = decision.command
    statement = _fenced_update(connection, token, command.delivery_id).values(
        status=DeliveryStatus.RETRYING
        if command.attempt > 1
        else DeliveryStatus.PENDING,
        attempt_count=col(Delivery.attempt_count) - 1,
        next_attempt_at=decision.not_before,
        lease_expires_at=None,
        claimed_by=None,
    )
    return int(connection.execute(statement).rowcount)


def failure_fingerprint(command: DeliveryCommand, error: ConnectorError) -> str:
    """The failure's cause as a key: dead letters with the same one share an incident.

    The raiser's `failure_key` when it gave one; otherwise the target,
    operation, category and the error's message with its numbers taken out,
    so "row 3" and "row 8" of the same refusal are one cause.
    """
    if error.failure_key is not None:
        return error.failure_key[:128]
    message = re.sub(r"\d+", "#", error.message)
    digest = hashlib.sha256(message.encode()).hexdigest()[:16]
    return f"delivery:{command.target}:{command.operation}:{error.category}:{digest}"


def _dead_letters(
    connection: Connection, token: str, decisions: Sequence[Decision], now: datetime
) -> int:
    """Make the deliveries dead letters with one incident per cause; return how many.

    Deliveries whose claim was lost are left alone (fenced). The rest are
    marked dead and get their dead letters a few statements at a time; those
    with the same cause open (or join) one incident, as they would one by one.
    """
    for decision in decisions:
        if decision.error is None:
            raise ValueError(
                f"Delivery {decision.command.delivery_id} cannot become a dead "
                "letter without the error that ended it."
            )
    dead = _mark_dead(connection, token, decisions)
    if not dead:
        return 0
    dead_letter_ids = _upsert_dead_letters(connection, dead, now)
    by_cause: dict[str, list[Decision]] = {}
    for decision in dead:
        fingerprint = failure_fingerprint(decision.command, _error(decision))
        by_cause.setdefault(fingerprint, []).append(decision)
    session = Session(bind=connection)
    for fingerprint, group in by_cause.items():
        _open_incident(session, connection, fingerprint, group, dead_letter_ids)
    session.close()
    return len(dead)


def _error(decision: Decision) -> ConnectorError:
    error = decision.error
    if error is None:
        raise ValueError(f"Decision {decision!r} carries no error.")
    return error


def _mark_dead(
    connection: Connection, token: str, decisions: Sequence[Decision]
) -> list[Decision]:
    """Mark the deliveries dead where the claim still holds; return those."""
    by_category: dict[ErrorCategory, list[int]] = {}
    for decision in decisions:
        by_category.setdefault(_error(decision).category, []).append(
            decision.command.delivery_id
        )
    marked: set[int] = set()
    for category, ids in by_category.items():
        statement = (
            update(Delivery)
            .where(
                col(Delivery.id).in_(bindparam("ids", expanding=True)),
                col(Delivery.claimed_by) == token,
            )
            .values(
                status=DeliveryStatus.DEAD,
                next_attempt_at=None,
                lease_expires_at=None,
                claimed_by=None,
                last_error_category=category,
            )
            .returning(col(Delivery.id))
        )
        marked.update(
            int(i) for i in connection.execute(statement, {"ids": ids}).scalars() if i
        )
    return [d for d in decisions if d.command.delivery_id in marked]


def _by_delivery(rows: Iterable[Any]) -> dict[int, int]:
    """`(delivery id, dead letter id)` rows as a dict, skipping ids not yet given."""
    found: dict[int, int] = {}
    for delivery_id, dead_letter_id in rows:
        if dead_letter_id is not None:
            found[int(delivery_id)] = int(dead_letter_id)
    return found


def _upsert_dead_letters(
    connection: Connection, decisions: Sequence[Decision], now: datetime
) -> dict[int, int]:
    """Insert the dead letters, or revive those a replay left behind; by delivery id."""
    ids = [d.command.delivery_id for d in decisions]
    known = connection.execute(
        select(col(DeadLetter.delivery_id), col(DeadLetter.id)).where(
            col(DeadLetter.delivery_id).in_(bindparam("ids", expanding=True))
        ),
        {"ids": ids},
    )
    existing = _by_delivery(known)
    rows = []
    for decision in decisions:
        command, error = decision.command, _error(decision)
        values = {
            "category": error.category,
            "reason": decision.reason or error.message,
            "created_at": now,
        }
        revived = existing.get(command.delivery_id)
        if revived is not None:
            connection.execute(
                update(DeadLetter).where(col(DeadLetter.id) == revived).values(**values)
            )
            continue
        rows.append(
            {
                "delivery_id": command.delivery_id,
                "event_id": command.event_id,
                "target": command.target,
                "replay_count": 0,
                **values,
            }
        )
    if rows:
        inserted = connection.execute(
            insert(DeadLetter).returning(
                col(DeadLetter.delivery_id), col(DeadLetter.id)
            ),
            rows,
        )
        existing.update(_by_delivery(inserted))
    missing = [i for i in ids if existing.get(i) is None]
    if missing:
        raise ValueError(f"No id came back for the dead letters of {missing}.")
    return existing


def _open_incident(
    session: Session,
    connection: Connection,
    fingerprint: str,
    group: Sequence[Decision],
    dead_letter_ids: dict[int, int],
) -> None:
    """Open or join the incident of one cause for `group`, and audit each."""
    first = group[0]
    command, error = first.command, _error(first)
    reason = first.reason or error.message
    incident = open_incident(
        session,
        category=error.category,
        title=error.cause or _incident_title(command, error),
        detail=reason,
        fingerprint=fingerprint,
        group=True,
        target=command.target,
        event_id=command.event_id,
        delivery_id=command.delivery_id,
        dead_letter_id=dead_letter_ids[command.delivery_id],
        context={
            "error": error.to_dict(),
            "attempts": command.attempt,
            "idempotency_key": command.idempotency_key,
        },
    )
    join_incident(session, incident, [d.command.event_id for d in group[1:]])
    drafts = []
    for decision in group:
        command, error = decision.command, _error(decision)
        reason = decision.reason or error.message
        dead_letter_id = dead_letter_ids[command.delivery_id]
        drafts.append(
            AuditDraft(
                actor=ACTOR,
                action="delivery.dead_lettered",
                subject=f"delivery:{command.delivery_id}",
                detail={
                    "dead_letter_id": dead_letter_id,
                    "incident_id": incident.id,
                    "category": error.category.value,
                    "attempts": command.attempt,
                    "reason": reason,
                },
            )
        )
        log.error(
            "delivery.dead_lettered",
            delivery_id=command.delivery_id,
            dead_letter_id=dead_letter_id,
            incident_id=incident.id,
            target=command.target,
            operation=command.operation,
            attempt=command.attempt,
            category=error.category.value,
            reason=reason,
        )
    append_entries(connection, drafts)


def _incident_title(command: DeliveryCommand, error: ConnectorError) -> str:
    """What went wrong, in the error's own words, and where it was going."""
    title = f"{command.target} {command.operation}: {error.message}"
    return title[:512]


def _delivered_audit(delivered: Sequence[Decision], token: str) -> list[AuditDraft]:
    """One entry per target for a batch's deliveries: ids in order, attempts."""
    by_target: dict[str, list[Decision]] = {}
    for decision in delivered:
        by_target.setdefault(decision.command.target, []).append(decision)
    drafts = []
    for target, decisions in by_target.items():
        detail: dict[str, Any] = {
            "target": target,
            "claim": token,
            "count": len(decisions),
            "delivery_ids": [d.command.delivery_id for d in decisions],
            "attempts": [d.command.attempt for d in decisions],
        }
        verified = [
            d.command.delivery_id
            for d in decisions
            if d.result is not None and d.result.verified
        ]
        if verified:
            detail["verified_after_uncertain_outcome"] = verified
        drafts.append(
            AuditDraft(
                actor=ACTOR,
                action="delivery.delivered",
                subject=f"target:{target}",
                detail=detail,
            )
        )
    return drafts


def _retry_audit(decision: Decision) -> AuditDraft:
    command, error = decision.command, decision.error
    return AuditDraft(
        actor=ACTOR,
        action="delivery.retry_scheduled",
        subject=f"delivery:{command.delivery_id}",
        detail={
            "attempt": command.attempt,
            "category": error.category.value if error else None,
            "not_before": decision.not_before.isoformat()
            if decision.not_before
            else None,
        },
    )
