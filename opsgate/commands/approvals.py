"""`opsgate approvals`, `opsgate approve`, `opsgate reject`: decide at the gate."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from typing import Annotated

import typer
from sqlalchemy import Engine
from sqlmodel import col, select

from opsgate.commands.carry_out import carry_out
from opsgate.commands.store_access import open_store
from opsgate.rules.gate import GateRefusal, GateResult, GateSettings, approve, reject
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.statuses import ProposalStatus
from opsgate.rules.store.tables import Proposal
from opsgate.settings import load_settings

DatabaseUrl = Annotated[
    str,
    typer.Option(envvar="OPSGATE_DATABASE_URL", help="Store URL."),
]
Reason = Annotated[str, typer.Option("--reason", help="Why; kept in the audit log.")]
As = Annotated[
    str | None, typer.Option("--as", help="Decide as this person (default: $USER).")
]
Execute = Annotated[
    bool,
    typer.Option(
        help="Once fully approved, carry the proposal out (resume its triage)."
    ),
]
DEFAULT_URL = "sqlite:///var/opsgate.db"


def load_gate_settings() -> GateSettings:
    """The gate's people and roles, from the settings (`[gate]`, `OPSGATE_GATE__...`)."""
    return load_settings().gate


def _engine(database_url: str) -> Engine:
    engine = open_store(database_url)
    return engine


def approvals(database_url: DatabaseUrl = DEFAULT_URL) -> None:
    """List proposals waiting for a decision."""
    with session_scope(_engine(database_url)) as session:
        rows = session.exec(
            select(Proposal)
            .where(Proposal.status == ProposalStatus.PENDING)
            .order_by(col(Proposal.id))
        ).all()
        if not rows:
            typer.echo("No proposals wait for approval.")
        for row in rows:
            typer.echo(
                f"{row.id:>6}  {row.kind.value:<18} {row.risk.value:<6} "
                f"incident {row.incident_id or '-':<6} {row.summary}"
            )


def approve_command(
    proposal_id: int,
    reason: Reason,
    as_: As = None,
    database_url: DatabaseUrl = DEFAULT_URL,
    execute: Execute = True,
) -> None:
    """Approve proposal PROPOSAL_ID; once fully approved, carry it out."""
    result = _decide(approve, proposal_id, reason, as_, database_url)
    if execute and result.status == ProposalStatus.APPROVED:
        settings = load_gate_settings()
        try:
            message = carry_out(
                _engine(database_url),
                database_url,
                proposal_id,
                actor=as_ or getpass.getuser(),
                gate=settings,
            )
        except GateRefusal as refusal:
            typer.echo(refusal.message, err=True)
            raise typer.Exit(code=1) from refusal
        typer.echo(message)


def reject_command(
    proposal_id: int,
    reason: Reason,
    as_: As = None,
    database_url: DatabaseUrl = DEFAULT_URL,
) -> None:
    """Reject proposal PROPOSAL_ID."""
    _decide(reject, proposal_id, reason, as_, database_url)


Decide = Callable[..., GateResult]


def _decide(
    decide: Decide, proposal_id: int, reason: str, as_: str | None, url: str
) -> GateResult:
    settings = load_gate_settings()
    who = as_ or getpass.getuser()
    try:
        with session_scope(_engine(url)) as session:
            result = decide(
                session, proposal_id, approver=who, reason=reason, settings=settings
            )
    except GateRefusal as refusal:
        typer.echo(refusal.message, err=True)
        raise typer.Exit(code=1) from refusal
    typer.echo(result.message)
    return result
