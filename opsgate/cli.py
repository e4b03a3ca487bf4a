"""The `opsgate` command line.

Each command group lives in `opsgate/commands/<name>.py` and is registered
here with one line, so the command list reads top to bottom in one place.
"""

import typer

from opsgate import __version__
from opsgate.commands import (
    agent,
    anomalies,
    approvals,
    ask,
    audit,
    evaluation,
    incidents,
    replay,
    summary,
)
from opsgate.commands import eval as eval_command
from opsgate.commands.demo import demo
from opsgate.commands.imports import app as imports_app
from opsgate.commands.init import init
from opsgate.commands.odoo_standin import odoo_standin
from opsgate.commands.push import push
from opsgate.commands.reconcile import pull, reconcile
from opsgate.commands.release import release
from opsgate.commands.run import run
from opsgate.commands.tui import tui
from opsgate.settings import SettingsError

app = typer.Typer(
    help="Opsgate: integration engine and triage agent for Odoo.",
    no_args_is_help=True,
    invoke_without_command=True,
)
evals = typer.Typer(help="Measure the agent's jobs on their labelled cases.")
evals.command("triage")(eval_command.triage)
evals.command("anomalies")(evaluation.eval_anomalies)
evals.command("chat")(evaluation.eval_chat)

# Setting up and running the engine.
app.command()(init)
app.command()(run)
app.command()(demo)
app.command()(push)
app.add_typer(imports_app, name="import")
app.command()(pull)
app.command()(reconcile)
# Looking after it.
app.command()(tui)
app.command("incidents")(incidents.incidents)
app.command("approvals")(approvals.approvals)
app.command("approve")(approvals.approve_command)
app.command("reject")(approvals.reject_command)
app.command("replay")(replay.replay)
app.command()(release)
app.add_typer(audit.app, name="audit")
# The agent's jobs.
app.command("ask")(ask.ask)
app.command("summary")(summary.summary)
app.add_typer(anomalies.app, name="anomalies")
app.add_typer(agent.app, name="agent")
app.add_typer(evals, name="eval")
# Tools.
app.command("odoo-standin")(odoo_standin)


@app.command()
def version() -> None:
    """Print the Opsgate version."""
    typer.echo(__version__)


@app.callback()
def _options(
    show_version: bool = typer.Option(
        False, "--version", help="Print the Opsgate version and exit.", is_eager=True
    ),
) -> None:
    """Opsgate: integration engine and triage agent for Odoo."""
    if show_version:
        typer.echo(__version__)
        raise typer.Exit()


def main() -> None:
    """Run the CLI; settings that cannot be read end it with their message."""
    try:
        app()
    except SettingsError as exc:
        typer.echo(str(exc), err=True)
        raise SystemExit(2) from None
