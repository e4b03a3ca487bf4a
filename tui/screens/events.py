"""The events explorer: find events, follow one down to its raw payload."""

from __future__ import annotations

import json

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.markup import escape
from textual.widgets import DataTable, Footer, Header, Input, Static, Tree

from opsgate.rules.store.tables import Event
from opsgate.tui import formatting as fmt
from opsgate.tui.context import TuiContext
from opsgate.tui.queries import EventTimeline, as_utc, find_events, load_event_timeline
from opsgate.tui.screens.store_screen import StoreScreen
from opsgate.tui.widgets.columns import add_fixed_columns


class EventsScreen(StoreScreen):
    """Search by event id, correlation id, customer or project."""

    VIEW_NAME = "events"
    CSS_PATH = "events.tcss"
    BINDINGS = [
        Binding("slash", "focus_search", "Search", id="events.search"),
        Binding("escape", "focus_results", "Results", show=False, id="events.results"),
    ]

    def __init__(self, ctx: TuiContext) -> None:
        super().__init__(ctx)
        self.term = ""

    def compose(self) -> ComposeResult:
        """Search box, results, and the chosen event's timeline and payload."""
        yield Header()
        yield Input(
            placeholder="/ event id, correlation id, customer or project", id="search"
        )
        yield DataTable(id="results", cursor_type="row")
        with Horizontal(id="lower"):
            yield Tree("timeline", id="timeline")
            with VerticalScroll(id="payload-box"):
                yield Static(id="payload")
        yield Footer()

    @property
    def results(self) -> DataTable[str]:
        """The table of matching events."""
        return self.query_one("#results", DataTable)

    def on_mount(self) -> None:
        """Columns, then the newest events."""
        add_fixed_columns(
            self.results,
            [
                ("accepted", 16),
                ("event", 9),
                ("type", 27),
                ("workflow", 20),
                ("status", 8),
                ("subject", 40),
            ],
        )
        self.results.focus()
        self.refresh_data()

    def refresh_data(self) -> None:
        """Re-run the search."""
        self._search()

    @work(exclusive=True, exit_on_error=False, group="events")
    async def _search(self) -> None:
        term = self.term
        events = await self.ctx.read_async(lambda s: find_events(s, term))
        self.results.clear()
        for e in events:
            self.results.add_row(
                fmt.stamp(as_utc(e.accepted_at)),
                e.id,
                e.type,
                e.workflow or "–",
                str(e.status),
                e.subject or "–",
                key=e.id,
            )
        if events:
            self._open(events[0].id)

    @on(Input.Submitted, "#search")
    def _submitted(self, event: Input.Submitted) -> None:
        self.term = event.value
        self.refresh_data()
        self.results.focus()

    @on(DataTable.RowHighlighted, "#results")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self._open(str(event.row_key.value))

    @work(exclusive=True, exit_on_error=False, group="timeline")
    async def _open(self, event_id: str) -> None:
        timeline = await self.ctx.read_async(lambda s: load_event_timeline(s, event_id))
        if timeline is not None:
            self._show(timeline)

    def _show(self, t: EventTimeline) -> None:
        tree = self.query_one("#timeline", Tree)
        tree.clear()
        e = t.event
        tree.root.set_label(f"{e.id} · {e.type} · {e.status}")
        tree.root.data = e
        for trace in t.deliveries:
            d = trace.delivery
            node = tree.root.add(
                f"delivery {d.id} → {d.target} {d.operation} · {d.status}",
                data=d.payload,
                expand=True,
            )
            for a in trace.attempts:
                node.add_leaf(
                    f"#{a.number} {a.outcome} {fmt.stamp(as_utc(a.started_at))} "
                    f"{a.error_category or ''}",
                    data=a.fault or {"outcome": str(a.outcome)},
                )
            if trace.dead_letter is not None:
                node.add_leaf(
                    f"dead letter {trace.dead_letter.id}: {trace.dead_letter.reason}"
                )
        for inc in t.incidents:
            tree.root.add_leaf(f"incident {inc.id} · {inc.category} · {inc.status}")
        tree.root.expand()
        self._payload(e)

    def _payload(self, e: Event) -> None:
        try:
            body = json.dumps(json.loads(e.raw_body), indent=2)
        except ValueError:
            body = e.raw_body.decode("utf-8", errors="replace")
        headers = json.dumps(e.raw_headers or {}, indent=2)
        self.query_one("#payload", Static).update(
            f"[b]raw payload[/b] ({e.content_type or '?'})\n{escape(body)}\n"
            f"[b]headers[/b]\n{escape(headers)}"
        )

    @on(Tree.NodeHighlighted, "#timeline")
    def _node(self, event: Tree.NodeHighlighted[object]) -> None:
        data = event.node.data
        if isinstance(data, Event):
            self._payload(data)
        elif data is not None:
            text = json.dumps(data, indent=2, default=str)
            self.query_one("#payload", Static).update(escape(text))

    def action_focus_search(self) -> None:
        """Put the cursor in the search box."""
        self.query_one("#search", Input).focus()

    def action_focus_results(self) -> None:
        """Back to the results."""
        self.results.focus()
