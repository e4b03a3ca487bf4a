"""`opsgate eval anomalies` and `opsgate eval chat`: measure the insight jobs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from opsgate.agent.llm import LLMClient
from opsgate.agent.settings import LLMSettings
from opsgate.evals.billing.harness import render_table, run_anomaly_eval, write_result
from opsgate.evals.chat.harness import run_chat_eval
from opsgate.logs import configure_logging
from opsgate.settings import LoggingSettings

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
    configure_logging(LoggingSettings(level="WARNING", format="console"))
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


@app.command("chat")
def eval_chat(
    output: Annotated[
        Path, typer.Option(help="Where to write the JSON result.")
    ] = Path("var/eval/chat.json"),
    store: Annotated[
        Path, typer.Option(help="Where to build the fixture store.")
    ] = Path("var/eval/chat_fixture.db"),
    llm_base_url: Annotated[
        str | None, typer.Option(help="OpenAI-compatible endpoint for the model run.")
    ] = None,
    llm_model: Annotated[
        str | None, typer.Option(help="Model name at that endpoint.")
    ] = None,
) -> None:
    """Print the share of chat questions answered correctly, without and with a model."""
    configure_logging(LoggingSettings(level="WARNING", format="console"))
    runs = [run_chat_eval(store)]
    if llm_base_url and llm_model:
        settings = LLMSettings(base_url=llm_base_url, model=llm_model)
        runs.append(run_chat_eval(store, llm=LLMClient(settings)))
    for run in runs:
        typer.echo(
            f"{run['mode']}: {run['correct']}/{run['questions']} correct "
            f"({run['share_correct']:.1%}); writes detected: "
            f"{'yes' if run['writes_detected'] else 'no'}."
        )
        for failure in run["failures"][:10]:
            typer.echo(f"  wrong: {failure['slug']}: {failure['text'][:120]}")
    if len(runs) == 1:
        typer.echo("model: not run (give --llm-base-url and --llm-model).")
    write_result({"runs": runs}, output)
    typer.echo(f"Wrote {output}.")
