"""The `--database-url` option shared by commands that open the store."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy import Engine

from opsgate.rules.store.db import DEFAULT_SQLITE_PATH, create_store_engine

DEFAULT_DATABASE_URL = f"sqlite:///{DEFAULT_SQLITE_PATH}"

DatabaseUrl = Annotated[
    str,
    typer.Option(
        "--database-url",
        envvar="OPSGATE_DATABASE_URL",
        help="The store: sqlite:///path.db or postgresql://user@host/db.",
        show_default=True,
    ),
]


def open_store(url: str) -> Engine:
    """Return an engine on `url`, or exit 2 with a message naming the problem."""
    try:
        return create_store_engine(url)
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
