"""Record audit entries and verify the hash chain.

Each entry holds the hash of the one before it (`prev_hash`), and its own
`hash` covers its content and that link, so editing, deleting or reordering
entries breaks the chain where it happened. Writers append one at a time:
on PostgreSQL under a transaction-scoped advisory lock, on SQLite under the
database's write lock, and `prev_hash` is unique, so the chain can never fork
even if a writer bypasses the lock.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
import structlog
from sqlalchemy import Connection, select, text
from sqlmodel import Session, col

from opsgate.rules.store.bulk import insert_rows
from opsgate.rules.store.tables import AuditEntry, utcnow

log = structlog.get_logger(__name__)

GENESIS_HASH = "0" * 64
"""The `prev_hash` of the first entry."""

CHAIN_LOCK_KEY = 0x6F70736761746501
"""PostgreSQL advisory lock key that serialises appends to the chain."""


def _canonical_time(moment: datetime) -> str:
    # SQLite hands timestamps back without a zone: they were stored in UTC.
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


def entry_hash(
    prev_hash: str,
    recorded_at: datetime | str,
    actor: str,
    action: str,
    subject: str | None,
    detail: dict[str, Any] | None,
) -> str:
    """Return the SHA-256 of an entry's content and the hash before it.

    `recorded_at` may be given already in its canonical form (UTC ISO 8601),
    which saves formatting it again for every entry of a batch.
    """
    moment = (
        recorded_at if isinstance(recorded_at, str) else _canonical_time(recorded_at)
    )
    body = orjson.dumps(
        [prev_hash, moment, actor, action, subject, detail],
        option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS,
        default=str,
    )
    return hashlib.sha256(body).hexdigest()


@dataclass(frozen=True, slots=True)
class AuditDraft:
    """An entry to append: who did what to which subject."""

    actor: str
    action: str
    """Stable `noun.past_tense` key (`delivery.delivered`)."""
    subject: str | None = None
    detail: dict[str, Any] | None = None
    """Plain JSON data only (str, numbers, bools, None, lists, dicts)."""


def lock_chain(connection: Connection) -> None:
    """Hold the chain's append lock until the caller's transaction ends."""
    if connection.dialect.name == "postgresql":
        connection.execute(
            text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY}
        )
    elif connection.dialect.name == "sqlite":
        # A write statement takes SQLite's write lock (a no-op if the
        # transaction began IMMEDIATE), so the last hash read next is final.
        connection.execute(text("UPDATE audit_entry SET id = id WHERE 0"))


def _last_hash(connection: Connection) -> str:
    last = connection.execute(
        select(col(AuditEntry.hash)).order_by(col(AuditEntry.id).desc()).limit(1)
    ).scalar_one_or_none()
    return last or GENESIS_HASH


def append_entries(connection: Connection, drafts: Sequence[AuditDraft]) -> str:
    """Append `drafts` in order, in the caller's transaction; return the new head.

    One lock, one read of the head and one multi-row insert, however many
    entries: the batched form workers use for delivery outcomes.
    """
    lock_chain(connection)
    prev_hash = _last_hash(connection)
    if not drafts:
        return prev_hash
    recorded_at = utcnow()
    canonical_at = _canonical_time(recorded_at)
    rows = []
    for draft in drafts:
        digest = entry_hash(
            prev_hash,
            canonical_at,
            draft.actor,
            draft.action,
            draft.subject,
            draft.detail,
        )
        rows.append(
            {
                "recorded_at": recorded_at,
                "actor": draft.actor,
                "action": draft.action,
                "subject": draft.subject,
                "detail": draft.detail,
                "prev_hash": prev_hash,
                "hash": digest,
            }
        )
        prev_hash = digest
    insert_rows(connection, AuditEntry, rows)
    return prev_hash


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    subject: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an entry in the caller's transaction, chained to the last one."""
    connection = session.connection()
    lock_chain(connection)
    session.flush()
    prev_hash = _last_hash(connection)
    recorded_at = utcnow()
    entry = AuditEntry(
        recorded_at=recorded_at,
        actor=actor,
        action=action,
        subject=subject,
        detail=detail,
        prev_hash=prev_hash,
        hash=entry_hash(prev_hash, recorded_at, actor, action, subject, detail),
    )
    session.add(entry)
    session.flush()
    return entry


