"""`opsgate agent ...`: maintain the triage agent (train its model)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from opsgate.agent.checkpoints import open_checkpointer
from opsgate.agent.classify.model import SHIPPED_MODEL
from opsgate.agent.classify.training import decided_examples, train_model
from opsgate.agent.graphs.triage import build_triage_graph
from opsgate.agent.graphs.triage_runs import TriageStatus, resume_triage, start_triage
from opsgate.agent.setup import checkpoint_target, triage_context
from opsgate.commands.approvals import load_gate_settings
from opsgate.commands.store_access import DEFAULT_DATABASE_URL, DatabaseUrl, open_store
from opsgate.evals.triage.cases import load_cases
from opsgate.rules.store.db import create_schema, create_store_engine, session_scope
from opsgate.settings import load_settings

app = typer.Typer(help="Maintain the triage agent.")


@app.command("train")
def train(
    out: Annotated[Path, typer.Option(help="Where to write the model.")] = Path(
        "var/triage_model.joblib"
    ),
    database_url: Annotated[
        str | None,
        typer.Option(
            envvar="OPSGATE_DATABASE_URL", help="Learn people's decisions too."
        ),
    ] = None,
    ship: Annotated[
        bool, typer.Option(help="Overwrite the model shipped in the package.")
    ] = False,
) -> None:
    """Train the classifier on the train split and on people's past decisions."""
    examples = [(case.facts, case.category) for case in load_cases("train")]
    decided = []
    if database_url:
        engine = create_store_engine(database_url)
        create_schema(engine)
        with session_scope(engine) as session:
            decided = decided_examples(session)
    model = train_model(examples + decided)
    target = SHIPPED_MODEL if ship else out
    model.save(target)
    typer.echo(
        f"trained on {len(examples)} labelled cases and {len(decided)} decided "
        f"proposals; wrote {target}"
    )


@app.command("triage")
def triage(incident_id: int, database_url: DatabaseUrl = DEFAULT_DATABASE_URL) -> None:
    """Triage incident INCIDENT_ID until its proposal waits for people."""
    _run(incident_id, database_url, None)


@app.command("resume")
def resume(incident_id: int, database_url: DatabaseUrl = DEFAULT_DATABASE_URL) -> None:
    """Resume INCIDENT_ID's triage after its proposal was decided at the gate."""
    _run(incident_id, database_url, "resume")


def _run(incident_id: int, database_url: str, mode: str | None) -> None:
    settings = load_settings().agent
    engine = open_store(database_url)
    create_schema(engine)
    context = triage_context(
        engine, database_url, settings, load_gate_settings(), load_settings().odoo
    )
    with open_checkpointer(checkpoint_target(database_url, settings)) as saver:
        graph = build_triage_graph(saver)
        if mode is None:
            status = start_triage(graph, context, incident_id)
        else:
            status = resume_triage(graph, context, incident_id, {"proposal_id": None})
    _show(status)


def _show(status: TriageStatus) -> None:
    classification = status.classification or {}
    typer.echo(
        f"incident {status.incident_id}: {classification.get('category', '?')} "
        f"({classification.get('layer', '?')}, "
        f"confidence {classification.get('confidence', 0):.2f})"
    )
    typer.echo(f"  root cause: {classification.get('root_cause', '-')}")
    typer.echo(f"  proposal:   {status.proposal_id}")
    if status.waiting:
        typer.echo(
            f"  waiting for approval: opsgate approve {status.proposal_id} --reason ..."
        )
        if status.refusal:
            typer.echo(f"  last refusal: {status.refusal}")
    else:
        typer.echo(f"  outcome:    {status.outcome}")
