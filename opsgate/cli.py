"""The `opsgate` command line.

Each command group lives in `opsgate/commands/<name>.py` and is registered
here with one line, so the command list reads top to bottom in one place.
"""

import typer

from opsgate import __version__
from opsgate.commands import anomalies, approvals, ask, evaluation, summary

app = typer.Typer(
    help="Opsgate: integration engine and triage agent for Odoo.",
    no_args_is_help=True,
)
app.command("approvals")(approvals.approvals)
app.command("approve")(approvals.approve_command)
app.command("reject")(approvals.reject_command)
app.add_typer(anomalies.app, name="anomalies")
app.add_typer(evaluation.app, name="eval")
app.command("summary")(summary.summary)
app.command("ask")(ask.ask)


@app.command()
def version() -> None:
    """Print the Opsgate version."""
    typer.echo(__version__)
