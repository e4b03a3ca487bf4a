"""`opsgate audit verify`: check the audit log's hash chain."""

from __future__ import annotations

from typing import Annotated

import typer

from opsgate.commands.store_access import DEFAULT_DATABASE_URL, DatabaseUrl, open_store
from opsgate.rules.audit.chain import entry_with_hash, verify
from opsgate.rules.store.db import session_scope

app = typer.Typer(help="Inspect the audit log.", no_args_is_help=True)


@app.command("verify")
def verify_command(
    database_url: DatabaseUrl = DEFAULT_DATABASE_URL,
    expect_head: Annotated[
        str | None,
        typer.Option(
            help="A head an earlier verify printed, kept outside this store: it must "
            "still be in the chain, or entries at its end were deleted."
        ),
    ] = None,
) -> None:
    """Verify the hash chain; exit 1 and name the first broken entry if any."""
    engine = open_store(database_url)
    try:
        with session_scope(engine, write=False) as session:
            verdict = verify(session)
            kept = entry_with_hash(session, expect_head) if expect_head else None
    finally:
        engine.dispose()
    if verdict.ok and expect_head and kept is None:
        typer.echo(
            f"Audit chain cut short: the head you kept ({expect_head}) is no longer "
            f"in it, so entries at its end were deleted (or the head is from "
            f"another store). {verdict.entries_checked} entries remain, head "
            f"{verdict.head_hash}.",
            err=True,
        )
        raise typer.Exit(1)
    if verdict.ok:
        since = f"; the kept head is entry {kept}" if kept is not None else ""
        typer.echo(
            f"Audit chain intact: {verdict.entries_checked} entries, "
            f"head {verdict.head_hash}{since}. Keep the head outside this store "
            "and pass it as --expect-head next time to catch a cut-off end."
        )
        return
    typer.echo(
        f"Audit chain broken at entry {verdict.first_broken_id}: {verdict.reason} "
        f"({verdict.entries_checked} entries before it verified.)",
        err=True,
    )
    raise typer.Exit(1)
