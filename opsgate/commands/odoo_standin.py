"""`opsgate odoo-standin`: serve the in-process Odoo stand-in until interrupted.

For trying the connector or the demo by hand without a real Odoo:

    opsgate odoo-standin --odoo-version 19 --port 8069
"""

from __future__ import annotations

import threading

import typer

from opsgate.connectors.odoo.standin import OdooStandin


def odoo_standin(
    odoo_version: int = typer.Option(
        19, help="The Odoo major version to play: 18 or 19."
    ),
    port: int = typer.Option(
        8069, help="Loopback port to listen on (0: any free port)."
    ),
    database: str = typer.Option(
        "standin", help="The database name clients must send."
    ),
    api_key: str = typer.Option("standin-admin-key", help="The admin user's API key."),
) -> None:
    """Serve an Odoo 18/19 stand-in (JSON-2, JSON-RPC, XML-RPC) on 127.0.0.1."""
    if odoo_version not in (18, 19):
        raise typer.BadParameter(
            f"--odoo-version must be 18 or 19, not {odoo_version!r}."
        )
    with OdooStandin(
        version=odoo_version, port=port, database=database, api_key=api_key
    ) as standin:
        typer.echo(
            f"Odoo {odoo_version} stand-in at {standin.url} "
            f"(database {database!r}, admin key {api_key!r}, demo key "
            f"{standin.demo_api_key!r}). Ctrl-C stops it."
        )
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            typer.echo("Stopped.")
