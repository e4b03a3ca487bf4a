"""One workflow's health: rates, queue and 24-hour sparklines."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Sparkline, Static

from opsgate.tui import formatting as fmt
from opsgate.tui.queries import FlowHealth


class FlowCard(Vertical):
    """A card for one workflow on the overview."""

    DEFAULT_CSS = """
    FlowCard {
        height: auto;
        border: round $panel-lighten-2;
        padding: 0 1;
        & > .flow-card--title { text-style: bold; color: $accent; }
        & .flow-card--line { height: 1; }
        & .flow-card--legend { width: 7; color: $text-muted; }
        & Sparkline { height: 1; width: 1fr; }
        & .flow-card--failures > .sparkline--max-color { color: $error; }
        & .flow-card--failures > .sparkline--min-color { color: $warning 50%; }
        &.-failing { border: round $error; }
    }
    """

    def __init__(self, workflow: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.workflow = workflow

    def compose(self) -> ComposeResult:
        """Title, figures, then the two sparklines."""
        yield Label(self.workflow, classes="flow-card--title")
        yield Static(id="figures")
        with Horizontal(classes="flow-card--line"):
            yield Label("in 24h ", classes="flow-card--legend")
            yield Sparkline([0], id="throughput")
        with Horizontal(classes="flow-card--line"):
            yield Label("failed ", classes="flow-card--legend")
            yield Sparkline([0], id="failures", classes="flow-card--failures")

    def show(self, flow: FlowHealth, now: datetime) -> None:
        """Render `flow` as of `now`."""
        self.query_one("#figures", Static).update(
            f"{flow.events_per_hour:.1f} events/h · {flow.events_last_hour} last h\n"
            f"{fmt.percent(flow.failure_rate)} failed · queue {flow.queue_depth}\n"
            f"oldest {fmt.age(flow.oldest_undelivered_at, now)} · "
            f"at risk {fmt.amounts(flow.money_at_risk)}"
        )
        self.query_one("#throughput", Sparkline).data = [
            float(v) for v in flow.throughput
        ]
        self.query_one("#failures", Sparkline).data = [float(v) for v in flow.failures]
        self.set_class(flow.failure_rate >= 0.15, "-failing")