def record_many(session: Session, drafts: Sequence[AuditDraft]) -> str:
    """Append `drafts` in the session's transaction; return the new head hash."""
    session.flush()
    return append_entries(session.connection(), drafts)


@dataclass(frozen=True)
class ChainVerdict:
    """The outcome of verifying the chain."""

    ok: bool
    entries_checked: int
    first_broken_id: int | None = None
    reason: str | None = None
    head_hash: str = GENESIS_HASH
    """The last entry's hash: keep it elsewhere to detect a cut-off tail."""


def verify(session: Session, *, page_size: int = 2000) -> ChainVerdict:
    """Walk the chain in id order and name the first broken link, if any.

    Deleting the newest entries leaves a shorter chain that still verifies:
    keep the verdict's `head_hash` elsewhere (a ticket, a log shipped off the
    machine) and check it later with `entry_with_hash`.
    """
    connection = session.connection()
    prev_hash, prev_id, checked = GENESIS_HASH, None, 0
    rows = connection.execution_options(yield_per=page_size).execute(
        select(
            *(
                col(column)
                for column in (
                    AuditEntry.id,
                    AuditEntry.recorded_at,
                    AuditEntry.actor,
                    AuditEntry.action,
                    AuditEntry.subject,
                    AuditEntry.detail,
                    AuditEntry.prev_hash,
                    AuditEntry.hash,
                )
            )
        ).order_by(col(AuditEntry.id))
    )
    for row in rows:
        if row.prev_hash != prev_hash:
            rows.close()
            reason = _broken_link_reason(connection, row.id, row.prev_hash, prev_id)
            return _broken(checked, row.id, reason, prev_hash)
        digest = entry_hash(
            row.prev_hash,
            row.recorded_at,
            row.actor,
            row.action,
            row.subject,
            row.detail,
        )
        if digest != row.hash:
            rows.close()
            reason = (
                f"Audit entry {row.id} was edited: its content no longer matches "
                "its hash."
            )
            return _broken(checked, row.id, reason, prev_hash)
        prev_hash, prev_id, checked = row.hash, row.id, checked + 1
    log.info("audit.verified", entries_checked=checked, head_hash=prev_hash)
    return ChainVerdict(ok=True, entries_checked=checked, head_hash=prev_hash)


def entry_with_hash(session: Session, digest: str) -> int | None:
    """The id of the entry whose hash is `digest`, or None when none has it.

    A head kept from an earlier `verify` must still be in the chain: if it is
    gone, entries at the chain's end were deleted.
    """
    return (
        session.connection()
        .execute(select(col(AuditEntry.id)).where(col(AuditEntry.hash) == digest))
        .scalar_one_or_none()
    )


def _broken(checked: int, entry_id: int, reason: str, head: str) -> ChainVerdict:
    log.error("audit.chain_broken", first_broken_id=entry_id, reason=reason)
    return ChainVerdict(
        ok=False,
        entries_checked=checked,
        first_broken_id=entry_id,
        reason=reason,
        head_hash=head,
    )


def _broken_link_reason(
    connection: Connection, entry_id: int, expected_prev: str, prev_id: int | None
) -> str:
    """Say how the link into `entry_id` broke: reorder, deletion or rewrite."""
    holder = connection.execute(
        select(col(AuditEntry.id)).where(col(AuditEntry.hash) == expected_prev)
    ).scalar_one_or_none()
    after = f"entry {prev_id}" if prev_id is not None else "the start of the chain"
    if holder is not None:
        return (
            f"Audit entry {entry_id} is out of order: it was chained after entry "
            f"{holder}, but follows {after}."
        )
    if prev_id is None:
        return (
            f"Audit entry {entry_id} is the first left, but was chained to an "
            "earlier entry: entries at the start of the chain were deleted."
        )
    return (
        f"The link from entry {prev_id} to entry {entry_id} is broken: entry "
        f"{entry_id} was chained to a hash no entry has, so an entry between them "
        f"was deleted or entry {prev_id} was rewritten."
    )
