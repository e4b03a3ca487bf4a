"""Incidents ranked by what they cost, with filters and a drill-down."""

from __future__ import annotations

from dataclasses import replace

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

from opsgate.rules.store.statuses import IncidentStatus
from opsgate.tui import formatting as fmt
from opsgate.tui.context import TuiContext
from opsgate.tui.queries import (
    COUNT_CAP,
    IncidentFilter,
    IncidentRow,
    count_incidents,
    incident_facets,
    list_incidents,
)
from opsgate.tui.screens.incident import IncidentScreen
from opsgate.tui.screens.store_screen import StoreScreen
from opsgate.tui.widgets.columns import TEXT_WIDTH, add_fixed_columns

WIDE = 120
"""Terminal width (cells) from which the table also shows the workflow."""

ANY = "any"
"""The menu value that removes a filter."""


class IncidentsScreen(StoreScreen):
    """A table of incidents, worst first, paged as the cursor moves down."""

    VIEW_NAME = "incidents"
    CSS_PATH = "incidents.tcss"
    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", id="incidents.filter"),
        Binding("escape", "focus_table", "Table", show=False, id="incidents.table"),
        Binding("enter", "open", "Open", id="incidents.open", show=False),
    ]

    def __init__(self, ctx: TuiContext) -> None:
        super().__init__(ctx)
        self.filter = IncidentFilter()
        self._loaded = 0
        self._exhausted = False
        self._debounce: Timer | None = None
        self._wide = False

    def compose(self) -> ComposeResult:
        """Filter bar, the table, a count line."""
        yield Header()
        with Horizontal(id="filters"):
            yield Input(placeholder="/ filter title, customer, project", id="text")
            yield Select([], prompt="category", id="category", allow_blank=True)
            yield Select([], prompt="workflow", id="workflow", allow_blank=True)
            yield Select(
                [(s.value, s.value) for s in IncidentStatus] + [("all", ANY)],
                value=IncidentStatus.OPEN.value,
                id="status",
                allow_blank=False,
            )
        yield DataTable(id="table", cursor_type="row", zebra_stripes=True)
        yield Static(id="count")
        yield Footer()

    @property
    def table(self) -> DataTable[str]:
        """The incidents table."""
        return self.query_one("#table", DataTable)

    def on_mount(self) -> None:
        """Set up the columns and load the first page and the menus."""
        self._wide = self.app.size.width >= WIDE
        self._set_columns()
        self.table.focus()
        self._load_facets()
        self.refresh_data()

    def _set_columns(self) -> None:
        self.table.clear(columns=True)
        columns = [("impact", 6), ("at risk", 11), ("category", 17)]
        if self._wide:
            columns.append(("workflow", 20))
        add_fixed_columns(self.table, [*columns, ("title", TEXT_WIDTH)])

    def on_resize(self) -> None:
        """Show the workflow column only where there is room for it."""
        wide = self.app.size.width >= WIDE
        if wide != self._wide:
            self._wide = wide
            self._set_columns()
            self.refresh_data()

    @work(exit_on_error=False, group="facets")
    async def _load_facets(self) -> None:
        categories, workflows = await self.ctx.read_async(incident_facets)
        self.query_one("#category", Select).set_options((c, c) for c in categories)
        self.query_one("#workflow", Select).set_options((w, w) for w in workflows)

    def refresh_data(self) -> None:
        """Reload from the first page with the current filter."""
        self._load_page(reset=True)

    @work(exclusive=True, exit_on_error=False, group="incidents")
    async def _load_page(self, reset: bool = False) -> None:
        flt = self.filter
        offset = 0 if reset else self._loaded
        size = self.ctx.settings.page_size
        rows = await self.ctx.read_async(
            lambda s: list_incidents(s, flt, limit=size, offset=offset)
        )
        if reset:
            self.table.clear()
            self._loaded = 0
            self._count_matches(flt)
        for row in rows:
            self.table.add_row(*self._cells(row), key=str(row.id))
        self._loaded += len(rows)
        self._exhausted = len(rows) < size

    @work(exclusive=True, exit_on_error=False, group="count")
    async def _count_matches(self, flt: IncidentFilter) -> None:
        total = await self.ctx.read_async(lambda s: count_incidents(s, flt))
        shown = f"{COUNT_CAP:,}+" if total > COUNT_CAP else f"{total:,}"
        self.query_one("#count", Static).update(
            f"{shown} incidents match · sorted by impact"
        )

    def _cells(self, row: IncidentRow) -> tuple[str, ...]:
        lead = (
            f"{row.impact_score:6.1f}",
            fmt.money(row.amount_at_risk, row.currency),
            row.category,
        )
        if self._wide:
            return (*lead, row.workflow or "–", row.title)
        return (*lead, row.title)

    @on(DataTable.RowHighlighted, "#table")
    def _maybe_next_page(self, event: DataTable.RowHighlighted) -> None:
        near_end = event.cursor_row >= self.table.row_count - 20
        if near_end and not self._exhausted and self._loaded:
            self._load_page(reset=False)

    @on(DataTable.RowSelected, "#table")
    def _open_row(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.app.push_screen(IncidentScreen(self.ctx, int(event.row_key.value)))

    def action_open(self) -> None:
        """Open the highlighted incident."""
        if self.table.row_count:
            self.table.action_select_cursor()

    def action_focus_filter(self) -> None:
        """Put the cursor in the free-text filter."""
        self.query_one("#text", Input).focus()

    def action_focus_table(self) -> None:
        """Leave the filter bar for the table."""
        self.table.focus()

    @on(Input.Changed, "#text")
    def _text_changed(self, event: Input.Changed) -> None:
        self.filter = replace(self.filter, text=event.value)
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(0.12, self.refresh_data)

    @on(Input.Submitted, "#text")
    def _text_submitted(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
            self.refresh_data()
        self.table.focus()

    @on(Select.Changed)
    def _menu_changed(self, event: Select.Changed) -> None:
        value = None if event.value in (Select.BLANK, ANY) else str(event.value)
        name = event.select.id
        if name == "category":
            self.filter = replace(self.filter, category=value)
        elif name == "workflow":
            self.filter = replace(self.filter, workflow=value)
        elif name == "status":
            self.filter = replace(self.filter, status=value)
        else:
            return
        self.refresh_data()
