"""`opsgate eval triage|anomalies|chat`: the agent's jobs on their labelled cases."""

import typer

from opsgate.commands import eval as eval_command
from opsgate.commands import evaluation

app = typer.Typer(help="Measure the agent's jobs on their labelled cases.")
app.command("triage")(eval_command.triage)
app.command("anomalies")(evaluation.eval_anomalies)
app.command("chat")(evaluation.eval_chat)
