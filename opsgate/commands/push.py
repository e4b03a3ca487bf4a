"""`opsgate push FILE`: sign a body as its source's sender does, and post it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import httpx
import typer

from opsgate.connectors.errors import ConnectorError
from opsgate.connectors.webhooks.sender import post_signed
from opsgate.rules.catalog.loader import load_catalog
from opsgate.settings import load_settings


def push(
    file: Annotated[Path, typer.Argument(help="JSON body to send.", exists=True)],
    source: Annotated[str, typer.Option(help="Source to post as.")] = "standard",
    url: Annotated[
        str | None, typer.Option(help="Server base URL; default from settings.")
    ] = None,
) -> None:
    """Sign FILE with the source's secret and post it to a running server."""
    settings = load_settings()
    catalog = load_catalog(
        settings.catalog.paths, include_shipped=settings.catalog.include_shipped
    )
    entry = catalog.get(source)
    if entry is None:
        known = ", ".join(sorted(catalog.sources))
        typer.echo(
            f"Source {source!r} is not in the catalog; known: {known}.", err=True
        )
        raise typer.Exit(code=2)
    secret = settings.webhooks.secrets.get(source)
    if secret is None:
        typer.echo(
            f"No webhook secret for source {source!r}: set "
            f"OPSGATE_WEBHOOKS__SECRETS__{source.upper()} or [webhooks.secrets] "
            f"{source} in opsgate.toml (`opsgate init` writes one for `standard`).",
            err=True,
        )
        raise typer.Exit(code=2)
    base_url = url or f"http://{settings.server.host}:{settings.server.port}"
    with httpx.Client(timeout=10.0) as client:
        try:
            response = post_signed(
                client,
                base_url,
                source=source,
                body=file.read_bytes(),
                secret=secret.get_secret_value(),
                scheme=entry.signature,
            )
        except ConnectorError as exc:
            typer.echo(exc.message, err=True)
            raise typer.Exit(code=1) from None
    typer.echo(f"{response.status_code} {response.text}")
    if response.status_code >= 400:
        raise typer.Exit(code=1)
