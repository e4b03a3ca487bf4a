"""`opsgate push FILE`: sign a sample with Standard Webhooks and post it."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Annotated

import httpx
import typer

from opsgate.connectors.webhooks.standard import signed_headers
from opsgate.settings import load_settings


def post_signed(
    client: httpx.Client, base_url: str, *, source: str, body: bytes, secret: str
) -> httpx.Response:
    """Post `body` to `/webhooks/{source}`, signed with `secret`.

    The message id is derived from the body, so pushing the same file twice
    is the same event twice (the second answer is 200 with the first id).
    """
    msg_id = "push_" + hashlib.sha256(body).hexdigest()[:24]
    headers = signed_headers(
        secret, msg_id=msg_id, timestamp=int(time.time()), body=body
    )
    headers["content-type"] = "application/json"
    return client.post(f"{base_url}/webhooks/{source}", content=body, headers=headers)


def push(
    file: Annotated[Path, typer.Argument(help="JSON body to send.", exists=True)],
    source: Annotated[str, typer.Option(help="Source to post as.")] = "standard",
    url: Annotated[
        str | None, typer.Option(help="Server base URL; default from settings.")
    ] = None,
) -> None:
    """Sign FILE with the source's secret and post it to a running server."""
    settings = load_settings()
    secret = settings.webhooks.secrets.get(source)
    if secret is None:
        typer.echo(
            f"No webhook secret for source {source!r}: set "
            f"OPSGATE_WEBHOOKS__SECRETS__{source.upper()} or run `opsgate init`.",
            err=True,
        )
        raise typer.Exit(code=2)
    base_url = url or f"http://{settings.server.host}:{settings.server.port}"
    with httpx.Client(timeout=10.0) as client:
        response = post_signed(
            client,
            base_url,
            source=source,
            body=file.read_bytes(),
            secret=secret.get_secret_value(),
        )
    typer.echo(f"{response.status_code} {response.text}")
    if response.status_code >= 400:
        raise typer.Exit(code=1)
