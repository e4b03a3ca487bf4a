"""The `opsgate` command line."""

import typer

app = typer.Typer(help="Opsgate: integration engine and triage agent for Odoo.")


@app.command()
def version() -> None:
    """Print the Opsgate version."""
    from opsgate import __version__

    typer.echo(__version__)
