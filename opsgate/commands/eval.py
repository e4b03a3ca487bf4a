"""`opsgate eval <job>`: measure an agent job on its labelled cases."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, cast

import typer

from opsgate.agent.classify import Classifier
from opsgate.agent.classify.model import TriageModel
from opsgate.evals.triage.cases import Split
from opsgate.evals.triage.harness import render_table, run_triage_eval, write_json

app = typer.Typer(help="Measure the agent's quality on labelled cases.")


@app.command("triage")
def triage(
    split: Annotated[str, typer.Option(help="train, test or all.")] = "test",
    json_out: Annotated[
        Path, typer.Option("--json", help="Where to write the JSON report.")
    ] = Path("var/eval/triage.json"),
    model: Annotated[
        Path | None, typer.Option(help="A retrained model file (default: shipped).")
    ] = None,
) -> None:
    """Classify the triage cases and print per-category precision, recall, F1."""
    if split not in {"train", "test", "all"}:
        raise typer.BadParameter(f"Split {split!r} is not one of train, test, all.")
    classifier = Classifier(TriageModel.load(model))
    run = run_triage_eval(classifier, cast(Split, split))
    typer.echo(render_table(run))
    write_json(run, json_out)
    typer.echo(f"\nwrote {json_out}")
