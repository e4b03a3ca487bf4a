"""`opsgate eval anomalies` and `opsgate eval chat`: measure the insight jobs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from opsgate.evals.billing.harness import render_table, run_anomaly_eval, write_result

app = typer.Typer(help="Measure the agent's jobs on labelled cases.")


@app.command("anomalies")
def eval_anomalies(
    output: Annotated[
        Path, typer.Option(help="Where to write the JSON result.")
    ] = Path("var/eval/anomalies.json"),
    compare_models: Annotated[
        bool, typer.Option(help="Also compare the candidate models on the train split.")
    ] = False,
) -> None:
    """Print precision and recall per anomaly kind on the held-out split."""
    result = run_anomaly_eval(compare=compare_models)
    typer.echo("Held-out split:")
    typer.echo(render_table(result, "held_out"))
    train = result["splits"]["train"]["overall"]
    typer.echo(
        f"Train split overall: precision {train['precision']:.3f}, "
        f"recall {train['recall']:.3f}."
    )
    for name, scores in result.get("model_comparison", {}).items():
        unusual = scores["unusual_pattern"]
        typer.echo(
            f"Model {name}: unusual_pattern precision {unusual['precision']:.3f}, "
            f"recall {unusual['recall']:.3f}."
        )
    typer.echo(f"Meets target: {'yes' if result['meets_target'] else 'no'}.")
    write_result(result, output)
    typer.echo(f"Wrote {output}.")
