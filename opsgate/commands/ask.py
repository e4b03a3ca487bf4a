"""`opsgate ask "QUESTION"`: answer a question about integration health from the store."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from opsgate.agent.chat.answer import answer
from opsgate.commands.store_access import open_store
from opsgate.logs import configure_logging
from opsgate.settings import LoggingSettings, load_settings
from opsgate.wiring import llm_client


def ask(
    question: Annotated[str, typer.Argument(help="The question, in plain words.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the answer as JSON.")
    ] = False,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            "--database-url",
            help="Store database URL (default: database_url from settings).",
        ),
    ] = None,
) -> None:
    """Answer a question, citing the event, incident and record ids it rests on."""
    settings = load_settings()
    configure_logging(LoggingSettings(level="WARNING", format="console"))
    engine = open_store(db or settings.database_url)
    result = answer(question, engine=engine, llm=llm_client(settings, engine))
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=1))
        return
    typer.echo(result.text)
    if result.cited_ids:
        typer.echo("Cited: " + ", ".join(result.cited_ids))
