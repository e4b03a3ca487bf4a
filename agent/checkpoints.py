"""Open the checkpointer a triage graph persists its runs in."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.postgres import PostgresSaver
from langgraph.checkpoint.sqlite import SqliteSaver


@contextmanager
def open_checkpointer(target: str) -> Iterator[BaseCheckpointSaver[str]]:
    """Yield a checkpointer: PostgreSQL for a `postgresql://` URL, else a SQLite file."""
    if target.startswith(("postgresql://", "postgres://")):
        with PostgresSaver.from_conn_string(target) as saver:
            saver.setup()
            yield saver
        return
    path = Path(target.removeprefix("sqlite:///"))
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, check_same_thread=False)
    try:
        yield SqliteSaver(connection)
    finally:
        connection.close()
