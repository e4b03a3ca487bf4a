"""The audit log, newest first, with the hash chain's verification status."""

from __future__ import annotations

import asyncio
import json

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from opsgate.tui import formatting as fmt
from opsgate.tui.queries import as_utc, list_audit_entries
from opsgate.tui.screens.store_screen import StoreScreen
from opsgate.tui.widgets.columns import TEXT_WIDTH, add_fixed_columns


class AuditScreen(StoreScreen):
    """Every acceptance, outcome, proposal, approval and execution."""

    VIEW_NAME = "audit"
    CSS_PATH = "audit.tcss"
    BINDINGS = [Binding("v", "verify", "Verify chain", id="audit.verify")]

    def compose(self) -> ComposeResult:
        """The chain's status, then the entries."""
        yield Header()
        yield Static("Chain: verifying…", id="chain")
        yield DataTable(id="entries", cursor_type="row")
        yield Footer()

    @property
    def entries(self) -> DataTable[str]:
        """The table of audit entries."""
        return self.query_one("#entries", DataTable)

    def on_mount(self) -> None:
        """Columns, entries, and a first verification."""
        add_fixed_columns(
            self.entries,
            [
                ("id", 5),
                ("recorded", 16),
                ("actor", 8),
                ("action", 22),
                ("subject", 14),
                ("detail", TEXT_WIDTH),
            ],
        )
        self.entries.focus()
        self.refresh_data()
        self.action_verify()

    def refresh_data(self) -> None:
        """Re-read the newest entries."""
        self._load()

    @work(exclusive=True, exit_on_error=False, group="audit")
    async def _load(self) -> None:
        size = self.ctx.settings.page_size
        rows = await self.ctx.read_async(lambda s: list_audit_entries(s, limit=size))
        self.entries.clear()
        for e in rows:
            self.entries.add_row(
                str(e.id),
                fmt.stamp(as_utc(e.recorded_at)),
                e.actor,
                e.action,
                e.subject or "–",
                json.dumps(e.detail, default=str) if e.detail else "",
            )

    def action_verify(self) -> None:
        """Verify the whole chain off the UI thread."""
        self._verify()

    @work(exclusive=True, exit_on_error=False, group="verify")
    async def _verify(self) -> None:
        status = await asyncio.to_thread(self.ctx.gateway.verify_chain)
        chain = self.query_one("#chain", Static)
        chain.update(f"Chain: {status.message}")
        chain.set_class(status.ok is True, "-ok")
        chain.set_class(status.ok is False, "-broken")
