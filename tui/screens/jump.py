"""The `:` prompt: type a view's name and go there."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label


class JumpScreen(ModalScreen[str | None]):
    """A one-line prompt at the bottom, like k9s's `:`."""

    CSS_PATH = "jump.tcss"
    BINDINGS = [Binding("escape", "close", "Cancel", id="jump.cancel")]

    def __init__(self, views: list[str]) -> None:
        super().__init__()
        self.views = views

    def compose(self) -> ComposeResult:
        """The prompt and a hint of the names it knows."""
        yield Label("views: " + " ".join(self.views), id="hint")
        yield Input(
            placeholder="view name",
            id="view",
            suggester=SuggestFromList(self.views, case_sensitive=False),
        )

    def action_close(self) -> None:
        """Close without jumping."""
        self.dismiss(None)

    @on(Input.Submitted, "#view")
    def _submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip().lstrip(":").lower()
        matches = [v for v in self.views if v.startswith(name)] if name else []
        if not matches:
            self.query_one("#hint", Label).update(f"No view called {name!r}.")
            return
        self.dismiss(matches[0])
