"""The `opsgate` command line.

Each command group lives in `opsgate/commands/<name>.py` and is registered
here with one line, so the command list reads top to bottom in one place.
"""

import typer

from opsgate import __version__
from opsgate.commands import agent, approvals, audit, replay
from opsgate.commands import eval as eval_command

app = typer.Typer(
    help="Opsgate: integration engine and triage agent for Odoo.",
    no_args_is_help=True,
)
app.command("approvals")(approvals.approvals)
app.command("approve")(approvals.approve_command)
app.command("reject")(approvals.reject_command)
app.add_typer(eval_command.app, name="eval")
app.add_typer(agent.app, name="agent")


@app.command()
def version() -> None:
    """Print the Opsgate version."""
    typer.echo(__version__)


app.add_typer(audit.app, name="audit")
app.command("replay")(replay.replay)
