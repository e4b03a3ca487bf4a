"""The `--database-url` option shared by commands that open the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from opsgate.rules.store.db import (
    DEFAULT_SQLITE_PATH,
    create_store_engine,
    upgrade_to_head,
)

DEFAULT_DATABASE_URL = f"sqlite:///{DEFAULT_SQLITE_PATH}"

DatabaseUrl = Annotated[
    str,
    typer.Option(
        "--database-url",
        "--db",
        envvar="OPSGATE_DATABASE_URL",
        help="The store: sqlite:///path.db or postgresql://user@host/db.",
        show_default=True,
    ),
]


def open_store(url: str, *, must_exist: bool = True) -> Engine:
    """Return an engine on `url`, migrated to head, or exit with a message.

    Commands that read an existing store pass `must_exist`: a SQLite path
    that names no file is a mistake to report, not a new empty store to make.
    Commands that may make the store make it only in a directory that exists
    (or at the default path), so a mistyped path is reported too.
    """
    path = sqlite_path(url)
    if (
        not must_exist
        and path is not None
        and not path.parent.exists()
        and path != Path(DEFAULT_SQLITE_PATH)
    ):
        typer.echo(
            f"No directory {str(path.parent)!r} for the store {str(path)!r}; check "
            "the path (--db/--database-url or OPSGATE_DATABASE_URL), or create the "
            "directory first.",
            err=True,
        )
        raise typer.Exit(1)
    if must_exist and path is not None and not path.exists():
        typer.echo(
            f"No Opsgate store at {str(path)!r}; check the path, or run `opsgate run` "
            "or `opsgate demo` first (set it with --db/--database-url or "
            "OPSGATE_DATABASE_URL).",
            err=True,
        )
        raise typer.Exit(1)
    try:
        engine = create_store_engine(url)
        upgrade_to_head(engine)
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    except OperationalError as exc:
        typer.echo(f"The store at {url!r} could not be opened: {exc.orig}.", err=True)
        raise typer.Exit(1) from exc
    return engine


def sqlite_path(url: str) -> Path | None:
    """The file a `sqlite:///` URL names, or None for other databases."""
    if not url.startswith("sqlite:///") or url.endswith(":memory:"):
        return None
    return Path(url.removeprefix("sqlite:///"))
