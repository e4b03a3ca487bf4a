"""Alembic environment: the store's metadata, batch mode on SQLite."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from opsgate.rules.store.db import create_store_engine, registered_metadata, writer

config = context.config
target_metadata = registered_metadata()


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise ValueError(
            "No database for the migrations: set 'sqlalchemy.url' in the Alembic "
            "config or pass a connection in config.attributes['connection']."
        )
    engine = create_store_engine(url)
    try:
        with writer(engine).connect() as connection:
            _run(connection)
            connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise NotImplementedError(
        "Offline (--sql) migrations are not supported; run them against a database."
    )
_run_online()
