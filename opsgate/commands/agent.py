"""`opsgate agent ...`: maintain the triage agent (train its model)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from opsgate.agent.classify.model import SHIPPED_MODEL
from opsgate.agent.classify.training import decided_examples, train_model
from opsgate.evals.triage.cases import load_cases
from opsgate.rules.store.db import create_schema, create_store_engine, session_scope

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
