"""`opsgate tui`: open the terminal UI over a store."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer

from opsgate.rules.store.db import DEFAULT_SQLITE_PATH, create_store_engine

DEFAULT_URL = f"sqlite:///{DEFAULT_SQLITE_PATH}"


def tui(
    db: Annotated[
        str, typer.Option("--db", help="Store URL (sqlite:///... or postgresql://...).")
    ] = DEFAULT_URL,
    readonly: Annotated[
        bool, typer.Option("--readonly", help="Hide every action that writes.")
    ] = False,
    as_: Annotated[
        str | None,
        typer.Option("--as", help="Who approves and replays (default: your login)."),
    ] = None,
    view: Annotated[
        str, typer.Option("--view", help="The view to open first.")
    ] = "overview",
) -> None:
    """Open the terminal UI: health, incidents, approvals, events, dead letters."""
    from opsgate.commands.approvals import load_gate_settings
    from opsgate.tui.app import VIEWS, OpsgateApp
    from opsgate.tui.context import TuiContext
    from opsgate.tui.gateway import Gateway

    if view not in VIEWS:
        raise typer.BadParameter(
            f"No view called {view!r}; choose one of {', '.join(VIEWS)}.",
            param_hint="--view",
        )
    engine = create_store_engine(db)
    actor = as_ or getpass.getuser()
    ctx = TuiContext(
        engine=engine,
        gateway=Gateway(engine, actor=actor, gate_settings=load_gate_settings()),
        actor=actor,
        readonly=readonly,
    )
    OpsgateApp(ctx, start=view).run()
