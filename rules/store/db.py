"""Open the store: one engine per database URL, SQLite tuned for WAL.

SQLite is the embedded default (one file, nothing to start); PostgreSQL is the
production store (`postgresql://...` is driven by psycopg 3). On SQLite the
driver's own implicit transactions are switched off and Opsgate issues the
`BEGIN` itself, so a unit of work that writes can take the write lock up front
(`BEGIN IMMEDIATE`) instead of failing half-way when two writers meet.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, MetaData, event
from sqlmodel import Session, SQLModel, create_engine

DEFAULT_SQLITE_PATH = Path("var/opsgate.db")
"""Where the embedded default keeps its one file, relative to the working directory."""

_SQLITE_BEGIN = "opsgate_sqlite_begin"
"""Execution option naming how a SQLite transaction begins."""


def normalise_url(url: str) -> str:
    """Return `url` with PostgreSQL URLs pointed at the psycopg 3 driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def json_dumps(value: Any) -> str:
    """Serialise a JSON column value (orjson: fast, and strict like `json`)."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


_JSON = {"json_serializer": json_dumps, "json_deserializer": orjson.loads}


def create_store_engine(url: str, *, echo: bool = False) -> Engine:
    """Return an engine for `url`, with SQLite set to WAL and foreign keys on.

    Raises:
        ValueError: when `url` names neither SQLite nor PostgreSQL.
    """
    url = normalise_url(url)
    if url.startswith("sqlite"):
        return _create_sqlite_engine(url, echo=echo)
    if url.startswith("postgresql"):
        return create_engine(url, echo=echo, pool_pre_ping=True, **_JSON)
    raise ValueError(
        f"Database URL {url.split('://', 1)[0] + '://...'!r} is not supported: "
        "use 'sqlite:///path/to/file.db' or 'postgresql://user@host/db'."
    )


def _create_sqlite_engine(url: str, *, echo: bool) -> Engine:
    path = url.split("///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        echo=echo,
        connect_args={"check_same_thread": False, "timeout": 30},
        **_JSON,
    )
    event.listen(engine, "connect", _tune_sqlite)
    event.listen(engine, "begin", _begin_sqlite)
    return engine


def _tune_sqlite(dbapi_connection: Any, _record: object) -> None:
    # Opsgate emits BEGIN itself (see _begin_sqlite); the driver must not.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    # KiB: 16 MiB of page cache. Each pooled connection keeps its own, so at
    # 64 MiB a long import grew the process by hundreds of MiB as the file
    # grew; pages that fall out are read back from the OS's file cache.
    cursor.execute("PRAGMA cache_size=-16384")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def _begin_sqlite(connection: Connection) -> None:
    mode = connection.get_execution_options().get(_SQLITE_BEGIN, "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def is_sqlite(engine: Engine | Connection) -> bool:
    """Tell whether `engine` (or a connection of it) talks to SQLite."""
    return engine.dialect.name == "sqlite"


def writer(engine: Engine) -> Engine:
    """Return `engine` set so that each transaction may write without a retry.

    On SQLite each transaction begins with `BEGIN IMMEDIATE`: the write lock is
    taken (waiting up to the busy timeout) before anything is read, so a read
    followed by a write never fails with `database is locked`. On PostgreSQL
    the engine is returned unchanged.
    """
    if not is_sqlite(engine):
        return engine
    return engine.execution_options(**{_SQLITE_BEGIN: "IMMEDIATE"})


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """Yield a Core connection in a writing transaction; commit on success."""
    with writer(engine).begin() as connection:
        yield connection


def registered_metadata() -> MetaData:
    """Import every table module and return the metadata they register in.

    A new `rules/store/<concept>_tables.py` module is imported here, so that
    both `create_schema` and the Alembic migrations see its tables.
    """
    import opsgate.rules.store.anomaly_tables  # noqa: F401
    import opsgate.rules.store.invoicing_tables  # noqa: F401
    import opsgate.rules.store.mapping_tables  # noqa: F401
    import opsgate.rules.store.tables  # noqa: F401  (registers the tables)
    import opsgate.rules.store.ticket_tables  # noqa: F401

    return SQLModel.metadata


def create_schema(engine: Engine) -> None:
    """Create every table that is missing (tests and first runs).

    Production databases are upgraded through the Alembic migrations instead
    (`upgrade_to_head`).
    """
    registered_metadata().create_all(engine)


def upgrade_to_head(engine: Engine) -> None:
    """Apply every Alembic migration that `engine`'s database lacks."""
    from opsgate.rules.store.migrations.runner import upgrade

    upgrade(engine, "head")


@contextmanager
def session_scope(engine: Engine, *, write: bool = True) -> Iterator[Session]:
    """Yield a session that commits on success and rolls back on error.

    With `write` (the default) a SQLite transaction takes the write lock when
    it begins; pass `write=False` for a read-only scope that must not hold
    writers up.
    """
    bind = writer(engine) if write else engine
    with Session(bind, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
