"""The `opsgate` command line.

Each command group lives in `opsgate/commands/<name>.py` and is registered
here with one line, so the command list reads top to bottom in one place.
"""

import typer

from opsgate import __version__
from opsgate.commands import approvals, audit, replay
from opsgate.commands.tui import tui

app = typer.Typer(
    help="Opsgate: integration engine and triage agent for Odoo.",
    no_args_is_help=True,
)
app.command("approvals")(approvals.approvals)
app.command("approve")(approvals.approve_command)
app.command("reject")(approvals.reject_command)


@app.command()
def version() -> None:
    """Print the Opsgate version."""
    typer.echo(__version__)


app.command()(tui)
app.add_typer(audit.app, name="audit")
app.command("replay")(replay.replay)
