"""The `opsgate` command line.

Each command group lives in `opsgate/commands/<name>.py` and is registered
here with one line, so the command list reads top to bottom in one place.
"""

import typer

from opsgate import __version__
from opsgate.commands.odoo_standin import odoo_standin

app = typer.Typer(
    help="Opsgate: integration engine and triage agent for Odoo.",
    no_args_is_help=True,
)


app.command("odoo-standin")(odoo_standin)


@app.command()
def version() -> None:
    """Print the Opsgate version."""
    typer.echo(__version__)
