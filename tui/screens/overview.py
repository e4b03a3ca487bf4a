"""The overview: how every workflow is doing, what is at risk, what waits."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal
from textual.widgets import DataTable, Footer, Header, Static

from opsgate.tui import formatting as fmt
from opsgate.tui.queries import (
    IncidentFilter,
    IncidentRow,
    Overview,
    list_incidents,
    load_overview,
)
from opsgate.tui.screens.incident import IncidentScreen
from opsgate.tui.screens.store_screen import StoreScreen
from opsgate.tui.widgets.columns import TEXT_WIDTH, add_fixed_columns
from opsgate.tui.widgets.flow_card import FlowCard

WIDE = 160
"""Terminal width (cells) from which the workflow cards sit four a row."""

TALL = 36
"""Terminal height (cells) from which the costliest incidents are listed too."""


class OverviewScreen(StoreScreen):
    """Flow health at a glance, refreshed live."""

    VIEW_NAME = "overview"
    CSS_PATH = "overview.tcss"
    BINDINGS = [
        Binding("r", "reload", "Refresh", id="overview.refresh"),
    ]

    def compose(self) -> ComposeResult:
        """Totals on top, one card per workflow below."""
        yield Header()
        with Horizontal(id="totals"):
            yield Static(id="money", classes="tile")
            yield Static(id="approvals", classes="tile")
            yield Static(id="sla", classes="tile")
            yield Static(id="incidents", classes="tile")
        yield Grid(id="flows")
        yield DataTable(id="costliest", cursor_type="row")
        yield Footer()

    @property
    def flows(self) -> Grid:
        """The grid that holds the workflow cards."""
        return self.query_one("#flows", Grid)

    @property
    def costliest(self) -> DataTable[str]:
        """The costliest open incidents (shown on tall terminals)."""
        return self.query_one("#costliest", DataTable)

    def on_mount(self) -> None:
        """Load now, then re-read on the configured interval."""
        add_fixed_columns(
            self.costliest,
            [("impact", 6), ("at risk", 11), ("workflow", 20), ("title", TEXT_WIDTH)],
        )
        self.refresh_data()
        self.set_interval(self.ctx.settings.refresh_interval_s, self.refresh_data)

    def on_resize(self) -> None:
        """Four cards a row on wide terminals, two otherwise."""
        self.flows.set_class(self.app.size.width >= WIDE, "-wide")
        self.costliest.display = self.app.size.height >= TALL

    def action_reload(self) -> None:
        """Re-read the store now."""
        self.refresh_data()

    def refresh_data(self) -> None:
        """Re-read the overview's figures off the UI thread."""
        self._load()

    @work(exclusive=True, exit_on_error=False, group="overview")
    async def _load(self) -> None:
        now = self.ctx.clock()
        sla = self.ctx.settings.sla_ack_h
        overview = await self.ctx.read_async(
            lambda s: load_overview(s, now=now, sla_ack_h=sla)
        )
        top = await self.ctx.read_async(
            lambda s: list_incidents(s, IncidentFilter(), limit=20)
        )
        await self._show(overview)
        self._show_costliest(top)

    def _show_costliest(self, rows: list[IncidentRow]) -> None:
        table = self.costliest
        table.clear()
        for row in rows:
            table.add_row(
                f"{row.impact_score:6.1f}",
                fmt.money(row.amount_at_risk, row.currency),
                row.workflow or "–",
                row.title,
                key=str(row.id),
            )

    @on(DataTable.RowSelected, "#costliest")
    def _open_incident(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.app.push_screen(IncidentScreen(self.ctx, int(event.row_key.value)))

    async def _show(self, overview: Overview) -> None:
        now = self.ctx.clock()
        sla = self.ctx.settings.sla_ack_h
        money = fmt.amounts(overview.money_at_risk)
        self.query_one("#money", Static).update(f"[b]At risk[/b]\n{money}")
        self.query_one("#approvals", Static).update(
            f"[b]Approvals[/b]\n{overview.approvals_waiting} waiting"
        )
        self.query_one("#sla", Static).update(
            f"[b]SLA breaches[/b]\n{overview.sla_breaches} incidents\n"
            f"[dim]overdue · unacked {sla:g}h[/dim]"
        )
        self.query_one("#incidents", Static).update(
            f"[b]Incidents[/b]\n{overview.active_incidents} open\n"
            f"{overview.dead_letters} dead letters"
        )
        self.query_one("#sla").set_class(overview.sla_breaches > 0, "-alert")
        for flow in overview.flows:
            card_id = "flow-" + flow.workflow.replace(" ", "_").replace(
                "(", ""
            ).replace(")", "")
            cards = self.flows.query(f"#{card_id}")
            if cards:
                card = cards.first(FlowCard)
            else:
                card = FlowCard(flow.workflow, id=card_id)
                await self.flows.mount(card)
            card.show(flow, now)
