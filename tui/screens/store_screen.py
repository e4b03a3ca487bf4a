"""The base of every view: access to the store and the write guard."""

from __future__ import annotations

from typing import ClassVar

import structlog
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from opsgate.tui.context import TuiContext

log = structlog.get_logger(__name__)

WRITE_ACTIONS = frozenset({"approve", "reject", "replay"})
"""Actions that change the store; hidden in `--readonly` mode."""


class StoreScreen(Screen[None]):
    """A view over the store that knows whether writes are allowed."""

    VIEW_NAME: ClassVar[str] = ""
    """The name `:` jumps to and the palette lists."""

    def __init__(self, ctx: TuiContext) -> None:
        super().__init__()
        self.ctx = ctx

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the write actions in read-only mode."""
        if action in WRITE_ACTIONS and self.ctx.readonly:
            return False
        return True

    def refresh_data(self) -> None:
        """Re-read what the view shows (each view overrides this)."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed read is reported and the view keeps working."""
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        log.error("tui.read_failed", worker=event.worker.name, error=str(error))
        self.notify(str(error), title="Could not read the store", severity="error")

    def on_screen_resume(self) -> None:
        """Coming back to a view shows what changed while away."""
        self.refresh_data()
