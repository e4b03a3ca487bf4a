"""`opsgate ask "QUESTION"`: answer a question about integration health from the store."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from opsgate.agent.chat.answer import answer
from opsgate.rules.store.db import create_schema, create_store_engine


def ask(
    question: Annotated[str, typer.Argument(help="The question, in plain words.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the answer as JSON.")
    ] = False,
    db: Annotated[
        str,
        typer.Option("--db", envvar="OPSGATE_STORE__URL", help="Store database URL."),
    ] = "sqlite:///var/opsgate.db",
) -> None:
    """Answer a question, citing the event, incident and record ids it rests on."""
    engine = create_store_engine(db)
    create_schema(engine)
    result = answer(question, engine=engine)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=1))
        return
    typer.echo(result.text)
    if result.cited_ids:
        typer.echo("Cited: " + ", ".join(result.cited_ids))
