"""`opsgate replay`: re-queue dead letters by id or by filter."""

from __future__ import annotations

import getpass
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import typer

from opsgate.commands.store_access import DEFAULT_DATABASE_URL, DatabaseUrl, open_store
from opsgate.connectors.errors import ErrorCategory
from opsgate.rules.delivery.replay import (
    ReplayReport,
    replay_dead_letters,
    replay_matching,
)
from opsgate.rules.store.db import session_scope

_RELATIVE = re.compile(r"^(\d+)([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_since(value: str, *, now: datetime | None = None) -> datetime:
    """Parse `--since`: an ISO 8601 time (UTC if no zone) or an age (`90m`, `2d`).

    Raises:
        typer.BadParameter: naming the value when it is neither.
    """
    match = _RELATIVE.match(value.strip())
    if match:
        amount, unit = int(match.group(1)), match.group(2)
        return (now or datetime.now(UTC)) - timedelta(**{_UNITS[unit]: amount})
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(
            f"{value!r} is neither an ISO 8601 time (2026-12-03T09:00) nor an age "
            "like '90m', '6h' or '2d'."
        ) from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _parse_patch(value: str | None) -> dict[str, Any] | None:
    if value is None:
        return None
    try:
        patch = json.loads(value)
    except json.JSONDecodeError as exc:
        raise typer.BadParameter(
            f"--patch is not JSON: {exc.msg} in {value!r}."
        ) from exc
    if not isinstance(patch, dict):
        raise typer.BadParameter(f"--patch must be a JSON object, got {value!r}.")
    return patch


def replay(
    ids: Annotated[
        list[int] | None, typer.Argument(help="Dead letter ids to replay.")
    ] = None,
    target: Annotated[
        str | None, typer.Option(help="Replay dead letters of this target.")
    ] = None,
    category: Annotated[
        ErrorCategory | None, typer.Option(help="Replay dead letters of this category.")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(help="Only dead letters since: ISO time or age (90m, 6h, 2d)."),
    ] = None,
    patch: Annotated[
        str | None, typer.Option(help="JSON merge patch applied to each payload.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would happen; change nothing.")
    ] = False,
    actor: Annotated[
        str | None, typer.Option(help="Who replays (audited); default: your login.")
    ] = None,
    database_url: DatabaseUrl = DEFAULT_DATABASE_URL,
) -> None:
    """Re-queue dead letters with a fresh attempt budget, by id or by filter."""
    if not ids and target is None and category is None and since is None:
        typer.echo(
            "Name dead letters to replay: ids, or --target / --category / --since.",
            err=True,
        )
        raise typer.Exit(2)
    since_at = parse_since(since) if since is not None else None
    patch_doc = _parse_patch(patch)
    who = actor or getpass.getuser()
    engine = open_store(database_url)
    try:
        with session_scope(engine) as session:
            if ids:
                report = replay_dead_letters(
                    session, ids, actor=who, patch=patch_doc, dry_run=dry_run
                )
            else:
                report = replay_matching(
                    session,
                    actor=who,
                    target=target,
                    category=category,
                    since=since_at,
                    patch=patch_doc,
                    dry_run=dry_run,
                )
    finally:
        engine.dispose()
    _print(report)
    if ids and report.skipped:
        raise typer.Exit(1)


def _print(report: ReplayReport) -> None:
    for item in report.items:
        where = f"delivery {item.delivery_id} to {item.target}"
        if item.action == "skipped":
            typer.echo(f"dead letter {item.dead_letter_id}: skipped: {item.reason}")
        elif item.action == "would_requeue":
            payload = json.dumps(item.payload, sort_keys=True)
            typer.echo(
                f"dead letter {item.dead_letter_id}: would re-queue {where} "
                f"({item.category}) with payload {payload}"
            )
        else:
            typer.echo(f"dead letter {item.dead_letter_id}: re-queued {where}")
    verb = "would re-queue" if report.dry_run else "re-queued"
    typer.echo(
        f"{len(report.requeued)} {verb}, {len(report.skipped)} skipped"
        + (" (dry run: nothing changed)." if report.dry_run else ".")
    )
