import threading

from sqlalchemy import delete, select, update
from sqlmodel import Session, col

from opsgate.rules.audit.chain import (
    GENESIS_HASH,
    AuditDraft,
    record,
    record_many,
    verify,
)
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.tables import AuditEntry


def _write(engine, count, *, start=0):
    with session_scope(engine) as session:
        for n in range(start, start + count):
            record(
                session,
                actor="engine",
                action="event.accepted",
                subject=f"event:{n}",
                detail={"n": n, "amount": "12.50", "tags": ["a", "b"]},
            )


def _verify(engine):
    with session_scope(engine, write=False) as session:
        return verify(session)


def _rows(engine):
    with engine.connect() as connection:
        return connection.execute(select(AuditEntry).order_by(col(AuditEntry.id))).all()


def test_intact_chain_verifies_with_its_head(store_engine):
    _write(store_engine, 5)

    verdict = _verify(store_engine)

    assert (verdict.ok, verdict.entries_checked) == (True, 5)
    assert verdict.head_hash == _rows(store_engine)[-1].hash


def test_empty_chain_verifies(sqlite_engine):
    verdict = _verify(sqlite_engine)

    assert (verdict.ok, verdict.entries_checked, verdict.head_hash) == (
        True,
        0,
        GENESIS_HASH,
    )


def test_batched_entries_chain_like_single_ones(store_engine):
    _write(store_engine, 2)
    with session_scope(store_engine) as session:
        head = record_many(
            session,
            [
                AuditDraft("engine", "delivery.delivered", f"delivery:{n}")
                for n in range(50)
            ],
        )
    _write(store_engine, 2, start=2)

    rows = _rows(store_engine)
    assert rows[0].prev_hash == GENESIS_HASH
    assert rows[51].hash == head
    assert _verify(store_engine).entries_checked == 54


def test_edited_entry_is_named(store_engine):
    _write(store_engine, 5)
    with store_engine.begin() as connection:
        connection.execute(
            update(AuditEntry).where(col(AuditEntry.id) == 3).values(actor="mallory")
        )

    verdict = _verify(store_engine)

    assert (verdict.ok, verdict.first_broken_id, verdict.entries_checked) == (
        False,
        3,
        2,
    )
    assert verdict.reason == (
        "Audit entry 3 was edited: its content no longer matches its hash."
    )


def test_deleted_entry_breaks_the_link_after_it(store_engine):
    _write(store_engine, 5)
    with store_engine.begin() as connection:
        connection.execute(delete(AuditEntry).where(col(AuditEntry.id) == 3))

    verdict = _verify(store_engine)

    assert verdict.first_broken_id == 4
    assert "link from entry 2 to entry 4 is broken" in verdict.reason


def test_deleted_first_entries_are_detected(store_engine):
    _write(store_engine, 3)
    with store_engine.begin() as connection:
        connection.execute(delete(AuditEntry).where(col(AuditEntry.id) == 1))

    verdict = _verify(store_engine)

    assert verdict.first_broken_id == 2
    assert "entries at the start of the chain were deleted" in verdict.reason


def test_reordered_entries_are_named(store_engine):
    _write(store_engine, 4)
    two, three = _rows(store_engine)[1:3]
    fields = (
        "recorded_at",
        "actor",
        "action",
        "subject",
        "detail",
        "prev_hash",
        "hash",
    )
    with store_engine.begin() as connection:
        # Swap the contents of entries 2 and 3 (hashes are unique: park one).
        connection.execute(
            update(AuditEntry)
            .where(col(AuditEntry.id) == 2)
            .values(hash="x" * 64, prev_hash="y" * 64)
        )
        connection.execute(
            update(AuditEntry)
            .where(col(AuditEntry.id) == 3)
            .values(**{f: getattr(two, f) for f in fields})
        )
        connection.execute(
            update(AuditEntry)
            .where(col(AuditEntry.id) == 2)
            .values(**{f: getattr(three, f) for f in fields})
        )

    verdict = _verify(store_engine)

    assert verdict.first_broken_id == 2
    assert verdict.reason == (
        "Audit entry 2 is out of order: it was chained after entry 3, "
        "but follows entry 1."
    )


def test_concurrent_writers_keep_one_unbroken_chain(store_engine):
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(20):
                # A plain session, not session_scope: record() takes the lock.
                with Session(store_engine) as session:
                    record(session, actor=f"w{n}", action="test.wrote", subject=str(i))
                    session.commit()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    verdict = _verify(store_engine)
    assert (verdict.ok, verdict.entries_checked) == (True, 80)
