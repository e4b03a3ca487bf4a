"""`opsgate release`: let held events go through their workflow's controls again."""

from __future__ import annotations

from typing import Annotated

import typer

from opsgate.rules.routing.holding import release_held
from opsgate.rules.store.db import create_store_engine, session_scope, upgrade_to_head
from opsgate.settings import load_settings


def release(
    event_ids: Annotated[
        list[str] | None, typer.Argument(help="Held events to release (default: all).")
    ] = None,
    actor: Annotated[
        str, typer.Option(help="Who releases them, for the audit log.")
    ] = "cli",
) -> None:
    """Put held events back for routing; controls that still fail hold them again."""
    settings = load_settings()
    engine = create_store_engine(settings.database_url)
    upgrade_to_head(engine)
    with session_scope(engine) as session:
        released = release_held(session, event_ids=event_ids or None, actor=actor)
    typer.echo(
        f"Released {len(released)} held event(s); `opsgate run` routes them again."
        if released
        else "No held event matched."
    )
