"""The `opsgate` command line.

Each command lives in `opsgate/commands/<name>.py` and is listed here with
its one-line help, so the command list reads top to bottom in one place.
Commands are imported when they run (`opsgate.lazy_commands`): `opsgate
incidents` does not wait for scikit-learn to load.
"""

import typer

from opsgate import __version__
from opsgate.lazy_commands import LazyCommand, lazy_group
from opsgate.settings import SettingsError

COMMANDS = (
    # Setting up and running the engine.
    LazyCommand(
        "init",
        "opsgate.commands.init:init",
        "Write a commented starter `opsgate.toml`.",
    ),
    LazyCommand(
        "run",
        "opsgate.commands.run:run",
        "Run the engine: webhooks in, routing, delivery.",
    ),
    LazyCommand(
        "demo",
        "opsgate.commands.demo:demo",
        "Run a 40-consultant firm's month through Opsgate and print what happened.",
    ),
    LazyCommand(
        "push",
        "opsgate.commands.push:push",
        "Sign FILE with the source's secret and post it to a running server.",
    ),
    LazyCommand(
        "import",
        "opsgate.commands.imports:app",
        "Import files exported from peer systems.",
    ),
    LazyCommand(
        "pull",
        "opsgate.commands.reconcile:pull",
        "Pull posted invoices and payments from Odoo (contract-to-cash) once.",
    ),
    LazyCommand(
        "reconcile",
        "opsgate.commands.reconcile:reconcile",
        "Compare the time tool, Odoo timesheets and invoices, and CRM deals with "
        "orders.",
    ),
    # Looking after it.
    LazyCommand(
        "tui",
        "opsgate.commands.tui:tui",
        "Open the terminal UI: health, incidents, approvals, events, dead letters.",
    ),
    LazyCommand(
        "incidents",
        "opsgate.commands.incidents:incidents",
        "List unresolved incidents by impact, with the support tickets about them.",
    ),
    LazyCommand(
        "approvals",
        "opsgate.commands.approvals:approvals",
        "List proposals waiting for a decision.",
    ),
    LazyCommand(
        "approve",
        "opsgate.commands.approvals:approve_command",
        "Approve proposal PROPOSAL_ID; once fully approved, carry it out.",
    ),
    LazyCommand(
        "reject",
        "opsgate.commands.approvals:reject_command",
        "Reject proposal PROPOSAL_ID.",
    ),
    LazyCommand(
        "replay",
        "opsgate.commands.replay:replay",
        "Re-queue dead letters with a fresh attempt budget, by id or by filter.",
    ),
    LazyCommand(
        "release",
        "opsgate.commands.release:release",
        "Put held events back for routing; controls that still fail hold them again.",
    ),
    LazyCommand("audit", "opsgate.commands.audit:app", "Inspect the audit log."),
    # The agent's jobs.
    LazyCommand(
        "ask",
        "opsgate.commands.ask:ask",
        "Answer a question, citing the event, incident and record ids it rests on.",
    ),
    LazyCommand(
        "summary",
        "opsgate.commands.summary:summary",
        "Print (or post) the daily summary.",
    ),
    LazyCommand(
        "anomalies",
        "opsgate.commands.anomalies:app",
        "Billing anomalies: list, raise as incidents, dismiss.",
    ),
    LazyCommand("agent", "opsgate.commands.agent:app", "Maintain the triage agent."),
    LazyCommand(
        "eval",
        "opsgate.commands.evals:app",
        "Measure the agent's jobs on their labelled cases.",
    ),
    # Tools.
    LazyCommand(
        "odoo-standin",
        "opsgate.commands.odoo_standin:odoo_standin",
        "Serve an Odoo 18/19 stand-in (JSON-2, JSON-RPC, XML-RPC) on 127.0.0.1.",
    ),
)
"""Every command, in the order `opsgate --help` lists them."""

app = typer.Typer(
    cls=lazy_group(COMMANDS),
    help="Opsgate: integration engine and triage agent for Odoo.",
    no_args_is_help=True,
    invoke_without_command=True,
)


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
