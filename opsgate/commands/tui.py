"""`opsgate tui`: open the terminal UI over a store."""

from __future__ import annotations

import getpass
import importlib
import importlib.util
from typing import TYPE_CHECKING, Annotated

import typer

from opsgate.commands.store_access import open_store

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from opsgate.tui.context import Answer, Ask

CHAT_MODULE = "opsgate.agent.chat.answer"
"""Where the insights chat job's `make_ask(engine)` lives."""


def tui(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            "--database-url",
            help="Store URL (sqlite:///... or postgresql://...); "
            "default: database_url from the settings.",
        ),
    ] = None,
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
    from opsgate.settings import load_settings
    from opsgate.tui.app import VIEWS, OpsgateApp
    from opsgate.tui.context import TuiContext
    from opsgate.tui.gateway import Gateway

    if view not in VIEWS:
        raise typer.BadParameter(
            f"No view called {view!r}; choose one of {', '.join(VIEWS)}.",
            param_hint="--view",
        )
    settings = load_settings()
    engine = open_store(db or settings.database_url)
    actor = as_ or getpass.getuser()
    ctx = TuiContext(
        engine=engine,
        gateway=Gateway(engine, actor=actor, gate_settings=settings.gate),
        actor=actor,
        readonly=readonly,
        settings=settings.tui,
    )
    ctx.ask = _chat_backend(engine)
    OpsgateApp(ctx, start=view).run()


def _chat_backend(engine: Engine) -> Ask | None:
    """Return the insights chat job's `ask`, or `None` in a build without it.

    The chat job loads scikit-learn, so it is imported on the first question
    (on the chat pane's worker thread), not before the first paint.
    """
    if importlib.util.find_spec(CHAT_MODULE) is None:
        return None

    def ask(question: str) -> Answer:
        chat = importlib.import_module(CHAT_MODULE)
        if hasattr(chat, "make_ask"):
            answer: Answer = chat.make_ask(engine)(question)
        else:
            answer = chat.answer(question, engine=engine)
        return answer

    return ask
