"""Dead letters: select some, preview a replay, replay them."""

from __future__ import annotations

import asyncio

import structlog
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from opsgate.rules.store.tables import DeadLetter
from opsgate.tui import formatting as fmt
from opsgate.tui.context import TuiContext
from opsgate.tui.gateway import ActionRefused, ReplayOutcome
from opsgate.tui.messages import StoreChanged
from opsgate.tui.queries import as_utc, list_dead_letters
from opsgate.tui.screens.confirm import ConfirmScreen
from opsgate.tui.screens.store_screen import StoreScreen
from opsgate.tui.widgets.columns import TEXT_WIDTH, add_fixed_columns

log = structlog.get_logger(__name__)

MARK = "●"


class DeadLettersScreen(StoreScreen):
    """Deliveries that ran out of attempts, waiting for a person."""

    VIEW_NAME = "deadletters"
    CSS_PATH = "dead_letters.tcss"
    BINDINGS = [
        Binding("space", "toggle_mark", "Select", id="deadletters.toggle"),
        Binding("A", "select_all", "All", id="deadletters.all"),
        Binding("d", "dry_run", "Dry run", id="deadletters.dry_run"),
        Binding("R", "replay", "Replay", id="deadletters.replay"),
    ]

    def __init__(self, ctx: TuiContext) -> None:
        super().__init__(ctx)
        self.selected: set[int] = set()
        self.letters: dict[int, DeadLetter] = {}

    def compose(self) -> ComposeResult:
        """The table and a status line."""
        yield Header()
        yield DataTable(id="letters", cursor_type="row")
        yield Static(id="status")
        yield Footer()

    @property
    def letters_table(self) -> DataTable[str]:
        """The dead letters table."""
        return self.query_one("#letters", DataTable)

    def on_mount(self) -> None:
        """Columns, then the first load."""
        t = self.letters_table
        t.add_column(" ", key="mark", width=1)
        add_fixed_columns(
            t,
            [
                ("id", 4),
                ("when", 16),
                ("category", 17),
                ("target", 6),
                ("event", 9),
                ("reason", TEXT_WIDTH),
            ],
        )
        t.focus()
        self.refresh_data()

    def refresh_data(self) -> None:
        """Re-read the dead letters not yet replayed."""
        self._load()

    @work(exclusive=True, exit_on_error=False, group="deadletters")
    async def _load(self) -> None:
        rows = await self.ctx.read_async(list_dead_letters)
        self.letters = {d.id or 0: d for d in rows}
        self.selected &= set(self.letters)
        t = self.letters_table
        t.clear()
        for d in rows:
            t.add_row(
                MARK if d.id in self.selected else "",
                str(d.id),
                fmt.stamp(as_utc(d.created_at)),
                str(d.category),
                d.target,
                d.event_id,
                d.reason,
                key=str(d.id),
            )
        self._status()

    def _status(self) -> None:
        self.query_one("#status", Static).update(
            f"{len(self.letters)} dead letters · {len(self.selected)} selected"
        )

    def _cursor_id(self) -> int | None:
        t = self.letters_table
        if not t.row_count:
            return None
        key = t.coordinate_to_cell_key(t.cursor_coordinate).row_key
        return int(key.value) if key.value is not None else None

    def action_toggle_mark(self) -> None:
        """Select or unselect the highlighted dead letter."""
        did = self._cursor_id()
        if did is None:
            return
        self.selected ^= {did}
        self.letters_table.update_cell(
            str(did), "mark", MARK if did in self.selected else ""
        )
        self._status()

    def action_select_all(self) -> None:
        """Select every dead letter, or none if all are selected."""
        everything = set(self.letters)
        self.selected = set() if self.selected == everything else everything
        for did in self.letters:
            self.letters_table.update_cell(
                str(did), "mark", MARK if did in self.selected else ""
            )
        self._status()

    def _chosen(self) -> list[int]:
        if self.selected:
            return sorted(self.selected)
        did = self._cursor_id()
        return [did] if did is not None else []

    def action_dry_run(self) -> None:
        """Show what a replay of the selection would do."""
        self._dry_run(self._chosen(), confirm=False)

    def action_replay(self) -> None:
        """Preview the replay, then replay once confirmed."""
        self._dry_run(self._chosen(), confirm=True)

    @work(exclusive=True, exit_on_error=False, group="replay")
    async def _dry_run(self, ids: list[int], confirm: bool) -> None:
        if not ids:
            self.notify(
                "Select dead letters first.", title="Replay", severity="warning"
            )
            return
        try:
            preview = await asyncio.to_thread(
                self.ctx.gateway.replay, ids, dry_run=True
            )
        except ActionRefused as refused:
            self.notify(str(refused), title="Replay refused", severity="error")
            return
        except Exception as exc:
            log.exception("tui.replay_preview_failed", count=len(ids))
            self.notify(str(exc), title="Dry run failed", severity="error")
            return
        title = f"Replay {len(ids)} dead letter(s)?" if confirm else "Dry run"
        screen = ConfirmScreen(
            title, preview.lines, confirm_label="Replay" if confirm else None
        )
        if await self.app.push_screen_wait(screen) and confirm:
            await self._replay(ids)

    async def _replay(self, ids: list[int]) -> None:
        try:
            outcome: ReplayOutcome = await asyncio.to_thread(
                self.ctx.gateway.replay, ids, dry_run=False
            )
        except ActionRefused as refused:
            self.notify(str(refused), title="Replay refused", severity="error")
            return
        except Exception as exc:
            log.exception("tui.replay_failed", count=len(ids))
            self.notify(str(exc), title="Replay failed", severity="error")
            return
        self.notify("\n".join(outcome.lines[:5]), title=f"Replayed {len(ids)}")
        self.selected -= set(ids)
        self.app.post_message(StoreChanged(f"{len(ids)} dead letters replayed"))
        self.refresh_data()
