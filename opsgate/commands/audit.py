"""`opsgate audit verify`: check the audit log's hash chain."""

from __future__ import annotations

import typer

from opsgate.commands.store_access import DEFAULT_DATABASE_URL, DatabaseUrl, open_store
from opsgate.rules.audit.chain import verify
from opsgate.rules.store.db import session_scope

app = typer.Typer(help="Inspect the audit log.", no_args_is_help=True)


@app.command("verify")
def verify_command(database_url: DatabaseUrl = DEFAULT_DATABASE_URL) -> None:
    """Verify the hash chain; exit 1 and name the first broken entry if any."""
    engine = open_store(database_url)
    try:
        with session_scope(engine, write=False) as session:
            verdict = verify(session)
    finally:
        engine.dispose()
    if verdict.ok:
        typer.echo(
            f"Audit chain intact: {verdict.entries_checked} entries, "
            f"head {verdict.head_hash}."
        )
        return
    typer.echo(
        f"Audit chain broken at entry {verdict.first_broken_id}: {verdict.reason} "
        f"({verdict.entries_checked} entries before it verified.)",
        err=True,
    )
    raise typer.Exit(1)
