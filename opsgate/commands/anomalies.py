"""`opsgate anomalies`: list billing anomalies, raise them as incidents, dismiss them."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Annotated, Any

import typer

from opsgate.agent.anomalies.dismissal import UnknownFlagError, dismiss_flag
from opsgate.agent.anomalies.flag import money_text
from opsgate.agent.graphs.anomalies import AnomaliesContext, build_anomalies_graph
from opsgate.commands.store_access import open_store
from opsgate.logs import configure_logging
from opsgate.rules.store.db import session_scope
from opsgate.settings import LoggingSettings

app = typer.Typer(help="Billing anomalies: list, raise as incidents, dismiss.")

StoreUrl = Annotated[
    str,
    typer.Option(
        "--db",
        "--database-url",
        envvar="OPSGATE_DATABASE_URL",
        help="Store database URL.",
    ),
]
DEFAULT_DB = "sqlite:///var/opsgate.db"


def _date(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise typer.BadParameter(
            f"{name} must be a date like 2026-11-30, got {value!r}."
        ) from None


@app.callback(invoke_without_command=True)
def list_anomalies(
    ctx: typer.Context,
    since: Annotated[
        str | None, typer.Option(help="Only lines on or after this date.")
    ] = None,
    project: Annotated[
        str | None, typer.Option(help="Only this project (code or name).")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option(help="Read the facts as of this date.")
    ] = None,
    raise_incidents: Annotated[
        bool, typer.Option("--raise/--no-raise", help="Open incidents for new flags.")
    ] = True,
    output: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    db: StoreUrl = DEFAULT_DB,
) -> None:
    """List the billing anomalies in the store and raise new ones as incidents."""
    configure_logging(LoggingSettings(level="WARNING", format="console"))
    if ctx.invoked_subcommand is not None:
        return
    engine = open_store(db)
    state = build_anomalies_graph().invoke(
        {
            "as_of": _date(as_of, "--as-of") or datetime.now(UTC).date().isoformat(),
            "since": _date(since, "--since"),
            "project": project,
            "raise_incidents": raise_incidents,
        },
        context=AnomaliesContext(engine=engine),
    )
    if output == "json":
        typer.echo(
            json.dumps({"flags": state["flags"], "raised": state["raised"]}, indent=1)
        )
        return
    _print_text(state)


def _print_text(state: dict[str, Any]) -> None:
    flags = state.get("flags") or []
    raised = {r["fingerprint"]: r for r in state.get("raised") or []}
    if not flags:
        typer.echo("No billing anomalies found.")
    for flag in flags:
        done = raised.get(flag["fingerprint"], {})
        incident = (
            f"incident {done['incident_id']}"
            if done.get("incident_id")
            else "not raised"
        )
        typer.echo(
            f"[{flag['kind']}] {flag['title']}\n"
            f"  at risk: {money_text(flag['amount_at_risk'], flag['currency'])}; {incident}; "
            f"fingerprint {flag['fingerprint'][:12]}"
        )
        for reason in flag["reasons"]:
            typer.echo(f"  - {reason}")
    for reason in state.get("skipped") or []:
        typer.echo(f"Skipped: {reason}", err=True)


@app.command("dismiss")
def dismiss(
    fingerprint: Annotated[
        str, typer.Argument(help="The flag's fingerprint (or a prefix).")
    ],
    by: Annotated[str, typer.Option(help="Who dismisses it.")],
    reason: Annotated[str, typer.Option(help="Why it is not a problem.")],
    db: StoreUrl = DEFAULT_DB,
) -> None:
    """Dismiss a flag so it is not raised again for the same records."""
    configure_logging(LoggingSettings(level="WARNING", format="console"))
    engine = open_store(db)
    try:
        with session_scope(engine) as session:
            flag = dismiss_flag(session, fingerprint, by=by, reason=reason)
            typer.echo(f"Dismissed {flag.kind} flag {flag.fingerprint[:12]}.")
    except UnknownFlagError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
