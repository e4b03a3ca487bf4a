"""Run the store's Alembic migrations without an `alembic.ini` on disk."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, inspect

from opsgate.rules.store.db import registered_metadata, writer

MIGRATIONS_DIR = Path(__file__).resolve().parent
"""The Alembic script location: `env.py`, `script.py.mako` and `versions/`."""


def alembic_config(
    *, connection: Connection | None = None, url: str | None = None
) -> Config:
    """Return an Alembic `Config` for the shipped migrations.

    Pass an open `connection` to run inside it, or a database `url`.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade `engine`'s database to `revision` in one transaction.

    A store whose tables were made by `create_schema` (tests, fixture stores)
    has no Alembic version yet: its missing tables are created and it is
    stamped at head, so commands can open it like any other.
    """
    with writer(engine).begin() as connection:
        config = alembic_config(connection=connection)
        tables = set(inspect(connection).get_table_names())
        if "alembic_version" not in tables and "event" in tables:
            registered_metadata().create_all(connection)
            command.stamp(config, "head")
            return
        command.upgrade(config, revision)
