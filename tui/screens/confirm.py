"""A plain confirmation dialog: what will happen, then yes or no."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static


class ConfirmScreen(ModalScreen[bool]):
    """Show `lines`; dismiss with `True` only when the person confirms.

    Without a `confirm_label` it is an information dialog with one Close button.
    """

    CSS_PATH = "confirm.tcss"
    BINDINGS = [Binding("escape", "close", "Cancel", id="confirm.cancel")]

    def __init__(
        self, title: str, lines: list[str], *, confirm_label: str | None
    ) -> None:
        super().__init__()
        self.heading = title
        self.body_lines = lines
        self.confirm_label = confirm_label

    def compose(self) -> ComposeResult:
        """Heading, the lines, the buttons."""
        with Vertical(id="dialog"):
            yield Label(self.heading, id="heading")
            with VerticalScroll(id="lines"):
                yield Static(escape("\n".join(self.body_lines) or "(nothing to do)"))
            with Horizontal(id="buttons"):
                if self.confirm_label:
                    yield Button(self.confirm_label, id="confirm", variant="warning")
                yield Button("Cancel" if self.confirm_label else "Close", id="close")

    def on_mount(self) -> None:
        """Focus the safe choice."""
        self.query_one("#close", Button).focus()

    def action_close(self) -> None:
        """Close without confirming."""
        self.dismiss(False)

    @on(Button.Pressed, "#close")
    def _close(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#confirm")
    def _confirm(self) -> None:
        self.dismiss(True)
