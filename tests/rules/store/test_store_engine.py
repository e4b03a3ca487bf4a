import threading

import pytest
from sqlalchemy import text
from sqlmodel import select

from opsgate.rules.store.db import (
    create_store_engine,
    normalise_url,
    session_scope,
)
from opsgate.rules.store.tables import Cursor


def test_sqlite_store_runs_in_wal_mode_with_foreign_keys(sqlite_engine):
    with sqlite_engine.connect() as connection:
        journal = connection.execute(text("PRAGMA journal_mode")).scalar_one()
        foreign_keys = connection.execute(text("PRAGMA foreign_keys")).scalar_one()

    assert (journal, foreign_keys) == ("wal", 1)


@pytest.mark.parametrize(
    "url", ["postgresql://u@h/db", "postgres://u@h/db", "postgresql+psycopg://u@h/db"]
)
def test_postgresql_urls_are_driven_by_psycopg(url):
    assert normalise_url(url) == "postgresql+psycopg://u@h/db"


def test_unsupported_database_url_is_refused_with_the_scheme_named():
    with pytest.raises(ValueError, match=r"'mysql://\.\.\.' is not supported"):
        create_store_engine("mysql://root:secret@db/opsgate")


def test_concurrent_read_then_write_scopes_on_sqlite_all_commit(sqlite_engine):
    # Each scope reads the counter and then writes it back: without the write
    # lock taken at BEGIN, two of them meeting would fail with "locked".
    with session_scope(sqlite_engine) as session:
        session.add(Cursor(name="counter", value={"n": 0}))
    errors: list[BaseException] = []

    def bump() -> None:
        try:
            for _ in range(25):
                with session_scope(sqlite_engine) as session:
                    cursor = session.exec(
                        select(Cursor).where(Cursor.name == "counter")
                    ).one()
                    cursor.value = {"n": cursor.value["n"] + 1}
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=bump) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    with session_scope(sqlite_engine, write=False) as session:
        final = session.exec(select(Cursor).where(Cursor.name == "counter")).one()
    assert errors == []
    assert final.value == {"n": 100}


def test_store_round_trips_the_values_of_status_enums(store_engine):
    from opsgate.rules.store.statuses import EventStatus
    from opsgate.rules.store.tables import Event

    with session_scope(store_engine) as session:
        session.add(
            Event(id="e1", source="s", source_event_id="1", type="t", raw_body=b"{}")
        )
    with store_engine.connect() as connection:
        raw = connection.execute(text("SELECT status FROM event")).scalar_one()
    with session_scope(store_engine, write=False) as session:
        event = session.exec(select(Event)).one()

    assert raw == "accepted"
    assert event.status is EventStatus.ACCEPTED
