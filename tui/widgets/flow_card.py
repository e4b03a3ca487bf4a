"""One workflow's health: rates, queue and 24-hour sparklines."""

from __future__ import annotations

from datetime import datetime

from opsgate.tui import formatting as fmt
from opsgate.tui.queries import FlowHealth
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, Sparkline, Static


class FlowCard(Vertical):
    """A card for one workflow on the overview."""

    DEFAULT_CSS = """
    FlowCard {
        height: auto;
        border: round $panel-lighten-2;
        padding: 0 1;
        & > .flow-card--title { text-style: bold; color: $accent; }
        & Sparkline { height: 1; margin: 0 0; }
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
        yield Label("throughput 24h", classes="flow-card--legend")
        yield Sparkline([0], id="throughput")
        yield Label("failures 24h", classes="flow-card--legend")
        yield Sparkline([0], id="failures", classes="flow-card--failures")

    def show(self, flow: FlowHealth, now: datetime) -> None:
        """Render `flow` as of `now`."""
        self.query_one("#figures", Static).update(
            f"events/h {flow.events_per_hour:5.1f} (last h {flow.events_last_hour})  "
            f"failed {fmt.percent(flow.failure_rate)}\n"
            f"queue {flow.queue_depth}  oldest {fmt.age(flow.oldest_undelivered_at, now)}"
            f"  at risk {fmt.money(flow.money_at_risk)}"
        )
        self.query_one("#throughput", Sparkline).data = [float(v) for v in flow.throughput]
        self.query_one("#failures", Sparkline).data = [float(v) for v in flow.failures]
        self.set_class(flow.failure_rate >= 0.15, "-failing")
