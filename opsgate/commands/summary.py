"""`opsgate summary`: the day's facts as a short narrative, printed or posted."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Annotated

import typer

from opsgate.agent.graphs.summary import run_summary
from opsgate.agent.summary.posting import WebhookError, post_summary
from opsgate.commands.store_access import open_store
from opsgate.logs import configure_logging
from opsgate.settings import LoggingSettings, load_settings
from opsgate.wiring import llm_client

FORMATS = ("text", "markdown", "json")


def summary(
    day: Annotated[
        str | None, typer.Option("--date", help="UTC day (default: yesterday).")
    ] = None,
    output: Annotated[
        str, typer.Option("--format", help="text, markdown or json.")
    ] = "text",
    post: Annotated[
        str | None, typer.Option(help="Slack-compatible webhook URL.")
    ] = None,
    db: Annotated[
        str,
        typer.Option(
            "--db",
            "--database-url",
            envvar="OPSGATE_DATABASE_URL",
            help="Store database URL.",
        ),
    ] = "sqlite:///var/opsgate.db",
) -> None:
    """Print (or post) the daily summary."""
    configure_logging(LoggingSettings(level="WARNING", format="console"))
    if output not in FORMATS:
        raise typer.BadParameter(
            f"--format must be one of {', '.join(FORMATS)}; got {output!r}."
        )
    try:
        when = (
            date.fromisoformat(day)
            if day
            else datetime.now(UTC).date() - timedelta(days=1)
        )
    except ValueError:
        raise typer.BadParameter(
            f"--date must be a date like 2026-11-30, got {day!r}."
        ) from None
    settings = load_settings()
    engine = open_store(db)
    state = run_summary(engine, when, fmt=output, llm=llm_client(settings, engine))
    text = (
        json.dumps(
            {"facts": state["facts"], "text": state["text"], "source": state["source"]},
            indent=1,
        )
        if output == "json"
        else state["text"]
    )
    typer.echo(text)
    if post:
        try:
            post_summary(post, state["text"])
        except WebhookError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(1) from None
        typer.echo("Posted the summary.", err=True)
